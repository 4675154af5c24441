// The admin's rewards page (/admin/rewards/): redemption requests to fulfill or decline, one
// advocate's points with manual adjustments, and the points booked per quarter. The catalog,
// points rules and tiers are in admin-rewards-settings.js. Until GET /api/session reports an
// admin, the page shows only a sign-in link (admin-access.js).

import { apiPath } from "./api.js";
import { adminRequest, errorText, openAdminPage } from "./admin-access.js";
import { formPayload, showRejection } from "./admin-rewards-forms.js";
import { bindSettings, clearSettings } from "./admin-rewards-settings.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";
import {
  entryKindText,
  entryPurposeText,
  instantText,
  numberText,
  pointsText,
  redemptionStatusText,
  signedPointsText,
} from "./rewards-format.js";

// Maximum length of the note that FulfillForm and DeclineForm accept (NOTE_MAX in advocacy.forms.rewards).
const NOTE_MAX = 1000;

/** Return the API path of one advocate's points. "@" stays unencoded, which a path segment allows (RFC 3986 pchar). */
function advocatePointsPath(email) {
  return apiPath("admin", "rewards", "advocates", email).replace(/%40/g, "@");
}

function decisionFields(redemption) {
  const id = `redemption-${redemption.redemption_id}`;
  const note = element("textarea", {
    id: `${id}-note`,
    name: "note",
    maxlength: String(NOTE_MAX),
    rows: "2",
    "aria-describedby": `${id}-note-description ${id}-note-error`,
  });
  return [
    element(
      "div",
      { class: "portal-field", "data-field": "note" },
      element("label", { for: `${id}-note` }, t("admin_rewards.note_label")),
      element("p", { class: "portal-field-description", id: `${id}-note-description` }, t("admin_rewards.note_description")),
      note,
      element("p", { class: "portal-field-error", id: `${id}-note-error`, hidden: true }),
    ),
    element(
      "div",
      { class: "portal-redemption__actions" },
      element(
        "button",
        { type: "submit", class: "md-button md-button--primary", "data-decision": "fulfill", "aria-label": t("admin_rewards.fulfill_label", redemption) },
        t("admin_rewards.fulfill"),
      ),
      element(
        "button",
        { type: "submit", class: "md-button", "data-decision": "decline", "aria-label": t("admin_rewards.decline_label", redemption) },
        t("admin_rewards.decline"),
      ),
    ),
  ];
}

function decisionFacts(redemption) {
  const decided = t("admin_rewards.decided", {
    status: redemptionStatusText(redemption),
    when: instantText(redemption.decided_at),
    admin: redemption.decided_by || t("admin_rewards.unknown_admin"),
  });
  const facts = [element("p", { "data-redemption-status": redemption.status }, decided)];
  if (redemption.note) {
    facts.push(element("p", { class: "portal-redemption__note" }, t("admin_rewards.note_given", { note: redemption.note })));
  }
  return facts;
}

/** Build one redemption request as a small form, with the decision buttons while it is pending. */
function redemptionItem(redemption) {
  const id = `redemption-${redemption.redemption_id}`;
  const pending = redemption.status === "pending";
  const form = element(
    "form",
    { class: "portal-form portal-redemption__form", novalidate: true, "aria-labelledby": `${id}-title` },
    element("h3", { id: `${id}-title` }, t("admin_rewards.redemption_title", { name: redemption.reward_name, points: pointsText(redemption.points) })),
    element("p", {}, t("admin_rewards.requested", { email: redemption.advocate_email ?? "", when: instantText(redemption.requested_at) })),
    ...(pending ? decisionFields(redemption) : decisionFacts(redemption)),
  );
  return element(
    "li",
    {
      class: "portal-redemption",
      "data-redemption-id": redemption.redemption_id,
      "data-status": redemption.status,
      "data-advocate": redemption.advocate_email ?? "",
      "data-reward": redemption.reward_name ?? "",
    },
    form,
  );
}

function adminLedgerRow(entry) {
  return element(
    "tr",
    { "data-entry-id": entry.entry_id, "data-kind": entry.kind },
    element("td", {}, instantText(entry.created_at)),
    element("td", {}, entryKindText(entry)),
    element("td", { class: "portal-points-cell" }, signedPointsText(entry.points)),
    element("td", {}, entry.created_by ?? ""),
    element("td", {}, entryPurposeText(entry)),
  );
}

