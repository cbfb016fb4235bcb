"""Comparison output: the ``govbridge/compare/v1`` JSON document, Markdown and HTML."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from govbridge.compare._compare import (
    COMPARE_SCHEMA,
    FOCUS_TAGS,
    Comparison,
    FocusSide,
    ForumRow,
    InstrumentEntry,
    PrincipleRow,
    RoleEntry,
    SidePosition,
    Threshold,
)
from govbridge.compare._shared import RiskLink, SharedGround

__all__ = ["role_text", "shared_ground_note", "to_dict", "to_html", "to_json", "to_markdown"]

_UNVERIFIED_MARK = "†"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _entry(e: InstrumentEntry) -> dict[str, Any]:
    return {
        "instrument": e.id,
        "short": e.short,
        "title": e.title,
        "title_zh": e.title_zh,
        "jurisdiction": e.jurisdiction,
        "kind": e.kind,
        "focus": list(e.focus),
        "binding": e.binding,
        "status": e.status,
        "status_since": _date(e.status_since),
        "uses_compute_threshold": e.uses_compute_threshold,
        "compute_thresholds": [
            {
                "provision": t.provision,
                "test": t.test,
                "value_flop": t.value,
                "starts": _date(t.starts),
                "repealed": t.repealed,
            }
            for t in e.thresholds
        ],
    }


def _side(side: FocusSide) -> dict[str, Any]:
    return {
        "in_force": [_entry(e) for e in side.in_force],
        "by_focus": {tag: list(ids) for tag, ids in side.by_focus.items()},
        "compute_threshold": list(side.compute_threshold),
        "non_binding_in_force": [_entry(e) for e in side.non_binding_in_force],
        "not_in_force": [_entry(e) for e in side.not_in_force],
    }


def _position(p: SidePosition) -> dict[str, Any]:
    return {
        "stance": p.stance,
        "stance_text": p.stance_text,
        "since": _date(p.since),
        "position": p.position,
        "position_zh": p.position_zh,
        "sources": list(p.sources),
        "verified": p.verified,
        "note": p.note,
        "from_jurisdiction": p.from_jurisdiction,
    }


def _role(r: RoleEntry) -> dict[str, Any]:
    return {
        "role": r.role,
        "date": _date(r.date),
        "verified": r.verified,
        "source": r.source,
        "url": r.url,
        "section": r.section,
        "note": r.note,
    }


def to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as a ``govbridge/compare/v1`` document (see docs/compare.md)."""
    return {
        "schema": COMPARE_SCHEMA,
        "a": c.a,
        "b": c.b,
        "as_of": c.as_of.isoformat(),
        "kb_version": c.kb_version,
        "kb_edition": c.kb_edition,
        "focus": {c.a: _side(c.focus[0]), c.b: _side(c.focus[1])},
        "principles": [
            {
                "id": p.id,
                "title": p.title,
                "title_zh": p.title_zh,
                "question": p.question,
                "verdict": p.verdict,
                "positions": {c.a: _position(p.a), c.b: _position(p.b)},
                "kb_evidence": p.evidence_kind,
                "evidence": {c.a: list(p.evidence_a), c.b: list(p.evidence_b)},
            }
            for p in c.principles
        ],
        "international": {
            "participation": [
                {
                    "instrument": r.id,
                    "short": r.short,
                    "title": r.title,
                    "kind": r.kind,
                    "forum": r.forum,
                    "date": _date(r.date),
                    "status": r.status,
                    "parties_recorded": r.parties,
                    "roles": {c.a: [_role(x) for x in r.a], c.b: [_role(x) for x in r.b]},
                }
                for r in c.participation
            ],
            "forums": [
                {
                    "forum": f.forum,
                    "engagement": {c.a: f.a, c.b: f.b},
                    "engaged": _engaged(c, f),
                    "led": {c.a: list(f.a_lead), c.b: list(f.b_lead)},
                    "instruments": list(f.instruments),
                }
                for f in c.forums
            ],
        },
        "shared_ground": _shared(c.shared_ground),
        "notes": [shared_ground_note(c)],
    }


