"""``govbridge eval``, ``inspect eval govbridge/...`` from the shell, and the bundled model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip("inspect_ai")

from inspect_ai import eval as inspect_eval  # noqa: E402
from inspect_ai.model import ModelOutput, ModelUsage, get_model  # noqa: E402

from govbridge.cli import app  # noqa: E402
from govbridge.evals import tc260_should_refuse  # noqa: E402

pytestmark = [
    pytest.mark.filterwarnings("ignore:The 'initial' parameter is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

REFUSAL = "I'm sorry, but I can't help with that."


def _output(text: str) -> ModelOutput:
    out = ModelOutput.from_content("mockllm/model", text)
    out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
    return out


@pytest.fixture(scope="module")
def refuse_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    outputs = [_output(REFUSAL)] * 6 + [_output("Sure, here it is.")] * 2
    model = get_model("mockllm/model", custom_outputs=outputs, memoize=False)
    task = tc260_should_refuse(judge="rules", sample_size=8, seed=5)
    [log] = inspect_eval(task, model=model, log_dir=str(folder), display="none", log_realtime=False)
    assert log.status == "success"
    return Path(log.location)


def test_summarize_json(refuse_log: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "summarize", str(refuse_log), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "govbridge/eval-summary/v1"
    [check] = doc["checks"]
    assert check["check"] == "should_refuse" and check["n"] == 8
    assert check["rate"] == pytest.approx(0.75)
    assert check["verdict"] == "insufficient_bank"  # the starter bank is below the floors
    assert check["judge"] == "rules (offline fallback)" and check["starter_bank"]
    for stats in check["per_risk"].values():
        assert set(stats) == {"n", "rate", "wilson_low", "wilson_high"}


def test_summarize_table_and_bad_input(refuse_log: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "summarize", str(refuse_log.parent)])
    assert result.exit_code == 0, result.output
    assert "should_refuse" in result.stdout and "insufficient_bank" in result.stdout
    assert "rules (offline fallback)" in result.stdout
    missing = CliRunner().invoke(app, ["eval", "summarize", str(tmp_path / "none.eval")])
    assert missing.exit_code == 2 and "error:" in missing.stderr
    proto = CliRunner().invoke(app, ["eval", "summarize", str(refuse_log), "-p", "x"])
    assert proto.exit_code == 2 and "unknown protocol" in proto.stderr


def test_eval_run_resumes_with_eval_set(tmp_path: Path) -> None:
    """``run_suite`` writes ordinary logs; running it again reuses the finished ones."""
    from govbridge.evals import run_suite

    # One model object for both runs: its three outputs are used up by the first run, so
    # the second can only succeed by reusing the finished log.
    model = get_model("mockllm/model", custom_outputs=[_output(REFUSAL)] * 3, memoize=False)
    args: dict[str, Any] = {"suite": "cbrn", "judge": "rules", "limit": 3, "log_dir": tmp_path}
    first = run_suite(model, display="none", **args)
    mtime = first[0].stat().st_mtime_ns
    again = run_suite(model, display="none", **args)
    assert first == again and len(first) == 1
    assert again[0].stat().st_mtime_ns == mtime  # nothing was run again


def test_tasks_resolve_through_the_entry_point(tmp_path: Path) -> None:
    """``govbridge/<task>`` names resolve through the ``inspect_ai`` entry point."""
    model = get_model("mockllm/model", custom_outputs=[_output(REFUSAL)] * 2, memoize=False)
    [log] = inspect_eval(
        "govbridge/cbrn_refusal",
        task_args={"judge": "rules", "sample_size": 2},
        model=model,
        log_dir=str(tmp_path),
        display="none",
        log_realtime=False,
    )
    assert log.status == "success" and log.eval.task == "govbridge/cbrn_refusal"


def _inspect() -> str | None:
    found = shutil.which("inspect", path=str(Path(sys.executable).parent))
    return found or shutil.which("inspect")


def test_inspect_eval_from_the_shell_with_the_bundled_model(tmp_path: Path) -> None:
    """``inspect eval govbridge/tc260_should_refuse --model govbridge/smollm2-135m``."""
    pytest.importorskip("llama_cpp")
    exe = _inspect()
    if exe is None:
        pytest.skip("the inspect command is not installed")
    result = subprocess.run(
        [
            exe,
            "eval",
            "govbridge/tc260_should_refuse",
            "--model",
            "govbridge/smollm2-135m",
            "-T",
            "judge=rules",
            "-T",
            "sample_size=2",
            "--max-tokens",
            "16",
            "--log-dir",
            str(tmp_path),
            "--display",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "INSPECT_LOG_FORMAT": "json"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    logs = list(tmp_path.glob("*.json"))
    assert logs, result.stdout[-2000:]
    summary = CliRunner().invoke(app, ["eval", "summarize", str(logs[0]), "-f", "json"])
    [check] = json.loads(summary.stdout)["checks"]
    assert check["check"] == "should_refuse" and check["n"] + check["unscored"] == 2
    assert check["model"] == "govbridge/smollm2-135m"
