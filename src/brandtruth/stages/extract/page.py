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
    meta_blocks: list[Block] = field(default_factory=list)
    """The page's own summary from `<meta name="description">` and `og:description` (tag "meta"):
    not body text, but text the page publishes about itself, so quotable as evidence."""
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = " ".join(b.text for b in [*self.meta_blocks, *self.blocks])

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
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = normalise_ws(title_node.text() or "") if title_node is not None else ""
    html_node = tree.css_first("html")
    lang = (html_node.attributes.get("lang") or "") if html_node is not None else ""
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = urljoin(url, base_node.attributes.get("href") or "")

    joined: dict[str, str] = {}

    def absolute(ref: str) -> str:
        """urljoin against the page's base, memoised (pages repeat the same links many times)."""
        found = joined.get(ref)
        if found is None:
            found = joined[ref] = urljoin(base, ref)
        return found

    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        content = attrs.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), normalise_ws(content))
    meta_blocks: list[Block] = []
    for key, label in (("description", "meta description"), ("og:description", "og:description")):
        value = meta.get(key)
        if value and all(value != b.text for b in meta_blocks):
            meta_blocks.append(
                Block(text=value, tag="meta", heading=label, landmark="head", hints="meta", index=-2 + len(meta_blocks))
            )
    link_rels: list[tuple[str, str, str, str]] = []
    stylesheet_urls: list[str] = []
    for node in tree.css("link[rel][href]"):
        attrs = node.attributes
        rel = (attrs.get("rel") or "").lower().strip()
        href = urljoin(base, (attrs.get("href") or "").strip())
        link_rels.append((rel, href, (attrs.get("type") or "").lower(), (attrs.get("sizes") or "").lower()))
        if "stylesheet" in rel.split():
            stylesheet_urls.append(href)
    inline_styles = [n.text() or "" for n in tree.css("style")]
    json_ld_raw = [n.text() or "" for n in tree.css('script[type="application/ld+json"]')]
    script_count = len(tree.css("script"))
    noscript_text = normalise_ws(" ".join(n.text() or "" for n in tree.css("noscript")))
    has_app_root = False
    for selector in ("#root", "#app", "#__next", "#__nuxt", "[data-reactroot]", "app-root"):
        mount = tree.css_first(selector)
        if mount is not None and not normalise_ws(mount.text() or ""):
            has_app_root = True
            break

    blocks: list[Block] = []
    images: list[ImageRef] = []
    links: list[Link] = []
    style_attrs: list[tuple[str, str]] = []
    inline_svgs: list[tuple[str, str]] = []
    buttons: list[tuple[str, str]] = []

    def page_doc() -> PageDoc:
        # Reads the collections as they are when called: early for a page without <body>.
        return PageDoc(
            url,
            title,
            lang,
            blocks,
            images,
            links,
            meta,
            link_rels,
            inline_styles,
            stylesheet_urls,
            style_attrs,
            json_ld_raw,
            inline_svgs,
            buttons,
            script_count,
            has_app_root,
            noscript_text,
            len(html),
            meta_blocks=meta_blocks,
        )

    body = tree.body
    if body is None:
        return page_doc()

    buffer: list[str] = []
    block_tags: list[str] = ["body"]
    hint_stack: list[str] = []
    landmark_stack: list[str] = []
    link_stack: list[str] = []  # hrefs of the open <a> elements
    heading_stack: list[str] = []
    current_heading = ""

    link_chars = 0  # characters of the buffer that were inside <a>

    def flush() -> None:
        nonlocal current_heading, link_chars
        if not buffer:
            return
        raw = "".join(buffer)
        text = normalise_ws(raw)
        buffer.clear()
        linked = link_chars
        link_chars = 0
        if not text:
            return
        tag = block_tags[-1]
        if tag in HEADING_TAGS:
            current_heading = text
        blocks.append(
            Block(
                text=text,
                tag=tag,
                heading=current_heading,
                landmark=landmark_stack[-1] if landmark_stack else "",
                hints=" ".join(hint_stack[-8:]),
                index=len(blocks),
                in_link=linked >= 0.8 * len(text),
            )
        )

    # `traverse` yields nodes in document order (fast, in C); the elements still open are tracked
    # on `open_stack` by memory id, and an element is closed when the next node is not inside it.
    # Entry: (mem_id, tag, flags) with flags bit 1 block, 2 landmark, 4 section, 8 link, 16 skip,
    # 32 pushed a hint.
    open_stack: list[tuple[int, str, int]] = []
    skip_depth = 0

    def close(entry: tuple[int, str, int]) -> None:
        nonlocal current_heading, skip_depth
        flags = entry[2]
        if flags & 16:
            skip_depth -= 1
            return
        if flags & 8 and link_stack:
            link_stack.pop()
        if flags & 1:
            flush()
            block_tags.pop()
        if flags & 2 and landmark_stack:
            landmark_stack.pop()
        if flags & 4 and heading_stack:
            current_heading = heading_stack.pop()
        if flags & 32:
            hint_stack.pop()

    for node in body.traverse(include_text=True):
        tag = node.tag or ""
        if tag == "-text":
            chunk = node.text_content or ""
            if not chunk.strip():
                # Whitespace between elements: a space wherever it lands (normalisation folds it),
                # so half the nodes of typical markup skip the parent bookkeeping below.
                buffer.append(" ")
                continue
        elif tag.startswith("-"):
            continue
        if open_stack:
            parent = node.parent
            parent_id = parent.mem_id if parent is not None else -1
            while open_stack and open_stack[-1][0] != parent_id:
                close(open_stack.pop())
        if tag == "-text":
            if not skip_depth:
                buffer.append(chunk)
                if link_stack:
                    link_chars += len(chunk.strip())
            continue
        node_id = node.mem_id
        if skip_depth:
            open_stack.append((node_id, tag, 16))
            skip_depth += 1
            continue
        if tag in _PLAIN_INLINE:
            open_stack.append((node_id, tag, 0))
            continue
        if tag in SKIP_TAGS:
            if tag == "svg":
                hints = " ".join(hint_stack[-6:]) + " " + _hint_of(node)
                if len(inline_svgs) < 6 and ("logo" in hints or "brand" in hints or "header" in hints):
                    inline_svgs.append((hints, node.html or ""))
            open_stack.append((node_id, tag, 16))
            skip_depth += 1
            continue
        attrs = node.attributes
        if _is_hidden(attrs):
            open_stack.append((node_id, tag, 16))
            skip_depth += 1
            continue
        hint = _hint_of(node, attrs)
        if tag == "img":
            src = attrs.get("src") or attrs.get("data-src") or ""
            srcset = attrs.get("srcset") or attrs.get("data-srcset") or ""
            if not src and srcset:
                src = srcset.split(",")[0].strip().split(" ")[0]
            if src:
                images.append(
                    ImageRef(
                        src=absolute(src.strip()),
                        alt=normalise_ws(attrs.get("alt") or ""),
                        width=_int_attr(attrs.get("width")),
                        height=_int_attr(attrs.get("height")),
                        heading=current_heading,
                        landmark=landmark_stack[-1] if landmark_stack else "",
                        hints=" ".join(hint_stack[-8:]) + " " + hint,
                        block_index=len(blocks) + (1 if buffer and "".join(buffer).strip() else 0),
                        in_link_href=link_stack[-1] if link_stack else "",
                        srcset=srcset,
                    )
                )
            open_stack.append((node_id, tag, 0))
            continue
        if tag == "br":
            buffer.append(" ")
            open_stack.append((node_id, tag, 0))
            continue
        if tag == "input":
            if (attrs.get("type") or "").lower() in {"submit", "button"} and attrs.get("value"):
                buttons.append((normalise_ws(attrs.get("value") or ""), " ".join(hint_stack[-4:]) + " " + hint))
            open_stack.append((node_id, tag, 0))
            continue
        style = attrs.get("style")
        if style:
            style_attrs.append((hint, style))
        flags = 32
        if tag in BLOCK_TAGS:
            flush()
            block_tags.append(tag)
            flags |= 1
        # <header>/<footer> inside an article, section or blockquote are not page landmarks.
        is_landmark = tag in LANDMARK_TAGS and (
            tag not in {"header", "footer"} or not any(t in _SECTIONING for t in block_tags[:-1])
        )
        if is_landmark:
            landmark_stack.append(tag)
            flags |= 2
        if (tag in _SECTIONING and tag != "blockquote") or is_landmark:
            # Blocks in a new section sit under its own heading (or label), not the previous
            # section's; leaving it restores the outer heading.
            heading_stack.append(current_heading)
            current_heading = normalise_ws(attrs.get("aria-label") or "")
            flags |= 4
        hint_stack.append(hint)
        if tag == "a":
            href = (attrs.get("href") or "").strip()
            text = normalise_ws(node.text() or "")
            aria = normalise_ws(attrs.get("aria-label") or attrs.get("title") or "")
            if href and not href.startswith(("javascript:", "#", "mailto:", "tel:", "data:")):
                links.append(
                    Link(
                        url=absolute(href),
                        text=text or aria,
                        landmark=landmark_stack[-1] if landmark_stack else "",
                        hints=" ".join(hint_stack[-6:]),
                        rel=(attrs.get("rel") or "").lower(),
                        classes=tuple((attrs.get("class") or "").lower().split()),
                    )
                )
            link_stack.append(absolute(href) if href else "")
            flags |= 8
        if tag == "button" or (tag == "a" and _looks_like_button(hint)):
            text = normalise_ws(node.text() or "")
            if text:
                buttons.append((text, " ".join(hint_stack[-4:])))
        open_stack.append((node_id, tag, flags))
    while open_stack:
        close(open_stack.pop())
    flush()
    return page_doc()


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
