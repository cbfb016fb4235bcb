"""The rule engine: which provisions apply to a dossier on a date, with a trace.

Applicability is three-valued (``yes``, ``no``, ``unknown``) and follows Kleene's logic. A
missing fact makes its test ``unknown``, and the result names the facts that would settle it.
Quantities are evaluated as intervals: a declared value is a point, a sum with a missing term is
bounded below by its known terms, and an estimate (see :class:`FactResolver`) is its range.
``assess`` is a pure function of (dossier, knowledge base, date).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from govbridge.dossier import Dossier, get_fact
from govbridge.errors import UsageError
from govbridge.kb import (
    All,
    AnyOf,
    Compare,
    Condition,
    ContainsAny,
    FactFraction,
    Instrument,
    IsValue,
    KnowledgeBase,
    Known,
    Literal_,
    Market,
    Not,
    OneOf,
    ParamRef,
    Provision,
    Ref,
)
from govbridge.units import format_quantity

__all__ = [
    "ASSESSMENT_SCHEMA",
    "Assessment",
    "DeclaredFacts",
    "EvidenceStatus",
    "FactResolver",
    "InstrumentResult",
    "ProvisionResult",
    "Quantity",
    "Status",
    "Tri",
    "assess",
    "instrument_status",
    "kleene_and",
    "kleene_not",
    "kleene_or",
]

ASSESSMENT_SCHEMA = "govbridge/assessment/v1"

Tri = Literal["yes", "no", "unknown"]
Status = Literal[
    "proposed", "not_yet_in_force", "in_force", "vetoed", "revoked", "repealed", "superseded"
]

#: The 27 member states of the European Union (ISO 3166-1 alpha-2).
EU_MEMBERS = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)


def kleene_and(values: Iterable[Tri]) -> Tri:
    """Kleene conjunction: no beats unknown beats yes.

    >>> kleene_and(["yes", "unknown"]), kleene_and(["unknown", "no"]), kleene_and([])
    ('unknown', 'no', 'yes')
    """
    result: Tri = "yes"
    for value in values:
        if value == "no":
            return "no"
        if value == "unknown":
            result = "unknown"
    return result


def kleene_or(values: Iterable[Tri]) -> Tri:
    """Kleene disjunction: yes beats unknown beats no.

    >>> kleene_or(["no", "unknown"]), kleene_or(["unknown", "yes"]), kleene_or([])
    ('unknown', 'yes', 'no')
    """
    result: Tri = "no"
    for value in values:
        if value == "yes":
            return "yes"
        if value == "unknown":
            result = "unknown"
    return result


def kleene_not(value: Tri) -> Tri:
    """Kleene negation: unknown stays unknown."""
    return {"yes": "no", "no": "yes", "unknown": "unknown"}[value]  # type: ignore[return-value]


@dataclass(frozen=True)
class Quantity:
    """A quantity fact as an interval, and where it comes from.

    Attributes:
        low: The lower bound.
        high: The upper bound (equal to ``low`` for a declared value).
        origin: ``declared`` or ``estimate``.
        detail: What the estimate rests on, shown in traces.
    """

    low: float
    high: float
    origin: Literal["declared", "estimate"] = "declared"
    detail: str | None = None


class FactResolver(Protocol):
    """Where the engine reads facts. Plug in estimates by wrapping :class:`DeclaredFacts`."""

    def quantity(self, path: str) -> Quantity | None:
        """The quantity at a fact path, or ``None`` when it is unknown."""

    def value(self, path: str) -> Any:
        """Any other fact's value, or ``None`` when it is unknown."""


@dataclass(frozen=True)
class DeclaredFacts:
    """The facts exactly as the dossier declares them."""

    dossier: Dossier

    def quantity(self, path: str) -> Quantity | None:
        """The declared quantity as a point interval."""
        value = get_fact(self.dossier, path)
        return None if value is None else Quantity(float(value), float(value))

    def value(self, path: str) -> Any:
        """The declared value."""
        return get_fact(self.dossier, path)


@dataclass
class _Eval:
    result: Tri
    trace: dict[str, Any]
    missing: list[str] = field(default_factory=list)


EvidenceStatus = Literal["none", "met", "not_met", "insufficient"]


