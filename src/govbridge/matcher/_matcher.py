"""The matcher: every occurrence of every keyword, with offsets in the original text."""

from __future__ import annotations

import pickle
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from govbridge.errors import UsageError
from govbridge.matcher._cache import cached as _cached
from govbridge.matcher._library import KeywordLibrary
from govbridge.matcher._normalise import (
    NormalisedText,
    _Dirty,
    _normalise_pieces,
    _t2s_table,
    _tables,
    normalise,
    normalise_map,
)

__all__ = ["ENGINES", "Hit", "Matcher", "available_engines"]

ENGINES = ("hyperscan", "ahocorasick_rs", "pyahocorasick")
"""The matching engines, fastest first (see docs/performance.md)."""

_MODULES = {
    "hyperscan": "hyperscan",
    "ahocorasick_rs": "ahocorasick_rs",
    "pyahocorasick": "ahocorasick",
}
_BACKSLASH = 0x5C


class Hit(NamedTuple):
    """One occurrence of one keyword.

    Attributes:
        keyword: The keyword as written in the library.
        risk: The risk id of that library entry.
        start: Offset of the first character of the occurrence in the original text.
        end: Offset just past its last character: ``text[start:end]`` normalises to the keyword.
    """

    keyword: str
    risk: str
    start: int
    end: int


def available_engines() -> list[str]:
    """The engines whose library is installed, fastest first."""
    import importlib.util

    return [name for name in ENGINES if importlib.util.find_spec(_MODULES[name]) is not None]


class _Pattern(NamedTuple):
    """One normalised keyword and the library entries it stands for."""

    text: str
    utf8: bytes
    entries: tuple[tuple[str, str], ...]  # (keyword as written, risk), one per risk


class _DocHits(NamedTuple):
    """Hits of a buffer scan, by document index.

    Attributes:
        hits: doc -> [(pattern, start, end)], byte offsets within the document's body.
        dirty: Documents to decode and match with :meth:`Matcher.find` (or the dirty path).
    """

    hits: dict[int, list[tuple[int, int, int]]]
    dirty: set[int]


