"""``govbridge compute``: estimate training compute from the architecture or the hardware."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from govbridge.cli._common import fail_cleanly

if TYPE_CHECKING:
    from govbridge.compute import Estimate
    from govbridge.units import Dimension

__all__ = ["OutputFormat", "app", "parse_option"]

app = typer.Typer(
    help="Estimate training compute (FLOP) from the architecture (6·N·D) or the hardware.",
    no_args_is_help=True,
)


class OutputFormat(StrEnum):
    """Output formats of the compute and chips commands."""

    table = "table"
    json = "json"


class Precision(StrEnum):
    """Training precisions of the hardware method."""

    fp32 = "fp32"
    tf32 = "tf32"
    bf16 = "bf16"
    fp16 = "fp16"
    fp8 = "fp8"
    int8 = "int8"


def parse_option(
    option: str, text: str | None, dimension: Dimension, example: str, *, zero_ok: bool = False
) -> float | None:
    """Read a command-line number with units; ``None`` stays ``None``.

    Raises:
        UsageError: Naming the option, the bad value and an example, when the text is not a
            quantity of the dimension, or is zero or negative.
    """
    if text is None:
        return None
    from govbridge.errors import UnitError, UsageError
    from govbridge.units import DIMENSIONS, parse_quantity

    try:
        value = parse_quantity(text, dimension)
    except UnitError:
        raise UsageError(
            f"{option} {text!r}: expected {DIMENSIONS[dimension][0]}, for example {example}"
        ) from None
    if value < 0 or (value == 0 and not zero_ok):
        need = "must not be negative" if zero_ok else "must be greater than zero"
        raise UsageError(f"{option} {text!r}: {need}, for example {example}")
    return value


@app.command("estimate")
def estimate(
    parameters: str | None = typer.Option(
        None, "--parameters", "-N", metavar="N", help="Total parameters, e.g. 405e9 or 405B."
    ),
    active_parameters: str | None = typer.Option(
        None,
        "--active-parameters",
        metavar="N",
        help="Active parameters per token of a mixture of experts (used as N), e.g. 37e9.",
    ),
    tokens: str | None = typer.Option(
        None, "--tokens", "-D", metavar="D", help="Training tokens, e.g. 15.6e12 or 15.6T."
    ),
    post_training: str | None = typer.Option(
        None,
        "--post-training-flop",
        metavar="FLOP",
        help="Post-training compute to add, e.g. 9.4e22.",
    ),
    base_model: str | None = typer.Option(
        None,
        "--base-model-flop",
        metavar="FLOP",
        help="The base model's compute to add, for a modification, e.g. 3.8e25.",
    ),
    tolerance: str | None = typer.Option(
        None,
        "--tolerance",
        metavar="SHARE",
        help="Half-width of the architecture range as a share of 6·N·D [default: 0.15].",
    ),
    chip: str | None = typer.Option(
        None,
        "--chip",
        metavar="NAME",
        help="A chip of the catalogue, e.g. H100-SXM (see chips list).",
    ),
    peak_flops: str | None = typer.Option(
        None,
        "--peak-flops",
        metavar="FLOP/S",
        help="Peak dense FLOP/s per chip, instead of --chip, e.g. 9.894e14.",
    ),
    precision: Precision = typer.Option(
        Precision.bf16, "--precision", help="Training precision whose peak is used."
    ),
    count: str | None = typer.Option(
        None, "--count", metavar="CHIPS", help="Number of chips, e.g. 16384."
    ),
    days: str | None = typer.Option(
        None, "--days", metavar="DAYS", help="Training time in days, e.g. 54."
    ),
    hours: str | None = typer.Option(
        None, "--hours", metavar="HOURS", help="Training time in hours."
    ),
    chip_hours: str | None = typer.Option(
        None,
        "--chip-hours",
        metavar="HOURS",
        help="Chips x hours in all, instead of --count with --days/--hours, e.g. 2.788e6.",
    ),
    utilization: str | None = typer.Option(
        None,
        "--utilization",
        metavar="SHARE",
        help=(
            "Model FLOP utilisation in (0, 1], e.g. 0.38 "
            "[default: Epoch AI's 0.30, range 0.19-0.43]."
        ),
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Estimate training compute: a central value and a low-high range in FLOP.

    Architecture method: --parameters (and --active-parameters for a mixture of experts) with
    --tokens. Hardware method: --chip (or --peak-flops) with --count and --days/--hours, or with
    --chip-hours. With inputs for both, both run and the output says whether they agree.
    """
    with fail_cleanly():
        from govbridge.compute import DEFAULT_TOLERANCE, architecture_estimate, combine
        from govbridge.errors import UsageError

        n = parse_option("--parameters", parameters, "count", "405e9")
        n_active = parse_option("--active-parameters", active_parameters, "count", "37e9")
        d = parse_option("--tokens", tokens, "count", "15.6e12")
        post = parse_option("--post-training-flop", post_training, "flop", "9.4e22", zero_ok=True)
        base = parse_option("--base-model-flop", base_model, "flop", "3.8e25", zero_ok=True)
        tol = parse_option("--tolerance", tolerance, "ratio", "0.15", zero_ok=True)
        if tol is not None and tol >= 1:
            raise UsageError(f"--tolerance {tolerance!r}: must be from 0 up to 1, for example 0.15")
        peak_given = parse_option("--peak-flops", peak_flops, "ops_per_second", "9.894e14")
        chips = parse_option("--count", count, "count", "16384")
        if chips is not None and chips != int(chips):
            raise UsageError(
                f"--count {count!r}: must be a whole number of chips, for example 16384"
            )
        n_days = parse_option("--days", days, "count", "54")
        n_hours = parse_option("--hours", hours, "count", "1296")
        n_chip_hours = parse_option("--chip-hours", chip_hours, "count", "2.788e6")
        util = parse_option("--utilization", utilization, "ratio", "0.38")
        if util is not None and not 0 < util <= 1:
            raise UsageError(f"--utilization {utilization!r}: must be in (0, 1], for example 0.38")

        want_arch = any(v is not None for v in (n, n_active, d))
        want_hw = any(
            v is not None for v in (chip, peak_given, chips, n_days, n_hours, n_chip_hours, util)
        )
        if not want_arch and not want_hw:
            raise UsageError(
                "give --parameters and --tokens (architecture method) or --chip, --count and "
                "--days (hardware method), for example --parameters 405e9 --tokens 15.6e12"
            )
        shared = {"post_training_flop": post, "base_model_flop": base}
        arch = None
        if want_arch:
            if d is None:
                raise UsageError(
                    "--tokens is required with --parameters, for example --tokens 15.6e12"
                )
            arch = architecture_estimate(
                parameters=n,
                tokens=d,
                active_parameters=n_active,
                tolerance=DEFAULT_TOLERANCE if tol is None else tol,
                **shared,
            )
        hw = None
        if want_hw:
            hw = _hardware(
                chip,
                peak_given,
                precision.value,
                chips,
                n_days,
                n_hours,
                n_chip_hours,
                util,
                shared,
            )
        if arch is not None and hw is not None:
            result = combine(arch, hw)
        else:
            found = arch or hw
            assert found is not None
            result = found
        typer.echo(_render(result, fmt))


