"""The glossary exports: TBX (ISO 30042) structure, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from govbridge.glossary import (
    ANALYSIS,
    CSV_COLUMNS,
    SCHEMA,
    TBX_NAMESPACE,
    load_glossary,
    lookup,
    to_csv,
    to_json,
    to_tbx,
)

GLOSSARY = load_glossary()
NS = {"tbx": TBX_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _q(tag: str) -> str:
    return f"{{{TBX_NAMESPACE}}}{tag}"


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_tbx_root_header_and_body() -> None:
    root = _parse(to_tbx(GLOSSARY))
    assert root.tag == _q("tbx")
    assert root.get("type") == "TBX-Basic"
    assert root.get("style") == "dca"
    assert root.get(XML_LANG) == "en"
    assert [child.tag for child in root] == [_q("tbxHeader"), _q("text")]
    assert root.find("tbx:tbxHeader/tbx:fileDesc/tbx:sourceDesc/tbx:p", NS) is not None
    assert root.find("tbx:tbxHeader/tbx:fileDesc/tbx:titleStmt/tbx:title", NS) is not None
    assert root.find("tbx:text/tbx:body", NS) is not None


def test_tbx_has_one_concept_entry_per_term_with_en_and_zh() -> None:
    root = _parse(to_tbx(GLOSSARY))
    entries = root.findall("tbx:text/tbx:body/tbx:conceptEntry", NS)
    assert [e.get("id") for e in entries] == [t.id for t in GLOSSARY]
    for entry in entries:
        term = GLOSSARY.terms[entry.get("id") or ""]
        lang_secs = entry.findall("tbx:langSec", NS)
        assert [s.get(XML_LANG) for s in lang_secs] == ["en", "zh"]
        en, zh = lang_secs
        en_terms = [t.text for t in en.findall("tbx:termSec/tbx:term", NS)]
        zh_terms = [t.text for t in zh.findall("tbx:termSec/tbx:term", NS)]
        assert en_terms[0] == term.en and zh_terms[0] == term.zh
        assert {a.text for a in term.aliases if a.lang == "en"} <= set(en_terms)
        assert {a.text for a in term.aliases if a.lang == "zh"} <= set(zh_terms)
        # Concept-level information comes before the language sections (TBX core structure).
        tags = [child.tag for child in entry]
        assert tags.index(_q("langSec")) == len(tags) - 2
        assert entry.find("tbx:descrip[@type='subjectField']", NS) is not None
        # One definition per sense, each with a source or the analysis mark.
        groups = en.findall("tbx:descripGrp", NS)
        assert len(groups) == len(term.senses)
        for group, sense in zip(groups, term.senses, strict=True):
            definition = group.find("tbx:descrip[@type='definition']", NS)
            assert definition is not None and sense.text in (definition.text or "")
            sources = group.findall("tbx:admin[@type='source']", NS)
            notes = [n.text for n in group.findall("tbx:note", NS)]
            assert len(sources) == len(sense.sources)
            assert sources or ANALYSIS in notes
        zh_notes = [n.text or "" for n in zh.findall("tbx:termSec/tbx:note", NS)]
        assert f"pinyin: {term.pinyin}" in zh_notes


def test_tbx_cross_references_resolve() -> None:
    root = _parse(to_tbx(GLOSSARY))
    ids = {e.get("id") for e in root.iter(_q("conceptEntry"))}
    refs = list(root.iter(_q("ref")))
    assert refs
    assert all(r.get("type") == "crossReference" and r.get("target") in ids for r in refs)
    urls = [x.get("target") or "" for x in root.iter(_q("xref"))]
    assert urls and all(u.startswith(("http://", "https://")) for u in urls)


def test_tbx_of_a_subset_drops_dangling_references() -> None:
    root = _parse(to_tbx([lookup("anquan")]))
    assert len(root.findall("tbx:text/tbx:body/tbx:conceptEntry", NS)) == 1
    assert list(root.iter(_q("ref"))) == []


def test_tbx_escapes_markup_in_text() -> None:
    term = lookup("anquan")
    odd = term.model_copy(update={"en": 'a <b> & "c"', "zh": "安全 & <甲>"})
    root = _parse(to_tbx([odd]))
    en = root.find("tbx:text/tbx:body/tbx:conceptEntry/tbx:langSec/tbx:termSec/tbx:term", NS)
    assert en is not None and en.text == 'a <b> & "c"'
    zh = [t.text for t in root.iter(_q("term"))]
    assert "安全 & <甲>" in zh


def test_csv_has_one_row_per_sense() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(GLOSSARY), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert len(body) == sum(len(t.senses) for t in GLOSSARY)
    for row in body:
        assert row["basis"] in ("sourced", ANALYSIS)
        if row["basis"] == "sourced":
            assert row["sources"]
    anquan = [r for r in body if r["term_id"] == "anquan"]
    assert {r["jurisdiction"] for r in anquan} == {"US", "CN"}
    assert anquan[0]["zh"] == "安全" and anquan[0]["pinyin"] == "an quan"
    assert "federalregister.gov" in anquan[0]["source_urls"]


def test_csv_quotes_commas_and_newlines() -> None:
    term = lookup("anquan")
    odd = term.model_copy(update={"en": "a, b\nc"})
    rows = list(csv.reader(io.StringIO(to_csv([odd]), newline="")))
    assert rows[1][1] == "a, b\nc"


def test_json_document() -> None:
    doc = json.loads(to_json(GLOSSARY))
    assert doc["schema"] == SCHEMA
    assert doc["count"] == len(GLOSSARY) == len(doc["terms"])
    first = doc["terms"][0]
    for key in ("id", "en", "zh", "pinyin", "senses", "divergence", "related", "category_name"):
        assert key in first
    cite = next(c for t in doc["terms"] for s in t["senses"] for c in s["sources"])
    assert {"title", "url"} <= set(cite["source"])
