"""``govbridge demo``: the main job, end to end, offline, on the bundled example."""

from __future__ import annotations

import typer

from govbridge.cli._common import fail_cleanly, parse_date

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the application."""

    @app.command("demo")
    def demo_command(
        as_of: str | None = typer.Option(
            None,
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date of the assessment (default: today).",
        ),
    ) -> None:
        """Run the main job offline on the bundled Example-405B dossier and print the result."""
        with fail_cleanly():
            from importlib import resources

            from govbridge.cli.assess import render_table
            from govbridge.compute import estimated_facts
            from govbridge.dossier import load
            from govbridge.kb import load_kb
            from govbridge.rules import assess

            path = resources.files("govbridge") / "examples" / "example-405b.yaml"
            when = parse_date(as_of)
            typer.echo(f"govbridge demo: assessing the bundled dossier {path.name} as of {when}")
            dossier = load(str(path))
            result = assess(dossier, load_kb(), when, facts=estimated_facts(dossier))
            typer.echo(render_table(result))
