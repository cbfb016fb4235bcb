"""Training-compute estimates: the architecture method (6·N·D) and the hardware method.

Both return an :class:`Estimate`: a central value and a low-high range in FLOP, the method, and
every assumption in words. Operations are counted as Epoch AI counts them: a multiply-add is two
operations, and operations at different precisions count alike (facts sheet section 9.1).

>>> e = architecture_estimate(parameters=405e9, tokens=15.6e12)
>>> f"{e.central_flop:.4g}", e.method
('3.791e+25', 'architecture')
>>> e.low_flop < e.central_flop < e.high_flop
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from govbridge.errors import UsageError
from govbridge.units import format_quantity

__all__ = [
    "DEFAULT_TOLERANCE",
    "UTILISATION",
    "Agreement",
    "Estimate",
    "architecture_estimate",
    "combine",
    "hardware_estimate",
]

Method = Literal["architecture", "hardware", "architecture+hardware"]

#: The half-width of the architecture method's range, as a share of 6·N·D. A govbridge default,
#: not a sourced figure: 6·N·D leaves out attention over the context and counts embedding
#: parameters as if they were multiplied, and it assumes a 2:1 backward:forward ratio.
DEFAULT_TOLERANCE: Final = 0.15


@dataclass(frozen=True)
class Utilisation:
    """A utilisation assumption: low, central and high, with where each comes from."""

    low: float
    central: float
    high: float
    text: str


#: Epoch AI's assumptions when the utilisation is not known (facts sheet section 9.2): 30 % for
#: large language models (Epoch, 2022); the range spans the model FLOP utilisation of the
#: examples in Epoch's dataset, from DeepSeek-V3 (0.1947) to the top of the 38-43 % that the
#: Llama 3 paper reports for Llama 3.1 405B.
UTILISATION: Final = Utilisation(
    low=0.1947,
    central=0.30,
    high=0.43,
    text=(
        "utilisation not given: 30% (Epoch AI's recommendation for large language models, "
        "2022), range 19.47% (DeepSeek-V3 in Epoch's dataset) to 43% (top of the 38-43% the "
        "Llama 3 paper reports for Llama 3.1 405B)"
    ),
)


@dataclass(frozen=True)
class Agreement:
    """Whether two methods' estimates agree: their ranges overlap.

    Attributes:
        agree: The two ranges overlap.
        ratio: The hardware central value over the architecture central value.
        note: The comparison in words.
    """

    agree: bool
    ratio: float
    note: str


@dataclass(frozen=True)
class Estimate:
    """A training-compute estimate in FLOP.

    Attributes:
        method: ``architecture``, ``hardware``, or ``architecture+hardware`` when the two
            methods disagree and the range spans both.
        central_flop: The central value.
        low_flop: The lower end of the range.
        high_flop: The upper end of the range.
        assumptions: Every assumption, in words.
        inputs: The inputs as given (numbers in base units, names as strings).
        parts: The per-method estimates when both methods ran.
        agreement: Whether the two methods agree, when both ran.
    """

    method: Method
    central_flop: float
    low_flop: float
    high_flop: float
    assumptions: tuple[str, ...]
    inputs: dict[str, Any] = field(default_factory=dict)
    parts: tuple[Estimate, ...] = ()
    agreement: Agreement | None = None

    def to_dict(self) -> dict[str, Any]:
        """The estimate as plain JSON-ready data."""
        out: dict[str, Any] = {
            "method": self.method,
            "central_flop": self.central_flop,
            "low_flop": self.low_flop,
            "high_flop": self.high_flop,
            "assumptions": list(self.assumptions),
            "inputs": dict(self.inputs),
        }
        if self.parts:
            out["estimates"] = [p.to_dict() for p in self.parts]
        if self.agreement is not None:
            out["agreement"] = {
                "agree": self.agreement.agree,
                "ratio_hardware_to_architecture": self.agreement.ratio,
                "note": self.agreement.note,
            }
        return out

    def summary(self) -> str:
        """One line: method, central value and range."""
        return (
            f"{self.method}: {_flop(self.central_flop)} "
            f"(range {_flop(self.low_flop)} to {_flop(self.high_flop)})"
        )


def _flop(value: float) -> str:
    return format_quantity(value, "flop")


def _positive(name: str, value: float, example: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"{name} {value!r}: expected a number, for example {example}")
    if value <= 0:
        raise UsageError(f"{name} {value!r}: must be greater than zero, for example {example}")
    return float(value)


def _non_negative(name: str, value: float, example: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"{name} {value!r}: expected a number, for example {example}")
    if value < 0:
        raise UsageError(f"{name} {value!r}: must not be negative, for example {example}")
    return float(value)


def _extras(
    post_training_flop: float | None, base_model_flop: float | None
) -> tuple[float, list[str], dict[str, Any]]:
    total = 0.0
    notes: list[str] = []
    inputs: dict[str, Any] = {}
    if post_training_flop is not None:
        value = _non_negative("--post-training-flop", post_training_flop, "9.4e22")
        total += value
        inputs["post_training_flop"] = value
        notes.append(f"post-training compute as given, {_flop(value)}, added to every value")
    if base_model_flop is not None:
        value = _non_negative("--base-model-flop", base_model_flop, "3.8e25")
        total += value
        inputs["base_model_flop"] = value
        notes.append(
            f"base model's compute as given, {_flop(value)}, added to every value (a "
            "modification counts the model it modifies)"
        )
    return total, notes, inputs


def architecture_estimate(
    *,
    parameters: float | None = None,
    tokens: float,
    active_parameters: float | None = None,
    post_training_flop: float | None = None,
    base_model_flop: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Estimate:
    """The architecture method: 6 x N x D, with N the active parameters for a mixture of experts.

    Args:
        parameters: Total parameters (for a dense model, N).
        tokens: Training tokens, D.
        active_parameters: Parameters active per token (mixture of experts); used as N.
        post_training_flop: Post-training compute to add, as given.
        base_model_flop: The base model's compute to add, for a modification.
        tolerance: Half-width of the range as a share of 6·N·D, from 0 up to (not including) 1.

    Returns:
        The estimate, method ``architecture``.

    Raises:
        UsageError: For a missing, zero, negative or inconsistent input.
    """
    d = _positive("--tokens", tokens, "15.6e12")
    if not 0 <= tolerance < 1:
        raise UsageError(f"--tolerance {tolerance!r}: must be from 0 up to 1, for example 0.15")
    if parameters is None and active_parameters is None:
        raise UsageError("--parameters is required for the architecture method, for example 405e9")
    assumptions = [
        "architecture method: compute = 6 x N x D (2 operations per parameter per token forward, "
        "backward pass twice the forward; Kaplan et al. 2020, Epoch AI 2022)",
    ]
    inputs: dict[str, Any] = {"tokens": d}
    if parameters is not None:
        inputs["parameters"] = _positive("--parameters", parameters, "405e9")
    if active_parameters is not None:
        n = _positive("--active-parameters", active_parameters, "37e9")
        inputs["active_parameters"] = n
        if parameters is not None and n > inputs["parameters"]:
            raise UsageError(
                f"--active-parameters {active_parameters:g}: must not exceed --parameters "
                f"{parameters:g} (for example --parameters 671e9 --active-parameters 37e9)"
            )
        assumptions.append(
            f"mixture of experts: N = active parameters per token, {n:.4g} (as Epoch AI counts)"
        )
    else:
        n = inputs["parameters"]
        assumptions.append(
            f"dense model: N = all {n:.4g} parameters (give --active-parameters for a mixture "
            "of experts; total parameters would overstate its compute)"
        )
    assumptions.append(f"D = {d:.4g} training tokens, each seen once as counted")
    core = 6.0 * n * d
    extra, notes, more = _extras(post_training_flop, base_model_flop)
    inputs.update(more)
    assumptions.append(
        f"range +/-{tolerance:.0%} around 6ND ({_flop(core)}): govbridge's default tolerance for "
        "the formula's approximations (attention over the context and embeddings), not a "
        "sourced figure"
    )
    assumptions.extend(notes)
    inputs["tolerance"] = tolerance
    return Estimate(
        method="architecture",
        central_flop=core + extra,
        low_flop=core * (1 - tolerance) + extra,
        high_flop=core * (1 + tolerance) + extra,
        assumptions=tuple(assumptions),
        inputs=inputs,
    )


def hardware_estimate(
    *,
    peak_flops: float,
    chip_seconds: float,
    utilization: float | None = None,
    chip: str | None = None,
    precision: str = "bf16",
    post_training_flop: float | None = None,
    base_model_flop: float | None = None,
    time_text: str | None = None,
) -> Estimate:
    """The hardware method: chips x peak dense FLOP/s x utilisation x time.

    Args:
        peak_flops: Peak dense operations per second of one chip at the training precision.
        chip_seconds: Chips x training time in seconds (chip-hours x 3600).
        utilization: Model FLOP utilisation in (0, 1]; Epoch AI's default range when ``None``.
        chip: The chip's name, for the assumptions.
        precision: The training precision the peak is for.
        post_training_flop: Post-training compute to add, as given.
        base_model_flop: The base model's compute to add, for a modification.
        time_text: How the time was given, for the assumptions.

    Returns:
        The estimate, method ``hardware``.

    Raises:
        UsageError: For a zero or negative input, or a utilisation outside (0, 1].
    """
    peak = _positive("--peak-flops", peak_flops, "9.894e14")
    seconds = _positive("chips x time", chip_seconds, "--count 16384 --days 54")
    who = f"{chip} " if chip else ""
    assumptions = [
        "hardware method: compute = chips x peak dense FLOP/s x utilisation x time",
        f"peak {who}dense {precision.upper()} throughput {peak:.4g} FLOP/s per chip (no sparsity)",
        f"chip-time {seconds / 3600:.4g} chip-hours" + (f" ({time_text})" if time_text else ""),
    ]
    inputs: dict[str, Any] = {
        "peak_flops": peak,
        "chip_hours": seconds / 3600,
        "precision": precision,
    }
    if chip:
        inputs["chip"] = chip
    if utilization is None:
        low_u, mid_u, high_u = UTILISATION.low, UTILISATION.central, UTILISATION.high
        assumptions.append(UTILISATION.text)
    else:
        if isinstance(utilization, bool) or not (
            isinstance(utilization, int | float) and 0 < utilization <= 1
        ):
            raise UsageError(
                f"--utilization {utilization!r}: must be in (0, 1], for example 0.38 (or 38%)"
            )
        low_u = mid_u = high_u = float(utilization)
        inputs["utilization"] = float(utilization)
        assumptions.append(f"utilisation as given, {utilization:.4g} (a point: no range)")
    extra, notes, more = _extras(post_training_flop, base_model_flop)
    inputs.update(more)
    assumptions.extend(notes)
    base = peak * seconds
    return Estimate(
        method="hardware",
        central_flop=base * mid_u + extra,
        low_flop=base * low_u + extra,
        high_flop=base * high_u + extra,
        assumptions=tuple(assumptions),
        inputs=inputs,
    )


def combine(architecture: Estimate, hardware: Estimate) -> Estimate:
    """Both methods: the architecture estimate, checked against the hardware one.

    Epoch AI prefers operation counting where it is possible, because the hardware method needs
    a utilisation assumption (facts sheet section 9.1). So the architecture method gives the
    central value. When the two ranges overlap they agree, and the range is the architecture
    range; when they do not, the range widens to span both and the method says so.

    Returns:
        The combined estimate, with both parts and the agreement.
    """
    agree = (
        architecture.low_flop <= hardware.high_flop and hardware.low_flop <= architecture.high_flop
    )
    ratio = hardware.central_flop / architecture.central_flop
    if agree:
        note = (
            f"the methods agree: the ranges overlap (hardware / architecture = {ratio:.2f}); "
            "the architecture method gives the result"
        )
        low, high = architecture.low_flop, architecture.high_flop
        method: Method = "architecture"
    else:
        note = (
            f"the methods DISAGREE: the ranges do not overlap (hardware / architecture = "
            f"{ratio:.2f}); the central value is the architecture method's, the range spans both"
        )
        low = min(architecture.low_flop, hardware.low_flop)
        high = max(architecture.high_flop, hardware.high_flop)
        method = "architecture+hardware"
    assumptions = (
        "both methods ran; Epoch AI prefers operation counting where possible (it needs no "
        "utilisation assumption)",
        note,
        *(f"[architecture] {a}" for a in architecture.assumptions),
        *(f"[hardware] {a}" for a in hardware.assumptions),
    )
    return Estimate(
        method=method,
        central_flop=architecture.central_flop,
        low_flop=low,
        high_flop=high,
        assumptions=assumptions,
        inputs={**hardware.inputs, **architecture.inputs},
        parts=(architecture, hardware),
        agreement=Agreement(agree, ratio, note),
    )
