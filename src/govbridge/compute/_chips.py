"""The accelerator catalogue: chips with sourced peak throughput, memory and die area.

The data is ``chips.yaml`` beside this module; every number carries a source id, a section and
whether it was verified in the vendor's own documentation.

>>> chip = find_chip("h100 sxm")
>>> chip.name, chip.peak("bf16")
('H100-SXM', 989400000000000.0)
>>> round(chip.tpp()[0])
15832
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from govbridge._yaml import DuplicateKeyError, YamlSyntaxError, read_yaml
from govbridge.errors import KnowledgeBaseError, UsageError

__all__ = [
    "BIT_LENGTHS",
    "PRECISIONS",
    "Catalogue",
    "Chip",
    "ChipSource",
    "Figure",
    "Precision",
    "catalogue",
    "find_chip",
]

Precision = Literal["fp32", "tf32", "bf16", "fp16", "fp8", "int8"]

#: The precisions of the catalogue, widest first.
PRECISIONS: Final[tuple[Precision, ...]] = ("fp32", "tf32", "bf16", "fp16", "fp8", "int8")

#: Bit length of each precision for the export-control TPP. TF32 is left out: its operands are
#: 19-bit values carried in 32-bit words, and the facts sheet does not say which length BIS uses.
#: Counted at 32 bits it would change no catalogued chip's band (see tests/test_chips.py).
BIT_LENGTHS: Final[dict[str, int]] = {"fp32": 32, "bf16": 16, "fp16": 16, "fp8": 8, "int8": 8}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ChipSource(_Strict):
    """A document the catalogue cites."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")


class Figure(_Strict):
    """One number with its source and section; ``verified: false`` needs a note."""

    value: float = Field(gt=0)
    source: str = Field(min_length=1)
    section: str = Field(min_length=1)
    verified: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _unverified_needs_note(self) -> Figure:
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note that says why")
        return self


class DateFigure(_Strict):
    """A date with its source and section."""

    value: dt.date
    source: str = Field(min_length=1)
    section: str = Field(min_length=1)
    verified: bool = True
    note: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _no_datetime(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("must be a date without a time, for example 2022-03-22")
        return value

    @model_validator(mode="after")
    def _unverified_needs_note(self) -> DateFigure:
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note that says why")
        return self


class Chip(_Strict):
    """One accelerator: peak dense throughput per precision, memory, interconnect, die area."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
    title: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    vendor: str = Field(min_length=1)
    datacenter: bool
    release: DateFigure | None = None
    peak_flops: dict[Precision, Figure] = Field(min_length=1)
    memory_gb: Figure | None = None
    memory_bandwidth_gb_s: Figure | None = None
    interconnect_gb_s: Figure | None = None
    die_area_mm2: Figure | None = None

    def peak(self, precision: str) -> float | None:
        """The peak dense throughput at a precision, in operations per second, if published."""
        figure = self.peak_flops.get(precision)  # type: ignore[call-overload]
        return None if figure is None else figure.value

    def figures(self) -> dict[str, Figure]:
        """Every number of the chip by a dotted key, such as ``peak_flops.bf16``."""
        out: dict[str, Figure] = {f"peak_flops.{p}": f for p, f in self.peak_flops.items()}
        for key in ("memory_gb", "memory_bandwidth_gb_s", "interconnect_gb_s", "die_area_mm2"):
            figure = getattr(self, key)
            if figure is not None:
                out[key] = figure
        return out

    def tpp(self) -> tuple[float, str]:
        """Total processing performance and the precision that sets it.

        TPP = 2 x MacTOPS x bit length, the maximum over precisions; a datasheet's dense TOPS or
        TFLOPS already counts a multiply-accumulate as two operations, so TPP = peak (in units of
        1e12 operations per second) x bit length.

        Raises:
            UsageError: When the chip has no peak figure at any precision with a bit length.
        """
        best: tuple[float, str] | None = None
        for precision, bits in BIT_LENGTHS.items():
            peak = self.peak(precision)
            if peak is not None and (best is None or peak / 1e12 * bits > best[0]):
                best = (peak / 1e12 * bits, precision)
        if best is None:
            raise UsageError(f"chip {self.name}: no peak figure from which to compute TPP")
        return best

    def unverified(self) -> list[str]:
        """The keys of the numbers that rest only on secondary sources."""
        keys = [k for k, f in self.figures().items() if not f.verified]
        if self.release is not None and not self.release.verified:
            keys.append("release")
        return keys


class Catalogue(_Strict):
    """The whole catalogue: its sources and its chips."""

    sources: list[ChipSource] = Field(min_length=1)
    chips: list[Chip] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Catalogue:
        ids = [s.id for s in self.sources]
        if len(ids) != len(set(ids)):
            raise ValueError("each source id once")
        keys: dict[str, str] = {}
        for chip in self.chips:
            for alias in [chip.name, *chip.aliases]:
                key = _key(alias)
                if keys.get(key, chip.name) != chip.name:
                    raise ValueError(f"name {alias!r} of {chip.name} is also a name of {keys[key]}")
                keys[key] = chip.name
            cites: list[Figure | DateFigure] = [*chip.figures().values()]
            if chip.release is not None:
                cites.append(chip.release)
            for figure in cites:
                if figure.source not in ids:
                    raise ValueError(f"{chip.name}: unknown source id {figure.source!r}")
        return self

    def source(self, source_id: str) -> ChipSource:
        """A source by id."""
        return next(s for s in self.sources if s.id == source_id)

    def find(self, name: str) -> Chip:
        """A chip by name or alias, ignoring case, spaces, hyphens and underscores.

        Raises:
            UsageError: For an unknown name, with the nearest names as suggestions.
        """
        wanted = _key(name)
        names: dict[str, Chip] = {}
        for chip in self.chips:
            for alias in [chip.name, *chip.aliases]:
                names[_key(alias)] = chip
        if wanted in names:
            return names[wanted]
        close = difflib.get_close_matches(wanted, list(names), n=2, cutoff=0.5)
        hints = list(dict.fromkeys(names[c].name for c in close))
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        raise UsageError(
            f"unknown chip {name!r}{hint} (see `govbridge chips list`; for example H100-SXM)"
        )


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


@cache
def catalogue() -> Catalogue:
    """The bundled catalogue (``govbridge/compute/chips.yaml``), checked on load.

    Raises:
        KnowledgeBaseError: When the file does not validate.
    """
    text = (resources.files("govbridge.compute") / "chips.yaml").read_text(encoding="utf-8")
    return parse_catalogue(text)


def parse_catalogue(text: str, file: str = "compute/chips.yaml") -> Catalogue:
    """Parse and check catalogue YAML.

    Raises:
        KnowledgeBaseError: Naming the file, the key and the problem.
    """
    try:
        raw: Any = read_yaml(text)
    except DuplicateKeyError as exc:
        raise KnowledgeBaseError(f"{file}: line {exc.line}: duplicate key {exc.key!r}") from None
    except YamlSyntaxError as exc:
        raise KnowledgeBaseError(f"{file}: not valid YAML ({exc.problem})") from None
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise KnowledgeBaseError(f"{file}: {where}: {err['msg']}") from None


def find_chip(name: str) -> Chip:
    """A chip of the bundled catalogue by name or alias.

    Raises:
        UsageError: For an unknown name, suggesting the nearest.
    """
    return catalogue().find(name)
