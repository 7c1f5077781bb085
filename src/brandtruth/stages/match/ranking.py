"""Scores per (variant, candidate, format) and the run-wide image assignment.

total = (0.40 relevance + 0.25 fit + 0.20 text room + 0.15 diversity) x (1 - text penalty), each
in [0, 1]:

- relevance: TF-IDF cosine of the image's words to the variant's copy (doubled and capped, since
  short texts rarely exceed 0.5), blended with a prior by page section (hero images are the
  brand's chosen showcase).
- fit: resolution left after cropping to the format (upscaling is penalised), area lost to the
  crop, share of the subject (saliency/faces) the crop keeps; cut faces are penalised.
- text room: 1 - clutter of the calmer of the two text zones of the format inside the crop.
- diversity: 1 for the image the run-wide assignment gives this variant (or an image no other
  variant uses in this format), 1/(1+n) for an image n other variants use.
- text penalty: TEXT_PENALTY x baked_text², where baked_text (0..1) is how much of what the
  format's crop shows is text already (a social card with its own headline is ~1, a product
  label or a van's lettering well under 0.5; text the crop cuts through counts extra). Our
  headline over someone else's reads as a mistake, so a card ranks below a clean photo of equal
  relevance and below the brand background too, unless the crop leaves its text out. Text inside
  a format's text zone also counts as clutter there (less text room).

The assignment is computed from all variants of the run, deterministically, so every
per-variant activity arrives at the same plan and keeps its own row of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from brandtruth.formats import Zone, fraction_box, zone_box, zones
from brandtruth.imaging.analysis import ImageAnalysis, clutter, crop_for_aspect
from brandtruth.models.common import Box
from brandtruth.models.copy import Angle, CopyVariant
from brandtruth.models.creative import FORMAT_SIZES, AdFormat
from brandtruth.stages.match.candidates import Candidate

W_RELEVANCE = 0.40
W_FIT = 0.25
W_ROOM = 0.20
W_DIVERSITY = 0.15
#: The generated background is a fallback: its total is scaled so real imagery of acceptable
#: quality wins, while tiny, blurry or badly fitting photos lose to it.
GENERATED_FACTOR = 0.5
#: Bonus for keeping a variant's image the same across formats when assigning per format.
CONSISTENCY_BONUS = 0.08
#: Largest share of the score taken away for text baked into the image (at baked_text = 1).
TEXT_PENALTY = 0.7
#: Text covering this share of a text zone makes the zone count as fully cluttered.
TEXT_ZONE_FULL = 0.25

#: Prior by where the image came from: the brand's hero imagery is its chosen showcase; stock
#: photos are generic, so they need real textual relevance to beat the brand's own pictures.
SECTION_PRIOR = {"hero": 1.0, "feature": 0.7, "testimonial": 0.5, "other": 0.4, "stock": 0.1}


@dataclass
class FormatFit:
    crop: Box | None
    fit: float
    room: float
    zone: Zone | None
    notes: list[str] = field(default_factory=list)
    #: Text baked into what the crop shows, 0..1 (see `text_regions.text_score`).
    baked: float = 0.0


def format_fit(analysis: ImageAnalysis, fmt: AdFormat) -> FormatFit:
    """Crop, fit and text room of one analysed image for one format.

    For each of the format's two text zones, the crop is chosen to keep the subject and keep it
    out of that zone; the zone (and its crop) with the best mix of kept subject and calm text
    area wins.
    """
    tw, th = FORMAT_SIZES[fmt]
    s = analysis.scale
    text_mask = analysis.text_mask if analysis.text else None
    options: list[tuple[float, Zone, tuple[int, int, int, int], float, float]] = []
    for zone in zones(fmt):
        frac = fraction_box(fmt, zone_box(fmt, zone))
        (left, top, right, bottom), kept = crop_for_aspect(analysis, tw / th, avoid=frac)
        sl, st, sr, sb = round(left * s), round(top * s), round(right * s), round(bottom * s)
        sw, sh = max(1, sr - sl), max(1, sb - st)
        x0, x1 = sl + int(frac[0] * sw), sl + max(int(frac[0] * sw) + 1, int(frac[2] * sw))
        y0, y1 = st + int(frac[1] * sh), st + max(int(frac[1] * sh) + 1, int(frac[3] * sh))
        c = clutter(analysis.rgb[y0:y1, x0:x1], analysis.saliency[y0:y1, x0:x1], analysis.edges[y0:y1, x0:x1])
        if text_mask is not None:
            c = max(c, min(1.0, float(text_mask[y0:y1, x0:x1].mean()) / TEXT_ZONE_FULL))
        options.append((0.5 * kept + 0.5 * (1.0 - c), zone, (left, top, right, bottom), kept, c))
    # Highest combined score; the format's conventional zone (listed first) wins near-ties.
    best = options[0]
    for opt in options[1:]:
        if opt[0] > best[0] + 0.02:
            best = opt
    _score, zone, (left, top, right, bottom), kept, zone_clutter = best

    cw = right - left
    resolution = min(1.0, cw / tw)
    res_score = resolution**1.5
    crop_loss = 1.0 - (cw * (bottom - top)) / (analysis.width * analysis.height)
    fit = 0.5 * res_score + 0.2 * (1.0 - crop_loss) + 0.3 * kept
    notes: list[str] = []
    if resolution < 1.0:
        notes.append(f"upscaled x{1 / resolution:.1f}")
    if crop_loss > 0.4:
        notes.append(f"crop loses {crop_loss:.0%}")
    sl, st, sr, sb = round(left * s), round(top * s), round(right * s), round(bottom * s)
    cut_faces = 0
    for fl, ft, fr, fb in analysis.faces:
        inside = fl >= sl - 1 and ft >= st - 1 and fr <= sr + 1 and fb <= sb + 1
        overlaps = fl < sr and fr > sl and ft < sb and fb > st
        if overlaps and not inside:
            cut_faces += 1
    if cut_faces:
        fit *= 0.7
        notes.append("crop cuts a face")
    if analysis.faces:
        notes.append(f"{len(analysis.faces)} face(s)")
    baked = analysis.text_score_in((left, top, right, bottom)) if text_mask is not None else 0.0
    if baked >= 0.5:
        notes.append(f"mostly text already (baked-in text {baked:.2f})")
    elif baked > 0.0:
        notes.append(f"some baked-in text ({baked:.2f}); kept clear of ours")
    box = Box(left=left, top=top, right=right, bottom=bottom)
    return FormatFit(crop=box, fit=_unit(fit), room=_unit(1.0 - zone_clutter), zone=zone, notes=notes, baked=baked)


def _unit(x: float) -> float:
    return float(min(1.0, max(0.0, round(x, 4))))


def relevance_score(cosine: float, section: str, variant: CopyVariant) -> float:
    prior = SECTION_PRIOR.get(section, SECTION_PRIOR["other"])
    if section == "testimonial" and variant.angle is Angle.SOCIAL_PROOF:
        prior = 1.0
    return _unit(0.75 * min(1.0, 2.0 * cosine) + 0.25 * prior)


def text_factor(baked_text: float) -> float:
    """Multiplier for an image with `baked_text` (0..1): 1 for none, 1 - TEXT_PENALTY for a card."""
    return 1.0 - TEXT_PENALTY * min(1.0, max(0.0, baked_text)) ** 2


def base_score(relevance: float, fit: float, room: float, generated: bool, baked_text: float = 0.0) -> float:
    """Weighted score without the diversity term, normalised to [0, 1]."""
    s = (W_RELEVANCE * relevance + W_FIT * fit + W_ROOM * room) / (W_RELEVANCE + W_FIT + W_ROOM)
    s *= text_factor(baked_text)
    return s * GENERATED_FACTOR if generated else s


def total_score(
    relevance: float, fit: float, room: float, diversity: float, generated: bool, baked_text: float = 0.0
) -> float:
    s = W_RELEVANCE * relevance + W_FIT * fit + W_ROOM * room + W_DIVERSITY * diversity
    s *= text_factor(baked_text)
    return _unit(s * GENERATED_FACTOR if generated else s)


def assign(
    variant_ids: list[str],
    pool: list[Candidate],
    quality: dict[tuple[str, str], float],
    preferred: dict[str, str] | None = None,
) -> dict[str, str]:
    """Give each variant one candidate, spreading the run over distinct images.

    Greedy on the global best remaining (variant, image) pair, ties broken by variant order and
    image id, so the plan is deterministic. Site images are used once per round; when variants
    outnumber good images a new round starts and images are reused. A variant whose best option
    scores below the generated background gets the background (it can be rendered differently
    per variant, so it never counts as a repeat).
    """
    generated = next((c for c in pool if c.generated), None)
    site = [c for c in pool if not c.generated]
    order = {vid: i for i, vid in enumerate(variant_ids)}
    result: dict[str, str] = {}

    def q(vid: str, cid: str) -> float:
        bonus = CONSISTENCY_BONUS if preferred and preferred.get(vid) == cid else 0.0
        return quality.get((vid, cid), 0.0) + bonus

    floor = {vid: q(vid, generated.id) if generated else -1.0 for vid in variant_ids}
    remaining = list(variant_ids)
    while remaining:
        pairs = sorted(
            ((q(v, c.id), v, c.id) for v in remaining for c in site if q(v, c.id) > floor[v]),
            key=lambda t: (-round(t[0], 9), order[t[1]], t[2]),
        )
        used: set[str] = set()
        progressed = False
        for _score, vid, cid in pairs:
            if vid in result or cid in used:
                continue
            result[vid] = cid
            used.add(cid)
            progressed = True
        remaining = [v for v in remaining if v not in result]
        if not progressed:
            break
    for vid in remaining:
        if generated is not None:
            result[vid] = generated.id
    return result


def relevance_rows(
    cosines: np.ndarray, pool: list[Candidate], variants: list[CopyVariant]
) -> dict[tuple[str, str], float]:
    """relevance[(variant_id, candidate_id)] from a (variants x site candidates) cosine matrix."""
    out: dict[tuple[str, str], float] = {}
    site = [c for c in pool if not c.generated]
    for i, variant in enumerate(variants):
        for j, cand in enumerate(site):
            out[(variant.id, cand.id)] = relevance_score(float(cosines[i, j]), cand.section, variant)
        for cand in pool:
            if cand.generated:
                out[(variant.id, cand.id)] = 0.0
    return out
