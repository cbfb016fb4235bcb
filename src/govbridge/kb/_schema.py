"""The pydantic schema of the knowledge-base YAML files."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from govbridge.errors import UnitError
from govbridge.units import DIMENSIONS, Dimension, parse_quantity

Kind = Literal[
    "statute",
    "executive_order",
    "regulation",
    "standard",
    "declaration",
    "resolution",
    "export_control",
    "guidance",
    "statement",
    "convention",
    "initiative",
    "code_of_conduct",
    "network",
    "dialogue",
    "report",
    "commitments",
    "action_plan",
]
Role = Literal[
    "signed",
    "not_signed",
    "attended_not_signed",
    "sponsored",
    "co_sponsored",
    "joined_consensus",
    "supported",
    "joined",
    "declined",
    "member",
    "not_member",
    "proposed",
    "hosted",
    "participated",
    "not_party",
]
Focus = Literal["model", "system", "content", "data", "hardware", "deployment"]
Addressee = Literal["developer", "provider", "deployer", "operator", "exporter"]


class _Strict(BaseModel):
    # defer_build: a knowledge base read back from the cache (see _load.py) needs no schema.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


def _no_datetime(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date without a time, for example 2026-01-01")
    return value


class Text(_Strict):
    """A bilingual text; Chinese is optional."""

    en: str = Field(min_length=1)
    zh: str | None = None


class Title(_Strict):
    """A bilingual title; both languages are required."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Source(_Strict):
    """A document the data cites."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    published: dt.date | None = None

    _dates = field_validator("published", mode="before")(_no_datetime)


class Cite(_Strict):
    """Where a fact is stated: a source id and a section, and whether it was verified."""

    source: str = Field(min_length=1)
    section: str = Field(min_length=1)
    verified: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _unverified_needs_note(self) -> Cite:
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note that says why")
        return self


class DatedEvent(Cite):
    """A dated lifecycle event, with its source."""

    date: dt.date

    _dates = field_validator("date", mode="before")(_no_datetime)


class Lifecycle(_Strict):
    """The dated life of an instrument."""

    introduced: DatedEvent | None = None
    signed: DatedEvent | None = None
    published: DatedEvent | None = None
    vetoed: DatedEvent | None = None
    effective: DatedEvent | None = None
    amended: list[DatedEvent] = Field(default_factory=list)
    revoked: DatedEvent | None = None
    repealed: DatedEvent | None = None
    superseded: DatedEvent | None = None
    superseded_by: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Lifecycle:
        for first, second in (
            ("introduced", "signed"),
            ("signed", "effective"),
            ("introduced", "effective"),
            ("introduced", "published"),
        ):
            a, b = getattr(self, first), getattr(self, second)
            if a is not None and b is not None and a.date > b.date:
                raise ValueError(f"{second} ({b.date}) is before {first} ({a.date})")
        if self.vetoed is not None and self.effective is not None:
            raise ValueError("a vetoed instrument cannot have an effective date")
        start = self.signed or self.introduced
        for name in ("revoked", "repealed", "superseded"):
            end = getattr(self, name)
            if end is not None and start is not None and end.date < start.date:
                raise ValueError(f"{name} ({end.date}) is before {start.date}")
        if self.superseded is not None and not self.superseded_by:
            raise ValueError("superseded needs superseded_by: the id of the successor")
        return self

    def first_date(self) -> dt.date | None:
        """The earliest date in the lifecycle."""
        dates = [
            e.date
            for e in (self.introduced, self.signed, self.published, self.vetoed, self.effective)
            if e is not None
        ]
        return min(dates) if dates else None


class ParamValue(Cite):
    """One dated value of a parameter; ``value: null`` repeals it from that date."""

    value: Any

    @field_validator("value", mode="before")
    @classmethod
    def _present(cls, value: object) -> object:
        return value


class Parameter(_Strict):
    """A dated parameter (OpenFisca style): values keyed by the date they take effect."""

    unit: Dimension
    description: str = Field(min_length=1)
    values: dict[dt.date, ParamValue] = Field(min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _date_keys(cls, value: object) -> object:
        if isinstance(value, dict):
            for key in value:
                if isinstance(key, dt.datetime) or not isinstance(key, dt.date):
                    raise ValueError(f"key {key!r} must be a date such as 2026-01-01")
        return value

    @model_validator(mode="after")
    def _parse_values(self) -> Parameter:
        for key, item in self.values.items():
            if item.value is None:
                continue
            try:
                number = parse_quantity(item.value, self.unit)
            except UnitError:
                raise ValueError(
                    f"value {item.value!r} on {key} is not {DIMENSIONS[self.unit][0]}"
                ) from None
            object.__setattr__(item, "value", number)
        return self

    def at(self, when: dt.date) -> tuple[dt.date, ParamValue] | None:
        """The value in force on a date, or ``None`` before the first one."""
        found = None
        for key in sorted(self.values):
            if key <= when:
                found = (key, self.values[key])
        return found


class Deadline(_Strict):
    """When an obligation is due."""

    text: str = Field(min_length=1)
    date: dt.date | None = None
    days: int | None = Field(default=None, gt=0)

    _dates = field_validator("date", mode="before")(_no_datetime)


class Obligation(Cite):
    """A duty that a provision imposes."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    summary: Text
    deadline: Deadline
    evidence: list[str] = Field(default_factory=list)


class ProvisionFile(_Strict):
    """One provision file."""

    title: Title
    addressee: Addressee
    cite: Cite
    effective: DatedEvent | None = None
    ends: DatedEvent | None = None
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    applies_when: Any
    obligations: list[Obligation] = Field(default_factory=list)
    note: str | None = None


class Participant(Cite):
    """A party's relation to an (international) instrument, with its source."""

    party: str = Field(min_length=1, description="An ISO 3166 code, EU, or an organisation's name.")
    role: Role
    date: dt.date | None = None

    _dates = field_validator("date", mode="before")(_no_datetime)


class InstrumentFile(_Strict):
    """An instrument's ``index.yaml``."""

    title: Title
    short: str | None = None
    jurisdiction: str = Field(pattern=r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU|INT)$")
    kind: Kind
    focus: list[Focus] = Field(min_length=1)
    binding: bool = True
    sources: list[Source] = Field(min_length=1)
    lifecycle: Lifecycle
    scope: Any = None
    forum: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    note: str | None = None


class JurisdictionFile(_Strict):
    """A jurisdiction folder's ``index.yaml``."""

    kind: Literal["jurisdiction"]
    code: str = Field(pattern=r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU|INT)$")
    name: Title
