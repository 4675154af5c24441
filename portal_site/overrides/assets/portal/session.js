// The signed-in person, as GET /api/session returns it. The header menu and the account and
// admin pages share one request per page load, and all of them hear about a sign-out.

import { apiRequest } from "./api.js";
import { siteUrl } from "./dom.js";

export const ANONYMOUS = Object.freeze({ signed_in: false, email: "", name: "", roles: [] });

/** Event dispatched on document with the new session as `detail` after signing out. */
export const SESSION_CHANGED = "portal:session-changed";

// Query parameters that carry a secret; a sign-in link never copies them into `next`.
const SECRET_PARAMETERS = ["token", "signature"];

let pendingSession = null;

function normalise(body) {
  return {
    signed_in: body.signed_in === true,
    email: typeof body.email === "string" ? body.email : "",
    name: typeof body.name === "string" ? body.name : "",
    roles: Array.isArray(body.roles) ? body.roles.filter((role) => typeof role === "string") : [],
  };
}

/**
 * Return the current session. Rejects with NetworkError or Error when the API gives no session,
 * so a page never mistakes an outage for being signed out. The next call sends a new request.
 */
export function loadSession() {
  if (pendingSession === null) {
    pendingSession = apiRequest("GET", "/session").then(({ status, body }) => {
      if (status !== 200) {
        throw new Error(`GET /api/session returned HTTP ${status}`);
      }
      return normalise(body);
    });
    pendingSession.catch(() => {
      pendingSession = null;
    });
  }
  return pendingSession;
}

export function hasRole(session, role) {
  return session.signed_in && session.roles.includes(role);
}

/** Record a new session state and tell every listener on this page. */
export function publishSession(session) {
  pendingSession = Promise.resolve(session);
  document.dispatchEvent(new CustomEvent(SESSION_CHANGED, { detail: session }));
}

/**
 * End this session, or with `everywhere` every session of this person. Return true once the
 * person is signed out; a 401 counts, because the session had already ended.
 */
export async function signOut({ everywhere = false } = {}) {
  const path = everywhere ? "/session/sign-out-everywhere" : "/session/sign-out";
  const { status } = await apiRequest("POST", path);
  if (status !== 200 && status !== 401) {
    return false;
  }
  publishSession(ANONYMOUS);
  return true;
}

/** Path of a site page on the server, such as "/account/", for the sign-in page's `next`. */
export function sitePath(page) {
  return new URL(siteUrl(page)).pathname;
}

/** URL of the sign-in page that returns to `nextPath` afterwards (no `next` when empty). */
export function signInUrl(nextPath = "") {
  const query = nextPath ? `?${new URLSearchParams({ next: nextPath })}` : "";
  return siteUrl(`sign-in/${query}`);
}

/** Return the current page as a `next` value, without its query when that query carries a secret. */
export function currentPagePath() {
  const query = new URLSearchParams(window.location.search);
  const secret = SECRET_PARAMETERS.some((name) => query.has(name));
  return window.location.pathname + (secret ? "" : window.location.search);
}
