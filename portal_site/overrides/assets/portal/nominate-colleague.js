// The employees' nomination page. The API checks that the nominator's address is in one of the
// company's domains and names the field when it is not; the employee confirms by email.

import { bindNominationForm } from "./nominate.js";

export function init(root) {
  bindNominationForm(
    root.querySelector("#nominate-colleague-form"),
    root.querySelector("#nominate-colleague-result"),
    "/nominations/internal",
    { sent: "nominate_colleague.sent", failed: "nominate_colleague.failed" },
  );
}
