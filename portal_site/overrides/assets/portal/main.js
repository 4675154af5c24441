// Entry point on every page: load the translated strings, then start the session menu and the
// script of each page whose root element is present.

import { initAccount } from "./account.js";
import { initAdmin } from "./admin.js";
import { initAdminForum } from "./admin-forum.js";
import { initAdminForums } from "./admin-forums.js";
import { initCalendar } from "./calendar.js";
import { initConfirm } from "./confirm.js";
import { initFeedback } from "./feedback.js";
import { initForum } from "./forum.js";
import { loadStrings } from "./i18n.js";
import { initRegistration } from "./registration.js";
import { initSessionMenu } from "./session-menu.js";
import { initSignIn } from "./sign-in.js";
import { initSignInConfirm } from "./sign-in-confirm.js";

const PAGES = [
  ["#session-menu", initSessionMenu],
  ["#forum-calendar", initCalendar],
  ["#forum-detail", initForum],
  ["#confirm-panel", initConfirm],
  ["#registration-detail", initRegistration],
  ["#sign-in-panel", initSignIn],
  ["#sign-in-confirm-panel", initSignInConfirm],
  ["#account-panel", initAccount],
  ["#admin-panel", initAdmin],
  ["#admin-forums-panel", initAdminForums],
  ["#admin-forum-panel", initAdminForum],
  ["#feedback-panel", initFeedback],
];

// A page may also name its script in the root element, as data-portal-module="admin-reports";
// the module is then loaded from this folder and its exported init(root) runs. New pages need
// no change here.
const MODULE_NAME = /^[a-z0-9-]+$/;

async function startModule(root) {
  const name = root.dataset.portalModule;
  if (!MODULE_NAME.test(name)) {
    console.error("portal: invalid module name", name);
    return;
  }
  const module = await import(`./${name}.js`);
  await module.init(root);
}

async function start() {
  const pages = PAGES.filter(([selector]) => document.querySelector(selector));
  const modules = [...document.querySelectorAll("[data-portal-module]")];
  if (pages.length === 0 && modules.length === 0) {
    return;
  }
  await loadStrings();
  // Side by side, so a slow session request does not hold up the page's own script.
  await Promise.all([
    ...pages.map(([selector, init]) => init(document.querySelector(selector))),
    ...modules.map(startModule),
  ]);
}

start();
