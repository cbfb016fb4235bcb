"""Assessment output: the ``govbridge/assessment/v1`` JSON document, Markdown and HTML."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from govbridge.rules._engine import (
    ASSESSMENT_SCHEMA,
    Assessment,
    InstrumentResult,
    ObligationResult,
    ProvisionResult,
)

__all__ = ["to_dict", "to_html", "to_json", "to_markdown", "trace_lines"]


def _obligation(ob: ObligationResult) -> dict[str, Any]:
    return {
        "id": ob.id,
        "summary": ob.summary,
        "summary_zh": ob.summary_zh,
        "deadline": ob.deadline,
        "evidence": list(ob.evidence),
        "source": ob.source,
    }


def _provision(p: ProvisionResult) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "title_zh": p.title_zh,
        "addressee": p.addressee,
        "applies": p.applies,
        "missing_facts": list(p.missing_facts),
        "starts": p.starts.isoformat() if p.starts else None,
        "trace": list(p.trace),
        "obligations": [_obligation(o) for o in p.obligations],
    }


def _instrument(r: InstrumentResult) -> dict[str, Any]:
    return {
        "instrument": r.instrument,
        "title": r.title,
        "title_zh": r.title_zh,
        "short": r.short,
        "jurisdiction": r.jurisdiction,
        "kind": r.kind,
        "focus": list(r.focus),
        "binding": r.binding,
        "status": r.status,
        "status_since": r.status_since.isoformat() if r.status_since else None,
        "applies": r.applies,
        "missing_facts": list(r.missing_facts),
        "provisions": [_provision(p) for p in r.provisions],
        "upcoming": [_provision(p) for p in r.upcoming],
        "sources": list(r.sources),
    }


def to_dict(assessment: Assessment) -> dict[str, Any]:
    """The assessment as a ``govbridge/assessment/v1`` document (see docs/assessment-schema.md)."""
    return {
        "schema": ASSESSMENT_SCHEMA,
        "as_of": assessment.as_of.isoformat(),
        "kb_version": assessment.kb_version,
        "kb_edition": assessment.kb_edition,
        "dossier": assessment.dossier.model_dump(mode="json", by_alias=True, exclude_none=True),
        "results": [_instrument(r) for r in assessment.results],
    }


def _default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(assessment: Assessment) -> str:
    """The assessment as indented JSON text."""
    return json.dumps(to_dict(assessment), indent=2, ensure_ascii=False, default=_default) + "\n"


def trace_lines(trace: dict[str, Any], depth: int = 0) -> list[str]:
    """A trace tree as indented lines of text, one per test."""
    parts = [f"{trace.get('test', '?')}: {trace.get('result', '?')}"]
    if "values" in trace:
        shown = ", ".join(f"{k}={v}" for k, v in trace["values"].items())
        parts.append(f"[{shown}; {trace.get('value_used', 'declared')}]")
    elif "value" in trace:
        parts.append(f"[value: {trace['value']}]")
    source = trace.get("threshold_source")
    if source:
        parts.append(
            f"(threshold {trace.get('threshold_text', trace.get('threshold', ''))}: "
            f"{source.get('title')}, {source.get('section')})"
        )
    if trace.get("note"):
        parts.append(f"-- {trace['note']}")
    lines = ["  " * depth + " ".join(str(p) for p in parts)]
    for child in trace.get("children", []):
        lines.extend(trace_lines(child, depth + 1))
    return lines


def to_markdown(assessment: Assessment) -> str:
    """The assessment as Markdown, for pull requests and notes."""
    name = assessment.dossier.model.name
    out = [
        f"# govbridge assessment: {name}",
        "",
        f"As of **{assessment.as_of}**; knowledge base {assessment.kb_edition} "
        f"({assessment.kb_version}).",
        "",
        "| instrument | jurisdiction | status | applies | missing facts |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in assessment.results:
        out.append(
            f"| {r.short or r.title} (`{r.instrument}`) | {r.jurisdiction} | {r.status} | "
            f"{r.applies} | {', '.join(f'`{m}`' for m in r.missing_facts)} |"
        )
    for r in assessment.results:
        out += [
            "",
            f"## {r.title} (`{r.instrument}`)",
            "",
            f"Status: {r.status}"
            + (f" since {r.status_since}" if r.status_since else "")
            + f"; applies: **{r.applies}**.",
        ]
        for p in r.provisions:
            out += ["", f"### `{p.id}`: {p.applies}", "", p.title, "", "```text"]
            for t in p.trace:
                out.extend(trace_lines(t))
            out.append("```")
            if p.applies != "no" and p.obligations:
                out.append("")
                for ob in p.obligations:
                    out.append(f"- {ob.summary} (deadline: {ob.deadline}; {ob.source['section']})")
        for p in r.upcoming:
            out += ["", f"- Upcoming from {p.starts}: `{p.id}` would apply: {p.applies}"]
        out += ["", "Sources: " + "; ".join(f"[{s['title']}]({s['url']})" for s in r.sources)]
    return "\n".join(out) + "\n"


def to_html(assessment: Assessment) -> str:
    """The assessment as a self-contained HTML page (no scripts, no external assets)."""
    from importlib import resources

    import jinja2

    text = (resources.files("govbridge") / "templates" / "assessment.html").read_text("utf-8")
    template = jinja2.Environment(autoescape=True).from_string(text)
    return template.render(
        name=assessment.dossier.model.name,
        as_of=assessment.as_of.isoformat(),
        edition=assessment.kb_edition,
        version=assessment.kb_version,
        results=assessment.results,
        lines=lambda p: "\n".join(line for t in p.trace for line in trace_lines(t)),
    )
