"""The JSON API under /api/v1: the CLI's commands over HTTP (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from govbridge.errors import UsageError
from govbridge.store import NAME_PATTERN, AssessmentRecord, DossierVersion, diff_versions
from govbridge.web._app import dashboard
from govbridge.web._service import changes, parse_as_of

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad input, with the CLI's one-line message in `detail`."},
    404: {"description": "No such dossier, version or record."},
    422: {"description": "A parameter of the wrong form."},
}
router = APIRouter(prefix="/api/v1", tags=["govbridge"], responses=_ERRORS)

Name = Annotated[str, Path(pattern=NAME_PATTERN, max_length=100, description="A dossier name.")]
Number = Annotated[int, Path(ge=1, le=10**9, description="A version number.")]
Id = Annotated[int, Path(ge=1, le=2**62)]
AsOf = Annotated[
    str | None,
    Query(
        max_length=40, description="The date, YYYY-MM-DD (default: today).", examples=["2025-08-02"]
    ),
]
Juris = Annotated[
    list[str],
    Query(max_length=40, description="Keep only these jurisdictions (US keeps US-CA too)."),
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class DossierSummaryOut(_Out):
    """A stored dossier and its latest version."""

    name: str
    latest_version: int
    model_name: str
    created_at: dt.datetime
    updated_at: dt.datetime


class VersionOut(_Out):
    """One stored version of a dossier."""

    name: str
    version: int
    model_name: str
    created_at: dt.datetime
    sha256: str
    source_name: str | None
    note: str | None
    content: dict[str, Any] = Field(description="The validated dossier (govbridge/dossier/v1).")
    source_text: str = Field(description="The dossier as written.")


class AddedOut(VersionOut):
    """The version stored by an upload; ``created`` is false when it repeated the latest."""

    created: bool


class FactChangeOut(_Out):
    """One fact that differs between two versions."""

    path: str
    before: Any
    after: Any


class DiffOut(_Out):
    """The differences between two versions."""

    before: int
    after: int
    facts: list[FactChangeOut]
    text: list[str]


class ChangeOut(_Out):
    """A difference between the assessments of one dossier on two dates."""

    id: str
    level: str
    title: str
    field: str
    before: str
    after: str
    obligations: list[str]


class ChangesOut(_Out):
    """What changes between two dates."""

    name: str
    version: int
    from_: dt.date = Field(alias="from")
    to: dt.date
    changes: list[ChangeOut]

    model_config = ConfigDict(populate_by_name=True, frozen=True)


class SavedOut(_Out):
    """A saved assessment."""

    id: int
    name: str
    version: int
    as_of: dt.date
    kb_version: str
    kb_edition: str
    jurisdictions: list[str]
    include_international: bool
    created_at: dt.datetime
    result: dict[str, Any] | None = Field(
        default=None, description="The govbridge/assessment/v1 document (left out in lists)."
    )


class EvalOut(_Out):
    """A stored evaluation summary."""

    id: int
    name: str | None
    version: int | None
    schema_: str = Field(alias="schema")
    title: str
    sha256: str
    created_at: dt.datetime
    content: dict[str, Any] | None = None

    model_config = ConfigDict(populate_by_name=True, frozen=True)


class InstrumentOut(_Out):
    """An instrument and its status on a date (``govbridge kb list``)."""

    id: str
    jurisdiction: str
    kind: str
    status: str
    status_since: dt.date | None
    title: str
    title_zh: str


class DossierIn(BaseModel):
    """A dossier to store: as text (YAML or JSON), or as a JSON object."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        default=None,
        max_length=100,
        description="Its name in the store (default: from model.name).",
    )
    note: str | None = Field(default=None, max_length=2000)
    text: str | None = Field(default=None, description="The dossier as YAML (or JSON) text.")
    filename: str | None = Field(
        default=None, max_length=200, description="Shown in messages; .json means JSON."
    )
    dossier: dict[str, Any] | None = Field(default=None, description="The dossier as an object.")


