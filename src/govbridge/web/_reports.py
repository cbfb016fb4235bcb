"""Reports and evaluation summaries for the dashboard, through ``govbridge.report``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from govbridge.errors import UsageError

if TYPE_CHECKING:
    from govbridge.store import DossierVersion
    from govbridge.web._service import Dashboard

__all__ = ["parse_summary", "render_report"]


def parse_summary(data: bytes, file: str) -> dict[str, Any]:
    """Validate an uploaded evaluation summary; return it as a JSON object.

    The summary is checked strictly against ``govbridge/eval-summary/v1`` by
    ``govbridge.report``, with that package's messages.

    Raises:
        InputError: When the bytes are not a valid summary.
    """
    from govbridge.report import parse_eval_summary

    parse_eval_summary(data, file)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{file}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(document, dict):
        raise UsageError(f"{file}: an evaluation summary is a JSON object")
    return document


def render_report(
    dash: Dashboard,
    version: DossierVersion,
    as_of: dt.date,
    jurisdictions: Sequence[str],
    fmt: str,
    lang: str,
) -> bytes:
    """The harmonised report of a stored dossier version on a date, in one format.

    The evaluation summaries stored for that dossier are the report's evidence.
    """
    from govbridge.report import EvidenceFile, build_report, parse_eval_summary, render

    assessment = dash.assess(dash.dossier(version), as_of, jurisdictions)
    evidence = []
    for record in dash.store.eval_summaries(version.name):
        raw = json.dumps(record.content, ensure_ascii=False).encode()
        name = f"eval-summary-{record.id}.json"
        evidence.append(
            EvidenceFile(
                name=name,
                path=name,
                sha256=hashlib.sha256(raw).hexdigest(),
                summary=parse_eval_summary(raw, name),
            )
        )
    report = build_report(assessment, dash.kb, evidence=evidence)
    body = render(report, fmt, lang)
    return body.encode("utf-8") if isinstance(body, str) else body
