"""The strict loader of the crosswalk data, and its in-memory form."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govbridge._data_files import first_error, read_data_file, unknown_key_message, value_at
from govbridge.crosswalk._schema import (
    ANALYSIS,
    RELATIONS,
    MappingFile,
    Relation,
    SchemeFile,
    SourceEntry,
)
from govbridge.errors import KBLoadError, UsageError

__all__ = [
    "INVERSE",
    "Concept",
    "Crosswalk",
    "Mapping",
    "NoCounterpart",
    "Scheme",
    "Source",
    "build_crosswalk",
    "default_root",
    "load_crosswalk",
    "split_id",
]

INVERSE: dict[Relation, Relation] = {
    "exactMatch": "exactMatch",
    "closeMatch": "closeMatch",
    "broadMatch": "narrowMatch",
    "narrowMatch": "broadMatch",
    "relatedMatch": "relatedMatch",
}
"""The SKOS inverse of each mapping relation: ``A broadMatch B`` holds iff ``B narrowMatch A``."""


@dataclass(frozen=True)
class Source:
    """A published document that the crosswalk cites."""

    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Concept:
    """One concept of a taxonomy, identified as ``SCHEME:CODE``.

    Attributes:
        id: The concept id, such as ``tc260:A.4.e``.
        scheme: The scheme id, such as ``tc260``.
        code: The published code, such as ``A.4.e``.
        en: The English name.
        zh: The official Chinese name, or ``None`` where none exists.
        broader: The id of the broader concept in the same scheme, if any.
        narrower: The ids of the narrower concepts in the same scheme.
        level: 1 for a top concept, 2 below it, and so on.
    """

    id: str
    scheme: str
    code: str
    en: str
    zh: str | None
    broader: str | None
    narrower: tuple[str, ...]
    level: int
    group: str | None = None
    en_aliases: tuple[str, ...] = ()
    zh_aliases: tuple[str, ...] = ()
    verified: bool = True
    note: str | None = None

    @property
    def is_leaf(self) -> bool:
        """Whether no concept of the scheme is narrower than this one."""
        return not self.narrower


@dataclass(frozen=True)
class Scheme:
    """A taxonomy: its title, publisher, sources and concepts in published order."""

    id: str
    title: str
    title_zh: str | None
    short: str
    publisher: str
    published: dt.date | None
    sources: tuple[Source, ...]
    cite_source: Source
    cite_section: str
    verified: bool
    verify_note: str | None
    zh_names: str
    note: str | None
    concepts: tuple[str, ...]
    file: str


@dataclass(frozen=True)
class Mapping:
    """A SKOS mapping from one concept to a concept of another scheme.

    It reads from subject to object: ``broadMatch`` says the object is broader than the subject,
    ``narrowMatch`` that it is narrower.

    Attributes:
        subject: The concept id the mapping starts from.
        relation: The SKOS mapping relation.
        object: The concept id it points to.
        rationale: Why, in one line.
        stated_by: ``"govbridge analysis"``, or the title of the published source that states
            the mapping.
        source: The published source that states it, or ``None`` for govbridge analysis.
        section: Where the source states it.
        evidence: Published text that the analysis rests on, as (source, section) pairs.
        file: The mapping file, relative to the crosswalk folder.
        derived: True when this is the inverse of a mapping stated the other way round.
    """

    subject: str
    relation: Relation
    object: str
    rationale: str
    stated_by: str
    source: Source | None
    section: str | None
    evidence: tuple[tuple[Source, str], ...]
    file: str
    derived: bool = False

    @property
    def published(self) -> bool:
        """Whether a published source states the mapping (rather than govbridge analysis)."""
        return self.source is not None

    def inverse(self) -> Mapping:
        """The same mapping read from the object (``broadMatch`` becomes ``narrowMatch``)."""
        return Mapping(
            subject=self.object,
            relation=INVERSE[self.relation],
            object=self.subject,
            rationale=self.rationale,
            stated_by=self.stated_by,
            source=self.source,
            section=self.section,
            evidence=self.evidence,
            file=self.file,
            derived=not self.derived,
        )


@dataclass(frozen=True)
class NoCounterpart:
    """An explicit finding that a concept has no counterpart in a scheme, and why."""

    subject: str
    scheme: str
    reason: str
    stated_by: str
    source: Source | None
    section: str | None
    file: str


@dataclass(frozen=True)
class Crosswalk:
    """The loaded crosswalk: schemes, concepts, mappings and explicit gaps.

    Use :func:`load_crosswalk` to get one. Look-ups raise :class:`~govbridge.errors.UsageError`
    with a suggestion when an id is wrong.
    """

    schemes: dict[str, Scheme]
    concepts: dict[str, Concept]
    mappings: tuple[Mapping, ...]
    no_counterparts: tuple[NoCounterpart, ...]
    version: str
    _links: dict[str, tuple[Mapping, ...]] = field(repr=False, default_factory=dict)
    _gaps: dict[str, tuple[NoCounterpart, ...]] = field(repr=False, default_factory=dict)

    def scheme(self, scheme_id: str) -> Scheme:
        """A scheme by id.

        Raises:
            UsageError: When no scheme has that id, naming the schemes and the nearest one.
        """
        try:
            return self.schemes[scheme_id]
        except KeyError:
            pass
        lowered = scheme_id.strip().lower()
        if lowered in self.schemes:
            return self.schemes[lowered]
        close = [s for s in self.schemes if s.startswith(lowered)] if lowered else []
        if len(close) != 1:
            close = difflib.get_close_matches(lowered, list(self.schemes), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(
            f"unknown scheme {scheme_id!r}: expected one of {', '.join(self.schemes)}{hint}"
        )

    def concept(self, concept_id: str) -> Concept:
        """A concept by its ``SCHEME:CODE`` id; the code is matched case-insensitively as well.

        Raises:
            UsageError: When the id is malformed or names no concept, with the nearest one.
        """
        found = self.concepts.get(concept_id)
        if found is not None:
            return found
        if ":" not in concept_id:
            matches = [c.id for c in self.concepts.values() if c.code == concept_id.strip()]
            hint = f"; did you mean {' or '.join(matches[:3])}?" if matches else ""
            raise UsageError(
                f"{concept_id!r} is not a concept id: expected SCHEME:CODE, such as tc260:A.4.e"
                f"{hint}"
            )
        scheme_part, code = split_id(concept_id)
        scheme = self.scheme(scheme_part)
        members = [self.concepts[i] for i in scheme.concepts]
        folded = [c for c in members if c.code.lower() == code.lower()]
        if len(folded) == 1:
            return folded[0]
        candidates = {c.code.lower(): c.id for c in members}
        candidates.update({c.en.lower(): c.id for c in members})
        close = difflib.get_close_matches(code.lower(), list(candidates), n=1, cutoff=0.5)
        hint = f"; did you mean {candidates[close[0]]}?" if close else ""
        raise UsageError(f"no concept {code!r} in {scheme.id}{hint}")

    def concepts_of(self, scheme_id: str) -> tuple[Concept, ...]:
        """The concepts of a scheme in published order.

        Raises:
            UsageError: When the scheme does not exist.
        """
        return tuple(self.concepts[i] for i in self.scheme(scheme_id).concepts)

    def map_concept(self, concept_id: str, to_scheme: str | None = None) -> tuple[Mapping, ...]:
        """Every mapping from a concept, stated or derived as an inverse, optionally to one scheme.

        Raises:
            UsageError: When the concept or the scheme does not exist.
        """
        found = self.concept(concept_id)
        links = self._links.get(found.id, ())
        if to_scheme is None:
            return links
        target = self.scheme(to_scheme).id
        return tuple(m for m in links if split_id(m.object)[0] == target)

    def no_counterpart(
        self, concept_id: str, to_scheme: str | None = None
    ) -> tuple[NoCounterpart, ...]:
        """The explicit no-counterpart findings of a concept, optionally for one scheme.

        Raises:
            UsageError: When the concept or the scheme does not exist.
        """
        found = self.concept(concept_id)
        gaps = self._gaps.get(found.id, ())
        if to_scheme is None:
            return gaps
        target = self.scheme(to_scheme).id
        return tuple(g for g in gaps if g.scheme == target)

    def pairs(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Per (from scheme, to scheme) pair: the stated mappings and no-counterpart findings."""
        counts: dict[tuple[str, str], tuple[int, int]] = {}
        for m in self.mappings:
            key = (split_id(m.subject)[0], split_id(m.object)[0])
            n, g = counts.get(key, (0, 0))
            counts[key] = (n + 1, g)
        for gap in self.no_counterparts:
            key = (split_id(gap.subject)[0], gap.scheme)
            n, g = counts.get(key, (0, 0))
            counts[key] = (n, g + 1)
        return dict(sorted(counts.items()))


