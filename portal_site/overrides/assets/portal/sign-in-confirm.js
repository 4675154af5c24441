// The page that an emailed sign-in link opens. Mail scanners open links in emails, so the token
// is sent only when a person presses the button, never on page load.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter, siteUrl } from "./dom.js";
import { t } from "./i18n.js";

// Statuses after which the same link can never work again, with the message to show when the
// API sends none.
const FINAL_ERRORS = {
  400: { outcome: "invalid", key: "sign_in.invalid" },
  403: { outcome: "forbidden", key: "sign_in.no_access" },
  409: { outcome: "used", key: "sign_in.used" },
  410: { outcome: "expired", key: "sign_in.expired" },
};

// Raw whitespace and control characters: browsers drop some of them from URLs, which can turn
// "/\t/host" into "//host".
const UNSAFE_PATH_CHARACTERS = /[\s\u0000-\u001f\u007f]/;

/**
 * Return the URL to open after signing in: `next` when it is a path on this origin, else the
 * account page. The server has validated `next` already; this check keeps the page safe even so.
 */
export function safeNextUrl(next) {
  const fallback = siteUrl("account/");
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) {
    return fallback;
  }
  if (next.includes("\\") || UNSAFE_PATH_CHARACTERS.test(next)) {
    return fallback;
  }
  const url = new URL(next, window.location.origin);
  return url.origin === window.location.origin ? url.href : fallback;
}

function failureMessage(message) {
  const fragment = document.createDocumentFragment();
  fragment.append(
    element("p", {}, message),
    element("p", {}, element("a", { href: siteUrl("sign-in/"), id: "sign-in-restart" }, t("sign_in.ask_again"))),
  );
  return fragment;
}

export function initSignInConfirm(root) {
  const button = root.querySelector("#confirm-sign-in");
  const result = document.querySelector("#sign-in-confirm-result");
  const token = queryParameter("token");

  if (!token) {
    button.hidden = true;
    result.dataset.outcome = "invalid";
    announce(result, failureMessage(t("sign_in.missing_link")));
    return;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    delete result.dataset.outcome;
    announce(result, t("sign_in.signing_in"));

    let response;
    try {
      response = await apiRequest("POST", "/sign-in/confirm", { token });
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
      result.dataset.outcome = "signed_in";
      announce(result, t("sign_in.signed_in"));
      window.location.assign(safeNextUrl(response.body.next));
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
    const message = response.status === 429 ? t("common.too_many_requests") : t("common.server_error");
    announce(result, message, { focus: true });
  });
}
