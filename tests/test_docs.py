"""The documentation is checked: generated pages are up to date, and every command, fact,
instrument and output key is documented."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from govbridge.cli import app
from govbridge.cli._docs import command_paths, help_text, render
from govbridge.dossier import fact_specs, from_mapping
from govbridge.kb import KnowledgeBase
from govbridge.kb._docs import render as render_instruments
from govbridge.rules import assess, attach_eval_evidence, to_dict

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = Path(__file__).resolve().parents[1] / "README.md"


def test_cli_reference_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("COLUMNS", "NO_COLOR", "TERM", "_TYPER_FORCE_DISABLE_TERMINAL"):
        monkeypatch.delenv(key, raising=False)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(app), (
        "docs/cli.md is stale: run `make docs`"
    )


def test_every_command_has_help_text() -> None:
    for path in command_paths(app):
        text = help_text(app, path)
        summary = [line for line in text.splitlines()[1:] if line.strip()]
        assert summary and not summary[0].lstrip().startswith("╭"), f"{path} has no description"


def test_instruments_page_is_up_to_date(kb: KnowledgeBase) -> None:
    assert (DOCS / "instruments.md").read_text(encoding="utf-8") == render_instruments(kb), (
        "docs/instruments.md is stale: run `make docs`"
    )


def test_every_dossier_fact_is_documented() -> None:
    text = (DOCS / "dossier.md").read_text(encoding="utf-8")
    for path in fact_specs():
        assert f"`{path}`" in text, f"{path} is not in docs/dossier.md"


def _keys(value: object, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            # values/estimates are keyed by fact path, per_risk/per_aspect by risk or aspect
            if key not in ("dossier", "values", "estimates", "per_risk", "per_aspect"):
                found |= _keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item)
    return found


def test_every_assessment_key_is_documented(kb: KnowledgeBase) -> None:
    dossier = from_mapping(
        {
            "model": {"name": "M", "training_compute_flop": 2e26, "release_date": "2025-01-01"},
            "deployment": {"markets": ["US-CA", "EU", "CN"]},
        }
    )
    # A summary as govbridge.evals.summaries_for gives it, attached to the GB/T protocol.
    summary = {
        "check": "should_refuse",
        "task": "tc260_should_refuse",
        "protocol": "gbt-45654-2025",
        "model": "mockllm/model",
        "n": 8,
        "unscored": 0,
        "rate": 0.75,
        "wilson_low": 0.41,
        "wilson_high": 0.93,
        "threshold": 0.95,
        "operator": ">=",
        "verdict": "insufficient_bank",
        "confident": False,
        "reasons": ["the bank is below the protocol's minimum sizes"],
        "judge": "rules (offline fallback)",
        "bank_digest": "0" * 16,
        "starter_bank": True,
        "per_risk": {"A.1.d": {"n": 8, "rate": 0.75, "wilson_low": 0.41, "wilson_high": 0.93}},
        "per_aspect": {},
        "log": "logs/x.eval",
    }
    keys = set()
    for when in (dt.date(2025, 6, 1), dt.date(2026, 6, 1)):
        keys |= _keys(to_dict(attach_eval_evidence(assess(dossier, kb, when), [summary])))
    assert {"eval_results", "evidence_status", "eval_evidence", "wilson_low"} <= keys
    text = (DOCS / "assessment-schema.md").read_text(encoding="utf-8")
    undocumented = sorted(k for k in keys if f"`{k}`" not in text)
    assert not undocumented, f"not in docs/assessment-schema.md: {undocumented}"


def test_readme_is_a_true_quickstart() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    for link in (
        "docs/dossier.md",
        "docs/assessment-schema.md",
        "docs/cli.md",
        "docs/instruments.md",
        "docs/knowledge-base.md",
        "CHANGELOG.md",
    ):
        assert link in text
        assert (README.parent / link).exists(), link


def test_ci_runs_the_readme_test_command() -> None:
    run = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in run
    assert os.access(README.parent / ".ci" / "run", os.X_OK)
