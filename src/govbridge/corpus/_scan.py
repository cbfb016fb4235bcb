"""Scanning one shard: match every document, count by source, keep sample candidates.

This is the code that both engines run, in a worker process or a Ray actor. It writes the
shard's hits and errors next to the checkpoint, and returns a small :class:`ShardResult` (its
size does not depend on the shard's size, save for the bounded sample candidates).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from govbridge.corpus._inputs import Shard
from govbridge.corpus._readers import Batch, Fields, read_shard
from govbridge.matcher import Hit, Matcher

__all__ = [
    "HITS_SCHEMA",
    "ScanContext",
    "ShardResult",
    "body_text",
    "priorities",
    "scan_shard",
    "shard_files",
    "sort_by_priority",
]

MAX_ERRORS_KEPT = 1000  # error details kept per shard in its result (all go to its errors file)

ProgressSink = Callable[[int, int, int], None]
"""``on_progress(input_bytes, text_bytes, documents)``, as increments."""


def _hits_schema() -> Any:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("file", pa.string()),
            ("line", pa.int64()),
            ("source", pa.string()),
            ("risk", pa.string()),
            ("keyword", pa.string()),
            ("offset", pa.int64()),
            ("end", pa.int64()),
        ]
    )


HITS_SCHEMA = _hits_schema


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What every worker needs: the matcher, the fields, the seed and where to write.

    Attributes:
        matcher: The compiled matcher (pickled to each worker once).
        fields: The JSON field / column names.
        seed: The sampling seed.
        pool: How many sample candidates to keep (a multiple of the sample size, so that the
            sample can be drawn from the sources that are kept).
        workdir: The checkpoint folder.
    """

    matcher: Matcher
    fields: Fields
    seed: int
    pool: int
    workdir: Path


