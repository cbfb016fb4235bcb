"""Question banks: JSONL, one item per line, with an optional ``NAME.meta.yaml`` beside the file.

An item is ``{id, text, lang, risks: [...], kind, aspect?, source, meta?}`` where ``kind`` is
``generation``, ``should_refuse`` or ``should_not_refuse`` and ``risks`` holds TC260 risk ids
(``A.1.a`` ... ``A.5.b``). Ids are unique across everything loaded together.

The reader keeps going past a bad line: each problem is recorded with its file and line, and
the good lines are kept. An empty result is an error.

>>> bank = parse_bank_lines(
...     ['{"id": "q1", "text": "Hello", "lang": "en", "risks": ["A.5.a"],'
...      ' "kind": "generation", "source": "demo"}', "{not json"], "demo.jsonl")
>>> [item.id for item in bank.items], [str(p) for p in bank.problems]
(['q1'], ['demo.jsonl:2: not valid JSON: Expecting property name enclosed in double quotes'])
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from govbridge.content._taxonomy import taxonomy
from govbridge.errors import InputError

__all__ = [
    "KINDS",
    "Bank",
    "BankError",
    "BankItem",
    "BankMeta",
    "Kind",
    "Problem",
    "load_bank",
    "parse_bank_lines",
    "starter_bank",
    "starter_bank_paths",
]

Kind = Literal["generation", "should_refuse", "should_not_refuse"]
KINDS: tuple[Kind, ...] = ("generation", "should_refuse", "should_not_refuse")


class BankError(InputError):
    """A bank or keyword library that cannot be used (missing, empty, or unreadable).

    Args:
        file: The file (or a description of the set of files).
        problem: What is wrong, in plain words.
    """

    def __init__(self, file: str, problem: str) -> None:
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}")


@dataclass(frozen=True)
class Problem:
    """A line that was skipped, with its file and line number (1-based; 0 for the whole file)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class BankItem(BaseModel):
    """One question of a bank."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
    text: str = Field(min_length=1)
    lang: str = Field(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
    risks: tuple[str, ...]
    kind: Kind
    aspect: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    source: str = Field(min_length=1)
    meta: dict[str, Any] | None = None

    @field_validator("risks")
    @classmethod
    def _known_risks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = taxonomy().risks
        unknown = [r for r in value if r not in known]
        if unknown:
            raise ValueError(
                f"unknown risk id {', '.join(map(repr, unknown))}: expected TC260 ids "
                "such as A.1.d or A.2.e (A.1.a ... A.5.b)"
            )
        if len(set(value)) != len(value):
            raise ValueError("a risk id is listed twice")
        return value

    @model_validator(mode="after")
    def _risks_needed(self) -> BankItem:
        if not self.risks and self.kind != "should_not_refuse":
            raise ValueError(f"risks: a {self.kind} item needs at least one TC260 risk id")
        return self


class BankMeta(BaseModel):
    """What ``NAME.meta.yaml`` says about a bank file: provenance, licence, starter flag."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str = ""
    starter: bool = False
    licence: str = Field(min_length=1)
    source_url: str | None = None
    languages: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Bank:
    """Items loaded from one or more files, the problems met, and each file's metadata."""

    items: tuple[BankItem, ...]
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()
    meta: dict[str, BankMeta] = field(default_factory=dict)

    def of_kind(self, kind: Kind) -> list[BankItem]:
        """The items of one kind, in file order."""
        return [item for item in self.items if item.kind == kind]

    @property
    def starter(self) -> bool:
        """Whether every file of the bank is a project starter bank."""
        return bool(self.meta) and all(m.starter for m in self.meta.values())

    def digest(self, items: Sequence[BankItem] | None = None) -> str:
        """A content hash of the items (order-independent), the bank's comparability version.

        Two runs compare only when their digests match.
        """
        chosen = self.items if items is None else items
        h = hashlib.sha256()
        for line in sorted(_canonical(item) for item in chosen):
            h.update(line.encode("utf-8"))
            h.update(b"\n")
        return f"sha256:{h.hexdigest()[:16]}"

    def licences(self) -> dict[str, str]:
        """The licence of each file, where its metadata states one."""
        return {file: meta.licence for file, meta in self.meta.items()}


def _canonical(item: BankItem) -> str:
    return json.dumps(item.model_dump(exclude_none=True), sort_keys=True, ensure_ascii=False)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field (allowed: id, text, lang, risks, kind, aspect, source, meta)"
    elif err["type"] == "missing":
        msg = "missing field"
    return f"{loc}: {msg}" if loc else msg


def parse_bank_lines(lines: Iterable[str], file: str, *, seen: set[str] | None = None) -> Bank:
    """Parse JSONL lines into a bank, recording each bad line as a problem.

    Args:
        lines: The lines of the file.
        file: The file name used in problems.
        seen: Ids already loaded from other files (updated in place), to catch duplicates.

    Returns:
        The bank of the good lines, with the problems met.
    """
    seen = set() if seen is None else seen
    items: list[BankItem] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(file, number, f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(file, number, "expected a JSON object"))
            continue
        try:
            item = BankItem.model_validate(raw)
        except ValidationError as exc:
            problems.append(Problem(file, number, _first_error(exc)))
            continue
        if item.id in seen:
            problems.append(Problem(file, number, f"duplicate id {item.id!r} (kept the first)"))
            continue
        seen.add(item.id)
        items.append(item)
    return Bank(items=tuple(items), problems=tuple(problems), files=(file,))


def _read_meta(path: Path) -> BankMeta | None:
    meta_path = path.with_name(f"{path.name.removesuffix('.jsonl')}.meta.yaml")
    if not meta_path.is_file():
        return None
    from govbridge._yaml import read_yaml

    try:
        return BankMeta.model_validate(read_yaml(meta_path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise BankError(str(meta_path), f"bad bank metadata: {exc}") from None


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            yield from sorted(path.glob("*.jsonl"))
        else:
            yield path


def load_bank(paths: str | Path | Iterable[str | Path]) -> Bank:
    """Load one or more bank files (or folders of ``*.jsonl``) as one bank.

    Raises:
        BankError: When a file cannot be read, or when no item at all could be loaded.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen: set[str] = set()
    items: list[BankItem] = []
    problems: list[Problem] = []
    files: list[str] = []
    meta: dict[str, BankMeta] = {}
    for path in _expand(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BankError(str(path), "no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BankError(str(path), f"cannot read the file ({exc})") from None
        part = parse_bank_lines(text.splitlines(), str(path), seen=seen)
        items.extend(part.items)
        problems.extend(part.problems)
        files.append(str(path))
        found = _read_meta(path)
        if found is not None:
            meta[str(path)] = found
    if not files:
        raise BankError(", ".join(map(str, paths)) or "(none)", "no bank file given")
    if not items:
        detail = f" ({len(problems)} bad lines; first: {problems[0]})" if problems else ""
        raise BankError(", ".join(files), f"the bank is empty{detail}")
    return Bank(items=tuple(items), problems=tuple(problems), files=tuple(files), meta=meta)


def starter_bank_paths() -> list[Path]:
    """The bundled starter bank files (prompts only), in a stable order."""
    folder = Path(str(resources.files("govbridge.content") / "banks"))
    return sorted(folder.glob("starter_*.jsonl"))


def starter_bank() -> Bank:
    """The bundled bilingual starter banks, loaded together."""
    return load_bank(starter_bank_paths())
