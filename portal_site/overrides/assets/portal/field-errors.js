// Validation messages (HTTP 422) next to the fields of a portal form. A field is a
// `.portal-field[data-field=NAME]` holding the control and a `.portal-field-error` slot.

export function clearFieldErrors(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
  for (const slot of form.querySelectorAll(".portal-field-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const field of form.querySelectorAll(".portal-field--invalid")) {
    field.classList.remove("portal-field--invalid");
  }
}

/** Put each message next to its field, focus the first such field, and return the messages of fields the form lacks. */
export function showFieldErrors(form, errors) {
  const unplaced = [];
  for (const [name, message] of Object.entries(errors ?? {})) {
    const control = form.elements.namedItem(name);
    const container = form.querySelector(`.portal-field[data-field="${CSS.escape(name)}"]`);
    const slot = container?.querySelector(".portal-field-error");
    if (!control || !slot) {
      unplaced.push(String(message));
      continue;
    }
    control.setAttribute("aria-invalid", "true");
    container.classList.add("portal-field--invalid");
    slot.textContent = String(message);
    slot.hidden = false;
  }
  form.querySelector('[aria-invalid="true"]')?.focus();
  return unplaced;
}
