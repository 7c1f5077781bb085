"""Visual factors measured on the composed PNG, plus the attention (saliency) heatmap.

All analysis runs on a copy downscaled to 512 px on the long side (faces on 256 px): the
factors are ratios and densities, which a downscale barely changes, and it keeps one creative
well under the 100 ms budget.

Saliency is the shared spectral-residual detector of `brandtruth.imaging.analysis` (fast, no
weights to download) with a mild centre bias, the usual first-fixation prior from eye-tracking
studies. Faces and edges use their own settings here rather than the imaging helpers':
cropping wants recall (never cut off a small face), scoring wants precision (only faces big
enough to matter, at least ~9% of the long side, which also avoids false positives on flowers and
foliage), and both must fit the 100 ms per-creative budget.

Everything here is synchronous CPU work; the stage runs it via `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.formats import SAFE_INSETS
from brandtruth.imaging.analysis import saliency_map as shared_saliency
from brandtruth.imaging.color import RGB
from brandtruth.imaging.png import decode_own_png
from brandtruth.models.copy import Platform
from brandtruth.models.creative import FORMAT_SIZES, AdFormat
from brandtruth.stages.score.design import (
    Reading,
    measure_brand_presence,
    measure_clutter,
    measure_cta_prominence,
    measure_legibility,
    measure_on_brand_color,
    measure_safe_zone,
    measure_sharpness,
    measure_text_coverage,
    safe_zone_violations,
)
from brandtruth.stages.score.errors import ScoreInputError
from brandtruth.stages.score.factors import Measurement, clip01, ramp
from brandtruth.stages.score.scene import Rect, Scene

U8 = npt.NDArray[np.uint8]
F32 = npt.NDArray[np.float32]

ANALYSIS_SIDE = 512
FACE_SIDE = 256
HEATMAP_LEVELS = 32
#: WCAG AA: 4.5:1 for body text, 3:1 for large text. A 1080 px creative shows at ~400 css px on a
#: phone, so 64 px type on the canvas is about 24 css px, WCAG's "large".
LARGE_TEXT_PX = 64

# How well each format suits each platform's main placements (1 = native).
PLACEMENT_FIT: dict[Platform, dict[AdFormat, float]] = {
    Platform.META: {AdFormat.SQUARE: 1.0, AdFormat.PORTRAIT: 1.0, AdFormat.STORY: 0.9, AdFormat.LANDSCAPE: 0.7},
    Platform.LINKEDIN: {
        AdFormat.SQUARE: 1.0,
        AdFormat.LANDSCAPE: 0.9,
        AdFormat.PORTRAIT: 0.8,
        AdFormat.STORY: 0.6,
    },
    Platform.TIKTOK: {AdFormat.STORY: 1.0, AdFormat.PORTRAIT: 0.6, AdFormat.SQUARE: 0.4, AdFormat.LANDSCAPE: 0.2},
    Platform.GOOGLE_RSA: {
        AdFormat.LANDSCAPE: 1.0,
        AdFormat.SQUARE: 1.0,
        AdFormat.PORTRAIT: 0.6,
        AdFormat.STORY: 0.4,
    },
}
BEST_FORMAT: dict[Platform, AdFormat] = {p: max(fits, key=lambda f: fits[f]) for p, fits in PLACEMENT_FIT.items()}

_local = threading.local()


def _face_cascade() -> cv2.CascadeClassifier:
    """One Haar cascade per thread: CascadeClassifier is not documented as thread-safe."""
    casc: cv2.CascadeClassifier | None = getattr(_local, "cascade", None)
    if casc is None:
        cascades = str(getattr(cv2, "data").haarcascades)  # noqa: B009 - cv2.data is missing from the stubs
        casc = cv2.CascadeClassifier(cascades + "haarcascade_frontalface_default.xml")
        if casc.empty():
            raise RuntimeError("OpenCV Haar face cascade missing (needs opencv-contrib-python-headless 4.x)")
        _local.cascade = casc
    return casc


@dataclass(frozen=True)
class Analysis:
    """A creative decoded once and prepared for every visual factor."""

    width: int
    height: int
    small: U8
    """BGR, long side `ANALYSIS_SIDE`."""
    gray: U8
    scale: float
    """small / full-size pixel ratio."""
    saliency: F32
    """Attention map at `small` resolution, normalised to sum to 1."""
    full_rgb: U8
    """The creative at full size, RGB: legibility and sharpness are read on every pixel."""
    full_gray: U8
    lab: U8
    """`small` in uint8 CIELAB, for finding flat plates (buttons, panels)."""


def decode_png(data: bytes, what: str) -> U8:
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        raise ScoreInputError(f"{what} is not a decodable image")
    return np.asarray(arr, np.uint8)


def decode_stored_creative(data: bytes, what: str) -> tuple[U8, bool]:
    """(pixels, is_rgb) of a stored creative: the compose stage's own PNGs are read back by the
    fast reader for that layout (RGB), anything else by OpenCV (BGR); alpha is dropped either way.
    `analyse` gives identical numbers for both channel orders."""
    own = decode_own_png(data)
    if own is not None:
        return (own if own.shape[2] == 3 else np.ascontiguousarray(own[..., :3])), True
    return decode_png(data, what), False


def saliency_map(small: U8) -> F32:
    """Spectral-residual saliency with a centre prior, normalised to sum to 1, at `small`'s size.

    The detector is the shared one in `brandtruth.imaging.analysis` (the same map the match and
    compose stages crop by). It works on a 64x64 spectrum, so it runs on a quarter-size copy and
    the result is upsampled: the same map at a tenth of the cost.
    """
    h, w = small.shape[:2]
    qw, qh = max(8, w // 4), max(8, h // 4)
    quarter = cv2.resize(small, (qw, qh), interpolation=cv2.INTER_AREA)
    sal = shared_saliency(np.ascontiguousarray(quarter[..., ::-1])) * _centre_prior(qh, qw)
    sal = np.asarray(cv2.resize(sal, (w, h), interpolation=cv2.INTER_LINEAR), np.float32)
    np.maximum(sal, 0.0, out=sal)
    total = float(sal.sum())
    out: F32 = np.full((h, w), 1.0 / (h * w), np.float32) if total <= 0 else (sal / total).astype(np.float32)
    return out


@lru_cache(maxsize=16)
def _centre_prior(h: int, w: int) -> F32:
    """0.6 at the corners-ish to 1.0 in the centre: viewers' first fixations favour the centre."""
    ys = (np.arange(h, dtype=np.float32) - (h - 1) / 2) / (h / 2)
    xs = (np.arange(w, dtype=np.float32) - (w - 1) / 2) / (w / 2)
    centre = np.exp(-(ys[:, None] ** 2 + xs[None, :] ** 2) / (2 * 0.6**2))
    out: F32 = (0.6 + 0.4 * centre).astype(np.float32)
    out.flags.writeable = False
    return out


