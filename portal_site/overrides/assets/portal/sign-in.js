// The sign-in page: request a one-time link by email. The API returns the same message for
// every address, so the page cannot tell, and never shows, whether the address has an account.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { t } from "./i18n.js";

function sentMessage(body, againButton) {
  const fragment = document.createDocumentFragment();
  const message = typeof body.message === "string" && body.message ? body.message : t("sign_in.link_sent");
  fragment.append(element("p", { id: "sign-in-sent" }, message), element("p", {}, againButton));
  return fragment;
}

export function initSignIn(root) {
  const form = root.querySelector("#sign-in-form");
  const result = document.querySelector("#sign-in-result");
  const submit = form.querySelector('button[type="submit"]');
  const emailInput = form.elements.namedItem("email");
  // The server checks `next` again and falls back to the account page when it is not on the portal.
  form.elements.namedItem("next").value = queryParameter("next");
  let sending = false;

  const againButton = element("button", { type: "button", id: "sign-in-again", class: "md-button" }, t("sign_in.use_another_address"));
  againButton.addEventListener("click", () => {
    result.hidden = true;
    root.hidden = false;
    emailInput.focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    submit.disabled = true;
    clearFieldErrors(form);
    delete result.dataset.outcome;
    announce(result, t("sign_in.sending"));

    const payload = { email: emailInput.value.trim(), next: form.elements.namedItem("next").value };
    try {
      const { status, body } = await apiRequest("POST", "/sign-in", payload);
      if (status === 202) {
        root.hidden = true;
        result.dataset.outcome = "sent";
        announce(result, sentMessage(body, againButton), { focus: true });
      } else if (status === 422) {
        result.dataset.outcome = "invalid";
        const unplaced = showFieldErrors(form, body.errors);
        result.replaceChildren(...unplaced.map((message) => element("p", {}, message)));
        result.hidden = unplaced.length === 0;
      } else if (status === 429) {
        result.dataset.outcome = "rate_limited";
        announce(result, t("common.too_many_requests"), { focus: true });
      } else {
        result.dataset.outcome = "error";
        announce(result, status >= 500 ? t("common.server_error") : body.message || t("sign_in.failed"), { focus: true });
      }
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      result.dataset.outcome = "error";
      announce(result, t("common.network_error"), { focus: true });
    } finally {
      sending = false;
      submit.disabled = false;
    }
  });
}
