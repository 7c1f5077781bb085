"""Which font files a brand's creatives are set in: the site's own web fonts when their licence
allows it, otherwise the closest bundled family of the same class (sans, serif, display).

Headline and brand name take the site's heading family (weight nearest 700), body text its body
family (nearest 400), the CTA label the body family's medium weight (nearest 600). A site font
that cannot draw every character of a text falls back, for that text only, to the bundled family
of its class, and then to Roboto (the widest coverage of the bundled fonts).

Site fonts are read from the artifact store once and cached on local disk by content hash
(FreeType opens fonts by path), so every worker draws identical pixels from identical bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import ImageFont

from brandtruth.imaging.typefaces import Family, bundled, covers, fallback
from brandtruth.models.brand import BrandProfile, WebFont
from brandtruth.storage import ArtifactStore


@dataclass(frozen=True)
class Face:
    path: Path
    family: str
    source: str  # "site" or "bundled"
    font_class: str = "sans"


@dataclass(frozen=True)
class Faces:
    """The fonts of one brand's creatives, by role."""

    heading: Face
    body: Face
    cta: Face

    def for_text(self, role: str, text: str) -> Face:
        """The role's face, or the bundled stand-in when it cannot draw `text`."""
        face = {"heading": self.heading, "body": self.body, "cta": self.cta}[role]
        if covers(face.path, text):
            return face
        weight = "bold" if role == "heading" else "medium" if role == "cta" else "regular"
        stand_in = _family_face(fallback(face.font_class), weight)
        if covers(stand_in.path, text):
            return stand_in
        return _family_face(bundled()["Roboto"], weight)


def _family_face(family: Family, weight: str) -> Face:
    path = {"bold": family.bold, "medium": family.medium, "regular": family.regular}[weight]
    return Face(path, family.name, "bundled", family.font_class)


DEFAULT_FACES = Faces(
    heading=_family_face(bundled()["Roboto"], "bold"),
    body=_family_face(bundled()["Roboto"], "regular"),
    cta=_family_face(bundled()["Roboto"], "medium"),
)

_FAMILY_BY_PATH: dict[str, str] = {
    str(getattr(f, w)): f.name for f in bundled().values() for w in ("regular", "medium", "bold")
}


def family_of(path: Path) -> str:
    """The family name recorded for a font file (site fonts register theirs when cached)."""
    return _FAMILY_BY_PATH.get(str(path), path.stem)


def _cache_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "brandtruth-fonts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_font(data: bytes, extension: str, family: str) -> Path:
    """Write font bytes to the local cache (named by content hash) and check FreeType opens them."""
    digest = hashlib.sha256(data).hexdigest()[:24]
    path = _cache_dir() / f"{digest}.{extension}"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    ImageFont.truetype(str(path), 24)  # raises OSError when FreeType cannot read it
    _FAMILY_BY_PATH[str(path)] = family
    return path


def _site_face(
    store: ArtifactStore, fonts: list[WebFont], family: str, target: int, warnings: list[str]
) -> Face | None:
    own = [f for f in fonts if f.family.lower() == family.lower() and f.usable and f.artifact is not None]
    for font in sorted(own, key=lambda f: (abs(f.weight - target), f.weight)):
        assert font.artifact is not None
        try:
            data = store.read(font.artifact)
            ext = font.artifact.path.rsplit(".", 1)[-1] if "." in font.artifact.path else "ttf"
            return Face(cached_font(data, ext, font.family), font.family, "site", font.font_class)
        except (OSError, ValueError) as exc:
            warnings.append(f"web font {family} unreadable ({str(exc)[:120]}); using a bundled family")
    return None


def resolve_faces(profile: BrandProfile, store: ArtifactStore, warnings: list[str]) -> Faces:
    """The brand's faces (see the module docstring); bundled Roboto when the site says nothing."""
    typo = profile.assets.typography
    if typo is None:
        return DEFAULT_FACES
    heading = _site_face(store, typo.web_fonts, typo.heading_family, 700, warnings) if typo.heading_family else None
    body = _site_face(store, typo.web_fonts, typo.body_family, 400, warnings) if typo.body_family else None
    cta = _site_face(store, typo.web_fonts, typo.body_family, 600, warnings) if typo.body_family else None
    head_fallback = fallback(typo.heading_class)
    body_fallback = fallback(typo.body_class)
    return Faces(
        heading=heading or replace(_family_face(head_fallback, "bold"), font_class=typo.heading_class),
        body=body or replace(_family_face(body_fallback, "regular"), font_class=typo.body_class),
        cta=cta or replace(_family_face(body_fallback, "medium"), font_class=typo.body_class),
    )
