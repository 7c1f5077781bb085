/* The stage timeline, the run's header (title, badge, elapsed time) and the banners for runs that ended early. */

import { config } from "../lib/config.js";
import { $, append, clear, el, extLink, shortUrl } from "../lib/dom.js";
import { fmtDuration, fmtTime, humanize, platformLabel, stageLabel } from "../lib/format.js";
import { STAGE_ORDER, state, TERMINAL } from "./state.js";

export function addEvents(list) {
  let changed = false;
  list.forEach((e) => {
    if (e.seq > state.lastSeq) {
      state.events.push(e);
      state.lastSeq = e.seq;
      changed = true;
    }
  });
  return changed;
}

export function secondsBetween(a, b) {
  return (new Date(b).getTime() - new Date(a).getTime()) / 1000;
}

export function drawTimeline() {
  const list = $("timeline");
  clear(list);
  const events = state.events;
  const byStage = {};
  events.forEach((e) => {
    if (!byStage[e.stage]) byStage[e.stage] = [];
    byStage[e.stage].push(e);
  });
  const last = events[events.length - 1];
  const current = last ? last.stage : "pending";
  const ended = !!TERMINAL[current];
  // The stage that was running when the run failed or was cancelled: the last non-terminal one.
  let interrupted = null;
  if (current === "failed" || current === "cancelled" || current === "expired") {
    for (let i = events.length - 1; i >= 0; i--) {
      if (!TERMINAL[events[i].stage]) {
        interrupted = events[i].stage;
        break;
      }
    }
  }
  const now = new Date().toISOString();
  // Stages before the one reached are done even when their events are not at hand (a run read
  // from Temporal's memo while no worker answers carries only its latest event).
  const reached = STAGE_ORDER.indexOf(interrupted || current);

  STAGE_ORDER.forEach((stageId, index) => {
    const own = byStage[stageId] || [];
    let cls = "pending";
    const first = own[0];
    const lastOwn = own[own.length - 1];
    let end = null;
    if (first) {
      // It ended when the first event of any other stage came after it.
      for (let j = events.indexOf(first) + 1; j < events.length; j++) {
        if (events[j].stage !== stageId) {
          end = events[j].at;
          break;
        }
      }
      if (stageId === interrupted && current !== "expired") cls = current === "failed" ? "failed" : "stopped";
      else if (end || stageId === "completed") cls = "done";
      else cls = "active";
    } else if (stageId === "completed" && ended && current !== "completed") {
      return; // a failed/cancelled/expired run never completes: show its own end below instead
    } else if (index < reached) {
      cls = "done";
    } else if (ended) {
      cls = "skipped"; // the run ended before this stage
    }
    let timing = "";
    if (first) {
      const secs = secondsBetween(first.at, end || (cls === "active" ? now : first.at));
      timing = fmtTime(first.at);
      if (stageId !== "completed" && stageId !== "pending" && (end || cls === "active")) {
        timing += ` · ${fmtDuration(secs)}${cls === "active" ? " so far" : ""}`;
      }
    }
    const label = config.stages[index].label;
    const message = lastOwn && lastOwn.message !== label ? lastOwn.message : "";
    const item = el(
      "li",
      { className: `step ${cls}`, attrs: { "data-stage": stageId, "aria-current": cls === "active" ? "step" : false } },
      el("span", { className: "dot", attrs: { "aria-hidden": "true" } }),
      el(
        "div",
        { className: "step-body" },
        el(
          "div",
          { className: "step-head" },
          el("span", { className: "step-label", text: label }),
          el("span", { className: "step-time", text: timing }),
        ),
        message ? el("p", { className: "step-msg", text: message }) : null,
      ),
    );
    list.appendChild(item);
  });
  if (current === "failed" || current === "cancelled" || current === "expired") {
    list.appendChild(
      el(
        "li",
        { className: `step end ${current}`, attrs: { "data-stage": current } },
        el("span", { className: "dot", attrs: { "aria-hidden": "true" } }),
        el(
          "div",
          { className: "step-body" },
          el(
            "div",
            { className: "step-head" },
            el("span", { className: "step-label", text: stageLabel(current) }),
            el("span", { className: "step-time", text: fmtTime(last.at) }),
          ),
          // A failure's message is in the banner above; cancelled/expired say why here.
          current === "failed" ? null : el("p", { className: "step-msg", text: last.message }),
        ),
      ),
    );
  }
  const percent = last ? last.progress_percent : 0;
  $("progress-bar").style.width = `${percent}%`;
  $("progress").setAttribute("aria-valuenow", String(percent));
  $("progress").setAttribute("data-stage", current);
}

