"""Re-expressing an evaluation summary's per-risk rates in another scheme.

The content evaluation reports, for each check, counts and rates per TC260 risk
(``govbridge/eval-summary/v1``). A target concept's rate pools the source risks that are the
same as it or a part of it: the sum of successes over the sum of items, with a 95% Wilson
interval. Source risks that only overlap the target concept, or that are broader than it, are
listed but not pooled, because most of their items may lie outside it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from govbridge.crosswalk._load import Concept, Crosswalk
from govbridge.crosswalk._schema import Relation
from govbridge.errors import InputError, UsageError

__all__ = [
    "POOLED",
    "SUMMARY_SCHEMA",
    "CheckResult",
    "CheckSummary",
    "Contribution",
    "PooledRate",
    "Reexpression",
    "RiskCount",
    "parse_summary",
    "read_summary",
    "reexpress",
    "wilson_interval",
]

SUMMARY_SCHEMA = "govbridge/eval-summary/v1"
POOLED: tuple[Relation, ...] = ("exactMatch", "closeMatch", "broadMatch")
"""The relations, read from the source risk to the target concept, whose items are pooled.

``broadMatch`` is the SKOS way to say that the target concept is broader than the source risk,
that is, the source risk is narrower: all of its items belong to the target concept.
"""
_Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = _Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a binomial proportion (95% by default).

    >>> low, high = wilson_interval(90, 100)
    >>> round(low, 4), round(high, 4)
    (0.8256, 0.9448)

    Returns:
        ``(low, high)``, or ``None`` when ``n`` is 0.

    Raises:
        ValueError: When the counts are negative or successes exceed n.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # Exact at the ends: floating-point error must not put the rate outside its interval.
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == n else min(1.0, max(p, centre + half))
    return low, high


@dataclass(frozen=True)
class RiskCount:
    """One source risk's items in one check: n, and successes recovered as round(rate × n)."""

    risk: str
    n: int
    successes: int


@dataclass(frozen=True)
class CheckSummary:
    """One check of an evaluation summary, with its per-risk counts."""

    check: str
    task: str | None
    judge: str | None
    operator: str | None
    threshold: float | None
    per_risk: tuple[RiskCount, ...]


@dataclass(frozen=True)
class Contribution:
    """A source risk that feeds a target concept.

    Attributes:
        risk: The source concept id.
        n: Its items.
        successes: Its successes.
        relation: The relation from the source risk to ``via``.
        via: The target concept the mapping names: this concept or a narrower one of it.
    """

    risk: str
    n: int
    successes: int
    relation: Relation
    via: str


@dataclass(frozen=True)
class PooledRate:
    """A target concept's pooled rate in one check.

    Attributes:
        concept: The target concept.
        n: Items pooled.
        successes: Successes pooled.
        rate: successes / n, or ``None`` when nothing is pooled.
        wilson_low: The lower end of the 95% Wilson interval.
        wilson_high: The upper end.
        sources: The source risks pooled.
        not_pooled: Source risks that map here only by relatedMatch or narrowMatch.
    """

    concept: Concept
    n: int
    successes: int
    rate: float | None
    wilson_low: float | None
    wilson_high: float | None
    sources: tuple[Contribution, ...]
    not_pooled: tuple[tuple[str, Relation], ...]


