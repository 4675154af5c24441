// Shared parts of the admin pages: requests to the admin API, and hiding the page's data whenever
// the session is not an admin's. The admin API checks the session on every request, so a page
// only mirrors that check.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element } from "./dom.js";
import { t } from "./i18n.js";
import { ANONYMOUS, currentPagePath, hasRole, loadSession, publishSession, SESSION_CHANGED, signInUrl } from "./session.js";

/** Raised when the admin API returns 401 or 403, because the session ended or lost the admin role. */
export class AccessLost extends Error {
  constructor(status) {
    super(`The admin API answered HTTP ${status}`);
    this.status = status;
  }
}

/** Send one admin API request like apiRequest, but throw AccessLost on 401 and 403. */
export async function adminRequest(method, path, payload) {
  const response = await apiRequest(method, path, payload);
  if (response.status === 401 || response.status === 403) {
    throw new AccessLost(response.status);
  }
  return response;
}

/**
 * Show `root` once GET /api/session reports an admin; otherwise call `clear` and offer a sign-in
 * link in `message` that comes back to this page. Return `guarded(region, work)`, which runs
 * one admin request and locks the page on 401/403, or null when the page stays locked.
 */
export async function openAdminPage({ message, root, clear }) {
  let locked = false;

  function lock(session) {
    locked = true;
    root.hidden = true;
    clear();
    const prompt = document.createDocumentFragment();
    if (session.signed_in) {
      prompt.append(element("p", {}, t("admin.not_admin", { email: session.email })));
    }
    const link = element("a", { href: signInUrl(currentPagePath()), id: "admin-sign-in" }, t("admin.sign_in"));
    prompt.append(element("p", {}, link));
    message.dataset.outcome = "sign_in";
    announce(message, prompt);
  }

  async function guarded(region, work) {
    if (locked) {
      return;
    }
    try {
      await work();
    } catch (error) {
      if (error instanceof AccessLost) {
        if (error.status === 401) {
          publishSession(ANONYMOUS);
        }
        lock(error.status === 401 ? ANONYMOUS : await loadSession().catch(() => ANONYMOUS));
        return;
      }
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      region.dataset.outcome = "error";
      announce(region, t("common.network_error"), { focus: true });
    }
  }

  announce(message, t("common.loading"));
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    message.dataset.outcome = "error";
    announce(message, error instanceof NetworkError ? t("common.network_error") : t("common.server_error"));
    return null;
  }
  if (!hasRole(session, "admin")) {
    lock(session);
    return null;
  }

  message.replaceChildren();
  message.hidden = true;
  root.hidden = false;
  document.addEventListener(SESSION_CHANGED, (event) => {
    if (!hasRole(event.detail, "admin")) {
      lock(event.detail);
    }
  });
  return guarded;
}

/** Return an API error's text: the server's own message for a 4xx, a generic one for a 5xx. */
export function errorText(status, body, fallbackKey) {
  if (status >= 500) {
    return t("common.server_error");
  }
  return body?.message || t(fallbackKey);
}
