"""The corpus rules of TC260-003 / GB/T 45654, read from the knowledge base as of a date."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from govbridge.errors import UsageError

__all__ = ["PROVISIONS", "CorpusRules", "load_rules", "wilson"]

PROVISIONS = ("cn.gbt_45654_2025.corpus", "cn.tc260_003.corpus")
"""The provisions that carry the corpus parameters, newest first."""

_NAMES = (
    "corpus_source_harmful_share_max",
    "corpus_manual_sample_min",
    "corpus_manual_pass_rate_min",
    "corpus_technical_sample_share_min",
    "corpus_technical_pass_rate_min",
)


@dataclass(frozen=True, slots=True)
class RuleValue:
    """One parameter in force, with its citation."""

    name: str
    value: float
    since: dt.date
    source: str
    url: str
    section: str
    verified: bool

    def cite(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "since": self.since.isoformat(),
            "source": self.source,
            "url": self.url,
            "section": self.section,
            "verified": self.verified,
        }


@dataclass(frozen=True, slots=True)
class CorpusRules:
    """The corpus thresholds in force on a date."""

    provision: str
    as_of: dt.date
    values: dict[str, RuleValue]

    @property
    def source_share_max(self) -> Fraction:
        """A source is excluded when its flagged share is greater than this."""
        return Fraction(str(self.values["corpus_source_harmful_share_max"].value))

    @property
    def manual_sample_min(self) -> int:
        return int(self.values["corpus_manual_sample_min"].value)

    @property
    def manual_pass_rate_min(self) -> Fraction:
        return Fraction(str(self.values["corpus_manual_pass_rate_min"].value))

    @property
    def technical_share_min(self) -> Fraction:
        return Fraction(str(self.values["corpus_technical_sample_share_min"].value))

    @property
    def technical_pass_rate_min(self) -> Fraction:
        return Fraction(str(self.values["corpus_technical_pass_rate_min"].value))

    def excluded(self, docs: int, flagged: int) -> bool:
        """The source rule: excluded when ``flagged / docs`` is strictly greater than the max.

        Exact rational arithmetic, so that exactly 5% stays.
        """
        return docs > 0 and flagged * self.source_share_max.denominator > (
            self.source_share_max.numerator * docs
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "as_of": self.as_of.isoformat(),
            "parameters": {name: value.cite() for name, value in self.values.items()},
        }


def load_rules(as_of: dt.date, provision: str | None = None) -> CorpusRules:
    """The corpus parameters in force on ``as_of``.

    Args:
        as_of: The date.
        provision: A provision id; by default the newest of :data:`PROVISIONS` in force.

    Raises:
        UsageError: When no corpus rule is in force on that date, or the id is unknown.
    """
    from govbridge.kb import load_kb

    kb = load_kb()
    candidates = (provision,) if provision else PROVISIONS
    for pid in candidates:
        prov = kb.provision(pid)
        sources = kb.instrument(prov.instrument).sources
        values: dict[str, RuleValue] = {}
        for name in _NAMES:
            param = prov.data.parameters.get(name)
            found = param.at(as_of) if param is not None else None
            if found is None or found[1].value is None:
                break
            since, item = found
            src = sources.get(item.source)
            values[name] = RuleValue(
                name=name,
                value=float(item.value),
                since=since,
                source=item.source,
                url=src.url if src is not None else "",
                section=item.section,
                verified=item.verified,
            )
        else:
            return CorpusRules(pid, as_of, values)
    raise UsageError(
        f"no corpus rule of {' or '.join(candidates)} is in force on {as_of}: "
        "use --as-of with a later date, such as 2025-11-01"
    )


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% by default); ``None`` when ``n == 0``."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
