"""Pages and API for the comparison, the glossary and the crosswalk.

Each part is installed only when its package imports (see ``features()``); the knowledge-base
derived data (glossary, crosswalk) is loaded once per process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from govbridge.web._app import dashboard, render
from govbridge.web._security import REPORT_CSP
from govbridge.web._service import parse_as_of

if TYPE_CHECKING:
    from govbridge.crosswalk import Crosswalk
    from govbridge.glossary import Glossary

__all__ = ["routers"]

_pages = {name: APIRouter(include_in_schema=False) for name in ("compare", "glossary", "crosswalk")}
_apis = {
    name: APIRouter(prefix="/api/v1", tags=["reference"])
    for name in ("compare", "glossary", "crosswalk")
}


def routers(feature: str) -> tuple[APIRouter, APIRouter]:
    """The page router and the API router of one optional part."""
    return _pages[feature], _apis[feature]


_lock = threading.Lock()
_loaded: dict[str, Any] = {}
_comparisons: OrderedDict[tuple[str, str, dt.date, str], Any] = OrderedDict()

AsOf = Annotated[str | None, Query(max_length=40, examples=["2025-06-01"])]
Code = Annotated[str, Query(max_length=20, examples=["US"])]
Search = Annotated[str, Query(max_length=200)]
ConceptId = Annotated[str, Path(max_length=120, examples=["tc260:A.4.e"])]


def _glossary() -> Glossary:
    from govbridge.glossary import load_glossary

    with _lock:
        if "glossary" not in _loaded:
            _loaded["glossary"] = load_glossary()
        found: Glossary = _loaded["glossary"]
        return found


def _crosswalk() -> Crosswalk:
    from govbridge.crosswalk import load_crosswalk

    with _lock:
        if "crosswalk" not in _loaded:
            _loaded["crosswalk"] = load_crosswalk()
        found: Crosswalk = _loaded["crosswalk"]
        return found


def _plain(value: Any) -> Any:
    """A dataclass (or a tuple of them) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# -- compare -------------------------------------------------------------------------------------


def _comparison(request: Request, a: str, b: str, as_of: str | None) -> Any:
    from govbridge.compare import compare

    dash = dashboard(request)
    when = parse_as_of(as_of, dash.today())
    key = (a, b, when, dash.kb.version)
    with _lock:
        if key in _comparisons:
            _comparisons.move_to_end(key)
            return _comparisons[key]
    found = compare(dash.kb, a, b, when, crosswalk=_crosswalk())
    with _lock:
        _comparisons[key] = found
        while len(_comparisons) > 32:  # bounded: the dates come from requests
            _comparisons.popitem(last=False)
    return found


@_pages["compare"].get("/compare")
def compare_page(
    request: Request, a: Code = "US", b: Code = "CN", as_of: AsOf = None
) -> HTMLResponse:
    from urllib.parse import urlencode

    from govbridge.compare import known_jurisdictions

    dash = dashboard(request)
    c = _comparison(request, a, b, as_of)
    query = urlencode({"a": c.a, "b": c.b, "as_of": c.as_of.isoformat()})
    return render(
        request,
        "compare.html",
        c=c,
        query=query,
        codes=known_jurisdictions(dash.kb),
    )


@_pages["compare"].get("/compare/view.{fmt}")
def compare_view(
    request: Request,
    fmt: Annotated[str, Path(pattern="^(html|md|json)$")],
    a: Code = "US",
    b: Code = "CN",
    as_of: AsOf = None,
    download: bool = False,
) -> Response:
    from govbridge.compare import to_html, to_json, to_markdown

    c = _comparison(request, a, b, as_of)
    body = {"html": to_html, "md": to_markdown, "json": to_json}[fmt](c)
    media = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}
    headers = {"content-security-policy": REPORT_CSP} if fmt == "html" else {}
    if download:
        name = f"compare-{c.a}-{c.b}-{c.as_of.isoformat()}.{fmt}"
        headers["content-disposition"] = f'attachment; filename="{name}"'
    return Response(body, media_type=media.get(fmt, "application/json"), headers=headers)