def _hardware(
    chip: str | None,
    peak_given: float | None,
    precision: str,
    chips: float | None,
    n_days: float | None,
    n_hours: float | None,
    n_chip_hours: float | None,
    util: float | None,
    shared: dict[str, float | None],
) -> Estimate:
    from govbridge.compute import find_chip, hardware_estimate
    from govbridge.errors import UsageError

    if chip is not None and peak_given is not None:
        raise UsageError("give --chip or --peak-flops, not both (for example --chip H100-SXM)")
    if chip is None and peak_given is None:
        raise UsageError(
            "the hardware method needs --chip (or --peak-flops), for example --chip H100-SXM"
        )
    name = None
    if chip is not None:
        found = find_chip(chip)
        peak = found.peak(precision)
        if peak is None:
            have = ", ".join(found.peak_flops)
            raise UsageError(
                f"--precision {precision}: the catalogue has no {precision.upper()} peak for "
                f"{found.name} (it has {have}); for example --precision "
                f"{next(iter(found.peak_flops))}"
            )
        name = found.name
    else:
        assert peak_given is not None
        peak = peak_given
    times = [t for t in (n_days, n_hours) if t is not None]
    if len(times) > 1:
        raise UsageError("give --days or --hours, not both (for example --days 54)")
    if n_chip_hours is not None:
        if chips is not None or times:
            raise UsageError(
                "--chip-hours already counts chips x time: leave out --count, --days and --hours"
            )
        seconds = n_chip_hours * 3600
        time_text = f"{n_chip_hours:g} chip-hours as given"
    else:
        if chips is None or not times:
            raise UsageError(
                "the hardware method needs --count and --days (or --hours), or --chip-hours, "
                "for example --count 16384 --days 54"
            )
        hours_total = n_days * 24 if n_days is not None else times[0]
        seconds = chips * hours_total * 3600
        unit = f"{n_days:g} days" if n_days is not None else f"{times[0]:g} hours"
        time_text = f"{chips:g} chips x {unit}"
    return hardware_estimate(
        peak_flops=peak,
        chip_seconds=seconds,
        utilization=util,
        chip=name,
        precision=precision,
        time_text=time_text,
        **shared,
    )


def _render(result: Estimate, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.json:
        return json.dumps(result.to_dict(), indent=2)
    from govbridge.units import format_quantity

    lines = [
        f"method:  {result.method}",
        f"central: {format_quantity(result.central_flop, 'flop')}",
        f"range:   {format_quantity(result.low_flop, 'flop')} to "
        f"{format_quantity(result.high_flop, 'flop')}",
    ]
    if result.parts:
        lines.append("by method:")
        lines.extend(f"  {p.summary()}" for p in result.parts)
    if result.agreement is not None:
        lines.append(f"agreement: {result.agreement.note}")
    lines.append("assumptions:")
    lines.extend(f"  - {a}" for a in result.assumptions)
    return "\n".join(lines)
