"""The keyword library and the keyword matcher, shared by content evaluation and corpus scans.

Public API (stable; other modules code against it):

- :class:`Keyword` ``(keyword, lang, risk)``: one library entry.
- :class:`KeywordLibrary`: ``KeywordLibrary.load(path)`` reads a TSV file with the header
  ``keyword<TAB>lang<TAB>risk`` or a JSONL file with those keys; ``from_keywords(...)`` builds
  one in memory. It has ``keywords``, ``risks()``, ``name``, ``sha256`` and ``version`` (pin the
  version in every result that a score depends on). Bad files raise
  :class:`KeywordLibraryError` (an ``InputError``) with the file, the line and the problem.
- :func:`normalise` ``(text, *, traditional=False)``: the normal form that both keywords and
  texts are matched in: NFKC, full case folding, NFKC again; with ``traditional``, Traditional
  Chinese characters become Simplified, character by character (OpenCC's ``t2s`` tables).
  :func:`normalise_map` also returns the map from normalised to original offsets.
- :class:`Matcher` ``(library, *, traditional=False, engine="auto")``:

  - ``find(text) -> list[Hit]``: every occurrence of every keyword, overlapping ones included,
    once per risk of the keyword, sorted by position;
  - ``find_many(texts) -> list[list[Hit]]``: the same for many texts, faster;
  - ``risks(text) -> set[str]``: the risk ids that occur.

  A Matcher can be pickled (to worker processes); one instance is safe to use from one thread
  at a time per thread (each thread gets its own scratch space).
- :class:`Hit` ``(keyword, risk, start, end)``: ``keyword`` as written in the library;
  ``start``/``end`` are character offsets in the *original* text, and
  ``normalise(text[start:end]) == normalise(keyword)``. An occurrence that starts or ends inside
  the expansion of one character (``"s"`` in ``"ß"`` → ``"ss"``) is not reported.
- :data:`ENGINES`, :func:`available_engines`: ``hyperscan`` (the default, chosen by benchmark,
  see ``docs/performance.md``), ``ahocorasick_rs`` and ``pyahocorasick`` (kept for comparison;
  they give the same hits).

>>> lib = KeywordLibrary.from_keywords([Keyword("爆炸物", "zh", "A.1.d")])
>>> Matcher(lib).risks("制作爆炸物的方法")
{'A.1.d'}
"""

from govbridge.matcher._library import Keyword, KeywordLibrary, KeywordLibraryError
from govbridge.matcher._matcher import ENGINES, Hit, Matcher, available_engines
from govbridge.matcher._normalise import NormalisedText, normalise, normalise_map

__all__ = [
    "ENGINES",
    "Hit",
    "Keyword",
    "KeywordLibrary",
    "KeywordLibraryError",
    "Matcher",
    "NormalisedText",
    "available_engines",
    "normalise",
    "normalise_map",
]
