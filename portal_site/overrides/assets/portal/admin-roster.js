// The roster import: read the CRM export in the browser, let the admin map its columns to the
// roster's, POST it as {csv, column_mapping}, and show the counts or every problem by row and
// column. The API checks every row first and imports all rows or none.

import { adminRequest, errorText, openAdminPage } from "./admin-access.js";
import { showFormErrors, whileSubmitting } from "./advocate-pages.js";
import { problemsTable } from "./csv-upload.js";
import { announce, element } from "./dom.js";
import { clearFieldErrors } from "./field-errors.js";
import { plural, t } from "./i18n.js";

// A synchronous Lambda invocation takes at most 6 MB of request payload, and the file text grows
// a little when it is escaped into JSON.
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Return the fields of a CSV file's first record, honouring quotes, or [] for an empty file. */
export function headerOf(text) {
  const fields = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ",") {
      fields.push(field.trim());
      field = "";
    } else if (character === "\n" || character === "\r") {
      break;
    } else {
      field += character;
    }
  }
  fields.push(field.trim());
  return fields.filter((name, index) => name !== "" || index < fields.length - 1);
}

export async function init(root) {
  const message = document.querySelector("#admin-roster-message");
  const form = root.querySelector("#roster-import-form");
  const input = root.querySelector("#roster-file");
  const mapping = root.querySelector("#roster-mapping");
  const mappingBody = root.querySelector("#roster-mapping-table tbody");
  const columnOptions = root.querySelector("#roster-columns");
  const result = root.querySelector("#roster-import-result");
  const rosterColumns = new Set([...columnOptions.content.querySelectorAll("option")].map((option) => option.value).filter(Boolean));
  // The file read when it was chosen, so the import sends exactly the text the mapping was built from.
  let chosen = null;

  function reset() {
    chosen = null;
    mapping.hidden = true;
    mappingBody.replaceChildren();
  }

  const guarded = await openAdminPage({
    message,
    root,
    clear() {
      reset();
      result.replaceChildren();
      result.hidden = true;
    },
  });
  if (!guarded) {
    return;
  }

  /** Read the file as UTF-8 text; return null after reporting why it cannot be imported. */
  async function readFile(file) {
    if (file.size > MAX_FILE_BYTES) {
      result.dataset.outcome = "invalid";
      announce(result, t("csv_upload.too_large", { name: file.name }), { focus: true });
      return null;
    }
    try {
      // The decoder drops a leading byte-order mark, as Excel's "CSV UTF-8" writes one.
      return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      result.dataset.outcome = "invalid";
      announce(result, t("csv_upload.not_utf8", { name: file.name }), { focus: true });
      return null;
    }
  }

  function mappingRow(column, index) {
    const selectId = `roster-mapping-${index}`;
    const select = element("select", { id: selectId, "data-file-column": column });
    select.append(columnOptions.content.cloneNode(true));
    select.value = rosterColumns.has(column) ? column : "";
    return element(
      "tr",
      {},
      element("th", { scope: "row" }, element("label", { for: selectId }, column || t("admin_roster.unnamed_column"))),
      element("td", {}, select),
    );
  }

  function columnMapping() {
    const entries = {};
    for (const select of mappingBody.querySelectorAll("select")) {
      const column = select.dataset.fileColumn;
      if (select.value && select.value !== column) {
        entries[column] = select.value;
      }
    }
    return entries;
  }

  input.addEventListener("change", async () => {
    reset();
    result.hidden = true;
    clearFieldErrors(form);
    const file = input.files?.[0];
    if (!file) {
      return;
    }
    const text = await readFile(file);
    if (text === null) {
      return;
    }
    chosen = { name: file.name, text };
    mappingBody.replaceChildren(...headerOf(text).map(mappingRow));
    mapping.hidden = false;
  });

  async function upload() {
    clearFieldErrors(form);
    if (!chosen) {
      result.dataset.outcome = "invalid";
      announce(result, t("csv_upload.no_file"));
      input.focus();
      return;
    }
    delete result.dataset.outcome;
    announce(result, t("csv_upload.importing", { name: chosen.name }));
    const mapped = columnMapping();
    const payload = { csv: chosen.text };
    if (Object.keys(mapped).length > 0) {
      payload.column_mapping = mapped;
    }
    const { status, body } = await adminRequest("POST", "/admin/roster", payload);
    if (status === 200) {
      result.dataset.outcome = "imported";
      announce(result, t("admin_roster.imported", body), { focus: true });
      return;
    }

    result.dataset.outcome = status === 422 ? "invalid" : "error";
    const problems = Array.isArray(body.problems) ? body.problems : [];
    if (body.errors) {
      const unplaced = showFormErrors(form, body.errors);
      const content = document.createDocumentFragment();
      content.append(element("p", {}, t("admin_roster.not_imported")), ...unplaced.map((text) => element("p", {}, text)));
      announce(result, content);
      return;
    }
    const content = document.createDocumentFragment();
    content.append(element("p", {}, problems.length > 0 ? t("admin_roster.nothing_imported") : errorText(status, body, "csv_upload.failed")));
    if (problems.length > 0) {
      content.append(problemsTable(problems, plural("csv_upload.problem_count", problems.length, { name: chosen.name })));
    }
    announce(result, content, { focus: true });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileSubmitting(form, () => guarded(result, upload));
  });
}
