"""Where the subject is, where the calm areas are, and how to crop around them.

All maps are computed on a small copy of the image (`ANALYSIS_SIDE` px on the long side): the
questions asked here ("is the left or the right half busier?", "which 4:5 window keeps the most
of the subject?") do not need more, and it keeps analysis to a few milliseconds per image.

Saliency is OpenCV's spectral-residual detector (deterministic, no model download), boosted by
Haar-cascade faces so people are never cropped away when the picture has any.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import cv2
import cv2.data
import numpy as np
import numpy.typing as npt
from PIL import Image

ANALYSIS_SIDE = 256

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

    @property
    def weight(self) -> FloatMap:
        """Subject weight used for cropping: saliency plus a strong bonus on faces."""
        w = self.saliency.copy()
        for left, top, right, bottom in self.faces:
            w[top:bottom, left:right] += 2.0
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


def best_window(weight: FloatMap, aspect: float) -> tuple[int, int, int, int, float]:
    """The largest window of width/height `aspect` that keeps the most of `weight`.

    Slides the maximal window along its free axis using a cumulative sum; ties go to the most
    central position. Returns (left, top, right, bottom, kept_fraction) in `weight` pixels.
    """
    h, w = weight.shape
    total = float(weight.sum())
    if w / h > aspect:  # too wide: full height, slide horizontally
        ww = max(1, min(w, round(h * aspect)))
        cols = np.concatenate([[0.0], np.cumsum(weight.sum(axis=0, dtype=np.float64))])
        sums = cols[ww:] - cols[: w - ww + 1]
        center = (w - ww) / 2
        order = np.lexsort((np.abs(np.arange(sums.size) - center), -np.round(sums, 6)))
        x = int(order[0])
        kept = float(sums[x]) / total if total > 0 else ww / w
        return x, 0, x + ww, h, kept
    hh = max(1, min(h, round(w / aspect)))
    rows = np.concatenate([[0.0], np.cumsum(weight.sum(axis=1, dtype=np.float64))])
    sums = rows[hh:] - rows[: h - hh + 1]
    center = (h - hh) / 2
    order = np.lexsort((np.abs(np.arange(sums.size) - center), -np.round(sums, 6)))
    y = int(order[0])
    kept = float(sums[y]) / total if total > 0 else hh / h
    return 0, y, w, y + hh, kept


def crop_for_aspect(analysis: ImageAnalysis, aspect: float) -> tuple[tuple[int, int, int, int], float]:
    """Saliency/face-guided crop of the full-size image to `aspect`; returns (box, kept_fraction).

    The window is found at analysis scale, then mapped to full-size pixels and snapped so its
    aspect ratio is exact to within a pixel.
    """
    left, top, _right, _bottom, kept = best_window(analysis.weight, aspect)
    W, H = analysis.width, analysis.height
    if aspect < W / H:
        cw, ch = max(1, min(W, round(H * aspect))), H
        x = round(left / analysis.scale)
        x = min(max(0, x), W - cw)
        return (x, 0, x + cw, ch), kept
    cw, ch = W, max(1, min(H, round(W / aspect)))
    y = round(top / analysis.scale)
    y = min(max(0, y), H - ch)
    return (0, y, cw, y + ch), kept
