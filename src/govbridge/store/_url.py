"""Where the database is: ``--db``, else ``GOVBRIDGE_DB``, else SQLite in the user's data dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from govbridge.errors import UsageError

__all__ = ["default_data_dir", "default_url", "display_url", "resolve_url"]

_EXAMPLE = "sqlite:///path/to/govbridge.db or postgresql+psycopg://user@localhost/govbridge"


def default_data_dir() -> Path:
    r"""The user's data folder for govbridge.

    ``GOVBRIDGE_DATA_DIR`` when set; else ``$XDG_DATA_HOME/govbridge`` (default
    ``~/.local/share/govbridge``) on Linux, ``~/Library/Application Support/govbridge`` on macOS
    and ``%LOCALAPPDATA%\govbridge`` on Windows.
    """
    explicit = os.environ.get("GOVBRIDGE_DATA_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":  # pragma: no cover - not tested on this platform
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "govbridge"
    if sys.platform == "darwin":  # pragma: no cover - not tested on this platform
        return Path.home() / "Library" / "Application Support" / "govbridge"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "govbridge"


def default_url() -> str:
    """The SQLite file in the user's data folder."""
    return f"sqlite:///{default_data_dir() / 'govbridge.db'}"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use, normalised.

    Args:
        url: An explicit URL (``--db``); ``None`` falls back to ``GOVBRIDGE_DB`` and then to
            :func:`default_url`. A plain file path means an SQLite file, and ``postgresql://``
            means ``postgresql+psycopg://``.

    Returns:
        A URL that :func:`sqlalchemy.create_engine` accepts.

    Raises:
        UsageError: When the URL cannot be read or names an unsupported database.

    >>> resolve_url("postgresql://me@localhost/gb")
    'postgresql+psycopg://me@localhost/gb'
    >>> resolve_url("data/gb.db")
    'sqlite:///data/gb.db'
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = url or os.environ.get("GOVBRIDGE_DB") or default_url()
    if "://" not in text:
        text = f"sqlite:///{text}"
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise UsageError(
            f"--db {_hide(text)!r}: not a database URL (example: {_EXAMPLE})"
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise UsageError(
            f"--db {_hide(text)!r}: unsupported database {parsed.drivername!r}; govbridge "
            f"supports SQLite and PostgreSQL through psycopg (example: {_EXAMPLE})"
        )
    return parsed.render_as_string(hide_password=False)


def _hide(text: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unreadable URL is shown as written, minus nothing
        return text


def display_url(url: str) -> str:
    """The URL with its password hidden, for messages.

    >>> display_url("postgresql+psycopg://me:secret@localhost/gb")
    'postgresql+psycopg://me:***@localhost/gb'
    """
    return _hide(url)
