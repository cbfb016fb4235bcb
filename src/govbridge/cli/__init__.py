"""The ``govbridge`` command line: one module per command group.

Commands import their heavy dependencies inside their bodies, so that ``govbridge --help`` and
``govbridge assess`` start fast.
"""

from __future__ import annotations

import typer

from govbridge.cli import assess as _assess
from govbridge.cli import attest as _attest
from govbridge.cli import bank as _bank
from govbridge.cli import chips as _chips
from govbridge.cli import compare as _compare
from govbridge.cli import compute as _compute
from govbridge.cli import corpus as _corpus
from govbridge.cli import crosswalk as _crosswalk
from govbridge.cli import db as _db
from govbridge.cli import demo as _demo
from govbridge.cli import dossier as _dossier
from govbridge.cli import eval as _eval
from govbridge.cli import glossary as _glossary
from govbridge.cli import kb as _kb
from govbridge.cli import report as _report
from govbridge.cli import serve as _serve

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
_compare.register(app)
_demo.register(app)
_report.register(app)
_serve.register(app)
app.add_typer(_dossier.app, name="dossier")
app.add_typer(_kb.app, name="kb")
app.add_typer(_eval.app, name="eval")
app.add_typer(_bank.app, name="bank")
app.add_typer(_corpus.app, name="corpus")
app.add_typer(_db.app, name="db")
app.add_typer(_attest.keys_app, name="keys")
app.add_typer(_attest.app, name="attest")
app.add_typer(_glossary.app, name="glossary")
app.add_typer(_crosswalk.app, name="crosswalk")
app.add_typer(_compute.app, name="compute")
app.add_typer(_chips.app, name="chips")


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
    import os
    import sys

    # Pydantic looks for plugins through every installed distribution's entry points the first
    # time it builds a validator, which costs more than the whole assessment. The CLI uses no
    # plugin; a user who needs one can set the variable to something else.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code: int = 0
    try:
        app()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(f"{exc.code}\n")
            code = 1
        else:
            code = exc.code or 0
    # Every command writes its files atomically and returns before this point, and nothing is
    # registered with atexit; skipping the interpreter's teardown of a few thousand objects
    # saves about a tenth of a second on every run.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a closed pipe, as in `govbridge assess ... | head`
            code = code or 1
    os._exit(code)