class AssessIn(BaseModel):
    """A stateless assessment (``govbridge assess``) of a dossier given in the request."""

    model_config = ConfigDict(extra="forbid")

    dossier: dict[str, Any] | None = None
    text: str | None = None
    as_of: str | None = Field(default=None, max_length=40, examples=["2025-08-02"])
    jurisdiction: list[str] = Field(default_factory=list, max_length=40)
    include_international: bool = False


class SaveIn(BaseModel):
    """What to assess and save for a stored dossier (``govbridge assess --save``)."""

    model_config = ConfigDict(extra="forbid")

    as_of: str | None = Field(default=None, max_length=40, examples=["2025-08-02"])
    jurisdiction: list[str] = Field(default_factory=list, max_length=40)
    include_international: bool = False
    version: int | None = Field(default=None, ge=1, le=10**9)


def _version(v: DossierVersion) -> dict[str, Any]:
    return {
        "name": v.name,
        "version": v.version,
        "model_name": v.model_name,
        "created_at": v.created_at,
        "sha256": v.sha256,
        "source_name": v.source_name,
        "note": v.note,
        "content": v.content,
        "source_text": v.source_text,
    }


def _saved(a: AssessmentRecord, full: bool) -> SavedOut:
    return SavedOut(
        id=a.id,
        name=a.name,
        version=a.version,
        as_of=a.as_of,
        kb_version=a.kb_version,
        kb_edition=a.kb_edition,
        jurisdictions=list(a.jurisdictions),
        include_international=a.include_international,
        created_at=a.created_at,
        result=a.result if full else None,
    )


def _parse_dossier(
    request: Request, text: str | None, obj: dict[str, Any] | None, file: str
) -> Any:
    if (text is None) == (obj is None):
        raise UsageError("give the dossier either as text or as an object, not both or neither")
    if text is not None:
        return dashboard(request).parse_text(text, file)
    from govbridge.dossier import from_mapping

    return from_mapping(obj, file)


# -- dossiers ----------------------------------------------------------------------------------


@router.get("/dossiers", summary="List the stored dossiers (govbridge dossier list)")
def list_dossiers(request: Request) -> list[DossierSummaryOut]:
    return [DossierSummaryOut(**vars(d)) for d in dashboard(request).store.list_dossiers()]


@router.post(
    "/dossiers",
    status_code=201,
    summary="Store a dossier as a new version (govbridge dossier add)",
)
def add_dossier(request: Request, body: Annotated[DossierIn, Body()]) -> AddedOut:
    from govbridge.web._service import upload_name

    file = upload_name(body.filename, "dossier.yaml" if body.text is not None else "dossier")
    dossier = _parse_dossier(request, body.text, body.dossier, file)
    version, created = dashboard(request).store.add_dossier(
        dossier,
        name=body.name,
        source_text=body.text,
        source_name=upload_name(body.filename) if body.filename else None,
        note=body.note,
    )
    return AddedOut(**_version(version), created=created)


@router.get("/dossiers/{name}", summary="The latest version of a dossier (govbridge dossier show)")
def get_dossier(request: Request, name: Name) -> VersionOut:
    return VersionOut(**_version(dashboard(request).store.get_version(name)))


@router.get("/dossiers/{name}/versions", summary="Every version (govbridge dossier history)")
def history(request: Request, name: Name) -> list[VersionOut]:
    return [VersionOut(**_version(v)) for v in dashboard(request).store.history(name)]


@router.get("/dossiers/{name}/versions/{version}", summary="One version of a dossier")
def get_version(request: Request, name: Name, version: Number) -> VersionOut:
    return VersionOut(**_version(dashboard(request).store.get_version(name, version)))


