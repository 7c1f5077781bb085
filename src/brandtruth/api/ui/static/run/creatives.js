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
    item.heatImg = item.heat
      ? el("img", {
          className: "heat-overlay",
          attrs: {
            width: item.width,
            height: item.height,
            alt: `${vr.variant.id} ${formatLabel(item.format)} attention map`,
            hidden: true,
            loading: "lazy",
          },
        })
      : null;
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
    wrap.appendChild(
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
          el("span", { className: "heat-stack" }, img, item.heatImg),
        ),
        caption,
      ),
    );
  });
  return { node: wrap, items: items };
}

/** Show or hide the attention maps over this card's creatives (the creatives stay visible below). */
export function setHeat(card, on) {
  card.items.forEach((item) => {
    if (!item.heatImg) return;
    if (on && !item.heatImg.getAttribute("src")) item.heatImg.src = item.heat; // fetched when first asked for
    item.heatImg.hidden = !on;
  });
}
