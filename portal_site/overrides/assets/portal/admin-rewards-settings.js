// The settings part of the admin rewards page: the catalog (add, edit, remove rewards), the
// points rules per activity type with the bonus per attending prospect, and the tiers.

import { apiPath } from "./api.js";
import { adminRequest, errorText } from "./admin-access.js";
import { formPayload, showRejection } from "./admin-rewards-forms.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";
import { instantText, numberText } from "./rewards-format.js";

// Limits of the tiers form, as advocacy.domain.rewards (MAX_TIERS) and advocacy.forms.rewards
// (TIER_NAME_MAX) set them. The API rejects longer lists and names anyway.
const MAX_TIERS = 10;
const TIER_NAME_MAX = 40;

function catalogPath(...rest) {
  return apiPath("admin", "rewards", "catalog", ...rest);
}

function rewardRow(reward) {
  const id = `catalog-${reward.reward_id}`;
  const stock = reward.stock === null || reward.stock === undefined ? t("admin_rewards.unlimited") : numberText(reward.stock);
  const question = element(
    "div",
    { class: "portal-confirm", role: "group", "aria-labelledby": `${id}-question`, "data-remove-question": "", hidden: true },
    element("p", { id: `${id}-question` }, t("admin_rewards.remove_question", { name: reward.name })),
    element("button", { type: "button", class: "md-button md-button--primary portal-button-small", "data-confirm-remove": "" }, t("admin_rewards.remove_yes")),
    element("button", { type: "button", class: "md-button portal-button-small", "data-keep-reward": "" }, t("admin_rewards.remove_no")),
  );
  const actions = element(
    "div",
    { class: "portal-catalog-actions", "data-reward-actions": "" },
    element(
      "button",
      { type: "button", class: "md-button portal-button-small", "data-edit-reward": "", "aria-label": t("admin_rewards.edit_label", { name: reward.name }) },
      t("admin_rewards.edit"),
    ),
    element(
      "button",
      { type: "button", class: "md-button portal-button-small", "data-remove-reward": "", "aria-label": t("admin_rewards.remove_label", { name: reward.name }) },
      t("admin_rewards.remove"),
    ),
  );
  return element(
    "tr",
    { "data-reward-id": reward.reward_id, "data-name": reward.name, "data-active": String(Boolean(reward.active)) },
    element("th", { scope: "row" }, reward.name ?? ""),
    element("td", { class: "portal-points-cell" }, numberText(reward.points)),
    element("td", { "data-stock": "" }, stock),
    element("td", {}, reward.active ? t("admin_rewards.yes") : t("admin_rewards.no")),
    element("td", {}, actions, question),
  );
}

function tierField(index, part, value) {
  const name = `tiers-${index}-${part}`;
  const id = `tier-${index}-${part}`;
  const attributes = part === "name"
    ? { type: "text", maxlength: String(TIER_NAME_MAX), autocomplete: "off" }
    : { type: "number", min: "0", step: "1", inputmode: "numeric" };
  return element(
    "div",
    { class: "portal-field", "data-field": name },
    element("label", { for: id }, t(`admin_rewards.tier_${part}`, { number: index + 1 })),
    element("input", { ...attributes, id, name, required: true, value: value ?? "", "aria-describedby": `${id}-error` }),
    element("p", { class: "portal-field-error", id: `${id}-error`, hidden: true }),
  );
}

function tierRow(tier, index, count) {
  const remove = element(
    "button",
    { type: "button", class: "md-button portal-button-small", "data-remove-tier": "", "aria-label": t("admin_rewards.remove_tier_label", { number: index + 1 }) },
    t("admin_rewards.remove_tier"),
  );
  remove.hidden = count === 1;
  return element(
    "li",
    { class: "portal-tier-row", "data-tier-row": "" },
    tierField(index, "name", tier.name),
    tierField(index, "threshold", tier.threshold),
    remove,
  );
}

/** Remove the catalog, rules and tiers from the page when the session stops being an admin's. */
export function clearSettings(root) {
  root.querySelector("#catalog-table tbody").replaceChildren();
  root.querySelector("#tier-rows").replaceChildren();
  for (const form of root.querySelectorAll("#reward-form, #rules-form")) {
    form.reset();
  }
  for (const selector of ["#catalog-status", "#catalog-result", "#reward-form-result", "#rules-status", "#rules-result", "#tiers-result"]) {
    const region = root.querySelector(selector);
    region.replaceChildren();
    region.hidden = true;
  }
}

/**
 * Bind the catalog, rules and tiers forms. `guarded(region, work)` runs one admin request as
 * openAdminPage returns it. Return `loadAll()` and `loadCatalog()` for the page's script.
 */