@dataclass(frozen=True)
class CheckResult:
    """One check re-expressed: a pooled rate per target concept, and the risks left out."""

    check: CheckSummary
    rates: tuple[PooledRate, ...]
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class Reexpression:
    """An evaluation summary re-expressed in another scheme."""

    source: str
    target: str
    checks: tuple[CheckResult, ...]
    crosswalk_version: str

    def to_dict(self) -> dict[str, Any]:
        """The re-expression as a JSON-ready dictionary (``govbridge/crosswalk-results/v1``)."""
        return {
            "schema": "govbridge/crosswalk-results/v1",
            "from": self.source,
            "to": self.target,
            "crosswalk_version": self.crosswalk_version,
            "pooled_relations": list(POOLED),
            "method": (
                "a target concept's rate is the sum of successes over the sum of n of the source "
                "risks that are the same as it or narrower (exactMatch, closeMatch, broadMatch "
                "read from the source risk), including those mapped to a narrower target "
                "concept; successes are round(rate * n); the interval is a 95% Wilson interval"
            ),
            "caveats": [
                "an item tagged with several source risks is counted once per risk",
                "no verdict is given: the source thresholds apply to the source check as a whole",
                "closeMatch pools near-equivalents: the pooled rate inherits their differences",
            ],
            "checks": [
                {
                    "check": c.check.check,
                    "task": c.check.task,
                    "judge": c.check.judge,
                    "operator": c.check.operator,
                    "threshold": c.check.threshold,
                    "concepts": [
                        {
                            "id": r.concept.id,
                            "en": r.concept.en,
                            "zh": r.concept.zh,
                            "n": r.n,
                            "successes": r.successes,
                            "rate": r.rate,
                            "wilson_low": r.wilson_low,
                            "wilson_high": r.wilson_high,
                            "sources": [
                                {
                                    "risk": s.risk,
                                    "n": s.n,
                                    "successes": s.successes,
                                    "relation": s.relation,
                                    "via": s.via,
                                }
                                for s in r.sources
                            ],
                            "not_pooled": [
                                {"risk": risk, "relation": rel} for risk, rel in r.not_pooled
                            ],
                        }
                        for r in c.rates
                    ],
                    "unmapped_risks": list(c.unmapped),
                }
                for c in self.checks
            ],
        }


def read_summary(path: str | Path) -> dict[str, Any]:
    """Read an evaluation-summary JSON file.

    Raises:
        InputError: When the file cannot be read or is not a JSON object.
    """
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"{where}: cannot read the summary ({reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object with schema {SUMMARY_SCHEMA!r}")
    return data


def _bad(file: str, key: str, value: object, expected: str) -> InputError:
    shown = "" if value is None else f" = {_short(value)}"
    return InputError(f"{file}: {key}{shown}: expected {expected}")


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_summary(
    data: MappingABC[str, Any],
    cw: Crosswalk,
    *,
    from_scheme: str = "tc260",
    file: str = "<summary>",
) -> tuple[CheckSummary, ...]:
    """Check an evaluation summary and read its per-risk counts.

    Risk ids may be written with or without the scheme (``A.4.e`` or ``tc260:A.4.e``).

    Raises:
        InputError: Naming the file, the key, the bad value and the expected form.
    """
    if data.get("schema") != SUMMARY_SCHEMA:
        raise _bad(file, "schema", data.get("schema"), repr(SUMMARY_SCHEMA))
    checks = data.get("checks")
    if not isinstance(checks, list):
        raise _bad(file, "checks", checks, "a list of checks")
    scheme = cw.scheme(from_scheme)
    out = []
    for i, check in enumerate(checks):
        key = f"checks[{i}]"
        if not isinstance(check, dict):
            raise _bad(file, key, check, "an object with check, n, rate and per_risk")
        name = check.get("check")
        if not isinstance(name, str) or not name:
            raise _bad(
                file, f"{key}.check", name, "the name of the check, such as generated_content"
            )
        per_risk = check.get("per_risk")
        if not isinstance(per_risk, dict):
            raise _bad(
                file,
                f"{key}.per_risk",
                per_risk,
                'an object such as {"A.4.e": {"n": 40, "rate": 0.95}}',
            )
        counts = []
        seen: set[str] = set()
        for risk_key, entry in per_risk.items():
            rkey = f"{key}.per_risk.{risk_key}"
            risk = _risk_id(str(risk_key), scheme.id, cw, file, rkey)
            if risk in seen:
                raise _bad(file, rkey, None, "each risk once per check")
            seen.add(risk)
            if not isinstance(entry, dict):
                raise _bad(file, rkey, entry, 'an object such as {"n": 40, "rate": 0.95}')
            n = entry.get("n")
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise _bad(file, f"{rkey}.n", n, "a whole number of items, 0 or more")
            rate = entry.get("rate")
            if n == 0 and rate is None:
                counts.append(RiskCount(risk, 0, 0))
                continue
            if not _number(rate) or not 0 <= rate <= 1:
                raise _bad(file, f"{rkey}.rate", rate, "a rate between 0 and 1")
            counts.append(RiskCount(risk, n, round(rate * n)))
        threshold = check.get("threshold")
        out.append(
            CheckSummary(
                check=name,
                task=_text(check.get("task")),
                judge=_text(check.get("judge")),
                operator=_text(check.get("operator")),
                threshold=float(threshold) if _number(threshold) else None,
                per_risk=tuple(counts),
            )
        )
    return tuple(out)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _risk_id(key: str, scheme: str, cw: Crosswalk, file: str, where: str) -> str:
    ref = key if ":" in key else f"{scheme}:{key}"
    try:
        found = cw.concept(ref)
    except UsageError as exc:
        raise InputError(f"{file}: {where}: {exc}") from None
    if found.scheme != scheme:
        raise _bad(file, where, key, f"a {scheme} risk id such as A.4.e")
    return found.id


