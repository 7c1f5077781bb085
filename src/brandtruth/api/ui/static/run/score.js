/* Predicted performance: the score, its range, the factors that drive it and how to raise it. */
import { el } from "../lib/dom.js";
import { humanize } from "../lib/format.js";

/** Factors averaged over the creatives' scores (the copy-only score when there are none). */
export function topFactors(score) {
  const per = (score.creatives || []).filter((c) => c.format);
  const basis = per.length ? per : score.creatives || [];
  const byName = {};
  basis.forEach((cs) => {
    (cs.factors || []).forEach((f) => {
      if (f.group === "baseline") return;
      if (!byName[f.name]) {
        byName[f.name] = { name: f.name, reason: f.reason, target: f.target, contribution: 0, quality: 0, q: 0, n: 0 };
      }
      const agg = byName[f.name];
      agg.contribution += f.contribution;
      agg.n += 1;
      if (typeof f.quality === "number") {
        agg.quality += f.quality;
        agg.q += 1;
      }
    });
  });
  return Object.keys(byName)
    .map((k) => {
      const a = byName[k];
      return {
        name: a.name,
        reason: a.reason,
        target: a.target,
        contribution: a.contribution / a.n,
        quality: a.q ? a.quality / a.q : null,
      };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, 5);
}

export function scoreBlock(score) {
  if (!score) return el("p", { className: "muted small", text: "Not scored." });
  const box = el("section", { className: "score" });
  box.appendChild(el("h4", { className: "sub", text: "Predicted performance" }));
  const range =
    typeof score.confidence_low === "number" && typeof score.confidence_high === "number"
      ? `likely ${Math.round(score.confidence_low)}–${Math.round(score.confidence_high)}`
      : "";
  box.appendChild(
    el(
      "p",
      { className: "score-line" },
      el("span", { className: `score-big tier-${score.tier}`, text: Math.round(score.score) }),
      el("span", { className: "score-of", text: "/100" }),
      el("span", { className: `tier tier-${score.tier}`, text: humanize(score.tier) }),
      range ? el("span", { className: "muted", text: range }) : null,
    ),
  );
  if (score.model) {
    box.appendChild(
      el("p", {
        className: "muted small",
        text:
          score.model.kind === "prior"
            ? `Estimate from ad-design heuristics (${score.model.name}), not trained on your results.`
            : `Model ${score.model.name} ${score.model.version}, calibrated on past results.`,
      }),
    );
  }
  (score.policy_failures || []).forEach((p) => {
    box.appendChild(el("p", { className: "policy", text: `Policy: ${p}` }));
  });
  const factors = topFactors(score);
  const fixes = score.top_fixes || [];
  if (!factors.length && !fixes.length) return box;
  // Open on wide screens; on a phone the card stays short until asked.
  const why = el("details", { className: "why", attrs: { open: window.matchMedia("(min-width: 900px)").matches } });
  why.appendChild(
    el("summary", {
      text: `Why ${Math.round(score.score)}? ${factors.length} factors${fixes.length ? `, ${fixes.length} ways to raise it` : ""}`,
    }),
  );
  box.appendChild(why);
  if (factors.length) {
    why.appendChild(el("h5", { text: "What drives the score" }));
    why.appendChild(
      el(
        "ul",
        { className: "factors" },
        factors.map((f) => {
          const meter = el(
            "span",
            { className: "meter", attrs: { "aria-hidden": "true" } },
            el("span", { className: "meter-fill" }),
          );
          if (f.quality !== null) meter.firstChild.style.width = `${Math.round(f.quality * 100)}%`;
          const pts = `${(f.contribution >= 0 ? "+" : "") + f.contribution.toFixed(1)} pts`;
          return el(
            "li",
            {},
            el(
              "div",
              { className: "factor-head" },
              el("span", { className: "factor-name", text: humanize(f.name) }),
              el("span", { className: "factor-pts", text: pts }),
            ),
            f.quality !== null ? meter : null,
            el("p", { className: "factor-reason", text: f.reason }),
          );
        }),
      ),
    );
  }
  if (fixes.length) {
    why.appendChild(el("h5", { text: "How to raise it" }));
    why.appendChild(
      el(
        "ul",
        { className: "fixes" },
        fixes.map((t) => el("li", { text: t })),
      ),
    );
  }
  return box;
}
