"""``govbridge dossier``: check dossiers and list the facts they can state."""

from __future__ import annotations

from pathlib import Path

import typer

from govbridge.cli._common import fail_cleanly

__all__ = ["app"]

app = typer.Typer(help="Check dossiers and list the facts they can state.", no_args_is_help=True)


@app.command("validate")
def validate(files: list[Path] = typer.Argument(..., help="Dossier files (YAML or JSON).")) -> None:
    """Validate dossier FILES; print one line per file, and exit 2 at the first error."""
    with fail_cleanly():
        from govbridge.dossier import load

        for file in files:
            dossier = load(file)
            typer.echo(f"ok: {file} ({dossier.model.name})")


@app.command("facts")
def facts() -> None:
    """List every fact path a dossier can state, with its kind and unit."""
    from govbridge.dossier import fact_specs

    for spec in fact_specs().values():
        extra = spec.dimension or ("|".join(spec.choices) if spec.choices else "")
        typer.echo(f"{spec.path}\t{spec.kind}\t{extra}".rstrip())
