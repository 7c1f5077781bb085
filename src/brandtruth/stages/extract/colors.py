"""Brand colours and fonts from CSS, `theme-color` and the logo's pixels.

Signals and how much each counts towards *primary* (the highest score wins):
  * a CSS custom property named like `--primary`, `--brand-primary`, `--color-primary` (6),
    `--brand` / `--brand-color` / `--main` (4) — the site's own design tokens;
  * `<meta name="theme-color">` (5);
  * background colour of buttons / CTAs (`.btn-primary`, `button`, `.cta`, …) (3 per rule);
  * link colour (`a { color }`) (2);
  * the logo's most common saturated colour (3, scaled by its pixel share).
Only *chromatic* colours (HSV saturation ≥ 0.18, not near black/white) compete for primary,
secondary and accent. Secondary and accent come from `--secondary` / `--accent` tokens when the site
has them, otherwise from the next best candidates at least ΔE 20 (CIE76) away from those chosen.
Background and text come from `body`/`html`/`:root` rules or tokens named bg/background and
text/ink/foreground (a "surface" token colours cards, not the page); white and near-black are
assumed (source "default") when nothing says otherwise.
"""

from __future__ import annotations

import colorsys
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from brandtruth.models.brand import BrandColor

RGB = tuple[int, int, int]

