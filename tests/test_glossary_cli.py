"""``govbridge glossary``: lookup, list and export through typer's CliRunner."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.glossary import TBX_NAMESPACE, load_glossary

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "glossary.md"
COUNT = len(load_glossary())


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "--help"])
    assert result.exit_code == 0
    for command in ("lookup", "list", "export"):
        assert command in result.output


@pytest.mark.parametrize("text", ["安全", "anquan", "An Quan", "ānquán", "SAFETY"])
def test_lookup_by_english_chinese_or_pinyin(runner: CliRunner, text: str) -> None:
    result = runner.invoke(app, ["glossary", "lookup", text])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "anquan\n  en: safety / security\n  zh: 安全\n  pinyin: an quan\n"
    )
    assert "  CN: one word" in result.output
    assert "divergence (govbridge analysis):" in result.output
    assert "federalregister.gov" in result.output


def test_lookup_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "lookup", "tong yong ren gong zhi neng", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["query"] == "tong yong ren gong zhi neng"
    assert doc["term"]["id"] == "general_purpose_ai"
    labels = {s["label"] for s in doc["term"]["senses"]}
    assert {"general-purpose AI model", "AGI"} <= labels


def test_unknown_term_is_one_line_with_suggestions_and_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "lookup", "synthesis"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: no glossary term 'synthesis'; did you mean deep_synthesis")
    assert "Traceback" not in result.output


def test_unknown_term_in_json_mode_is_still_a_clean_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "lookup", "zzzz", "--format", "json"])
    assert result.exit_code == 2
    assert result.output.startswith("error: no glossary term 'zzzz'")


def test_list(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == COUNT
    assert "anquan\tsafety / security\t安全\tan quan\tsafety" in lines


def test_list_json_and_category(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "list", "--category", "actors", "-f", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert [t["id"] for t in doc["terms"]] == [
        "content_producer",
        "deployer",
        "developer",
        "provider",
    ]
    assert doc["count"] == 4
    assert "CN" in doc["terms"][0]["jurisdictions"]


def test_list_bad_category(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "list", "--category", "risk"])
    assert result.exit_code == 2
    assert "expected one of safety, models, actors, mechanisms, diplomacy" in result.output


def test_export_tbx_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "export", "--format", "tbx"])
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == f"{{{TBX_NAMESPACE}}}tbx"
    assert len(list(root.iter(f"{{{TBX_NAMESPACE}}}conceptEntry"))) == COUNT


def test_export_csv_and_json_to_files(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    result = runner.invoke(app, ["glossary", "export", "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("term_id,en,zh,pinyin,")
    out = tmp_path / "g.json"
    result = runner.invoke(app, ["glossary", "export", "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["count"] == COUNT


def test_export_rejects_an_unknown_format(runner: CliRunner) -> None:
    result = runner.invoke(app, ["glossary", "export", "-f", "xlsx"])
    assert result.exit_code == 2


def test_a_broken_glossary_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "glossary"
    shutil.copytree(ROOT / "tests/fixtures/glossary/minimal", root)
    shutil.copy(ROOT / "tests/fixtures/glossary/broken/misspelt_key.yaml", root / "terms")
    monkeypatch.setattr("govbridge.glossary._load.default_glossary_dir", lambda: root)
    result = runner.invoke(app, ["glossary", "list"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        "error: terms/misspelt_key.yaml: dvergence: unknown key; did you mean divergence?"
    ]


# --- docs/glossary.md shows real output ---------------------------------------------------


def _doc_blocks() -> list[tuple[list[str], str]]:
    """Each ```console block of the page: the command's arguments and its shown output."""
    text = DOC.read_text(encoding="utf-8")
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        first, _, output = body.partition("\n")
        assert first.startswith("$ govbridge "), first
        args = _split(first.removeprefix("$ govbridge "))
        blocks.append((args, output))
    return blocks


def _split(command: str) -> list[str]:
    import shlex

    return shlex.split(command)


def test_docs_page_shows_real_output(runner: CliRunner) -> None:
    blocks = _doc_blocks()
    assert len(blocks) >= 4
    for args, shown in blocks:
        result = runner.invoke(app, args)
        assert result.output == shown, f"docs/glossary.md is stale for: govbridge {' '.join(args)}"


def test_docs_page_excerpts_are_real(runner: CliRunner) -> None:
    text = DOC.read_text(encoding="utf-8")
    tbx = runner.invoke(app, ["glossary", "export", "-f", "tbx"]).stdout
    csv_text = runner.invoke(app, ["glossary", "export", "-f", "csv"]).stdout.replace("\r\n", "\n")
    excerpts = re.findall(r"```xml\n(.*?)```", text, flags=re.S)
    assert excerpts
    for excerpt in excerpts:
        assert excerpt in tbx
    for excerpt in re.findall(r"```csv\n(.*?)```", text, flags=re.S):
        assert set(excerpt.splitlines()) <= set(csv_text.splitlines())


def test_docs_page_lists_every_term() -> None:
    text = DOC.read_text(encoding="utf-8")
    for term in load_glossary():
        assert f"`{term.id}`" in text, term.id
