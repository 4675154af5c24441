// The admin's reports for a period. Influenced revenue gets a bar chart by quarter and tables by
// advocate, forum, industry and region. The activity mix, forum outcomes and program health
// follow, each with a CSV download, and then the registration and advocate exports.

import { apiPath } from "./api.js";
import { adminRequest, openAdminPage } from "./admin-access.js";
import { barChart, dataTable } from "./charts.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./field-errors.js";
import { hasString, locale, plural, t } from "./i18n.js";
import { amountText, refusalText } from "./demand-forms.js";

const INFLUENCE_GROUPS = ["quarter", "advocate", "forum", "industry", "region"];

function activityLabel(kind) {
  const key = `admin_reports.activity_types.${kind}`;
  return hasString(key) ? t(key) : String(kind);
}

function percentText(rate) {
  if (rate === null || rate === undefined) {
    return t("admin_reports.not_applicable");
  }
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

function dayText(instant) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium" }).format(new Date(instant));
}

function emptyNote(text) {
  return element("p", { class: "portal-hint", "data-empty": "" }, text);
}

/** Render one influence group: a table of key, influenced amount and opportunities. */
function influenceTable(group, rows) {
  if (rows.length === 0) {
    return emptyNote(t("admin_reports.no_influence"));
  }
  return dataTable({
    id: `influence-${group}-table`,
    caption: t(`admin_reports.influence_captions.${group}`),
    columns: [
      { label: t(`admin_reports.influence_keys.${group}`) },
      { label: t("admin_reports.amount"), numeric: true },
      { label: t("admin_reports.opportunities"), numeric: true },
    ],
    rows: rows.map((row) => [row.key, amountText(row.amount, locale()), amountText(row.count, locale())]),
  });
}

function activitiesTable(rows) {
  return dataTable({
    id: "activities-table",
    caption: t("admin_reports.activities_caption"),
    columns: [{ label: t("admin_reports.activity_type") }, { label: t("admin_reports.activity_count"), numeric: true }],
    rows: rows.map((row) => [activityLabel(row.key), amountText(row.count, locale())]),
  });
}

function forumsTable(forums) {
  return dataTable({
    id: "forums-table",
    caption: t("admin_reports.forums_caption"),
    columns: [
      { label: t("admin_reports.forum_columns.title") },
      { label: t("admin_reports.forum_columns.starts") },
      { label: t("admin_reports.forum_columns.status") },
      { label: t("admin_reports.forum_columns.registrations"), numeric: true },
      { label: t("admin_reports.forum_columns.confirmed"), numeric: true },
      { label: t("admin_reports.forum_columns.attended"), numeric: true },
      { label: t("admin_reports.forum_columns.attendance_rate"), numeric: true },
      { label: t("admin_reports.forum_columns.feedback"), numeric: true },
      { label: t("admin_reports.forum_columns.average_rating"), numeric: true },
    ],
    rows: forums.map((forum) => [
      forum.title,
      dayText(forum.starts_at),
      forum.status,
      String(forum.registrations),
      String(forum.confirmed),
      String(forum.attended),
      percentText(forum.attendance_rate),
      String(forum.feedback_count),
      forum.average_rating === null || forum.average_rating === undefined ? t("admin_reports.not_applicable") : String(forum.average_rating),
    ]),
  });
}