@dataclass(slots=True)
class ShardResult:
    """The summary of one scanned shard (what the checkpoint stores)."""

    index: int
    name: str
    documents: int = 0
    flagged: int = 0
    hits: int = 0
    text_bytes: int = 0
    input_bytes: int = 0
    sources: dict[str, list[int]] = field(default_factory=dict)  # source -> [docs, flagged]
    error_counts: dict[str, int] = field(default_factory=dict)
    errors: list[list[Any]] = field(default_factory=list)  # [line, kind, message]
    # [priority, line, id, source, body (UTF-8 or JSON string body), body is JSON]
    candidates: list[list[Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Everything but the candidates (kept in their own file)."""
        return {name: getattr(self, name) for name in self.__slots__ if name != "candidates"}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShardResult:
        return cls(**data)


def shard_key(seed: int, name: str) -> int:
    """The 64-bit key of a shard's sampling stream."""
    digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def priorities(
    key: int, lines: np.ndarray[Any, np.dtype[np.int64]]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Uniform [0, 1) priorities, a pure function of (seed, shard, line): SplitMix64.

    The sample is the documents with the smallest priorities, which is a simple random sample
    whatever the engine, the number of workers or the order in which shards finish.
    """
    x = lines.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(key)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _json_text(body: bytes) -> str:
    text: str = msgspec.json.decode(b'"' + body + b'"', type=str)
    return text


class _HitWriter:
    """Streams a shard's hits to an Arrow IPC file (renamed into place when complete)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.writer: Any = None
        self.columns: dict[str, list[Any]] = {name: [] for name in HITS_SCHEMA().names}
        self.rows = 0

    def add(self, doc_id: str, file: str, line: int, source: str, hits: list[Hit]) -> None:
        cols = self.columns
        for hit in hits:
            cols["doc_id"].append(doc_id)
            cols["file"].append(file)
            cols["line"].append(line)
            cols["source"].append(source)
            cols["risk"].append(hit.risk)
            cols["keyword"].append(hit.keyword)
            cols["offset"].append(hit.start)
            cols["end"].append(hit.end)
        self.rows += len(hits)
        if len(cols["doc_id"]) >= 65536:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.ipc as ipc  # type: ignore[import-untyped, unused-ignore]

        if self.writer is None:
            self.writer = ipc.new_file(str(self.tmp), HITS_SCHEMA())
        if self.columns["doc_id"]:
            schema = HITS_SCHEMA()
            arrays = [
                _int64_array(values)
                if schema.field(name).type == pa.int64()
                else _string_array(values)
                for name, values in self.columns.items()
            ]
            self.writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            self.columns = {name: [] for name in self.columns}

    def close(self) -> None:
        self.flush()
        self.writer.close()
        os.replace(self.tmp, self.path)


def _string_array(values: list[str]) -> Any:
    """An Arrow string array built from buffers (``pa.array`` would import pandas: ~1 s)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    encoded = [v.encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.StringArray.from_buffers(
        len(encoded), pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(encoded))
    )


def _int64_array(values: list[int]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    data = np.asarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data.tobytes())])


def shard_files(workdir: Path, index: int) -> tuple[Path, Path, Path]:
    """The checkpoint files of a shard: result (the commit marker), hits, errors.

    The sample candidates that the driver keeps go to ``shard-N.sample.pickle``.
    """
    stem = workdir / f"shard-{index:06d}"
    return (
        stem.with_suffix(".json"),
        stem.with_suffix(".hits.arrow"),
        stem.with_suffix(".errors.jsonl"),
    )


def scan_shard(
    shard: Shard,
    ctx: ScanContext,
    *,
    threshold: float = 1.0,
    on_progress: ProgressSink | None = None,
) -> ShardResult:
    """Scan one shard; write its hits and errors; return its summary.

    Args:
        shard: The input file.
        ctx: The scan's context.
        threshold: Only documents whose priority is below it can still enter the sample
            (the pool's current cut-off, which only falls as shards finish).
        on_progress: Called after each batch.
    """
    result = ShardResult(shard.index, shard.name)
    _, hits_path, errors_path = shard_files(ctx.workdir, shard.index)
    writer = _HitWriter(hits_path)
    errors_tmp = errors_path.with_name(errors_path.name + ".tmp")
    counts: Counter[str] = Counter()
    flagged_by_source: Counter[str] = Counter()
    key = shard_key(ctx.seed, shard.name)
    candidates: list[list[Any]] = []  # [priority, line, id, source, body, is JSON]
    cut = threshold
    pool = ctx.pool
    matcher = ctx.matcher
    name = shard.name
    reported = 0

    with errors_tmp.open("w", encoding="utf-8") as errors_file:

        def on_error(kind: str, line: int | None, message: str) -> None:
            result.error_counts[kind] = result.error_counts.get(kind, 0) + 1
            if len(result.errors) < MAX_ERRORS_KEPT:
                result.errors.append([line, kind, message])
            errors_file.write(
                json.dumps(
                    {"file": name, "line": line, "kind": kind, "message": message},
                    ensure_ascii=False,
                )
                + "\n"
            )

        for batch in read_shard(shard, ctx.fields, on_error):
            n = len(batch)
            sources = _sources(batch, name)
            counts.update(sources)
            text_bytes = sum(batch.ends) - sum(batch.starts)
            result.documents += n
            result.text_bytes += text_bytes
            # Hits.
            per_doc = _match(matcher, batch)
            for index, hits in per_doc:
                line = int(batch.lines[index])
                source = sources[index]
                flagged_by_source[source] += 1
                writer.add(_doc_id(batch, index, name, line), name, line, source, hits)
                result.hits += len(hits)
            result.flagged += len(per_doc)
            # Sample candidates: the documents whose priority is below the cut.
            prio = priorities(key, batch.lines)
            chosen = np.flatnonzero(prio < cut)
            if len(chosen) > pool:
                chosen = chosen[np.argpartition(prio[chosen], pool - 1)[:pool]]
            if len(chosen):
                buf, starts, ends, is_json = batch.buf, batch.starts, batch.ends, batch.json
                ids = batch.ids
                for p, line, index in zip(
                    prio[chosen].tolist(),
                    batch.lines[chosen].tolist(),
                    chosen.tolist(),
                    strict=True,
                ):
                    candidates.append(
                        [
                            p,
                            line,
                            None if ids is None or ids[index] is None else _as_text(ids[index]),
                            sources[index],
                            bytes(buf[starts[index] : ends[index]]),
                            is_json,
                        ]
                    )
                if len(candidates) >= 2 * pool:
                    sort_by_priority(candidates, _candidate_key)
                    del candidates[pool:]
                    cut = min(cut, candidates[-1][0])
            if on_progress is not None:
                step = max(0, min(batch.input_pos, shard.size) - reported)
                reported += step
                on_progress(step, text_bytes, n)
    if on_progress is not None and shard.size > reported:
        on_progress(shard.size - reported, 0, 0)
    os.replace(errors_tmp, errors_path)
    writer.close()
    result.input_bytes = shard.size
    result.sources = {
        source: [docs, flagged_by_source.get(source, 0)] for source, docs in sorted(counts.items())
    }
    sort_by_priority(candidates, _candidate_key)
    del candidates[pool:]
    result.candidates = candidates
    return result


_candidate_key = itemgetter(0, 1)
_priority = itemgetter(0)


def sort_by_priority(items: list[Any], key: Callable[[Any], Any]) -> None:
    """Sort candidates in place by ``key``, whose first item is the priority.

    Sorting on the priority alone is several times faster than on a tuple key, and gives the
    same order unless two priorities are equal (53-bit random numbers: almost never, but then
    the full key decides).
    """
    items.sort(key=_priority)
    if len(set(map(_priority, items))) != len(items):
        items.sort(key=key)


def _sources(batch: Batch, name: str) -> list[str]:
    if batch.sources is None:
        return [name] * len(batch)
    return [s if type(s) is str else (name if s is None else _as_text(s)) for s in batch.sources]


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _doc_id(batch: Batch, index: int, name: str, line: int) -> str:
    if batch.ids is not None:
        value = batch.ids[index]
        if value is not None:
            return _as_text(value)
    return f"{name}:{line}"


def body_text(body: bytes, is_json: bool) -> str:
    """The text of a document body as the readers hold it."""
    return _json_text(body) if is_json else body.decode("utf-8")


def _match(matcher: Matcher, batch: Batch) -> list[tuple[int, list[Hit]]]:
    """The hits of each document of a batch that has any, in document order."""
    starts, ends = batch.starts, batch.ends
    index_map: list[int] | None = None
    if not batch.json and any(s == e for s, e in zip(starts, ends, strict=True)):
        # Empty texts hold no hit, and adjacent spans must not share a start.
        index_map = [i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if e > s]
        starts = [starts[i] for i in index_map]
        ends = [ends[i] for i in index_map]
    found = matcher._scan_utf8(batch.buf, starts, ends, json=batch.json)
    view = batch.buf
    per_doc: dict[int, list[Hit]] = {}
    if found.dirty:
        dirty = sorted(found.dirty)
        texts = [body_text(bytes(view[starts[d] : ends[d]]), batch.json) for d in dirty]
        for doc, hits in zip(dirty, matcher._find_dirty_many(texts), strict=True):
            if hits:
                per_doc[doc] = hits
    for doc, local_hits in found.hits.items():
        body = bytes(view[starts[doc] : ends[doc]])
        hits = matcher._hits_in_body(body, local_hits, json=batch.json)
        if hits:
            per_doc[doc] = hits
    return [(doc if index_map is None else index_map[doc], per_doc[doc]) for doc in sorted(per_doc)]
