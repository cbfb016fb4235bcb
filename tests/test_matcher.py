from __future__ import annotations

import json
import pickle
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govbridge.errors import InputError
from govbridge.matcher import (
    Hit,
    Keyword,
    KeywordLibrary,
    KeywordLibraryError,
    Matcher,
    available_engines,
    normalise,
    normalise_map,
)

ENGINES = available_engines()

# Characters that exercise every branch of the normaliser: ASCII in both cases, CJK (Simplified
# and Traditional), full-width forms, ligatures, circled digits, combining marks, precomposed
# letters, Hangul compatibility jamo and syllables, the sharp s, dotted capital I, the Kelvin
# sign, Cherokee, a Greek final sigma and a JSON-ish backslash.
TRICKY = (
    "abcsABCS ,.-"
    "炸弹爆炸物發展发展中國国"
    "ＡＢｂ，０１"
    "ﬁﬀ①②㍿"
    "\u0301\u0308\u0323"
    "éÉàß"
    "\u3131\u314f가각\u1100\u1161\u11a8"
    "İıK\u212a"
    "Ꭰꭰ"
    "σςΣ"
    '\\"/'
)

texts = st.text(alphabet=TRICKY, max_size=40)
keyword_texts = st.text(alphabet=TRICKY.replace("\\", "").replace('"', ""), min_size=1, max_size=4)


def lib_of(*words: str, risk: str = "R") -> KeywordLibrary:
    return KeywordLibrary.from_keywords([Keyword(w, "zh", risk) for w in words])


def oracle(library: KeywordLibrary, text: str, traditional: bool = False) -> list[Hit]:
    """Every occurrence, by brute force over the fully normalised text."""
    norm = normalise_map(text, traditional=traditional)
    seen: dict[str, dict[str, str]] = {}
    for kw in library:
        seen.setdefault(normalise(kw.keyword, traditional=traditional), {}).setdefault(
            kw.risk, kw.keyword
        )
    out = []
    for key, risks in seen.items():
        pos = norm.text.find(key)
        while pos >= 0:
            span = norm.original_span(pos, pos + len(key))
            if span is not None:
                for risk, written in risks.items():
                    out.append(Hit(written, risk, span[0], span[1]))
            pos = norm.text.find(key, pos + 1)
    return sorted(out, key=lambda h: (h.start, h.end, h.keyword, h.risk))


