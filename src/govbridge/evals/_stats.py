"""Rates with Wilson score intervals.

>>> low, high = wilson_interval(19, 20)
>>> round(low, 4), round(high, 4)
(0.7639, 0.9911)
>>> wilson_interval(0, 0)
(0.0, 1.0)
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["Z95", "wilson_interval"]

#: The two-sided 95% normal quantile.
Z95 = NormalDist().inv_cdf(0.975)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion.

    Args:
        successes: The number of successes (``0 <= successes <= n``).
        n: The number of trials; with no trial the interval is ``(0, 1)``.
        confidence: The two-sided confidence level.

    Returns:
        ``(low, high)``, both within ``[0, 1]``; the interval contains ``successes / n``.

    Raises:
        ValueError: When the counts are impossible.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"impossible counts: {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    z = Z95 if confidence == 0.95 else NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == n else min(1.0, max(p, centre + half))
    return low, high
