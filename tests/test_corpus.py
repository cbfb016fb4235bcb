from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govbridge.cli import app
from govbridge.corpus import ScanOptions, load_rules, review_import, scan
from govbridge.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
KEYWORDS = FIXTURES / "keywords.tsv"
AS_OF = dt.date(2026, 1, 1)

WORDS_ZH = ["天气", "公园", "经济", "新闻", "历史", "长城", "花园", "学校", "科学", "音乐"]
WORDS_EN = ["weather", "garden", "market", "story", "river", "music", "science", "school"]
HARMFUL = ["炸弹", "Bomb Making", "恐怖主义", "ＥＴＨＮＩＣ ＨＡＴＲＥＤ", "种族仇恨"]


def make_docs(
    rng: random.Random, n: int, harmful_share: float, source: str
) -> list[dict[str, Any]]:
    docs = []
    flagged = round(n * harmful_share)
    marks = set(rng.sample(range(n), flagged))
    for i in range(n):
        words = rng.choices(WORDS_ZH, k=rng.randint(3, 12)) + rng.choices(WORDS_EN, k=3)
        rng.shuffle(words)
        text = "，".join(words) + "。\n" + " ".join(rng.choices(WORDS_EN, k=5))
        if i in marks:
            pos = rng.randint(0, len(text))
            text = text[:pos] + rng.choice(HARMFUL) + text[pos:]
        docs.append({"id": f"{source}-{i}", "source": source, "text": text})
    return docs


def write_jsonl(path: Path, docs: list[dict[str, Any]], *, ascii_escapes: bool = False) -> None:
    data = "".join(json.dumps(d, ensure_ascii=ascii_escapes) + "\n" for d in docs).encode()
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


def make_corpus(root: Path, *, files: int = 4, docs: int = 60, seed: int = 1) -> Path:
    """A small mixed corpus: several sources and formats, some of them above 5% flagged."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shares = [0.0, 0.03, 0.05, 0.2]
    for index in range(files):
        source = f"src{index % 4}"
        items = make_docs(rng, docs, shares[index % 4], source)
        suffix = [".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl"][index % 4]
        write_jsonl(root / f"part-{index:03d}{suffix}", items, ascii_escapes=index % 2 == 1)
    table = pa.table(
        {
            "text": [d["text"] for d in make_docs(rng, 30, 0.1, "pq")],
            "source": ["pq"] * 30,
        }
    )
    pq.write_table(table, root / "part-pq.parquet")
    (root / "notes.txt").write_text("plain line one\n\n含有炸弹的纯文本行\nthird line\n")
    return root


def outputs(out: Path) -> dict[str, Any]:
    """Everything a scan wrote, less the run's timing."""
    summary = json.loads((out / "summary.json").read_text())
    summary.pop("run")
    return {
        "summary": summary,
        "sources": json.loads((out / "sources.json").read_text()),
        "sample": (out / "review_sample.jsonl").read_text(),
        "errors": (out / "errors.jsonl").read_text(),
        "hits": pq.read_table(out / "hits.parquet").to_pylist(),
        "hits_bytes": (out / "hits.parquet").read_bytes(),
    }


def run(inputs: list[Path], out: Path, **kwargs: Any) -> dict[str, Any]:
    options = ScanOptions(as_of=AS_OF, sample_size=kwargs.pop("sample_size", 50), **kwargs)
    return scan([str(p) for p in inputs], KEYWORDS, out, options).summary


# -- the scan ---------------------------------------------------------------------------------


