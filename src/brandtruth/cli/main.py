"""`brandtruth` subcommands: servers, the one-command stack, one-shot generation, calibration."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from brandtruth.config import get_settings

app = typer.Typer(
    help="BrandTruth: evidence-backed ad creatives from a brand's website.",
    no_args_is_help=True,
    add_completion=False,
)


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

    settings = get_settings()
    _logging()
    uvicorn.run(
        "brandtruth.api.app:create_app",
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
        timeout_graceful_shutdown=5,
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
    """Start everything: Temporal, N workers, the API and the sample site; Ctrl-C stops them all."""
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
        list[str] | None, typer.Option("--platform", "-p", help="meta, google_rsa, linkedin, tiktok")
    ] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f", help="square, portrait, story, landscape")] = None,
) -> None:
    """One-shot run with live progress; writes the creatives to OUT (Temporal if reachable)."""
    from pydantic import ValidationError

    from brandtruth.cli.generate import run_generate
    from brandtruth.models.pipeline import PipelineRequest

    try:
        request = PipelineRequest.model_validate(
            {"url": url, "num_variants": variants}
            | ({"platforms": platform} if platform else {})
            | ({"formats": fmt} if fmt else {})
        )
    except ValidationError as exc:
        typer.secho(f"Invalid input: {exc.errors()[0]['msg']}", fg="red", err=True)
        raise typer.Exit(2) from None
    code = asyncio.run(run_generate(request, out, get_settings()))
    sys.stdout.flush()
    os._exit(code)  # sdk-python#300


@app.command()
def calibrate(
    csv_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Past results CSV")],
) -> None:
    """Fit the performance model on your own past results (CSV columns: see the README)."""
    from brandtruth.errors import BadInputError
    from brandtruth.stages.score.calibration import calibrate as fit

    try:
        report = fit(csv_path, get_settings())
    except BadInputError as exc:
        typer.secho(f"Calibration refused: {exc.message}", fg="red", err=True)
        raise typer.Exit(2) from None
    typer.echo(report.summary())
