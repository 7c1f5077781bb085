"""Where the subject is, where the calm areas are, and how to crop around them.

All maps are computed on a small copy of the image (`ANALYSIS_SIDE` px on the long side): the
questions asked here ("is the left or the right half busier?", "which 4:5 window keeps the most
of the subject?") do not need more, and it keeps analysis to a few milliseconds per image.

Saliency is OpenCV's spectral-residual detector (deterministic, no model download), boosted by
Haar-cascade faces so people are never cropped away when the picture has any, and by text baked
into the picture (`text_regions`), so crops keep such text whole and clear of where ours goes.

An analysis round-trips losslessly through JSON (`analysis_to_json` / `analysis_from_json`), so
the match stage can cache it per image and every per-variant activity sees identical numbers.
"""

from __future__ import annotations

import base64
import json
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any

import cv2
import cv2.data
import numpy as np
import numpy.typing as npt
from PIL import Image

from brandtruth.imaging.text_regions import TextRegion, text_score

ANALYSIS_SIDE = 256
#: Bumped whenever what `analyze` computes changes, so cached analyses are recomputed.
ANALYSIS_VERSION = 2

FloatMap = npt.NDArray[np.float32]

_local = threading.local()


def _face_cascade() -> cv2.CascadeClassifier | None:
    """One cascade per thread: CascadeClassifier is not documented as thread-safe."""
    if not hasattr(_local, "cascade"):
        cascade: cv2.CascadeClassifier | None = cv2.CascadeClassifier(
            cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
        )
        if cascade is not None and cascade.empty():
            cascade = None
        _local.cascade = cascade
    found: cv2.CascadeClassifier | None = _local.cascade
    return found


def _saliency_detector() -> cv2.saliency.StaticSaliencySpectralResidual:
    if not hasattr(_local, "saliency"):
        _local.saliency = cv2.saliency.StaticSaliencySpectralResidual.create()
    det: cv2.saliency.StaticSaliencySpectralResidual = _local.saliency
    return det


def small_copy(img: Image.Image, side: int = ANALYSIS_SIDE) -> npt.NDArray[np.uint8]:
    """An RGB uint8 array of `img` scaled so its long side is at most `side` pixels."""
    w, h = img.size
    scale = min(1.0, side / max(w, h))
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    if (sw, sh) != (w, h):
        rgb = rgb.resize((sw, sh), Image.Resampling.BOX)
    return np.asarray(rgb, dtype=np.uint8)


def saliency_map(rgb: npt.NDArray[np.uint8]) -> FloatMap:
    """Spectral-residual saliency in [0, 1], same height/width as `rgb`."""
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    ok, sal = _saliency_detector().computeSaliency(bgr)
    if not ok or sal is None:
        return np.zeros(rgb.shape[:2], dtype=np.float32)
    sal = cv2.GaussianBlur(sal.astype(np.float32), (0, 0), sigmaX=max(1.0, rgb.shape[1] / 64))
    peak = float(sal.max())
    out: FloatMap = (sal / peak).astype(np.float32) if peak > 0 else np.zeros_like(sal, dtype=np.float32)
    return out


