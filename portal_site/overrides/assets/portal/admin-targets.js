// Portfolio targets with their coverage for the coming quarter: a heat map and a table of supply
// beside demand, the form for a new target, and suggestions for new forums where demand is.

import { apiPath } from "./api.js";
import { adminRequest, openAdminPage } from "./admin-access.js";
import { heatMap } from "./charts.js";
import { announce, element, siteUrl } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";
import { fixErrorsText, formPayload, refusalText, segmentText, showRejection, whileSubmitting } from "./demand-forms.js";

// Fields of a supply suggestion's prefill, in the order of the new-forum form.
const PREFILL_FIELDS = ["title", "format", "capacity", "duration_minutes", "time_zone", "host_emails", "industry", "region", "product", "language"];

function targetLabel(target) {
  return segmentText(target.segment, t("admin_targets.whole_program"));
}

/** Build the heat map rows: covered share of each target, then its two kinds of demand. */
function heatMapRows(targets) {
  const mostRegistrations = Math.max(1, ...targets.map((target) => target.demand_registrations ?? 0));
  const mostRequests = Math.max(1, ...targets.map((target) => target.demand_requests ?? 0));
  return targets.map((target) => ({
    label: targetLabel(target),
    cells: [
      { text: t("admin_targets.covered_of", { covered: target.covered, wanted: target.wanted }), level: target.wanted > 0 ? target.covered / target.wanted : 1 },
      { text: String(target.demand_registrations ?? 0), level: (target.demand_registrations ?? 0) / mostRegistrations },
      { text: String(target.demand_requests ?? 0), level: (target.demand_requests ?? 0) / mostRequests },
    ],
  }));
}

function newForumUrl(prefill) {
  const query = new URLSearchParams();
  for (const name of PREFILL_FIELDS) {
    if (prefill?.[name] !== undefined && prefill[name] !== "") {
      query.set(name, String(prefill[name]));
    }
  }
  return siteUrl(`admin/forum/?${query}`);
}

function suggestionItem(suggestion, index) {
  const prefill = suggestion.prefill ?? {};
  const facts = element("dl", { class: "portal-facts portal-prefill" });
  for (const name of PREFILL_FIELDS) {
    if (prefill[name] === undefined || prefill[name] === "") {
      continue;
    }
    facts.append(
      element("div", { class: "portal-fact" }, element("dt", {}, t(`admin_targets.prefill.${name}`)), element("dd", { "data-prefill": name }, String(prefill[name]))),
    );
  }
  const link = element(
    "a",
    { href: newForumUrl(prefill), class: "md-button md-button--primary", id: `supply-suggestion-${index}-link`, "data-new-forum": "" },
    t("admin_targets.open_new_forum"),
  );
  return element(
    "li",
    { class: "portal-match", "data-advocate": suggestion.advocate },
    element("p", { class: "portal-match__name" }, element("strong", {}, suggestion.reason)),
    element("p", {}, t("admin_targets.suggested_advocate", { advocate: suggestion.advocate, segment: segmentText(suggestion.segment, t("admin_targets.whole_program")) })),
    facts,
    element("p", { class: "portal-hint" }, t("admin_targets.copy_values")),
    link,
  );
}

