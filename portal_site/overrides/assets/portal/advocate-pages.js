// Parts shared by the nomination pages, the advocate's self-service pages and the admin pages
// about advocates: forms read as the JSON the API validates, 422 messages beside their fields,
// dates and lists as text, and the advocate's own pages locked without an advocate session.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { hasString, locale, plural, t } from "./i18n.js";
import { ANONYMOUS, currentPagePath, hasRole, loadSession, publishSession, SESSION_CHANGED, signInUrl } from "./session.js";

/**
 * Return the form's named controls as a JSON object. Checkboxes that carry `data-list` are
 * collected into an array of the checked values; other checkboxes become booleans; a number
 * field left empty becomes null.
 */
export function formPayload(form) {
  const payload = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.type === "submit" || control.type === "button") {
      continue;
    }
    if (control.type === "checkbox" && control.dataset.list !== undefined) {
      payload[control.name] ??= [];
      if (control.checked) {
        payload[control.name].push(control.value);
      }
    } else if (control.type === "checkbox") {
      payload[control.name] = control.checked;
    } else if (control.type === "number") {
      payload[control.name] = control.value.trim() === "" ? null : Number(control.value);
    } else {
      payload[control.name] = control.value.trim();
    }
  }
  return payload;
}

/**
 * Put each message beside its `.portal-field[data-field=NAME]` and focus the first invalid
 * control in page order. Unlike showFieldErrors, a field may hold a group of checkboxes or the
 * rows of a list. Return the messages of fields the form lacks.
 */
export function showFormErrors(form, errors) {
  clearFieldErrors(form);
  const unplaced = [];
  for (const [name, message] of Object.entries(errors ?? {})) {
    const container = form.querySelector(`.portal-field[data-field="${CSS.escape(name)}"]`);
    const slot = container?.querySelector(".portal-field-error");
    if (!slot) {
      unplaced.push(String(message));
      continue;
    }
    container.classList.add("portal-field--invalid");
    for (const control of container.querySelectorAll("input, select, textarea")) {
      control.setAttribute("aria-invalid", "true");
    }
    slot.textContent = String(message);
    slot.hidden = false;
  }
  const first = form.querySelector('[aria-invalid="true"]') ?? form.querySelector(".portal-field--invalid button");
  first?.focus();
  return unplaced;
}

/** Return the server's message for a 4xx answer, or a generic text for a 5xx or an empty body. */
export function refusalText(status, body, fallbackKey) {
  if (status >= 500) {
    return t("common.server_error");
  }
  if (status === 429) {
    return t("common.too_many_requests");
  }
  return body?.message || t(fallbackKey);
}

/**
 * Show a refused submission in `result`: a 422's messages beside their fields (also a domain
 * error that names its `field`), anything else as one message that takes the focus.
 */
export function showRejection(form, result, status, body, fallbackKey) {
  const errors = body?.errors ?? (body?.field ? { [body.field]: body.message } : null);
  result.dataset.outcome = status === 422 ? "invalid" : "error";
  if (!errors) {
    clearFieldErrors(form);
    announce(result, refusalText(status, body, fallbackKey), { focus: true });
    return;
  }
  const unplaced = showFormErrors(form, errors);
  announce(result, element("p", {}, plural("advocate_pages.fix_errors", Object.keys(errors).length)));
  result.append(...unplaced.map((text) => element("p", {}, text)));
  if (!form.querySelector('[aria-invalid="true"]')) {
    result.setAttribute("tabindex", "-1");
    result.focus();
  }
}

/** Disable the form's submit buttons while `work` runs, and mark the form busy for assistive tools. */
export async function whileSubmitting(form, work) {
  const buttons = [...form.querySelectorAll('button[type="submit"]')];
  for (const button of buttons) {
    button.disabled = true;
  }
  form.setAttribute("aria-busy", "true");
  try {
    await work();
  } finally {
    for (const button of buttons) {
      button.disabled = false;
    }
    form.removeAttribute("aria-busy");
  }
}

/** Format a calendar date "YYYY-MM-DD" without shifting it into the viewer's time zone. */
export function dayText(value, dateStyle = "long") {
  const [year, month, day] = String(value ?? "").slice(0, 10).split("-").map(Number);
  if (!year || !month || !day) {
    return String(value ?? "");
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  return new Intl.DateTimeFormat(locale(), { dateStyle, timeZone: "UTC" }).format(date);
}

/** Format a UTC instant in the viewer's time zone, such as "5 Jan 2027, 10:00". */
export function instantText(value) {
  const instant = new Date(value);
  if (!value || Number.isNaN(instant.getTime())) {
    return String(value ?? "");
  }
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(instant);
}

/** Join values as a sentence list ("A, B and C"); an empty list gives "". */
export function listText(values) {
  const items = Array.isArray(values) ? values.filter(Boolean).map(String) : [];
  return items.length ? new Intl.ListFormat(locale(), { type: "conjunction" }).format(items) : "";
}

/** Translated label of an activity type such as "reference_forum", else `fallback` or the value itself. */
export function activityLabel(value, fallback = "") {
  const key = `advocate_pages.activity_types.${value}`;
  return hasString(key) ? t(key) : fallback || String(value ?? "");
}

/** Translated advocate status such as "Active". */
export function advocateStatusText(status) {
  const key = `profile.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

/** Raised when the advocate API returns 401 or 403: the session ended or lost the advocate role. */
export class AdvocateAccessLost extends Error {
  constructor(status) {
    super(`The advocate API answered HTTP ${status}`);
    this.status = status;
  }
}

/** Send one request to the advocate API like apiRequest, but throw AdvocateAccessLost on 401 and 403. */
export async function advocateRequest(method, path, payload) {
  const response = await apiRequest(method, path, payload);
  if (response.status === 401 || response.status === 403) {
    throw new AdvocateAccessLost(response.status);
  }
  return response;
}

/**
 * Show `root` once GET /api/session reports an advocate; otherwise call `clear` and offer a
 * sign-in link in `message` that comes back to this page. Return `guarded(region, work)`, which
 * runs advocate requests and locks the page on 401/403, or null when the page stays locked.
 * The advocate API checks the session on every request, so the page only mirrors that check.
 */
export async function openAdvocatePage({ message, root, clear }) {
  let locked = false;

  function lock(session, key) {
    locked = true;
    root.hidden = true;
    clear();
    const prompt = document.createDocumentFragment();
    if (session.signed_in) {
      prompt.append(element("p", {}, t("advocate_pages.not_advocate", { email: session.email })));
    } else {
      prompt.append(element("p", {}, t(key)));
    }
    const link = element("a", { href: signInUrl(currentPagePath()), id: "advocate-sign-in" }, t("advocate_pages.sign_in"));
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
      if (error instanceof AdvocateAccessLost) {
        if (error.status === 401) {
          publishSession(ANONYMOUS);
        }
        const session = error.status === 401 ? ANONYMOUS : await loadSession().catch(() => ANONYMOUS);
        lock(session, "advocate_pages.session_ended");
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
  if (!hasRole(session, "advocate")) {
    lock(session, "advocate_pages.not_signed_in");
    return null;
  }

  message.replaceChildren();
  message.hidden = true;
  root.hidden = false;
  document.addEventListener(SESSION_CHANGED, (event) => {
    if (!hasRole(event.detail, "advocate") && !locked) {
      lock(event.detail, "advocate_pages.signed_out");
    }
  });
  return guarded;
}
