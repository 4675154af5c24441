// The admin's list of forums: every status from 90 days back to a year ahead, with seat and
// waitlist counts, a link to each forum's admin page, and the bulk import of a calendar CSV.

import { apiPath } from "./api.js";
import { adminRequest, openAdminPage } from "./admin-access.js";
import { bindCsvUpload } from "./csv-upload.js";
import { announce, element, siteUrl } from "./dom.js";
import { formatLabel } from "./forum-facts.js";
import { hasString, plural, t } from "./i18n.js";
import { describeStart } from "./time.js";

/** Translated forum status such as "Published", else the API's own value. */
export function forumStatusText(status) {
  const key = `admin_forums.statuses.${status}`;
  return hasString(key) ? t(key) : String(status ?? "");
}

export function adminForumUrl(forumId) {
  return siteUrl(`admin/forum/?id=${encodeURIComponent(forumId)}`);
}

function forumRow(forum) {
  const link = element("a", { href: adminForumUrl(forum.forum_id) }, forum.title);
  const seats = t("admin_forums.seats", { confirmed: forum.confirmed_count ?? 0, capacity: forum.capacity ?? "" });
  const warning = forum.below_minimum && forum.status === "published" ? t("admin_forums.below_minimum") : "";
  return element(
    "tr",
    { "data-forum-id": forum.forum_id, "data-status": forum.status },
    element("th", { scope: "row" }, link),
    element("td", {}, describeStart(forum)),
    element("td", {}, formatLabel(forum)),
    element("td", { "data-forum-status": forum.status }, forumStatusText(forum.status)),
    element("td", {}, seats),
    element("td", {}, String(forum.waitlist_count ?? 0)),
    element("td", { class: warning ? "portal-warning-cell" : null }, warning),
  );
}

export async function initAdminForums(root) {
  const message = document.querySelector("#admin-forums-message");
  const status = root.querySelector("#admin-forums-status");
  const tableBody = root.querySelector("#admin-forums-table tbody");
  const importForm = root.querySelector("#calendar-import-form");
  const importResult = root.querySelector("#calendar-import-result");

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      tableBody.replaceChildren();
      for (const region of [status, importResult]) {
        region.replaceChildren();
        region.hidden = true;
      }
    },
  });
  if (!guarded) {
    return;
  }

  async function loadForums() {
    announce(status, t("common.loading"));
    const { status: httpStatus, body } = await adminRequest("GET", apiPath("admin", "forums"));
    if (httpStatus !== 200) {
      announce(status, t("common.server_error"));
      return;
    }
    const forums = Array.isArray(body.forums) ? body.forums : [];
    tableBody.replaceChildren(...forums.map(forumRow));
    tableBody.closest(".portal-table-scroll").hidden = forums.length === 0;
    announce(status, plural("admin_forums.count", forums.length));
  }

  bindCsvUpload(importForm, {
    path: apiPath("admin", "forums", "import"),
    result: importResult,
    guarded,
    describe: (body) => t("admin_forums.imported", { created: body.created, updated: body.updated, unchanged: body.unchanged }),
    onImported: () => guarded(status, loadForums),
  });

  await guarded(status, loadForums);
}
