/* The link to the run's gallery page (every creative beside its layout record), shown once the
 * run has composed creatives: before that the gallery would be empty. */
import { $ } from "../lib/dom.js";
import { workflowId } from "./state.js";

export function drawGalleryLink(result) {
  const link = $("gallery-link");
  const count = (result.variants || []).reduce((n, vr) => n + (vr.creatives || []).length, 0);
  link.href = `/runs/${encodeURIComponent(workflowId)}/gallery`;
  link.title = `${count} creative${count === 1 ? "" : "s"} side by side with their layout records`;
  link.hidden = count === 0;
}
