"""The pydantic schema of the crosswalk YAML files: taxonomies and mappings."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "ANALYSIS",
    "CODE_PATTERN",
    "RELATIONS",
    "SCHEME_PATTERN",
    "ConceptEntry",
    "Evidence",
    "MappingEntry",
    "MappingFile",
    "NoCounterpartEntry",
    "Relation",
    "SchemeCite",
    "SchemeFile",
    "SourceEntry",
]

Relation = Literal["exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"]
RELATIONS: tuple[Relation, ...] = (
    "exactMatch",
    "closeMatch",
    "broadMatch",
    "narrowMatch",
    "relatedMatch",
)
ANALYSIS = "govbridge analysis"
"""The ``stated_by`` value of a mapping that is govbridge's own judgement."""

SCHEME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
CODE_PATTERN = r"^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$"
_ONE_LINE = r"^[^\n\r]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _no_datetime(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date without a time, for example 2024-07-26")
    return value


class SourceEntry(_Strict):
    """A document that a taxonomy or a mapping file cites."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")


class SchemeCite(_Strict):
    """Where the list of concepts is published, and whether it was read there."""

    source: str = Field(min_length=1)
    section: str = Field(min_length=1)
    verified: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _unverified_needs_note(self) -> SchemeCite:
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note that says why")
        return self


class BilingualTitle(_Strict):
    """A scheme title: English, and Chinese where an official one exists."""

    en: str = Field(min_length=1)
    zh: str | None = None


class ConceptEntry(_Strict):
    """One concept of a taxonomy, under its published code."""

    code: str = Field(pattern=CODE_PATTERN)
    en: str = Field(min_length=1, pattern=_ONE_LINE)
    zh: str | None = Field(default=None, min_length=1)
    en_aliases: tuple[str, ...] = ()
    zh_aliases: tuple[str, ...] = ()
    broader: str | None = Field(default=None, pattern=CODE_PATTERN)
    group: str | None = None
    verified: bool = True
    note: str | None = None

    @field_validator("code", "broader", mode="before")
    @classmethod
    def _code_is_text(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f'quote the code so that it stays text, for example "{value}"')
        return value

    @model_validator(mode="after")
    def _unverified_needs_note(self) -> ConceptEntry:
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note that says why")
        return self


class SchemeFile(_Strict):
    """A taxonomy file: ``crosswalk/taxonomies/<scheme>.yaml``."""

    scheme: str = Field(pattern=SCHEME_PATTERN)
    title: BilingualTitle
    short: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    published: dt.date | None = None
    sources: tuple[SourceEntry, ...] = Field(min_length=1)
    cite: SchemeCite
    zh_names: Literal["official", "none"]
    note: str | None = None
    concepts: tuple[ConceptEntry, ...] = Field(min_length=1)

    _dates = field_validator("published", mode="before")(_no_datetime)


class Evidence(_Strict):
    """Published text that a govbridge analysis rests on (not a statement of the mapping)."""

    source: str = Field(min_length=1)
    section: str = Field(min_length=1)


class MappingEntry(_Strict):
    """One SKOS mapping: ``subject relation object``, read from subject to object.

    ``broadMatch`` says the object is broader than the subject; ``narrowMatch`` says the object
    is narrower.
    """

    subject: str = Field(min_length=1)
    relation: Relation
    object: str = Field(min_length=1)
    rationale: str = Field(min_length=1, pattern=_ONE_LINE)
    stated_by: str = Field(min_length=1)
    section: str | None = None
    evidence: tuple[Evidence, ...] = ()


class NoCounterpartEntry(_Strict):
    """A concept that has no counterpart in the target scheme, and why."""

    subject: str = Field(min_length=1)
    reason: str = Field(min_length=1, pattern=_ONE_LINE)
    stated_by: str = Field(min_length=1)
    section: str | None = None


class MappingFile(_Strict):
    """A mapping file: ``crosswalk/mappings/<from>__<to>.yaml``."""

    from_: str = Field(alias="from", pattern=SCHEME_PATTERN)
    to: str = Field(pattern=SCHEME_PATTERN)
    sources: tuple[SourceEntry, ...] = ()
    mappings: tuple[MappingEntry, ...] = ()
    no_counterpart: tuple[NoCounterpartEntry, ...] = ()
