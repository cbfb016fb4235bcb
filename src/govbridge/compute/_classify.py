"""Export-control classification of a chip under ECCN 3A090, as of a date.

The thresholds are dated parameters of the knowledge-base instrument
``us.bis.advanced_computing`` (provision ``eccn_3a090``), so the classifier applies the rule
version in force on the date and cites its sources. Before 2023-11-17 the result is
``not_encoded``: the October 2022 parameters were not sourced.

>>> import datetime as dt
>>> classify_figures(tpp=15832, die_area_mm2=814, as_of=dt.date(2024, 1, 1)).classification
'3A090.a.1'
>>> classify_figures(tpp=2368, die_area_mm2=814, as_of=dt.date(2024, 1, 1)).classification
'not_3A090'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

from govbridge.compute._chips import BIT_LENGTHS, Chip, catalogue
from govbridge.errors import UsageError
from govbridge.kb import Instrument, KnowledgeBase, Provision, load_kb

__all__ = [
    "CLASSIFICATIONS",
    "INSTRUMENT",
    "Classification",
    "classify_chip",
    "classify_figures",
]

#: The knowledge-base instrument whose parameters the classifier reads.
INSTRUMENT: Final = "us.bis.advanced_computing"
_PROVISION: Final = f"{INSTRUMENT}.eccn_3a090"
_REVIEW: Final = f"{INSTRUMENT}.china_license_review"
_DIFFUSION: Final = "us.bis.ai_diffusion"

#: Every value ``classification`` can take.
CLASSIFICATIONS: Final = (
    "3A090.a.1",
    "3A090.a.2",
    "3A090.b.1",
    "3A090.b.2",
    "not_3A090",
    "not_encoded",
)

_LICENSING: Final = {
    "a": (
        "licence required for exports to Country Groups D:1, D:4 and D:5 and Macau, and to "
        "entities headquartered in D:5 or Macau wherever they are"
    ),
    "a_nondc": (
        "not designed or marketed for datacenters: eligible for License Exception NAC "
        "(notification) rather than a licence"
    ),
    "b": "License Exception NAC (notification; 25 days in advance for D:5 and Macau)",
    "none": "no 3A090 licence requirement",
}


@dataclass(frozen=True)
class Classification:
    """The 3A090 band of a chip on a date, with the figures and the rule applied.

    Attributes:
        chip: The chip's catalogue name, or ``None`` for figures given directly.
        as_of: The date.
        tpp: Total processing performance.
        tpp_basis: How the TPP was obtained.
        die_area_mm2: The applicable die area, if known.
        performance_density: TPP per mm², if the die area is known.
        datacenter: Whether the chip is designed or marketed for datacenters.
        classification: One of :data:`CLASSIFICATIONS`.
        band: The band in words.
        licensing: What the band means for exports under the rule.
        rule: The rule version applied, in words.
        rule_version: The date of that version (the latest lifecycle event on or before
            ``as_of``), or ``None`` when nothing is encoded.
        sources: The sources of the thresholds used (and of the chip's figures).
        notes: Everything else worth saying (later rules, unverified figures).
    """

    chip: str | None
    as_of: dt.date
    tpp: float
    tpp_basis: str
    die_area_mm2: float | None
    performance_density: float | None
    datacenter: bool
    classification: str
    band: str
    licensing: str
    rule: str
    rule_version: dt.date | None
    sources: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The classification as plain JSON-ready data."""
        return {
            "chip": self.chip,
            "as_of": self.as_of.isoformat(),
            "tpp": self.tpp,
            "tpp_basis": self.tpp_basis,
            "die_area_mm2": self.die_area_mm2,
            "performance_density": self.performance_density,
            "datacenter": self.datacenter,
            "classification": self.classification,
            "band": self.band,
            "licensing": self.licensing,
            "rule": self.rule,
            "rule_version": self.rule_version.isoformat() if self.rule_version else None,
            "sources": [dict(s) for s in self.sources],
            "notes": list(self.notes),
        }


def _cite(inst: Instrument, name: str, since: dt.date, value: Any) -> dict[str, Any]:
    src = inst.sources[value.source]
    return {
        "what": name,
        "value": value.value,
        "since": since.isoformat(),
        "source": src.id,
        "title": src.title,
        "url": src.url,
        "section": value.section,
        "verified": value.verified,
    }


def _params(
    provision: Provision, inst: Instrument, as_of: dt.date
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    values: dict[str, float] = {}
    cites: list[dict[str, Any]] = []
    for name, param in provision.data.parameters.items():
        found = param.at(as_of)
        if found is None or found[1].value is None:
            continue
        since, value = found
        values[name] = float(value.value)
        cites.append(_cite(inst, name, since, value))
    return values, cites


def _rule_text(inst: Instrument, as_of: dt.date) -> tuple[str, dt.date]:
    life = inst.data.lifecycle
    assert life.effective is not None
    text = f"ECCN 3A090 under the October 2023 AC/S rule, in force from {life.effective.date}"
    dates = [life.effective.date]
    for event in life.amended:
        if event.date <= as_of:
            text += f"; as amended {event.date} ({event.section})"
            dates.append(event.date)
    return text, max(dates)


def classify_figures(
    *,
    tpp: float,
    die_area_mm2: float | None = None,
    datacenter: bool = True,
    as_of: dt.date,
    chip: str | None = None,
    tpp_basis: str | None = None,
    memory_bandwidth_gb_s: float | None = None,
    kb: KnowledgeBase | None = None,
) -> Classification:
    """Classify figures (TPP, die area) under the 3A090 parameters in force on a date.

    Args:
        tpp: Total processing performance (2 x MacTOPS x bit length, the maximum).
        die_area_mm2: Applicable die area in mm²; needed when 1600 <= TPP < 4800.
        datacenter: Whether the chip is designed or marketed for datacenters (3A090.b covers
            only those; 3A090.a chips that are not are eligible for License Exception NAC).
        as_of: The date.
        chip: The chip's name, for the output.
        tpp_basis: How the TPP was obtained, for the output.
        memory_bandwidth_gb_s: Total DRAM bandwidth in GB/s, for the January 2026 China review
            band.
        kb: The knowledge base; the bundled one by default.

    Returns:
        The classification.

    Raises:
        UsageError: For a TPP or die area that is not a positive number, or a missing die area
            where the performance density decides the band.
    """
    if isinstance(tpp, bool) or not isinstance(tpp, int | float) or not tpp > 0:
        raise UsageError(f"--tpp {tpp!r}: must be greater than zero, for example 4800")
    if die_area_mm2 is not None and (
        isinstance(die_area_mm2, bool)
        or not isinstance(die_area_mm2, int | float)
        or not die_area_mm2 > 0
    ):
        raise UsageError(f"--die-area {die_area_mm2!r}: must be greater than zero, for example 814")
    kb = kb or load_kb()
    inst = kb.instrument(INSTRUMENT)
    provision = kb.provision(_PROVISION)
    basis = tpp_basis or "TPP as given"
    density = tpp / die_area_mm2 if die_area_mm2 else None
    effective = inst.data.lifecycle.effective
    assert effective is not None
    if as_of < effective.date:
        return Classification(
            chip=chip,
            as_of=as_of,
            tpp=tpp,
            tpp_basis=basis,
            die_area_mm2=die_area_mm2,
            performance_density=density,
            datacenter=datacenter,
            classification="not_encoded",
            band=(
                f"not encoded: the rule in force before {effective.date} (October 2022) is "
                "not encoded"
            ),
            licensing="unknown",
            rule=(
                "ECCN 3A090 as first issued in October 2022: NOT ENCODED (its TPP and "
                "interconnect-bandwidth thresholds were not read in any source)"
            ),
            rule_version=None,
            sources=(),
            notes=(f"govbridge encodes 3A090 from {effective.date} on",),
        )
    p, cites = _params(provision, inst, as_of)
    rule, version = _rule_text(inst, as_of)
    notes: list[str] = []
    a1, a2, a2_pd = p["a1_tpp"], p["a2_tpp"], p["a2_density"]
    b1, b1_pd, b2, b2_pd = p["b1_tpp"], p["b1_density"], p["b2_tpp"], p["b2_density"]
    needs_density = tpp < a1 and tpp >= min(a2, b2)
    if needs_density and density is None:
        raise UsageError(
            f"--die-area is needed: TPP {tpp:g} is between {min(a2, b2):g} and {a1:g}, where the "
            "performance density (TPP / die area) decides the band (for example --die-area 814)"
        )
    bands: list[str] = []
    if tpp >= a1:
        bands.append("3A090.a.1")
    if density is not None and tpp >= a2 and density >= a2_pd:
        bands.append("3A090.a.2")
    b_bands: list[str] = []
    if density is not None:
        if b1 <= tpp < a1 and b1_pd <= density < a2_pd:
            b_bands.append("3A090.b.1")
        if tpp >= b2 and b2_pd <= density < a2_pd and tpp < a1:
            b_bands.append("3A090.b.2")
    if datacenter:
        bands.extend(b_bands)
    elif b_bands:
        notes.append(
            f"the figures fall in {', '.join(b_bands)}, which covers only chips designed or "
            "marketed for datacenters"
        )
    code = bands[0] if bands else "not_3A090"
    if len(bands) > 1:
        notes.append(f"also meets {', '.join(bands[1:])}")
    pd_text = f", performance density {density:.4g}" if density is not None else ""
    if code == "3A090.a.1":
        band = f"3A090.a.1: TPP {tpp:g} >= {a1:g}"
    elif code == "3A090.a.2":
        band = (
            f"3A090.a.2: TPP {tpp:g} >= {a2:g} and performance density {density:.4g} >= {a2_pd:g}"
        )
    elif code == "3A090.b.1":
        band = (
            f"3A090.b.1: {b1:g} <= TPP {tpp:g} < {a1:g} and {b1_pd:g} <= performance density "
            f"{density:.4g} < {a2_pd:g} (datacenter chip)"
        )
    elif code == "3A090.b.2":
        band = (
            f"3A090.b.2: TPP {tpp:g} >= {b2:g} and {b2_pd:g} <= performance density "
            f"{density:.4g} < {a2_pd:g} (datacenter chip)"
        )
    else:
        band = f"not 3A090: TPP {tpp:g}{pd_text} is below every 3A090 band"
    if code.startswith("3A090.a"):
        licensing = _LICENSING["a"] if datacenter else _LICENSING["a_nondc"]
    elif code.startswith("3A090.b"):
        licensing = _LICENSING["b"]
    else:
        licensing = _LICENSING["none"]
    if "c_hbm_density" in p:
        notes.append(
            f"3A090.c (high-bandwidth memory above {p['c_hbm_density']:g} GB/s per mm² of stack "
            "area) is not assessed: the catalogue has no HBM stack areas"
        )
    notes.extend(_later_rules(kb, as_of, code, tpp, memory_bandwidth_gb_s))
    return Classification(
        chip=chip,
        as_of=as_of,
        tpp=tpp,
        tpp_basis=basis,
        die_area_mm2=die_area_mm2,
        performance_density=density,
        datacenter=datacenter,
        classification=code,
        band=band,
        licensing=licensing,
        rule=rule,
        rule_version=version,
        sources=tuple(cites),
        notes=tuple(notes),
    )


def _later_rules(
    kb: KnowledgeBase, as_of: dt.date, code: str, tpp: float, bandwidth: float | None
) -> list[str]:
    notes: list[str] = []
    diffusion = kb.instruments.get(_DIFFUSION)
    if code.startswith("3A090.a") and diffusion is not None:
        eff = diffusion.data.lifecycle.effective
        if eff is not None and eff.date <= as_of:
            text = (
                f"the AI diffusion rule ({_DIFFUSION}) added a worldwide licence requirement, "
                f"with country tiers, for 3A090.a from {eff.date}"
            )
            # The knowledge base marks values from the non-enforcement date on as unverified.
            unverified = [
                when
                for prov in diffusion.provisions
                for param in prov.data.parameters.values()
                for when, value in param.values.items()
                if not value.verified
            ]
            if unverified and min(unverified) <= as_of:
                text += (
                    f"; BIS announced its rescission and stopped enforcing it on "
                    f"{min(unverified)} (formal status contested)"
                )
            notes.append(f"{text}; see `govbridge kb show {_DIFFUSION}`")
    review = next((p for p in kb.instruments[INSTRUMENT].provisions if p.id == _REVIEW), None)
    if review is not None and code.startswith("3A090") and review.data.effective is not None:
        start = review.data.effective.date
        if start <= as_of:
            p = {n: v.at(as_of) for n, v in review.data.parameters.items()}
            max_tpp = p["max_tpp"][1].value if p["max_tpp"] else None
            max_bw = p["max_dram_bandwidth"][1].value if p["max_dram_bandwidth"] else None
            if max_tpp is not None and max_bw is not None:
                if tpp >= max_tpp:
                    notes.append(
                        f"China and Macau: outside the case-by-case review band from {start} "
                        f"(TPP {tpp:g} >= {max_tpp:g}): presumption of denial"
                    )
                elif bandwidth is None:
                    notes.append(
                        f"China and Macau: the case-by-case review band from {start} needs TPP < "
                        f"{max_tpp:g} and total DRAM bandwidth < {max_bw:g} GB/s; the bandwidth "
                        "is not known"
                    )
                elif bandwidth < max_bw:
                    notes.append(
                        f"China and Macau: case-by-case licence review from {start} for exports "
                        f"from the US (TPP < {max_tpp:g}, DRAM bandwidth {bandwidth:g} < "
                        f"{max_bw:g} GB/s); reexports and transfers stay presumption of denial"
                    )
                else:
                    notes.append(
                        f"China and Macau: outside the case-by-case review band from {start} "
                        f"(DRAM bandwidth {bandwidth:g} >= {max_bw:g} GB/s): presumption of denial"
                    )
    return notes


def classify_chip(
    chip: Chip | str,
    as_of: dt.date,
    *,
    kb: KnowledgeBase | None = None,
) -> Classification:
    """Classify a catalogue chip on a date: TPP from its peak figures, density from its die area.

    Args:
        chip: A catalogue chip or its name.
        as_of: The date.
        kb: The knowledge base; the bundled one by default.

    Returns:
        The classification, whose sources include the chip's figures that were used.

    Raises:
        UsageError: For an unknown chip, or one whose die area is needed but not published.
    """
    cat = catalogue()
    found = cat.find(chip) if isinstance(chip, str) else chip
    tpp, precision = found.tpp()
    figure = found.peak_flops[precision]  # type: ignore[index]
    basis = (
        f"{precision.upper()} dense peak {figure.value / 1e12:g} T(FL)OP/s x "
        f"{BIT_LENGTHS[precision]} bits"
    )
    area = found.die_area_mm2.value if found.die_area_mm2 else None
    bandwidth = found.memory_bandwidth_gb_s.value if found.memory_bandwidth_gb_s else None
    try:
        result = classify_figures(
            tpp=tpp,
            die_area_mm2=area,
            datacenter=found.datacenter,
            as_of=as_of,
            chip=found.name,
            tpp_basis=basis,
            memory_bandwidth_gb_s=bandwidth,
            kb=kb,
        )
    except UsageError as exc:
        if area is None and "--die-area" in str(exc):
            raise UsageError(
                f"chip {found.name}: TPP {tpp:g} needs a performance density, but no die area is "
                f"published in the catalogue; classify the figures instead: govbridge chips "
                f"classify --tpp {tpp:g} --die-area AREA"
            ) from None
        raise
    used: list[tuple[str, Any]] = [(f"peak_flops.{precision}", figure)]
    if found.die_area_mm2 is not None:
        used.append(("die_area_mm2", found.die_area_mm2))
    chip_sources = []
    notes = list(result.notes)
    for key, fig in used:
        src = cat.source(fig.source)
        chip_sources.append(
            {
                "what": f"{found.name} {key}",
                "value": fig.value,
                "source": src.id,
                "title": src.title,
                "url": src.url,
                "section": fig.section,
                "verified": fig.verified,
            }
        )
        if not fig.verified:
            notes.append(f"{key} is unverified: {fig.note}")
    notes.append("TPP and performance density are derived here, not BIS determinations")
    return Classification(
        **{
            **result.__dict__,
            "sources": (*result.sources, *chip_sources),
            "notes": tuple(notes),
        }
    )
