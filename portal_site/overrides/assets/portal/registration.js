// The registration page a prospect opens from the signed link in their emails: status, forum,
// waitlist position, join link, and cancelling with a second confirming click.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter, safeUrl, siteUrl } from "./dom.js";
import { t } from "./i18n.js";
import { describeStart } from "./time.js";

const FINAL_STATUSES = new Set(["cancelled", "expired"]);

function setRow(root, name, content) {
  const target = root.querySelector(`[data-registration-field="${name}"]`);
  const row = target.closest(".portal-fact");
  const empty = content === null || content === undefined || content === "";
  row.hidden = empty;
  target.replaceChildren(empty ? "" : content);
}

function renderRegistration(root, registration) {
  const forum = registration.forum ?? {};

  const status = root.querySelector("[data-registration-status]");
  status.setAttribute("data-registration-status", registration.status);
  status.textContent = registration.status_label || registration.status;

  const forumLink = element(
    "a",
    { href: siteUrl(`forum/?id=${encodeURIComponent(registration.forum_id)}`) },
    forum.title || registration.forum_id,
  );
  setRow(root, "forum", forumLink);
  setRow(root, "time", forum.starts_at ? describeStart(forum) : "");

  const position = root.querySelector("[data-waitlist-position]");
  const waitlisted = registration.status === "waitlisted" && registration.waitlist_position !== null;
  position.setAttribute("data-waitlist-position", waitlisted ? String(registration.waitlist_position) : "");
  position.textContent = waitlisted ? String(registration.waitlist_position) : "";
  position.closest(".portal-fact").hidden = !waitlisted;

  const joinUrl = registration.status === "confirmed" ? safeUrl(registration.join_url) : null;
  if (joinUrl) {
    setRow(root, "join_url", element("a", { href: joinUrl, id: "join-link", rel: "noopener" }, joinUrl));
  } else {
    setRow(root, "join_url", registration.status === "confirmed" ? "" : t("manage.join_pending"));
  }
  if (FINAL_STATUSES.has(registration.status)) {
    root.querySelector('[data-registration-field="join_url"]').closest(".portal-fact").hidden = true;
  }

  setRow(root, "name", registration.name);
  setRow(root, "email", registration.email);
  setRow(root, "company", registration.company);
  setRow(root, "job_title", registration.job_title);
  setRow(root, "time_zone", registration.time_zone);
  setRow(root, "questions", registration.questions);

  root.querySelector("#cancel-controls").hidden = FINAL_STATUSES.has(registration.status);
  root.hidden = false;
}

/** Bind the cancel buttons; `statusBefore()` returns the status shown before cancelling. */
function bindCancel(root, request, message, statusBefore) {
  const cancelButton = root.querySelector("#cancel-registration");
  const question = root.querySelector("#cancel-confirmation");
  const yesButton = root.querySelector("#confirm-cancel");
  const keepButton = root.querySelector("#keep-registration");

  cancelButton.addEventListener("click", () => {
    question.hidden = false;
    cancelButton.hidden = true;
    yesButton.focus();
  });

  keepButton.addEventListener("click", () => {
    question.hidden = true;
    cancelButton.hidden = false;
    cancelButton.focus();
  });

  yesButton.addEventListener("click", async () => {
    yesButton.disabled = true;
    keepButton.disabled = true;
    announce(message, t("manage.cancelling"));
    // Only a confirmed registration held a seat that now goes to someone else.
    const heldSeat = statusBefore() === "confirmed";
    try {
      const { status, body } = await apiRequest("POST", `${request.path}/cancel`, { signature: request.signature });
      if (status === 200) {
        renderRegistration(root, body);
        message.dataset.outcome = "cancelled";
        announce(message, heldSeat ? `${t("manage.cancelled")} ${t("manage.seat_released")}` : t("manage.cancelled"), { focus: true });
        return;
      }
      message.dataset.outcome = "error";
      let reason = body.message || t("manage.cancel_failed");
      if (status === 403) {
        reason = t("manage.invalid");
      } else if (status >= 500) {
        reason = t("common.server_error");
      }
      announce(message, reason, { focus: true });
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      message.dataset.outcome = "error";
      announce(message, t("common.network_error"), { focus: true });
    } finally {
      yesButton.disabled = false;
      keepButton.disabled = false;
      question.hidden = true;
      cancelButton.hidden = false;
    }
  });
}

export async function initRegistration(root) {
  const message = document.querySelector("#registration-message");
  const forumId = queryParameter("forum");
  const registrationId = queryParameter("registration");
  const signature = queryParameter("signature");

  if (!forumId || !registrationId || !signature) {
    message.dataset.outcome = "invalid";
    announce(message, t("manage.missing_link"));
    return;
  }

  const path = apiPath("forums", forumId, "registrations", registrationId);
  announce(message, t("common.loading"));
  let response;
  try {
    response = await apiRequest("GET", `${path}?signature=${encodeURIComponent(signature)}`);
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      throw error;
    }
    announce(message, t("common.network_error"));
    return;
  }

  if (response.status !== 200) {
    const keys = { 403: "manage.invalid", 404: "manage.not_found" };
    message.dataset.outcome = response.status === 403 ? "invalid" : "error";
    announce(message, t(keys[response.status] ?? "common.server_error"));
    return;
  }

  message.replaceChildren();
  message.hidden = true;
  renderRegistration(root, response.body);
  bindCancel(root, { path, signature }, message, () => root.querySelector("[data-registration-status]").dataset.registrationStatus);
}
