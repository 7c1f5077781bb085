// One namespace over the shared UI modules, for the pages written as single modules
// (check-copy box, gallery, score). The browser keeps no API key: a signed-in session is an
// HttpOnly cookie the browser sends by itself, so getKey() has nothing to return.
export * from "./api.js";
export * from "./config.js";
export * from "./dom.js";
export * from "./format.js";

export function getKey() {
  return "";
}
