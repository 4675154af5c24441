// Parts shared by the reference request, target, activity and report pages. They read a form as
// the JSON the API validates, show a rejected submission beside its fields, describe a segment,
// and build a link that the reader can copy and send on.

import { announce, element, safeUrl } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";

export const SEGMENT_FIELDS = ["industry", "region", "product", "persona", "language"];

/** Return every named control of `form` as text (checkboxes as booleans), trimmed. */
export function formPayload(form) {
  const payload = {};
  for (const control of form.elements) {
    if (control.name) {
      payload[control.name] = control.type === "checkbox" ? control.checked : control.value.trim();
    }
  }
  return payload;
}

/** Return the server's message for a 4xx response, or the generic text for a 5xx or an empty body. */
export function refusalText(status, body, fallback) {
  if (status >= 500) {
    return t("common.server_error");
  }
  return body?.message || fallback;
}

/**
 * Show a rejected submission: a 422's messages beside their fields, with the first invalid field
 * focused, and anything else in `result`. `summary(count)` returns the text above the messages.
 */
export function showRejection(form, result, status, body, { summary, fallback }) {
  clearFieldErrors(form);
  const errors = body?.errors ?? (body?.field ? { [body.field]: body.message } : null);
  result.dataset.outcome = status === 422 ? "invalid" : "error";
  if (!errors) {
    announce(result, refusalText(status, body, fallback), { focus: true });
    return;
  }
  const unplaced = showFieldErrors(form, errors);
  announce(result, element("p", {}, summary(Object.keys(errors).length)));
  result.append(...unplaced.map((text) => element("p", {}, text)));
  if (!form.querySelector('[aria-invalid="true"]')) {
    result.setAttribute("tabindex", "-1");
    result.focus();
  }
}

/** Describe a segment such as {industry: "Healthcare", region: "EMEA"} as "Healthcare · EMEA". */
export function segmentText(values, whole) {
  const parts = SEGMENT_FIELDS.map((name) => values?.[name]).filter(Boolean);
  return parts.length > 0 ? parts.join(t("common.separator")) : whole;
}

/** Format a whole amount with the reader's digit grouping, such as 250,000. */
export function amountText(value, locale) {
  const number = Number(value ?? 0);
  return Number.isFinite(number) ? new Intl.NumberFormat(locale).format(number) : String(value ?? "");
}

/**
 * Build a read-only field holding `url` and a button that copies it. Where the clipboard is not
 * available (an http page other than localhost), the button selects the text for Ctrl+C instead.
 */
export function copyableLink(url, { label, copy, copied, selected }) {
  const href = safeUrl(url);
  const wrapper = element("div", { class: "portal-copy" });
  if (!href) {
    return wrapper;
  }
  const input = element("input", { type: "text", readonly: true, value: href, "aria-label": label, class: "portal-copy__url" });
  const button = element("button", { type: "button", class: "md-button portal-copy__button" }, copy);
  const status = element("span", { class: "portal-copy__status", role: "status", "aria-live": "polite" });
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(href);
      status.textContent = copied;
    } catch {
      input.focus();
      input.select();
      status.textContent = selected;
    }
  });
  wrapper.append(input, button, status);
  return wrapper;
}

/** Disable a form's submit button while `work` runs, and mark the form busy for assistive tools. */
export async function whileSubmitting(form, work) {
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    await work();
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

/** Return a function that builds the plural "fix N fields" summary at `key`. */
export function fixErrorsText(key) {
  return (count) => plural(key, count);
}
