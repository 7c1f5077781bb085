/* Choosing variants, approving or rejecting them, and showing the decision (read-only after it). */

import { api } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import { fmtDateTime } from "../lib/format.js";
import { refresh } from "./data.js";
import { announce, state, TERMINAL, workflowId } from "./state.js";

export function selectedIds() {
  const ids = [];
  (state.result?.variants || []).forEach((vr) => {
    if (state.selected[vr.variant.id]) ids.push(vr.variant.id);
  });
  return ids;
}

export function drawApproveSummary() {
  const ids = selectedIds();
  const total = (state.result?.variants || []).length;
  const button = $("approve");
  button.disabled = !ids.length;
  button.textContent = ids.length
    ? `Approve ${ids.length}${ids.length === 1 ? " variant" : " variants"}`
    : "Select variants to approve";
  $("approve-summary").textContent = ids.length
    ? `Approving ${ids.map((id) => `variant ${id.slice(1)}`).join(", ")}; the other ${total - ids.length} will be rejected.`
    : "No variants selected yet. Tick “Approve variant …” on the ones you want to run.";
  $("sticky-count").textContent = `${ids.length} of ${total} selected`;
}

export function drawDecision(decision) {
  const box = $("decision");
  if (!decision) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const approved = decision.approved_ids || [];
  const rejected = decision.rejected_ids || [];
  const names = (ids) => ids.map((id) => `variant ${id.slice(1)}`).join(", ");
  box.classList.toggle("rejected-all", !approved.length);
  $("decision-title").textContent = approved.length
    ? `Approved ${approved.length} of ${approved.length + rejected.length} variants`
    : "All variants rejected";
  const parts = [];
  if (approved.length) parts.push(`Approved: ${names(approved)}.`);
  if (rejected.length) parts.push(`Rejected: ${names(rejected)}.`);
  parts.push(`Decided ${fmtDateTime(decision.decided_at)}.`);
  $("decision-text").textContent = parts.join(" ");
  const comment = $("decision-comment");
  comment.hidden = !decision.comment;
  comment.textContent = decision.comment ? `“${decision.comment}”` : "";
  const exp = $("export");
  exp.hidden = !approved.length;
  exp.href = `/workflow/export/${encodeURIComponent(workflowId)}.zip`;
  Object.keys(state.cards || {}).forEach((id) => {
    const card = state.cards[id];
    const ok = approved.indexOf(id) >= 0;
    card.node.classList.toggle("approved", ok);
    card.node.classList.toggle("rejected", !ok);
    card.node.classList.remove("selected");
    card.checkbox.checked = ok;
    card.checkbox.disabled = true;
    card.selectRow.hidden = true;
    card.node.querySelector(".verdict").textContent = ok ? "Approved" : "Rejected";
  });
  $("approve-form").hidden = true;
  $("approve-sticky").hidden = true;
  $("review-title").textContent = "Creatives";
  $("review-hint").textContent = "Read-only: this run has been decided. Click a creative to enlarge it.";
}

export function drawReviewMode() {
  const r = state.result;
  const awaiting = r.stage === "awaiting_approval" && !r.decision && !state.decisionQueued;
  $("approve-form").hidden = !awaiting;
  $("approve-sticky").hidden = !awaiting;
  if (awaiting) drawApproveSummary();
  Object.keys(state.cards || {}).forEach((id) => {
    state.cards[id].checkbox.disabled = !awaiting;
    state.cards[id].selectRow.hidden = !awaiting;
  });
  if (r.decision) {
    drawDecision(r.decision);
  } else if (TERMINAL[r.stage]) {
    $("review-title").textContent = "Creatives";
    $("review-hint").textContent = "Read-only: this run ended without a decision. Click a creative to enlarge it.";
  }
}

export async function approve(ids) {
  const error = $("approve-error");
  error.hidden = true;
  $("approve").disabled = true;
  $("reject-all").disabled = true;
  try {
    const comment = $("comment").value.trim();
    const res = await api(`/workflow/approve/${encodeURIComponent(workflowId)}`, {
      method: "POST",
      body: { variant_ids: ids, comment: comment || null },
    });
    if (res.status === 202) {
      state.decisionQueued = true;
      $("approve-form").hidden = true;
      $("approve-sticky").hidden = true;
      const box = $("decision");
      box.hidden = false;
      $("decision-title").textContent = "Decision sent";
      $("decision-text").textContent = res.data.message || "It will be applied as soon as a worker picks it up.";
      return;
    }
    state.result.decision = res.data.decision;
    drawDecision(res.data.decision);
    $("decision").focus();
    announce(
      res.data.approved_ids.length ? `Approved ${res.data.approved_ids.length} variants.` : "All variants rejected.",
    );
  } catch (e) {
    error.textContent = `The decision was not recorded: ${e.message}`;
    error.hidden = false;
    $("reject-all").disabled = false;
    drawApproveSummary();
    if (e.status === 409) refresh();
  }
}

$("approve-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const ids = selectedIds();
  if (ids.length) approve(ids);
});

$("reject-all").addEventListener("click", () => {
  const button = $("reject-all");
  if (state.rejectArmed) {
    clearTimeout(state.rejectArmed);
    state.rejectArmed = null;
    button.textContent = "Reject all";
    approve([]);
    return;
  }
  button.textContent = "Click again to reject all";
  state.rejectArmed = setTimeout(() => {
    state.rejectArmed = null;
    button.textContent = "Reject all";
  }, 5000);
});
