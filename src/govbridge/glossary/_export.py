"""The glossary as TBX (ISO 30042), CSV, JSON and plain text."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from govbridge.glossary._schema import CATEGORIES, Citation, Sense, Term

__all__ = [
    "CSV_COLUMNS",
    "SCHEMA",
    "TBX_NAMESPACE",
    "cite_text",
    "to_csv",
    "to_dict",
    "to_json",
    "to_tbx",
    "to_text",
]

SCHEMA = "govbridge/glossary/v1"
"""The schema name of the glossary's JSON documents."""

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
"""The namespace of TBX v3 (ISO 30042:2019)."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

CSV_COLUMNS = (
    "term_id",
    "en",
    "zh",
    "pinyin",
    "category",
    "aliases_en",
    "aliases_zh",
    "jurisdiction",
    "sense_label",
    "sense",
    "basis",
    "sources",
    "source_urls",
    "divergence",
    "related",
    "unverified",
)
"""The columns of the CSV export: one row per sense, with the term's fields repeated.

``unverified`` holds the sense's open point, then the term's.
"""


def cite_text(cite: Citation) -> str:
    """A citation as one line: title, section, grade and address.

    >>> from govbridge.glossary import lookup
    >>> cite = lookup("provider").senses[-1].sources[0]
    >>> cite_text(cite).endswith("Art. 22(2) [grade P] <http://www.cac.gov.cn/2023-07/13/c_1690898327029107.htm>")
    True
    """
    grade = f" [grade {cite.grade}]" if cite.grade else ""
    url = f" <{cite.source.url}>" if cite.source.url else " (no address; see the source note)"
    return f"{cite.source.title}, {cite.section}{grade}{url}"


def _sense_head(sense: Sense) -> str:
    label = f": {sense.label}" if sense.label else ""
    return f"{sense.jurisdiction}{label}"


_SENSE_KEYS = (
    "jurisdiction",
    "label",
    "text",
    "basis",
    "facets",
    "sources",
    "instrument",
    "unverified",
)


def to_dict(term: Term) -> dict[str, Any]:
    """A term as plain JSON-ready data, sources included."""
    data: dict[str, Any] = term.model_dump(mode="json")
    data["category_name"] = CATEGORIES[term.category]
    data["senses"] = [{k: sense[k] for k in _SENSE_KEYS} for sense in data["senses"]]
    return data


def to_json(terms: Iterable[Term]) -> str:
    """The terms as one JSON document, ``{"schema": ..., "count": ..., "terms": [...]}``."""
    items = [to_dict(t) for t in terms]
    doc = {"schema": SCHEMA, "count": len(items), "terms": items}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cells(text: str) -> int:
    """The width of a text in terminal cells: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """Wrap at spaces to a width in terminal cells; a word longer than a line stays whole."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and _cells(line) + 1 + _cells(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else indent + word
    if line:
        lines.append(line)
    return lines


def to_text(term: Term, width: int = 100) -> str:
    """A term as wrapped plain text, for the terminal."""
    out: list[str] = []

    def para(text: str, indent: str) -> None:
        out.extend(_wrap(text, width, indent))

    out.append(term.id)
    out.append(f"  en: {term.en}")
    out.append(f"  zh: {term.zh}")
    out.append(f"  pinyin: {term.pinyin}")
    out.append(f"  category: {CATEGORIES[term.category]}")
    if term.zh_note:
        para(f"Chinese form: {term.zh_note}", "  ")
    if term.aliases:
        names = [a.text + (f" ({a.pinyin})" if a.pinyin else "") for a in term.aliases]
        para("also: " + "; ".join(names), "  ")
    out.append("senses:")
    for sense in term.senses:
        basis = " (govbridge analysis)" if sense.is_analysis else ""
        out.append(f"  {_sense_head(sense)}{basis}")
        para(sense.text, "      ")
        if sense.facets:
            para("facets: " + ", ".join(sense.facets), "      ")
        for cite in sense.sources:
            para("source: " + cite_text(cite), "      ")
        if sense.instrument:
            out.append(f"      knowledge base: {sense.instrument}")
        if sense.unverified:
            para("unverified: " + sense.unverified, "      ")
    basis = " (govbridge analysis)" if term.divergence.is_analysis else ""
    out.append(f"divergence{basis}:")
    para(term.divergence.text, "      ")
    for cite in term.divergence.sources:
        para("source: " + cite_text(cite), "      ")
    if term.related:
        para("related: " + ", ".join(term.related), "")
    for point in term.unverified:
        para("unverified: " + point, "")
    return "\n".join(out) + "\n"


def to_csv(terms: Iterable[Term]) -> str:
    """The terms as CSV (RFC 4180), one row per sense; see ``CSV_COLUMNS``.

    Several values in one cell are separated by `` | ``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for term in terms:
        for sense in term.senses:
            writer.writerow(
                [
                    term.id,
                    term.en,
                    term.zh,
                    term.pinyin,
                    term.category,
                    " | ".join(a.text for a in term.aliases if a.lang == "en"),
                    " | ".join(a.text for a in term.aliases if a.lang == "zh"),
                    sense.jurisdiction,
                    sense.label or "",
                    sense.text,
                    sense.basis,
                    " | ".join(cite_text(c) for c in sense.sources),
                    " ".join(c.source.url for c in sense.sources if c.source.url),
                    term.divergence.text,
                    " ".join(term.related),
                    " | ".join(
                        ([sense.unverified] if sense.unverified else []) + list(term.unverified)
                    ),
                ]
            )
    return buffer.getvalue()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _term_sec(lang_sec: ET.Element, text: str, preferred: bool, notes: list[str]) -> None:
    sec = _sub(lang_sec, "termSec")
    _sub(sec, "term", text)
    status = "preferredTerm-admn-sts" if preferred else "admittedTerm-admn-sts"
    _sub(sec, "termNote", status, type="administrativeStatus")
    for note in notes:
        _sub(sec, "note", note)


