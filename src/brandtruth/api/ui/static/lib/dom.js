/* BrandTruth UI: safe DOM building and URL helpers.
 *
 * Every string that came from a website is untrusted. Nothing here (or in the page scripts) puts
 * data into innerHTML: elements are created with createElement and text goes in via textContent,
 * and links to source pages are only made for http(s) URLs.
 */
/** el("p", {className: "x", text: "hi", attrs: {...}, on: {click: fn}}, child...) */
export function el(tag, opts, ...children) {
  const node = document.createElement(tag);
  const o = opts || {};
  if (o.className) node.className = o.className;
  if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
  if (o.attrs) {
    Object.keys(o.attrs).forEach((name) => {
      const value = o.attrs[name];
      if (value === false || value === null || value === undefined) return;
      node.setAttribute(name, value === true ? "" : String(value));
    });
  }
  if (o.on) {
    Object.keys(o.on).forEach((name) => {
      node.addEventListener(name, o.on[name]);
    });
  }
  for (const child of children) append(node, child);
  return node;
}

export function append(parent, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    child.forEach((c) => {
      append(parent, c);
    });
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function $(id) {
  return document.getElementById(id);
}

/** The URL if it is an absolute http(s) URL, else null (never javascript:, data:, ...). */
export function safeHref(url) {
  if (typeof url !== "string") return null;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (_e) {
    return null;
  }
}

/** A short readable form of a URL: host + path, without the scheme. */
export function shortUrl(url) {
  try {
    const u = new URL(url);
    const path = u.pathname === "/" ? "" : u.pathname;
    return u.host + path + u.search;
  } catch (_e) {
    return String(url);
  }
}

/** A link to an external page that cannot reach back into this window. */
export function extLink(url, text) {
  const href = safeHref(url);
  if (!href) return el("span", { text: text || url });
  return el("a", { text: text || shortUrl(url), attrs: { href: href, target: "_blank", rel: "noopener noreferrer" } });
}