export async function init(root) {
  const message = document.querySelector("#admin-targets-message");
  const status = root.querySelector("#targets-status");
  const figure = root.querySelector("#coverage-heatmap");
  const chart = root.querySelector("#coverage-heatmap-chart");
  const tableBody = root.querySelector("#targets-table tbody");
  const removeResult = root.querySelector("#target-remove-result");
  const form = root.querySelector("#target-form");
  const formResult = root.querySelector("#target-form-result");
  const supplyStatus = root.querySelector("#supply-status");
  const suggestions = root.querySelector("#supply-suggestions");

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      tableBody.replaceChildren();
      chart.replaceChildren();
      suggestions.replaceChildren();
      figure.hidden = true;
      form.reset();
      for (const region of [status, removeResult, formResult, supplyStatus]) {
        region.replaceChildren();
        region.hidden = true;
      }
    },
  });
  if (!guarded) {
    return;
  }

  function targetRow(target) {
    const label = targetLabel(target);
    const remove = element("button", { type: "button", class: "md-button portal-button-small", "data-remove-target": target.target_id }, t("admin_targets.remove"));
    remove.setAttribute("aria-label", t("admin_targets.remove_label", { label }));
    remove.addEventListener("click", () => {
      remove.disabled = true;
      guarded(removeResult, () => removeTarget(target, label)).finally(() => {
        remove.disabled = false;
      });
    });
    const advocates = target.advocates ?? [];
    const coveredBy = advocates.length === 0
      ? t("admin_targets.nobody")
      : element(
        "details",
        {},
        element("summary", {}, plural("admin_targets.advocate_count", advocates.length)),
        element("ul", { class: "portal-plain-list" }, ...advocates.map((email) => element("li", {}, email))),
      );
    return element(
      "tr",
      { "data-target-id": target.target_id, "data-gap": target.gap },
      element("th", { scope: "row" }, label),
      element("td", { class: "portal-cell-number" }, String(target.wanted)),
      element("td", { class: "portal-cell-number", "data-covered": "" }, String(target.covered)),
      element("td", { class: target.gap > 0 ? "portal-cell-number portal-gap" : "portal-cell-number", "data-gap-cell": "" }, String(target.gap)),
      element("td", { class: "portal-cell-number" }, String(target.demand_registrations ?? 0)),
      element("td", { class: "portal-cell-number" }, String(target.demand_requests ?? 0)),
      element("td", { class: "portal-cell-wrap" }, coveredBy),
      element("td", {}, remove),
    );
  }

  async function loadTargets() {
    announce(status, t("common.loading"));
    const { status: httpStatus, body } = await adminRequest("GET", apiPath("admin", "targets"));
    if (httpStatus !== 200) {
      announce(status, refusalText(httpStatus, body, t("admin_targets.load_failed")));
      return;
    }
    const targets = Array.isArray(body.targets) ? body.targets : [];
    tableBody.replaceChildren(...targets.map(targetRow));
    tableBody.closest(".portal-table-scroll").hidden = targets.length === 0;
    chart.replaceChildren(
      heatMap({
        columns: [
          { label: t("admin_targets.heatmap_covered"), tone: "supply" },
          { label: t("admin_targets.heatmap_registrations"), tone: "demand" },
          { label: t("admin_targets.heatmap_requests"), tone: "demand" },
        ],
        rows: heatMapRows(targets),
      }),
    );
    figure.hidden = targets.length === 0;
    const gaps = targets.filter((target) => target.gap > 0).length;
    announce(status, targets.length === 0 ? t("admin_targets.none") : plural("admin_targets.count", targets.length, { gaps }));
  }

  async function loadSuggestions() {
    announce(supplyStatus, t("common.loading"));
    const { status: httpStatus, body } = await adminRequest("GET", apiPath("admin", "supply-suggestions"));
    if (httpStatus !== 200) {
      announce(supplyStatus, refusalText(httpStatus, body, t("admin_targets.suggestions_failed")));
      return;
    }
    const items = Array.isArray(body.suggestions) ? body.suggestions : [];
    suggestions.replaceChildren(...items.map(suggestionItem));
    suggestions.hidden = items.length === 0;
    announce(supplyStatus, plural("admin_targets.suggestion_count", items.length));
  }

  async function removeTarget(target, label) {
    const { status: httpStatus, body } = await adminRequest("DELETE", apiPath("admin", "targets", target.target_id));
    if (httpStatus !== 200) {
      removeResult.dataset.outcome = "error";
      announce(removeResult, refusalText(httpStatus, body, t("admin_targets.remove_failed")), { focus: true });
      return;
    }
    await loadTargets();
    removeResult.dataset.outcome = "removed";
    announce(removeResult, t("admin_targets.removed", { label }), { focus: true });
  }

  async function addTarget() {
    clearFieldErrors(form);
    announce(formResult, t("common.loading"));
    const { status: httpStatus, body } = await adminRequest("POST", apiPath("admin", "targets"), formPayload(form));
    if (httpStatus === 201) {
      form.reset();
      await loadTargets();
      formResult.dataset.outcome = "created";
      announce(formResult, t("admin_targets.created", { label: body.label, wanted: body.wanted }), { focus: true });
      return;
    }
    showRejection(form, formResult, httpStatus, body, {
      summary: fixErrorsText("admin_targets.fix_errors"),
      fallback: t("admin_targets.create_failed"),
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, () => guarded(formResult, addTarget));
  });

  await Promise.all([guarded(status, loadTargets), guarded(supplyStatus, loadSuggestions)]);
}
