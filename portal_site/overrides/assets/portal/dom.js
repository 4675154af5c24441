// Small DOM helpers. Text always goes in through textContent or text nodes, never innerHTML,
// because forum titles, host names and registrations come from the API and from people.

/** Create an element with attributes and children (strings become text nodes). */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/** Return the URL when it is http(s), else null, so a javascript: link from data never renders. */
export function safeUrl(value) {
  if (!value) {
    return null;
  }
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Root of the built site, derived from this module's URL (assets/portal/dom.js). */
export function siteUrl(path) {
  return new URL(path, new URL("../../", import.meta.url)).href;
}

/** Replace a live region's content, which screen readers then announce. */
export function announce(region, content, { focus = false } = {}) {
  region.replaceChildren(content);
  region.hidden = false;
  if (focus) {
    region.setAttribute("tabindex", "-1");
    region.focus();
  }
}

export function queryParameter(name) {
  return new URLSearchParams(window.location.search).get(name) || "";
}
