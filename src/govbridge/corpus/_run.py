"""A whole scan: inputs → engine → checkpoints → outputs."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from govbridge.corpus._engines import ENGINES, run_local, run_ray
from govbridge.corpus._inputs import Shard, expand_inputs
from govbridge.corpus._readers import Fields
from govbridge.corpus._rules import CorpusRules, load_rules, wilson
from govbridge.corpus._scan import (
    HITS_SCHEMA,
    ScanContext,
    ShardResult,
    body_text,
    shard_files,
    sort_by_priority,
)
from govbridge.errors import UsageError
from govbridge.matcher import KeywordLibrary, Matcher

__all__ = [
    "SOURCES_SCHEMA",
    "SUMMARY_SCHEMA",
    "ScanOptions",
    "ScanReport",
    "scan",
]

SUMMARY_SCHEMA = "govbridge/corpus-summary/v1"
SOURCES_SCHEMA = "govbridge/corpus-sources/v1"
CHECKPOINT = ".govbridge-scan"
MANIFEST_SCHEMA = "govbridge/corpus-checkpoint/v1"
ERRORS_IN_SUMMARY = 1000
POOL_FACTOR = 2
"""Sample candidates kept, per sample place: the sample comes from the sources that are kept,
which are known only at the end, so up to half of the candidates may belong to excluded ones
(beyond that the sample is short, and ``manual.complete`` says so). Each candidate costs a
copy of its text, which is what the factor trades against."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Options of a scan (the CLI flags of ``govbridge corpus scan``).

    Attributes:
        text_field: JSON key / Parquet column of the text.
        source_field: JSON key / Parquet column of the source (else the file is the source).
        id_field: JSON key / Parquet column of the document id (else ``file:line``).
        engine: ``local`` or ``ray``.
        workers: Worker processes (local) or actors (Ray).
        seed: Seed of the review sample.
        sample_size: Size of the review sample (default: the standard's minimum).
        resume: Go on from the checkpoint in the output folder.
        traditional: Match Traditional Chinese text against Simplified keywords.
        as_of: The date whose rules apply (default: today).
        standard: The provision whose parameters apply (default: the newest in force).
        matcher: The matching engine (default: the fastest installed).
    """

    text_field: str = "text"
    source_field: str = "source"
    id_field: str = "id"
    engine: str = "local"
    workers: int = 1
    seed: int = 0
    sample_size: int | None = None
    resume: bool = False
    traditional: bool = False
    as_of: dt.date | None = None
    standard: str | None = None
    matcher: str = "auto"


@dataclass(slots=True)
class ScanReport:
    """What a scan returns: the summary (as written to summary.json) and the output files."""

    summary: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)


StartSink = Callable[[int, int, int, int], None]
"""``on_start(total_input_bytes, done_input_bytes, shards, shards_done)``."""
ProgressSink = Callable[[int, int, int], None]


def scan(
    paths: Sequence[str],
    keywords: KeywordLibrary | str | Path,
    out: str | Path,
    options: ScanOptions | None = None,
    *,
    on_start: StartSink | None = None,
    on_progress: ProgressSink | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> ScanReport:
    """Scan a training corpus for keywords and write the outputs to ``out``.

    Outputs: ``hits.parquet``, ``sources.json``, ``review_sample.jsonl``, ``errors.jsonl`` and
    ``summary.json`` (see docs/corpus.md). Each shard is checkpointed in ``out/.govbridge-scan``
    when it is done; with ``resume``, a killed scan goes on from there and gives the same
    outputs as an uninterrupted one.

    Raises:
        UsageError: Bad inputs or options.
        KeywordLibraryError: A bad keyword library.
    """
    options = options or ScanOptions()
    if options.engine not in ENGINES:
        raise UsageError(f"--engine {options.engine!r}: expected one of {', '.join(ENGINES)}")
    if options.workers < 1:
        raise UsageError(f"--workers {options.workers}: expected 1 or more")
    if options.sample_size is not None and options.sample_size < 1:
        raise UsageError(f"--sample-size {options.sample_size}: expected 1 or more")
    from govbridge.kb import today

    as_of = options.as_of or today()
    rules = load_rules(as_of, options.standard)
    library = keywords if isinstance(keywords, KeywordLibrary) else KeywordLibrary.load(keywords)
    out = Path(out)
    shards = expand_inputs(paths, exclude=out)
    matcher = Matcher(library, traditional=options.traditional, engine=options.matcher)
    sample_size = options.sample_size or rules.manual_sample_min
    fields = Fields(options.text_field, options.source_field, options.id_field)
    workdir = out / CHECKPOINT
    manifest = _manifest(shards, library, options, fields, sample_size)
    done = _open_checkpoint(workdir, manifest, shards, resume=options.resume)

    ctx = ScanContext(matcher, fields, options.seed, POOL_FACTOR * sample_size, workdir)
    pool = _Pool(POOL_FACTOR * sample_size)
    results: dict[int, ShardResult] = {}

    def commit(result: ShardResult) -> None:
        marker, _, _ = shard_files(workdir, result.index)
        kept = pool.add(result)
        # The candidates that made it into the pool, then the marker that commits the shard.
        _write_bytes_atomic(_sample_file(workdir, result.index), pickle.dumps(kept))
        _write_atomic(marker, json.dumps(result.to_json(), ensure_ascii=False))
        result.candidates = []
        results[result.index] = result

    for index in done:
        marker, _, _ = shard_files(workdir, index)
        result = ShardResult.from_json(json.loads(marker.read_text(encoding="utf-8")))
        with _sample_file(workdir, index).open("rb") as handle:
            result.candidates = pickle.load(handle)  # noqa: S301 - our own checkpoint
        pool.add(result)
        result.candidates = []
        results[result.index] = result
    todo = [s for s in shards if s.index not in results]
    total_bytes = sum(s.size for s in shards)
    if on_start is not None:
        on_start(
            total_bytes,
            sum(s.size for s in shards if s.index in results),
            len(shards),
            len(results),
        )
    started_at = dt.datetime.now(dt.UTC)
    start = clock()
    if options.engine == "local":
        run_local(
            todo,
            ctx,
            options.workers,
            threshold=pool.threshold,
            on_result=commit,
            on_progress=on_progress,
        )
    else:
        run_ray(todo, ctx, options.workers, on_result=commit, on_progress=on_progress)
    elapsed = clock() - start

    ordered = [results[s.index] for s in shards]
    summary, files = _write_outputs(
        out, workdir, shards, ordered, pool, rules, library, options, sample_size
    )
    summary["keywords"]["patterns"] = matcher.patterns
    scanned_bytes = sum(results[s.index].text_bytes for s in todo)
    scanned_docs = sum(results[s.index].documents for s in todo)
    summary["run"] = {
        "engine": options.engine,
        "workers": options.workers,
        "matcher": matcher.engine,
        "started": started_at.isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed, 3),
        "shards_scanned": len(todo),
        "shards_resumed": len(shards) - len(todo),
        "text_mb_per_s": round(scanned_bytes / elapsed / 1e6, 2) if elapsed > 0 else None,
        "documents_per_s": round(scanned_docs / elapsed, 1) if elapsed > 0 else None,
    }
    _write_atomic(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    files["summary"] = out / "summary.json"
    shutil.rmtree(workdir, ignore_errors=True)
    return ScanReport(summary, files)


# -- checkpoints ------------------------------------------------------------------------------


def _manifest(
    shards: Sequence[Shard],
    library: KeywordLibrary,
    options: ScanOptions,
    fields: Fields,
    sample_size: int,
) -> dict[str, Any]:
    """What a checkpoint must match to be resumed (not the engine nor the worker count)."""
    return {
        "schema": MANIFEST_SCHEMA,
        "inputs": [[s.name, s.size, s.mtime_ns] for s in shards],
        "keywords": library.sha256,
        "traditional": options.traditional,
        "fields": [fields.text, fields.source, fields.id],
        "seed": options.seed,
        "sample_size": sample_size,
        "matcher": options.matcher,
    }


def _open_checkpoint(
    workdir: Path, manifest: dict[str, Any], shards: Sequence[Shard], *, resume: bool
) -> list[int]:
    """Prepare the checkpoint folder; return the indexes of the shards already done."""
    path = workdir / "manifest.json"
    if resume and path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old != manifest:
            raise UsageError(
                f"{workdir}: the checkpoint was made with other inputs, keywords or options; "
                "rerun without --resume to start over"
            )
        done = []
        for shard in shards:
            marker, hits, errors = shard_files(workdir, shard.index)
            sample = _sample_file(workdir, shard.index)
            if marker.exists() and hits.exists() and errors.exists() and sample.exists():
                done.append(shard.index)
        for stale in workdir.glob("*.tmp"):
            stale.unlink(missing_ok=True)
        return done
    if workdir.exists():
        shutil.rmtree(workdir)
    try:
        workdir.mkdir(parents=True)
    except OSError as exc:
        raise UsageError(f"--out {workdir.parent}: cannot create it ({exc.strerror})") from None
    _write_atomic(path, json.dumps(manifest, ensure_ascii=False))
    return []


def _sample_file(workdir: Path, index: int) -> Path:
    return workdir / f"shard-{index:06d}.sample.pickle"


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


# -- the sample pool --------------------------------------------------------------------------


class _Pool:
    """The documents with the smallest priorities seen so far (the sample candidates)."""

    def __init__(self, size: int) -> None:
        self.size = size
        # (priority, shard, line, doc_id, source, body, body is JSON); sorted once full.
        self.items: list[tuple[float, int, int, str, str, bytes, bool]] = []

    def threshold(self) -> float:
        return self.items[-1][0] if len(self.items) >= self.size else 1.0

    def add(self, result: ShardResult) -> list[list[Any]]:
        """Take a shard's candidates; return those that entered the pool."""
        candidates = result.candidates
        if len(self.items) >= self.size:
            # A full pool takes nothing above its last priority.
            limit = self.items[-1][0]
            candidates = [c for c in candidates if c[0] <= limit]
        if not candidates:
            return []
        index = result.index
        new = [(c[0], index, c[1], c[2], c[3], c[4], c[5]) for c in candidates]
        self.items.extend(new)
        if len(self.items) < self.size:
            return list(candidates)
        sort_by_priority(self.items, _pool_key)
        del self.items[self.size :]
        last = _pool_key(self.items[-1])
        return [c for c, item in zip(candidates, new, strict=True) if _pool_key(item) <= last]

    def ordered(self) -> list[tuple[float, int, int, str, str, bytes, bool]]:
        """Candidates by increasing (priority, shard, line)."""
        items = list(self.items)
        sort_by_priority(items, _pool_key)
        return items


_pool_key = itemgetter(0, 1, 2)


# -- outputs ----------------------------------------------------------------------------------


def _write_outputs(
    out: Path,
    workdir: Path,
    shards: Sequence[Shard],
    results: Sequence[ShardResult],
    pool: _Pool,
    rules: CorpusRules,
    library: KeywordLibrary,
    options: ScanOptions,
    sample_size: int,
) -> tuple[dict[str, Any], dict[str, Path]]:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.ipc as ipc  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    files: dict[str, Path] = {}
    # Per source.
    per_source: dict[str, list[int]] = {}
    for result in results:
        for source, (docs, flagged) in result.sources.items():
            entry = per_source.setdefault(source, [0, 0])
            entry[0] += docs
            entry[1] += flagged
    share_max = rules.values["corpus_source_harmful_share_max"]
    source_rows = []
    excluded: set[str] = set()
    for source in sorted(per_source):
        docs, flagged = per_source[source]
        is_excluded = rules.excluded(docs, flagged)
        if is_excluded:
            excluded.add(source)
        source_rows.append(
            {
                "source": source,
                "docs": docs,
                "flagged_docs": flagged,
                "flagged_share": flagged / docs if docs else 0.0,
                "excluded": is_excluded,
            }
        )
    rule = {
        "text": (
            f"A source whose share of flagged documents is greater than {share_max.value:.0%} "
            "is excluded (not collected, not used for training)."
        ),
        "provision": rules.provision,
        "parameter": share_max.name,
        **share_max.cite(),
    }
    sources_doc = {"schema": SOURCES_SCHEMA, "rule": rule, "sources": source_rows}
    out.mkdir(parents=True, exist_ok=True)
    _write_atomic(
        out / "sources.json", json.dumps(sources_doc, ensure_ascii=False, indent=2) + "\n"
    )
    files["sources"] = out / "sources.json"

    # Hits: the shards' files, in shard order.
    hits_tmp = out / ".hits.parquet.tmp"
    with pq.ParquetWriter(str(hits_tmp), HITS_SCHEMA(), compression="zstd") as writer:
        for shard in shards:
            _, hits_path, _ = shard_files(workdir, shard.index)
            with pa.memory_map(str(hits_path)) as source, ipc.open_file(source) as reader:
                for i in range(reader.num_record_batches):
                    batch = reader.get_batch(i)
                    if batch.num_rows:
                        writer.write_batch(batch)
    os.replace(hits_tmp, out / "hits.parquet")
    files["hits"] = out / "hits.parquet"

    # Errors: all of them, in shard order.
    errors_tmp = out / ".errors.jsonl.tmp"
    with errors_tmp.open("wb") as handle:
        for shard in shards:
            _, _, errors_path = shard_files(workdir, shard.index)
            with errors_path.open("rb") as part:
                shutil.copyfileobj(part, handle)
    os.replace(errors_tmp, out / "errors.jsonl")
    files["errors"] = out / "errors.jsonl"

    # The review sample: the candidates from kept sources with the smallest priorities.
    documents = sum(r.documents for r in results)
    retained_docs = sum(per_source[s][0] for s in per_source if s not in excluded)
    retained_flagged = sum(per_source[s][1] for s in per_source if s not in excluded)
    candidates = [c for c in pool.ordered() if c[4] not in excluded]
    sample = candidates[:sample_size]
    wanted = min(sample_size, retained_docs)
    lines = []
    for number, (_, shard_index, line, doc_id, source, body, is_json) in enumerate(sample, start=1):
        row = {
            "sample": number,
            "doc_id": doc_id if doc_id is not None else f"{shards[shard_index].name}:{line}",
            "file": shards[shard_index].name,
            "line": line,
            "source": source,
            "text": body_text(body, is_json),
            "label": "",
            "note": "",
        }
        lines.append(json.dumps(row, ensure_ascii=False))
    _write_atomic(out / "review_sample.jsonl", "".join(f"{line}\n" for line in lines))
    files["review_sample"] = out / "review_sample.jsonl"

    # The summary.
    flagged = sum(r.flagged for r in results)
    error_total = sum(sum(r.error_counts.values()) for r in results)
    records = documents + error_total
    by_kind: dict[str, int] = {}
    by_file: dict[str, dict[str, int]] = {}
    items: list[dict[str, Any]] = []
    for result in results:
        for kind, count in sorted(result.error_counts.items()):
            by_kind[kind] = by_kind.get(kind, 0) + count
            by_file.setdefault(result.name, {})[kind] = count
        for line, kind, message in result.errors:
            if len(items) < ERRORS_IN_SUMMARY:
                items.append({"file": result.name, "line": line, "kind": kind, "message": message})
    passed = retained_docs - retained_flagged
    screened_share = documents / records if records else 0.0
    rate = passed / retained_docs if retained_docs else None
    ci = wilson(passed, retained_docs)
    tech_min = rules.technical_pass_rate_min
    share_min = rules.technical_share_min
    if retained_docs == 0:
        tech_verdict = "no_documents"
    elif documents * share_min.denominator < share_min.numerator * records:
        tech_verdict = "insufficient_screen"
    elif passed * tech_min.denominator >= tech_min.numerator * retained_docs:
        tech_verdict = "pass"
    else:
        tech_verdict = "fail"
    manual_ok = len(sample) >= wanted
    summary: dict[str, Any] = {
        "schema": SUMMARY_SCHEMA,
        "standard": rules.to_json(),
        "keywords": {
            "library": library.name,
            "version": library.version,
            "sha256": library.sha256,
            "keywords": len(library),
            "patterns": None,
            "traditional": options.traditional,
        },
        "inputs": {
            "files": len(shards),
            "input_bytes": sum(s.size for s in shards),
            "fields": {
                "text": options.text_field,
                "source": options.source_field,
                "id": options.id_field,
            },
        },
        "totals": {
            "records": records,
            "documents": documents,
            "errors": error_total,
            "text_bytes": sum(r.text_bytes for r in results),
            "flagged_documents": flagged,
            "hits": sum(r.hits for r in results),
            "sources": len(per_source),
            "excluded_sources": len(excluded),
            "documents_in_excluded_sources": documents - retained_docs,
        },
        "source_rule": {
            "max_share": share_max.value,
            "excluded": sorted(excluded),
            "verdict": "exclude_sources" if excluded else "pass",
        },
        "technical": {
            "method": "keyword screen of every readable document",
            "screened_documents": documents,
            "screened_share": screened_share,
            "screened_share_min": float(share_min),
            "retained_documents": retained_docs,
            "passed_documents": passed,
            "pass_rate": rate,
            "pass_rate_ci95": list(ci) if ci else None,
            "pass_rate_all_sources": (documents - flagged) / documents if documents else None,
            "pass_rate_min": float(tech_min),
            "cleared_with_confidence": bool(ci and ci[0] >= float(tech_min)),
            "verdict": tech_verdict,
        },
        "manual": {
            "file": "review_sample.jsonl",
            "seed": options.seed,
            "sample_size": len(sample),
            "requested": sample_size,
            "standard_minimum": rules.manual_sample_min,
            "population": retained_docs,
            "complete": manual_ok,
            "pass_rate_min": float(rules.manual_pass_rate_min),
            "verdict": "pending",
            "import": "govbridge corpus review-import review_sample.jsonl",
        },
        "verdicts": {
            "source_rule": "exclude_sources" if excluded else "pass",
            "technical": tech_verdict,
            "manual": "pending",
        },
        "errors": {
            "count": error_total,
            "by_kind": dict(sorted(by_kind.items())),
            "by_file": by_file,
            "items": items,
            "truncated": max(0, error_total - len(items)),
            "file": "errors.jsonl",
        },
    }
    return summary, files
