"""Normalisation of keywords and texts, with a map back to the original text.

``normalise(text)`` is NFKC, then full Unicode case folding, then NFKC again (the Unicode
``NFKC_Casefold`` recipe without the removal of default-ignorable characters), then, when asked,
a character-level Traditional-to-Simplified Chinese conversion. It is idempotent.

Offsets are kept by cutting the text into *segments*: a segment is one character that can start
a normalisation unit (a starter that composes with nothing before it) followed by every character
that can change it (combining marks, the second half of a canonical composition such as Hangul
vowel and final jamo, and characters whose normalised form begins with such a character). The
normal form of a text is the concatenation of the normal forms of its segments; a hit in the
normalised text maps back to the original only when it starts and ends on segment boundaries.
"""

from __future__ import annotations

import functools
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

__all__ = ["NormalisedText", "normalise", "normalise_map"]

# Planes that hold assigned characters: BMP, SMP, SIP, TIP and the special-purpose plane.
_PLANES = (0, 1, 2, 3, 14)
# Hangul jamo that compose algorithmically with a preceding jamo or syllable (UAX #15).
_HANGUL_SECONDS = ((0x1161, 0x1175), (0x11A8, 0x11C2))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True, slots=True)
class _Tables:
    """Character classes derived from the Unicode database of this Python."""

    attach: frozenset[str]
    """Characters that can change the character before them (never start a segment)."""
    unstable: dict[str, str]
    """Non-ASCII starters whose normal form differs from themselves, with that form."""
    lower_changes: frozenset[str]
    """Non-ASCII characters that ``str.lower`` changes (kept out of lowered runs)."""


@functools.cache
def _tables() -> _Tables:
    """The tables, from the disk cache when this Unicode version's are there (0.3 s to build)."""
    import os
    import pickle
    import sys
    from pathlib import Path

    base = os.environ.get("GOVBRIDGE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    folder = Path(base) / "govbridge" if base else Path.home() / ".cache" / "govbridge"
    version = f"{unicodedata.unidata_version}-py{sys.version_info[0]}.{sys.version_info[1]}-1"
    cache = folder / "matcher" / f"unicode-{version}.pickle"
    try:
        with cache.open("rb") as handle:
            found = pickle.load(handle)  # noqa: S301 - our own file, written below
        if isinstance(found, _Tables):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    tables = _build_tables()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(tables, handle)
        os.replace(tmp, cache)
    except OSError:
        pass
    return tables


def _build_tables() -> _Tables:
    seconds: set[str] = set()
    for lo, hi in _HANGUL_SECONDS:
        seconds.update(chr(cp) for cp in range(lo, hi + 1))
    attach: set[str] = set()
    unstable: dict[str, str] = {}
    lower_changes: set[str] = set()
    candidates: list[str] = []
    for plane in _PLANES:
        for cp in range(max(plane << 16, 0x80), (plane + 1) << 16):
            char = chr(cp)
            category = unicodedata.category(char)
            if category in ("Cn", "Cs", "Co"):
                continue
            decomposition = unicodedata.decomposition(char)
            if decomposition and not decomposition.startswith("<"):
                parts = decomposition.split()
                if len(parts) == 2:
                    seconds.add(chr(int(parts[1], 16)))
            if unicodedata.combining(char):
                attach.add(char)
            if char.lower() != char:
                lower_changes.add(char)
            if not unicodedata.is_normalized("NFKC", char) or char.casefold() != char:
                candidates.append(char)
    # A second only composes when the canonical composition is not excluded; keeping the
    # excluded ones too is safe (it only makes segments longer).
    attach.update(seconds)
    for char in candidates:
        folded = _fold(char)
        if folded != char:
            unstable[char] = folded
    for char, folded in list(unstable.items()):
        if not folded or folded[0] in attach:
            attach.add(char)
    for char in attach:
        unstable.pop(char, None)
    return _Tables(frozenset(attach), unstable, frozenset(lower_changes))


@functools.cache
def _t2s_table() -> dict[str, str]:
    """Traditional → Simplified, one character to one character (OpenCC ``t2s`` dictionaries).

    Raises:
        ImportError: When the ``opencc`` package is missing.
    """
    import opencc

    ranges = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
    chars = [chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1)]
    converter = opencc.OpenCC("t2s.json")
    # One character a line, so that no phrase dictionary entry applies across characters.
    converted = converter.convert("\n".join(chars)).split("\n")
    table: dict[str, str] = {}
    if len(converted) != len(chars):  # pragma: no cover - a change in OpenCC's behaviour
        raise RuntimeError("OpenCC t2s changed the number of characters")
    for source, target in zip(chars, converted, strict=True):
        if target != source and len(target) == 1:
            table[source] = target
    return table


