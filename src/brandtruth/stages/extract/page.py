"""The page's text, once: visible text blocks in document order, and what surrounds them.

"Brand truth" hinges on one definition: an evidence quote is verbatim text *of the page*. This module
owns that definition. `PageDoc.text` is the page's visible text, whitespace-normalised, built by
joining its blocks with single spaces; every quote the extractor produces is cut from a single
block's text, so it is a substring of `PageDoc.text` by construction (and tests check it).

Visible text means: the `<body>`'s text nodes, with `<script>`, `<style>`, `<noscript>`, `<template>`,
inline `<svg>`, form `<select>` options and elements marked `hidden` (or `display:none` inline)
left out. Inline elements (`<b>`, `<a>`, `<span>`) do not break a block; block elements (`<p>`,
`<li>`, headings, `<div>`, table cells, buttons …) do. Whitespace runs, including non-breaking spaces,
become one space.

Parsing uses selectolax (lexbor), which is fast enough for megabyte pages; the walk is iterative so
deeply nested markup cannot overflow the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from brandtruth.stages.extract import chrome as chrome_rules

SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "head",
        "select",
        "option",
        "datalist",
        "iframe",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
        "map",
        "math",
        "textarea",
    }
)
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "button",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "label",
        "legend",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "html",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LANDMARK_TAGS = frozenset({"header", "nav", "main", "footer", "aside"})
_SECTIONING = frozenset({"section", "article", "blockquote", "aside"})
_WS = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def normalise_ws(text: str) -> str:
    """Collapse every whitespace run (incl. non-breaking spaces) to one space and trim."""
    return " ".join(text.split())


@dataclass
class Block:
    """One run of visible text between block boundaries."""

    text: str
    tag: str
    """Innermost block element holding the text (p, li, h2, blockquote, button, td, …)."""
    heading: str
    """Text of the nearest heading before this block (the block's own text if it is a heading)."""
    landmark: str
    """Nearest enclosing header/nav/main/footer/aside, or ""."""
    hints: str
    """Lower-cased tags, ids, classes and aria-labels of the enclosing elements (for section cues)."""
    index: int
    in_link: bool = False
    """True if (nearly) all of the block's text is link text: nav items, CTA rows, card links."""
    chrome: str = ""
    """The kind of site chrome the block sits in ("navigation", "consent", "comments", …; see
    `chrome.py`), or "" for content."""


@dataclass
class ImageRef:
    """An <img> as found in the markup, with the text around it."""

    src: str
    alt: str
    width: int | None
    height: int | None
    heading: str
    landmark: str
    hints: str
    block_index: int
    """Index of the next text block after the image (for nearby text)."""
    in_link_href: str = ""
    srcset: str = ""


@dataclass
class Link:
    url: str
    text: str
    landmark: str
    hints: str
    rel: str = ""
    classes: tuple[str, ...] = ()
    """The <a> element's own class names (links styled as buttons are CTAs)."""
    chrome: str = ""
    """The chrome kind of the link's surroundings or target (share intent, account page …), or ""."""
    block_index: int = -1
    """Index of the next text block: where on the page the link sits."""


@dataclass
class Action:
    """Something the page offers to do: a button, a submit input or a link styled as a button."""

    text: str
    tag: str
    hints: str
    chrome: str
    """Why it is not one of the brand's actions ("search", "control", "consent", …), or ""."""
    landmark: str
    block_index: int
    """Index of the next text block: where on the page the action sits."""
    href: str = ""
    own_hints: str = ""
    """The element's own tag, id, classes and label (`hints` includes its ancestors')."""
    form: str = ""
    """"" outside forms; else what the form asks for: "signup" (an email address), "form" (anything
    else the brand asks), or the chrome kind of a search/login/comment/newsletter form."""


@dataclass
class PageDoc:
    """A parsed page: its blocks, the text they make, and markup the other modules need."""

    url: str
    title: str
    lang: str
    blocks: list[Block]
    images: list[ImageRef]
    links: list[Link]
    meta: dict[str, str]
    """<meta name|property> → content, lower-cased keys (first one wins)."""
    link_rels: list[tuple[str, str, str, str]]
    """(rel, href, type, sizes) of every <link> element, rel lower-cased."""
    inline_styles: list[str]
    """Contents of <style> elements."""
    stylesheet_urls: list[str]
    style_attrs: list[tuple[str, str]]
    """(hints, style attribute) of elements that carry inline style, for button colours."""
    json_ld_raw: list[str]
    inline_svgs: list[tuple[str, str]]
    """(hints, markup) of inline <svg> elements in the header area (logo candidates)."""
    buttons: list[tuple[str, str]]
    """(text, hints) of buttons and button-styled links, for CTAs."""
    script_count: int
    has_app_root: bool
    """An empty #root/#app/#__next mount point, typical of client-rendered apps."""
    noscript_text: str
    html_size: int
    actions: list[Action] = field(default_factory=list)
    """Buttons and button-styled links with where they sit and whether they are chrome."""
    meta_blocks: list[Block] = field(default_factory=list)
    """The page's own summary from `<meta name="description">` and `og:description` (tag "meta"):
    not body text, but text the page publishes about itself, so quotable as evidence."""
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = " ".join(b.text for b in [*self.meta_blocks, *self.blocks])

    def content_blocks(self) -> list[Block]:
        """The blocks that are not site chrome."""
        return [b for b in self.blocks if not b.chrome]

    def headings(self, *levels: str) -> list[Block]:
        wanted = set(levels) if levels else HEADING_TAGS
        return [b for b in self.blocks if b.tag in wanted]


def _int_attr(value: str | None) -> int | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{1,5})", value)
    return int(match.group(1)) if match else None