export async function init(root) {
  const message = document.querySelector("#admin-reports-message");
  const form = root.querySelector("#report-period-form");
  const status = root.querySelector("#reports-status");
  const body = root.querySelector("#reports-body");

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      body.hidden = true;
      for (const container of body.querySelectorAll(".portal-report, .portal-chart-frame, #advocates-at-cap")) {
        container.replaceChildren();
      }
      status.replaceChildren();
      status.hidden = true;
    },
  });
  if (!guarded) {
    return;
  }

  /** Point every CSV link at the shown period, so a download matches the tables. */
  function setDownloadLinks(period) {
    const query = new URLSearchParams(period).toString();
    for (const link of body.querySelectorAll("a[data-report]")) {
      link.href = `/api${apiPath("admin", "reports", `${link.dataset.report}.csv`)}?${query}`;
    }
    const registrations = body.querySelector("#export-registrations");
    registrations.href = `/api${apiPath("admin", "exports", "registrations.csv")}?${query}`;
  }

  function renderChart(frame, figure, rows, describe) {
    figure.hidden = rows.length === 0;
    frame.replaceChildren(rows.length === 0 ? "" : barChart({ bars: rows.map(describe) }));
  }

  function render(report) {
    const influence = report.influence ?? {};
    for (const group of INFLUENCE_GROUPS) {
      body.querySelector(`#influence-${group}-report`).replaceChildren(influenceTable(group, influence[group] ?? []));
    }
    renderChart(body.querySelector("#influence-quarter-chart"), body.querySelector("#influence-quarter-figure"), influence.quarter ?? [], (row) => ({
      label: row.key,
      value: row.amount,
      text: amountText(row.amount, locale()),
    }));

    const activities = report.activities ?? [];
    renderChart(body.querySelector("#activities-chart"), body.querySelector("#activities-figure"), activities, (row) => ({
      label: activityLabel(row.key),
      value: row.count,
      text: amountText(row.count, locale()),
    }));
    body.querySelector("#activities-report").replaceChildren(activities.length === 0 ? emptyNote(t("admin_reports.no_activities")) : activitiesTable(activities));

    const forums = report.forums ?? [];
    body.querySelector("#forums-report").replaceChildren(forums.length === 0 ? emptyNote(t("admin_reports.no_forums")) : forumsTable(forums));

    const health = report.health ?? {};
    const atCap = Array.isArray(health.advocates_at_cap) ? health.advocates_at_cap : [];
    const facts = {
      nominations_waiting: health.nominations_waiting,
      stale_profiles: health.stale_profiles,
      advocates_at_cap_count: atCap.length,
      points_issued: health.points_issued,
    };
    for (const [name, value] of Object.entries(facts)) {
      body.querySelector(`[data-health-field="${name}"]`).textContent = amountText(value, locale());
    }
    const list = body.querySelector("#advocates-at-cap");
    list.replaceChildren(...atCap.map((email) => element("li", {}, email)));
    list.hidden = atCap.length === 0;
  }

  async function loadReports(period) {
    announce(status, t("common.loading"));
    const query = period ? `?${new URLSearchParams(period)}` : "";
    const { status: httpStatus, body: report } = await adminRequest("GET", `${apiPath("admin", "reports")}${query}`);
    if (httpStatus === 422) {
      const unplaced = showFieldErrors(form, report.errors ?? {});
      announce(status, unplaced.join(" ") || t("admin_reports.invalid_period"));
      return;
    }
    if (httpStatus !== 200) {
      announce(status, refusalText(httpStatus, report, t("admin_reports.load_failed")));
      return;
    }
    form.elements.namedItem("from").value = report.from;
    form.elements.namedItem("to").value = report.to;
    render(report);
    setDownloadLinks({ from: report.from, to: report.to });
    body.hidden = false;
    const total = (report.influence?.quarter ?? []).reduce((sum, row) => sum + Number(row.amount || 0), 0);
    announce(status, plural("admin_reports.summary", (report.forums ?? []).length, { from: report.from, to: report.to, amount: amountText(total, locale()) }));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const period = { from: form.elements.namedItem("from").value, to: form.elements.namedItem("to").value };
    const missing = Object.fromEntries(Object.entries(period).filter(([, value]) => !value).map(([name]) => [name, t("admin_reports.date_missing")]));
    if (Object.keys(missing).length > 0) {
      showFieldErrors(form, missing);
      return;
    }
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    guarded(status, () => loadReports(period)).finally(() => {
      submit.disabled = false;
    });
  });

  await guarded(status, () => loadReports(null));
}