NAMED: dict[str, RGB] = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "navy": (0, 0, 128),
    "teal": (0, 128, 128),
    "orange": (255, 165, 0),
    "purple": (128, 0, 128),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "silver": (192, 192, 192),
    "maroon": (128, 0, 0),
    "olive": (128, 128, 0),
    "lime": (0, 255, 0),
    "aqua": (0, 255, 255),
    "fuchsia": (255, 0, 255),
    "yellow": (255, 255, 0),
    "gold": (255, 215, 0),
    "crimson": (220, 20, 60),
    "tomato": (255, 99, 71),
    "coral": (255, 127, 80),
    "salmon": (250, 128, 114),
    "indigo": (75, 0, 130),
    "darkgreen": (0, 100, 0),
    "forestgreen": (34, 139, 34),
    "seagreen": (46, 139, 87),
    "royalblue": (65, 105, 225),
    "steelblue": (70, 130, 180),
    "dodgerblue": (30, 144, 255),
    "darkblue": (0, 0, 139),
    "midnightblue": (25, 25, 112),
    "slategray": (112, 128, 144),
    "whitesmoke": (245, 245, 245),
    "ivory": (255, 255, 240),
    "beige": (245, 245, 220),
    "chocolate": (210, 105, 30),
    "sienna": (160, 82, 45),
    "brown": (165, 42, 42),
    "tan": (210, 180, 140),
    "hotpink": (255, 105, 180),
    "deeppink": (255, 20, 147),
    "orchid": (218, 112, 214),
    "rebeccapurple": (102, 51, 153),
    "darkorange": (255, 140, 0),
    "firebrick": (178, 34, 34),
    "darkslategray": (47, 79, 79),
    "linen": (250, 240, 230),
    "snow": (255, 250, 250),
}
_HEX = re.compile(r"#([0-9a-fA-F]{3,8})\b")
_FUNC = re.compile(r"(rgba?|hsla?)\(\s*([^)]*)\)", re.IGNORECASE)
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)")
_CUSTOM_PROP = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECL = re.compile(r"([\w-]+)\s*:\s*([^;]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
GENERIC_FONTS = frozenset(
    {
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-sans-serif",
        "ui-serif",
        "ui-monospace",
        "-apple-system",
        "blinkmacsystemfont",
        "inherit",
        "initial",
        "unset",
        "emoji",
        "math",
        "fangsong",
        "ui-rounded",
        "segoe ui",
        "apple color emoji",
        "segoe ui emoji",
        "segoe ui symbol",
        "noto color emoji",
        "helvetica neue",
        "helvetica",
        "arial",
        "sans",
        "revert",
    }
)


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def parse_color(value: str) -> RGB | None:
    """A CSS colour value → RGB, or None (unknown, a gradient's non-colour parts, or mostly transparent)."""
    text = value.strip().lower()
    match = _HEX.search(text)
    if match and text.startswith("#"):
        digits = match.group(1)
        if len(digits) in (3, 4):
            if len(digits) == 4 and int(digits[3], 16) < 8:
                return None
            return (int(digits[0] * 2, 16), int(digits[1] * 2, 16), int(digits[2] * 2, 16))
        if len(digits) in (6, 8):
            if len(digits) == 8 and int(digits[6:8], 16) < 128:
                return None
            return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
        return None
    func = _FUNC.match(text)
    if func:
        kind, args = func.group(1), re.split(r"[\s,/]+", func.group(2).strip())
        nums: list[float] = []
        for arg in args:
            try:
                nums.append(
                    float(arg.rstrip("%deg"))
                    / (100.0 if arg.endswith("%") and kind.startswith("rgb") else 1.0)
                    * (255.0 if arg.endswith("%") and kind.startswith("rgb") else 1.0)
                )
            except ValueError:
                return None
        if len(nums) < 3 or (len(nums) >= 4 and nums[3] < 0.5):
            return None
        if kind.startswith("rgb"):
            return (_clamp(nums[0]), _clamp(nums[1]), _clamp(nums[2]))
        h, s, light = nums[0] / 360.0, nums[1] / 100.0, nums[2] / 100.0
        r, g, b = colorsys.hls_to_rgb(h % 1.0, light, s)
        return (_clamp(r * 255), _clamp(g * 255), _clamp(b * 255))
    return NAMED.get(text)


def _clamp(value: float) -> int:
    return max(0, min(255, round(value)))


def _to_lab(rgb: RGB) -> tuple[float, float, float]:
    def lin(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: RGB | str, b: RGB | str) -> float:
    """CIE76 colour difference (≈2.3 is just noticeable; < 10 reads as "the same colour")."""
    ra = parse_color(a) if isinstance(a, str) else a
    rb = parse_color(b) if isinstance(b, str) else b
    if ra is None or rb is None:
        return math.inf
    la, lb = _to_lab(ra), _to_lab(rb)
    return math.dist(la, lb)


def is_chromatic(rgb: RGB) -> bool:
    _, s, v = colorsys.rgb_to_hsv(*(c / 255.0 for c in rgb))
    return s >= 0.18 and v >= 0.12 and not (v > 0.95 and s < 0.25)


@dataclass
class CssFacts:
    """What the stylesheets say, reduced to what the palette and fonts need."""

    tokens: dict[str, str] = field(default_factory=dict)
    """Custom property → raw value (last definition wins, like the cascade for :root)."""
    rules: list[tuple[str, str, str]] = field(default_factory=list)
    """(selector, property, value) for colour and font declarations."""
    font_faces: list[dict[str, str]] = field(default_factory=list)
    """Each `@font-face` block's declarations (font-family, src, font-weight, font-style)."""


_INTERESTING = frozenset(
    {
        "color",
        "background",
        "background-color",
        "border-color",
        "border",
        "border-left",
        "border-top",
        "border-bottom",
        "fill",
        "font-family",
        "font",
        "border-radius",
        "src",
        "font-weight",
        "font-style",
    }
)


#: Declarations that carry colours (the rest of `_INTERESTING` serves fonts and button shape).
_COLOR_PROPS = _INTERESTING - {"font-family", "font", "border-radius", "src", "font-weight", "font-style"}


def parse_css(texts: list[str]) -> CssFacts:
    """Scan stylesheets with regexes (enough for colours and fonts; no full CSS parser needed)."""
    facts = CssFacts()
    for raw in texts:
        css = _COMMENT.sub("", raw[:2_000_000])
        for match in _RULE.finditer(css):
            selector = " ".join(match.group(1).split())[-200:].lower()
            body = match.group(2)
            if selector.endswith("@font-face"):
                face = {d.group(1).lower(): d.group(2).strip() for d in _DECL.finditer(body)}
                if "src" in face and "font-family" in face:
                    facts.font_faces.append(face)
            for prop in _CUSTOM_PROP.finditer(body):
                facts.tokens[prop.group(1).lower()] = prop.group(2).strip()
            for decl in _DECL.finditer(body):
                name = decl.group(1).lower()
                if name in _INTERESTING:
                    facts.rules.append((selector, name, decl.group(2).strip()))
    return facts


def resolve(value: str, tokens: dict[str, str], depth: int = 0) -> str:
    """Substitute var(--x, fallback) references (up to 6 levels deep)."""
    if depth > 6 or "var(" not in value:
        return value

    def sub(match: re.Match[str]) -> str:
        token = tokens.get(match.group(1).lower())
        if token is not None:
            return resolve(token, tokens, depth + 1)
        return match.group(2) or ""

    return _VAR.sub(sub, value)


def first_color(value: str, tokens: dict[str, str]) -> RGB | None:
    resolved = resolve(value, tokens)
    for piece in re.findall(r"#[0-9a-fA-F]{3,8}\b|(?:rgba?|hsla?)\([^)]*\)|\b[a-z]+\b", resolved, re.IGNORECASE):
        rgb = parse_color(piece)
        if rgb is not None:
            return rgb
    return None


_PRIMARY_TOKEN = re.compile(r"^--(?:[\w]+-)*(primary|brand-primary|color-primary|primary-color)$")
_BRAND_TOKEN = re.compile(r"^--(brand|brand-color|color-brand|main|main-color|theme|theme-color)$")
_ROLE_TOKENS = {
    "secondary": re.compile(r"^--(?:[\w]+-)*(secondary|sekundaer|sekundär|secondaire|secundario)(-color)?$"),
    "accent": re.compile(r"^--(?:[\w]+-)*(accent|highlight|akzent|acento)(-color)?$"),
    "background": re.compile(r"^--(?:[\w]+-)*(bg|background|page-bg|body-bg)(-color)?$"),
    "text": re.compile(r"^--(?:[\w]+-)*(text|ink|foreground|fg|body-color|font-color|copy)(-color)?$"),
}
_SHADE = re.compile(r"(dark|light|hover|active|focus|muted|subtle|soft|\d{2,3}$|contrast|alt)")
# Selectors of buttons, CTAs and links styled as buttons ("a.shop" with a background is a button).
_BUTTON_SELECTOR = re.compile(r"(btn|button|cta|primary|call-to-action|\.action|(^|[\s,>+~])a\.[\w-]+)")


def lightness(rgb: RGB) -> float:
    return _to_lab(rgb)[0]


def palette(
    css: CssFacts,
    theme_color: str | None,
    logo_colors: list[tuple[RGB, float]],
    style_attrs: list[tuple[str, str]] | None = None,
) -> list[BrandColor]:
    """Assign roles primary/secondary/accent/background/text (see the module docstring)."""
    scores: dict[RGB, float] = {}
    sources: dict[RGB, tuple[float, str]] = {}

    def vote(rgb: RGB | None, weight: float, source: str) -> None:
        if rgb is None or not is_chromatic(rgb):
            return
        # Merge near-identical shades so repeated use of one brand colour adds up.
        for known in list(scores):
            if delta_e(known, rgb) < 6:
                rgb = known
                break
        scores[rgb] = scores.get(rgb, 0.0) + weight
        # Name the strongest single signal as the source (a design token beats a CSS rule).
        if rgb not in sources or weight > sources[rgb][0]:
            sources[rgb] = (weight, source)

    light: dict[RGB, float] = {}
    light_sources: dict[RGB, str] = {}

    def vote_light(rgb: RGB | None, weight: float, source: str) -> None:
        if rgb is None or lightness(rgb) < 85 or rgb == (255, 255, 255):
            return
        for known in list(light):
            if delta_e(known, rgb) < 3:
                rgb = known
                break
        light[rgb] = light.get(rgb, 0.0) + weight
        light_sources.setdefault(rgb, source)

    role_token: dict[str, tuple[RGB, str]] = {}
    for name, value in css.tokens.items():
        rgb = first_color(value, css.tokens)
        if rgb is None:
            continue
        if _PRIMARY_TOKEN.match(name) and not _SHADE.search(name.split("primary")[-1]):
            vote(rgb, 6, f"css-token {name}")
        elif _BRAND_TOKEN.match(name):
            vote(rgb, 4, f"css-token {name}")
        else:
            vote(rgb, 0.5, f"css-token {name}")  # any token is a deliberate design choice
        if _SURFACE_TOKEN.search(name):
            vote_light(rgb, 2, f"css-token {name}")
        for role, pattern in _ROLE_TOKENS.items():
            if pattern.match(name) and not _SHADE.search(name.rsplit("-", 1)[-1]) and role not in role_token:
                role_token[role] = (rgb, f"css-token {name}")
    if theme_color:
        vote(parse_color(theme_color), 5, "theme-color")
    body_background: tuple[RGB, str] | None = None
    text: tuple[RGB, str] | None = None
    for selector, prop, value in css.rules:
        if prop not in _COLOR_PROPS:
            continue
        rgb = first_color(value, css.tokens)
        if rgb is None:
            continue
        parts = [s.strip() for s in selector.split(",")]
        is_root = any(p in {"body", "html", ":root"} for p in parts)
        is_background = prop in {"background", "background-color"}
        if is_root and is_background and body_background is None:
            body_background = (rgb, f"css {selector} {prop}")
            vote_light(rgb, 2, f"css {selector} {prop}")
        elif is_root and prop == "color" and text is None:
            text = (rgb, f"css {selector} color")
        elif is_background and _SECTION_SELECTOR.search(selector):
            vote_light(rgb, 1, f"css {selector} {prop}")
        if ":hover" in selector or ":focus" in selector or ":active" in selector:
            continue
        if is_background and _BUTTON_SELECTOR.search(selector):
            vote(rgb, 3, f"css {selector} {prop}")
        elif prop == "color" and any(p in {"a", "a:link"} for p in parts):
            vote(rgb, 2, "css link color")
        else:
            vote(rgb, 0.5 if is_background or prop == "color" else 0.3, f"css {selector} {prop}")
    for hints, style in style_attrs or []:
        if _BUTTON_SELECTOR.search(hints):
            for decl in _DECL.finditer(style):
                if decl.group(1).lower() in {"background", "background-color"}:
                    vote(first_color(decl.group(2), css.tokens), 2, "inline button style")
    for rgb, share in logo_colors[:2]:
        vote(rgb, 1.5 * min(1.0, share * 2), "logo pixels")

    chosen: list[BrandColor] = []
    ranked = sorted(scores, key=lambda rgb: -scores[rgb])
    primary: RGB | None = ranked[0] if ranked else None
    if primary is not None:
        chosen.append(BrandColor(role="primary", hex=hex_of(primary), source=sources[primary][1]))
    taken = [primary] if primary is not None else []
    tx = text or role_token.get("text")
    ink = tx[0] if tx is not None else None

    def usable(rgb: RGB) -> bool:
        # The text colour (often a dark navy/brown) is ink, not a secondary or accent colour.
        return lightness(rgb) >= 25 and (ink is None or delta_e(rgb, ink) >= 10)

    for role in ("secondary", "accent"):
        token = role_token.get(role)
        pick: tuple[RGB, str] | None = None
        if (
            token is not None
            and is_chromatic(token[0])
            and usable(token[0])
            and all(delta_e(token[0], t) >= 10 for t in taken)
        ):
            pick = token
        else:
            for rgb in ranked:
                if usable(rgb) and all(delta_e(rgb, t) >= 20 for t in taken):
                    pick = (rgb, sources[rgb][1])
                    break
        if pick is not None:
            chosen.append(BrandColor(role=role, hex=hex_of(pick[0]), source=pick[1]))
            taken.append(pick[0])
    if light:
        best = max(light, key=lambda rgb: light[rgb])
        chosen.append(BrandColor(role="background", hex=hex_of(best), source=light_sources[best]))
    elif body_background is not None:
        chosen.append(BrandColor(role="background", hex=hex_of(body_background[0]), source=body_background[1]))
    else:
        chosen.append(BrandColor(role="background", hex="#ffffff", source="default"))
    chosen.append(
        BrandColor(role="text", hex=hex_of(tx[0]), source=tx[1])
        if tx is not None
        else BrandColor(role="text", hex="#111111", source="default")
    )
    return chosen


# Tokens that name a light surface colour, and selectors of large page areas.
_SURFACE_TOKEN = re.compile(r"(bg|background|surface|cream|canvas|paper|sand|sky|light|base|page)", re.IGNORECASE)
_SECTION_SELECTOR = re.compile(r"(hero|section|alt|band|banner|main|page|wrapper|jumbotron|masthead)")


def fonts(css: CssFacts, link_urls: list[str]) -> list[str]:
    """Font families the site uses, most used first (body text font ahead of the rest).

    The first two named families of each stack count (the second is the designer's own
    fallback, often a web font such as Roboto); generic and system families do not.
    """
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}

    def add(family: str, weight: int) -> None:
        name = family.strip().strip("\"'").strip()
        if not name or name.lower() in GENERIC_FONTS or name.startswith("var(") or len(name) > 40:
            return
        counts[name] += weight
        order.setdefault(name, len(order))

    def add_stack(stack: str, weight: int) -> None:
        named = [f for f in stack.split(",") if f.strip().strip("\"'").lower() not in GENERIC_FONTS]
        for position, fam in enumerate(named[:2]):
            add(fam, weight if position == 0 else max(1, weight - 1))

    for url in link_urls:
        parts = urlsplit(url)
        if "fonts.googleapis.com" in parts.netloc or "fonts.bunny.net" in parts.netloc:
            for fam in parse_qs(parts.query).get("family", []):
                for one in fam.split("|"):
                    add(one.split(":")[0].replace("+", " "), 2)
    for name, value in css.tokens.items():
        if "font" in name and "size" not in name and "weight" not in name:
            add_stack(resolve(value, css.tokens), 3)
    for selector, prop, value in css.rules:
        if prop not in {"font-family", "font"}:
            continue
        resolved = resolve(value, css.tokens)
        if prop == "font":
            match = re.search(r"[\d.]+(?:px|rem|em|pt|%)(?:/[\d.]+\w*)?\s+(.+)$", resolved)
            if not match:
                continue
            resolved = match.group(1)
        add_stack(resolved, 3 if selector.strip() in {"body", "html", ":root"} else 1)
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))][:4]
