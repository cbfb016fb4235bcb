from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govbridge.dossier import Dossier, fact_specs, from_mapping, get_fact, load
from govbridge.errors import DossierError

EXAMPLE = Path(__file__).resolve().parents[1] / "src/govbridge/examples/example-405b.yaml"


def test_the_bundled_example_loads_with_units() -> None:
    d = load(EXAMPLE)
    assert d.model.name == "Example-405B"
    assert d.model.training_compute_flop == 3.8e25
    assert d.model.parameters == 405e9
    assert d.model.release_date == dt.date(2025, 10, 1)
    assert d.developer.annual_revenue_usd == 1.2e9
    assert d.deployment.markets == ["US-CA", "US-NY", "EU", "CN"]


def test_only_the_model_name_is_required() -> None:
    d = from_mapping({"model": {"name": "M"}})
    assert d.model.training_compute_flop is None
    assert d.deployment.markets is None
    assert get_fact(d, "model.base_model.training_compute_flop") is None


def test_strings_with_units_are_read() -> None:
    d = from_mapping(
        {
            "model": {"name": "M", "training_compute_flop": "3.8e25 FLOP", "parameters": "405B"},
            "developer": {"annual_revenue_usd": "1.2 billion USD"},
        }
    )
    assert d.model.training_compute_flop == 3.8e25
    assert d.developer.annual_revenue_usd == 1.2e9


def test_json_dossiers_load(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"model": {"name": "J", "parameters": 7e9}}))
    assert load(path).model.parameters == 7e9


BAD: list[tuple[str, Any, str, str]] = [
    # (case, dossier, field path in the message, words in the message)
    (
        "unknown key",
        {"model": {"name": "M", "paramters": 1}},
        "model.paramters",
        "did you mean model.parameters",
    ),
    (
        "unknown top-level key",
        {"model": {"name": "M"}, "deploymnet": {}},
        "deploymnet",
        "did you mean deployment",
    ),
    (
        "unit that does not fit",
        {"model": {"name": "M", "training_compute_flop": "5 USD"}},
        "model.training_compute_flop",
        "expected FLOP",
    ),
    (
        "negative compute",
        {"model": {"name": "M", "training_compute_flop": -1}},
        "model.training_compute_flop",
        "must not be negative",
    ),
    (
        "zero parameters",
        {"model": {"name": "M", "parameters": 0}},
        "model.parameters",
        "greater than zero",
    ),
    ("missing name", {"model": {"parameters": 1}}, "model.name", "is required"),
    ("empty model", {}, "model", "is required"),
    (
        "bad date",
        {"model": {"name": "M", "release_date": "2025-13-01"}},
        "model.release_date",
        "example: 2025-10-01",
    ),
    (
        "date with a time",
        {"model": {"name": "M", "release_date": dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)}},
        "model.release_date",
        "without a time",
    ),
    (
        "bad market",
        {"model": {"name": "M"}, "deployment": {"markets": ["usa"]}},
        "deployment.markets.0",
        "ISO 3166",
    ),
    (
        "bad architecture",
        {"model": {"name": "M", "architecture": "sparse"}},
        "model.architecture",
        "dense (or moe)",
    ),
    (
        "bad boolean",
        {"model": {"name": "M", "open_weights": "maybe"}},
        "model.open_weights",
        "true or false",
    ),
    (
        "wrong schema",
        {"schema": "govbridge/dossier/v9", "model": {"name": "M"}},
        "schema",
        "govbridge/dossier/v1",
    ),
    (
        "unknown key in a list item",
        {"model": {"name": "M"}, "sources": [{"feild": "x"}]},
        "sources.0.feild",
        "did you mean sources.0.field",
    ),
    ("not a mapping", ["model"], "", "a dossier must be a mapping"),
]


@pytest.mark.parametrize(("case", "data", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_field_value_and_example(
    case: str, data: Any, field: str, words: str
) -> None:
    with pytest.raises(DossierError) as info:
        from_mapping(data, file="bad.yaml")
    message = str(info.value)
    assert message.startswith("bad.yaml")
    assert info.value.field == field
    assert words in message
    assert "example:" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("model:\n  name: A\n  name: B\n", "line 3"),
        ("model: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("", "must be a mapping"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(DossierError) as info:
        load(path)
    assert str(path) in str(info.value)
    assert words in str(info.value)


def test_missing_file_and_bad_json(tmp_path: Path) -> None:
    with pytest.raises(DossierError, match="file not found"):
        load(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(DossierError, match="not valid JSON"):
        load(bad)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DossierError, match="cannot read"):
        load(binary)


def test_every_fact_has_a_kind() -> None:
    specs = fact_specs()
    assert specs["model.training_compute_flop"].dimension == "flop"
    assert specs["developer.annual_revenue_usd"].dimension == "usd"
    assert specs["model.open_weights"].kind == "bool"
    assert specs["model.release_date"].kind == "date"
    assert specs["model.architecture"].choices == ("dense", "moe")
    assert "sources" not in specs and "schema" not in specs


quantities = st.one_of(
    st.floats(min_value=0, max_value=1e30, allow_nan=False),
    st.integers(min_value=0, max_value=10**15),
    st.floats(min_value=0, max_value=1e30, allow_nan=False).map(lambda v: f"{v!r} FLOP"),
)
dossiers = st.fixed_dictionaries(
    {
        "model": st.fixed_dictionaries(
            {"name": st.text(min_size=1, max_size=20).filter(str.strip)},
            optional={
                "training_compute_flop": quantities,
                "post_training_compute_flop": quantities,
                "open_weights": st.booleans(),
                "architecture": st.sampled_from(["dense", "moe"]),
                "release_date": st.dates(),
            },
        )
    },
    optional={
        "developer": st.fixed_dictionaries(
            {}, optional={"annual_revenue_usd": st.floats(min_value=0, max_value=1e13)}
        ),
        "deployment": st.fixed_dictionaries(
            {}, optional={"markets": st.lists(st.sampled_from(["US", "US-CA", "EU", "CN", "DE"]))}
        ),
    },
)


@given(dossiers)
def test_valid_dossiers_round_trip_through_json(data: dict[str, Any]) -> None:
    d = from_mapping(data)
    again = from_mapping(json.loads(d.model_dump_json(by_alias=True)))
    assert again == d
    assert isinstance(d, Dossier)


@given(
    st.dictionaries(
        st.text(max_size=8), st.one_of(st.none(), st.integers(), st.text(max_size=8)), max_size=4
    )
)
def test_arbitrary_mappings_give_a_dossier_or_a_dossier_error(data: dict[str, Any]) -> None:
    try:
        from_mapping({"model": {"name": "M", **data}})
    except DossierError as exc:
        assert exc.field.startswith("model")
