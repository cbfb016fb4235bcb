"""The report model: the ``govbridge/report/v1`` document (see docs/report.md).

The report is built from an assessment, evaluation summaries and the crosswalk by
:func:`govbridge.report.build_report`. It holds data in both languages; only rendering picks one.
It reads back strictly with :func:`parse_report`, so that ``govbridge attest sign`` signs only
well-formed reports.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govbridge.errors import InputError

__all__ = [
    "REPORT_SCHEMA",
    "Bilingual",
    "ConceptRate",
    "ContentCheck",
    "ContentSection",
    "CrosswalkInfo",
    "Digest",
    "Gap",
    "GapAction",
    "Inputs",
    "InstrumentEntry",
    "JurisdictionSection",
    "MappedTerm",
    "ObligationEntry",
    "ProtocolParameter",
    "ProvisionEntry",
    "Report",
    "ReportError",
    "RiskEntry",
    "Summary",
    "SummaryObligation",
    "Threshold",
    "UpcomingEntry",
    "Verdict",
    "parse_report",
]

REPORT_SCHEMA = "govbridge/report/v1"

Verdict = Literal["met", "not_met", "unknown", "insufficient_evidence"]
Tri = Literal["yes", "no", "unknown"]
GapAction = Literal[
    "provide_fact",
    "run_evaluation",
    "enlarge_bank",
    "enlarge_sample",
    "narrow_interval",
    "provide_evidence",
]


class ReportError(InputError):
    """A file that is not a valid ``govbridge/report/v1`` document."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Model):
    """A text in English and Chinese."""

    en: str
    zh: str


class Digest(_Model):
    """A file by name and SHA-256 digest."""

    name: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Inputs(_Model):
    """What the report was built from."""

    dossier: Digest | None
    evidence: list[Digest]


class Threshold(_Model):
    """A threshold a decision compared with, and where the law states it."""

    test: str
    threshold: str
    result: Tri
    source: dict[str, Any]


class ObligationEntry(_Model):
    """An obligation of a provision, with the verdict on the evidence."""

    id: str
    summary: str
    summary_zh: str | None
    deadline: str
    evidence_kinds: list[str]
    source: dict[str, Any]
    verdict: Verdict
    basis: Bilingual
    checks: list[str]


class ProvisionEntry(_Model):
    """One provision: whether it applies, why, its thresholds and its obligations."""

    id: str
    title: str
    title_zh: str
    addressee: str
    applies: Tri
    missing_facts: list[str]
    starts: str | None
    trace: list[dict[str, Any]]
    thresholds: list[Threshold]
    obligations: list[ObligationEntry]


class UpcomingEntry(_Model):
    """A provision that starts after the date, evaluated on its start date."""

    id: str
    title: str
    title_zh: str
    starts: str
    applies: Tri
    missing_facts: list[str]


class InstrumentEntry(_Model):
    """One instrument on the date."""

    id: str
    title: str
    title_zh: str
    short: str | None
    jurisdiction: str
    kind: str
    binding: bool
    status: str
    status_since: str | None
    applies: Tri
    missing_facts: list[str]
    provisions: list[ProvisionEntry]
    upcoming: list[UpcomingEntry]
    sources: list[dict[str, Any]]


class SummaryObligation(_Model):
    """A triggered obligation in the executive summary."""

    id: str
    instrument: str
    provision: str
    applies: Tri
    deadline: str
    verdict: Verdict


class Summary(_Model):
    """The executive summary of one jurisdiction."""

    in_force: list[str]
    obligations: list[SummaryObligation]
    verdicts: dict[Verdict, int]
    upcoming: list[str]


class MappedTerm(_Model):
    """A TC260 risk re-expressed in another scheme through the crosswalk."""

    scheme: str
    code: str
    label: Bilingual
    relation: str


class RiskEntry(_Model):
    """One TC260 risk's rate in a check, with its interval and its terms in the scheme."""

    risk: str
    label: Bilingual | None
    n: int
    rate: float | None
    wilson_low: float
    wilson_high: float
    terms: list[MappedTerm]


