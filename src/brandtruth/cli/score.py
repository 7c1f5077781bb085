"""`brandtruth score`: score any creative file, one at a time or a JSONL batch.

    brandtruth score ad.png --headline "…" --cta "Shop now" [--profile profile.json | --brand-url URL] [--json]
    brandtruth score --batch ads.jsonl --json

A batch line is a JSON object: `image` (path, relative to the batch file's folder), and
optionally `headline`, `primary_text`, `description`, `cta`, `platform`, `profile` (path to a
brand profile JSON). Each line gets one JSON result line, in order; a line that cannot be scored
gets `{"line": n, "error": …, "detail": …}` and the batch goes on. Exit codes: 0 all scored,
1 some batch line failed, 2 a single image (or its options) could not be scored.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from brandtruth.config import Settings, get_settings
from brandtruth.errors import BadInputError
from brandtruth.models.brand import BrandProfile
from brandtruth.models.score import ImageScore
from brandtruth.platforms import parse_platform

BATCH_WORKERS = 2
RESULT_FIELDS = ("score", "tier", "band", "model", "factors", "policy_failures", "fixes", "found_by", "format")


@dataclass(frozen=True)
class Job:
    line: int
    image: Path | None
    copy: dict[str, str]
    platform: str
    profile: Path | None
    error: str | None = None


_profiles: dict[Path, BrandProfile] = {}


def load_profile(path: Path) -> BrandProfile:
    key = path.resolve()
    if key not in _profiles:
        try:
            _profiles[key] = BrandProfile.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            raise BadInputError(f"profile {path} does not exist") from None
        except (OSError, ValueError) as exc:
            first = str(exc).splitlines()[0][:200]
            raise BadInputError(f"profile {path} is not a brand profile JSON ({first})") from None
    return _profiles[key]


def score_one(
    image: Path,
    copy: dict[str, str],
    platform: str,
    profile: BrandProfile | None,
    settings: Settings,
    search: list[Path],
) -> ImageScore:
    """Decode, find, measure and score one file (blocking)."""
    from brandtruth.stages.score.image_score import AdCopy, BrandContext, open_image, score_image
    from brandtruth.stages.score.model import load_active_model

    ad = AdCopy(
        headline=copy.get("headline", ""),
        primary_text=copy.get("primary_text", ""),
        description=copy.get("description", ""),
        cta=copy.get("cta", ""),
        platform=parse_platform(platform),
    )
    brand = BrandContext.from_profile(profile, search) if profile is not None else BrandContext()
    pixels = open_image(image)
    return score_image(pixels, load_active_model(settings), copy=ad, brand=brand).score


def result_json(score: ImageScore) -> dict[str, Any]:
    data = score.model_dump(mode="json")
    return {k: data[k] for k in RESULT_FIELDS} | {"elements": data["elements"], "size": [score.width, score.height]}


def _jobs(path: Path) -> Iterator[Job]:
    base = path.parent
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield Job(n, None, {}, "meta", None, f"line is not JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("image"), str) or not obj["image"].strip():
                yield Job(n, None, {}, "meta", None, "line needs an 'image' path")
                continue
            texts = {
                k: obj[k] for k in ("headline", "primary_text", "description", "cta") if isinstance(obj.get(k), str)
            }
            prof = obj.get("profile")
            yield Job(
                n,
                base / obj["image"],
                texts,
                str(obj.get("platform") or "meta"),
                base / prof if isinstance(prof, str) and prof else None,
            )


def _run_job(job: Job, settings: Settings) -> dict[str, Any]:
    where: dict[str, Any] = {"line": job.line}
    if job.image is not None:
        where["image"] = str(job.image)
    if job.error is not None:
        return where | {"error": "invalid_line", "detail": job.error}
    assert job.image is not None
    try:
        profile = load_profile(job.profile) if job.profile is not None else None
        search = [job.profile.parent, settings.artifacts_dir] if job.profile is not None else [settings.artifacts_dir]
        score = score_one(job.image, job.copy, job.platform, profile, settings, search)
    except BadInputError as exc:
        return where | {"error": "bad_input", "detail": exc.message}
    except Exception as exc:  # one bad line must not end the batch
        return where | {"error": "internal_error", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    return where | result_json(score)


def run_batch(path: Path, settings: Settings, as_json: bool) -> int:
    """Score every line of a JSONL file, printing one result line per input line, in order."""
    failed = 0
    with ThreadPoolExecutor(max_workers=BATCH_WORKERS) as pool:
        for result in pool.map(lambda j: _run_job(j, settings), _jobs(path)):
            failed += "error" in result
            if as_json:
                typer.echo(json.dumps(result, ensure_ascii=False))
            elif "error" in result:
                typer.echo(f"line {result['line']}: error: {result['detail']}")
            else:
                typer.echo(f"line {result['line']}: {result['score']:.1f} {result['tier']}  {result.get('image', '')}")
    sys.stdout.flush()
    return 1 if failed else 0


def _print_human(score: ImageScore) -> None:
    low, high = score.band
    typer.echo(
        f"Score {score.score:.1f} / 100  ({score.tier.value}; band {low:.0f}-{high:.0f}; model {score.model.name})"
    )
    typer.echo(f"Found on the {score.found_by}: {len(score.elements)} element(s); {score.width}x{score.height}")
    for f in score.factors:
        if f.group in ("copy", "visual"):
            mark = "  " if f.quality is None or f.quality >= 0.98 else "! "
            typer.echo(f"{mark}{f.name:16} {f.contribution:+6.2f}  {f.reason}")
    for p in score.policy_failures:
        typer.echo(f"Policy: {p}")
    if score.fixes:
        typer.echo("Fix first:")
        for fix in score.fixes:
            typer.echo(f"  - {fix}")


def _profile_from_url(url: str, settings: Settings) -> BrandProfile:
    from brandtruth.stages.context import StageContext
    from brandtruth.stages.extract.stage import extract_brand
    from brandtruth.storage import ArtifactStore

    ctx = StageContext(
        run_id=f"score-{secrets.token_hex(6)}", settings=settings, store=ArtifactStore(settings.artifacts_dir)
    )
    return asyncio.run(extract_brand(url, ctx))


def score(
    image: Annotated[Path | None, typer.Argument(help="The creative (PNG, JPEG, WebP…)", show_default=False)] = None,
    headline: Annotated[str, typer.Option(help="The ad's headline")] = "",
    primary_text: Annotated[str, typer.Option("--primary-text", help="The ad's body text")] = "",
    description: Annotated[str, typer.Option(help="The link description")] = "",
    cta: Annotated[str, typer.Option(help="The call to action, e.g. 'Shop now'")] = "",
    platform: Annotated[str, typer.Option(help="meta, google_rsa, linkedin or tiktok")] = "meta",
    brand_url: Annotated[
        str | None, typer.Option("--brand-url", help="Read the brand (palette, logo) from its site")
    ] = None,
    profile: Annotated[Path | None, typer.Option(help="A brand profile JSON (palette, logo, name)")] = None,
    batch: Annotated[Path | None, typer.Option(help="Score every line of a JSONL file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Score a creative made anywhere: what a designer would flag, with fixes (text found on the pixels)."""
    settings = get_settings()
    if batch is not None:
        if image is not None:
            typer.secho("Give either IMAGE or --batch, not both.", fg="red", err=True)
            raise typer.Exit(2)
        if not batch.is_file():
            typer.secho(f"Batch file {batch} does not exist.", fg="red", err=True)
            raise typer.Exit(2)
        raise typer.Exit(run_batch(batch, settings, as_json))
    if image is None:
        typer.secho("Give an IMAGE to score (or --batch FILE.jsonl).", fg="red", err=True)
        raise typer.Exit(2)
    if brand_url and profile:
        typer.secho("Give either --brand-url or --profile, not both.", fg="red", err=True)
        raise typer.Exit(2)
    try:
        prof = load_profile(profile) if profile is not None else None
        if brand_url:
            prof = _profile_from_url(brand_url, settings)
        search = ([profile.parent] if profile is not None else []) + [settings.artifacts_dir]
        copy = {"headline": headline, "primary_text": primary_text, "description": description, "cta": cta}
        result = score_one(image, copy, platform, prof, settings, search)
    except BadInputError as exc:
        if as_json:
            typer.echo(json.dumps({"image": str(image), "error": "bad_input", "detail": exc.message}))
        else:
            typer.secho(f"Cannot score {image}: {exc.message}", fg="red", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps({"image": str(image)} | result_json(result), ensure_ascii=False))
    else:
        _print_human(result)
