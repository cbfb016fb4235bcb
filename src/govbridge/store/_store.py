"""The store: SQLite by default, PostgreSQL by URL, through SQLAlchemy 2."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from govbridge.errors import GovbridgeError, UsageError
from govbridge.store._models import (
    AssessmentRow,
    AttestationRow,
    DossierRow,
    DossierVersionRow,
    EvalSummaryRow,
    ReportRow,
)
from govbridge.store._records import (
    AssessmentRecord,
    AttestationRecord,
    DossierSummary,
    DossierVersion,
    EvalSummaryRecord,
    ReportRecord,
)
from govbridge.store._text import (
    canonical_yaml,
    check_name,
    content_of,
    name_for,
    version_hash,
)
from govbridge.store._url import display_url, resolve_url

if TYPE_CHECKING:
    from govbridge.dossier import Dossier
    from govbridge.rules import Assessment

__all__ = ["HEAD", "NotFoundError", "Store", "StoreError", "record_assessment"]

#: The newest migration; :meth:`Store.upgrade` brings a database to it.
HEAD = "0001"

ASSESSMENT_SCHEMA = "govbridge/assessment/v1"
EVAL_SUMMARY_PREFIX = "govbridge/eval-summary/"
REPORT_MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}


_VERSION_COLUMNS = (
    DossierVersionRow.id,
    DossierVersionRow.version,
    DossierVersionRow.model_name,
    DossierVersionRow.content,
    DossierVersionRow.source_text,
    DossierVersionRow.source_name,
    DossierVersionRow.note,
    DossierVersionRow.sha256,
    DossierVersionRow.created_at,
)
_ID_BY_NAME = (
    select(DossierVersionRow.id)
    .join(DossierRow, DossierVersionRow.dossier_id == DossierRow.id)
    .where(DossierRow.name == bindparam("name"))
)
_LATEST_ID = _ID_BY_NAME.order_by(DossierVersionRow.version.desc()).limit(1)
_VERSION_ID = _ID_BY_NAME.where(DossierVersionRow.version == bindparam("version"))
_BY_ID = select(*_VERSION_COLUMNS).where(DossierVersionRow.id == bindparam("id"))


class StoreError(GovbridgeError):
    """The database cannot be reached, or its schema is not the one this version expects."""


class NotFoundError(UsageError):
    """No dossier, version or record with that name or id."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _eval_title(document: Mapping[str, Any], schema: str) -> str:
    for key in ("title", "task", "name"):
        value = document.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    checks = document.get("checks")
    if isinstance(checks, list):
        names = [str(c.get("check")) for c in checks if isinstance(c, Mapping) and c.get("check")]
        if names:
            return ", ".join(dict.fromkeys(names))
    return schema


