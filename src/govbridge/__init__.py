"""govbridge: which AI rules apply to a model where, what they demand, and whether the evidence
meets them, under the US, Chinese, EU and international regimes, as of any date."""

__version__ = "0.1.0"

__all__ = ["__version__"]
