"""Helpers for the web tests: an application on a fresh SQLite file, and a live server."""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LLAMA = ROOT / "examples" / "llama-3.1-405b.yaml"
TODAY = dt.date(2025, 8, 1)
TOKEN = "correct-horse-battery-staple"


def make_app(tmp_path: Path, **overrides: Any) -> Any:
    from govbridge.web import Settings, create_app

    settings: dict[str, Any] = {
        "db_url": f"sqlite:///{tmp_path / 'web.db'}",
        "allowed_hosts": ("testserver", "localhost", "127.0.0.1"),
        "today": lambda: TODAY,
    }
    settings.update(overrides)
    return create_app(Settings(**settings))


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def errors(html: str) -> list[str]:
    return [unescape(e) for e in re.findall(r'class="error"[^>]*>([^<]*)<', html)]


def provisions(html: str) -> dict[str, str]:
    """The provisions listed as applying (or maybe applying) on an assessment page."""
    return dict(re.findall(r'data-provision="([^"]+)" data-applies="([^"]+)"', html))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve an application with uvicorn on a free loopback port, in a thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
