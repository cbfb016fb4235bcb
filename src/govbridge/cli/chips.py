"""``govbridge chips``: the accelerator catalogue and export-control classification."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

from govbridge.cli._common import fail_cleanly, parse_date
from govbridge.cli.compute import OutputFormat, parse_option

if TYPE_CHECKING:
    from govbridge.compute import Chip, Classification, Figure

__all__ = ["app"]

app = typer.Typer(
    help="The accelerator catalogue (sourced specs) and ECCN 3A090 classification.",
    no_args_is_help=True,
)

_PEAK_COLUMNS = ("fp32", "tf32", "bf16", "fp16", "fp8", "int8")


def _figure(figure: Figure | None, scale: float = 1.0) -> str:
    if figure is None:
        return "-"
    mark = "" if figure.verified else "*"
    return f"{figure.value / scale:g}{mark}"


def _chip_dict(chip: Chip) -> dict[str, Any]:
    from govbridge.compute import catalogue

    cat = catalogue()

    def fig(f: Figure | None) -> dict[str, Any] | None:
        if f is None:
            return None
        src = cat.source(f.source)
        return {
            "value": f.value,
            "source": src.id,
            "url": src.url,
            "section": f.section,
            "verified": f.verified,
            "note": f.note,
        }

    try:
        tpp, precision = chip.tpp()
    except Exception:  # noqa: BLE001 - a chip without peak figures has no TPP
        tpp, precision = None, None
    release = None
    if chip.release is not None:
        src = cat.source(chip.release.source)
        release = {
            "value": chip.release.value.isoformat(),
            "source": src.id,
            "url": src.url,
            "section": chip.release.section,
            "verified": chip.release.verified,
            "note": chip.release.note,
        }
    return {
        "name": chip.name,
        "title": chip.title,
        "aliases": list(chip.aliases),
        "vendor": chip.vendor,
        "datacenter": chip.datacenter,
        "release": release,
        "peak_flops": {p: fig(f) for p, f in chip.peak_flops.items()},
        "memory_gb": fig(chip.memory_gb),
        "memory_bandwidth_gb_s": fig(chip.memory_bandwidth_gb_s),
        "interconnect_gb_s": fig(chip.interconnect_gb_s),
        "die_area_mm2": fig(chip.die_area_mm2),
        "tpp": tpp,
        "tpp_precision": precision,
        "unverified": chip.unverified(),
    }


@app.command("list")
def list_chips(
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """List the catalogue: peak dense throughput (TFLOP/s), memory, die area and TPP.

    A star marks a number read only in a secondary source (verified: false); a dash, one that
    no source read gives.
    """
    with fail_cleanly():
        from rich.console import Console
        from rich.table import Table

        from govbridge.compute import catalogue

        chips = catalogue().chips
        if fmt is OutputFormat.json:
            typer.echo(json.dumps([_chip_dict(c) for c in chips], indent=2))
            return
        table = Table(
            title="Accelerator catalogue (dense peaks in TFLOP/s or TOP/s; * = unverified)",
            caption="Sources: govbridge chips show NAME; docs/chips.md",
        )
        for column in (
            "chip",
            "vendor",
            "released",
            *(c.upper() for c in _PEAK_COLUMNS),
            "mem GB",
            "mem GB/s",
            "link GB/s",
            "die mm²",
            "TPP",
        ):
            table.add_column(column)
        for chip in chips:
            try:
                tpp = f"{chip.tpp()[0]:.0f}"
            except Exception:  # noqa: BLE001
                tpp = "-"
            table.add_row(
                chip.name,
                chip.vendor,
                "-"
                if chip.release is None
                else f"{chip.release.value}" + ("" if chip.release.verified else "*"),
                *(_figure(chip.peak_flops.get(p), 1e12) for p in _PEAK_COLUMNS),  # type: ignore[call-overload]
                _figure(chip.memory_gb),
                _figure(chip.memory_bandwidth_gb_s),
                _figure(chip.interconnect_gb_s),
                _figure(chip.die_area_mm2),
                tpp,
            )
        import io

        console = Console(
            record=True, width=160, force_terminal=False, color_system=None, file=io.StringIO()
        )
        console.print(table)
        typer.echo(console.export_text().rstrip())


@app.command("show")
def show(name: str = typer.Argument(..., help="A chip name or alias, e.g. H100-SXM.")) -> None:
    """Show one chip: every number with its source, section and verification."""
    with fail_cleanly():
        from govbridge.compute import find_chip

        data = _chip_dict(find_chip(name))
        lines = [f"{data['name']}: {data['title']} ({data['vendor']})"]
        if data["aliases"]:
            lines.append(f"aliases: {', '.join(data['aliases'])}")
        lines.append(
            f"designed or marketed for datacenters: {'yes' if data['datacenter'] else 'no'}"
        )

        def line(label: str, item: dict[str, Any] | None, unit: str) -> None:
            if item is None:
                lines.append(f"  {label}: not published in the sources read")
                return
            flag = "" if item["verified"] else f" [unverified: {item['note']}]"
            value = item["value"]
            shown = f"{value:g}" if isinstance(value, float | int) else str(value)
            lines.append(f"  {label}: {shown}{unit} ({item['source']}, {item['section']}){flag}")

        line("release", data["release"], "")
        for precision in _PEAK_COLUMNS:
            line(f"peak dense {precision.upper()}", data["peak_flops"].get(precision), " op/s")
        line("memory", data["memory_gb"], " GB")
        line("memory bandwidth", data["memory_bandwidth_gb_s"], " GB/s")
        line("interconnect bandwidth", data["interconnect_gb_s"], " GB/s")
        line("die area", data["die_area_mm2"], " mm²")
        if data["tpp"] is not None:
            lines.append(
                f"TPP (derived): {data['tpp']:.0f}, set by {data['tpp_precision'].upper()}"
                " (see govbridge chips classify)"
            )
        from govbridge.compute import catalogue

        cat = catalogue()
        used = {
            item["source"]
            for item in [
                data["release"],
                data["memory_gb"],
                data["memory_bandwidth_gb_s"],
                data["interconnect_gb_s"],
                data["die_area_mm2"],
                *data["peak_flops"].values(),
            ]
            if item is not None
        }
        for source in cat.sources:
            if source.id in used:
                lines.append(f"source {source.id}: {source.title.strip()} <{source.url}>")
        typer.echo("\n".join(lines))


@app.command("classify")
def classify(
    name: str | None = typer.Argument(None, help="A chip of the catalogue (or give --tpp)."),
    tpp: str | None = typer.Option(
        None,
        "--tpp",
        metavar="TPP",
        help="Total processing performance, instead of a chip, e.g. 4800.",
    ),
    die_area: str | None = typer.Option(
        None, "--die-area", metavar="MM2", help="Applicable die area in mm², with --tpp, e.g. 814."
    ),
    datacenter: bool | None = typer.Option(
        None,
        "--datacenter/--not-datacenter",
        help="Whether the chip is designed or marketed for datacenters [default: the catalogue's "
        "value; with --tpp, assumed yes].",
    ),
    memory_bandwidth: str | None = typer.Option(
        None,
        "--memory-bandwidth",
        metavar="GB/S",
        help="Total DRAM bandwidth in GB/s, with --tpp (January 2026 China review band).",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="YYYY-MM-DD", help="The date of the rule version (default: today)."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Classify a chip under ECCN 3A090 as of a date: TPP, density, band, rule and sources.

    TPP = 2 x MacTOPS x bit length, the maximum over precisions (dense); performance density =
    TPP / die area. Dates before 2023-11-17 give "not_encoded" (the October 2022 rule).
    """
    with fail_cleanly():
        from govbridge.compute import classify_chip, classify_figures, find_chip
        from govbridge.errors import UsageError

        when = parse_date(as_of)
        if name is not None and tpp is not None:
            raise UsageError(
                "give a chip NAME or --tpp, not both (for example: chips classify H100-SXM)"
            )
        if name is not None:
            if die_area is not None or memory_bandwidth is not None:
                raise UsageError(
                    "--die-area and --memory-bandwidth go with --tpp; a catalogue chip uses its "
                    "own figures (for example: chips classify --tpp 2368 --die-area 814)"
                )
            chip = find_chip(name)
            if datacenter is not None and datacenter != chip.datacenter:
                chip = chip.model_copy(update={"datacenter": datacenter})
            result = classify_chip(chip, when)
        elif tpp is not None:
            value = parse_option("--tpp", tpp, "count", "4800")
            area = parse_option("--die-area", die_area, "count", "814")
            bandwidth = parse_option("--memory-bandwidth", memory_bandwidth, "count", "4800")
            assert value is not None
            result = classify_figures(
                tpp=value,
                die_area_mm2=area,
                as_of=when,
                datacenter=True if datacenter is None else datacenter,
                memory_bandwidth_gb_s=bandwidth,
            )
            if datacenter is None:
                result = _with_note(
                    result, "assumed designed or marketed for datacenters (pass --not-datacenter)"
                )
        else:
            raise UsageError("give a chip NAME or --tpp (for example: chips classify H100-SXM)")
        typer.echo(_render(result, fmt))


def _with_note(result: Classification, note: str) -> Classification:
    from dataclasses import replace

    return replace(result, notes=(*result.notes, note))


def _render(result: Classification, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.json:
        return json.dumps(result.to_dict(), indent=2)
    density = "-" if result.performance_density is None else f"{result.performance_density:.4g}"
    area = "-" if result.die_area_mm2 is None else f"{result.die_area_mm2:g} mm²"
    lines = [
        f"chip:            {result.chip or '(figures as given)'}",
        f"as of:           {result.as_of}",
        f"TPP:             {result.tpp:.6g} ({result.tpp_basis})",
        f"die area:        {area}",
        f"perf. density:   {density}",
        f"classification:  {result.classification}",
        f"band:            {result.band}",
        f"licensing:       {result.licensing}",
        f"rule:            {result.rule}",
    ]
    if result.notes:
        lines.append("notes:")
        lines.extend(f"  - {n}" for n in result.notes)
    if result.sources:
        lines.append("sources:")
        for s in result.sources:
            flag = "" if s["verified"] else " [unverified]"
            lines.append(
                f"  - {s['what']} = {s['value']:g}: {s['title'].strip()}, {s['section']} "
                f"<{s['url']}>{flag}"
            )
    return "\n".join(lines)