class Matcher:
    """Finds every occurrence of a library's keywords in texts.

    Matching is on substrings (right for CJK, where words are not delimited) of the normalised
    text (see :func:`govbridge.matcher.normalise`), so ``"ＢＯＭＢ"`` matches ``bomb`` and, with
    ``traditional=True``, ``"炸彈"`` matches ``炸弹``. Occurrences may overlap; each is reported,
    once per risk of its keyword.

    >>> from govbridge.matcher import Keyword, KeywordLibrary
    >>> lib = KeywordLibrary.from_keywords(
    ...     [Keyword("炸弹", "zh", "A.1.d"), Keyword("bomb", "en", "A.1.d")]
    ... )
    >>> for hit in Matcher(lib).find("如何制造炸弹 (ＢＯＭＢ)?"):
    ...     print(hit)
    Hit(keyword='炸弹', risk='A.1.d', start=4, end=6)
    Hit(keyword='bomb', risk='A.1.d', start=8, end=12)

    Args:
        library: The keyword library.
        traditional: Also match Traditional Chinese text against Simplified keywords (and the
            reverse): both sides are converted to Simplified, character by character.
        engine: ``"auto"`` (the fastest installed) or one of :data:`ENGINES`.

    Raises:
        UsageError: An unknown or uninstalled engine.
    """

    def __init__(
        self, library: KeywordLibrary, *, traditional: bool = False, engine: str = "auto"
    ) -> None:
        self.library = library
        self.traditional = traditional
        if traditional:
            try:
                _t2s_table()
            except ImportError:
                raise UsageError(
                    "Traditional Chinese matching needs the 'opencc' package: pip install opencc"
                ) from None
        key = f"patterns-{library.sha256[:32]}-{int(traditional)}-{_unicode_version()}"
        self._patterns, self._chars = _cached(key, lambda: _prepare(library, traditional))
        self.engine = _pick(engine)
        self._impl = _build(self.engine, self)

    def __repr__(self) -> str:
        return f"Matcher({self.library!r}, engine={self.engine!r}, traditional={self.traditional})"

    def __getstate__(self) -> dict[str, Any]:
        return {
            "library": self.library,
            "traditional": self.traditional,
            "engine": self.engine,
            "impl": self._impl.dump(),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Rebuild from the library; the compiled automaton comes back without recompiling.
        fresh = Matcher.__new__(Matcher)
        Matcher.__init__(fresh, state["library"], traditional=state["traditional"], engine="none")
        self.__dict__.update(fresh.__dict__)
        self.engine = state["engine"]
        self._impl = _build(self.engine, self, state["impl"])

    @property
    def patterns(self) -> int:
        """The number of distinct normalised keywords."""
        return len(self._patterns)

    def find(self, text: str) -> list[Hit]:
        """Every occurrence of every keyword in a text, sorted by position.

        Args:
            text: The text, as it was read (not normalised).

        Returns:
            Hits sorted by start, end, keyword and risk, with offsets in ``text``.
        """
        return self._impl.find(text)

    def find_many(self, texts: Iterable[str]) -> list[list[Hit]]:
        """:meth:`find` for many texts at once (faster than one call per text)."""
        items = list(texts)
        if not items:
            return []
        return self._impl.find_many(items)

    def risks(self, text: str) -> set[str]:
        """The risk ids of the keywords that occur in a text."""
        return {hit.risk for hit in self.find(text)}

    # The corpus scanner's entry point: UTF-8 buffers holding many documents.
    def _scan_utf8(
        self, buf: bytes | memoryview, starts: Sequence[int], ends: Sequence[int], *, json: bool
    ) -> _DocHits:
        return self._impl.scan_utf8(buf, starts, ends, json=json)

    def _find_dirty_many(self, texts: list[str]) -> list[list[Hit]]:
        return self._impl.find_dirty_many(texts)

    def _hits_in_body(
        self, body: bytes, found: list[tuple[int, int, int]], *, json: bool
    ) -> list[Hit]:
        """Hits of one clean document from byte offsets within its UTF-8 (or JSON) body."""
        if not found:
            return []
        ordered = sorted(found, key=lambda f: f[1])
        if body.isascii() and not json:
            return self._hits_from_bytes(ordered, lambda offset: offset)
        counter = _JsonCounter(body) if json else _Utf8Counter(body)
        return self._hits_from_bytes(ordered, counter.chars)

    def _hits_from_bytes(
        self,
        found: list[tuple[int, int, int]],
        char_offset: Callable[[int], int],
    ) -> list[Hit]:
        out: list[Hit] = []
        for pid, start, _end in found:
            pattern = self._patterns[pid]
            cstart = char_offset(start)
            cend = cstart + len(pattern.text)  # the bytes are the keyword's, up to ASCII case
            for written, risk in pattern.entries:
                out.append(Hit(written, risk, cstart, cend))
        out.sort(key=lambda h: (h.start, h.end, h.keyword, h.risk))
        return out

    def _hits_from_normalised(
        self, norm: NormalisedText, found: Iterable[tuple[int, int, int]]
    ) -> list[Hit]:
        out: list[Hit] = []
        for pid, start, end in found:
            span = norm.original_span(start, end)
            if span is None:
                continue
            for written, risk in self._patterns[pid].entries:
                out.append(Hit(written, risk, span[0], span[1]))
        out.sort(key=lambda h: (h.start, h.end, h.keyword, h.risk))
        return out


def _prepare(
    library: KeywordLibrary, traditional: bool
) -> tuple[tuple[_Pattern, ...], frozenset[str]]:
    """The distinct normal forms of a library's keywords, and the characters they use."""
    by_text: dict[str, dict[str, str]] = {}
    for kw in library:
        norm = normalise(kw.keyword, traditional=traditional)
        by_text.setdefault(norm, {}).setdefault(kw.risk, kw.keyword)
    patterns = tuple(
        _Pattern(
            text,
            text.encode("utf-8", "surrogatepass"),
            tuple((written, risk) for risk, written in sorted(risks.items())),
        )
        for text, risks in by_text.items()
    )
    chars: set[str] = set()
    for pattern in patterns:
        chars.update(pattern.text)
    return patterns, frozenset(chars)


def _unicode_version() -> str:
    import sys
    import unicodedata

    return f"u{unicodedata.unidata_version}-py{sys.version_info[0]}{sys.version_info[1]}-m4"


def _pick(engine: str) -> str:
    if engine == "none":
        return engine
    installed = available_engines()
    if engine == "auto":
        if not installed:
            raise UsageError("no matching engine is installed: pip install hyperscan")
        return installed[0]
    if engine not in ENGINES:
        raise UsageError(
            f"unknown matching engine {engine!r}: expected one of {', '.join(ENGINES)}"
        )
    if engine not in installed:
        raise UsageError(f"the matching engine {engine!r} is not installed: pip install {engine}")
    return engine


class _Impl:
    """An engine: the compiled automaton and the scanning loop around it."""

    def dump(self) -> bytes | None:
        return None

    def find(self, text: str) -> list[Hit]:
        raise NotImplementedError

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        return [self.find(text) for text in texts]

    def find_dirty_many(self, texts: list[str]) -> list[list[Hit]]:
        """:meth:`find` for texts that a buffer scan called dirty."""
        return [self.find(text) for text in texts]

    def scan_utf8(
        self, buf: bytes | memoryview, starts: Sequence[int], ends: Sequence[int], *, json: bool
    ) -> _DocHits:
        """Scan documents held in one UTF-8 buffer.

        Engines that match Python strings call every document dirty: the caller decodes each
        and calls :meth:`find`.
        """
        return _DocHits({}, set(range(len(starts))))


def _build(engine: str, matcher: Matcher, dumped: bytes | None = None) -> _Impl:
    if engine == "none":
        return _Impl()
    if engine == "hyperscan":
        return _Hyperscan(matcher, dumped)
    if engine == "ahocorasick_rs":
        return _AhoCorasickRs(matcher)
    return _PyAhoCorasick(matcher)


class _StrEngine(_Impl):
    """Engines that match Python strings: normalise the whole text, then map back."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher

    def find(self, text: str) -> list[Hit]:
        norm = normalise_map(text, traditional=self.matcher.traditional)
        return self.matcher._hits_from_normalised(norm, self.search(norm.text))

    def search(self, text: str) -> Iterable[tuple[int, int, int]]:
        raise NotImplementedError


class _AhoCorasickRs(_StrEngine):
    def __init__(self, matcher: Matcher) -> None:
        super().__init__(matcher)
        import ahocorasick_rs

        texts = [p.text for p in matcher._patterns]
        self.automaton = ahocorasick_rs.AhoCorasick(texts) if texts else None

    def search(self, text: str) -> Iterable[tuple[int, int, int]]:
        if self.automaton is None:
            return []
        return self.automaton.find_matches_as_indexes(text, overlapping=True)


class _PyAhoCorasick(_StrEngine):
    def __init__(self, matcher: Matcher) -> None:
        super().__init__(matcher)
        import ahocorasick  # type: ignore[import-not-found, unused-ignore]

        self.automaton: Any = ahocorasick.Automaton()
        for pid, pattern in enumerate(matcher._patterns):
            self.automaton.add_word(pattern.text, (pid, len(pattern.text)))
        self.empty = not matcher._patterns
        if not self.empty:
            self.automaton.make_automaton()

    def search(self, text: str) -> Iterable[tuple[int, int, int]]:
        if self.empty:
            return []
        return [(pid, end + 1 - n, end + 1) for end, (pid, n) in self.automaton.iter(text)]


class _Hyperscan(_Impl):
    r"""Hyperscan over UTF-8 bytes, caseless for ASCII, with a sentinel for the rest.

    Keywords are compiled in their normal form. A text whose bytes match the normal form of a
    keyword (ASCII letters in any case) holds that keyword, unless it also holds a character
    that normalisation would turn into something that contains a keyword character, or that
    attaches to the character before it (a combining mark): those characters form the
    *sentinel* pattern. Where it fires on a character that normalisation replaces by one
    character (a full-width form, an ideographic space), windows around it are replaced in the
    bytes and scanned again; a text with any other such character is normalised first (only its
    affected segments) and scanned again. JSON string bodies are scanned as they are; an escape
    such as ``\\u00e9``, or an escaped character that occurs in a keyword, also fires the
    sentinel.
    """

    def __init__(self, matcher: Matcher, dumped: bytes | None) -> None:
        import hyperscan

        self.matcher = matcher
        self.hs = hyperscan
        patterns = matcher._patterns
        self.lengths = [len(p.utf8) for p in patterns]
        # Bytes that a keyword match can reach on either side of one of its characters (a
        # character is at most four bytes of UTF-8, or two of a JSON escape).
        self.reach = 4 * max((len(p.text) for p in patterns), default=1)
        keyword_chars = matcher._chars
        traditional = matcher.traditional
        escapes = [b"\\\\u"]
        for char, escaped in (('"', b'\\\\"'), ("\\", b"\\\\\\\\"), ("/", b"\\\\/")):
            if char in keyword_chars:
                escapes.append(escaped)
        if dumped is not None:
            state = pickle.loads(dumped)
        else:
            key = (
                f"hyperscan-{matcher.library.sha256[:32]}-{int(traditional)}-"
                f"{getattr(hyperscan, '__version__', '?')}-{_unicode_version()}"
            )
            state = _cached(key, lambda: _hyperscan_state(matcher, escapes))
        kw_bytes, sentinel_bytes, dirty_chars, attach, simple = state
        self.state = state
        self.simple: dict[bytes, bytes] = simple
        self.dirty_chars: frozenset[str] = dirty_chars
        self.attach: frozenset[str] = attach
        self.dirty = _Dirty.of(dirty_chars, attach)
        self.kw_db = hyperscan.loadb(kw_bytes, hyperscan.HS_MODE_BLOCK) if patterns else None
        self.sentinel_db = hyperscan.loadb(sentinel_bytes, hyperscan.HS_MODE_BLOCK)
        self.kw_bytes = kw_bytes
        self.sentinel_bytes = sentinel_bytes
        self.local = threading.local()

    def dump(self) -> bytes | None:
        return pickle.dumps(self.state)

    def _scratch(self) -> tuple[Any, Any]:
        scratch = getattr(self.local, "scratch", None)
        if scratch is None:
            kw = self.hs.Scratch(self.kw_db) if self.kw_db is not None else None
            scratch = (kw, self.hs.Scratch(self.sentinel_db))
            self.local.scratch = scratch
        return scratch  # type: ignore[no-any-return, unused-ignore]

    def scan_utf8(
        self,
        buf: bytes | memoryview,
        starts: Sequence[int],
        ends: Sequence[int],
        *,
        json: bool,
        sentinel: bool = True,
    ) -> _DocHits:
        hits: dict[int, list[tuple[int, int, int]]] = {}
        dirty: set[int] = set()
        if not starts:
            return _DocHits(hits, dirty)
        view = memoryview(buf)
        replaced: _Marks | None = None
        if sentinel:
            marks: list[int] = []
            add_mark = marks.append

            def on_sentinel(pid: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                add_mark(to if pid == _DIRTY else -to)  # an end offset is never 0

            self.sentinel_db.scan(
                view,  # type: ignore[type-var, unused-ignore]
                match_event_handler=on_sentinel,
                scratch=self._scratch()[1],
            )
            if marks:
                dirty, replaced = self._classify_marks(view, marks, starts, ends, json)
        if self.kw_db is None:
            return _DocHits(hits, dirty)
        self._keyword_hits(view, starts, ends, json, dirty, hits)
        if replaced is not None:
            self._rescan_windows(view, starts, ends, json, replaced, hits)
        return _DocHits(hits, dirty)

    def _classify_marks(
        self,
        view: memoryview,
        marks: list[int],
        starts: Sequence[int],
        ends: Sequence[int],
        json: bool,
    ) -> tuple[set[int], _Marks | None]:
        """Sort the sentinel's marks (end offsets; escapes negative) by document, vectorised.

        Returns:
            The dirty documents, and the *simple* characters of the others (those that
            normalisation replaces one for one), with where they are.
        """
        import numpy as np

        ends_at = np.asarray(marks, dtype=np.int64)
        escape = ends_at < 0
        ends_at = np.abs(ends_at)
        starts_a = np.asarray(starts, dtype=np.int64)
        doc = np.searchsorted(starts_a, ends_at - 1, side="right") - 1
        inside = doc >= 0
        inside[inside] = ends_at[inside] <= np.asarray(ends, dtype=np.int64)[doc[inside]]
        dirty: set[int] = set(doc[inside & escape].tolist()) if json else set()
        keep = inside & ~escape
        ends_at = ends_at[keep]
        doc = doc[keep]
        if not len(ends_at):
            return dirty, None
        data = np.frombuffer(view, dtype=np.uint8)
        # The character that ends at each mark: back over (at most three) continuation bytes.
        lead = ends_at - 1
        floor = np.maximum(ends_at - 4, 0)
        for _ in range(3):
            lead -= (lead > floor) & ((data[lead] & 0xC0) == 0x80)
        size = ends_at - lead
        key = size.copy()
        for k in range(4):
            has = k < size
            key[has] += data[lead[has] + k].astype(np.int64) << (8 * (k + 1))
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        chars = [bytes(view[lead[i] : ends_at[i]]) for i in first.tolist()]
        simple = self.simple
        is_simple = np.array([c in simple for c in chars], dtype=bool)[inverse]
        dirty.update(doc[~is_simple].tolist())
        is_simple &= ~np.isin(doc, np.fromiter(dirty, dtype=np.int64, count=len(dirty)))
        if not is_simple.any():
            return dirty, None
        cut = np.array([len(c) - len(simple.get(c, c)) for c in chars], dtype=np.int64)
        order = np.argsort(lead[is_simple], kind="stable")
        return dirty, _Marks(
            doc=doc[is_simple][order],
            start=lead[is_simple][order],
            end=ends_at[is_simple][order],
            cut=cut[inverse[is_simple]][order],
            chars={chars[u] for u in np.unique(inverse[is_simple]).tolist()},
        )

    def _rescan_windows(
        self,
        view: memoryview,
        starts: Sequence[int],
        ends: Sequence[int],
        json: bool,
        marks: _Marks,
        hits: dict[int, list[tuple[int, int, int]]],
    ) -> None:
        """Find the hits that need a simple character replaced by its normal form.

        Such a hit lies within ``reach`` bytes of one of those characters, so only windows
        around them are replaced (one character for one, so character offsets do not move) and
        scanned again; the rest of the document keeps the hits of the first scan. The windows
        are joined, replaced and scanned in one go.
        """
        import numpy as np

        # A keyword never holds a character that normalisation changes, so a hit of the first
        # scan never covers a replaced one; drop any that would, to be safe.
        for doc in set(marks.doc.tolist()).intersection(hits):
            begin = starts[doc]
            kept = []
            for found in hits[doc]:
                i = int(np.searchsorted(marks.start, begin + found[2], side="left")) - 1
                if i < 0 or marks.end[i] <= begin + found[1]:
                    kept.append(found)
            hits[doc] = kept
        # Windows around each replaced character, within its document, merged where they meet.
        doc_starts = np.asarray(starts, dtype=np.int64)[marks.doc]
        doc_ends = np.asarray(ends, dtype=np.int64)[marks.doc]
        low = np.maximum(marks.start - self.reach, doc_starts)
        high = np.minimum(marks.end + self.reach, doc_ends)
        reach_so_far = np.maximum.accumulate(high)
        opens = np.ones(len(low), dtype=bool)
        opens[1:] = low[1:] >= reach_so_far[:-1]
        first = np.flatnonzero(opens)  # the first mark of each window
        win_low = low[first]
        win_high = np.maximum.reduceat(high, first)
        win_cut = np.add.reduceat(marks.cut, first)
        spans = zip(win_low.tolist(), win_high.tolist(), strict=True)
        joined = b'""'.join(view[a:b] for a, b in spans)
        for char in marks.chars:
            joined = joined.replace(char, self.simple[char])
        new_len = win_high - win_low - win_cut
        new_ends = np.cumsum(new_len + 2) - 2
        new_starts = new_ends - new_len
        if int(new_ends[-1]) != len(joined):  # pragma: no cover - a safeguard
            raise AssertionError("replaced windows do not add up")
        # Where each replaced character lies in its replaced window.
        window_of = np.cumsum(opens) - 1
        cut_before = np.cumsum(marks.cut) - marks.cut  # in the whole list of marks
        cut_before -= cut_before[first][window_of]  # within its window
        rep_start = marks.start - win_low[window_of] - cut_before
        rep_end = rep_start + (marks.end - marks.start) - marks.cut
        bounds = np.append(first, len(opens))
        for pid, to in self._events(memoryview(joined)):
            start = to - self.lengths[pid]
            w = int(np.searchsorted(new_starts, start, side="right")) - 1
            if w < 0 or to > new_ends[w]:
                continue  # across two windows
            a, b = start - int(new_starts[w]), to - int(new_starts[w])
            lo, hi = int(bounds[w]), int(bounds[w + 1])
            r_start, r_end, cuts = rep_start[lo:hi], rep_end[lo:hi], marks.cut[lo:hi]
            if not np.any((r_start < b) & (r_end > a)):
                continue  # no replaced character in it: the first scan found it
            origin = int(win_low[w])
            begin_abs = origin + a + int(cuts[r_end <= a].sum())
            end_abs = origin + b + int(cuts[r_end <= b].sum())
            doc = int(marks.doc[lo])
            begin = starts[doc]
            if json and _escaped_letter(view, begin, begin_abs):
                continue
            hits.setdefault(doc, []).append((pid, begin_abs - begin, end_abs - begin))

    def _events(self, view: memoryview) -> list[tuple[int, int]]:
        """Every keyword match in a buffer: (pattern, end offset)."""
        events: list[tuple[int, int]] = []
        append = events.append

        def on_match(pid: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            append((pid, to))

        assert self.kw_db is not None
        self.kw_db.scan(
            view,  # type: ignore[type-var, unused-ignore]
            match_event_handler=on_match,
            scratch=self._scratch()[0],
        )
        return events

    def _keyword_hits(
        self,
        view: memoryview,
        starts: Sequence[int],
        ends: Sequence[int],
        json: bool,
        skip: set[int],
        hits: dict[int, list[tuple[int, int, int]]],
    ) -> None:
        """Add the keyword hits of each document not in ``skip``, in document byte offsets."""
        lengths = self.lengths
        for pid, to in self._events(view):
            start = to - lengths[pid]
            doc = bisect_right(starts, start) - 1
            if doc < 0 or to > ends[doc] or doc in skip:
                continue  # across two documents, in the gap between them, or done elsewhere
            begin = starts[doc]
            if json and _escaped_letter(view, begin, start):
                continue
            hits.setdefault(doc, []).append((pid, start - begin, to - begin))

    def find(self, text: str) -> list[Hit]:
        data = text.encode("utf-8", "surrogatepass")
        found = self.scan_utf8(data, [0], [len(data)], json=False)
        if found.dirty:
            return self._find_dirty(text)
        return self.matcher._hits_in_body(data, found.hits.get(0, []), json=False)

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        pieces = [text.encode("utf-8", "surrogatepass") for text in texts]
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for piece in pieces:
            starts.append(pos)
            pos += len(piece)
            ends.append(pos)
            pos += 1
        data = b"\x00".join(pieces)
        found = self.scan_utf8(data, starts, ends, json=False)
        dirty = sorted(found.dirty)
        redone = dict(zip(dirty, self.find_dirty_many([texts[i] for i in dirty]), strict=True))
        out: list[list[Hit]] = []
        for index in range(len(texts)):
            if index in redone:
                out.append(redone[index])
            elif index in found.hits:
                out.append(self.matcher._hits_in_body(pieces[index], found.hits[index], json=False))
            else:
                out.append([])
        return out

    def _find_dirty(self, text: str) -> list[Hit]:
        return self.find_dirty_many([text])[0]

    def find_dirty_many(self, texts: list[str]) -> list[list[Hit]]:
        """Normalise the affected segments of each text, then scan them all at once."""
        traditional = self.matcher.traditional
        norms = [
            _normalise_pieces(text, self.dirty, traditional, lower_runs=False) for text in texts
        ]
        pieces = [norm.text.encode("utf-8", "surrogatepass") for norm in norms]
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for piece in pieces:
            starts.append(pos)
            pos += len(piece)
            ends.append(pos)
            pos += 1
        found = self.scan_utf8(b"\x00".join(pieces), starts, ends, json=False, sentinel=False)
        out: list[list[Hit]] = []
        for index, norm in enumerate(norms):
            doc_hits = found.hits.get(index)
            if not doc_hits:
                out.append([])
                continue
            counter = _Utf8Counter(pieces[index])
            chars = [
                (pid, counter.chars(s), counter.chars(e))
                for pid, s, e in sorted(doc_hits, key=lambda h: h[1])
            ]
            out.append(self.matcher._hits_from_normalised(norm, chars))
        return out


class _Marks(NamedTuple):
    """The simple characters of a buffer's clean documents, by position.

    Attributes:
        doc: The document of each character.
        start: Where each character starts in the buffer.
        end: Where it ends.
        cut: How many bytes shorter its normal form is.
        chars: The distinct characters (UTF-8).
    """

    doc: Any
    start: Any
    end: Any
    cut: Any
    chars: set[bytes]


def _escaped_letter(view: memoryview, begin: int, start: int) -> bool:
    r"""Whether ``start`` is the letter of an escape such as ``\n`` in a JSON body at ``begin``.

    That is, whether an odd number of backslashes precedes it.
    """
    run = 0
    pos = start - 1
    while pos >= begin and view[pos] == _BACKSLASH:
        run += 1
        pos -= 1
    return run % 2 == 1


_DIRTY = 0
_ESCAPE = 1


def _hyperscan_state(
    matcher: Matcher, escapes: list[bytes]
) -> tuple[bytes, bytes, frozenset[str], frozenset[str], dict[bytes, bytes]]:
    """Compile a matcher's databases.

    Returns:
        The keyword database, the sentinel database, the dirty characters, the attaching ones,
        and the *simple* dirty characters (UTF-8 → UTF-8 of their normal form): one character
        for one, neither attaching nor a JSON special, so a body can have them replaced in place.
    """
    tables = _tables()
    attach = tables.attach
    keyword_chars = matcher._chars
    traditional = matcher.traditional
    dirty: set[str] = set()
    candidates = set(tables.unstable)
    if traditional:
        candidates.update(_t2s_table())
    for char in candidates - attach:
        folded = normalise(char, traditional=traditional)
        if folded != char and (not folded or any(c in keyword_chars for c in folded)):
            dirty.add(char)
    dirty_chars = frozenset(dirty)
    simple: dict[bytes, bytes] = {}
    for char in dirty_chars:
        folded = normalise(char, traditional=traditional)
        if len(folded) == 1 and folded not in attach and folded not in '"\\' and folded >= " ":
            simple[char.encode("utf-8")] = folded.encode("utf-8")
    kw_bytes, sentinel_bytes = _compiled(
        [p.utf8 for p in matcher._patterns], sorted(dirty_chars | attach), escapes
    )
    return kw_bytes, sentinel_bytes, dirty_chars, attach, simple


def _compiled(patterns: list[bytes], dirty: list[str], escapes: list[bytes]) -> tuple[bytes, bytes]:
    """The serialised keyword and sentinel databases."""
    import hyperscan

    kw_bytes = b""
    if patterns:
        kw_db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        kw_db.compile(
            expressions=patterns,
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=hyperscan.HS_FLAG_CASELESS,
            literal=True,
        )
        kw_bytes = bytes(hyperscan.dumpb(kw_db))
    sentinel_db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    # One class for every dirty character (two classes scan at less than half the speed).
    sentinel_db.compile(
        expressions=[f"[{_hs_class(dirty)}]".encode("ascii"), b"|".join(escapes)],
        ids=[_DIRTY, _ESCAPE],
        elements=2,
        flags=[hyperscan.HS_FLAG_UTF8, 0],
    )
    result = (kw_bytes, bytes(hyperscan.dumpb(sentinel_db)))
    return result


class _Utf8Counter:
    """Byte offset → character offset in one UTF-8 buffer, for increasing offsets (cached)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.byte = 0
        self.char = 0

    def chars(self, offset: int) -> int:
        if offset < self.byte:
            self.byte = 0
            self.char = 0
        self.char += len(self.data[self.byte : offset].decode("utf-8", "surrogatepass"))
        self.byte = offset
        return self.char


class _JsonCounter(_Utf8Counter):
    """Byte offset in a JSON string body → character offset in the decoded text."""

    def chars(self, offset: int) -> int:
        import msgspec

        if offset < self.byte:
            self.byte = 0
            self.char = 0
        piece = self.data[self.byte : offset]
        if b"\\" in piece:
            self.char += len(msgspec.json.decode(b'"' + piece + b'"', type=str))
        else:
            self.char += len(piece.decode("utf-8", "surrogatepass"))
        self.byte = offset
        return self.char


def _hs_class(chars: Iterable[str]) -> str:
    """A hyperscan (PCRE) character class body for these characters, as code point ranges."""
    points = sorted({ord(c) for c in chars})
    out: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = points[i], points[j]
        out.append(f"\\x{{{lo:x}}}" if lo == hi else f"\\x{{{lo:x}}}-\\x{{{hi:x}}}")
        i = j + 1
    return "".join(out)
