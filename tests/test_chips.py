"""The accelerator catalogue, the 3A090 classifier (every band's boundaries) and the chips CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.compute import (
    BIT_LENGTHS,
    CLASSIFICATIONS,
    catalogue,
    classify_chip,
    classify_figures,
    find_chip,
)
from govbridge.compute._chips import parse_catalogue
from govbridge.errors import KnowledgeBaseError, UsageError
from govbridge.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
AFTER_2023 = dt.date(2024, 6, 1)
BEFORE_2023 = dt.date(2023, 11, 16)

REQUIRED = [
    "H100-SXM",
    "H100-PCIe",
    "H200",
    "H800",
    "H20",
    "A100",
    "A800",
    "B200",
    "L40S",
    "TPU-v5p",
    "Ascend-910B",
    "MI300X",
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- the catalogue ---------------------------------------------------------------------------


def test_the_required_chips_are_catalogued() -> None:
    names = [c.name for c in catalogue().chips]
    for name in REQUIRED:
        assert name in names
    assert any(c.vendor == "AMD" for c in catalogue().chips)


def test_every_number_has_a_known_source_and_section() -> None:
    cat = catalogue()
    ids = {s.id for s in cat.sources}
    for chip in cat.chips:
        assert chip.vendor and chip.peak_flops
        for key, figure in chip.figures().items():
            assert figure.source in ids, (chip.name, key)
            assert figure.section.strip(), (chip.name, key)
            assert figure.verified or figure.note, (chip.name, key)
            assert figure.value > 0


def test_epoch_figures_match_the_facts_sheet() -> None:
    """Facts sheet §9.3 (Epoch AI's dense 16-bit and 8-bit peaks, die areas)."""
    expected = {
        ("H100-SXM", "bf16"): 9.894e14, ("H100-SXM", "int8"): 1.979e15,
        ("H200", "bf16"): 9.895e14, ("A100", "bf16"): 3.12e14, ("A100", "int8"): 6.24e14,
        ("B200", "bf16"): 2.25e15, ("B200", "fp8"): 4.5e15, ("H20", "bf16"): 1.48e14,
        ("H20", "int8"): 2.96e14, ("H800", "bf16"): 9.89e14, ("H800", "int8"): 1.979e15,
        ("TPU-v5p", "bf16"): 4.59e14, ("TPU-v5p", "int8"): 9.18e14,
        ("Ascend-910B", "fp16"): 3.76e14,
    }  # fmt: skip
    for (name, precision), value in expected.items():
        assert find_chip(name).peak(precision) == value, (name, precision)
    for name, area in {"H100-SXM": 814, "A100": 826, "H800": 814}.items():
        figure = find_chip(name).die_area_mm2
        assert figure is not None and figure.value == area


def test_secondary_numbers_are_unverified() -> None:
    h20 = find_chip("H20")
    assert "peak_flops.bf16" in h20.unverified() and "die_area_mm2" in h20.unverified()
    ascend = find_chip("Ascend-910B").peak_flops["fp16"]
    assert not ascend.verified and ascend.note and "unverified" in ascend.note
    assert find_chip("TPU-v5p").peak_flops["bf16"].verified  # Google's own documentation


def test_tf32_left_out_of_tpp_never_changes_a_band() -> None:
    """TF32 is left out of TPP (its bit length is not given). Counting it at 32 bits would raise
    the A800's TPP only through rounding in third-party data, and would change no band."""
    assert "tf32" not in BIT_LENGTHS
    for chip in catalogue().chips:
        tf32 = chip.peak("tf32")
        if tf32 is None or chip.die_area_mm2 is None:
            continue
        with_tf32 = max(chip.tpp()[0], tf32 / 1e12 * 32)
        assert with_tf32 <= chip.tpp()[0] * 1.001, chip.name
        as_is = classify_chip(chip, AFTER_2023).classification
        other = classify_figures(
            tpp=with_tf32, die_area_mm2=chip.die_area_mm2.value, as_of=AFTER_2023
        ).classification
        assert other == as_is, chip.name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("h100 sxm", "H100-SXM"),
        ("H100_SXM5", "H100-SXM"),
        ("tpu v5p", "TPU-v5p"),
        ("mi300x", "MI300X"),
    ],
)
def test_names_and_aliases(name: str, expected: str) -> None:
    assert find_chip(name).name == expected