@dataclass(frozen=True)
class ObligationResult:
    """An obligation of a provision, as reported.

    Attributes:
        eval_results: The content-evaluation summaries attached to it (see
            :func:`govbridge.rules.attach_eval_evidence`); only the test obligations of the
            TC260-003 and GB/T 45654-2025 protocol provisions get any.
    """

    id: str
    summary: str
    summary_zh: str | None
    deadline: str
    deadline_date: dt.date | None
    evidence: tuple[str, ...]
    source: dict[str, Any]
    eval_results: tuple[dict[str, Any], ...] = ()

    @property
    def evidence_status(self) -> EvidenceStatus:
        """What the attached summaries say, by the evaluator's verdicts.

        ``met`` when every verdict is ``pass``, ``not_met`` when any is ``fail``,
        ``insufficient`` when any is ``insufficient_bank`` and none fails, ``none`` when no
        summary is attached.
        """
        verdicts = {str(r.get("verdict")) for r in self.eval_results}
        if not verdicts:
            return "none"
        if "fail" in verdicts:
            return "not_met"
        if verdicts == {"pass"}:
            return "met"
        return "insufficient"


@dataclass(frozen=True)
class ProvisionResult:
    """Whether one provision applies, why, and what it demands."""

    id: str
    title: str
    title_zh: str
    addressee: str
    applies: Tri
    missing_facts: tuple[str, ...]
    trace: tuple[dict[str, Any], ...]
    obligations: tuple[ObligationResult, ...]
    starts: dt.date | None


@dataclass(frozen=True)
class InstrumentResult:
    """One instrument's status on the date, and its provisions."""

    instrument: str
    title: str
    title_zh: str
    short: str | None
    jurisdiction: str
    kind: str
    focus: tuple[str, ...]
    binding: bool
    status: Status
    status_since: dt.date | None
    applies: Tri
    missing_facts: tuple[str, ...]
    provisions: tuple[ProvisionResult, ...]
    upcoming: tuple[ProvisionResult, ...]
    sources: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Assessment:
    """The result of :func:`assess`.

    Attributes:
        eval_evidence: Every content-evaluation summary given to
            :func:`govbridge.rules.attach_eval_evidence`, attached or not (``cbrn_refusal``
            evidences no obligation and is kept only here).
    """

    as_of: dt.date
    dossier: Dossier
    kb_version: str
    kb_edition: str
    results: tuple[InstrumentResult, ...]
    eval_evidence: tuple[dict[str, Any], ...] = ()

    def result(self, instrument_id: str) -> InstrumentResult:
        """The result for one instrument.

        Raises:
            UsageError: When the instrument was not assessed.
        """
        for result in self.results:
            if result.instrument == instrument_id:
                return result
        raise UsageError(f"{instrument_id!r} is not in this assessment")

    def provision(self, provision_id: str) -> ProvisionResult:
        """The result for one provision.

        Raises:
            UsageError: When the provision was not assessed.
        """
        for result in self.results:
            for provision in result.provisions:
                if provision.id == provision_id:
                    return provision
        raise UsageError(f"{provision_id!r} is not in this assessment")


def instrument_status(instrument: Instrument, as_of: dt.date) -> tuple[Status, dt.date | None]:
    """The status of an instrument on a date, and the date it took that status.

    The order of precedence: vetoed, revoked, repealed, superseded, in force, not yet in force
    (signed or published), proposed (introduced, or never signed). Before its first date, an
    instrument that will be signed is not yet in force.
    """
    life = instrument.data.lifecycle
    for name in ("vetoed", "revoked", "repealed", "superseded"):
        event = getattr(life, name)
        if event is not None and event.date <= as_of:
            return name, event.date
    if life.effective is not None and life.effective.date <= as_of:
        return "in_force", life.effective.date
    for name in ("published", "signed"):
        event = getattr(life, name)
        if event is not None and event.date <= as_of:
            return "not_yet_in_force", event.date
    if life.introduced is not None and life.introduced.date <= as_of:
        return "proposed", life.introduced.date
    if life.signed is None and life.published is None and life.effective is None:
        return "proposed", None  # a bill that was never signed: pending until its veto
    return "not_yet_in_force", None


