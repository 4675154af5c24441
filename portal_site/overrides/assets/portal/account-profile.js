// The advocate's profile and participation preferences: edit the profile, choose activity
// types, a cap per quarter, blackout date ranges and a pause, and confirm that the profile is
// still right. Every request reads and changes only the signed-in advocate's own record.

import {
  advocateRequest,
  advocateStatusText,
  dayText,
  formPayload,
  listText,
  openAdvocatePage,
  refusalText,
  showRejection,
  whileSubmitting,
} from "./advocate-pages.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { t } from "./i18n.js";

const PROFILE_FIELDS = ["title", "company", "industry", "region", "country", "time_zone", "story"];
const PROFILE_LISTS = ["products", "use_cases", "languages"];

// Roster exports name activity types in words ("1:1 call"); these are the words the roster import
// keeps as they are. NOTE: a copy of ACTIVITY_LABELS in advocacy.domain.advocates, used only to
// tick the right boxes; the API could return the activity types already normalized instead.
const ROSTER_LABELS = {
  "reference forum": "reference_forum",
  "limited group": "limited_group_event",
  "limited group event": "limited_group_event",
  "1:1 call": "one_to_one_call",
  "one-to-one call": "one_to_one_call",
  "case study": "case_study",
  speaking: "speaking",
  "review site": "review",
  review: "review",
  "advisory board": "advisory_board",
  press: "press",
};

function activityCode(value) {
  const words = String(value).trim().toLowerCase().replace(/_/g, " ").split(/\s+/).join(" ");
  return ROSTER_LABELS[words] ?? words.replace(/ /g, "_");
}

/** Return the blackout ranges as "first/last" texts, as the API reads them. */
function blackoutRanges(list) {
  const ranges = [];
  for (const row of list.querySelectorAll("li")) {
    const [first, last] = row.querySelectorAll('input[type="date"]');
    // A row left empty is skipped; a half-filled one goes to the API, which names the problem.
    if (first.value || last.value) {
      ranges.push(`${first.value}/${last.value || first.value}`);
    }
  }
  return ranges;
}