export function lastOfStage(stage) {
  for (let i = state.events.length - 1; i >= 0; i--) if (state.events[i].stage === stage) return state.events[i];
  return null;
}

export function drawHeader() {
  const r = state.result;
  const stage = state.stage;
  const badge = $("run-stage");
  badge.textContent = stageLabel(stage);
  badge.setAttribute("data-stage", stage);
  const profile = r?.brand_profile;
  $("run-title").textContent = profile?.brand_name ? profile.brand_name : r ? shortUrl(r.request.url) : "Campaign";
  const meta = clear($("run-meta"));
  if (r) {
    const req = r.request;
    append(meta, [
      extLink(req.url),
      " · ",
      `${req.num_variants + (req.num_variants === 1 ? " variant" : " variants")} per platform`,
      " · ",
      req.platforms.map(platformLabel).join(", "),
      " · ",
      humanize(req.objective),
    ]);
    if (r.mode === "fallback") {
      append(meta, [" · ", el("span", { className: "chip warn", text: "in-process (Temporal unavailable)" })]);
    }
  }
  drawElapsed();
  $("cancel-box").hidden = !!TERMINAL[stage] || !r;
  document.title = `${$("run-title").textContent} · ${stageLabel(stage)} · BrandTruth`;
}

export function drawElapsed() {
  const r = state.result;
  const out = $("run-elapsed");
  if (!r?.started_at) {
    out.textContent = "";
    return;
  }
  if (TERMINAL[state.stage]) {
    let dur = r.duration_seconds;
    if (dur === null || dur === undefined) {
      const lastEvent = state.events[state.events.length - 1];
      dur = lastEvent ? secondsBetween(r.started_at, lastEvent.at) : null;
    }
    out.textContent = dur !== null ? `finished in ${fmtDuration(dur)}` : "";
  } else if (state.stage === "awaiting_approval") {
    const since = lastOfStage("awaiting_approval");
    out.textContent = since ? `ready since ${fmtTime(since.at)}` : "";
  } else {
    out.textContent = `running for ${fmtDuration(secondsBetween(r.started_at, new Date().toISOString()))}`;
  }
}

export function drawEnd() {
  const r = state.result;
  const stage = state.stage;
  const errorBox = $("run-error");
  const endedBox = $("run-ended");
  errorBox.hidden = stage !== "failed";
  if (stage === "failed") {
    let failedAt = null;
    for (let i = state.events.length - 1; i >= 0; i--) {
      if (!TERMINAL[state.events[i].stage]) {
        failedAt = state.events[i].stage;
        break;
      }
    }
    $("run-error-title").textContent = failedAt
      ? `This run failed while ${stageLabel(failedAt).toLowerCase()}`
      : "This run failed";
    const failedEvent = lastOfStage("failed");
    $("run-error-text").textContent =
      r?.error || (failedEvent && (failedEvent.error || failedEvent.message)) || "No reason was recorded.";
  }
  endedBox.hidden = !(stage === "expired" || stage === "cancelled");
  if (stage === "expired") {
    const hours = r ? r.request.approval_timeout_hours : null;
    $("run-ended-title").textContent = "This run expired";
    $("run-ended-text").textContent =
      "No decision was made" +
      (hours ? ` within ${fmtDuration(hours * 3600)}` : "") +
      ", so nothing was approved. The creatives below are kept for reference; start a new campaign to run them.";
  } else if (stage === "cancelled") {
    $("run-ended-title").textContent = "This run was cancelled";
    $("run-ended-text").textContent =
      "It was stopped before a decision, so nothing was approved. Anything produced before that is shown below.";
  }
}
