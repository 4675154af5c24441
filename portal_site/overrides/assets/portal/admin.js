// The admin page. Until GET /api/session reports an admin, it shows only a sign-in link, and it
// hides everything again when the admin API returns 401 or 403 or the person signs out. The
// admin API checks the session on every request, so this page only mirrors that check.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { AccessLost, adminRequest } from "./admin-access.js";
import { adminForumUrl } from "./admin-forums.js";
import { clearProfile, fillProfile } from "./advocate-profile.js";
import { announce, element, queryParameter } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { hasString, locale, plural, t } from "./i18n.js";
import { ANONYMOUS, hasRole, loadSession, publishSession, SESSION_CHANGED, signInUrl, sitePath } from "./session.js";
import { describeStart } from "./time.js";

/** API path of one advocate; "@" stays as it is, which a path segment allows (RFC 3986 pchar). */
function advocatePath(email) {
  return apiPath("admin", "advocates", email).replace(/%40/g, "@");
}

function forumOptionLabel(forum) {
  const date = new Intl.DateTimeFormat(locale(), { dateStyle: "medium" }).format(new Date(forum.starts_at));
  return t("admin.forum_option", { title: forum.title, date });
}

function createdText(value) {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) {
    return String(value ?? "");
  }
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(instant);
}

