// The admin directory of advocates: filters by attributes, status and availability on a date,
// each advocate with when they last helped and how fresh their profile is; and the stale
// profiles that the review job asks advocates to check.

import { adminRequest, errorText, openAdminPage } from "./admin-access.js";
import { activityLabel, advocateStatusText, dayText, instantText, listText, showFormErrors } from "./advocate-pages.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { locale, plural, t } from "./i18n.js";

const FILTERS = ["industry", "product", "region", "persona", "language", "activity_type", "status", "available_on"];

function cells(values) {
  return values.map((value, index) =>
    index === 0 ? element("th", { scope: "row" }, ...value) : element("td", {}, ...(Array.isArray(value) ? value : [value ?? ""])),
  );
}

function freshnessCell(advocate) {
  const confirmed = advocate.last_verified ? dayText(advocate.last_verified, "medium") : t("admin_advocates.never_confirmed");
  if (!advocate.stale) {
    return [confirmed];
  }
  return [confirmed, " ", element("span", { class: "portal-badge portal-badge--warn" }, t("admin_advocates.stale"))];
}

function availabilityCell(availability) {
  if (availability.available) {
    return [element("span", { class: "portal-badge portal-badge--ok" }, t("admin_advocates.available"))];
  }
  const reasons = (availability.reasons ?? []).map((reason) => element("li", {}, reason));
  return [element("span", { class: "portal-badge portal-badge--warn" }, t("admin_advocates.not_available")), element("ul", { class: "portal-plain-list" }, ...reasons)];
}

function advocateRow(advocate, withAvailability) {
  const profile = advocate.profile ?? {};
  const preferences = advocate.preferences ?? {};
  const place = [profile.region, profile.country].filter(Boolean).join(t("common.separator"));
  const values = [
    [advocate.name || advocate.email, element("br"), element("span", { class: "portal-match__email" }, advocate.email)],
    profile.company,
    profile.industry,
    place,
    listText(profile.products),
    listText(profile.languages),
    profile.persona,
    listText((preferences.activity_types ?? []).map(activityLabel)),
    advocateStatusText(advocate.status),
    advocate.last_activity_at ? instantText(advocate.last_activity_at) : t("admin_advocates.never_helped"),
    freshnessCell(advocate),
  ];
  if (withAvailability) {
    values.push(availabilityCell(advocate.availability ?? { available: false, reasons: [] }));
  }
  return element("tr", { "data-email": advocate.email, "data-status": advocate.status }, ...cells(values));
}

function staleRow(profile) {
  return element(
    "tr",
    { "data-email": profile.email },
    ...cells([
      [profile.name || profile.email],
      profile.email,
      profile.company,
      advocateStatusText(profile.status),
      profile.last_verified ? dayText(profile.last_verified, "medium") : t("admin_advocates.never_confirmed"),
      profile.days_since_verified === null || profile.days_since_verified === undefined
        ? ""
        : new Intl.NumberFormat(locale()).format(profile.days_since_verified),
      profile.review_requested_at ? instantText(profile.review_requested_at) : t("admin_advocates.not_asked"),
    ]),
  );
}

export async function init(root) {
  const message = document.querySelector("#admin-advocates-message");
  const filters = root.querySelector("#advocate-filters");
  const statusText = root.querySelector("#directory-status-text");
  const tableBody = root.querySelector("#advocates-table tbody");
  const availabilityColumn = root.querySelector("#availability-column");
  const staleStatus = root.querySelector("#stale-status");
  const staleBody = root.querySelector("#stale-profiles-table tbody");
  const staleEmpty = root.querySelector("#stale-empty");
  let latestSearch = 0;

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      tableBody.replaceChildren();
      staleBody.replaceChildren();
      for (const region of [statusText, staleStatus]) {
        region.replaceChildren();
        region.hidden = true;
      }
    },
  });
  if (!guarded) {
    return;
  }

  function query() {
    const values = new URLSearchParams();
    for (const name of FILTERS) {
      const value = filters.elements.namedItem(name).value.trim();
      if (value) {
        values.set(name, value);
      }
    }
    return values;
  }

  async function search() {
    const requestNumber = ++latestSearch;
    const values = query();
    const url = new URL(window.location.href);
    url.search = values.toString();
    window.history.replaceState(null, "", url);

    clearFieldErrors(filters);
    announce(statusText, t("common.loading"));
    const { status, body } = await adminRequest("GET", `/admin/advocates${values.size ? `?${values}` : ""}`);
    if (requestNumber !== latestSearch) {
      return;
    }
    if (status === 422 && body.errors) {
      tableBody.replaceChildren();
      const unplaced = showFormErrors(filters, body.errors);
      statusText.dataset.outcome = "invalid";
      announce(statusText, [t("admin_advocates.check_filters"), ...unplaced].join(" "));
      return;
    }
    if (status !== 200) {
      tableBody.replaceChildren();
      statusText.dataset.outcome = "error";
      announce(statusText, errorText(status, body, "admin_advocates.load_failed"));
      return;
    }
    const withAvailability = values.has("available_on");
    const advocates = (Array.isArray(body.advocates) ? body.advocates : []).sort((left, right) =>
      String(left.name || left.email).localeCompare(String(right.name || right.email), locale()),
    );
    availabilityColumn.hidden = !withAvailability;
    tableBody.replaceChildren(...advocates.map((advocate) => advocateRow(advocate, withAvailability)));
    delete statusText.dataset.outcome;
    const date = withAvailability ? dayText(values.get("available_on")) : "";
    announce(statusText, plural(withAvailability ? "admin_advocates.count_available" : "admin_advocates.count", advocates.length, { date }));
  }

  async function loadStale() {
    announce(staleStatus, t("common.loading"));
    const { status, body } = await adminRequest("GET", "/admin/stale-profiles");
    if (status !== 200) {
      staleStatus.dataset.outcome = "error";
      announce(staleStatus, errorText(status, body, "admin_advocates.stale_failed"));
      return;
    }
    const profiles = Array.isArray(body.profiles) ? body.profiles : [];
    root.querySelector("#stale-summary").textContent = t("admin_advocates.stale_summary", { days: body.stale_after_days });
    staleBody.replaceChildren(...profiles.map(staleRow));
    staleEmpty.hidden = profiles.length > 0;
    staleStatus.hidden = true;
  }

  // Filters in the address survive a reload and can be shared with the team.
  const given = new URLSearchParams(window.location.search);
  for (const name of FILTERS) {
    if (given.has(name)) {
      filters.elements.namedItem(name).value = given.get(name);
    }
  }
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(statusText, search);
  });
  filters.addEventListener("reset", () => {
    // The reset event fires before the fields are cleared.
    setTimeout(() => guarded(statusText, search), 0);
  });

  await Promise.all([guarded(statusText, search), guarded(staleStatus, loadStale)]);
}