def analyse(image: U8, *, is_rgb: bool = False) -> Analysis:
    """Prepare a creative given as BGR (OpenCV decoding) or, with `is_rgb`, RGB (Pillow decoding)."""
    h, w = image.shape[:2]
    scale = min(1.0, ANALYSIS_SIDE / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resized: U8 = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
    small: U8 = np.asarray(cv2.cvtColor(resized, cv2.COLOR_RGB2BGR), np.uint8) if is_rgb else resized
    gray: U8 = np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), np.uint8)
    full_rgb: U8 = image if is_rgb else np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), np.uint8)
    return Analysis(
        width=w,
        height=h,
        small=small,
        gray=gray,
        scale=scale,
        saliency=saliency_map(small),
        full_rgb=full_rgb,
        full_gray=np.asarray(cv2.cvtColor(full_rgb, cv2.COLOR_RGB2GRAY), np.uint8),
        lab=np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2Lab), np.uint8),
    )


def measure_colorfulness(an: Analysis) -> Measurement:
    """Hasler & Süsstrunk (2003) colourfulness: ~0 greyscale, ~33 moderately, >59 highly colourful."""
    b, g, r = (an.small[..., i].astype(np.float32) for i in range(3))
    rg = r - g
    yb = 0.5 * (r + g) - b
    cf = float(np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2))
    quality = ramp(cf, 5.0, 35.0) if cf <= 110 else ramp(cf, 180.0, 110.0) * 0.5 + 0.5
    target = "colourfulness 35-110"
    if quality >= 1.0:
        return Measurement("colorfulness", cf, quality, target, f"Colourful enough to stop the scroll ({cf:.0f}).")
    if cf < 35:
        return Measurement(
            "colorfulness", cf, quality, target, f"Muted colours ({cf:.0f}) blend into the feed.",
            "Use a more colourful image or a saturated brand-colour panel.",
        )  # fmt: skip
    return Measurement(
        "colorfulness", cf, quality, target, f"Very saturated ({cf:.0f}); can look garish.",
        "Tone down the saturation or use fewer competing colours.",
    )  # fmt: skip


