"""Site chrome is found by structure: each kind of chrome, in small pages of the shape real sites
use, marks its text and actions, and leaves the content alone."""

from __future__ import annotations

import pytest

from brandtruth.models.brand import FieldSource
from brandtruth.stages.extract import chrome
from brandtruth.stages.extract.actions import primary_action, site_ctas
from brandtruth.stages.extract.brand_name import choose_brand_name, usable_name
from brandtruth.stages.extract.language import page_language, text_language
from brandtruth.stages.extract.page import parse_page
from brandtruth.stages.extract.structured import extract_structured

URL = "https://brand.example/blog/some-post"


def kinds(html: str) -> dict[str, str]:
    doc = parse_page(f"<html><body>{html}</body></html>", URL)
    return {b.text: b.chrome for b in doc.blocks}


def action_kinds(html: str) -> dict[str, str]:
    doc = parse_page(f"<html><body>{html}</body></html>", URL)
    return {a.text: a.chrome for a in doc.actions}


@pytest.mark.parametrize(
    ("html", "text", "kind"),
    [
        ('<div id="onetrust-banner-sdk"><p>We use cookies.</p></div>', "We use cookies.", chrome.CONSENT),
        ('<div role="dialog" aria-label="x"><p>Pick a plan</p></div>', "Pick a plan", chrome.DIALOG),
        ("<nav><ul><li><a href='/a'>Pricing</a></li></ul></nav>", "Pricing", chrome.NAVIGATION),
        ('<form role="search"><label>Suchen nach</label><input type="search"></form>', "Suchen nach", chrome.SEARCH),
        (
            '<div id="respond"><h3 id="reply-title">Deja una respuesta</h3><form><textarea name="comment"></textarea>'
            "</form></div>",
            "Deja una respuesta",
            chrome.COMMENTS,
        ),
        (
            '<section><h2>Schreiben Sie uns</h2><form><textarea name="msg"></textarea></form></section>',
            "Schreiben Sie uns",
            chrome.CONTACT_FORM,
        ),
        ('<div class="sharedaddy"><h3>Share this:</h3></div>', "Share this:", chrome.SHARE),
        ('<nav class="breadcrumb"><a href="/">Home</a></nav>', "Home", chrome.BREADCRUMB),
        ('<a class="skip-link" href="#c">Skip to content</a>', "Skip to content", chrome.SCREEN_READER),
        ('<ul class="language-switcher"><li><a href="/de/">Deutsch</a></li></ul>', "Deutsch", chrome.LANGUAGE),
        ("<footer><p>© 2026 Brand</p></footer>", "© 2026 Brand", chrome.FOOTER),
        ('<aside class="widget-area"><h2>Recent Posts</h2></aside>', "Recent Posts", chrome.SIDEBAR),
    ],
)
def test_chrome_kinds(html: str, text: str, kind: str) -> None:
    assert kinds(html)[text] == kind


def test_content_stays_content() -> None:
    found = kinds(
        "<main><section class='menu'><h2>Our lunch menu</h2><p>Soup of the day and fresh bread.</p></section>"
        "<article><h1>How we roast</h1><p>Small batches, every Monday.</p><footer><p>By Ana</p></footer></article>"
        "</main>"
    )
    assert found["Our lunch menu"] == "" and found["Soup of the day and fresh bread."] == ""
    assert found["Small batches, every Monday."] == ""
    # A footer inside an article is the article's, not the page's footer.
    assert found["By Ana"] == ""


@pytest.mark.parametrize(
    ("cls", "text"),
    [
        ("trusted-by", "Trusted by 2,000 clinics"),
        ("trustees", "Our trustees meet every quarter."),
        ("research-papers", "Read our research on sleep."),
        ("shareholder-letter", "A letter to our shareholders."),
        ("cookie-recipes", "Brown butter cookies, baked daily."),
        ("menu-main-courses", "Slow-braised lamb with rosemary."),
    ],
)
def test_content_whose_class_names_contain_a_chrome_word_stays_content(cls: str, text: str) -> None:
    # Cues are whole class-name words: "trusted-by" is not TRUSTe, "research" is not search.
    assert kinds(f"<main><section class='{cls}'><p>{text}</p></section></main>")[text] == ""


@pytest.mark.parametrize(
    ("cls", "kind"),
    [
        ("cookie-law-info-bar", chrome.CONSENT),
        ("cookieconsent", chrome.CONSENT),
        ("truste-consent-track", chrome.CONSENT),
        ("sharedaddy", chrome.SHARE),
        ("share-buttons", chrome.SHARE),
        ("searchform", chrome.SEARCH),
        ("menu-primary-menu-container", chrome.NAVIGATION),
    ],
)
def test_plugin_and_theme_class_names_still_mark_chrome(cls: str, kind: str) -> None:
    assert kinds(f"<div class='{cls}'><p>Some words here.</p></div>")["Some words here."] == kind


