// The calendar page: filter selects built from the API's option lists, one card per forum, and
// a link to the same selection as an iCalendar feed that calendar apps subscribe to.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element, siteUrl } from "./dom.js";
import { formatLabel, seatsLabel, topicLabel } from "./forum-facts.js";
import { plural, t } from "./i18n.js";
import { describeMonth, describeStart } from "./time.js";

const FILTER_NAMES = ["industry", "product", "region", "language", "format", "month"];
// The feed takes the same filters as GET /api/forums.
const FEED_PATH = "/api/calendar.ics";

/** Normalise an option list entry: the API sends plain strings, or {value, label} for formats. */
function asOption(entry) {
  return typeof entry === "object" && entry !== null ? entry : { value: entry, label: entry };
}

function fillSelect(select, entries, selected) {
  const keep = select.querySelector('option[value=""]');
  const options = entries.map(asOption);
  if (selected && !options.some((option) => option.value === selected)) {
    options.push({ value: selected, label: selected });
  }
  select.replaceChildren(keep, ...options.map((option) => element("option", { value: option.value }, option.label)));
  select.value = selected;
}

function monthOptions(data) {
  const months = Array.isArray(data.filters?.month) ? data.filters.month : [];
  return months.map((month) => ({ value: month, label: describeMonth(month) }));
}

function subscribeNote() {
  const link = element("a", { id: "calendar-subscribe", href: FEED_PATH, type: "text/calendar" }, t("calendar.subscribe"));
  return element("p", { id: "calendar-subscribe-note", class: "portal-subscribe" }, link, " ", t("calendar.subscribe_help"));
}

function forumCard(forum) {
  const link = element("a", { href: siteUrl(`forum/?id=${encodeURIComponent(forum.forum_id)}`) }, forum.title);
  const seats = element(
    "p",
    { class: "forum-card__seats", "data-seats-left": forum.seats_left, "data-availability": forum.availability },
    seatsLabel(forum),
  );
  const topics = topicLabel(forum);
  return element(
    "li",
    { class: "forum-card", "data-forum-id": forum.forum_id, "data-format": forum.format },
    element("h2", { class: "forum-card__title" }, link),
    element("p", { class: "forum-card__format" }, formatLabel(forum)),
    element("p", { class: "forum-card__time" }, describeStart(forum)),
    seats,
    topics ? element("p", { class: "forum-card__topics" }, topics) : null,
  );
}

export async function initCalendar(root) {
  const form = root.querySelector("#calendar-filters");
  const list = root.querySelector("#forum-list");
  const status = root.querySelector("#calendar-status");
  const clearButton = root.querySelector("#calendar-clear");
  const selects = Object.fromEntries(FILTER_NAMES.map((name) => [name, form.elements.namedItem(name)]));
  const subscribe = subscribeNote();
  form.after(subscribe);
  let latestRequest = 0;

  function currentFilters() {
    const query = new URLSearchParams();
    for (const name of FILTER_NAMES) {
      if (selects[name]?.value) {
        query.set(name, selects[name].value);
      }
    }
    return query;
  }

  async function fetchForums(query) {
    const suffix = query.toString() ? `?${query}` : "";
    const { status: httpStatus, body } = await apiRequest("GET", `/forums${suffix}`);
    if (httpStatus !== 200) {
      throw new Error(body.message || `HTTP ${httpStatus}`);
    }
    return body;
  }

  /** Fetch the forums for a query. Return null when a newer query was sent meanwhile. */
  async function load(query) {
    const requestNumber = ++latestRequest;
    list.setAttribute("aria-busy", "true");
    try {
      const body = await fetchForums(query);
      return requestNumber === latestRequest ? body : null;
    } finally {
      if (requestNumber === latestRequest) {
        list.removeAttribute("aria-busy");
      }
    }
  }

  function render(data) {
    list.replaceChildren(...data.forums.map(forumCard));
    announce(status, plural("calendar.count", data.forums.length));
  }

  function showError(error) {
    const message = error instanceof NetworkError ? t("common.network_error") : t("calendar.load_failed");
    announce(status, message);
    console.error("portal: calendar failed to load", error);
  }

  function linkFeed(query) {
    subscribe.querySelector("#calendar-subscribe").href = query.toString() ? `${FEED_PATH}?${query}` : FEED_PATH;
  }

  async function applyFilters() {
    const query = currentFilters();
    const pageUrl = new URL(window.location.href);
    pageUrl.search = query.toString();
    window.history.replaceState(null, "", pageUrl);
    linkFeed(query);
    try {
      const data = await load(query);
      if (data) {
        render(data);
      }
    } catch (error) {
      showError(error);
    }
  }

  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
  clearButton?.addEventListener("click", () => {
    for (const select of Object.values(selects)) {
      if (select) {
        select.value = "";
      }
    }
    applyFilters();
  });

  const requested = new URLSearchParams(window.location.search);
  announce(status, t("common.loading"));
  try {
    // The unfiltered calendar provides every option, even when the page opens with filters set.
    const everything = await fetchForums(new URLSearchParams());
    for (const name of FILTER_NAMES) {
      if (!selects[name]) {
        continue;
      }
      const entries = name === "month" ? monthOptions(everything) : everything.filters?.[name] ?? [];
      fillSelect(selects[name], entries, requested.get(name) || "");
    }
    if (currentFilters().toString()) {
      await applyFilters();
    } else if (latestRequest === 0) {
      render(everything);
    }
  } catch (error) {
    showError(error);
  }
}
