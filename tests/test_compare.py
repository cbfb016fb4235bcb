"""``govbridge compare``: the divergence map, derived from the knowledge base as of a date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.compare import (
    Comparison,
    compare,
    compute_thresholds,
    engagement,
    load_principles,
    to_html,
    to_json,
    to_markdown,
)
from govbridge.crosswalk import load_crosswalk
from govbridge.errors import KBLoadError, UsageError
from govbridge.kb import KnowledgeBase
from govbridge.rules import instrument_status

BEFORE = dt.date(2024, 12, 1)
AFTER = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def us_cn(kb: KnowledgeBase) -> tuple[Comparison, Comparison]:
    return compare(kb, "US", "CN", BEFORE), compare(kb, "US", "CN", AFTER)


# -- Axis 1: focus, dates -------------------------------------------------------------------


def test_eo14110_is_in_force_before_and_revoked_after(
    us_cn: tuple[Comparison, Comparison],
) -> None:
    before, after = us_cn
    us_before, us_after = before.focus[0], after.focus[0]
    assert "us.eo14110" in {e.id for e in us_before.in_force}
    assert "us.eo14110" in us_before.by_focus["model"]
    assert "us.eo14110" in us_before.compute_threshold
    eo = us_after.instrument("us.eo14110")
    assert eo is not None and eo.status == "revoked"
    assert eo.status_since == dt.date(2025, 1, 20)
    assert "us.eo14110" not in {e.id for e in us_after.in_force}
    assert "us.eo14110" not in us_after.compute_threshold
    assert all("us.eo14110" not in ids for ids in us_after.by_focus.values())


def test_the_two_dates_differ_exactly_as_the_lifecycles_say(
    kb: KnowledgeBase, us_cn: tuple[Comparison, Comparison]
) -> None:
    """Every change in the in-force lists between the two dates is an instrument whose status
    changes between them, and nothing else changes."""
    before, after = us_cn
    for i, code in enumerate(("US", "CN")):
        got_before = {e.id for e in before.focus[i].in_force}
        got_after = {e.id for e in after.focus[i].in_force}
        expected_change = {
            inst.id
            for inst in kb.instruments.values()
            if inst.data.binding
            and (inst.data.jurisdiction == code or inst.data.jurisdiction.startswith(f"{code}-"))
            and (instrument_status(inst, BEFORE)[0] == "in_force")
            != (instrument_status(inst, AFTER)[0] == "in_force")
        }
        assert got_before ^ got_after == expected_change, code
    assert "us.eo14110" in (
        {e.id for e in before.focus[0].in_force} - {e.id for e in after.focus[0].in_force}
    )


def test_focus_groups_follow_the_instruments_focus_tags(kb: KnowledgeBase) -> None:
    c = compare(kb, "US", "CN", dt.date(2026, 6, 1))
    us, cn = c.focus
    for side in (us, cn):
        for tag, ids in side.by_focus.items():
            for instrument_id in ids:
                assert tag in kb.instrument(instrument_id).data.focus
                assert kb.instrument(instrument_id).data.binding
        for entry in side.in_force:
            assert entry.binding and entry.status == "in_force"
    # China's binding rules are about content and deployment; none uses a compute threshold.
    assert cn.by_focus["content"] and not cn.compute_threshold
    assert "us.ca.sb53" in us.compute_threshold  # US covers US-CA
    assert all(e.jurisdiction.startswith("US") for e in us.in_force)
    # A standard in force that binds no one is shown apart.
    assert "cn.gbt_45654_2025" in {e.id for e in cn.non_binding_in_force}


def _flop_params(kb: KnowledgeBase, instrument_id: str) -> set[str]:
    return {
        name
        for p in kb.instrument(instrument_id).provisions
        for name, param in p.data.parameters.items()
        if param.unit == "flop"
    }


def test_compute_thresholds_come_from_the_conditions(kb: KnowledgeBase) -> None:
    when = dt.date(2026, 6, 1)
    sb53 = compute_thresholds(kb.instrument("us.ca.sb53"), when)
    assert [t.provision for t in sb53] == ["us.ca.sb53.frontier_developer"]
    assert sb53[0].value == 1e26 and ">" in sb53[0].test
    # The Labelling Measures compare no quantity at all; SB 24-205 none in FLOP.
    assert compute_thresholds(kb.instrument("cn.labeling_measures"), when) == ()
    assert compute_thresholds(kb.instrument("us.co.sb24_205"), when) == ()
    # Every instrument with a FLOP parameter has a threshold, and only those with a FLOP
    # comparison do.
    for inst in kb.instruments.values():
        found = compute_thresholds(inst, when)
        assert all(isinstance(t.test, str) and "flop" in t.test for t in found)
        if _flop_params(kb, inst.id):
            assert found, inst.id


# -- Axis 2: principles ---------------------------------------------------------------------


def test_principles_are_sourced_and_dated() -> None:
    principles = load_principles()
    assert set(principles.principles) == {
        "open_weight_models",
        "chip_access",
        "meaning_of_control",
        "safety_vs_security",
        "compute_thresholds",
    }
    for pid, principle in principles.principles.items():
        assert {"US", "CN", "EU"} <= set(principle.positions), pid
        for code, positions in principle.positions.items():
            for position in positions:
                if position.stance == "no_record":
                    assert position.note
                    continue
                assert position.since is not None and position.sources, (pid, code)
                assert all(s.url.startswith("http") and s.section for s in position.sources)
                if not position.verified:
                    assert position.note, (pid, code)


def test_us_and_china_diverge_on_the_papers_principles(
    us_cn: tuple[Comparison, Comparison],
) -> None:
    _, after = us_cn
    for pid in ("chip_access", "meaning_of_control", "safety_vs_security", "compute_thresholds"):
        row = after.principle(pid)
        assert row.verdict == "divergent", pid
        assert row.a.stance != row.b.stance
    assert after.principle("compute_thresholds").evidence_b == ()
    assert after.principle("compute_thresholds").evidence_a == after.focus[0].compute_threshold
    chips = after.principle("chip_access")
    assert chips.evidence_a == tuple(
        e.id for e in after.focus[0].in_force if e.kind == "export_control"
    )
    assert chips.evidence_b == ()


def test_positions_are_as_of_the_date(
    kb: KnowledgeBase, us_cn: tuple[Comparison, Comparison]
) -> None:
    before, after = us_cn
    # China's open-weight position is first recorded with the Paris statement (2025-02-11).
    assert before.principle("open_weight_models").b.stance == "no_record"
    assert before.principle("open_weight_models").verdict == "not_comparable"
    assert after.principle("open_weight_models").b.since == dt.date(2025, 2, 11)
    # The US position moves from NTIA's "permit and monitor" to the 2025 Action Plan.
    late = compare(kb, "US", "CN", dt.date(2025, 8, 1))
    assert late.principle("open_weight_models").a.stance == "encourage"
    assert late.principle("open_weight_models").verdict == "aligned"


def test_us_and_eu_align_where_their_stances_match(kb: KnowledgeBase) -> None:
    c = compare(kb, "US", "EU", dt.date(2026, 6, 1))
    assert c.principle("compute_thresholds").verdict == "aligned"
    assert c.principle("meaning_of_control").verdict == "aligned"
    assert c.principle("chip_access").verdict == "not_comparable"  # no EU position recorded
    assert "eu.ai_act" in c.focus[1].compute_threshold


PRINCIPLES = """\
version: 1
principles:
  widgets:
    title: {en: Widgets}
    question: {en: Are widgets allowed?}
    stances:
      allow: {en: allowed}
      ban: {en: banned}
    positions:
      US:
        - {since: 2020-01-01, stance: allow, position: {en: "<script>alert(1)</script>"},
           sources: [{title: T, url: "https://example.org/us", section: "§1"}]}
        - {since: 2024-01-01, stance: ban, position: {en: banned now},
           sources: [{title: T, url: "https://example.org/us2", section: "§2"}]}
      CN:
        - {since: 2021-01-01, stance: ban, position: {en: banned},
           sources: [{title: T, url: "https://example.org/cn", section: "§3"}],
           verified: false, note: secondary}
