"""The store (govbridge.store), on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from conftest_pg import pg_server, pg_url  # noqa: F401 - fixtures
from govbridge.dossier import from_mapping, load
from govbridge.errors import DossierError, UsageError
from govbridge.kb import KnowledgeBase
from govbridge.rules import assess, to_dict
from govbridge.store import (
    HEAD,
    NotFoundError,
    Store,
    StoreError,
    diff_versions,
    name_for,
    parse_dossier_text,
    record_assessment,
    resolve_url,
)

ROOT = Path(__file__).resolve().parents[1]
LLAMA = ROOT / "examples" / "llama-3.1-405b.yaml"


class Clock:
    """A clock that ticks one second per call."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gb.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with Store(url, clock=Clock()) as s:
        yield s


def _dossier(name: str = "Example 7B", **model: object) -> object:
    return from_mapping({"model": {"name": name, **model}})


def test_a_fresh_database_is_created_at_head(store: Store) -> None:
    assert store.revision() is None
    assert store.list_dossiers() == []
    assert store.revision() == HEAD


def test_the_migrations_create_exactly_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from govbridge.store._models import Base

    assert store.upgrade() == HEAD
    with store.engine.connect() as conn:
        diffs = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diffs == []


def test_versions_are_added_never_overwritten(store: Store) -> None:
    v1, created = store.add_dossier(_dossier(parameters="7B"), source_name="m.yaml")
    assert (v1.name, v1.version, created) == ("example-7b", 1, True)
    again, created = store.add_dossier(_dossier(parameters="7B"), source_name="m.yaml")
    assert (again.version, created) == (1, False)
    v2, created = store.add_dossier(_dossier(parameters="8B"), note="more parameters")
    assert (v2.version, created, v2.note) == (2, True, "more parameters")
    assert v2.created_at > v1.created_at and v2.created_at.tzinfo is not None
    assert [v.version for v in store.history("example-7b")] == [1, 2]
    assert store.get_version("example-7b", 1).content["model"]["parameters"] == 7e9
    assert store.get_version("example-7b").version == 2
    assert store.get_version("example-7b", 1).dossier().model.parameters == 7e9
    (summary,) = store.list_dossiers()
    assert (summary.name, summary.latest_version, summary.model_name) == (
        "example-7b",
        2,
        "Example 7B",
    )
    diff = diff_versions(v1, v2)
    assert [(c.path, c.before, c.after) for c in diff.facts] == [("model.parameters", 7e9, 8e9)]
    assert "-  parameters: 7000000000.0" in diff.text
    assert "+  parameters: 8000000000.0" in diff.text


def test_a_text_only_edit_is_a_new_version(store: Store) -> None:
    d = _dossier()
    store.add_dossier(d, source_text="model: {name: Example 7B}\n")
    v2, created = store.add_dossier(d, source_text="# a comment\nmodel: {name: Example 7B}\n")
    assert created and v2.version == 2
    assert diff_versions(*store.history("example-7b")).facts == ()


def test_lookups_name_what_is_missing(store: Store) -> None:
    store.add_dossier(_dossier(), name="example")
    with pytest.raises(NotFoundError, match=r"no dossier 'exampel'.*did you mean example\?"):
        store.get_version("exampel")
    with pytest.raises(NotFoundError, match=r"has no version 5 \(it has versions 1 to 1\)"):
        store.get_version("example", 5)
    with pytest.raises(NotFoundError, match="no saved assessment 42"):
        store.get_assessment(42)
    with pytest.raises(NotFoundError):
        store.history("nothing")


def test_names_are_checked(store: Store) -> None:
    with pytest.raises(UsageError, match="lower-case letters"):
        store.add_dossier(_dossier(), name="../etc/passwd")
    with pytest.raises(UsageError, match="give one with --name"):
        name_for("通义千问")
    version, _ = store.add_dossier(_dossier("通义千问"), name="qwen")
    assert version.model_name == "通义千问"


def test_assessments_round_trip(store: Store, kb: KnowledgeBase) -> None:
    version, _ = store.add_dossier(load(LLAMA), source_text=LLAMA.read_text(encoding="utf-8"))
    document = to_dict(assess(version.dossier(), kb, dt.date(2025, 8, 2), jurisdictions=["EU"]))
    saved = store.save_assessment(version, document, jurisdictions=["EU"])
    assert (saved.name, saved.version, saved.as_of) == ("llama-3.1-405b", 1, dt.date(2025, 8, 2))
    assert saved.jurisdictions == ("EU",) and saved.kb_version == document["kb_version"]
    assert store.get_assessment(saved.id).result == document
    assert [a.id for a in store.assessments("llama-3.1-405b")] == [saved.id]
    with pytest.raises(UsageError, match="govbridge/assessment/v1"):
        store.save_assessment(version, {"schema": "other"})


def test_record_assessment_stores_dossier_and_result(url: str, kb: KnowledgeBase) -> None:
    result = assess(load(LLAMA), kb, dt.date(2025, 8, 1), jurisdictions=["EU"])
    version, record = record_assessment(result, url=url, jurisdictions=["EU"])
    version2, record2 = record_assessment(result, url=url)
    assert version2.version == version.version == 1 and record2.id != record.id
    with Store(url) as store:
        assert len(store.assessments()) == 2


