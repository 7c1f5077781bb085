"""The site's own look, read from its CSS the way a designer reads it: the primary button (fill,
label colour, corner radius) and the headline and body font families with their class.

The primary button is the rule whose selector says so most clearly: `.btn-primary`,
`.button--primary`, `.cta` beat a bare `.btn` or `button`; hover/focus/disabled states and
outline/ghost/secondary variants never count. Later rules of the same rank win, as in the
cascade. A button whose fill is transparent or missing is no button style at all.
"""

from __future__ import annotations

import re

from brandtruth.models.brand import ButtonStyle
from brandtruth.stages.extract.colors import GENERIC_FONTS, CssFacts, first_color, hex_of, resolve

_STATE = re.compile(r":(hover|focus|active|disabled|visited)|\[disabled\]|\.disabled|\.is-")
_NOT_PRIMARY = re.compile(r"outline|ghost|secondary|link|text|tertiary|close|icon|toggle|menu|nav|small|sm\b")
#: (pattern, rank): higher rank is a clearer statement of "the main call to action".
_BUTTON_RANKS: tuple[tuple[re.Pattern[str], int], ...] = (
    (
        re.compile(
            r"(btn|button)[-_]{1,2}primary|primary[-_]?(btn|button)|\.cta(?![\w-])|\.cta[-_](btn|button)|call-to-action"
        ),
        4,
    ),
    (re.compile(r"(btn|button)[-_](book|buy|order|shop|start|sign-?up|get|try|quote|demo|main|action)"), 4),
    (re.compile(r"\.(btn|button)\b(?![-_])"), 3),
    (re.compile(r"\.(btn|button)[-_]"), 2),
    (re.compile(r"(^|[\s,>+~])button\b|\[type=.?submit"), 1),
)
_LENGTH = re.compile(r"^\s*([\d.]+)\s*(px|rem|em|%)?\s*")
#: CSS rem/em are 16 px unless the site says otherwise.
_ROOT_PX = 16.0
PILL = 9999.0

SERIF_NAMES = re.compile(
    r"serif(?!.*sans)|georgia|times|garamond|baskerville|playfair|merriweather|lora\b|caslon|bodoni|didot|"
    r"crimson|spectral|cormorant|libre caslon|pt serif|noto serif|source serif|fraunces|domine|alegreya(?! sans)|"
    r"slab|rockwell|cambria|charter|minion|tiempos|georgia",
    re.IGNORECASE,
)
DISPLAY_NAMES = re.compile(
    r"condensed|narrow|compressed|oswald|bebas|anton|fjalla|league gothic|barlow condensed|archivo black|"
    r"impact|alfa slab|abril|righteous|lobster|pacifico",
    re.IGNORECASE,
)


def _rank(selector: str) -> int:
    best = 0
    for part in selector.split(","):
        part = part.strip()
        last = re.split(r"[\s>+~]+", part)[-1]  # the element itself, not its context
        if not last or _STATE.search(part) or _NOT_PRIMARY.search(last):
            continue
        for pattern, rank in _BUTTON_RANKS:
            if pattern.search(" " + last):
                best = max(best, rank)
                break
    return best


def radius_px(value: str) -> float | None:
    """The first corner of a border-radius value in CSS px (a percentage of 50 or more: a pill)."""
    match = _LENGTH.match(value)
    if match is None:
        return None
    number, unit = float(match.group(1)), (match.group(2) or "px")
    if unit == "%":
        return PILL if number >= 50 else number * 0.5  # % of a ~50 px button
    if unit in {"rem", "em"}:
        number *= _ROOT_PX
    return PILL if number >= 100 else number


def button_style(css: CssFacts) -> ButtonStyle | None:
    """The site's primary button as CSS draws it, or None when no rule names a filled button."""
    found: dict[str, dict[str, str]] = {}
    ranks: dict[str, int] = {}
    for selector, prop, value in css.rules:
        if prop not in {"background", "background-color", "color", "border-radius"}:
            continue
        rank = _rank(selector)
        if rank == 0:
            continue
        ranks[selector] = rank
        found.setdefault(selector, {})[prop] = resolve(value, css.tokens)
    best: tuple[int, bool, int, str] | None = None
    for order, (selector, props) in enumerate(found.items()):
        fill_value = props.get("background-color") or props.get("background") or ""
        if first_color(fill_value, css.tokens) is None:
            continue
        # A bare rule beats one scoped to a page part (`.banner .button` is a local variant).
        scoped = any(re.search(r"[\s>+~]", p.strip()) for p in selector.split(","))
        key = (ranks[selector], not scoped, order, selector)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    props = found[best[3]]
    fill = first_color(props.get("background-color") or props.get("background") or "", css.tokens)
    assert fill is not None
    text = first_color(props["color"], css.tokens) if "color" in props else None
    radius = radius_px(props["border-radius"]) if "border-radius" in props else None
    if radius is None:
        # Radius often sits on the base `.btn` while the colour sits on `.btn-primary`.
        for selector, other in found.items():
            if "border-radius" in other and ranks[selector] >= 2:
                radius = radius_px(other["border-radius"])
    return ButtonStyle(
        fill=hex_of(fill),
        text=hex_of(text) if text is not None else None,
        radius_px=radius,
        selector=best[3][:120],
    )


def font_class(stack: str) -> str:
    """sans, serif or display for a CSS font-family stack (its generic family wins, then its name)."""
    names = [f.strip().strip("\"'").lower() for f in stack.split(",") if f.strip()]
    first = next((n for n in names if n not in GENERIC_FONTS), "")
    if first and DISPLAY_NAMES.search(first):
        return "display"
    if "serif" in names or "ui-serif" in names:
        return "serif"
    if "sans-serif" in names or "system-ui" in names:
        return "sans"
    if first and SERIF_NAMES.search(first):
        return "serif"
    return "sans"


def _first_family(stack: str) -> str:
    for fam in stack.split(","):
        name = fam.strip().strip("\"'").strip()
        if name and name.lower() not in GENERIC_FONTS and not name.startswith("var("):
            return name[:60]
    return ""


def _stack_for(css: CssFacts, wanted: set[str]) -> str:
    stack = ""
    for selector, prop, value in css.rules:
        if prop != "font-family":
            continue
        parts = {p.strip() for p in selector.split(",")}
        if parts & wanted:
            stack = resolve(value, css.tokens)  # later rules win
    return stack


def typography(css: CssFacts) -> tuple[tuple[str, str], tuple[str, str]]:
    """((heading family, class), (body family, class)); a missing heading takes the body's."""
    body = _stack_for(css, {"body", "html", ":root"})
    heading = _stack_for(css, {"h1", "h2", ".hero h1", "h1.title", ".headline", ".display"})
    if not heading:
        heading = body
    return (_first_family(heading), font_class(heading)), (_first_family(body), font_class(body))
