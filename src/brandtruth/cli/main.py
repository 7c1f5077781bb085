"""`brandtruth` subcommands: servers, the one-command stack, one-shot generation, calibration."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from brandtruth.cli.score import score as score_command
from brandtruth.config import get_settings

app = typer.Typer(
    help="BrandTruth: evidence-backed ad creatives from a brand's website.",
    no_args_is_help=True,
    add_completion=False,
)


app.command(name="score")(score_command)


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@app.command()
def temporal() -> None:
    """Run the embedded Temporal dev server (frontend TEMPORAL_HOST, UI on TEMPORAL_UI_PORT)."""
    from brandtruth.temporal.devserver import devserver_command

    cmd = devserver_command(get_settings())
    os.execv(cmd[0], cmd)


@app.command()
def worker() -> None:
    """Run a pipeline worker (same as `python -m brandtruth.temporal.worker`)."""
    from brandtruth.temporal.worker import main

    main()


@app.command()
def api(
    host: Annotated[str | None, typer.Option(help="Bind address (default BRANDTRUTH_API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default BRANDTRUTH_API_PORT)")] = None,
) -> None:
    """Run the API server (FastAPI under uvicorn)."""
    import uvicorn

    from brandtruth.api.limits import server_options

    settings = get_settings()
    _logging()
    uvicorn.run(
        "brandtruth.api.app:create_app",
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
        timeout_graceful_shutdown=5,
        **server_options(),
    )
    os._exit(0)  # sdk-python#300: the Temporal runtime can abort at interpreter exit


@app.command()
def site(
    port: Annotated[int | None, typer.Option(help="Port (default BRANDTRUTH_SAMPLE_SITE_PORT)")] = None,
) -> None:
    """Serve the bundled sample brand site on 127.0.0.1."""
    from brandtruth.cli.stack import sample_site_dir

    port = port or get_settings().sample_site_port
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            str(port),
            "--directory",
            str(sample_site_dir()),
        ],
    )


@app.command()
def up(
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Worker processes (default BRANDTRUTH_WORKERS, else CPU count)")
    ] = None,
) -> None:
    """Start everything: Temporal, N workers, the API and the sample site; Ctrl-C stops them all.

    Ports come from TEMPORAL_HOST (7234), TEMPORAL_UI_PORT (8080), BRANDTRUTH_API_PORT (8000) and
    BRANDTRUTH_SAMPLE_SITE_PORT (8001); if one is taken, nothing starts and the message names it.
    """
    from brandtruth.cli.stack import run_stack

    _logging()
    code = asyncio.run(run_stack(get_settings(), workers))
    # The store check loaded Rust runtimes (obstore, Temporal) that can abort at interpreter exit.
    logging.shutdown()
    sys.stdout.flush()
    os._exit(code)


@app.command()
def generate(
    url: Annotated[str, typer.Argument(help="The brand's website, e.g. https://example.com")],
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=10, help="Copy variants")] = 3,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for creatives and result.json")] = Path("out"),
    platform: Annotated[
        list[str] | None, typer.Option("--platform", "-p", help="meta (default), google_rsa, linkedin, tiktok")
    ] = None,
    fmt: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="square, portrait, story, landscape (default: all)")
    ] = None,
    approve: Annotated[
        str | None,
        typer.Option(
            "--approve",
            metavar="IDS",
            help="Approve these variants (e.g. v1,v2; 'none' rejects all) as soon as they are ready, "
            "so the run completes in this command",
        ),
    ] = None,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="Start the run on Temporal and return at once (follow it in the web UI)")
    ] = False,
) -> None:
    """One-shot run with live progress; writes the creatives to OUT (Temporal if reachable).

    Without --approve the run stops at the approval step; the closing message says where to approve it.
    """
    from pydantic import ValidationError

    from brandtruth.cli.generate import Plan, run_generate
    from brandtruth.models.pipeline import PipelineRequest

    try:
        request = PipelineRequest.model_validate(
            {"url": url, "num_variants": variants}
            | ({"platforms": platform} if platform else {})
            | ({"formats": fmt} if fmt else {})
        )
    except ValidationError as exc:
        typer.secho(f"Invalid input: {exc.errors()[0]['msg'].removeprefix('Value error, ')}", fg="red", err=True)
        raise typer.Exit(2) from None
    if approve is not None and no_wait:
        typer.secho("--approve and --no-wait cannot be combined.", fg="red", err=True)
        raise typer.Exit(2)
    ids = None if approve is None else [] if approve.strip().lower() == "none" else _ids(approve)
    code = asyncio.run(run_generate(request, Plan(out=out, approve=ids, wait=not no_wait), get_settings()))
    sys.stdout.flush()
    os._exit(code)  # sdk-python#300


def _ids(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        typer.secho("--approve needs variant ids such as v1,v2 (or 'none').", fg="red", err=True)
        raise typer.Exit(2)
    return ids


@app.command()
def gallery(
    directory: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="A `generate --out` directory")],
) -> None:
    """Write DIR/gallery.html: every creative of the run beside its layout record, for review."""
    from brandtruth.cli.gallery import write_gallery

    if not (directory / "result.json").is_file():
        typer.secho(f"{directory} has no result.json (write one with `brandtruth generate --out`)", fg="red", err=True)
        raise typer.Exit(2)
    typer.echo(f"Wrote {write_gallery(directory)}")


@app.command()
def calibrate(
    csv_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Past results CSV")],
    require_better: Annotated[
        bool, typer.Option("--require-better", help="Exit 3 when the fitted model does not beat the prior")
    ] = False,
) -> None:
    """Fit the performance model on your own past results (CSV columns: see the README).

    The fitted model becomes active only if it beats the heuristic-v1 prior on held-out ads.
    """
    from brandtruth.errors import BadInputError
    from brandtruth.stages.score.calibration import calibrate as fit

    try:
        report = fit(csv_path, get_settings())
    except BadInputError as exc:
        typer.secho(f"Calibration refused: {exc.message}", fg="red", err=True)
        raise typer.Exit(2) from None
    typer.echo(report.summary())
    if require_better and not report.activated:
        typer.secho("The fitted model did not beat the prior; the prior stays active.", fg="red", err=True)
        raise typer.Exit(3)


from brandtruth.cli.check_copy import check_copy  # noqa: E402  (registered last: its own module)

app.command("check-copy")(check_copy)
