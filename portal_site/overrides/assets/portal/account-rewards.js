// The advocate's rewards page (/account/rewards/): balance, lifetime points and tier, the
// catalog with a redeem button per reward, the advocate's redemption requests and the ledger.
// The page opens only for a session with the advocate role. The advocate API checks the same on
// every request and reads the advocate from the session, never from the page.

import { apiRequest, NetworkError } from "./api.js";
import { announce, element } from "./dom.js";
import { plural, t } from "./i18n.js";
import {
  entryKindText,
  entryPurposeText,
  instantText,
  newRequestId,
  numberText,
  pointsText,
  redemptionStatusText,
  signedPointsText,
} from "./rewards-format.js";
import { currentPagePath, hasRole, loadSession, SESSION_CHANGED, signInUrl } from "./session.js";

/** Raised when the advocate API returns 401 or 403, because the session ended or lost the role. */
class AccessLost extends Error {}

async function advocateRequest(method, path, payload) {
  const response = await apiRequest(method, path, payload);
  if (response.status === 401 || response.status === 403) {
    throw new AccessLost(`The advocate API returned HTTP ${response.status}`);
  }
  return response;
}

function ledgerRow(entry) {
  return element(
    "tr",
    { "data-entry-id": entry.entry_id, "data-kind": entry.kind },
    element("td", {}, instantText(entry.created_at)),
    element("td", {}, entryKindText(entry)),
    element("td", { class: "portal-points-cell", "data-points": entry.points }, signedPointsText(entry.points)),
    element("td", {}, entryPurposeText(entry)),
  );
}

function redemptionRow(redemption) {
  return element(
    "tr",
    { "data-redemption-id": redemption.redemption_id, "data-status": redemption.status },
    element("th", { scope: "row" }, redemption.reward_name ?? ""),
    element("td", { class: "portal-points-cell" }, numberText(redemption.points)),
    element("td", { "data-redemption-status": redemption.status }, redemptionStatusText(redemption)),
    element("td", {}, instantText(redemption.requested_at)),
    element("td", {}, instantText(redemption.decided_at)),
    element("td", {}, redemption.note ?? ""),
  );
}

function tierItem(tier, current) {
  const text = t("account_rewards.tier_from", { name: tier.name, points: pointsText(tier.threshold) });
  const item = element("li", { "data-tier": tier.name, "aria-current": current ? "true" : null }, text);
  if (current) {
    item.append(" ", element("strong", {}, t("account_rewards.your_tier")));
  }
  return item;
}

/** Build one catalog card. Its redeem button is disabled when the reward is out of stock or costs more than the balance. */
function rewardCard(reward, balance) {
  const id = `reward-${reward.reward_id}`;
  const shortBy = reward.points - balance;
  const facts = [pointsText(reward.points)];
  if (reward.stock !== null && reward.stock !== undefined) {
    facts.push(reward.in_stock ? plural("account_rewards.stock_left", reward.stock) : t("account_rewards.out_of_stock"));
  }

  let hint = null;
  if (!reward.in_stock) {
    hint = t("account_rewards.out_of_stock_hint");
  } else if (shortBy > 0) {
    hint = plural("account_rewards.points_short", shortBy);
  }
  const redeemButton = element(
    "button",
    {
      type: "button",
      class: "md-button md-button--primary",
      "data-redeem": "",
      "aria-label": t("account_rewards.redeem_label", { name: reward.name }),
      "aria-describedby": hint ? `${id}-hint` : null,
      disabled: Boolean(hint),
    },
    t("account_rewards.redeem"),
  );
  const question = element(
    "div",
    { class: "portal-confirm", role: "group", "aria-labelledby": `${id}-question`, "data-redeem-question": "", hidden: true },
    element("p", { id: `${id}-question` }, t("account_rewards.confirm", { name: reward.name, points: pointsText(reward.points), balance: pointsText(balance) })),
    element("button", { type: "button", class: "md-button md-button--primary", "data-confirm-redeem": "" }, t("account_rewards.confirm_yes")),
    element("button", { type: "button", class: "md-button", "data-keep-points": "" }, t("account_rewards.confirm_no")),
  );
  return element(
    "li",
    { class: "portal-reward", "data-reward-id": reward.reward_id, "data-name": reward.name },
    element("h3", { id: `${id}-name` }, reward.name ?? ""),
    element("p", { class: "portal-reward__cost" }, facts.join(t("common.separator"))),
    reward.description ? element("p", { class: "portal-reward__description" }, reward.description) : null,
    hint ? element("p", { class: "portal-hint", id: `${id}-hint`, "data-reward-hint": "" }, hint) : null,
    redeemButton,
    question,
  );
}

