"""The storage commands: db upgrade, dossier add|list|show|history, assess --save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest_pg import pg_server, pg_url  # noqa: F401 - fixtures
from govbridge.cli import app

ROOT = Path(__file__).resolve().parents[1]
LLAMA = ROOT / "examples" / "llama-3.1-405b.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "gb.db")  # a plain path means an SQLite file
    return str(request.getfixturevalue("pg_url"))


def test_db_upgrade_and_current(db: str) -> None:
    code, out, _ = run("db", "current", "--db", db)
    assert code == 0 and "revision - (empty: run `govbridge db upgrade`)" in out
    code, out, _ = run("db", "upgrade", "--db", db)
    assert code == 0 and "from empty to revision 0001 (head)" in out
    code, out, _ = run("db", "upgrade", "--db", db)
    assert code == 0 and "already at revision 0001 (head)" in out
    assert "(head)" in run("db", "current", "--db", db)[1]


def test_dossier_add_list_show_history(db: str, tmp_path: Path) -> None:
    code, out, _ = run("dossier", "add", str(LLAMA), "--db", db)
    assert (code, out) == (0, "added llama-3.1-405b v1 (Llama 3.1 405B)\n")
    assert run("dossier", "add", str(LLAMA), "--db", db)[1].startswith(
        "unchanged: llama-3.1-405b v1"
    )
    edited = tmp_path / "llama.yaml"
    edited.write_text(LLAMA.read_text(encoding="utf-8").replace("405e9", "406e9"), "utf-8")
    code, out, _ = run("dossier", "add", str(edited), "--note", "one more billion", "--db", db)
    assert out == "added llama-3.1-405b v2 (Llama 3.1 405B)\n"
    code, out, _ = run("dossier", "list", "--db", db)
    assert out.startswith("llama-3.1-405b\tv2\tLlama 3.1 405B\t")
    code, out, _ = run("dossier", "history", "llama-3.1-405b", "--db", db)
    lines = out.splitlines()
    assert lines[0].startswith("v1\t") and lines[0].endswith("llama-3.1-405b.yaml")
    assert lines[1].startswith("v2\t") and lines[1].endswith("llama.yaml\tone more billion")
    assert "    model.parameters: 405000000000.0 -> 406000000000.0" in lines
    assert run("dossier", "show", "llama-3.1-405b", "-v", "1", "--db", db)[1] == LLAMA.read_text(
        encoding="utf-8"
    )
    code, out, _ = run("dossier", "show", "llama-3.1-405b", "--json", "--db", db)
    assert json.loads(out)["model"]["parameters"] == 4.06e11


def test_assess_save(db: str) -> None:
    code, out, err = run(
        "assess",
        str(LLAMA),
        "--as-of",
        "2025-08-02",
        "-j",
        "EU",
        "-f",
        "json",
        "--save",
        "--db",
        db,
    )
    assert code == 0 and json.loads(out)["as_of"] == "2025-08-02"
    assert err.strip() == "saved assessment 1 of llama-3.1-405b v1"
    run("assess", str(LLAMA), "--save", "--name", "llama", "--db", db)
    names = [line.split("\t")[0] for line in run("dossier", "list", "--db", db)[1].splitlines()]
    assert names == ["llama", "llama-3.1-405b"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("dossier", "show", "nothing"), "error: no dossier 'nothing' in the store"),
        (
            ("dossier", "show", "x", "--db", "mysql://u@h/d"),
            "error: --db 'mysql://u@h/d': unsupported",
        ),
        (("dossier", "add", "missing.yaml"), "error: missing.yaml: file not found"),
        (
            ("dossier", "add", str(LLAMA), "--name", "Bad Name"),
            "error: dossier name 'Bad Name': use lower-case letters",
        ),
        (
            ("db", "upgrade", "--db", "postgresql://nobody@127.0.0.1:9/x"),
            "error: database postgresql+psycopg://nobody@127.0.0.1:9/x: connection",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(
    args: tuple[str, ...], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVBRIDGE_DB", str(tmp_path / "env.db"))  # used unless --db is given
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1, err


def test_the_default_database_is_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOVBRIDGE_DB", raising=False)
    monkeypatch.setenv("GOVBRIDGE_DATA_DIR", str(tmp_path / "data"))
    assert run("dossier", "add", str(LLAMA))[0] == 0
    assert (tmp_path / "data" / "govbridge.db").is_file()