# Inline formatting elements: their attributes never carry section cues, and skipping the attribute
# lookup for them keeps the walk fast on megabyte pages.
_PLAIN_INLINE = frozenset(
    {
        "b",
        "i",
        "strong",
        "em",
        "small",
        "sup",
        "sub",
        "abbr",
        "mark",
        "u",
        "s",
        "q",
        "time",
        "code",
        "wbr",
        "bdi",
        "bdo",
        "kbd",
        "var",
        "dfn",
        "data",
        "ruby",
        "rt",
        "rp",
        "del",
        "ins",
    }
)


def _hint_of(node: LexborNode, attrs: dict[str, str | None] | None = None) -> str:
    if attrs is None:
        attrs = node.attributes
    if not attrs:
        return node.tag or ""
    parts = [node.tag or ""]
    for key in _HINT_ATTRS:
        value = attrs.get(key)
        if value:
            parts.append(value)
    return " ".join(parts).lower()


_HINT_ATTRS = ("id", "class", "aria-label", "role", "itemprop", "itemtype")


def _is_hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def parse_page(html: str, url: str) -> PageDoc:
    """Parse HTML into a PageDoc (CPU-bound: call through asyncio.to_thread for big pages).

    "The page's text" (`PageDoc.text`) is the description metadata followed by the visible text;
    every evidence quote is cut from one of its blocks.
    """
    return PageParser(html, url).parse()


# Flags of an open element on the walk's stack.
_F_BLOCK, _F_LANDMARK, _F_SECTION, _F_LINK, _F_SKIP, _F_HINT, _F_CHROME, _F_FORM = 1, 2, 4, 8, 16, 32, 64, 128


_CHROME_TAGS = frozenset({"nav", "search", "dialog", "form", "footer", "aside"})
# Chrome that can hold a more specific kind (a newsletter form in the footer).
_WIDE_CHROME = frozenset({chrome_rules.FOOTER, chrome_rules.NAVIGATION, chrome_rules.SIDEBAR})


