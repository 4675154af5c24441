// CSV imports on the admin pages: read the chosen file in the browser, POST its text as
// {"csv": "..."}, and show either the import's counts or each problem by row and column.

import { announce, element } from "./dom.js";
import { plural, t } from "./i18n.js";
import { adminRequest, errorText } from "./admin-access.js";

// A synchronous Lambda invocation takes at most 6 MB of request payload, and the file text
// grows a little when it is escaped into JSON.
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Raised when the chosen file cannot be sent, with the strings key of the reason. */
class UnreadableFile extends Error {
  constructor(key, values = {}) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

/**
 * Return the file's text. A file that is not UTF-8 (Excel's plain "CSV" on Windows, for
 * example) is rejected, because decoding it anyway would import garbled names.
 */
async function readCsvText(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw new UnreadableFile("csv_upload.too_large", { name: file.name });
  }
  const bytes = await file.arrayBuffer();
  try {
    // The decoder drops a leading byte-order mark, as Excel's "CSV UTF-8" writes one.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UnreadableFile("csv_upload.not_utf8", { name: file.name });
  }
}

/** Build the table of an import's problems: one row per problem with its row number and column. */
export function problemsTable(problems, captionText) {
  const caption = element("caption", {}, captionText);
  const head = element(
    "thead",
    {},
    element(
      "tr",
      {},
      element("th", { scope: "col" }, t("csv_upload.row")),
      element("th", { scope: "col" }, t("csv_upload.column")),
      element("th", { scope: "col" }, t("csv_upload.problem")),
    ),
  );
  const rows = problems.map((problem) =>
    element(
      "tr",
      { "data-row": problem.row, "data-column": problem.column },
      element("td", {}, String(problem.row ?? "")),
      element("td", {}, String(problem.column ?? "")),
      element("td", {}, String(problem.message ?? "")),
    ),
  );
  const table = element("table", { class: "portal-table portal-problems" }, caption, head, element("tbody", {}, ...rows));
  return element("div", { class: "portal-table-scroll", tabindex: "0" }, table);
}

/**
 * Bind a form holding one file input to an import endpoint.
 *
 * `path` is the API path, or a function returning it when the page learns it later.
 * `describe(body)` returns the success message for a 200 answer; `onImported(body)` runs after
 * it, for example to reload the list the import changed. `guarded` comes from openAdminPage.
 */
export function bindCsvUpload(form, { path, result, guarded, describe, onImported }) {
  const input = form.querySelector('input[type="file"]');
  const submit = form.querySelector('button[type="submit"]');

  async function upload(file) {
    let text;
    try {
      text = await readCsvText(file);
    } catch (error) {
      if (!(error instanceof UnreadableFile)) {
        throw error;
      }
      result.dataset.outcome = "invalid";
      announce(result, t(error.key, error.values), { focus: true });
      return;
    }

    announce(result, t("csv_upload.importing", { name: file.name }));
    const target = typeof path === "function" ? path() : path;
    const { status, body } = await adminRequest("POST", target, { csv: text });
    if (status === 200) {
      result.dataset.outcome = "imported";
      announce(result, describe(body), { focus: true });
      await onImported?.(body);
      return;
    }

    result.dataset.outcome = status === 422 ? "invalid" : "error";
    const content = document.createDocumentFragment();
    content.append(element("p", {}, errorText(status, body, "csv_upload.failed")));
    const problems = Array.isArray(body.problems) ? body.problems : [];
    if (problems.length > 0) {
      content.append(problemsTable(problems, plural("csv_upload.problem_count", problems.length, { name: file.name })));
    }
    announce(result, content, { focus: true });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    if (!file) {
      result.dataset.outcome = "invalid";
      announce(result, t("csv_upload.no_file"));
      input.focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    await guarded(result, () => upload(file));
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  });
}