def _version(row: DossierVersionRow, name: str) -> DossierVersion:
    return DossierVersion(
        id=row.id,
        name=name,
        version=row.version,
        model_name=row.model_name,
        content=row.content,
        source_text=row.source_text,
        source_name=row.source_name,
        note=row.note,
        sha256=row.sha256,
        created_at=row.created_at,
    )


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = url.split(":///", 1)[1] if ":///" in url else ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"database {url}: cannot create its folder ({exc.strerror})"
                ) from None
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLAlchemy emits BEGIN itself (below), so that writers can take the write lock
            # up front: a deferred transaction that reads, then writes, fails at once with
            # "database is locked" when another writer got in between.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get("sqlite_immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """Dossiers (versioned), assessments, evaluation summaries, reports and attestations.

    Args:
        url: The database URL; ``None`` means ``GOVBRIDGE_DB``, else an SQLite file in the
            user's data folder (see :func:`govbridge.store.default_url`).
        clock: Returns the current time (timezone-aware); a seam for tests.

    A fresh, empty database is created on first use; a database at an older revision must be
    upgraded with ``govbridge db upgrade`` (:meth:`upgrade`) first.

    >>> store = Store("sqlite:///:memory:")
    >>> from govbridge.dossier import from_mapping
    >>> v, created = store.add_dossier(from_mapping({"model": {"name": "Example 7B"}}))
    >>> (v.name, v.version, created)
    ('example-7b', 1, True)
    >>> store.close()
    """

    def __init__(
        self, url: str | None = None, *, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        self.url = resolve_url(url)
        self._engine = _engine(self.url)
        self._writer = self._engine.execution_options(sqlite_immediate=True)
        self._clock = clock or _now
        self._ready = False
        self._lock = threading.Lock()
        self._versions: OrderedDict[int, DossierVersion] = OrderedDict()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection."""
        self._engine.dispose()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine."""
        return self._engine

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    # -- schema ------------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError:  # a concurrent writer; callers retry
            raise
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"database {display_url(self.url)}: {reason}") from None

    def revision(self) -> str | None:
        """The database's schema revision, or ``None`` for a database never upgraded."""
        with self._errors(), self._engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self) -> str:
        """Create or migrate the schema to the newest revision (Alembic).

        Returns:
            The revision the database is now at.
        """
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "govbridge.store:migrations")
        with self._errors(), self._engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        self._ready = True
        return self.revision() or HEAD

    def _check(self) -> None:
        if self._ready:
            return
        current = self.revision()
        if current is None:
            with self._errors(), self._engine.connect() as conn:
                tables = inspect(conn).get_table_names()
            if tables:
                raise StoreError(
                    f"database {display_url(self.url)} holds other tables ({', '.join(tables[:3])}"
                    "...) and no govbridge schema: use an empty database"
                )
            self.upgrade()
        elif current != HEAD:
            raise StoreError(
                f"database {display_url(self.url)} is at schema revision {current}, this "
                f"govbridge needs {HEAD}: run `govbridge db upgrade`"
            )
        self._ready = True

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        self._check()
        bind = self._writer if write else self._engine
        with self._errors(), Session(bind, expire_on_commit=False) as session:
            with session.begin():
                yield session

    # -- dossiers ------------------------------------------------------------------------------

    def add_dossier(
        self,
        dossier: Dossier,
        *,
        name: str | None = None,
        source_text: str | None = None,
        source_name: str | None = None,
        note: str | None = None,
    ) -> tuple[DossierVersion, bool]:
        """Store a dossier as a new version; nothing is ever overwritten.

        Adding exactly the text and content of the latest version again stores nothing.

        Args:
            dossier: The validated dossier.
            name: Its name in the store (default: from ``model.name``, such as
                ``llama-3.1-405b``).
            source_text: The text as written (default: canonical YAML of the content).
            source_name: The file name it came from.
            note: What the edit was.

        Returns:
            The version, and whether it is new.

        Raises:
            UsageError: When the name does not fit the pattern.
            StoreError: When the database cannot be used.
        """
        key = check_name(name) if name is not None else name_for(dossier.model.name)
        content = content_of(dossier)
        source = source_text if source_text is not None else canonical_yaml(content)
        digest = version_hash(source, content)
        for attempt in range(3):
            try:
                with self._session(write=True) as session:
                    return self._add(
                        session, key, dossier, content, source, digest, source_name, note
                    )
            except IntegrityError:  # a concurrent writer took the name or the number
                if attempt == 2:
                    raise StoreError(
                        f"dossier {key!r}: too many concurrent edits; try again"
                    ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _add(
        self,
        session: Session,
        key: str,
        dossier: Dossier,
        content: dict[str, Any],
        source: str,
        digest: str,
        source_name: str | None,
        note: str | None,
    ) -> tuple[DossierVersion, bool]:
        now = self._clock()
        row = session.scalars(
            select(DossierRow).where(DossierRow.name == key).with_for_update()
        ).one_or_none()
        if row is None:
            row = DossierRow(name=key, created_at=now)
            session.add(row)
            session.flush()
        latest = session.scalars(
            select(DossierVersionRow)
            .where(DossierVersionRow.dossier_id == row.id)
            .order_by(DossierVersionRow.version.desc())
            .limit(1)
        ).one_or_none()
        if latest is not None and latest.sha256 == digest:
            return _version(latest, key), False
        new = DossierVersionRow(
            dossier_id=row.id,
            version=(latest.version + 1) if latest else 1,
            model_name=dossier.model.name,
            content=content,
            source_text=source,
            source_name=source_name,
            note=note,
            sha256=digest,
            created_at=now,
        )
        session.add(new)
        session.flush()
        return _version(new, key), True

    def list_dossiers(self) -> list[DossierSummary]:
        """Every dossier with its latest version, by name."""
        latest = (
            select(
                DossierVersionRow.dossier_id,
                func.max(DossierVersionRow.version).label("latest"),
            )
            .group_by(DossierVersionRow.dossier_id)
            .subquery()
        )
        query = (
            select(DossierRow, DossierVersionRow)
            .join(latest, latest.c.dossier_id == DossierRow.id)
            .join(
                DossierVersionRow,
                (DossierVersionRow.dossier_id == DossierRow.id)
                & (DossierVersionRow.version == latest.c.latest),
            )
            .order_by(DossierRow.name)
        )
        with self._session() as session:
            return [
                DossierSummary(
                    name=d.name,
                    latest_version=v.version,
                    model_name=v.model_name,
                    created_at=d.created_at,
                    updated_at=v.created_at,
                )
                for d, v in session.execute(query)
            ]

    def _dossier_row(self, session: Session, name: str) -> DossierRow:
        row = session.scalars(select(DossierRow).where(DossierRow.name == name)).one_or_none()
        if row is None:
            names = list(session.scalars(select(DossierRow.name)))
            import difflib

            close = [n for n in names if name in n][:1] or difflib.get_close_matches(
                name, names, n=1
            )
            hint = (
                f"; did you mean {close[0]}?" if close else "; `govbridge dossier list` lists them"
            )
            raise NotFoundError(f"no dossier {name!r} in the store{hint}")
        return row

    def get_version(self, name: str, version: int | None = None) -> DossierVersion:
        """One version of a dossier; the latest when ``version`` is ``None``.

        Raises:
            NotFoundError: When there is no such dossier or version.
        """
        self._check()
        # The dashboard's hot path: a prepared Core query for the id, and the version itself
        # from memory (versions never change once stored).
        params = {"name": name, "version": version}
        with self._errors(), self._engine.connect() as conn:
            found_id = conn.execute(_LATEST_ID if version is None else _VERSION_ID, params).scalar()
            cached = self._versions.get(found_id) if found_id is not None else None
            if cached is not None:
                return cached
            row = conn.execute(_BY_ID, {"id": found_id}).first() if found_id else None
        if row is not None:
            loaded = DossierVersion(
                id=row.id,
                name=name,
                version=row.version,
                model_name=row.model_name,
                content=row.content,
                source_text=row.source_text,
                source_name=row.source_name,
                note=row.note,
                sha256=row.sha256,
                created_at=row.created_at,
            )
            with self._lock:
                self._versions[loaded.id] = loaded
                while len(self._versions) > 256:
                    self._versions.popitem(last=False)
            return loaded
        with self._session() as session:
            found = self._dossier_row(session, name)
            count = session.scalar(
                select(func.count()).where(DossierVersionRow.dossier_id == found.id)
            )
        raise NotFoundError(
            f"dossier {name!r} has no version {version} (it has versions 1 to {count})"
        )

    def history(self, name: str) -> list[DossierVersion]:
        """Every version of a dossier, oldest first.

        Raises:
            NotFoundError: When there is no such dossier.
        """
        with self._session() as session:
            row = self._dossier_row(session, name)
            rows = session.scalars(
                select(DossierVersionRow)
                .where(DossierVersionRow.dossier_id == row.id)
                .order_by(DossierVersionRow.version)
            )
            return [_version(r, name) for r in rows]

    # -- assessments -----------------------------------------------------------------------

    def save_assessment(
        self,
        version: DossierVersion,
        result: Mapping[str, Any],
        *,
        jurisdictions: Sequence[str] = (),
        include_international: bool = False,
    ) -> AssessmentRecord:
        """Save an assessment of a stored dossier version.

        Args:
            version: The dossier version that was assessed.
            result: The ``govbridge/assessment/v1`` document (``govbridge.rules.to_dict``).
            jurisdictions: The jurisdiction filter used (empty: all).
            include_international: Whether international instruments were included.

        Raises:
            UsageError: When ``result`` is not an assessment document.
        """
        if result.get("schema") != ASSESSMENT_SCHEMA:
            raise UsageError(f"not a {ASSESSMENT_SCHEMA} document")
        try:
            as_of = dt.date.fromisoformat(str(result["as_of"]))
            kb_version, kb_edition = str(result["kb_version"]), str(result["kb_edition"])
        except (KeyError, ValueError):
            raise UsageError(
                f"a {ASSESSMENT_SCHEMA} document needs as_of, kb_version and kb_edition"
            ) from None
        document = json.loads(json.dumps(result, default=str))
        with self._session(write=True) as session:
            row = AssessmentRow(
                dossier_version_id=version.id,
                as_of=as_of,
                kb_version=kb_version,
                kb_edition=kb_edition,
                jurisdictions=list(jurisdictions),
                include_international=include_international,
                result=document,
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            return self._assessment(row, version.name, version.version)

    @staticmethod
    def _assessment(row: AssessmentRow, name: str, version: int) -> AssessmentRecord:
        return AssessmentRecord(
            id=row.id,
            name=name,
            version=version,
            as_of=row.as_of,
            kb_version=row.kb_version,
            kb_edition=row.kb_edition,
            jurisdictions=tuple(row.jurisdictions),
            include_international=row.include_international,
            created_at=row.created_at,
            result=row.result,
        )

    def assessments(self, name: str | None = None) -> list[AssessmentRecord]:
        """Saved assessments, newest first; of one dossier when ``name`` is given.

        Raises:
            NotFoundError: When there is no dossier of that name.
        """
        query = (
            select(AssessmentRow, DossierRow.name, DossierVersionRow.version)
            .join(DossierVersionRow, AssessmentRow.dossier_version_id == DossierVersionRow.id)
            .join(DossierRow, DossierVersionRow.dossier_id == DossierRow.id)
            .order_by(AssessmentRow.id.desc())
        )
        with self._session() as session:
            if name is not None:
                self._dossier_row(session, name)
                query = query.where(DossierRow.name == name)
            return [self._assessment(a, n, v) for a, n, v in session.execute(query)]

    def get_assessment(self, assessment_id: int) -> AssessmentRecord:
        """One saved assessment by id.

        Raises:
            NotFoundError: When there is none.
        """
        query = (
            select(AssessmentRow, DossierRow.name, DossierVersionRow.version)
            .join(DossierVersionRow, AssessmentRow.dossier_version_id == DossierVersionRow.id)
            .join(DossierRow, DossierVersionRow.dossier_id == DossierRow.id)
            .where(AssessmentRow.id == assessment_id)
        )
        with self._session() as session:
            found = session.execute(query).one_or_none()
            if found is None:
                raise NotFoundError(f"no saved assessment {assessment_id}")
            return self._assessment(*found)

    # -- evaluation summaries ----------------------------------------------------------------

    def add_eval_summary(
        self,
        summary: Mapping[str, Any],
        *,
        version: DossierVersion | None = None,
        title: str | None = None,
    ) -> EvalSummaryRecord:
        """Store an evaluation summary (``govbridge/eval-summary/v1``).

        Args:
            summary: The summary document.
            version: The dossier version it evaluates, if any.
            title: How to list it (default: its ``title``, else the checks it holds).

        Raises:
            UsageError: When the document has no ``govbridge/eval-summary/...`` schema.
        """
        schema = summary.get("schema")
        if not isinstance(schema, str) or not schema.startswith(EVAL_SUMMARY_PREFIX):
            raise UsageError(
                f"an evaluation summary needs schema: {EVAL_SUMMARY_PREFIX}v1 (got {schema!r})"
            )
        document = json.loads(json.dumps(summary, default=str))
        title = (title or _eval_title(document, schema))[:300]
        canonical = json.dumps(document, sort_keys=True, ensure_ascii=False)
        with self._session(write=True) as session:
            row = EvalSummaryRow(
                dossier_version_id=version.id if version else None,
                schema=schema[:100],
                title=title,
                content=document,
                sha256=_sha(canonical.encode()),
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            return self._eval(
                row, version.name if version else None, version.version if version else None
            )

    @staticmethod
    def _eval(row: EvalSummaryRow, name: str | None, version: int | None) -> EvalSummaryRecord:
        return EvalSummaryRecord(
            id=row.id,
            name=name,
            version=version,
            schema=row.schema,
            title=row.title,
            sha256=row.sha256,
            created_at=row.created_at,
            content=row.content,
        )

    def _eval_query(self) -> Any:
        return (
            select(EvalSummaryRow, DossierRow.name, DossierVersionRow.version)
            .outerjoin(DossierVersionRow, EvalSummaryRow.dossier_version_id == DossierVersionRow.id)
            .outerjoin(DossierRow, DossierVersionRow.dossier_id == DossierRow.id)
        )

    def eval_summaries(self, name: str | None = None) -> list[EvalSummaryRecord]:
        """Stored evaluation summaries, newest first; of one dossier when ``name`` is given."""
        query = self._eval_query().order_by(EvalSummaryRow.id.desc())
        with self._session() as session:
            if name is not None:
                self._dossier_row(session, name)
                query = query.where(DossierRow.name == name)
            return [self._eval(*found) for found in session.execute(query)]

    def get_eval_summary(self, summary_id: int) -> EvalSummaryRecord:
        """One evaluation summary by id.

        Raises:
            NotFoundError: When there is none.
        """
        with self._session() as session:
            query = self._eval_query().where(EvalSummaryRow.id == summary_id)
            found = session.execute(query).one_or_none()
            if found is None:
                raise NotFoundError(f"no evaluation summary {summary_id}")
            return self._eval(*found)

    # -- reports and attestations --------------------------------------------------------------

    def add_report(
        self, content: bytes, fmt: str, *, assessment_id: int | None = None
    ) -> ReportRecord:
        """Store a rendered report.

        Args:
            content: The report's bytes.
            fmt: ``html``, ``md``, ``json`` or ``pdf``.
            assessment_id: The saved assessment it reports, if any.

        Raises:
            UsageError: For an unknown format.
        """
        if fmt not in REPORT_MEDIA_TYPES:
            raise UsageError(
                f"report format {fmt!r}: expected one of {', '.join(REPORT_MEDIA_TYPES)}"
            )
        with self._session(write=True) as session:
            if assessment_id is not None and session.get(AssessmentRow, assessment_id) is None:
                raise NotFoundError(f"no saved assessment {assessment_id}")
            row = ReportRow(
                assessment_id=assessment_id,
                format=fmt,
                media_type=REPORT_MEDIA_TYPES[fmt],
                content=content,
                sha256=_sha(content),
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            return self._report(row)

    @staticmethod
    def _report(row: ReportRow) -> ReportRecord:
        return ReportRecord(
            id=row.id,
            assessment_id=row.assessment_id,
            format=row.format,
            media_type=row.media_type,
            sha256=row.sha256,
            created_at=row.created_at,
            content=row.content,
        )

    def reports(self, assessment_id: int | None = None) -> list[ReportRecord]:
        """Stored reports, newest first; of one saved assessment when given."""
        query = select(ReportRow).order_by(ReportRow.id.desc())
        if assessment_id is not None:
            query = query.where(ReportRow.assessment_id == assessment_id)
        with self._session() as session:
            return [self._report(r) for r in session.scalars(query)]

    def get_report(self, report_id: int) -> ReportRecord:
        """One stored report by id.

        Raises:
            NotFoundError: When there is none.
        """
        with self._session() as session:
            row = session.get(ReportRow, report_id)
            if row is None:
                raise NotFoundError(f"no report {report_id}")
            return self._report(row)

    def add_attestation(
        self,
        envelope: Mapping[str, Any],
        *,
        report_id: int | None = None,
        version: DossierVersion | None = None,
    ) -> AttestationRecord:
        """Store a signed attestation, a DSSE envelope.

        The envelope needs ``payloadType``, ``payload`` and ``signatures``.

        Raises:
            UsageError: When the envelope lacks those keys.
        """
        missing = [k for k in ("payloadType", "payload", "signatures") if k not in envelope]
        if missing:
            raise UsageError(f"a DSSE envelope needs {', '.join(missing)}")
        document = json.loads(json.dumps(envelope, default=str))
        canonical = json.dumps(document, sort_keys=True)
        with self._session(write=True) as session:
            if report_id is not None and session.get(ReportRow, report_id) is None:
                raise NotFoundError(f"no report {report_id}")
            row = AttestationRow(
                report_id=report_id,
                dossier_version_id=version.id if version else None,
                payload_type=str(document["payloadType"])[:200],
                envelope=document,
                sha256=_sha(canonical.encode()),
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            return AttestationRecord(
                id=row.id,
                report_id=report_id,
                name=version.name if version else None,
                version=version.version if version else None,
                payload_type=row.payload_type,
                sha256=row.sha256,
                created_at=row.created_at,
                envelope=row.envelope,
            )

    def attestations(self) -> list[AttestationRecord]:
        """Stored attestations, newest first."""
        query = (
            select(AttestationRow, DossierRow.name, DossierVersionRow.version)
            .outerjoin(DossierVersionRow, AttestationRow.dossier_version_id == DossierVersionRow.id)
            .outerjoin(DossierRow, DossierVersionRow.dossier_id == DossierRow.id)
            .order_by(AttestationRow.id.desc())
        )
        with self._session() as session:
            return [
                AttestationRecord(
                    id=row.id,
                    report_id=row.report_id,
                    name=name,
                    version=version,
                    payload_type=row.payload_type,
                    sha256=row.sha256,
                    created_at=row.created_at,
                    envelope=row.envelope,
                )
                for row, name, version in session.execute(query)
            ]


def record_assessment(
    assessment: Assessment,
    *,
    url: str | None = None,
    name: str | None = None,
    source_text: str | None = None,
    source_name: str | None = None,
    jurisdictions: Sequence[str] = (),
    include_international: bool = False,
) -> tuple[DossierVersion, AssessmentRecord]:
    """Save an assessment and the dossier it assessed (``govbridge assess --save``).

    The dossier is stored as a new version when its text or content changed since the latest
    version of the same name.

    Args:
        assessment: The result of :func:`govbridge.rules.assess`.
        url: The database URL (see :class:`Store`).
        name: The dossier's name in the store (default: from ``model.name``).
        source_text: The dossier as written.
        source_name: The file it came from.
        jurisdictions: The jurisdiction filter used.
        include_international: Whether international instruments were included.

    Returns:
        The dossier version, and the saved assessment.
    """
    from govbridge.rules import to_dict

    with Store(url) as store:
        version, _ = store.add_dossier(
            assessment.dossier, name=name, source_text=source_text, source_name=source_name
        )
        record = store.save_assessment(
            version,
            to_dict(assessment),
            jurisdictions=jurisdictions,
            include_international=include_international,
        )
    return version, record