@_apis["compare"].get(
    "/compare", summary="The divergence map of two jurisdictions (govbridge compare)"
)
def compare_api(
    request: Request, a: Code = "US", b: Code = "CN", as_of: AsOf = None
) -> dict[str, Any]:
    from govbridge.compare import to_dict

    found: dict[str, Any] = to_dict(_comparison(request, a, b, as_of))
    return found


# -- glossary --------------------------------------------------------------------------------


def _search(q: str) -> list[Any]:
    glossary = _glossary()
    if not q.strip():
        return sorted(glossary, key=lambda t: t.en.lower())
    ids = glossary.suggest(q, n=25)
    try:
        exact = glossary.lookup(q).id
    except Exception:  # noqa: BLE001 - no exact form: the suggestions stand
        exact = None
    if exact is not None:
        ids = [exact] + [i for i in ids if i != exact]
    return [glossary.terms[i] for i in ids]


@_pages["glossary"].get("/glossary")
def glossary_page(request: Request, q: Search = "") -> HTMLResponse:
    return render(request, "glossary.html", q=q, terms=_search(q), total=len(_glossary()))


@_pages["glossary"].get("/glossary/{term_id}")
def term_page(request: Request, term_id: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
    glossary = _glossary()
    term = glossary.lookup(term_id)
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    return render(request, "term.html", term=term, related=related)


@_apis["glossary"].get("/glossary", summary="Search the bilingual glossary (govbridge glossary)")
def glossary_api(q: Search = "") -> list[dict[str, Any]]:
    from govbridge.glossary import to_dict

    return [to_dict(t) for t in _search(q)]


@_apis["glossary"].get("/glossary/{term_id}", summary="One glossary term, by any of its forms")
def term_api(term_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    from govbridge.glossary import to_dict

    found: dict[str, Any] = to_dict(_glossary().lookup(term_id))
    return found


# -- crosswalk -------------------------------------------------------------------------------


@_pages["crosswalk"].get("/crosswalk")
def crosswalk_page(
    request: Request, scheme: Annotated[str | None, Query(max_length=60)] = None
) -> HTMLResponse:
    cw = _crosswalk()
    chosen = cw.scheme(scheme) if scheme else None
    concepts = cw.concepts_of(chosen.id) if chosen else ()
    counts = {c.id: len(cw.map_concept(c.id)) for c in concepts}
    return render(
        request,
        "crosswalk.html",
        cw=cw,
        schemes=list(cw.schemes.values()),
        chosen=chosen,
        concepts=concepts,
        counts=counts,
    )


@_pages["crosswalk"].get("/crosswalk/concepts/{concept_id}")
def concept_page(request: Request, concept_id: ConceptId) -> HTMLResponse:
    cw = _crosswalk()
    concept = cw.concept(concept_id)
    mappings = cw.map_concept(concept.id)
    return render(
        request,
        "concept.html",
        concept=concept,
        scheme=cw.scheme(concept.scheme),
        mappings=mappings,
        targets={m.object: cw.concepts.get(m.object) for m in mappings},
        gaps=cw.no_counterpart(concept.id),
        broader=cw.concepts.get(concept.broader) if concept.broader else None,
        narrower=[cw.concepts[n] for n in concept.narrower if n in cw.concepts],
    )


@_apis["crosswalk"].get("/crosswalk/schemes", summary="The taxonomies of the crosswalk")
def schemes_api() -> list[dict[str, Any]]:
    return [
        {k: v for k, v in _plain(s).items() if k not in ("sources", "cite_source")}
        for s in _crosswalk().schemes.values()
    ]


@_apis["crosswalk"].get(
    "/crosswalk/concepts/{concept_id}",
    summary="One concept and its mappings (govbridge crosswalk map)",
)
def concept_api(concept_id: ConceptId) -> dict[str, Any]:
    cw = _crosswalk()
    concept = cw.concept(concept_id)
    return {
        "concept": _plain(concept),
        "mappings": _plain(cw.map_concept(concept.id)),
        "no_counterpart": _plain(cw.no_counterpart(concept.id)),
    }
