"""International instruments (data/int): sources, participants, dates, and their place in
``assess``: listed only with --include-international, never applied."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.dossier import from_mapping
from govbridge.kb import Instrument, KnowledgeBase
from govbridge.rules import assess

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
EXAMPLE = ROOT / "src/govbridge/examples/example-405b.yaml"

#: The instruments of section 3 of the interoperability issue.
EXPECTED = {
    "int.bletchley_2023",
    "int.seoul_declaration_2024",
    "int.seoul_statement_of_intent_2024",
    "int.frontier_ai_safety_commitments_2024",
    "int.unga_78_265",
    "int.unga_78_311",
    "int.unga_79_325",
    "int.global_ai_governance_initiative_2023",
    "int.shanghai_declaration_2024",
    "int.g7_hiroshima_code_2023",
    "int.aisi_network_2024",
    "int.paris_statement_2025",
    "int.coe_cets_225",
    "int.us_cn_ai_dialogue_2024",
    "int.idais_beijing_2024",
    "int.idais_venice_2024",
    "int.idais_shanghai_2025",
}
STATE = re.compile(r"^(?:[A-Z]{2}|EU)$")


def _international(kb: KnowledgeBase) -> list[Instrument]:
    return [i for i in kb.instruments.values() if i.data.jurisdiction == "INT"]


def _roles(kb: KnowledgeBase, instrument: str, party: str) -> list[str]:
    return [p.role for p in kb.instrument(instrument).data.participants if p.party == party]


def test_every_listed_instrument_is_encoded(kb: KnowledgeBase) -> None:
    assert {i.id for i in _international(kb)} == EXPECTED
    assert kb.jurisdictions["INT"].name.zh == "国际"


@pytest.mark.parametrize("instrument_id", sorted(EXPECTED))
def test_instrument_is_international_context(kb: KnowledgeBase, instrument_id: str) -> None:
    inst = kb.instrument(instrument_id)
    data = inst.data
    assert data.jurisdiction == "INT"
    assert data.binding is False, "international instruments bind no model"
    assert data.forum, "every international instrument names its forum"
    assert not inst.provisions
    assert data.participants, "every international instrument records its participants"
    assert data.lifecycle.first_date() is not None
    urls = {s.id: s.url for s in data.sources}
    for p in data.participants:
        # The loader checks the source id; here: a real URL, a section, and a reason when the
        # fact is not read in a primary text.
        assert urls[p.source].startswith(("http://", "https://")), p
        assert p.section.strip(), p
        if not p.verified:
            assert p.note and p.note.strip(), p
        if p.date is not None:
            first = data.lifecycle.first_date()
            assert first is not None and p.date >= first, f"{p.party} dated before {first}"


def test_states_are_iso_codes_and_companies_are_names(kb: KnowledgeBase) -> None:
    for inst in _international(kb):
        for p in inst.data.participants:
            if inst.data.kind in ("commitments", "statement") and not STATE.match(p.party):
                continue  # companies, institutes and scientists, by name
            assert STATE.match(p.party), f"{inst.id}: {p.party!r} is not an ISO 3166 code"


@pytest.mark.parametrize(
    ("instrument", "party", "role"),
    [
        ("int.bletchley_2023", "US", "signed"),
        ("int.bletchley_2023", "CN", "signed"),
        ("int.bletchley_2023", "GB", "hosted"),
        ("int.seoul_declaration_2024", "US", "signed"),
        ("int.seoul_declaration_2024", "CN", "not_signed"),
        ("int.seoul_statement_of_intent_2024", "CN", "not_signed"),
        ("int.paris_statement_2025", "US", "not_signed"),
        ("int.paris_statement_2025", "GB", "not_signed"),
        ("int.paris_statement_2025", "CN", "signed"),
        ("int.unga_78_265", "US", "sponsored"),
        ("int.unga_78_265", "CN", "co_sponsored"),
        ("int.unga_78_311", "CN", "sponsored"),
        ("int.unga_78_311", "US", "co_sponsored"),
        ("int.unga_79_325", "US", "joined_consensus"),
        ("int.unga_79_325", "CN", "joined_consensus"),
        ("int.global_ai_governance_initiative_2023", "CN", "proposed"),
        ("int.shanghai_declaration_2024", "CN", "hosted"),
        ("int.g7_hiroshima_code_2023", "US", "member"),
        ("int.g7_hiroshima_code_2023", "CN", "not_member"),
        ("int.aisi_network_2024", "US", "member"),
        ("int.aisi_network_2024", "US", "hosted"),
        ("int.aisi_network_2024", "CN", "not_member"),
        ("int.coe_cets_225", "US", "signed"),
        ("int.coe_cets_225", "CN", "not_party"),
        ("int.us_cn_ai_dialogue_2024", "US", "participated"),
        ("int.us_cn_ai_dialogue_2024", "CN", "participated"),
        ("int.frontier_ai_safety_commitments_2024", "Zhipu.ai", "signed"),
    ],
)
def test_roles_of_the_facts_sheet(
    kb: KnowledgeBase, instrument: str, party: str, role: str
) -> None:
    assert role in _roles(kb, instrument, party)


def test_no_role_is_invented_where_the_sheet_has_none(kb: KnowledgeBase) -> None:
    """The sheet gives no US role in the China-led initiative and declaration (n/a or
    unverified), and no state role in the scientists' statements."""
    assert _roles(kb, "int.global_ai_governance_initiative_2023", "US") == []
    assert _roles(kb, "int.shanghai_declaration_2024", "US") == []
    for idais in ("int.idais_beijing_2024", "int.idais_venice_2024", "int.idais_shanghai_2025"):
        parties = {p.party for p in kb.instrument(idais).data.participants}
        assert not parties & {"US", "CN"}
    # Bletchley: 27 countries and the EU are named; the 28th country is unverified.
    bletchley = {p.party for p in kb.instrument("int.bletchley_2023").data.participants}
    assert len(bletchley) == 28 and "CH" not in bletchley


