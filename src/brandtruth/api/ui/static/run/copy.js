/* Ad copy as it will appear on each platform, with the words that rest on claims marked and traced. */
import { el, shortUrl } from "../lib/dom.js";
import { platformLabel } from "../lib/format.js";
import { evidenceDetails, riskBadge } from "./brand.js";
import { state } from "./state.js";

export function claimIndex(profile) {
  const map = {};
  (profile?.claims || []).forEach((c) => {
    map[c.id] = c;
  });
  return map;
}

export function isWordChar(ch) {
  return !!ch && /[0-9A-Za-z\u00C0-\uFFFF]/.test(ch);
}

/** Where `span` occurs in `text` as whole words (case-insensitive), or -1. */
export function findSpan(text, span) {
  const lower = text.toLowerCase();
  const needle = span.toLowerCase();
  let from = 0;
  let fallback = -1;
  while (true) {
    const at = lower.indexOf(needle, from);
    if (at < 0) return fallback;
    if (!isWordChar(text.charAt(at - 1)) && !isWordChar(text.charAt(at + needle.length))) return at;
    if (fallback < 0) fallback = at;
    from = at + 1;
  }
}

/** Text with the spans that rest on claims wrapped in <mark>, each followed by its reference number. */
export function highlighted(text, uses) {
  text = String(text || "");
  const frag = document.createDocumentFragment();
  const ranges = [];
  uses.forEach((u) => {
    const span = String(u.span || "").trim();
    if (!span) return;
    const at = findSpan(text, span);
    if (at >= 0) ranges.push({ start: at, end: at + span.length, ref: u.ref });
  });
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  // Drop overlaps, then join neighbours of the same claim ("14-day" "free" "trial" -> one mark).
  const merged = [];
  ranges.forEach((r) => {
    const prev = merged[merged.length - 1];
    if (prev && r.start < prev.end) return;
    if (prev && prev.ref === r.ref && /^[\s\-–—,/]*$/.test(text.slice(prev.end, r.start))) {
      prev.end = r.end;
      return;
    }
    merged.push({ start: r.start, end: r.end, ref: r.ref });
  });
  let pos = 0;
  merged.forEach((r) => {
    if (r.start > pos) frag.appendChild(document.createTextNode(text.slice(pos, r.start)));
    frag.appendChild(
      el(
        "mark",
        { className: "claim-mark", attrs: { title: `Backed by source ${r.ref} below` } },
        text.slice(r.start, r.end),
        el("sup", { text: String(r.ref) }),
      ),
    );
    pos = r.end;
  });
  if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
  return frag;
}

/** How the ad appears on its platform; `image` is the creative shown in the post ({src, width, height, alt}). */
export function copyBlock(variant, uses, profile, image) {
  const platform = variant.platform;
  const brand = profile?.brand_name || "";
  const box = el("section", {
    className: `copy copy-${platform}`,
    attrs: { "aria-label": `Ad copy for ${platformLabel(platform)}` },
  });
  box.appendChild(el("h4", { className: "sub", text: `Copy · ${platformLabel(platform)}` }));
  if (platform === "google_rsa") {
    const host = shortUrl(state.result?.request.url || "").split("/")[0];
    const path = [host].concat([variant.path1, variant.path2].filter(Boolean)).join(" › ");
    const heads = (variant.headlines?.length ? variant.headlines : [variant.headline]).slice(0, 3);
    const desc = (variant.descriptions?.length ? variant.descriptions[0] : variant.description) || variant.primary_text;
    box.appendChild(
      el(
        "div",
        { className: "serp" },
        el("p", { className: "serp-path" }, el("strong", { text: "Sponsored" }), " · ", path),
        el("p", { className: "serp-headline" }, highlighted(heads.join(" | "), uses)),
        el("p", { className: "serp-desc" }, highlighted(desc, uses)),
      ),
    );
    const all = el(
      "details",
      { className: "rsa-assets" },
      el("summary", {
        text: `All ${(variant.headlines || []).length} headlines and ${(variant.descriptions || []).length} descriptions`,
      }),
    );
    all.appendChild(el("h5", { text: "Headlines" }));
    all.appendChild(
      el(
        "ol",
        {},
        (variant.headlines || []).map((h) =>
          el("li", {}, highlighted(h, uses), el("span", { className: "muted", text: ` (${h.length})` })),
        ),
      ),
    );
    all.appendChild(el("h5", { text: "Descriptions" }));
    all.appendChild(
      el(
        "ol",
        {},
        (variant.descriptions || []).map((d) =>
          el("li", {}, highlighted(d, uses), el("span", { className: "muted", text: ` (${d.length})` })),
        ),
      ),
    );
    box.appendChild(all);
  } else {
    box.appendChild(
      el(
        "div",
        { className: "post" },
        el(
          "p",
          { className: "post-brand" },
          el("strong", { text: brand }),
          el("span", { className: "muted", text: " · Sponsored" }),
        ),
        el("p", { className: "post-text" }, highlighted(variant.primary_text, uses)),
        image
          ? el("img", {
              className: "post-image",
              attrs: { src: image.src, width: image.width, height: image.height, alt: image.alt, loading: "lazy" },
            })
          : null,
        el(
          "div",
          { className: "post-link" },
          el(
            "div",
            {},
            el("p", { className: "post-headline" }, highlighted(variant.headline, uses)),
            variant.description ? el("p", { className: "post-desc" }, highlighted(variant.description, uses)) : null,
          ),
          el("span", { className: "post-cta", text: variant.cta }),
        ),
      ),
    );
  }
  return box;
}

export function claimsUsedBlock(uses, claims) {
  if (!uses.length) {
    return el("p", {
      className: "muted small",
      text: "This copy makes no factual claims, so there is nothing to trace.",
    });
  }
  return el(
    "section",
    { className: "claims-used" },
    el("h4", { className: "sub", text: "Where the claims come from" }),
    el(
      "ol",
      {},
      uses.map((u) => {
        const claim = claims[u.claim_id];
        if (!claim) {
          return el(
            "li",
            { className: "claim-missing" },
            el("mark", { className: "ref", text: String(u.ref) }),
            ` “${u.span}” — not found in the brand profile`,
          );
        }
        return el(
          "li",
          {},
          el(
            "div",
            { className: "claim-head" },
            el("mark", { className: "ref", text: String(u.ref) }),
            riskBadge(claim.risk),
          ),
          el("p", { className: "claim-text", text: claim.text }),
          evidenceDetails(claim.evidence, "Show the evidence"),
        );
      }),
    ),
  );
}
