"""The glossary: its data, the strict loader and lookup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govbridge.errors import KBLoadError, UsageError
from govbridge.glossary import (
    ANALYSIS,
    Glossary,
    Term,
    UnknownTermError,
    forms,
    load_glossary,
    lookup,
    normalise,
)
from govbridge.kb import KnowledgeBase

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "glossary"
GLOSSARY = load_glossary()
TERMS = list(GLOSSARY)

# What the interoperability issue requires, as (text to look up, term id).
REQUIRED = [
    ("安全", "anquan"),
    ("safety", "anquan"),
    ("security", "anquan"),
    ("control", "control"),
    ("可控", "control"),
    ("general-purpose AI", "general_purpose_ai"),
    ("通用人工智能", "general_purpose_ai"),
    ("AGI", "general_purpose_ai"),
    ("open source", "open_source"),
    ("open weight", "open_weight"),
    ("provider", "provider"),
    ("developer", "developer"),
    ("deployer", "deployer"),
    ("deep synthesis", "deep_synthesis"),
    ("algorithm filing", "algorithm_filing"),
    ("security assessment", "security_assessment"),
    ("illegal and harmful information", "illegal_harmful_info"),
    ("red lines", "red_lines"),
    ("labelling", "labelling"),
    ("refusal", "refusal"),
    ("compute", "compute"),
    ("算力", "compute"),
]


# --- the data -------------------------------------------------------------------------------


def test_at_least_forty_terms() -> None:
    assert len(GLOSSARY) >= 40


@pytest.mark.parametrize(("text", "term_id"), REQUIRED)
def test_required_terms_exist(text: str, term_id: str) -> None:
    assert lookup(text).id == term_id


def test_gpai_and_agi_are_two_senses_of_one_chinese_string() -> None:
    term = lookup("通用人工智能")
    labels = {(s.jurisdiction, s.label) for s in term.senses}
    assert ("EU", "general-purpose AI model") in labels
    assert ("CN", "AGI") in labels


def test_anquan_lists_its_facets() -> None:
    cn = [s for s in lookup("anquan").senses if s.jurisdiction == "CN"]
    facets = {f for s in cn for f in s.facets}
    assert {"safety", "national security", "cybersecurity"} <= facets


def test_control_has_the_three_chinese_senses() -> None:
    cn = [s for s in lookup("可控").senses if s.jurisdiction == "CN"]
    assert len(cn) >= 3
    assert any("自主可控" in (s.label or "") for s in cn)


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.id)
def test_every_sense_has_a_source_or_is_govbridge_analysis(term: Term) -> None:
    for sense in term.senses:
        assert sense.sources or sense.basis == ANALYSIS, f"{term.id}: {sense.text[:40]}"
        for cite in sense.sources:
            assert cite.source.url or cite.source.note
    assert term.divergence.sources or term.divergence.basis == ANALYSIS


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.id)
def test_every_term_has_both_sides_forms_and_related_terms(term: Term) -> None:
    assert term.en and term.zh and term.pinyin
    assert {s.jurisdiction == "CN" for s in term.senses} == {True, False}
    assert term.related, f"{term.id} has no related terms"
    assert all(other in GLOSSARY.terms and other != term.id for other in term.related)


def test_an_unverified_citation_is_flagged_where_it_is_used() -> None:
    for term in TERMS:
        for sense in term.senses:
            if any(c.grade == "U" or c.source.url is None for c in sense.sources):
                assert sense.unverified or term.unverified, f"{term.id}: {sense.text[:40]}"


def test_every_source_is_cited() -> None:
    cited = {c.source.id for t in TERMS for part in (*t.senses, t.divergence) for c in part.sources}
    assert set(GLOSSARY.sources) - cited == set()


def test_pinyin_is_toneless_ascii() -> None:
    for term in TERMS:
        assert term.pinyin.isascii() and term.pinyin == term.pinyin.lower()


def test_knowledge_base_instruments_exist(kb: KnowledgeBase) -> None:
    for term in TERMS:
        for sense in term.senses:
            if sense.instrument is not None:
                assert sense.instrument in kb.instruments, f"{term.id}: {sense.instrument}"


def test_statutory_chinese_senses_rest_on_primary_text() -> None:
    """A sense that cites the CAC rules cites an article read in the primary text."""
    cac = {"cac_genai_measures", "cac_deep_synthesis", "cac_labeling_measures"}
    found = 0
    for term in TERMS:
        for sense in term.senses:
            for cite in sense.sources:
                if cite.source.id in cac:
                    found += 1
                    assert cite.grade == "P" and cite.section.startswith("Art."), term.id
    assert found >= 30


# --- lookup ---------------------------------------------------------------------------------


def test_normalise_ignores_case_spaces_hyphens_and_tones() -> None:
    assert normalise("General-Purpose  AI") == normalise("general purpose ai")
    assert normalise("Ān Quán") == "anquan"
    assert normalise("lǜ") == "lu"


@given(st.text())
def test_normalise_is_idempotent_and_drops_separators(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert not any(c in once for c in " -_'")


@given(st.data())
def test_any_form_in_any_case_and_spacing_finds_its_term(data: st.DataObject) -> None:
    term = data.draw(st.sampled_from(TERMS))
    form = data.draw(st.sampled_from(sorted(set(forms(term)))))
    upper = data.draw(st.lists(st.booleans(), min_size=len(form), max_size=len(form)))
    cased = "".join(c.upper() if u else c.lower() for c, u in zip(form, upper, strict=True))
    gaps = data.draw(
        st.lists(
            st.sampled_from(["", "", " ", "  ", "-", "_", "\u3000", "\u2013"]),
            min_size=len(cased) + 1,
            max_size=len(cased) + 1,
        )
    )
    text = gaps[0] + "".join(c + g for c, g in zip(cased, gaps[1:], strict=True))
    assert lookup(text, GLOSSARY).id == term.id


@pytest.mark.parametrize(
    ("text", "term_id"),
    [
        ("ānquán", "anquan"),
        ("AnQuan", "anquan"),
        ("an-quan", "anquan"),
        ("suanli", "compute"),
        ("Shen Du He Cheng", "deep_synthesis"),
        ("biaozhi", "labelling"),
        ("biaoshi", "labelling"),
        ("自主可控", "control"),
        ("open_weight", "open_weight"),
        ("GPAI", "general_purpose_ai"),
        ("ｇｐａｉ", "general_purpose_ai"),
    ],
)
def test_lookup_examples(text: str, term_id: str) -> None:
    assert lookup(text).id == term_id


def test_unknown_term_suggests_the_nearest_terms() -> None:
    with pytest.raises(UnknownTermError) as info:
        lookup("synthesis")
    assert info.value.suggestions[0] == "deep_synthesis"
    assert "did you mean deep_synthesis" in str(info.value)
    assert isinstance(info.value, UsageError)


def test_misspelt_term_suggests_by_similarity() -> None:
    with pytest.raises(UnknownTermError) as info:
        lookup("labeling requirment")
    assert "labelling" in info.value.suggestions
    with pytest.raises(UnknownTermError) as info:
        lookup("open wieght")
    assert info.value.suggestions[0] == "open_weight"


def test_nonsense_has_no_suggestion() -> None:
    with pytest.raises(UnknownTermError) as info:
        lookup("zzzzqqqq")
    assert info.value.suggestions == []
    assert "did you mean" not in str(info.value)


# --- the strict loader ----------------------------------------------------------------------


def _copy_minimal(tmp_path: Path) -> Path:
    root = tmp_path / "glossary"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


def test_minimal_fixture_loads(tmp_path: Path) -> None:
    glossary = load_glossary(_copy_minimal(tmp_path))
    assert isinstance(glossary, Glossary)
    assert [t.id for t in glossary] == ["alpha", "beta"]
    assert glossary.lookup("Jia Xiang").id == "alpha"
    assert glossary.terms["beta"].senses[0].sources[0].source.url is None


BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))


@pytest.mark.parametrize("case", BROKEN, ids=lambda p: p.stem)
def test_broken_file_gives_a_clear_error(tmp_path: Path, case: Path) -> None:
    root = _copy_minimal(tmp_path)
    if case.stem.startswith("sources-"):
        shutil.copy(case, root / "sources.yaml")
    else:
        shutil.copy(case, root / "terms" / case.name)
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{case.name} has no '# expect:' line"
    expected = [part.strip() for part in first.removeprefix("# expect: ").split("|")]
    with pytest.raises(KBLoadError) as info:
        load_glossary(root)
    message = str(info.value)
    assert message.startswith(expected[0]), message
    for part in expected[1:]:
        assert part in message, f"{part!r} not in {message!r}"
    assert "\n" not in message


def test_no_terms_folder(tmp_path: Path) -> None:
    with pytest.raises(KBLoadError, match="a folder with sources.yaml and terms"):
        load_glossary(tmp_path)


def test_docs_error_examples_are_real(tmp_path: Path) -> None:
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "glossary.md").read_text("utf-8")
    block = re.search(r"```text\n(terms/.*?)```", text, flags=re.S)
    assert block is not None
    for i, line in enumerate(block.group(1).splitlines()):
        name = line.split(":", 1)[0].removeprefix("terms/")
        root = tmp_path / str(i)
        shutil.copytree(FIXTURES / "minimal", root)
        shutil.copy(FIXTURES / "broken" / name, root / "terms")
        with pytest.raises(KBLoadError) as info:
            load_glossary(root)
        assert str(info.value) == line
