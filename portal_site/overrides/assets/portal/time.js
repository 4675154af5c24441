// Forum times: the viewer's local time first, then the event's own wall-clock time and zone.

import { locale, plural, t } from "./i18n.js";

const DATE_AND_TIME = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
};
const DAY_AND_TIME = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
const TIME_ONLY = { hour: "2-digit", minute: "2-digit" };
const DAY_ONLY = { year: "numeric", month: "2-digit", day: "2-digit" };

export function viewerTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function format(instant, options, timeZone) {
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone }).format(instant);
}

/**
 * Describe a forum's start, e.g. "Wed 20 Jan 2027, 17:00 (your time) · 11:00 in America/New_York".
 * The event's date is repeated only when it differs from the viewer's date.
 */
export function describeStart(forum) {
  const start = new Date(forum.starts_at);
  const viewerZone = viewerTimeZone();
  const local = format(start, DATE_AND_TIME, viewerZone);

  let sameWallClock;
  try {
    sameWallClock = format(start, DATE_AND_TIME, forum.time_zone) === local;
  } catch (error) {
    // RangeError: the browser does not know the event's zone, so only the viewer's time is shown.
    console.warn("portal: unknown time zone", forum.time_zone, error);
    return local;
  }
  if (sameWallClock) {
    return t("time.same_zone", { local, zone: forum.time_zone });
  }

  const sameDay = format(start, DAY_ONLY, viewerZone) === format(start, DAY_ONLY, forum.time_zone);
  const event = format(start, sameDay ? TIME_ONLY : DAY_AND_TIME, forum.time_zone);
  return t("time.viewer_and_event", { local, event, zone: forum.time_zone });
}

export function describeDuration(minutes) {
  return plural("time.duration", minutes);
}

/** Label a YYYY-MM month value in the viewer's language, e.g. "March 2027". */
export function describeMonth(month) {
  const [year, monthNumber] = month.split("-").map(Number);
  const middleOfMonth = new Date(Date.UTC(year, monthNumber - 1, 15));
  return format(middleOfMonth, { month: "long", year: "numeric" }, "UTC");
}
