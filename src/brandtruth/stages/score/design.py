"""The factors an art director names, measured on the pixels of a creative and its `Scene`.

Legibility of every text block (contrast *and* how busy the pixels behind it are), brand
presence, CTA prominence, on-brand colour, picture sharpness, text coverage, clutter and the
safe zone. Each returns a `Measurement` with a value in natural units, a 0..1 quality, the
target and, below target, the fix a designer would ask for.

Thresholds come from common practice, not from the fixtures: WCAG AA contrast (4.5:1, 3:1 for
large type), a noticeable colour difference of ΔE ≈ 10 and an off-palette one beyond ΔE ≈ 30
(CIE76), the once-enforced 20 % text rule of Meta, and 1080 px as the feed's native width.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from brandtruth.imaging.color import RGB, contrast_ratio, luminance, luminance_map
from brandtruth.stages.score.factors import Measurement, clip01, ramp
from brandtruth.stages.score.scene import Rect, Scene, TextBlock, area, clamp, delta_e, lab_of

U8 = npt.NDArray[np.uint8]

#: Type at least this share of the short side counts as "large" for WCAG (64 px at 1080).
LARGE_TYPE_SHARE = 64 / 1080
#: Blocks with type below this share of the short side are fine print and weigh less.
FINE_PRINT_SHARE = 0.02


@dataclass(frozen=True)
class Reading:
    """How one text block reads on the pixels under it."""

    block: TextBlock
    contrast: float
    edges: float
    """Edge density of the background pixels between the glyphs."""
    texture: float
    """Local (high-pass) standard deviation of those pixels, in grey levels."""
    quality: float


def _glyph_mask(rgb: U8, gray: U8, color: RGB | None, type_px: float) -> npt.NDArray[np.bool_]:
    """Glyph pixels: near the known text colour, else the minority Otsu class; specks smaller
    than a stroke are opened away so noise behind the text counts as background, not as letters."""
    mask: npt.NDArray[np.bool_] | None = None
    if color is not None:
        dist = np.abs(rgb.astype(np.int16) - np.array(color, np.int16)).sum(axis=2)
        if float((dist < 90).mean()) >= 0.02:
            mask = np.asarray(dist < 90, dtype=np.bool_)
    if mask is None:
        _t, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        dark = np.asarray(bw == 0, dtype=np.bool_)
        mask = dark if float(dark.mean()) < 0.5 else ~dark
    k = 3 if type_px >= 30 else 1
    opened = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    return np.asarray(opened > 0, dtype=np.bool_)


def read_block(image_rgb: U8, block: TextBlock, short_side: int) -> Reading | None:
    """Contrast and busyness of the pixels under one text block (full resolution)."""
    h, w = image_rgb.shape[:2]
    x0, y0, x1, y1 = clamp(block.box, w, h)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    rgb = np.ascontiguousarray(image_rgb[y0:y1, x0:x1])
    gray: U8 = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), np.uint8)
    glyphs = _glyph_mask(rgb, gray, block.color, block.type_px)
    grow = max(3, round(block.type_px / 14)) | 1
    near = cv2.dilate(glyphs.astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    bg = ~near
    lum = luminance_map(rgb)
    if glyphs.sum() < 8 or bg.sum() < 8:
        contrast = 1.0
    else:
        lt = float(np.median(lum[glyphs]))
        bg_lum = lum[bg]
        worst = float(np.percentile(bg_lum, 90 if lt <= float(np.median(bg_lum)) else 10))
        contrast = contrast_ratio(lt, worst) if block.color is None else contrast_ratio(luminance(block.color), worst)
    edges = cv2.Canny(gray, 80, 160) > 0
    edge_density = float(edges[bg].mean()) if bg.any() else 1.0
    texture = _texture(gray, bg, max(1.0, block.type_px / 6)) if bg.any() else 64.0
    large = block.type_px >= LARGE_TYPE_SHARE * short_side
    need = 3.0 if large else 4.5
    q_contrast = ramp(contrast, 1.3, need)
    q_busy = min(ramp(edge_density, 0.16, 0.04), ramp(texture, 20.0, 6.0))
    return Reading(block, contrast, edge_density, texture, q_contrast * (0.45 + 0.55 * q_busy))


def _texture(gray: U8, bg: npt.NDArray[np.bool_], sigma: float) -> float:
    """Local (high-pass) variation of the background pixels, glyphs left out of the local mean
    (normalised convolution), so the edges of the letters themselves do not count as texture."""
    g = gray.astype(np.float32)
    w = bg.astype(np.float32)
    num = cv2.GaussianBlur(g * w, (0, 0), sigma)
    den = cv2.GaussianBlur(w, (0, 0), sigma)
    local = num / np.maximum(den, 1e-3)
    high = (g - local)[bg]
    # Robust spread (1.4826 x median absolute deviation): stray antialiased glyph pixels left in
    # the background must not read as texture; real texture or noise moves the median.
    return float(1.4826 * np.median(np.abs(high - np.median(high))))


def _importance(block: TextBlock, short_side: int) -> float:
    if block.role in ("headline", "cta"):
        return 1.0
    size = ramp(block.type_px / short_side, FINE_PRINT_SHARE * 0.6, FINE_PRINT_SHARE * 1.8)
    return (0.8 if block.role == "body" else 0.6) * size


def measure_legibility(image_rgb: U8, scene: Scene) -> tuple[Measurement | None, list[Reading]]:
    """The least legible text block, weighted by how much it matters (fine print counts less)."""
    h, w = image_rgb.shape[:2]
    short = min(w, h)
    readings = [r for b in scene.blocks if (r := read_block(image_rgb, b, short)) is not None]
    target = "every text block ≥ 4.5:1 (≥ 3:1 large) on a calm background"
    if not readings and not scene.expects_headline:
        return None, readings
    worst: Reading | None = None
    worst_q = 1.0
    for r in readings:
        q = 1.0 - _importance(r.block, short) * (1.0 - r.quality)
        if worst is None or q < worst_q:
            worst, worst_q = r, q
    if scene.expects_headline and scene.headline is None:
        return (
            Measurement(
                "legibility",
                1.0,
                0.1,
                target,
                "No headline-sized text can be read on the image.",
                "Set the headline large (≥ 4 % of the canvas height) in a solid colour on a calm, contrasting area.",
            ),
            readings,
        )
    assert worst is not None
    role = worst.block.role if worst.block.role != "text" else "text block"
    if worst_q >= 0.98:
        return Measurement("legibility", worst.contrast, 1.0, target, f"All text reads clearly; weakest {role} "
                           f"{worst.contrast:.1f}:1 on a calm background."), readings  # fmt: skip
    busy = worst.edges > 0.06 or worst.texture > 14
    why = f"The {role} measures {worst.contrast:.1f}:1 against the pixels behind it"
    why += f", over a busy background (edge density {worst.edges:.0%})." if busy else "."
    fix = f"Raise the {role}'s contrast: a darker or lighter text colour, or a solid panel behind it"
    fix += "; move it off the busy part of the picture or calm that part (blur, scrim)." if busy else "."
    return Measurement("legibility", worst.contrast, clip01(worst_q), target, why, fix), readings


def measure_brand_presence(image_rgb: U8, scene: Scene, brand_name: str | None) -> Measurement:
    target = "the logo or brand name clearly visible"
    name = f" ({brand_name})" if brand_name else ""
    if scene.logo is None:
        return Measurement(
            "brand_presence", 0.0, 0.1, target, f"No logo or brand name{name} found on the creative.",
            "Put the logo (or the brand name as a wordmark) in a corner, on a calm area.",
        )  # fmt: skip
    h, w = image_rgb.shape[:2]
    x0, y0, x1, y1 = clamp(scene.logo, w, h)
    share = area((x0, y0, x1, y1)) / float(w * h)
    region = cv2.cvtColor(np.ascontiguousarray(image_rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY) if share > 0 else None
    spread = float(region.std()) / 255.0 if region is not None and region.size else 0.0
    visible = 0.5 * ramp(share, 0.001, 0.006) + 0.5 * ramp(spread, 0.03, 0.12)
    if scene.logo_evidence == "lockup":
        visible *= 0.8
    if visible >= 0.98:
        how = "the brand's logo" if scene.logo_evidence == "template" else "a logo"
        return Measurement(
            "brand_presence", share, 1.0, target, f"{how.capitalize()} is visible ({share:.1%} of the canvas)."
        )
    why = f"The logo is small or faint ({share:.2%} of the canvas, tonal spread {spread:.0%})."
    if scene.logo_evidence == "lockup":
        why = "A small mark or wordmark sits near an edge, but the brand's own logo could not be confirmed."
    return Measurement(
        "brand_presence",
        share,
        clip01(visible),
        target,
        why,
        "Use the brand's logo, large enough and on a contrasting plate.",
    )


def _attention_share(saliency: npt.NDArray[np.float32], scale: float, r: Rect) -> float:
    sh, sw = saliency.shape
    x0, y0 = max(0, int(r[0] * scale)), max(0, int(r[1] * scale))
    x1, y1 = min(sw, int(np.ceil(r[2] * scale))), min(sh, int(np.ceil(r[3] * scale)))
    if x1 <= x0 or y1 <= y0:
        return 0.0
    return float(saliency[y0:y1, x0:x1].sum())


def measure_cta_prominence(
    image_rgb: U8, saliency: npt.NDArray[np.float32], scale: float, scene: Scene
) -> Measurement | None:
    """Size, contrast with its surroundings, and share of predicted attention of the CTA button."""
    target = "a CTA button ≥ 1.2 % of the canvas, ΔE ≥ 30 from its surroundings, ≥ its area's share of attention"
    if scene.cta is None or scene.cta_plate is None:
        if not scene.expects_cta:
            return None
        return Measurement(
            "cta_prominence", 0.0, 0.0, target, "No call-to-action button can be seen on the image.",
            "Add a CTA button in a contrasting brand colour near the end of the reading path (below the headline).",
        )  # fmt: skip
    h, w = image_rgb.shape[:2]
    share = area(scene.cta) / float(w * h)
    plate = scene.cta_plate
    de = delta_e(plate.fill, plate.surround)
    lum_c = contrast_ratio(luminance(plate.fill), luminance(plate.surround))
    attention = _attention_share(saliency, scale, scene.cta) / max(share, 1e-6)
    q_size = ramp(share, 0.003, 0.012)
    q_contrast = max(ramp(de, 8.0, 30.0), ramp(lum_c, 1.2, 2.5))
    q_attention = ramp(attention, 0.4, 1.0)
    q = 0.35 * q_size + 0.4 * q_contrast + 0.25 * q_attention
    value = round(share * 100, 3)
    if q >= 0.98:
        return Measurement(
            "cta_prominence", value, 1.0, target, f"The CTA stands out ({share:.1%} of the canvas, ΔE {de:.0f})."
        )
    weak = []
    if q_size < 1:
        weak.append(f"small ({share:.1%} of the canvas)")
    if q_contrast < 1:
        weak.append(f"close in colour to its surroundings (ΔE {de:.0f})")
    if q_attention < 1:
        weak.append(f"outside where the eye goes ({attention:.1f}x its area's share)")
    return Measurement(
        "cta_prominence", value, clip01(q), target, "The CTA is " + ", ".join(weak) + ".",
        "Make the CTA a larger button in a colour that contrasts with what surrounds it, where the eye lands.",
    )  # fmt: skip


def _chroma(rgb: RGB) -> float:
    lab = lab_of(rgb)
    return float(np.hypot(lab[1], lab[2]))


def measure_on_brand_color(scene: Scene, palette: list[RGB]) -> Measurement | None:
    """ΔE of the CTA fill and saturated panels from the nearest brand colour (neutrals always fit)."""
    if not palette:
        return None
    judged: list[tuple[str, RGB]] = []
    if scene.cta_plate is not None:
        judged.append(("CTA", scene.cta_plate.fill))
    judged += [("panel", p.fill) for p in scene.panels if _chroma(p.fill) >= 15.0]
    if not judged:
        return None
    target = "CTA and colour panels within ΔE 12 of a brand colour"
    worst_name, worst_de, worst_rgb = "", -1.0, (0, 0, 0)
    for name, rgb in judged:
        if _chroma(rgb) < 12.0:
            continue  # black, white and greys sit with any palette
        de = min(delta_e(rgb, c) for c in palette)
        if de > worst_de:
            worst_name, worst_de, worst_rgb = name, de, rgb
    if worst_de < 0:
        return Measurement("on_brand_color", 0.0, 1.0, target, "The CTA and panels are neutral colours.")
    q = ramp(worst_de, 40.0, 12.0)
    hexs = "#{:02x}{:02x}{:02x}".format(*worst_rgb)
    if q >= 1.0:
        return Measurement(
            "on_brand_color", worst_de, 1.0, target, f"The {worst_name} uses a brand colour (ΔE {worst_de:.0f})."
        )
    return Measurement(
        "on_brand_color", worst_de, q, target,
        f"The {worst_name} colour {hexs} is ΔE {worst_de:.0f} from the nearest brand colour.",
        f"Use a brand colour for the {worst_name} (the brand's accent or primary).",
    )  # fmt: skip


def blockiness(gray: U8) -> float:
    """0 (none) .. 1 (every edge on a pixel grid): how pixelated (nearest-neighbour upscaled) it is.

    Pixelation puts nearly all horizontal and vertical gradient energy on rows/columns of one
    period; natural images and type spread it evenly over phases. The worst period of 2-12 px
    counts, in both axes at once.
    """
    g = gray.astype(np.int16)
    dx = np.abs(np.diff(g, axis=1)).sum(axis=0).astype(np.float64)
    dy = np.abs(np.diff(g, axis=0)).sum(axis=1).astype(np.float64)
    if dx.sum() <= 0 or dy.sum() <= 0:
        return 0.0
    best = 0.0
    for p in range(2, 13):
        ex = max(float(dx[k::p].sum()) for k in range(p)) / float(dx.sum())
        ey = max(float(dy[k::p].sum()) for k in range(p)) / float(dy.sum())
        excess = (min(ex, ey) * p - 1.0) / (p - 1.0)
        best = max(best, excess)
    return clip01(best)


def sharpness_ratio(gray: U8, text_rects: list[Rect]) -> float:
    """Edge sharpness of the picture, independent of its contrast: RMS Laplacian over RMS gradient
    on the strongest edges outside the text (≈ 1 / blur width; crisp photos ~0.5+, blurred ~0.1)."""
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy)
    lap = np.abs(cv2.Laplacian(g, cv2.CV_32F, ksize=3))
    keep = np.ones(g.shape, bool)
    h, w = g.shape
    for r in text_rects:
        x0, y0, x1, y1 = clamp(r, w, h)
        keep[y0:y1, x0:x1] = False
    if keep.mean() < 0.2:
        keep[:] = True
    m = mag[::3, ::3][keep[::3, ::3]]  # the cut-off needs no more than a ninth of the pixels
    if m.size == 0 or float(m.max()) <= 0:
        return 1.0
    cut = float(np.percentile(m, 97))
    strong = keep & (mag >= max(cut, 8.0))
    if strong.sum() < 50:
        strong = mag >= max(float(np.percentile(mag[::3, ::3], 97)), 8.0)
    if strong.sum() < 50:
        return 0.0
    return float(np.sqrt(np.mean(lap[strong] ** 2)) / np.sqrt(np.mean(mag[strong] ** 2)))


def measure_sharpness(full_gray: U8, scene: Scene, native_width: int) -> Measurement:
    """Blur (Laplacian vs gradient on the picture's edges), pixelation, and size vs the placement."""
    _h, w = full_gray.shape
    ratio = sharpness_ratio(full_gray, scene.text_rects())
    blocks = blockiness(full_gray)
    q_blur = ramp(ratio, 0.12, 0.3)
    q_block = ramp(blocks, 0.6, 0.2)
    q_size = ramp(w / native_width, 0.5, 0.95)
    q = min(q_blur, q_block, q_size)
    target = f"crisp edges (sharpness ≥ 0.30), no pixelation, ≥ {native_width} px wide"
    if q >= 1.0:
        return Measurement("sharpness", ratio, 1.0, target, f"The picture is crisp (sharpness {ratio:.2f}).")
    problems, fixes = [], []
    if q_blur < 1:
        problems.append(f"soft or blurred (sharpness {ratio:.2f})")
        fixes.append("use a sharper, higher-resolution picture or crop less")
    if q_block < 1:
        problems.append(f"pixelated (blockiness {blocks:.0%})")
        fixes.append("use the original picture, not an enlarged small copy")
    if q_size < 1:
        problems.append(f"only {w} px wide for a {native_width} px placement")
        fixes.append(f"export at {native_width} px wide or more")
    return Measurement(
        "sharpness",
        ratio,
        q,
        target,
        "The picture is " + ", ".join(problems) + ".",
        "; ".join(fixes).capitalize() + ".",
    )


def text_coverage(scene: Scene, width: int, height: int) -> float:
    mask = np.zeros((max(1, height // 4), max(1, width // 4)), bool)
    for r in scene.text_rects():
        x0, y0, x1, y1 = clamp(r, width, height)
        mask[y0 // 4 : -(-y1 // 4), x0 // 4 : -(-x1 // 4)] = True
    return float(mask.mean())


def measure_text_coverage(scene: Scene, width: int, height: int) -> Measurement:
    ratio = text_coverage(scene, width, height)
    target = "text on 3-25 % of the canvas"
    if ratio < 0.02:
        return Measurement(
            "text_coverage", ratio, 0.5, target, f"Almost no text on the image ({ratio:.0%}).",
            "Put the headline and a CTA on the image so the ad works with the copy unread.",
        )  # fmt: skip
    q = ramp(ratio, 0.5, 0.25)
    if q >= 1.0:
        return Measurement("text_coverage", ratio, 1.0, target, f"Text covers {ratio:.0%} of the canvas.")
    return Measurement(
        "text_coverage", ratio, q, target, f"Text covers {ratio:.0%} of the canvas; text-heavy ads get less delivery.",
        "Cut the on-image text to the headline and CTA, or set it smaller.",
    )  # fmt: skip


def measure_clutter(gray_small: U8, scale: float, scene: Scene) -> Measurement:
    edges = cv2.Canny(gray_small, 100, 200) > 0
    keep = np.ones(gray_small.shape, bool)
    sh, sw = gray_small.shape
    rects = scene.text_rects() + ([scene.logo] if scene.logo is not None else [])
    for r in rects:
        x0, y0 = max(0, int(r[0] * scale) - 2), max(0, int(r[1] * scale) - 2)
        x1, y1 = min(sw, int(np.ceil(r[2] * scale)) + 2), min(sh, int(np.ceil(r[3] * scale)) + 2)
        keep[y0:y1, x0:x1] = False
    density = float(edges[keep].mean()) if keep.any() else float(edges.mean())
    q = ramp(density, 0.16, 0.05)
    target = "edge density ≤ 5 % outside the text"
    if q >= 1.0:
        return Measurement("clutter", density, 1.0, target, f"Calm background (edge density {density:.1%}).")
    return Measurement(
        "clutter", density, q, target, f"Busy background (edge density {density:.1%}) competes with the message.",
        "Use a simpler picture or crop closer to one subject; calm the area behind the text.",
    )  # fmt: skip


def safe_zone_violations(scene: Scene, safe: Rect, width: int, height: int, tolerance: int = 0) -> list[str]:
    """Elements that stick out of the safe zone (or off the canvas), with how far."""
    items: list[tuple[str, Rect]] = [(b.role, b.core or b.box) for b in scene.blocks]
    if scene.source == "pixels":  # found text may be the picture's own: judge only what the ad adds
        items = [(r, b) for r, b in items if r in ("headline", "cta")]
    if scene.cta is not None:
        items.append(("cta button", scene.cta))
    if scene.logo is not None and scene.logo_evidence in ("layout", "template"):
        items.append(("logo", scene.logo))
    out: list[str] = []
    for role, b in items:
        over = max(safe[0] - b[0], safe[1] - b[1], b[2] - safe[2], b[3] - safe[3], 0)
        off_canvas = b[0] < 0 or b[1] < 0 or b[2] > width or b[3] > height
        if over > tolerance or off_canvas:
            where = "off the canvas" if off_canvas else "outside the safe zone"
            out.append(f"{role} box extends {over} px {where} (platform UI covers it)")
    return list(dict.fromkeys(out))


def measure_safe_zone(violations: list[str]) -> Measurement:
    target = "every text/CTA/logo box inside the safe zone"
    if not violations:
        return Measurement("safe_zone", 0.0, 1.0, target, "All elements sit inside the safe zone.")
    return Measurement(
        "safe_zone", float(len(violations)), 0.0, target, "; ".join(violations) + ".",
        "Move the elements inside the safe zone so platform UI does not cover them.",
    )  # fmt: skip