function statusText(status) {
  const key = `admin.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

function registrationRow(registration) {
  const cells = [
    registration.name,
    registration.email,
    registration.company,
    registration.job_title,
    statusText(registration.status),
    registration.opportunity_id,
    registration.sales_rep_email,
    createdText(registration.created_at),
    registration.questions,
  ];
  return element(
    "tr",
    { "data-registration-id": registration.registration_id, "data-status": registration.status },
    ...cells.map((text, index) => element(index === 0 ? "th" : "td", index === 0 ? { scope: "row" } : {}, text ?? "")),
  );
}

function adminItem(email, configured) {
  const text = configured.has(email) ? t("admin.configured_admin", { email }) : email;
  return element("li", { "data-admin-email": email }, text);
}

export async function initAdmin(root) {
  const message = document.querySelector("#admin-message");
  const adminList = root.querySelector("#admin-list");
  const adminsStatus = root.querySelector("#admins-status");
  const addForm = root.querySelector("#add-admin-form");
  const addResult = root.querySelector("#add-admin-result");
  const forumSelect = root.querySelector("#admin-forum");
  const forumStatus = root.querySelector("#forum-registrations-status");
  const registrationsPanel = root.querySelector("#forum-registrations");
  const registrationsBody = root.querySelector("#registrations-table tbody");
  const waitlist = root.querySelector("#waitlist");
  const waitlistEmpty = root.querySelector("#waitlist-empty");
  const lookupForm = root.querySelector("#advocate-lookup-form");
  const lookupResult = root.querySelector("#advocate-lookup-result");
  const lookupProfile = root.querySelector("#advocate-lookup-profile");
  const emptyForumOption = forumSelect.querySelector('option[value=""]');
  let latestForumRequest = 0;
  let locked = false;

  /** Remove every piece of admin data from the page and offer to sign in as an admin. */
  function lock(session) {
    locked = true;
    root.hidden = true;
    adminList.replaceChildren();
    registrationsBody.replaceChildren();
    waitlist.replaceChildren();
    forumSelect.replaceChildren(emptyForumOption);
    registrationsPanel.hidden = true;
    lookupProfile.hidden = true;
    clearProfile(lookupProfile);
    for (const region of [adminsStatus, addResult, forumStatus, lookupResult]) {
      region.replaceChildren();
      region.hidden = true;
    }

    const link = element("a", { href: signInUrl(sitePath("admin/")), id: "admin-sign-in" }, t("admin.sign_in"));
    const prompt = document.createDocumentFragment();
    if (session.signed_in) {
      prompt.append(element("p", {}, t("admin.not_admin", { email: session.email })));
    }
    prompt.append(element("p", {}, link));
    message.dataset.outcome = "sign_in";
    announce(message, prompt);
  }

  /** Run one admin request; lock the page on 401/403 and report a network error in `region`. */
  async function guarded(region, work) {
    if (locked) {
      return;
    }
    try {
      await work();
    } catch (error) {
      if (error instanceof AccessLost) {
        if (error.status === 401) {
          publishSession(ANONYMOUS);
        }
        lock(error.status === 401 ? ANONYMOUS : await loadSession().catch(() => ANONYMOUS));
        return;
      }
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      region.dataset.outcome = "error";
      announce(region, t("common.network_error"));
    }
  }

  async function loadAdmins() {
    const { status, body } = await adminRequest("GET", "/admin/admins");
    if (status !== 200) {
      announce(adminsStatus, t("common.server_error"));
      return;
    }
    const configured = new Set(body.configured ?? []);
    const everyone = [...new Set([...(body.configured ?? []), ...(body.added ?? [])])].sort();
    adminList.replaceChildren(...everyone.map((email) => adminItem(email, configured)));
    adminsStatus.hidden = true;
  }

  async function addAdmin(email) {
    const { status, body } = await adminRequest("POST", "/admin/admins", { email });
    if (status === 201) {
      addForm.reset();
      addResult.dataset.outcome = "added";
      announce(addResult, t("admin.added", { email: body.email }));
      await loadAdmins();
    } else if (status === 422) {
      const unplaced = showFieldErrors(addForm, body.errors);
      addResult.dataset.outcome = "invalid";
      addResult.replaceChildren(...unplaced.map((text) => element("p", {}, text)));
      addResult.hidden = unplaced.length === 0;
    } else {
      addResult.dataset.outcome = "error";
      announce(addResult, status >= 500 ? t("common.server_error") : body.message || t("admin.add_failed"), { focus: true });
    }
  }

  async function loadForumOptions() {
    const { status, body } = await apiRequest("GET", "/forums");
    if (status !== 200) {
      announce(forumStatus, t("admin.forums_failed"));
      return;
    }
    const forums = Array.isArray(body.forums) ? body.forums : [];
    const options = forums.map((forum) => element("option", { value: forum.forum_id }, forumOptionLabel(forum)));
    forumSelect.replaceChildren(emptyForumOption, ...options);
    const wanted = queryParameter("forum");
    if (wanted && forums.some((forum) => forum.forum_id === wanted)) {
      forumSelect.value = wanted;
      await loadRegistrations(wanted);
    }
  }

  function renderRegistrations(body) {
    const forum = body.forum ?? {};
    const registrations = Array.isArray(body.registrations) ? body.registrations : [];
    const byId = new Map(registrations.map((registration) => [registration.registration_id, registration]));

    root.querySelector("#forum-summary").textContent = t("admin.forum_summary", {
      time: forum.starts_at ? describeStart(forum) : "",
      seats_left: forum.seats_left ?? "",
      capacity: forum.capacity ?? "",
    });
    root.querySelector("#below-minimum").hidden = !body.below_minimum;
    root.querySelector("#forum-admin-link").href = adminForumUrl(forum.forum_id ?? forumSelect.value);
    registrationsBody.replaceChildren(...registrations.map(registrationRow));
    announce(forumStatus, plural("admin.registration_count", registrations.length));

    const waitlistIds = Array.isArray(body.waitlist) ? body.waitlist : [];
    waitlist.replaceChildren(
      ...waitlistIds.map((id) => {
        const registration = byId.get(id);
        const text = registration ? t("admin.waitlist_entry", { name: registration.name, email: registration.email }) : id;
        return element("li", { "data-registration-id": id }, text);
      }),
    );
    waitlist.hidden = waitlistIds.length === 0;
    waitlistEmpty.hidden = waitlistIds.length > 0;
    registrationsPanel.hidden = false;
  }

  async function loadRegistrations(forumId) {
    const requestNumber = ++latestForumRequest;
    const url = new URL(window.location.href);
    if (forumId) {
      url.searchParams.set("forum", forumId);
    } else {
      url.searchParams.delete("forum");
    }
    window.history.replaceState(null, "", url);
    if (!forumId) {
      registrationsPanel.hidden = true;
      forumStatus.hidden = true;
      return;
    }

    announce(forumStatus, t("common.loading"));
    const { status, body } = await adminRequest("GET", apiPath("admin", "forums", forumId, "registrations"));
    if (requestNumber !== latestForumRequest) {
      return;
    }
    if (status !== 200) {
      registrationsPanel.hidden = true;
      announce(forumStatus, status === 404 ? t("admin.forum_not_found") : t("common.server_error"));
      return;
    }
    renderRegistrations(body);
  }

  async function lookUpAdvocate(email) {
    lookupProfile.hidden = true;
    clearProfile(lookupProfile);
    announce(lookupResult, t("common.loading"));
    const { status, body } = await adminRequest("GET", advocatePath(email));
    if (status === 200) {
      fillProfile(lookupProfile, body);
      lookupResult.hidden = true;
      lookupProfile.hidden = false;
      return;
    }
    lookupResult.dataset.outcome = status === 404 ? "not_found" : "error";
    announce(lookupResult, status === 404 ? t("admin.advocate_not_found", { email }) : t("common.server_error"));
  }

  announce(message, t("common.loading"));
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    message.dataset.outcome = "error";
    announce(message, error instanceof NetworkError ? t("common.network_error") : t("common.server_error"));
    return;
  }
  if (!hasRole(session, "admin")) {
    lock(session);
    return;
  }

  message.hidden = true;
  root.hidden = false;
  document.addEventListener(SESSION_CHANGED, (event) => {
    if (!hasRole(event.detail, "admin")) {
      lock(event.detail);
    }
  });

  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = addForm.querySelector('button[type="submit"]');
    submit.disabled = true;
    clearFieldErrors(addForm);
    addResult.hidden = true;
    await guarded(addResult, () => addAdmin(addForm.elements.namedItem("email").value.trim()));
    submit.disabled = false;
  });

  forumSelect.addEventListener("change", () => guarded(forumStatus, () => loadRegistrations(forumSelect.value)));

  lookupForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = lookupForm.elements.namedItem("email").value.trim();
    if (!email) {
      lookupForm.elements.namedItem("email").focus();
      return;
    }
    await guarded(lookupResult, () => lookUpAdvocate(email));
  });

  await Promise.all([guarded(adminsStatus, loadAdmins), guarded(forumStatus, loadForumOptions)]);
}
