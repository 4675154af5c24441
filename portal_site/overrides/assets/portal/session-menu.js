// The menu under the header on every page. Visitors see a "Sign in" link. A signed-in person
// sees their name, links to their account and, for admins, the admin page, and a sign-out button.

import { NetworkError } from "./api.js";
import { announce, element, siteUrl } from "./dom.js";
import { t } from "./i18n.js";
import { currentPagePath, hasRole, loadSession, SESSION_CHANGED, signInUrl, signOut, sitePath } from "./session.js";

// Signing in from these pages would only come back to them, so their link has no `next`.
const SIGN_IN_PAGES = ["sign-in/", "sign-in/confirm/"];

function signInLink() {
  const here = window.location.pathname;
  const onSignInPage = SIGN_IN_PAGES.some((page) => sitePath(page) === here);
  const href = signInUrl(onSignInPage ? "" : currentPagePath());
  return element("a", { href, id: "session-sign-in" }, t("session.sign_in"));
}

function signedInItems(session, signOutButton) {
  const items = [
    element("span", { id: "session-name" }, session.name || session.email),
    element("a", { href: siteUrl("account/"), id: "session-account" }, t("session.account")),
  ];
  if (hasRole(session, "admin")) {
    items.push(element("a", { href: siteUrl("admin/"), id: "session-admin" }, t("session.admin")));
  }
  items.push(signOutButton);
  return items;
}

export async function initSessionMenu(menu) {
  const status = element("span", { id: "session-menu-status", class: "portal-session-menu__status", role: "status" });
  status.hidden = true;

  function render(session) {
    const list = element("ul", { class: "portal-session-menu__items" });
    if (session.signed_in) {
      const button = element("button", { type: "button", id: "session-sign-out", class: "portal-session-menu__button" }, t("session.sign_out"));
      button.addEventListener("click", () => pressSignOut(button));
      list.append(...signedInItems(session, button).map((item) => element("li", {}, item)));
    } else {
      list.append(element("li", {}, signInLink()));
    }
    status.hidden = true;
    menu.dataset.signedIn = String(session.signed_in);
    menu.replaceChildren(list, status);
    menu.hidden = false;
  }

  async function pressSignOut(button) {
    button.disabled = true;
    let signedOut = false;
    try {
      signedOut = await signOut();
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
    }
    if (signedOut) {
      // render() ran from the SESSION_CHANGED event, so the sign-in link is there to focus.
      menu.querySelector("#session-sign-in")?.focus();
      return;
    }
    button.disabled = false;
    announce(status, t("session.sign_out_failed"));
  }

  menu.setAttribute("aria-label", t("session.menu_label"));
  document.addEventListener(SESSION_CHANGED, (event) => render(event.detail));

  try {
    render(await loadSession());
  } catch (error) {
    // Without a session response the menu stays hidden rather than offer a sign-in to someone signed in.
    console.warn("portal: session could not be loaded", error);
  }
}