def measure_face(an: Analysis, scene: Scene) -> Measurement:
    h, w = an.gray.shape
    fs = min(1.0, FACE_SIDE / max(h, w))
    gray = cv2.resize(an.gray, (max(1, round(w * fs)), max(1, round(h * fs))), interpolation=cv2.INTER_AREA)
    # Faces that matter in an ad are not tiny: >= 24 px at 256 px (~9% of the long side) and >= 8% of the
    # short side; this also cuts false positives on foliage and flowers.
    side = max(24, round(0.08 * min(gray.shape)))
    found = _face_cascade().detectMultiScale(gray, scaleFactor=1.25, minNeighbors=6, minSize=(side, side))
    text = _mask(an, scene.text_rects()) if scene.blocks else None
    faces = 0
    for x, y, fw, fh in list(found) if len(found) else []:
        if text is not None:
            sx, sy = int(x / fs), int(y / fs)
            region = text[sy : sy + int(fh / fs), sx : sx + int(fw / fs)]
            if region.size and region.mean() > 0.5:
                continue  # glyphs that look like a face
        faces += 1
    target = "a human face"
    if faces:
        return Measurement("face", float(faces), 1.0, target, f"{faces} face(s) found; faces draw the eye.")
    return Measurement(
        "face", 0.0, 0.35, target, "No face found.",
        "If it fits the brand, use an image with a person looking at the camera or the product.",
    )  # fmt: skip


def _mask(an: Analysis, rects: list[Rect], pad: int = 0) -> npt.NDArray[np.bool_]:
    h, w = an.gray.shape
    m = np.zeros((h, w), bool)
    for r in rects:
        x0 = max(0, int(r[0] * an.scale) - pad)
        y0 = max(0, int(r[1] * an.scale) - pad)
        x1 = min(w, int(np.ceil(r[2] * an.scale)) + pad)
        y1 = min(h, int(np.ceil(r[3] * an.scale)) + pad)
        if x1 > x0 and y1 > y0:
            m[y0:y1, x0:x1] = True
    return m


def measure_text_on_salient(an: Analysis, scene: Scene) -> Measurement | None:
    """Share of predicted attention that lands on the text, relative to the text's share of area.

    1.0 means the text gets exactly its area's worth of attention; a busy or brighter background
    that pulls the eye elsewhere gives less, a clear focal headline gives more.
    """
    mask = _mask(an, scene.text_rects())
    share = float(mask.mean())
    if share <= 0.0:
        return None
    lift = float(an.saliency[mask].sum()) / share
    quality = ramp(lift, 0.5, 1.5)
    target = "text gets ≥ 1.5x its area's share of attention"
    if quality >= 1.0:
        return Measurement("text_on_salient", lift, quality, target, f"The text sits where the eye goes ({lift:.1f}x).")
    return Measurement(
        "text_on_salient",
        lift,
        quality,
        target,
        f"The eye is drawn away from the text (it gets {lift:.1f}x its area's share of attention).",
        "Place the headline over the image's focal area, or calm the competing area (see the heatmap).",
    )


def measure_aspect(platform: Platform, fmt: AdFormat, width: int, height: int) -> Measurement:
    ew, eh = FORMAT_SIZES[fmt]
    err = abs(float(np.log((width / height) / (ew / eh))))
    fit = PLACEMENT_FIT[platform][fmt]
    quality = clip01(fit * (1.0 - min(1.0, max(0.0, err - 0.01) * 5.0)))
    target = f"{ew}x{eh} ({fmt.value}), native to the placement"
    reasons: list[str] = []
    if err > 0.01:
        reasons.append(f"{width}x{height} is off the {fmt.value} ratio by {err:.0%}")
    if fit < 1.0:
        reasons.append(f"{fmt.value} is not native to {platform.value}'s main placements")
    if not reasons:
        return Measurement("aspect_fit", err, quality, target, f"{fmt.value} fits {platform.value} natively.")
    fixes: list[str] = []
    if err > 0.01:
        fixes.append(f"Render this creative at exactly {ew}x{eh}.")
    if fit < 1.0:
        fixes.append(f"Prefer the {BEST_FORMAT[platform].value} format for {platform.value}.")
    return Measurement("aspect_fit", err, quality, target, "; ".join(reasons) + ".", " ".join(fixes))