def split_id(concept_id: str) -> tuple[str, str]:
    """Split ``SCHEME:CODE`` into its two parts (the code may itself hold no colon)."""
    scheme, _, code = concept_id.partition(":")
    return scheme.strip(), code.strip()


def default_root() -> Path:
    """The folder of the bundled crosswalk data (``taxonomies/`` and ``mappings/``)."""
    return Path(str(resources.files("govbridge") / "crosswalk"))


def load_crosswalk(root: str | Path | None = None) -> Crosswalk:
    """Load and check the crosswalk data.

    Args:
        root: A folder holding ``taxonomies/*.yaml`` and ``mappings/*.yaml``; the bundled data by
            default (loaded once per process).

    Returns:
        The crosswalk.

    Raises:
        KBLoadError: For the first file that does not load, naming the file, the key, the bad
            value and the expected form.
    """
    if root is None:
        return _load_bundled()
    return _load(Path(root))


@functools.cache
def _load_bundled() -> Crosswalk:
    return _load(default_root())


def _load(root: Path) -> Crosswalk:
    import hashlib

    taxonomy_dir = root / "taxonomies"
    mapping_dir = root / "mappings"
    if not taxonomy_dir.is_dir():
        raise KBLoadError(
            str(root), "", None, "a folder with taxonomies/*.yaml and mappings/*.yaml"
        )
    digest = hashlib.sha256()
    schemes: list[tuple[str, str, dict[str, Any]]] = []
    mappings: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(taxonomy_dir.glob("*.yaml")):
        rel = f"taxonomies/{path.name}"
        schemes.append((rel, path.stem, read_data_file(path, rel, digest)))
    for path in sorted(mapping_dir.glob("*.yaml")) if mapping_dir.is_dir() else []:
        rel = f"mappings/{path.name}"
        mappings.append((rel, path.stem, read_data_file(path, rel, digest)))
    return build_crosswalk(schemes, mappings, version=digest.hexdigest()[:12])


