"""The tables, as SQLAlchemy 2 declarative models.

The migrations under ``migrations/versions`` create exactly these tables; a test compares the
two on SQLite and PostgreSQL. Nothing is ever updated in place: a dossier edit is a new row in
``dossier_versions``, and assessments, evaluation summaries, reports and attestations are
append-only records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "AssessmentRow",
    "AttestationRow",
    "Base",
    "DossierRow",
    "DossierVersionRow",
    "EvalSummaryRow",
    "ReportRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON, not JSONB, on PostgreSQL too: JSONB reorders keys and rewrites numbers (1e26 comes back
# as the integer 10**26), and documents must come back exactly as stored.
Json = JSON()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base, with a naming convention for constraints."""

    metadata = MetaData(naming_convention=NAMING)


class DossierRow(Base):
    """A dossier, by its name; its content lives in its versions."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    versions: Mapped[list[DossierVersionRow]] = relationship(
        back_populates="dossier", order_by="DossierVersionRow.version"
    )


class DossierVersionRow(Base):
    """One version of a dossier: the text as written and the validated content."""

    __tablename__ = "dossier_versions"
    __table_args__ = (UniqueConstraint("dossier_id", "version", name="uq_dossier_versions"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    version: Mapped[int] = mapped_column(Integer)
    model_name: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict[str, Any]] = mapped_column(Json)
    source_text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    dossier: Mapped[DossierRow] = relationship(back_populates="versions")


class AssessmentRow(Base):
    """A saved assessment of one dossier version as of a date."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_version_as_of", "dossier_version_id", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_version_id: Mapped[int] = mapped_column(ForeignKey("dossier_versions.id"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    kb_version: Mapped[str] = mapped_column(String(64))
    kb_edition: Mapped[str] = mapped_column(String(32))
    jurisdictions: Mapped[list[str]] = mapped_column(Json)
    include_international: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class EvalSummaryRow(Base):
    """An evaluation summary (``govbridge/eval-summary/v1``), optionally tied to a dossier."""

    __tablename__ = "eval_summaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_version_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_versions.id"))
    schema: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict[str, Any]] = mapped_column(Json)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ReportRow(Base):
    """A rendered report (HTML, Markdown, JSON or PDF), as bytes."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    format: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AttestationRow(Base):
    """A signed attestation (a DSSE envelope), bound to a report or a dossier version."""

    __tablename__ = "attestations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    dossier_version_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_versions.id"))
    payload_type: Mapped[str] = mapped_column(String(200))
    envelope: Mapped[dict[str, Any]] = mapped_column(Json)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
