"""The export ZIP: approved creatives plus manifest.csv/json, and its refusals."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from brandtruth.api.errors import Conflict
from brandtruth.api.ui.export import MANIFEST_FIELDS, ArtifactUnavailable, manifest_rows, write_export
from brandtruth.config import Settings
from brandtruth.models.creative import AdFormat
from brandtruth.models.pipeline import Stage
from brandtruth.pipeline.fallback_store import FallbackStore
from brandtruth.storage import ArtifactStore
from tests.api.conftest import serve_api
from tests.api.ui.factories import build_run
from tests.conftest import wait_for


def read_zip(data: bytes) -> tuple[list[str], list[dict[str, str]], dict[str, object], zipfile.ZipFile]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    rows = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8-sig"))))
    doc = json.loads(zf.read("manifest.json"))
    return names, rows, doc, zf


def test_zip_holds_every_approved_image_and_a_matching_manifest(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    run = build_run(store, stage=Stage.COMPLETED, approved=["v1", "v3"])
    target = tmp_path / "out.zip"
    write_export(run, store, target)

    names, rows, doc, zf = read_zip(target.read_bytes())
    images = sorted(n for n in names if n.startswith("images/"))
    assert images == [
        "images/v1-meta-square.png",
        "images/v1-meta-story.png",
        "images/v3-google_rsa-square.png",
        "images/v3-google_rsa-story.png",
    ]
    assert sorted(set(names) - set(images)) == ["manifest.csv", "manifest.json"]
    by_file = {(vr.variant.id, c.format.value): c for vr in run.variants for c in vr.creatives}
    for name in images:
        vid, _, fmt = name.removeprefix("images/").removesuffix(".png").split("-")
        assert zf.read(name) == store.read(by_file[(vid, fmt)].artifact), name

    with zf.open("manifest.csv") as fh:
        header = fh.read().decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(MANIFEST_FIELDS)
    assert [(r["variant_id"], r["platform"], r["format"]) for r in rows] == [
        ("v1", "meta", "square"),
        ("v1", "meta", "story"),
        ("v3", "google_rsa", "square"),
        ("v3", "google_rsa", "story"),
    ]
    first = rows[0]
    assert first["file"] == "images/v1-meta-square.png"
    assert first["headline"] == "Headline v1"
    assert first["primary_text"] == "Trusted by 12,000 teams. Primary v1."
    assert first["description"] == "Description v1"
    assert first["cta"] == "Learn More"
    assert first["destination_url"] == "https://brand.example/"
    assert (first["width"], first["height"]) == ("1080", "1080")
    # Each image carries its own format's score (v1: 65 for square, 66 for story).
    assert [r["score"] for r in rows] == ["65.0", "66.0", "75.0", "76.0"]
    rsa = rows[2]
    assert rsa["extra_headlines"] == "H0 v3 | H1 v3 | H2 v3"
    assert rsa["display_path"] == "reports"

    assert doc["workflow_id"] == run.workflow_id
    assert doc["brand_name"] == "Clear & Bright"
    assert doc["approved_ids"] == ["v1", "v3"] and doc["rejected_ids"] == ["v2"]
    assert doc["comment"] == "ship it"
    creatives = doc["creatives"]
    assert isinstance(creatives, list)
    assert [c["file"] for c in creatives] == [r["file"] for r in rows]
    assert creatives[2]["extra_headlines"] == ["H0 v3", "H1 v3", "H2 v3"]
    assert creatives[0]["score"] == 65.0


def test_no_decision_is_a_conflict(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    run = build_run(store)
    with pytest.raises(Conflict, match="no decision"):
        write_export(run, store, tmp_path / "out.zip")
    with pytest.raises(Conflict):
        manifest_rows(run)


def test_everything_rejected_is_a_conflict(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    run = build_run(store, stage=Stage.COMPLETED, approved=[])
    assert manifest_rows(run) == []
    with pytest.raises(Conflict, match="nothing to export"):
        write_export(run, store, tmp_path / "out.zip")


def test_spreadsheet_formulas_in_site_text_are_neutralised_in_the_csv_only(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    texts = {
        "v1": {
            "headline": '=HYPERLINK("http://evil.example","click")',
            "primary_text": "+50% faster reports",
            "description": "-2+3+cmd|' /C calc'!A0",
            "cta": "@SUM(A1)",
        }
    }
    run = build_run(store, stage=Stage.COMPLETED, approved=["v1"], texts=texts, formats=(AdFormat.SQUARE,))
    target = tmp_path / "out.zip"
    write_export(run, store, target)
    _, rows, doc, _ = read_zip(target.read_bytes())
    row = rows[0]
    assert row["headline"] == "'" + texts["v1"]["headline"]
    assert row["primary_text"] == "'+50% faster reports"
    assert row["description"] == "'-2+3+cmd|' /C calc'!A0"  # starts like a number, runs a command
    assert row["cta"] == "'@SUM(A1)"
    creatives = doc["creatives"]
    assert isinstance(creatives, list)
    assert creatives[0]["headline"] == texts["v1"]["headline"]  # JSON keeps the raw text


def test_a_formula_that_starts_with_a_sign_is_neutralised(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    texts = {"v1": {"headline": "-cmd|' /C calc'!A0", "description": "+SUM(1,2)"}}
    run = build_run(store, stage=Stage.COMPLETED, approved=["v1"], texts=texts, formats=(AdFormat.SQUARE,))
    write_export(run, store, tmp_path / "out.zip")
    _, rows, _, _ = read_zip((tmp_path / "out.zip").read_bytes())
    assert rows[0]["headline"] == "'-cmd|' /C calc'!A0"
    assert rows[0]["description"] == "'+SUM(1,2)"


@pytest.mark.parametrize(
    ("text", "csv_cell"),
    [
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-1-1", "'-1-1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("@A1", "'@A1"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("Save 20% today", "Save 20% today"),
    ],
)
def test_every_formula_start_is_neutralised_and_plain_numbers_are_kept(
    tmp_path: Path, text: str, csv_cell: str
) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    texts = {"v1": {"headline": text}}
    run = build_run(store, stage=Stage.COMPLETED, approved=["v1"], texts=texts, formats=(AdFormat.SQUARE,))
    write_export(run, store, tmp_path / "out.zip")
    _, rows, _, _ = read_zip((tmp_path / "out.zip").read_bytes())
    assert rows[0]["headline"] == csv_cell


def test_an_altered_or_missing_image_is_refused(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    run = build_run(store, stage=Stage.COMPLETED, approved=["v2"])
    square = run.variants[1].creatives[0].artifact
    store.path_of(square).write_bytes(b"not the composed image")
    with pytest.raises(ArtifactUnavailable, match="changed on disk"):
        write_export(run, store, tmp_path / "a.zip")
    store.path_of(square).unlink()
    with pytest.raises(ArtifactUnavailable, match="missing"):
        write_export(run, store, tmp_path / "b.zip")


def leftover_exports() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("brandtruth-export-*")}


async def _seeded(make_settings: Callable[..., Settings], tmp_path: Path, **extra: object) -> tuple[Settings, str]:
    settings = make_settings(**extra)
    run = build_run(ArtifactStore(settings.artifacts_dir))
    store = FallbackStore(settings.fallback_db)
    try:
        await store.save(run)
    finally:
        store.close()
    return settings, run.workflow_id


async def test_export_route_409_before_the_decision_then_the_zip(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings, wid = await _seeded(make_settings, tmp_path)
    before = leftover_exports()
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        early = await http.get(f"/workflow/export/{wid}.zip")
        assert early.status_code == 409
        assert early.headers["content-type"].startswith("application/json")
        assert early.json()["error"] == "conflict"

        missing = await http.get("/workflow/export/pipeline-ffffffffffff.zip")
        assert missing.status_code == 404

        approved = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v2", "v1"]})
        assert approved.status_code == 200, approved.text

        done = await http.get(f"/workflow/export/{wid}.zip")
        assert done.status_code == 200, done.text
        assert done.headers["content-type"] == "application/zip"
        assert f'filename="clear-bright-{wid}.zip"' in done.headers["content-disposition"]
        _, rows, doc, _ = read_zip(done.content)
        assert {r["variant_id"] for r in rows} == {"v1", "v2"}
        assert doc["approved_ids"] == ["v1", "v2"]
        # The temporary ZIP is deleted once the response has been sent (just after the client has it).
        await wait_for(lambda: leftover_exports() == before, timeout=5)


async def test_export_route_needs_the_api_key(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    settings, wid = await _seeded(make_settings, tmp_path, BRANDTRUTH_API_KEY="s3cret-key")
    async with serve_api(settings) as api, httpx.AsyncClient(base_url=api, timeout=30) as http:
        auth = {"Authorization": "Bearer s3cret-key"}
        ok = await http.post(f"/workflow/approve/{wid}", json={"variant_ids": ["v3"]}, headers=auth)
        assert ok.status_code == 200, ok.text
        assert (await http.get(f"/workflow/export/{wid}.zip")).status_code == 401
        assert (await http.get(f"/workflow/export/{wid}.zip?access_token=wrong")).status_code == 401
        with_header = await http.get(f"/workflow/export/{wid}.zip", headers=auth)
        assert with_header.status_code == 200
        assert with_header.headers["cache-control"] == "no-store"
        # The key never travels in a URL: refused even when it is right.
        assert (await http.get(f"/workflow/export/{wid}.zip?access_token=s3cret-key")).status_code == 401
        # A browser signs in once; its session cookie authorises the download link.
        signed = await http.post("/workflow/session", json={"key": "s3cret-key"})
        assert signed.status_code == 204
        with_cookie = await http.get(f"/workflow/export/{wid}.zip")
        assert with_cookie.status_code == 200
        assert with_cookie.content == with_header.content
