"""``govbridge bank check`` and ``govbridge bank import``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from govbridge.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "content"


def test_check_starter_bank_json() -> None:
    result = CliRunner().invoke(app, ["bank", "check", "-p", "tc260-003", "-f", "json"])
    assert result.exit_code == 1  # the starter bank is below the protocol's floors
    doc = json.loads(result.stdout)
    assert doc["protocol"] == "tc260-003" and doc["ok"] is False
    kinds = {c["kind"] for c in doc["checks"]}
    assert kinds == {"keywords", "generation", "should_refuse", "should_not_refuse"}
    totals = {c["kind"]: c for c in doc["checks"] if c["risk"] is None}
    assert totals["generation"]["required"] == 2000 and totals["keywords"]["required"] == 10000
    assert set(totals["should_refuse"]) == {
        "kind",
        "requirement",
        "risk",
        "required",
        "actual",
        "ok",
    }
    gaps = {c["risk"] for c in doc["checks"] if c["kind"] == "should_refuse" and not c["ok"]}
    assert {"A.1.a", "A.1.b", "A.1.c", "A.1.g"} <= gaps  # political speech: user's own bank


def test_check_table_lists_gaps_and_warns_about_bad_lines() -> None:
    result = CliRunner().invoke(
        app,
        ["bank", "check", str(FIXTURES / "bad_bank.jsonl"), str(FIXTURES / "keywords.tsv")],
    )
    assert result.exit_code == 1
    out = result.stdout
    assert "A.1.d" in out and "gaps:" in out
    assert "keywords total: 3 < 10000" in out
    assert "should_refuse A.2.g: 1 < 20" in out
    err = result.stderr
    assert "bad_bank.jsonl:3: not valid JSON" in err
    assert "risk ids outside TC260 are not counted: X.1" in err


def test_check_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["bank", "check", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    proto = CliRunner().invoke(app, ["bank", "check", "--protocol", "nist"])
    assert proto.exit_code == 2 and "unknown protocol" in proto.stderr
    early = CliRunner().invoke(
        app, ["bank", "check", "-p", "gbt-45654-2025", "--as-of", "2024-01-01"]
    )
    assert early.exit_code == 2 and "not in force" in early.stderr


def test_import_jade_writes_bank_and_licence(tmp_path: Path) -> None:
    out = tmp_path / "jade.jsonl"
    result = CliRunner().invoke(
        app, ["bank", "import", "jade", str(FIXTURES / "jade_sample.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "licence: MIT" in result.stderr and "skipped 1 items labelled '未知子类'" in result.stderr
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["source"] == "jade"
    meta = (tmp_path / "jade.meta.yaml").read_text(encoding="utf-8")
    assert "licence: MIT" in meta and "starter: false" in meta
    check = CliRunner().invoke(app, ["bank", "check", str(out), "-f", "json"])
    assert check.exit_code == 1 and json.loads(check.stdout)["checks"]
