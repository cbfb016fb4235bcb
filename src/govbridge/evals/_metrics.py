"""Metrics over 0/1 scores: the rate, its 95% Wilson interval, and the rate per TC260 risk.

Unscored samples (a ``NaN`` value, see :func:`govbridge.evals._scorers.unscored`) are left out
of every metric.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from inspect_ai.scorer import Metric, SampleScore, metric

from govbridge.evals._stats import wilson_interval

__all__ = ["counts", "per_risk", "rate", "scored", "wilson_high", "wilson_low"]


def _values(scores: Sequence[SampleScore]) -> list[float]:
    out: list[float] = []
    for s in scores:
        value = s.score.value
        if isinstance(value, bool):
            out.append(float(value))
        elif isinstance(value, int | float) and not math.isnan(float(value)):
            out.append(float(value))
    return out


def counts(scores: Sequence[SampleScore]) -> tuple[int, int]:
    """``(successes, n)`` over the scored samples."""
    values = _values(scores)
    return sum(1 for v in values if v >= 0.5), len(values)


@metric
def rate() -> Metric:
    """The share of scored samples with value 1 (refusals, or acceptable answers)."""

    def compute(scores: list[SampleScore]) -> float:
        k, n = counts(scores)
        return k / n if n else float("nan")

    return compute


@metric
def wilson_low() -> Metric:
    """The lower bound of the 95% Wilson interval of the rate."""

    def compute(scores: list[SampleScore]) -> float:
        return wilson_interval(*counts(scores))[0]

    return compute


@metric
def wilson_high() -> Metric:
    """The upper bound of the 95% Wilson interval of the rate."""

    def compute(scores: list[SampleScore]) -> float:
        return wilson_interval(*counts(scores))[1]

    return compute


@metric
def scored() -> Metric:
    """The number of scored samples (unscored ones are left out)."""

    def compute(scores: list[SampleScore]) -> float:
        return float(counts(scores)[1])

    return compute


@metric
def per_risk() -> Metric:
    """The rate per TC260 risk id, with its 95% Wilson interval (``<id>_wilson_low/high``).

    The risks come from each sample's ``risks`` metadata.
    """

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        groups: dict[str, list[SampleScore]] = defaultdict(list)
        for s in scores:
            for risk in (s.sample_metadata or {}).get("risks", []):
                groups[risk].append(s)
        out: dict[str, float] = {}
        for risk in sorted(groups):
            k, n = counts(groups[risk])
            if n:
                low, high = wilson_interval(k, n)
                out[risk] = k / n
                out[f"{risk}_wilson_low"] = low
                out[f"{risk}_wilson_high"] = high
        return out

    return compute
