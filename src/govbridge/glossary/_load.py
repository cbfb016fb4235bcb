"""The strict loader of the glossary, and lookup by English, Chinese, pinyin or alias."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govbridge._data_files import first_error, read_data_file, unknown_key_message, value_at
from govbridge.errors import KBLoadError, UsageError
from govbridge.glossary._schema import Source, Term

__all__ = [
    "Glossary",
    "UnknownTermError",
    "default_glossary_dir",
    "forms",
    "load_glossary",
    "lookup",
    "normalise",
]

_EXAMPLES = {
    "url": "a URL such as https://example.org/text",
    "id": "lower-case letters, digits and underscores, starting with a letter, such as open_weight",
    "instrument": "a knowledge-base instrument id such as us.ca.sb53",
    "section": 'a section such as "Art. 22(2)"',
    "pinyin": "toneless pinyin in lower case, words separated by spaces, such as an quan",
    "jurisdiction": "a code such as US, US-CA, EU, CN, UK or INT",
    "grade": "one of P, S2+, S1, D, U",
    "category": "one of safety, models, actors, mechanisms, diplomacy",
    "basis": "sourced or govbridge analysis",
    "published": "a date such as 2024-07-30",
}

# Characters that lookup ignores: white space, hyphens and dashes, underscores, apostrophes
# (pinyin syllable marks such as xi'an) and the middle dot.
_IGNORED = frozenset(" \t\n\r\u00a0\u3000-\u2010\u2011\u2012\u2013\u2014\u2212_'\u2019\u00b7\u30fb")


def normalise(text: str) -> str:
    """The form of a text that lookup compares.

    Case is folded; spaces, hyphens, underscores and apostrophes are dropped; tone marks and
    other accents are removed (``ānquán`` reads as ``anquan``); full-width Latin letters read
    as ASCII.

    >>> normalise("  General-Purpose AI ")
    'generalpurposeai'
    >>> normalise("Ān Quán")
    'anquan'
    >>> normalise("安全 可控")
    '安全可控'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if not unicodedata.combining(c) and c not in _IGNORED)
    return "".join(kept).casefold()


class UnknownTermError(UsageError):
    """No glossary term has this form.

    Args:
        query: The text looked up.
        suggestions: The ids of the nearest terms, best first (possibly empty).
        names: A display name for each suggestion.
    """

    def __init__(self, query: str, suggestions: list[str], names: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(names)}?" if names else ""
        super().__init__(
            f"no glossary term {query!r}{hint} (`govbridge glossary list` shows every term)"
        )


@dataclass(frozen=True)
class Glossary:
    """The loaded glossary: terms by id, in id order, with an index of their forms."""

    terms: dict[str, Term]
    sources: dict[str, Source]
    root: str = ""
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    def lookup(self, text: str) -> Term:
        """The term that has this form: its id, English, Chinese, pinyin or an alias.

        The comparison ignores case, spaces, hyphens and tone marks.

        Raises:
            UnknownTermError: When no term has the form; it carries the nearest terms.
        """
        key = normalise(text)
        term_id = self._index.get(key)
        if term_id is not None:
            return self.terms[term_id]
        suggestions = self.suggest(text)
        names = [f"{i} ({self.terms[i].en} / {self.terms[i].zh})" for i in suggestions]
        raise UnknownTermError(text, suggestions, names)

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """The ids of up to ``n`` terms whose forms are nearest to the text, best first."""
        key = normalise(text)
        found: list[str] = []
        if key:
            # Forms that contain the text, or that it contains ("synthesis", "算力券"), first.
            for form, term_id in sorted(self._index.items(), key=lambda kv: len(kv[0])):
                if (key in form or (len(form) > 1 and form in key)) and term_id not in found:
                    found.append(term_id)
            for form in difflib.get_close_matches(key, list(self._index), n=n * 4, cutoff=0.6):
                if self._index[form] not in found:
                    found.append(self._index[form])
        return found[:n]


def forms(term: Term) -> Iterator[str]:
    """Every form of a term that lookup accepts, as written."""
    for _, text in _keyed_forms(term):
        yield text


def _keyed_forms(term: Term) -> Iterator[tuple[str, str]]:
    yield "id", term.id
    yield "en", term.en
    yield "zh", term.zh
    yield "pinyin", term.pinyin
    for i, alias in enumerate(term.aliases):
        yield f"aliases.{i}.text", alias.text
        if alias.pinyin is not None:
            yield f"aliases.{i}.pinyin", alias.pinyin


def default_glossary_dir() -> Path:
    """The folder of the bundled glossary (``sources.yaml`` and ``terms/``)."""
    return Path(str(resources.files("govbridge") / "glossary"))


