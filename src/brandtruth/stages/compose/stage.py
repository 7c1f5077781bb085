"""`compose_creatives` and `compose_contact_sheet`: the compose stage's entry points.

Formats of one variant render concurrently in worker threads (Pillow, OpenCV, numpy and zlib
release the GIL for their heavy parts); store I/O happens in those threads too, so the event
loop only schedules and heartbeats.
"""

from __future__ import annotations

import asyncio
import math
import re
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.errors import UnsupportedContentError
from brandtruth.formats import Zone, zones
from brandtruth.imaging.decode import decode_image, flatten, probe_size
from brandtruth.imaging.text_regions import detect_text
from brandtruth.models.brand import BrandProfile
from brandtruth.models.common import ArtifactRef, Box
from brandtruth.models.copy import CopyVariant
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, Creative, ImageMatch, ImageSource, VariantCreatives
from brandtruth.models.stage_io import ComposeInput, ContactSheetInput
from brandtruth.stages.compose.brand import Palette
from brandtruth.stages.compose.canvas_copy import canvas_bodies, canvas_headline
from brandtruth.stages.compose.faces import Faces, resolve_faces
from brandtruth.stages.compose.fonts import clean_text
from brandtruth.stages.compose.frame import MAX_SCALE, Framed, frame_picture, needs_frame
from brandtruth.stages.compose.placement import Subject, find_subject
from brandtruth.stages.compose.render import CopyText, Rendered, RenderJob, render_creative, render_unless_enlarged
from brandtruth.stages.compose.sheet import render_contact_sheet
from brandtruth.stages.context import StageContext
from brandtruth.storage import ArtifactStore

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
#: A supporting line longer than this is not "short"; it is left to the platform's text field.
MAX_BODY_CHARS = 140


def requested_formats(formats: list[AdFormat]) -> list[AdFormat]:
    wanted = set(formats) if formats else set(AdFormat)
    return [f for f in AdFormat if f in wanted]


def prepare_copy(
    variant: CopyVariant, brand_name: str, warnings: list[str], profile: BrandProfile | None = None
) -> CopyText:
    """Clean the variant's text for drawing and pick what goes on the picture (`canvas_copy`):
    a short headline, supporting-line options shortest-risk first, the CTA label."""
    chosen, note = canvas_headline(variant, profile)
    if note:
        warnings.append(note)
    headline, dropped_h = clean_text(chosen)
    if not headline:
        headline, _ = clean_text(variant.description or brand_name)
        warnings.append("headline empty after cleaning; used the description or brand name")
    bodies: list[str] = []
    dropped_b = False
    sources = [variant.description]
    first = _SENTENCE.split(variant.primary_text.strip(), maxsplit=1)[0] if variant.primary_text else ""
    sources += [first, variant.primary_text]
    for raw in canvas_bodies(sources, chosen, profile):
        text, dropped = clean_text(raw)
        dropped_b = dropped_b or dropped
        if text and len(text) <= MAX_BODY_CHARS and text != headline and text not in bodies:
            bodies.append(text)
    cta, dropped_c = clean_text(variant.cta)
    if not cta:
        cta = "Learn more"
        warnings.append("CTA empty after cleaning; used 'Learn more'")
    if dropped_h or dropped_b or dropped_c:
        warnings.append("characters the bundled font cannot draw (e.g. emoji) were left out")
    return CopyText(headline=headline, bodies=tuple(bodies), cta=cta[:40])


@dataclass
class _Source:
    pixels: npt.NDArray[np.uint8]
    full_size: tuple[int, int]
    subject: Subject | None = None
    #: Baked-in text as (left, top, right, bottom) fractions of the image.
    text: tuple[tuple[float, float, float, float], ...] = ()


def _decode_source(
    store: ArtifactStore, ref: ArtifactRef, matches: list[ImageMatch], background: tuple[int, int, int]
) -> _Source:
    """Decode a chosen image once, at the smallest size that still serves every format using it."""
    data = store.read(ref)
    full_w, full_h = probe_size(data)
    scale = 0.0
    for m in matches:
        tw, th = FORMAT_SIZES[m.format]
        crop_w = m.crop.width if m.crop is not None else full_w
        crop_h = m.crop.height if m.crop is not None else full_h
        scale = max(scale, tw / max(1, crop_w), th / max(1, crop_h))
    want = (min(full_w, math.ceil(full_w * scale)), min(full_h, math.ceil(full_h * scale)))
    img = flatten(decode_image(data, min_size=want), background)
    pixels = np.asarray(img, dtype=np.uint8)
    regions = matches[0].candidate.text_regions if matches else None
    if regions is not None:
        text = tuple(
            (r.left / full_w, r.top / full_h, r.right / full_w, r.bottom / full_h) for r in regions if r.width > 0
        )
    else:  # matched by an older run (or elsewhere) without text analysis: find it here
        dh, dw = pixels.shape[:2]
        text = tuple((r.left / dw, r.top / dh, r.right / dw, r.bottom / dh) for r in detect_text(pixels))
    return _Source(pixels=pixels, full_size=(full_w, full_h), subject=find_subject(pixels), text=text)


