"""Render a report as HTML, Markdown, JSON or PDF, in English or Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, Any

from govbridge.errors import UsageError
from govbridge.report._i18n import LANGS, t, translate_trace_text
from govbridge.report._model import ContentCheck, ContentSection, ObligationEntry, Report
from govbridge.report._svg import risk_chart

if TYPE_CHECKING:
    import jinja2

__all__ = ["FORMATS", "render", "render_html", "render_json", "render_markdown", "render_pdf"]

#: The output formats, and whether each is text.
FORMATS = ("html", "md", "json", "pdf")

_CODE = re.compile(r"`([^`]+)`")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _number(value: float, unit: str) -> str:
    if unit == "ratio":
        return _pct(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def _pick(lang: str) -> Callable[[str, str | None], str]:
    def pick(en: str, zh: str | None) -> str:
        return zh if lang == "zh" and zh else en

    return pick


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    from importlib import resources

    import jinja2

    text = (resources.files("govbridge.report") / "templates" / "report.html").read_text("utf-8")
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False
    )
    return env.from_string(text)


def _obligations(report: Report) -> dict[str, ObligationEntry]:
    return {
        o.id: o
        for j in report.jurisdictions
        for i in j.instruments
        for p in i.provisions
        for o in p.obligations
    }


def _chart(check: ContentCheck, content: ContentSection, lang: str) -> str:
    """The chart of one check: TC260 risks, or the concepts of the jurisdiction's scheme."""
    pick = _pick(lang)
    rows = []
    if check.rate is not None:
        rows.append((t("c.overall", lang), check.rate, check.wilson_low, check.wilson_high))
    if content.scheme == "tc260" or not content.crosswalk:
        for r in check.per_risk:
            if r.rate is None:
                continue
            name = f"{r.risk} {pick(r.label.en, r.label.zh)}" if r.label else r.risk
            rows.append((name, r.rate, r.wilson_low, r.wilson_high))
    else:
        for c in check.concepts:
            if c.rate is not None and c.wilson_low is not None and c.wilson_high is not None:
                name = f"{c.code} {pick(c.label.en, c.label.zh)}"
                rows.append((name, c.rate, c.wilson_low, c.wilson_high))
    title = t("c.chart_title", lang, check=t(f"check.{check.check}", lang))
    return risk_chart(rows, title, check.threshold, check.operator)