class PageParser:
    """One page, parsed in named steps: the head (title, language, base, meta, links, styles,
    structured data), then one walk over the body that cuts the visible text into blocks and
    collects images, links, buttons and inline styles on the way."""

    def __init__(self, html: str, url: str) -> None:
        self.html = html
        self.url = url
        self.tree = LexborHTMLParser(html)
        self.base = url
        self.title = ""
        self.lang = ""
        self.meta: dict[str, str] = {}
        self.meta_blocks: list[Block] = []
        self.link_rels: list[tuple[str, str, str, str]] = []
        self.stylesheet_urls: list[str] = []
        self.inline_styles: list[str] = []
        self.json_ld_raw: list[str] = []
        self.script_count = 0
        self.noscript_text = ""
        self.has_app_root = False
        self.blocks: list[Block] = []
        self.images: list[ImageRef] = []
        self.links: list[Link] = []
        self.style_attrs: list[tuple[str, str]] = []
        self.inline_svgs: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str]] = []
        self.actions: list[Action] = []
        self._joined: dict[str, str] = {}
        # Walk state.
        self.buffer: list[str] = []
        self.block_tags: list[str] = ["body"]
        self.hint_stack: list[str] = []
        self.landmark_stack: list[str] = []
        self.link_stack: list[str] = []  # hrefs of the open <a> elements
        self.heading_stack: list[str] = []
        self.current_heading = ""
        self.link_chars = 0  # characters of the buffer that were inside <a>
        self.skip_depth = 0
        self.chrome_stack: list[str] = []
        self.form_stack: list[str] = []
        self.chrome_chars = 0  # characters of the buffer that were inside chrome
        self.inline_chrome = ""

    def parse(self) -> PageDoc:
        self.read_head()
        body = self.tree.body
        if body is not None:
            self.walk(body)
        return self.page_doc()

    # -- the head ----------------------------------------------------------------------------

    def read_head(self) -> None:
        tree = self.tree
        title_node = tree.css_first("title")
        self.title = normalise_ws(title_node.text() or "") if title_node is not None else ""
        html_node = tree.css_first("html")
        self.lang = (html_node.attributes.get("lang") or "") if html_node is not None else ""
        base_node = tree.css_first("base[href]")
        if base_node is not None:
            self.base = urljoin(self.url, base_node.attributes.get("href") or "")
        self.read_meta()
        self.read_link_elements()
        self.inline_styles = [n.text() or "" for n in tree.css("style")]
        self.json_ld_raw = [n.text() or "" for n in tree.css('script[type="application/ld+json"]')]
        self.script_count = len(tree.css("script"))
        self.noscript_text = normalise_ws(" ".join(n.text() or "" for n in tree.css("noscript")))
        for selector in ("#root", "#app", "#__next", "#__nuxt", "[data-reactroot]", "app-root"):
            mount = tree.css_first(selector)
            if mount is not None and not normalise_ws(mount.text() or ""):
                self.has_app_root = True
                break

    def read_meta(self) -> None:
        meta = self.meta
        for node in self.tree.css("meta"):
            attrs = node.attributes
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
            content = attrs.get("content")
            if key and content is not None:
                meta.setdefault(key.strip().lower(), normalise_ws(content))
        for key, label in (("description", "meta description"), ("og:description", "og:description")):
            value = meta.get(key)
            if value and all(value != b.text for b in self.meta_blocks):
                index = -2 + len(self.meta_blocks)
                self.meta_blocks.append(
                    Block(text=value, tag="meta", heading=label, landmark="head", hints="meta", index=index)
                )

    def read_link_elements(self) -> None:
        for node in self.tree.css("link[rel][href]"):
            attrs = node.attributes
            rel = (attrs.get("rel") or "").lower().strip()
            href = urljoin(self.base, (attrs.get("href") or "").strip())
            self.link_rels.append((rel, href, (attrs.get("type") or "").lower(), (attrs.get("sizes") or "").lower()))
            if "stylesheet" in rel.split():
                self.stylesheet_urls.append(href)

    def absolute(self, ref: str) -> str:
        """urljoin against the page's base, memoised (pages repeat the same links many times)."""
        found = self._joined.get(ref)
        if found is None:
            found = self._joined[ref] = urljoin(self.base, ref)
        return found

    def page_doc(self) -> PageDoc:
        return PageDoc(
            self.url,
            self.title,
            self.lang,
            self.blocks,
            self.images,
            self.links,
            self.meta,
            self.link_rels,
            self.inline_styles,
            self.stylesheet_urls,
            self.style_attrs,
            self.json_ld_raw,
            self.inline_svgs,
            self.buttons,
            self.script_count,
            self.has_app_root,
            self.noscript_text,
            len(self.html),
            actions=self.actions,
            meta_blocks=self.meta_blocks,
        )

    # -- the body walk -----------------------------------------------------------------------

    def walk(self, body: LexborNode) -> None:
        """`traverse` yields nodes in document order (fast, in C); the elements still open are
        tracked on a stack by memory id, and an element is closed when the next node is not
        inside it. Entry: (mem_id, tag, flags), flags from the _F_* bits."""
        open_stack: list[tuple[int, str, int]] = []
        buffer = self.buffer
        for node in body.traverse(include_text=True):
            tag = node.tag or ""
            chunk = ""
            if tag == "-text":
                chunk = node.text_content or ""
                if not chunk.strip():
                    # Whitespace between elements: a space wherever it lands (normalisation folds
                    # it), so half the nodes of typical markup skip the parent bookkeeping below.
                    buffer.append(" ")
                    continue
            elif tag.startswith("-"):
                continue
            if open_stack:
                parent = node.parent
                parent_id = parent.mem_id if parent is not None else -1
                while open_stack and open_stack[-1][0] != parent_id:
                    self.close(open_stack.pop()[2])
            if tag == "-text":
                if not self.skip_depth:
                    buffer.append(chunk)
                    if self.link_stack:
                        self.link_chars += len(chunk.strip())
                    if self.chrome_stack:
                        self.chrome_chars += len(chunk.strip())
                        self.inline_chrome = self.chrome_stack[-1]
                continue
            open_stack.append((node.mem_id, tag, self.open(node, tag)))
        while open_stack:
            self.close(open_stack.pop()[2])
        self.flush()

    def open(self, node: LexborNode, tag: str) -> int:
        """Enter an element; returns the flags `close` needs to undo what entering did."""
        if self.skip_depth:
            self.skip_depth += 1
            return _F_SKIP
        if tag in _PLAIN_INLINE:
            return 0
        if tag in SKIP_TAGS:
            if tag == "svg":
                self.note_svg(node)
            self.skip_depth += 1
            return _F_SKIP
        attrs = node.attributes
        if _is_hidden(attrs):
            self.skip_depth += 1
            return _F_SKIP
        hint = _hint_of(node, attrs)
        if tag == "img":
            self.note_image(attrs, hint)
            return 0
        if tag == "br":
            self.buffer.append(" ")
            return 0
        if tag == "input":
            if (attrs.get("type") or "").lower() in {"submit", "button"} and attrs.get("value"):
                text = normalise_ws(attrs.get("value") or "")
                self.buttons.append((text, self.recent_hints(4) + " " + hint))
                self.note_action(text, tag, attrs, hint, "")
            return 0
        return self.open_container(node, tag, attrs, hint)

    def open_container(self, node: LexborNode, tag: str, attrs: dict[str, str | None], hint: str) -> int:
        style = attrs.get("style")
        if style:
            self.style_attrs.append((hint, style))
        flags = _F_HINT
        if tag in BLOCK_TAGS:
            self.flush()
            self.block_tags.append(tag)
            flags |= _F_BLOCK
        # <header>/<footer> inside an article, section or blockquote are not page landmarks.
        is_landmark = tag in LANDMARK_TAGS and (
            tag not in {"header", "footer"} or not any(t in _SECTIONING for t in self.block_tags[:-1])
        )
        if is_landmark:
            self.landmark_stack.append(tag)
            flags |= _F_LANDMARK
        kind = self.chrome_of(node, tag, attrs, hint, is_landmark)
        if kind:
            self.chrome_stack.append(kind)
            flags |= _F_CHROME
            if tag == "form":
                self.title_of_form(kind)
        if tag == "form":
            self.form_stack.append(kind or _form_purpose(node))
            flags |= _F_FORM
        if (tag in _SECTIONING and tag != "blockquote") or is_landmark:
            # Blocks in a new section sit under its own heading (or label), not the previous
            # section's; leaving it restores the outer heading.
            self.heading_stack.append(self.current_heading)
            self.current_heading = normalise_ws(attrs.get("aria-label") or "")
            flags |= _F_SECTION
        self.hint_stack.append(hint)
        href = ""
        if tag == "a":
            href = self.note_link(node, attrs)
            flags |= _F_LINK
        if tag == "button" or (tag == "a" and _looks_like_button(hint)):
            text = normalise_ws(node.text() or "")
            if text:
                self.buttons.append((text, self.recent_hints(4)))
                self.note_action(text, tag, attrs, hint, href)
        return flags

    def chrome_of(self, node: LexborNode, tag: str, attrs: dict[str, str | None], hint: str, landmark: bool) -> str:
        """The chrome kind this element opens ("" for content or when already inside chrome)."""
        if self.chrome_stack and self.chrome_stack[-1] not in (
            chrome_rules.FOOTER,
            chrome_rules.NAVIGATION,
            chrome_rules.SIDEBAR,
        ):
            return ""  # the innermost specific kind is known already
        if landmark and tag == "footer":
            return chrome_rules.FOOTER
        if landmark and tag == "aside" and not any(t in _SECTIONING or t == "main" for t in self.block_tags[:-1]):
            return chrome_rules.SIDEBAR
        plain = tag not in _CHROME_TAGS and "role" not in attrs and "aria-modal" not in attrs
        if plain and not chrome_rules.has_cue(hint):
            return ""  # most elements: no tag, role or class name that chrome has
        kind = chrome_rules.region_kind(tag, attrs, hint)
        if tag == "form" and not kind:
            kind = chrome_rules.form_kind(node, hint)
        return kind

    def title_of_form(self, kind: str) -> None:
        """The heading right above a chrome form ("Schreiben Sie uns", "Leave a Reply") is the
        form's title: chrome of the same kind."""
        if self.buffer and "".join(self.buffer).strip():
            return
        last = self.blocks[-1] if self.blocks else None
        if last is not None and last.tag in HEADING_TAGS and not last.chrome and last.text == self.current_heading:
            last.chrome = kind

    @property
    def chrome(self) -> str:
        return self.chrome_stack[-1] if self.chrome_stack else ""

    def note_action(self, text: str, tag: str, attrs: dict[str, str | None], hint: str, href: str) -> None:
        kind = self.chrome
        if not kind or kind in _WIDE_CHROME:
            # A login link in the menu is an account link first; a button in the footer a control.
            specific = chrome_rules.control_kind(tag, attrs, hint) or (
                chrome_rules.link_kind(href, attrs) if href else ""
            )
            kind = specific or kind
        if not kind and chrome_rules.is_label_only(text):
            kind = chrome_rules.CONTROL
        pending = 1 if self.buffer and "".join(self.buffer).strip() else 0
        self.actions.append(
            Action(
                text=text,
                tag=tag,
                hints=self.recent_hints(6) + " " + hint,
                chrome=kind,
                landmark=self.landmark,
                block_index=len(self.blocks) + pending,
                href=href,
                own_hints=hint,
                form=self.form_stack[-1] if self.form_stack else "",
            )
        )

    def close(self, flags: int) -> None:
        if flags & _F_SKIP:
            self.skip_depth -= 1
            return
        if flags & _F_LINK and self.link_stack:
            self.link_stack.pop()
        if flags & _F_BLOCK:
            self.flush()
            self.block_tags.pop()
        if flags & _F_LANDMARK and self.landmark_stack:
            self.landmark_stack.pop()
        if flags & _F_SECTION and self.heading_stack:
            self.current_heading = self.heading_stack.pop()
        if flags & _F_HINT:
            self.hint_stack.pop()
        if flags & _F_CHROME:
            self.chrome_stack.pop()
        if flags & _F_FORM:
            self.form_stack.pop()

    def flush(self) -> None:
        """End the current block: its text becomes a Block (if any)."""
        buffer = self.buffer
        if not buffer:
            return
        text = normalise_ws("".join(buffer))
        buffer.clear()
        linked = self.link_chars
        self.link_chars = 0
        # A block made (almost) only of text inside an inline chrome element (a skip link, a
        # visually hidden label) is that chrome.
        kind = self.chrome
        if not kind and self.chrome_chars and self.chrome_chars >= 0.8 * len(text.replace(" ", "")):
            kind = self.inline_chrome
        self.chrome_chars = 0
        if not text:
            return
        tag = self.block_tags[-1]
        if tag in HEADING_TAGS:
            self.current_heading = text
        self.blocks.append(
            Block(
                text=text,
                tag=tag,
                heading=self.current_heading,
                landmark=self.landmark,
                hints=self.recent_hints(8),
                index=len(self.blocks),
                in_link=linked >= 0.8 * len(text),
                chrome=kind,
            )
        )

    @property
    def landmark(self) -> str:
        return self.landmark_stack[-1] if self.landmark_stack else ""

    def recent_hints(self, depth: int) -> str:
        return " ".join(self.hint_stack[-depth:])

    # -- what the walk collects besides text --------------------------------------------------

    def note_svg(self, node: LexborNode) -> None:
        hints = self.recent_hints(6) + " " + _hint_of(node)
        if len(self.inline_svgs) < 6 and ("logo" in hints or "brand" in hints or "header" in hints):
            self.inline_svgs.append((hints, node.html or ""))

    def note_image(self, attrs: dict[str, str | None], hint: str) -> None:
        src = attrs.get("src") or attrs.get("data-src") or ""
        srcset = attrs.get("srcset") or attrs.get("data-srcset") or ""
        if not src and srcset:
            src = srcset.split(",")[0].strip().split(" ")[0]
        if not src:
            return
        pending = 1 if self.buffer and "".join(self.buffer).strip() else 0
        self.images.append(
            ImageRef(
                src=self.absolute(src.strip()),
                alt=normalise_ws(attrs.get("alt") or ""),
                width=_int_attr(attrs.get("width")),
                height=_int_attr(attrs.get("height")),
                heading=self.current_heading,
                landmark=self.landmark,
                hints=self.recent_hints(8) + " " + hint,
                block_index=len(self.blocks) + pending,
                in_link_href=self.link_stack[-1] if self.link_stack else "",
                srcset=srcset,
            )
        )

    def note_link(self, node: LexborNode, attrs: dict[str, str | None]) -> str:
        href = (attrs.get("href") or "").strip()
        url = ""
        if href and not href.startswith(("javascript:", "#", "mailto:", "tel:", "data:")):
            url = self.absolute(href)
            text = normalise_ws(node.text() or "")
            aria = normalise_ws(attrs.get("aria-label") or attrs.get("title") or "")
            self.links.append(
                Link(
                    url=self.absolute(href),
                    text=text or aria,
                    landmark=self.landmark,
                    hints=self.recent_hints(6),
                    rel=(attrs.get("rel") or "").lower(),
                    classes=tuple((attrs.get("class") or "").lower().split()),
                    chrome=self.chrome or chrome_rules.link_kind(url, attrs),
                    block_index=len(self.blocks) + (1 if self.buffer and "".join(self.buffer).strip() else 0),
                )
            )
        self.link_stack.append(self.absolute(href) if href else "")
        return url or href


