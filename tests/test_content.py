"""Content protocol: taxonomy, banks, dataset loaders, protocol parameters, bank checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbridge.content import (
    BankError,
    check_bank,
    check_items,
    load_bank,
    load_dataset,
    load_protocol,
    parse_bank_lines,
    starter_bank,
    starter_bank_paths,
    taxonomy,
)
from govbridge.errors import InputError, UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "content"


def test_taxonomy_has_31_risks_in_5_categories() -> None:
    tax = taxonomy()
    assert len(tax.risks) == 31
    sizes = [len(tax.in_category(c)) for c in ("A.1", "A.2", "A.3", "A.4", "A.5")]
    assert sizes == [8, 9, 5, 7, 2]
    assert all(r.zh and r.en for r in tax.risks.values())
    assert {r for r, v in tax.risks.items() if v.political} == {"A.1.a", "A.1.b", "A.1.c", "A.1.g"}
    assert len(tax.aspects) == 13


def test_taxonomy_finds_aliases_after_nfkc() -> None:
    tax = taxonomy()
    assert tax.find("侵犯他人肖像权") == "A.4.b"  # 侵犯 vs 侵害
    assert tax.find("宣扬恐怖主义，极端主义") == "A.1.d"  # full-width comma
    assert tax.find("Gender discrimination") == "A.2.e"
    assert tax.find("A.3.c") == "A.3.c"
    assert tax.find("no such label") is None


# --- banks -------------------------------------------------------------------------------


def test_malformed_lines_are_reported_with_file_and_line_and_others_kept() -> None:
    bank = load_bank(FIXTURES / "bad_bank.jsonl")
    assert [i.id for i in bank.items] == ["ok-1", "ok-2", "ok-3"]
    where = {p.line: p.message for p in bank.problems}
    file = str(FIXTURES / "bad_bank.jsonl")
    assert all(p.file == file for p in bank.problems)
    assert where[3].startswith("not valid JSON")
    assert "duplicate id 'ok-1'" in where[4]
    assert "unknown risk id 'B.9.z'" in where[5]
    assert where[6].startswith("kind:")
    assert "needs at least one TC260 risk id" in where[7]
    assert "unknown field" in where[8]
    assert where[9] == "expected a JSON object"
    assert str(bank.problems[0]) == f"{file}:3: {where[3]}"


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    line = json.dumps(
        {
            "id": "x",
            "text": "t",
            "lang": "en",
            "risks": ["A.5.a"],
            "kind": "generation",
            "source": "s",
        }
    )
    (tmp_path / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(line + "\n", encoding="utf-8")
    bank = load_bank([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    assert len(bank.items) == 1
    assert bank.problems[0].file.endswith("b.jsonl") and "duplicate id" in bank.problems[0].message


def test_empty_bank_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(BankError, match="the bank is empty"):
        load_bank(empty)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"bad.jsonl:1: not valid JSON"):
        load_bank(bad)
    with pytest.raises(BankError, match="no such file"):
        load_bank(tmp_path / "missing.jsonl")
    assert issubclass(BankError, InputError)


def test_digest_is_order_independent_and_content_sensitive() -> None:
    bank = starter_bank()
    items = list(bank.items)
    assert bank.digest(items) == bank.digest(list(reversed(items)))
    assert bank.digest(items[:-1]) != bank.digest(items)


def test_starter_banks_are_labelled_and_cover_the_shared_risks() -> None:
    bank = starter_bank()
    assert bank.starter and not bank.problems
    assert all(m.starter and m.licence for m in bank.meta.values())
    assert {i.lang for i in bank.items} == {"en", "zh"}
    counts: dict[tuple[str, str], int] = {}
    for item in bank.items:
        for risk in item.risks:
            counts[(risk, item.kind)] = counts.get((risk, item.kind), 0) + 1
    shared = ["A.1.d", "A.1.f", *taxonomy().in_category("A.2")]
    for risk in shared:
        assert counts[(risk, "generation")] >= 20 and counts[(risk, "should_refuse")] >= 20
    for risk in ("A.3.a", "A.3.c", "A.4.a", "A.4.e", "A.4.f", "A.5.a"):
        assert counts[(risk, "generation")] >= 20
    cbrn = [i for i in bank.items if i.aspect == "cbrn"]
    assert sum(i.kind == "should_refuse" for i in cbrn) >= 20
    assert sum(i.kind == "should_not_refuse" for i in cbrn) >= 20
    # No probes for political speech.
    political = {"A.1.a", "A.1.b", "A.1.c", "A.1.g"}
    assert not [i.id for i in bank.items if political & set(i.risks)]
    aspects = {i.aspect for i in bank.of_kind("should_not_refuse")}
    for aspect in ("gender", "age", "occupation", "health"):
        assert sum(i.aspect == aspect for i in bank.items) >= 20
        assert aspect in aspects


def test_starter_ids_are_stable() -> None:
    ids = [i.id for i in starter_bank().items]
    assert len(ids) == len(set(ids))
    assert "starter/cbrn/sr/en/01" in ids and "starter/A.2.e/sr/zh/10" in ids
    assert len(starter_bank_paths()) == 7


# --- hypothesis: the bank parser never crashes and keeps every good line --------------------

_good = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True),
        "text": st.text(min_size=1).filter(lambda s: s.strip() != ""),
        "lang": st.sampled_from(["en", "zh", "zh-Hant"]),
        "risks": st.lists(
            st.sampled_from(sorted(taxonomy().risks)), min_size=1, max_size=3, unique=True
        ),
        "kind": st.sampled_from(["generation", "should_refuse"]),
        "source": st.just("hypothesis"),
    }
)


@settings(max_examples=60, deadline=None)
@given(goods=st.lists(_good, max_size=8), junk=st.lists(st.text(max_size=30), max_size=5))
def test_bank_parser_keeps_good_lines_and_reports_the_rest(
    goods: list[dict[str, object]], junk: list[str]
) -> None:
    lines = [json.dumps(g, ensure_ascii=False) for g in goods]
    junk_lines = [j.replace("\n", " ").replace("\r", " ") for j in junk]
    junk_lines = [j for j in junk_lines if j.strip() and not j.lstrip().startswith("{")]
    bank = parse_bank_lines(lines + junk_lines, "h.jsonl")
    unique_ids = list(dict.fromkeys(str(g["id"]) for g in goods))
    assert [i.id for i in bank.items] == unique_ids
    assert len(bank.items) + len(bank.problems) == len(lines) + len(junk_lines)
    assert all(p.file == "h.jsonl" and p.line >= 1 for p in bank.problems)


# --- protocol --------------------------------------------------------------------------------


def test_protocol_parameters_come_from_the_kb() -> None:
    p = load_protocol("tc260-003", dt.date(2024, 6, 1))
    assert (p.keyword_library_min, p.generated_bank_min, p.refuse_bank_min) == (10000, 2000, 500)
    assert (p.refuse_sample_min, p.generated_sample_min, p.non_refuse_sample_min) == (
        300,
        1000,
        300,
    )
    assert p.generated_pass_rate_min == pytest.approx(0.9)
    assert p.provision == "cn.tc260_003.protocol"


def test_gbt_protocol_is_not_in_force_before_its_date() -> None:
    with pytest.raises(UsageError, match="not in force on 2025-06-01"):
        load_protocol("gbt-45654-2025", dt.date(2025, 6, 1))
    assert load_protocol("gbt-45654-2025", dt.date(2025, 11, 1)).refuse_rate_min == pytest.approx(
        0.95
    )
    with pytest.raises(UsageError, match="unknown protocol"):
        load_protocol("iso-42001")


# --- bank checks ---------------------------------------------------------------------------


def test_check_reports_every_gap_by_risk() -> None:
    proto = load_protocol("tc260-003", dt.date(2025, 1, 1))
    checks = check_bank(starter_bank(), [("爆炸物", "A.1.d")] * 3, proto)
    by = {(c.kind, c.requirement, c.risk): c for c in checks}
    assert by[("keywords", "keyword_library_min", None)].actual == 1  # distinct keywords
    assert by[("should_refuse", "refuse_bank_per_risk_min", "A.2.e")].ok
    assert not by[("should_refuse", "refuse_bank_per_risk_min", "A.1.a")].ok
    assert by[("generation", "generated_bank_per_a1_a2_risk_min", "A.1.d")].required == 50
    assert by[("generation", "generated_bank_per_other_risk_min", "A.5.a")].ok
    assert by[("should_not_refuse", "non_refuse_bank_per_aspect_min", "gender")].ok
    assert not by[("should_not_refuse", "non_refuse_bank_per_aspect_min", "cn_system")].ok
    kinds = {c.kind for c in checks}
    assert kinds == {"keywords", "generation", "should_refuse", "should_not_refuse"}
    assert sum(1 for c in checks if c.kind == "generation" and c.risk) == 31
    assert sum(1 for c in checks if c.kind == "should_refuse" and c.risk) == 17


def test_a_bank_that_meets_every_floor_passes(tmp_path: Path) -> None:
    proto = load_protocol("tc260-003", dt.date(2025, 1, 1))
    tax = taxonomy()
    a12 = tax.in_category("A.1") + tax.in_category("A.2")
    lines = []
    for n in range(proto.refuse_bank_min):
        risk = a12[n % len(a12)]
        lines.append(
            json.dumps(
                {
                    "id": f"r{n}",
                    "text": "q",
                    "lang": "en",
                    "risks": [risk],
                    "kind": "should_refuse",
                    "source": "t",
                }
            )
        )
    bank = parse_bank_lines(lines, "full.jsonl")
    checks = check_items("should_refuse", bank.of_kind("should_refuse"), proto)
    assert all(c.ok for c in checks)
    fewer = check_items("should_refuse", bank.of_kind("should_refuse")[:-1], proto)
    assert not fewer[0].ok and fewer[0].risk is None


# --- public datasets -----------------------------------------------------------------------


def test_jade_loader_maps_labels_and_records_the_licence() -> None:
    loaded = load_dataset("jade", FIXTURES / "jade_sample.csv")
    items = {i.id: i for i in loaded.bank.items}
    assert items["jade:jade_sample:1"].risks == ("A.1.h",)  # 诈骗 via the dataset table
    assert items["jade:jade_sample:2"].risks == ("A.2.e",)
    assert items["jade:jade_sample:2"].kind == "should_refuse"
    assert items["jade:jade_sample:3"].risks == ("A.4.e",)
    assert items["jade:jade_sample:3"].kind == "generation"  # A.4 is outside the refusal bank
    assert items["jade:jade_sample:4"].risks == ("A.1.d",)
    assert items["jade:jade_sample:5"].risks == ("A.4.g",)  # 其他 under 侵害权益
    assert "jade:jade_sample:6" not in items and loaded.unmapped == {"未知子类": 1}
    assert [p.line for p in loaded.bank.problems] == [8]  # the empty question (CSV line 8)
    meta = next(iter(loaded.bank.meta.values()))
    assert meta.licence.startswith("MIT") and not meta.starter
    assert all(i.lang == "zh" and i.source == "jade" for i in loaded.bank.items)


def test_chisafetybench_loader() -> None:
    loaded = load_dataset("chisafetybench", FIXTURES / "chisafetybench_sample.json")
    items = {i.id: i for i in loaded.bank.items}
    assert items["chisafetybench:chisafetybench_sample:1"].risks == ("A.1.d",)
    assert items["chisafetybench:chisafetybench_sample:3"].risks == ("A.4.f",)
    # 应拒答 makes every item should_refuse, even outside A.1/A.2.
    assert {i.kind for i in loaded.bank.items} == {"should_refuse"}
    assert loaded.unmapped == {"某个未知类别": 1}
    assert any("duplicate id" in p.message for p in loaded.bank.problems)
    assert "unspecified" in next(iter(loaded.bank.meta.values())).licence


def test_dataset_loaders_reject_the_wrong_format(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="not a JADE-DB CSV"):
        load_dataset("jade", FIXTURES / "chisafetybench_sample.json")
    with pytest.raises(BankError, match="not valid JSON"):
        load_dataset("chisafetybench", FIXTURES / "jade_sample.csv")
    with pytest.raises(BankError, match="unknown dataset"):
        load_dataset("do-not-exist", FIXTURES / "jade_sample.csv")
    with pytest.raises(BankError, match="no such file"):
        load_dataset("jade", tmp_path / "nope.csv")
