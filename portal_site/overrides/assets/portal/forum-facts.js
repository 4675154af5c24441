// Texts about one forum shared by the calendar cards and the forum, confirm and registration pages.

import { hasString, plural, t } from "./i18n.js";

/** Translated format name, else the API's English label for a format the strings file lacks. */
export function formatLabel(forum) {
  const key = `formats.${forum.format}`;
  return hasString(key) ? t(key) : forum.format_label;
}

/** Seats text: "12 seats left", "Waitlist" or "Registration closed". */
export function seatsLabel(forum) {
  if (!forum.registration_open) {
    return t("seats.closed");
  }
  if (forum.availability === "waitlist") {
    return t("seats.waitlist");
  }
  return plural("seats.left", forum.seats_left);
}

export function topicLabel(forum) {
  return [forum.industry, forum.product, forum.region, forum.language].filter(Boolean).join(t("common.separator"));
}
