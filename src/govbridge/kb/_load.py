"""The strict loader of the knowledge base, and its in-memory form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govbridge._data_files import first_error, read_data_file, unknown_key_message, value_at
from govbridge.dossier import fact_specs
from govbridge.errors import KBLoadError, UsageError
from govbridge.kb._conditions import Condition, parse_condition, refs
from govbridge.kb._schema import InstrumentFile, JurisdictionFile, ProvisionFile, Source

__all__ = [
    "Instrument",
    "KnowledgeBase",
    "Provision",
    "default_data_dir",
    "load_kb",
    "unverified_facts",
]

_EXAMPLES = {
    "date": "a date such as 2026-01-01",
    "url": "a URL such as https://example.org/text",
    "section": 'a section such as "Art. 51(2)"',
    "source": "the id of a source in the instrument's sources list",
    "verified": "true or false",
    "jurisdiction": "a code such as US, US-CA, EU, CN or INT",
    "id": "lower-case letters, digits and underscores, such as bpc_22757_11",
}


@dataclass(frozen=True)
class Provision:
    """A provision: who it addresses, when it applies, and what it demands."""

    id: str
    instrument: str
    data: ProvisionFile
    condition: Condition
    file: str


@dataclass(frozen=True)
class Instrument:
    """An instrument of law or policy, with its dated lifecycle and provisions."""

    id: str
    data: InstrumentFile
    scope: Condition | None
    provisions: tuple[Provision, ...]
    file: str

    @property
    def sources(self) -> dict[str, Source]:
        """The instrument's sources by id."""
        return {s.id: s for s in self.data.sources}


