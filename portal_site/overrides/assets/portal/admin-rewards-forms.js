// Forms of the admin rewards page: their payload, and why the API rejected one. The API's 422
// `errors` (or a 409 that names one `field`) go next to their fields, and everything else into
// the form's result region.

import { errorText } from "./admin-access.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";

/** Return the trimmed value of each named control of `form`, and `checked` for checkboxes. */
export function formPayload(form) {
  const payload = {};
  for (const control of form.elements) {
    if (control.name) {
      payload[control.name] = control.type === "checkbox" ? control.checked : control.value.trim();
    }
  }
  return payload;
}

/**
 * Show why the API rejected `form`, then move the focus to the first invalid field, or to
 * `result` when no field of the form is named. `fallbackKey` is the strings key used when the
 * response carries no message.
 */
export function showRejection(form, result, httpStatus, body, fallbackKey) {
  clearFieldErrors(form);
  const errors = body.errors ?? (body.field ? { [body.field]: body.message } : null);
  result.dataset.outcome = httpStatus === 422 ? "invalid" : "error";
  if (!errors) {
    announce(result, errorText(httpStatus, body, fallbackKey), { focus: true });
    return;
  }
  const unplaced = showFieldErrors(form, errors);
  const placed = Object.keys(errors).length - unplaced.length;
  const content = document.createDocumentFragment();
  if (placed > 0) {
    content.append(element("p", {}, plural("admin_rewards.fix_errors", placed)));
  }
  content.append(...unplaced.map((text) => element("p", {}, text)));
  announce(result, content);
  if (!form.querySelector('[aria-invalid="true"]')) {
    result.setAttribute("tabindex", "-1");
    result.focus();
  }
}
