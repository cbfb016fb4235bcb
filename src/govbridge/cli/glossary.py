"""``govbridge glossary``: the bilingual glossary of terms whose meaning diverges."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from govbridge.cli._common import fail_cleanly, write_output

__all__ = ["ExportFormat", "ShowFormat", "app"]

app = typer.Typer(
    help=(
        "The bilingual (en/zh) glossary of AI-governance terms: senses per jurisdiction with "
        "sources, and where they diverge."
    ),
    no_args_is_help=True,
)


class ShowFormat(StrEnum):
    """Output formats of ``lookup`` and ``list``."""

    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    """Output formats of ``export``."""

    tbx = "tbx"
    csv = "csv"
    json = "json"


@app.command("lookup")
def lookup_command(
    term: str = typer.Argument(
        ..., help="English, Chinese or toneless pinyin, such as 'anquan', 安全 or 'safety'."
    ),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Show one term: its forms, senses per jurisdiction with sources, and the divergence.

    Case, spaces, hyphens and tone marks do not matter. An unknown term names the nearest ones.
    """
    with fail_cleanly():
        import json

        from govbridge.glossary import lookup, to_dict, to_text

        found = lookup(term)
        if fmt is ShowFormat.json:
            doc = {"query": term, "term": to_dict(found)}
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            typer.echo(to_text(found), nl=False)


@app.command("list")
def list_command(
    category: str | None = typer.Option(
        None,
        "--category",
        "-c",
        help="Keep one category: safety, models, actors, mechanisms or diplomacy.",
    ),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """List the terms: id, English, Chinese, pinyin and category."""
    with fail_cleanly():
        import json

        from govbridge.errors import UsageError
        from govbridge.glossary import CATEGORIES, SCHEMA, load_glossary

        if category is not None and category not in CATEGORIES:
            raise UsageError(f"--category {category!r}: expected one of {', '.join(CATEGORIES)}")
        terms = [t for t in load_glossary() if category is None or t.category == category]
        if fmt is ShowFormat.json:
            rows = [
                {
                    "id": t.id,
                    "en": t.en,
                    "zh": t.zh,
                    "pinyin": t.pinyin,
                    "category": t.category,
                    "jurisdictions": sorted({s.jurisdiction for s in t.senses}),
                }
                for t in terms
            ]
            doc = {"schema": SCHEMA, "count": len(rows), "terms": rows}
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
            return
        for t in terms:
            typer.echo(f"{t.id}\t{t.en}\t{t.zh}\t{t.pinyin}\t{t.category}")


@app.command("export")
def export_command(
    fmt: ExportFormat = typer.Option(
        ExportFormat.tbx,
        "--format",
        "-f",
        help="tbx (ISO 30042 TermBase eXchange, TBX-Basic), csv (one row per sense) or json.",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
) -> None:
    """Export the whole glossary as TBX, CSV or JSON."""
    with fail_cleanly():
        from govbridge.glossary import load_glossary, to_csv, to_json, to_tbx

        glossary = load_glossary()
        if fmt is ExportFormat.tbx:
            text = to_tbx(glossary)
        elif fmt is ExportFormat.csv:
            text = to_csv(glossary)
        else:
            text = to_json(glossary)
        write_output(text, out)
