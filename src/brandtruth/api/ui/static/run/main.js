/* Run page: live stage timeline (SSE), brand profile, review of variants, approval, export.
 *
 * Data flow: GET /workflow/result once for everything known so far, then an EventSource on
 * /workflow/stream (starting after the last event we have; the browser resumes with Last-Event-ID
 * after a dropped connection, and stops when the server answers 204 after the end). When the stage
 * changes the result is fetched again; variants are drawn once the run is awaiting approval (or has
 * ended), and are read-only after a decision. All website text goes into the page through
 * textContent only. Each part of the page lives in its own module beside this one.
 */
import { ready } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import "./approval.js";
import { wireBrand } from "./brand.js";
import "./cancel.js";
import { openStream, refresh } from "./data.js";
import "./lightbox.js";
import { state, TERMINAL } from "./state.js";
import { drawElapsed, drawTimeline } from "./timeline.js";

wireBrand();

setInterval(() => {
  if (!state.result || TERMINAL[state.stage]) return;
  drawElapsed();
  const active = document.querySelector(".step.active .step-time");
  if (active) drawTimeline();
}, 1000);

window.addEventListener(
  "scroll",
  () => {
    const form = $("approve-form");
    if (form.hidden) return;
    const rect = form.getBoundingClientRect();
    $("approve-sticky").classList.toggle("gone", rect.top < window.innerHeight);
  },
  { passive: true },
);

ready().then(async () => {
  await refresh();
  if (state.result) openStream();
});
