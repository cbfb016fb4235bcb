"""Estimated facts for the rule engine: a training-compute range when none is declared.

>>> from govbridge.dossier import from_mapping
>>> d = from_mapping({"model": {"name": "M", "parameters": "405B", "training_tokens": 15.6e12}})
>>> q = estimated_facts(d).quantity("model.training_compute_flop")
>>> q.origin, f"{q.low:.3g}", f"{q.high:.3g}"
('estimate', '3.22e+25', '4.36e+25')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govbridge.compute._estimate import DEFAULT_TOLERANCE, architecture_estimate
from govbridge.dossier import Dossier
from govbridge.rules import DeclaredFacts, FactResolver, Quantity
from govbridge.units import format_quantity

__all__ = ["EstimatedFacts", "estimated_facts"]

TRAINING_COMPUTE = "model.training_compute_flop"


@dataclass(frozen=True)
class EstimatedFacts:
    """The dossier's declared facts, plus an architecture-method range for training compute.

    Declared values always win. Only ``model.training_compute_flop`` is ever estimated, and only
    as a quantity: a ``known:`` test still sees whether the dossier states it. The dossier has no
    hardware facts, so only the architecture method (6·N·D) is used here.

    Attributes:
        dossier: The dossier.
        tolerance: Half-width of the 6·N·D range as a share.
    """

    dossier: Dossier
    tolerance: float = DEFAULT_TOLERANCE

    def quantity(self, path: str) -> Quantity | None:
        """The declared quantity, or for training compute an estimated range."""
        declared = DeclaredFacts(self.dossier).quantity(path)
        if declared is not None or path != TRAINING_COMPUTE:
            return declared
        return self.training_compute()

    def value(self, path: str) -> Any:
        """Any fact's declared value (estimates never fill in ``value``)."""
        return DeclaredFacts(self.dossier).value(path)

    def training_compute(self) -> Quantity | None:
        """The architecture-method range for training compute, or ``None`` without inputs."""
        model = self.dossier.model
        tokens = model.training_tokens
        if tokens is None or tokens <= 0:
            return None
        if model.active_parameters is not None:
            est = architecture_estimate(
                parameters=None,
                tokens=tokens,
                active_parameters=model.active_parameters,
                tolerance=self.tolerance,
            )
            what = f"6 x {model.active_parameters:.4g} active parameters x {tokens:.4g} tokens"
            return Quantity(
                est.low_flop, est.high_flop, "estimate", self._detail(what, est.central_flop)
            )
        if model.parameters is None:
            return None
        if model.architecture == "moe":
            # Active parameters are at most the total: 6 x total x D bounds compute from above.
            high = 6.0 * model.parameters * tokens * (1 + self.tolerance)
            detail = (
                f"architecture method, upper bound only: mixture of experts without "
                f"active_parameters, so 6 x {model.parameters:.4g} total parameters x "
                f"{tokens:.4g} tokens (+{self.tolerance:.0%}) = {format_quantity(high, 'flop')}"
                " bounds it from above; the lower bound is unknown (0)"
            )
            return Quantity(0.0, high, "estimate", detail)
        est = architecture_estimate(
            parameters=model.parameters, tokens=tokens, tolerance=self.tolerance
        )
        what = f"6 x {model.parameters:.4g} parameters x {tokens:.4g} tokens"
        if model.architecture is None:
            what += " (architecture not stated: taken as dense)"
        return Quantity(
            est.low_flop, est.high_flop, "estimate", self._detail(what, est.central_flop)
        )

    def _detail(self, what: str, central: float) -> str:
        return (
            f"architecture method: {what} = {format_quantity(central, 'flop')}, range "
            f"+/-{self.tolerance:.0%} (govbridge default tolerance); no training_compute_flop "
            "declared"
        )


def estimated_facts(dossier: Dossier, *, tolerance: float = DEFAULT_TOLERANCE) -> FactResolver:
    """A fact resolver for :func:`govbridge.rules.assess` that estimates training compute.

    When the dossier declares ``model.training_compute_flop``, that value is used (and the
    trace says ``value_used: declared``). Otherwise, with ``model.parameters`` (or
    ``model.active_parameters`` for a mixture of experts) and ``model.training_tokens``, the
    engine gets the range of 6·N·D; a threshold inside the range makes the test ``unknown``
    and the trace says "estimate range straddles threshold".

    Args:
        dossier: The dossier.
        tolerance: Half-width of the range as a share of 6·N·D.

    Returns:
        The resolver.
    """
    return EstimatedFacts(dossier, tolerance)
