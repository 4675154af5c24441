// Entry point on every page: load the translated strings, then start the script of the page
// whose root element is present.

import { initCalendar } from "./calendar.js";
import { initConfirm } from "./confirm.js";
import { initForum } from "./forum.js";
import { loadStrings } from "./i18n.js";
import { initRegistration } from "./registration.js";

const PAGES = [
  ["#forum-calendar", initCalendar],
  ["#forum-detail", initForum],
  ["#confirm-panel", initConfirm],
  ["#registration-detail", initRegistration],
];

async function start() {
  const pages = PAGES.filter(([selector]) => document.querySelector(selector));
  if (pages.length === 0) {
    return;
  }
  await loadStrings();
  for (const [selector, init] of pages) {
    await init(document.querySelector(selector));
  }
}

start();