def _fmt(value: object, dimension: str | None) -> str:
    if isinstance(value, float) and dimension:
        return format_quantity(value, dimension)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _covers(market: str, target: str) -> bool:
    if market == target or target.startswith(f"{market}-"):
        return True
    return target == "EU" and market in EU_MEMBERS


_OP_TEXT = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "==": "=", "!=": "!="}


def _compare_interval(low: float, high: float, op: str, r_low: float, r_high: float) -> Tri:
    if op == ">":
        return "yes" if low > r_high else "no" if high <= r_low else "unknown"
    if op == ">=":
        return "yes" if low >= r_high else "no" if high < r_low else "unknown"
    if op == "<":
        return "yes" if high < r_low else "no" if low >= r_high else "unknown"
    if op == "<=":
        return "yes" if high <= r_low else "no" if low > r_high else "unknown"
    if op == "==":
        if low == high == r_low == r_high:
            return "yes"
        return "no" if high < r_low or low > r_high else "unknown"
    return kleene_not(_compare_interval(low, high, "==", r_low, r_high))


def _compare_exact(left: Any, op: str, right: Any) -> Tri:
    outcome = {
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
        "==": left == right,
        "!=": left != right,
    }[op]
    return "yes" if outcome else "no"


class _Evaluator:
    def __init__(
        self,
        kb: KnowledgeBase,
        facts: FactResolver,
        as_of: dt.date,
    ) -> None:
        self.kb = kb
        self.facts = facts
        self.as_of = as_of
        self.memo: dict[str, _Eval] = {}

    def cite(
        self, instrument: Instrument, source: str, section: str, **extra: Any
    ) -> dict[str, Any]:
        src = instrument.sources.get(source)
        return {
            "source": source,
            "title": src.title if src else source,
            "url": src.url if src else None,
            "section": section,
            **extra,
        }

    def provision(self, provision: Provision) -> _Eval:
        if provision.id in self.memo:
            return self.memo[provision.id]
        instrument = self.kb.instruments[provision.instrument]
        status, since = instrument_status(instrument, self.as_of)
        data = provision.data
        if status != "in_force":
            when = f" since {since}" if since else ""
            found = _Eval("no", {"test": f"{instrument.id} is {status}{when}", "result": "no"})
        elif data.effective is not None and data.effective.date > self.as_of:
            found = _Eval(
                "no",
                {
                    "test": f"provision applies from {data.effective.date}",
                    "result": "no",
                    "source": self.cite(instrument, data.effective.source, data.effective.section),
                },
            )
        elif data.ends is not None and data.ends.date <= self.as_of:
            found = _Eval(
                "no",
                {
                    "test": f"provision stopped applying on {data.ends.date}",
                    "result": "no",
                    "source": self.cite(instrument, data.ends.source, data.ends.section),
                },
            )
        else:
            parts = []
            if instrument.scope is not None:
                scope = self.eval(instrument.scope, instrument, provision)
                scope.trace = {**scope.trace, "role": "scope"}
                parts.append(scope)
            body = self.eval(provision.condition, instrument, provision)
            parts.append(body)
            found = self.combine_all(parts, None)
            found.trace = {
                "test": "scope and applies_when" if len(parts) > 1 else "applies_when",
                "result": found.result,
                "children": [p.trace for p in parts],
            }
        self.memo[provision.id] = found
        return found

    def combine_all(self, parts: Sequence[_Eval], note: str | None) -> _Eval:
        result = kleene_and(p.result for p in parts)
        missing = (
            _union(p.missing for p in parts if p.result == "unknown") if result == "unknown" else []
        )
        trace = {"test": "all of", "result": result, "children": [p.trace for p in parts]}
        if note:
            trace["note"] = note
        return _Eval(result, trace, missing)

    def eval(self, cond: Condition, instrument: Instrument, provision: Provision | None) -> _Eval:
        result: Tri
        trace: dict[str, Any]
        if isinstance(cond, All):
            return self.combine_all(
                [self.eval(c, instrument, provision) for c in cond.items], cond.note
            )
        if isinstance(cond, AnyOf):
            parts = [self.eval(c, instrument, provision) for c in cond.items]
            result = kleene_or(p.result for p in parts)
            missing = (
                _union(p.missing for p in parts if p.result == "unknown")
                if result == "unknown"
                else []
            )
            trace = {"test": "any of", "result": result, "children": [p.trace for p in parts]}
            return _Eval(result, _noted(trace, cond.note), missing)
        if isinstance(cond, Not):
            inner = self.eval(cond.item, instrument, provision)
            result = kleene_not(inner.result)
            trace = {"test": "not", "result": result, "children": [inner.trace]}
            return _Eval(result, _noted(trace, cond.note), inner.missing)
        if isinstance(cond, Ref):
            target = self.kb.provision(cond.provision)
            inner = self.provision(target)
            trace = {"test": f"{cond.provision} applies", "result": inner.result}
            return _Eval(inner.result, _noted(trace, cond.note), list(inner.missing))
        if isinstance(cond, Market):
            markets = self.facts.value("deployment.markets")
            test = f"deployment.markets covers {cond.code}"
            if markets is None:
                trace = {"test": test, "result": "unknown", "value": None}
                return _Eval("unknown", _noted(trace, cond.note), ["deployment.markets"])
            result = "yes" if any(_covers(m, cond.code) for m in markets) else "no"
            trace = {"test": test, "result": result, "value": list(markets)}
            return _Eval(result, _noted(trace, cond.note))
        if isinstance(cond, Known):
            value = self.facts.value(cond.fact)
            result = "yes" if (value is not None) == cond.expected else "no"
            test = f"{cond.fact} is {'stated' if cond.expected else 'not stated'}"
            return _Eval(result, _noted({"test": test, "result": result}, cond.note))
        if isinstance(cond, IsValue | ContainsAny | OneOf):
            return self.simple(cond)
        return self.compare(cond, instrument, provision)

    def simple(self, cond: IsValue | ContainsAny | OneOf) -> _Eval:
        value = self.facts.value(cond.fact)
        if isinstance(cond, IsValue):
            test = f"{cond.fact} is {str(cond.expected).lower()}"
        elif isinstance(cond, ContainsAny):
            test = f"{cond.fact} includes any of {', '.join(cond.values)}"
        else:
            test = f"{cond.fact} is one of {', '.join(cond.values)}"
        if value is None:
            result: Tri = cond.if_missing
            trace = {"test": test, "result": result, "value": None}
            if result != "unknown":
                trace["note"] = f"fact not stated; taken as {result}"
            return _Eval(
                result, _noted(trace, cond.note), [cond.fact] if result == "unknown" else []
            )
        if isinstance(cond, IsValue):
            result = "yes" if value == cond.expected else "no"
        elif isinstance(cond, ContainsAny):
            result = "yes" if set(value) & set(cond.values) else "no"
        else:
            result = "yes" if value in cond.values else "no"
        shown = list(value) if isinstance(value, list | tuple) else value
        return _Eval(result, _noted({"test": test, "result": result, "value": shown}, cond.note))

    def compare(self, cond: Compare, instrument: Instrument, provision: Provision | None) -> _Eval:
        left_name = " + ".join(cond.facts)
        op = _OP_TEXT[cond.op]
        trace: dict[str, Any] = {}
        # The right-hand side.
        r_low: Any
        r_high: Any
        missing: list[str] = []
        if isinstance(cond.rhs, ParamRef):
            assert provision is not None
            param = provision.data.parameters[cond.rhs.name]
            found = param.at(self.as_of)
            test = f"{left_name} {op} {cond.rhs.name}"
            if found is None:
                first = min(param.values)
                trace = {"test": test, "result": "no", "note": f"parameter defined from {first}"}
                return _Eval("no", _noted(trace, cond.note))
            since, pvalue = found
            source = self.cite(
                instrument,
                pvalue.source,
                pvalue.section,
                since=since.isoformat(),
                verified=pvalue.verified,
            )
            if pvalue.value is None:
                trace = {
                    "test": test,
                    "result": "no",
                    "note": f"parameter repealed from {since}",
                    "threshold_source": source,
                }
                return _Eval("no", _noted(trace, cond.note))
            r_low = r_high = float(pvalue.value)
            trace["threshold"] = r_low
            trace["threshold_text"] = _fmt(r_low, cond.dimension)
            trace["threshold_source"] = source
        elif isinstance(cond.rhs, FactFraction):
            other = self.facts.quantity(cond.rhs.fact)
            test = f"{left_name} {op} {cond.rhs.factor_text} x {cond.rhs.fact}"
            if cond.rhs.source is not None:
                trace["threshold_source"] = self.cite(
                    instrument, cond.rhs.source, cond.rhs.section or ""
                )
            if other is None:
                trace = {"test": test, "result": "unknown", "value": None}
                missing.append(cond.rhs.fact)
                r_low, r_high = 0.0, math.inf
            else:
                r_low, r_high = other.low * cond.rhs.factor, other.high * cond.rhs.factor
                trace["threshold"] = r_low if r_low == r_high else [r_low, r_high]
                trace["threshold_text"] = _fmt(r_low, cond.dimension)
        else:
            assert isinstance(cond.rhs, Literal_)
            r_low = r_high = cond.rhs.value
            test = f"{left_name} {op} {_fmt(cond.rhs.value, cond.dimension)}"
            trace["threshold"] = (
                cond.rhs.value.isoformat()
                if isinstance(cond.rhs.value, dt.date)
                else cond.rhs.value
            )
            trace["threshold_source"] = self.cite(instrument, cond.rhs.source, cond.rhs.section)
        trace = {"test": test, **trace}
        # The left-hand side.
        if cond.kind != "quantity":
            value = self.facts.value(cond.facts[0])
            if value is None:
                result: Tri = cond.if_missing
                trace.update(result=result, value=None)
                return _Eval(
                    result, _noted(trace, cond.note), [cond.facts[0]] if result == "unknown" else []
                )
            result = _compare_exact(value, cond.op, r_low)
            trace.update(result=result, value=_fmt(value, None))
            return _Eval(result, _noted(trace, cond.note))
        quantities = {path: self.facts.quantity(path) for path in cond.facts}
        absent = [p for p, q in quantities.items() if q is None]
        if len(absent) == len(cond.facts) and cond.if_missing != "unknown":
            result = cond.if_missing
            trace.update(result=result, value=None, note=f"fact not stated; taken as {result}")
            return _Eval(result, _noted(trace, cond.note))
        low = sum(q.low for q in quantities.values() if q is not None)
        high = math.inf if absent else sum(q.high for q in quantities.values() if q is not None)
        if isinstance(cond.rhs, FactFraction):
            # A boundary given as a fraction of another figure: rounding must not decide it.
            low, high = _snap(low, r_low, r_high), _snap(high, r_low, r_high)
        result = _compare_interval(low, high, cond.op, r_low, r_high)
        values = {
            p: (None if q is None else (q.low if q.low == q.high else [q.low, q.high]))
            for p, q in quantities.items()
        }
        trace.update(result=result, values=values)
        estimates = {
            p: q for p, q in quantities.items() if q is not None and q.origin == "estimate"
        }
        trace["value_used"] = "declared" if not estimates else "estimate"
        if estimates:
            trace["estimates"] = {p: q.detail for p, q in estimates.items()}
        if result == "unknown":
            if absent:
                trace["note"] = "missing: " + ", ".join(absent)
                missing.extend(absent)
            elif estimates:
                trace["note"] = (
                    f"estimate range straddles threshold: {_fmt(low, cond.dimension)} to "
                    f"{_fmt(high, cond.dimension)}"
                )
                missing.extend(estimates)
        return _Eval(result, _noted(trace, cond.note), _union([missing]))


