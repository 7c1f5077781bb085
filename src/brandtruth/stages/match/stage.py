"""`match_images`: rank candidate images for one variant in every requested format."""

from __future__ import annotations

import asyncio

from brandtruth.errors import BadInputError, UnsupportedContentError
from brandtruth.models.creative import AdFormat, ImageMatch, ImageSource, MatchBreakdown, VariantMatches
from brandtruth.models.stage_io import MatchInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.match import stock
from brandtruth.stages.match.candidates import (
    GENERATED_ID,
    Candidate,
    background_key,
    generated_candidate,
    load_site_candidate,
    site_assets,
)
from brandtruth.stages.match.memory import BoundedLRU
from brandtruth.stages.match.ranking import (
    FormatFit,
    assign,
    base_score,
    format_fit,
    relevance_rows,
    total_score,
)
from brandtruth.stages.match.relevance import relevance_matrix, variant_query

#: Matches kept per format (best first); compose uses the first and falls back down the list.
TOP_K = 3
_DECODE_CONCURRENCY = 2


def requested_formats(formats: list[AdFormat]) -> list[AdFormat]:
    """The request's formats without duplicates, in canonical order; all four when empty."""
    wanted = set(formats) if formats else set(AdFormat)
    return [f for f in AdFormat if f in wanted]


async def _load_pool(inp: MatchInput, ctx: StageContext, warnings: list[str]) -> list[Candidate]:
    assets = site_assets(inp.profile)
    background = inp.profile.assets.color("background")
    gate = asyncio.Semaphore(_DECODE_CONCURRENCY)

    async def load(index: int) -> Candidate | None:
        asset = assets[index]
        async with gate:
            try:
                cand = await asyncio.to_thread(load_site_candidate, ctx.store, asset, background, run_id=ctx.run_id)
            except UnsupportedContentError as exc:
                warnings.append(f"image {index + 1} ({asset.url[:200]}) skipped: {exc.message[:200]}")
                return None
            ctx.heartbeat({"stage": "match", "images_analysed": index + 1, "of": len(assets)})
            return cand

    loaded = await asyncio.gather(*(load(i) for i in range(len(assets))))
    pool = [c for c in loaded if c is not None]
    pool.extend(await _stock_pool(inp, ctx, warnings, background))
    # gather keeps order, and warnings are re-sorted so output never depends on thread timing.
    warnings.sort()
    pool.append(generated_candidate(inp.profile))
    return pool


async def _stock_pool(
    inp: MatchInput, ctx: StageContext, warnings: list[str], background: str | None
) -> list[Candidate]:
    """Pexels/Unsplash candidates when an API key is configured (see `stock`)."""
    settings = ctx.settings
    if not (settings.pexels_api_key or settings.unsplash_access_key):
        return []
    photos = await stock.search(settings, stock.queries_for(inp.variants), warnings, stock.DEFAULT_ENDPOINTS)
    stored = await stock.download(settings, ctx.store, inp.run_id, photos, warnings)
    out: list[Candidate] = []
    seen: set[str] = set()
    for photo, asset in stored:
        try:
            cand = await asyncio.to_thread(
                load_site_candidate, ctx.store, asset, background, ImageSource.STOCK, photo.attribution, ctx.run_id
            )
        except UnsupportedContentError as exc:
            warnings.append(f"stock photo {photo.provider}-{photo.id} skipped: {exc.message[:160]}")
            continue
        if cand.id not in seen:
            seen.add(cand.id)
            out.append(cand)
    ctx.heartbeat({"stage": "match", "stock_photos": len(out)})
    return out


#: Fits of recent (image, background, format): each variant of a run needs the same ones.
_fit_memory: BoundedLRU[tuple[str, str, AdFormat], FormatFit] = BoundedLRU(4096, lambda _fit: 1)


def forget_fits() -> None:
    """Drop the in-process fits (as a fresh worker process would start)."""
    _fit_memory.clear()


def _fit_of(cand: Candidate, fmt: AdFormat, background: str) -> FormatFit:
    """A candidate's fit for a format. It depends only on the image's analysis, which depends only
    on its bytes and the background it is flattened on, so it is computed once per process."""
    if cand.analysis is None:
        return FormatFit(crop=None, fit=1.0, room=1.0, zone=None, notes=["brand background"])
    if cand.candidate.artifact is None:
        return format_fit(cand.analysis, fmt)
    key = (cand.candidate.artifact.sha256, background, fmt)
    fit = _fit_memory.get(key)
    if fit is None:
        fit = format_fit(cand.analysis, fmt)
        _fit_memory.put(key, fit)
    return FormatFit(fit.crop, fit.fit, fit.room, fit.zone, list(fit.notes), fit.baked)


