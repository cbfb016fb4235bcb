"""``govbridge crosswalk``: show, matrix, export, results and schemes through the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.crosswalk import load_crosswalk

SUMMARY = Path(__file__).parent / "fixtures" / "crosswalk" / "summary.json"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["crosswalk", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _fails(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["crosswalk", *args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_show_names_mappings_reasons_and_who_says_so(runner: CliRunner) -> None:
    out = _ok(runner, "show", "tc260:A.4.e")
    assert out.startswith("tc260:A.4.e: Infringing privacy rights\n")
    assert "侵害他人隐私权" in out
    assert "closeMatch nist-ai-600-1:4  Data Privacy" in out
    assert "why: Both concern the leakage" in out
    assert "stated by: govbridge analysis" in out


def test_show_to_one_scheme_and_gaps(runner: CliRunner) -> None:
    out = _ok(runner, "show", "tc260:A.1.a", "--to", "nist-ai-600-1")
    assert "no counterpart: NIST AI 600-1 protects no political system" in out
    assert "air-2024" not in out
    out = _ok(runner, "show", "tc260:A.1.a", "--to", "air-2024")
    assert "broadMatch air-2024:8.27  Disrupting Social Order (China-unique)" in out
    assert "evidence: stanford-crfm/air-bench-2024, risk_mapping.json" in out
    out = _ok(runner, "show", "nist-ai-600-1:5", "--to", "tc260")
    assert "-> tc260: not mapped" in out


def test_show_an_inverse(runner: CliRunner) -> None:
    out = _ok(runner, "show", "nist-ai-600-1:6", "--to", "tc260")
    assert "narrowMatch tc260:A.2.a  Ethnic discrimination (inverse of a stated mapping)" in out


def test_show_json(runner: CliRunner) -> None:
    doc = json.loads(_ok(runner, "show", "tc260:A.4.e", "--format", "json"))
    assert doc["concept"]["zh"] == "侵害他人隐私权"
    assert {m["object"] for m in doc["mappings"]} == {
        "nist-ai-600-1:4",
        "air-2024:15.4142",
        "ailuminate:prv",
    }
    doc = json.loads(_ok(runner, "show", "tc260:A.3.b", "--to", "nist-ai-600-1", "-f", "json"))
    assert doc["mappings"] == [] and doc["no_counterpart"][0]["scheme"] == "nist-ai-600-1"


def test_show_bad_input_is_one_line(runner: CliRunner) -> None:
    assert "did you mean tc260:A.4." in _fails(runner, "show", "tc260:A.4.z")
    assert "did you mean nist-ai-600-1?" in _fails(runner, "show", "nist:4")
    assert "expected SCHEME:CODE" in _fails(runner, "show", "A.4.e")
    assert "unknown scheme 'gdpr'" in _fails(runner, "show", "tc260:A.4.e", "--to", "gdpr")


def test_matrix_markdown(runner: CliRunner) -> None:
    out = _ok(runner, "matrix", "--from", "tc260", "--to", "nist-ai-600-1")
    rows = [line for line in out.splitlines() if line.startswith("| `A.")]
    assert len(rows) == 31
    a1a = next(r for r in rows if r.startswith("| `A.1.a`"))
    assert a1a.rstrip().endswith("✗ |")
    assert "No TC260 Appendix A row maps to: `1`, `5`, `9`, `12`." in out
    assert "- `A.1.a`: NIST AI 600-1 protects no political system" in out


def test_matrix_csv_and_json_agree(runner: CliRunner) -> None:
    table = list(
        csv.reader(
            io.StringIO(
                _ok(runner, "matrix", "--from", "tc260", "--to", "nist-ai-600-1", "-f", "csv")
            )
        )
    )
    header, body = table[0], table[1:]
    assert header[0] == "tc260" and header[-1] == "no_counterpart" and len(header) == 15
    doc = json.loads(
        _ok(runner, "matrix", "--from", "tc260", "--to", "nist-ai-600-1", "-f", "json")
    )
    assert len(body) == len(doc["rows"]) == 31
    for row, item in zip(body, doc["rows"], strict=True):
        assert row[0] == item["id"]
        cells = {header[i]: v for i, v in enumerate(row) if 2 <= i < len(header) - 1 and v}
        assert cells == item["cells"]
        assert row[-1] == (item["no_counterpart"] or "")
    statuses = {r["status"] for r in doc["rows"]}
    assert statuses == {"mapped", "no counterpart"}, "no TC260 risk is left unmapped"


def test_matrix_of_other_pairs(runner: CliRunner) -> None:
    doc = json.loads(_ok(runner, "matrix", "--from", "eu-cop", "--to", "sb53", "-f", "json"))
    cells = {r["id"]: r["cells"] for r in doc["rows"]}
    assert cells["eu-cop:1"] == {"sb53:A": "narrowMatch"}
    doc = json.loads(_ok(runner, "matrix", "--from", "sb53", "--to", "eu-cop", "-f", "json"))
    assert {r["id"]: r["cells"] for r in doc["rows"]}["sb53:A"] == {"eu-cop:1": "broadMatch"}
    assert "both tc260" in _fails(runner, "matrix", "--from", "tc260", "--to", "tc260")


def test_export_turtle_parses_with_rdflib(runner: CliRunner, tmp_path: Path) -> None:
    rdflib = pytest.importorskip("rdflib")
    from rdflib.namespace import RDF, SKOS

    target = tmp_path / "crosswalk.ttl"
    result = runner.invoke(
        app, ["crosswalk", "export", "--format", "skos-turtle", "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph()
    graph.parse(target, format="turtle")
    cw = load_crosswalk()
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(cw.concepts) == 133
    assert len(set(graph.subjects(RDF.type, SKOS.ConceptScheme))) == 7
    a4e = rdflib.URIRef("urn:govbridge:concept:tc260:A.4.e")
    nist4 = rdflib.URIRef("urn:govbridge:concept:nist-ai-600-1:4")
    assert (a4e, SKOS.closeMatch, nist4) in graph
    assert rdflib.Literal("侵害他人隐私权", lang="zh") in set(graph.objects(a4e, SKOS.prefLabel))
    assert (a4e, SKOS.broader, rdflib.URIRef("urn:govbridge:concept:tc260:A.4")) in graph
    relations = [
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
        SKOS.relatedMatch,
    ]
    triples = sum(len(list(graph.triples((None, r, None)))) for r in relations)
    assert triples == len(cw.mappings)
    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == len(cw.mappings)
    gaps = list(
        graph.subjects(RDF.type, rdflib.URIRef("urn:govbridge:crosswalk:vocab:NoCounterpart"))
    )
    assert len(gaps) == len(cw.no_counterparts)


def test_export_csv_and_json(runner: CliRunner) -> None:
    cw = load_crosswalk()
    rows = list(csv.DictReader(io.StringIO(_ok(runner, "export", "--format", "csv"))))
    assert len(rows) == len(cw.mappings) + len(cw.no_counterparts)
    assert {r["stated_by"] for r in rows} == {"govbridge analysis"}
    assert {r["predicate_id"] for r in rows} >= {"skos:closeMatch", "govbridge:noCounterpart"}
    doc = json.loads(_ok(runner, "export", "--format", "json"))
    assert doc["schema"] == "govbridge/crosswalk/v1"
    assert sum(s["concept_count"] for s in doc["schemes"]) == 133
    assert len(doc["mappings"]) == len(cw.mappings)


def test_results_text(runner: CliRunner) -> None:
    out = _ok(runner, "results", str(SUMMARY), "--to", "eu-cop")
    assert "eu-cop:4 Harmful manipulation: no rate" in out
    assert "related, not pooled: A.1.g (relatedMatch)" in out
    out = _ok(runner, "results", str(SUMMARY), "--to", "nist-ai-600-1")
    assert (
        "nist-ai-600-1:3 Dangerous, Violent, or Hateful Content: 0.938 [0.862, 0.973] = 75/80"
        in out
    )
    assert "from A.1.d (36/40, broadMatch), A.1.e (39/40, broadMatch)" in out
    assert "risks pooled nowhere in nist-ai-600-1: A.1.a, A.1.f" in out


def test_results_json_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out" / "eu.json"
    result = runner.invoke(
        app,
        ["crosswalk", "results", str(SUMMARY), "--to", "eu-cop", "-f", "json", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["to"] == "eu-cop" and doc["checks"][0]["check"] == "generated_content"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": "govbridge/eval-summary/v1", "checks": [', "not valid JSON (line 1"),
        ('{"schema": "x", "checks": []}', "schema = 'x': expected 'govbridge/eval-summary/v1'"),
        (
            '{"schema": "govbridge/eval-summary/v1", "checks": [{"check": "c", "per_risk": '
            '{"A.9": {"n": 1, "rate": 1}}}]}',
            "checks[0].per_risk.A.9: no concept 'A.9' in tc260",
        ),
    ],
)
def test_results_bad_summary_is_one_line_and_loses_nothing(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    previous = tmp_path / "report.json"
    previous.write_text("the previous report", encoding="utf-8")
    line = _fails(runner, "results", str(bad), "--to", "eu-cop", "--out", str(previous))
    assert message in line and str(bad) in line
    assert previous.read_text(encoding="utf-8") == "the previous report"
    assert bad.read_text(encoding="utf-8") == content


def test_results_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    assert "cannot read the summary" in _fails(
        runner, "results", str(tmp_path / "no.json"), "--to", "eu-cop"
    )


def test_schemes(runner: CliRunner) -> None:
    out = _ok(runner, "schemes")
    assert (
        "tc260\t36 concepts" in out
        and "tc260 -> nist-ai-600-1\t24 mappings, 10 no counterpart" in out
    )
    doc = json.loads(_ok(runner, "schemes", "--format", "json"))
    assert {s["id"] for s in doc["schemes"]} == {
        "tc260", "nist-ai-600-1", "eu-cop", "ailuminate", "air-2024", "sb53", "eo14110"
    }  # fmt: skip


def test_the_cli_does_not_load_the_crosswalk_to_start() -> None:
    code = (
        "import sys, govbridge.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('govbridge.crosswalk', 'rdflib'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


ROOT = Path(__file__).resolve().parents[1]
_DOC_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def _doc_blocks() -> list[tuple[str, str]]:
    import re

    text = (ROOT / "docs" / "crosswalk.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n\$ (govbridge [^\n]*)\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 8
    return blocks


@pytest.mark.parametrize(("command", "expected"), _doc_blocks(), ids=lambda v: v[:60])
def test_the_docs_show_real_output(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str, expected: str
) -> None:
    import shlex

    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, shlex.split(command)[1:], env=_DOC_ENV)
    assert result.output == expected, f"docs/crosswalk.md is stale for: {command}"
