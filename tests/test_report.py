"""The report: its model, verdicts and gaps, the evidence reader, the renderers and the CLI."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.dossier import from_mapping, load
from govbridge.kb import KnowledgeBase
from govbridge.report import (
    MESSAGES,
    REPORT_SCHEMA,
    EvidenceError,
    Report,
    ReportError,
    build_report,
    file_digest,
    load_evidence,
    parse_eval_summary,
    parse_report,
    render_html,
    render_markdown,
)
from govbridge.report._examples import render_examples
from govbridge.report._terms import load_terms
from govbridge.rules import assess

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures/report"
FRONTIER = FIXTURES / "frontier-cn.yaml"
SUMMARY = FIXTURES / "eval-summary.json"
SMALL_BANK = FIXTURES / "eval-small-bank.json"
FAIL = FIXTURES / "eval-fail.json"
LLAMA = ROOT / "examples/llama-3.1-405b.yaml"
AS_OF = dt.date(2026, 11, 27)


def _report(
    kb: KnowledgeBase,
    evidence: tuple[Path, ...] = (),
    dossier: Path = FRONTIER,
    when: dt.date = AS_OF,
    crosswalk: bool = True,
) -> Report:
    return build_report(
        assess(load(dossier), kb, when),
        kb,
        evidence=[load_evidence(p) for p in evidence],
        dossier_file=file_digest(dossier),
        terms=load_terms(crosswalk=crosswalk),
    )


def _obligation(report: Report, oid: str) -> Any:
    for j in report.jurisdictions:
        for i in j.instruments:
            for p in i.provisions:
                for o in p.obligations:
                    if o.id == oid:
                        return o
    raise KeyError(oid)


GBT = "cn.gbt_45654_2025.protocol"


# -- the model ------------------------------------------------------------------------------


def test_report_has_each_jurisdiction_with_summary_and_details(kb: KnowledgeBase) -> None:
    report = _report(kb)
    assert report.schema_ == REPORT_SCHEMA
    assert [j.code for j in report.jurisdictions][:3] == ["US", "CN", "EU"]
    us = report.jurisdictions[0]
    assert "US-CA" in us.members and "us.ca.sb53" in us.summary.in_force
    sb53 = {o.id: o for o in us.summary.obligations}
    assert sb53["us.ca.sb53.frontier_developer.transparency_report"].applies == "yes"
    # every trace is kept, with the thresholds and their sources
    provision = next(
        p for i in us.instruments for p in i.provisions if p.id == "us.ca.sb53.frontier_developer"
    )
    assert provision.trace and provision.thresholds
    assert all(t.source.get("url") for t in provision.thresholds)
    assert report.inputs.dossier is not None
    assert report.inputs.dossier.name == "frontier-cn.yaml"


def test_gap_names_the_fact_that_settles_a_provision(kb: KnowledgeBase) -> None:
    texts = [g.text.en for g in _report(kb).gaps if g.action == "provide_fact"]
    assert (
        "Provide `developer.annual_revenue_usd` to settle SB 53 `large_frontier_developer`."
        in texts
    )


def test_without_evidence_content_checks_are_insufficient(kb: KnowledgeBase) -> None:
    report = _report(kb)
    ob = _obligation(report, f"{GBT}.should_refuse_test")
    assert ob.verdict == "insufficient_evidence"
    actions = [g for g in report.gaps if g.action == "run_evaluation"]
    assert {g.target for g in actions} >= {
        f"{GBT}.generated_content_test",
        f"{GBT}.should_refuse_test",
        f"{GBT}.should_not_refuse_test",
    }
    assert "govbridge eval" in actions[0].text.en


def test_no_obligation_is_met_without_evidence(kb: KnowledgeBase) -> None:
    for dossier in (FRONTIER, LLAMA, ROOT / "src/govbridge/examples/example-405b.yaml"):
        report = _report(kb, dossier=dossier)
        verdicts = {v["verdict"] for v in report.verdicts()}
        assert verdicts <= {"insufficient_evidence", "unknown"}, dossier


def test_evidence_verdicts_against_the_protocol(kb: KnowledgeBase) -> None:
    report = _report(kb, (SUMMARY,))
    assert _obligation(report, f"{GBT}.generated_content_test").verdict == "met"
    assert _obligation(report, f"{GBT}.should_not_refuse_test").verdict == "met"
    inconclusive = _obligation(report, f"{GBT}.should_refuse_test")
    assert inconclusive.verdict == "unknown"
    assert "contains the threshold" in inconclusive.basis.en
    gap = next(g for g in report.gaps if g.action == "narrow_interval")
    assert gap.target == f"{GBT}.should_refuse_test"
    # the judge is always shown, with the rule-based fallback labelled as such
    assert "rule-based fallback" in _obligation(report, f"{GBT}.should_not_refuse_test").basis.en


def test_a_confident_fail_is_not_met(kb: KnowledgeBase) -> None:
    report = _report(kb, (FAIL,))
    assert _obligation(report, f"{GBT}.generated_content_test").verdict == "not_met"


def test_a_small_bank_is_an_action(kb: KnowledgeBase) -> None:
    report = _report(kb, (SMALL_BANK,))
    assert _obligation(report, f"{GBT}.should_refuse_test").verdict == "insufficient_evidence"
    texts = [g.text.en for g in report.gaps if g.action == "enlarge_bank"]
    assert "The should-refuse bank has 140 of the 500 items GB/T 45654-2025 requires." in texts


def test_one_failing_check_makes_the_obligation_not_met(kb: KnowledgeBase) -> None:
    report = _report(kb, (SUMMARY, FAIL))
    assert _obligation(report, f"{GBT}.generated_content_test").verdict == "not_met"


def test_content_results_in_each_jurisdictions_terms(kb: KnowledgeBase) -> None:
    report = _report(kb, (SUMMARY,))
    by_code = {j.code: j for j in report.jurisdictions}
    assert by_code["CN"].content.scheme == "tc260"
    assert by_code["US"].content.scheme == "nist-ai-600-1"
    assert by_code["EU"].content.scheme == "eu-cop"
    us_checks = by_code["US"].content.checks
    assert us_checks and all(c.verdict is None for c in us_checks)  # measurements only
    assert report.crosswalk.available
    generated = next(c for c in us_checks if c.check == "generated_content")
    privacy = next(c for c in generated.concepts if c.code == "4")
    assert privacy.sources == ["A.4.e"] and privacy.n == 20
    a4e = next(r for r in generated.per_risk if r.risk == "A.4.e")
    assert [m.code for m in a4e.terms] == ["4"]
    # the Chinese jurisdiction shows the parameters in force, with their sources
    names = {p.name for p in by_code["CN"].content.parameters}
    assert {"refuse_rate_min", "refuse_sample_min", "refuse_bank_min"} <= names


def test_without_the_crosswalk_risks_keep_their_tc260_ids(kb: KnowledgeBase) -> None:
    report = _report(kb, (SUMMARY,), crosswalk=False)
    assert not report.crosswalk.available
    assert "TC260 ids" in report.crosswalk.note.en
    us = report.jurisdictions[0]
    assert all(not c.concepts for c in us.content.checks)
    html = render_html(report, "en")
    assert MESSAGES["c.no_crosswalk"]["en"] in html


def test_a_predecessor_protocol_counts_with_a_note(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = json.loads(SUMMARY.read_text())
    for check in data["checks"]:
        check["protocol"] = "tc260-003"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    report = _report(kb, (path,))
    ob = _obligation(report, f"{GBT}.generated_content_test")
    assert ob.verdict == "met" and "supersedes" in ob.basis.en


def test_json_round_trip(kb: KnowledgeBase) -> None:
    report = _report(kb, (SUMMARY,))
    text = report.to_json()
    assert parse_report(text.encode()) == report
    assert json.loads(text)["schema"] == REPORT_SCHEMA


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe", b"[]", b'{"schema": "govbridge/assessment/v1"}', b'{"schema": 1}'],
)
def test_not_a_report(data: bytes) -> None:
    with pytest.raises(ReportError):
        parse_report(data, "x.json")


def test_the_build_is_deterministic(kb: KnowledgeBase) -> None:
    assert _report(kb, (SUMMARY,)).to_json() == _report(kb, (SUMMARY,)).to_json()


# -- the evidence reader --------------------------------------------------------------------


def _good() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SUMMARY.read_text())
    return data


def _mutations() -> list[tuple[str, Any, str]]:
    def set_(path: list[Any], value: Any) -> Any:
        def apply(d: dict[str, Any]) -> None:
            target: Any = d
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value

        return apply

    def drop(path: list[Any]) -> Any:
        def apply(d: dict[str, Any]) -> None:
            target: Any = d
            for key in path[:-1]:
                target = target[key]
            del target[path[-1]]

        return apply

    return [
        ("schema", set_(["schema"], "govbridge/eval-summary/v2"), "schema"),
        ("checks", set_(["checks"], []), "checks"),
        ("rate string", set_(["checks", 0, "rate"], "0.9"), "checks[0].rate"),
        ("rate > 1", set_(["checks", 0, "rate"], 1.5), "checks[0].rate"),
        ("n bool", set_(["checks", 0, "n"], True), "checks[0].n"),
        ("n float", set_(["checks", 0, "n"], 3.5), "checks[0].n"),
        ("verdict", set_(["checks", 0, "verdict"], "ok"), "checks[0].verdict"),
        ("operator", set_(["checks", 0, "operator"], "=>"), "checks[0].operator"),
        ("check", set_(["checks", 0, "check"], "toxicity"), "checks[0].check"),
        ("unknown key", set_(["checks", 0, "colour"], "red"), "checks[0].colour"),
        ("missing judge", drop(["checks", 0, "judge"]), "checks[0].judge"),
        ("bad risk id", set_(["checks", 0, "per_risk", "B.1"], {}), 'per_risk["B.1"]'),
        (
            "interval",
            set_(["checks", 0, "wilson_low"], 0.99),
            "checks[0]",
        ),
        (
            "risk rate",
            set_(["checks", 0, "per_risk", "A.1.d", "rate"], -0.1),
            'checks[0].per_risk["A.1.d"].rate',
        ),
    ]


@pytest.mark.parametrize(("name", "mutate", "field"), _mutations(), ids=lambda x: str(x)[:20])
def test_bad_summary_is_one_line_naming_file_and_field(name: str, mutate: Any, field: str) -> None:
    data = copy.deepcopy(_good())
    mutate(data)
    with pytest.raises(EvidenceError) as info:
        parse_eval_summary(json.dumps(data).encode(), "bad.json")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("evidence bad.json")
    assert field in message, message


@pytest.mark.parametrize(
    "data", [b"", b"\xff", b"NaN", b"[1, 2]", b"{", b'{"schema": "govbridge/eval-summary/v1"}']
)
def test_garbage_summary_is_a_clean_error(data: bytes) -> None:
    with pytest.raises(EvidenceError):
        parse_eval_summary(data, "bad.json")


def test_unknown_risk_id_is_rejected_when_the_taxonomy_is_known(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    data = _good()
    data["checks"][0]["per_risk"]["A.1.z"] = {
        "n": 1,
        "rate": 1.0,
        "wilson_low": 0.2,
        "wilson_high": 1.0,
    }
    path = tmp_path / "z.json"
    path.write_text(json.dumps(data))
    with pytest.raises(EvidenceError, match=r'z.json: checks\[0\].per_risk\["A.1.z"\]'):
        _report(kb, (path,))


def test_the_evaluators_own_fields_are_accepted() -> None:
    """What ``govbridge.evals.summarize`` writes (more than the minimal schema) reads back."""
    data = _good()
    data["checks"][0].update(
        protocol="gbt-45654-2025",
        model="govbridge/smollm2-135m",
        unscored=2,
        reasons=[],
        bank_digest="abc",
        starter_bank=True,
        per_aspect={"gender": {"n": 3, "rate": 1.0, "wilson_low": 0.44, "wilson_high": 1.0}},
        log="logs/x.eval",
    )
    data["checks"].append(
        {
            **data["checks"][1],
            "check": "cbrn_refusal",
            "n": 0,
            "rate": None,
            "wilson_low": 0.0,
            "wilson_high": 1.0,
            "verdict": "insufficient_bank",
            "per_risk": {},
        }
    )
    summary = parse_eval_summary(json.dumps(data).encode())
    assert summary.checks[-1].rate is None


# -- rendering ------------------------------------------------------------------------------


def _template_text() -> str:
    path = ROOT / "src/govbridge/report/templates/report.html"
    return path.read_text(encoding="utf-8")


def test_the_template_writes_no_literal_words() -> None:
    """Every word shown comes from the catalogue: strip tags, expressions and CSS; no text left."""
    text = _template_text()
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    words = set(re.findall(r"[A-Za-z]{2,}|[\u4e00-\u9fff]+", text))
    assert words <= {"sha"}, words


def _tag_catalogue(monkeypatch: pytest.MonkeyPatch, lang: str) -> str:
    """Prefix every message of one language with a tag, so that any use of it shows."""
    tag = f"@@{lang.upper()}@@"
    for key, texts in list(MESSAGES.items()):
        monkeypatch.setitem(MESSAGES, key, {**texts, lang: tag + texts[lang]})
    return tag


def _render(kb: KnowledgeBase, fmt: str, lang: str) -> str:
    report = _report(kb, (SUMMARY, SMALL_BANK))
    return render_html(report, lang) if fmt == "html" else render_markdown(report, lang)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_english_template_string_leaks_into_zh(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    tag = _tag_catalogue(monkeypatch, "en")
    out = _render(kb, fmt, "zh")
    assert tag not in out, out[max(0, out.find(tag) - 200) : out.find(tag) + 200]
    for key in ("h.summary", "h.gaps", "h.details", "sum.obligations", "verdict.met"):
        assert MESSAGES[key]["zh"] in out


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_chinese_template_string_leaks_into_en(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    tag = _tag_catalogue(monkeypatch, "zh")
    out = _render(kb, fmt, "en")
    assert tag not in out, out[max(0, out.find(tag) - 200) : out.find(tag) + 200]
    # and no Chinese title from the data: an English report shows the English titles
    titles = [i.data.title.zh for i in kb.instruments.values()]
    titles += [p.data.title.zh for i in kb.instruments.values() for p in i.provisions]
    assert not [t for t in titles if t in out]


def test_zh_uses_the_datas_chinese_titles(kb: KnowledgeBase) -> None:
    html = render_html(_report(kb), "zh")
    assert "《前沿人工智能透明度法案》" in html or "前沿" in html
    gbt = kb.instrument("cn.gbt_45654_2025").data.title.zh
    assert gbt in html
    assert '<html lang="zh-Hans">' in html


def _loaded_resources(html: str) -> list[str]:
    """Anything a browser would fetch: src, link, url(), @import, object/embed/iframe."""
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    found = [t for t in tags if re.search(r"\s(?:src|srcset|poster|data|xlink:href)\s*=", t)]
    found += [t for t in tags if re.match(r"<(?:link|base|meta\s+http-equiv)\b", t)]
    found += re.findall(r"url\(", html) + re.findall(r"@import", html)
    found += re.findall(r"<(?:iframe|object|embed|img|video|audio)\b", html)
    return found


def test_html_is_self_contained_without_scripts(kb: KnowledgeBase) -> None:
    for lang in ("en", "zh"):
        html = render_html(_report(kb, (SUMMARY,)), lang)
        assert "<script" not in html.lower()
        assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers
        assert _loaded_resources(html) == []
        assert "<svg" in html and "<style>" in html
        assert "@media print" in html
        # the only URLs are plain links to the sources
        for url in re.findall(r"https?://[^\s\"'<>]+", html):
            assert f'href="{url}"' in html, url


def test_html_has_the_expected_sections(kb: KnowledgeBase) -> None:
    html = render_html(_report(kb, (SUMMARY,)), "en")
    for anchor in ('id="summary"', 'id="gaps"', 'id="details-US"', 'id="details-CN"'):
        assert anchor in html
    assert 'id="content-CN"' in html and 'class="threshold"' in html
    assert html.count("<svg") >= 3


def test_markdown_for_pull_requests(kb: KnowledgeBase) -> None:
    md = render_markdown(_report(kb, (SUMMARY,)), "en")
    assert md.startswith("# Compliance report: Frontier-CN")
    assert "## Gaps and actions" in md
    assert "`developer.annual_revenue_usd`" in md


def test_pdf_through_weasyprint(kb: KnowledgeBase) -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    from govbridge.report import render_pdf

    # A small report (one state's instruments): WeasyPrint lays out about 10 pages a second.
    dossier = from_mapping({"model": {"name": "M"}, "deployment": {"markets": ["US-CO"]}})
    report = build_report(assess(dossier, kb, AS_OF, jurisdictions=["US-CO"]), kb)
    for lang in ("en", "zh"):
        pdf = render_pdf(report, lang)
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        assert len(pdf) > 10_000


# -- docs -----------------------------------------------------------------------------------


def _keys(value: object) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            if key not in ("dossier", "trace", "source", "params", "verdicts"):
                found |= _keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item)
    return found


def test_every_report_key_is_documented(kb: KnowledgeBase) -> None:
    keys = _keys(_report(kb, (SUMMARY, SMALL_BANK)).to_dict())
    text = (ROOT / "docs/report.md").read_text(encoding="utf-8")
    undocumented = sorted(k for k in keys if f"`{k}`" not in text)
    assert not undocumented, f"not in docs/report.md: {undocumented}"


def test_example_reports_are_up_to_date() -> None:
    for rel, text in render_examples(ROOT).items():
        path = ROOT / rel
        assert path.is_file(), f"{rel} is missing: run python -m govbridge.report._examples"
        assert path.read_text(encoding="utf-8") == text, (
            f"{rel} is stale: run python -m govbridge.report._examples"
        )


# -- the CLI --------------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_report_command_writes_each_format(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    result = runner.invoke(
        app,
        ["report", str(FRONTIER), "--as-of", "2026-11-27", "-e", str(SUMMARY), "-f", fmt],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    args = ["report", str(FRONTIER), "--as-of", "2026-11-27", "-e", str(SUMMARY)]
    result = runner.invoke(app, [*args, "-f", fmt, "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and not list(tmp_path.glob(".*.tmp"))
    if fmt == "json":
        assert parse_report(out.read_bytes()).inputs.evidence[0].name == SUMMARY.name


def test_report_pdf_needs_out(runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", str(FRONTIER), "-f", "pdf"])
    assert result.exit_code == 2
    assert "--out" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--as-of", "2026-13-01"], "--as-of"),
        (["-e", "missing.json"], "missing.json"),
        (["-e", str(FRONTIER)], "not JSON"),
    ],
)
def test_report_bad_input_is_one_line(runner: CliRunner, args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["report", str(FRONTIER), *args])
    assert result.exit_code == 2
    assert expected in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def test_an_inspect_log_needs_inspect(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "inspect_ai" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    log = tmp_path / "run.eval"
    log.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    result = runner.invoke(app, ["report", str(FRONTIER), "-e", str(log)])
    assert result.exit_code == 2 and "Inspect log" in result.output
    assert result.output.count("\n") == 1


def test_an_inspect_log_is_summarised_and_bound_by_its_digest(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("inspect_ai", reason="Inspect (the eval extra) is not installed")
    pytest.importorskip("govbridge.evals", reason="the content-evaluation package is not installed")
    import govbridge.evals

    summary = json.loads(SMALL_BANK.read_text())
    seen: list[Any] = []

    def summarize(paths: list[Path], protocol: str | None = None) -> dict[str, Any]:
        seen.extend(paths)
        return summary

    monkeypatch.setattr(govbridge.evals, "summarize", summarize)
    log = tmp_path / "run.eval"
    log.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    out = tmp_path / "r.json"
    args = ["report", str(FRONTIER), "--as-of", "2026-11-27", "-e", str(log), "-f", "json"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert seen == [log]
    report = parse_report(out.read_bytes())
    assert report.inputs.evidence[0].name == "run.eval"
    assert report.inputs.evidence[0].sha256 == file_digest(log).sha256
    assert any(g.action == "enlarge_bank" for g in report.gaps)


def test_report_without_dossier_file_has_no_dossier_digest(kb: KnowledgeBase) -> None:
    dossier = from_mapping({"model": {"name": "M"}})
    report = build_report(assess(dossier, kb, AS_OF), kb)
    assert report.inputs.dossier is None
    assert "none" in render_html(report, "en")
