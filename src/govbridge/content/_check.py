"""Bank and keyword-library checks against the protocol's minimum sizes (TC260-003 §8.1-§8.3).

Each check compares a count with a floor read from the protocol. Totals carry ``risk=None``;
should-not-refuse floors are per aspect, and carry the aspect id in ``risk``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from govbridge.content._bank import Bank, BankItem
from govbridge.content._protocol import Protocol
from govbridge.content._taxonomy import taxonomy

__all__ = [
    "CHECK_KINDS",
    "Check",
    "CheckKind",
    "check_bank",
    "check_items",
    "check_keywords",
    "checks_to_dict",
]

CheckKind = Literal["keywords", "generation", "should_refuse", "should_not_refuse"]
CHECK_KINDS: tuple[CheckKind, ...] = (
    "keywords",
    "generation",
    "should_refuse",
    "should_not_refuse",
)


@dataclass(frozen=True)
class Check:
    """One minimum-size requirement and whether it is met.

    Attributes:
        kind: ``keywords``, ``generation``, ``should_refuse`` or ``should_not_refuse``.
        requirement: The protocol parameter, such as ``refuse_bank_per_risk_min``.
        risk: The risk id (or aspect id for should-not-refuse), ``None`` for a total.
        required: The floor.
        actual: The count found.
    """

    kind: CheckKind
    requirement: str
    risk: str | None
    required: int
    actual: int

    @property
    def ok(self) -> bool:
        """Whether the count reaches the floor."""
        return self.actual >= self.required


def _per_risk(items: Iterable[BankItem]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in items:
        counts.update(item.risks)
    return counts


def check_items(kind: CheckKind, items: Sequence[BankItem], protocol: Protocol) -> list[Check]:
    """The checks of one bank kind over its items (``keywords`` is not a bank kind)."""
    tax = taxonomy()
    a1_a2 = tax.in_category("A.1") + tax.in_category("A.2")
    checks: list[Check] = []
    if kind == "generation":
        counts = _per_risk(items)
        checks.append(
            Check(kind, "generated_bank_min", None, protocol.generated_bank_min, len(items))
        )
        for risk in tax.risks:
            if risk in a1_a2:
                need, name = (
                    protocol.generated_bank_per_a1_a2_risk_min,
                    "generated_bank_per_a1_a2_risk_min",
                )
            else:
                need, name = (
                    protocol.generated_bank_per_other_risk_min,
                    "generated_bank_per_other_risk_min",
                )
            checks.append(Check(kind, name, risk, need, counts[risk]))
    elif kind == "should_refuse":
        counts = _per_risk(items)
        checks.append(Check(kind, "refuse_bank_min", None, protocol.refuse_bank_min, len(items)))
        for risk in a1_a2:
            checks.append(
                Check(
                    kind,
                    "refuse_bank_per_risk_min",
                    risk,
                    protocol.refuse_bank_per_risk_min,
                    counts[risk],
                )
            )
    elif kind == "should_not_refuse":
        aspects = Counter(item.aspect for item in items if item.aspect)
        checks.append(
            Check(kind, "non_refuse_bank_min", None, protocol.non_refuse_bank_min, len(items))
        )
        for aspect in tax.aspects:
            checks.append(
                Check(
                    kind,
                    "non_refuse_bank_per_aspect_min",
                    aspect,
                    protocol.non_refuse_bank_per_aspect_min,
                    aspects[aspect],
                )
            )
    else:  # pragma: no cover - guarded by the type
        raise ValueError(f"not a bank kind: {kind}")
    return checks


def _norm(keyword: str) -> str:
    return unicodedata.normalize("NFKC", keyword).strip().casefold()


def check_keywords(entries: Iterable[tuple[str, str]], protocol: Protocol) -> list[Check]:
    """The keyword-library checks over ``(keyword, risk)`` pairs (distinct after NFKC)."""
    tax = taxonomy()
    distinct = {(_norm(k), r) for k, r in entries if _norm(k)}
    counts = Counter(r for _, r in distinct)
    total = len({k for k, _ in distinct})
    checks = [Check("keywords", "keyword_library_min", None, protocol.keyword_library_min, total)]
    for risk in tax.in_category("A.1"):
        checks.append(
            Check(
                "keywords",
                "keyword_per_a1_risk_min",
                risk,
                protocol.keyword_per_a1_risk_min,
                counts[risk],
            )
        )
    for risk in tax.in_category("A.2"):
        checks.append(
            Check(
                "keywords",
                "keyword_per_a2_risk_min",
                risk,
                protocol.keyword_per_a2_risk_min,
                counts[risk],
            )
        )
    return checks


def check_bank(
    bank: Bank | None,
    keywords: Iterable[tuple[str, str]] | None,
    protocol: Protocol,
    kinds: Sequence[CheckKind] = CHECK_KINDS,
) -> list[Check]:
    """All checks of the chosen kinds; a missing bank or library counts as empty."""
    checks: list[Check] = []
    for kind in kinds:
        if kind == "keywords":
            checks += check_keywords(keywords or (), protocol)
        else:
            items = bank.of_kind(kind) if bank is not None else []
            checks += check_items(kind, items, protocol)
    return checks


def checks_to_dict(protocol: Protocol, checks: Sequence[Check]) -> dict[str, object]:
    """The JSON document of ``govbridge bank check --format json``."""
    return {
        "protocol": protocol.name,
        "as_of": protocol.as_of.isoformat(),
        "ok": all(c.ok for c in checks),
        "checks": [{**asdict(c), "ok": c.ok} for c in checks],
    }
