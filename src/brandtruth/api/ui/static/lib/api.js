/* Calls to the /workflow JSON API, and signing in when the server has an API key.
 *
 * The key is typed once into the sign-in dialog and sent to POST /workflow/session, which answers
 * with an HttpOnly, SameSite=Strict cookie. This script never keeps the key: the browser sends the
 * cookie with every request to /workflow (fetch, <img>, EventSource, downloads), so no key or token
 * is ever put in a URL.
 */
import { config } from "./config.js";
import { $ } from "./dom.js";

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
  }
}

let pendingSignIn = null;

async function signIn(key) {
  const res = await fetch("/workflow/session", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ key: key }),
    cache: "no-store",
  });
  return res.ok;
}

/** Show the sign-in dialog; resolves once the server accepted a key (and set its cookie). */
export function askKey(message) {
  if (pendingSignIn) return pendingSignIn;
  const dialog = $("key-dialog");
  const input = $("key-input");
  const error = $("key-error");
  const form = $("key-form");
  error.hidden = !message;
  error.textContent = message || "";
  input.value = "";
  pendingSignIn = new Promise((resolve) => {
    async function done(event) {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) {
        input.focus();
        return;
      }
      let accepted = false;
      try {
        accepted = await signIn(value);
      } catch (_e) {
        error.textContent = "The BrandTruth server did not answer. Check that it is running, then try again.";
        error.hidden = false;
        return;
      }
      input.value = "";
      if (!accepted) {
        error.textContent = "That key was not accepted. Please check it and try again.";
        error.hidden = false;
        input.focus();
        return;
      }
      form.removeEventListener("submit", done);
      dialog.close();
      pendingSignIn = null;
      resolve();
    }
    form.addEventListener("submit", done);
  });
  if (!dialog.open) dialog.showModal();
  input.focus();
  return pendingSignIn;
}

/** Whether this browser already has a session (any /workflow call answers 401 without one). */
async function signedIn() {
  try {
    const res = await fetch("/workflow/runs?limit=1", { headers: { Accept: "application/json" }, cache: "no-store" });
    return res.status !== 401;
  } catch (_e) {
    return true; // the server is down: let the page say so
  }
}

function wireKeyDialog() {
  // The key is required to see anything: Escape must not leave the user on a page that cannot load.
  $("key-dialog").addEventListener("cancel", (e) => e.preventDefault());
  const change = $("change-key");
  if (change) {
    change.addEventListener("click", async () => {
      await fetch("/workflow/session", { method: "DELETE" });
      await askKey("");
      location.reload();
    });
  }
}

function domReady() {
  return new Promise((resolve) => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve);
    else resolve();
  });
}

/** Resolves when the page may call the API (after signing in if the server needs a key). */
export async function ready() {
  await domReady();
  wireKeyDialog();
  if (config.authRequired && !(await signedIn())) await askKey("");
}

/** The API address of a stored file: the result's own `url` (a path on this server). */
export function artifactUrl(ref) {
  if (!ref) return null;
  if (typeof ref.url === "string" && ref.url.startsWith("/workflow/artifacts/")) return ref.url;
  if (typeof ref.path !== "string") return null;
  return `/workflow/artifacts/${ref.path.split("/").map(encodeURIComponent).join("/")}`;
}

/** fetch + JSON; on 401 asks for the key once (a new session) and retries. */
export async function api(path, options) {
  const opts = options || {};
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = { Accept: "application/json" };
    const init = { method: opts.method || "GET", headers: headers, cache: "no-store" };
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (_e) {
      throw new ApiError(0, "The BrandTruth server did not answer. Check that it is running, then try again.");
    }
    if (res.status === 401 && attempt === 0) {
      await askKey("Please sign in with the server's API key.");
      continue;
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_e) {
      data = null;
    }
    if (!res.ok) {
      const detail = data?.detail ? String(data.detail) : `${res.status} ${res.statusText}`;
      throw new ApiError(res.status, detail);
    }
    return { status: res.status, data: data };
  }
  throw new ApiError(401, "The API key was not accepted.");
}
