// The sales rep's reference request form. The API returns 202 with the same message whether or
// not the email goes out, and the rep confirms the request from the emailed link.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { announce } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { t } from "./i18n.js";
import { fixErrorsText, formPayload, showRejection, whileSubmitting } from "./demand-forms.js";

export async function init(root) {
  const form = root.querySelector("#reference-request-form");
  const result = root.querySelector("#reference-request-form-result");

  async function send() {
    clearFieldErrors(form);
    announce(result, t("common.loading"));
    let response;
    try {
      response = await apiRequest("POST", apiPath("reference-requests"), formPayload(form));
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      result.dataset.outcome = "error";
      announce(result, t("common.network_error"), { focus: true });
      return;
    }
    const { status, body } = response;
    if (status === 202) {
      form.reset();
      result.dataset.outcome = "sent";
      announce(result, body.message || t("request_reference.sent"), { focus: true });
      return;
    }
    if (status === 429) {
      result.dataset.outcome = "error";
      announce(result, t("common.too_many_requests"), { focus: true });
      return;
    }
    showRejection(form, result, status, body, {
      summary: fixErrorsText("request_reference.fix_errors"),
      fallback: t("request_reference.failed"),
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, send);
  });
}