@router.get("/dossiers/{name}/diff", summary="The differences between two versions")
def diff(
    request: Request,
    name: Name,
    a: Annotated[int, Query(ge=1, le=10**9, description="The older version.")],
    b: Annotated[int, Query(ge=1, le=10**9, description="The newer version.")],
) -> DiffOut:
    store = dashboard(request).store
    d = diff_versions(store.get_version(name, a), store.get_version(name, b))
    return DiffOut(
        before=d.before,
        after=d.after,
        facts=[FactChangeOut(path=c.path, before=c.before, after=c.after) for c in d.facts],
        text=list(d.text),
    )


# -- assessments -------------------------------------------------------------------------------


@router.get(
    "/dossiers/{name}/assessment",
    summary="Assess a stored dossier as of a date (govbridge assess)",
    response_description="A govbridge/assessment/v1 document (docs/assessment-schema.md).",
)
def assess_stored(
    request: Request,
    name: Name,
    as_of: AsOf = None,
    jurisdiction: Juris = [],  # noqa: B006 - FastAPI copies defaults
    include_international: bool = False,
    version: Annotated[int | None, Query(ge=1, le=10**9)] = None,
) -> dict[str, Any]:
    dash = dashboard(request)
    when = parse_as_of(as_of, dash.today())
    found = dash.store.get_version(name, version)
    return dash.assessment(found, when, tuple(dict.fromkeys(jurisdiction)), include_international)


@router.get("/dossiers/{name}/changes", summary="What changes between two dates")
def date_changes(
    request: Request,
    name: Name,
    from_: Annotated[str, Query(alias="from", max_length=40, examples=["2025-08-01"])],
    to: Annotated[str, Query(max_length=40, examples=["2025-08-02"])],
    jurisdiction: Juris = [],  # noqa: B006 - FastAPI copies defaults
    include_international: bool = False,
) -> ChangesOut:
    dash = dashboard(request)
    today = dash.today()
    first, second = parse_as_of(from_, today, "from"), parse_as_of(to, today, "to")
    juris = tuple(dict.fromkeys(jurisdiction))
    found = dash.store.get_version(name)
    a = dash.assessment(found, first, juris, include_international)
    b = dash.assessment(found, second, juris, include_international)
    return ChangesOut(
        name=name,
        version=found.version,
        from_=first,
        to=second,
        changes=[
            ChangeOut(**{**vars(c), "obligations": list(c.obligations)}) for c in changes(a, b)
        ],
    )


@router.post(
    "/dossiers/{name}/assessments",
    status_code=201,
    summary="Assess a stored dossier and save the result (govbridge assess --save)",
)
def save(request: Request, name: Name, body: Annotated[SaveIn, Body()]) -> SavedOut:
    dash = dashboard(request)
    when = parse_as_of(body.as_of, dash.today())
    juris = tuple(dict.fromkeys(body.jurisdiction))
    found = dash.store.get_version(name, body.version)
    document = dash.assessment(found, when, juris, body.include_international)
    record = dash.store.save_assessment(
        found, document, jurisdictions=juris, include_international=body.include_international
    )
    return _saved(record, True)


@router.get("/dossiers/{name}/assessments", summary="The saved assessments of a dossier")
def saved_of(request: Request, name: Name) -> list[SavedOut]:
    return [_saved(a, False) for a in dashboard(request).store.assessments(name)]


@router.get("/assessments/{assessment_id}", summary="One saved assessment")
def saved_one(request: Request, assessment_id: Id) -> SavedOut:
    return _saved(dashboard(request).store.get_assessment(assessment_id), True)


@router.post("/assess", summary="Assess a dossier given in the request, without storing it")
def assess_given(request: Request, body: Annotated[AssessIn, Body()]) -> dict[str, Any]:
    from govbridge.rules import to_dict

    dash = dashboard(request)
    dossier = _parse_dossier(request, body.text, body.dossier, "dossier")
    when = parse_as_of(body.as_of, dash.today())
    result = dash.assess(
        dossier, when, tuple(dict.fromkeys(body.jurisdiction)), body.include_international
    )
    return to_dict(result)