def render_html(report: Report, lang: str = "en") -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script).

    Args:
        report: The report.
        lang: ``en`` or ``zh``.

    Returns:
        The HTML text.

    Raises:
        UsageError: When the language is not supported.
    """
    _check_lang(lang)
    from markupsafe import Markup

    obligations = _obligations(report)

    def code(text: str) -> Markup:
        return Markup(_CODE.sub(r"<code>\1</code>", escape(text, quote=False)))

    def tr(text: Any) -> str:
        return translate_trace_text(str(text), lang)

    def message(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    html = _template().render(
        r=report,
        html_lang="zh-Hans" if lang == "zh" else "en",
        t=message,
        pick=_pick(lang),
        tr=tr,
        code=code,
        pct=_pct,
        number=_number,
        obligation=obligations.__getitem__,
        chart=lambda check, content: Markup(_chart(check, content, lang)),
    )
    # Blank lines left by template tags carry no meaning; drop them for a compact file.
    return "\n".join(line for line in html.splitlines() if line.strip()) + "\n"


def render_json(report: Report) -> str:
    """The report as a ``govbridge/report/v1`` JSON document (both languages)."""
    return report.to_json()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_trace(node: dict[str, Any], lang: str, depth: int = 0) -> list[str]:
    parts = [
        f"{t('tri.' + node.get('result', 'unknown'), lang)}:",
        translate_trace_text(str(node.get("test", "")), lang),
    ]
    if "values" in node:
        shown = t("list.sep", lang).join(f"{k} = {v}" for k, v in node["values"].items())
        parts.append(f"[{shown}]")
    elif "value" in node:
        parts.append(f"[{t('trace.value', lang)}: {node['value']}]")
    source = node.get("threshold_source")
    if source:
        shown = node.get("threshold_text", node.get("threshold", ""))
        parts.append(f"({shown}: {source.get('title')}, {source.get('section')})")
    if node.get("note"):
        parts.append(f"-- {translate_trace_text(str(node['note']), lang)}")
    lines = ["  " * depth + " ".join(str(p) for p in parts)]
    for child in node.get("children", []):
        lines.extend(_md_trace(child, lang, depth + 1))
    return lines


def render_markdown(report: Report, lang: str = "en") -> str:
    """The report as Markdown, for pull requests: the summary, the gaps and the verdicts.

    Args:
        report: The report.
        lang: ``en`` or ``zh``.

    Returns:
        The Markdown text.

    Raises:
        UsageError: When the language is not supported.
    """
    _check_lang(lang)
    pick = _pick(lang)

    def m(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    obligations = _obligations(report)
    sep = m("list.sep")
    out = [f"# {m('report.title', model=report.model['name'])}", "", m("report.subtitle"), ""]
    dossier = report.inputs.dossier
    evidence = sep.join(f"{e.name} (`sha256:{e.sha256[:16]}`)" for e in report.inputs.evidence)
    out += [
        f"- {m('meta.as_of')}: **{report.as_of}**",
        f"- {m('meta.kb')}: {report.kb_edition} (`{report.kb_version}`)",
        f"- {m('meta.dossier')}: "
        + (f"{dossier.name} (`sha256:{dossier.sha256[:16]}`)" if dossier else m("meta.none")),
        f"- {m('meta.evidence')}: {evidence or m('meta.none')}",
        f"- {m('meta.crosswalk')}: {pick(report.crosswalk.note.en, report.crosswalk.note.zh)}",
        "",
        f"> {m('report.disclaimer')}",
        "",
        f"## {m('h.summary')}",
    ]
    for j in report.jurisdictions:
        counts = " · ".join(f"{m('verdict.' + v)} {c}" for v, c in j.summary.verdicts.items())
        out += ["", f"### {pick(j.name.en, j.name.zh)} ({sep.join(j.members)})", ""]
        out += [f"{m('sum.verdicts')}: {counts}", "", f"**{m('sum.in_force')}**", ""]
        in_force = [i for i in j.instruments if i.status == "in_force"]
        if in_force:
            out += [
                f"| {m('col.instrument')} | {m('col.status')} | {m('col.applies')} |",
                "| --- | --- | --- |",
            ]
            for i in in_force:
                out.append(
                    f"| {_md_cell(pick(i.title, i.title_zh))} (`{i.id}`) | "
                    f"{m('status.' + i.status)} | {m('tri.' + i.applies)} |"
                )
        else:
            out.append(m("sum.no_in_force"))
        out += ["", f"**{m('sum.obligations')}**", ""]
        if j.summary.obligations:
            out += [
                f"| {m('col.obligation')} | {m('col.deadline')} | {m('col.applies')} | "
                f"{m('col.verdict')} |",
                "| --- | --- | --- | --- |",
            ]
            for o in j.summary.obligations:
                ob = obligations[o.id]
                out.append(
                    f"| {_md_cell(pick(ob.summary, ob.summary_zh))} (`{o.id}`) | "
                    f"{_md_cell(o.deadline)} | {m('tri.' + o.applies)} | "
                    f"{m('verdict.' + o.verdict)} |"
                )
        else:
            out.append(m("sum.no_obligations"))
        out += ["", f"**{m('sum.upcoming')}**", ""]
        upcoming = [u for i in j.instruments for u in i.upcoming]
        if upcoming:
            for u in upcoming:
                item = m(
                    "sum.upcoming_item",
                    provision=pick(u.title, u.title_zh),
                    date=u.starts,
                    applies=m("tri." + u.applies),
                )
                out.append(f"- {item} (`{u.id}`)")
        else:
            out.append(m("sum.no_upcoming"))
    out += ["", f"## {m('h.gaps')}", ""]
    if report.gaps:
        out += [
            f"{n}. [{g.jurisdiction}] {pick(g.text.en, g.text.zh)}"
            for n, g in enumerate(report.gaps, 1)
        ]
    else:
        out.append(m("gaps.none"))
    for j in report.jurisdictions:
        out += ["", f"## {m('h.details')}: {pick(j.name.en, j.name.zh)}"]
        for i in j.instruments:
            out += [
                "",
                f"### {pick(i.title, i.title_zh)} (`{i.id}`)",
                "",
                f"{m('d.status', status=m('status.' + i.status))}"
                + (f" ({m('d.since', date=i.status_since)})" if i.status_since else "")
                + f" · {m('d.applies', applies=m('tri.' + i.applies))}",
            ]
            for p in i.provisions:
                out += ["", f"#### {pick(p.title, p.title_zh)} (`{p.id}`): {m('tri.' + p.applies)}"]
                if p.missing_facts:
                    out += ["", f"{m('d.missing')}: " + sep.join(f"`{f}`" for f in p.missing_facts)]
                out += ["", "```text"]
                for node in p.trace:
                    out.extend(_md_trace(node, lang))
                out.append("```")
                if p.applies != "no":
                    for entry in p.obligations:
                        out.append(
                            f"- {pick(entry.summary, entry.summary_zh)} "
                            f"({m('col.deadline')}: {entry.deadline}) "
                            f"**{m('verdict.' + entry.verdict)}**: "
                            f"{pick(entry.basis.en, entry.basis.zh)}"
                        )
        content = j.content
        out += [
            "",
            f"### {m('c.title', scheme=pick(content.scheme_title.en, content.scheme_title.zh))}",
            "",
        ]
        if not content.checks:
            out.append(m("c.none"))
            continue
        out += [
            f"| {m('col.check')} | {m('col.n')} | {m('col.rate')} | {m('col.interval')} | "
            f"{m('col.threshold')} | {m('col.verdict')} |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for c in content.checks:
            threshold = f"{c.operator} {_pct(c.threshold)}" if c.threshold is not None else "-"
            verdict = m("verdict." + c.verdict) if c.verdict else "-"
            out.append(
                f"| {m('check.' + c.check)} (`{c.protocol or c.evidence}`) | {c.n} | "
                f"{_pct(c.rate)} | {_pct(c.wilson_low)} - {_pct(c.wilson_high)} | {threshold} | "
                f"{verdict} |"
            )
        for c in content.checks:
            if not c.per_risk:
                continue
            out += ["", f"**{m('c.chart_title', check=m('check.' + c.check))}**", ""]
            out += [
                f"| {m('col.risk')} | {m('col.n')} | {m('col.rate')} | {m('col.interval')} | "
                f"{m('col.terms')} |",
                "| --- | --- | --- | --- | --- |",
            ]
            for k in c.per_risk:
                terms = sep.join(f"`{x.code}` {pick(x.label.en, x.label.zh)}" for x in k.terms)
                out.append(
                    f"| `{k.risk}` | {k.n} | {_pct(k.rate)} | {_pct(k.wilson_low)} - "
                    f"{_pct(k.wilson_high)} | {_md_cell(terms) or '-'} |"
                )
    out += ["", f"## {m('h.method')}", "", m("method.applies"), "", m("method.verdicts"), ""]
    out += [m("method.intervals"), "", m("method.documents"), ""]
    out.append(
        m(
            "report.generated",
            version=report.govbridge_version,
            edition=report.kb_edition,
            kb=report.kb_version,
        )
    )
    return "\n".join(out) + "\n"


def render_pdf(report: Report, lang: str = "en") -> bytes:
    """The report as PDF, through WeasyPrint (the ``pdf`` extra).

    Raises:
        UsageError: When WeasyPrint or its system libraries (pango) are not installed.
    """
    html = render_html(report, lang)
    try:
        import weasyprint  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except (ImportError, OSError) as exc:
        raise UsageError(
            "--format pdf needs WeasyPrint: pip install 'govbridge[pdf]', and the pango "
            f"libraries (Debian: libpango-1.0-0 libpangoft2-1.0-0); {type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}"
        ) from None
    pdf: bytes = weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The report loads nothing: WeasyPrint may not fetch any URL while rendering."""
    raise ValueError(f"the report loads no resource; refused {url}")


def render(report: Report, fmt: str, lang: str = "en") -> str | bytes:
    """Render a report in one of :data:`FORMATS`.

    Raises:
        UsageError: When the format or the language is not supported.
    """
    _check_lang(lang)
    if fmt == "html":
        return render_html(report, lang)
    if fmt == "md":
        return render_markdown(report, lang)
    if fmt == "json":
        return render_json(report)
    if fmt == "pdf":
        return render_pdf(report, lang)
    raise UsageError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
