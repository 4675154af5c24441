// The self-nomination page. The API returns 202 with the same message whether or not the person
// is known, and the nomination reaches the advocacy team only once its emailed link is confirmed.

import { apiRequest, NetworkError } from "./api.js";
import { showRejection, whileSubmitting, formPayload } from "./advocate-pages.js";
import { announce } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { t } from "./i18n.js";

/**
 * Send `form` to the nomination endpoint at `path` on submit and show the answer in `result`.
 * `keys` names the strings of the sent and failed messages.
 */
export function bindNominationForm(form, result, path, keys) {
  async function send() {
    clearFieldErrors(form);
    delete result.dataset.outcome;
    announce(result, t("common.loading"));
    let response;
    try {
      response = await apiRequest("POST", path, formPayload(form));
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
      announce(result, body.message || t(keys.sent), { focus: true });
      return;
    }
    showRejection(form, result, status, body, keys.failed);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, send);
  });
}

export function init(root) {
  bindNominationForm(root.querySelector("#nominate-form"), root.querySelector("#nominate-result"), "/nominations", {
    sent: "nominate.sent",
    failed: "nominate.failed",
  });
}