def test_scan_outputs(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in")
    summary = run([corpus], tmp_path / "out")
    totals = summary["totals"]
    assert summary["schema"] == "govbridge/corpus-summary/v1"
    assert totals["documents"] == 4 * 60 + 30 + 3
    assert totals["errors"] == 0 and not summary["errors"]["items"]
    sources = json.loads((tmp_path / "out" / "sources.json").read_text())
    assert sources["rule"]["parameter"] == "corpus_source_harmful_share_max"
    assert sources["rule"]["source"] == "cset_gbt_45654" and sources["rule"]["url"]
    by_name = {row["source"]: row for row in sources["sources"]}
    assert by_name["src0"]["flagged_docs"] == 0 and not by_name["src0"]["excluded"]
    assert by_name["src2"]["flagged_share"] == pytest.approx(0.05)
    assert not by_name["src2"]["excluded"]  # exactly 5% stays
    assert by_name["src3"]["excluded"] and by_name["pq"]["excluded"]
    assert by_name["notes.txt"]["docs"] == 3  # a text file's source is the file
    assert summary["source_rule"]["excluded"] == ["notes.txt", "pq", "src3"]
    hits = pq.read_table(tmp_path / "out" / "hits.parquet").to_pylist()
    assert {h["risk"] for h in hits} == {"A.1.d", "A.1.e"}
    flagged_ids = {h["doc_id"] for h in hits}
    assert len(flagged_ids) == totals["flagged_documents"]
    # Offsets are in the original, decoded text.
    texts = {}
    for path in sorted((tmp_path / "in").glob("part-00*.jsonl*")):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        elif path.name.endswith(".zst"):
            data = zstandard.ZstdDecompressor().decompress(data, max_output_size=1 << 24)
        for line in data.decode().splitlines():
            doc = json.loads(line)
            texts[doc["id"]] = doc["text"]
    from govbridge.matcher import normalise

    checked = 0
    for hit in hits:
        if hit["doc_id"] in texts:
            piece = texts[hit["doc_id"]][hit["offset"] : hit["end"]]
            assert normalise(piece) == normalise(hit["keyword"])
            checked += 1
    assert checked > 10
    tech = summary["technical"]
    retained = totals["documents"] - totals["documents_in_excluded_sources"]
    assert tech["retained_documents"] == retained
    assert summary["verdicts"]["technical"] in {"pass", "fail"}
    sample = (tmp_path / "out" / "review_sample.jsonl").read_text().splitlines()
    assert len(sample) == 50
    rows = [json.loads(line) for line in sample]
    assert all(r["label"] == "" and r["source"] not in {"src3", "pq", "notes.txt"} for r in rows)
    assert len({r["doc_id"] for r in rows}) == 50
    assert not (tmp_path / "out" / ".govbridge-scan").exists()


def test_every_format_gives_the_same_hits(tmp_path: Path) -> None:
    docs = make_docs(random.Random(5), 80, 0.2, "s")
    names = ["a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.parquet", "e.txt"]
    summaries = {}
    for name in names:
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        if name.endswith(".parquet"):
            pq.write_table(pa.table({"text": [d["text"] for d in docs]}), folder / name)
        elif name.endswith(".txt"):
            lines = [d["text"].replace("\n", " ") for d in docs]
            (folder / name).write_text("\n".join(lines) + "\n")
        else:
            write_jsonl(folder / name, [{"text": d["text"].replace("\n", " ")} for d in docs])
        summaries[name] = run([folder / name], tmp_path / f"out-{name}")
        hits = pq.read_table(tmp_path / f"out-{name}" / "hits.parquet").to_pylist()
        summaries[name] = [(h["line"], h["keyword"], h["offset"], h["end"]) for h in hits]
    first = summaries[names[0]]
    assert len(first) >= 16
    for name in names[1:]:
        assert summaries[name] == first, name


def test_source_rule_at_its_boundary() -> None:
    rules = load_rules(AS_OF)
    assert not rules.excluded(100, 5)  # exactly 5%: kept
    assert rules.excluded(100, 6)
    assert not rules.excluded(20, 1)
    assert rules.excluded(39, 2)  # 5.13%
    assert not rules.excluded(140, 7)  # 7/140 is 5% exactly, whatever floating point says
    assert rules.excluded(1_000_000, 50_001)
    assert not rules.excluded(0, 0)
    # Before GB/T 45654 took effect, TC260-003 gives the same figures.
    assert load_rules(dt.date(2025, 1, 1)).provision == "cn.tc260_003.corpus"
    with pytest.raises(UsageError, match="in force"):
        load_rules(dt.date(2020, 1, 1))


def test_source_rule_boundary_end_to_end(tmp_path: Path) -> None:
    rng = random.Random(3)
    docs = make_docs(rng, 100, 0.05, "five") + make_docs(rng, 100, 0.06, "six")
    write_jsonl(tmp_path / "in.jsonl", docs)
    run([tmp_path / "in.jsonl"], tmp_path / "out")
    rows = json.loads((tmp_path / "out" / "sources.json").read_text())["sources"]
    assert [(r["source"], r["flagged_docs"], r["excluded"]) for r in rows] == [
        ("five", 5, False),
        ("six", 6, True),
    ]


def test_sampling_is_deterministic(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", files=5)
    first = outputs_of(run, [corpus], tmp_path / "o1", seed=7)
    again = outputs_of(run, [corpus], tmp_path / "o2", seed=7)
    other = outputs_of(run, [corpus], tmp_path / "o3", seed=8)
    assert first == again
    assert first["sample"] != other["sample"]
    assert first["hits"] == other["hits"]
    # Two workers, the same outputs to the byte.
    two = outputs_of(run, [corpus], tmp_path / "o4", seed=7, workers=2)
    assert two == first


def outputs_of(fn: Any, inputs: list[Path], out: Path, **kwargs: Any) -> dict[str, Any]:
    fn(inputs, out, **kwargs)
    return outputs(out)


def test_small_corpus_is_sampled_whole(tmp_path: Path) -> None:
    summary = run([FIXTURES / "mixed.jsonl"], tmp_path / "out", sample_size=None)
    manual = summary["manual"]
    assert manual["requested"] == 4000 == manual["standard_minimum"]
    assert manual["sample_size"] == manual["population"] and manual["complete"]
    assert summary["totals"]["documents"] == 28


def test_traditional_flag(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_jsonl(path, [{"text": "一個發展中国家"}, {"text": "一个发展中國家"}])
    plain = run([path], tmp_path / "plain")
    both = run([path], tmp_path / "trad", traditional=True)
    assert plain["totals"]["flagged_documents"] == 0
    assert both["totals"]["flagged_documents"] == 2


# -- bad data ---------------------------------------------------------------------------------


GOOD = {"text": "含有炸弹的句子", "source": "s"}


def good_lines(n: int) -> bytes:
    return b"".join(json.dumps({**GOOD, "id": f"g{i}"}).encode() + b"\n" for i in range(n))


@pytest.mark.parametrize(
    ("name", "content", "kind", "line", "kept"),
    [
        (
            "utf8.jsonl",
            good_lines(2) + b'{"text": "bad \xff byte"}\n' + good_lines(2),
            "invalid_utf8",
            3,
            4,
        ),
        (
            "json.jsonl",
            good_lines(2) + b'{"text": "unclosed\n' + good_lines(2),
            "malformed_json",
            3,
            4,
        ),
        ("array.jsonl", good_lines(1) + b"[1, 2]\n" + good_lines(1), "not_an_object", 2, 2),
        (
            "surrogate.jsonl",
            good_lines(1) + b'{"text": "lone \\ud800 surrogate"}\n' + good_lines(1),
            "malformed_json",
            2,
            2,
        ),
        ("missing.jsonl", good_lines(1) + b'{"body": "x"}\n' + good_lines(1), "missing_text", 2, 2),
        ("null.jsonl", good_lines(1) + b'{"text": null}\n' + good_lines(1), "missing_text", 2, 2),
        (
            "number.jsonl",
            good_lines(1) + b'{"text": 42}\n' + good_lines(1),
            "text_not_string",
            2,
            2,
        ),
        ("utf8.txt", b"good \xe7\x82\xb8\xe5\xbc\xb9\nbad \xc3\x28\nfine\n", "invalid_utf8", 2, 2),
    ],
)
def test_bad_records_are_reported_and_skipped(
    tmp_path: Path, name: str, content: bytes, kind: str, line: int, kept: int
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(content)
    (tmp_path / "in" / "ok.jsonl").write_bytes(good_lines(3))
    summary = run([tmp_path / "in"], tmp_path / "out")
    errors = summary["errors"]
    assert errors["count"] == 1 and errors["by_kind"] == {kind: 1}
    assert errors["items"] == [
        {"file": name, "line": line, "kind": kind, "message": errors["items"][0]["message"]}
    ]
    assert summary["totals"]["documents"] == kept + 3
    assert summary["totals"]["records"] == kept + 4
    logged = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [(e["file"], e["line"], e["kind"]) for e in logged] == [(name, line, kind)]


@pytest.mark.parametrize("compression", ["gz", "zst"])
def test_truncated_streams_keep_what_was_read(tmp_path: Path, compression: str) -> None:
    # Big enough for several zstd blocks (a block is decoded whole or not at all).
    n = 30000
    docs = [
        {"text": f"第{i}行 炸弹" if i % 50 == 0 else f"第{i}行", "id": str(i)} for i in range(n)
    ]
    full = tmp_path / f"full.jsonl.{compression}"
    write_jsonl(full, docs)
    data = full.read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"cut.jsonl.{compression}").write_bytes(data[: len(data) * 2 // 3])
    summary = run([tmp_path / "in"], tmp_path / "out")
    errors = summary["errors"]
    assert errors["by_kind"] == {"truncated_stream": 1}
    item = errors["items"][0]
    assert item["file"] == f"cut.jsonl.{compression}" and "truncated" in item["message"]
    read = summary["totals"]["documents"]
    assert n // 3 < read < n
    # Every line that was read whole is kept, in order.
    if item["line"] is not None:
        assert item["line"] == read + 1
    hits = pq.read_table(tmp_path / "out" / "hits.parquet").to_pylist()
    assert [h["doc_id"] for h in hits] == [str(i) for i in range(0, read, 50)]


def test_corrupt_stream(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(good_lines(2000)))
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.jsonl.gz").write_bytes(bytes(data))
    summary = run([tmp_path / "in"], tmp_path / "out")
    kinds = summary["errors"]["by_kind"]
    assert set(kinds) <= {"corrupt_stream", "malformed_json", "invalid_utf8", "truncated_stream"}
    assert "corrupt_stream" in kinds or "truncated_stream" in kinds
    assert summary["totals"]["documents"] >= 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pa.table({"body": ["炸弹"]}), "no 'text' column"),
        (pa.table({"text": [1, 2]}), "not a string"),
    ],
)
def test_parquet_with_the_wrong_schema(tmp_path: Path, table: pa.Table, message: str) -> None:
    (tmp_path / "in").mkdir()
    pq.write_table(table, tmp_path / "in" / "wrong.parquet")
    (tmp_path / "in" / "ok.jsonl").write_bytes(good_lines(3))
    summary = run([tmp_path / "in"], tmp_path / "out")
    item = summary["errors"]["items"][0]
    assert (item["file"], item["line"], item["kind"]) == ("wrong.parquet", None, "wrong_schema")
    assert message in item["message"]
    assert summary["totals"]["documents"] == 3


def test_parquet_nulls_and_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    pq.write_table(pa.table({"text": ["炸弹", None, "", "ok"]}), tmp_path / "in" / "n.parquet")
    (tmp_path / "in" / "fake.parquet").write_bytes(b"not parquet at all")
    summary = run([tmp_path / "in"], tmp_path / "out")
    items = {(i["file"], i["line"], i["kind"]) for i in summary["errors"]["items"]}
    assert items == {("fake.parquet", None, "unreadable_file"), ("n.parquet", 2, "missing_text")}
    assert summary["totals"]["documents"] == 3
    assert summary["totals"]["flagged_documents"] == 1


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        run([tmp_path / "nothing-*.jsonl"], tmp_path / "out")
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(UsageError, match="unknown input format"):
        run([tmp_path / "x.csv"], tmp_path / "out")
    with pytest.raises(UsageError, match="--engine"):
        run([FIXTURES / "mixed.jsonl"], tmp_path / "out", engine="spark")


# -- resume after kill -9 ---------------------------------------------------------------------


def test_resume_after_kill_gives_identical_outputs(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    rng = random.Random(11)
    block = make_docs(rng, 400, 0.04, "big")
    for index in range(24):
        write_jsonl(corpus / f"shard-{index:02d}.jsonl.gz", block * 6)
    run([corpus], tmp_path / "reference", sample_size=100)

    out = tmp_path / "killed"
    workdir = out / ".govbridge-scan"
    cmd = [
        sys.executable,
        "-c",
        "from govbridge.cli import main; main()",
        "corpus",
        "scan",
        str(corpus),
        "--keywords",
        str(KEYWORDS),
        "--out",
        str(out),
        "--workers",
        "1",
        "--sample-size",
        "100",
        "--as-of",
        "2026-01-01",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    done: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        done = list(workdir.glob("shard-*.json"))
        if len(done) >= 2:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the scan ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    markers = list(workdir.glob("shard-*.json"))
    assert 2 <= len(markers) < 24
    assert not (out / "summary.json").exists()

    result = CliRunner().invoke(app, cmd[3:] + ["--resume"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run"]["shards_resumed"] >= len(markers)
    assert outputs(out) == outputs(tmp_path / "reference")


def test_resume_refuses_another_scan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".govbridge-scan").mkdir(parents=True)
    (out / ".govbridge-scan" / "manifest.json").write_text('{"schema": "other"}')
    with pytest.raises(UsageError, match="other inputs"):
        run([FIXTURES / "mixed.jsonl"], out, resume=True)


# -- the CLI and the review import ------------------------------------------------------------


def test_cli_scan_and_review_import(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "corpus",
            "scan",
            str(FIXTURES / "mixed.jsonl"),
            "--keywords",
            str(KEYWORDS),
            "--out",
            str(out),
            "--workers",
            "1",
            "--as-of",
            "2026-01-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "scanned 28 documents" in result.output
    assert "review-import" in result.output
    sample = out / "review_sample.jsonl"
    rows = [json.loads(x) for x in sample.read_text().splitlines()]
    # Label everything pass: the whole (small) corpus is the sample.
    sample.write_text("".join(json.dumps({**r, "label": "pass"}) + "\n" for r in rows))
    result = runner.invoke(app, ["corpus", "review-import", str(sample)])
    assert result.exit_code == 0, result.output
    assert ": pass" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["verdicts"]["manual"] == "pass"
    # A bad label is a one-line error.
    sample.write_text(json.dumps({**rows[0], "label": "maybe"}) + "\n")
    result = runner.invoke(app, ["corpus", "review-import", str(sample)])
    assert result.exit_code == 2 and "expected 'pass', 'fail'" in result.output
    # A bad keyword library too.
    result = runner.invoke(
        app, ["corpus", "scan", str(FIXTURES), "--keywords", str(tmp_path / "no.tsv")]
    )
    assert result.exit_code == 2 and "cannot read" in result.output


@pytest.mark.parametrize(
    ("labels", "verdict"),
    [
        (["pass"] * 96 + ["fail"] * 4, "pass"),  # exactly 96%
        (["pass"] * 95 + ["fail"] * 5, "fail"),
        (["pass"] * 99 + [""], "incomplete"),
        ([], "no_items"),
    ],
)
def test_review_verdicts(tmp_path: Path, labels: list[str], verdict: str) -> None:
    path = tmp_path / "review_sample.jsonl"
    path.write_text(
        "".join(json.dumps({"doc_id": str(i), "label": x}) + "\n" for i, x in enumerate(labels))
    )
    (tmp_path / "summary.json").write_text(
        json.dumps(
            {
                "standard": {"as_of": "2026-01-01", "provision": "cn.gbt_45654_2025.corpus"},
                "manual": {"population": 100},
                "verdicts": {},
            }
        )
    )
    result = review_import(path)
    assert result["verdict"] == verdict
    assert json.loads((tmp_path / "review.json").read_text())["verdict"] == verdict


def test_review_needs_the_standard_sample_size(tmp_path: Path) -> None:
    path = tmp_path / "review_sample.jsonl"
    path.write_text("".join(json.dumps({"label": "pass"}) + "\n" for _ in range(10)))
    result = review_import(path, as_of=AS_OF)
    assert result["verdict"] == "insufficient_sample" and result["required"] == 4000


def test_copy_of_fixtures_is_small() -> None:
    assert all(p.stat().st_size < 16_000 for p in FIXTURES.iterdir())


def test_local_workers_fork_only_when_no_other_thread_runs() -> None:
    """Forking a process that runs other threads can deadlock the child: then spawn."""
    import threading

    from govbridge.corpus._engines import _mp_context

    release = threading.Event()
    if threading.active_count() == 1:
        expected = "fork" if sys.platform == "linux" else "spawn"
        assert _mp_context().get_start_method() == expected
    helper = threading.Thread(target=release.wait)
    helper.start()
    try:
        assert _mp_context().get_start_method() == "spawn"
    finally:
        release.set()
        helper.join()


@given(
    st.lists(
        st.lists(st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]), max_size=12),
        min_size=1,
        max_size=5,
    ),
    st.integers(1, 10),
    st.randoms(use_true_random=False),
)
@settings(max_examples=150, deadline=None)
def test_sample_pool_is_the_smallest_whatever_the_order(
    shards: list[list[float]], size: int, rng: random.Random
) -> None:
    """The pool keeps the smallest (priority, shard, line), ties included, in any shard order.

    Priorities are drawn from five values so that ties are common: the pool sorts on the
    priority alone unless two are equal.
    """
    from govbridge.corpus._run import _Pool
    from govbridge.corpus._scan import ShardResult, sort_by_priority

    results = []
    every = []
    for index, prios in enumerate(shards):
        candidates = [[p, line, None, "s", b"x", False] for line, p in enumerate(prios)]
        sort_by_priority(candidates, lambda c: (c[0], c[1]))
        assert candidates == sorted(candidates, key=lambda c: (c[0], c[1]))
        results.append(ShardResult(index, f"f{index}", candidates=candidates))
        every += [(p, index, line) for line, p in enumerate(prios)]
    rng.shuffle(results)
    pool = _Pool(size)
    kept: set[tuple[float, int, int]] = set()
    for result in results:
        kept.update((c[0], result.index, c[1]) for c in pool.add(result))
    best = sorted(every)[:size]
    assert [item[:3] for item in pool.ordered()] == best
    assert set(best) <= kept  # what the checkpoint holds can rebuild the pool


@given(
    st.lists(st.text(alphabet="ab炸\\u", max_size=30), min_size=1, max_size=40),
    st.booleans(),
    st.integers(1, 64),
    st.sampled_from([None, "gzip", "zstd"]),
)
@example(["ab", "cd"], True, 1, "gzip")  # one byte at a time
@settings(max_examples=120, deadline=None)
def test_reader_cuts_whole_lines_across_pieces(
    lines: list[str], last_newline: bool, step: int, compression: str | None
) -> None:
    """However the stream is cut into pieces, chunks hold whole lines, counted and checked."""
    import io

    from govbridge.corpus import _readers

    data = "\n".join(lines).encode() + (b"\n" if last_newline else b"")
    if compression == "gzip":
        # Two members, as concatenated gzip files are.
        half = len(data) // 2
        raw = gzip.compress(data[:half]) + gzip.compress(data[half:])
    elif compression == "zstd":
        raw = zstandard.ZstdCompressor().compress(data)
    else:
        raw = data
    saved = (_readers.FIRST, _readers.READ, _readers.CHUNK)
    _readers.FIRST, _readers.READ, _readers.CHUNK = step, step, step
    try:
        reader = _readers._Decompressor(io.BytesIO(raw), compression, lines=True)
        chunks = list(reader)
    finally:
        _readers.FIRST, _readers.READ, _readers.CHUNK = saved
    assert reader.error is None
    assert b"".join(c[0] for c in chunks) + reader.carry == data
    for body, _pos, count, valid, escapes in chunks:
        assert body.endswith(b"\n")
        assert count == body.count(b"\n")
        assert valid is True
        assert escapes == (b"\\u" in body)
    assert b"\n" not in reader.carry
