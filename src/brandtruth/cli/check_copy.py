"""`brandtruth check-copy`: the truth gate on a marketer's own ad lines.

Lines come from `--text` (repeatable) or stdin (one per line); the profile from `--profile
PROFILE.json` (a saved BrandProfile or a run result holding one) or `--url URL` (extracted
first). Exit codes: 0 every line supported, 1 some line unsupported or blocked, 2 bad input (a
file that is not a profile, an unreadable file, an empty/over-long line or control characters
— reported per line, never as a traceback).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from brandtruth.config import Settings
from brandtruth.models.brand import BrandProfile
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.verdict import LineVerdict, check_lines

MAX_PROFILE_BYTES = 5_000_000
MAX_LINES = 10_000


class CheckCopyInputError(Exception):
    """The input cannot be checked at all (exit 2)."""


def load_profile(path: Path) -> BrandProfile:
    """A BrandProfile from a JSON file: the profile itself, or a result with `brand_profile`."""
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise CheckCopyInputError(f"{path} is larger than {MAX_PROFILE_BYTES} bytes; not a brand profile")
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CheckCopyInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckCopyInputError(f"{path} is not a JSON brand profile: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("brand_profile"), dict):
        data = data["brand_profile"]
    try:
        return BrandProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "document"
        raise CheckCopyInputError(
            f"{path} is not a brand profile ({where}: {first.get('msg', 'invalid')}); "
            "pass a profile saved from a run (result.json's brand_profile) or use --url"
        ) from None


async def extract_profile(url: str, settings: Settings) -> BrandProfile:
    """Run the extract stage on `url` (SSRF guard and fetch limits apply as in a run)."""
    from brandtruth.stages.context import StageContext
    from brandtruth.stages.extract import extract_brand
    from brandtruth.storage import ArtifactStore

    with tempfile.TemporaryDirectory(prefix="check-copy-") as tmp:
        ctx = StageContext(run_id="check-copy", settings=settings, store=ArtifactStore(Path(tmp)))
        return await extract_brand(url, ctx)


def read_lines(texts: list[str] | None) -> list[str]:
    if texts:
        return list(texts)
    raw = sys.stdin.buffer.read()
    try:
        data = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckCopyInputError("stdin is not UTF-8 text") from None
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    if not lines:
        raise CheckCopyInputError("no lines to check: pass --text or pipe one ad line per line on stdin")
    if len(lines) > MAX_LINES:
        raise CheckCopyInputError(f"{len(lines)} lines; at most {MAX_LINES} per call")
    return lines


def exit_code(verdicts: list[LineVerdict]) -> int:
    if any(v.verdict == "error" for v in verdicts):
        return 2
    return 0 if all(v.verdict == "supported" for v in verdicts) else 1


def render_text(verdicts: list[LineVerdict]) -> str:
    out: list[str] = []
    for v in verdicts:
        out.append(f"{v.verdict.upper():<12} {v.text}")
        if v.error:
            out.append(f"    error: {v.error}")
        for i in v.issues:
            out.append(f"    - [{i.cls}] {i.reason}")
        for e in v.evidence:
            out.append(f"    + '{e.span}' ← \"{e.quote}\" ({e.url})")
        for w in v.warnings:
            out.append(f"    ! {w}")
    return "\n".join(out)


def render_json(verdicts: list[LineVerdict]) -> str:
    return json.dumps([v.model_dump(by_alias=True, exclude_none=True) for v in verdicts], ensure_ascii=False, indent=1)


def run_check_copy(
    profile_path: Path | None, url: str | None, texts: list[str] | None, as_json: bool, settings: Settings
) -> int:
    """The whole command; returns the exit code and prints the report."""
    try:
        if (profile_path is None) == (url is None):
            raise CheckCopyInputError("pass exactly one of --profile PROFILE.json or --url URL")
        lines = read_lines(texts)
        if profile_path is not None:
            profile = load_profile(profile_path)
        else:
            assert url is not None
            profile = asyncio.run(extract_profile(url, settings))
    except CheckCopyInputError as exc:
        typer.secho(f"check-copy: {exc}", fg="red", err=True)
        return 2
    except Exception as exc:  # extraction failures are typed BrandTruth errors with a message
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        typer.secho(f"check-copy: could not extract {url}: {message}", fg="red", err=True)
        return 2
    index = SupportIndex(profile, settings.allow_high_risk_claims)
    verdicts = check_lines(index, lines)
    typer.echo(render_json(verdicts) if as_json else render_text(verdicts))
    return exit_code(verdicts)


def check_copy(
    profile: Annotated[
        Path | None, typer.Option("--profile", help="A brand profile JSON (or a run's result.json)")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Extract the profile from this website first")] = None,
    text: Annotated[
        list[str] | None, typer.Option("--text", "-t", help="An ad line to check (repeatable); else stdin")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON verdicts")] = False,
) -> None:
    """Check ad lines against a brand's evidence: supported, unsupported or blocked, with reasons."""
    from brandtruth.config import get_settings

    code = run_check_copy(profile, url, text, as_json, get_settings())
    sys.stdout.flush()
    raise typer.Exit(code)