def _fits(
    pool: list[Candidate], formats: list[AdFormat], background: str | None
) -> dict[tuple[str, AdFormat], FormatFit]:
    bg = background_key(background)
    return {(cand.id, fmt): _fit_of(cand, fmt, bg) for cand in pool for fmt in formats}


async def match_images(inp: MatchInput, ctx: StageContext) -> VariantMatches:
    """Rank images for `inp.variant_id` per format, consistent with every other variant's call.

    Every per-variant activity analyses the same pool and computes the same run-wide assignment
    from `inp.variants`, so variants end up on different images when there are enough good ones,
    without the activities having to talk to each other.
    """
    variant_ids = [v.id for v in inp.variants]
    if inp.variant_id not in variant_ids:
        raise BadInputError(f"variant {inp.variant_id!r} is not among the run's variants")
    formats = requested_formats(inp.formats)
    warnings: list[str] = []
    if inp.profile.assets.images and not any(a.artifact for a in inp.profile.assets.images):
        warnings.append("no site image was downloaded; using the generated brand background")

    pool = await _load_pool(inp, ctx, warnings)
    site = [c for c in pool if not c.generated]
    fits = await asyncio.to_thread(_fits, pool, formats, inp.profile.assets.color("background"))
    cosines = await asyncio.to_thread(
        relevance_matrix, [variant_query(v) for v in inp.variants], [c.document for c in site]
    )
    relevance = relevance_rows(cosines, pool, inp.variants)

    def base(vid: str, cand: Candidate, fmt: AdFormat) -> float:
        f = fits[(cand.id, fmt)]
        return base_score(relevance[(vid, cand.id)], f.fit, f.room, cand.generated, f.baked)

    overall_quality = {
        (vid, c.id): sum(base(vid, c, f) for f in formats) / len(formats) for vid in variant_ids for c in pool
    }
    overall = assign(variant_ids, pool, overall_quality)

    matches: list[ImageMatch] = []
    for fmt in formats:
        quality = {(vid, c.id): base(vid, c, fmt) for vid in variant_ids for c in pool}
        plan = assign(variant_ids, pool, quality, preferred=overall)
        users: dict[str, set[str]] = {}
        for vid, cid in plan.items():
            users.setdefault(cid, set()).add(vid)
        chosen = plan.get(inp.variant_id)
        scored: list[tuple[int, float, str, ImageMatch]] = []
        for cand in pool:
            f = fits[(cand.id, fmt)]
            others = users.get(cand.id, set()) - {inp.variant_id}
            diversity = 1.0 if cand.generated or cand.id == chosen else 1.0 / (1 + len(others))
            rel = relevance[(inp.variant_id, cand.id)]
            total = total_score(rel, f.fit, f.room, diversity, cand.generated, f.baked)
            notes = list(f.notes)
            if others and not cand.generated:
                notes.append(f"also used by {', '.join(sorted(others))}")
            match = ImageMatch(
                variant_id=inp.variant_id,
                format=fmt,
                candidate=cand.candidate,
                score=MatchBreakdown(
                    relevance=rel,
                    fit=f.fit,
                    text_room=f.room,
                    diversity=round(diversity, 4),
                    total=total,
                    notes=notes,
                    baked_text=None if cand.analysis is None else f.baked,
                ),
                crop=f.crop,
                text_zone=f.zone.value if f.zone is not None else None,
            )
            scored.append((0 if cand.id == chosen else 1, -total, cand.id, match))
        scored.sort(key=lambda t: (t[0], t[1], t[2]))
        kept = [m for *_rest, m in scored[:TOP_K]]
        if not any(m.candidate.id == GENERATED_ID for m in kept):
            # The brand background is always a usable last resort for compose.
            kept.append(next(m for *_r, m in scored if m.candidate.id == GENERATED_ID))
        matches.extend(kept)
    if not site:
        warnings.append("no usable site image; every format uses the generated brand background")
    return VariantMatches(variant_id=inp.variant_id, matches=matches, warnings=warnings)
