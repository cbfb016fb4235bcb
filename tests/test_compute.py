"""Training-compute estimation: both methods, the CLI, bad input, and the range logic in assess."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.compute import (
    DEFAULT_TOLERANCE,
    UTILISATION,
    architecture_estimate,
    combine,
    estimated_facts,
    find_chip,
    hardware_estimate,
)
from govbridge.dossier import from_mapping, load
from govbridge.errors import UsageError
from govbridge.kb import KnowledgeBase
from govbridge.rules import Quantity, assess

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["compute", "estimate", *args])


# --- the architecture method ---------------------------------------------------------------


def test_dense_is_six_n_d_with_the_default_range() -> None:
    e = architecture_estimate(parameters=405e9, tokens=15.6e12)
    assert e.method == "architecture"
    assert e.central_flop == pytest.approx(6 * 405e9 * 15.6e12)
    assert e.low_flop == pytest.approx(e.central_flop * (1 - DEFAULT_TOLERANCE))
    assert e.high_flop == pytest.approx(e.central_flop * (1 + DEFAULT_TOLERANCE))
    assert any("dense model" in a for a in e.assumptions)
    assert any("not a sourced figure" in a for a in e.assumptions)


def test_moe_uses_active_parameters() -> None:
    e = architecture_estimate(parameters=671e9, active_parameters=37e9, tokens=14.8e12)
    assert e.central_flop == pytest.approx(3.2856e24)
    assert any("mixture of experts" in a for a in e.assumptions)


def test_optional_terms_are_added_to_every_value() -> None:
    plain = architecture_estimate(parameters=8e9, tokens=1e12)
    more = architecture_estimate(
        parameters=8e9, tokens=1e12, post_training_flop=1e21, base_model_flop=3e22
    )
    for attr in ("low_flop", "central_flop", "high_flop"):
        assert getattr(more, attr) == pytest.approx(getattr(plain, attr) + 3.1e22)
    assert any("post-training" in a for a in more.assumptions)
    assert any("base model" in a for a in more.assumptions)


def test_zero_tolerance_gives_a_point() -> None:
    e = architecture_estimate(parameters=1e9, tokens=1e12, tolerance=0)
    assert e.low_flop == e.central_flop == e.high_flop == 6e21


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parameters": -1.0, "tokens": 1e12}, "--parameters -1.0: must be greater than zero"),
        ({"parameters": 0.0, "tokens": 1e12}, "--parameters 0.0: must be greater than zero"),
        ({"parameters": 1e9, "tokens": 0.0}, "--tokens 0.0: must be greater than zero"),
        ({"tokens": 1e12}, "--parameters is required"),
        (
            {"parameters": 1e9, "active_parameters": 2e9, "tokens": 1e12},
            "must not exceed --parameters",
        ),
        ({"parameters": 1e9, "tokens": 1e12, "tolerance": 1.0}, "--tolerance 1.0"),
        ({"parameters": 1e9, "tokens": 1e12, "post_training_flop": -5.0}, "must not be negative"),
    ],
)
def test_architecture_bad_input(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match="for example") as err:
        architecture_estimate(**kwargs)
    assert message in str(err.value)


# --- the hardware method -------------------------------------------------------------------


def test_hardware_with_a_given_utilisation_is_a_point() -> None:
    e = hardware_estimate(peak_flops=9.894e14, chip_seconds=16384 * 54 * 86400, utilization=0.38)
    assert e.method == "hardware"
    assert e.central_flop == pytest.approx(16384 * 54 * 86400 * 9.894e14 * 0.38)
    assert e.low_flop == e.central_flop == e.high_flop


def test_hardware_default_utilisation_is_epochs_range() -> None:
    e = hardware_estimate(peak_flops=1e15, chip_seconds=1e6)
    assert (e.low_flop, e.central_flop, e.high_flop) == pytest.approx(
        (1e21 * UTILISATION.low, 1e21 * UTILISATION.central, 1e21 * UTILISATION.high)
    )
    assert UTILISATION.central == 0.30
    assert any("Epoch AI's recommendation" in a for a in e.assumptions)


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.01, 5.0])
def test_utilisation_outside_zero_one(bad: float) -> None:
    with pytest.raises(UsageError, match=r"--utilization .*must be in \(0, 1\], for example 0.38"):
        hardware_estimate(peak_flops=1e15, chip_seconds=1e6, utilization=bad)


def test_utilisation_of_exactly_one_is_allowed() -> None:
    assert (
        hardware_estimate(peak_flops=1e15, chip_seconds=1.0, utilization=1.0).central_flop == 1e15
    )


# --- both methods ----------------------------------------------------------------------------


def test_both_methods_agree_for_deepseek_v3() -> None:
    """DeepSeek-V3: 6 x 37B x 14.8T against 2.788M H800 GPU-hours (the technical report)."""
    arch = architecture_estimate(parameters=671e9, active_parameters=37e9, tokens=14.8e12)
    h800 = find_chip("H800")
    peak = h800.peak("bf16")
    assert peak is not None
    hw = hardware_estimate(peak_flops=peak, chip_seconds=2.788e6 * 3600, chip="H800")
    both = combine(arch, hw)
    assert both.agreement is not None and both.agreement.agree
    assert both.method == "architecture"
    assert (both.low_flop, both.central_flop, both.high_flop) == (
        arch.low_flop,
        arch.central_flop,
        arch.high_flop,
    )
    assert len(both.parts) == 2


def test_methods_that_disagree_widen_the_range() -> None:
    arch = architecture_estimate(parameters=405e9, tokens=15.6e12)
    hw = hardware_estimate(peak_flops=9.894e14, chip_seconds=100 * 86400, utilization=0.4)
    both = combine(arch, hw)
    assert both.agreement is not None and not both.agreement.agree
    assert both.method == "architecture+hardware"
    assert both.low_flop == hw.low_flop and both.high_flop == arch.high_flop
    assert "DISAGREE" in both.agreement.note


# --- properties -------------------------------------------------------------------------------

positive = st.floats(min_value=1e3, max_value=1e15, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0.0, max_value=0.95)


@settings(max_examples=200, deadline=None)
@given(n=positive, d=positive, tol=share, factor=st.floats(min_value=1.001, max_value=100))
def test_architecture_range_is_ordered_and_monotonic(
    n: float, d: float, tol: float, factor: float
) -> None:
    e = architecture_estimate(parameters=n, tokens=d, tolerance=tol)
    assert e.low_flop <= e.central_flop <= e.high_flop
    assert architecture_estimate(parameters=n * factor, tokens=d, tolerance=tol).central_flop > (
        e.central_flop
    )
    assert architecture_estimate(parameters=n, tokens=d * factor, tolerance=tol).central_flop > (
        e.central_flop
    )
    wider = architecture_estimate(parameters=n, tokens=d, tolerance=min(0.99, tol + 0.01))
    assert wider.low_flop <= e.low_flop and wider.high_flop >= e.high_flop


@settings(max_examples=200, deadline=None)
@given(
    peak=positive,
    seconds=positive,
    util=st.one_of(st.none(), st.floats(min_value=1e-6, max_value=1.0)),
    factor=st.floats(min_value=1.001, max_value=100),
)
def test_hardware_range_is_ordered_and_monotonic(
    peak: float, seconds: float, util: float | None, factor: float
) -> None:
    e = hardware_estimate(peak_flops=peak, chip_seconds=seconds, utilization=util)
    assert e.low_flop <= e.central_flop <= e.high_flop
    more = hardware_estimate(peak_flops=peak, chip_seconds=seconds * factor, utilization=util)
    assert more.central_flop > e.central_flop
    faster = hardware_estimate(peak_flops=peak * factor, chip_seconds=seconds, utilization=util)
    assert faster.central_flop > e.central_flop


@settings(max_examples=100, deadline=None)
@given(n=positive, d=positive, peak=positive, seconds=positive)
def test_combined_range_holds_the_central_value(
    n: float, d: float, peak: float, seconds: float
) -> None:
    both = combine(
        architecture_estimate(parameters=n, tokens=d),
        hardware_estimate(peak_flops=peak, chip_seconds=seconds),
    )
    assert both.low_flop <= both.central_flop <= both.high_flop


# --- validation against Epoch AI's published figures (facts sheet §11, snapshot 2025-08-07) ---

#: Epoch AI's training compute for the five example models, and its hardware-method inputs
#: where the figure rests on them.
EPOCH = {
    "gpt-4.yaml": 2.1e25,
    "llama-3.1-405b.yaml": 3.8e25,
    "deepseek-v3.yaml": 3.4078e24,
    "grok-3.yaml": 4.64e26,
    "gemini-1.0-ultra.yaml": 5.0e25,
}


def _architecture_for(file: str) -> Any:
    model = load(str(EXAMPLES / file)).model
    if model.training_tokens is None or (
        model.parameters is None and model.active_parameters is None
    ):
        return None
    return architecture_estimate(
        parameters=model.parameters,
        active_parameters=model.active_parameters,
        tokens=model.training_tokens,
    )


@pytest.mark.parametrize("file", sorted(EPOCH))
def test_architecture_method_within_15_percent_where_n_and_d_are_public(file: str) -> None:
    estimate = _architecture_for(file)
    if file in ("gpt-4.yaml", "grok-3.yaml", "gemini-1.0-ultra.yaml"):
        # Parameters and tokens were never disclosed (examples/README.md): no 6ND is possible.
        assert estimate is None
        return
    assert estimate is not None
    error = estimate.central_flop / EPOCH[file] - 1
    assert abs(error) <= 0.15, f"{file}: {error:+.1%}"
    assert estimate.low_flop <= EPOCH[file] <= estimate.high_flop


def test_deepseek_v3_with_its_post_training_matches_epochs_total() -> None:
    model = load(str(EXAMPLES / "deepseek-v3.yaml")).model
    assert model.active_parameters and model.training_tokens and model.post_training_compute_flop
    e = architecture_estimate(
        parameters=model.parameters,
        active_parameters=model.active_parameters,
        tokens=model.training_tokens,
        post_training_flop=model.post_training_compute_flop,
    )
    assert e.central_flop == pytest.approx(3.4078e24, rel=1e-4)


@pytest.mark.parametrize(
    ("chip", "count", "hours", "utilization", "published", "max_error"),
    [
        # GPT-4: Epoch's own inputs, 25,000 A100 x 2,280 h x 0.34 (facts sheet §11).
        ("A100", 25_000, 2_280, 0.34, 2.1e25, 0.05),
        # Gemini 1.0 Ultra: Epoch's hardware guess, 57,000 TPU v4 x 2,400 h; utilisation unknown.
        ("TPU-v4", 57_000, 2_400, None, 5.0e25, 0.20),
        # Grok 3: 100,000 H100 x 2,400 h; Epoch also compares with Grok-2 and GPT-4.
        ("H100-SXM", 100_000, 2_400, None, 4.64e26, 0.50),
    ],
)
def test_hardware_method_against_epoch_where_n_and_d_are_not_public(
    chip: str,
    count: int,
    hours: int,
    utilization: float | None,
    published: float,
    max_error: float,
) -> None:
    """The hardware method from Epoch's own inputs; the errors are documented in docs/compute.md."""
    peak = find_chip(chip).peak("bf16")
    assert peak is not None
    e = hardware_estimate(
        peak_flops=peak, chip_seconds=count * hours * 3600, utilization=utilization
    )
    assert abs(e.central_flop / published - 1) <= max_error


