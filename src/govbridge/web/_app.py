"""The FastAPI application: factory, templates, static assets and error pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from govbridge import __version__
from govbridge.errors import GovbridgeError, InputError, KnowledgeBaseError
from govbridge.web._security import (
    CSRF_COOKIE,
    Guard,
    csrf_token_for,
    new_csrf_cookie,
)
from govbridge.web._service import Dashboard
from govbridge.web._settings import Settings

__all__ = ["Page", "create_app", "dashboard", "features", "render"]

log = logging.getLogger("govbridge.web")

_STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


def _static_assets() -> dict[str, tuple[bytes, str]]:
    """Every static asset, read once into memory: a request never names a file on disk."""
    folder = resources.files("govbridge.web") / "static"
    assets: dict[str, tuple[bytes, str]] = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _STATIC_TYPES:
            assets[entry.name] = (entry.read_bytes(), _STATIC_TYPES[suffix])
    return assets


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("govbridge.web", "templates"),
        autoescape=True,
        auto_reload=False,  # the templates ship with the package: no stat() per render
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from govbridge.rules import trace_lines

    env.globals["trace_text"] = lambda trace: "\n".join(
        line for node in trace for line in trace_lines(node)
    )
    env.filters["number"] = _number
    return env


def _number(value: Any) -> str:
    """A number as people read it: 3.8e+25, 405000000000 -> 4.05e+11, 12 stays 12."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if value and (abs(value) >= 1e7 or abs(value) < 1e-3):
        return f"{value:.4g}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def dashboard(request: Request) -> Dashboard:
    """The dashboard state of the application that serves ``request``."""
    found: Dashboard = request.app.state.dashboard
    return found


def features() -> dict[str, bool]:
    """Which optional pages this installation can show (their packages import)."""
    needs = {
        "report": ("report",),
        "compare": ("compare", "crosswalk"),
        "glossary": ("glossary",),
        "crosswalk": ("crosswalk",),
    }
    found = {}
    for name, modules in needs.items():
        try:
            for module in modules:
                __import__(f"govbridge.{module}")
        except ImportError:
            found[name] = False
        else:
            found[name] = True
    return found


class Page:
    """A rendered page, with the CSRF cookie it may need to set."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.settings: Settings = request.app.state.settings
        cookie = request.cookies.get(CSRF_COOKIE)
        self.new_cookie = None if cookie else new_csrf_cookie()
        self.csrf = csrf_token_for(cookie or self.new_cookie or "", self.settings.secret)

    def response(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """Render a template into a response."""
        env: jinja2.Environment = self.request.app.state.templates
        html = env.get_template(template).render(
            request=self.request,
            csrf_token=self.csrf,
            token_required=self.settings.token is not None,
            features=self.request.app.state.features,
            app_version=__version__,
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        if self.new_cookie:
            response.set_cookie(
                CSRF_COOKIE,
                self.new_cookie,
                httponly=True,
                samesite="strict",
                secure=self.request.url.scheme == "https",
            )
        return response


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template for a request."""
    return Page(request).response(template, status_code, **context)


def _status_for(exc: GovbridgeError) -> int:
    from govbridge.store import NotFoundError, StoreError

    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    if isinstance(exc, KnowledgeBaseError):
        return 500
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    try:
        return render(request, "error.html", status, status=status, message=message)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("cannot render the error page")
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(GovbridgeError)
    async def _govbridge(request: Request, exc: GovbridgeError) -> Response:
        return _error(request, _status_for(exc), f"error: {exc}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "bad request"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page {request.url.path}"
        response = _error(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query"))
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        message = "invalid request: " + "; ".join(problems)
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=422)
        return _error(request, 422, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(request, 500, "internal error: the server log has the details")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the dashboard application.

    Args:
        settings: How to run; defaults serve the user's database on loopback without a token.

    Returns:
        The FastAPI application, with its security middleware installed.

    Raises:
        UsageError: When the settings would expose the dashboard (see :meth:`Settings.check`).
    """
    settings = settings or Settings()
    settings.check()
    state = Dashboard(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="govbridge",
        version=__version__,
        summary="Which AI rules apply to a model where, as of a date: the JSON API.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.dashboard = state
    app.state.templates = _environment()
    app.state.features = features()
    app.state.static = _static_assets()
    _install_handlers(app)

    from govbridge.web import _api, _pages

    app.include_router(_api.router)
    app.include_router(_pages.router)
    for feature in ("compare", "glossary", "crosswalk"):
        if app.state.features[feature]:
            from govbridge.web._extras import routers

            pages, api = routers(feature)
            app.include_router(api)
            app.include_router(pages)
    app.add_middleware(
        Guard,
        token=settings.token,
        secret=settings.secret,
        max_body=settings.max_upload_bytes,
        hosts=settings.hosts(),
    )
    return app
