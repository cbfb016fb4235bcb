"""``govbridge dossier``: check dossiers and list the facts they can state."""

from __future__ import annotations

from pathlib import Path

import typer

from govbridge.cli._common import fail_cleanly
from govbridge.cli.db import db_option

__all__ = ["app"]

app = typer.Typer(
    help="Check dossiers, list their facts, and keep versions of them in the store.",
    no_args_is_help=True,
)


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


@app.command("add")
def add(
    file: Path = typer.Argument(..., help="The dossier file (YAML or JSON)."),
    name: str | None = typer.Option(
        None, "--name", help="Its name in the store (default: from model.name)."
    ),
    note: str | None = typer.Option(None, "--note", help="What changed, kept with the version."),
    db: str | None = db_option(),
) -> None:
    """Store a dossier FILE as a new version (nothing is overwritten)."""
    with fail_cleanly():
        from govbridge.dossier import load
        from govbridge.store import Store

        dossier = load(file)
        text = file.read_text(encoding="utf-8")
        with Store(db) as store:
            version, created = store.add_dossier(
                dossier, name=name, source_text=text, source_name=file.name, note=note
            )
        if created:
            typer.echo(f"added {version.name} v{version.version} ({version.model_name})")
        else:
            typer.echo(f"unchanged: {version.name} v{version.version} has the same text")


@app.command("list")
def list_dossiers(db: str | None = db_option()) -> None:
    """List the stored dossiers: name, latest version, model name, last change."""
    with fail_cleanly():
        from govbridge.store import Store

        with Store(db) as store:
            found = store.list_dossiers()
        if not found:
            typer.echo("no dossiers yet: add one with `govbridge dossier add FILE`", err=True)
        for d in found:
            when = d.updated_at.strftime("%Y-%m-%d %H:%M UTC")
            typer.echo(f"{d.name}\tv{d.latest_version}\t{d.model_name}\t{when}")


@app.command("show")
def show(
    name: str = typer.Argument(..., help="The dossier's name in the store."),
    version: int | None = typer.Option(
        None, "--version", "-v", min=1, help="A version number (default: the latest)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the validated content as JSON instead of the text."
    ),
    db: str | None = db_option(),
) -> None:
    """Print a stored dossier as written (or, with --json, as validated)."""
    with fail_cleanly():
        import json

        from govbridge.store import Store

        with Store(db) as store:
            found = store.get_version(name, version)
        if as_json:
            typer.echo(json.dumps(found.content, indent=2, ensure_ascii=False))
        else:
            typer.echo(found.source_text, nl=not found.source_text.endswith("\n"))


@app.command("history")
def history(
    name: str = typer.Argument(..., help="The dossier's name in the store."),
    db: str | None = db_option(),
) -> None:
    """List every version of a stored dossier, with the facts each one changed."""
    with fail_cleanly():
        from govbridge.store import Store, diff_versions

        with Store(db) as store:
            versions = store.history(name)
        previous = None
        for v in versions:
            when = v.created_at.strftime("%Y-%m-%d %H:%M UTC")
            extra = "\t".join(x for x in (v.source_name, v.note) if x)
            typer.echo(f"v{v.version}\t{when}\t{v.sha256[:12]}\t{extra}".rstrip())
            if previous is not None:
                for change in diff_versions(previous, v).facts:
                    typer.echo(f"    {change.path}: {change.before!r} -> {change.after!r}")
            previous = v
