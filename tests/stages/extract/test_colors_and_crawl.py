"""Palette roles from CSS signals, colour maths, and which links the crawl follows."""

from __future__ import annotations

import pytest

from brandtruth.stages.extract.colors import delta_e, fonts, palette, parse_color, parse_css
from brandtruth.stages.extract.crawl import canonical, choose_links
from brandtruth.stages.extract.page import Link


@pytest.mark.parametrize(
    ("value", "rgb"),
    [
        ("#0E7C66", (14, 124, 102)),
        ("#fff", (255, 255, 255)),
        ("rgb(14, 124, 102)", (14, 124, 102)),
        ("rgb(14 124 102 / 90%)", (14, 124, 102)),
        ("hsl(0, 100%, 50%)", (255, 0, 0)),
        ("rebeccapurple", (102, 51, 153)),
        ("transparent", None),
        ("#00000010", None),
        ("rgba(0,0,0,0.1)", None),
    ],
)
def test_parse_color(value: str, rgb: tuple[int, int, int] | None) -> None:
    assert parse_color(value) == rgb


def test_delta_e() -> None:
    assert delta_e("#0e7c66", "#0e7c66") == 0
    assert delta_e("#0e7c66", "#0f7d67") < 2
    assert delta_e("#ffffff", "#000000") > 99


CSS = """
:root { --brand-primary: #5b3df5; --brand-secondary: #14b8a6; --brand-accent: #ffb020;
        --brand-ink: #1e1b4b; --brand-surface: #f6f5ff; --font-sans: "Inter", "Roboto", system-ui, sans-serif; }
body { font-family: var(--font-sans); color: var(--brand-ink); }
.hero { background: var(--brand-surface); }
.btn-primary { background-color: var(--brand-primary); color: #fff; }
.btn-primary:hover { background-color: #3b1fd0; }
"""


def test_palette_from_design_tokens() -> None:
    colors = {c.role: c for c in palette(parse_css([CSS]), None, [])}
    assert colors["primary"].hex == "#5b3df5" and "token" in colors["primary"].source
    assert colors["secondary"].hex == "#14b8a6"
    assert colors["accent"].hex == "#ffb020"
    assert colors["background"].hex == "#f6f5ff"
    assert colors["text"].hex == "#1e1b4b"
    assert fonts(parse_css([CSS]), []) == ["Inter", "Roboto"]


def test_palette_from_buttons_and_theme_color_without_tokens() -> None:
    css = parse_css(["a.shop { background-color: #b4532a } body { background: #f3ead8; color: #2f3a33 }"])
    colors = {c.role: c.hex for c in palette(css, "#3f6b4f", [((63, 107, 79), 0.6)])}
    assert colors == {"primary": "#3f6b4f", "secondary": "#b4532a", "background": "#f3ead8", "text": "#2f3a33"}


def test_palette_defaults_when_the_site_says_nothing() -> None:
    colors = {c.role: (c.hex, c.source) for c in palette(parse_css([]), None, [])}
    assert colors == {"background": ("#ffffff", "default"), "text": ("#111111", "default")}


def test_google_fonts_link() -> None:
    assert fonts(parse_css([]), ["https://fonts.googleapis.com/css2?family=Roboto+Slab:wght@400&family=Lato"]) == [
        "Roboto Slab",
        "Lato",
    ]


def _link(url: str, text: str, landmark: str = "nav") -> Link:
    return Link(url=url, text=text, landmark=landmark, hints="")


def test_choose_links_prefers_topics_and_stays_on_site() -> None:
    start = "https://brand.example/"
    links = [
        _link("https://brand.example/", "Home"),
        _link("https://brand.example/blog/post-1", "Our blog"),
        _link("https://brand.example/pricing#plans", "Pricing"),
        _link("https://brand.example/pricing", "See plans", "main"),
        _link("https://www.brand.example/about-us", "About"),
        _link("https://other.example/features", "Features"),
        _link("https://brand.example/brochure.pdf", "Product brochure"),
        _link("https://brand.example/login", "Log in"),
        _link("https://brand.example/features", "Features"),
        _link("https://brand.example/reviews", "What people say", "main"),
        _link("https://brand.example/faq", "FAQ", "footer"),
        _link("https://brand.example/customers", "Customers"),
        _link("https://brand.example/ueber-uns", "Über uns"),
    ]
    chosen = choose_links(start, links, 5)
    assert chosen == [
        "https://www.brand.example/about-us",
        "https://brand.example/features",
        "https://brand.example/pricing",
        "https://brand.example/customers",
        "https://brand.example/reviews",
    ]
    assert choose_links(start, links, 0) == []
    assert len(choose_links(start, links, 20)) == 7


def test_canonical() -> None:
    assert canonical("HTTPS://Brand.Example#top") == "https://brand.example/"
    assert canonical("https://brand.example/a?b=1#c") == "https://brand.example/a?b=1"