def detect_faces(rgb: npt.NDArray[np.uint8]) -> list[tuple[int, int, int, int]]:
    """Frontal faces as (left, top, right, bottom) in `rgb` coordinates, largest first."""
    cascade = _face_cascade()
    if cascade is None or min(rgb.shape[:2]) < 48:
        return []
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    gray = cv2.equalizeHist(gray)
    min_side = max(16, min(gray.shape) // 12)
    found = cascade.detectMultiScale(gray, scaleFactor=1.15, minNeighbors=6, minSize=(min_side, min_side))
    boxes = [(int(x), int(y), int(x + w), int(y + h)) for (x, y, w, h) in np.asarray(found).reshape(-1, 4)]
    boxes.sort(key=lambda b: (-(b[2] - b[0]) * (b[3] - b[1]), b[0], b[1]))
    return boxes[:8]


def edge_map(rgb: npt.NDArray[np.uint8]) -> FloatMap:
    """1.0 where there is a Canny edge, else 0.0 (the raw ingredient of 'clutter')."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    gray = cv2.GaussianBlur(gray, (3, 3), 0)
    edges = cv2.Canny(gray, 60, 160)
    out: FloatMap = (edges > 0).astype(np.float32)
    return out


@dataclass
class ImageAnalysis:
    """Maps of one image at analysis scale; `scale` = analysis px per source px."""

    width: int
    height: int
    scale: float
    rgb: npt.NDArray[np.uint8]
    saliency: FloatMap
    edges: FloatMap
    faces: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: Text baked into the picture, in full-size (`width` x `height`) pixels.
    text: list[TextRegion] = field(default_factory=list)

    @property
    def text_score(self) -> float:
        """0 (no text) .. 1 (a social card): see `text_regions.text_score`."""
        return text_score(self.text, self.width, self.height)

    def text_score_in(self, crop: tuple[int, int, int, int]) -> float:
        """The same for what a crop (full-size pixels) shows of the picture."""
        return text_score(self.text, self.width, self.height, crop)

    @property
    def text_mask(self) -> FloatMap:
        """1.0 where baked-in text is, at analysis scale."""
        mask = np.zeros(self.saliency.shape, dtype=np.float32)
        s = self.scale
        for r in self.text:
            x0, y0 = int(r.left * s), int(r.top * s)
            x1, y1 = max(x0 + 1, round(r.right * s)), max(y0 + 1, round(r.bottom * s))
            mask[y0:y1, x0:x1] = 1.0
        return mask

    @property
    def weight(self) -> FloatMap:
        """Subject weight used for cropping: saliency, a strong bonus on faces, and baked-in
        text (kept in frame and, through the crop's `avoid` box, away from our text)."""
        w = self.saliency.copy()
        for left, top, right, bottom in self.faces:
            w[top:bottom, left:right] += 2.0
        if self.text:
            w += self.text_mask
        return w


def analyze(img: Image.Image, detect: bool = True) -> ImageAnalysis:
    """Saliency, edges and faces of `img` at analysis scale."""
    rgb = small_copy(img)
    w, h = img.size
    scale = rgb.shape[1] / w
    faces = detect_faces(rgb) if detect else []
    return ImageAnalysis(
        width=w, height=h, scale=scale, rgb=rgb, saliency=saliency_map(rgb), edges=edge_map(rgb), faces=faces
    )


def _pack(arr: npt.NDArray[Any]) -> dict[str, Any]:
    data = zlib.compress(np.ascontiguousarray(arr).tobytes(), 1)  # fast: float maps barely compress
    return {"dtype": str(arr.dtype), "shape": list(arr.shape), "data": base64.b64encode(data).decode("ascii")}


def _unpack(obj: dict[str, Any], dtype: str, ndim: int) -> npt.NDArray[Any]:
    if obj.get("dtype") != dtype or len(obj.get("shape", ())) != ndim:
        raise ValueError(f"expected a {ndim}-d {dtype} array")
    shape = tuple(int(v) for v in obj["shape"])
    raw = zlib.decompress(base64.b64decode(obj["data"]))
    arr = np.frombuffer(raw, dtype=np.dtype(dtype))
    if arr.size != int(np.prod(shape)):
        raise ValueError("array data does not match its shape")
    return arr.reshape(shape).copy()


def analysis_to_json(analysis: ImageAnalysis, extra: dict[str, Any] | None = None) -> bytes:
    """Serialise an analysis exactly (maps as compressed raw bytes), plus caller metadata."""
    doc: dict[str, Any] = {
        "version": ANALYSIS_VERSION,
        "width": analysis.width,
        "height": analysis.height,
        "scale": analysis.scale,
        "rgb": _pack(analysis.rgb),
        "saliency": _pack(analysis.saliency),
        "edges": _pack(analysis.edges.astype(np.uint8)),
        "faces": [list(f) for f in analysis.faces],
        "text": [r.to_list() for r in analysis.text],
    }
    if extra:
        doc.update(extra)
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def analysis_from_json(data: bytes) -> tuple[ImageAnalysis, dict[str, Any]]:
    """Inverse of `analysis_to_json`: (analysis, the whole document). Raises ValueError if the
    document is not a current-version analysis."""
    try:
        doc = json.loads(data)
        if not isinstance(doc, dict) or doc.get("version") != ANALYSIS_VERSION:
            raise ValueError("not a current analysis document")
        rgb = _unpack(doc["rgb"], "uint8", 3)
        saliency = _unpack(doc["saliency"], "float32", 2)
        edges = _unpack(doc["edges"], "uint8", 2).astype(np.float32)
        if rgb.shape[:2] != saliency.shape or saliency.shape != edges.shape:
            raise ValueError("analysis maps disagree in size")
        analysis = ImageAnalysis(
            width=int(doc["width"]),
            height=int(doc["height"]),
            scale=float(doc["scale"]),
            rgb=rgb,
            saliency=saliency,
            edges=edges,
            faces=[(int(a), int(b), int(c), int(d)) for a, b, c, d in doc["faces"]],
            text=[TextRegion.from_list(list(v)) for v in doc["text"]],
        )
    except (KeyError, TypeError, zlib.error, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"unreadable analysis document: {exc}") from exc
    return analysis, doc


def clutter(rgb: npt.NDArray[np.uint8], saliency: FloatMap, edges: FloatMap) -> float:
    """How busy a region is, 0 (flat colour) .. 1 (dense detail), from edges, saliency and spread.

    Edge density saturates at 12 % edge pixels; luminance spread saturates at a standard
    deviation of 64 levels. The three are averaged with most weight on edges, which is what
    makes overlaid text hard to read.
    """
    if edges.size == 0:
        return 1.0
    density = min(1.0, float(edges.mean()) / 0.12)
    sal = min(1.0, float(saliency.mean()) / 0.5)
    gray = rgb.astype(np.float32).mean(axis=2)
    spread = min(1.0, float(gray.std()) / 64.0)
    return 0.5 * density + 0.25 * sal + 0.25 * spread


def best_window(
    weight: FloatMap, aspect: float, avoid: tuple[float, float, float, float] | None = None, penalty: float = 0.6
) -> tuple[int, int, int, int, float]:
    """The largest window of width/height `aspect` that keeps the most of `weight`.

    Slides the maximal window along its free axis. With `avoid` (a box in fractions of the
    window, e.g. where text will go), weight falling inside that part of the window counts
    against the position with factor `penalty`, so the subject ends up clear of the text.
    Ties go to the most central position. Returns (left, top, right, bottom, kept_fraction)
    in `weight` pixels, where kept_fraction is the share of all weight inside the window.
    """
    h, w = weight.shape
    total = float(weight.sum())
    integral = np.zeros((h + 1, w + 1), dtype=np.float64)
    integral[1:, 1:] = np.cumsum(np.cumsum(weight, axis=0, dtype=np.float64), axis=1)

    def rect(x0: int, y0: int, x1: int, y1: int) -> float:
        return float(integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0])

    horizontal = w / h > aspect
    ww = max(1, min(w, round(h * aspect))) if horizontal else w
    hh = h if horizontal else max(1, min(h, round(w / aspect)))
    positions = (w - ww + 1) if horizontal else (h - hh + 1)
    center = (positions - 1) / 2
    best_key: tuple[float, float, int] | None = None
    best_pos = 0
    for pos in range(positions):
        x0, y0 = (pos, 0) if horizontal else (0, pos)
        kept = rect(x0, y0, x0 + ww, y0 + hh)
        score = kept
        if avoid is not None:
            ax0 = x0 + int(avoid[0] * ww)
            ay0 = y0 + int(avoid[1] * hh)
            ax1 = x0 + max(int(avoid[0] * ww) + 1, int(avoid[2] * ww))
            ay1 = y0 + max(int(avoid[1] * hh) + 1, int(avoid[3] * hh))
            score -= penalty * rect(ax0, ay0, ax1, ay1)
        key = (round(score, 6), -abs(pos - center), -pos)
        if best_key is None or key > best_key:
            best_key, best_pos = key, pos
    x0, y0 = (best_pos, 0) if horizontal else (0, best_pos)
    kept_fraction = rect(x0, y0, x0 + ww, y0 + hh) / total if total > 0 else (ww * hh) / (w * h)
    return x0, y0, x0 + ww, y0 + hh, kept_fraction


def crop_for_aspect(
    analysis: ImageAnalysis, aspect: float, avoid: tuple[float, float, float, float] | None = None
) -> tuple[tuple[int, int, int, int], float]:
    """Saliency/face-guided crop of the full-size image to `aspect`; returns (box, kept_fraction).

    The window is found at analysis scale (keeping clear of `avoid`, see `best_window`), then
    mapped to full-size pixels so its aspect ratio is exact to within a pixel.
    """
    left, top, _right, _bottom, kept = best_window(analysis.weight, aspect, avoid)
    full_w, full_h = analysis.width, analysis.height
    if full_w / full_h > aspect:
        cw, ch = max(1, min(full_w, round(full_h * aspect))), full_h
        x = round(left / analysis.scale)
        x = min(max(0, x), full_w - cw)
        return (x, 0, x + cw, ch), kept
    cw, ch = full_w, max(1, min(full_h, round(full_w / aspect)))
    y = round(top / analysis.scale)
    y = min(max(0, y), full_h - ch)
    return (0, y, cw, y + ch), kept
