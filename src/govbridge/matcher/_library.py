"""The keyword library: TSV or JSONL rows of (keyword, lang, risk)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from govbridge.errors import InputError
from govbridge.matcher._cache import cached

__all__ = ["Keyword", "KeywordLibrary", "KeywordLibraryError"]

_COLUMNS = ("keyword", "lang", "risk")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class KeywordLibraryError(InputError):
    """A keyword library that does not load.

    Args:
        file: The library file.
        line: The 1-based line number (0 for the file as a whole).
        value: The bad value as written (``None`` when a column is missing).
        problem: What is wrong, with the expected form.
    """

    def __init__(self, file: str, line: int, value: object, problem: str) -> None:
        self.file = file
        self.line = line
        self.value = value
        self.problem = problem
        where = f"{file}:{line}" if line else file
        shown = "" if value is None else f" (got {value!r})"
        super().__init__(f"{where}: {problem}{shown}")


class Keyword(NamedTuple):
    """One entry of a keyword library.

    Attributes:
        keyword: The keyword as written in the library.
        lang: Its language tag, such as ``zh`` or ``en``.
        risk: The risk it signals, such as ``A.1.d`` (an id of the TC260 taxonomy or the
            user's own).
    """

    keyword: str
    lang: str
    risk: str


class KeywordLibrary:
    """An ordered, de-duplicated set of keywords with the digest of its source.

    >>> lib = KeywordLibrary.from_keywords([Keyword("炸弹", "zh", "A.1.d")], name="demo")
    >>> len(lib), lib.risks()
    (1, ['A.1.d'])
    """

    def __init__(self, keywords: Iterable[Keyword], *, name: str, sha256: str) -> None:
        unique: dict[Keyword, None] = {}
        for kw in keywords:
            unique.setdefault(kw, None)
        self.keywords: tuple[Keyword, ...] = tuple(unique)
        self.name = name
        self.sha256 = sha256

    @property
    def version(self) -> str:
        """A short content version: the first 12 hex digits of the SHA-256 of the source."""
        return self.sha256[:12]

    def __len__(self) -> int:
        return len(self.keywords)

    def __iter__(self) -> Iterator[Keyword]:
        return iter(self.keywords)

    def __repr__(self) -> str:
        return f"KeywordLibrary({self.name!r}, {len(self)} keywords, version {self.version})"

    def risks(self) -> list[str]:
        """The risk ids in the library, sorted."""
        return sorted({kw.risk for kw in self.keywords})

    @classmethod
    def from_keywords(
        cls, keywords: Iterable[Keyword], *, name: str = "<memory>"
    ) -> KeywordLibrary:
        """A library from keywords in memory (validated as a file would be).

        Raises:
            KeywordLibraryError: When a keyword is empty or holds a control character.
        """
        items = list(keywords)
        for index, kw in enumerate(items, start=1):
            _check(name, index, kw)
        digest = hashlib.sha256(
            "\n".join(f"{k.keyword}\t{k.lang}\t{k.risk}" for k in items).encode("utf-8")
        ).hexdigest()
        return cls(items, name=name, sha256=digest)

    @classmethod
    def load(cls, path: str | Path) -> KeywordLibrary:
        """Load a library from a TSV file (header ``keyword<TAB>lang<TAB>risk``) or JSONL.

        The format follows the suffix: ``.jsonl``/``.json``/``.ndjson`` is JSON Lines, anything
        else is TSV. Extra columns or keys are ignored; blank lines are skipped.

        Raises:
            KeywordLibraryError: A missing file, a bad header, a bad row, or no keyword at all.
        """
        path = Path(path)
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise KeywordLibraryError(
                name, 0, None, f"cannot read the file ({exc.strerror})"
            ) from None
        sha256 = hashlib.sha256(data).hexdigest()
        keywords = cached(f"library-{sha256[:32]}-l2", lambda: _parse(name, path, data))
        return cls(keywords, name=name, sha256=sha256)


def _parse(name: str, path: Path, data: bytes) -> tuple[Keyword, ...]:
    """Parse and check a library file's rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KeywordLibraryError(name, line, None, "is not valid UTF-8") from None
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        rows = list(_jsonl_rows(name, text))
    else:
        rows = list(_tsv_rows(name, text))
    if not rows:
        raise KeywordLibraryError(name, 0, None, "holds no keyword")
    for line, kw in rows:
        _check(name, line, kw)
    return tuple(kw for _, kw in rows)


def _tsv_rows(name: str, text: str) -> Iterator[tuple[int, Keyword]]:
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        return
    header = [h.strip().lower() for h in lines[header_at].split("\t")]
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise KeywordLibraryError(
            name,
            header_at + 1,
            lines[header_at],
            f"header lacks the column(s) {', '.join(missing)}: expected a tab-separated header "
            "such as 'keyword<TAB>lang<TAB>risk'",
        )
    where = [header.index(c) for c in _COLUMNS]
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < len(header):
            raise KeywordLibraryError(
                name, number, line, f"has {len(cells)} column(s), expected {len(header)}"
            )
        keyword, lang, risk = (cells[i].strip() for i in where)
        yield number, Keyword(keyword, lang, risk)


def _jsonl_rows(name: str, text: str) -> Iterator[tuple[int, Keyword]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KeywordLibraryError(name, number, None, f"is not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise KeywordLibraryError(
                name, number, row, 'expected an object such as {"keyword": ...}'
            )
        values = []
        for key in _COLUMNS:
            value = row.get(key)
            if not isinstance(value, str):
                raise KeywordLibraryError(
                    name, number, value, f"key {key!r} must be a string (keys: keyword, lang, risk)"
                )
            values.append(value.strip())
        yield number, Keyword(values[0], values[1], values[2])


def _check(name: str, line: int, kw: Keyword) -> None:
    if not kw.keyword:
        raise KeywordLibraryError(name, line, kw.keyword, "keyword is empty")
    if _CONTROL.search(kw.keyword):
        raise KeywordLibraryError(
            name, line, kw.keyword, "keyword holds a control character (tab, newline, NUL...)"
        )
    if not _LANG.match(kw.lang):
        raise KeywordLibraryError(
            name, line, kw.lang, "lang must be a language tag such as 'zh' or 'en'"
        )
    if not kw.risk or _CONTROL.search(kw.risk):
        raise KeywordLibraryError(name, line, kw.risk, "risk must be an id such as 'A.1.d'")
