// The account page: who is signed in, an advocate's own profile, and signing out here or on
// every device. A visitor who is not signed in gets a link to sign in and come back.

import { apiRequest, NetworkError } from "./api.js";
import { clearProfile, fillProfile } from "./advocate-profile.js";
import { announce, element } from "./dom.js";
import { t } from "./i18n.js";
import { hasRole, loadSession, SESSION_CHANGED, signInUrl, signOut, sitePath } from "./session.js";

function rolesText(roles) {
  return roles.map((role) => t(`roles.${role}`)).join(t("common.separator"));
}

function signInPrompt(messageKey) {
  const fragment = document.createDocumentFragment();
  const link = element("a", { href: signInUrl(sitePath("account/")), id: "account-sign-in" }, t("account.sign_in"));
  fragment.append(element("p", {}, t(messageKey)), element("p", {}, link));
  return fragment;
}

async function loadProfile(section, status) {
  const facts = section.querySelector("[data-profile]");
  announce(status, t("common.loading"));
  let response;
  try {
    response = await apiRequest("GET", "/me/profile");
  } catch (error) {
    if (!(error instanceof NetworkError)) {
      throw error;
    }
    announce(status, t("common.network_error"));
    return;
  }
  if (response.status === 200) {
    fillProfile(facts, response.body);
    status.hidden = true;
    section.hidden = false;
    return;
  }
  // 401 or 403: the session ended or lost the advocate role since the page asked.
  announce(status, response.status >= 500 ? t("common.server_error") : t("account.profile_failed"));
}

export async function initAccount(root) {
  const message = document.querySelector("#account-message");
  const profileSection = root.querySelector("#advocate-profile");
  const profileStatus = root.querySelector("#profile-status");
  const signOutButton = root.querySelector("#sign-out");
  const everywhereButton = root.querySelector("#sign-out-everywhere");

  function showSignedOut(messageKey) {
    root.hidden = true;
    profileSection.hidden = true;
    clearProfile(profileSection);
    for (const target of root.querySelectorAll("[data-account-field]")) {
      target.textContent = "";
    }
    message.dataset.outcome = "signed_out";
    announce(message, signInPrompt(messageKey), { focus: messageKey === "account.signed_out" });
  }

  // True while this page's own buttons sign out, so the SESSION_CHANGED listener leaves the
  // message to pressSignOut.
  let signingOut = false;

  async function pressSignOut(everywhere) {
    signingOut = true;
    signOutButton.disabled = true;
    everywhereButton.disabled = true;
    let signedOut = false;
    try {
      signedOut = await signOut({ everywhere });
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      message.dataset.outcome = "error";
      announce(message, t("common.network_error"), { focus: true });
    }
    signingOut = false;
    signOutButton.disabled = false;
    everywhereButton.disabled = false;
    if (signedOut) {
      showSignedOut(everywhere ? "account.signed_out_everywhere" : "account.signed_out");
    } else if (message.dataset.outcome !== "error") {
      message.dataset.outcome = "error";
      announce(message, t("session.sign_out_failed"), { focus: true });
    }
  }

  announce(message, t("common.loading"));
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    message.dataset.outcome = "error";
    announce(message, error instanceof NetworkError ? t("common.network_error") : t("common.server_error"));
    return;
  }
  if (!session.signed_in) {
    showSignedOut("account.not_signed_in");
    return;
  }

  root.querySelector('[data-account-field="name"]').textContent = session.name || session.email;
  root.querySelector('[data-account-field="email"]').textContent = session.email;
  root.querySelector('[data-account-field="roles"]').textContent = rolesText(session.roles);
  root.querySelector("#account-admin-link").hidden = !hasRole(session, "admin");
  message.hidden = true;
  root.hidden = false;

  signOutButton.addEventListener("click", () => pressSignOut(false));
  everywhereButton.addEventListener("click", () => pressSignOut(true));
  // The header menu's sign-out button signs out too; this page then hides what it showed.
  document.addEventListener(SESSION_CHANGED, (event) => {
    if (!event.detail.signed_in && !signingOut) {
      showSignedOut("account.signed_out");
    }
  });

  if (hasRole(session, "advocate")) {
    await loadProfile(profileSection, profileStatus);
  }
}
