"""What the knowledge-base, glossary and crosswalk loaders share.

Reading a YAML data file strictly, and turning pydantic's first validation error into one line
that names the key and the fix.

Every problem is raised as :class:`govbridge.errors.KBLoadError` (file, key, value, message).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govbridge._yaml import DuplicateKeyError, YamlSyntaxError, read_yaml
from govbridge.errors import KBLoadError

__all__ = ["first_error", "inner_model", "read_data_file", "unknown_key_message", "value_at"]


def read_data_file(path: Path, rel: str, digest: Any = None) -> Any:
    """Parse one YAML data file strictly.

    Args:
        path: The file.
        rel: Its name as error messages show it.
        digest: A hashlib object to feed with the name and the bytes (optional).

    Raises:
        KBLoadError: When the file cannot be read, is not UTF-8, is not valid YAML or repeats a
            key.
    """
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KBLoadError(rel, "", None, f"a readable UTF-8 file ({exc})") from None
    if digest is not None:
        digest.update(rel.encode())
        digest.update(data)
    try:
        return read_yaml(text)
    except DuplicateKeyError as exc:
        raise KBLoadError(
            rel,
            f"line {exc.line}",
            None,
            f"duplicate key {exc.key!r}; write each key once per mapping",
        ) from None
    except YamlSyntaxError as exc:
        where = f"line {exc.line}" if exc.line is not None else ""
        raise KBLoadError(rel, where, None, f"valid YAML ({exc.problem})") from None


def first_error(exc: ValidationError) -> Any:
    """The error to report: a misspelt key first (it also makes the right key "missing")."""
    errors = exc.errors(include_url=False)
    return next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])


def value_at(raw: Any, loc: list[str]) -> Any:
    """The value at an error's location in the parsed YAML (keys compared as text)."""
    value: Any = raw
    for part in loc:
        if isinstance(value, dict):
            match = [k for k in value if str(k) == part]
            value = value[match[0]] if match else None
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            value = None
    return value


def unknown_key_message(model: type[BaseModel], loc: list[str]) -> str:
    """The message for an unknown key: the nearest allowed key, else the allowed keys."""
    allowed = _allowed_keys(model, loc[:-1])
    close = difflib.get_close_matches(loc[-1], allowed, n=1)
    if close:
        message = f"unknown key; did you mean {close[0]}?"
    else:
        message = "unknown key" + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
    if " " in loc[-1]:
        message += " (an unquoted comma inside {...} splits a value: quote the text)"
    return message


def _allowed_keys(model: type[BaseModel], loc: list[str]) -> list[str]:
    """The keys of the model found by walking ``loc`` (list indexes and mapping keys skipped)."""
    current: Any = model
    for part in loc:
        if part.isdigit() or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    return []


def inner_model(annotation: Any) -> Any:
    """The pydantic model in a field's annotation (``X``, ``X | None``, ``list[X]``), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
