"""The candidate pool: the site's own images (decoded, checked, analysed) and the brand background.

Images are read from the artifact store, where the extract stage left validated copies. Each is
decoded once at reduced size and analysed (saliency, faces, edges); images that fail to decode or
are too small to fill any ad are dropped with a warning instead of failing the run. Duplicates
(same bytes under several URLs) collapse to one candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

from brandtruth.errors import UnsupportedContentError
from brandtruth.imaging.analysis import ANALYSIS_SIDE, ImageAnalysis, analyze
from brandtruth.imaging.color import WHITE, parse_hex
from brandtruth.imaging.decode import decode_image, flatten, probe_size
from brandtruth.models.brand import BrandProfile, ImageAsset
from brandtruth.models.creative import ImageCandidate, ImageSource
from brandtruth.stages.match.relevance import filename_words
from brandtruth.storage import ArtifactStore

GENERATED_ID = "generated-brand"
#: Images whose short side is below this cannot fill even a landscape ad acceptably.
MIN_SIDE = 160
#: Upper bound on site images analysed per run (the extract stage normally keeps fewer).
MAX_SITE_CANDIDATES = 40
_CONTEXT_CHARS = 400


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


def load_site_candidate(
    store: ArtifactStore,
    asset: ImageAsset,
    background_hex: str | None,
    source: ImageSource = ImageSource.SITE,
    attribution: str | None = None,
) -> Candidate:
    """Decode and analyse one stored image (blocking). Raises UnsupportedContentError if unusable.

    Used for site images and for downloaded stock photos (`source`, `attribution`).
    """
    if asset.artifact is None:
        raise UnsupportedContentError("image was not downloaded")
    try:
        data = store.read(asset.artifact)
    except (OSError, ValueError) as exc:
        raise UnsupportedContentError(f"stored image unreadable: {exc}") from exc
    img = decode_image(data, min_size=(ANALYSIS_SIDE * 2, ANALYSIS_SIDE * 2))
    full_w, full_h = _full_size(data, img.size)
    if min(full_w, full_h) < MIN_SIDE:
        raise UnsupportedContentError(f"image too small ({full_w}x{full_h})")
    bg = parse_hex(background_hex) if background_hex else WHITE
    analysis = analyze(flatten(img, bg))
    # Maps are at analysis scale of the decoded (maybe draft-reduced) image: express their
    # scale relative to the full-size image, which is what crop boxes refer to.
    analysis.width, analysis.height = full_w, full_h
    analysis.scale = analysis.rgb.shape[1] / full_w
    context = " ".join(p for p in (asset.heading, asset.context) if p)[:_CONTEXT_CHARS]
    cand = ImageCandidate(
        id=f"{source.value}-{asset.artifact.sha256[:12]}",
        source=source,
        url=asset.url,
        artifact=asset.artifact,
        width=full_w,
        height=full_h,
        alt=asset.alt[:_CONTEXT_CHARS],
        context=context,
        attribution=attribution,
    )
    return Candidate(candidate=cand, section=asset.section, document=_document(asset), analysis=analysis)


def _full_size(data: bytes, decoded: tuple[int, int]) -> tuple[int, int]:
    full = probe_size(data)
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
