// The admin's form to record an activity beyond the portal's forums, such as a reference call or
// a case study, so caps, rewards and influenced revenue count it.

import { apiPath } from "./api.js";
import { adminRequest, openAdminPage } from "./admin-access.js";
import { announce } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { t } from "./i18n.js";
import { fixErrorsText, formPayload, showRejection, whileSubmitting } from "./demand-forms.js";

export async function init(root) {
  const message = document.querySelector("#admin-activities-message");
  const form = root.querySelector("#activity-form");
  const result = root.querySelector("#activity-form-result");

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      form.reset();
      result.replaceChildren();
      result.hidden = true;
    },
  });
  if (!guarded) {
    return;
  }

  async function record() {
    clearFieldErrors(form);
    announce(result, t("common.loading"));
    const payload = formPayload(form);
    const { status, body } = await adminRequest("POST", apiPath("admin", "activities"), payload);
    if (status === 201 || status === 200) {
      const kind = form.elements.namedItem("activity_type");
      const values = { activity: kind.selectedOptions[0]?.textContent ?? payload.activity_type, advocate: payload.advocate, date: payload.occurred_on };
      result.dataset.outcome = status === 201 ? "recorded" : "already_recorded";
      announce(result, status === 201 ? t("admin_activities.recorded", values) : t("admin_activities.already_recorded", values), { focus: true });
      if (status === 201) {
        form.reset();
      }
      return;
    }
    showRejection(form, result, status, body, {
      summary: fixErrorsText("admin_activities.fix_errors"),
      fallback: t("admin_activities.failed"),
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, () => guarded(result, record));
  });
}
