// The page that a nomination's emailed link opens. Mail scanners open links in emails, so the
// nomination is confirmed only when a person presses the button, never on page load.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter, siteUrl } from "./dom.js";
import { t } from "./i18n.js";

// Statuses after which the same link can never work, with the message shown when the API gives none.
const FINAL_ERRORS = {
  400: { outcome: "invalid", key: "nominate_confirm.invalid" },
  404: { outcome: "invalid", key: "nominate_confirm.invalid" },
  410: { outcome: "expired", key: "nominate_confirm.expired" },
};

function failureMessage(message) {
  const fragment = document.createDocumentFragment();
  fragment.append(
    element("p", {}, message),
    element("p", {}, element("a", { href: siteUrl("nominate/"), id: "nominate-again" }, t("nominate_confirm.nominate_again"))),
  );
  return fragment;
}

export function init(root) {
  const button = root.querySelector("#confirm-nomination");
  const result = document.querySelector("#nominate-confirm-result");
  const nominationId = queryParameter("nomination");
  const token = queryParameter("token");

  if (!nominationId || !token) {
    result.dataset.outcome = "invalid";
    announce(result, failureMessage(t("nominate_confirm.missing_link")));
    return;
  }
  button.hidden = false;

  async function confirm() {
    button.disabled = true;
    delete result.dataset.outcome;
    announce(result, t("nominate_confirm.confirming"));

    let response;
    try {
      response = await apiRequest("POST", "/nominations/confirm", { nomination_id: nominationId, token });
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
      result.dataset.outcome = "confirmed";
      announce(result, response.body.message || t("nominate_confirm.confirmed"), { focus: true });
      return;
    }
    const known = FINAL_ERRORS[response.status];
    if (known) {
      button.hidden = true;
      result.dataset.outcome = known.outcome;
      announce(result, failureMessage(response.body.message || t(known.key)), { focus: true });
      return;
    }
    // A rate limit or a server error: the link may still work, so the button stays.
    button.disabled = false;
    result.dataset.outcome = "error";
    announce(result, response.status === 429 ? t("common.too_many_requests") : t("common.server_error"), { focus: true });
  }

  button.addEventListener("click", () => confirm());
}