def test_controls_are_not_actions() -> None:
    found = action_kinds(
        "<header><button aria-expanded='false' aria-controls='m'>Menu</button></header>"
        "<main><div class='carousel'><button class='dot'>3</button></div>"
        "<div class='video-player'><button class='play'>Play Video</button></div>"
        "<form class='newsletter'><input type='email' name='email'><button>Subscribe</button></form>"
        "<form action='/wp-comments-post.php'><textarea name='comment'></textarea>"
        "<input type='submit' value='Post Comment'></form>"
        "<a class='btn' href='https://twitter.com/intent/tweet?url=x'>Tweet</a>"
        "<a class='btn' href='/account/login'>Login</a>"
        "<a class='btn btn-primary' href='/signup'>Start free trial</a></main>"
    )
    assert found["Menu"] == chrome.CONTROL
    assert found["3"] == chrome.CONTROL
    assert found["Play Video"] == chrome.MEDIA
    assert found["Subscribe"] == chrome.NEWSLETTER
    assert found["Post Comment"] == chrome.COMMENTS
    assert found["Tweet"] == chrome.SHARE
    assert found["Login"] == chrome.ACCOUNT
    assert found["Start free trial"] == ""


def test_main_action_is_the_heros_not_the_menus() -> None:
    html = """<html><body><header><nav><a class="btn" href="/login">Sign in</a>
    <a class="btn" href="/newsletter">Subscribe Now</a>
    <a class="btn btn-primary" href="/demo">Book a demo</a></nav></header>
    <div class="cookie-banner"><button>Accept all</button></div>
    <main><h1>Payroll in ten minutes</h1><p>Run payroll for 50 people before lunch.</p>
    <form action="/signup"><input type="email" name="work_email"><button type="submit">Get started</button></form>
    </main></body></html>"""
    doc = parse_page(html, "https://payroll.example/")
    assert primary_action(doc) == "Get started"
    ctas = site_ctas([doc])
    assert ctas[0] == "Get started" and "Accept all" not in ctas and "Sign in" not in ctas
    assert "Book a demo" in ctas  # the menu's highlighted button is still one of the brand's actions
    assert "Subscribe Now" not in ctas


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Wir backen jeden Morgen frisches Brot für die ganze Nachbarschaft und liefern es auch zu Ihnen.", "de"),
        ("Nous préparons chaque matin du pain frais pour tout le quartier et nous le livrons aussi chez vous.", "fr"),
        ("Preparamos cada mañana pan fresco para todo el barrio y también lo llevamos a su casa con cuidado.", "es"),
        ("We bake fresh bread every morning for the whole neighbourhood and we deliver it to your door too.", "en"),
        ("Prepariamo ogni mattina il pane fresco per tutto il quartiere e lo portiamo anche a casa.", "it"),
        ("Wij bakken elke ochtend vers brood voor de hele buurt en we brengen het ook bij u aan de deur.", "nl"),
        ("Preparamos todas as manhãs pão fresco para o bairro e também levamos até a sua casa.", "pt"),
    ],
)
def test_language_from_text(text: str, lang: str) -> None:
    assert text_language(text * 2) == lang


def test_declared_language_checked_against_text() -> None:
    spanish = "Preparamos cada mañana pan fresco para todo el barrio y también lo llevamos a su casa. " * 3
    assert page_language("en-US", "", "", spanish)[0] == "es"  # a theme's default lang attribute
    assert page_language("de-AT", "", "", "Kurz.") == ("de", "html lang / content-language")
    assert page_language("", "", "fr_FR", "")[0] == "fr"


def test_brand_name_is_never_a_file_name_or_an_article_title() -> None:
    assert usable_name("audiense_logotype_black") == ""
    assert usable_name("logo-header.png") == ""
    assert usable_name("Acme logo") == "Acme"
    warnings: list[str] = []
    post = parse_page(
        "<html><head><title>awk driven IoT</title></head><body><header>"
        "<a href='/'><img src='/img/site_logo_v2.png' alt='site_logo_v2'></a></header>"
        "<main><h1>awk driven IoT</h1></main></body></html>",
        "https://blog.tinkerworks.example/posts/awk-iot",
    )
    name = choose_brand_name([post], [extract_structured("", "")], {}, warnings)
    assert name == "Blog"  # the domain's first label, never the post title or the logo's file name
    assert any("taken from the domain" in w for w in warnings)
    logo = parse_page(
        "<html><head><title>Our story</title></head><body><header>"
        "<a href='/' class='site-logo' aria-label='Tinkerworks'><svg></svg></a></header></body></html>",
        "https://tinkerworks.example/about",
    )
    sources: dict[str, FieldSource] = {}
    assert choose_brand_name([logo], [extract_structured("", "")], sources) == "Tinkerworks"
    assert sources["brand_name"].source == "header logo's accessible name"