export function bindSettings(root, guarded) {
  const catalogStatus = root.querySelector("#catalog-status");
  const catalogResult = root.querySelector("#catalog-result");
  const catalogBody = root.querySelector("#catalog-table tbody");
  const catalogEmpty = root.querySelector("#catalog-empty");
  const rewardForm = root.querySelector("#reward-form");
  const rewardResult = root.querySelector("#reward-form-result");
  const rewardHeading = root.querySelector("#reward-form-heading");
  const rewardSave = root.querySelector("#reward-save");
  const cancelEdit = root.querySelector("#reward-cancel-edit");
  const rulesForm = root.querySelector("#rules-form");
  const rulesStatus = root.querySelector("#rules-status");
  const rulesResult = root.querySelector("#rules-result");
  const tiersForm = root.querySelector("#tiers-form");
  const tierRows = root.querySelector("#tier-rows");
  const tiersResult = root.querySelector("#tiers-result");
  const addTier = root.querySelector("#add-tier");
  // The page's own texts of the form in "add" mode, put back when editing stops.
  const addHeadingText = rewardHeading.textContent;
  const addButtonText = rewardSave.textContent;
  const rewards = new Map();

  // Catalog

  async function loadCatalog() {
    const { status, body } = await adminRequest("GET", catalogPath());
    if (status !== 200) {
      announce(catalogStatus, errorText(status, body, "admin_rewards.load_failed"));
      return;
    }
    const list = Array.isArray(body.rewards) ? body.rewards : [];
    rewards.clear();
    for (const reward of list) {
      rewards.set(reward.reward_id, reward);
    }
    catalogBody.replaceChildren(...list.map(rewardRow));
    catalogBody.closest(".portal-table-scroll").hidden = list.length === 0;
    catalogEmpty.hidden = list.length > 0;
    announce(catalogStatus, plural("admin_rewards.reward_count", list.length));
  }

  function stopEditing() {
    rewardForm.reset();
    clearFieldErrors(rewardForm);
    rewardHeading.textContent = addHeadingText;
    rewardSave.textContent = addButtonText;
    cancelEdit.hidden = true;
  }

  function startEditing(reward) {
    stopEditing();
    const fields = rewardForm.elements;
    fields.namedItem("reward_id").value = reward.reward_id;
    fields.namedItem("version").value = String(reward.version);
    fields.namedItem("name").value = reward.name ?? "";
    fields.namedItem("description").value = reward.description ?? "";
    fields.namedItem("points").value = String(reward.points ?? "");
    fields.namedItem("stock").value = reward.stock === null || reward.stock === undefined ? "" : String(reward.stock);
    fields.namedItem("active").checked = Boolean(reward.active);
    rewardHeading.textContent = t("admin_rewards.edit_heading", { name: reward.name });
    rewardSave.textContent = t("admin_rewards.save_reward");
    cancelEdit.hidden = false;
    rewardResult.hidden = true;
    fields.namedItem("name").focus();
  }

  async function saveReward() {
    const { reward_id: rewardId, version, ...fields } = formPayload(rewardForm);
    const editing = Boolean(rewardId);
    const { status, body } = editing
      ? await adminRequest("PUT", catalogPath(rewardId), { ...fields, version })
      : await adminRequest("POST", catalogPath(), fields);
    if (status === 200 || status === 201) {
      stopEditing();
      await loadCatalog();
      rewardResult.dataset.outcome = editing ? "saved" : "added";
      announce(rewardResult, t(editing ? "admin_rewards.reward_saved" : "admin_rewards.reward_added", { name: body.reward?.name ?? fields.name }), { focus: true });
      return;
    }
    showRejection(rewardForm, rewardResult, status, body, "admin_rewards.reward_failed");
    if (status === 409 || status === 404) {
      // Another admin or a redemption changed the reward: show the current catalog to edit again.
      await loadCatalog();
    }
  }

  async function removeReward(row) {
    const { status, body } = await adminRequest("DELETE", catalogPath(row.dataset.rewardId));
    if (rewardForm.elements.namedItem("reward_id").value === row.dataset.rewardId) {
      stopEditing();
    }
    await loadCatalog();
    catalogResult.dataset.outcome = status === 200 ? "removed" : "error";
    const text = status === 200 ? t("admin_rewards.reward_removed", { name: row.dataset.name }) : errorText(status, body, "admin_rewards.reward_failed");
    announce(catalogResult, text, { focus: true });
  }

  catalogBody.addEventListener("click", async (event) => {
    const row = event.target.closest("tr[data-reward-id]");
    if (!row) {
      return;
    }
    const actions = row.querySelector("[data-reward-actions]");
    const question = row.querySelector("[data-remove-question]");
    if (event.target.closest("button[data-edit-reward]")) {
      startEditing(rewards.get(row.dataset.rewardId));
    } else if (event.target.closest("button[data-remove-reward]")) {
      actions.hidden = true;
      question.hidden = false;
      question.querySelector("button[data-confirm-remove]").focus();
    } else if (event.target.closest("button[data-keep-reward]")) {
      question.hidden = true;
      actions.hidden = false;
      actions.querySelector("button[data-remove-reward]").focus();
    } else if (event.target.closest("button[data-confirm-remove]")) {
      for (const button of question.querySelectorAll("button")) {
        button.disabled = true;
      }
      catalogResult.hidden = true;
      await guarded(catalogResult, () => removeReward(row));
    }
  });

  rewardForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    rewardSave.disabled = true;
    clearFieldErrors(rewardForm);
    rewardResult.hidden = true;
    await guarded(rewardResult, saveReward);
    rewardSave.disabled = false;
  });

  cancelEdit.addEventListener("click", () => {
    stopEditing();
    rewardResult.hidden = true;
    rewardForm.elements.namedItem("name").focus();
  });

  // Points rules

  function fillRules(body) {
    const points = body.points_by_type ?? {};
    for (const [name, value] of Object.entries(points)) {
      const control = rulesForm.elements.namedItem(name);
      if (control) {
        control.value = String(value);
      }
    }
    rulesForm.elements.namedItem("bonus_per_attending_prospect").value = String(body.bonus_per_attending_prospect ?? 0);
    rulesForm.elements.namedItem("bonus_cap").value = String(body.bonus_cap ?? 0);
    const text = body.version
      ? t("admin_rewards.rules_version", { version: body.version, when: instantText(body.effective_from), admin: body.changed_by || t("admin_rewards.unknown_admin") })
      : t("admin_rewards.rules_built_in");
    announce(rulesStatus, text);
  }

  async function loadRules() {
    const { status, body } = await adminRequest("GET", apiPath("admin", "rewards", "rules"));
    if (status !== 200) {
      announce(rulesStatus, errorText(status, body, "admin_rewards.load_failed"));
      return;
    }
    fillRules(body);
  }

  async function saveRules() {
    const { status, body } = await adminRequest("PUT", apiPath("admin", "rewards", "rules"), formPayload(rulesForm));
    if (status !== 200) {
      showRejection(rulesForm, rulesResult, status, body, "admin_rewards.rules_failed");
      return;
    }
    fillRules(body);
    rulesResult.dataset.outcome = "saved";
    announce(rulesResult, t("admin_rewards.rules_saved", { version: body.version }), { focus: true });
  }

  rulesForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = root.querySelector("#rules-save");
    submit.disabled = true;
    clearFieldErrors(rulesForm);
    rulesResult.hidden = true;
    await guarded(rulesResult, saveRules);
    submit.disabled = false;
  });

  // Tiers

  function tiersOnPage() {
    return [...tierRows.querySelectorAll("li[data-tier-row]")].map((row) => {
      const [name, threshold] = row.querySelectorAll("input");
      return { name: name.value.trim(), threshold: threshold.value.trim() };
    });
  }

  function renderTiers(tiers) {
    tierRows.replaceChildren(...tiers.map((tier, index) => tierRow(tier, index, tiers.length)));
    addTier.disabled = tiers.length >= MAX_TIERS;
  }

  async function loadTiers() {
    const { status, body } = await adminRequest("GET", apiPath("admin", "rewards", "tiers"));
    if (status !== 200) {
      announce(tiersResult, errorText(status, body, "admin_rewards.load_failed"));
      return;
    }
    renderTiers(Array.isArray(body.tiers) ? body.tiers : []);
  }

  async function saveTiers() {
    const { status, body } = await adminRequest("PUT", apiPath("admin", "rewards", "tiers"), { tiers: tiersOnPage() });
    if (status !== 200) {
      showRejection(tiersForm, tiersResult, status, body, "admin_rewards.tiers_failed");
      return;
    }
    renderTiers(Array.isArray(body.tiers) ? body.tiers : []);
    tiersResult.dataset.outcome = "saved";
    announce(tiersResult, plural("admin_rewards.tiers_saved", body.tiers?.length ?? 0), { focus: true });
  }

  addTier.addEventListener("click", () => {
    const tiers = tiersOnPage();
    if (tiers.length >= MAX_TIERS) {
      return;
    }
    renderTiers([...tiers, { name: "", threshold: "" }]);
    tierRows.querySelector("li[data-tier-row]:last-child input").focus();
  });

  tierRows.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-remove-tier]");
    if (!button) {
      return;
    }
    const rows = [...tierRows.querySelectorAll("li[data-tier-row]")];
    const index = rows.indexOf(button.closest("li"));
    const tiers = tiersOnPage();
    tiers.splice(index, 1);
    renderTiers(tiers);
    const next = tierRows.querySelectorAll("li[data-tier-row]")[Math.min(index, tiers.length - 1)];
    next.querySelector("input").focus();
  });

  tiersForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = root.querySelector("#tiers-save");
    submit.disabled = true;
    clearFieldErrors(tiersForm);
    tiersResult.hidden = true;
    await guarded(tiersResult, saveTiers);
    submit.disabled = false;
  });

  return {
    loadCatalog: () => guarded(catalogStatus, loadCatalog),
    loadAll: async () => {
      // One after another for the local server's sake, as init() in admin-rewards.js explains.
      await guarded(catalogStatus, loadCatalog);
      await guarded(rulesStatus, loadRules);
      await guarded(tiersResult, loadTiers);
    },
  };
}
