"""The dossier's ``evidence.eval_logs``, and ``assess`` attaching evaluation summaries to the
obligations of the TC260-003 / GB/T 45654-2025 protocol provisions."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.dossier import eval_log_paths, fact_specs, from_mapping, load, loads
from govbridge.errors import DossierError, UsageError
from govbridge.kb import KnowledgeBase
from govbridge.rules import (
    Assessment,
    ObligationResult,
    assess,
    attach_eval_evidence,
    evidence_attachments,
    evidence_elsewhere,
    evidence_line,
    to_dict,
    to_html,
    to_markdown,
)

# Inspect (0.3.285) passes a parameter that tenacity deprecates, and leaves anyio streams for
# the garbage collector: not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The 'initial' parameter is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src/govbridge/examples/example-405b.yaml"
GBT = "cn.gbt_45654_2025.protocol"
TC260 = "cn.tc260_003.protocol"
CN_SERVICE = {
    "model": {"name": "Example-CN", "output_modalities": ["text"]},
    "deployment": {"markets": ["CN"], "offered_to_public": True},
}
OBLIGATION = {
    "generated_content": "generated_content_test",
    "should_refuse": "should_refuse_test",
    "should_not_refuse": "should_not_refuse_test",
}


def _summary(
    check: str = "should_refuse", verdict: str = "pass", protocol: str = "gbt-45654-2025"
) -> dict[str, Any]:
    """A summary as govbridge.evals.summaries_for returns it."""
    return {
        "check": check,
        "task": f"tc260_{check}",
        "protocol": protocol,
        "model": "mockllm/model",
        "n": 300,
        "unscored": 0,
        "rate": 0.97,
        "wilson_low": 0.944,
        "wilson_high": 0.984,
        "threshold": 0.95,
        "operator": ">=",
        "verdict": verdict,
        "confident": False,
        "reasons": [] if verdict != "insufficient_bank" else ["the bank is below the floors"],
        "judge": "rules (offline fallback)",
        "bank_digest": "sha256:0",
        "starter_bank": False,
        "per_risk": {"A.1.d": {"n": 20, "rate": 1.0, "wilson_low": 0.839, "wilson_high": 1.0}},
        "per_aspect": {"gender": {"n": 20, "rate": 0.0, "wilson_low": 0.0, "wilson_high": 0.161}},
        "log": f"logs/{check}.eval",
    }


@pytest.fixture(scope="module")
def cn_2026(kb: KnowledgeBase) -> Assessment:
    return assess(from_mapping(CN_SERVICE), kb, dt.date(2026, 1, 1), jurisdictions=["CN"])


def _obligation(assessment: Assessment, provision: str, local: str) -> ObligationResult:
    found = assessment.provision(provision).obligations
    return next(o for o in found if o.id == f"{provision}.{local}")


def _attached(assessment: Assessment) -> dict[str, list[str]]:
    """Obligation id -> the checks attached to it, for every obligation with any."""
    return {
        ob.id: [e["check"] for e in ob.eval_results]
        for r in assessment.results
        for p in r.provisions
        for ob in p.obligations
        if ob.eval_results
    }


# --- the dossier --------------------------------------------------------------------------


def test_the_dossier_takes_an_evidence_section_that_is_not_a_fact(tmp_path: Path) -> None:
    d = from_mapping({"model": {"name": "M"}, "evidence": {"eval_logs": ["logs", "/x/a.eval"]}})
    assert d.evidence is not None and d.evidence.eval_logs == ["logs", "/x/a.eval"]
    assert from_mapping({"model": {"name": "M"}}).evidence is None
    assert not any(p == "evidence" or p.startswith("evidence.") for p in fact_specs())
    # a dossier without evidence shows none in the assessment's copy of the dossier
    dumped = from_mapping({"model": {"name": "M"}}).model_dump(by_alias=True, exclude_none=True)
    assert "evidence" not in dumped


@pytest.mark.parametrize(
    ("evidence", "field", "words"),
    [
        ("logs/", "evidence", "must be a mapping"),
        ({"eval_logs": "logs/"}, "evidence.eval_logs", "must be a list of paths"),
        ({"eval_logs": [3]}, "evidence.eval_logs.0", "must be a path"),
        ({"eval_logs": ["logs", "  "]}, "evidence.eval_logs.1", "not empty"),
        ({"eval_log": ["logs"]}, "evidence.eval_log", "did you mean evidence.eval_logs?"),
    ],
)
def test_a_bad_evidence_entry_names_the_file_and_the_field(
    evidence: object, field: str, words: str
) -> None:
    with pytest.raises(DossierError) as info:
        loads(json.dumps({"model": {"name": "M"}, "evidence": evidence}), "m.json")
    message = str(info.value)
    assert info.value.field == field
    assert message.startswith(f"m.json: {field}") and words in message
    assert "example: " in message and "\n" not in message


def test_relative_paths_resolve_against_the_dossier_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dossiers"
    (folder / "logs").mkdir(parents=True)
    absolute = tmp_path / "elsewhere.eval"
    absolute.write_text("{}", encoding="utf-8")
    file = folder / "m.yaml"
    file.write_text(
        f"model: {{name: M}}\nevidence:\n  eval_logs: [logs, '{absolute}']\n", encoding="utf-8"
    )
    entries = eval_log_paths(load(file), file)
    assert [e.path for e in entries] == [folder / "logs", absolute]
    assert [e.field for e in entries] == ["evidence.eval_logs[0]", "evidence.eval_logs[1]"]
    # A dossier given as text, with no file: the current directory.
    monkeypatch.chdir(folder)
    text = loads("model: {name: M}\nevidence: {eval_logs: [logs]}\n")
    [entry] = eval_log_paths(text)
    assert entry.path == Path("logs") and entry.path.resolve() == (folder / "logs").resolve()


def test_a_missing_log_path_names_the_dossier_the_field_and_the_path(tmp_path: Path) -> None:
    file = tmp_path / "m.yaml"
    file.write_text("model: {name: M}\nevidence: {eval_logs: [., nope/]}\n", encoding="utf-8")
    with pytest.raises(UsageError) as info:
        eval_log_paths(load(file), file)
    message = str(info.value)
    assert str(file) in message and "evidence.eval_logs[1]" in message
    assert "'nope/'" in message and str(tmp_path / "nope") in message
    assert eval_log_paths(load(file), file, must_exist=False)[1].path == tmp_path / "nope"


# --- attaching ----------------------------------------------------------------------------


@pytest.mark.parametrize("check", sorted(OBLIGATION))
def test_each_check_goes_to_its_obligation(cn_2026: Assessment, check: str) -> None:
    found = attach_eval_evidence(cn_2026, [_summary(check)])
    assert _attached(found) == {f"{GBT}.{OBLIGATION[check]}": [check]}
    assert found.eval_evidence == (_summary(check),)


@pytest.mark.parametrize(
    ("verdicts", "status"),
    [
        (["pass"], "met"),
        (["fail"], "not_met"),
        (["insufficient_bank"], "insufficient"),
        (["pass", "pass"], "met"),
        (["pass", "insufficient_bank"], "insufficient"),
        (["insufficient_bank", "fail", "pass"], "not_met"),
        ([], "none"),
    ],
)
def test_the_evidence_status_follows_the_verdicts(
    cn_2026: Assessment, verdicts: list[str], status: str
) -> None:
    found = attach_eval_evidence(cn_2026, [_summary(verdict=v) for v in verdicts])
    ob = _obligation(found, GBT, "should_refuse_test")
    assert [e["verdict"] for e in ob.eval_results] == verdicts
    assert ob.evidence_status == status
    assert to_dict(found)["results"][0]["provisions"]  # serialises
    other = _obligation(found, GBT, "should_not_refuse_test")
    assert other.evidence_status == "none" and other.eval_results == ()


def test_a_log_goes_only_to_the_protocol_it_was_recorded_under(kb: KnowledgeBase) -> None:
    before = assess(from_mapping(CN_SERVICE), kb, dt.date(2025, 6, 1), jurisdictions=["CN"])
    found = attach_eval_evidence(before, [_summary(protocol="tc260-003")])
    assert _attached(found) == {f"{TC260}.should_refuse_test": ["should_refuse"]}
    found = attach_eval_evidence(before, [_summary(protocol="gbt-45654-2025")])
    assert _attached(found) == {f"{GBT}.should_refuse_test": ["should_refuse"]}
    # A provision id or an instrument id names the same protocol.
    for protocol in (TC260, "cn.tc260_003"):
        found = attach_eval_evidence(before, [_summary(protocol=protocol)])
        assert list(_attached(found)) == [f"{TC260}.should_refuse_test"]


def test_cbrn_and_unknown_protocols_are_kept_but_attached_nowhere(cn_2026: Assessment) -> None:
    cbrn = _summary("cbrn_refusal", "fail")
    odd = _summary(protocol="iso-42001")
    found = attach_eval_evidence(cn_2026, [cbrn, odd])
    assert _attached(found) == {}
    assert found.eval_evidence == (cbrn, odd)
    assert [where for _, where in evidence_attachments(found)] == [[], []]
    notes = [note for _, note in evidence_elsewhere(found)]
    assert "cbrn_refusal is not a check of the protocol" in notes[0]
    assert "'iso-42001' is not one of gbt-45654-2025, tc260-003" in notes[1]
    assert "cbrn_refusal" in to_markdown(found) and "Other evaluation evidence" in to_html(found)


def test_attaching_is_pure_and_adds_up(cn_2026: Assessment) -> None:
    given = _summary()
    first = attach_eval_evidence(cn_2026, [given])
    given["verdict"] = "fail"  # the caller's dict is copied, not kept
    assert _obligation(first, GBT, "should_refuse_test").evidence_status == "met"
    assert cn_2026.eval_evidence == () and _attached(cn_2026) == {}
    both = attach_eval_evidence(first, [_summary(verdict="fail")])
    assert _obligation(both, GBT, "should_refuse_test").evidence_status == "not_met"
    assert len(both.eval_evidence) == 2


@pytest.mark.parametrize(
    ("summary", "words"),
    [
        ({"verdict": "pass"}, "check = None"),
        ({"check": "should_refuse", "verdict": "ok"}, "verdict = 'ok'"),
        ("should_refuse", "expected a mapping"),
    ],
)
def test_a_bad_summary_is_a_usage_error(cn_2026: Assessment, summary: Any, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        attach_eval_evidence(cn_2026, [summary])


def test_the_outputs_show_the_attached_summaries(cn_2026: Assessment) -> None:
    found = attach_eval_evidence(cn_2026, [_summary(verdict="fail")])
    line = evidence_line(_summary(verdict="fail"))
    assert line == "should_refuse n=300 rate 97% [94.4–98.4%] vs >= 95% → fail (rules judge)"
    doc = to_dict(found)
    obligations = {
        o["id"]: o for r in doc["results"] for p in r["provisions"] for o in p["obligations"]
    }
    assert obligations[f"{GBT}.should_refuse_test"]["evidence_status"] == "not_met"
    assert obligations[f"{GBT}.should_refuse_test"]["eval_results"] == [_summary(verdict="fail")]
    assert obligations[f"{GBT}.generated_content_test"]["eval_results"] == []
    assert doc["eval_evidence"] == [_summary(verdict="fail")]
    assert f"`{line}`" in to_markdown(found) and "evidence (not_met)" in to_markdown(found)
    assert "should_refuse n=300 rate 97%" in to_html(found)
    assert "eval_evidence" in to_dict(cn_2026) and to_dict(cn_2026)["eval_evidence"] == []


# --- the command line, with logs of mockllm -----------------------------------------------

REFUSAL = "I'm sorry, but I can't help with that."


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a should-refuse log under each protocol (6 of 8 refused each)."""
    pytest.importorskip("inspect_ai")
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    from govbridge.evals import tc260_should_refuse

    def output(text: str) -> ModelOutput:
        out = ModelOutput.from_content("mockllm/model", text)
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return out

    folder = tmp_path_factory.mktemp("evidence") / "logs"
    for protocol, as_of in (("gbt-45654-2025", "2026-01-01"), ("tc260-003", "2025-06-01")):
        outputs = [output(REFUSAL)] * 6 + [output("Sure, here it is.")] * 2
        model = get_model("mockllm/model", custom_outputs=outputs, memoize=False)
        task = tc260_should_refuse(
            judge="rules", sample_size=8, seed=5, protocol=protocol, as_of=as_of
        )
        [log] = inspect_eval(
            task, model=model, log_dir=str(folder), display="none", log_realtime=False
        )
        assert log.status == "success"
    return folder