def load_glossary(folder: str | Path | None = None) -> Glossary:
    """Load and check the glossary.

    Args:
        folder: A folder with ``sources.yaml`` and ``terms/*.yaml``; the bundled one by default.

    Returns:
        The glossary.

    Raises:
        KBLoadError: For the first file that does not load, naming the file, the key, the bad
            value and the expected form.
    """
    root = Path(folder) if folder is not None else default_glossary_dir()
    return _load_cached(str(root.resolve()))


@lru_cache(maxsize=4)
def _load_cached(root_text: str) -> Glossary:
    root = Path(root_text)
    if not (root / "terms").is_dir():
        raise KBLoadError(root_text, "", None, "a folder with sources.yaml and terms/*.yaml")
    sources = _load_sources(root)
    terms: dict[str, Term] = {}
    index: dict[str, str] = {}
    for path in sorted((root / "terms").glob("*.yaml")):
        rel = f"terms/{path.name}"
        raw = read_data_file(path, rel)
        if not isinstance(raw, dict):
            raise KBLoadError(rel, "", None, "a YAML mapping of one term (see docs/glossary.md)")
        if "id" in raw:
            raise KBLoadError(
                rel, "id", raw["id"], f"no id key: the file name is the id ({path.stem})"
            )
        term: Term = _validate(Term, {"id": path.stem, **raw}, rel, {"sources": sources})
        for field_key, form in _keyed_forms(term):
            key = normalise(form)
            other = index.get(key)
            if other is not None and other != term.id:
                raise KBLoadError(
                    rel,
                    field_key,
                    form,
                    f"a form that no other term has; terms/{other}.yaml has it too",
                )
            index[key] = term.id
        terms[term.id] = term
    if not terms:
        raise KBLoadError("terms/", "", None, "at least one term file, such as terms/anquan.yaml")
    for term in terms.values():
        for i, other_id in enumerate(term.related):
            if other_id not in terms:
                close = difflib.get_close_matches(other_id, list(terms), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                raise KBLoadError(
                    f"terms/{term.id}.yaml",
                    f"related.{i}",
                    other_id,
                    f"the id of another term (a file in terms/){hint}",
                )
    return Glossary(terms, sources, root_text, index)


def _load_sources(root: Path) -> dict[str, Source]:
    rel = "sources.yaml"
    path = root / rel
    if not path.exists():
        raise KBLoadError(rel, "", None, "a sources.yaml file next to terms/")
    raw = read_data_file(path, rel)
    if not isinstance(raw, dict):
        raise KBLoadError(rel, "", None, "a mapping of source ids to {title, url, ...}")
    sources: dict[str, Source] = {}
    for key, value in raw.items():
        if not isinstance(value, dict):
            raise KBLoadError(rel, str(key), None, "a mapping with title and url")
        source: Source = _validate(Source, {"id": key, **value}, rel, {}, prefix=f"{key}.")
        sources[source.id] = source
    return sources


def _validate(
    model: type[BaseModel],
    raw: dict[str, Any],
    rel: str,
    context: dict[str, Any],
    prefix: str = "",
) -> Any:
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        err = first_error(exc)
        loc = [str(p) for p in err["loc"]]
        value: Any = value_at(raw, loc)
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = unknown_key_message(model, loc)
            value = None
        elif err["type"] == "missing":
            message = "is required"
            value = None
        last = next((p for p in reversed(loc) if not p.isdigit()), "")
        example = _EXAMPLES.get(last)
        if example and err["type"] in ("string_pattern_mismatch", "literal_error"):
            message = f"expected {example}"  # pydantic's own text shows a regex or a list
        elif example and err["type"] not in ("extra_forbidden", "missing"):
            message += f"; expected {example}"
        if isinstance(value, dict | list):
            value = None
        elif isinstance(value, dt.date):
            value = value.isoformat()
        raise KBLoadError(rel, prefix + ".".join(loc), value, message) from None


def lookup(text: str, glossary: Glossary | None = None) -> Term:
    """Find a term by its id, English, Chinese, toneless pinyin or an alias.

    Case, spaces, hyphens and tone marks do not matter.

    >>> lookup("AnQuan").zh
    '安全'
    >>> lookup("Suan Li").id
    'compute'

    Args:
        text: The form to look up.
        glossary: The glossary; the bundled one by default.

    Returns:
        The term.

    Raises:
        UnknownTermError: When no term has the form; it names the nearest terms.
    """
    return (glossary if glossary is not None else load_glossary()).lookup(text)
