"""Corpus-scan throughput against the raw matcher, in one run.

Generates (deterministically, into a temporary folder) a mixed Chinese/English corpus of at
least 200 MB of text as JSONL.gz shards with several sources, and a 10,000-keyword library.
Then measures, on the same texts:

  (a) the raw throughput of the fastest matcher library (hyperscan), in memory, one core:
      the texts pre-encoded as UTF-8, scanned in 1 MiB blocks against the keywords (the
      library's best case, with no normalisation, parsing or I/O);
  (b) `govbridge corpus scan --engine local --workers 1`, end to end (a fresh process);
  (c) the same with `--workers 2`;
  (d) `--engine ray --workers 2` on this machine;

and prints MB/s of text for each and the ratios b/a, c/b and d/c, with the CPU time each used
and the load average (other work on the machine skews wall-clock ratios; CPU-normalised
figures are printed beside them). It also checks that (b), (c) and (d) wrote identical outputs.

Run: `make bench` or `.venv/bin/python benchmarks/corpus_scan.py [MB] [--keep DIR]`.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RISKS = [f"A.1.{c}" for c in "abcdefgh"] + [f"A.2.{c}" for c in "abcdefghi"]
# English letter frequencies (per mille), for pseudo-English words.
LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
LETTER_FREQ = [127, 91, 82, 75, 70, 67, 63, 61, 60, 43, 40, 28, 28, 24, 24, 22, 20, 20, 19, 15,
               10, 8, 2, 2, 1, 1]  # fmt: skip
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
SOURCES = 24
SHARDS = 16
SEED = 20260101


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))


class Vocab:
    """Deterministic pseudo-Chinese and pseudo-English vocabularies with Zipf frequencies."""

    def __init__(self, seed: int = SEED) -> None:
        rng = random.Random(seed)
        cjk = [chr(c) for c in range(0x4E00, 0x9FA6)]
        rng.shuffle(cjk)
        self.common_cjk = cjk[:3500]
        self.rare_cjk = cjk[3500:6000]
        self.cjk_cum = _zipf(3500)
        self.zh_words = [
            "".join(
                rng.choices(
                    self.common_cjk, cum_weights=self.cjk_cum, k=rng.choice((1, 2, 2, 2, 3, 4))
                )
            )
            for _ in range(40000)
        ]
        letters = list(itertools.accumulate(LETTER_FREQ))
        words: dict[str, None] = {}
        while len(words) < 40000:
            length = min(14, max(1, int(rng.gammavariate(2.5, 2.0))))
            words.setdefault("".join(rng.choices(LETTERS, cum_weights=letters, k=length)), None)
        # Short words first: they are the frequent ones.
        self.en_words = sorted(words, key=len)
        # Words that only keywords use (as real keyword lists name rare things).
        rare: dict[str, None] = {}
        while len(rare) < 8000:
            word = "".join(rng.choices(LETTERS, cum_weights=letters, k=rng.randint(6, 11)))
            if word not in words:
                rare.setdefault(word, None)
        self.rare_en = list(rare)
        self.word_cum = _zipf(40000, 1.05)

    def keywords(self, n: int, seed: int) -> list[tuple[str, str, str]]:
        """Keywords of common characters plus one rare one, so that they are rare in text."""
        rng = random.Random(seed)
        seen: set[str] = set()
        out: list[tuple[str, str, str]] = []
        while len(out) < n:
            if rng.random() < 0.6:
                parts = rng.choices(
                    self.common_cjk, cum_weights=self.cjk_cum, k=rng.choice((1, 2, 3, 4))
                )
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(self.rare_cjk))
                keyword, lang = "".join(parts), "zh"
            else:
                # A rare word, alone or with a common one.
                words = [rng.choice(self.rare_en)]
                if rng.random() < 0.5:
                    other = rng.choices(self.en_words, cum_weights=self.word_cum)[0]
                    words.insert(rng.randrange(2), other)
                keyword, lang = " ".join(words), "en"
                if len(keyword) < 4:
                    continue
            if keyword not in seen:
                seen.add(keyword)
                out.append((keyword, lang, rng.choice(RISKS)))
        return out

    def sentences(self, n: int, seed: int) -> list[str]:
        rng = random.Random(seed)
        out = []
        for _ in range(n):
            if rng.random() < 0.6:
                words = rng.choices(self.zh_words, cum_weights=self.word_cum, k=rng.randint(4, 18))
                if rng.random() < 0.15:
                    number = str(rng.randint(1, 2030))
                    if rng.random() < 0.2:  # full-width digits, as Chinese web text has them
                        number = number.translate(FULLWIDTH_DIGITS)
                    words.insert(rng.randrange(len(words)), number)
                if rng.random() < 0.02:  # an ideographic space (normalises to a space)
                    words.insert(0, "\u3000\u3000")
                if rng.random() < 0.1:
                    words.insert(rng.randrange(len(words)), rng.choice(self.en_words).upper())
                out.append("".join(words) + rng.choice("，，，。。。！？；：、"))
            else:
                words = rng.choices(self.en_words, cum_weights=self.word_cum, k=rng.randint(5, 20))
                words[0] = words[0].capitalize()
                out.append(" ".join(words) + rng.choice("...,;!?") + " ")
        return out


def write_keywords(path: Path, keywords: list[tuple[str, str, str]]) -> None:
    lines = ["keyword\tlang\trisk"] + ["\t".join(k) for k in keywords]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(folder: Path, megabytes: int) -> tuple[Path, Path, list[str], int]:
    """Write the corpus shards and the keyword library; return them, the texts and their size."""
    import isal.igzip

    vocab = Vocab()
    keywords = vocab.keywords(10_000, SEED + 1)
    kw_path = folder / "keywords.tsv"
    write_keywords(kw_path, keywords)
    pool = vocab.sentences(200_000, SEED + 2)
    rng = random.Random(SEED + 3)
    # Sources differ in how often they hold keywords: most rarely, a few above 5%.
    rates = [0.002 * (i % 6) for i in range(SOURCES)]
    rates[3], rates[11], rates[19] = 0.08, 0.12, 0.3
    corpus = folder / "corpus"
    corpus.mkdir()
    texts: list[str] = []
    total = 0
    target = megabytes * 1_000_000
    per_shard = target // SHARDS
    for shard in range(SHARDS):
        lines = []
        size = 0
        while size < per_shard:
            n = max(1, int(rng.lognormvariate(2.3, 0.9)))
            paragraphs = [
                "".join(rng.choices(pool, k=max(1, n // 2))) for _ in range(rng.randint(1, 4))
            ]
            text = "\n".join(paragraphs)
            source = rng.randrange(SOURCES)
            if rng.random() < rates[source]:
                for _ in range(rng.randint(1, 3)):
                    keyword = rng.choice(keywords)[0]
                    if rng.random() < 0.3:
                        keyword = keyword.upper()
                    pos = rng.randint(0, len(text))
                    text = text[:pos] + keyword + text[pos:]
            doc = {
                "id": f"d{shard:02d}-{len(lines):06d}",
                "source": f"site-{source:02d}",
                "text": text,
            }
            lines.append(json.dumps(doc, ensure_ascii=False))
            texts.append(text)
            size += len(text.encode("utf-8"))
        total += size
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (corpus / f"part-{shard:03d}.jsonl.gz").write_bytes(isal.igzip.compress(data, 3))
    return corpus, kw_path, texts, total


def raw_hyperscan(kw_path: Path, texts: list[str], repeat: int = 3) -> tuple[float, int]:
    """(a): seconds for the best of `repeat` scans of the pre-encoded texts; hit count."""
    import hyperscan

    from govbridge.matcher import KeywordLibrary, normalise

    library = KeywordLibrary.load(kw_path)
    patterns = sorted({normalise(k.keyword).encode("utf-8") for k in library})
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=patterns,
        ids=list(range(len(patterns))),
        elements=len(patterns),
        flags=hyperscan.HS_FLAG_CASELESS,
        literal=True,
    )
    blocks: list[bytes] = []
    current: list[bytes] = []
    size = 0
    for text in texts:
        data = text.encode("utf-8")
        current.append(data)
        size += len(data) + 1
        if size >= 1 << 20:
            blocks.append(b"\x00".join(current))
            current, size = [], 0
    if current:
        blocks.append(b"\x00".join(current))
    count = [0]

    def on_match(*_: object) -> None:
        count[0] += 1

    best = float("inf")
    for _ in range(repeat):
        count[0] = 0
        start = time.perf_counter()
        for block in blocks:
            db.scan(block, match_event_handler=on_match)
        best = min(best, time.perf_counter() - start)
    return best, count[0]


def run_scan(corpus: Path, kw_path: Path, out: Path, *extra: str) -> tuple[float, float, dict]:
    """A fresh `govbridge corpus scan` process: wall seconds, CPU seconds, summary."""
    cmd = [
        sys.executable, "-c", "from govbridge.cli import main; main()", "corpus", "scan",
        str(corpus), "--keywords", str(kw_path), "--out", str(out), "--as-of", "2026-01-01",
        "--no-progress", *extra,
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return wall, cpu, summary


def same_outputs(a: Path, b: Path) -> bool:
    for name in ("hits.parquet", "sources.json", "review_sample.jsonl", "errors.jsonl"):
        if (a / name).read_bytes() != (b / name).read_bytes():
            return False
    sa = json.loads((a / "summary.json").read_text())
    sb = json.loads((b / "summary.json").read_text())
    sa.pop("run")
    sb.pop("run")
    return sa == sb


def main() -> None:
    args = sys.argv[1:]
    megabytes = int(args[0]) if args and args[0].isdigit() else 200
    keep = args[args.index("--keep") + 1] if "--keep" in args else None
    with tempfile.TemporaryDirectory(prefix="govbridge-bench-") as tmp:
        root = Path(keep) if keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        if keep and (root / "corpus").exists():
            sys.exit("--keep: the folder already holds a corpus; give an empty one")
        corpus, kw_path, texts, total = generate(root, megabytes)
        gz = sum(p.stat().st_size for p in corpus.iterdir())
        print(
            f"corpus: {total / 1e6:.0f} MB of text in {len(texts)} documents, {SHARDS} JSONL.gz "
            f"shards ({gz / 1e6:.0f} MB compressed); 10,000 keywords; generated in "
            f"{time.perf_counter() - started:.0f} s"
        )
        print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start")
        seconds, matches = raw_hyperscan(kw_path, texts)
        del texts
        a = total / seconds / 1e6
        print(f"(a) hyperscan, in memory, 1 core:      {a:8.1f} MB/s  ({matches} matches)")
        figures = {}
        for label, out, extra in (
            ("b", "out-local-1", ("--engine", "local", "--workers", "1")),
            ("c", "out-local-2", ("--engine", "local", "--workers", "2")),
            ("d", "out-ray-2", ("--engine", "ray", "--workers", "2")),
        ):
            wall, cpu, summary = run_scan(corpus, kw_path, root / out, *extra)
            assert summary["totals"]["text_bytes"] >= total, "the scan read fewer bytes"
            figures[label] = (total / wall / 1e6, cpu, wall)
            print(
                f"({label}) corpus scan {' '.join(extra):28s} {figures[label][0]:8.1f} MB/s  "
                f"(wall {wall:.1f} s, CPU {cpu:.1f} s, "
                f"{summary['totals']['flagged_documents']} flagged documents, "
                f"load {os.getloadavg()[0]:.2f})"
            )
        b, c, d = (figures[k][0] for k in "bcd")
        identical = same_outputs(root / "out-local-1", root / "out-local-2") and same_outputs(
            root / "out-local-1", root / "out-ray-2"
        )
        print(f"identical outputs (b, c, d): {identical}")
        print(f"b/a = {b / a:.2f}   (required >= 0.5, goal 0.7)")
        print(f"c/b = {c / b:.2f}   (target >= 1.7)")
        print(f"d/c = {d / c:.2f}   (target >= 0.6)")
        cpu_b = total / figures["b"][1] / 1e6
        print(
            f"CPU-normalised: (b) {cpu_b:.1f} MB per CPU-second = {cpu_b / a:.2f} of (a); "
            f"(c) uses {figures['c'][1] / figures['c'][2]:.2f} cores on average"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        if not identical:
            sys.exit("the engines wrote different outputs")


if __name__ == "__main__":
    main()
