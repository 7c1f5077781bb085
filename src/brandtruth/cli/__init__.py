"""The `brandtruth` command."""

from brandtruth.cli.main import app

__all__ = ["app"]
