"""The page's text: one definition, and every quote cut from it is verbatim."""

from __future__ import annotations

import html as html_lib

from hypothesis import given, settings
from hypothesis import strategies as st

from brandtruth.stages.extract.page import normalise_ws, parse_page, sentences


def test_blocks_inline_and_hidden_content() -> None:
    doc = parse_page(
        """<html><head><title> The  Brand </title><meta name="description" content="We  make tea.">
        <style>p{color:red}</style></head><body>
        <header><nav><a href="/about">About</a></nav></header>
        <main><h1>Save <b>40%</b>&nbsp;today</h1><p>Brand<em>Truth</em> is
        here.<script>var x = "not text";</script></p><p hidden>secret</p><div style="display:none">gone</div>
        <noscript>enable js</noscript><svg><text>icon</text></svg><p>Line<br>break</p></main>
        <footer><p>© 2026 Brand</p></footer></body></html>""",
        "https://brand.example/",
    )
    texts = [b.text for b in doc.blocks]
    assert texts == ["About", "Save 40% today", "BrandTruth is here.", "Line break", "© 2026 Brand"]
    assert [b.landmark for b in doc.blocks] == ["nav", "main", "main", "main", "footer"]
    assert doc.blocks[2].heading == "Save 40% today"
    assert doc.title == "The Brand"
    assert doc.text == "We make tea. " + " ".join(texts)
    assert "secret" not in doc.text and "not text" not in doc.text and "icon" not in doc.text


def test_links_images_and_buttons() -> None:
    doc = parse_page(
        """<body><header><a class="brand" href="/"><img class="logo" src="/logo.svg" alt="Acme logo"></a></header>
        <section class="hero"><h1>Acme</h1><img src="hero.jpg" width="1200" height="800" alt="Hero">
        <a class="btn btn-primary" href="/signup">Start free</a><button>Book a demo</button></section>
        <a href="mailto:x@y.z">Mail</a><a href="javascript:void(0)">JS</a></body>""",
        "https://acme.example/dir/page.html",
    )
    assert [link.url for link in doc.links] == ["https://acme.example/", "https://acme.example/signup"]
    assert doc.links[1].classes == ("btn", "btn-primary")
    assert [i.src for i in doc.images] == ["https://acme.example/logo.svg", "https://acme.example/dir/hero.jpg"]
    assert doc.images[1].width == 1200 and "hero" in doc.images[1].hints
    assert [b[0] for b in doc.buttons] == ["Start free", "Book a demo"]


def test_sentences_keep_numbers_and_abbreviations() -> None:
    text = "Rated 4.8 out of 5 by 1,200 teams. Founded by Acme Inc. in 2019! Is it good? “Yes.” Next"
    assert sentences(text) == [
        "Rated 4.8 out of 5 by 1,200 teams.",
        "Founded by Acme Inc. in 2019!",
        "Is it good?",
        "“Yes.”",
        "Next",
    ]


_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)
_TAGS = st.sampled_from(["p", "li", "h2", "div", "span", "b", "a", "blockquote", "td"])


@st.composite
def _fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        tag = draw(_TAGS)
        words = " ".join(html_lib.escape(w) for w in draw(st.lists(_WORDS, min_size=1, max_size=6)))
        parts.append(f"<{tag}>{words}</{tag}>" if tag not in {"li", "td"} else f"<ul><{tag}>{words}</{tag}></ul>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


@settings(max_examples=60, deadline=None)
@given(_fragments())
def test_every_sentence_of_every_block_is_in_the_page_text(markup: str) -> None:
    doc = parse_page(markup, "https://x.example/")
    for block in doc.blocks:
        assert block.text == normalise_ws(block.text) and block.text
        assert block.text in doc.text
        for sentence in sentences(block.text):
            assert sentence in doc.text
