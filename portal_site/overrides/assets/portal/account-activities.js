// The advocate's activities: the published forums that name them as host, and their recorded
// activities ahead and behind, which count towards their caps.

import { activityLabel, advocateRequest, instantText, openAdvocatePage, refusalText } from "./advocate-pages.js";
import { announce, element, siteUrl } from "./dom.js";
import { formatLabel } from "./forum-facts.js";
import { locale, t } from "./i18n.js";
import { describeStart } from "./time.js";

function hostingItem(forum) {
  const link = element("a", { href: siteUrl(`forum/?id=${encodeURIComponent(forum.forum_id)}`) }, forum.title);
  return element(
    "li",
    { "data-forum-id": forum.forum_id },
    link,
    element("br"),
    t("account_activities.forum_facts", { format: formatLabel(forum), time: describeStart(forum) }),
  );
}

function activityRow(activity) {
  const prospects = activity.attending_prospects ? new Intl.NumberFormat(locale()).format(activity.attending_prospects) : "";
  const label = activityLabel(activity.activity_type, activity.activity_label);
  return element(
    "tr",
    { "data-activity-id": activity.activity_id },
    element("td", {}, instantText(activity.occurred_at)),
    element("td", {}, label),
    element("td", {}, prospects),
  );
}

export async function init(root) {
  const message = document.querySelector("#account-activities-message");
  const status = root.querySelector("#account-activities-status");
  const hosting = root.querySelector("#hosting-list");
  const upcoming = root.querySelector("#upcoming-table tbody");
  const past = root.querySelector("#past-table tbody");

  const guarded = await openAdvocatePage({
    message,
    root,
    clear() {
      hosting.replaceChildren();
      upcoming.replaceChildren();
      past.replaceChildren();
      status.hidden = true;
    },
  });
  if (!guarded) {
    return;
  }

  async function load() {
    announce(status, t("common.loading"));
    const { status: code, body } = await advocateRequest("GET", "/me/activities");
    if (code !== 200) {
      status.dataset.outcome = "error";
      announce(status, refusalText(code, body, "account_activities.load_failed"));
      return;
    }
    const forums = Array.isArray(body.hosting) ? body.hosting : [];
    const ahead = Array.isArray(body.upcoming) ? body.upcoming : [];
    const behind = Array.isArray(body.past) ? body.past : [];
    hosting.replaceChildren(...forums.map(hostingItem));
    upcoming.replaceChildren(...ahead.map(activityRow));
    past.replaceChildren(...behind.map(activityRow));
    root.querySelector("#hosting-empty").hidden = forums.length > 0;
    root.querySelector("#upcoming-empty").hidden = ahead.length > 0;
    root.querySelector("#past-empty").hidden = behind.length > 0;
    status.hidden = true;
  }

  await guarded(status, load);
}
