"""Rule cases: YAML files in tests/cases, each a list of named cases on a date.

A case is ``{name, as_of, dossier, expect}``. ``expect`` maps an instrument id to
``{status?, applies?, missing_facts?}`` or a provision id to ``{applies?, missing_facts?}``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from govbridge.dossier import from_mapping
from govbridge.kb import KnowledgeBase
from govbridge.rules import assess

CASES = Path(__file__).parent / "cases"


def _tri(value: object) -> object:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _cases() -> list[Any]:
    params = []
    for file in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            params.append(pytest.param(case, id=f"{file.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: dict[str, Any], kb: KnowledgeBase) -> None:
    as_of = case["as_of"]
    assert isinstance(as_of, dt.date), "as_of must be a YYYY-MM-DD date"
    dossier = from_mapping(case["dossier"], file=case["name"])
    result = assess(dossier, kb, as_of, include_international=True)
    assert case["expect"], "a case must expect something"
    for key, want in case["expect"].items():
        if key in kb.instruments:
            got = result.result(key)
            if "status" in want:
                assert got.status == want["status"], f"{key} status"
        else:
            got = result.provision(key)  # type: ignore[assignment]
        if "applies" in want:
            assert got.applies == _tri(want["applies"]), (
                f"{key} applies; trace: {getattr(got, 'trace', '')}"
            )
        if "missing_facts" in want:
            assert sorted(got.missing_facts) == sorted(want["missing_facts"]), (
                f"{key} missing facts"
            )


def test_there_are_cases_on_both_sides_of_every_lifecycle_date(kb: KnowledgeBase) -> None:
    """Every commencement, veto, revocation, repeal and supersession date has a case on the
    day before and on the day itself, for its instrument."""
    seen: dict[str, set[dt.date]] = {}
    for param in _cases():
        case = param.values[0]
        for key in case["expect"]:
            seen.setdefault(key, set()).add(case["as_of"])
    missing = []
    for inst in kb.instruments.values():
        life = inst.data.lifecycle
        for name in ("effective", "vetoed", "revoked", "repealed", "superseded"):
            event = getattr(life, name)
            if event is None:
                continue
            dates = seen.get(inst.id, set())
            for day in (event.date - dt.timedelta(days=1), event.date):
                if day not in dates:
                    missing.append(f"{inst.id} {name} {event.date}: no case on {day}")
    assert not missing, "\n".join(missing)