def to_tbx(terms: Iterable[Term], title: str = "govbridge glossary of AI-governance terms") -> str:
    """The terms as a TBX-Basic document (ISO 30042:2019, TBX v3, DCA style).

    One ``conceptEntry`` per term, with an English and a Chinese ``langSec``. Each sense
    becomes a definition in the English section (the senses are written in English), with
    one ``admin type="source"`` and one ``xref`` per source. The divergence note, term-level
    open points and related terms (those in the export) sit at concept level.

    Args:
        terms: The terms to export.
        title: The title in the TBX header.

    Returns:
        The XML text, UTF-8, with an XML declaration.
    """
    from govbridge import __version__

    items = list(terms)
    exported = {t.id for t in items}
    root = ET.Element(
        "tbx",
        {"type": "TBX-Basic", "style": "dca", _XML_LANG: "en", "xmlns": TBX_NAMESPACE},
    )
    header = _sub(root, "tbxHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    _sub(
        _sub(file_desc, "sourceDesc"),
        "p",
        f"Generated by govbridge {__version__} from its glossary data ({len(items)} terms). "
        "Every definition names its sources, or is marked as govbridge analysis.",
    )
    body = _sub(_sub(root, "text"), "body")
    for term in items:
        entry = _sub(body, "conceptEntry", id=term.id)
        _sub(entry, "descrip", f"AI governance: {CATEGORIES[term.category]}", type="subjectField")
        basis = " (govbridge analysis)" if term.divergence.is_analysis else ""
        _sub(entry, "note", f"Divergence{basis}: {term.divergence.text}")
        for point in term.unverified:
            _sub(entry, "note", f"Unverified: {point}")
        for other in term.related:
            if other in exported:  # a reference must resolve inside the document
                _sub(entry, "ref", other, type="crossReference", target=other)
        en = _sub(entry, "langSec", **{_XML_LANG: "en"})
        for sense in term.senses:
            group = _sub(en, "descripGrp")
            _sub(group, "descrip", f"[{_sense_head(sense)}] {sense.text}", type="definition")
            if sense.is_analysis:
                _sub(group, "note", "govbridge analysis")
            if sense.unverified:
                _sub(group, "note", f"Unverified: {sense.unverified}")
            for cite in sense.sources:
                _sub(group, "admin", cite_text(cite), type="source")
            for cite in sense.sources:
                if cite.source.url:
                    _sub(
                        group,
                        "xref",
                        cite.source.title,
                        type="externalCrossReference",
                        target=cite.source.url,
                    )
        _term_sec(en, term.en, True, [])
        for alias in term.aliases:
            if alias.lang == "en":
                _term_sec(en, alias.text, False, [])
        zh = _sub(entry, "langSec", **{_XML_LANG: "zh"})
        notes = [f"pinyin: {term.pinyin}"]
        if term.zh_note:
            notes.append(f"Chinese form: {term.zh_note}")
        _term_sec(zh, term.zh, True, notes)
        for alias in term.aliases:
            if alias.lang == "zh":
                _term_sec(zh, alias.text, False, [f"pinyin: {alias.pinyin}"])
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
