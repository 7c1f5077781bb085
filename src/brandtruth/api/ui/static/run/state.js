/* What the run page knows: the run's id, its latest result and events, and the UI's own state. */
import { config } from "../lib/config.js";
import { $ } from "../lib/dom.js";

export const workflowId = $("run").getAttribute("data-workflow-id");
export const TERMINAL = { completed: true, failed: true, cancelled: true, expired: true };
export const STAGE_ORDER = config.stages.map((s) => s.id);
export const FORMAT_ORDER = config.formatOrder;

export const state = {
  result: null,
  events: [], // every ProgressEvent we have, by ascending seq
  lastSeq: 0,
  stage: "pending",
  source: null,
  refreshing: null,
  refreshAgain: false,
  variantsDrawn: false,
  selected: {},
  cards: {},
  lightbox: { items: [], index: 0 },
  rejectArmed: null,
  decisionQueued: false,
  allClaims: false,
  brandKey: null,
};

export function setConnection(text) {
  $("connection").textContent = text;
}

export function announce(text) {
  $("announce").textContent = text;
}