def _link(link: RiskLink) -> dict[str, Any]:
    return {
        "a": link.a,
        "a_name": link.a_name,
        "relation": link.relation,
        "b": link.b,
        "b_name": link.b_name,
        "b_zh": link.b_zh,
        "rationale": link.rationale,
        "stated_by": link.stated_by,
    }


def _shared(s: SharedGround | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "a_schemes": list(s.a_schemes),
        "b_schemes": list(s.b_schemes),
        "crosswalk_version": s.crosswalk_version,
        "shared": [_link(x) for x in s.shared],
        "contained": [_link(x) for x in s.contained],
        "a_only": [{"concept": i, "name": n} for i, n in s.a_only],
        "b_only": [{"concept": i, "name": n} for i, n in s.b_only],
    }


def shared_ground_note(c: Comparison) -> str:
    """One line on how the shared ground was found, or why there is none."""
    s = c.shared_ground
    if s is None:
        return (
            f"No shared ground: {c.a} or {c.b} has no risk taxonomy in the crosswalk published "
            f"on or before {c.as_of}."
        )
    return (
        f"Shared ground from the crosswalk ({s.crosswalk_version}): {', '.join(s.a_schemes)} "
        f"against {', '.join(s.b_schemes)}; {len(s.shared)} exact or close matches, "
        f"{len(s.contained)} risks contained in one another."
    )


def _engaged(c: Comparison, f: ForumRow) -> str:
    return {"both": "both", "a": c.a, "b": c.b, "neither": "neither"}[f.engaged]


def to_json(c: Comparison) -> str:
    """The comparison as indented JSON, ending with a newline."""
    return json.dumps(to_dict(c), ensure_ascii=False, indent=2) + "\n"


def role_text(roles: tuple[RoleEntry, ...]) -> str:
    """Roles as short text, ``†`` marking an unverified one; ``—`` when none is recorded.

    >>> role_text(())
    '—'
    """
    if not roles:
        return "—"
    return ", ".join(r.role + ("" if r.verified else _UNVERIFIED_MARK) for r in roles)


def _names(side: FocusSide, ids: tuple[str, ...]) -> str:
    by_id = {e.id: e for e in side.in_force}
    return ", ".join(
        by_id[i].short + (" [FLOP]" if by_id[i].uses_compute_threshold else "") for i in ids
    )


def _thresholds(side: FocusSide) -> list[Threshold]:
    return [t for e in side.in_force for t in e.thresholds if not t.repealed]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _unverified_count(c: Comparison) -> tuple[int, int]:
    roles = sum(1 for r in c.participation for x in (*r.a, *r.b) if not x.verified)
    positions = sum(
        1 for p in c.principles for s in (p.a, p.b) if s.stance != "no_record" and not s.verified
    )
    return roles, positions


def _position_md(label: str, p: SidePosition) -> list[str]:
    if p.stance == "no_record":
        return [f"- **{label}**: no position recorded ({p.note})"]
    mark = "" if p.verified else f" {_UNVERIFIED_MARK}"
    inherited = f" (position of {p.from_jurisdiction})" if p.from_jurisdiction != label else ""
    lines = [f"- **{label}**{inherited}, since {p.since}: `{p.stance}`{mark}: {p.position}"]
    for s in p.sources:
        lines.append(f"  - source: [{s['title']}]({s['url']}), {s['section']}")
    if p.note:
        lines.append(f"  - note: {p.note}")
    return lines


def _principle_md(c: Comparison, p: PrincipleRow) -> list[str]:
    lines = [f"### {p.title} ({p.verdict})", "", f"{p.question}", ""]
    lines += _position_md(c.a, p.a) + _position_md(c.b, p.b)
    if p.evidence_kind:
        ev_a, ev_b = ", ".join(p.evidence_a) or "none", ", ".join(p.evidence_b) or "none"
        lines.append(
            f"- from the knowledge base ({p.evidence_kind}, binding and in force): "
            f"{c.a}: {ev_a}; {c.b}: {ev_b}"
        )
    return [*lines, ""]


