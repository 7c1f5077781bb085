"""The site's web fonts: `@font-face` files of its headline and body families, downloaded through
the guarded fetcher, converted to sfnt and checked for an open licence (`imaging.typefaces`).

Only faces of the families the site sets its headings and body in are fetched (at most
`MAX_FACES`, the weights nearest 700 for headings and 400 for body), preferring woff2, then
woff, ttf, otf. A file that fails (too large, not a font, unreadable) becomes a warning, never
a failed run: compose then uses the closest bundled family of the same class.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from brandtruth.errors import BrandTruthError
from brandtruth.imaging.typefaces import MAX_FONT_BYTES, FontClass, FontRejected, parse_font
from brandtruth.models.brand import Typography, WebFont
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract.colors import CssFacts
from brandtruth.stages.extract.styles import typography
from brandtruth.web.fetcher import Fetcher

MAX_FACES = 4
_FONT_TYPES = (
    "font/",
    "application/font-woff",
    "application/font-woff2",
    "application/x-font-woff",
    "application/x-font-ttf",
    "application/x-font-truetype",
    "application/x-font-opentype",
    "application/font-sfnt",
    "application/vnd.ms-opentype",
    "application/octet-stream",
)
_SRC_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)\s*(?:format\(\s*['\"]?([\w-]+)['\"]?\s*\))?", re.I)
_FORMAT_ORDER = {"woff2": 0, "woff": 1, "truetype": 2, "ttf": 2, "opentype": 3, "otf": 3}


@dataclass(frozen=True)
class FaceRef:
    family: str
    url: str
    weight: int
    italic: bool


def _weight(value: str) -> int:
    value = value.strip().lower()
    if value in {"bold", "bolder"}:
        return 700
    match = re.match(r"(\d{3})", value)
    return int(match.group(1)) if match else 400


def _best_src(src: str, base: str) -> str | None:
    """The most compact web format's absolute URL from a `src` list (data: and local() skipped)."""
    options: list[tuple[int, str]] = []
    for match in _SRC_URL.finditer(src):
        url = match.group(2).strip()
        if url.startswith("data:"):
            continue
        fmt = (match.group(3) or urlsplit(url).path.rsplit(".", 1)[-1]).lower()
        options.append((_FORMAT_ORDER.get(fmt, 9), urljoin(base, url)))
    options = [o for o in options if o[0] < 9 and urlsplit(o[1]).scheme in {"http", "https"}]
    return min(options)[1] if options else None


def faces_to_fetch(css: CssFacts, base_url: str, families: list[str]) -> list[FaceRef]:
    """The @font-face files worth fetching for `families` (headline family first), best first."""
    faces: list[FaceRef] = []
    for raw in css.font_faces:
        family = raw.get("font-family", "").strip().strip("\"'")
        url = _best_src(raw.get("src", ""), base_url)
        if not family or url is None:
            continue
        faces.append(
            FaceRef(family, url, _weight(raw.get("font-weight", "400")), "italic" in raw.get("font-style", ""))
        )
    chosen: list[FaceRef] = []
    for index, family in enumerate(families):
        if not family:
            continue
        own = [f for f in faces if f.family.lower() == family.lower() and not f.italic]
        target = 700 if index == 0 else 400
        for face in sorted(own, key=lambda f: (abs(f.weight - target), f.weight)):
            if face not in chosen:
                chosen.append(face)
            if sum(1 for c in chosen if c.family == face.family) >= 2:
                break
    return chosen[:MAX_FACES]


async def collect_typography(
    fetcher: Fetcher, ctx: StageContext, css: CssFacts, base_url: str, warnings: list[str]
) -> tuple[Typography, list[bytes]]:
    """The site's headline/body families and its usable-or-not web fonts (stored as sfnt).

    Also returns the sfnt bytes of every font read (in memory only), so the brand's SVG logo can
    be drawn in its own type whatever the font's licence says about setting ad copy.
    """
    (head_family, head_class), (body_family, body_class) = typography(css)
    refs = faces_to_fetch(css, base_url, [head_family, body_family])
    class_hint: dict[str, FontClass] = {head_family: head_class, body_family: body_class}  # type: ignore[dict-item]

    async def one(index: int, ref: FaceRef) -> tuple[WebFont, bytes] | None:
        try:
            result = await fetcher.fetch(ref.url, max_bytes=MAX_FONT_BYTES, accept=_FONT_TYPES, allow_untyped=True)
            parsed = await asyncio.to_thread(parse_font, result.body, class_hint.get(ref.family, "sans"))
        except (BrandTruthError, FontRejected) as exc:
            warnings.append(f"web font {ref.family} ({ref.url}) not used: {str(exc)[:160]}")
            return None
        artifact = None
        if parsed.usable:  # a font we may not use is never copied into the store
            digest = hashlib.sha256(parsed.sfnt).hexdigest()[:12]
            path = f"{ctx.run_id}/brand/fonts/{index:02d}-{digest}.{parsed.extension}"
            artifact = await asyncio.to_thread(ctx.store.put, path, parsed.sfnt, f"font/{parsed.extension}")
        else:
            warnings.append(
                f"web font {ref.family} has no open licence in its name table; ads use a bundled "
                f"{class_hint.get(ref.family, 'sans')} family instead"
            )
        font = WebFont(
            family=ref.family,
            url=ref.url,
            weight=parsed.weight if parsed.weight else ref.weight,
            italic=ref.italic,
            font_class=class_hint.get(ref.family, parsed.font_class),
            licence=parsed.licence,
            usable=parsed.usable,
            artifact=artifact,
        )
        return font, parsed.sfnt

    results = await asyncio.gather(*(one(i, r) for i, r in enumerate(refs)))
    kept = [r for r in results if r is not None]
    typo = Typography(
        heading_family=head_family,
        heading_class=head_class,
        body_family=body_family,
        body_class=body_class,
        web_fonts=[font for font, _ in kept],
    )
    return typo, [data for _, data in kept]
