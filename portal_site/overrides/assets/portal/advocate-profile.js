// An advocate's profile, as GET /api/me/profile and GET /api/admin/advocates/{email} return it,
// written into the `[data-profile-field]` elements of a page's definition list.

import { hasString, locale, t } from "./i18n.js";

function listText(values) {
  const items = Array.isArray(values) ? values.filter(Boolean).map(String) : [];
  return items.length ? new Intl.ListFormat(locale(), { type: "conjunction" }).format(items) : "";
}

/** Format a calendar date "YYYY-MM-DD" without shifting it into the viewer's time zone. */
function dateText(value) {
  if (!value) {
    return t("profile.never_confirmed");
  }
  const [year, month, day] = String(value).slice(0, 10).split("-").map(Number);
  if (!year || !month || !day) {
    return String(value);
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" }).format(date);
}

function statusText(status) {
  const key = `profile.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

const FORMATTERS = {
  products: listText,
  activities_willing: listText,
  status: statusText,
  last_verified: dateText,
};

/**
 * Flatten the advocate's own view (GET /api/me/profile nests `profile` and `preferences`) into
 * the flat shape of the admin's view, so both fill the same fields.
 */
function flatProfile(profile) {
  const preferences = profile.preferences ?? {};
  return {
    ...preferences,
    ...(profile.profile ?? {}),
    ...profile,
    activities_willing: profile.activities_willing ?? preferences.activity_types,
  };
}

/** Fill every `[data-profile-field]` in `container`; a row whose value is empty is hidden. */
export function fillProfile(container, shown) {
  const profile = flatProfile(shown);
  for (const target of container.querySelectorAll("[data-profile-field]")) {
    const name = target.dataset.profileField;
    const format = FORMATTERS[name];
    const raw = profile[name];
    let text = "";
    if (format) {
      text = format(raw);
    } else if (raw !== null && raw !== undefined) {
      text = String(raw);
    }
    target.textContent = text;
    const row = target.closest(".portal-fact");
    if (row) {
      row.hidden = text === "";
    }
  }
  container.dataset.profileEmail = profile.email ?? "";
}

export function clearProfile(container) {
  for (const target of container.querySelectorAll("[data-profile-field]")) {
    target.textContent = "";
  }
  delete container.dataset.profileEmail;
}