def test_evaluation_summaries_reports_and_attestations(store: Store) -> None:
    version, _ = store.add_dossier(_dossier())
    summary = store.add_eval_summary(
        {"schema": "govbridge/eval-summary/v1", "task": "tc260_refusal", "rates": {"x": 0.9}},
        version=version,
    )
    assert (summary.title, summary.name, summary.version) == ("tc260_refusal", "example-7b", 1)
    assert store.get_eval_summary(summary.id).content["rates"] == {"x": 0.9}
    assert [s.id for s in store.eval_summaries("example-7b")] == [summary.id]
    with pytest.raises(UsageError, match="govbridge/eval-summary/v1"):
        store.add_eval_summary({"task": "x"})
    report = store.add_report(b"%PDF-1.7 ...", "pdf")
    assert store.get_report(report.id).content == b"%PDF-1.7 ..."
    assert report.media_type == "application/pdf"
    with pytest.raises(UsageError, match="expected one of html, md, json, pdf"):
        store.add_report(b"", "docx")
    envelope = {"payloadType": "application/vnd.in-toto+json", "payload": "e30=", "signatures": []}
    attestation = store.add_attestation(envelope, report_id=report.id, version=version)
    (listed,) = store.attestations()
    assert listed.id == attestation.id and listed.envelope == envelope
    with pytest.raises(UsageError, match="payloadType"):
        store.add_attestation({"payload": ""})


def test_concurrent_edits_get_distinct_versions(url: str) -> None:
    with Store(url) as first:
        first.upgrade()
    errors: list[BaseException] = []

    def edit(n: int) -> None:
        try:
            with Store(url) as s:
                s.add_dossier(_dossier(parameters=f"{n + 1}B"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(url) as s:
        history = s.history("example-7b")
    assert [v.version for v in history] == [1, 2, 3, 4, 5, 6]
    assert sorted(v.content["model"]["parameters"] for v in history) == [
        n * 1e9 for n in range(1, 7)
    ]


def test_an_old_schema_must_be_upgraded(url: str) -> None:
    with Store(url) as s:
        s.upgrade()
        with s.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with Store(url) as s, pytest.raises(StoreError, match="run `govbridge db upgrade`"):
        s.list_dossiers()


def test_a_database_of_something_else_is_refused(url: str) -> None:
    with Store(url) as s:
        with s.engine.begin() as conn:
            conn.execute(text("CREATE TABLE unrelated (id INTEGER)"))
        with pytest.raises(StoreError, match="holds other tables"):
            s.list_dossiers()


def test_urls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOVBRIDGE_DB", raising=False)
    monkeypatch.setenv("GOVBRIDGE_DATA_DIR", str(tmp_path / "data"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'govbridge.db'}"
    monkeypatch.setenv("GOVBRIDGE_DB", "postgresql://u@h/db")
    assert resolve_url() == "postgresql+psycopg://u@h/db"
    assert resolve_url("x.db") == "sqlite:///x.db"
    with pytest.raises(UsageError, match="unsupported database 'mysql'"):
        resolve_url("mysql://u@h/db")
    with pytest.raises(UsageError, match="not a database URL"):
        resolve_url("::://")


@pytest.mark.usefixtures("pg_server")
def test_an_unreachable_server_is_one_clear_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Store(f"postgresql://nobody:secret@127.0.0.1:{port}/x") as s:
        with pytest.raises(StoreError, match="Connection refused") as info:
            s.list_dossiers()
    assert "secret" not in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "model: {name: M}\nmodel: {name: N}\n",
        "model: [unclosed\n",
        "model: {name: M, paramters: 7B}\n",
        "model: {name: M, training_compute_flop: '5 USD'}\n",
        "- a list\n",
        "",
    ],
)
def test_text_errors_match_the_file_loader(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DossierError) as from_file:
        load("m.yaml")
    with pytest.raises(DossierError) as from_text:
        parse_dossier_text(text, "m.yaml")
    assert str(from_text.value) == str(from_file.value)


_edits = st.lists(
    st.integers(min_value=1, max_value=10**6), min_size=1, max_size=6, unique=True
).filter(lambda xs: all(a != b for a, b in zip(xs, xs[1:], strict=False)))


_names = itertools.count()


@pytest.fixture(scope="module")
def memory_store() -> Iterator[Store]:
    with Store("sqlite:///:memory:") as s:
        s.upgrade()
        yield s


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_edits)
def test_n_edits_make_n_versions_and_the_latest_is_the_last(
    memory_store: Store, edits: list[int]
) -> None:
    name = f"d-{next(_names)}"  # a new dossier for every example
    for n in edits:
        memory_store.add_dossier(_dossier(parameters=n), name=name)
        memory_store.add_dossier(_dossier(parameters=n), name=name)  # the same: no new version
    history = memory_store.history(name)
    assert [v.version for v in history] == list(range(1, len(edits) + 1))
    assert [v.content["model"]["parameters"] for v in history] == [float(n) for n in edits]
    assert memory_store.get_version(name).content == history[-1].content
