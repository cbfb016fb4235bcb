"""``govbridge db``: create and migrate the database of dossiers and assessments."""

from __future__ import annotations

from typing import Any

import typer

from govbridge.cli._common import fail_cleanly

__all__ = ["DB_HELP", "app", "db_option"]

DB_HELP = (
    "The database URL: sqlite:///FILE or postgresql+psycopg://USER@HOST/DB (default: "
    "GOVBRIDGE_DB, else govbridge.db in the user's data folder)."
)

app = typer.Typer(
    help="Create and migrate the database of dossiers and assessments.", no_args_is_help=True
)


def db_option() -> Any:
    """The ``--db`` option shared by every command that uses the store."""
    return typer.Option(None, "--db", metavar="URL", help=DB_HELP)


@app.command("upgrade")
def upgrade(db: str | None = db_option()) -> None:
    """Create the database, or migrate it to the newest schema (Alembic)."""
    with fail_cleanly():
        from govbridge.store import Store, display_url

        with Store(db) as store:
            before = store.revision()
            after = store.upgrade()
            change = "already at" if before == after else f"from {before or 'empty'} to"
            typer.echo(f"ok: {display_url(store.url)}: {change} revision {after} (head)")


@app.command("current")
def current(db: str | None = db_option()) -> None:
    """Print the database URL and its schema revision."""
    with fail_cleanly():
        from govbridge.store import HEAD, Store, display_url

        with Store(db) as store:
            revision = store.revision()
            state = (
                "empty: run `govbridge db upgrade`"
                if revision is None
                else "head"
                if revision == HEAD
                else f"behind {HEAD}: run `govbridge db upgrade`"
            )
            typer.echo(f"{display_url(store.url)}: revision {revision or '-'} ({state})")