def _snap(value: float, r_low: float, r_high: float) -> float:
    for bound in (r_low, r_high):
        if math.isfinite(bound) and math.isclose(value, bound, rel_tol=1e-9):
            return bound
    return value


def _noted(trace: dict[str, Any], note: str | None) -> dict[str, Any]:
    if note:
        trace["note"] = f"{trace['note']}; {note}" if "note" in trace else note
    return trace


def _union(groups: Iterable[Iterable[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return list(seen)


def _obligations(instrument: Instrument, provision: Provision) -> tuple[ObligationResult, ...]:
    out = []
    for ob in provision.data.obligations:
        src = instrument.sources.get(ob.source)
        out.append(
            ObligationResult(
                id=f"{provision.id}.{ob.id}",
                summary=ob.summary.en,
                summary_zh=ob.summary.zh,
                deadline=ob.deadline.date.isoformat() if ob.deadline.date else ob.deadline.text,
                deadline_date=ob.deadline.date,
                evidence=tuple(ob.evidence),
                source={
                    "source": ob.source,
                    "url": src.url if src else None,
                    "section": ob.section,
                    "verified": ob.verified,
                },
            )
        )
    return tuple(out)


def _provision_result(
    ev: _Eval, instrument: Instrument, provision: Provision, starts: dt.date | None
) -> ProvisionResult:
    return ProvisionResult(
        id=provision.id,
        title=provision.data.title.en,
        title_zh=provision.data.title.zh,
        addressee=provision.data.addressee,
        applies=ev.result,
        missing_facts=tuple(ev.missing) if ev.result == "unknown" else (),
        trace=(ev.trace,),
        obligations=_obligations(instrument, provision),
        starts=starts,
    )


def _selected(jurisdiction: str, wanted: Sequence[str] | None) -> bool:
    if not wanted:
        return True
    return any(jurisdiction == w or jurisdiction.startswith(f"{w}-") for w in wanted)


def assess(
    dossier: Dossier,
    kb: KnowledgeBase,
    as_of: dt.date,
    *,
    jurisdictions: Sequence[str] | None = None,
    include_international: bool = False,
    facts: FactResolver | None = None,
) -> Assessment:
    """Assess a dossier against every instrument of the knowledge base on a date.

    Args:
        dossier: The model's dossier.
        kb: The knowledge base.
        as_of: The date of the assessment.
        jurisdictions: Keep only these jurisdictions (``US`` keeps ``US-CA`` too).
        include_international: Also list non-binding international instruments.
        facts: Where to read facts; the dossier's declared facts by default.

    Returns:
        The assessment, one result per instrument.

    Raises:
        UsageError: When a jurisdiction is not in the knowledge base.
    """
    if jurisdictions:
        known = {i.data.jurisdiction for i in kb.instruments.values()}
        for wanted in jurisdictions:
            if not any(k == wanted or k.startswith(f"{wanted}-") for k in known):
                raise UsageError(
                    f"no instrument in jurisdiction {wanted!r}; known: {', '.join(sorted(known))}"
                )
    resolver = facts or DeclaredFacts(dossier)
    now = _Evaluator(kb, resolver, as_of)
    results = []
    for instrument in sorted(kb.instruments.values(), key=lambda i: (i.data.jurisdiction, i.id)):
        if not _selected(instrument.data.jurisdiction, jurisdictions):
            continue
        if instrument.data.jurisdiction == "INT" and not include_international:
            continue
        status, since = instrument_status(instrument, as_of)
        provisions = []
        upcoming = []
        life = instrument.data.lifecycle
        for provision in instrument.provisions:
            ev = now.provision(provision)
            start_dates = [
                d
                for d in (
                    life.effective.date if life.effective else None,
                    provision.data.effective.date if provision.data.effective else None,
                )
                if d is not None
            ]
            starts = max(start_dates) if start_dates else None
            provisions.append(_provision_result(ev, instrument, provision, starts))
            if (
                starts is not None
                and starts > as_of
                and status in ("in_force", "not_yet_in_force", "proposed")
            ):
                later = _Evaluator(kb, resolver, starts).provision(provision)
                upcoming.append(_provision_result(later, instrument, provision, starts))
        if status == "in_force":
            applies = kleene_or(p.applies for p in provisions)
        else:
            applies = "no"
        missing = (
            _union(p.missing_facts for p in provisions if p.applies == "unknown")
            if applies == "unknown"
            else []
        )
        data = instrument.data
        results.append(
            InstrumentResult(
                instrument=instrument.id,
                title=data.title.en,
                title_zh=data.title.zh,
                short=data.short,
                jurisdiction=data.jurisdiction,
                kind=data.kind,
                focus=tuple(data.focus),
                binding=data.binding,
                status=status,
                status_since=since,
                applies=applies,
                missing_facts=tuple(missing),
                provisions=tuple(provisions),
                upcoming=tuple(upcoming),
                sources=tuple({"id": s.id, "title": s.title, "url": s.url} for s in data.sources),
            )
        )
    return Assessment(as_of, dossier, kb.version, kb.edition, tuple(results))
