"""Security: the access token, sessions, CSRF, request size, Host header, response headers.

Pure ASGI middleware, so that a refused request never reaches the application.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, TimestampSigner

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SESSION_COOKIE",
    "Guard",
    "csrf_token_for",
    "new_csrf_cookie",
    "safe_next",
    "session_cookie",
    "token_matches",
    "valid_session",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "govbridge_session"
CSRF_COOKIE = "govbridge_csrf"
CSRF_FIELD = "csrf_token"
SESSION_MAX_AGE = 12 * 3600

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'"
)
#: The report as a document of its own: its inline styles, no scripts, and a sandbox.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)


def token_matches(given: str | None, token: str) -> bool:
    """Compare a presented token with the real one in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def session_cookie(secret: str, token: str) -> str:
    """A signed, timestamped session value; it dies with a change of token or secret."""
    return TimestampSigner(secret, salt="session").sign(_token_id(token)).decode()


def valid_session(value: str | None, secret: str, token: str) -> bool:
    """Whether a session cookie is genuine, fresh and made for the current token."""
    if not value:
        return False
    try:
        raw = TimestampSigner(secret, salt="session").unsign(value, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return False
    return hmac.compare_digest(raw, _token_id(token).encode())


def new_csrf_cookie() -> str:
    """A fresh random value for the CSRF cookie."""
    return secrets.token_urlsafe(24)


def csrf_token_for(cookie: str, secret: str) -> str:
    """The form token that goes with a CSRF cookie (an HMAC of it)."""
    return hmac.new(secret.encode(), f"csrf:{cookie}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(cookie: str | None, field: str | None, secret: str) -> bool:
    """Whether a form's CSRF field matches the request's CSRF cookie."""
    if not cookie or not field:
        return False
    return hmac.compare_digest(csrf_token_for(cookie, secret), field)


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else becomes ``/``.

    >>> safe_next("/dossiers?x=1"), safe_next("//evil.example"), safe_next("https://x")
    ('/dossiers?x=1', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 32 for c in target):
        return "/"
    return target


def cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies."""
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header counts as none
                continue
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class _TooLarge(BaseException):  # noqa: N818 - not an Exception: it must pass the app's handlers
    """A request body grew past the limit while the application was reading it."""


class Guard:
    """The middleware in front of the application.

    In order, for each HTTP request: the Host header must be an allowed name (against DNS
    rebinding); a body larger than the limit is refused with 413; with a token set, every
    path but the login page and the static assets needs the token (``Authorization: Bearer``)
    or a session cookie; API writes must be JSON. Every response gets security headers.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        secret: str,
        max_body: int,
        hosts: tuple[str, ...] | None,
    ) -> None:
        self.app = app
        self.token = token
        self.secret = secret
        self.max_body = max_body
        self.hosts = {h.lower() for h in hosts} if hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        api = path.startswith("/api/")
        if self.hosts is not None and not self._host_ok(scope):
            await _plain(send, 400, "invalid Host header", api)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _plain(send, 413, f"request too large: the limit is {self.max_body} bytes", api)
            return
        if self.token is not None and not self._authorised(scope, path):
            if api:
                await _plain(send, 401, "an access token is required", True, bearer=True)
            else:
                await _redirect(send, "/login?next=" + _quote(_full_path(scope)))
            return
        method = scope.get("method", "GET")
        if api and method in ("POST", "PUT", "PATCH", "DELETE"):
            ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
            if ctype != "application/json":
                await _plain(send, 415, "send the request body as application/json", True)
                return
        await self._call(scope, receive, send, api)

    def _host_ok(self, scope: Scope) -> bool:
        host = (_header(scope, b"host") or "").lower()
        if host.startswith("["):
            name = host.split("]")[0] + "]"
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return self.hosts is not None and name in self.hosts

    def _authorised(self, scope: Scope, path: str) -> bool:
        assert self.token is not None
        if path in ("/login", "/favicon.ico") or path.startswith("/static/"):
            return True
        auth = _header(scope, b"authorization") or ""
        if auth[:7].lower() == "bearer " and token_matches(auth[7:].strip(), self.token):
            return True
        return valid_session(cookies(scope).get(SESSION_COOKIE), self.secret, self.token)

    async def _call(self, scope: Scope, receive: Receive, send: Send, api: bool) -> None:
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for key, value in _SECURITY_HEADERS:
                    if key not in names:
                        headers.append((key, value))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLarge:
            if not started:
                await _plain(
                    send, 413, f"request too large: the limit is {self.max_body} bytes", api
                )


_SECURITY_HEADERS = [
    (b"content-security-policy", PAGE_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def _full_path(scope: Scope) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    return str(scope.get("path", "/")) + (f"?{query}" if query else "")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


async def _plain(send: Send, status: int, message: str, api: bool, bearer: bool = False) -> None:
    if api:
        body = json.dumps({"detail": message}).encode()
        ctype = b"application/json"
    else:
        from html import escape

        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{status}</title></head><body><h1>{status}</h1>"
            f"<p>error: {escape(message)}</p></body></html>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    headers = [
        (b"content-type", ctype),
        (b"content-length", str(len(body)).encode()),
        *_SECURITY_HEADERS,
    ]
    if bearer:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0"), *_SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
