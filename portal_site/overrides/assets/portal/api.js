// Calls to the portal's JSON API, which the server routes at /api on the site's own origin.

const API_ROOT = "/api";
const CSRF_HEADER = "X-Portal-CSRF";

/** Raised when the request never got an HTTP answer (offline, DNS, connection reset). */
export class NetworkError extends Error {}

/**
 * Send one request and return `{ status, body }`, with body the parsed JSON or `{}`.
 * HTTP errors are returned, not thrown, because each page maps statuses to its own messages.
 */
export async function apiRequest(method, path, payload) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  };
  if (method !== "GET" && method !== "HEAD") {
    // The API rejects a state-changing request without this header: a cross-site form cannot
    // send it, and a cross-site script cannot either without a CORS preflight the API refuses.
    options.headers[CSRF_HEADER] = "1";
  }
  if (payload !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(payload);
  }

  let response;
  try {
    response = await fetch(API_ROOT + path, options);
  } catch (error) {
    throw new NetworkError(error.message);
  }

  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  return { status: response.status, body };
}

/** Encode each path segment so that ids from a URL cannot change the API path. */
export function apiPath(...segments) {
  return "/" + segments.map((segment) => encodeURIComponent(segment)).join("/");
}
