"""The harmonised report: one document for every jurisdiction, in JSON, HTML, Markdown or PDF.

:func:`build_report` turns an assessment, content-evaluation summaries and the crosswalk into a
``govbridge/report/v1`` document (:class:`Report`, see docs/report.md); the renderers show it in
English or Chinese.

>>> import datetime as dt
>>> from govbridge.dossier import from_mapping
>>> from govbridge.kb import load_kb
>>> from govbridge.rules import assess
>>> kb = load_kb()
>>> d = from_mapping({"model": {"name": "M"}, "deployment": {"markets": ["CN"],
...                   "offered_to_public": True}})
>>> report = build_report(assess(d, kb, dt.date(2026, 1, 1)), kb)
>>> report.schema_, [j.code for j in report.jurisdictions][:3]
('govbridge/report/v1', ['US', 'CN', 'EU'])
>>> any(g.action == "run_evaluation" for g in report.gaps)
True
"""

from govbridge.report._build import SCHEMES, build_report, file_digest
from govbridge.report._evidence import (
    EVAL_SUMMARY_SCHEMA,
    EvalCheck,
    EvalSummary,
    EvidenceError,
    EvidenceFile,
    RiskRate,
    load_evidence,
    parse_eval_summary,
)
from govbridge.report._i18n import LANGS, MESSAGES, t
from govbridge.report._model import (
    REPORT_SCHEMA,
    ContentCheck,
    Digest,
    Gap,
    Report,
    ReportError,
    Verdict,
    parse_report,
)
from govbridge.report._render import (
    FORMATS,
    render,
    render_html,
    render_json,
    render_markdown,
    render_pdf,
)

__all__ = [
    "EVAL_SUMMARY_SCHEMA",
    "FORMATS",
    "LANGS",
    "MESSAGES",
    "REPORT_SCHEMA",
    "SCHEMES",
    "ContentCheck",
    "Digest",
    "EvalCheck",
    "EvalSummary",
    "EvidenceError",
    "EvidenceFile",
    "Gap",
    "Report",
    "ReportError",
    "RiskRate",
    "Verdict",
    "build_report",
    "file_digest",
    "load_evidence",
    "parse_eval_summary",
    "parse_report",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "t",
]