"""


@pytest.mark.parametrize(
    ("when", "verdict"),
    [
        (dt.date(2020, 6, 1), "not_comparable"),  # no CN position yet
        (dt.date(2022, 6, 1), "divergent"),  # allow vs ban
        (dt.date(2024, 1, 1), "aligned"),  # ban vs ban
    ],
)
def test_verdicts_are_computed_from_stance_codes(
    kb: KnowledgeBase, tmp_path: Path, when: dt.date, verdict: str
) -> None:
    file = tmp_path / "principles.yaml"
    file.write_text(PRINCIPLES, encoding="utf-8")
    c = compare(kb, "US", "CN", when, principles=load_principles(file))
    assert c.principle("widgets").verdict == verdict


def test_html_escapes_data_and_loads_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    file = tmp_path / "principles.yaml"
    file.write_text(PRINCIPLES, encoding="utf-8")
    c = compare(kb, "US", "CN", dt.date(2022, 6, 1), principles=load_principles(file))
    page = to_html(c)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<link" not in page and " src=" not in page and "@import" not in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PRINCIPLES.replace(
                "stance: ban, position: {en: banned}", "stance: maybe, position: {en: b}"
            ),
            "stance 'maybe' is not one of allow, ban",
        ),
        (
            PRINCIPLES.replace("verified: false, note: secondary", "verified: false"),
            "verified: false needs a note",
        ),
        (
            PRINCIPLES.replace("since: 2024-01-01", "since: 2019-01-01"),
            "list the positions by date",
        ),
        (PRINCIPLES.replace("version: 1", "version: 1\nversion: 2"), "duplicate key"),
    ],
)
def test_bad_principles_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "principles.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(KBLoadError, match="principles.yaml") as err:
        load_principles(file)
    assert message in str(err.value)


# -- Axis 3: international ------------------------------------------------------------------


def _roles(c: Comparison, instrument: str) -> tuple[list[str], list[str]]:
    row = c.instrument(instrument)
    return [x.role for x in row.a], [x.role for x in row.b]


def test_participation_matrix(kb: KnowledgeBase) -> None:
    c = compare(kb, "US", "CN", dt.date(2026, 6, 1))
    assert _roles(c, "int.bletchley_2023") == (["signed"], ["signed"])
    assert _roles(c, "int.paris_statement_2025") == (["not_signed"], ["signed"])
    assert _roles(c, "int.unga_78_265") == (["sponsored"], ["co_sponsored"])
    assert _roles(c, "int.unga_78_311") == (["co_sponsored"], ["sponsored"])
    assert _roles(c, "int.seoul_declaration_2024") == (["signed"], ["not_signed"])
    assert _roles(c, "int.global_ai_governance_initiative_2023") == ([], ["proposed"])
    assert _roles(c, "int.g7_hiroshima_code_2023") == (["member"], ["not_member"])
    row = c.instrument("int.bletchley_2023")
    assert all(x.url and x.url.startswith("https://") and x.section for x in (*row.a, *row.b))


def test_matrix_is_as_of_the_date(us_cn: tuple[Comparison, Comparison]) -> None:
    before, after = us_cn
    ids_before = {r.id for r in before.participation}
    assert "int.paris_statement_2025" not in ids_before
    assert "int.paris_statement_2025" in {r.id for r in after.participation}
    assert "int.unga_79_325" not in {r.id for r in after.participation}  # drafted 2025-08-18


def test_forums_each_side_favours(kb: KnowledgeBase) -> None:
    c = compare(kb, "US", "CN", dt.date(2026, 6, 1))
    assert c.forum("UN General Assembly").a == "lead"
    assert c.forum("UN General Assembly").b == "lead"
    assert c.forum("G7").a == "joined" and c.forum("G7").b == "stayed_out"
    assert c.forum("G7").engaged == "a"
    assert c.forum("International Network of AI Safety Institutes").engaged == "a"
    assert c.forum("Belt and Road Forum").engaged == "b"
    assert c.forum("World AI Conference (Shanghai)").b_lead == ("int.shanghai_declaration_2024",)
    assert set(c.forum("UN General Assembly").b_lead) == {"int.unga_78_311"}


def test_engagement_levels() -> None:
    assert engagement([]) == "none"
    assert engagement(["not_member"]) == "stayed_out"
    assert engagement(["not_signed", "co_sponsored"]) == "joined"
    assert engagement(["member", "hosted"]) == "lead"
    with pytest.raises(ValueError, match="unknown role"):
        engagement(["approved"])


# -- Shared ground --------------------------------------------------------------------------


def test_shared_ground_is_the_crosswalk_matches(us_cn: tuple[Comparison, Comparison]) -> None:
    _, after = us_cn
    shared = after.shared_ground
    assert shared is not None
    cw = load_crosswalk()
    # SB 53's taxonomy is published 2025-09-29: not yet part of the US side on 2025-06-01.
    assert "sb53" not in shared.a_schemes and "tc260" in shared.b_schemes
    expected = {
        (m.subject, m.object)
        if m.subject.split(":")[0] in shared.a_schemes
        else (m.object, m.subject)
        for m in cw.mappings
        if m.relation in ("exactMatch", "closeMatch")
        and {m.subject.split(":")[0], m.object.split(":")[0]} & set(shared.a_schemes)
        and {m.subject.split(":")[0], m.object.split(":")[0]} & set(shared.b_schemes)
    }
    assert {(x.a, x.b) for x in shared.shared} == expected
    assert all(x.relation in ("broadMatch", "narrowMatch") for x in shared.contained)
    linked = {x.a for x in (*shared.shared, *shared.contained)}
    assert not linked & {i for i, _ in shared.a_only}


def test_no_shared_ground_without_a_taxonomy(kb: KnowledgeBase) -> None:
    c = compare(kb, "US", "CN", dt.date(2023, 6, 1))  # before NIST AI 600-1 and EO 14110
    assert c.shared_ground is None
    assert "no risk taxonomy" in to_markdown(c)


# -- Output and the command line ------------------------------------------------------------


def test_json_document(us_cn: tuple[Comparison, Comparison]) -> None:
    _, after = us_cn
    doc = json.loads(to_json(after))
    assert doc["schema"] == "govbridge/compare/v1"
    assert doc["as_of"] == "2025-06-01" and doc["a"] == "US" and doc["b"] == "CN"
    assert set(doc["focus"]) == {"US", "CN"}
    verdicts = {p["id"]: p["verdict"] for p in doc["principles"]}
    assert verdicts["safety_vs_security"] == "divergent"
    rows = {r["instrument"]: r for r in doc["international"]["participation"]}
    assert rows["int.bletchley_2023"]["roles"]["CN"][0]["role"] == "signed"
    assert doc["shared_ground"]["shared"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_dates_change_the_output(runner: CliRunner) -> None:
    before = runner.invoke(app, ["compare", "US", "CN", "--as-of", "2024-12-01", "-f", "json"])
    after = runner.invoke(app, ["compare", "US", "CN", "--as-of", "2025-06-01", "-f", "json"])
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    in_force_before = {
        e["instrument"] for e in json.loads(before.output)["focus"]["US"]["in_force"]
    }
    doc_after = json.loads(after.output)
    in_force_after = {e["instrument"] for e in doc_after["focus"]["US"]["in_force"]}
    assert "us.eo14110" in in_force_before - in_force_after
    revoked = {e["instrument"]: e for e in doc_after["focus"]["US"]["not_in_force"]}
    assert revoked["us.eo14110"]["status"] == "revoked"


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("table", "1. Focus"), ("md", "## 2. Key principles"), ("html", "<!DOCTYPE html>")],
)
def test_cli_formats(runner: CliRunner, fmt: str, marker: str) -> None:
    result = runner.invoke(app, ["compare", "us", "cn", "--as-of", "2025-06-01", "-f", fmt])
    assert result.exit_code == 0, result.output
    assert marker in result.output
    assert result.output.count(marker) == 1
    assert "int.bletchley_2023" in result.output


def test_cli_writes_a_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(
        app, ["compare", "US", "CN", "--as-of", "2025-06-01", "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["US", "XX"], "unknown jurisdiction 'XX'; known: CN, EU, US"),
        (["US", "CN", "--as-of", "2025-02-30"], "--as-of '2025-02-30': expected a date"),
        (["US", "US"], "two different jurisdictions"),
        (["INT", "CN"], "INT is not a side to compare"),
    ],
)
def test_cli_bad_input_is_one_line(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["compare", *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_library_errors_are_usage_errors(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError, match="known: "):
        compare(kb, "ZZ", "CN", AFTER)
    with pytest.raises(UsageError, match="no principle"):
        compare(kb, "US", "CN", AFTER).principle("state_power")