# -- the knowledge base ------------------------------------------------------------------------


@router.get(
    "/kb/instruments", summary="The instruments and their status on a date (govbridge kb list)"
)
def instruments(request: Request, as_of: AsOf = None) -> list[InstrumentOut]:
    from govbridge.rules import instrument_status

    dash = dashboard(request)
    when = parse_as_of(as_of, dash.today())
    found = []
    for inst in sorted(dash.kb.instruments.values(), key=lambda i: (i.data.jurisdiction, i.id)):
        status, since = instrument_status(inst, when)
        found.append(
            InstrumentOut(
                id=inst.id,
                jurisdiction=inst.data.jurisdiction,
                kind=inst.data.kind,
                status=status,
                status_since=since,
                title=inst.data.title.en,
                title_zh=inst.data.title.zh,
            )
        )
    return found


@router.get(
    "/kb/instruments/{instrument_id}", summary="One instrument, as data (govbridge kb show)"
)
def instrument(
    request: Request,
    instrument_id: Annotated[str, Path(max_length=100, examples=["us.ca.sb53"])],
) -> dict[str, Any]:
    inst = dashboard(request).kb.instrument(instrument_id)
    return {
        "id": inst.id,
        **inst.data.model_dump(mode="json", exclude_none=True),
        "provisions": [
            {"id": p.id, **p.data.model_dump(mode="json", exclude_none=True)}
            for p in inst.provisions
        ],
    }


# -- evaluation summaries and reports ---------------------------------------------------------


def _eval(record: Any, full: bool) -> EvalOut:
    return EvalOut(
        id=record.id,
        name=record.name,
        version=record.version,
        schema_=record.schema,
        title=record.title,
        sha256=record.sha256,
        created_at=record.created_at,
        content=record.content if full else None,
    )


@router.get("/evals", summary="The stored evaluation summaries")
def evals(request: Request) -> list[EvalOut]:
    return [_eval(e, False) for e in dashboard(request).store.eval_summaries()]


@router.post("/evals", status_code=201, summary="Store an evaluation summary")
def add_eval(
    request: Request,
    summary: Annotated[dict[str, Any], Body(description="A govbridge/eval-summary/v1 document.")],
    dossier: Annotated[str | None, Query(pattern=NAME_PATTERN, max_length=100)] = None,
) -> EvalOut:
    import json

    from govbridge.web._reports import parse_summary

    dash = dashboard(request)
    document = parse_summary(json.dumps(summary).encode(), "summary")
    version = dash.store.get_version(dossier) if dossier else None
    return _eval(dash.store.add_eval_summary(document, version=version), True)


@router.get("/evals/{summary_id}", summary="One evaluation summary")
def eval_one(request: Request, summary_id: Id) -> EvalOut:
    return _eval(dashboard(request).store.get_eval_summary(summary_id), True)


@router.get(
    "/dossiers/{name}/report",
    summary="The harmonised report of a stored dossier (govbridge report)",
    responses={200: {"content": {"text/html": {}, "text/markdown": {}, "application/pdf": {}}}},
)
def report(
    request: Request,
    name: Name,
    as_of: AsOf = None,
    jurisdiction: Juris = [],  # noqa: B006 - FastAPI copies defaults
    format: Annotated[str, Query(pattern="^(html|md|json|pdf)$")] = "json",
    lang: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
) -> Response:
    from govbridge.web._pages import _FORMAT_TYPES
    from govbridge.web._reports import render_report

    dash = dashboard(request)
    when = parse_as_of(as_of, dash.today())
    found = dash.store.get_version(name)
    body = render_report(dash, found, when, tuple(dict.fromkeys(jurisdiction)), format, lang)
    if format == "json":
        return Response(body, media_type="application/json")
    return Response(body, media_type=_FORMAT_TYPES[format])
