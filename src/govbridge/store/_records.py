"""What the store returns: plain frozen records, detached from any database session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govbridge.dossier import Dossier

__all__ = [
    "AssessmentRecord",
    "AttestationRecord",
    "DossierSummary",
    "DossierVersion",
    "EvalSummaryRecord",
    "ReportRecord",
]


@dataclass(frozen=True)
class DossierVersion:
    """One stored version of a dossier.

    Attributes:
        id: The row id (stable; other records refer to it).
        name: The dossier's name in the store, such as ``llama-3.1-405b``.
        version: 1 for the first version, then 2, 3, ...
        model_name: ``model.name`` of this version.
        content: The validated dossier, units resolved (the ``dossier`` of an assessment).
        source_text: The YAML or JSON text as written (generated YAML for a form).
        source_name: The file name it came from, if any.
        note: What the edit was, if given.
        sha256: A hash of the text and the content.
        created_at: When it was stored (UTC).
    """

    id: int
    name: str
    version: int
    model_name: str
    content: dict[str, Any]
    source_text: str
    source_name: str | None
    note: str | None
    sha256: str
    created_at: dt.datetime

    def dossier(self) -> Dossier:
        """The content as a validated :class:`~govbridge.dossier.Dossier`."""
        from govbridge.dossier import from_mapping

        return from_mapping(self.content, f"{self.name} v{self.version}")


@dataclass(frozen=True)
class DossierSummary:
    """A dossier in a list: its name and its latest version."""

    name: str
    latest_version: int
    model_name: str
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class AssessmentRecord:
    """A saved ``govbridge/assessment/v1`` document, with what it was computed from."""

    id: int
    name: str
    version: int
    as_of: dt.date
    kb_version: str
    kb_edition: str
    jurisdictions: tuple[str, ...]
    include_international: bool
    created_at: dt.datetime
    result: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class EvalSummaryRecord:
    """A stored evaluation summary (``govbridge/eval-summary/v1``)."""

    id: int
    name: str | None
    version: int | None
    schema: str
    title: str
    sha256: str
    created_at: dt.datetime
    content: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class ReportRecord:
    """A stored rendered report."""

    id: int
    assessment_id: int | None
    format: str
    media_type: str
    sha256: str
    created_at: dt.datetime
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class AttestationRecord:
    """A stored signed attestation (a DSSE envelope)."""

    id: int
    report_id: int | None
    name: str | None
    version: int | None
    payload_type: str
    sha256: str
    created_at: dt.datetime
    envelope: dict[str, Any] = field(repr=False)