def _dossier(folder: Path, logs: list[str]) -> Path:
    file = folder / "dossier.yaml"
    data = {**CN_SERVICE, "evidence": {"eval_logs": logs}}
    file.write_text(json.dumps(data), encoding="utf-8")
    return file


def test_assess_attaches_the_dossier_logs(logs: Path) -> None:
    file = _dossier(logs.parent, ["logs"])  # relative to the dossier's folder
    args = ["assess", str(file), "--as-of", "2026-01-01", "-j", "CN"]
    result = CliRunner().invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert sorted(s["protocol"] for s in doc["eval_evidence"]) == ["gbt-45654-2025", "tc260-003"]
    obligations = {
        o["id"]: o for r in doc["results"] for p in r["provisions"] for o in p["obligations"]
    }
    [summary] = obligations[f"{GBT}.should_refuse_test"]["eval_results"]
    assert summary["check"] == "should_refuse" and summary["n"] == 8
    assert summary["rate"] == pytest.approx(0.75) and summary["verdict"] == "insufficient_bank"
    assert summary["judge"] == "rules (offline fallback)"
    assert obligations[f"{GBT}.should_refuse_test"]["evidence_status"] == "insufficient"
    [old] = obligations[f"{TC260}.should_refuse_test"]["eval_results"]
    assert old["protocol"] == "tc260-003"
    # The table: one line under the obligation; the superseded protocol's log below.
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    text = table.stdout
    assert "evidence: should_refuse n=8 rate 75% [" in text and "insufficient_bank" in text
    assert "Other evaluation evidence" in text
    assert f"attached to {TC260}.should_refuse_test, which does not apply" in text


