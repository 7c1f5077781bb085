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


def text_language(text: str, min_hits: int = 6) -> str:
    """The language whose function words are most frequent in `text`, or "" when fewer than
    `min_hits` function words of any language were seen (too little text to judge)."""
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(text[:20_000].lower()):
        for lang, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= min_hits else ""


def declared_language(*values: str) -> str:
    """The primary subtag of the first declared language ("de-AT" → "de", "es_ES" → "es")."""
    for value in values:
        code = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0] if value else ""
        if 2 <= len(code) <= 3 and code.isalpha():
            return code
    return ""


def page_language(lang_attr: str, content_language: str, og_locale: str, text: str) -> tuple[str, str]:
    """(language code, how it was decided) for a page."""
    declared = declared_language(lang_attr, content_language, og_locale)
    seen = text_language(text)
    if seen and declared and seen != declared:
        return seen, f"text (the page declares {declared!r})"
    if declared:
        return declared, "html lang / content-language"
    if seen:
        return seen, "text"
    return "", ""
