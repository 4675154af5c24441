// User-visible text of the scripts. Every string comes from content/assets/strings.json, so a
// team translates the site by editing content/ only. FALLBACK covers a failed download.

const FALLBACK = {
  common: {
    network_error: "The portal could not be reached. Check your connection and try again.",
  },
};

let strings = FALLBACK;

/**
 * Download the strings file that MkDocs copies from content/assets/ next to this folder, and the
 * extra files that a page names in data-portal-strings="name" (content/assets/strings/name.json).
 * Each feature keeps its texts in a file of its own; the files' top-level keys are merged.
 */
export async function loadStrings() {
  const names = [...document.querySelectorAll("[data-portal-strings]")]
    .map((element) => element.dataset.portalStrings)
    .filter((name) => /^[a-z0-9-]+$/.test(name));
  const urls = [new URL("../strings.json", import.meta.url)];
  for (const name of new Set(names)) {
    urls.push(new URL(`../strings/${name}.json`, import.meta.url));
  }
  const files = await Promise.all(urls.map(fetchStrings));
  const loaded = files.filter(Boolean);
  if (loaded.length > 0) {
    strings = Object.assign({}, FALLBACK, ...loaded);
  }
}

async function fetchStrings(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok) {
      return await response.json();
    }
    console.error("portal: strings file missing", url.pathname);
  } catch (error) {
    console.error("portal: strings file failed to load", url.pathname, error);
  }
  return null;
}

/** BCP 47 locale for dates and plurals: the strings file's choice, else the page language. */
export function locale() {
  return strings.date_locale || document.documentElement.lang || undefined;
}

function lookup(key) {
  let value = strings;
  for (const part of key.split(".")) {
    if (value === undefined || value === null) {
      break;
    }
    value = value[part];
  }
  if (value === undefined) {
    value = key.split(".").reduce((node, part) => (node ? node[part] : undefined), FALLBACK);
  }
  return value;
}

export function hasString(key) {
  return typeof lookup(key) === "string";
}

/** Return the string at a dotted key with {placeholders} replaced, or the key when missing. */
export function t(key, values = {}) {
  const template = lookup(key);
  if (typeof template !== "string") {
    console.warn("portal: missing string", key);
    return key;
  }
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

/** Pick the plural form of a key for `count` ("zero" when given, then Intl.PluralRules). */
export function plural(key, count, values = {}) {
  const forms = lookup(key);
  if (!forms || typeof forms !== "object") {
    console.warn("portal: missing plural string", key);
    return `${key} ${count}`;
  }
  const category = count === 0 && forms.zero ? "zero" : new Intl.PluralRules(locale()).select(count);
  const template = forms[category] ?? forms.other;
  return template.replace(/\{(\w+)\}/g, (match, name) => {
    if (name === "count") {
      return new Intl.NumberFormat(locale()).format(count);
    }
    return name in values ? String(values[name]) : match;
  });
}

/**
 * Build a fragment from the string at `key`, putting DOM nodes or text at its {placeholders}.
 * Text goes in as text nodes, so values from the API are never parsed as HTML.
 */
export function tNodes(key, values = {}) {
  const template = lookup(key);
  const fragment = document.createDocumentFragment();
  if (typeof template !== "string") {
    console.warn("portal: missing string", key);
    fragment.append(key);
    return fragment;
  }
  let position = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    fragment.append(template.slice(position, match.index));
    const value = values[match[1]];
    if (value instanceof Node) {
      fragment.append(value);
    } else {
      fragment.append(value === undefined ? match[0] : String(value));
    }
    position = match.index + match[0].length;
  }
  fragment.append(template.slice(position));
  return fragment;
}