def test_unknown_chip_suggests_the_nearest() -> None:
    with pytest.raises(UsageError, match=r"unknown chip 'H10-SXM'; did you mean H100-SXM"):
        find_chip("H10-SXM")
    with pytest.raises(UsageError, match=r"unknown chip 'Gaudi'.*chips list"):
        find_chip("Gaudi")


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda t: t.replace("value: 814\n", "value: -814\n", 1), "greater than 0"),
        (lambda t: t.replace("source: epoch_hw\n", "source: nowhere\n", 1), "unknown source id"),
        (
            lambda t: t.replace("        verified: true\n", "        verified: false\n", 1),
            "needs a note",
        ),
        (lambda t: t.replace("vendor: NVIDIA", "vendor: NVIDIA\n    vendr: x", 1), "vendr"),
        (lambda t: t.replace("aliases: [H200 SXM]", "aliases: [H100]", 1), "also a name of"),
    ],
)
def test_the_catalogue_loader_is_strict(edit: Any, problem: str) -> None:
    text = (ROOT / "src/govbridge/compute/chips.yaml").read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    with pytest.raises(KnowledgeBaseError, match=problem):
        parse_catalogue(changed)


# --- consistency: catalogue numbers and classifier agree -------------------------------------


def test_h100_sxm_is_3a090a() -> None:
    result = classify_chip("H100-SXM", AFTER_2023)
    assert result.tpp == pytest.approx(15832)  # 1979 dense TOPS x 8 (facts sheet §8.2)
    assert result.performance_density == pytest.approx(19.45, abs=0.01)
    assert result.classification.startswith("3A090.a")


def test_a100_is_3a090a_under_the_2023_rule() -> None:
    result = classify_chip("A100", AFTER_2023)
    assert result.tpp == pytest.approx(4992)  # 312 x 16 = 624 x 8 (facts sheet §8.2)
    assert result.classification.startswith("3A090.a")
    assert "October 2023" in result.rule and result.rule_version == dt.date(2023, 11, 17)


def test_h20_is_not_3a090a() -> None:
    result = classify_chip("H20", AFTER_2023)
    assert result.tpp == pytest.approx(2368)  # 148 x 16 (facts sheet §8.2)
    assert result.performance_density == pytest.approx(2.91, abs=0.01)
    assert not result.classification.startswith("3A090.a")
    assert result.classification == "not_3A090"


def test_every_catalogued_chip_gets_a_band_or_a_clear_error() -> None:
    for chip in catalogue().chips:
        try:
            result = classify_chip(chip, AFTER_2023)
        except UsageError as err:
            assert "no die area is published" in str(err)
            continue
        assert result.classification in CLASSIFICATIONS
        assert any(s["what"] == "a1_tpp" for s in result.sources)
        assert any(s["what"].startswith(chip.name) for s in result.sources)


# --- the rule version on the as-of date ------------------------------------------------------


def test_before_the_2023_rule_is_not_encoded() -> None:
    result = classify_chip("H100-SXM", BEFORE_2023)
    assert result.classification == "not_encoded"
    assert "NOT ENCODED" in result.rule and result.rule_version is None


def test_on_the_effective_date_the_2023_rule_applies() -> None:
    assert classify_chip("H100-SXM", dt.date(2023, 11, 17)).classification == "3A090.a.1"


def test_3a090c_and_later_rules_appear_with_their_dates() -> None:
    early = classify_chip("H200", dt.date(2024, 12, 1))
    late = classify_chip("H200", dt.date(2024, 12, 2))
    assert not any("3A090.c" in n for n in early.notes)
    assert any("3A090.c" in n for n in late.notes)
    assert late.rule_version == dt.date(2024, 12, 2) and "2024-12-02" in late.rule
    diffusion = classify_chip("H200", dt.date(2025, 2, 1))
    assert any("AI diffusion rule" in n and "stopped enforcing" not in n for n in diffusion.notes)
    rescinded = classify_chip("H200", dt.date(2025, 6, 1))
    assert any("stopped enforcing it on 2025-05-13" in n for n in rescinded.notes)
    assert not any("case-by-case" in n for n in classify_chip("H200", dt.date(2026, 1, 14)).notes)
    review = classify_chip("H200", dt.date(2026, 1, 15)).notes
    assert any("case-by-case licence review" in n for n in review)
    b200 = classify_chip("B200", dt.date(2026, 1, 15)).notes
    assert any("outside the case-by-case review band" in n for n in b200)


