"""Re-expressing evaluation summaries in another scheme: pooling, intervals and bad input."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbridge.crosswalk import (
    POOLED,
    Crosswalk,
    Reexpression,
    load_crosswalk,
    read_summary,
    reexpress,
    wilson_interval,
)
from govbridge.errors import InputError, UsageError

SUMMARY = Path(__file__).parent / "fixtures" / "crosswalk" / "summary.json"


@pytest.fixture(scope="module")
def cw() -> Crosswalk:
    return load_crosswalk()


@pytest.fixture
def summary() -> dict[str, Any]:
    return read_summary(SUMMARY)


def _rates(result: Reexpression, check: int = 0) -> dict[str, Any]:
    return {r.concept.id: r for r in result.checks[check].rates}


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(90, 100) or (0.0, 0.0)
    assert (round(low, 4), round(high, 4)) == (0.8256, 0.9448)
    low, high = wilson_interval(0, 10) or (1.0, 1.0)
    assert low == 0.0 and round(high, 4) == 0.2775
    low, high = wilson_interval(10, 10) or (0.0, 0.0)
    assert round(low, 4) == 0.7225 and high == 1.0
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_rate(counts: tuple[int, int]) -> None:
    k, n = counts
    interval = wilson_interval(k, n)
    if n == 0:
        assert interval is None
        return
    assert interval is not None
    low, high = interval
    assert 0.0 <= low <= k / n + 1e-12 and k / n - 1e-12 <= high <= 1.0


def test_the_fixture_in_nist_terms(cw: Crosswalk, summary: dict[str, Any]) -> None:
    result = reexpress(summary, "nist-ai-600-1", cw, file=str(SUMMARY))
    rates = _rates(result)
    hate = rates["nist-ai-600-1:3"]
    assert (hate.successes, hate.n) == (36 + 39, 80)
    assert [s.risk for s in hate.sources] == ["tc260:A.1.d", "tc260:A.1.e"]
    assert {s.relation for s in hate.sources} == {"broadMatch"}
    assert hate.not_pooled == (("tc260:A.1.f", "relatedMatch"),)
    low, high = wilson_interval(75, 80) or (0.0, 0.0)
    assert hate.rate == pytest.approx(75 / 80)
    assert (hate.wilson_low, hate.wilson_high) == (pytest.approx(low), pytest.approx(high))
    privacy = rates["nist-ai-600-1:4"]
    assert (privacy.successes, privacy.n) == (35, 40)
    assert rates["nist-ai-600-1:6"].successes == 57 and rates["nist-ai-600-1:6"].n == 60
    assert rates["nist-ai-600-1:2"].n == 20  # A.5.a pooled, A.1.g (related) not
    for empty in ("1", "5", "9", "12"):
        r = rates[f"nist-ai-600-1:{empty}"]
        assert r.n == 0 and r.rate is None and r.wilson_low is None
    assert result.checks[0].unmapped == ("tc260:A.1.a", "tc260:A.1.f")
    refusal = _rates(result, 1)
    assert refusal["nist-ai-600-1:3"].successes == 20
    assert result.checks[1].unmapped == ("tc260:A.1.a", "tc260:A.2.c")


def test_the_fixture_in_eu_terms_shows_the_gap(cw: Crosswalk, summary: dict[str, Any]) -> None:
    """A TC260 content evaluation yields no rate for any of the Code's systemic risks."""
    result = reexpress(summary, "eu-cop", cw)
    rates = _rates(result)
    assert list(rates) == ["eu-cop:1", "eu-cop:2", "eu-cop:3", "eu-cop:4"]
    assert all(r.rate is None and r.n == 0 for r in rates.values())
    assert rates["eu-cop:4"].not_pooled == (("tc260:A.1.g", "relatedMatch"),)
    assert len(result.checks[0].unmapped) == 11


def test_rates_roll_up_the_target_hierarchy(cw: Crosswalk, summary: dict[str, Any]) -> None:
    rates = _rates(reexpress(summary, "air-2024", cw))
    hate = rates["air-2024:4"]  # Hate/Toxicity: A.2.a, A.2.e directly, A.1.e via 4.14
    assert {s.risk: s.via for s in hate.sources} == {
        "tc260:A.1.e": "air-2024:4.14",
        "tc260:A.2.a": "air-2024:4",
        "tc260:A.2.e": "air-2024:4",
    }
    assert hate.n == 100
    content = rates["air-2024:content-safety"]
    assert {s.risk for s in content.sources} == {
        "tc260:A.1.d",
        "tc260:A.1.e",
        "tc260:A.1.f",
        "tc260:A.2.a",
        "tc260:A.2.e",
    }
    assert content.n == sum(s.n for s in content.sources) == 40 * 3 + 30 * 2
    assert rates["air-2024:8.27"].sources[0].risk == "tc260:A.1.a"


def test_the_json_form_is_complete(cw: Crosswalk, summary: dict[str, Any]) -> None:
    doc = reexpress(summary, "nist-ai-600-1", cw).to_dict()
    assert doc["schema"] == "govbridge/crosswalk-results/v1"
    assert doc["pooled_relations"] == list(POOLED)
    assert doc["crosswalk_version"] == cw.version
    concept = next(c for c in doc["checks"][0]["concepts"] if c["id"] == "nist-ai-600-1:3")
    assert concept["sources"][0] == {
        "risk": "tc260:A.1.d",
        "n": 40,
        "successes": 36,
        "relation": "broadMatch",
        "via": "nist-ai-600-1:3",
    }
    json.dumps(doc)


