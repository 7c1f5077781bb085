"""The candidate pool: the site's own images (decoded, checked, analysed) and the brand background.

Images are read from the artifact store, where the extract stage left validated copies. Each is
decoded once at reduced size and analysed (saliency, faces, edges, baked-in text); images that
fail to decode or are too small to fill any ad are dropped with a warning instead of failing the
run. Duplicates (same bytes under several URLs) collapse to one candidate.

Every per-variant match activity needs the same analyses, so the first one to analyse an image
stores the result (or the reason it is unusable) at `{run_id}/analysis/{sha256}.json` and the
others read it back instead of decoding again. The document is exact (raw map bytes), so a
cached analysis gives the same scores as a fresh one and the run-wide plan stays deterministic.
Within one worker process a per-image lock makes concurrent activities wait for the first
rather than duplicate its work, and a byte-bounded LRU keyed by the image's sha256 keeps recent
analyses (and failures) in memory, so a process analyses an image once however many variants
and runs use it, without reading the run's cached document back for each variant. Cached
analyses are read-only and shared.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from dataclasses import dataclass

import numpy as np

from brandtruth.errors import UnsupportedContentError
from brandtruth.imaging.analysis import (
    ANALYSIS_SIDE,
    ANALYSIS_VERSION,
    ImageAnalysis,
    analysis_from_json,
    analysis_to_json,
    analyze,
)
from brandtruth.imaging.color import WHITE, parse_hex, to_hex
from brandtruth.imaging.decode import decode_image, flatten, probe_size
from brandtruth.imaging.text_regions import LEVELS, TextRegion, detect_text
from brandtruth.models.brand import BrandProfile, ImageAsset
from brandtruth.models.common import Box
from brandtruth.models.creative import ImageCandidate, ImageSource
from brandtruth.stages.match.memory import BoundedLRU
from brandtruth.stages.match.relevance import filename_words
from brandtruth.storage import ArtifactStore

GENERATED_ID = "generated-brand"
#: Images whose short side is below this cannot fill even a landscape ad acceptably.
MIN_SIDE = 160
#: Upper bound on site images analysed per run (the extract stage normally keeps fewer).
MAX_SITE_CANDIDATES = 40
_CONTEXT_CHARS = 400
#: Decode at least this large (long side) so small type is still found by `detect_text`.
_TEXT_SIDE = LEVELS[0]
_LOCKS = tuple(threading.Lock() for _ in range(64))
#: In-process analyses: ~0.5 MB each at analysis scale, so ~60 recent images.
MEMORY_CACHE_BYTES = 32 * 1024 * 1024


def _analysis_bytes(value: ImageAnalysis | str) -> int:
    if isinstance(value, str):
        return 200 + len(value)
    return 2_000 + value.rgb.nbytes + value.saliency.nbytes + value.edges.nbytes


_memory: BoundedLRU[tuple[str, str], ImageAnalysis | str] = BoundedLRU(MEMORY_CACHE_BYTES, _analysis_bytes)


def forget_analyses() -> None:
    """Drop the in-process analyses (as a fresh worker process would start)."""
    _memory.clear()


def _remember(key: tuple[str, str], value: ImageAnalysis | str) -> None:
    if isinstance(value, ImageAnalysis):
        for arr in (value.rgb, value.saliency, value.edges):
            arr.flags.writeable = False
    _memory.put(key, value)


def _recalled(key: tuple[str, str]) -> ImageAnalysis | None:
    """The in-process analysis, None when absent; raises for a remembered unusable image."""
    found = _memory.get(key)
    if isinstance(found, str):
        raise UnsupportedContentError(found)
    return found


@dataclass
class Candidate:
    """One image option with what matching needs to know about it."""

    candidate: ImageCandidate
    section: str
    document: str
    analysis: ImageAnalysis | None

    @property
    def id(self) -> str:
        return self.candidate.id

    @property
    def generated(self) -> bool:
        return self.candidate.source is ImageSource.GENERATED


def _document(asset: ImageAsset) -> str:
    return " ".join(p for p in (asset.alt, asset.heading, asset.context, filename_words(asset.url)) if p)


def analysis_path(run_id: str, sha256: str) -> str:
    """Where the analysis of the image with this sha256 is cached for a run."""
    return f"{run_id}/analysis/{sha256}.json"


def _lock_for(key: str) -> threading.Lock:
    return _LOCKS[int.from_bytes(hashlib.sha256(key.encode()).digest()[:2], "big") % len(_LOCKS)]


def _analyse_bytes(data: bytes, bg: tuple[int, int, int]) -> ImageAnalysis:
    """Decode (draft-reduced) and analyse one image; maps are expressed against its full size."""
    header_w, header_h = probe_size(data)
    # Long side at least _TEXT_SIDE (text detection), short side at least ANALYSIS_SIDE.
    k = min(1.0, _TEXT_SIDE / max(1, max(header_w, header_h)))
    want = (max(ANALYSIS_SIDE, math.ceil(header_w * k)), max(ANALYSIS_SIDE, math.ceil(header_h * k)))
    img = decode_image(data, min_size=want)
    full_w, full_h = _full_size((header_w, header_h), img.size)
    if min(full_w, full_h) < MIN_SIDE:
        raise UnsupportedContentError(f"image too small ({full_w}x{full_h})")
    flat = flatten(img, bg)
    analysis = analyze(flat)
    # Maps are at analysis scale of the decoded (maybe draft-reduced) image: express their
    # scale relative to the full-size image, which is what crop boxes refer to.
    analysis.width, analysis.height = full_w, full_h
    analysis.scale = analysis.rgb.shape[1] / full_w
    k = full_w / flat.width
    analysis.text = [
        TextRegion(
            left=round(r.left * k),
            top=round(r.top * k),
            right=min(full_w, round(r.right * k)),
            bottom=min(full_h, round(r.bottom * k)),
            line_height=round(r.line_height * k, 2),
            lines=r.lines,
        )
        for r in detect_text(np.asarray(flat, dtype=np.uint8))
    ]
    return analysis


def image_analysis(
    store: ArtifactStore, ref_path: str, sha256: str, bg: tuple[int, int, int], run_id: str | None
) -> ImageAnalysis:
    """The analysis of a stored image: from memory, else the run's cache, else computed and cached.

    Raises UnsupportedContentError for an unusable image (also remembered in both caches, so later
    variants do not decode it again only to fail the same way).
    """
    key = (sha256, to_hex(bg))
    found = _recalled(key)
    if found is not None:
        return found
    with _lock_for(f"{sha256}/{key[1]}"):
        found = _recalled(key)  # another thread may have finished it while this one waited
        if found is not None:
            return found
        try:
            analysis = _stored_analysis(store, ref_path, sha256, bg, run_id)
        except UnsupportedContentError as exc:
            _remember(key, exc.message)
            raise
        _remember(key, analysis)
        return analysis


def _stored_analysis(
    store: ArtifactStore, ref_path: str, sha256: str, bg: tuple[int, int, int], run_id: str | None
) -> ImageAnalysis:
    if run_id is None:
        return _analyse_bytes(_read(store, ref_path), bg)
    path = analysis_path(run_id, sha256)
    cached = _read_cached(store, path, bg)
    if isinstance(cached, ImageAnalysis):
        return cached
    if isinstance(cached, str):
        raise UnsupportedContentError(cached)
    meta = {"sha256": sha256, "background": to_hex(bg)}
    try:
        analysis = _analyse_bytes(_read(store, ref_path), bg)
    except UnsupportedContentError as exc:
        doc = {"version": ANALYSIS_VERSION, "error": exc.message, **meta}
        store.put(path, json.dumps(doc, sort_keys=True).encode(), "application/json")
        raise
    data = analysis_to_json(analysis, meta)
    store.put(path, data, "application/json")
    # Use what a later reader will see, so cached and fresh runs cannot diverge.
    return analysis_from_json(data)[0]


def _read(store: ArtifactStore, path: str) -> bytes:
    try:
        return store.read(path)
    except (OSError, ValueError) as exc:
        raise UnsupportedContentError(f"stored image unreadable: {exc}") from exc


def _read_cached(store: ArtifactStore, path: str, bg: tuple[int, int, int]) -> ImageAnalysis | str | None:
    """A cached analysis, a cached failure message, or None (absent, stale or unreadable)."""
    if not store.exists(path):
        return None
    try:
        data = store.read(path)
        doc = json.loads(data)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("version") != ANALYSIS_VERSION or doc.get("background") != to_hex(bg):
        return None
    if isinstance(doc.get("error"), str):
        return str(doc["error"])
    try:
        return analysis_from_json(data)[0]
    except ValueError:
        return None


def background_key(background_hex: str | None) -> str:
    """The background images are flattened on, as a normalised hex (part of every cache key)."""
    return to_hex(parse_hex(background_hex) if background_hex else WHITE)


def load_site_candidate(
    store: ArtifactStore,
    asset: ImageAsset,
    background_hex: str | None,
    source: ImageSource = ImageSource.SITE,
    attribution: str | None = None,
    run_id: str | None = None,
) -> Candidate:
    """Analyse one stored image (blocking; cached per run when `run_id` is given).

    Raises UnsupportedContentError if unusable. Used for site images and for downloaded stock
    photos (`source`, `attribution`).
    """
    if asset.artifact is None:
        raise UnsupportedContentError("image was not downloaded")
    bg = parse_hex(background_hex) if background_hex else WHITE
    analysis = image_analysis(store, asset.artifact.path, asset.artifact.sha256, bg, run_id)
    context = " ".join(p for p in (asset.heading, asset.context) if p)[:_CONTEXT_CHARS]
    cand = ImageCandidate(
        id=f"{source.value}-{asset.artifact.sha256[:12]}",
        source=source,
        url=asset.url,
        artifact=asset.artifact,
        width=analysis.width,
        height=analysis.height,
        alt=asset.alt[:_CONTEXT_CHARS],
        context=context,
        attribution=attribution,
        text_regions=[Box(left=r.left, top=r.top, right=r.right, bottom=r.bottom) for r in analysis.text],
    )
    return Candidate(candidate=cand, section=asset.section, document=_document(asset), analysis=analysis)


def _full_size(full: tuple[int, int], decoded: tuple[int, int]) -> tuple[int, int]:
    # Draft decoding only ever shrinks; if the header disagrees in orientation, trust the decode.
    if (full[0] >= full[1]) != (decoded[0] >= decoded[1]) and full[0] != full[1]:
        return decoded
    return full


def generated_candidate(profile: BrandProfile) -> Candidate:
    """The always-available brand background (palette gradient, pattern and logo)."""
    cand = ImageCandidate(
        id=GENERATED_ID,
        source=ImageSource.GENERATED,
        width=1080,
        height=1080,
        alt=f"{profile.brand_name} brand background"[:_CONTEXT_CHARS],
        context="Generated from the brand palette and logo",
    )
    return Candidate(candidate=cand, section="generated", document="", analysis=None)


def site_assets(profile: BrandProfile) -> list[ImageAsset]:
    """Downloaded site images in profile order, duplicates (same sha256) removed, capped."""
    seen: set[str] = set()
    out: list[ImageAsset] = []
    for asset in profile.assets.images:
        if asset.artifact is None or asset.artifact.sha256 in seen:
            continue
        seen.add(asset.artifact.sha256)
        out.append(asset)
        if len(out) >= MAX_SITE_CANDIDATES:
            break
    return out
