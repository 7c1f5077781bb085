"""Small, dependency-light imaging helpers shared by the match, compose and score stages.

- `color`: hex parsing, WCAG relative luminance and contrast, measured contrast of a text colour
  against the actual pixels behind it.
- `decode`: turning untrusted image bytes into a predictable RGB/RGBA Pillow image (CMYK,
  palette, 16-bit, transparency, EXIF orientation, decompression-bomb guard).
- `analysis`: saliency, faces, edge density ("clutter") and saliency-guided cropping.
- `png`: a fast, deterministic PNG writer (no timestamps, no metadata).

Everything here is synchronous and CPU-bound: async callers run it via `asyncio.to_thread`.
"""
