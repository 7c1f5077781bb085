/* The brand profile: logo, palette, tone, and the claims found on the site with their evidence. */

import { artifactUrl } from "../lib/api.js";
import { $, append, clear, el, extLink, safeHref } from "../lib/dom.js";
import { humanize } from "../lib/format.js";
import { state } from "./state.js";

export function riskBadge(risk) {
  const labels = { low: "Low risk", medium: "Medium risk", high: "High risk", blocked: "Blocked" };
  return el("span", { className: `risk risk-${risk}`, text: labels[risk] || risk });
}

export function evidenceList(evidence) {
  return el(
    "ul",
    { className: "evidence" },
    (evidence || []).map((ev) =>
      el(
        "li",
        {},
        el("blockquote", { text: ev.quote, attrs: { cite: safeHref(ev.url) || false } }),
        el(
          "p",
          { className: "evidence-source" },
          "— ",
          ev.section ? el("span", { text: `${ev.section}, ` }) : null,
          extLink(ev.url),
        ),
      ),
    ),
  );
}

export function evidenceDetails(evidence, summaryText) {
  const n = (evidence || []).length;
  return el(
    "details",
    { className: "evidence-box" },
    el("summary", {
      text: summaryText || (n === 1 ? "Show the quote from the site" : `Show ${n} quotes from the site`),
    }),
    evidenceList(evidence),
  );
}

export function drawBrand(profile) {
  const box = $("brand");
  if (!profile) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  // The profile does not change after extraction; redraw only when the notes grow (copy
  // warnings arrive later), so open evidence stays open.
  const key = `${profile.url}|${(profile.warnings || []).length + (state.result?.copy_warnings || []).length}`;
  if (state.brandKey === key) return;
  state.brandKey = key;
  $("brand-title").textContent = profile.brand_name;
  const tagline = $("brand-tagline");
  tagline.textContent = profile.tagline || "";
  tagline.hidden = !profile.tagline;
  const source = clear($("brand-source"));
  const bits = [extLink(profile.url)];
  if (profile.industry?.name) bits.push(` · ${humanize(profile.industry.name)}`);
  if (profile.pages?.length)
    bits.push(` · ${profile.pages.length}${profile.pages.length === 1 ? " page read" : " pages read"}`);
  append(source, bits);

  const logo = $("brand-logo");
  const logoRef = profile.assets?.logo?.artifact;
  if (logoRef) {
    logo.src = artifactUrl(logoRef);
    logo.alt = `${profile.brand_name} logo`;
    logo.hidden = false;
  } else {
    logo.hidden = true;
  }
  const description = $("brand-description");
  description.textContent = profile.description || "";
  description.hidden = !profile.description;

  const palette = clear($("brand-palette"));
  const colors = profile.assets?.colors || [];
  colors.forEach((c) => {
    if (!/^#[0-9a-f]{6}$/i.test(c.hex)) return;
    const chip = el("span", { className: "swatch-chip", attrs: { "aria-hidden": "true" } });
    chip.style.backgroundColor = c.hex;
    palette.appendChild(
      el(
        "li",
        { className: "swatch" },
        chip,
        el("span", { className: "swatch-role", text: humanize(c.role) }),
        el("code", { text: c.hex }),
      ),
    );
  });
  $("brand-palette-box").hidden = !colors.length;

  const tone = profile.tone || {};
  const toneBits = [];
  if (tone.summary) toneBits.push(tone.summary);
  const metrics = [];
  if (typeof tone.reading_ease === "number") metrics.push(`reading ease ${Math.round(tone.reading_ease)}`);
  if (typeof tone.sentiment === "number")
    metrics.push(`sentiment ${tone.sentiment >= 0 ? "+" : ""}${tone.sentiment.toFixed(2)}`);
  if (typeof tone.avg_sentence_length === "number")
    metrics.push(`${Math.round(tone.avg_sentence_length)} words per sentence`);
  const toneP = clear($("brand-tone"));
  append(toneP, toneBits.length ? toneBits.join(" ") : metrics.join(" · "));
  $("brand-tone-box").hidden = !toneBits.length && !metrics.length;

  const claims = clear($("brand-claims"));
  const all = (profile.claims || []).slice();
  const severity = { blocked: 0, high: 1, medium: 2, low: 3 };
  // Riskiest first: those are the ones a reviewer must look at.
  all.sort((a, b) => severity[a.risk] - severity[b.risk] || 0);
  const counts = {};
  all.forEach((c) => {
    counts[c.risk] = (counts[c.risk] || 0) + 1;
  });
  const summary = ["blocked", "high", "medium", "low"]
    .filter((r) => counts[r])
    .map((r) => `${counts[r]} ${r === "blocked" ? "blocked" : `${r} risk`}`);
  $("claims-summary").textContent = all.length
    ? `${all.length + (all.length === 1 ? " claim" : " claims")}: ${summary.join(", ")}. Each is backed by the exact words on the site.`
    : "";
  const SHOWN = 5;
  all.forEach((c, i) => {
    claims.appendChild(
      el(
        "li",
        { className: "claim", attrs: { id: `claim-${c.id}`, hidden: i >= SHOWN && !state.allClaims } },
        el(
          "div",
          { className: "claim-head" },
          riskBadge(c.risk),
          el("span", { className: "chip", text: humanize(c.kind) }),
        ),
        el("p", { className: "claim-text", text: c.text }),
        c.risk_reason ? el("p", { className: "claim-reason", text: c.risk_reason }) : null,
        evidenceDetails(c.evidence),
      ),
    );
  });
  if (!all.length) {
    claims.appendChild(
      el("li", {
        className: "muted",
        text: "No checkable claims were found on the site; the copy sticks to what the brand does.",
      }),
    );
  }
  const more = $("claims-more");
  more.hidden = all.length <= SHOWN || !!state.allClaims;
  more.textContent = `Show all ${all.length} claims`;
  const notes = (profile.warnings || []).concat(state.result?.copy_warnings || []);
  $("brand-notes").hidden = !notes.length;
  $("brand-notes-summary").textContent =
    `${notes.length + (notes.length === 1 ? " note" : " notes")} from reading the site and writing copy`;
  const noteList = clear($("brand-notes-list"));
  notes.forEach((n) => {
    noteList.appendChild(el("li", { text: n }));
  });
}

export function wireBrand() {
  $("claims-more").addEventListener("click", () => {
    state.allClaims = true;
    const hiddenClaims = document.querySelectorAll("#brand-claims li[hidden]");
    Array.prototype.forEach.call(hiddenClaims, (li) => {
      li.hidden = false;
    });
    $("claims-more").hidden = true;
    if (hiddenClaims.length) hiddenClaims[0].querySelector("summary").focus();
  });
}
