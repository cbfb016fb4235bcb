"""``govbridge crosswalk``: risk taxonomies and the SKOS mappings between them."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from govbridge.cli._common import fail_cleanly, write_output

if TYPE_CHECKING:
    from govbridge.crosswalk import Crosswalk, Mapping, Reexpression

__all__ = ["ExportFormat", "MatrixFormat", "TextFormat", "app"]

app = typer.Typer(
    help=(
        "Risk taxonomies (TC260, NIST AI 600-1, EU Code of Practice, AILuminate, AIR 2024, SB 53, "
        "EO 14110) and the SKOS mappings between them. Concepts are SCHEME:CODE, such as "
        "tc260:A.4.e."
    ),
    no_args_is_help=True,
)


class TextFormat(StrEnum):
    """Output formats of show, schemes and results."""

    text = "text"
    json = "json"


class MatrixFormat(StrEnum):
    """Output formats of matrix."""

    md = "md"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    """Output formats of export."""

    skos_turtle = "skos-turtle"
    csv = "csv"
    json = "json"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@app.command("schemes")
def schemes(
    fmt: TextFormat = typer.Option(TextFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """List the schemes with their concept counts and sources."""
    with fail_cleanly():
        from govbridge.crosswalk import load_crosswalk
        from govbridge.crosswalk._export import scheme_json

        cw = load_crosswalk()
        if fmt is TextFormat.json:
            data = {
                "schema": "govbridge/crosswalk-schemes/v1",
                "version": cw.version,
                "schemes": [scheme_json(s, cw, concepts=False) for s in cw.schemes.values()],
                "pairs": [
                    {"from": a, "to": b, "mappings": n, "no_counterpart": g}
                    for (a, b), (n, g) in cw.pairs().items()
                ],
            }
            typer.echo(_json(data), nl=False)
            return
        for s in cw.schemes.values():
            flag = "" if s.verified else " [unverified]"
            typer.echo(f"{s.id}\t{len(s.concepts)} concepts\t{s.title}{flag}")
        typer.echo("")
        for (a, b), (n, g) in cw.pairs().items():
            typer.echo(f"{a} -> {b}\t{n} mapping{'s' if n != 1 else ''}, {g} no counterpart")


def _mapping_line(m: Mapping, cw: Crosswalk) -> str:
    target = cw.concepts[m.object]
    inverse = " (inverse of a stated mapping)" if m.derived else ""
    return f"  {m.relation} {target.id}  {target.en}{inverse}"


def _show_text(concept_id: str, to_scheme: str | None) -> str:
    from govbridge.crosswalk import load_crosswalk

    cw = load_crosswalk()
    c = cw.concept(concept_id)
    scheme = cw.schemes[c.scheme]
    lines = [f"{c.id}: {c.en}"]
    if c.zh:
        lines.append(f"{' ' * len(c.id)}  {c.zh}")
    lines.append(f"scheme: {scheme.title}")
    if c.broader:
        lines.append(f"broader: {c.broader} {cw.concepts[c.broader].en}")
    for n in c.narrower:
        lines.append(f"narrower: {n} {cw.concepts[n].en}")
    if c.note:
        lines.append(f"note: {c.note}")
    targets = [cw.scheme(to_scheme).id] if to_scheme else [s for s in cw.schemes if s != c.scheme]
    for target in targets:
        links = cw.map_concept(c.id, target)
        gaps = cw.no_counterpart(c.id, target)
        if not links and not gaps:
            if to_scheme:
                lines.append(f"-> {target}: not mapped")
            continue
        lines.append(f"-> {target}:")
        for m in links:
            lines.append(_mapping_line(m, cw))
            lines.append(f"      why: {m.rationale}")
            where = f", {m.section}" if m.section else ""
            lines.append(f"      stated by: {m.stated_by}{where}")
            for src, section in m.evidence:
                lines.append(f"      evidence: {src.title}, {section} <{src.url}>")
        for g in gaps:
            lines.append(f"  no counterpart: {g.reason} ({g.stated_by})")
    return "\n".join(lines) + "\n"


@app.command("show")
def show(
    concept_id: str = typer.Argument(..., metavar="CODE", help="A concept, such as tc260:A.4.e."),
    to_scheme: str | None = typer.Option(
        None, "--to", metavar="SCHEME", help="Only the mappings to this scheme."
    ),
    fmt: TextFormat = typer.Option(TextFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Show a concept, its names, and its mappings to the other schemes with the reasons."""
    with fail_cleanly():
        if fmt is TextFormat.text:
            typer.echo(_show_text(concept_id, to_scheme), nl=False)
            return
        from govbridge.crosswalk import load_crosswalk
        from govbridge.crosswalk._export import concept_json, gap_json, mapping_json

        cw = load_crosswalk()
        c = cw.concept(concept_id)
        data = {
            "schema": "govbridge/crosswalk-concept/v1",
            "concept": concept_json(c),
            "mappings": [mapping_json(m) for m in cw.map_concept(c.id, to_scheme)],
            "no_counterpart": [gap_json(g) for g in cw.no_counterpart(c.id, to_scheme)],
        }
        typer.echo(_json(data), nl=False)