def _crop_fractions(source: _Source, crop: Box | None, fmt: AdFormat) -> tuple[float, float, float, float]:
    """The part of the source image a format shows, as fractions (what `_base_for` cuts out)."""
    fw, fh = source.full_size
    tw, th = FORMAT_SIZES[fmt]
    box = crop if crop is not None else _center_crop(fw, fh, tw / th)
    return (box.left / fw, box.top / fh, box.right / fw, box.bottom / fh)


def _base_for(source: _Source, crop: Box | None, fmt: AdFormat) -> npt.NDArray[np.uint8]:
    """Crop (box in full-size pixels) and resize the decoded source to the format's canvas."""
    tw, th = FORMAT_SIZES[fmt]
    dh, dw = source.pixels.shape[:2]
    fw, fh = source.full_size
    sx, sy = dw / fw, dh / fh
    if crop is None:
        crop = _center_crop(fw, fh, tw / th)
    left = min(dw - 1, max(0, round(crop.left * sx)))
    top = min(dh - 1, max(0, round(crop.top * sy)))
    right = max(left + 1, min(dw, round(crop.right * sx)))
    bottom = max(top + 1, min(dh, round(crop.bottom * sy)))
    part = source.pixels[top:bottom, left:right]
    factor = (right - left) / tw
    # Area averaging only pays off for strong reductions (big reductions mostly happen in JPEG
    # draft decoding already); bilinear is sharp and fast near 1:1; bicubic for upscaling.
    interp = cv2.INTER_AREA if factor > 1.6 else cv2.INTER_LINEAR if factor >= 1.0 else cv2.INTER_CUBIC
    resized = cv2.resize(np.ascontiguousarray(part), (tw, th), interpolation=interp)
    return np.clip(resized, 0, 255).astype(np.uint8, copy=False)


def _scale(source: _Source, crop: Box | None, fmt: AdFormat) -> float:
    """Canvas px per source px when the crop is stretched over the canvas."""
    fw, fh = source.full_size
    tw, _th = FORMAT_SIZES[fmt]
    box = crop if crop is not None else _center_crop(fw, fh, tw / FORMAT_SIZES[fmt][1])
    return tw / max(1, box.width)


def _focus(source: _Source, crop: Box | None, fmt: AdFormat) -> tuple[float, float]:
    """The centre of what the match chose to show, as fractions of the source."""
    x0, y0, x1, y1 = _crop_fractions(source, crop, fmt)
    return ((x0 + x1) / 2, (y0 + y1) / 2)


def _zone(value: str | None) -> Zone | None:
    try:
        return Zone(value) if value else None
    except ValueError:
        return None


def _center_crop(w: int, h: int, aspect: float) -> Box:
    if w / h > aspect:
        cw = round(h * aspect)
        x = (w - cw) // 2
        return Box(left=x, top=0, right=x + cw, bottom=h)
    ch = round(w / aspect)
    y = (h - ch) // 2
    return Box(left=0, top=y, right=w, bottom=y + ch)


def _load_logo(store: ArtifactStore, ref: ArtifactRef) -> Image.Image:
    img = decode_image(store.read(ref))
    img = img.convert("RGBA")
    bbox = img.getchannel("A").getbbox()
    if bbox is None:
        raise UnsupportedContentError("logo is fully transparent")
    return img.crop(bbox)


@dataclass(frozen=True)
class _BrandKit:
    """What every creative of a variant shares."""

    palette: Palette
    logo: Image.Image | None
    logo_text: str
    faces: Faces
    copy: CopyText


def _job_for(
    fmt: AdFormat, match: ImageMatch | None, src: _Source | None, brand: _BrandKit, variant_id: str, *, frame: bool
) -> RenderJob:
    """The render job of one format: the picture cropped to cover the canvas, or framed on the
    brand field when covering would enlarge it more than 1.5× (or `frame` asks for it; a product
    on a plain background is first given the chance to be moved clear of the text instead)."""
    is_image = src is not None and match is not None
    crop = match.crop if match else None
    zone = _zone(match.text_zone) if is_image and match is not None else None
    base = None
    framed: Framed | None = None
    if src is not None:
        plain = src.subject is not None and src.subject.plain
        if frame or (needs_frame(fmt, _scale(src, crop, fmt)) and not plain):
            zone = zone or zones(fmt)[0]
            field = brand.palette.field()
            framed = frame_picture(src.pixels, src.full_size, _focus(src, crop, fmt), fmt, zone, field, src.text)
            base = framed.pixels
        else:
            base = _base_for(src, crop, fmt)
    return RenderJob(
        fmt=fmt,
        base=base,
        palette=brand.palette,
        logo=brand.logo,
        copy=brand.copy,
        key=variant_id,
        image_id=match.candidate.id if match is not None else None,
        image_source=(match.candidate.source.value if match is not None else ImageSource.GENERATED.value),
        crop_box=crop if is_image else None,
        zone=zone,
        attribution=match.candidate.attribution if is_image and match is not None else None,
        source=src.pixels if src is not None and framed is None else None,
        source_subject=src.subject if src is not None else None,
        text_regions=src.text if src is not None else (),
        source_crop=_crop_fractions(src, crop, fmt) if src is not None else None,
        faces=brand.faces,
        logo_text=brand.logo_text,
        picture_scale=(framed.scale if framed is not None else _scale(src, crop, fmt)) if src else None,
        source_size=src.full_size if src is not None else None,
        framed_box=framed.box if framed is not None else None,
        framed_whole=framed.whole if framed is not None else None,
    )


