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
        parts.append(f"(threshold {trace.get('threshold_text', trace.get('threshold', ''))}: "
                     f"{source.get('title')}, {source.get('section')})")
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
        out += ["", f"## {r.title} (`{r.instrument}`)", "",
                f"Status: {r.status}" + (f" since {r.status_since}" if r.status_since else "")
                + f"; applies: **{r.applies}**."]
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


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>govbridge assessment: {{ name }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
.yes{background:#fde2e1}.no{background:#e6f4ea}.unknown{background:#fff4d6}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;font-size:.85rem}
</style></head><body>
<h1>govbridge assessment: {{ name }}</h1>
<p>As of <strong>{{ as_of }}</strong>; knowledge base {{ edition }} ({{ version }}).</p>
<table><thead><tr><th>instrument</th><th>jurisdiction</th><th>status</th><th>applies</th>
<th>missing facts</th></tr></thead><tbody>
{% for r in results %}<tr><td><a href="#{{ r.instrument }}">{{ r.short or r.title }}</a></td>
<td>{{ r.jurisdiction }}</td><td>{{ r.status }}</td><td class="{{ r.applies }}">{{ r.applies }}</td>
<td>{{ r.missing_facts|join(', ') }}</td></tr>
{% endfor %}</tbody></table>
{% for r in results %}<section id="{{ r.instrument }}"><h2>{{ r.title }} <small>{{ r.title_zh }}</small></h2>
<p>Status: {{ r.status }}{% if r.status_since %} since {{ r.status_since }}{% endif %};
applies: <strong class="{{ r.applies }}">{{ r.applies }}</strong></p>
{% for p in r.provisions %}<h3>{{ p.id }}: <span class="{{ p.applies }}">{{ p.applies }}</span></h3>
<p>{{ p.title }}</p><pre>{{ lines(p) }}</pre>
{% if p.applies != 'no' %}<ul>{% for ob in p.obligations %}<li>{{ ob.summary }}
(deadline: {{ ob.deadline }}; {{ ob.source.section }})</li>{% endfor %}</ul>{% endif %}
{% endfor %}
{% for p in r.upcoming %}<p>Upcoming from {{ p.starts }}: {{ p.id }} would apply: {{ p.applies }}</p>{% endfor %}
<p>Sources: {% for s in r.sources %}<a href="{{ s.url }}">{{ s.title }}</a>{% if not loop.last %}; {% endif %}{% endfor %}</p>
</section>{% endfor %}
</body></html>
"""


def to_html(assessment: Assessment) -> str:
    """The assessment as a self-contained HTML page (no scripts, no external assets)."""
    import jinja2

    env = jinja2.Environment(autoescape=True)
    template = env.from_string(_HTML)
    return template.render(
        name=assessment.dossier.model.name,
        as_of=assessment.as_of.isoformat(),
        edition=assessment.kb_edition,
        version=assessment.kb_version,
        results=assessment.results,
        lines=lambda p: "\n".join(line for t in p.trace for line in trace_lines(t)),
    )