export async function init(root) {
  const message = document.querySelector("#rewards-message");
  const status = root.querySelector("#rewards-status");
  const standing = root.querySelector("#rewards-standing");
  const progress = root.querySelector("#tier-progress");
  const progressLabel = root.querySelector("#tier-progress-label");
  const ladder = root.querySelector("#tier-ladder");
  const catalog = root.querySelector("#reward-catalog");
  const catalogEmpty = root.querySelector("#catalog-empty");
  const redeemResult = root.querySelector("#redeem-result");
  const redemptionsBody = root.querySelector("#redemptions-table tbody");
  const redemptionsEmpty = root.querySelector("#redemptions-empty");
  const ledgerBody = root.querySelector("#ledger-table tbody");
  const ledgerEmpty = root.querySelector("#ledger-empty");
  let balance = 0;
  let locked = false;
  // Request id per reward for the redeem question that is open, so a retried request is one redemption.
  const requestIds = new Map();

  /** Remove every piece of the advocate's data and show the reason, with a sign-in link back to this page. */
  function lock(messageKey, values = {}) {
    locked = true;
    root.hidden = true;
    for (const container of [ladder, catalog, redemptionsBody, ledgerBody]) {
      container.replaceChildren();
    }
    for (const target of root.querySelectorAll("[data-rewards-field]")) {
      target.textContent = "";
    }
    for (const region of [status, redeemResult]) {
      region.replaceChildren();
      region.hidden = true;
    }
    const link = element("a", { href: signInUrl(currentPagePath()), id: "rewards-sign-in" }, t("account_rewards.sign_in"));
    const prompt = document.createDocumentFragment();
    prompt.append(element("p", {}, t(messageKey, values)), element("p", {}, link));
    message.dataset.outcome = "sign_in";
    announce(message, prompt);
  }

  /** Run one advocate request. Lock the page on 401/403, and report a network error in `region`. */
  async function guarded(region, work) {
    if (locked) {
      return;
    }
    try {
      await work();
    } catch (error) {
      if (error instanceof AccessLost) {
        lock("account_rewards.session_ended");
        return;
      }
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      region.dataset.outcome = "error";
      announce(region, t("common.network_error"), { focus: region === redeemResult });
    }
  }

  function renderStanding(body) {
    balance = Number(body.balance ?? 0);
    const lifetime = Number(body.lifetime ?? 0);
    const field = (name) => root.querySelector(`[data-rewards-field="${name}"]`);
    field("balance").textContent = pointsText(balance);
    field("balance").dataset.points = String(balance);
    field("lifetime").textContent = pointsText(lifetime);
    field("tier").textContent = body.tier?.name ?? "";

    const next = body.next_tier;
    if (next) {
      field("next_tier").textContent = plural("account_rewards.points_to_next", body.points_to_next_tier ?? 0, { tier: next.name });
      progress.max = Math.max(next.threshold, 1);
      progress.value = Math.min(lifetime, next.threshold);
      progressLabel.textContent = t("account_rewards.progress", { lifetime: numberText(lifetime), threshold: numberText(next.threshold), tier: next.name });
    } else {
      field("next_tier").textContent = t("account_rewards.top_tier");
    }
    progress.hidden = !next;
    progressLabel.hidden = !next;

    const tiers = Array.isArray(body.tiers) ? body.tiers : [];
    ladder.replaceChildren(...tiers.map((tier) => tierItem(tier, tier.name === body.tier?.name)));
    standing.hidden = false;
  }

  function renderCatalog(rewards) {
    requestIds.clear();
    catalog.replaceChildren(...rewards.map((reward) => rewardCard(reward, balance)));
    catalog.hidden = rewards.length === 0;
    catalogEmpty.hidden = rewards.length > 0;
  }

  function renderRedemptions(redemptions) {
    redemptionsBody.replaceChildren(...redemptions.map(redemptionRow));
    redemptionsBody.closest(".portal-table-scroll").hidden = redemptions.length === 0;
    redemptionsEmpty.hidden = redemptions.length > 0;
  }

  function renderLedger(entries) {
    ledgerBody.replaceChildren(...entries.map(ledgerRow));
    ledgerBody.closest(".portal-table-scroll").hidden = entries.length === 0;
    ledgerEmpty.hidden = entries.length > 0;
  }

  /** Load the four parts of the page and render each, the balance before the catalog that compares against it. */
  async function loadAll() {
    // NOTE: one request after another, because the local server (localdev/server.py) calls a
    // Lambda handler from concurrent threads and Powertools' resolver keeps per-request state
    // on the shared app, so parallel requests there fail with HTTP 500. In AWS they could overlap.
    const overview = await advocateRequest("GET", "/me/rewards");
    const rewards = await advocateRequest("GET", "/me/rewards/catalog");
    const redemptions = await advocateRequest("GET", "/me/rewards/redemptions");
    const ledger = await advocateRequest("GET", "/me/rewards/ledger");
    const failed = [overview, rewards, redemptions, ledger].find((response) => response.status !== 200);
    if (failed) {
      status.dataset.outcome = "error";
      announce(status, failed.status >= 500 ? t("common.server_error") : t("account_rewards.load_failed"));
      return;
    }
    renderStanding(overview.body);
    renderCatalog(Array.isArray(rewards.body.rewards) ? rewards.body.rewards : []);
    renderRedemptions(Array.isArray(redemptions.body.redemptions) ? redemptions.body.redemptions : []);
    renderLedger(Array.isArray(ledger.body.entries) ? ledger.body.entries : []);
    status.hidden = true;
  }

  async function redeem(card) {
    const rewardId = card.dataset.rewardId;
    const name = card.dataset.name;
    const payload = { reward_id: rewardId, request_id: requestIds.get(rewardId) };
    const { status: httpStatus, body } = await advocateRequest("POST", "/me/rewards/redemptions", payload);

    if (httpStatus === 201 || httpStatus === 200) {
      requestIds.delete(rewardId);
      await loadAll();
      redeemResult.dataset.outcome = "redeemed";
      const key = httpStatus === 201 ? "account_rewards.redeemed" : "account_rewards.already_redeemed";
      announce(redeemResult, t(key, { name, balance: pointsText(body.balance ?? balance) }), { focus: true });
      return;
    }
    requestIds.delete(rewardId);
    let text = t("account_rewards.redeem_failed");
    if (httpStatus >= 500) {
      text = t("common.server_error");
    } else if (httpStatus === 404) {
      text = t("account_rewards.reward_gone", { name });
    } else if (httpStatus === 409 && body.message) {
      text = body.message;
    } else if (httpStatus === 422) {
      text = Object.values(body.errors ?? {}).join(" ") || text;
    }
    // A 409 or 404 means the balance, the stock or the catalog changed since the page loaded.
    await loadAll();
    redeemResult.dataset.outcome = httpStatus === 409 ? "refused" : "error";
    announce(redeemResult, text, { focus: true });
  }

  catalog.addEventListener("click", async (event) => {
    const card = event.target.closest("li.portal-reward");
    if (!card) {
      return;
    }
    const question = card.querySelector("[data-redeem-question]");
    const redeemButton = card.querySelector("button[data-redeem]");
    if (event.target.closest("button[data-redeem]")) {
      requestIds.set(card.dataset.rewardId, newRequestId());
      redeemButton.hidden = true;
      question.hidden = false;
      question.querySelector("button[data-confirm-redeem]").focus();
    } else if (event.target.closest("button[data-keep-points]")) {
      requestIds.delete(card.dataset.rewardId);
      question.hidden = true;
      redeemButton.hidden = false;
      redeemButton.focus();
    } else if (event.target.closest("button[data-confirm-redeem]")) {
      const buttons = question.querySelectorAll("button");
      for (const button of buttons) {
        button.disabled = true;
      }
      redeemResult.hidden = true;
      await guarded(redeemResult, () => redeem(card));
      // After a network error the card is still on the page, with the same request id for a retry.
      for (const button of buttons) {
        button.disabled = false;
      }
    }
  });

  announce(message, t("common.loading"));
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    message.dataset.outcome = "error";
    announce(message, error instanceof NetworkError ? t("common.network_error") : t("common.server_error"));
    return;
  }
  if (!session.signed_in) {
    lock("account_rewards.not_signed_in");
    return;
  }
  if (!hasRole(session, "advocate")) {
    lock("account_rewards.not_advocate", { email: session.email });
    return;
  }

  message.replaceChildren();
  message.hidden = true;
  root.hidden = false;
  document.addEventListener(SESSION_CHANGED, (event) => {
    if (!hasRole(event.detail, "advocate")) {
      lock(event.detail.signed_in ? "account_rewards.session_ended" : "account_rewards.signed_out");
    }
  });

  announce(status, t("common.loading"));
  root.setAttribute("aria-busy", "true");
  await guarded(status, loadAll);
  root.removeAttribute("aria-busy");
}
