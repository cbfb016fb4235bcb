"""Govbridge: AI governance across the US, Chinese, EU and international regimes.

For one AI model it answers, as of any date: which rules apply where, what they demand, and
whether the evidence meets them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
