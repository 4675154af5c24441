// The advocate's personal data: a download of everything held about them, and erasure of their
// account after they type their own address. The API compares the typed address with the
// session's, erases, and expires the session cookie.

import { advocateRequest, openAdvocatePage, showRejection, whileSubmitting } from "./advocate-pages.js";
import { announce, element, siteUrl } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { t } from "./i18n.js";
import { ANONYMOUS, loadSession, publishSession } from "./session.js";

export async function init(root) {
  const message = document.querySelector("#account-data-message");
  const form = root.querySelector("#erase-form");
  const result = root.querySelector("#erase-result");
  const ownEmail = root.querySelector("#erase-own-email");

  const guarded = await openAdvocatePage({
    message,
    root,
    clear() {
      form.reset();
      ownEmail.textContent = "";
      result.hidden = true;
    },
  });
  if (!guarded) {
    return;
  }
  const session = await loadSession();
  ownEmail.textContent = session.email;

  async function erase() {
    clearFieldErrors(form);
    const typed = form.elements.namedItem("confirm_email").value.trim();
    announce(result, t("account_data.erasing"));
    const { status, body } = await advocateRequest("POST", "/me/erasure", { confirm_email: typed });
    if (status === 200 && body.erased) {
      // The session ended with the erasure. Telling the page and the header menu locks the
      // page, so the outcome replaces the sign-in prompt that the lock shows.
      publishSession(ANONYMOUS);
      const done = document.createDocumentFragment();
      done.append(
        element("p", {}, body.message || t("account_data.erased")),
        element("p", {}, element("a", { href: siteUrl(""), id: "erased-home-link" }, t("account_data.home"))),
      );
      message.dataset.outcome = "erased";
      announce(message, done, { focus: true });
      return;
    }
    showRejection(form, result, status, body, "account_data.erase_failed");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, () => guarded(result, erase));
  });
}
