"""Export of the whole crosswalk: SKOS in Turtle, CSV of the mappings, and JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from govbridge.crosswalk._load import Concept, Crosswalk, Mapping, NoCounterpart, Scheme

__all__ = [
    "concept_iri",
    "concept_json",
    "gap_json",
    "mapping_json",
    "scheme_iri",
    "scheme_json",
    "to_csv",
    "to_json",
    "to_turtle",
]

_PREFIXES = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix gb: <urn:govbridge:crosswalk:vocab:> .
"""


def scheme_iri(scheme_id: str) -> str:
    """The IRI of a scheme, such as ``urn:govbridge:scheme:tc260``."""
    return f"urn:govbridge:scheme:{scheme_id}"


def concept_iri(concept_id: str) -> str:
    """The IRI of a concept, such as ``urn:govbridge:concept:tc260:A.4.e``."""
    return f"urn:govbridge:concept:{concept_id}"


def _lit(text: str, lang: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _scheme_ttl(s: Scheme, cw: Crosswalk) -> list[str]:
    props = [
        "a skos:ConceptScheme",
        f"skos:prefLabel {_lit(s.title, 'en')}",
        f"skos:altLabel {_lit(s.short, 'en')}",
        f"dcterms:publisher {_lit(s.publisher)}",
        f"dcterms:source <{s.cite_source.url}>",
    ]
    if s.title_zh:
        props.append(f"skos:prefLabel {_lit(s.title_zh, 'zh')}")
    if s.published:
        props.append(f'dcterms:issued "{s.published.isoformat()}"^^xsd:date')
    if s.note:
        props.append(f"skos:scopeNote {_lit(s.note, 'en')}")
    if not s.verified and s.verify_note:
        props.append(f"skos:editorialNote {_lit('unverified: ' + s.verify_note, 'en')}")
    tops = [c for c in cw.concepts_of(s.id) if c.broader is None]
    props += [f"skos:hasTopConcept <{concept_iri(c.id)}>" for c in tops]
    return [f"<{scheme_iri(s.id)}> " + " ;\n    ".join(props) + " ."]


def _concept_ttl(c: Concept) -> str:
    props = [
        "a skos:Concept",
        f"skos:inScheme <{scheme_iri(c.scheme)}>",
        f"skos:notation {_lit(c.code)}",
        f"skos:prefLabel {_lit(c.en, 'en')}",
    ]
    if c.zh:
        props.append(f"skos:prefLabel {_lit(c.zh, 'zh')}")
    props += [f"skos:altLabel {_lit(a, 'en')}" for a in c.en_aliases]
    props += [f"skos:altLabel {_lit(a, 'zh')}" for a in c.zh_aliases]
    if c.broader:
        props.append(f"skos:broader <{concept_iri(c.broader)}>")
    else:
        props.append(f"skos:topConceptOf <{scheme_iri(c.scheme)}>")
    props += [f"skos:narrower <{concept_iri(n)}>" for n in c.narrower]
    if c.note:
        props.append(f"skos:note {_lit(c.note, 'en')}")
    return f"<{concept_iri(c.id)}> " + " ;\n    ".join(props) + " ."


def _mapping_ttl(m: Mapping) -> str:
    triple = f"<{concept_iri(m.subject)}> skos:{m.relation} <{concept_iri(m.object)}> ."
    props = [
        "a rdf:Statement",
        f"rdf:subject <{concept_iri(m.subject)}>",
        f"rdf:predicate skos:{m.relation}",
        f"rdf:object <{concept_iri(m.object)}>",
        f"rdfs:comment {_lit(m.rationale, 'en')}",
        f"dcterms:creator {_lit(m.stated_by)}",
    ]
    if m.source:
        props.append(f"dcterms:source <{m.source.url}>")
    if m.section:
        props.append(f"gb:section {_lit(m.section)}")
    props += [f"gb:evidence {_lit(f'{src.title}, {section}')}" for src, section in m.evidence]
    return triple + "\n[] " + " ;\n    ".join(props) + " ."


def _gap_ttl(g: NoCounterpart) -> str:
    props = [
        "a gb:NoCounterpart",
        f"gb:concept <{concept_iri(g.subject)}>",
        f"gb:targetScheme <{scheme_iri(g.scheme)}>",
        f"rdfs:comment {_lit(g.reason, 'en')}",
        f"dcterms:creator {_lit(g.stated_by)}",
    ]
    if g.source:
        props.append(f"dcterms:source <{g.source.url}>")
    return "[] " + " ;\n    ".join(props) + " ."


def to_turtle(cw: Crosswalk) -> str:
    """The crosswalk as SKOS in Turtle.

    Schemes are ``skos:ConceptScheme``, concepts ``skos:Concept`` with ``skos:notation`` (the
    code) and language-tagged labels, and each stated mapping is a SKOS mapping triple plus a
    reified ``rdf:Statement`` carrying its rationale (``rdfs:comment``) and who states it
    (``dcterms:creator``, and ``dcterms:source`` for a published source). No-counterpart findings
    are ``gb:NoCounterpart`` nodes.
    """
    parts = [_PREFIXES, f"# govbridge crosswalk, data version {cw.version}\n"]
    for s in cw.schemes.values():
        parts.append("\n".join(_scheme_ttl(s, cw)) + "\n")
        parts += [_concept_ttl(c) + "\n" for c in cw.concepts_of(s.id)]
    parts += [_mapping_ttl(m) + "\n" for m in cw.mappings]
    parts += [_gap_ttl(g) + "\n" for g in cw.no_counterparts]
    return "\n".join(parts)


_CSV_HEADER = [
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "rationale",
    "stated_by",
    "source_url",
    "section",
    "evidence",
]


def to_csv(cw: Crosswalk) -> str:
    """The stated mappings and no-counterpart findings as CSV, one row each.

    A no-counterpart row has ``predicate_id`` ``govbridge:noCounterpart`` and the target scheme
    as ``object_id``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_HEADER)
    for m in cw.mappings:
        writer.writerow(
            [
                m.subject,
                cw.concepts[m.subject].en,
                f"skos:{m.relation}",
                m.object,
                cw.concepts[m.object].en,
                m.rationale,
                m.stated_by,
                m.source.url if m.source else "",
                m.section or "",
                "; ".join(f"{src.url} {section}" for src, section in m.evidence),
            ]
        )
    for g in cw.no_counterparts:
        writer.writerow(
            [
                g.subject,
                cw.concepts[g.subject].en,
                "govbridge:noCounterpart",
                g.scheme,
                cw.schemes[g.scheme].short,
                g.reason,
                g.stated_by,
                g.source.url if g.source else "",
                g.section or "",
                "",
            ]
        )
    return out.getvalue()


def concept_json(c: Concept) -> dict[str, Any]:
    """A concept as a JSON-ready dictionary."""
    return {
        "id": c.id,
        "scheme": c.scheme,
        "code": c.code,
        "en": c.en,
        "zh": c.zh,
        "en_aliases": list(c.en_aliases),
        "zh_aliases": list(c.zh_aliases),
        "broader": c.broader,
        "narrower": list(c.narrower),
        "level": c.level,
        "group": c.group,
        "verified": c.verified,
        "note": c.note,
    }


def mapping_json(m: Mapping) -> dict[str, Any]:
    """A mapping as a JSON-ready dictionary."""
    return {
        "subject": m.subject,
        "relation": m.relation,
        "object": m.object,
        "rationale": m.rationale,
        "stated_by": m.stated_by,
        "source": m.source.url if m.source else None,
        "section": m.section,
        "evidence": [{"url": s.url, "title": s.title, "section": sec} for s, sec in m.evidence],
        "derived": m.derived,
        "file": m.file,
    }


def gap_json(g: NoCounterpart) -> dict[str, Any]:
    """A no-counterpart finding as a JSON-ready dictionary."""
    return {
        "subject": g.subject,
        "scheme": g.scheme,
        "reason": g.reason,
        "stated_by": g.stated_by,
        "source": g.source.url if g.source else None,
        "section": g.section,
        "file": g.file,
    }


def scheme_json(s: Scheme, cw: Crosswalk, *, concepts: bool = True) -> dict[str, Any]:
    """A scheme as a JSON-ready dictionary, with its concepts unless told otherwise."""
    out: dict[str, Any] = {
        "id": s.id,
        "title": s.title,
        "title_zh": s.title_zh,
        "short": s.short,
        "publisher": s.publisher,
        "published": s.published.isoformat() if s.published else None,
        "zh_names": s.zh_names,
        "cite": {"url": s.cite_source.url, "title": s.cite_source.title, "section": s.cite_section},
        "verified": s.verified,
        "verify_note": s.verify_note,
        "note": s.note,
        "sources": [{"id": x.id, "title": x.title, "url": x.url} for x in s.sources],
        "concept_count": len(s.concepts),
    }
    if concepts:
        out["concepts"] = [concept_json(c) for c in cw.concepts_of(s.id)]
    return out


def to_json(cw: Crosswalk) -> dict[str, Any]:
    """The whole crosswalk as a JSON-ready dictionary (``govbridge/crosswalk/v1``)."""
    return {
        "schema": "govbridge/crosswalk/v1",
        "version": cw.version,
        "schemes": [scheme_json(s, cw) for s in cw.schemes.values()],
        "mappings": [mapping_json(m) for m in cw.mappings],
        "no_counterpart": [gap_json(g) for g in cw.no_counterparts],
    }