@app.command("matrix")
def matrix(
    from_scheme: str = typer.Option(..., "--from", metavar="SCHEME", help="Scheme of the rows."),
    to_scheme: str = typer.Option(..., "--to", metavar="SCHEME", help="Scheme of the columns."),
    fmt: MatrixFormat = typer.Option(MatrixFormat.md, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to a file, not stdout."),
) -> None:
    """Print the matrix of relations from one scheme's concepts to another's."""
    with fail_cleanly():
        from govbridge.crosswalk import matrix as build

        result = build(from_scheme, to_scheme)
        if fmt is MatrixFormat.json:
            text = _json(result.to_dict())
        elif fmt is MatrixFormat.csv:
            text = result.to_csv()
        else:
            text = result.to_markdown()
        write_output(text, out)


@app.command("export")
def export(
    fmt: ExportFormat = typer.Option(
        ExportFormat.skos_turtle, "--format", "-f", help="Output format."
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to a file, not stdout."),
) -> None:
    """Export every scheme, concept and mapping: SKOS Turtle, CSV of the mappings, or JSON."""
    with fail_cleanly():
        from govbridge.crosswalk import load_crosswalk, to_csv, to_json, to_turtle

        cw = load_crosswalk()
        if fmt is ExportFormat.json:
            text = _json(to_json(cw))
        elif fmt is ExportFormat.csv:
            text = to_csv(cw)
        else:
            text = to_turtle(cw)
        write_output(text, out)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _results_text(result: Reexpression) -> str:
    lines = [
        f"{result.source} -> {result.target}: pooled relations exactMatch, closeMatch, broadMatch "
        "(the source risk is the same as the target concept, or a part of it); 95% Wilson "
        "intervals; no verdicts (the thresholds apply to the whole check)"
    ]
    for check in result.checks:
        task = f" (task {check.check.task})" if check.check.task else ""
        lines += ["", f"check {check.check.check}{task}:"]
        for r in check.rates:
            head = f"  {r.concept.id} {r.concept.en}"
            if r.rate is None:
                lines.append(f"{head}: no rate (no {result.source} risk is pooled here)")
            else:
                lines.append(
                    f"{head}: {_pct(r.rate)} [{_pct(r.wilson_low)}, {_pct(r.wilson_high)}] "
                    f"= {r.successes}/{r.n}"
                )
                fed = ", ".join(
                    f"{s.risk.partition(':')[2]} ({s.successes}/{s.n}, {s.relation}"
                    + (f" via {s.via}" if s.via != r.concept.id else "")
                    + ")"
                    for s in r.sources
                )
                lines.append(f"      from {fed}")
            if r.not_pooled:
                loose = ", ".join(f"{risk.partition(':')[2]} ({rel})" for risk, rel in r.not_pooled)
                lines.append(f"      related, not pooled: {loose}")
        if check.unmapped:
            left = ", ".join(risk.partition(":")[2] for risk in check.unmapped)
            lines.append(f"  risks pooled nowhere in {result.target}: {left}")
    return "\n".join(lines) + "\n"


@app.command("results")
def results(
    summary: Path = typer.Argument(
        ..., metavar="SUMMARY.json", help="A govbridge/eval-summary/v1 file."
    ),
    to_scheme: str = typer.Option(..., "--to", metavar="SCHEME", help="The scheme to report in."),
    fmt: TextFormat = typer.Option(TextFormat.text, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to a file, not stdout."),
) -> None:
    """Re-express an evaluation summary's per-risk rates in another scheme.

    A target concept's rate pools the successes and items of the TC260 risks that are the same
    as it or a part of it (exactMatch, closeMatch, broadMatch), with a 95% Wilson interval, and
    names the risks that fed it.
    """
    with fail_cleanly():
        from govbridge.crosswalk import read_summary, reexpress

        data = read_summary(summary)
        result = reexpress(data, to_scheme, file=str(summary))
        text = _json(result.to_dict()) if fmt is TextFormat.json else _results_text(result)
        write_output(text, out)
