"""The page's language from its declarations (html lang, the Content-Language header, meta) and its
text, served by a real loopback HTTP server that sends the header."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandtruth.config import Settings
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.context import StageContext
from brandtruth.stages.extract import extract_brand
from brandtruth.stages.extract.language import page_language
from brandtruth.storage import ArtifactStore
from brandtruth.web.fetcher import Fetcher
from tests.support.site_server import Fault, serve_site

pytestmark = pytest.mark.timeout(90)

SHORT_SPANISH = "Taller Ruiz. Frenos y neumáticos en Sevilla. Pida cita hoy."
SPANISH = (
    "En nuestro taller cuidamos de su coche como si fuera el nuestro. Revisamos los frenos, el aceite y "
    "los neumáticos en una sola visita, sin cita previa y con presupuesto por escrito. Somos un equipo "
    "de mecánicos con más de veinte años en el barrio, y trabajamos con todas las marcas."
)
ENGLISH = (
    "We look after your car as if it were our own. We check the brakes, the oil and the tyres in one "
    "visit, with no appointment and a written quote. Our team of mechanics has worked in the area for "
    "twenty years, and we are happy to work on every make."
)


def _page(text: str, lang: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!doctype html><html{lang_attr}><head><title>Taller Ruiz</title></head><body>"
        f"<main><h1>Taller Ruiz</h1><p>{text}</p></main></body></html>"
    )


async def _language(tmp_path: Path, html: str, header: str | None) -> BrandProfile:
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text(html, encoding="utf-8")
    faults = {"/": Fault(headers={"Content-Language": header})} if header else {}
    with serve_site(site_dir, faults=faults) as site:
        settings = Settings(
            _env_file=None,
            BRANDTRUTH_ALLOWED_HOSTS=site.host_port,
            BRANDTRUTH_DATA_DIR=tmp_path / "data",
            BRANDTRUTH_FETCH_TIMEOUT=5.0,
            BRANDTRUTH_CRAWL_BUDGET=20.0,
        )
        async with Fetcher(settings, respect_robots=False) as fetcher:
            page = await fetcher.fetch_page(site.url("/"))
            assert page.content_language == (header or "")
        ctx = StageContext(run_id="lang", settings=settings, store=ArtifactStore(tmp_path / "artifacts"))
        return await extract_brand(site.url("/"), ctx)


async def test_header_decides_when_the_text_is_too_short_to_judge(tmp_path: Path) -> None:
    profile = await _language(tmp_path, _page(SHORT_SPANISH), "es-ES")
    assert profile.language == "es"


async def test_header_outvotes_a_theme_default_lang_the_text_does_not_support(tmp_path: Path) -> None:
    # A theme's default lang="en" on a Spanish page: the header and the text agree on Spanish.
    profile = await _language(tmp_path, _page(SPANISH, lang="en"), "es")
    assert profile.language == "es"


async def test_text_decides_when_it_clearly_disagrees_with_the_header(tmp_path: Path) -> None:
    # A server-wide "Content-Language: de" on an English page.
    profile = await _language(tmp_path, _page(ENGLISH), "de")
    assert profile.language == "en"


async def test_without_a_header_nothing_changes(tmp_path: Path) -> None:
    profile = await _language(tmp_path, _page(SHORT_SPANISH, lang="es"), None)
    assert profile.language == "es"


def test_declarations_are_votes_the_text_breaks() -> None:
    # lang and header disagree, the text is too short: the per-document lang wins.
    assert page_language("fr", "", "", "Bonjour.", header="de")[0] == "fr"
    # ...and with text, the declaration the text supports wins.
    assert page_language("en", "", "", SPANISH, header="es")[0] == "es"
    # A mixed page whose declared language has a fair share of the words keeps its declaration.
    mixed = SPANISH + " " + ENGLISH[: len(ENGLISH) // 2]
    assert page_language("es", "", "", mixed)[0] == "es"
    assert page_language("", "", "", "", header="pt-BR") == ("pt", "content-language header")
