"""Dossier text in and out.

Parsing uploaded text with the CLI's messages, canonical YAML, names, and the differences
between two versions.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govbridge.errors import DossierError, UsageError  # noqa: F401 (the doctest below catches it)

if TYPE_CHECKING:
    from govbridge.dossier import Dossier
    from govbridge.store._records import DossierVersion

__all__ = [
    "NAME_PATTERN",
    "FactChange",
    "VersionDiff",
    "canonical_yaml",
    "check_name",
    "content_of",
    "diff_versions",
    "name_for",
    "parse_dossier_text",
    "version_hash",
]

NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,99}$"
_NAME = re.compile(NAME_PATTERN)
_NAME_EXAMPLE = "llama-3.1-405b"


def parse_dossier_text(text: str, file: str) -> Dossier:
    """Validate a dossier given as text, with the same messages as ``govbridge.dossier.load``.

    Args:
        text: YAML, or JSON when ``file`` ends with ``.json``.
        file: The name to show in messages (only a name: nothing is read from disk).

    Returns:
        The validated dossier.

    Raises:
        DossierError: Naming the file, the field path, the bad value and a good example.

    >>> parse_dossier_text("model: {name: M, parameters: 7B}", "m.yaml").model.parameters
    7000000000.0
    >>> try:
    ...     parse_dossier_text("model: {name: M, name: N}", "m.yaml")
    ... except DossierError as exc:
    ...     print(exc)
    m.yaml: line 1 = 'name': duplicate key (example: each key once per mapping)
    """
    from govbridge.dossier import loads

    return loads(text, file)


def content_of(dossier: Dossier) -> dict[str, Any]:
    """The dossier as stored: JSON-ready, units resolved, unset facts left out."""
    return dossier.model_dump(mode="json", by_alias=True, exclude_none=True)


def canonical_yaml(content: Mapping[str, Any]) -> str:
    """YAML text for a dossier that was not given as text (a web form, an API object).

    >>> print(canonical_yaml({"model": {"name": "M", "parameters": 7e9}}), end="")
    model:
      name: M
      parameters: 7000000000.0
    """
    import yaml

    return str(yaml.safe_dump(dict(content), sort_keys=False, allow_unicode=True, width=100))


def version_hash(source_text: str, content: Mapping[str, Any]) -> str:
    """A SHA-256 of the text as written and the validated content."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{source_text}\0{canonical}".encode()).hexdigest()


def check_name(name: str) -> str:
    """Check a dossier name: lower-case letters, digits, ``.``, ``_`` and ``-``, at most 100.

    Raises:
        UsageError: When the name does not fit.
    """
    if not _NAME.match(name):
        raise UsageError(
            f"dossier name {name!r}: use lower-case letters, digits, '.', '_' and '-', starting "
            f"with a letter or digit, at most 100 characters (example: {_NAME_EXAMPLE})"
        )
    return name


def name_for(model_name: str) -> str:
    """The default store name of a dossier, from ``model.name``.

    Raises:
        UsageError: When no name can be derived (give one explicitly).

    >>> name_for("Llama 3.1 405B")
    'llama-3.1-405b'
    """
    slug = re.sub(r"[^a-z0-9._-]+", "-", model_name.lower()).strip("-._")[:100]
    if not slug:
        raise UsageError(
            f"cannot derive a dossier name from model.name {model_name!r}: give one with --name "
            f"(example: {_NAME_EXAMPLE})"
        )
    return check_name(slug)


@dataclass(frozen=True)
class FactChange:
    """One fact that differs between two versions (``None`` where it is not stated)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class VersionDiff:
    """What changed from one version to another: the facts, and the text line by line."""

    before: int
    after: int
    facts: tuple[FactChange, ...]
    text: tuple[str, ...]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to values; lists of mappings by index, lists of plain values whole."""
    items: list[tuple[str, Any]] = []
    if isinstance(value, Mapping) and value:
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list) and value and any(isinstance(v, Mapping) for v in value):
        items = [(str(i), v) for i, v in enumerate(value)]
    if not items:
        return {prefix.rstrip("."): value}
    flat: dict[str, Any] = {}
    for key, item in items:
        flat.update(_flatten(item, f"{prefix}{key}."))
    return flat


def diff_versions(before: DossierVersion, after: DossierVersion) -> VersionDiff:
    """The differences between two versions of a dossier.

    Args:
        before: The older version.
        after: The newer version.

    Returns:
        The facts that changed (dotted paths, in order) and a unified diff of the text.
    """
    old, new = _flatten(before.content), _flatten(after.content)
    paths = list(old) + [p for p in new if p not in old]
    facts = tuple(FactChange(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p))
    text = tuple(
        line.rstrip("\n")
        for line in difflib.unified_diff(
            before.source_text.splitlines(keepends=True),
            after.source_text.splitlines(keepends=True),
            fromfile=f"{before.name} v{before.version}",
            tofile=f"{after.name} v{after.version}",
        )
    )
    return VersionDiff(before.version, after.version, facts, text)