def build_crosswalk(
    schemes: Iterable[tuple[str, str, Any]],
    mappings: Iterable[tuple[str, str, Any]],
    version: str = "",
) -> Crosswalk:
    """Check parsed crosswalk documents and build the crosswalk.

    Args:
        schemes: ``(file, stem, document)`` for each taxonomy file.
        mappings: ``(file, stem, document)`` for each mapping file.
        version: A version string for the data.

    Returns:
        The crosswalk.

    Raises:
        KBLoadError: For the first problem, naming the file, the key, the value and the expected
            form.
    """
    scheme_map: dict[str, Scheme] = {}
    concepts: dict[str, Concept] = {}
    for rel, stem, raw in schemes:
        scheme, members = _build_scheme(rel, stem, _validate(SchemeFile, raw, rel))
        if scheme.id in scheme_map:
            raise KBLoadError(rel, "scheme", scheme.id, "each scheme in one file")
        scheme_map[scheme.id] = scheme
        concepts.update({c.id: c for c in members})
    stated: list[Mapping] = []
    gaps: list[NoCounterpart] = []
    seen_pairs: dict[frozenset[str], str] = {}
    for rel, stem, raw in mappings:
        doc: MappingFile = _validate(MappingFile, raw, rel)
        new_maps, new_gaps = _build_mappings(rel, stem, doc, scheme_map, concepts)
        for i, m in enumerate(new_maps):
            pair = frozenset((m.subject, m.object))
            if pair in seen_pairs:
                raise KBLoadError(
                    rel,
                    f"mappings.{i}",
                    f"{m.subject} {m.relation} {m.object}",
                    f"each pair of concepts mapped once (already in {seen_pairs[pair]})",
                )
            seen_pairs[pair] = rel
        stated.extend(new_maps)
        gaps.extend(new_gaps)
    links: dict[str, list[Mapping]] = {}
    for m in stated:
        links.setdefault(m.subject, []).append(m)
        links.setdefault(m.object, []).append(m.inverse())
    gap_index: dict[str, list[NoCounterpart]] = {}
    for g in gaps:
        gap_index.setdefault(g.subject, []).append(g)
    for g in gaps:
        clash = [m for m in links.get(g.subject, []) if split_id(m.object)[0] == g.scheme]
        if clash:
            raise KBLoadError(
                g.file,
                "no_counterpart",
                g.subject,
                f"a concept without a mapping to {g.scheme} (it has {clash[0].relation} "
                f"{clash[0].object} in {clash[0].file})",
            )
    order = {cid: i for i, cid in enumerate(concepts)}

    def key(m: Mapping) -> tuple[int, int]:
        return (order[m.subject], order[m.object])

    return Crosswalk(
        schemes=scheme_map,
        concepts=concepts,
        mappings=tuple(sorted(stated, key=key)),
        no_counterparts=tuple(gaps),
        version=version,
        _links={k: tuple(sorted(v, key=key)) for k, v in links.items()},
        _gaps={k: tuple(v) for k, v in gap_index.items()},
    )


