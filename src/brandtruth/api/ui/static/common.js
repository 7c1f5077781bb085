/* BrandTruth UI: shared helpers (API calls with the optional key, safe DOM building, formatting).
 *
 * Every string that came from a website is untrusted. Nothing here (or in the page scripts) puts
 * data into innerHTML: elements are created with createElement and text goes in via textContent,
 * and links to source pages are only made for http(s) URLs.
 */
(function () {
  "use strict";

  var KEY_STORAGE = "brandtruth.apiKey";
  var config = JSON.parse(document.getElementById("ui-config").textContent);

  /* ---------- DOM ---------- */

  /** el("p", {className: "x", text: "hi", attrs: {...}, on: {click: fn}}, child...) */
  function el(tag, opts) {
    var node = document.createElement(tag);
    var o = opts || {};
    if (o.className) node.className = o.className;
    if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
    if (o.attrs) {
      Object.keys(o.attrs).forEach(function (name) {
        var value = o.attrs[name];
        if (value === false || value === null || value === undefined) return;
        node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    if (o.on) {
      Object.keys(o.on).forEach(function (name) {
        node.addEventListener(name, o.on[name]);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(parent, c); });
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function $(id) { return document.getElementById(id); }

  /** The URL if it is an absolute http(s) URL, else null (never javascript:, data:, ...). */
  function safeHref(url) {
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /** A short readable form of a URL: host + path, without the scheme. */
  function shortUrl(url) {
    try {
      var u = new URL(url);
      var path = u.pathname === "/" ? "" : u.pathname;
      return u.host + path + u.search;
    } catch (e) {
      return String(url);
    }
  }

  /** A link to an external page that cannot reach back into this window. */
  function extLink(url, text) {
    var href = safeHref(url);
    if (!href) return el("span", { text: text || url });
    return el("a", { text: text || shortUrl(url), attrs: { href: href, target: "_blank", rel: "noopener noreferrer" } });
  }

  /* ---------- API key ---------- */

  function getKey() {
    try { return sessionStorage.getItem(KEY_STORAGE) || ""; } catch (e) { return ""; }
  }

  function setKey(value) {
    try { sessionStorage.setItem(KEY_STORAGE, value); } catch (e) { /* private mode: ask again next time */ }
  }

  var pendingAsk = null;

  /** Show the key dialog; resolves once a key is saved. */
  function askKey(message) {
    if (pendingAsk) return pendingAsk;
    var dialog = $("key-dialog");
    var input = $("key-input");
    var error = $("key-error");
    error.hidden = !message;
    error.textContent = message || "";
    input.value = "";
    pendingAsk = new Promise(function (resolve) {
      function done(event) {
        event.preventDefault();
        var value = input.value.trim();
        if (!value) { input.focus(); return; }
        setKey(value);
        $("key-form").removeEventListener("submit", done);
        dialog.close();
        pendingAsk = null;
        resolve(value);
      }
      $("key-form").addEventListener("submit", done);
    });
    if (!dialog.open) dialog.showModal();
    input.focus();
    return pendingAsk;
  }

  // The key is required to see anything: Escape must not leave the user on a page that cannot load.
  document.addEventListener("DOMContentLoaded", function () {
    $("key-dialog").addEventListener("cancel", function (e) { e.preventDefault(); });
    var change = $("change-key");
    if (change) {
      change.addEventListener("click", function () {
        askKey("").then(function () { location.reload(); });
      });
    }
  });

  /** Resolves when the page may call the API (after asking for the key if the server needs one). */
  function ready() {
    return new Promise(function (resolve) {
      function go() {
        if (config.authRequired && !getKey()) askKey("").then(function () { resolve(); });
        else resolve();
      }
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
      else go();
    });
  }

  /** `url` with `?access_token=` for requests that cannot carry headers (EventSource, <img>, downloads). */
  function withToken(url) {
    var key = getKey();
    if (!key) return url;
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "access_token=" + encodeURIComponent(key);
  }

  function artifactUrl(ref) {
    if (!ref || typeof ref.path !== "string") return null;
    var path = ref.path.split("/").map(encodeURIComponent).join("/");
    return withToken("/workflow/artifacts/" + path);
  }

  function ApiError(status, detail) {
    this.name = "ApiError";
    this.status = status;
    this.message = detail;
  }
  ApiError.prototype = Object.create(Error.prototype);

  /** fetch + JSON with the bearer key; asks for the key once on 401 and retries. */
  async function api(path, options) {
    var opts = options || {};
    for (var attempt = 0; attempt < 2; attempt++) {
      var headers = { Accept: "application/json" };
      var key = getKey();
      if (key) headers.Authorization = "Bearer " + key;
      var init = { method: opts.method || "GET", headers: headers, cache: "no-store" };
      if (opts.body !== undefined) {
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(opts.body);
      }
      var res;
      try {
        res = await fetch(path, init);
      } catch (e) {
        throw new ApiError(0, "The BrandTruth server did not answer. Check that it is running, then try again.");
      }
      if (res.status === 401 && attempt === 0) {
        await askKey(key ? "That key was not accepted. Please check it and try again." : "");
        continue;
      }
      var data = null;
      try { data = await res.json(); } catch (e) { data = null; }
      if (!res.ok) {
        var detail = data && data.detail ? String(data.detail) : res.status + " " + res.statusText;
        throw new ApiError(res.status, detail);
      }
      return { status: res.status, data: data };
    }
    throw new ApiError(401, "The API key was not accepted.");
  }

  /* ---------- formatting ---------- */

  function stageLabel(stage) { return config.stageLabels[stage] || stage; }
  function platformLabel(p) { return config.platforms[p] || p; }
  function formatLabel(f) { return (config.formats[f] && config.formats[f].label) || f; }

  function fmtTime(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function fmtDateTime(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    return d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  }

  function fmtDuration(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) return "";
    var s = Math.max(0, seconds);
    if (s < 10) return s.toFixed(1) + " s";
    if (s < 60) return Math.round(s) + " s";
    var m = Math.floor(s / 60);
    if (m < 60) return m + " min " + Math.round(s - m * 60) + " s";
    var h = Math.floor(m / 60);
    if (h < 48) return h + " h " + (m - h * 60) + " min";
    return Math.floor(h / 24) + " days";
  }

  function fmtAgo(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    var s = (Date.now() - d.getTime()) / 1000;
    if (s < 45) return "just now";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return d.toLocaleDateString([], { dateStyle: "medium" });
  }

  function humanize(id) {
    var s = String(id || "").replace(/_/g, " ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  window.BT = {
    config: config,
    el: el,
    append: append,
    clear: clear,
    $: $,
    safeHref: safeHref,
    shortUrl: shortUrl,
    extLink: extLink,
    getKey: getKey,
    askKey: askKey,
    ready: ready,
    withToken: withToken,
    artifactUrl: artifactUrl,
    api: api,
    ApiError: ApiError,
    stageLabel: stageLabel,
    platformLabel: platformLabel,
    formatLabel: formatLabel,
    fmtTime: fmtTime,
    fmtDateTime: fmtDateTime,
    fmtDuration: fmtDuration,
    fmtAgo: fmtAgo,
    humanize: humanize,
  };
})();