@dataclass(frozen=True)
class KnowledgeBase:
    """The loaded knowledge base: instruments by id, and a version hash of the data."""

    instruments: dict[str, Instrument]
    jurisdictions: dict[str, JurisdictionFile]
    version: str
    edition: str
    root: str = field(default="")

    def provision(self, provision_id: str) -> Provision:
        """A provision by its full id.

        Raises:
            UsageError: When no provision has that id.
        """
        instrument_id = provision_id.rsplit(".", 1)[0]
        instrument = self.instruments.get(instrument_id)
        if instrument is not None:
            for provision in instrument.provisions:
                if provision.id == provision_id:
                    return provision
        raise UsageError(f"no provision {provision_id!r} in the knowledge base")

    def instrument(self, instrument_id: str) -> Instrument:
        """An instrument by id, with a suggestion when the id is wrong.

        Raises:
            UsageError: When no instrument has that id.
        """
        try:
            return self.instruments[instrument_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(instrument_id, list(self.instruments), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"no instrument {instrument_id!r}{hint}") from None


def default_data_dir() -> Path:
    """The folder of the bundled knowledge base."""
    return Path(str(resources.files("govbridge") / "data"))


def _validate(model: type[BaseModel], raw: Any, rel: str) -> Any:
    if not isinstance(raw, dict):
        raise KBLoadError(rel, "", None, "a YAML mapping (see docs/knowledge-base.md)")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = first_error(exc)
        loc = [_loc_text(p) for p in err["loc"]]
        key = ".".join(loc)
        value: Any = value_at(raw, loc)
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = unknown_key_message(model, loc)
            value = None
        elif err["type"] == "missing":
            message = "is required"
        last = next((p for p in reversed(loc) if not p.isdigit()), "")
        example = _EXAMPLES.get(last)
        if example is None and "date" in err["type"]:
            example = _EXAMPLES["date"]
        if example and err["type"] not in ("extra_forbidden",):
            message += f"; expected {example}"
        if isinstance(value, dict | list):
            value = None
        raise KBLoadError(rel, key, value, message) from None


def _loc_text(part: object) -> str:
    if isinstance(part, dt.date):
        return part.isoformat()
    text = str(part)
    match = re.fullmatch(r"datetime\.date\((\d+), (\d+), (\d+)\)", text)
    if match:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    return text


def _cites(data: InstrumentFile | ProvisionFile) -> Iterator[tuple[str, Any]]:
    """Every (key, cite) pair in a file, to check source ids."""
    if isinstance(data, InstrumentFile):
        lifecycle = data.lifecycle
        for name in (
            "introduced",
            "signed",
            "published",
            "vetoed",
            "effective",
            "revoked",
            "repealed",
            "superseded",
        ):
            event = getattr(lifecycle, name)
            if event is not None:
                yield f"lifecycle.{name}", event
        for i, event in enumerate(lifecycle.amended):
            yield f"lifecycle.amended.{i}", event
        for i, participant in enumerate(data.participants):
            yield f"participants.{i}", participant
        return
    yield "cite", data.cite
    for name in ("effective", "ends"):
        event = getattr(data, name)
        if event is not None:
            yield name, event
    for pname, param in data.parameters.items():
        for when, value in param.values.items():
            yield f"parameters.{pname}.values.{when}", value
    for i, obligation in enumerate(data.obligations):
        yield f"obligations.{i}", obligation


def _check_dates(inst_id: str, inst: InstrumentFile, prov: ProvisionFile, rel: str) -> None:
    start = inst.lifecycle.first_date()
    if start is None:
        return
    for key, when in [
        (f"parameters.{n}.values.{d}", d) for n, p in prov.parameters.items() for d in p.values
    ] + [("effective.date", prov.effective.date if prov.effective else None)]:
        if when is not None and when < start:
            raise KBLoadError(
                rel,
                key,
                str(when),
                f"a date on or after the first date in {inst_id}'s lifecycle ({start})",
            )


def _instrument_files(root: Path) -> Iterator[Path]:
    for index in sorted(root.rglob("index.yaml")):
        if index.parent != root:
            yield index


_CACHE_FORMAT = 1


def _cache_file(root: Path, files: list[Path]) -> Path | None:
    """The cache file for this exact set of data files (by path, size and mtime), if usable."""
    import os
    import zlib

    base = os.environ.get("GOVBRIDGE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    folder = Path(base) / "govbridge" if base else Path.home() / ".cache" / "govbridge"
    key = 0
    for path in files:
        stat = path.stat()
        key = zlib.crc32(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode(), key)
    key = zlib.crc32(f"{root.resolve()}:{_CACHE_FORMAT}".encode(), key)
    return folder / f"kb-{key:08x}-{len(files)}.pickle"


def _read_cache(cache: Path) -> KnowledgeBase | None:
    import pickle

    try:
        with cache.open("rb") as handle:
            kb = pickle.load(handle)  # noqa: S301 - our own file, written below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _write_cache(cache: Path, kb: KnowledgeBase) -> None:
    import os
    import pickle

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(kb, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except OSError:  # a read-only home: run without the cache
        return


def load_kb(data_dir: str | Path | None = None, *, cache: bool = True) -> KnowledgeBase:
    """Load and check the knowledge base.

    A checked knowledge base is kept in the user's cache folder (``GOVBRIDGE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/govbridge``), keyed by the path, size and modification time of every data
    file, so that later runs skip parsing and validation. Any change to a file misses the cache.

    Args:
        data_dir: The data folder; the bundled one by default.
        cache: Whether to use the cache.

    Returns:
        The knowledge base.

    Raises:
        KBLoadError: For the first file that does not load, naming the file, the key, the bad
            value and the expected form.
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not root.is_dir():
        raise KBLoadError(str(root), "", None, "a folder of knowledge-base YAML files")
    files = sorted(root.rglob("*.yaml"))
    cache_file = _cache_file(root, files) if cache else None
    if cache_file is not None:
        cached = _read_cache(cache_file)
        if cached is not None:
            return cached
    kb = _load_fresh(root, files)
    if cache_file is not None:
        _write_cache(cache_file, kb)
    return kb


def _load_fresh(root: Path, files: list[Path]) -> KnowledgeBase:
    import hashlib

    facts = fact_specs()
    digest = hashlib.sha256()
    instruments: dict[str, Instrument] = {}
    jurisdictions: dict[str, JurisdictionFile] = {}
    edition = ""
    top = root / "index.yaml"
    if top.exists():
        meta = read_data_file(top, "index.yaml")
        edition = str(meta.get("edition", "")) if isinstance(meta, dict) else ""
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    for index in _instrument_files(root):
        folder = index.parent
        rel_dir = folder.relative_to(root).as_posix()
        rel = f"{rel_dir}/index.yaml"
        raw = read_data_file(index, rel)
        if isinstance(raw, dict) and raw.get("kind") == "jurisdiction":
            jur: JurisdictionFile = _validate(JurisdictionFile, raw, rel)
            jurisdictions[jur.code] = jur
            continue
        inst_id = rel_dir.replace("/", ".")
        inst: InstrumentFile = _validate(InstrumentFile, raw, rel)
        source_ids = [s.id for s in inst.sources]
        dupes = {s for s in source_ids if source_ids.count(s) > 1}
        if dupes:
            raise KBLoadError(rel, "sources", sorted(dupes)[0], "each source id once")
        sources = set(source_ids)
        for key, cite in _cites(inst):
            if cite.source not in sources:
                raise KBLoadError(rel, f"{key}.source", cite.source, _EXAMPLES["source"])
        scope = None
        if inst.scope is not None:
            scope = parse_condition(
                inst.scope,
                file=rel,
                key="scope",
                facts=facts,
                params={},
                sources=sources,
                instrument=inst_id,
            )
        provisions = []
        for file in sorted(folder.glob("*.yaml")):
            if file.name == "index.yaml":
                continue
            prel = f"{rel_dir}/{file.name}"
            prov: ProvisionFile = _validate(ProvisionFile, read_data_file(file, prel), prel)
            for key, cite in _cites(prov):
                if cite.source not in sources:
                    raise KBLoadError(prel, f"{key}.source", cite.source, _EXAMPLES["source"])
            _check_dates(inst_id, inst, prov, prel)
            ids = [o.id for o in prov.obligations]
            if len(ids) != len(set(ids)):
                raise KBLoadError(prel, "obligations", ids, "each obligation id once")
            condition = parse_condition(
                prov.applies_when,
                file=prel,
                key="applies_when",
                facts=facts,
                params={n: p.unit for n, p in prov.parameters.items()},
                sources=sources,
                instrument=inst_id,
            )
            provisions.append(Provision(f"{inst_id}.{file.stem}", inst_id, prov, condition, prel))
        instruments[inst_id] = Instrument(inst_id, inst, scope, tuple(provisions), rel)
    _check_references(instruments)
    return KnowledgeBase(instruments, jurisdictions, digest.hexdigest()[:12], edition, str(root))


def _check_references(instruments: dict[str, Instrument]) -> None:
    by_id = {p.id: p for i in instruments.values() for p in i.provisions}
    for inst in instruments.values():
        successor = inst.data.lifecycle.superseded_by
        if successor and successor not in instruments:
            raise KBLoadError(
                inst.file,
                "lifecycle.superseded_by",
                successor,
                "the id of an instrument in the knowledge base",
            )
        for prov in inst.provisions:
            for ref in refs(prov.condition):
                if ref not in by_id:
                    raise KBLoadError(
                        prov.file,
                        "applies_when.ref",
                        ref,
                        "a provision of the knowledge base, such as frontier_developer",
                    )
    state: dict[str, int] = {}

    def visit(pid: str, trail: list[str]) -> None:
        if state.get(pid) == 2:
            return
        if state.get(pid) == 1:
            cycle = " -> ".join([*trail[trail.index(pid) :], pid])
            raise KBLoadError(by_id[pid].file, "applies_when", cycle, "references without a cycle")
        state[pid] = 1
        for ref in refs(by_id[pid].condition):
            visit(ref, [*trail, pid])
        state[pid] = 2

    for pid in by_id:
        visit(pid, [])


def unverified_facts(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every cited fact marked ``verified: false``: file, key, source, section and note."""
    found = []
    for inst in sorted(kb.instruments.values(), key=lambda i: i.id):
        items: list[tuple[str, InstrumentFile | ProvisionFile]] = [(inst.file, inst.data)]
        items += [(p.file, p.data) for p in inst.provisions]
        for file, data in items:
            for key, cite in _cites(data):
                if not cite.verified:
                    found.append(
                        {
                            "instrument": inst.id,
                            "file": file,
                            "key": key,
                            "source": cite.source,
                            "section": cite.section,
                            "note": cite.note,
                        }
                    )
    return found


def today() -> dt.date:
    """Today's date in UTC (the default as-of date)."""
    return dt.datetime.now(dt.UTC).date()
