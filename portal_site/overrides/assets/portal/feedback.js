// The feedback page a prospect opens from the thank-you email: a rating from 1 to 5 and an
// optional comment, sent with the registration's signed link.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";

/**
 * Show the rating's message on its radio group. showFieldErrors handles single controls only,
 * and the five radio buttons share one name.
 */
function showRatingError(form, text) {
  const group = form.querySelector('.portal-field[data-field="rating"]');
  const slot = group.querySelector(".portal-field-error");
  group.classList.add("portal-field--invalid");
  group.setAttribute("aria-invalid", "true");
  slot.textContent = String(text);
  slot.hidden = false;
  form.querySelector('input[name="rating"]').focus();
}

function collectPayload(form, signature) {
  const chosen = form.querySelector('input[name="rating"]:checked');
  return {
    signature,
    rating: chosen ? Number(chosen.value) : null,
    comment: form.elements.namedItem("comment").value.trim(),
  };
}

export function initFeedback(panel) {
  const message = document.querySelector("#feedback-message");
  const form = panel.querySelector("#feedback-form");
  const result = document.querySelector("#feedback-result");
  const submit = form.querySelector('button[type="submit"]');
  const forumId = queryParameter("forum");
  const registrationId = queryParameter("registration");
  const signature = queryParameter("signature");

  if (!forumId || !registrationId || !signature) {
    message.dataset.outcome = "invalid";
    announce(message, t("feedback.missing_link"));
    return;
  }
  panel.hidden = false;

  async function send() {
    const payload = collectPayload(form, signature);
    const path = apiPath("forums", forumId, "registrations", registrationId, "feedback");
    const { status, body } = await apiRequest("POST", path, payload);

    if (status === 201) {
      panel.hidden = true;
      result.dataset.outcome = "sent";
      announce(result, t("feedback.thanks"), { focus: true });
    } else if (status === 422 && body.errors) {
      const { rating, ...others } = body.errors;
      const unplaced = showFieldErrors(form, others);
      if (rating) {
        showRatingError(form, rating);
      }
      result.dataset.outcome = "invalid";
      announce(result, element("p", {}, plural("feedback.fix_errors", Object.keys(body.errors).length)));
      result.append(...unplaced.map((text) => element("p", {}, text)));
    } else if (status === 409) {
      // Feedback was already sent, or is not open yet, and the server's message names which.
      panel.hidden = true;
      result.dataset.outcome = "closed";
      announce(result, body.message || t("feedback.not_accepted"), { focus: true });
    } else if (status === 403 || status === 404) {
      panel.hidden = true;
      result.dataset.outcome = "invalid";
      announce(result, t("feedback.invalid_link"), { focus: true });
    } else {
      result.dataset.outcome = "error";
      announce(result, status === 429 ? t("common.too_many_requests") : t("common.server_error"), { focus: true });
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    clearFieldErrors(form);
    result.hidden = true;
    try {
      await send();
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      result.dataset.outcome = "error";
      announce(result, t("common.network_error"), { focus: true });
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}
