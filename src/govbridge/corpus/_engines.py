"""The two engines: a local process pool, and Ray Data for clusters.

Both run :func:`govbridge.corpus._scan.scan_shard` on each shard, with one compiled matcher per
worker, and hand each :class:`ShardResult` to the driver, which commits the checkpoint. The
outputs depend only on the set of results, never on their order, so both engines (and any
number of workers) give identical outputs.
"""

from __future__ import annotations

import os
import pickle
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from govbridge.corpus._inputs import Shard
from govbridge.corpus._scan import ProgressSink, ScanContext, ShardResult, scan_shard
from govbridge.errors import GovbridgeError, UsageError

__all__ = ["ENGINES", "run_local", "run_ray"]

ENGINES = ("local", "ray")

ResultSink = Callable[[ShardResult], None]
Threshold = Callable[[], float]


# -- local ------------------------------------------------------------------------------------

_worker_ctx: ScanContext | None = None
_worker_progress: Any = None


def _init_worker(ctx_bytes: bytes, progress: Any) -> None:
    global _worker_ctx, _worker_progress
    _worker_ctx = pickle.loads(ctx_bytes)
    _worker_progress = progress


def _worker_scan(shard: Shard, threshold: float) -> ShardResult:
    assert _worker_ctx is not None
    progress = _worker_progress

    def report(input_bytes: int, text_bytes: int, docs: int) -> None:
        progress.put((input_bytes, text_bytes, docs))

    return scan_shard(shard, _worker_ctx, threshold=threshold, on_progress=report)


def _mp_context() -> Any:
    """``fork`` where it is safe (Linux, no other thread running), else ``spawn``.

    A forked worker starts at once with the compiled matcher; a spawned one imports govbridge
    and loads the matcher again (about half a second per worker).
    """
    import multiprocessing
    import sys
    import threading

    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run_local(
    shards: Sequence[Shard],
    ctx: ScanContext,
    workers: int,
    *,
    threshold: Threshold,
    on_result: ResultSink,
    on_progress: ProgressSink | None,
) -> None:
    """Scan shards in this process (one worker) or in a pool of worker processes.

    Memory stays flat: at most two shards per worker are in flight, results are small, and
    hits go to disk as they are found.
    """
    if workers <= 1 or len(shards) <= 1:
        for shard in shards:
            on_result(scan_shard(shard, ctx, threshold=threshold(), on_progress=on_progress))
        return
    mp = _mp_context()
    progress: Any = mp.Queue()
    ctx_bytes = pickle.dumps(ctx)

    def drain() -> None:
        while True:
            try:
                item = progress.get_nowait()
            except queue.Empty:
                return
            if on_progress is not None:
                on_progress(*item)

    todo = iter(shards)
    pending: set[Future[ShardResult]] = set()
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=mp, initializer=_init_worker, initargs=(ctx_bytes, progress)
    ) as pool:

        def submit() -> None:
            shard = next(todo, None)
            if shard is not None:
                pending.add(pool.submit(_worker_scan, shard, threshold()))

        for _ in range(2 * workers):
            submit()
        try:
            while pending:
                done, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                drain()
                for future in done:
                    pending.discard(future)
                    on_result(future.result())
                    submit()
        except Exception as exc:
            for future in pending:
                future.cancel()
            if isinstance(exc, GovbridgeError):
                raise
            raise GovbridgeError(
                f"a scan worker failed ({type(exc).__name__}: {exc}); "
                "rerun with --resume to go on from the last checkpoint"
            ) from exc
        drain()
    progress.close()


# -- Ray --------------------------------------------------------------------------------------


class _RayScanner:
    """A Ray Data actor: one compiled matcher per actor, one shard per call."""

    def __init__(self, ctx_bytes: bytes, shards_bytes: bytes) -> None:
        self.ctx: ScanContext = pickle.loads(ctx_bytes)
        self.shards: dict[int, Shard] = {s.index: s for s in pickle.loads(shards_bytes)}

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        payloads = []
        for index in batch["index"]:
            result = scan_shard(self.shards[int(index)], self.ctx)
            payloads.append(pickle.dumps(result))
        out = np.empty(len(payloads), dtype=object)
        out[:] = payloads
        return {"result": out}


def run_ray(
    shards: Sequence[Shard],
    ctx: ScanContext,
    workers: int,
    *,
    on_result: ResultSink,
    on_progress: ProgressSink | None,
) -> None:
    """Scan shards with Ray Data: a pool of ``workers`` actors, results streamed back.

    Connects to the cluster named by ``RAY_ADDRESS`` if set (the checkpoint folder must then be
    on storage that every node can write), else starts Ray on this machine.

    Raises:
        UsageError: When Ray is not installed (``pip install 'govbridge[ray]'``).
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(
            "--engine ray needs Ray Data: pip install 'govbridge[ray]' (or 'ray[data]')"
        ) from None
    import logging

    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)
    started = False
    if not ray.is_initialized():
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        kwargs: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "logging_level": "ERROR",
        }
        if not os.environ.get("RAY_ADDRESS"):
            kwargs["num_cpus"] = max(workers, 1) + 1
        ray.init(**kwargs)
        started = True
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        if hasattr(context, "print_on_execution_start"):
            context.print_on_execution_start = False
        by_index = {s.index: s for s in shards}
        items = ray.data.from_items(
            [{"index": s.index} for s in shards], override_num_blocks=max(1, len(shards))
        )
        ds = items.map_batches(
            _RayScanner,
            fn_constructor_kwargs={
                "ctx_bytes": pickle.dumps(ctx),
                "shards_bytes": pickle.dumps(list(shards)),
            },
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=max(workers, 1)),
            num_cpus=1,
        )
        for row in ds.iter_rows():
            result: ShardResult = pickle.loads(row["result"])
            if on_progress is not None:
                on_progress(by_index[result.index].size, result.text_bytes, result.documents)
            on_result(result)
    finally:
        if started:
            ray.shutdown()
