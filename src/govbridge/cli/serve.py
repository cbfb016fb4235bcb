"""``govbridge serve``: the web dashboard and JSON API (the ``web`` extra)."""

from __future__ import annotations

import typer

from govbridge.cli._common import fail_cleanly
from govbridge.cli.db import db_option

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the application."""

    @app.command("serve")
    def serve_command(
        host: str = typer.Option(
            "127.0.0.1",
            "--host",
            help="The address to bind; anything but loopback needs --token.",
        ),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port."),
        db: str | None = db_option(),
        token: str | None = typer.Option(
            None,
            "--token",
            envvar="GOVBRIDGE_TOKEN",
            show_envvar=True,
            help=(
                "The access token (at least 16 characters): a Bearer header or the login "
                "page. Required for a non-loopback host."
            ),
        ),
        max_upload: int = typer.Option(
            1_048_576, "--max-upload", metavar="BYTES", help="The largest upload accepted."
        ),
    ) -> None:
        """Serve the dashboard and the JSON API (/api/v1) until interrupted.

        Pages: dossiers (upload, versions, diffs), assessments as of any date and what changes
        between two dates, reports, compare, glossary, crosswalk and evaluation summaries.
        """
        with fail_cleanly():
            from govbridge.errors import UsageError

            try:
                from govbridge.web import Settings, serve
            except ImportError as exc:
                raise UsageError(
                    f"the dashboard needs the web extra ({exc.name} is missing): "
                    "pip install 'govbridge[web]'"
                ) from None
            settings = Settings(
                db_url=db, host=host, port=port, token=token or None, max_upload_bytes=max_upload
            )
            settings.check()
            url_host = f"[{host}]" if ":" in host else host
            typer.echo(
                f"govbridge dashboard on http://{url_host}:{port}/ (Ctrl-C to stop)", err=True
            )
            serve(settings)
