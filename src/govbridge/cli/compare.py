"""``govbridge compare``: the divergence map between two jurisdictions, as of a date."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from govbridge.cli._common import fail_cleanly, parse_date, write_output

if TYPE_CHECKING:
    from govbridge.compare import Comparison

__all__ = ["Format", "register", "render_table"]


class Format(StrEnum):
    """Output formats of ``compare``."""

    table = "table"
    md = "md"
    json = "json"
    html = "html"


_VERDICT_STYLE = {"aligned": "green", "divergent": "bold red", "not_comparable": "yellow"}


def render_table(comparison: Comparison, width: int | None = None) -> str:
    """The comparison as rich tables, rendered to text."""
    import io

    from rich.console import Console
    from rich.table import Table

    from govbridge.compare import FOCUS_TAGS
    from govbridge.compare._output import role_text, shared_ground_note

    c = comparison
    a, b = c.focus
    # Record into a buffer, not the terminal: the caller writes the text once (to --out or
    # standard output).
    console = Console(
        file=io.StringIO(),
        record=True,
        width=width or 120,
        force_terminal=False,
        color_system=None,
    )
    caption = f"knowledge base {c.kb_edition} ({c.kb_version}); † unverified (see the data)"
    focus = Table(
        title=f"1. Focus: binding instruments in force on {c.as_of} ([FLOP]: compute threshold)",
        caption=caption,
    )
    for column in ("focus", c.a, c.b):
        focus.add_column(column)
    for tag in FOCUS_TAGS:
        cells = []
        for side in (a, b):
            by_id = {e.id: e for e in side.in_force}
            names = [
                by_id[i].short + (" [FLOP]" if by_id[i].uses_compute_threshold else "")
                for i in side.by_focus[tag]
            ]
            cells.append("\n".join(names) or "—")
        focus.add_row(tag, *cells)
    console.print(focus)
    lines = []
    for side in (a, b):
        for e in side.not_in_force:
            since = f" since {e.status_since}" if e.status_since else ""
            lines.append(f"{side.jurisdiction}: {e.short} ({e.id}) is {e.status}{since}")
        for e in side.non_binding_in_force:
            lines.append(f"{side.jurisdiction}: {e.short} ({e.id}) is in force, not binding")
    if lines:
        console.print("\n".join(lines), highlight=False, markup=False)
    principles = Table(title=f"\n2. Key principles as of {c.as_of}")
    for column in ("principle", c.a, c.b, "verdict"):
        principles.add_column(column)
    for p in c.principles:
        cells = []
        for s in (p.a, p.b):
            if s.stance == "no_record":
                cells.append("no position recorded")
            else:
                mark = "" if s.verified else " †"
                cells.append(f"{s.stance}{mark}\n(since {s.since})")
        principles.add_row(p.title, *cells, f"[{_VERDICT_STYLE[p.verdict]}]{p.verdict}[/]")
    console.print(principles)
    matrix = Table(title=f"\n3. International instruments on {c.as_of}: roles")
    for column in ("instrument", "date", "forum", c.a, c.b):
        matrix.add_column(column)
    for r in c.participation:
        matrix.add_row(f"{r.short}\n{r.id}", str(r.date), r.forum, role_text(r.a), role_text(r.b))
    console.print(matrix)
    forums = Table(title="\nForums: engagement (lead, joined, stayed_out, none)")
    for column in ("forum", c.a, c.b):
        forums.add_column(column)
    for f in c.forums:
        forums.add_row(f.forum, f.a, f.b)
    console.print(forums)
    shared = Table(title=f"\n{shared_ground_note(c)}")
    for column in (f"{c.a} risk", "relation", f"{c.b} risk"):
        shared.add_column(column)
    if c.shared_ground is not None:
        for x in (*c.shared_ground.shared, *c.shared_ground.contained):
            shared.add_row(f"{x.a_name}\n{x.a}", x.relation, f"{x.b_name}\n{x.b}")
        console.print(shared)
        only = ", ".join(name for _, name in c.shared_ground.a_only) or "none"
        console.print(
            f"{c.a} risks with no counterpart in {', '.join(c.shared_ground.b_schemes)}: {only}",
            highlight=False,
            markup=False,
        )
    else:
        console.print(shared_ground_note(c), highlight=False, markup=False)
    return console.export_text()


def register(app: typer.Typer) -> None:
    """Add the ``compare`` command to the application."""

    @app.command("compare")
    def compare_command(
        a: str = typer.Argument(..., help="The first jurisdiction, such as US (covers US-CA)."),
        b: str = typer.Argument(..., help="The second jurisdiction, such as CN."),
        as_of: str | None = typer.Option(
            None,
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date of the comparison (default: today).",
        ),
        fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
    ) -> None:
        """Compare two jurisdictions A and B on a date: focus, principles, international.

        The divergence map is derived from the knowledge base as of the date: the binding
        instruments in force by focus (and which use compute thresholds), each side's sourced
        position on key principles (aligned or divergent by stance code), and each side's roles
        in the international instruments and forums.
        """
        with fail_cleanly():
            from govbridge.compare import compare, to_html, to_json, to_markdown
            from govbridge.kb import load_kb

            when = parse_date(as_of)
            result = compare(load_kb(), a, b, when)
            if fmt is Format.json:
                text = to_json(result)
            elif fmt is Format.md:
                text = to_markdown(result)
            elif fmt is Format.html:
                text = to_html(result)
            else:
                text = render_table(result)
            write_output(text, out)