def test_thresholds_come_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    provision = kb.provision("us.bis.advanced_computing.eccn_3a090")
    assert set(provision.data.parameters) >= {"a1_tpp", "a2_tpp", "a2_density", "b1_tpp"}
    result = classify_figures(tpp=4800, as_of=AFTER_2023, kb=kb)
    cited = {s["what"]: s for s in result.sources}
    assert cited["a1_tpp"]["value"] == 4800 and cited["a1_tpp"]["url"].startswith("https://")


# --- every band's boundaries: at, just below and just above --------------------------------

# Die areas are chosen so that TPP / area is exactly the threshold in floating point.
EPS = 1e-6


def band(tpp: float, area: float | None = None, *, datacenter: bool = True) -> str:
    return classify_figures(
        tpp=tpp, die_area_mm2=area, datacenter=datacenter, as_of=AFTER_2023
    ).classification


@pytest.mark.parametrize(
    ("tpp", "area", "expected"),
    [
        # 3A090.a.1: TPP >= 4800 (density irrelevant: a huge die gives density < 1.6)
        (4800, 1e6, "3A090.a.1"),
        (4800 - EPS, 1e6, "not_3A090"),
        (4800 + EPS, 1e6, "3A090.a.1"),
        # 3A090.a.2: TPP >= 1600 and density >= 5.92 (2960 / 500 = 5.92)
        (2960, 500, "3A090.a.2"),
        (2960, 500 + EPS, "3A090.b.1"),  # density just below 5.92: the b bands take it
        (2960, 500 - EPS, "3A090.a.2"),
        (1600, 1600 / 6, "3A090.a.2"),  # TPP at 1600 with a high density
        (1600 - EPS, 1600 / 6, "not_3A090"),  # just below 1600: nothing
        (1600 + EPS, 1600 / 6, "3A090.a.2"),
        # 3A090.b.1: 2400 <= TPP < 4800 and 1.6 <= density < 5.92 (2400 / 1500 = 1.6)
        (2400, 1500, "3A090.b.1"),
        (2400 - EPS, 1500, "not_3A090"),
        (2400 + EPS, 1500, "3A090.b.1"),
        (2400, 1500 + EPS, "not_3A090"),  # density just below 1.6
        (2400, 1500 - EPS, "3A090.b.1"),
        (4800 - EPS, 1000, "3A090.b.1"),  # top of the TPP band (density 4.8)
        # 3A090.b.2: TPP >= 1600 and 3.2 <= density < 5.92 (1600 / 500 = 3.2)
        (1600, 500, "3A090.b.2"),
        (1600 - EPS, 500, "not_3A090"),
        (1600 + EPS, 500, "3A090.b.2"),
        (1600, 500 + EPS, "not_3A090"),  # density just below 3.2
        (1600, 500 - EPS, "3A090.b.2"),
        # below every band
        (1000, 10, "not_3A090"),
    ],
)
def test_band_boundaries(tpp: float, area: float, expected: str) -> None:
    assert band(tpp, area) == expected


def test_b_bands_cover_only_datacenter_chips() -> None:
    assert band(2400, 1500, datacenter=False) == "not_3A090"
    note = classify_figures(tpp=2400, die_area_mm2=1500, datacenter=False, as_of=AFTER_2023).notes
    assert any("3A090.b.1, which covers only chips designed or marketed" in n for n in note)
    assert band(1600, 500, datacenter=False) == "not_3A090"
    non_dc = classify_figures(tpp=4800, die_area_mm2=1e6, datacenter=False, as_of=AFTER_2023)
    assert non_dc.classification == "3A090.a.1"
    assert "License Exception NAC" in non_dc.licensing


def test_overlapping_b_bands_are_both_named() -> None:
    result = classify_figures(tpp=3000, die_area_mm2=750, as_of=AFTER_2023)  # density 4
    assert result.classification == "3A090.b.1"
    assert any("3A090.b.2" in n for n in result.notes)


def test_density_is_needed_between_1600_and_4800() -> None:
    with pytest.raises(
        UsageError, match=r"--die-area is needed: TPP 2368 .*for example --die-area"
    ):
        classify_figures(tpp=2368, as_of=AFTER_2023)
    assert band(4800) == "3A090.a.1" and band(1599) == "not_3A090"


