"""The web dashboard and JSON API (the ``web`` extra): ``govbridge serve``.

Server-rendered pages (Jinja2, autoescaped) and a JSON API under ``/api/v1`` with its OpenAPI
schema at ``/api/v1/openapi.json``. Every asset is served from the package; nothing is loaded
from a CDN. It binds to loopback by default; any other address needs an access token.

>>> from fastapi.testclient import TestClient
>>> app = create_app(Settings(db_url="sqlite:///:memory:", allowed_hosts=("testserver",)))
>>> with TestClient(app) as client:
...     client.get("/api/v1/dossiers").json()
[]
"""

from govbridge.web._app import create_app
from govbridge.web._settings import LOOPBACK_NAMES, Settings, is_loopback

__all__ = ["LOOPBACK_NAMES", "Settings", "create_app", "is_loopback", "serve"]


def serve(settings: Settings, *, log_level: str = "info") -> None:
    """Run the dashboard with uvicorn until interrupted.

    Args:
        settings: How to run (checked first: see :meth:`Settings.check`).
        log_level: uvicorn's log level.

    Raises:
        UsageError: When the settings would expose the dashboard.
    """
    import uvicorn

    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
        date_header=True,
        limit_concurrency=200,
        timeout_keep_alive=5,
    )