class ConceptRate(_Model):
    """A concept of the jurisdiction's scheme with the rate pooled from the TC260 risks.

    Attributes:
        concept: The concept id, such as ``nist-ai-600-1:4``.
        code: Its published code.
        label: Its names (English where the scheme has no Chinese names).
        n: The items pooled.
        rate: The pooled rate, or ``None`` when no item is pooled.
        wilson_low: The lower end of its 95% Wilson interval.
        wilson_high: The upper end.
        sources: The TC260 risks pooled (same as, or narrower than, the concept).
        not_pooled: TC260 risks that only overlap it (listed, not pooled).
    """

    concept: str
    code: str
    label: Bilingual
    n: int
    rate: float | None
    wilson_low: float | None
    wilson_high: float | None
    sources: list[str]
    not_pooled: list[str]


class ContentCheck(_Model):
    """One content-evaluation check, judged against a protocol of the knowledge base.

    In a jurisdiction with no content protocol that applies, a check is shown as a measurement
    only: ``protocol``, ``obligation``, ``threshold``, ``operator``, ``verdict`` and ``basis``
    are then ``None``.
    """

    check: str
    task: str
    evidence: str
    protocol: str | None
    obligation: str | None
    n: int
    rate: float | None
    wilson_low: float
    wilson_high: float
    threshold: float | None
    operator: str | None
    sample_min: int | None
    bank_size: int | None
    bank_min: int | None
    evaluator_threshold: float
    evaluator_operator: str
    evaluator_verdict: str
    confident: bool
    judge: str
    reasons: list[str]
    verdict: Verdict | None
    basis: Bilingual | None
    per_risk: list[RiskEntry]
    concepts: list[ConceptRate]
    unmapped: list[str]


class ProtocolParameter(_Model):
    """A protocol parameter in force on the date, with its source."""

    provision: str
    name: str
    value: float
    unit: str
    since: str
    source: dict[str, Any]


class ContentSection(_Model):
    """The content evaluation as one jurisdiction sees it."""

    scheme: str
    scheme_title: Bilingual
    crosswalk: bool
    checks: list[ContentCheck]
    parameters: list[ProtocolParameter]


class JurisdictionSection(_Model):
    """Everything the report says about one jurisdiction (``US`` holds ``US-CA`` and so on)."""

    code: str
    name: Bilingual
    members: list[str]
    summary: Summary
    instruments: list[InstrumentEntry]
    content: ContentSection


class Gap(_Model):
    """A gap, written as an action that would close it."""

    action: GapAction
    jurisdiction: str
    instrument: str
    target: str
    params: dict[str, str | int | float | list[str]]
    text: Bilingual


class CrosswalkInfo(_Model):
    """Whether the crosswalk re-expressed the per-risk results."""

    available: bool
    version: str | None
    note: Bilingual


class Report(_Model):
    """A ``govbridge/report/v1`` document."""

    schema_: Literal["govbridge/report/v1"] = Field(alias="schema")
    govbridge_version: str
    as_of: str
    kb_version: str
    kb_edition: str
    model: dict[str, str | None]
    inputs: Inputs
    dossier: dict[str, Any]
    crosswalk: CrosswalkInfo
    jurisdictions: list[JurisdictionSection]
    gaps: list[Gap]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready mapping."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        """The report as indented JSON text (deterministic: no clock, sorted where unordered)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def verdicts(self) -> list[dict[str, str]]:
        """Every triggered obligation with its jurisdiction and verdict."""
        return [
            {
                "jurisdiction": j.code,
                "obligation": o.id,
                "applies": o.applies,
                "verdict": o.verdict,
            }
            for j in self.jurisdictions
            for o in j.summary.obligations
        ]


def parse_report(data: bytes, name: str = "<memory>") -> Report:
    """Read a ``govbridge/report/v1`` JSON document strictly.

    Args:
        data: The file's bytes.
        name: The file name, for messages.

    Returns:
        The report.

    Raises:
        ReportError: When the bytes are not such a document.
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ReportError(
            f"{name}: not a JSON report (run `govbridge report --format json`)"
        ) from None
    if not isinstance(raw, dict) or raw.get("schema") != REPORT_SCHEMA:
        found = raw.get("schema") if isinstance(raw, dict) else None
        raise ReportError(f"{name}: schema = {found!r}: expected {REPORT_SCHEMA!r}")
    try:
        return Report.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ReportError(f"{name}: {where}: {error['msg']}") from None
