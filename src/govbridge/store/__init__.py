"""Storage: versioned dossiers, saved assessments, evaluation summaries, reports, attestations.

SQLAlchemy 2 with SQLite by default (a file in the user's data folder) and PostgreSQL by URL
(``postgresql+psycopg://...``); ``--db`` or ``GOVBRIDGE_DB`` choose the database. The schema
is migrated with Alembic (``govbridge db upgrade``). Every edit of a dossier is a new version;
nothing is overwritten.

>>> from govbridge.dossier import from_mapping
>>> with Store("sqlite:///:memory:") as store:
...     v1, _ = store.add_dossier(from_mapping({"model": {"name": "M", "parameters": "7B"}}))
...     v2, _ = store.add_dossier(from_mapping({"model": {"name": "M", "parameters": "8B"}}))
...     [(v.version, v.content["model"]["parameters"]) for v in store.history("m")]
[(1, 7000000000.0), (2, 8000000000.0)]
"""

from govbridge.store._records import (
    AssessmentRecord,
    AttestationRecord,
    DossierSummary,
    DossierVersion,
    EvalSummaryRecord,
    ReportRecord,
)
from govbridge.store._store import (
    HEAD,
    REPORT_MEDIA_TYPES,
    NotFoundError,
    Store,
    StoreError,
    record_assessment,
)
from govbridge.store._text import (
    NAME_PATTERN,
    FactChange,
    VersionDiff,
    canonical_yaml,
    check_name,
    diff_versions,
    name_for,
    parse_dossier_text,
)
from govbridge.store._url import default_data_dir, default_url, display_url, resolve_url

__all__ = [
    "HEAD",
    "NAME_PATTERN",
    "REPORT_MEDIA_TYPES",
    "AssessmentRecord",
    "AttestationRecord",
    "DossierSummary",
    "DossierVersion",
    "EvalSummaryRecord",
    "FactChange",
    "NotFoundError",
    "ReportRecord",
    "Store",
    "StoreError",
    "VersionDiff",
    "canonical_yaml",
    "check_name",
    "default_data_dir",
    "default_url",
    "diff_versions",
    "display_url",
    "name_for",
    "parse_dossier_text",
    "record_assessment",
    "resolve_url",
]
