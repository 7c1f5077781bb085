"""The language a page is written in: from its markup when it says so, from its words when not.

`<html lang>` and `Content-Language` are often missing or wrong (a theme's default "en-US" on a
Spanish shop), so the declared language is checked against the text: the share of each
language's most frequent function words among the page's words. The text wins when it clearly
disagrees with the declaration; a declaration wins over too little text to judge.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent function words of each language (articles, pronouns, prepositions,
# conjunctions, auxiliaries): a few hundred words of prose contain dozens of them.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to in is for with you your our we are that this it on at from by be as or an "
        "will can more all have not has their they us"
    ),
    "de": _words(
        "der die das und ist für mit sie ihr ihre wir unser unsere den dem des ein eine einen "
        "nicht auf im bei von zu zum zur auch sich sind wird oder aus nach über noch"
    ),
    "fr": _words(
        "le la les et est pour avec vous votre vos nous notre nos des un une du de dans sur par "
        "pas qui que en au aux ce cette sont plus ou"
    ),
    "es": _words(
        "el la los las y es para con usted su sus nosotros nuestro nuestra nuestros del un una de "
        "en por que se al lo más o como sin está son tu"
    ),
    "it": _words(
        "il lo la gli le e è per con voi vostro nostro nostra del della dei delle un una di in da "
        "che non si al alla più o come sono anche"
    ),
    "nl": _words(
        "de het een en is voor met u uw jij je wij we ons onze van in op te dat die niet ook bij "
        "aan of naar zijn wordt meer"
    ),
    "pt": _words(
        "o a os as e é para com você seu sua seus nós nosso nossa do da dos das um uma de em por "
        "que não se ao mais ou como são também"
    ),
}
LANGUAGES = tuple(_FUNCTION_WORDS)
_WORD = re.compile(r"[^\W\d_]+")


def _counts(text: str) -> dict[str, int]:
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(text[:20_000].lower()):
        for lang, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[lang] += 1
    return counts


def text_language(text: str, min_hits: int = 6) -> str:
    """The language whose function words are most frequent in `text`, or "" when fewer than
    `min_hits` function words of any language were seen (too little text to judge)."""
    counts = _counts(text)
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= min_hits else ""


def declared_language(*values: str) -> str:
    """The primary subtag of the first declared language ("de-AT" → "de", "es_ES" → "es")."""
    for value in values:
        code = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0] if value else ""
        if 2 <= len(code) <= 3 and code.isalpha():
            return code
    return ""


# The text overrules a declaration only when it is clearly another language: its function words
# outnumber the declared language's this many times (a bilingual page, an English product name
# list on a German shop, keep their declaration).
_CLEARLY = 2


def page_language(
    lang_attr: str, content_language: str, og_locale: str, text: str, header: str = ""
) -> tuple[str, str]:
    """(language code, how it was decided) for a page.

    The declarations are signals: `<html lang>`, the `Content-Language` response `header`, the
    `<meta http-equiv="content-language">` value and `og:locale`. When they disagree, the one the
    text supports best wins (markup order on a tie: a per-document `lang` before a server-wide
    header); the text itself wins when it clearly reads as another language than that.
    """
    declared = [
        (code, how)
        for value, how in (
            (lang_attr, "html lang / content-language"),
            (header, "content-language header"),
            (content_language, "html lang / content-language"),
            (og_locale, "og:locale"),
        )
        if (code := declared_language(value))
    ]
    counts = _counts(text)
    best = max(counts, key=lambda k: counts[k])
    seen = best if counts[best] >= 6 else ""
    if declared:
        code, how = max(declared, key=lambda d: counts.get(d[0], 0))
        if seen and seen != code and counts[seen] >= _CLEARLY * max(1, counts.get(code, 0)):
            return seen, f"text (the page declares {code!r})"
        others = {c for c, _ in declared if c != code}
        if others:
            how = f"{how}, matching the text over {', '.join(sorted(others))!r}"
        return code, how
    if seen:
        return seen, "text"
    return "", ""