def normalise(text: str, *, traditional: bool = False) -> str:
    """The normal form used to match keywords.

    NFKC, full case folding and NFKC again; with ``traditional``, Traditional Chinese characters
    are then replaced one by one by their Simplified form (OpenCC ``t2s`` character tables).

    >>> normalise("ＡＢＣ　Déjà-Vu ①")
    'abc déjà-vu 1'
    >>> normalise("發展", traditional=True)
    '发展'

    Args:
        text: Any text.
        traditional: Also convert Traditional Chinese characters to Simplified.

    Returns:
        The normalised text.
    """
    if text.isascii():
        return text.lower()
    folded = _fold(text)
    if traditional:
        table = _t2s_table()
        folded = "".join([table.get(char, char) for char in folded])
        folded = unicodedata.normalize("NFKC", folded)
    return folded


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A normalised text with the map back to the original.

    Attributes:
        text: The normalised text.
        starts: For each offset in ``text`` where an original segment starts, the offset of that
            segment in the original text.
        ends: For each offset in ``text`` where an original segment ends, the offset of the
            end of that segment in the original text.
    """

    text: str
    starts: dict[int, int]
    ends: dict[int, int]
    runs: tuple[tuple[int, int, int], ...]
    """Identity runs: (normalised start, original start, length); positions inside map 1:1."""
    run_starts: tuple[int, ...]
    """The normalised start of each run, for bisection."""

    def original_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The span in the original text of a span of the normalised text.

        Returns:
            ``(start, end)`` in the original, or ``None`` when either end falls inside the
            normal form of one segment (for example ``"s"`` inside the ``"ss"`` of ``"ß"``).
        """
        begin = self._map(start, self.starts, at_end=False)
        finish = self._map(end, self.ends, at_end=True)
        if begin is None or finish is None or finish < begin:
            return None
        return begin, finish

    def _map(self, offset: int, table: dict[int, int], *, at_end: bool) -> int | None:
        found = table.get(offset)
        if found is not None:
            return found
        # The last run that starts before the offset (at or before it, for a start).
        if at_end:
            index = bisect_left(self.run_starts, offset) - 1
        else:
            index = bisect_right(self.run_starts, offset) - 1
        if index < 0:
            return None
        norm_start, orig_start, length = self.runs[index]
        inside = offset <= norm_start + length if at_end else offset < norm_start + length
        return orig_start + (offset - norm_start) if inside else None


@dataclass(frozen=True, slots=True)
class _Dirty:
    """The characters that make a segment need normalising.

    Attributes:
        chars: Starters to normalise (their normal form differs from them).
        attach: Characters that join the segment of the character before them.
        either: Both sets together.
    """

    chars: frozenset[str]
    attach: frozenset[str]
    either: frozenset[str]

    @classmethod
    def of(cls, chars: frozenset[str], attach: frozenset[str]) -> _Dirty:
        return cls(chars - attach, attach, chars | attach)


def _full_dirty_chars(traditional: bool) -> frozenset[str]:
    tables = _tables()
    chars = set(tables.unstable) | tables.lower_changes
    if traditional:
        chars.update(_t2s_table())
    chars -= tables.attach
    return frozenset(chars)


@functools.cache
def _full_dirty(traditional: bool) -> _Dirty:
    return _Dirty.of(_full_dirty_chars(traditional), _tables().attach)


def normalise_map(text: str, *, traditional: bool = False) -> NormalisedText:
    """Normalise a text and keep the map back to its original offsets.

    ``normalise_map(t).text == normalise(t)`` for every text.

    Args:
        text: Any text.
        traditional: As for :func:`normalise`.

    Returns:
        The normalised text with its offset map.
    """
    return _normalise_pieces(text, _full_dirty(traditional), traditional, lower_runs=True)


def _segments(text: str, dirty: _Dirty) -> list[tuple[int, int]]:
    """The spans of the segments of a text that hold a dirty character, in order."""
    present = dirty.either.intersection(text)
    if not present:
        return []
    positions: list[int] = []
    for char in present:
        pos = text.find(char)
        while pos >= 0:
            positions.append(pos)
            pos = text.find(char, pos + 1)
    positions.sort()
    attach = dirty.attach
    n = len(text)
    spans: list[tuple[int, int]] = []
    last_end = 0
    for pos in positions:
        if spans and pos < last_end:
            continue  # inside the segment just made
        start = pos - 1 if (text[pos] in attach and pos > 0) else pos
        end = pos + 1
        while end < n and text[end] in attach:
            end += 1
        if spans and start < last_end:
            spans[-1] = (spans[-1][0], end)  # a mark right after a dirty segment joins it
        else:
            spans.append((start, end))
        last_end = end
    return spans


def _normalise_pieces(
    text: str, dirty: _Dirty, traditional: bool, *, lower_runs: bool
) -> NormalisedText:
    """Normalise the dirty segments of a text and keep the rest (lowered, if asked) as it is."""
    if text.isascii() and lower_runs:
        n = len(text)
        return NormalisedText(text.lower(), {}, {}, ((0, 0, n),), (0,))
    pieces: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    runs: list[tuple[int, int, int]] = []
    norm_pos = 0
    orig_pos = 0
    for seg_start, seg_end in _segments(text, dirty):
        if seg_start > orig_pos:
            run = text[orig_pos:seg_start]
            pieces.append(run.lower() if lower_runs else run)
            runs.append((norm_pos, orig_pos, seg_start - orig_pos))
            norm_pos += seg_start - orig_pos
        folded = normalise(text[seg_start:seg_end], traditional=traditional)
        if folded:
            starts.setdefault(norm_pos, seg_start)
            pieces.append(folded)
            norm_pos += len(folded)
            ends[norm_pos] = seg_end
        orig_pos = seg_end
    if orig_pos < len(text):
        run = text[orig_pos:]
        pieces.append(run.lower() if lower_runs else run)
        runs.append((norm_pos, orig_pos, len(text) - orig_pos))
    result = "".join(pieces)
    if lower_runs and result != normalise(text, traditional=traditional):
        # A composition the segment tables did not foresee: keep the text as one segment.
        whole = normalise(text, traditional=traditional)
        return NormalisedText(whole, {0: 0}, {len(whole): len(text)}, (), ())
    return NormalisedText(result, starts, ends, tuple(runs), tuple(r[0] for r in runs))
