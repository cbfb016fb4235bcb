"""The settings of one dashboard process."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govbridge.errors import UsageError

if TYPE_CHECKING:
    from govbridge.kb import KnowledgeBase

__all__ = ["LOOPBACK_NAMES", "Settings", "is_loopback"]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether a bind address is on the loopback interface only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """How the dashboard runs.

    Attributes:
        db_url: The database URL (``None``: ``GOVBRIDGE_DB``, else the user's SQLite file).
        host: The address the server binds to; any non-loopback address needs a token.
        port: The port.
        token: The access token; required for a non-loopback host, optional otherwise.
        max_upload_bytes: The largest request body accepted (uploads, forms, JSON).
        secret: The key that signs session and CSRF cookies (random per process by default).
        allowed_hosts: Host header values accepted (against DNS rebinding); ``None`` derives
            them from ``host``: the loopback names for a loopback host, anything otherwise.
        kb: A knowledge base to use instead of the bundled one (tests).
        today: Returns today's date, the default as-of date (a seam for tests).
        cache_size: How many assessments are kept in memory (each is a pure function of the
            dossier version, the knowledge base, the date and the filters).
    """

    db_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    max_upload_bytes: int = 1_048_576
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    allowed_hosts: tuple[str, ...] | None = None
    kb: KnowledgeBase | None = field(default=None, repr=False)
    today: Callable[[], dt.date] | None = field(default=None, repr=False)
    cache_size: int = 256

    def check(self) -> None:
        """Refuse settings that would expose the dashboard.

        Raises:
            UsageError: For a non-loopback host without a token, or a weak token.
        """
        if self.token is not None and len(self.token) < 16:
            raise UsageError(
                "--token: use at least 16 characters (example: the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`)"
            )
        if not is_loopback(self.host) and not self.token:
            raise UsageError(
                f"--host {self.host}: the dashboard would be reachable from other machines; "
                "give an access token with --token or GOVBRIDGE_TOKEN (example: --token "
                "\"$(python -c 'import secrets; print(secrets.token_urlsafe(24))')\")"
            )
        if not 1 <= self.port <= 65535:
            raise UsageError(f"--port {self.port}: expected 1 to 65535 (example: 8000)")
        if self.max_upload_bytes < 1024:
            raise UsageError("the upload limit must be at least 1024 bytes")

    def hosts(self) -> tuple[str, ...] | None:
        """The Host header names accepted, or ``None`` for any."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        if is_loopback(self.host):
            return LOOPBACK_NAMES
        return None
