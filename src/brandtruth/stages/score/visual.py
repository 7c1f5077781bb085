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

from brandtruth.imaging.analysis import saliency_map as shared_saliency
from brandtruth.models.common import Box
from brandtruth.models.copy import Platform
from brandtruth.models.creative import FORMAT_SIZES, AdFormat, CreativeLayout
from brandtruth.stages.score.errors import ScoreInputError
from brandtruth.stages.score.factors import Measurement, clip01, ramp

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


def decode_png(data: bytes, what: str) -> U8:
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        raise ScoreInputError(f"{what} is not a decodable image")
    return np.asarray(arr, np.uint8)


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


def analyse(image: U8) -> Analysis:
    h, w = image.shape[:2]
    scale = min(1.0, ANALYSIS_SIDE / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small: U8 = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
    gray: U8 = np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), np.uint8)
    return Analysis(width=w, height=h, small=small, gray=gray, scale=scale, saliency=saliency_map(small))


def _mask(an: Analysis, boxes: list[Box], pad: int = 0) -> npt.NDArray[np.bool_]:
    h, w = an.gray.shape
    m = np.zeros((h, w), bool)
    for b in boxes:
        x0 = max(0, int(b.left * an.scale) - pad)
        y0 = max(0, int(b.top * an.scale) - pad)
        x1 = min(w, int(np.ceil(b.right * an.scale)) + pad)
        y1 = min(h, int(np.ceil(b.bottom * an.scale)) + pad)
        if x1 > x0 and y1 > y0:
            m[y0:y1, x0:x1] = True
    return m


def text_boxes(layout: CreativeLayout) -> list[Box]:
    boxes = [t.box for t in layout.text_boxes]
    if layout.cta_box is not None:
        boxes.append(layout.cta_box)
    return boxes


def measure_text_area(an: Analysis, layout: CreativeLayout) -> Measurement:
    ratio = float(_mask(an, text_boxes(layout)).mean())
    target = "3-20% of the image"
    if ratio < 0.03:
        return Measurement(
            "text_area", ratio, 0.6, target, f"Almost no text on the image ({ratio:.0%}).",
            "Put the headline on the image so the ad works with the sound off and copy unread.",
        )  # fmt: skip
    quality = ramp(ratio, 0.45, 0.20)
    if quality >= 1.0:
        return Measurement("text_area", ratio, quality, target, f"Text covers {ratio:.0%} of the image.")
    return Measurement(
        "text_area",
        ratio,
        quality,
        target,
        f"Text covers {ratio:.0%} of the image; text-heavy images get less delivery and attention.",
        "Cut the on-image text to the headline and CTA, or reduce the type size.",
    )


def measure_contrast(layout: CreativeLayout) -> Measurement | None:
    if not layout.text_boxes:
        return None
    worst_q, worst_c, worst_role, worst_target = 2.0, 0.0, "", 0.0
    for tb in layout.text_boxes:
        need = 3.0 if tb.font_size >= LARGE_TEXT_PX else 4.5
        q = ramp(tb.contrast, 1.5, need)
        if q < worst_q or (q == worst_q and tb.contrast < worst_c):
            worst_q, worst_c, worst_role, worst_target = q, tb.contrast, tb.role, need
    target = "≥ 4.5:1 (≥ 3:1 for large text)"
    if worst_q >= 1.0:
        return Measurement(
            "text_contrast", worst_c, 1.0, target, f"All text meets WCAG AA; weakest {worst_role} {worst_c:.1f}:1."
        )
    return Measurement(
        "text_contrast",
        worst_c,
        worst_q,
        target,
        f"The {worst_role} measures {worst_c:.1f}:1 against the pixels behind it (needs {worst_target:g}:1).",
        f"Raise the {worst_role} contrast: add a scrim/panel behind it or switch to a darker/lighter text colour.",
    )


