// The part of a forum's admin page about running it: registrations with attendance and
// opportunity controls, the waitlist, questions and briefing, the CSV imports, and the outcome
// (attendance, influenced revenue, feedback).

import { apiPath } from "./api.js";
import { adminRequest, errorText } from "./admin-access.js";
import { bindCsvUpload } from "./csv-upload.js";
import { announce, element } from "./dom.js";
import { hasString, locale, plural, t } from "./i18n.js";

// Registrations that never held a seat or a waitlist place have no outcome to record.
const WITHOUT_OUTCOME = new Set(["expired"]);

function registrationStatusText(status) {
  const key = `admin.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

function amountText(amount) {
  return new Intl.NumberFormat(locale()).format(amount ?? 0);
}

function attendedCell(registration) {
  if (registration.status !== "confirmed") {
    return element("td", {}, "");
  }
  const checkbox = element("input", {
    type: "checkbox",
    "data-attended": "",
    "aria-label": t("admin_forum.attended_label", { name: registration.name }),
    checked: registration.attended === true,
  });
  return element("td", { class: "portal-cell-center" }, checkbox);
}

/** Return the opportunity id cell and the amount cell, which also contains the save button. */
function opportunityCells(registration) {
  if (WITHOUT_OUTCOME.has(registration.status)) {
    return [element("td", {}, registration.opportunity_id ?? ""), element("td", {}, "")];
  }
  const idInput = element("input", {
    type: "text",
    name: "opportunity_id",
    maxlength: "40",
    autocomplete: "off",
    spellcheck: "false",
    value: registration.opportunity_id ?? "",
    "aria-label": t("admin_forum.opportunity_label", { name: registration.name }),
  });
  const amountInput = element("input", {
    type: "text",
    name: "opportunity_amount",
    inputmode: "numeric",
    autocomplete: "off",
    value: registration.opportunity_amount ?? "",
    "aria-label": t("admin_forum.amount_label", { name: registration.name }),
  });
  const saveButton = element(
    "button",
    {
      type: "button",
      class: "md-button portal-button-small",
      "data-save-opportunity": "",
      "aria-label": t("admin_forum.save_opportunity_label", { name: registration.name }),
    },
    t("admin_forum.save_opportunity"),
  );
  return [element("td", {}, idInput), element("td", { class: "portal-cell-amount" }, amountInput, saveButton)];
}

function feedbackText(registration) {
  if (!registration.feedback_rating) {
    return "";
  }
  const values = { rating: registration.feedback_rating, comment: registration.feedback_comment ?? "" };
  return registration.feedback_comment ? t("admin_forum.feedback_answer", values) : t("admin_forum.feedback_rating", values);
}

function registrationRow(registration) {
  const [idCell, amountCell] = opportunityCells(registration);
  return element(
    "tr",
    { "data-registration-id": registration.registration_id, "data-status": registration.status, "data-name": registration.name },
    element("th", { scope: "row" }, registration.name ?? ""),
    element("td", {}, registration.email ?? ""),
    element("td", {}, registration.company ?? ""),
    element("td", {}, registrationStatusText(registration.status)),
    attendedCell(registration),
    idCell,
    amountCell,
    element("td", {}, feedbackText(registration)),
  );
}

function questionItem(entry) {
  const person = [entry.name, entry.job_title, entry.company].filter(Boolean).join(t("common.separator"));
  return element("li", {}, element("strong", {}, person), element("p", { class: "portal-question-text" }, entry.questions ?? ""));
}

/** Render the attendance, influenced revenue and feedback, which every recorded outcome changes. */
function renderOutcome(section, body) {
  const attendance = body.attendance ?? {};
  section.querySelector("#forum-attendance").textContent = t("admin_forum.attendance", {
    attended: attendance.attended ?? 0,
    confirmed: attendance.confirmed ?? 0,
  });

  const influence = body.influence ?? {};
  const opportunities = Array.isArray(influence.opportunities) ? influence.opportunities : [];
  section.querySelector("#influence-total").textContent = t("admin_forum.influence_total", {
    total: amountText(influence.total_per_host),
  });
  section.querySelector("#influence-table tbody").replaceChildren(
    ...opportunities.map((entry) =>
      element("tr", { "data-opportunity-id": entry.opportunity_id }, element("td", {}, entry.opportunity_id), element("td", {}, amountText(entry.amount))),
    ),
  );
  section.querySelector("#influence-table").closest(".portal-table-scroll").hidden = opportunities.length === 0;

  const records = Array.isArray(influence.records) ? influence.records : [];
  const credited = section.querySelector("#influence-records");
  if (body.forum?.status !== "completed") {
    credited.textContent = t("admin_forum.influence_pending");
  } else if (records.length === 0) {
    credited.textContent = t("admin_forum.influence_none");
  } else {
    const hosts = [...new Set(records.map((record) => record.advocate))].join(t("common.separator"));
    credited.textContent = plural("admin_forum.influence_recorded", records.length, { hosts });
  }

  const feedback = body.feedback ?? {};
  const answers = Array.isArray(feedback.answers) ? feedback.answers : [];
  section.querySelector("#feedback-summary").textContent = feedback.count
    ? plural("admin_forum.feedback_summary", feedback.count, { average: new Intl.NumberFormat(locale()).format(feedback.average_rating) })
    : t("admin_forum.feedback_none");
  section.querySelector("#feedback-answers").replaceChildren(
    ...answers.map((answer) =>
      element("li", { "data-rating": answer.rating }, answer.comment ? t("admin_forum.feedback_answer", answer) : t("admin_forum.feedback_rating", answer)),
    ),
  );
}

export function renderRunning(section, body) {
  const forum = body.forum ?? {};
  const registrations = Array.isArray(body.registrations) ? body.registrations : [];
  section.querySelector("#forum-registrations-table tbody").replaceChildren(...registrations.map(registrationRow));
  section.querySelector("#forum-registrations-empty").hidden = registrations.length > 0;

  const waitlist = Array.isArray(body.waitlist) ? body.waitlist : [];
  section.querySelector("#forum-waitlist").replaceChildren(
    ...waitlist.map((registration) =>
      element("li", { "data-registration-id": registration.registration_id }, t("admin.waitlist_entry", registration)),
    ),
  );
  section.querySelector("#forum-waitlist").hidden = waitlist.length === 0;
  section.querySelector("#forum-waitlist-empty").hidden = waitlist.length > 0;

  const questions = Array.isArray(body.questions) ? body.questions : [];
  section.querySelector("#forum-questions").replaceChildren(...questions.map(questionItem));
  section.querySelector("#forum-questions").hidden = questions.length === 0;
  section.querySelector("#forum-questions-empty").hidden = questions.length > 0;
  section.querySelector("#download-briefing").href = `/api${apiPath("admin", "forums", forum.forum_id, "briefing.csv")}`;

  renderOutcome(section, body);
}

export function clearRunning(section) {
  for (const selector of ["#forum-registrations-table tbody", "#forum-waitlist", "#forum-questions", "#influence-table tbody", "#feedback-answers"]) {
    section.querySelector(selector).replaceChildren();
  }
  for (const selector of ["#forum-attendance", "#influence-total", "#influence-records", "#feedback-summary"]) {
    section.querySelector(selector).textContent = "";
  }
}

/**
 * Bind the attendance checkboxes, the opportunity save buttons and the two CSV imports.
 * `forumId()` returns the page's forum, which a new forum gets only once it is saved.
 */
export function bindRunning(section, { forumId, guarded }) {
  const tableBody = section.querySelector("#forum-registrations-table tbody");
  const result = section.querySelector("#outcome-result");

  async function loadRunning() {
    const { status, body } = await adminRequest("GET", apiPath("admin", "forums", forumId()));
    return status === 200 ? body : null;
  }

  /** Render the outcome again, leaving the table and the focus in it as they are. */
  async function refreshOutcome() {
    const body = await loadRunning();
    if (body) {
      renderOutcome(section, body);
    }
  }

  /** Render the registrations and the outcome again after an import changed many rows. */
  async function refreshAll() {
    const body = await loadRunning();
    if (body) {
      renderRunning(section, body);
    }
  }

  /** PUT one registration's outcome; return the updated registration, or null after showing why not. */
  async function putOutcome(row, payload) {
    const path = apiPath("admin", "forums", forumId(), "registrations", row.dataset.registrationId);
    const { status, body } = await adminRequest("PUT", path, payload);
    if (status === 200) {
      return body;
    }
    const reasons = Object.values(body.errors ?? {});
    const text = reasons.length > 0 ? reasons.join(" ") : errorText(status, body, "admin_forum.outcome_failed");
    result.dataset.outcome = status === 422 ? "invalid" : "error";
    announce(result, t("admin_forum.outcome_rejected", { name: row.dataset.name, reason: text }));
    for (const name of Object.keys(body.errors ?? {})) {
      row.querySelector(`input[name="${CSS.escape(name)}"]`)?.setAttribute("aria-invalid", "true");
    }
    return null;
  }

  async function saveAttendance(row, checkbox) {
    const requested = checkbox.checked;
    const updated = await putOutcome(row, { attended: requested });
    if (!updated) {
      checkbox.checked = !requested;
      return;
    }
    checkbox.checked = updated.attended === true;
    result.dataset.outcome = "saved";
    announce(result, t(updated.attended ? "admin_forum.marked_attended" : "admin_forum.marked_absent", { name: row.dataset.name }));
    await refreshOutcome();
  }

  async function saveOpportunity(row) {
    const idInput = row.querySelector('input[name="opportunity_id"]');
    const amountInput = row.querySelector('input[name="opportunity_amount"]');
    idInput.removeAttribute("aria-invalid");
    amountInput.removeAttribute("aria-invalid");
    const updated = await putOutcome(row, { opportunity_id: idInput.value.trim(), opportunity_amount: amountInput.value.trim() });
    if (!updated) {
      return;
    }
    idInput.value = updated.opportunity_id ?? "";
    amountInput.value = updated.opportunity_amount ?? "";
    result.dataset.outcome = "saved";
    announce(result, t("admin_forum.opportunity_saved", { name: row.dataset.name }));
    await refreshOutcome();
  }

  tableBody.addEventListener("change", async (event) => {
    const checkbox = event.target.closest("input[data-attended]");
    if (!checkbox) {
      return;
    }
    checkbox.disabled = true;
    await guarded(result, () => saveAttendance(checkbox.closest("tr"), checkbox));
    checkbox.disabled = false;
  });

  tableBody.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-save-opportunity]");
    if (!button) {
      return;
    }
    button.disabled = true;
    await guarded(result, () => saveOpportunity(button.closest("tr")));
    button.disabled = false;
  });

  bindCsvUpload(section.querySelector("#attendance-import-form"), {
    path: () => apiPath("admin", "forums", forumId(), "attendance"),
    result: section.querySelector("#attendance-import-result"),
    guarded,
    describe: (body) => {
      const unmatched = Array.isArray(body.unmatched) ? body.unmatched : [];
      const counts = t("admin_forum.attendance_imported", { attended: body.attended ?? 0, absent: body.absent ?? 0 });
      return unmatched.length ? `${counts} ${t("admin_forum.unmatched", { emails: unmatched.join(", ") })}` : counts;
    },
    onImported: refreshAll,
  });

  bindCsvUpload(section.querySelector("#opportunities-import-form"), {
    path: () => apiPath("admin", "forums", forumId(), "opportunities"),
    result: section.querySelector("#opportunities-import-result"),
    guarded,
    describe: (body) => plural("admin_forum.opportunities_imported", body.updated ?? 0),
    onImported: refreshAll,
  });
}
