// The admin's reference requests: the list by status, a new request with its routing (advocates
// ranked with their reasons, or fitting forums with registration links), and the status buttons.

import { apiPath } from "./api.js";
import { adminRequest, openAdminPage } from "./admin-access.js";
import { announce, element, queryParameter } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { formatLabel } from "./forum-facts.js";
import { hasString, locale, plural, t } from "./i18n.js";
import { describeStart } from "./time.js";
import {
  amountText,
  copyableLink,
  fixErrorsText,
  formPayload,
  refusalText,
  segmentText,
  showRejection,
  whileSubmitting,
} from "./demand-forms.js";

// Number of ranked advocates shown before the reader requests the whole list. The rest rank lower.
const ADVOCATES_SHOWN_FIRST = 8;

// Statuses a request may move to from each status. The API enforces the same rule and returns
// 409 for any other move; "matched" with an advocate or a forum comes from the routing's buttons.
const NEXT_STATUSES = {
  new: ["matched", "scheduled", "cancelled"],
  matched: ["scheduled", "done", "cancelled"],
  scheduled: ["done", "cancelled"],
  done: [],
  cancelled: [],
};

function statusText(status) {
  const key = `admin_requests.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

function routeText(route) {
  return route === "one_to_one" ? t("admin_requests.route_one_to_one") : t("admin_requests.route_one_to_many");
}

function setFact(root, name, content) {
  const target = root.querySelector(`[data-request-field="${name}"]`);
  const empty = content === null || content === undefined || content === "";
  target.closest(".portal-fact").hidden = empty;
  target.replaceChildren(empty ? "" : content);
}

function lastActivityText(match) {
  if (!match.last_activity) {
    return t("admin_requests.never_helped");
  }
  const day = new Intl.DateTimeFormat(locale(), { dateStyle: "medium" }).format(new Date(match.last_activity));
  return t("admin_requests.last_activity", { date: day });
}

function advocateItem(match, canMatch, onMatch) {
  const heading = element("p", { class: "portal-match__name" }, element("strong", {}, match.name || match.email));
  const role = [match.title, match.company].filter(Boolean).join(t("common.separator"));
  const availability = element(
    "span",
    { class: match.available ? "portal-badge portal-badge--ok" : "portal-badge portal-badge--warn", "data-available": String(match.available) },
    match.available ? t("admin_requests.available") : t("admin_requests.unavailable"),
  );
  const facts = element(
    "p",
    { class: "portal-match__facts" },
    t("admin_requests.score", { score: match.score }),
    t("common.separator"),
    availability,
    t("common.separator"),
    lastActivityText(match),
  );
  const reasons = element(
    "ul",
    { class: "portal-match__reasons", "aria-label": t("admin_requests.reasons_label", { name: match.name || match.email }) },
    ...(match.reasons ?? []).map((reason) => element("li", {}, reason)),
  );
  const item = element("li", { class: "portal-match", "data-advocate": match.email }, heading);
  if (role) {
    item.append(element("p", { class: "portal-match__role" }, role));
  }
  item.append(element("p", { class: "portal-match__email" }, match.email), facts, reasons);
  if (canMatch) {
    const button = element("button", { type: "button", class: "md-button", "data-match-advocate": match.email }, t("admin_requests.match_advocate", { name: match.name || match.email }));
    button.addEventListener("click", () => onMatch({ advocate: match.email }));
    item.append(button);
  }
  return item;
}

function forumItem(fit, canMatch, onMatch) {
  const forum = fit.forum ?? {};
  const item = element(
    "li",
    { class: "portal-match", "data-forum-id": forum.forum_id },
    element("p", { class: "portal-match__name" }, element("strong", {}, forum.title ?? "")),
    element("p", { class: "portal-match__facts" }, formatLabel(forum), t("common.separator"), describeStart(forum)),
    element("ul", { class: "portal-match__reasons" }, ...(fit.reasons ?? []).map((reason) => element("li", {}, reason))),
    copyableLink(fit.registration_url, {
      label: t("admin_requests.registration_link", { title: forum.title ?? "" }),
      copy: t("admin_requests.copy"),
      copied: t("admin_requests.copied"),
      selected: t("admin_requests.selected"),
    }),
  );
  if (canMatch) {
    const button = element("button", { type: "button", class: "md-button", "data-match-forum": forum.forum_id }, t("admin_requests.match_forum"));
    button.addEventListener("click", () => onMatch({ forum_id: forum.forum_id }));
    item.append(button);
  }
  return item;
}

export async function init(root) {
  const message = document.querySelector("#admin-requests-message");
  const filter = root.querySelector("#requests-filter");
  const listStatus = root.querySelector("#requests-status");
  const tableBody = root.querySelector("#requests-table tbody");
  const detail = root.querySelector("#request-detail");
  const detailHeading = root.querySelector("#request-detail-heading");
  const actions = root.querySelector("#request-actions");
  const actionResult = root.querySelector("#request-action-result");
  const summary = root.querySelector("#routing-summary");
  const advocateList = root.querySelector("#routing-advocates");
  const forumList = root.querySelector("#routing-forums");
  const showAll = root.querySelector("#routing-show-all");
  const form = root.querySelector("#request-form");
  const formResult = root.querySelector("#request-form-result");
  let current = null;

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      tableBody.replaceChildren();
      advocateList.replaceChildren();
      forumList.replaceChildren();
      detail.hidden = true;
      form.reset();
      for (const region of [listStatus, actionResult, formResult]) {
        region.replaceChildren();
        region.hidden = true;
      }
    },
  });
  if (!guarded) {
    return;
  }

  function requestRow(request) {
    const open = element("button", { type: "button", class: "md-button portal-button-small", "data-open-request": request.request_id }, request.prospect_company);
    open.addEventListener("click", () => guarded(listStatus, () => openRequest(request.request_id, { focus: true })));
    return element(
      "tr",
      { "data-request-id": request.request_id, "data-status": request.status },
      element("th", { scope: "row" }, open),
      element("td", {}, request.opportunity_id),
      element("td", { class: "portal-cell-number" }, amountText(request.amount, locale())),
      element("td", {}, request.needed_by),
      element("td", {}, segmentText(request, t("admin_requests.any_advocate"))),
      element("td", {}, statusText(request.status)),
    );
  }

  async function loadList() {
    announce(listStatus, t("common.loading"));
    const { status, body } = await adminRequest("GET", `${apiPath("admin", "requests")}?${new URLSearchParams({ status: filter.value })}`);
    if (status !== 200) {
      announce(listStatus, refusalText(status, body, t("admin_requests.list_failed")));
      return;
    }
    const requests = Array.isArray(body.requests) ? body.requests : [];
    tableBody.replaceChildren(...requests.map(requestRow));
    tableBody.closest(".portal-table-scroll").hidden = requests.length === 0;
    announce(listStatus, plural("admin_requests.count", requests.length, { status: statusText(filter.value).toLowerCase() }));
  }

  async function changeStatus(change) {
    announce(actionResult, t("common.loading"));
    const path = apiPath("admin", "requests", current.request_id, "status");
    const { status, body } = await adminRequest("POST", path, { status: "matched", ...change });
    if (status !== 200) {
      actionResult.dataset.outcome = "error";
      announce(actionResult, refusalText(status, body, t("admin_requests.status_failed")), { focus: true });
      return;
    }
    await openRequest(current.request_id);
    await loadList();
    actionResult.dataset.outcome = body.request?.status ?? "changed";
    announce(actionResult, t("admin_requests.status_changed", { status: statusText(body.request?.status) }), { focus: true });
  }

  function pressed(change) {
    return () => {
      for (const button of detail.querySelectorAll("button")) {
        button.disabled = true;
      }
      guarded(actionResult, () => changeStatus(change)).finally(() => {
        for (const button of detail.querySelectorAll("button")) {
          button.disabled = false;
        }
      });
    };
  }

  function renderActions(request) {
    const buttons = (NEXT_STATUSES[request.status] ?? []).map((next) => {
      const button = element("button", { type: "button", class: "md-button", "data-status-action": next }, t(`admin_requests.actions.${next}`));
      button.addEventListener("click", pressed({ status: next }));
      return button;
    });
    actions.replaceChildren(...buttons);
    actions.hidden = buttons.length === 0;
  }

  function renderDetail(request, routing) {
    current = request;
    detailHeading.textContent = t("admin_requests.detail_heading", { company: request.prospect_company, opportunity: request.opportunity_id });
    setFact(detail, "status", statusText(request.status));
    setFact(detail, "opportunity", t("admin_requests.opportunity", { id: request.opportunity_id, amount: amountText(request.amount, locale()), stage: request.stage }));
    setFact(detail, "needed_by", request.needed_by);
    setFact(detail, "segment", segmentText(request, t("admin_requests.any_advocate")) + (request.company_size ? t("common.separator") + request.company_size : ""));
    setFact(detail, "requested_by", request.requested_by);
    setFact(detail, "matched", [request.advocate, request.forum_id].filter(Boolean).join(t("common.separator")));
    setFact(detail, "notes", request.notes);
    renderActions(request);

    const canMatch = request.status === "new";
    const onMatch = (change) => pressed({ status: "matched", ...change })();
    const advocates = routing?.advocates ?? [];
    const forums = routing?.forums ?? [];
    const oneToOne = routing?.route === "one_to_one";
    detail.dataset.route = routing?.route ?? "";
    const threshold = amountText(routing?.threshold, locale());
    if (oneToOne) {
      summary.textContent = advocates.length > 0
        ? t("admin_requests.summary_one_to_one", { threshold, count: advocates.length })
        : t("admin_requests.no_advocates", { threshold });
    } else {
      summary.textContent = forums.length > 0
        ? plural("admin_requests.summary_one_to_many", forums.length, { threshold })
        : t("admin_requests.no_forums", { threshold });
    }
    const advocateItems = advocates.map((match) => advocateItem(match, canMatch, onMatch));
    advocateItems.forEach((item, index) => {
      item.hidden = index >= ADVOCATES_SHOWN_FIRST;
    });
    advocateList.replaceChildren(...advocateItems);
    showAll.hidden = !oneToOne || advocates.length <= ADVOCATES_SHOWN_FIRST;
    showAll.textContent = plural("admin_requests.show_all", advocates.length);
    forumList.replaceChildren(...forums.map((fit) => forumItem(fit, canMatch, onMatch)));
    advocateList.hidden = !oneToOne || advocates.length === 0;
    forumList.hidden = oneToOne || forums.length === 0;
    detail.hidden = false;
  }

  async function openRequest(requestId, { focus = false } = {}) {
    const { status, body } = await adminRequest("GET", apiPath("admin", "requests", requestId));
    if (status !== 200) {
      announce(listStatus, status === 404 ? t("admin_requests.not_found") : refusalText(status, body, t("admin_requests.list_failed")), { focus: true });
      return;
    }
    actionResult.hidden = true;
    renderDetail(body.request, body.routing);
    const url = new URL(window.location.href);
    url.searchParams.set("id", requestId);
    window.history.replaceState(null, "", url);
    if (focus) {
      detail.focus();
    }
  }

  async function submitRequest() {
    clearFieldErrors(form);
    announce(formResult, t("common.loading"));
    const { status, body } = await adminRequest("POST", apiPath("admin", "requests"), formPayload(form));
    if (status === 201) {
      form.reset();
      formResult.dataset.outcome = "created";
      announce(formResult, t("admin_requests.created", { route: routeText(body.routing?.route) }));
      renderDetail(body.request, body.routing);
      filter.value = body.request.status;
      await loadList();
      detail.focus();
      return;
    }
    showRejection(form, formResult, status, body, {
      summary: fixErrorsText("admin_requests.fix_errors"),
      fallback: t("admin_requests.create_failed"),
    });
  }

  showAll.addEventListener("click", () => {
    const hidden = [...advocateList.children].filter((item) => item.hidden);
    for (const item of hidden) {
      item.hidden = false;
    }
    showAll.hidden = true;
    if (hidden.length > 0) {
      hidden[0].setAttribute("tabindex", "-1");
      hidden[0].focus();
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, () => guarded(formResult, submitRequest));
  });
  filter.addEventListener("change", () => guarded(listStatus, loadList));

  await guarded(listStatus, loadList);
  const linked = queryParameter("id");
  if (linked) {
    await guarded(listStatus, () => openRequest(linked));
  }
}
