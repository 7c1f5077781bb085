/* The run's data: the result (fetched again on every stage change) and the live event stream. */

import { ApiError, api } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import { stageLabel } from "../lib/format.js";
import { drawReviewMode } from "./approval.js";
import { drawBrand } from "./brand.js";
import { drawGalleryLink } from "./gallery_link.js";
import { announce, setConnection, state, TERMINAL, workflowId } from "./state.js";
import { addEvents, drawEnd, drawHeader, drawTimeline } from "./timeline.js";
import { drawVariants } from "./variants.js";

export function draw() {
  const r = state.result;
  drawHeader();
  drawTimeline();
  drawEnd();
  if (r) {
    drawBrand(r.brand_profile);
    drawGalleryLink(r);
    const showVariants = r.variants.length && (r.stage === "awaiting_approval" || TERMINAL[r.stage]);
    if (showVariants) {
      if (!state.variantsDrawn) drawVariants(r);
      $("review").hidden = false;
      drawReviewMode();
    }
  }
}

/** Fetch the result again (coalescing calls made while one is in flight). */
export async function refresh() {
  if (state.refreshing) {
    state.refreshAgain = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    try {
      const result = (await api(`/workflow/result/${encodeURIComponent(workflowId)}`)).data;
      state.result = result;
      addEvents(result.events || []);
      const last = state.events[state.events.length - 1];
      state.stage = last ? last.stage : result.stage; // the stream may be ahead of this answer
      draw();
    } catch (e) {
      if (e.status === 404) {
        showMissing();
      } else {
        setConnection(`Could not load the run: ${e.message}`);
        if (!(e instanceof ApiError) && window.console) console.error(e);
      }
      throw e;
    } finally {
      state.refreshing = null;
    }
  })();
  try {
    await state.refreshing;
  } catch (_e) {
    return;
  }
  if (state.refreshAgain) {
    state.refreshAgain = false;
    await refresh();
  }
}

export function closeStream() {
  if (state.source) {
    state.source.close();
    state.source = null;
  }
}

export function onEvent(message) {
  let data;
  try {
    data = JSON.parse(message.data);
  } catch (_e) {
    return;
  }
  const before = state.stage;
  if (!addEvents([data])) return;
  state.stage = data.stage;
  drawTimeline();
  drawHeader();
  if (data.stage !== before) {
    announce(`${stageLabel(data.stage)}: ${data.message}`);
    refresh();
  }
  if (TERMINAL[data.stage]) {
    closeStream();
    setConnection("");
  }
}

export function openStream() {
  closeStream();
  if (TERMINAL[state.stage]) return;
  const url = `/workflow/stream/${encodeURIComponent(workflowId)}?after=${state.lastSeq}`;
  const source = new EventSource(url);
  state.source = source;
  source.addEventListener("open", () => {
    setConnection("Live — updates appear as they happen.");
  });
  source.addEventListener("message", onEvent); // every event, terminal ones too, is a default event
  source.addEventListener("error", () => {
    if (source !== state.source) return;
    if (source.readyState === EventSource.CONNECTING) {
      setConnection("Connection lost — reconnecting…");
      return;
    }
    // Closed for good (e.g. the key was refused or the server restarted): re-check, then reopen.
    setConnection("Connection closed — reconnecting…");
    closeStream();
    refresh().then(() => {
      if (!TERMINAL[state.stage]) setTimeout(openStream, 2000);
    });
  });
}

/** An unknown run: say so plainly, with the way out, and leave no "Loading" behind. */
function showMissing() {
  closeStream();
  $("run-title").textContent = "Run not found";
  const badge = $("run-stage");
  badge.textContent = "Not found";
  badge.setAttribute("data-stage", "not-found");
  $("progress").hidden = true;
  $("cancel-box").hidden = true;
  $("run-missing").hidden = false;
  setConnection("");
  document.title = "Run not found · BrandTruth";
}
