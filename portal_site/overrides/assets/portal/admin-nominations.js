// The nomination review: nominations by status with their source, nominator, notes and days
// waiting; admins move them on, add notes, approve (which creates the advocate and sends the
// welcome) or decline, optionally with a kind message to the nominee.

import { adminRequest, errorText, openAdminPage } from "./admin-access.js";
import { activityLabel, formPayload, instantText, listText, showRejection, whileSubmitting } from "./advocate-pages.js";
import { apiPath } from "./api.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { hasString, plural, t } from "./i18n.js";

const STATUSES = ["new", "contacted", "interviewed", "approved", "declined"];
// Statuses an open nomination may move to with the status route; approve and decline have routes
// of their own. The API enforces the order; the page only offers the moves that can succeed.
const NEXT_STEPS = {
  new: ["contacted", "interviewed"],
  contacted: ["interviewed"],
  interviewed: [],
};

function sourceText(source) {
  const key = `admin_nominations.sources.${source}`;
  return hasString(key) ? t(key) : String(source ?? "");
}

function statusLabel(status) {
  const key = `admin_nominations.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

function fact(label, value) {
  if (value === undefined || value === null || value === "") {
    return null;
  }
  return element("div", { class: "portal-fact" }, element("dt", {}, label), element("dd", {}, value));
}

function nominatorText(nomination) {
  if (!nomination.nominator_name && !nomination.nominator_email) {
    return "";
  }
  const who = nomination.nominator_name
    ? t("admin_nominations.person", { name: nomination.nominator_name, email: nomination.nominator_email })
    : nomination.nominator_email;
  return nomination.relationship_label ? t("admin_nominations.nominator", { who, relationship: nomination.relationship_label }) : who;
}

function supporterItem(supporter) {
  const who = supporter.nominator_name || supporter.nominator_email || t("admin_nominations.the_nominee");
  const text = t("admin_nominations.supporter", {
    who,
    source: sourceText(supporter.source),
    date: instantText(supporter.submitted_at),
  });
  return element("li", {}, text, supporter.reason ? element("q", {}, supporter.reason) : null);
}

function noteItem(note) {
  return element(
    "li",
    { class: "portal-note-item" },
    element("span", { class: "portal-note-item__meta" }, t("admin_nominations.note_meta", { author: note.author, date: instantText(note.written_at) })),
    element("span", { class: "portal-note-item__text" }, note.text),
  );
}

function waitingText(nomination) {
  const key = nomination.decided_at ? "admin_nominations.decided_after" : "admin_nominations.waiting";
  return plural(key, nomination.days_waiting ?? 0);
}

export async function init(root) {
  const message = document.querySelector("#admin-nominations-message");
  const statusSelect = root.querySelector("#nominations-status");
  const statusText = root.querySelector("#nominations-status-text");
  const actionResult = root.querySelector("#nomination-action-result");
  const list = root.querySelector("#nomination-list");
  const addForm = root.querySelector("#admin-nomination-form");
  const addResult = root.querySelector("#admin-nomination-result");
  let latestLoad = 0;

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      list.replaceChildren();
      for (const region of [statusText, actionResult, addResult]) {
        region.replaceChildren();
        region.hidden = true;
      }
    },
  });
  if (!guarded) {
    return;
  }

  async function load() {
    const wanted = statusSelect.value;
    const requestNumber = ++latestLoad;
    const url = new URL(window.location.href);
    url.searchParams.set("status", wanted);
    window.history.replaceState(null, "", url);

    announce(statusText, t("common.loading"));
    const { status, body } = await adminRequest("GET", `/admin/nominations?${new URLSearchParams({ status: wanted })}`);
    if (requestNumber !== latestLoad) {
      return;
    }
    if (status !== 200) {
      list.replaceChildren();
      statusText.dataset.outcome = "error";
      announce(statusText, errorText(status, body, "admin_nominations.load_failed"));
      return;
    }
    const nominations = Array.isArray(body.nominations) ? body.nominations : [];
    list.replaceChildren(...nominations.map(card));
    delete statusText.dataset.outcome;
    announce(statusText, plural("admin_nominations.count", nominations.length, { status: statusLabel(wanted) }));
  }

  /** Run one review step; on success reload the list and report `done(body)` in the page's result. */
  async function act(form, result, path, payload, done) {
    clearFieldErrors(form);
    announce(result, t("common.loading"));
    const { status, body } = await adminRequest("POST", path, payload);
    if (status === 200) {
      result.hidden = true;
      actionResult.dataset.outcome = "done";
      announce(actionResult, done(body.nomination ?? body), { focus: true });
      await load();
      return;
    }
    showRejection(form, result, status, body, "admin_nominations.action_failed");
  }

  function actions(nomination, headingId) {
    const id = nomination.nomination_id;
    const noteId = `nomination-${id}-note`;
    const form = element("form", { class: "portal-form portal-nomination-actions", novalidate: true, "data-nomination-id": id });
    const result = element("div", { class: "portal-result", role: "status", "aria-live": "polite", hidden: true });
    const note = element("textarea", {
      id: noteId,
      name: "note",
      maxlength: 2000,
      rows: 3,
      "aria-describedby": `${noteId}-description ${noteId}-error`,
    });
    form.append(
      element(
        "div",
        { class: "portal-field", "data-field": "note" },
        element("label", { for: noteId }, t("admin_nominations.note_label")),
        element("p", { class: "portal-field-description", id: `${noteId}-description` }, t("admin_nominations.note_help")),
        note,
        element("p", { class: "portal-field-error", id: `${noteId}-error`, hidden: true }),
      ),
    );

    const buttons = element("div", { class: "portal-nomination-buttons" });
    function button(text, kind, onPress, primary = false) {
      const node = element(
        "button",
        { type: "button", class: primary ? "md-button md-button--primary" : "md-button", "data-action": kind, "aria-describedby": headingId },
        text,
      );
      node.addEventListener("click", () => whileSubmitting(form, () => guarded(result, onPress)));
      buttons.append(node);
      return node;
    }
    const noteText = () => note.value.trim();
    const name = nomination.name;

    button(t("admin_nominations.add_note"), "note", async () => {
      if (!noteText()) {
        showRejection(form, result, 422, { errors: { note: t("admin_nominations.note_missing") } }, "admin_nominations.action_failed");
        return;
      }
      await act(form, result, apiPath("admin", "nominations", id, "notes"), { note: noteText() }, () => t("admin_nominations.noted", { name }));
    });
    for (const next of NEXT_STEPS[nomination.status] ?? []) {
      button(t(`admin_nominations.move.${next}`), next, () =>
        act(form, result, apiPath("admin", "nominations", id, "status"), { status: next, note: noteText() }, () =>
          t("admin_nominations.moved", { name, status: statusLabel(next) }),
        ),
      );
    }
    button(
      t("admin_nominations.approve"),
      "approve",
      () => act(form, result, apiPath("admin", "nominations", id, "approve"), { note: noteText() }, () => t("admin_nominations.approved", { name })),
      true,
    );

    // Declining is final, so it asks first, and offers the kind message there.
    const messageId = `nomination-${id}-message`;
    const sendId = `nomination-${id}-send-message`;
    const sendBox = element("input", { type: "checkbox", id: sendId, name: "send_message", value: "y" });
    const messageBox = element("textarea", {
      id: messageId,
      name: "message",
      maxlength: 2000,
      rows: 4,
      disabled: true,
      "aria-describedby": `${messageId}-description ${messageId}-error`,
    });
    sendBox.addEventListener("change", () => {
      messageBox.disabled = !sendBox.checked;
    });
    const confirmDecline = element("button", { type: "button", class: "md-button md-button--primary", "data-action": "confirm-decline" }, t("admin_nominations.confirm_decline"));
    const keep = element("button", { type: "button", class: "md-button", "data-action": "keep" }, t("admin_nominations.keep"));
    const declinePanel = element(
      "div",
      { class: "portal-decline", hidden: true },
      element("p", {}, t("admin_nominations.decline_question", { name })),
      element(
        "div",
        { class: "portal-field portal-field--checkbox", "data-field": "send_message" },
        element("div", { class: "portal-checkbox" }, sendBox, element("label", { for: sendId }, t("admin_nominations.send_message"))),
        element("p", { class: "portal-field-error", hidden: true }),
      ),
      element(
        "div",
        { class: "portal-field", "data-field": "message" },
        element("label", { for: messageId }, t("admin_nominations.message_label")),
        element("p", { class: "portal-field-description", id: `${messageId}-description` }, t("admin_nominations.message_help")),
        messageBox,
        element("p", { class: "portal-field-error", id: `${messageId}-error`, hidden: true }),
      ),
      element("div", { class: "portal-nomination-buttons" }, confirmDecline, keep),
    );
    const decline = button(t("admin_nominations.decline"), "decline", async () => {
      declinePanel.hidden = false;
      buttons.hidden = true;
      sendBox.focus();
    });
    keep.addEventListener("click", () => {
      declinePanel.hidden = true;
      buttons.hidden = false;
      decline.focus();
    });
    confirmDecline.addEventListener("click", () =>
      whileSubmitting(form, () =>
        guarded(result, () => {
          const payload = formPayload(form);
          const sent = payload.send_message === true;
          return act(form, result, apiPath("admin", "nominations", id, "decline"), payload, () =>
            t(sent ? "admin_nominations.declined_with_message" : "admin_nominations.declined", { name }),
          );
        }),
      ),
    );
    form.append(buttons, declinePanel);
    form.addEventListener("submit", (event) => event.preventDefault());
    return [form, result];
  }

  function card(nomination) {
    const headingId = `nomination-${nomination.nomination_id}-name`;
    const facts = element(
      "dl",
      { class: "portal-facts" },
      fact(t("admin_nominations.email"), nomination.email),
      fact(t("admin_nominations.company"), nomination.company),
      fact(t("admin_nominations.role"), nomination.role),
      fact(t("admin_nominations.source"), sourceText(nomination.source)),
      fact(t("admin_nominations.nominated_by"), nominatorText(nomination)),
      fact(t("admin_nominations.reason"), nomination.reason),
      fact(t("admin_nominations.products"), listText(nomination.products)),
      fact(t("admin_nominations.activities"), listText((nomination.activities ?? []).map(activityLabel))),
      fact(t("admin_nominations.submitted"), instantText(nomination.created_at)),
      fact(t("admin_nominations.decided"), nomination.decided_at ? instantText(nomination.decided_at) : ""),
    );
    const supporters = Array.isArray(nomination.supporters) ? nomination.supporters : [];
    const notes = Array.isArray(nomination.notes) ? nomination.notes : [];
    const item = element(
      "li",
      { class: "portal-nomination", "data-nomination-id": nomination.nomination_id, "data-status": nomination.status },
      element("h3", { id: headingId }, nomination.name),
      element("p", { class: "portal-nomination__waiting" }, waitingText(nomination)),
      facts,
    );
    if (supporters.length > 0) {
      item.append(
        element("h4", {}, plural("admin_nominations.supporters", supporters.length)),
        element("ul", { class: "portal-plain-list" }, ...supporters.map(supporterItem)),
      );
    }
    item.append(
      element("h4", {}, t("admin_nominations.notes")),
      notes.length > 0
        ? element("ul", { class: "portal-note-list" }, ...notes.map(noteItem))
        : element("p", { class: "portal-hint" }, t("admin_nominations.no_notes")),
    );
    if (nomination.status in NEXT_STEPS) {
      item.append(...actions(nomination, headingId));
    }
    return item;
  }

  async function addNomination() {
    clearFieldErrors(addForm);
    announce(addResult, t("common.loading"));
    const payload = formPayload(addForm);
    if (!payload.relationship) {
      delete payload.relationship;
    }
    const { status, body } = await adminRequest("POST", "/admin/nominations", payload);
    if (status === 201) {
      addForm.reset();
      addResult.dataset.outcome = "added";
      announce(addResult, t("admin_nominations.added", { name: body.name, status: statusLabel(body.status) }), { focus: true });
      await load();
      return;
    }
    showRejection(addForm, addResult, status, body, "admin_nominations.add_failed");
  }

  const wanted = new URLSearchParams(window.location.search).get("status");
  if (STATUSES.includes(wanted)) {
    statusSelect.value = wanted;
  }
  statusSelect.addEventListener("change", () => {
    actionResult.hidden = true;
    guarded(statusText, load);
  });
  addForm.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(addForm, () => guarded(addResult, addNomination));
  });

  await guarded(statusText, load);
}
