"""The taxonomy crosswalk: the bundled data, the strict loader, the API and the mappings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbridge.crosswalk import (
    ANALYSIS,
    INVERSE,
    RELATIONS,
    Crosswalk,
    default_root,
    load_crosswalk,
    map_concept,
    matrix,
)
from govbridge.crosswalk._load import build_crosswalk
from govbridge.errors import KBLoadError, UsageError

BROKEN = Path(__file__).parent / "fixtures" / "crosswalk" / "broken"
FIXTURES = sorted(BROKEN.glob("*.yaml"))
SCHEMES = ("tc260", "nist-ai-600-1", "eu-cop", "ailuminate", "air-2024", "sb53", "eo14110")


@pytest.fixture(scope="module")
def cw() -> Crosswalk:
    return load_crosswalk()


def tc260_risks(cw: Crosswalk) -> list[str]:
    return [c.id for c in cw.concepts_of("tc260") if c.is_leaf]


# --- the bundled data -------------------------------------------------------------------------


def test_the_schemes_and_their_sizes(cw: Crosswalk) -> None:
    assert set(cw.schemes) == set(SCHEMES)
    sizes = {s: len(cw.schemes[s].concepts) for s in SCHEMES}
    assert sizes == {
        "tc260": 36,
        "nist-ai-600-1": 12,
        "eu-cop": 4,
        "ailuminate": 12,
        "air-2024": 63,
        "sb53": 3,
        "eo14110": 3,
    }
    assert len(tc260_risks(cw)) == 31
    counts = [
        sum(1 for c in cw.concepts_of("tc260") if c.code.startswith(f"A.{i}."))
        for i in (1, 2, 3, 4, 5)
    ]
    assert counts == [8, 9, 5, 7, 2]
    levels = [sum(1 for c in cw.concepts_of("air-2024") if c.level == n) for n in (1, 2, 3)]
    assert levels == [4, 16, 43]
    assert [c.code for c in cw.concepts_of("ailuminate")] == [
        "vcr", "src", "cse", "ssh", "iwp", "ipv", "dfm", "ncr", "hte", "prv", "spc", "sxc"
    ]  # fmt: skip
    assert [c.code for c in cw.concepts_of("sb53")] == ["A", "B", "C"]
    assert [c.code for c in cw.concepts_of("eo14110")] == ["i", "ii", "iii"]


def test_every_tc260_risk_has_a_nist_and_an_air_mapping_or_a_reasoned_gap(cw: Crosswalk) -> None:
    for risk in tc260_risks(cw):
        for scheme in ("nist-ai-600-1", "air-2024"):
            links = cw.map_concept(risk, scheme)
            gaps = cw.no_counterpart(risk, scheme)
            assert links or gaps, f"{risk} has neither a mapping nor a no-counterpart to {scheme}"
            assert not (links and gaps)
            for gap in gaps:
                assert len(gap.reason) > 20, f"{risk}: the reason says too little"


def test_every_tc260_risk_is_analysed_against_every_scheme(cw: Crosswalk) -> None:
    for risk in tc260_risks(cw):
        for scheme in SCHEMES[1:]:
            assert cw.map_concept(risk, scheme) or cw.no_counterpart(risk, scheme), (risk, scheme)


def test_the_chinese_only_risks_are_shown_not_hidden(cw: Crosswalk) -> None:
    for code in ("A.1.a", "A.1.b", "A.1.c"):
        assert cw.no_counterpart(f"tc260:{code}", "nist-ai-600-1")
        assert not cw.map_concept(f"tc260:{code}", "eu-cop")
        air = [m.object for m in cw.map_concept(f"tc260:{code}", "air-2024")]
        assert "air-2024:8.27" in air
    assert "China-unique" in cw.concept("air-2024:8.27").en


def test_every_mapping_says_who_states_it(cw: Crosswalk) -> None:
    assert cw.mappings
    for m in cw.mappings:
        assert m.rationale and "\n" not in m.rationale
        if m.stated_by == ANALYSIS:
            assert m.source is None
        else:
            assert m.source is not None and m.source.url.startswith("http") and m.section
        for source, section in m.evidence:
            assert source.url.startswith("https://") and section
    for g in cw.no_counterparts:
        assert g.stated_by == ANALYSIS or g.source is not None


def test_chinese_names_only_where_official(cw: Crosswalk) -> None:
    for c in cw.concepts_of("tc260"):
        assert c.zh, c.id
    for scheme in SCHEMES[1:]:
        assert cw.schemes[scheme].zh_names == "none"
        assert all(c.zh is None for c in cw.concepts_of(scheme))
    assert cw.concept("tc260:A.4.e").zh == "侵害他人隐私权"
    assert "侵犯他人隐私权" in cw.concept("tc260:A.4.e").zh_aliases


def test_every_scheme_is_sourced(cw: Crosswalk) -> None:
    for s in cw.schemes.values():
        assert s.sources and all(x.url.startswith("http") for x in s.sources)
        assert s.verified or s.verify_note


def test_the_stated_mappings_cross_schemes(cw: Crosswalk) -> None:
    for m in cw.mappings:
        assert cw.concepts[m.subject].scheme != cw.concepts[m.object].scheme


# --- inverses -----------------------------------------------------------------------------------


def test_every_mapping_is_found_from_both_ends(cw: Crosswalk) -> None:
    for m in cw.mappings:
        back = cw.map_concept(m.object, cw.concepts[m.subject].scheme)
        inverse = [b for b in back if b.object == m.subject]
        assert len(inverse) == 1
        assert inverse[0].relation == INVERSE[m.relation]
        assert inverse[0].derived and not m.derived


def test_broad_match_one_way_is_narrow_match_the_other() -> None:
    assert map_concept("tc260:A.1.d", "nist-ai-600-1")[0].relation == "broadMatch"
    (back,) = [m for m in map_concept("nist-ai-600-1:3", "tc260") if m.object == "tc260:A.1.d"]
    assert back.relation == "narrowMatch"


def _scheme_doc(name: str, codes: list[str]) -> dict[str, object]:
    return {
        "scheme": name,
        "title": {"en": name.upper()},
        "short": name,
        "publisher": "test",
        "sources": [{"id": "s", "title": "S", "url": "https://example.org/s"}],
        "cite": {"source": "s", "section": "1"},
        "zh_names": "none",
        "concepts": [{"code": c, "en": f"{name} {c}"} for c in codes],
    }


_PAIRS = st.lists(
    st.tuples(st.integers(0, 4), st.sampled_from(RELATIONS), st.integers(0, 4)),
    max_size=15,
    unique_by=lambda t: (t[0], t[2]),
)


@settings(max_examples=60, deadline=None)
@given(_PAIRS)
def test_derived_inverses_hold_for_any_mapping_set(
    pairs: list[tuple[int, str, int]],
) -> None:
    mappings = {
        "from": "left",
        "to": "right",
        "mappings": [
            {
                "subject": f"left:L{a}",
                "relation": rel,
                "object": f"right:R{b}",
                "rationale": "test",
                "stated_by": ANALYSIS,
            }
            for a, rel, b in pairs
        ],
    }
    codes = [str(i) for i in range(5)]
    cw = build_crosswalk(
        [
            ("taxonomies/left.yaml", "left", _scheme_doc("left", [f"L{c}" for c in codes])),
            ("taxonomies/right.yaml", "right", _scheme_doc("right", [f"R{c}" for c in codes])),
        ],
        [("mappings/left__right.yaml", "left__right", mappings)],
    )
    for a, rel, b in pairs:
        (fwd,) = [m for m in cw.map_concept(f"left:L{a}", "right") if m.object == f"right:R{b}"]
        (back,) = [m for m in cw.map_concept(f"right:R{b}", "left") if m.object == f"left:L{a}"]
        assert fwd.relation == rel
        assert back.relation == INVERSE[fwd.relation]
        assert INVERSE[back.relation] == fwd.relation
        if rel == "broadMatch":
            assert back.relation == "narrowMatch"
    total = sum(len(cw.map_concept(c.id)) for c in cw.concepts.values())
    assert total == 2 * len(pairs)


# --- look-ups and errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("tc260:A.4.z", "no concept 'A.4.z' in tc260; did you mean tc260:A.4."),
        ("nist:4", "unknown scheme 'nist'"),
        ("nist:4", "did you mean nist-ai-600-1?"),
        ("A.4.e", "expected SCHEME:CODE, such as tc260:A.4.e; did you mean tc260:A.4.e?"),
        ("nist-ai-600-1:data privacy", "did you mean nist-ai-600-1:4?"),
    ],
)
def test_a_bad_concept_id_suggests_the_nearest(cw: Crosswalk, ref: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        cw.concept(ref)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_codes_match_without_case(cw: Crosswalk) -> None:
    assert cw.concept("tc260:a.4.E").id == "tc260:A.4.e"
    assert cw.concept("ailuminate:VCR").id == "ailuminate:vcr"
    assert cw.scheme("TC260").id == "tc260"


def test_a_bad_scheme_lists_the_schemes(cw: Crosswalk) -> None:
    with pytest.raises(UsageError, match="expected one of ailuminate, air-2024"):
        cw.map_concept("tc260:A.4.e", "gdpr")
    with pytest.raises(UsageError, match="both tc260"):
        matrix("tc260", "tc260")


# --- the strict loader --------------------------------------------------------------------------


def _header(path: Path) -> tuple[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# expect: "), f"{path.name} must start with '# expect: ...'"
    assert lines[1].startswith("# file: "), f"{path.name} must say '# file: ...' on line 2"
    return lines[0].removeprefix("# expect: "), lines[1].removeprefix("# file: ")


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_broken_yaml_is_a_clear_error(tmp_path: Path, fixture: Path) -> None:
    expected, target = _header(fixture)
    root = tmp_path / "crosswalk"
    shutil.copytree(default_root() / "taxonomies", root / "taxonomies")
    shutil.copytree(default_root() / "mappings", root / "mappings")
    shutil.copy(fixture, root / target)
    with pytest.raises(KBLoadError) as info:
        load_crosswalk(root)
    message = str(info.value)
    assert expected in message
    assert message.startswith(f"{target}:"), "the message names the file"
    assert "\n" not in message


def test_the_copied_data_loads_as_bundled(tmp_path: Path) -> None:
    root = tmp_path / "crosswalk"
    shutil.copytree(default_root() / "taxonomies", root / "taxonomies")
    shutil.copytree(default_root() / "mappings", root / "mappings")
    copy = load_crosswalk(root)
    bundled = load_crosswalk()
    assert copy.version == bundled.version
    assert copy.mappings == bundled.mappings


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KBLoadError, match="a folder with taxonomies"):
        load_crosswalk(tmp_path / "nowhere")
