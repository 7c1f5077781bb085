/* One card per variant: creatives, copy, claims used, score and notes. */
import { $, clear, el } from "../lib/dom.js";
import { humanize, platformLabel } from "../lib/format.js";
import { drawApproveSummary } from "./approval.js";
import { claimIndex, claimsUsedBlock, copyBlock } from "./copy.js";
import { creativesBlock, setHeat } from "./creatives.js";
import { scoreBlock } from "./score.js";
import { state } from "./state.js";

export function drawVariants(result) {
  const wrap = clear($("variants"));
  const claims = claimIndex(result.brand_profile);
  const awaiting = result.stage === "awaiting_approval" && !result.decision;
  state.cards = {};
  result.variants.forEach((vr) => {
    const v = vr.variant;
    const uses = [];
    const refs = {};
    (v.claims_used || []).forEach((u) => {
      if (!(u.claim_id in refs)) refs[u.claim_id] = Object.keys(refs).length + 1;
      uses.push({ claim_id: u.claim_id, span: u.span, ref: refs[u.claim_id] });
    });
    const uniqueUses = uses.filter((u, i) => uses.findIndex((x) => x.claim_id === u.claim_id) === i);

    const card = { id: v.id, items: [] };
    const article = el("article", {
      className: "card variant",
      attrs: { id: `variant-${v.id}`, "aria-labelledby": `variant-title-${v.id}`, "data-variant": v.id },
    });
    card.node = article;

    const checkbox = el("input", {
      className: "select-box",
      attrs: { type: "checkbox", value: v.id, id: `select-${v.id}` },
    });
    checkbox.checked = !!state.selected[v.id];
    checkbox.disabled = !awaiting;
    checkbox.addEventListener("change", () => {
      state.selected[v.id] = checkbox.checked;
      article.classList.toggle("selected", checkbox.checked);
      drawApproveSummary();
    });
    card.checkbox = checkbox;
    article.classList.toggle("selected", checkbox.checked);

    const scoreChip = vr.score
      ? el(
          "span",
          { className: `score-chip tier-${vr.score.tier}`, attrs: { title: "Predicted performance" } },
          String(Math.round(vr.score.score)),
          el("small", { text: "/100" }),
        )
      : null;
    article.appendChild(
      el(
        "header",
        { className: "card-head" },
        el(
          "div",
          { className: "card-title" },
          el(
            "h3",
            { attrs: { id: `variant-title-${v.id}` } },
            `Variant ${v.id.slice(1)}`,
            el("span", { className: "verdict", attrs: { "aria-live": "polite" } }),
          ),
          el("p", { className: "muted small" }, `${platformLabel(v.platform)} · ${humanize(v.angle)} angle`),
        ),
        scoreChip,
      ),
    );
    const selectRow = el(
      "label",
      { className: "select", attrs: { for: `select-${v.id}`, hidden: !awaiting } },
      checkbox,
      el("span", { text: `Approve variant ${v.id.slice(1)}` }),
    );
    card.selectRow = selectRow;
    article.appendChild(selectRow);

    const creatives = creativesBlock(vr, card);
    card.items = creatives.items;
    article.appendChild(creatives.node);
    const hasHeat = card.items.some((i) => i.heat);
    const heatToggle = el("input", { attrs: { type: "checkbox", id: `heat-${v.id}` } });
    heatToggle.addEventListener("change", () => {
      setHeat(card, heatToggle.checked);
    });
    card.heatToggle = heatToggle;
    if (hasHeat) {
      article.appendChild(
        el(
          "div",
          { className: "heat-row" },
          el(
            "label",
            { className: "toggle", attrs: { for: `heat-${v.id}` } },
            heatToggle,
            el("span", { text: "Show attention map" }),
          ),
          el("span", { className: "muted small", text: "Brighter areas are where eyes are predicted to land first." }),
        ),
      );
    }
    article.appendChild(copyBlock(v, uses, result.brand_profile, previewImage(v, card.items)));
    article.appendChild(claimsUsedBlock(uniqueUses, claims));
    article.appendChild(scoreBlock(vr.score));
    const warnings = (vr.variant.warnings || []).concat(vr.warnings || []);
    if (warnings.length) {
      article.appendChild(
        el(
          "section",
          { className: "variant-notes" },
          el("h4", { className: "sub", text: "Check before running" }),
          el(
            "ul",
            {},
            warnings.map((w) => el("li", { text: w })),
          ),
        ),
      );
    }
    wrap.appendChild(article);
    state.cards[v.id] = card;
  });
  state.variantsDrawn = true;
}

/** The creative a platform's feed would show with this copy: its usual format first. */
const PREVIEW_FORMATS = {
  meta: ["square", "portrait", "landscape", "story"],
  linkedin: ["square", "landscape", "portrait", "story"],
  tiktok: ["story", "portrait", "square", "landscape"],
};

function previewImage(variant, items) {
  const order = PREVIEW_FORMATS[variant.platform];
  if (!order || !items.length) return null;
  const ranked = items.slice().sort((a, b) => rank(order, a.format) - rank(order, b.format));
  const item = ranked[0];
  return { src: item.src, width: item.width, height: item.height, alt: `The ${item.format} creative in the post` };
}

function rank(order, format) {
  const at = order.indexOf(format);
  return at < 0 ? order.length : at;
}
