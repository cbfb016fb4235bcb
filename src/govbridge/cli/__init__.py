"""The ``govbridge`` command line: one module per command group.

Commands import their heavy dependencies inside their bodies, so that ``govbridge --help`` and
``govbridge assess`` start fast.
"""

from __future__ import annotations

import typer

from govbridge.cli import assess as _assess
from govbridge.cli import demo as _demo
from govbridge.cli import dossier as _dossier
from govbridge.cli import kb as _kb

__all__ = ["app", "main"]

app = typer.Typer(
    name="govbridge",
    help=(
        "Which AI rules apply to this model where, what do they demand, and does the evidence "
        "meet them? US (federal and state), Chinese, EU and international regimes, as of any "
        "date."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_assess.register(app)
_demo.register(app)
app.add_typer(_dossier.app, name="dossier")
app.add_typer(_kb.app, name="kb")


def _version(value: bool) -> None:
    if value:
        from govbridge import __version__

        typer.echo(f"govbridge {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Govbridge: AI governance across jurisdictions, as of any date."""


def main() -> None:
    """Run the command line."""
    app()
