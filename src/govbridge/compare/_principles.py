"""Key principles as data: dated, sourced positions with stance codes (``principles.yaml``)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from govbridge._yaml import DuplicateKeyError, YamlSyntaxError, read_yaml
from govbridge.errors import KBLoadError
from govbridge.kb import Text

__all__ = [
    "NO_RECORD",
    "Principle",
    "PrincipleSet",
    "Position",
    "PositionSource",
    "default_principles_file",
    "load_principles",
]

#: The stance code of a jurisdiction for which the sources hold no position.
NO_RECORD = "no_record"

KBEvidence = Literal["compute_threshold", "export_control"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PositionSource(_Strict):
    """Where a position is stated."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    section: str = Field(min_length=1)


class Position(_Strict):
    """A jurisdiction's position on a principle from a date on, with its sources.

    ``stance: no_record`` says that the sources hold no position; it needs a note and no
    sources.
    """

    since: dt.date | None = None
    stance: str = Field(pattern=r"^[a-z0-9_]+$")
    position: Text | None = None
    sources: list[PositionSource] = Field(default_factory=list)
    verified: bool = True
    note: str | None = None

    @field_validator("since", mode="before")
    @classmethod
    def _no_datetime(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("must be a date without a time, for example 2024-07-30")
        return value

    @model_validator(mode="after")
    def _complete(self) -> Position:
        if self.stance == NO_RECORD:
            if not self.note:
                raise ValueError("stance no_record needs a note that says what was searched")
            return self
        if self.since is None:
            raise ValueError("since is required: the date from which the position holds")
        if self.position is None or not self.sources:
            raise ValueError("a position needs its text (position: {en, zh?}) and sources")
        if not self.verified and not self.note:
            raise ValueError("verified: false needs a note that says why")
        return self


class Principle(_Strict):
    """A principle: its question, its stance codes and each jurisdiction's dated positions."""

    title: Text
    question: Text
    stances: dict[str, Text] = Field(min_length=2)
    kb_evidence: KBEvidence | None = None
    positions: dict[str, list[Position]] = Field(min_length=1)

    @model_validator(mode="after")
    def _stances_known(self) -> Principle:
        for code, positions in self.positions.items():
            if not positions:
                raise ValueError(f"positions.{code}: at least one position")
            for position in positions:
                if position.stance != NO_RECORD and position.stance not in self.stances:
                    raise ValueError(
                        f"positions.{code}: stance {position.stance!r} is not one of "
                        f"{', '.join(self.stances)} (or {NO_RECORD})"
                    )
            dates = [p.since for p in positions if p.since is not None]
            if dates != sorted(dates) or len(dates) != len(set(dates)):
                raise ValueError(f"positions.{code}: list the positions by date, each date once")
        return self

    def position(self, code: str, as_of: dt.date) -> Position | None:
        """The position of a jurisdiction on a date: the latest one dated on or before it.

        Args:
            code: A jurisdiction code such as ``US``.
            as_of: The date.

        Returns:
            The position, a ``no_record`` entry, or ``None`` when nothing is dated that early.
        """
        found = None
        for position in self.positions.get(code, []):
            if position.since is None or position.since <= as_of:
                found = position
        return found


class PrincipleSet(_Strict):
    """The contents of ``principles.yaml``."""

    version: int
    principles: dict[str, Principle] = Field(min_length=1)


def default_principles_file() -> Path:
    """The bundled ``principles.yaml``."""
    return Path(str(resources.files("govbridge.compare") / "principles.yaml"))


def load_principles(path: str | Path | None = None) -> PrincipleSet:
    """Read and check a principles file.

    Args:
        path: The file; the bundled one by default.

    Returns:
        The principles.

    Raises:
        KBLoadError: Naming the file, the key, the bad value and the expected form.
    """
    file = Path(path) if path is not None else default_principles_file()
    name = file.name
    try:
        raw: Any = read_yaml(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KBLoadError(name, "", None, f"a readable principles file ({exc.strerror})") from None
    except DuplicateKeyError as exc:
        raise KBLoadError(
            name, f"line {exc.line}", None, f"duplicate key {exc.key!r}; write each key once"
        ) from None
    except YamlSyntaxError as exc:
        raise KBLoadError(name, f"line {exc.line}", None, f"valid YAML ({exc.problem})") from None
    try:
        return PrincipleSet.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        raise KBLoadError(name, key, None, message) from None
