"""``govbridge assess``: which rules apply to a model where, on a date, and why."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from govbridge.cli._common import fail_cleanly, parse_date, write_output
from govbridge.cli.db import db_option

if TYPE_CHECKING:
    from govbridge.dossier import Dossier
    from govbridge.rules import Assessment

__all__ = ["Format", "register", "render_table"]


class Format(StrEnum):
    """Output formats of ``assess``."""

    table = "table"
    md = "md"
    json = "json"
    html = "html"


_STYLE = {"yes": "bold red", "no": "green", "unknown": "yellow"}


def render_table(assessment: Assessment, width: int | None = None) -> str:
    """The assessment as rich tables, rendered to text."""
    import io

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from govbridge.rules import evidence_elsewhere, evidence_line

    # Render into a buffer: the caller decides where the text goes (stdout or --out).
    console = Console(
        file=io.StringIO(), record=True, width=width or 120, force_terminal=False, color_system=None
    )
    table = Table(
        title=f"{assessment.dossier.model.name}: assessment as of {assessment.as_of}",
        caption=f"knowledge base {assessment.kb_edition} ({assessment.kb_version})",
    )
    for column in ("instrument", "jurisdiction", "status", "applies", "missing facts"):
        table.add_column(column)
    for r in assessment.results:
        status = r.status + (f" ({r.status_since})" if r.status_since else "")
        table.add_row(
            f"{r.short or r.title}\n{r.instrument}",
            r.jurisdiction,
            status,
            f"[{_STYLE[r.applies]}]{r.applies}[/]",
            "\n".join(r.missing_facts),
        )
    console.print(table)
    # The obligations as plain lines: a rich table of a hundred wrapped cells costs more to
    # lay out than the whole assessment (see benchmarks/cli_startup.py).
    lines = []
    for r in assessment.results:
        for p in r.provisions:
            if p.applies == "no":
                continue
            lines.append(f"[bold]{p.id}[/]: [{_STYLE[p.applies]}]{p.applies}[/]")
            if p.applies == "unknown":
                lines.append(f"    missing: {', '.join(p.missing_facts)}")
            for ob in p.obligations:
                lines.append(f"    - {ob.summary} [dim]({ob.deadline})[/]")
                lines += [f"      evidence: {escape(evidence_line(e))}" for e in ob.eval_results]
    if lines:
        console.print("\n[bold]Provisions that apply (yes) or may apply (unknown)[/]")
        console.print("\n".join(lines), highlight=False)
    upcoming = [p for r in assessment.results for p in r.upcoming if p.applies != "no"]
    if upcoming:
        console.print("\n[bold]Upcoming: provisions that will (or may) apply once they start[/]")
        console.print(
            "\n".join(f"{p.id}: from {p.starts}, {p.applies}" for p in upcoming), highlight=False
        )
    elsewhere = evidence_elsewhere(assessment)
    if elsewhere:
        console.print("\n[bold]Other evaluation evidence[/]")
        console.print(
            "\n".join(f"{escape(evidence_line(e))}\n    {escape(note)}" for e, note in elsewhere),
            highlight=False,
        )
    return console.export_text()


def register(app: typer.Typer) -> None:
    """Add the ``assess`` command to the application."""

    @app.command("assess")
    def assess_command(
        dossier: Path = typer.Argument(
            ..., help="The dossier, a YAML or JSON file (docs/dossier.md)."
        ),
        as_of: str | None = typer.Option(
            None,
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date of the assessment (default: today).",
        ),
        jurisdiction: list[str] | None = typer.Option(
            None,
            "--jurisdiction",
            "-j",
            help="Keep only this jurisdiction (repeatable); US keeps US-CA too.",
        ),
        include_international: bool = typer.Option(
            False,
            "--include-international",
            help="Also list the non-binding international instruments, as context.",
        ),
        fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
        save: bool = typer.Option(
            False, "--save", help="Also save the dossier (as a version) and the assessment."
        ),
        name: str | None = typer.Option(
            None, "--name", help="With --save: the dossier's name in the store."
        ),
        db: str | None = db_option(),
    ) -> None:
        """Assess a DOSSIER: which rules apply where on a date, why, and what is missing.

        Every instrument of the knowledge base gets its status on the date and applies
        yes / no / unknown; unknown lists the dossier facts that would settle it. The
        Inspect logs the dossier lists under evidence.eval_logs are summarised and attached
        to the content-test obligations of the TC260-003 / GB/T 45654-2025 protocol.
        """
        with fail_cleanly():
            from govbridge.compute import estimated_facts
            from govbridge.dossier import load
            from govbridge.kb import load_kb
            from govbridge.rules import assess

            when = parse_date(as_of)
            loaded = load(dossier)
            summaries = _eval_summaries(loaded, dossier)
            result = assess(
                loaded,
                load_kb(),
                when,
                jurisdictions=jurisdiction or None,
                include_international=include_international,
                facts=estimated_facts(loaded),
            )
            if summaries is not None:
                from govbridge.rules import attach_eval_evidence

                result = attach_eval_evidence(result, summaries)
            write_output(_render(result, fmt), out)
            if save:
                from govbridge.store import record_assessment

                version, record = record_assessment(
                    result,
                    url=db,
                    name=name,
                    source_text=dossier.read_text(encoding="utf-8"),
                    source_name=dossier.name,
                    jurisdictions=jurisdiction or (),
                    include_international=include_international,
                )
                typer.echo(
                    f"saved assessment {record.id} of {version.name} v{version.version}", err=True
                )


def _eval_summaries(loaded: Dossier, file: Path) -> list[dict[str, Any]] | None:
    """The summaries of the dossier's ``evidence.eval_logs``; ``None`` when it lists none.

    Inspect is imported only here, so that an assessment without evidence stays fast.
    """
    if loaded.evidence is None or not loaded.evidence.eval_logs:
        return None
    from govbridge.evals import dossier_summaries

    return dossier_summaries(loaded, file)


def _render(assessment: Assessment, fmt: Format) -> str:
    from govbridge.rules import to_html, to_json, to_markdown

    if fmt is Format.json:
        return to_json(assessment)
    if fmt is Format.md:
        return to_markdown(assessment)
    if fmt is Format.html:
        return to_html(assessment)
    return render_table(assessment)