def reexpress(
    summary: MappingABC[str, Any],
    to_scheme: str,
    cw: Crosswalk | None = None,
    *,
    from_scheme: str = "tc260",
    file: str = "<summary>",
) -> Reexpression:
    """Re-express an evaluation summary's per-risk rates in another scheme.

    Args:
        summary: A ``govbridge/eval-summary/v1`` document.
        to_scheme: The target scheme, such as ``eu-cop``.
        cw: The crosswalk; the bundled one by default.
        from_scheme: The scheme of the summary's risk ids.
        file: The summary's name, for error messages.

    Returns:
        A pooled rate per concept of the target scheme, per check.

    Raises:
        InputError: When the summary is malformed.
        UsageError: When a scheme does not exist, or the two are the same.
    """
    if cw is None:
        from govbridge.crosswalk._load import load_crosswalk

        cw = load_crosswalk()
    target = cw.scheme(to_scheme)
    source = cw.scheme(from_scheme)
    if target.id == source.id:
        raise UsageError(f"the summary is already in {source.id}: choose another --to scheme")
    checks = parse_summary(summary, cw, from_scheme=source.id, file=file)
    ancestors = {c.id: _ancestors(cw, c) for c in cw.concepts_of(target.id)}
    results = []
    for check in checks:
        pooled: dict[str, dict[str, Contribution]] = {c: {} for c in ancestors}
        loose: dict[str, list[tuple[str, Relation]]] = {c: [] for c in ancestors}
        fed: set[str] = set()
        for count in check.per_risk:
            for m in cw.map_concept(count.risk, target.id):
                if m.relation not in POOLED:
                    loose[m.object].append((count.risk, m.relation))
                    continue
                fed.add(count.risk)
                for target_id in (m.object, *ancestors[m.object]):
                    pooled[target_id].setdefault(
                        count.risk,
                        Contribution(count.risk, count.n, count.successes, m.relation, m.object),
                    )
        rates = []
        for concept in cw.concepts_of(target.id):
            sources = tuple(pooled[concept.id].values())
            n = sum(s.n for s in sources)
            k = sum(s.successes for s in sources)
            interval = wilson_interval(k, n)
            rates.append(
                PooledRate(
                    concept=concept,
                    n=n,
                    successes=k,
                    rate=k / n if n else None,
                    wilson_low=interval[0] if interval else None,
                    wilson_high=interval[1] if interval else None,
                    sources=sources,
                    not_pooled=tuple(
                        (r, rel) for r, rel in loose[concept.id] if r not in pooled[concept.id]
                    ),
                )
            )
        unmapped = tuple(c.risk for c in check.per_risk if c.risk not in fed)
        results.append(CheckResult(check, tuple(rates), unmapped))
    return Reexpression(source.id, target.id, tuple(results), cw.version)


def _ancestors(cw: Crosswalk, concept: Concept) -> tuple[str, ...]:
    out = []
    current = concept.broader
    while current is not None:
        out.append(current)
        current = cw.concepts[current].broader
    return tuple(out)