function quarterRow(quarter) {
  const cells = [quarter.issued, quarter.awarded, quarter.adjusted_up, quarter.adjusted_down, quarter.redeemed, quarter.refunded, quarter.entries];
  return element(
    "tr",
    { "data-quarter": quarter.quarter },
    element("th", { scope: "row" }, quarter.quarter ?? ""),
    ...cells.map((value) => element("td", { class: "portal-points-cell" }, numberText(value))),
  );
}

export async function init(root) {
  const message = document.querySelector("#admin-rewards-message");
  const statusSelect = root.querySelector("#redemption-status");
  const redemptionsStatus = root.querySelector("#redemptions-status");
  const redemptionResult = root.querySelector("#redemption-result");
  const redemptionList = root.querySelector("#redemption-list");
  const pointsForm = root.querySelector("#advocate-points-form");
  const pointsResult = root.querySelector("#advocate-points-result");
  const pointsSection = root.querySelector("#advocate-points");
  const ledgerBody = root.querySelector("#advocate-ledger-table tbody");
  const adjustmentForm = root.querySelector("#adjustment-form");
  const adjustmentResult = root.querySelector("#adjustment-result");
  const issuedForm = root.querySelector("#issued-form");
  const issuedStatus = root.querySelector("#issued-status");
  const issuedBody = root.querySelector("#issued-table tbody");
  let shownAdvocate = "";
  let settings = null;

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      for (const container of [redemptionList, ledgerBody, issuedBody]) {
        container.replaceChildren();
      }
      pointsSection.hidden = true;
      adjustmentForm.reset();
      pointsForm.reset();
      for (const region of [redemptionsStatus, redemptionResult, pointsResult, adjustmentResult, issuedStatus]) {
        region.replaceChildren();
        region.hidden = true;
      }
      clearSettings(root);
    },
  });
  if (!guarded) {
    return;
  }

  async function loadRedemptions() {
    announce(redemptionsStatus, t("common.loading"));
    const path = `${apiPath("admin", "rewards", "redemptions")}?${new URLSearchParams({ status: statusSelect.value })}`;
    const { status, body } = await adminRequest("GET", path);
    if (status !== 200) {
      redemptionList.replaceChildren();
      announce(redemptionsStatus, errorText(status, body, "admin_rewards.load_failed"));
      return;
    }
    const redemptions = Array.isArray(body.redemptions) ? body.redemptions : [];
    redemptionList.replaceChildren(...redemptions.map(redemptionItem));
    redemptionList.hidden = redemptions.length === 0;
    announce(redemptionsStatus, plural(`admin_rewards.redemption_count.${statusSelect.value}`, redemptions.length));
  }

  async function decide(item, form, decision) {
    const note = form.elements.namedItem("note").value.trim();
    const path = apiPath("admin", "rewards", "redemptions", item.dataset.redemptionId, decision);
    const { status, body } = await adminRequest("POST", path, { note });
    if (status === 200) {
      const values = { name: item.dataset.reward, email: item.dataset.advocate };
      await loadRedemptions();
      await settings.loadCatalog();
      await refreshShownAdvocate(item.dataset.advocate);
      redemptionResult.dataset.outcome = decision === "fulfill" ? "fulfilled" : "declined";
      announce(redemptionResult, t(`admin_rewards.done.${decision}`, values), { focus: true });
      return;
    }
    if (status === 422) {
      showRejection(form, redemptionResult, status, body, "admin_rewards.decision_failed");
      return;
    }
    // A 404 or 409 means another admin decided it first, so the reloaded list shows the current state.
    await loadRedemptions();
    redemptionResult.dataset.outcome = "error";
    announce(redemptionResult, errorText(status, body, "admin_rewards.decision_failed"), { focus: true });
  }

  async function showAdvocatePoints(email) {
    const { status, body } = await adminRequest("GET", advocatePointsPath(email));
    if (status !== 200) {
      pointsSection.hidden = true;
      pointsResult.dataset.outcome = "error";
      announce(pointsResult, errorText(status, body, "admin_rewards.points_failed"));
      return;
    }
    shownAdvocate = body.email ?? email;
    root.querySelector("#advocate-points-heading").textContent = t("admin_rewards.points_of", { email: shownAdvocate });
    root.querySelector('[data-advocate-points="balance"]').textContent = pointsText(body.balance);
    root.querySelector('[data-advocate-points="lifetime"]').textContent = pointsText(body.lifetime);
    root.querySelector('[data-advocate-points="tier"]').textContent = body.tier?.name ?? "";
    const entries = Array.isArray(body.entries) ? body.entries : [];
    ledgerBody.replaceChildren(...entries.map(adminLedgerRow));
    pointsResult.hidden = true;
    pointsSection.hidden = false;
  }

  /** Show the advocate's points again if a change concerned the advocate on display. */
  async function refreshShownAdvocate(email) {
    if (shownAdvocate && email && shownAdvocate === email.trim().toLowerCase()) {
      await showAdvocatePoints(shownAdvocate);
    }
  }

  async function adjust() {
    const payload = formPayload(adjustmentForm);
    const { status, body } = await adminRequest("POST", apiPath("admin", "rewards", "adjustments"), payload);
    if (status !== 201) {
      showRejection(adjustmentForm, adjustmentResult, status, body, "admin_rewards.adjustment_failed");
      return;
    }
    const points = Number(body.entry?.points ?? payload.points);
    const key = points > 0 ? "admin_rewards.added" : "admin_rewards.deducted";
    adjustmentForm.elements.namedItem("points").value = "";
    adjustmentForm.elements.namedItem("reason").value = "";
    await showAdvocatePoints(payload.email);
    adjustmentResult.dataset.outcome = "adjusted";
    announce(adjustmentResult, t(key, { points: pointsText(Math.abs(points)), email: payload.email, balance: pointsText(body.balance) }), { focus: true });
  }

  async function loadIssued(year) {
    announce(issuedStatus, t("common.loading"));
    const query = year ? `?${new URLSearchParams({ year })}` : "";
    const { status, body } = await adminRequest("GET", `${apiPath("admin", "rewards", "issued")}${query}`);
    if (status === 422) {
      issuedStatus.hidden = true;
      showRejection(issuedForm, issuedStatus, status, body, "admin_rewards.load_failed");
      return;
    }
    if (status !== 200) {
      announce(issuedStatus, errorText(status, body, "admin_rewards.load_failed"));
      return;
    }
    issuedForm.elements.namedItem("year").value = String(body.year);
    root.querySelector("#issued-caption").textContent = t("admin_rewards.issued_caption", { year: body.year });
    const quarters = Array.isArray(body.quarters) ? body.quarters : [];
    issuedBody.replaceChildren(...quarters.map(quarterRow));
    const total = quarters.reduce((sum, quarter) => sum + Number(quarter.issued ?? 0), 0);
    announce(issuedStatus, t("admin_rewards.issued_total", { year: body.year, points: pointsText(total) }));
  }

  statusSelect.addEventListener("change", () => {
    redemptionResult.hidden = true;
    guarded(redemptionsStatus, loadRedemptions);
  });

  redemptionList.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const decision = event.submitter?.dataset.decision;
    if (!decision) {
      return;
    }
    const buttons = form.querySelectorAll("button");
    for (const button of buttons) {
      button.disabled = true;
    }
    clearFieldErrors(form);
    redemptionResult.hidden = true;
    await guarded(redemptionResult, () => decide(form.closest("li"), form, decision));
    for (const button of buttons) {
      button.disabled = false;
    }
  });

  pointsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = pointsForm.elements.namedItem("email").value.trim();
    if (!email) {
      pointsForm.elements.namedItem("email").focus();
      return;
    }
    announce(pointsResult, t("common.loading"));
    await guarded(pointsResult, () => showAdvocatePoints(email));
  });

  adjustmentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = root.querySelector("#adjustment-submit");
    submit.disabled = true;
    clearFieldErrors(adjustmentForm);
    adjustmentResult.hidden = true;
    await guarded(adjustmentResult, adjust);
    submit.disabled = false;
  });

  issuedForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(issuedForm);
    await guarded(issuedStatus, () => loadIssued(issuedForm.elements.namedItem("year").value.trim()));
  });

  settings = bindSettings(root, guarded);
  // NOTE: one request after another, because the local server (localdev/server.py) calls a
  // Lambda handler from concurrent threads and Powertools' resolver keeps per-request state on
  // the shared app, so parallel requests there fail with HTTP 500. In AWS they could overlap.
  root.setAttribute("aria-busy", "true");
  await guarded(redemptionsStatus, loadRedemptions);
  await settings.loadAll();
  await guarded(issuedStatus, () => loadIssued(""));
  root.removeAttribute("aria-busy");
}
