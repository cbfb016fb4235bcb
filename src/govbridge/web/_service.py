"""What the pages and the API share: the store, the knowledge base, cached assessments."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from markupsafe import Markup

from govbridge.errors import DossierError, UsageError

if TYPE_CHECKING:
    from govbridge.dossier import Dossier
    from govbridge.kb import KnowledgeBase
    from govbridge.rules import Assessment
    from govbridge.store import DossierVersion, Store
    from govbridge.web._settings import Settings

T = TypeVar("T")

__all__ = ["Change", "Dashboard", "changes", "form_to_mapping", "parse_as_of", "upload_name"]


def parse_as_of(text: str | None, today: dt.date, field: str = "as_of") -> dt.date:
    """Read a YYYY-MM-DD date (empty: today), with the CLI's message.

    Raises:
        UsageError: When the text is not a date.

    >>> parse_as_of("2025-08-02", dt.date(2026, 1, 1))
    datetime.date(2025, 8, 2)
    """
    if text is None or not text.strip():
        return today
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{field} {text!r}: expected a date as YYYY-MM-DD, such as 2026-01-01"
        ) from None


def upload_name(filename: str | None, default: str = "upload.yaml") -> str:
    r"""The last part of an uploaded file's name, for messages only (never a path).

    >>> upload_name("../../etc/passwd"), upload_name("C:\\x\\m.yaml"), upload_name(None)
    ('passwd', 'm.yaml', 'upload.yaml')
    """
    if not filename:
        return default
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())[:100].strip()
    return name or default


def form_to_mapping(form: Mapping[str, str]) -> dict[str, Any]:
    """A dossier mapping from the fields of the dossier form (one field per fact path).

    Empty fields are left out; yes/no fields read ``true``/``false``; lists are separated by
    commas or spaces. Values stay text so that the dossier's own parser reads the units.

    >>> form_to_mapping({"model.name": "M", "model.parameters": "7B",
    ...                  "deployment.markets": "US-CA, EU", "model.open_weights": "true"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'model': {'name': 'M', 'parameters': '7B', 'open_weights': True},
     'deployment': {'markets': ['US-CA', 'EU']}}
    """
    from govbridge.dossier import fact_specs

    data: dict[str, Any] = {}
    for path, spec in fact_specs().items():
        if spec.kind == "list" and spec.choices:
            raw: Any = [c for c in spec.choices if form.get(f"{path}.{c}") == "on"] or None
        else:
            text = (form.get(path) or "").strip()
            if not text:
                continue
            if spec.kind == "bool":
                raw = {"true": True, "false": False}.get(text, text)
            elif spec.kind == "list":
                raw = [p for p in text.replace(",", " ").split() if p]
            else:
                raw = text
        if raw is None:
            continue
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = raw
    return data


@dataclass(frozen=True)
class Change:
    """One difference between the assessments of the same dossier on two dates.

    Attributes:
        id: The instrument or provision id.
        level: ``instrument`` or ``provision``.
        title: Its title.
        field: What changed: ``status`` or ``applies``.
        before: The value on the first date.
        after: The value on the second date.
        obligations: For a provision: the summaries of its obligations.
    """

    id: str
    level: str
    title: str
    field: str
    before: str
    after: str
    obligations: tuple[str, ...] = ()


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """What changed between two ``govbridge/assessment/v1`` documents of the same dossier."""
    found: list[Change] = []
    old = {r["instrument"]: r for r in before["results"]}
    for r in after["results"]:
        o = old.get(r["instrument"])
        if o is None:
            continue
        title = r.get("short") or r["title"]
        for key in ("status", "applies"):
            if o[key] != r[key]:
                found.append(Change(r["instrument"], "instrument", title, key, o[key], r[key]))
        old_p = {p["id"]: p for p in o["provisions"]}
        for p in r["provisions"]:
            q = old_p.get(p["id"])
            if q is not None and q["applies"] != p["applies"]:
                found.append(
                    Change(
                        p["id"],
                        "provision",
                        p["title"],
                        "applies",
                        q["applies"],
                        p["applies"],
                        tuple(ob["summary"] for ob in p["obligations"]),
                    )
                )
    return found


class Dashboard:
    """The state of one dashboard process: settings, store, knowledge base and caches."""

    def __init__(self, settings: Settings) -> None:
        from govbridge.kb import load_kb
        from govbridge.store import Store

        self.settings = settings
        self.store: Store = Store(settings.db_url)
        self.kb: KnowledgeBase = settings.kb if settings.kb is not None else load_kb()
        self._cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._dossiers: OrderedDict[str, Dossier] = OrderedDict()
        self._html: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
        self._lock = threading.Lock()
        self._jurisdictions: list[str] | None = None

    def today(self) -> dt.date:
        """Today (the default as-of date)."""
        if self.settings.today is not None:
            return self.settings.today()
        from govbridge.kb import today

        return today()

    def jurisdictions(self) -> list[str]:
        """The jurisdictions of the knowledge base, international ones last."""
        if self._jurisdictions is None:
            codes = {i.data.jurisdiction for i in self.kb.instruments.values()}
            self._jurisdictions = sorted(codes, key=lambda c: (c == "INT", c))
        return self._jurisdictions

    def dossier(self, version: DossierVersion) -> Dossier:
        """The validated dossier of a stored version (kept in memory by hash)."""
        with self._lock:
            found = self._dossiers.get(version.sha256)
        if found is None:
            found = version.dossier()
            with self._lock:
                self._dossiers[version.sha256] = found
                while len(self._dossiers) > self.settings.cache_size:
                    self._dossiers.popitem(last=False)
        return found

    def assess(
        self,
        dossier: Dossier,
        as_of: dt.date,
        jurisdictions: Sequence[str] = (),
        include_international: bool = False,
    ) -> Assessment:
        """Assess a dossier, exactly as ``govbridge assess`` does."""
        from govbridge.compute import estimated_facts
        from govbridge.rules import assess

        return assess(
            dossier,
            self.kb,
            as_of,
            jurisdictions=list(jurisdictions) or None,
            include_international=include_international,
            facts=estimated_facts(dossier),
        )

    def assessment(
        self,
        version: DossierVersion,
        as_of: dt.date,
        jurisdictions: Sequence[str] = (),
        include_international: bool = False,
    ) -> dict[str, Any]:
        """The ``govbridge/assessment/v1`` document of a stored version, cached.

        An assessment is a pure function of the dossier, the knowledge base, the date and the
        filters, so the cache key is exactly those.
        """
        from govbridge.rules import to_dict

        key = self.key(version, as_of, jurisdictions, include_international)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        document = to_dict(
            self.assess(self.dossier(version), as_of, jurisdictions, include_international)
        )
        with self._lock:
            self._cache[key] = document
            while len(self._cache) > self.settings.cache_size:
                self._cache.popitem(last=False)
        return document

    def key(
        self,
        version: DossierVersion,
        as_of: dt.date,
        jurisdictions: Sequence[str] = (),
        include_international: bool = False,
    ) -> tuple[Any, ...]:
        """What an assessment of a stored version depends on, as a cache key."""
        return (
            version.sha256,
            self.kb.version,
            as_of,
            tuple(sorted(jurisdictions)),
            include_international,
        )

    def rendered(self, key: tuple[Any, ...], render: Callable[[], str]) -> Markup:
        """A page fragment that depends only on ``key``, rendered once and kept (LRU)."""
        with self._lock:
            found = self._html.get(key)
            if found is not None:
                self._html.move_to_end(key)
                return found
        html = Markup(render())  # noqa: S704 - the output of an autoescaping template
        with self._lock:
            self._html[key] = html
            while len(self._html) > self.settings.cache_size:
                self._html.popitem(last=False)
        return html

    async def run_db(self, function: Callable[..., T], *args: Any) -> T:
        """Call the store from async code.

        Directly for a local SQLite file (sub-millisecond), in the thread pool for a server.
        """
        if self.store.url.startswith("sqlite"):
            return function(*args)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(function, *args)

    def parse_text(self, text: bytes | str, file: str) -> Dossier:
        """Validate an uploaded dossier, with the CLI's messages."""
        from govbridge.store import parse_dossier_text

        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DossierError(
                    file, "", None, f"cannot read the file ({exc})", "a UTF-8 YAML file"
                ) from None
        return parse_dossier_text(text, file)

    def close(self) -> None:
        """Close the database connections."""
        self.store.close()
