// Points, instants and labels of the rewards API, written the same way on the advocate's and
// the admin's rewards pages. Both pages load content/assets/strings/rewards.json, whose
// "rewards" section contains the labels used here.

import { hasString, locale, plural, t } from "./i18n.js";

/** Format a whole number of points for the viewer's locale, such as "1,500". */
export function numberText(value) {
  return new Intl.NumberFormat(locale()).format(Number(value ?? 0));
}

/** Format a signed change of points with its sign, such as "+300" or "−250". */
export function signedPointsText(value) {
  return new Intl.NumberFormat(locale(), { signDisplay: "exceptZero" }).format(Number(value ?? 0));
}

/** Format an amount of points with its unit, such as "1 point" or "300 points". */
export function pointsText(value) {
  return plural("rewards.points", Number(value ?? 0));
}

/** Format an API instant (UTC, ISO 8601) as the viewer's local date and time, or "" when it is missing. */
export function instantText(value) {
  if (!value) {
    return "";
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) {
    return String(value);
  }
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(instant);
}

/** Return the translated ledger entry kind, or the API's English label when the strings lack the kind. */
export function entryKindText(entry) {
  const key = `rewards.kinds.${entry.kind}`;
  return hasString(key) ? t(key) : String(entry.kind_label ?? entry.kind ?? "");
}

/** Return the translated redemption status, or the API's English label when the strings lack the status. */
export function redemptionStatusText(redemption) {
  const key = `rewards.statuses.${redemption.status}`;
  return hasString(key) ? t(key) : String(redemption.status_label ?? redemption.status ?? "");
}

/**
 * Return what a ledger entry was for. A refund's description lacks the decline note, so the
 * note is added. An adjustment's description already contains its reason.
 */
export function entryPurposeText(entry) {
  const description = String(entry.description ?? "");
  if (entry.reason && !description.includes(entry.reason)) {
    return `${description}\n${t("rewards.reason", { reason: entry.reason })}`;
  }
  return description;
}

/**
 * Create a random request id (32 hexadecimal digits) for one press of a redeem button, so that
 * the API books a resent request once.
 */
export function newRequestId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