_RISKS = [
    "A.1.a", "A.1.d", "A.1.e", "A.1.f", "A.1.g", "A.2.a", "A.2.c", "A.3.a", "A.3.d",
    "A.4.c", "A.4.e", "A.4.f", "A.5.a", "A.5.b",
]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_RISKS),
        st.integers(0, 500).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
        max_size=len(_RISKS),
    ),
    st.sampled_from(["nist-ai-600-1", "air-2024", "ailuminate", "eu-cop", "sb53"]),
)
def test_pooled_rates_are_honest(counts: dict[str, tuple[int, int]], target: str) -> None:
    cw = load_crosswalk()
    per_risk = {r: {"n": n, "rate": (k / n if n else None)} for r, (n, k) in counts.items()}
    summary = {
        "schema": "govbridge/eval-summary/v1",
        "checks": [{"check": "c", "per_risk": per_risk}],
    }
    (check,) = reexpress(summary, target, cw).checks
    fed: set[str] = set()
    for r in check.rates:
        assert r.n == sum(s.n for s in r.sources)
        assert r.successes == sum(s.successes for s in r.sources)
        assert len({s.risk for s in r.sources}) == len(r.sources), "a risk counted twice"
        for s in r.sources:
            assert s.successes == counts[s.risk.partition(":")[2]][1]
            assert s.relation in POOLED
        fed |= {s.risk for s in r.sources}
        if r.n == 0:
            assert r.rate is None
            continue
        assert r.rate is not None and r.wilson_low is not None and r.wilson_high is not None
        assert 0.0 <= r.wilson_low <= r.rate <= r.wilson_high <= 1.0
        assert math.isclose(r.rate, r.successes / r.n)
    every = {f"tc260:{r}" for r in counts}
    assert fed | set(check.unmapped) == every, "every risk is pooled somewhere or listed"
    assert not fed & set(check.unmapped)


# --- bad input ---------------------------------------------------------------------------------


def _broken(summary: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(summary)
    target: Any = doc
    parts = path.split("/")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is _DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return doc


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("schema", "govbridge/eval-summary/v2", "schema = 'govbridge/eval-summary/v2': expected"),
        ("checks", {}, "checks = {}: expected a list of checks"),
        ("checks/0", "x", "checks[0] = 'x': expected an object"),
        ("checks/0/check", _DELETE, "checks[0].check: expected the name of the check"),
        ("checks/0/per_risk", _DELETE, "checks[0].per_risk: expected an object"),
        ("checks/0/per_risk/A.1.a/n", -1, "checks[0].per_risk.A.1.a.n = -1: expected a whole"),
        ("checks/0/per_risk/A.1.a/n", 2.5, "per_risk.A.1.a.n = 2.5"),
        ("checks/0/per_risk/A.1.a/rate", 1.5, "per_risk.A.1.a.rate = 1.5: expected a rate"),
        ("checks/0/per_risk/A.1.a/rate", None, "per_risk.A.1.a.rate: expected a rate"),
        ("checks/0/per_risk/A.1.a/rate", "0.9", "per_risk.A.1.a.rate = '0.9'"),
        ("checks/0/per_risk/A.4.z", {"n": 1, "rate": 1}, "did you mean tc260:A.4."),
        ("checks/0/per_risk/nist-ai-600-1:4", {"n": 1, "rate": 1}, "expected a tc260 risk id"),
        ("checks/0/per_risk/A.1.b", [1], "per_risk.A.1.b = [1]: expected an object"),
    ],
)
def test_a_malformed_summary_is_a_one_line_error(
    cw: Crosswalk, summary: dict[str, Any], path: str, value: Any, message: str
) -> None:
    with pytest.raises(InputError) as info:
        reexpress(_broken(summary, path, value), "nist-ai-600-1", cw, file="s.json")
    text = str(info.value)
    assert message in text
    assert text.startswith("s.json: ")
    assert "\n" not in text


def test_a_risk_twice_is_an_error(cw: Crosswalk, summary: dict[str, Any]) -> None:
    doc = _broken(summary, "checks/0/per_risk/tc260:A.1.a", {"n": 1, "rate": 1})
    with pytest.raises(InputError, match="each risk once per check"):
        reexpress(doc, "nist-ai-600-1", cw)


def test_an_empty_risk_is_allowed(cw: Crosswalk, summary: dict[str, Any]) -> None:
    doc = _broken(summary, "checks/0/per_risk/A.1.d", {"n": 0, "rate": None})
    rates = _rates(reexpress(doc, "nist-ai-600-1", cw))
    assert rates["nist-ai-600-1:3"].n == 40


def test_bad_schemes(cw: Crosswalk, summary: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="already in tc260"):
        reexpress(summary, "tc260", cw)
    with pytest.raises(UsageError, match="did you mean eu-cop"):
        reexpress(summary, "eu", cw)


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the summary"):
        read_summary(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json: not valid JSON \(line 1, column 12"):
        read_summary(bad)
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON object"):
        read_summary(bad)
