"""Helpers shared by the command modules: error handling, dates, output."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from govbridge.errors import GovbridgeError, UsageError

__all__ = ["fail_cleanly", "parse_date", "write_output"]


@contextmanager
def fail_cleanly() -> Iterator[None]:
    """Turn govbridge errors into a one-line message and exit status 2."""
    try:
        yield
    except GovbridgeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def parse_date(text: str | None, option: str = "--as-of") -> dt.date:
    """Read a YYYY-MM-DD date; ``None`` is today (UTC).

    Raises:
        UsageError: When the text is not a date.
    """
    if text is None:
        from govbridge.kb import today

        return today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: expected a date as YYYY-MM-DD, such as 2026-01-01"
        ) from None


def write_output(text: str, out: Path | None) -> None:
    """Write text to a file, or to standard output.

    The file is written to a temporary name first and then renamed, so that a crash never
    leaves a half-written report.
    """
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write the file ({exc.strerror})") from None
    typer.echo(f"wrote {out}", err=True)
