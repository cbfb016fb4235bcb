"""The ``applies_when`` condition language: a small typed tree over dossier facts.

The forms, each a YAML mapping::

    all: [COND, ...]                       every one holds (Kleene AND)
    any: [COND, ...]                       at least one holds (Kleene OR)
    not: COND                              negation (unknown stays unknown)
    fact: PATH, op: OP, value: V, source: S, section: "..."   compare with a cited literal
    fact: PATH, op: OP, param: NAME        compare with a dated parameter of the provision
    sum: [PATH, ...], op: OP, param: NAME  compare the sum of non-negative quantities
    fact: PATH, op: OP, fraction_of: {fact: PATH, factor: 0.3333}   compare with another fact
    fact: PATH, is: true|false             a yes/no fact
    fact: PATH, contains_any: [V, ...]     a list fact shares a value with the given list
    fact: PATH, in: [V, ...]               a text or choice fact is one of the given values
    fact: PATH, known: true|false          whether the dossier states the fact (never unknown)
    market: CODE                           deployment.markets covers CODE (US covers US-CA)
    ref: PROVISION                         another provision applies (same instrument or full id)

``op`` is one of ``>``, ``>=``, ``<``, ``<=``, ``==``, ``!=``, exactly as the instrument's text
reads. Comparisons, ``is`` and ``contains_any`` take ``if_missing: yes|no|unknown`` (default
``unknown``); every form takes an optional ``note``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from govbridge.dossier import FactSpec
from govbridge.errors import KBLoadError, UnitError
from govbridge.units import DIMENSIONS, parse_quantity

__all__ = [
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "ContainsAny",
    "FactFraction",
    "IsValue",
    "Known",
    "Literal_",
    "Market",
    "Not",
    "OneOf",
    "ParamRef",
    "Ref",
    "parse_condition",
]

Op = Literal[">", ">=", "<", "<=", "==", "!="]
Tri = Literal["yes", "no", "unknown"]
_OPS: tuple[str, ...] = (">", ">=", "<", "<=", "==", "!=")
_TRI: tuple[str, ...] = ("yes", "no", "unknown")


@dataclass(frozen=True)
class Literal_:
    """A literal right-hand side, with its citation."""

    value: float | dt.date | str
    source: str
    section: str


@dataclass(frozen=True)
class ParamRef:
    """A dated parameter of the provision, looked up as of the assessment date."""

    name: str


@dataclass(frozen=True)
class FactFraction:
    """Another fact times a factor (for example one third of the base model's compute).

    ``factor`` may be written as a fraction (``"1/3"``); a comparison with a fraction treats
    values within a relative 1e-9 of the boundary as equal to it, so that exactly one third is
    not "more than one third" because of rounding.
    """

    fact: str
    factor: float
    factor_text: str
    source: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class Compare:
    """A comparison of one fact, or of the sum of several quantity facts."""

    facts: tuple[str, ...]
    op: Op
    rhs: Literal_ | ParamRef | FactFraction
    kind: str
    dimension: str | None
    if_missing: Tri = "unknown"
    note: str | None = None


@dataclass(frozen=True)
class IsValue:
    """A yes/no fact that must equal ``expected``."""

    fact: str
    expected: bool
    if_missing: Tri = "unknown"
    note: str | None = None


@dataclass(frozen=True)
class ContainsAny:
    """A list fact that must share at least one value with ``values``."""

    fact: str
    values: tuple[str, ...]
    if_missing: Tri = "unknown"
    note: str | None = None


@dataclass(frozen=True)
class OneOf:
    """A text or choice fact that must be one of ``values``."""

    fact: str
    values: tuple[str, ...]
    if_missing: Tri = "unknown"
    note: str | None = None


@dataclass(frozen=True)
class Known:
    """Whether the dossier states a fact; never unknown."""

    fact: str
    expected: bool
    note: str | None = None


@dataclass(frozen=True)
class Market:
    """The model is offered in a market (``deployment.markets`` covers ``code``)."""

    code: str
    note: str | None = None


@dataclass(frozen=True)
class Ref:
    """Another provision applies."""

    provision: str
    note: str | None = None


@dataclass(frozen=True)
class All:
    """Every item holds."""

    items: tuple[Condition, ...]
    note: str | None = None


@dataclass(frozen=True)
class AnyOf:
    """At least one item holds."""

    items: tuple[Condition, ...]
    note: str | None = None


@dataclass(frozen=True)
class Not:
    """The item does not hold."""

    item: Condition
    note: str | None = None


Condition = All | AnyOf | Not | Compare | IsValue | ContainsAny | OneOf | Known | Market | Ref

_EXAMPLE = "for example {fact: model.training_compute_flop, op: '>', param: threshold}"


class _Parser:
    def __init__(
        self,
        file: str,
        facts: dict[str, FactSpec],
        params: dict[str, str],
        sources: set[str],
        instrument: str,
    ) -> None:
        self.file = file
        self.facts = facts
        self.params = params
        self.sources = sources
        self.instrument = instrument

    def fail(self, key: str, value: object, expected: str) -> KBLoadError:
        return KBLoadError(self.file, key, value, expected)

    def fact(self, key: str, path: object) -> FactSpec:
        if not isinstance(path, str) or path not in self.facts:
            import difflib

            close = difflib.get_close_matches(str(path), list(self.facts), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise self.fail(key, path, f"unknown dossier fact{hint} (see docs/dossier.md)")
        return self.facts[path]

    def keys(self, key: str, raw: dict[str, Any], allowed: set[str]) -> None:
        extra = sorted(set(raw) - allowed - {"note"})
        if extra:
            raise self.fail(
                f"{key}.{extra[0]}",
                None,
                f"unknown key; allowed here: {', '.join(sorted(allowed))}",
            )

    def tri(self, key: str, raw: dict[str, Any]) -> Tri:
        value = raw.get("if_missing", "unknown")
        if value is True:  # YAML 1.1 reads a bare yes as true
            value = "yes"
        elif value is False:
            value = "no"
        if value not in _TRI:
            raise self.fail(f"{key}.if_missing", value, "one of yes, no, unknown")
        result: Tri = value
        return result

    def note(self, key: str, raw: dict[str, Any]) -> str | None:
        note = raw.get("note")
        if note is not None and not isinstance(note, str):
            raise self.fail(f"{key}.note", note, "a string")
        return note

    def parse(self, raw: object, key: str) -> Condition:
        if not isinstance(raw, dict) or not raw:
            raise self.fail(key, raw, f"a condition mapping, {_EXAMPLE}")
        note = self.note(key, raw)
        for group in ("all", "any"):
            if group in raw:
                self.keys(key, raw, {group})
                items = raw[group]
                if not isinstance(items, list) or not items:
                    raise self.fail(f"{key}.{group}", items, "a non-empty list of conditions")
                parsed = tuple(
                    self.parse(item, f"{key}.{group}.{i}") for i, item in enumerate(items)
                )
                return All(parsed, note) if group == "all" else AnyOf(parsed, note)
        if "not" in raw:
            self.keys(key, raw, {"not"})
            return Not(self.parse(raw["not"], f"{key}.not"), note)
        if "market" in raw:
            self.keys(key, raw, {"market"})
            code = raw["market"]
            if not isinstance(code, str) or not code:
                raise self.fail(f"{key}.market", code, "a market code such as US-CA, EU or CN")
            return Market(code, note)
        if "ref" in raw:
            self.keys(key, raw, {"ref"})
            ref = raw["ref"]
            if not isinstance(ref, str) or not ref:
                raise self.fail(f"{key}.ref", ref, "a provision name such as frontier_developer")
            full = ref if "." in ref else f"{self.instrument}.{ref}"
            return Ref(full, note)
        if "op" in raw:
            return self.compare(raw, key, note)
        if "fact" not in raw:
            raise self.fail(key, raw, f"a condition ({_EXAMPLE})")
        spec = self.fact(f"{key}.fact", raw["fact"])
        if "known" in raw:
            self.keys(key, raw, {"fact", "known"})
            if not isinstance(raw["known"], bool):
                raise self.fail(f"{key}.known", raw["known"], "true or false")
            return Known(spec.path, raw["known"], note)
        if "is" in raw:
            self.keys(key, raw, {"fact", "is", "if_missing"})
            if spec.kind != "bool":
                raise self.fail(
                    f"{key}.is", raw["is"], f"'is' tests yes/no facts; {spec.path} is {spec.kind}"
                )
            if not isinstance(raw["is"], bool):
                raise self.fail(f"{key}.is", raw["is"], "true or false")
            return IsValue(spec.path, raw["is"], self.tri(key, raw), note)
        if "contains_any" in raw:
            self.keys(key, raw, {"fact", "contains_any", "if_missing"})
            values = raw["contains_any"]
            if spec.kind != "list":
                raise self.fail(
                    f"{key}.contains_any", values, f"a list fact; {spec.path} is {spec.kind}"
                )
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                raise self.fail(
                    f"{key}.contains_any",
                    values,
                    "a non-empty list of strings, for example [text, image]",
                )
            if spec.choices:
                for v in values:
                    if v not in spec.choices:
                        raise self.fail(
                            f"{key}.contains_any", v, f"one of {', '.join(spec.choices)}"
                        )
            return ContainsAny(spec.path, tuple(values), self.tri(key, raw), note)
        if "in" in raw:
            self.keys(key, raw, {"fact", "in", "if_missing"})
            values = raw["in"]
            if spec.kind not in ("text", "choice"):
                raise self.fail(f"{key}.in", values, f"a text fact; {spec.path} is {spec.kind}")
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                raise self.fail(
                    f"{key}.in", values, "a non-empty list of strings, for example [DE, FR]"
                )
            return OneOf(spec.path, tuple(values), self.tri(key, raw), note)
        raise self.fail(
            key, raw, f"a condition with op, is, in, contains_any or known ({_EXAMPLE})"
        )

    def compare(self, raw: dict[str, Any], key: str, note: str | None) -> Compare:
        op = raw["op"]
        if op not in _OPS:
            raise self.fail(f"{key}.op", op, f"one of {' '.join(_OPS)} (quote it in YAML: op: '>')")
        if "sum" in raw:
            paths = raw["sum"]
            if not isinstance(paths, list) or len(paths) < 2:
                raise self.fail(f"{key}.sum", paths, "a list of two or more quantity facts")
            specs = [self.fact(f"{key}.sum.{i}", p) for i, p in enumerate(paths)]
            if any(s.kind != "quantity" for s in specs) or len({s.dimension for s in specs}) != 1:
                raise self.fail(f"{key}.sum", paths, "quantity facts of one dimension")
            lhs_key = "sum"
        else:
            specs = [self.fact(f"{key}.fact", raw.get("fact"))]
            lhs_key = "fact"
        spec = specs[0]
        if spec.kind in ("bool", "list"):
            raise self.fail(
                f"{key}.op", op, f"{spec.path} is {spec.kind}; use 'is' or 'contains_any'"
            )
        if spec.kind in ("text", "choice") and op not in ("==", "!="):
            raise self.fail(f"{key}.op", op, f"{spec.path} is {spec.kind}; use == or !=")
        rhs_keys = [k for k in ("value", "param", "fraction_of") if k in raw]
        if len(rhs_keys) != 1:
            raise self.fail(
                key, None, "exactly one of value (with source and section), param or fraction_of"
            )
        rhs: Literal_ | ParamRef | FactFraction
        allowed = {lhs_key, "op", rhs_keys[0], "if_missing"}
        if rhs_keys[0] == "param":
            name = raw["param"]
            if name not in self.params:
                known = ", ".join(sorted(self.params)) or "none defined"
                raise self.fail(f"{key}.param", name, f"a parameter of this provision ({known})")
            if spec.kind != "quantity" or self.params[name] != spec.dimension:
                raise self.fail(
                    f"{key}.param",
                    name,
                    f"a parameter in {spec.dimension or spec.kind}; "
                    f"{name} is in {self.params[name]}",
                )
            rhs = ParamRef(name)
        elif rhs_keys[0] == "fraction_of":
            frac = raw["fraction_of"]
            if (
                not isinstance(frac, dict)
                or not {"fact", "factor"} <= set(frac)
                or not set(frac) <= {"fact", "factor", "source", "section"}
            ):
                raise self.fail(
                    f"{key}.fraction_of",
                    frac,
                    "{fact: PATH, factor: 1/3, source?: ID, section?: TEXT}",
                )
            other = self.fact(f"{key}.fraction_of.fact", frac["fact"])
            if other.kind != "quantity" or other.dimension != spec.dimension:
                raise self.fail(
                    f"{key}.fraction_of.fact", frac["fact"], f"a quantity in {spec.dimension}"
                )
            factor = _factor(frac["factor"])
            if factor is None:
                raise self.fail(
                    f"{key}.fraction_of.factor",
                    frac["factor"],
                    "a positive number or fraction, such as 1/3",
                )
            source, section = frac.get("source"), frac.get("section")
            if (source is None) != (section is None) or (
                source is not None and source not in self.sources
            ):
                raise self.fail(
                    f"{key}.fraction_of.source",
                    source,
                    "both source (an id from the instrument's sources) and section, or neither",
                )
            rhs = FactFraction(other.path, factor, str(frac["factor"]), source, section)
        else:
            allowed |= {"source", "section"}
            rhs = self.literal(raw, key, spec)
        self.keys(key, raw, allowed)
        return Compare(
            tuple(s.path for s in specs),
            op,
            rhs,
            spec.kind,
            spec.dimension,
            self.tri(key, raw),
            note,
        )

    def literal(self, raw: dict[str, Any], key: str, spec: FactSpec) -> Literal_:
        source, section = raw.get("source"), raw.get("section")
        if not isinstance(source, str) or source not in self.sources:
            raise self.fail(
                f"{key}.source", source, "the id of a source listed in the instrument's index.yaml"
            )
        if not isinstance(section, str) or not section.strip():
            raise self.fail(
                f"{key}.section",
                section,
                'the section that states the value, for example "Art. 111(3)"',
            )
        value = raw["value"]
        parsed: float | dt.date | str
        if spec.kind == "quantity":
            assert spec.dimension is not None
            try:
                parsed = parse_quantity(value, spec.dimension)  # type: ignore[arg-type]
            except UnitError:
                raise self.fail(
                    f"{key}.value", value, f"a quantity in {DIMENSIONS[spec.dimension][0]}"
                ) from None
        elif spec.kind == "date":
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise self.fail(f"{key}.value", value, "a date such as 2025-08-02")
            parsed = value
        else:
            if not isinstance(value, str) or (spec.choices and value not in spec.choices):
                choices = f"one of {', '.join(spec.choices)}" if spec.choices else "a string"
                raise self.fail(f"{key}.value", value, choices)
            parsed = value
        return Literal_(parsed, source, section)


def _factor(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*/\s*\d+(\.\d+)?\s*", value):
        top, bottom = (float(x) for x in value.split("/"))
        if bottom == 0:
            return None
        number = top / bottom
    else:
        return None
    return number if number > 0 else None


def parse_condition(
    raw: object,
    *,
    file: str,
    key: str,
    facts: dict[str, FactSpec],
    params: dict[str, str],
    sources: set[str],
    instrument: str,
) -> Condition:
    """Parse and type-check one condition tree.

    Args:
        raw: The YAML value.
        file: The file, for error messages.
        key: The key path of ``raw`` in the file, for error messages.
        facts: The dossier facts that conditions may test.
        params: The provision's parameters, name to dimension.
        sources: The source ids of the instrument.
        instrument: The instrument id, to qualify short ``ref`` names.

    Returns:
        The condition tree.

    Raises:
        KBLoadError: Naming the file, the key, the bad value and the expected form.
    """
    return _Parser(file, facts, params, sources, instrument).parse(raw, key)


def refs(condition: Condition) -> list[str]:
    """The provision ids a condition refers to, in order."""
    if isinstance(condition, Ref):
        return [condition.provision]
    if isinstance(condition, All | AnyOf):
        return [r for item in condition.items for r in refs(item)]
    if isinstance(condition, Not):
        return refs(condition.item)
    return []
