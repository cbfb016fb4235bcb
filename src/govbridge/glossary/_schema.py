"""The pydantic schema of the glossary YAML files: one file per term, and one file of sources."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

__all__ = [
    "ANALYSIS",
    "CATEGORIES",
    "Alias",
    "Citation",
    "Divergence",
    "Grade",
    "Sense",
    "Source",
    "Term",
]

ANALYSIS = "govbridge analysis"
"""The basis of a sense or note that is govbridge's own reading, not a statement of a source."""

Grade = Literal["P", "S2+", "S1", "D", "U"]
"""How a citation was checked, as graded in the project's reference sheets.

P: read in the primary text or a verbatim copy; S2+: two or more secondary sources agree;
S1: one secondary source; D: derived by comparing texts that were read; U: unverified.
"""

Category = Literal["safety", "models", "actors", "mechanisms", "diplomacy"]

CATEGORIES: dict[str, str] = {
    "safety": "core safety vocabulary",
    "models": "models, data and compute",
    "actors": "actors and roles",
    "mechanisms": "regulatory mechanisms and content rules",
    "diplomacy": "diplomatic and value vocabulary",
}
"""The categories of terms, with their names."""

_URL = r"^https?://\S+$"
_ID = r"^[a-z][a-z0-9_]*$"
_PINYIN = r"^[a-z]+( [a-z]+)*$"
_HAN = re.compile(r"[\u3400-\u9fff]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """A document that glossary senses cite, from ``sources.yaml``.

    ``url`` is the address of the page that was read; ``also`` lists copies and further
    pages. A source without an address (a document the reference sheets saw only in an
    unnamed repository) must say so in ``note``.
    """

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=_URL)
    also: tuple[str, ...] = ()
    published: dt.date | None = None
    note: str | None = None

    @field_validator("also")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for url in value:
            if not re.match(_URL, url):
                raise ValueError(f"{url!r} is not a URL such as https://example.org/text")
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _no_datetime(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("must be a date without a time, for example 2024-07-30")
        return value

    @model_validator(mode="after")
    def _address_or_note(self) -> Source:
        if self.url is None and not self.note:
            raise ValueError("a source without a url needs a note that says why")
        return self


class Citation(_Strict):
    """Where a sense is stated: a source (by id in YAML), a section and, if known, a grade."""

    source: Source
    section: str = Field(min_length=1)
    grade: Grade | None = None
    quote: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _resolve(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            sources = (info.context or {}).get("sources", {})
            if value not in sources:
                raise ValueError(
                    "unknown source; expected the id of a source in sources.yaml, "
                    "such as cac_genai_measures"
                )
            return sources[value]
        return value


class _Based(_Strict):
    """Text that rests on sources, or is marked as govbridge analysis."""

    text: str = Field(min_length=1)
    basis: Literal["sourced", "govbridge analysis"] = "sourced"
    sources: tuple[Citation, ...] = ()

    @model_validator(mode="after")
    def _has_basis(self) -> _Based:
        if self.basis == "sourced" and not self.sources:
            raise ValueError(
                "needs sources (a list of {source, section}) or basis: govbridge analysis"
            )
        return self

    @property
    def is_analysis(self) -> bool:
        """Whether the text is govbridge's own analysis."""
        return self.basis == ANALYSIS


class Sense(_Based):
    """The meaning a term has in one jurisdiction, with its sources.

    ``jurisdiction`` is a code such as US, US-CA, EU, CN, UK or INT (international texts).
    ``label`` names the sense when a jurisdiction has several (for example ``AGI``).
    ``facets`` lists the meanings one word covers there. ``instrument`` is the id of the
    knowledge-base instrument the sense comes from, where there is one. ``unverified`` says
    what in the sense could not be checked.
    """

    jurisdiction: str = Field(pattern=r"^(US|CN|EU|UK|INT)(-[A-Z]{2})?$")
    label: str | None = None
    facets: tuple[str, ...] = ()
    instrument: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_.]*$")
    unverified: str | None = None


class Divergence(_Based):
    """How the senses differ across jurisdictions, and what to do about it."""

    basis: Literal["sourced", "govbridge analysis"] = "govbridge analysis"


class Alias(_Strict):
    """Another form of a term, in English or Chinese (Chinese forms carry toneless pinyin)."""

    text: str = Field(min_length=1)
    lang: Literal["en", "zh"]
    pinyin: str | None = Field(default=None, pattern=_PINYIN)

    @model_validator(mode="after")
    def _pinyin_for_chinese(self) -> Alias:
        if self.lang == "zh" and self.pinyin is None:
            raise ValueError("a zh alias needs its toneless pinyin, such as pinyin: an quan")
        if self.lang == "en" and self.pinyin is not None:
            raise ValueError("only a zh alias has pinyin")
        if self.lang == "zh" and not _HAN.search(self.text):
            raise ValueError("a zh alias is written in Chinese characters")
        return self


class Term(_Strict):
    """A glossary term: its English and Chinese forms, its senses and how they diverge.

    The id is the file name without ``.yaml``. ``pinyin`` is the toneless pinyin of ``zh``, in
    lower case with spaces between words (``an quan``), so that lookup works without a pinyin
    library. ``zh_note`` says where the Chinese form comes from when it is not an official term.
    """

    id: str = Field(pattern=_ID)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    pinyin: str = Field(pattern=_PINYIN)
    zh_note: str | None = None
    category: Category
    aliases: tuple[Alias, ...] = ()
    senses: tuple[Sense, ...] = Field(min_length=1)
    divergence: Divergence
    related: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: str) -> str:
        if not _HAN.search(value):
            raise ValueError("the zh form is written in Chinese characters, such as 安全")
        return value

    @model_validator(mode="after")
    def _both_sides(self) -> Term:
        sides = {s.jurisdiction == "CN" for s in self.senses}
        if sides != {True, False}:
            raise ValueError(
                "needs at least one CN sense and one sense of another jurisdiction "
                "(US, US-CA, EU, UK or INT)"
            )
        if self.id in self.related:
            raise ValueError("a term is not related to itself")
        if len(set(self.related)) != len(self.related):
            raise ValueError("each related term once")
        return self
