"""The keyword-matching engines compared: pyahocorasick, ahocorasick-rs and hyperscan.

Same mixed Chinese/English texts (about 20 MB), libraries of 10,000 and 50,000 keywords (the
generator of benchmarks/corpus_scan.py). For each engine and library size:

- compile: seconds to build the automaton;
- raw: MB/s of the library alone, one core, on texts already normalised (str for the two
  Aho-Corasick libraries, UTF-8 bytes in 1 MiB blocks for hyperscan), every overlapping match
  reported (the semantics govbridge needs); the match counts must agree;
- matcher: MB/s of `govbridge.matcher.Matcher(engine=...).find_many` on the raw texts, with
  normalisation and offsets in the original text.

Throughput is text bytes per CPU second of this process (process_time), which the other work
on a shared machine skews less than wall time; wall MB/s is printed beside it.

Run: `make bench` or `.venv/bin/python benchmarks/matcher_engines.py [MB]`.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_scan import SEED, Vocab  # noqa: E402


def texts_of(vocab: Vocab, megabytes: int, keywords: list[str]) -> list[str]:
    pool = vocab.sentences(100_000, SEED + 2)
    rng = random.Random(SEED + 5)
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        text = "".join(rng.choices(pool, k=max(1, int(rng.lognormvariate(2.3, 0.9)))))
        if rng.random() < 0.03:
            pos = rng.randint(0, len(text))
            text = text[:pos] + rng.choice(keywords) + text[pos:]
        out.append(text)
        size += len(text.encode("utf-8"))
    return out


def timed(fn):  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    import ahocorasick
    import ahocorasick_rs
    import hyperscan

    from govbridge.matcher import Keyword, KeywordLibrary, Matcher, normalise

    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    vocab = Vocab()
    all_keywords = vocab.keywords(50_000, SEED + 1)
    texts = texts_of(vocab, megabytes, [k for k, _, _ in all_keywords[:10_000]])
    size = sum(len(t.encode("utf-8")) for t in texts)
    norm_texts = [normalise(t) for t in texts]
    norm_bytes = [t.encode("utf-8") for t in norm_texts]
    blocks: list[bytes] = []
    current: list[bytes] = []
    held = 0
    for data in norm_bytes:
        current.append(data)
        held += len(data) + 1
        if held >= 1 << 20:
            blocks.append(b"\x00".join(current))
            current, held = [], 0
    if current:
        blocks.append(b"\x00".join(current))
    print(
        f"texts: {size / 1e6:.0f} MB, {len(texts)} documents; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'keywords':>9} {'engine':15} {'compile s':>9} {'raw MB/s':>9} {'(wall)':>7} "
          f"{'matches':>8} {'matcher MB/s':>12} {'(wall)':>7}")  # fmt: skip
    for count in (10_000, 50_000):
        chosen = all_keywords[:count]
        patterns = sorted({normalise(k) for k, _, _ in chosen})
        library = KeywordLibrary.from_keywords(Keyword(*k) for k in chosen)
        results = {}

        def build_pyac(patterns: list[str] = patterns) -> object:
            automaton = ahocorasick.Automaton()
            for index, pattern in enumerate(patterns):
                automaton.add_word(pattern, index)
            automaton.make_automaton()
            return automaton

        def build_rs(patterns: list[str] = patterns) -> object:
            return ahocorasick_rs.AhoCorasick(patterns)

        def build_hs(patterns: list[str] = patterns) -> object:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            encoded = [p.encode("utf-8") for p in patterns]
            db.compile(
                expressions=encoded,
                ids=list(range(len(encoded))),
                elements=len(encoded),
                flags=hyperscan.HS_FLAG_CASELESS,
                literal=True,
            )
            return db

        def scan_pyac(automaton: object) -> int:
            return sum(sum(1 for _ in automaton.iter(t)) for t in norm_texts)  # type: ignore[attr-defined]

        def scan_rs(automaton: object) -> int:
            return sum(
                len(automaton.find_matches_as_indexes(t, overlapping=True))  # type: ignore[attr-defined]
                for t in norm_texts
            )

        def scan_hs(db: object) -> int:
            found = [0]

            def on_match(*_: object) -> None:
                found[0] += 1

            for block in blocks:
                db.scan(block, match_event_handler=on_match)  # type: ignore[attr-defined]
            return found[0]

        for name, build, run, engine in (
            ("pyahocorasick", build_pyac, scan_pyac, "pyahocorasick"),
            ("ahocorasick-rs", build_rs, scan_rs, "ahocorasick_rs"),
            ("hyperscan", build_hs, scan_hs, "hyperscan"),
        ):
            automaton, _, compile_wall = timed(build)
            matches, cpu, wall = timed(lambda run=run, automaton=automaton: run(automaton))
            matcher = Matcher(library, engine=engine)
            _, m_cpu, m_wall = timed(lambda matcher=matcher: matcher.find_many(texts))
            results[name] = matches
            print(
                f"{count:>9} {name:15} {compile_wall:9.2f} {size / cpu / 1e6:9.1f} "
                f"{size / wall / 1e6:7.1f} {matches:8d} {size / m_cpu / 1e6:12.1f} "
                f"{size / m_wall / 1e6:7.1f}"
            )
        if len(set(results.values())) != 1:
            sys.exit(f"the engines disagree on the matches: {results}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