def measure_clutter(an: Analysis, layout: CreativeLayout | None) -> Measurement:
    edges = cv2.Canny(an.gray, 100, 200)
    keep = np.ones(an.gray.shape, bool)
    if layout is not None:
        boxes = text_boxes(layout) + ([layout.logo_box] if layout.logo_box else [])
        keep = ~_mask(an, boxes, pad=2)
    density = float((edges[keep] > 0).mean()) if keep.any() else float((edges > 0).mean())
    quality = ramp(density, 0.16, 0.05)
    target = "edge density ≤ 5% outside the text"
    if quality >= 1.0:
        return Measurement("clutter", density, quality, target, f"Calm background (edge density {density:.1%}).")
    return Measurement(
        "clutter",
        density,
        quality,
        target,
        f"Busy background (edge density {density:.1%}) competes with the message.",
        "Use a simpler image or crop closer to one subject; blur or darken the background behind text.",
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


def measure_face(an: Analysis, layout: CreativeLayout | None) -> Measurement:
    h, w = an.gray.shape
    fs = min(1.0, FACE_SIDE / max(h, w))
    gray = cv2.resize(an.gray, (max(1, round(w * fs)), max(1, round(h * fs))), interpolation=cv2.INTER_AREA)
    # Faces that matter in an ad are not tiny: >= 24 px at 256 px (~9% of the long side) and >= 8% of the
    # short side; this also cuts false positives on foliage and flowers.
    side = max(24, round(0.08 * min(gray.shape)))
    found = _face_cascade().detectMultiScale(gray, scaleFactor=1.25, minNeighbors=6, minSize=(side, side))
    text = _mask(an, text_boxes(layout)) if layout is not None else None
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


def measure_text_on_salient(an: Analysis, layout: CreativeLayout) -> Measurement | None:
    """Share of predicted attention that lands on the text, relative to the text's share of area.

    1.0 means the text gets exactly its area's worth of attention; a busy or brighter background
    that pulls the eye elsewhere gives less, a clear focal headline gives more.
    """
    mask = _mask(an, text_boxes(layout))
    area = float(mask.mean())
    if area <= 0.0:
        return None
    lift = float(an.saliency[mask].sum()) / area
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


def measure_logo(an: Analysis, layout: CreativeLayout) -> Measurement:
    target = "logo placed, ≥ 0.5% of the image, distinct from its background"
    box = layout.logo_box
    if box is None:
        return Measurement(
            "logo_visible", 0.0, 0.0, target, "No logo on the creative.", "Place the brand logo in a corner."
        )
    area = max(0, box.width) * max(0, box.height) / float(an.width * an.height)
    region = an.gray[_mask(an, [box])]
    spread = float(region.std()) / 255.0 if region.size else 0.0
    quality = 0.5 * ramp(area, 0.001, 0.005) + 0.5 * ramp(spread, 0.03, 0.12)
    if quality >= 1.0:
        return Measurement("logo_visible", quality, quality, target, f"Logo visible ({area:.1%} of the image).")
    return Measurement(
        "logo_visible",
        quality,
        quality,
        target,
        f"Logo is small or faint ({area:.2%} of the image, tonal spread {spread:.0%}).",
        "Enlarge the logo or put it on a contrasting plate.",
    )


def safe_zone_violations(layout: CreativeLayout, width: int, height: int) -> list[str]:
    """Elements that stick out of the safe zone (or the canvas), with how far."""
    sz = layout.safe_zone
    items: list[tuple[str, Box]] = [(t.role or "text", t.box) for t in layout.text_boxes]
    if layout.cta_box is not None:
        items.append(("cta button", layout.cta_box))
    if layout.logo_box is not None:
        items.append(("logo", layout.logo_box))
    out: list[str] = []
    for role, b in items:
        over = max(sz.left - b.left, sz.top - b.top, b.right - sz.right, b.bottom - sz.bottom, 0)
        off_canvas = b.left < 0 or b.top < 0 or b.right > width or b.bottom > height
        if over > 0 or off_canvas:
            where = "off the canvas" if off_canvas else "outside the safe zone"
            out.append(f"{role} box extends {over} px {where} (platform UI covers it)")
    return out


def measure_safe_zone(violations: list[str]) -> Measurement:
    target = "every text/CTA/logo box inside the safe zone"
    if not violations:
        return Measurement("safe_zone", 0.0, 1.0, target, "All elements sit inside the safe zone.")
    return Measurement(
        "safe_zone",
        float(len(violations)),
        0.0,
        target,
        "; ".join(violations) + ".",
        "Move the elements inside the safe zone so platform UI does not cover them.",
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


def measure_visual(
    an: Analysis, layout: CreativeLayout | None, fmt: AdFormat | None, platform: Platform
) -> tuple[list[Measurement], list[str]]:
    """Visual factors and safe-zone violations (the latter are also policy failures)."""
    out: list[Measurement | None] = [measure_clutter(an, layout), measure_colorfulness(an), measure_face(an, layout)]
    violations: list[str] = []
    if layout is not None:
        violations = safe_zone_violations(layout, an.width, an.height)
        out += [
            measure_text_area(an, layout),
            measure_contrast(layout),
            measure_text_on_salient(an, layout),
            measure_logo(an, layout),
            measure_safe_zone(violations),
        ]
    if fmt is not None:
        out.append(measure_aspect(platform, fmt, an.width, an.height))
    return [m for m in out if m is not None], violations


def heatmap_png(an: Analysis, layout: CreativeLayout | None) -> bytes:
    """The attention map at the creative's full size, text boxes outlined in white.

    A palette PNG quantised to 32 levels of the 'turbo' colour map: it reads like a classic
    heatmap, and it encodes in ~15 ms at 1080x1920 where an RGB overlay would take ~100 ms. The UI
    lays it over the creative with some opacity to show where the eye goes versus the text.
    """
    sal = an.saliency
    peak = float(sal.max())
    levels = (sal / peak * (HEATMAP_LEVELS - 1) + 0.5).astype(np.uint8) if peak > 0 else np.zeros_like(sal, np.uint8)
    full = cv2.resize(levels, (an.width, an.height), interpolation=cv2.INTER_LINEAR)
    if layout is not None:
        t = max(2, round(min(an.width, an.height) / 360))
        for b in text_boxes(layout):
            x0, y0 = max(0, b.left), max(0, b.top)
            x1, y1 = min(an.width, b.right), min(an.height, b.bottom)
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