# -- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BOMB", "bomb"),
        ("ＢＯＭＢ", "bomb"),  # full-width Latin
        ("炸弹，", "炸弹,"),  # full-width comma
        ("Straße", "strasse"),
        ("ﬁre", "fire"),
        ("①", "1"),
        ("e\u0301", "é"),  # combining acute composes
        ("\u3131\u314f", "가"),  # compatibility jamo compose
        ("K\u212a", "kk"),  # Kelvin sign
    ],
)
def test_normalise_examples(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_traditional_only_with_the_flag() -> None:
    assert normalise("發展中國家") == "發展中國家"
    assert normalise("發展中國家", traditional=True) == "发展中国家"


@given(texts)
@settings(max_examples=400, deadline=None)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(texts, st.booleans())
@settings(max_examples=400, deadline=None)
def test_normalise_map_agrees_with_normalise(text: str, traditional: bool) -> None:
    norm = normalise_map(text, traditional=traditional)
    assert norm.text == normalise(text, traditional=traditional)
    # The whole text always maps back to the whole text.
    assert norm.original_span(0, len(norm.text)) == ((0, len(text)) if text else (0, 0)) or (
        not norm.text
    )


@given(texts, st.data())
@settings(max_examples=300, deadline=None)
def test_every_mapped_span_normalises_to_its_image(text: str, data: st.DataObject) -> None:
    norm = normalise_map(text)
    if not norm.text:
        return
    start = data.draw(st.integers(0, len(norm.text) - 1))
    end = data.draw(st.integers(start + 1, len(norm.text)))
    span = norm.original_span(start, end)
    if span is not None:
        assert normalise(text[span[0] : span[1]]) == norm.text[start:end]


# -- matching --------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_offsets_in_mixed_text(engine: str) -> None:
    lib = KeywordLibrary.from_keywords(
        [
            Keyword("炸弹", "zh", "A.1.d"),
            Keyword("Bomb Making", "en", "A.1.d"),
            Keyword("恐怖主义", "zh", "A.1.d"),
            Keyword("Straße", "de", "A.2.d"),
        ]
    )
    text = "Guide: ＢＯＭＢ　ＭＡＫＩＮＧ 与炸弹；STRASSE ﬁ 恐怖主义 und Straße."
    hits = Matcher(lib, engine=engine).find(text)
    assert [(h.keyword, text[h.start : h.end]) for h in hits] == [
        ("Bomb Making", "ＢＯＭＢ　ＭＡＫＩＮＧ"),
        ("炸弹", "炸弹"),
        ("Straße", "STRASSE"),
        ("恐怖主义", "恐怖主义"),
        ("Straße", "Straße"),
    ]
    for hit in hits:
        assert normalise(text[hit.start : hit.end]) == normalise(hit.keyword)


@pytest.mark.parametrize("engine", ENGINES)
def test_overlapping_hits_and_one_hit_per_risk(engine: str) -> None:
    lib = KeywordLibrary.from_keywords(
        [Keyword("aba", "en", "R1"), Keyword("ABA", "en", "R2"), Keyword("bab", "en", "R1")]
    )
    hits = Matcher(lib, engine=engine).find("xAbAbA")
    assert hits == [
        Hit("ABA", "R2", 1, 4),
        Hit("aba", "R1", 1, 4),
        Hit("bab", "R1", 2, 5),
        Hit("ABA", "R2", 3, 6),
        Hit("aba", "R1", 3, 6),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_partial_expansions_are_not_hits(engine: str) -> None:
    matcher = Matcher(lib_of("s", "ss"), engine=engine)
    assert [(h.keyword, h.start, h.end) for h in matcher.find("ß")] == [("ss", 0, 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_traditional_flag(engine: str) -> None:
    lib = lib_of("发展中国家")
    assert Matcher(lib, engine=engine).find("發展中國家") == []
    hits = Matcher(lib, engine=engine, traditional=True).find("一個發展中國家")
    assert [(h.start, h.end) for h in hits] == [(2, 7)]
    # Traditional keywords match Simplified text too.
    trad = Matcher(lib_of("發展"), engine=engine, traditional=True)
    assert [(h.start, h.end) for h in trad.find("发展")] == [(0, 2)]


@pytest.mark.parametrize("engine", ENGINES)
def test_risks_and_find_many(engine: str) -> None:
    lib = KeywordLibrary.from_keywords(
        [Keyword("炸弹", "zh", "A.1.d"), Keyword("hate", "en", "A.1.e")]
    )
    matcher = Matcher(lib, engine=engine)
    assert matcher.risks("I HATE 炸弹") == {"A.1.d", "A.1.e"}
    assert matcher.risks("nothing here") == set()
    texts = ["炸弹", "", "ＨＡＴＥ", "e\u0301 hate", "plain"]
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]


@given(texts, st.lists(keyword_texts, min_size=1, max_size=5), st.booleans())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_engines_agree_with_the_oracle(text: str, words: list[str], traditional: bool) -> None:
    words = [w for w in words if normalise(w, traditional=traditional)]
    if not words:
        return
    lib = lib_of(*words)
    expected = oracle(lib, text, traditional)
    for engine in ENGINES:
        matcher = Matcher(lib, engine=engine, traditional=traditional)
        assert matcher.find(text) == expected, engine
    for hit in expected:
        assert normalise(text[hit.start : hit.end], traditional=traditional) == normalise(
            hit.keyword, traditional=traditional
        )


@given(st.lists(texts, max_size=6), st.lists(keyword_texts, min_size=1, max_size=4))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_json_bodies_scan_like_the_decoded_text(docs: list[str], words: list[str]) -> None:
    """The corpus scanner matches JSON string bodies without decoding them."""
    words = [w for w in words if normalise(w)]
    if not words:
        return
    _check_json_bodies(docs, words)


# Full-width letters and digits and ideographic spaces are replaced in the bytes one character
# for one (their UTF-8 is longer than their normal form's), in several documents scanned at once:
# a hit after such characters must keep its offset in the original text.
SIMPLE_DOCS = [
    "ＡＡ　ｂｏｍｂ then bomb",
    "plain bomb text",
    "１２３　a b １２ and ａ　ｂ",
    "炸弹　炸弹ＡＢ",
    "",
    "no hit here",
    "ＢＯＭＢ",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_replaced_characters_keep_offsets(engine: str) -> None:
    words = ["bomb", "a b", "12", "炸弹"]
    lib = lib_of(*words)
    matcher = Matcher(lib, engine=engine)
    assert matcher.find_many(SIMPLE_DOCS) == [oracle(lib, doc) for doc in SIMPLE_DOCS]
    hits = matcher.find(SIMPLE_DOCS[0])
    assert [SIMPLE_DOCS[0][h.start : h.end] for h in hits] == ["Ａ\u3000ｂ", "ｂｏｍｂ", "bomb"]


def test_replaced_characters_in_json_bodies() -> None:
    _check_json_bodies(SIMPLE_DOCS, ["bomb", "a b", "12", "炸弹"])


# Texts whose only characters that normalisation changes are replaced one for one, spread out
# with filler, so that the windows scanned again around them are apart, adjacent or merged.
SIMPLE_CHARS = "abnAN 12炸弹\nＡｂｎＮ１２\u3000\u00a0"
simple_texts = st.lists(
    st.tuples(st.text(alphabet=SIMPLE_CHARS, max_size=8), st.integers(0, 40)), max_size=8
).map(lambda parts: "".join(seg + "中" * n for seg, n in parts))
simple_keywords = st.text(alphabet="abn 12炸弹", min_size=1, max_size=5)


@given(st.lists(simple_texts, max_size=5), st.lists(simple_keywords, min_size=1, max_size=4))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_windows_around_replaced_characters(docs: list[str], words: list[str]) -> None:
    """Only windows around replaced characters are scanned again; no hit is lost or doubled."""
    words = [w for w in words if normalise(w)]
    if not words:
        return
    lib = lib_of(*words)
    assert Matcher(lib).find_many(docs) == [oracle(lib, doc) for doc in docs]
    _check_json_bodies(docs, words)


def test_window_edges() -> None:
    """Hits just inside and just outside the reach of a replaced character."""
    words = ["ab", "bomb", "炸弹炸弹a", "na"]
    lib = lib_of(*words)
    docs = [
        "ａb" + "中" * 30 + "bomb" + "中" * 3 + "ＢＯＭＢ" + "中" * 40 + "a\u3000",
        "bomb\u3000bomb" + "中" * 50 + "ab",
        "中" * 9 + "ｂｏｍｂ",
        "ｂｏｍｂ" + "中" * 9,
        # In JSON, the letter of the escape \n is not an "n" of the text (an even index: the
        # odd ones are written with \u escapes, which take the decoding path).
        "x\nａ \nａ",
        # A keyword of five characters, four of them three bytes long, ending on a replaced one.
        "中炸弹炸弹ａ中",
    ]
    matcher = Matcher(lib)
    assert matcher.find_many(docs) == [oracle(lib, doc) for doc in docs]
    _check_json_bodies(docs, words)


def _check_json_bodies(docs: list[str], words: list[str]) -> None:
    matcher = Matcher(lib_of(*words))
    bodies = [json.dumps(d, ensure_ascii=bool(i % 2))[1:-1].encode() for i, d in enumerate(docs)]
    starts, ends, pos = [], [], 0
    for body in bodies:
        starts.append(pos + 1)
        ends.append(pos + 1 + len(body))
        pos += len(body) + 2
    buf = b"".join(b'"' + b + b'"' for b in bodies)
    found = matcher._scan_utf8(buf, starts, ends, json=True)
    for index, doc in enumerate(docs):
        expected = matcher.find(doc)
        if index in found.dirty:
            continue
        got = found.hits.get(index, [])
        body = bodies[index]
        hits = []
        for pid, s, _e in got:
            prefix = json.loads(b'"' + body[:s] + b'"')
            pattern = matcher._patterns[pid]
            for written, risk in pattern.entries:
                hits.append(Hit(written, risk, len(prefix), len(prefix) + len(pattern.text)))
        hits.sort(key=lambda h: (h.start, h.end, h.keyword, h.risk))
        assert hits == expected


def test_matcher_pickles() -> None:
    matcher = Matcher(lib_of("炸弹", "bomb"))
    clone = pickle.loads(pickle.dumps(matcher))
    assert clone.find("BOMB 炸弹") == matcher.find("BOMB 炸弹")
    assert clone.engine == matcher.engine


def test_unknown_engine() -> None:
    with pytest.raises(InputError, match="unknown matching engine"):
        Matcher(lib_of("a"), engine="grep")


# -- the keyword library ---------------------------------------------------------------------


def test_load_tsv_and_jsonl(tmp_path: Path) -> None:
    tsv = tmp_path / "kw.tsv"
    tsv.write_text(
        "keyword\tlang\trisk\tnote\n炸弹\tzh\tA.1.d\tx\n\nbomb\ten\tA.1.d\t\n炸弹\tzh\tA.1.d\t\n"
    )
    lib = KeywordLibrary.load(tsv)
    assert list(lib) == [Keyword("炸弹", "zh", "A.1.d"), Keyword("bomb", "en", "A.1.d")]
    assert lib.risks() == ["A.1.d"] and len(lib.version) == 12
    jsonl = tmp_path / "kw.jsonl"
    jsonl.write_text('{"keyword": "炸弹", "lang": "zh", "risk": "A.1.d"}\n')
    assert list(KeywordLibrary.load(jsonl)) == [Keyword("炸弹", "zh", "A.1.d")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.tsv", "word\tlang\trisk\nx\tzh\tR\n", "header lacks the column"),
        ("b.tsv", "keyword\tlang\trisk\nx\tzh\n", "b.tsv:2: has 2 column"),
        ("c.tsv", "keyword\tlang\trisk\n\tzh\tR\n", "keyword is empty"),
        ("d.tsv", "keyword\tlang\trisk\nx\tChinese\tR\n", "lang must be"),
        ("e.jsonl", '{"keyword": "x", "lang": "zh"}\n', "e.jsonl:1: key 'risk'"),
        ("f.jsonl", "not json\n", "is not JSON"),
        ("g.tsv", "keyword\tlang\trisk\n", "holds no keyword"),
        ("missing.tsv", None, "cannot read"),
    ],
)
def test_bad_libraries(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(KeywordLibraryError, match=message):
        KeywordLibrary.load(path)


def test_the_keyword_library_error_is_an_input_error() -> None:
    assert issubclass(KeywordLibraryError, InputError)
    assert unicodedata.is_normalized("NFKC", normalise("ＡＢＣ"))
