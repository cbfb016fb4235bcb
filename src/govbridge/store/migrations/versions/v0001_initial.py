"""The initial schema.

Dossiers and their versions, assessments, evaluation summaries, reports and attestations.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON()


def _created() -> sa.Column[Any]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_dossiers"),
        sa.UniqueConstraint("name", name="uq_dossiers_name"),
    )
    op.create_table(
        "dossier_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("model_name", sa.String(300), nullable=False),
        sa.Column("content", _json(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name="fk_dossier_versions_dossier_id_dossiers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_dossier_versions"),
        sa.UniqueConstraint("dossier_id", "version", name="uq_dossier_versions"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_version_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("kb_version", sa.String(64), nullable=False),
        sa.Column("kb_edition", sa.String(32), nullable=False),
        sa.Column("jurisdictions", _json(), nullable=False),
        sa.Column("include_international", sa.Boolean(), nullable=False),
        sa.Column("result", _json(), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["dossier_version_id"],
            ["dossier_versions.id"],
            name="fk_assessments_dossier_version_id_dossier_versions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
    )
    op.create_index("ix_assessments_version_as_of", "assessments", ["dossier_version_id", "as_of"])
    op.create_table(
        "eval_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_version_id", sa.Integer(), nullable=True),
        sa.Column("schema", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content", _json(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["dossier_version_id"],
            ["dossier_versions.id"],
            name="fk_eval_summaries_dossier_version_id_dossier_versions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_eval_summaries"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_reports_assessment_id_assessments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("dossier_version_id", sa.Integer(), nullable=True),
        sa.Column("payload_type", sa.String(200), nullable=False),
        sa.Column("envelope", _json(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_attestations_report_id_reports"
        ),
        sa.ForeignKeyConstraint(
            ["dossier_version_id"],
            ["dossier_versions.id"],
            name="fk_attestations_dossier_version_id_dossier_versions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attestations"),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in (
        "attestations",
        "reports",
        "eval_summaries",
        "assessments",
        "dossier_versions",
        "dossiers",
    ):
        op.drop_table(table)
