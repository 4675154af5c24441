// One forum's admin page (/admin/forum/?id=...), or a new forum's form without an id: edit and
// reschedule, publish, unpublish, cancel and complete. The registrations, imports and outcome
// after the forum are in admin-forum-running.js.

import { apiPath } from "./api.js";
import { adminRequest, errorText, openAdminPage } from "./admin-access.js";
import { forumStatusText } from "./admin-forums.js";
import { bindRunning, clearRunning, renderRunning } from "./admin-forum-running.js";
import { announce, element, queryParameter, siteUrl } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";
import { describeDuration, describeStart, viewerTimeZone } from "./time.js";

const TEXT_FIELDS = [
  "title", "format", "description", "industry", "product", "region", "language", "time_zone",
  "duration_minutes", "capacity", "join_url", "recording_url", "host_override_reason",
];
// Status buttons offered per forum status. The API enforces the same lifecycle.
const ACTIONS_BY_STATUS = {
  draft: ["publish", "cancel"],
  published: ["unpublish", "complete", "cancel"],
  cancelled: [],
  completed: [],
};
const EDITABLE_STATUSES = new Set(["draft", "published"]);

/** Split the API's local_start ("2027-03-20T11:00:00-04:00") into the form's date and time. */
function localDateAndTime(localStart) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(localStart ?? "");
  return match ? [match[1], match[2]] : ["", ""];
}

function fillForm(form, forum) {
  for (const name of TEXT_FIELDS) {
    form.elements.namedItem(name).value = forum[name] ?? "";
  }
  const [date, startTime] = localDateAndTime(forum.local_start);
  form.elements.namedItem("date").value = date;
  form.elements.namedItem("start_time").value = startTime;
  form.elements.namedItem("host_emails").value = (forum.host_emails ?? []).join(", ");
  form.elements.namedItem("chaperoned").checked = Boolean(forum.chaperoned);
}

function collectPayload(form) {
  const payload = {};
  for (const control of form.elements) {
    if (control.name) {
      payload[control.name] = control.type === "checkbox" ? control.checked : control.value.trim();
    }
  }
  return payload;
}

/** Offer every zone the browser supports in the time zone field's suggestions. */
function prepareTimeZones(form) {
  const input = form.elements.namedItem("time_zone");
  if (input.list && typeof Intl.supportedValuesOf === "function") {
    input.list.replaceChildren(...Intl.supportedValuesOf("timeZone").map((zone) => element("option", { value: zone })));
  }
}

/** Show the forum's title as the page heading and window title. */
function setPageTitle(title) {
  const heading = document.querySelector("article h1");
  const pageTitle = heading?.textContent ?? "";
  if (heading) {
    heading.textContent = title;
  }
  if (pageTitle && document.title.startsWith(pageTitle)) {
    document.title = title + document.title.slice(pageTitle.length);
  }
}

function setFact(root, name, content) {
  const target = root.querySelector(`[data-admin-forum-field="${name}"]`);
  const empty = content === null || content === undefined || content === "";
  target.closest(".portal-fact").hidden = empty;
  target.replaceChildren(empty ? "" : content);
}

function renderOverview(root, forum, warnings) {
  setFact(root, "status", forumStatusText(forum.status));
  root.querySelector('[data-admin-forum-field="status"]').dataset.status = forum.status;
  setFact(root, "time", `${describeStart(forum)}${t("common.separator")}${describeDuration(forum.duration_minutes)}`);
  setFact(root, "seats", t("admin_forum.seats", {
    confirmed: forum.confirmed_count ?? 0,
    capacity: forum.capacity ?? "",
    waitlist: forum.waitlist_count ?? 0,
  }));
  const publicUrl = siteUrl(`forum/?id=${encodeURIComponent(forum.forum_id)}`);
  setFact(root, "public_page", forum.status === "published" ? element("a", { href: publicUrl, id: "public-forum-link" }, publicUrl) : "");

  const list = root.querySelector("#forum-warnings");
  list.replaceChildren(...(warnings ?? []).map((warning) => element("li", { class: "portal-warning" }, warning)));
  list.hidden = list.childElementCount === 0;

  const offered = new Set(ACTIONS_BY_STATUS[forum.status] ?? []);
  for (const action of ["publish", "unpublish", "complete", "cancel"]) {
    root.querySelector(`#${action}-forum`).hidden = !offered.has(action);
  }
  root.querySelector("#complete-hint").hidden = !offered.has("complete");
  root.querySelector("#cancel-forum-confirmation").hidden = true;
  root.querySelector("#forum-overview").hidden = false;
}

const PREFILL_FIELDS = [
  "title", "format", "capacity", "duration_minutes", "time_zone", "host_emails", "industry", "region", "product", "language",
];

