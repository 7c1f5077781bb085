"""The site's own actions: what its buttons invite a reader to do, and which one is the main one.

Only actions outside site chrome count (see `chrome.py`): "Accept all" in the cookie banner,
"Search" in the search box, "Post Comment", "Subscribe" in the footer's newsletter form, "Tweet",
"Menu", a carousel's "3" and "Play Video" are the page operating itself, not the brand asking for
something. The main action is found by position: the first button of the content at or after the
page's main heading (the hero's button, or the submit button of a sign-up form there), else the
first button of the content, else a button-styled link in the header's menu ("Start free trial").
"""

from __future__ import annotations

import re
from collections import Counter

from brandtruth.stages.extract import chrome
from brandtruth.stages.extract.colors import CssFacts, first_color, lightness
from brandtruth.stages.extract.page import Action, PageDoc

_HIGHLIGHT = re.compile(r"primary|\bcta\b|nav-cta|highlight|signup|sign-up|trial|get-started|demo|accent")
_MAX_WORDS = 6
_MAX_CHARS = 40
# Forms whose button is one of the brand's actions: a sign-up form and the brand's own forms
# (a quote request, a booking).
_CONTENT_FORMS = frozenset({"", "signup", "form"})


def button_classes(css: CssFacts | None) -> set[str]:
    """CSS classes that give an element a solid background colour: links with them look like buttons."""
    if css is None:
        return set()
    out: set[str] = set()
    for selector, prop, value in css.rules:
        if prop not in {"background", "background-color"} or ":" in selector:
            continue
        rgb = first_color(value, css.tokens)
        if rgb is None or lightness(rgb) > 95:  # white panels and cards are not buttons
            continue
        for part in selector.split(","):
            match = re.search(r"\.([\w-]+)\s*$", part.strip())
            if match:
                out.add(match.group(1).lower())
    return out


def _usable(text: str) -> bool:
    return bool(text) and len(text.split()) <= _MAX_WORDS and len(text) <= _MAX_CHARS and not chrome.is_label_only(text)


def _menu_highlight(action: Action) -> bool:
    return action.chrome == chrome.NAVIGATION and action.tag == "a" and bool(_HIGHLIGHT.search(action.own_hints))


def brand_actions(doc: PageDoc) -> list[Action]:
    """Content actions, and the highlighted button of the menu ("Start free trial" as
    `a.btn-primary`) — not every link styled as a button ("Subscribe Now", "Anmelden"), and none
    when the menu highlights many (a category menu of button-styled links is a link farm)."""
    usable = [a for a in doc.actions if a.form in _CONTENT_FORMS and _usable(a.text)]
    menu = [a for a in usable if _menu_highlight(a)]
    return [a for a in usable if not a.chrome or (a in menu and len(menu) <= 2)]


def site_ctas(docs: list[PageDoc], css: CssFacts | None = None) -> list[str]:
    """The brand's actions (buttons and links styled as buttons, outside chrome): the start page's
    main action first, then the most frequent."""
    styled = button_classes(css)
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    texts = [a.text for doc in docs for a in brand_actions(doc)]
    texts += [
        link.text
        for doc in docs
        for link in doc.links
        if styled & set(link.classes) and not link.chrome and _usable(link.text)
    ]
    for text in texts:
        key = text.lower()
        counts[key] += 1
        first.setdefault(key, text)
    ranked = [first[k] for k, _ in counts.most_common(8)]
    main = primary_action(docs[0], styled) if docs else ""
    if main:
        ranked = [main, *(t for t in ranked if t.lower() != main.lower())][:8]
    return ranked


def primary_action(doc: PageDoc, styled: set[str] | None = None) -> str:
    """The page's main action as the site words it, or "" (see the module docstring).

    `styled` are the CSS classes that make a link look like a button (`button_classes`)."""
    actions = brand_actions(doc)
    found = [(a.block_index, a.text) for a in actions if not a.chrome]
    found += [
        (link.block_index, link.text)
        for link in doc.links
        if styled and styled & set(link.classes) and not link.chrome and _usable(link.text)
    ]
    content = [Action(text, "a", "", "", "", index) for index, text in sorted(found, key=lambda x: x[0])]
    h1 = next((b.index for b in doc.blocks if b.tag == "h1" and not b.chrome), None)
    if h1 is not None:
        after = [a for a in content if a.block_index > h1]
        if after and after[0].block_index - h1 <= 12:
            return after[0].text
    if content:
        return content[0].text
    menu = [a.text for a in actions]
    menu += [link.text for link in doc.links if styled and styled & set(link.classes) and _usable(link.text)]
    return menu[0] if menu else ""
