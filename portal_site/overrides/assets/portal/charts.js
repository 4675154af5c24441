// Charts of the report and coverage pages, drawn as inline SVG with DOM APIs. A chart is only a
// picture of a table: each one is built next to a <table> of the same numbers, and the SVG is
// hidden from assistive technology, which reads the table instead.

import { element } from "./dom.js";

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

// Bar chart geometry, in viewBox units: the label column, the longest bar and one row's height.
const LABEL_WIDTH = 150;
const BAR_SPACE = 230;
const VALUE_WIDTH = 100;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = 18;
const LABEL_CHARACTERS = 20;

function svgElement(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NAMESPACE, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

function shortLabel(text, characters = LABEL_CHARACTERS) {
  return text.length > characters ? `${text.slice(0, characters - 1)}\u2026` : text;
}

/**
 * Build a table: `columns` are {label, numeric}, `rows` arrays of cell texts whose first cell is
 * the row header. The wrapper scrolls sideways on narrow screens instead of the page.
 */
export function dataTable({ caption, columns, rows, id }) {
  const captionId = id ? `${id}-caption` : undefined;
  const head = element(
    "thead",
    {},
    element("tr", {}, ...columns.map((column) => element("th", { scope: "col", class: column.numeric ? "portal-cell-number" : null }, column.label))),
  );
  const body = element(
    "tbody",
    {},
    ...rows.map((cells) =>
      element(
        "tr",
        {},
        ...cells.map((cell, index) =>
          index === 0
            ? element("th", { scope: "row" }, cell)
            : element("td", { class: columns[index]?.numeric ? "portal-cell-number" : null }, cell),
        ),
      ),
    ),
  );
  const table = element("table", { class: "portal-table", id }, element("caption", { id: captionId }, caption), head, body);
  return element("div", { class: "portal-table-scroll", role: "region", tabindex: "0", "aria-labelledby": captionId }, table);
}

/**
 * Build a horizontal bar chart of `bars` ({label, value, text}), where `text` is the value as
 * shown.
 */
export function barChart({ bars, className = "portal-chart" }) {
  const largest = Math.max(0, ...bars.map((bar) => Number(bar.value) || 0));
  const width = LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH;
  const height = Math.max(1, bars.length) * ROW_HEIGHT;
  // Drawn at its natural size; on a narrow screen its frame scrolls sideways, so text stays legible.
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: className,
    "aria-hidden": "true",
    focusable: "false",
  });
  bars.forEach((bar, index) => {
    const top = index * ROW_HEIGHT;
    const middle = top + ROW_HEIGHT / 2;
    const length = largest > 0 ? Math.max(1, Math.round((Number(bar.value) / largest) * BAR_SPACE)) : 0;
    const label = svgElement(
      "text",
      { x: LABEL_WIDTH - 8, y: middle, "text-anchor": "end", "dominant-baseline": "middle", class: "portal-chart__label" },
      svgElement("title", {}, bar.label),
      shortLabel(bar.label),
    );
    const rectangle = svgElement("rect", {
      x: LABEL_WIDTH,
      y: top + (ROW_HEIGHT - BAR_HEIGHT) / 2,
      width: length,
      height: BAR_HEIGHT,
      rx: 2,
      class: "portal-chart__bar",
    });
    const value = svgElement(
      "text",
      { x: LABEL_WIDTH + length + 6, y: middle, "dominant-baseline": "middle", class: "portal-chart__value" },
      bar.text,
    );
    svg.append(svgElement("g", { "data-bar": bar.label }, label, rectangle, value));
  });
  return svg;
}

/**
 * Build a heat map: one row per item of `rows` ({label, cells: [{text, level}]}) and one column
 * per `columns` label. `level` runs from 0 to 1 and picks the cell's shade; `tone` of a column
 * ("supply" or "demand") picks its colour scale.
 */
export function heatMap({ columns, rows }) {
  const cellWidth = 110;
  const labelWidth = 230;
  const labelCharacters = 28;
  const headerHeight = 28;
  const cellHeight = 30;
  const width = labelWidth + columns.length * cellWidth;
  const height = headerHeight + Math.max(1, rows.length) * cellHeight;
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "portal-heatmap", "aria-hidden": "true", focusable: "false" });

  columns.forEach((column, index) => {
    svg.append(
      svgElement(
        "text",
        { x: labelWidth + index * cellWidth + cellWidth / 2, y: headerHeight / 2, "text-anchor": "middle", "dominant-baseline": "middle", class: "portal-heatmap__column" },
        column.label,
      ),
    );
  });
  rows.forEach((row, rowIndex) => {
    const top = headerHeight + rowIndex * cellHeight;
    const group = svgElement("g", { "data-row": row.label });
    group.append(
      svgElement(
        "text",
        { x: labelWidth - 8, y: top + cellHeight / 2, "text-anchor": "end", "dominant-baseline": "middle", class: "portal-heatmap__label" },
        svgElement("title", {}, row.label),
        shortLabel(row.label, labelCharacters),
      ),
    );
    row.cells.forEach((cell, columnIndex) => {
      const level = Math.min(1, Math.max(0, Number(cell.level) || 0));
      // Five shades per scale, from the CSS classes portal-heatmap__cell--supply-0 to -4.
      const shade = Math.round(level * 4);
      const x = labelWidth + columnIndex * cellWidth;
      group.append(
        svgElement("rect", {
          x: x + 1,
          y: top + 1,
          width: cellWidth - 2,
          height: cellHeight - 2,
          class: `portal-heatmap__cell portal-heatmap__cell--${columns[columnIndex].tone}-${shade}`,
          "data-level": shade,
        }),
        svgElement(
          "text",
          { x: x + cellWidth / 2, y: top + cellHeight / 2, "text-anchor": "middle", "dominant-baseline": "middle", class: `portal-heatmap__text portal-heatmap__text--${columns[columnIndex].tone}-${shade}` },
          cell.text,
        ),
      );
    });
    svg.append(group);
  });
  return svg;
}