export async function initAdminForum(root) {
  const message = document.querySelector("#admin-forum-message");
  const status = root.querySelector("#admin-forum-status");
  const overview = root.querySelector("#forum-overview");
  const actionResult = root.querySelector("#forum-action-result");
  const form = root.querySelector("#forum-form");
  const fieldset = root.querySelector("#forum-fieldset");
  const formResult = root.querySelector("#forum-form-result");
  const formNote = root.querySelector("#forum-form-note");
  const saveButton = root.querySelector("#forum-save");
  const running = root.querySelector("#forum-running");
  const cancelButton = root.querySelector("#cancel-forum");
  const cancelQuestion = root.querySelector("#cancel-forum-confirmation");
  let forumId = queryParameter("id");
  let current = null;

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      form.reset();
      overview.hidden = true;
      running.hidden = true;
      clearRunning(running);
      for (const region of [status, actionResult, formResult]) {
        region.replaceChildren();
        region.hidden = true;
      }
    },
  });
  if (!guarded) {
    return;
  }

  function render(body) {
    current = body.forum;
    setPageTitle(current.title);
    renderOverview(root, current, body.warnings);
    fillForm(form, current);
    const editable = EDITABLE_STATUSES.has(current.status);
    fieldset.disabled = !editable;
    saveButton.hidden = !editable;
    formNote.hidden = editable;
    renderRunning(running, body);
    running.hidden = false;
  }

  /** Load the forum with its registrations and outcome; return false when there is none to show. */
  async function loadForum() {
    const { status: httpStatus, body } = await adminRequest("GET", apiPath("admin", "forums", forumId));
    if (httpStatus !== 200) {
      running.hidden = true;
      overview.hidden = true;
      // Saving would only repeat the 404, so the form goes too.
      form.hidden = httpStatus === 404;
      announce(status, httpStatus === 404 ? t("admin_forum.not_found") : t("common.server_error"));
      return false;
    }
    status.hidden = true;
    render(body);
    return true;
  }

  /** Show a 422 or 409 response next to its fields, or in the form's result region. */
  function showRejection(httpStatus, body) {
    const errors = body.errors ?? (body.field ? { [body.field]: body.message } : null);
    formResult.dataset.outcome = httpStatus === 422 ? "invalid" : "error";
    if (!errors) {
      announce(formResult, errorText(httpStatus, body, "admin_forum.save_failed"), { focus: true });
      return;
    }
    const unplaced = showFieldErrors(form, errors);
    const summary = element("p", {}, plural("admin_forum.fix_errors", Object.keys(errors).length));
    announce(formResult, summary);
    formResult.append(...unplaced.map((text) => element("p", {}, text)));
    if (!form.querySelector('[aria-invalid="true"]')) {
      formResult.setAttribute("tabindex", "-1");
      formResult.focus();
    }
  }

  async function save() {
    const payload = collectPayload(form);
    const creating = !forumId;
    const { status: httpStatus, body } = creating
      ? await adminRequest("POST", apiPath("admin", "forums"), payload)
      : await adminRequest("PUT", apiPath("admin", "forums", forumId), payload);

    if (httpStatus === 201 || httpStatus === 200) {
      const invitesSent = !creating && body.status === "published" && body.sequence > (current?.sequence ?? body.sequence);
      if (creating) {
        forumId = body.forum_id;
        const url = new URL(window.location.href);
        url.searchParams.set("id", forumId);
        window.history.replaceState(null, "", url);
      }
      await loadForum();
      formResult.dataset.outcome = creating ? "created" : "saved";
      let key = "admin_forum.saved";
      if (creating) {
        key = "admin_forum.created";
      } else if (invitesSent) {
        key = "admin_forum.saved_with_invites";
      }
      announce(formResult, t(key), { focus: true });
      return;
    }
    if (httpStatus === 404) {
      formResult.dataset.outcome = "error";
      announce(formResult, t("admin_forum.not_found"), { focus: true });
      return;
    }
    showRejection(httpStatus, body);
  }

  async function runAction(action) {
    announce(actionResult, t("common.loading"));
    const { status: httpStatus, body } = await adminRequest("POST", apiPath("admin", "forums", forumId, action));
    if (httpStatus === 200) {
      await loadForum();
      actionResult.dataset.outcome = action;
      announce(actionResult, t(`admin_forum.done.${action}`), { focus: true });
      return;
    }
    actionResult.dataset.outcome = "error";
    announce(actionResult, errorText(httpStatus, body, "admin_forum.action_failed"), { focus: true });
  }

  async function pressAction(action) {
    const buttons = overview.querySelectorAll("button");
    for (const button of buttons) {
      button.disabled = true;
    }
    await guarded(actionResult, () => runAction(action));
    for (const button of buttons) {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    saveButton.disabled = true;
    form.setAttribute("aria-busy", "true");
    clearFieldErrors(form);
    formResult.hidden = true;
    await guarded(formResult, save);
    saveButton.disabled = false;
    form.removeAttribute("aria-busy");
  });

  for (const action of ["publish", "unpublish", "complete"]) {
    root.querySelector(`#${action}-forum`).addEventListener("click", () => pressAction(action));
  }
  cancelButton.addEventListener("click", () => {
    cancelQuestion.hidden = false;
    cancelButton.hidden = true;
    root.querySelector("#confirm-cancel-forum").focus();
  });
  root.querySelector("#keep-forum").addEventListener("click", () => {
    cancelQuestion.hidden = true;
    cancelButton.hidden = false;
    cancelButton.focus();
  });
  root.querySelector("#confirm-cancel-forum").addEventListener("click", () => pressAction("cancel"));

  prepareTimeZones(form);
  bindRunning(running, { forumId: () => forumId, guarded });

  if (!forumId) {
    setPageTitle(t("admin_forum.new_title"));
    form.elements.namedItem("time_zone").value = viewerTimeZone();
    // A supply suggestion links here with the new forum's values in the query string.
    for (const name of PREFILL_FIELDS) {
      const value = queryParameter(name);
      if (value) {
        form.elements.namedItem(name).value = value;
      }
    }
    form.elements.namedItem("title").focus();
    return;
  }
  announce(status, t("common.loading"));
  await guarded(status, loadForum);
}