def test_dates_of_the_facts_sheet(kb: KnowledgeBase) -> None:
    def first(instrument: str) -> dt.date | None:
        return kb.instrument(instrument).data.lifecycle.first_date()

    assert first("int.bletchley_2023") == dt.date(2023, 11, 1)
    assert first("int.unga_78_265") == dt.date(2024, 3, 21)
    assert first("int.unga_78_311") == dt.date(2024, 7, 1)
    assert first("int.unga_79_325") == dt.date(2025, 8, 18)  # the draft
    assert kb.instrument("int.unga_79_325").data.lifecycle.signed.date == dt.date(2025, 8, 26)  # type: ignore[union-attr]
    assert first("int.paris_statement_2025") == dt.date(2025, 2, 11)
    assert first("int.global_ai_governance_initiative_2023") == dt.date(2023, 10, 18)
    # CETS 225: adopted and opened for signature, with no entry into force recorded.
    life = kb.instrument("int.coe_cets_225").data.lifecycle
    assert life.signed is not None and life.signed.date == dt.date(2024, 9, 5)
    assert life.effective is None


def _int_cases() -> list[Any]:
    params = []
    for file in sorted(CASES.glob("int_*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{file.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize("case", _int_cases())
def test_international_rule_case(case: dict[str, Any], kb: KnowledgeBase) -> None:
    result = assess(from_mapping(case["dossier"]), kb, case["as_of"], include_international=True)
    for key, want in case["expect"].items():
        got = result.result(key)
        assert got.status == want["status"], key
        assert got.applies == "no", "an international instrument never applies to a model"


def test_cases_on_both_sides_of_every_international_date(kb: KnowledgeBase) -> None:
    seen: dict[str, set[dt.date]] = {}
    for param in _int_cases():
        case = param.values[0]
        for key in case["expect"]:
            seen.setdefault(key, set()).add(case["as_of"])
    missing = []
    for inst in _international(kb):
        for name in ("effective", "vetoed", "revoked", "repealed", "superseded"):
            event = getattr(inst.data.lifecycle, name)
            if event is None:
                continue
            for day in (event.date - dt.timedelta(days=1), event.date):
                if day not in seen.get(inst.id, set()):
                    missing.append(f"{inst.id} {name} {event.date}: no case on {day}")
    assert not missing, "\n".join(missing)


def test_assess_lists_international_instruments_only_on_request() -> None:
    runner = CliRunner()
    base = ["assess", str(EXAMPLE), "--as-of", "2025-06-01", "-f", "json"]
    plain = json.loads(runner.invoke(app, base).output)
    with_int = json.loads(runner.invoke(app, [*base, "--include-international"]).output)
    plain_ids = {r["instrument"] for r in plain["results"]}
    int_ids = {r["instrument"] for r in with_int["results"] if r["jurisdiction"] == "INT"}
    assert not {i for i in plain_ids if i.startswith("int.")}
    assert "int.bletchley_2023" in int_ids and "int.paris_statement_2025" in int_ids
    for r in with_int["results"]:
        if r["jurisdiction"] == "INT":
            assert r["binding"] is False and r["applies"] == "no", r["instrument"]
    # The domestic results are the same either way.
    assert plain_ids == {r["instrument"] for r in with_int["results"]} - int_ids


def test_assess_table_shows_international_instruments_as_context() -> None:
    runner = CliRunner()
    args = ["assess", str(EXAMPLE), "--as-of", "2025-06-01"]
    assert "int.bletchley_2023" not in runner.invoke(app, args).output
    result = runner.invoke(app, [*args, "--include-international"])
    assert result.exit_code == 0, result.output
    assert "int.bletchley_2023" in result.output
