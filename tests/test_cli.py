"""The command line, through typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govbridge.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src/govbridge/examples/example-405b.yaml"
LLAMA = ROOT / "examples/llama-3.1-405b.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_assess_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert "Example-405B: assessment as of 2026-06-01" in result.output
    assert "us.ca.sb53" in result.output and "eu.ai_act" in result.output
    assert "cn.gbt_45654_2025" in result.output
    assert "Provisions that apply (yes) or may apply (unknown)" in result.output
    assert "missing: " in result.output or "    - " in result.output


def test_assess_json_is_the_documented_document(runner: CliRunner) -> None:
    result = runner.invoke(app, ["assess", str(LLAMA), "--as-of", "2026-06-01", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schema"] == "govbridge/assessment/v1"
    by_id = {r["instrument"]: r for r in doc["results"]}
    assert by_id["eu.ai_act"]["applies"] == "yes"
    assert by_id["us.eo14110"]["status"] == "revoked"
    assert by_id["us.ny.raise"]["status"] == "not_yet_in_force"


def test_assess_before_and_after_a_date(runner: CliRunner) -> None:
    """The RAISE Act is upcoming on 2026-12-31 and in force on 2027-01-01."""
    frontier = ROOT / "tests/fixtures/dossiers/frontier-ny.yaml"
    before = json.loads(
        runner.invoke(
            app, ["assess", str(frontier), "--as-of", "2026-12-31", "-j", "US-NY", "-f", "json"]
        ).output
    )
    after = json.loads(
        runner.invoke(
            app, ["assess", str(frontier), "--as-of", "2027-01-01", "-j", "US-NY", "-f", "json"]
        ).output
    )
    assert [r["instrument"] for r in before["results"]] == ["us.ny.raise"]
    assert before["results"][0]["applies"] == "no"
    assert {p["applies"] for p in before["results"][0]["upcoming"]} == {"yes"}
    assert after["results"][0]["applies"] == "yes"


def test_jurisdiction_filter_keeps_subdivisions(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["assess", str(EXAMPLE), "--as-of", "2026-06-01", "-j", "US", "-f", "json"]
    )
    jurisdictions = {r["jurisdiction"] for r in json.loads(result.output)["results"]}
    assert jurisdictions == {"US", "US-CA", "US-NY", "US-CO"}


@pytest.mark.parametrize("fmt", ["md", "html", "json", "table"])
def test_assess_out_writes_a_file(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "deep" / f"report.{fmt}"
    result = runner.invoke(
        app, ["assess", str(EXAMPLE), "--as-of", "2026-06-01", "-f", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Example-405B" in text
    assert not list(out.parent.glob(".*.tmp")), "no temporary file is left behind"
    if fmt == "html":
        assert "<script" not in text and "http-equiv" not in text
        assert "<h1>govbridge assessment: Example-405B</h1>" in text


def test_html_escapes_dossier_text(runner: CliRunner, tmp_path: Path) -> None:
    dossier = tmp_path / "x.yaml"
    dossier.write_text("model: {name: '<script>alert(1)</script>'}\n")
    result = runner.invoke(app, ["assess", str(dossier), "--as-of", "2026-06-01", "-f", "html"])
    assert "<script>alert" not in result.output
    assert "&lt;script&gt;" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["assess", "missing.yaml"], "missing.yaml: file not found"),
        (["assess", "{example}", "--as-of", "2026-13-01"], "--as-of '2026-13-01': expected a date"),
        (["assess", "{example}", "-j", "XX"], "no instrument in jurisdiction 'XX'"),
        (["assess", "{bad}"], "model.paramters: unknown key; did you mean model.parameters?"),
        (["kb", "show", "us.ca.sb54"], "no instrument 'us.ca.sb54'; did you mean us.ca.sb53?"),
        (["dossier", "validate", "{bad}"], "did you mean model.parameters?"),
        (["kb", "validate", "--data-dir", "{nowhere}"], "a folder of knowledge-base YAML files"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], words: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {name: M, paramters: 1}\n")
    filled = [a.format(example=EXAMPLE, bad=bad, nowhere=tmp_path / "nowhere") for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    assert words in lines[0]
    assert "Traceback" not in result.output


def test_unwritable_out_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["assess", str(EXAMPLE), "-o", str(blocker / "out.json")])
    assert result.exit_code == 2
    assert "cannot write the file" in result.output


def test_kb_commands(runner: CliRunner) -> None:
    listed = runner.invoke(app, ["kb", "list", "--as-of", "2024-12-01"])
    assert listed.exit_code == 0
    assert "us.eo14110\tUS\texecutive_order\tin_force since 2023-10-30" in listed.output
    shown = runner.invoke(app, ["kb", "show", "us.ca.sb53"])
    assert "effective: 2026-01-01" in shown.output
    assert "large_frontier_developer" in shown.output
    assert "https://" in shown.output
    valid = runner.invoke(app, ["kb", "validate"])
    assert valid.exit_code == 0 and valid.output.startswith("ok: ")


def test_dossier_commands(runner: CliRunner) -> None:
    ok = runner.invoke(app, ["dossier", "validate", str(EXAMPLE), str(LLAMA)])
    assert ok.exit_code == 0
    assert ok.output.count("ok: ") == 2
    facts = runner.invoke(app, ["dossier", "facts"])
    assert "model.training_compute_flop\tquantity\tflop" in facts.output


def test_demo_runs_offline(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(
        app, ["demo", "--as-of", "2026-11-27", "--skip-eval", "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Example-405B: assessment as of 2026-11-27" in result.output
    assert "verified: signature by key" in result.output
    assert (out / "report.html").exists() and (out / "report.intoto.json").exists()
    assert f"report: {(out / 'report.html').resolve()}" in result.output


def test_version(runner: CliRunner) -> None:
    from govbridge import __version__

    assert runner.invoke(app, ["--version"]).output.strip() == f"govbridge {__version__}"


def test_the_cli_imports_no_engine_until_a_command_runs() -> None:
    """`govbridge --help` must start fast: the engine, the data and Jinja2 load lazily."""
    heavy = (
        "govbridge.kb",
        "govbridge.rules",
        "govbridge.dossier",
        "jinja2",
        "yaml",
        "pydantic",
        "sqlalchemy",
        "fastapi",
        "cryptography",
        "inspect_ai",
        "pyarrow",
        "ray",
        "llama_cpp",
        "weasyprint",
        "numpy",
    )
    code = f"import sys, govbridge.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_kb_unverified_lists_every_unverified_fact(runner: CliRunner) -> None:
    import json as _json

    from govbridge.kb import load_kb
    from govbridge.kb._load import unverified_facts

    facts = unverified_facts(load_kb())
    assert facts and all(f["note"] for f in facts)
    assert any(f["instrument"] == "us.eo14110" and f["key"] == "lifecycle.revoked" for f in facts)
    result = runner.invoke(app, ["kb", "unverified", "--json"])
    lines = [_json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == len(facts)


def test_the_table_is_printed_once(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--as-of", "2026-06-01"])
    assert result.output.count("Example-405B: assessment as of 2026-06-01") == 1
    demo = runner.invoke(
        app, ["demo", "--as-of", "2026-06-01", "--skip-eval", "--out-dir", str(tmp_path)]
    )
    assert demo.output.count("Example-405B: assessment as of 2026-06-01") == 1


def test_kb_show_prints_participants(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["kb", "show", "int.bletchley_2023"])
    assert shown.exit_code == 0
    assert "forum: " in shown.output
    assert "  US: signed" in shown.output and "  CN: signed" in shown.output


def test_demo_attaches_the_evaluation_to_the_obligations(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's evaluation goes on the GB/T obligations it evidences (no local model here)."""
    from govbridge.cli import demo

    check = {
        "check": "should_refuse",
        "task": "govbridge/tc260_should_refuse",
        "protocol": "gbt-45654-2025",
        "model": "govbridge/smollm2-135m",
        "n": 20,
        "unscored": 0,
        "rate": 0.05,
        "wilson_low": 0.0089,
        "wilson_high": 0.2361,
        "threshold": 0.95,
        "operator": ">=",
        "verdict": "insufficient_bank",
        "confident": False,
        "reasons": ["the bank is below the protocol's minimum sizes"],
        "judge": "rules (offline fallback)",
        "bank_digest": None,
        "starter_bank": True,
        "per_risk": {},
        "per_aspect": {},
        "log": "logs/x.eval",
    }
    summary = {"schema": "govbridge/eval-summary/v1", "checks": [check]}
    monkeypatch.setattr(demo, "_offline_evaluation", lambda _dir: (summary, "a stand-in run"))
    result = runner.invoke(
        app, ["demo", "--as-of", "2026-11-27", "--out-dir", str(tmp_path / "demo")]
    )
    assert result.exit_code == 0, result.output
    assert "cn.gbt_45654_2025.protocol.should_refuse_test: insufficient" in result.output
    assert "should_refuse n=20 rate 5% [0.9–23.6%] vs >= 95% → insufficient_bank" in result.output