def test_a_summary_saved_among_the_logs_is_not_read_as_a_log(logs: Path, tmp_path: Path) -> None:
    """``govbridge eval summarize logs -f json -o logs/summary.json`` keeps the folder usable."""
    import shutil

    folder = tmp_path / "logs"
    shutil.copytree(logs, folder)
    saved = CliRunner().invoke(
        app, ["eval", "summarize", str(folder), "-f", "json", "-o", str(folder / "summary.json")]
    )
    assert saved.exit_code == 0, saved.output
    file = _dossier(tmp_path, ["logs"])
    result = CliRunner().invoke(app, ["assess", str(file), "--as-of", "2026-01-01", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["eval_evidence"]) == 2
    # Named on its own, it is read as a log, and is not one.
    file = _dossier(tmp_path, ["logs/summary.json"])
    result = CliRunner().invoke(app, ["assess", str(file)])
    assert result.exit_code == 2
    assert "evidence.eval_logs[0]: " in result.stderr and "summary.json" in result.stderr


def test_assess_with_a_missing_log_is_a_usage_error(tmp_path: Path) -> None:
    file = _dossier(tmp_path, ["missing-logs/"])
    result = CliRunner().invoke(app, ["assess", str(file), "--as-of", "2026-01-01"])
    assert result.exit_code == 2
    message = result.stderr
    assert message.startswith(f"error: {file}: evidence.eval_logs[0] = 'missing-logs/'")
    assert str(tmp_path / "missing-logs") in message and "Traceback" not in result.output


def test_assess_with_a_file_that_is_not_a_log_names_the_field(tmp_path: Path) -> None:
    pytest.importorskip("inspect_ai")
    (tmp_path / "junk.json").write_text("{}", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    file = _dossier(tmp_path, ["junk.json"])
    result = CliRunner().invoke(app, ["assess", str(file)])
    assert result.exit_code == 2
    assert f"{file}: evidence.eval_logs[0]: " in result.stderr and "junk.json" in result.stderr
    file = _dossier(tmp_path, ["empty"])
    result = CliRunner().invoke(app, ["assess", str(file)])
    assert result.exit_code == 2 and "evidence.eval_logs[0] = 'empty': no Inspect log" in (
        result.stderr
    )


def test_report_reads_the_dossier_logs(logs: Path) -> None:
    file = _dossier(logs.parent, ["logs"])
    names = sorted(p.name for p in logs.iterdir())
    result = CliRunner().invoke(app, ["report", str(file), "--as-of", "2026-01-01", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert sorted(d["name"] for d in doc["inputs"]["evidence"]) == names
    [cn] = [j for j in doc["jurisdictions"] if j["code"] == "CN"]
    used = {(c["evidence"], c["obligation"]) for c in cn["content"]["checks"]}
    assert any(o == f"{GBT}.should_refuse_test" for _, o in used)
    # The same log given with --evidence too is read once.
    again = CliRunner().invoke(
        app,
        ["report", str(file), "--as-of", "2026-01-01", "-f", "json", "-e", str(logs / names[0])],
    )
    assert again.exit_code == 0, again.output
    assert len(json.loads(again.stdout)["inputs"]["evidence"]) == len(names)


def test_assess_without_evidence_does_not_import_inspect() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from govbridge.cli import app\n"
        f"result = CliRunner().invoke(app, ['assess', {str(EXAMPLE)!r}, '-f', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('inspect_ai' in sys.modules, 'govbridge.evals' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
