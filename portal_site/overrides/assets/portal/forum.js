// The forum page: the forum's details and the registration form rendered by portal_site/prebuild.py.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { formatLabel, seatsLabel, topicLabel } from "./forum-facts.js";
import { plural, t } from "./i18n.js";
import { describeDuration, describeStart, viewerTimeZone } from "./time.js";

function hostLine(host) {
  const parts = [host.name, host.title, host.company].filter(Boolean);
  return parts.length === 3 ? t("forum.host", host) : parts.join(", ");
}

function fillField(root, name, value) {
  const target = root.querySelector(`[data-forum-field="${name}"]`);
  if (!target) {
    return;
  }
  const row = target.closest(".portal-fact") ?? target;
  row.hidden = value === "" || value === null || value === undefined;
  target.textContent = value ?? "";
}

function renderForum(root, forum) {
  // The page is a template for every forum, so its heading, the header's topic and the window
  // title change from the generic page title to the forum's title.
  const heading = document.querySelector("article h1");
  const pageTitle = heading?.textContent ?? "";
  if (heading) {
    heading.textContent = forum.title;
  }
  const headerTopic = document.querySelector('[data-md-component="header-topic"] .md-ellipsis');
  if (headerTopic) {
    headerTopic.textContent = forum.title;
  }
  document.title = pageTitle && document.title.startsWith(pageTitle)
    ? forum.title + document.title.slice(pageTitle.length)
    : `${forum.title} · ${document.title}`;

  fillField(root, "format", formatLabel(forum));
  fillField(root, "time", describeStart(forum));
  fillField(root, "duration", describeDuration(forum.duration_minutes));
  fillField(root, "topics", topicLabel(forum));
  fillField(root, "chaperoned", forum.chaperoned ? t("forum.chaperoned") : t("forum.unchaperoned"));
  fillField(root, "description", forum.description);

  const seats = root.querySelector("[data-seats-left]");
  seats.setAttribute("data-seats-left", String(forum.seats_left));
  seats.setAttribute("data-availability", forum.availability);
  seats.textContent = seatsLabel(forum);
  if (forum.registration_open && forum.availability === "waitlist") {
    seats.append(element("span", { class: "portal-note" }, t("seats.waitlist_detail")));
  }

  const hosts = root.querySelector('[data-forum-field="hosts"]');
  hosts.replaceChildren(...(forum.hosts ?? []).map((host) => element("li", {}, hostLine(host))));
  hosts.closest(".portal-hosts").hidden = !forum.hosts?.length;

  root.hidden = false;
}

/** Offer every zone the browser supports, and default to the viewer's own zone. */
function prepareTimeZone(form) {
  const input = form.elements.namedItem("time_zone");
  if (!input) {
    return;
  }
  if (!input.value) {
    input.value = viewerTimeZone();
  }
  const datalist = input.list;
  if (datalist && typeof Intl.supportedValuesOf === "function") {
    const zones = Intl.supportedValuesOf("timeZone");
    datalist.replaceChildren(...zones.map((zone) => element("option", { value: zone })));
  }
}

function collectPayload(form) {
  const payload = {};
  for (const control of form.elements) {
    if (!control.name) {
      continue;
    }
    payload[control.name] = control.type === "checkbox" ? control.checked : control.value;
  }
  return payload;
}

function bindRegistration(form, forumId, result, section) {
  let sending = false;
  const submit = form.querySelector('button[type="submit"]');

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    // The API returns the same registration for a repeated submission. Ignoring a second click
    // while the first request runs still keeps the result message from flickering.
    if (sending) {
      return;
    }
    sending = true;
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    clearFieldErrors(form);
    announce(result, t("registration.sending"));

    const payload = collectPayload(form);
    try {
      const { status, body } = await apiRequest("POST", apiPath("forums", forumId, "registrations"), payload);
      if (status === 202) {
        section.hidden = true;
        result.dataset.outcome = "registered";
        announce(result, t("registration.check_email", { email: payload.email }), { focus: true });
      } else if (status === 422) {
        const errors = body.errors ?? {};
        const unplaced = showFieldErrors(form, errors);
        const summary = element("p", {}, plural("registration.fix_errors", Object.keys(errors).length));
        result.dataset.outcome = "invalid";
        announce(result, summary);
        for (const message of unplaced) {
          result.append(element("p", {}, message));
        }
        const firstInvalid = form.querySelector('[aria-invalid="true"]');
        firstInvalid?.focus();
      } else if (status === 409) {
        result.dataset.outcome = "closed";
        announce(result, t("registration.closed"), { focus: true });
      } else if (status === 429) {
        result.dataset.outcome = "rate_limited";
        announce(result, t("common.too_many_requests"), { focus: true });
      } else {
        result.dataset.outcome = "error";
        const message = status >= 500 ? t("common.server_error") : body.message || t("registration.failed");
        announce(result, message, { focus: true });
      }
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      result.dataset.outcome = "error";
      announce(result, t("common.network_error"), { focus: true });
    } finally {
      sending = false;
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}

export async function initForum(root) {
  const status = document.querySelector("#forum-status");
  const section = document.querySelector("#registration-section");
  const form = document.querySelector("#registration-form");
  const result = document.querySelector("#registration-result");
  const forumId = queryParameter("id");

  if (!forumId) {
    announce(status, t("forum.missing_id"));
    return;
  }

  announce(status, t("common.loading"));
  let response;
  try {
    response = await apiRequest("GET", apiPath("forums", forumId));
  } catch (error) {
    announce(status, error instanceof NetworkError ? t("common.network_error") : t("common.server_error"));
    return;
  }
  if (response.status === 404) {
    announce(status, t("forum.not_found"));
    return;
  }
  if (response.status !== 200) {
    announce(status, t("common.server_error"));
    return;
  }

  const forum = response.body;
  status.replaceChildren();
  status.hidden = true;
  renderForum(root, forum);

  if (!forum.registration_open) {
    announce(result, t("forum.registration_closed"));
    return;
  }
  section.hidden = false;
  prepareTimeZone(form);
  bindRegistration(form, forum.forum_id, result, section);
}
