// The page that an emailed reference request link opens. Mail scanners open links too, so the
// request is confirmed only when the rep presses the button, never on load.

import { apiPath, apiRequest, NetworkError } from "./api.js";
import { announce, element, queryParameter } from "./dom.js";
import { formatLabel } from "./forum-facts.js";
import { plural, t } from "./i18n.js";
import { describeStart } from "./time.js";
import { copyableLink } from "./demand-forms.js";

function forumItem(fit) {
  const forum = fit.forum ?? {};
  return element(
    "li",
    { class: "portal-match", "data-forum-id": forum.forum_id },
    element("p", { class: "portal-match__name" }, element("strong", {}, forum.title ?? "")),
    element("p", { class: "portal-match__facts" }, formatLabel(forum), t("common.separator"), describeStart(forum)),
    element("ul", { class: "portal-match__reasons" }, ...(fit.reasons ?? []).map((reason) => element("li", {}, reason))),
    copyableLink(fit.registration_url, {
      label: t("reference_request_confirm.registration_link", { title: forum.title ?? "" }),
      copy: t("reference_request_confirm.copy"),
      copied: t("reference_request_confirm.copied"),
      selected: t("reference_request_confirm.selected"),
    }),
  );
}

export async function init(root) {
  const intro = root.querySelector("#reference-request-intro");
  const button = root.querySelector("#confirm-reference-request");
  const result = root.querySelector("#reference-request-result");
  const forums = root.querySelector("#reference-request-forums");
  const requestId = queryParameter("request");
  const token = queryParameter("token");

  if (!requestId || !token) {
    intro.hidden = true;
    result.dataset.outcome = "invalid";
    announce(result, t("reference_request_confirm.incomplete_link"));
    return;
  }
  button.hidden = false;

  function showRouting(body) {
    const items = Array.isArray(body.forums) ? body.forums : [];
    const values = { company: body.prospect_company ?? "" };
    result.dataset.outcome = "confirmed";
    result.dataset.route = body.route ?? "";
    if (body.route === "one_to_one") {
      announce(result, t("reference_request_confirm.one_to_one", values), { focus: true });
    } else if (items.length > 0) {
      announce(result, plural("reference_request_confirm.one_to_many", items.length, values), { focus: true });
    } else {
      announce(result, t("reference_request_confirm.no_forums", values), { focus: true });
    }
    forums.replaceChildren(...items.map(forumItem));
    forums.hidden = items.length === 0;
  }

  async function confirm() {
    announce(result, t("common.loading"));
    let response;
    try {
      response = await apiRequest("POST", apiPath("reference-requests", requestId, "confirm"), { token });
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      result.dataset.outcome = "error";
      announce(result, t("common.network_error"), { focus: true });
      return false;
    }
    const { status, body } = response;
    if (status === 200) {
      intro.hidden = true;
      showRouting(body);
      return true;
    }
    result.dataset.outcome = status === 404 ? "invalid" : "error";
    if (status === 404) {
      announce(result, body.message || t("reference_request_confirm.invalid_link"), { focus: true });
    } else {
      announce(result, status === 429 ? t("common.too_many_requests") : t("common.server_error"), { focus: true });
    }
    return false;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    const confirmed = await confirm();
    button.hidden = confirmed;
    button.disabled = false;
  });
}