def nearest_format(width: int, height: int) -> AdFormat:
    """The ad format whose aspect ratio is closest to the image's."""
    ratio = width / height
    return min(AdFormat, key=lambda f: abs(float(np.log(ratio / (FORMAT_SIZES[f][0] / FORMAT_SIZES[f][1])))))


def pixel_safe_zone(fmt: AdFormat, width: int, height: int) -> Rect:
    ins = SAFE_INSETS[fmt]
    return (
        round(width * ins.left),
        round(height * ins.top),
        width - round(width * ins.right),
        height - round(height * ins.bottom),
    )


@dataclass(frozen=True)
class VisualResult:
    measurements: list[Measurement]
    violations: list[str]
    """Safe-zone violations that are policy failures (layout records only)."""
    readings: list[Reading]


def measure_visual(
    an: Analysis,
    scene: Scene,
    fmt: AdFormat | None,
    platform: Platform,
    palette: list[RGB] | None = None,
    brand_name: str | None = None,
) -> VisualResult:
    """Every visual factor of one creative."""
    legibility, readings = measure_legibility(an.full_rgb, scene)
    shape = fmt or nearest_format(an.width, an.height)
    out: list[Measurement | None] = [
        legibility,
        measure_brand_presence(an.full_rgb, scene, brand_name),
        measure_cta_prominence(an.full_rgb, an.saliency, an.scale, scene),
        measure_on_brand_color(scene, palette or []),
        measure_sharpness(an.full_gray, scene, FORMAT_SIZES[shape][0]),
        measure_text_coverage(scene, an.width, an.height),
        measure_clutter(an.gray, an.scale, scene),
        measure_colorfulness(an),
        measure_face(an, scene),
        measure_text_on_salient(an, scene),
    ]
    violations: list[str] = []
    if scene.safe_zone is not None:
        violations = safe_zone_violations(scene, scene.safe_zone, an.width, an.height)
        out.append(measure_safe_zone(violations))
    else:
        tolerance = round(0.01 * min(an.width, an.height))
        found = safe_zone_violations(scene, pixel_safe_zone(shape, an.width, an.height), an.width, an.height, tolerance)
        out.append(measure_safe_zone(found))
    if fmt is not None:
        out.append(measure_aspect(platform, fmt, an.width, an.height))
    return VisualResult([m for m in out if m is not None], violations, readings)


def heatmap_png(an: Analysis, scene: Scene | None) -> bytes:
    """The attention map at the creative's full size, text boxes outlined in white.

    A palette PNG quantised to 32 levels of the 'turbo' colour map: it reads like a classic
    heatmap, and it encodes in ~15 ms at 1080x1920 where an RGB overlay would take ~100 ms. The UI
    lays it over the creative with some opacity to show where the eye goes versus the text.
    """
    sal = an.saliency
    peak = float(sal.max())
    levels = (sal / peak * (HEATMAP_LEVELS - 1) + 0.5).astype(np.uint8) if peak > 0 else np.zeros_like(sal, np.uint8)
    full = cv2.resize(levels, (an.width, an.height), interpolation=cv2.INTER_LINEAR)
    if scene is not None:
        t = max(2, round(min(an.width, an.height) / 360))
        for r in scene.text_rects():
            x0, y0 = max(0, r[0]), max(0, r[1])
            x1, y1 = min(an.width, r[2]), min(an.height, r[3])
            if x1 - x0 > 2 * t and y1 - y0 > 2 * t:
                full[y0 : y0 + t, x0:x1] = HEATMAP_LEVELS
                full[y1 - t : y1, x0:x1] = HEATMAP_LEVELS
                full[y0:y1, x0 : x0 + t] = HEATMAP_LEVELS
                full[y0:y1, x1 - t : x1] = HEATMAP_LEVELS
    img = Image.fromarray(full, "P")
    img.putpalette(_PALETTE)
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _turbo_palette() -> list[int]:
    ramp_idx = np.linspace(0, 255, HEATMAP_LEVELS).astype(np.uint8).reshape(-1, 1)
    bgr = cv2.applyColorMap(ramp_idx, cv2.COLORMAP_TURBO)[:, 0, :]
    rgb = bgr[:, ::-1].astype(int).flatten().tolist()
    return [*rgb, 255, 255, 255]


_PALETTE: list[int] = _turbo_palette()
