// The confirm page. Mail scanners open links in emails, so the token is only sent when a person
// presses the button, never on page load.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter, safeUrl } from "./dom.js";
import { t, tNodes } from "./i18n.js";
import { describeStart } from "./time.js";

const ERROR_OUTCOMES = {
  403: { outcome: "invalid", key: "confirm.invalid" },
  404: { outcome: "invalid", key: "confirm.invalid" },
  409: { outcome: "cancelled", key: "confirm.cancelled", status: "cancelled" },
  410: { outcome: "expired", key: "confirm.expired", status: "expired" },
  429: { outcome: "rate_limited", key: "common.too_many_requests" },
};

function confirmedMessage(registration) {
  const forum = registration.forum ?? {};
  const values = { forum: forum.title ?? "", time: forum.starts_at ? describeStart(forum) : "" };
  const paragraph = element("p", { "data-registration-status": registration.status });

  if (registration.status === "waitlisted") {
    const position = registration.waitlist_position;
    values.position = element("strong", { "data-waitlist-position": position }, String(position));
    paragraph.append(tNodes("confirm.waitlisted", values));
  } else if (registration.status === "confirmed") {
    paragraph.append(tNodes("confirm.confirmed", values));
  } else {
    paragraph.append(registration.status_label || t("confirm.pending"));
  }

  const fragment = document.createDocumentFragment();
  fragment.append(paragraph);
  const manageUrl = safeUrl(registration.manage_url);
  if (manageUrl) {
    fragment.append(element("p", {}, element("a", { href: manageUrl, id: "manage-registration" }, t("confirm.manage"))));
  }
  return fragment;
}

export function initConfirm(root) {
  const button = root.querySelector("#confirm-registration");
  const result = document.querySelector("#confirmation-result");
  const forumId = queryParameter("forum");
  const registrationId = queryParameter("registration");
  const token = queryParameter("token");

  if (!forumId || !registrationId || !token) {
    button.hidden = true;
    result.dataset.outcome = "invalid";
    announce(result, t("confirm.missing_link"));
    return;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    announce(result, t("confirm.confirming"));
    const path = apiPath("forums", forumId, "registrations", registrationId, "confirm");

    let response;
    try {
      response = await apiRequest("POST", path, { token });
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      button.disabled = false;
      result.dataset.outcome = "error";
      announce(result, t("common.network_error"), { focus: true });
      return;
    }

    if (response.status === 200) {
      button.hidden = true;
      result.dataset.outcome = response.body.status;
      announce(result, confirmedMessage(response.body), { focus: true });
      return;
    }

    const known = ERROR_OUTCOMES[response.status];
    result.dataset.outcome = known?.outcome ?? "error";
    const paragraph = element("p", { "data-registration-status": known?.status }, known ? t(known.key) : t("common.server_error"));
    // Only a server error or a rate limit is worth retrying with the same link.
    button.disabled = Boolean(known) && response.status !== 429;
    button.hidden = button.disabled;
    announce(result, paragraph, { focus: true });
  });
}
