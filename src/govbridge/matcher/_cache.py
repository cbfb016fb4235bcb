"""A small disk cache for the matcher: parsed libraries, normal forms, compiled automata.

It only saves time. A missing, unreadable or read-only cache folder is harmless. The folder is
``$GOVBRIDGE_CACHE_DIR/govbridge/matcher`` (else ``$XDG_CACHE_HOME/...``, else
``~/.cache/govbridge/matcher``), like the knowledge base's cache.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_folder", "cached"]

_T = TypeVar("_T")


def cached(key: str, build: Callable[[], _T]) -> _T:
    """The value stored under ``key``, or ``build()``, stored for next time."""
    path = cache_folder() / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            value: _T = pickle.load(handle)  # noqa: S301 - our own file, written below
        return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value


def cache_folder() -> Path:
    """The matcher's cache folder."""
    base = os.environ.get("GOVBRIDGE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return (Path(base) / "govbridge" if base else Path.home() / ".cache" / "govbridge") / "matcher"
