/* The composed creatives of a variant: thumbnails that open the lightbox, attention-map overlays. */

import { artifactUrl } from "../lib/api.js";
import { config } from "../lib/config.js";
import { el } from "../lib/dom.js";
import { formatLabel } from "../lib/format.js";
import { openLightbox } from "./lightbox.js";
import { FORMAT_ORDER } from "./state.js";

export function creativeScore(score, format) {
  if (!score) return null;
  const found = (score.creatives || []).filter((c) => c.format === format)[0];
  return found || null;
}

export function sortedCreatives(list) {
  return (list || []).slice().sort((a, b) => FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format));
}

export function creativeItem(vr, creative, heat) {
  const cs = creativeScore(vr.score, creative.format);
  return {
    variantId: vr.variant.id,
    format: creative.format,
    width: creative.width,
    height: creative.height,
    src: artifactUrl(creative.artifact),
    heat: cs?.heatmap ? artifactUrl(cs.heatmap) : null,
    score: cs,
    showHeat: heat,
  };
}

export function creativesBlock(vr, card) {
  const wrap = el("div", { className: "creatives" });
  const items = sortedCreatives(vr.creatives).map((c) => creativeItem(vr, c, false));
  if (!items.length) {
    wrap.appendChild(el("p", { className: "muted small", text: "No creatives were composed for this variant." }));
    return { node: wrap, items: items };
  }
  items.forEach((item, index) => {
    const img = el("img", {
      className: "creative-img",
      attrs: {
        src: item.src,
        width: item.width,
        height: item.height,
        alt: `${vr.variant.id} ${formatLabel(item.format)} creative, ${item.width}×${item.height}`,
        "data-format": item.format,
      },
    });
    item.img = img;
    const caption = el(
      "figcaption",
      {},
      el("span", { text: config.formats[item.format]?.short || item.format }),
      item.score
        ? el("span", {
            className: `mini-score tier-${item.score.tier}`,
            text: String(Math.round(item.score.score)),
            attrs: { title: "Predicted performance of this format" },
          })
        : null,
    );
    const figure = wrap.appendChild(
      el(
        "figure",
        { className: `creative creative-${item.format}` },
        el(
          "button",
          {
            className: "thumb",
            attrs: { type: "button", "aria-label": `Enlarge ${vr.variant.id} ${formatLabel(item.format)}` },
            on: {
              click: () => {
                openLightbox(card.items, index, card.heatToggle.checked);
              },
            },
          },
          img,
        ),
        caption,
      ),
    );
    // Equal heights in one row: each figure takes width in proportion to its aspect ratio.
    figure.style.flexGrow = String(item.width / item.height);
    figure.style.maxWidth = `${(16 * item.width) / item.height}rem`; // at most 16rem tall when alone
  });
  return { node: wrap, items: items };
}

export function setHeat(card, on) {
  card.items.forEach((item) => {
    if (!item.heat) return;
    item.img.src = on ? item.heat : item.src;
    item.img.alt = `${item.variantId} ${formatLabel(item.format)}${on ? " attention map" : " creative"}, ${item.width}×${item.height}`;
  });
}
