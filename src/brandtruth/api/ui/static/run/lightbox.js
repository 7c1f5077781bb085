/* The enlarged view of a creative, with its attention map and arrows to step through formats. */
import { $ } from "../lib/dom.js";
import { formatLabel, humanize } from "../lib/format.js";
import { state } from "./state.js";

export function openLightbox(items, index, heat) {
  state.lightbox = { items: items, index: index };
  $("lightbox-heat").checked = !!heat;
  drawLightbox();
  const dialog = $("lightbox");
  if (!dialog.open) dialog.showModal();
  $("lightbox-close").focus();
}

export function drawLightbox() {
  const lb = state.lightbox;
  const item = lb.items[lb.index];
  if (!item) return;
  const heat = $("lightbox-heat").checked && !!item.heat;
  const img = $("lightbox-img");
  img.src = item.src;
  img.width = item.width;
  img.height = item.height;
  img.alt = `Variant ${item.variantId.slice(1)}, ${formatLabel(item.format)} creative`;
  const overlay = $("lightbox-heat-img");
  overlay.hidden = !heat;
  if (heat) {
    overlay.src = item.heat;
    overlay.alt = `Attention map over variant ${item.variantId.slice(1)}, ${formatLabel(item.format)}`;
  } else {
    overlay.removeAttribute("src");
  }
  $("lightbox-title").textContent =
    `Variant ${item.variantId.slice(1)} · ${formatLabel(item.format)} · ${item.width}×${item.height}`;
  $("lightbox-heat").disabled = !item.heat;
  $("lightbox-score").textContent = item.score
    ? `Score ${Math.round(item.score.score)} (${humanize(item.score.tier)})`
    : "";
  $("lightbox-prev").disabled = lb.items.length < 2;
  $("lightbox-next").disabled = lb.items.length < 2;
}

export function stepLightbox(delta) {
  const lb = state.lightbox;
  if (lb.items.length < 2) return;
  lb.index = (lb.index + delta + lb.items.length) % lb.items.length;
  drawLightbox();
}

$("lightbox-close").addEventListener("click", () => {
  $("lightbox").close();
});
$("lightbox-heat").addEventListener("change", drawLightbox);
$("lightbox-prev").addEventListener("click", () => {
  stepLightbox(-1);
});
$("lightbox-next").addEventListener("click", () => {
  stepLightbox(1);
});
$("lightbox").addEventListener("click", (event) => {
  if (event.target === $("lightbox")) $("lightbox").close(); // a click on the backdrop
});
$("lightbox").addEventListener("keydown", (event) => {
  if (event.key === "ArrowLeft") stepLightbox(-1);
  else if (event.key === "ArrowRight") stepLightbox(1);
});