def _form_purpose(node: LexborNode) -> str:
    """A content form: "signup" when it asks for an email address, else "form"."""
    for field_node in node.css("input"):
        attrs = field_node.attributes
        if (attrs.get("type") or "").lower() == "email" or "email" in (attrs.get("name") or "").lower():
            return "signup"
    return "form"


def _looks_like_button(hint: str) -> bool:
    return any(k in hint for k in ("btn", "button", "cta", "call-to-action"))


def same_site(url: str, other: str) -> bool:
    """Same host, ignoring a leading "www." and the port only when both use defaults."""
    a, b = urlsplit(url), urlsplit(other)
    if a.scheme not in {"http", "https"} or b.scheme not in {"http", "https"}:
        return False
    host_a = (a.hostname or "").removeprefix("www.")
    host_b = (b.hostname or "").removeprefix("www.")
    return host_a == host_b and (a.port == b.port or (a.port is None and b.port is None))


def sentences(text: str) -> list[str]:
    """Split a block's text into sentences; each is a verbatim substring of the block.

    Splits after `.`, `!` or `?` (optionally followed by a closing quote or bracket) when the next
    character starts a new sentence, and never inside numbers ("4.8", "$1.5M") or common
    abbreviations ("e.g.", "Inc.").
    """
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        candidate = text[start:end].strip()
        prev_word = text[max(0, match.start() - 6) : match.start() + 1].split(" ")[-1].lower()
        if prev_word in _ABBREVIATIONS:
            continue
        if candidate:
            out.append(candidate)
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]?(?=\s+["'“‘(\[]?[A-Z0-9$€£#])""")
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "inc.", "ltd.", "co.", "vs.", "etc.", "mr.", "mrs.", "dr.", "st.", "no.", "approx."}
)