async def compose_creatives(inp: ComposeInput, ctx: StageContext) -> VariantCreatives:
    """Render one variant in every requested format and store the PNGs.

    Uses each format's first match that decodes; falls back down the ranked list and finally
    to the generated brand background, so a creative is produced for every format.
    """
    formats = requested_formats(inp.formats)
    profile = inp.profile
    palette = Palette.from_profile(profile)
    warnings: list[str] = []
    variant_id = inp.variant.id

    logo: Image.Image | None = None
    logo_asset = profile.assets.logo
    if logo_asset is not None and logo_asset.artifact is not None:
        try:
            logo = await asyncio.to_thread(_load_logo, ctx.store, logo_asset.artifact)
        except (UnsupportedContentError, OSError, ValueError) as exc:
            warnings.append(f"logo unusable ({str(exc)[:160]}); using the brand name instead")
    elif logo_asset is None or logo_asset.artifact is None:
        warnings.append("no logo available; using the brand name as a wordmark")

    # Glyph coverage checks render characters with FreeType: CPU work, so off the loop too.
    copy = await asyncio.to_thread(prepare_copy, inp.variant, profile.brand_name, warnings, profile)
    faces = await asyncio.to_thread(resolve_faces, profile, ctx.store, warnings)
    logo_text = logo_asset.text if logo_asset is not None else ""

    by_format: dict[AdFormat, list[ImageMatch]] = {f: [] for f in formats}
    for m in inp.matches.matches:
        if m.format in by_format and m.variant_id == variant_id:
            by_format[m.format].append(m)

    sources: dict[str, _Source | None] = {}
    chosen: dict[AdFormat, tuple[ImageMatch | None, _Source | None]] = {}
    for fmt in formats:
        chosen[fmt] = (None, None)
        for m in by_format[fmt]:
            cand = m.candidate
            if cand.source is ImageSource.GENERATED or cand.artifact is None:
                chosen[fmt] = (m, None)
                break
            if cand.id not in sources:
                users = [x for f in formats for x in by_format[f] if x.candidate.id == cand.id]
                try:
                    sources[cand.id] = await asyncio.to_thread(
                        _decode_source, ctx.store, cand.artifact, users, palette.background
                    )
                except (UnsupportedContentError, OSError, ValueError) as exc:
                    sources[cand.id] = None
                    warnings.append(f"image {cand.id} unusable ({str(exc)[:160]}); trying the next match")
            src = sources[cand.id]
            if src is not None:
                chosen[fmt] = (m, src)
                break
        if chosen[fmt][0] is None:
            warnings.append(f"{fmt.value}: no match given; used the generated brand background")

    done = 0

    async def one(fmt: AdFormat) -> Creative:
        nonlocal done
        match, src = chosen[fmt]

        def build() -> tuple[Rendered, ArtifactRef]:
            brand = _BrandKit(palette, logo, logo_text, faces, copy)
            job = _job_for(fmt, match, src, brand, variant_id, frame=False)
            first = render_unless_enlarged(job, MAX_SCALE) if src is not None else render_creative(job)
            # None: the product could not be moved clear of the text at a sane size: frame it.
            rendered = (
                first
                if first is not None
                else render_creative(_job_for(fmt, match, src, brand, variant_id, frame=True))
            )
            path = f"{ctx.run_id}/creatives/{variant_id}-{fmt.value}.png"
            return rendered, ctx.store.put(path, rendered.png(), "image/png")

        rendered, ref = await asyncio.to_thread(build)
        done += 1
        ctx.heartbeat({"stage": "compose", "variant": variant_id, "format": fmt.value, "done": done})
        w, h = FORMAT_SIZES[fmt]
        warnings.extend(f"{fmt.value}: {w_}" for w_ in rendered.warnings)
        return Creative(variant_id=variant_id, format=fmt, width=w, height=h, artifact=ref, layout=rendered.layout)

    creatives = await asyncio.gather(*(one(f) for f in formats))
    return VariantCreatives(variant_id=variant_id, creatives=list(creatives), warnings=sorted(set(warnings)))


async def compose_contact_sheet(inp: ContactSheetInput, ctx: StageContext) -> ArtifactRef:
    """One PNG showing every creative of the run, variants as rows and formats as columns."""

    def build() -> ArtifactRef:
        images: dict[str, bytes | None] = {}
        for c in inp.creatives:
            try:
                images[c.artifact.path] = ctx.store.read(c.artifact)
            except (OSError, ValueError):
                images[c.artifact.path] = None
        data = render_contact_sheet(f"{inp.run_id} — creatives", inp.creatives, images)
        return ctx.store.put(f"{ctx.run_id}/contact-sheet.png", data, "image/png")

    return await asyncio.to_thread(build)