def _shared_md(c: Comparison) -> list[str]:
    s = c.shared_ground
    out = ["## Shared ground", "", shared_ground_note(c), ""]
    if s is None:
        return out
    out += [
        "Risks both taxonomies name (exactMatch, closeMatch):",
        "",
        f"| {c.a} risk | relation | {c.b} risk | stated by |",
        "| --- | --- | --- | --- |",
    ]
    for x in s.shared:
        out.append(
            f"| {_cell(x.a_name)} (`{x.a}`) | {x.relation} | {_cell(x.b_name)} (`{x.b}`) | "
            f"{_cell(x.stated_by)} |"
        )
    if not s.shared:
        out.append("| none | | | |")
    out += [
        "",
        "Risks of which one is a part of the other (broadMatch: the second is broader; "
        "narrowMatch: the second is narrower):",
        "",
        f"| {c.a} risk | relation | {c.b} risk | stated by |",
        "| --- | --- | --- | --- |",
    ]
    for x in s.contained:
        out.append(
            f"| {_cell(x.a_name)} (`{x.a}`) | {x.relation} | {_cell(x.b_name)} (`{x.b}`) | "
            f"{_cell(x.stated_by)} |"
        )
    if not s.contained:
        out.append("| none | | | |")
    out += [
        "",
        f"- {c.a} risks with no such counterpart in {', '.join(s.b_schemes)}: "
        + (", ".join(f"{n} (`{i}`)" for i, n in s.a_only) or "none"),
        f"- {c.b} risks with no such counterpart in {', '.join(s.a_schemes)}: "
        + (", ".join(f"{n} (`{i}`)" for i, n in s.b_only) or "none"),
    ]
    return out