def _sources(rel: str, entries: tuple[SourceEntry, ...]) -> dict[str, Source]:
    found: dict[str, Source] = {}
    for i, s in enumerate(entries):
        if s.id in found:
            raise KBLoadError(rel, f"sources.{i}.id", s.id, "each source id once")
        found[s.id] = Source(s.id, s.title, s.url)
    return found


def _build_scheme(rel: str, stem: str, doc: SchemeFile) -> tuple[Scheme, list[Concept]]:
    if doc.scheme != stem:
        raise KBLoadError(rel, "scheme", doc.scheme, f"the file name without .yaml ({stem!r})")
    sources = _sources(rel, doc.sources)
    if doc.cite.source not in sources:
        raise KBLoadError(
            rel, "cite.source", doc.cite.source, "the id of a source in this file's sources list"
        )
    codes: dict[str, int] = {}
    folded: dict[str, str] = {}
    for i, entry in enumerate(doc.concepts):
        if entry.code.lower() in folded:
            raise KBLoadError(
                rel,
                f"concepts.{i}.code",
                entry.code,
                f"each code once per scheme (already {folded[entry.code.lower()]!r}; codes are "
                "compared without case)",
            )
        folded[entry.code.lower()] = entry.code
        codes[entry.code] = i
        if doc.zh_names == "none" and (entry.zh or entry.zh_aliases):
            raise KBLoadError(
                rel,
                f"concepts.{i}.zh",
                entry.zh,
                "no Chinese name: this scheme has zh_names: none (set zh_names: official only "
                "where the publisher gives Chinese names)",
            )
    children: dict[str, list[str]] = {}
    for i, entry in enumerate(doc.concepts):
        if entry.broader is None:
            continue
        if entry.broader not in codes:
            close = difflib.get_close_matches(entry.broader, list(codes), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KBLoadError(
                rel,
                f"concepts.{i}.broader",
                entry.broader,
                f"the code of another concept in this scheme{hint}",
            )
        if entry.broader == entry.code:
            raise KBLoadError(
                rel, f"concepts.{i}.broader", entry.broader, "a code other than the concept's own"
            )
        children.setdefault(entry.broader, []).append(entry.code)
    parent = {e.code: e.broader for e in doc.concepts}

    def level(code: str) -> int:
        depth, current, seen = 1, parent[code], {code}
        while current is not None:
            if current in seen:
                raise KBLoadError(
                    rel, f"concepts.{codes[code]}.broader", code, "a hierarchy without a cycle"
                )
            seen.add(current)
            depth += 1
            current = parent[current]
        return depth

    members = [
        Concept(
            id=f"{doc.scheme}:{e.code}",
            scheme=doc.scheme,
            code=e.code,
            en=e.en,
            zh=e.zh,
            broader=f"{doc.scheme}:{e.broader}" if e.broader else None,
            narrower=tuple(f"{doc.scheme}:{c}" for c in children.get(e.code, [])),
            level=level(e.code),
            group=e.group,
            en_aliases=e.en_aliases,
            zh_aliases=e.zh_aliases,
            verified=e.verified,
            note=e.note,
        )
        for e in doc.concepts
    ]
    scheme = Scheme(
        id=doc.scheme,
        title=doc.title.en,
        title_zh=doc.title.zh,
        short=doc.short,
        publisher=doc.publisher,
        published=doc.published,
        sources=tuple(sources.values()),
        cite_source=sources[doc.cite.source],
        cite_section=doc.cite.section,
        verified=doc.cite.verified,
        verify_note=doc.cite.note,
        zh_names=doc.zh_names,
        note=doc.note,
        concepts=tuple(c.id for c in members),
        file=rel,
    )
    return scheme, members


def _concept_ref(
    rel: str,
    key: str,
    value: str,
    scheme: str,
    concepts: MappingABC[str, Concept],
    schemes: MappingABC[str, Scheme],
) -> str:
    members = schemes[scheme].concepts
    example = members[0]
    if value in concepts and value.partition(":")[0] == scheme:
        return value
    close = difflib.get_close_matches(value, list(members), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise KBLoadError(rel, key, value, f"a concept id of {scheme}, such as {example}{hint}")


def _stated_by(
    rel: str, key: str, stated_by: str, section: str | None, sources: MappingABC[str, Source]
) -> tuple[str, Source | None]:
    if stated_by == ANALYSIS:
        return ANALYSIS, None
    source = sources.get(stated_by)
    if source is None:
        raise KBLoadError(
            rel,
            f"{key}.stated_by",
            stated_by,
            f'"{ANALYSIS}" or the id of a source in this file\'s sources list that states the '
            "mapping",
        )
    if not section:
        raise KBLoadError(
            rel, f"{key}.section", None, "is required with a published source, such as §2.4"
        )
    return source.title, source


def _build_mappings(
    rel: str,
    stem: str,
    doc: MappingFile,
    schemes: MappingABC[str, Scheme],
    concepts: MappingABC[str, Concept],
) -> tuple[list[Mapping], list[NoCounterpart]]:
    for key, value in (("from", doc.from_), ("to", doc.to)):
        if value not in schemes:
            close = difflib.get_close_matches(value, list(schemes), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise KBLoadError(
                rel, key, value, f"a scheme of taxonomies/ ({', '.join(schemes)}){hint}"
            )
    if doc.from_ == doc.to:
        raise KBLoadError(rel, "to", doc.to, "a scheme other than the from scheme")
    if stem != f"{doc.from_}__{doc.to}":
        raise KBLoadError(
            rel,
            "from, to",
            f"{doc.from_}, {doc.to}",
            f"the schemes the file name says ({stem.replace('__', ', ')}), or rename the file "
            f"{doc.from_}__{doc.to}.yaml",
        )
    sources = _sources(rel, doc.sources)
    out: list[Mapping] = []
    for i, entry in enumerate(doc.mappings):
        key = f"mappings.{i}"
        subject = _concept_ref(rel, f"{key}.subject", entry.subject, doc.from_, concepts, schemes)
        obj = _concept_ref(rel, f"{key}.object", entry.object, doc.to, concepts, schemes)
        stated_by, source = _stated_by(rel, key, entry.stated_by, entry.section, sources)
        evidence = []
        for j, ev in enumerate(entry.evidence):
            if ev.source not in sources:
                raise KBLoadError(
                    rel,
                    f"{key}.evidence.{j}.source",
                    ev.source,
                    "the id of a source in this file's sources list",
                )
            evidence.append((sources[ev.source], ev.section))
        out.append(
            Mapping(
                subject=subject,
                relation=entry.relation,
                object=obj,
                rationale=entry.rationale,
                stated_by=stated_by,
                source=source,
                section=entry.section,
                evidence=tuple(evidence),
                file=rel,
            )
        )
    gaps: list[NoCounterpart] = []
    seen: set[str] = set()
    for i, gap in enumerate(doc.no_counterpart):
        key = f"no_counterpart.{i}"
        subject = _concept_ref(rel, f"{key}.subject", gap.subject, doc.from_, concepts, schemes)
        if subject in seen:
            raise KBLoadError(rel, f"{key}.subject", subject, "each concept once")
        seen.add(subject)
        stated_by, source = _stated_by(rel, key, gap.stated_by, gap.section, sources)
        gaps.append(NoCounterpart(subject, doc.to, gap.reason, stated_by, source, gap.section, rel))
    return out, gaps


_EXPECTED = {
    "relation": "a SKOS relation: " + ", ".join(RELATIONS),
    "url": "a URL such as https://example.org/text",
    "published": "a date such as 2024-07-26",
    "zh_names": "official or none",
    "scheme": "lower-case letters, digits and hyphens, such as nist-ai-600-1",
    "from": "a scheme id such as tc260",
    "to": "a scheme id such as nist-ai-600-1",
    "code": 'a published code such as A.4.e or "1" (quoted when it is a number)',
    "broader": "the code of another concept in this scheme",
    "rationale": "one line of text",
    "reason": "one line of text",
}


def _validate(model: type[BaseModel], raw: Any, rel: str) -> Any:
    if not isinstance(raw, dict):
        raise KBLoadError(rel, "", None, "a YAML mapping (see docs/crosswalk.md)")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = first_error(exc)
        loc = [str(p) for p in err["loc"]]
        value: Any = value_at(raw, loc)
        last = next((p for p in reversed(loc) if not p.isdigit()), "")
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = unknown_key_message(model, loc)
            value = None
        elif err["type"] == "missing":
            message = "is required"
            value = None
        elif last in _EXPECTED and err["type"] != "value_error":
            message = f"expected {_EXPECTED[last]}"
            if last == "relation" and isinstance(value, str):
                close = difflib.get_close_matches(value, list(RELATIONS), n=1)
                if close:
                    message += f"; did you mean {close[0]}?"
        if isinstance(value, dict | list):
            value = None
        raise KBLoadError(rel, ".".join(loc), value, message) from None
