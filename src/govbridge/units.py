"""Quantities with units, as written by people in dossiers and in the knowledge base.

A field declares a *dimension* (FLOP, USD, a count, Gbit/s, operations per second). A value may
be a plain number or a string with a unit and a magnitude word:

>>> parse_quantity("3.8e25 FLOP", "flop")
3.8e+25
>>> parse_quantity("$500M", "usd")
500000000.0
>>> parse_quantity("1.2 billion USD", "usd")
1200000000.0
>>> parse_quantity("405B", "count")
405000000000.0
>>> parse_quantity("3.8 x 10^25", "flop")
3.8e+25

A unit that does not fit the dimension is an error:

>>> parse_quantity("500 USD", "flop")
Traceback (most recent call last):
...
govbridge.errors.UnitError: cannot read '500 USD' as a quantity: expected FLOP ...
"""

from __future__ import annotations

import math
import re
from typing import Final, Literal

from govbridge.errors import UnitError

__all__ = ["DIMENSIONS", "Dimension", "format_quantity", "parse_quantity"]

Dimension = Literal["flop", "usd", "count", "gbps", "ops_per_second", "ratio"]

#: Human names and examples of each dimension, used in error messages and docs.
DIMENSIONS: Final[dict[str, tuple[str, str]]] = {
    "flop": ("FLOP (integer or floating-point operations)", '3.8e25 or "3.8e25 FLOP"'),
    "usd": ("US dollars", '1.2e9, "$500M" or "1.2 billion USD"'),
    "count": ("a plain count", '405e9, "405B" or "15.6 trillion"'),
    "gbps": ("gigabits per second", '400 or "400 Gbit/s"'),
    "ops_per_second": ("operations per second", '1e20 or "1e20 FLOP/s"'),
    "ratio": ("a share between 0 and 1", '0.95 or "95%"'),
}

_MAGNITUDES: Final[dict[str, float]] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    "trillions": 1e12,
}

# Unit words per dimension, with the factor that converts to the dimension's base unit.
_UNITS: Final[dict[str, dict[str, float]]] = {
    "flop": {"flop": 1.0, "flops": 1.0, "ops": 1.0, "op": 1.0, "operations": 1.0},
    "usd": {"usd": 1.0, "$": 1.0, "us$": 1.0, "dollars": 1.0},
    "count": {"parameters": 1.0, "params": 1.0, "tokens": 1.0, "items": 1.0},
    "gbps": {
        "gbit/s": 1.0,
        "gbps": 1.0,
        "gb/s": 1.0,
        "tbit/s": 1e3,
        "tbps": 1e3,
        "mbit/s": 1e-3,
        "mbps": 1e-3,
    },
    "ops_per_second": {
        "ops/s": 1.0,
        "op/s": 1.0,
        "flop/s": 1.0,
        "flops/s": 1.0,
        "tflop/s": 1e12,
        "pflop/s": 1e15,
        "eflop/s": 1e18,
    },
    "ratio": {"%": 0.01, "percent": 0.01},
}

_NUMBER = r"[-+]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_PATTERN: Final = re.compile(
    rf"""^\s*
    (?P<prefix>US\$|\$|USD)?\s*
    (?P<number>{_NUMBER})
    (?:\s*(?:x|×|\*)\s*10\s*\^\s*(?P<exp>[-+]?\d+))?
    \s*(?P<rest>.*?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def _expected(dimension: str) -> str:
    name, example = DIMENSIONS[dimension]
    return f"{name}, for example {example}"


def parse_quantity(value: object, dimension: Dimension) -> float:
    """Read a number or a string with a unit as a float in the dimension's base unit.

    Args:
        value: An int, a float or a string such as ``"3.8e25 FLOP"`` or ``"$500M"``.
        dimension: The dimension the field expects.

    Returns:
        The value in the base unit (FLOP, USD, a count, Gbit/s or operations per second).

    Raises:
        UnitError: When the text cannot be read, the unit does not fit the dimension, or the
            number is not finite.
    """
    if isinstance(value, bool):
        raise UnitError(value, _expected(dimension))
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise UnitError(value, _expected(dimension))
        return number
    if not isinstance(value, str):
        raise UnitError(value, _expected(dimension))
    match = _PATTERN.match(value)
    if match is None:
        raise UnitError(value, _expected(dimension))
    number_text = match.group("number").replace("_", "").replace(",", "")
    try:
        number = float(number_text)
    except ValueError as exc:  # pragma: no cover - the regex admits only numbers
        raise UnitError(value, _expected(dimension)) from exc
    if match.group("exp") is not None:
        number *= 10.0 ** int(match.group("exp"))
    words = match.group("rest").lower().replace("%", " %").split()
    prefix = (match.group("prefix") or "").lower()
    if prefix:
        if dimension != "usd":
            raise UnitError(value, _expected(dimension))
        words.append("usd")
    if words and words[0] in _MAGNITUDES:
        number *= _MAGNITUDES[words.pop(0)]
    units = _UNITS[dimension]
    seen_unit = False
    for word in words:
        if word in units and not seen_unit:
            factor = units[word]
            number = number / 100 if factor == 0.01 else number * factor
            seen_unit = True
        else:
            raise UnitError(value, _expected(dimension))
    if not math.isfinite(number):
        raise UnitError(value, _expected(dimension))
    return number


_SHORT: Final[dict[str, str]] = {
    "flop": "FLOP",
    "usd": "USD",
    "count": "",
    "gbps": "Gbit/s",
    "ops_per_second": "op/s",
    "ratio": "",
}


def format_quantity(value: float, dimension: str) -> str:
    """Format a quantity for people, in scientific notation with its unit.

    >>> format_quantity(3.8e25, "flop")
    '3.8e+25 FLOP'
    >>> format_quantity(500_000_000, "usd")
    'USD 500,000,000'
    """
    if dimension == "usd":
        return f"USD {value:,.0f}"
    unit = _SHORT.get(dimension, "")
    text = f"{value:.4g}" if abs(value) >= 1e6 or value != int(value) else f"{int(value)}"
    return f"{text} {unit}".strip()
