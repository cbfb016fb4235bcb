"""Generate docs/cli.md, the CLI reference, from the commands' ``--help``.

Run ``python -m govbridge.cli._docs > docs/cli.md`` (or ``make docs``); a test fails when the
checked-in file differs from what this prints.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import typer
from typer.main import get_command
from typer.testing import CliRunner

__all__ = ["command_paths", "help_text", "render"]

_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}


def command_paths(app: typer.Typer) -> Iterator[list[str]]:
    """Every command path of the application, depth first, the root first."""

    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        children = getattr(command, "commands", None) or {}
        for name in sorted(children):
            yield from walk(children[name], [*path, name])

    yield from walk(get_command(app), [])


def help_text(app: typer.Typer, path: list[str]) -> str:
    """The ``--help`` output of one command, at a fixed width and without colour."""
    result = CliRunner().invoke(app, [*path, "--help"], env=_ENV, prog_name="govbridge")
    return "\n".join(line.rstrip() for line in result.output.splitlines()).strip() + "\n"


def render(app: typer.Typer) -> str:
    """The whole CLI reference as Markdown."""
    out = [
        "# CLI reference",
        "",
        "Generated from `--help` by `make docs` (`python -m govbridge.cli._docs`); a test checks",
        "that this file is up to date.",
    ]
    for path in command_paths(app):
        title = " ".join(["govbridge", *path])
        out += ["", f"## `{title}`", "", "```text", help_text(app, path).rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    from govbridge.cli import app as _app

    os.environ.update(_ENV)
    print(render(_app), end="")
