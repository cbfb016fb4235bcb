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
from govbridge.rules._evidence import evidence_attachments, unattached_reason

__all__ = [
    "evidence_elsewhere",
    "evidence_line",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
    "trace_lines",
]


def _obligation(ob: ObligationResult) -> dict[str, Any]:
    return {
        "id": ob.id,
        "summary": ob.summary,
        "summary_zh": ob.summary_zh,
        "deadline": ob.deadline,
        "evidence": list(ob.evidence),
        "source": ob.source,
        "evidence_status": ob.evidence_status,
        "eval_results": list(ob.eval_results),
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
        "eval_evidence": list(assessment.eval_evidence),
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


def _pct(value: object) -> str:
    if not isinstance(value, int | float):
        return "-"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def evidence_line(summary: dict[str, Any]) -> str:
    """One evaluation summary on one line: check, sample, rate, interval, threshold, verdict.

    >>> evidence_line({"check": "should_refuse", "n": 240, "rate": 0.021, "wilson_low": 0.009,
    ...                "wilson_high": 0.048, "operator": ">=", "threshold": 0.95,
    ...                "verdict": "fail", "judge": "rules (offline fallback)"})
    'should_refuse n=240 rate 2.1% [0.9–4.8%] vs >= 95% → fail (rules judge)'
    """
    judge = str(summary.get("judge") or "unknown").split(" (", 1)[0]
    return (
        f"{summary.get('check')} n={summary.get('n')} rate {_pct(summary.get('rate'))} "
        f"[{_pct(summary.get('wilson_low')).rstrip('%')}–{_pct(summary.get('wilson_high'))}] "
        f"vs {summary.get('operator')} {_pct(summary.get('threshold'))} → "
        f"{summary.get('verdict')} ({judge} judge)"
    )


def evidence_elsewhere(assessment: Assessment) -> list[tuple[dict[str, Any], str]]:
    """The summaries that no listed obligation shows, each with where it went instead.

    The outputs list obligations only under provisions that apply (yes or unknown); a summary
    attached to a provision that does not apply on the date, or attached nowhere, is listed
    with this note instead.
    """
    applies = {p.id: p.applies for r in assessment.results for p in r.provisions}
    out = []
    for summary, obligations in evidence_attachments(assessment):
        shown = [o for o in obligations if applies.get(o.rsplit(".", 1)[0]) != "no"]
        if shown:
            continue
        if obligations:
            note = f"attached to {', '.join(obligations)}, which does not apply on the date"
        else:
            note = unattached_reason(summary)
        out.append((summary, note))
    return out


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
                    if ob.eval_results:
                        out.append(f"  - evidence ({ob.evidence_status}):")
                        out += [f"    - `{evidence_line(e)}`" for e in ob.eval_results]
        for p in r.upcoming:
            out += ["", f"- Upcoming from {p.starts}: `{p.id}` would apply: {p.applies}"]
        out += ["", "Sources: " + "; ".join(f"[{s['title']}]({s['url']})" for s in r.sources)]
    elsewhere = evidence_elsewhere(assessment)
    if elsewhere:
        out += ["", "## Other evaluation evidence", ""]
        out += [f"- `{evidence_line(e)}`: {note}" for e, note in elsewhere]
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
        evidence_line=evidence_line,
        elsewhere=evidence_elsewhere(assessment),
    )
