"""The server-rendered pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile

from govbridge.errors import DossierError, GovbridgeError, UsageError
from govbridge.store import NAME_PATTERN
from govbridge.web._app import dashboard, render
from govbridge.web._security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    REPORT_CSP,
    SESSION_COOKIE,
    csrf_ok,
    safe_next,
    session_cookie,
    token_matches,
)
from govbridge.web._service import changes, form_to_mapping, parse_as_of, upload_name

__all__ = ["router"]


async def _close_forms(request: Request) -> AsyncIterator[None]:
    """Close the files of every form a handler read (uploads spool to temporary files)."""
    try:
        yield
    finally:
        for form in getattr(request.state, "forms", []):
            await form.close()


router = APIRouter(include_in_schema=False, dependencies=[Depends(_close_forms)])

Name = Annotated[str, Path(pattern=NAME_PATTERN, max_length=100)]
AsOf = Annotated[str | None, Query(max_length=40)]
Juris = Annotated[list[str], Query(max_length=40)]
_FORMAT_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}


async def _form(request: Request) -> FormData:
    """The posted form, checked against CSRF; its files are closed when the response is sent."""
    form = await request.form(max_files=1, max_fields=200)
    request.state.forms = [*getattr(request.state, "forms", []), form]
    secret = request.app.state.settings.secret
    field = form.get(CSRF_FIELD)
    if not csrf_ok(
        request.cookies.get(CSRF_COOKIE), field if isinstance(field, str) else None, secret
    ):
        raise HTTPException(
            403,
            "error: the form has expired or did not come from this dashboard (CSRF check): "
            "reload the page and send it again",
        )
    return form


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- home, static, login -----------------------------------------------------------------------


@router.get("/")
def home() -> RedirectResponse:
    return _see_other("/dossiers")


@router.get("/static/{asset}")
def static(request: Request, asset: Annotated[str, Path(max_length=100)]) -> Response:
    found = request.app.state.static.get(asset)
    if found is None:
        return render(request, "error.html", 404, status=404, message=f"no asset {asset}")
    body, media_type = found
    return Response(body, media_type=media_type, headers={"cache-control": "max-age=3600"})


@router.get("/login")
def login_page(
    request: Request, next: Annotated[str | None, Query(max_length=2000)] = None
) -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    settings = request.app.state.settings
    form = await _form(request)
    target = safe_next(_text(form, "next"))
    if settings.token is None:
        return _see_other(target)
    if not token_matches(_text(form, "token"), settings.token):
        return render(
            request, "login.html", 401, next=target, error="error: the token is not right"
        )
    response = _see_other(target)
    response.set_cookie(
        SESSION_COOKIE,
        session_cookie(settings.secret, settings.token),
        max_age=12 * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _form(request)
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


# -- dossiers --------------------------------------------------------------------------------


def _fact_fields() -> list[Any]:
    from govbridge.dossier import fact_specs

    return list(fact_specs().values())


@router.get("/dossiers")
def dossiers_page(request: Request) -> HTMLResponse:
    dash = dashboard(request)
    return render(
        request,
        "dossiers.html",
        dossiers=dash.store.list_dossiers(),
        facts=_fact_fields(),
        values={},
        error=None,
        mode="file",
    )


@router.post("/dossiers")
async def upload(request: Request) -> Response:
    dash = dashboard(request)
    form = await _form(request)
    mode = "form" if _text(form, "mode") == "form" else "file"
    name = _text(form, "name") or None
    note = _text(form, "note") or None
    try:
        if mode == "file":
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise UsageError("choose a dossier file to upload (YAML or JSON)")
            file = upload_name(upload.filename)
            data = await upload.read()
            dossier = dash.parse_text(data, file)
            text = data.decode("utf-8")
        else:
            from govbridge.dossier import from_mapping

            file = "form"
            dossier = from_mapping(
                form_to_mapping({k: v for k, v in form.items() if isinstance(v, str)}), file
            )
            text = None
        version, _ = await run_in_threadpool(
            dash.store.add_dossier,
            dossier,
            name=name,
            source_text=text,
            source_name=None if mode == "form" else file,
            note=note,
        )
    except (DossierError, UsageError) as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}
        listed = await run_in_threadpool(dash.store.list_dossiers)
        return render(
            request,
            "dossiers.html",
            400,
            dossiers=listed,
            facts=_fact_fields(),
            values=values,
            error=f"error: {exc}",
            mode=mode,
        )
    return _see_other(f"/dossiers/{version.name}")


@router.get("/dossiers/{name}")
def dossier_page(request: Request, name: Name) -> HTMLResponse:
    dash = dashboard(request)
    latest = dash.store.get_version(name)
    return render(
        request,
        "dossier.html",
        version=latest,
        dossier=dash.dossier(latest),
        facts=_facts_of(dash.dossier(latest)),
        saved=dash.store.assessments(name)[:20],
        evals=dash.store.eval_summaries(name)[:20],
        today=dash.today().isoformat(),
    )


def _facts_of(dossier: Any) -> list[tuple[str, Any]]:
    from govbridge.dossier import fact_specs, get_fact

    return [(p, get_fact(dossier, p)) for p in fact_specs()]


@router.get("/dossiers/{name}/versions/{version}")
def version_page(
    request: Request, name: Name, version: Annotated[int, Path(ge=1, le=10**9)]
) -> HTMLResponse:
    dash = dashboard(request)
    found = dash.store.get_version(name, version)
    latest = dash.store.get_version(name)
    return render(request, "version.html", version=found, latest=latest, error=None, text=None)


@router.post("/dossiers/{name}/versions")
async def edit(request: Request, name: Name) -> Response:
    dash = dashboard(request)
    form = await _form(request)
    text = _text(form, "text")
    note = _text(form, "note") or None
    try:
        dossier = dash.parse_text(text, f"{name}.yaml")
        version, _ = await run_in_threadpool(
            dash.store.add_dossier, dossier, name=name, source_text=text + "\n", note=note
        )
    except (DossierError, UsageError) as exc:
        latest = await run_in_threadpool(dash.store.get_version, name)
        return render(
            request,
            "version.html",
            400,
            version=latest,
            latest=latest,
            error=f"error: {exc}",
            text=text,
        )
    return _see_other(f"/dossiers/{name}/history")


@router.get("/dossiers/{name}/history")
def history_page(
    request: Request,
    name: Name,
    a: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    b: Annotated[int | None, Query(ge=1, le=10**9)] = None,
) -> HTMLResponse:
    from govbridge.store import diff_versions

    dash = dashboard(request)
    versions = dash.store.history(name)
    by_number = {v.version: v for v in versions}
    after = by_number.get(b) if b else versions[-1]
    before = by_number.get(a) if a else (by_number.get(after.version - 1) if after else None)
    if (a and a not in by_number) or (b and b not in by_number):
        raise UsageError(f"dossier {name!r} has versions 1 to {len(versions)}")
    diff = diff_versions(before, after) if before and after and before != after else None
    return render(
        request, "history.html", name=name, versions=versions, diff=diff, before=before, after=after
    )


# -- assessments -------------------------------------------------------------------------------


def _filters(request: Request, as_of: str | None, j: list[str], intl: bool) -> dict[str, Any]:
    dash = dashboard(request)
    when = parse_as_of(as_of, dash.today())
    return {"as_of": when, "jurisdictions": tuple(dict.fromkeys(j)), "intl": intl}


def _results(request: Request, key: tuple[Any, ...], document: dict[str, Any]) -> Markup:
    """The results part of an assessment page: the same for every request with this key."""
    env = request.app.state.templates
    return dashboard(request).rendered(
        key, lambda: env.get_template("_results.html").render(doc=document)
    )


@router.get("/dossiers/{name}/assessment")
async def assessment_page(
    request: Request,
    name: Name,
    as_of: AsOf = None,
    j: Juris = [],  # noqa: B006 - FastAPI copies defaults
    intl: bool = False,
    version: Annotated[int | None, Query(ge=1, le=10**9)] = None,
) -> HTMLResponse:
    # The busiest page: async, so that a cached assessment costs no thread hop. The work is
    # CPU-bound (a thread would not run it in parallel); only the database lookup may wait on
    # a server, and it goes to the thread pool unless the database is a local SQLite file.
    dash = dashboard(request)
    f = _filters(request, as_of, j, intl)
    found = await dash.run_db(dash.store.get_version, name, version)
    latest = found if version is None else await dash.run_db(dash.store.get_version, name)
    document = dash.assessment(found, f["as_of"], f["jurisdictions"], f["intl"])
    key = ("results", *dash.key(found, f["as_of"], f["jurisdictions"], f["intl"]))
    return render(
        request,
        "assessment.html",
        doc=document,
        results_html=_results(request, key, document),
        name=name,
        version=found,
        latest=latest,
        saved=None,
        all_jurisdictions=dash.jurisdictions(),
        **f,
    )


@router.post("/dossiers/{name}/assessment")
async def save_assessment(request: Request, name: Name) -> Response:
    dash = dashboard(request)
    form = await _form(request)
    j = [v for v in form.getlist("j") if isinstance(v, str)]
    f = _filters(request, _text(form, "as_of"), j, _text(form, "intl") == "true")
    number = _text(form, "version")
    if number and not number.isdigit():
        raise UsageError(f"version {number!r}: expected a number such as 1")

    def save() -> int:
        found = dash.store.get_version(name, int(number) if number else None)
        document = dash.assessment(found, f["as_of"], f["jurisdictions"], f["intl"])
        record = dash.store.save_assessment(
            found, document, jurisdictions=f["jurisdictions"], include_international=f["intl"]
        )
        return record.id

    saved = await run_in_threadpool(save)
    return _see_other(f"/assessments/{saved}")


@router.get("/assessments/{assessment_id}")
def saved_page(
    request: Request, assessment_id: Annotated[int, Path(ge=1, le=2**62)]
) -> HTMLResponse:
    dash = dashboard(request)
    record = dash.store.get_assessment(assessment_id)
    version = dash.store.get_version(record.name, record.version)
    return render(
        request,
        "assessment.html",
        doc=record.result,
        results_html=_results(request, ("saved", record.id), record.result),
        name=record.name,
        version=version,
        latest=dash.store.get_version(record.name),
        saved=record,
        all_jurisdictions=dash.jurisdictions(),
        as_of=record.as_of,
        jurisdictions=record.jurisdictions,
        intl=record.include_international,
    )


@router.get("/dossiers/{name}/changes")
def changes_page(
    request: Request,
    name: Name,
    from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    to: AsOf = None,
    j: Juris = [],  # noqa: B006 - FastAPI copies defaults
    intl: bool = False,
) -> HTMLResponse:
    dash = dashboard(request)
    today = dash.today()
    first = parse_as_of(from_, today, "from")
    second = parse_as_of(to, today + dt.timedelta(days=365), "to")
    juris = tuple(dict.fromkeys(j))
    found = dash.store.get_version(name)
    a = dash.assessment(found, first, juris, intl)
    b = dash.assessment(found, second, juris, intl)
    return render(
        request,
        "changes.html",
        name=name,
        version=found,
        first=first,
        second=second,
        changes=changes(a, b),
        jurisdictions=juris,
        intl=intl,
        all_jurisdictions=dash.jurisdictions(),
    )


# -- the report -------------------------------------------------------------------------------


@router.get("/dossiers/{name}/report")
def report_page(
    request: Request,
    name: Name,
    as_of: AsOf = None,
    j: Juris = [],  # noqa: B006 - FastAPI copies defaults
    lang: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
) -> HTMLResponse:
    dash = dashboard(request)
    f = _filters(request, as_of, j, False)
    found = dash.store.get_version(name)
    from urllib.parse import urlencode

    query = urlencode(
        [("as_of", f["as_of"].isoformat()), ("lang", lang)] + [("j", x) for x in f["jurisdictions"]]
    )
    return render(
        request,
        "report.html",
        name=name,
        version=found,
        query=query,
        formats=_report_formats(),
        lang=lang,
        all_jurisdictions=dash.jurisdictions(),
        **f,
    )


def _report_formats() -> tuple[str, ...]:
    try:
        from govbridge.report import FORMATS
    except ImportError:
        return ("html", "md", "json")
    return tuple(FORMATS)


@router.get("/dossiers/{name}/report.{fmt}")
def report_file(
    request: Request,
    name: Name,
    fmt: Annotated[str, Path(pattern="^(html|md|json|pdf)$")],
    as_of: AsOf = None,
    j: Juris = [],  # noqa: B006 - FastAPI copies defaults
    lang: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
    download: bool = False,
) -> Response:
    from govbridge.web._reports import render_report

    dash = dashboard(request)
    f = _filters(request, as_of, j, False)
    found = dash.store.get_version(name)
    if fmt not in _report_formats():
        raise UsageError(
            f"report format {fmt!r}: this installation offers {', '.join(_report_formats())}"
        )
    body = render_report(dash, found, f["as_of"], f["jurisdictions"], fmt, lang)
    filename = f"{name}-v{found.version}-{f['as_of'].isoformat()}.{fmt}"
    headers = {}
    if download:
        headers["content-disposition"] = f'attachment; filename="{filename}"'
    if fmt == "html":
        headers["content-security-policy"] = REPORT_CSP
    return Response(body, media_type=_FORMAT_TYPES[fmt], headers=headers)


# -- evaluation summaries ----------------------------------------------------------------------


@router.get("/evals")
def evals_page(request: Request) -> HTMLResponse:
    dash = dashboard(request)
    return render(
        request,
        "evals.html",
        summaries=dash.store.eval_summaries(),
        dossiers=dash.store.list_dossiers(),
        error=None,
    )


@router.post("/evals")
async def upload_eval(request: Request) -> Response:
    from govbridge.web._reports import parse_summary

    dash = dashboard(request)
    form = await _form(request)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise UsageError("choose an evaluation summary to upload (JSON)")
        file = upload_name(upload.filename, "summary.json")
        document = parse_summary(await upload.read(), file)
        target = _text(form, "dossier")

        def store() -> int:
            version = dash.store.get_version(target) if target else None
            return dash.store.add_eval_summary(document, version=version).id

        saved = await run_in_threadpool(store)
    except GovbridgeError as exc:
        summaries = await run_in_threadpool(dash.store.eval_summaries)
        listed = await run_in_threadpool(dash.store.list_dossiers)
        return render(
            request, "evals.html", 400, summaries=summaries, dossiers=listed, error=f"error: {exc}"
        )
    return _see_other(f"/evals/{saved}")


@router.get("/evals/{summary_id}")
def eval_page(request: Request, summary_id: Annotated[int, Path(ge=1, le=2**62)]) -> HTMLResponse:
    import json

    dash = dashboard(request)
    record = dash.store.get_eval_summary(summary_id)
    return render(
        request,
        "eval.html",
        summary=record,
        checks=[c for c in record.content.get("checks", []) if isinstance(c, dict)],
        pretty=json.dumps(record.content, indent=2, ensure_ascii=False),
    )