export async function init(root) {
  const message = document.querySelector("#account-profile-message");
  const status = root.querySelector("#account-profile-status");
  const freshness = root.querySelector("#profile-freshness");
  const staleNotice = root.querySelector("#profile-stale");
  const confirmButton = root.querySelector("#confirm-profile");
  const confirmResult = root.querySelector("#confirm-profile-result");
  const profileForm = root.querySelector("#profile-form");
  const profileResult = root.querySelector("#profile-result");
  const preferencesForm = root.querySelector("#preferences-form");
  const preferencesResult = root.querySelector("#preferences-result");
  const blackoutList = root.querySelector("#blackout-list");
  const blackoutsEmpty = root.querySelector("#blackouts-empty");
  const addBlackout = root.querySelector("#add-blackout");
  const unknownActivities = root.querySelector("#preferences-unknown-activities");
  let blackoutNumber = 0;

  function clear() {
    profileForm.reset();
    preferencesForm.reset();
    blackoutList.replaceChildren();
    freshness.hidden = true;
    for (const region of [status, confirmResult, profileResult, preferencesResult]) {
      region.replaceChildren();
      region.hidden = true;
    }
  }

  function refreshBlackoutLabels() {
    const rows = [...blackoutList.querySelectorAll("li")];
    rows.forEach((row, index) => {
      row.querySelector("button").setAttribute("aria-label", t("account_profile.remove_blackout_label", { number: index + 1 }));
    });
    blackoutsEmpty.hidden = rows.length > 0;
  }

  function blackoutRow(firstDay = "", lastDay = "") {
    blackoutNumber += 1;
    const firstId = `blackout-${blackoutNumber}-first`;
    const lastId = `blackout-${blackoutNumber}-last`;
    const first = element("input", { type: "date", id: firstId, value: firstDay, required: true });
    const last = element("input", { type: "date", id: lastId, value: lastDay, required: true });
    // The last day cannot come before the first, so the picker starts from it.
    first.addEventListener("change", () => {
      last.min = first.value;
      if (!last.value || last.value < first.value) {
        last.value = first.value;
      }
    });
    last.min = firstDay;
    const remove = element("button", { type: "button", class: "md-button portal-button-small" }, t("account_profile.remove_blackout"));
    const row = element(
      "li",
      { class: "portal-blackout" },
      element("span", { class: "portal-blackout__day" }, element("label", { for: firstId }, t("account_profile.blackout_from")), first),
      element("span", { class: "portal-blackout__day" }, element("label", { for: lastId }, t("account_profile.blackout_to")), last),
      remove,
    );
    remove.addEventListener("click", () => {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      refreshBlackoutLabels();
      (next?.querySelector("input") ?? addBlackout).focus();
    });
    return row;
  }

  function showFreshness(body) {
    root.querySelector("#profile-last-verified").textContent = body.last_verified
      ? dayText(body.last_verified)
      : t("account_profile.never_confirmed");
    root.querySelector("#profile-status").textContent = advocateStatusText(body.status);
    staleNotice.textContent = body.last_verified
      ? t("account_profile.stale", { date: dayText(body.last_verified), days: body.stale_after_days })
      : t("account_profile.never_confirmed_stale");
    staleNotice.hidden = !body.stale;
    freshness.hidden = false;
  }

  function fillProfileForm(body) {
    const profile = body.profile ?? {};
    profileForm.elements.namedItem("first_name").value = body.first_name ?? "";
    profileForm.elements.namedItem("last_name").value = body.last_name ?? "";
    for (const name of PROFILE_FIELDS) {
      profileForm.elements.namedItem(name).value = profile[name] ?? "";
    }
    for (const name of PROFILE_LISTS) {
      profileForm.elements.namedItem(name).value = (profile[name] ?? []).join(", ");
    }
  }

  function fillPreferencesForm(body) {
    const preferences = body.preferences ?? {};
    const boxes = [...preferencesForm.querySelectorAll('input[name="activity_types"]')];
    const offered = new Set(boxes.map((box) => box.value));
    const chosen = new Set();
    const unknown = [];
    for (const value of preferences.activity_types ?? []) {
      const code = activityCode(value);
      if (offered.has(code)) {
        chosen.add(code);
      } else {
        unknown.push(value);
      }
    }
    for (const box of boxes) {
      box.checked = chosen.has(box.value);
    }
    unknownActivities.textContent = t("account_profile.unknown_activities", { activities: listText(unknown) });
    unknownActivities.hidden = unknown.length === 0;

    const cap = preferences.max_activities_per_quarter;
    preferencesForm.elements.namedItem("max_activities_per_quarter").value = cap === null || cap === undefined ? "" : String(cap);
    blackoutList.replaceChildren(...(preferences.blackouts ?? []).map((range) => blackoutRow(range.first_day, range.last_day)));
    refreshBlackoutLabels();
    preferencesForm.elements.namedItem("paused").checked = preferences.paused === true;
  }

  function show(body) {
    showFreshness(body);
    fillProfileForm(body);
    fillPreferencesForm(body);
  }

  const guarded = await openAdvocatePage({ message, root, clear });
  if (!guarded) {
    return;
  }

  async function load() {
    announce(status, t("common.loading"));
    const { status: code, body } = await advocateRequest("GET", "/me/profile");
    if (code !== 200) {
      status.dataset.outcome = "error";
      announce(status, refusalText(code, body, "account_profile.load_failed"));
      return;
    }
    status.hidden = true;
    show(body);
  }

  async function saveProfile() {
    clearFieldErrors(profileForm);
    announce(profileResult, t("common.loading"));
    const { status: code, body } = await advocateRequest("PUT", "/me/profile", formPayload(profileForm));
    if (code === 200) {
      show(body);
      profileResult.dataset.outcome = "saved";
      announce(profileResult, t("account_profile.profile_saved"), { focus: true });
      return;
    }
    showRejection(profileForm, profileResult, code, body, "account_profile.save_failed");
  }

  async function savePreferences() {
    clearFieldErrors(preferencesForm);
    announce(preferencesResult, t("common.loading"));
    const payload = formPayload(preferencesForm);
    payload.blackouts = blackoutRanges(blackoutList);
    const { status: code, body } = await advocateRequest("PUT", "/me/preferences", payload);
    if (code === 200) {
      show(body);
      preferencesResult.dataset.outcome = "saved";
      const key = body.preferences?.paused ? "account_profile.preferences_saved_paused" : "account_profile.preferences_saved";
      announce(preferencesResult, t(key), { focus: true });
      return;
    }
    showRejection(preferencesForm, preferencesResult, code, body, "account_profile.save_failed");
  }

  async function confirmProfile() {
    announce(confirmResult, t("common.loading"));
    const { status: code, body } = await advocateRequest("POST", "/me/profile/confirm");
    if (code === 200) {
      showFreshness(body);
      confirmResult.dataset.outcome = "confirmed";
      announce(confirmResult, t("account_profile.confirmed", { date: dayText(body.last_verified) }), { focus: true });
      return;
    }
    confirmResult.dataset.outcome = "error";
    announce(confirmResult, refusalText(code, body, "account_profile.confirm_failed"), { focus: true });
  }

  profileForm.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(profileForm, () => guarded(profileResult, saveProfile));
  });
  preferencesForm.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(preferencesForm, () => guarded(preferencesResult, savePreferences));
  });
  addBlackout.addEventListener("click", () => {
    const row = blackoutRow();
    blackoutList.append(row);
    refreshBlackoutLabels();
    row.querySelector("input").focus();
  });
  confirmButton.addEventListener("click", async () => {
    confirmButton.disabled = true;
    await guarded(confirmResult, confirmProfile);
    confirmButton.disabled = false;
  });

  // Offer every zone the browser knows in place of the page's short list.
  if (typeof Intl.supportedValuesOf === "function") {
    const options = Intl.supportedValuesOf("timeZone").map((zone) => element("option", { value: zone }));
    root.querySelector("#profile-time-zone-options").replaceChildren(...options);
  }

  await guarded(status, load);
}
