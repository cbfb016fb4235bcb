"""The mapping matrix between two schemes, and its Markdown, CSV and JSON forms."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from govbridge.crosswalk._load import Concept, Crosswalk, NoCounterpart, Scheme
from govbridge.crosswalk._schema import RELATIONS, Relation

__all__ = ["SYMBOLS", "Matrix", "MatrixRow", "build_matrix"]

SYMBOLS: dict[Relation, str] = {
    "exactMatch": "=",
    "closeMatch": "≈",
    "broadMatch": "⊂",
    "narrowMatch": "⊃",
    "relatedMatch": "~",
}
"""The one-character form of each relation in a Markdown matrix, read from row to column."""

_LEGEND: dict[Relation, str] = {
    "exactMatch": "exactMatch: the same concept",
    "closeMatch": "closeMatch: near enough to use one for the other",
    "broadMatch": "broadMatch: the column is broader (the row is a part of it)",
    "narrowMatch": "narrowMatch: the column is narrower (a part of the row)",
    "relatedMatch": "relatedMatch: they overlap; neither contains the other",
}


@dataclass(frozen=True)
class MatrixRow:
    """One concept of the from-scheme with its relations to the columns.

    Attributes:
        concept: The row concept.
        cells: Column concept id -> relation, read from the row to the column.
        no_counterpart: The explicit no-counterpart finding, if any.
    """

    concept: Concept
    cells: dict[str, Relation]
    no_counterpart: NoCounterpart | None

    @property
    def status(self) -> str:
        """``mapped``, ``no counterpart`` or ``not mapped``."""
        if self.cells:
            return "mapped"
        return "no counterpart" if self.no_counterpart else "not mapped"


@dataclass(frozen=True)
class Matrix:
    """The relations between the concepts of two schemes.

    Rows are the leaf concepts of the from-scheme (and any other concept with a mapping);
    columns are the leaf concepts of the to-scheme (and any other concept a row maps to).
    """

    source: Scheme
    target: Scheme
    columns: tuple[Concept, ...]
    rows: tuple[MatrixRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """The matrix as a JSON-ready dictionary."""
        return {
            "schema": "govbridge/crosswalk-matrix/v1",
            "from": self.source.id,
            "to": self.target.id,
            "columns": [_concept_json(c) for c in self.columns],
            "rows": [
                {
                    **_concept_json(r.concept),
                    "status": r.status,
                    "cells": r.cells,
                    "no_counterpart": r.no_counterpart.reason if r.no_counterpart else None,
                }
                for r in self.rows
            ],
        }

    def to_csv(self) -> str:
        """The matrix as CSV: one row per row concept, one column per column concept."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.source.id, "name", *(c.id for c in self.columns), "no_counterpart"])
        for r in self.rows:
            writer.writerow(
                [
                    r.concept.id,
                    r.concept.en,
                    *(r.cells.get(c.id, "") for c in self.columns),
                    r.no_counterpart.reason if r.no_counterpart else "",
                ]
            )
        return out.getvalue()

    def to_markdown(self) -> str:
        """The matrix as a Markdown table, with a legend and the no-counterpart reasons."""
        head = [self.source.short, *(f"`{c.code}`" for c in self.columns), "none"]
        lines = [
            "| " + " | ".join(head) + " |",
            "|" + "|".join([" --- "] + [" :-: "] * (len(head) - 1)) + "|",
        ]
        for r in self.rows:
            cells = [SYMBOLS[r.cells[c.id]] if c.id in r.cells else "" for c in self.columns]
            none = "✗" if r.no_counterpart else ("?" if not r.cells else "")
            label = f"`{r.concept.code}` {r.concept.en}"
            lines.append(f"| {label} | " + " | ".join([*cells, none]) + " |")
        used = {rel for r in self.rows for rel in r.cells.values()}
        lines += [
            "",
            "Read from row to column: "
            + "; ".join(f"{SYMBOLS[rel]} {_LEGEND[rel]}" for rel in RELATIONS if rel in used)
            + ". ✗ no counterpart (reason below); ? not mapped.",
            "",
            f"Columns ({self.target.short}):",
            "",
        ]
        lines += [f"- `{c.code}` {c.en}" for c in self.columns]
        hit = {cid for r in self.rows for cid in r.cells}
        orphans = [f"`{c.code}`" for c in self.columns if c.id not in hit]
        if orphans:
            lines += ["", f"No {self.source.short} row maps to: {', '.join(orphans)}."]
        gaps = [r for r in self.rows if r.no_counterpart]
        if gaps:
            lines += ["", f"No counterpart in {self.target.short}:", ""]
            lines += [
                f"- `{r.concept.code}`: {r.no_counterpart.reason} ({r.no_counterpart.stated_by})"
                for r in gaps
                if r.no_counterpart
            ]
        return "\n".join(lines) + "\n"


def _concept_json(c: Concept) -> dict[str, Any]:
    return {"id": c.id, "code": c.code, "en": c.en, "zh": c.zh}


def build_matrix(cw: Crosswalk, from_scheme: str, to_scheme: str) -> Matrix:
    """The matrix of relations from one scheme to another.

    Args:
        cw: The crosswalk.
        from_scheme: The scheme of the rows.
        to_scheme: The scheme of the columns.

    Raises:
        UsageError: When a scheme does not exist, or both are the same.
    """
    from govbridge.errors import UsageError

    source = cw.scheme(from_scheme)
    target = cw.scheme(to_scheme)
    if source.id == target.id:
        raise UsageError(f"--from and --to are both {source.id}: choose two different schemes")
    rows: list[MatrixRow] = []
    used: set[str] = set()
    for concept in cw.concepts_of(source.id):
        links = cw.map_concept(concept.id, target.id)
        gaps = cw.no_counterpart(concept.id, target.id)
        if not concept.is_leaf and not links and not gaps:
            continue
        cells = {m.object: m.relation for m in links}
        used.update(cells)
        rows.append(MatrixRow(concept, cells, gaps[0] if gaps else None))
    columns = tuple(c for c in cw.concepts_of(target.id) if c.is_leaf or c.id in used)
    return Matrix(source, target, columns, tuple(rows))