def test_compute_doc_reports_each_example_model() -> None:
    text = (DOCS / "compute.md").read_text(encoding="utf-8")
    for name in ("GPT-4", "Llama 3.1 405B", "DeepSeek-V3", "Grok 3", "Gemini 1.0 Ultra"):
        assert name in text


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_dense_json(runner: CliRunner) -> None:
    result = invoke(runner, "--parameters", "405e9", "--tokens", "15.6e12", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    for key in ("central_flop", "low_flop", "high_flop", "method", "assumptions"):
        assert key in doc
    assert doc["method"] == "architecture"
    assert doc["central_flop"] == pytest.approx(3.7908e25)


def test_cli_moe_with_units(runner: CliRunner) -> None:
    result = invoke(
        runner,
        "--parameters",
        "671B",
        "--active-parameters",
        "37B",
        "--tokens",
        "14.8T",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["central_flop"] == pytest.approx(3.2856e24)


def test_cli_hardware_table(runner: CliRunner) -> None:
    result = invoke(
        runner, "--chip", "H100-SXM", "--count", "16384", "--days", "54", "--utilization", "0.38"
    )
    assert result.exit_code == 0, result.output
    assert "method:  hardware" in result.output
    assert "2.874e+25 FLOP" in result.output
    assert "utilisation as given, 0.38" in result.output


def test_cli_hardware_json_default_utilisation(runner: CliRunner) -> None:
    result = invoke(runner, "--chip", "h100 sxm", "--count", "16384", "--days", "54", "-f", "json")
    doc = json.loads(result.output)
    assert doc["method"] == "hardware"
    assert doc["low_flop"] < doc["central_flop"] < doc["high_flop"]
    assert any("30%" in a for a in doc["assumptions"])


def test_cli_chip_hours_and_both_methods(runner: CliRunner) -> None:
    result = invoke(
        runner,
        "--chip",
        "H800",
        "--chip-hours",
        "2.788M",
        "--parameters",
        "671e9",
        "--active-parameters",
        "37e9",
        "--tokens",
        "14.8e12",
        "-f",
        "json",
    )
    doc = json.loads(result.output)
    assert doc["agreement"]["agree"] is True
    assert [e["method"] for e in doc["estimates"]] == ["architecture", "hardware"]


def test_cli_peak_flops_and_precision(runner: CliRunner) -> None:
    result = invoke(runner, "--peak-flops", "1e15", "--count", "10", "--hours", "1", "-f", "json")
    assert json.loads(result.output)["central_flop"] == pytest.approx(1e15 * 36000 * 0.30)
    fp8 = invoke(runner, "--chip", "H100-SXM", "--precision", "fp8", "--count", "1", "--hours", "1")
    assert "dense FP8 throughput 1.979e+15" in fp8.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--parameters", "-405e9", "--tokens", "1e12"],
            "--parameters '-405e9': must be greater than zero",
        ),
        (["--parameters", "0", "--tokens", "1e12"], "--parameters '0': must be greater than zero"),
        (
            ["--parameters", "405e9", "--tokens", "5 USD"],
            "--tokens '5 USD': expected a plain count",
        ),
        (["--parameters", "405e9", "--tokens", "many"], "--tokens 'many': expected a plain count"),
        (["--parameters", "405e9"], "--tokens is required"),
        (
            ["--chip", "H100-SXM", "--count", "8", "--days", "1", "--utilization", "1.2"],
            "--utilization '1.2': must be in (0, 1]",
        ),
        (
            ["--chip", "H100-SXM", "--count", "8", "--days", "1", "--utilization", "0"],
            "--utilization '0': must be greater than zero",
        ),
        (
            ["--chip", "H100-SXM", "--count", "8", "--days", "-3"],
            "--days '-3': must be greater than zero",
        ),
        (
            ["--chip", "H100-SXM", "--count", "2.5", "--days", "3"],
            "--count '2.5': must be a whole number",
        ),
        (["--chip", "H100SXMM", "--count", "8", "--days", "1"], "did you mean H100-SXM?"),
        (
            ["--chip", "B300", "--count", "8", "--days", "1"],
            "unknown chip 'B300'; did you mean B200",
        ),
        (["--chip", "H100-SXM", "--count", "8"], "needs --count and --days"),
        (
            ["--chip", "H100-SXM", "--count", "8", "--days", "1", "--hours", "2"],
            "give --days or --hours",
        ),
        (
            ["--chip", "H100-SXM", "--chip-hours", "100", "--count", "8"],
            "--chip-hours already counts",
        ),
        (
            ["--chip", "H100-SXM", "--peak-flops", "1e15", "--chip-hours", "1"],
            "give --chip or --peak-flops",
        ),
        (["--count", "8", "--days", "1"], "needs --chip (or --peak-flops)"),
        (
            ["--chip", "A100", "--precision", "fp8", "--chip-hours", "1"],
            "--precision fp8: the catalogue has no FP8 peak for A100",
        ),
        (
            ["--peak-flops", "5 USD", "--chip-hours", "1"],
            "--peak-flops '5 USD': expected operations per second",
        ),
        (["--parameters", "1e9", "--tokens", "1e12", "--tolerance", "150%"], "--tolerance '150%'"),
        ([], "give --parameters and --tokens"),
    ],
)
def test_cli_bad_input_is_one_clear_line(runner: CliRunner, args: list[str], message: str) -> None:
    result = invoke(runner, *args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert message in lines[0]
    assert "example" in lines[0] or "did you mean" in lines[0] or "leave out" in lines[0]


# --- the range logic in assess ------------------------------------------------------------------

WHEN = dt.date(2025, 6, 1)
WEIGHTS = "us.bis.ai_diffusion.model_weights"


def _weights(kb: KnowledgeBase, model: dict[str, Any]) -> Any:
    dossier = from_mapping(
        {"model": {"name": "E", "open_weights": False, "post_training_compute_flop": 0, **model}}
    )
    result = assess(dossier, kb, WHEN, facts=estimated_facts(dossier))
    provision = result.provision(WEIGHTS)
    compare = provision.trace[0]["children"][0]["children"][0]
    return provision, compare


def test_estimate_wholly_below_threshold_is_no(kb: KnowledgeBase) -> None:
    provision, compare = _weights(kb, {"parameters": 405e9, "training_tokens": 15.6e12})
    assert provision.applies == "no"
    assert compare["value_used"] == "estimate"
    assert "6 x 4.05e+11 parameters" in compare["estimates"]["model.training_compute_flop"]


def test_estimate_wholly_above_threshold_is_yes(kb: KnowledgeBase) -> None:
    provision, compare = _weights(kb, {"parameters": 2e12, "training_tokens": 20e12})
    assert provision.applies == "yes"
    assert compare["value_used"] == "estimate"


def test_estimate_straddling_the_threshold_is_unknown(kb: KnowledgeBase) -> None:
    # 6 x 1.1e12 x 15e12 = 9.9e25, range 8.4e25 to 1.14e26 around 1e26.
    provision, compare = _weights(
        kb, {"parameters": 1.1e12, "training_tokens": 15e12, "architecture": "dense"}
    )
    assert provision.applies == "unknown"
    assert provision.missing_facts == ("model.training_compute_flop",)
    assert "estimate range straddles threshold" in compare["note"]
    assert "8.415e+25 FLOP to 1.138e+26 FLOP" in compare["note"]
    assert compare["values"]["model.training_compute_flop"] == pytest.approx([8.415e25, 1.1385e26])


def test_declared_value_wins_over_the_estimate(kb: KnowledgeBase) -> None:
    provision, compare = _weights(
        kb, {"parameters": 2e12, "training_tokens": 20e12, "training_compute_flop": 5e25}
    )
    assert provision.applies == "no"
    assert compare["value_used"] == "declared"
    assert "estimates" not in compare


def test_moe_estimate_uses_active_parameters(kb: KnowledgeBase) -> None:
    provision, compare = _weights(
        kb,
        {
            "parameters": 20e12,
            "active_parameters": 37e9,
            "training_tokens": 14.8e12,
            "architecture": "moe",
        },
    )
    assert provision.applies == "no"
    assert "active parameters" in compare["estimates"]["model.training_compute_flop"]


def test_moe_without_active_parameters_is_only_an_upper_bound(kb: KnowledgeBase) -> None:
    low, _ = _weights(kb, {"parameters": 671e9, "training_tokens": 14.8e12, "architecture": "moe"})
    assert low.applies == "no"  # even 6 x total parameters stays below 1e26
    high, compare = _weights(
        kb, {"parameters": 2e12, "training_tokens": 20e12, "architecture": "moe"}
    )
    assert high.applies == "unknown"
    assert "upper bound only" in compare["estimates"]["model.training_compute_flop"]


def test_no_inputs_means_no_estimate() -> None:
    facts = estimated_facts(from_mapping({"model": {"name": "M", "parameters": 1e9}}))
    assert facts.quantity("model.training_compute_flop") is None
    assert facts.value("model.training_compute_flop") is None
    declared = estimated_facts(
        from_mapping({"model": {"name": "M", "training_compute_flop": 1e24}})
    )
    assert declared.quantity("model.training_compute_flop") == Quantity(1e24, 1e24)


@settings(max_examples=100, deadline=None)
@given(n=positive, d=positive)
def test_estimated_fact_range_is_ordered(n: float, d: float) -> None:
    dossier = from_mapping({"model": {"name": "M", "parameters": n, "training_tokens": d}})
    q = estimated_facts(dossier).quantity("model.training_compute_flop")
    assert q is not None and q.origin == "estimate" and 0 < q.low <= q.high


def test_assess_cli_uses_the_estimate(runner: CliRunner, tmp_path: Path) -> None:
    dossier = tmp_path / "d.yaml"
    dossier.write_text(
        "model: {name: Est, parameters: 1.1e12, training_tokens: 15e12, open_weights: false,"
        " post_training_compute_flop: 0}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["assess", str(dossier), "--as-of", "2025-06-01", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "estimate range straddles threshold" in result.output
    doc = json.loads(result.output)
    weights = next(r for r in doc["results"] if r["instrument"] == "us.bis.ai_diffusion")
    assert weights["applies"] == "unknown"