def to_markdown(c: Comparison) -> str:
    """The comparison as Markdown."""
    a, b = c.focus
    out = [
        f"# {c.a} and {c.b} compared, as of {c.as_of}",
        "",
        f"Knowledge base {c.kb_edition} ({c.kb_version}). Derived from the knowledge base and "
        f"`principles.yaml`; {_UNVERIFIED_MARK} marks a fact that rests on secondary sources or on "
        "govbridge's analysis.",
        "",
        "## 1. Focus of regulation",
        "",
        f"Binding instruments in force on {c.as_of}, by focus; [FLOP] marks an instrument whose "
        "conditions compare training compute with a threshold.",
        "",
        f"| focus | {c.a} | {c.b} |",
        "| --- | --- | --- |",
    ]
    for tag in FOCUS_TAGS:
        out.append(
            f"| {tag} | {_cell(_names(a, a.by_focus[tag])) or '—'} | "
            f"{_cell(_names(b, b.by_focus[tag])) or '—'} |"
        )
    out.append("")
    for side in (a, b):
        out.append(f"**{side.jurisdiction}: compute thresholds in force**")
        out.append("")
        items = _thresholds(side)
        if not items:
            out.append("- none")
        for t in items:
            starts = f" (applies from {t.starts})" if t.starts else ""
            out.append(f"- `{t.provision}`: {t.test}{starts}")
        out.append("")
        if side.non_binding_in_force:
            names = ", ".join(f"{e.short} ({e.id})" for e in side.non_binding_in_force)
            out += [f"**{side.jurisdiction}: in force, not binding**: {names}", ""]
        if side.not_in_force:
            out.append(f"**{side.jurisdiction}: not in force on {c.as_of}**")
            out.append("")
            for e in side.not_in_force:
                since = f" since {e.status_since}" if e.status_since else ""
                out.append(f"- {e.short} (`{e.id}`): {e.status}{since}")
            out.append("")
    out += [
        "## 2. Key principles",
        "",
        f"| principle | {c.a} | {c.b} | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for p in c.principles:
        out.append(f"| {p.title} | `{p.a.stance}` | `{p.b.stance}` | **{p.verdict}** |")
    out.append("")
    for p in c.principles:
        out += _principle_md(c, p)
    out += [
        "## 3. International governance",
        "",
        f"Roles recorded in the knowledge base on {c.as_of}; — means no role is recorded.",
        "",
        f"| instrument | date | forum | {c.a} | {c.b} |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in c.participation:
        out.append(
            f"| {_cell(r.short)} (`{r.id}`) | {r.date} | {_cell(r.forum)} | "
            f"{role_text(r.a)} | {role_text(r.b)} |"
        )
    out += [
        "",
        "### Forums",
        "",
        "Engagement per forum, from the roles above: lead (sponsored, proposed, hosted), joined, "
        "stayed out, or none.",
        "",
        f"| forum | {c.a} | {c.b} | engaged |",
        "| --- | --- | --- | --- |",
    ]
    for f in c.forums:
        out.append(f"| {_cell(f.forum)} | {f.a} | {f.b} | {_engaged(c, f)} |")
    out.append("")
    led_a = [f.forum for f in c.forums if f.a_lead]
    led_b = [f.forum for f in c.forums if f.b_lead]
    out.append(f"- {c.a} leads in: {', '.join(led_a) or 'none'}")
    out.append(f"- {c.b} leads in: {', '.join(led_b) or 'none'}")
    only_a = [f.forum for f in c.forums if f.engaged == "a"]
    only_b = [f.forum for f in c.forums if f.engaged == "b"]
    out.append(f"- only {c.a} takes part in: {', '.join(only_a) or 'none'}")
    out.append(f"- only {c.b} takes part in: {', '.join(only_b) or 'none'}")
    out += ["", *_shared_md(c)]
    roles, positions = _unverified_count(c)
    out += [
        "",
        "## Notes",
        "",
        f"- Unverified ({_UNVERIFIED_MARK}): {roles} of the roles and {positions} of the positions "
        "shown; each carries a note in the data.",
        "",
    ]
    return "\n".join(out)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ c.a }} and {{ c.b }} compared, as of {{ c.as_of }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 72rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.aligned { color: #1a7f37; font-weight: bold; }
.divergent { color: #b42318; font-weight: bold; }
.not_comparable, .unverified { color: #8a6d00; }
.small { font-size: 0.85rem; color: #555; }
</style>
</head>
<body>
<h1>{{ c.a }} and {{ c.b }} compared, as of {{ c.as_of }}</h1>
<p class="small">Knowledge base {{ c.kb_edition }} ({{ c.kb_version }}). Derived from the
knowledge base and principles.yaml; &dagger; marks a fact that rests on secondary sources or on
govbridge's analysis.</p>

<h2>1. Focus of regulation</h2>
<p>Binding instruments in force on {{ c.as_of }}, by focus; [FLOP] marks an instrument whose
conditions compare training compute with a threshold.</p>
<table>
<tr><th>focus</th><th>{{ c.a }}</th><th>{{ c.b }}</th></tr>
{% for tag in tags %}<tr><td>{{ tag }}</td>
{%- for side in c.focus %}<td>{{ names(side, side.by_focus[tag]) or "—" }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% for side in c.focus %}
<h3>{{ side.jurisdiction }}</h3>
<p>Compute thresholds in force:</p>
<ul>
{%- for t in thresholds(side) %}
<li><code>{{ t.provision }}</code>: {{ t.test }}
{%- if t.starts %} (applies from {{ t.starts }}){% endif %}</li>
{%- else %}
<li>none</li>
{%- endfor %}
</ul>
{% if side.non_binding_in_force %}<p>In force, not binding:
{% for e in side.non_binding_in_force %}{{ e.short }} (<code>{{ e.id }}</code>)
{%- if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
{% if side.not_in_force %}<p>Not in force on {{ c.as_of }}:</p>
<ul>
{%- for e in side.not_in_force %}
<li>{{ e.short }} (<code>{{ e.id }}</code>): {{ e.status }}
{%- if e.status_since %} since {{ e.status_since }}{% endif %}</li>
{%- endfor %}
</ul>{% endif %}
{% endfor %}

<h2>2. Key principles</h2>
<table>
<tr><th>principle</th><th>{{ c.a }}</th><th>{{ c.b }}</th><th>verdict</th></tr>
{% for p in c.principles %}<tr><td>{{ p.title }}
{%- if p.title_zh %}<br><span class="small">{{ p.title_zh }}</span>{% endif %}</td>
{%- for s in (p.a, p.b) %}<td>
{%- if s.stance == "no_record" %}<em>no position recorded</em>
<br><span class="small">{{ s.note }}</span>
{%- else %}<code>{{ s.stance }}</code>
{%- if not s.verified %} <span class="unverified">&dagger;</span>{% endif %}
<span class="small">(since {{ s.since }}
{%- if s.from_jurisdiction != s.jurisdiction %}, position of {{ s.from_jurisdiction }}
{%- endif %})</span><br>{{ s.position }}
{%- for src in s.sources %}<br><span class="small">source:
<a href="{{ src.url }}">{{ src.title }}</a>, {{ src.section }}</span>{% endfor %}
{%- if s.note %}<br><span class="small">note: {{ s.note }}</span>{% endif %}
{%- endif %}</td>{% endfor %}
<td class="{{ p.verdict }}">{{ p.verdict }}
{%- if p.evidence_kind %}<br><span class="small">knowledge base ({{ p.evidence_kind }}):
{{ c.a }}: {{ p.evidence_a | join(", ") or "none" }};
{{ c.b }}: {{ p.evidence_b | join(", ") or "none" }}</span>{% endif %}</td></tr>
{% endfor %}</table>

<h2>3. International governance</h2>
<p>Roles recorded in the knowledge base on {{ c.as_of }}; — means no role is recorded.</p>
<table>
<tr><th>instrument</th><th>date</th><th>forum</th><th>{{ c.a }}</th><th>{{ c.b }}</th></tr>
{% for r in c.participation %}<tr><td>{{ r.short }}<br><code class="small">{{ r.id }}</code></td>
<td>{{ r.date }}</td><td>{{ r.forum }}</td>
{%- for roles in (r.a, r.b) %}<td>{% if not roles %}—{% endif %}
{%- for x in roles %}{% if x.url %}<a href="{{ x.url }}" title="{{ x.section }}">{{ x.role }}</a>
{%- else %}{{ x.role }}{% endif %}
{%- if not x.verified %}<span class="unverified" title="{{ x.note }}">&dagger;</span>{% endif %}
{%- if not loop.last %}, {% endif %}{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table>
<h3>Forums</h3>
<table>
<tr><th>forum</th><th>{{ c.a }}</th><th>{{ c.b }}</th><th>engaged</th></tr>
{% for f in c.forums %}<tr><td>{{ f.forum }}</td><td>{{ f.a }}</td><td>{{ f.b }}</td>
<td>{{ engaged(f) }}</td></tr>
{% endfor %}</table>

<h2>Shared ground</h2>
<p>{{ shared_note }}</p>
{% if c.shared_ground %}{% set s = c.shared_ground %}
{% for title, links in (("Risks both taxonomies name (exactMatch, closeMatch)", s.shared),
  ("Risks of which one is a part of the other (broadMatch, narrowMatch)", s.contained)) %}
<p>{{ title }}:</p>
<table>
<tr><th>{{ c.a }} risk</th><th>relation</th><th>{{ c.b }} risk</th><th>stated by</th></tr>
{% for x in links %}<tr><td>{{ x.a_name }}<br><code class="small">{{ x.a }}</code></td>
<td>{{ x.relation }}</td>
<td>{{ x.b_name }}{% if x.b_zh %} ({{ x.b_zh }}){% endif %}<br><code class="small">{{ x.b }}</code>
</td><td><span title="{{ x.rationale }}">{{ x.stated_by }}</span></td></tr>
{% else %}<tr><td colspan="4">none</td></tr>
{% endfor %}</table>
{% endfor %}
<p>{{ c.a }} risks with no such counterpart:
{% for i, n in s.a_only %}{{ n }} (<code>{{ i }}</code>){% if not loop.last %}, {% endif %}
{%- else %}none{% endfor %}</p>
<p>{{ c.b }} risks with no such counterpart:
{% for i, n in s.b_only %}{{ n }} (<code>{{ i }}</code>){% if not loop.last %}, {% endif %}
{%- else %}none{% endfor %}</p>
{% endif %}

<h2>Notes</h2>
<ul>
<li>Unverified (&dagger;): {{ unverified[0] }} of the roles and {{ unverified[1] }} of the
positions shown; each carries a note in the data.</li></ul>
</body>
</html>
"""


def to_html(c: Comparison) -> str:
    """The comparison as a self-contained HTML page (no scripts, no external assets)."""
    import jinja2

    template = jinja2.Environment(autoescape=True).from_string(_TEMPLATE)
    return template.render(
        c=c,
        tags=FOCUS_TAGS,
        names=_names,
        thresholds=_thresholds,
        engaged=lambda f: _engaged(c, f),
        shared_note=shared_ground_note(c),
        unverified=_unverified_count(c),
    )
