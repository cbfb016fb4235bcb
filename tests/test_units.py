from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govbridge.errors import UnitError
from govbridge.units import format_quantity, parse_quantity


@pytest.mark.parametrize(
    ("text", "dimension", "expected"),
    [
        ("3.8e25", "flop", 3.8e25),
        ("3.8e25 FLOP", "flop", 3.8e25),
        ("3.8E+25 flops", "flop", 3.8e25),
        ("1e26 operations", "flop", 1e26),
        ("3.8 x 10^25", "flop", 3.8e25),
        ("3.8 × 10^25 FLOP", "flop", 3.8e25),
        ("380,000,000,000", "count", 380e9),
        ("380_000_000_000", "count", 380e9),
        ("405B", "count", 405e9),
        ("405 billion parameters", "count", 405e9),
        ("15.6T tokens", "count", 15.6e12),
        ("15.6 trillion", "count", 15.6e12),
        ("$500M", "usd", 500e6),
        ("US$1.2bn", "usd", 1.2e9),
        ("USD 500 million", "usd", 500e6),
        ("1.2 billion USD", "usd", 1.2e9),
        ("400 Gbit/s", "gbps", 400.0),
        ("1.6 Tbps", "gbps", 1600.0),
        ("1e20 FLOP/s", "ops_per_second", 1e20),
        ("100 EFLOP/s", "ops_per_second", 1e20),
        ("95%", "ratio", 0.95),
        ("5 %", "ratio", 0.05),
        (42, "count", 42.0),
        (0.5, "ratio", 0.5),
    ],
)
def test_parse_quantity_reads_numbers_units_and_magnitudes(
    text: object, dimension: str, expected: float
) -> None:
    assert parse_quantity(text, dimension) == pytest.approx(expected, rel=1e-12)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("500 USD", "flop"),
        ("$5M", "count"),
        ("3e25 FLOP", "usd"),
        ("ten", "count"),
        ("", "flop"),
        ("1e25 FLOP FLOP", "flop"),
        ("1e25 EUR", "usd"),
        (True, "count"),
        (None, "count"),
        ([1], "count"),
        (float("nan"), "flop"),
        (float("inf"), "flop"),
        ("1e400", "flop"),
    ],
)
def test_parse_quantity_rejects_what_does_not_fit(text: object, dimension: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_quantity(text, dimension)  # type: ignore[arg-type]
    assert "for example" in str(info.value)


@given(st.floats(min_value=0, max_value=1e30, allow_nan=False, allow_infinity=False))
def test_any_number_written_as_text_reads_back(value: float) -> None:
    assert parse_quantity(repr(value), "flop") == value
    assert parse_quantity(f"{value!r} FLOP", "flop") == value


@given(
    st.floats(min_value=0.001, max_value=1e6, allow_nan=False),
    st.sampled_from([("M", 1e6), ("million", 1e6), ("B", 1e9), ("bn", 1e9), ("T", 1e12)]),
)
def test_magnitude_words_multiply(value: float, magnitude: tuple[str, float]) -> None:
    word, factor = magnitude
    assert math.isclose(parse_quantity(f"{value!r} {word} USD", "usd"), value * factor)


@given(st.text(max_size=30))
def test_parse_quantity_never_fails_with_anything_but_a_unit_error(text: str) -> None:
    try:
        result = parse_quantity(text, "flop")
    except UnitError:
        return
    assert math.isfinite(result)


def test_format_quantity() -> None:
    assert format_quantity(1e26, "flop") == "1e+26 FLOP"
    assert format_quantity(5e8, "usd") == "USD 500,000,000"
    assert format_quantity(20, "count") == "20"
