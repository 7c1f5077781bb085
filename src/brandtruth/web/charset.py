"""Turning an HTML response body into text: which charset, and where that answer came from.

Order (the HTML standard's, minus the parts that need a full tokenizer): a byte-order mark, then
the `Content-Type` header's charset, then a `<meta charset>` / `<meta http-equiv>` declaration in
the first 4 KB, then UTF-8 if the bytes are valid UTF-8, then statistical detection
(charset-normalizer). Labels are mapped the
WHATWG way (`iso-8859-1`, `latin1` and `ascii` mean windows-1252), because that is how browsers
render such pages and therefore what the brand actually sees on screen.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.IGNORECASE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
}


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for an HTML charset label, or None if the label is unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _WHATWG_ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header value, as given."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def meta_charset(body: bytes) -> str | None:
    """The charset a `<meta>` tag in the first 4 KB declares, as given."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str, str]:
    """Decode an HTML body: returns (text, codec name, source) where source is one of
    `bom`, `header`, `meta`, `detected` or `default`. Undecodable bytes become U+FFFD."""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace"), bom_codec, "bom"
    candidates = (("header", header_charset(content_type)), ("meta", meta_charset(body)))
    for source, label in candidates:
        declared = normalise_charset(label)
        if declared is not None:
            # A page declared utf-16 in a <meta> is really ASCII-compatible (the meta was readable).
            if source == "meta" and declared.startswith("utf-16"):
                declared = "utf-8"
            return body.decode(declared, errors="replace"), declared, source
    try:
        return body.decode("utf-8"), "utf-8", "default"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body[:262_144]).best()
    codec = normalise_charset(best.encoding if best is not None else None) or "utf-8"
    return body.decode(codec, errors="replace"), codec, "detected"