@pytest.mark.parametrize(("tpp", "area"), [(0, None), (-5, None), (4800, 0), (4800, -1)])
def test_bad_figures(tpp: float, area: float | None) -> None:
    with pytest.raises(UsageError, match="must be greater than zero, for example"):
        classify_figures(tpp=tpp, die_area_mm2=area, as_of=AFTER_2023)


# --- the chips CLI ----------------------------------------------------------------------------


def test_cli_list(runner: CliRunner) -> None:
    result = runner.invoke(app, ["chips", "list"])
    assert result.exit_code == 0, result.output
    for name in REQUIRED:
        assert name in result.output
    assert result.output.count("Accelerator catalogue") == 1
    doc = json.loads(runner.invoke(app, ["chips", "list", "-f", "json"]).output)
    h100 = next(c for c in doc if c["name"] == "H100-SXM")
    assert h100["tpp"] == pytest.approx(15832) and h100["peak_flops"]["bf16"]["url"].startswith(
        "https"
    )


def test_cli_show(runner: CliRunner) -> None:
    result = runner.invoke(app, ["chips", "show", "MI300X"])
    assert result.exit_code == 0, result.output
    assert "peak dense BF16: 1.3074e+15 op/s (amd_rocm_mi300" in result.output
    assert "die area: not published in the sources read" in result.output
    assert "https://rocm.docs.amd.com/" in result.output
    assert "[unverified:" in runner.invoke(app, ["chips", "show", "H20"]).output


def test_cli_classify_json(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["chips", "classify", "H100-SXM", "--as-of", "2024-06-01", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    for key in ("chip", "tpp", "performance_density", "classification", "rule", "sources"):
        assert key in doc
    assert doc["classification"] == "3A090.a.1" and doc["chip"] == "H100-SXM"
    assert re.match(r"3A090\.(a|b)(\.\d)?$|not_3A090$", doc["classification"])


def test_cli_classify_figures(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["chips", "classify", "--tpp", "2368", "--die-area", "814", "--as-of", "2024-06-01"]
    )
    assert result.exit_code == 0, result.output
    assert "classification:  not_3A090" in result.output
    assert "assumed designed or marketed for datacenters" in result.output
    before = runner.invoke(
        app, ["chips", "classify", "A100", "--as-of", "2023-11-16", "-f", "json"]
    )
    assert json.loads(before.output)["classification"] == "not_encoded"


def test_cli_classify_not_datacenter_override(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["chips", "classify", "A100", "--not-datacenter", "--as-of", "2024-06-01", "-f", "json"],
    )
    doc = json.loads(result.output)
    assert doc["datacenter"] is False and "NAC" in doc["licensing"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chips", "show", "H1OO"], "unknown chip 'H1OO'; did you mean"),
        (["chips", "classify", "Blackwell-X"], "unknown chip 'Blackwell-X'"),
        (["chips", "classify"], "give a chip NAME or --tpp"),
        (["chips", "classify", "A100", "--tpp", "5000"], "not both"),
        (
            ["chips", "classify", "A100", "--die-area", "800"],
            "--die-area and --memory-bandwidth go with --tpp",
        ),
        (["chips", "classify", "--tpp", "-1"], "--tpp '-1': must be greater than zero"),
        (["chips", "classify", "--tpp", "4800 USD"], "--tpp '4800 USD': expected a plain count"),
        (["chips", "classify", "--tpp", "3000"], "--die-area is needed"),
        (
            ["chips", "classify", "--tpp", "3000", "--die-area", "0"],
            "--die-area '0': must be greater than zero",
        ),
        (["chips", "classify", "TPU-v4"], "no die area is published"),
        (["chips", "classify", "A100", "--as-of", "2024-02-30"], "--as-of '2024-02-30'"),
    ],
)
def test_cli_bad_input_is_one_clear_line(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]


# --- docs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "command"),
    [("compute.md", ["compute", "estimate"]), ("chips.md", ["chips", "classify"])],
)
def test_every_option_is_documented(doc: str, command: list[str]) -> None:
    from typer.main import get_command

    text = (DOCS / doc).read_text(encoding="utf-8")
    group: Any = get_command(app)
    for part in command:
        group = group.commands[part]
    for param in group.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in text, f"{opt} is not in docs/{doc}"


def test_chips_doc_lists_every_chip() -> None:
    text = (DOCS / "chips.md").read_text(encoding="utf-8")
    for chip in catalogue().chips:
        assert f"`{chip.name}`" in text, chip.name
