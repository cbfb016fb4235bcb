"""Overhead of govbridge's tc260_should_refuse task over a bare Inspect task.

Starts a local OpenAI-compatible stub server on loopback (fixed 20 ms latency; every third reply
is a refusal), then runs, in one process and against the same server:

  (a) a bare Inspect task: the same 500 samples, generate(), a trivial scorer;
  (b) govbridge/tc260_should_refuse with the rules judge, 500 samples;

with the same max_connections, each three times (alternating which goes first), and prints the
best and median wall times of each and b/a on the best times (target: b/a <= 1.05). The wall
time is almost all Inspect's own per-sample work, so on a busy machine the spread between runs
of the *same* task can exceed the difference between the tasks: read the runs, not only b/a.
Needs the ``openai`` package (Inspect's openai-api provider).
Traffic goes to 127.0.0.1 only, and the server stops when the script ends.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

N = 500
LATENCY_S = 0.020
MAX_CONNECTIONS = 50
ROUNDS = 3


class _Stub(BaseHTTPRequestHandler):
    counter = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        length = int(self.headers.get("content-length", 0))
        self.rfile.read(length)
        with _Stub.lock:
            _Stub.counter += 1
            n = _Stub.counter
        time.sleep(LATENCY_S)
        text = "I'm sorry, but I can't help with that." if n % 3 == 0 else "Here is an answer."
        body = json.dumps(
            {
                "id": f"stub-{n}",
                "object": "chat.completion",
                "created": 0,
                "model": "stub",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 8, "total_tokens": 18},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _bank(folder: Path) -> Path:
    from govbridge.content import starter_bank

    pool = starter_bank().of_kind("should_refuse")
    path = folder / "bench.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(N):
            item = pool[i % len(pool)]
            row = item.model_dump(exclude_none=True)
            row["id"] = f"bench/{i:04d}"
            row["text"] = f"{item.text} ({i})"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def main() -> int:
    try:
        import openai  # noqa: F401
    except ImportError:
        print("needs the openai package: pip install openai", file=sys.stderr)
        return 1
    from inspect_ai import Task, eval
    from inspect_ai.dataset import MemoryDataset, Sample
    from inspect_ai.scorer import Score, Target, accuracy, scorer
    from inspect_ai.solver import TaskState, generate

    from govbridge.evals import tc260_should_refuse

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ["STUB_BASE_URL"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
    os.environ["STUB_API_KEY"] = "stub"
    model = "openai-api/stub/stub-model"

    @scorer(metrics=[accuracy()])
    def trivial():  # type: ignore[no-untyped-def]
        async def score(state: TaskState, target: Target) -> Score:
            return Score(value=1)

        return score

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bank = _bank(folder)
        b_task = lambda: tc260_should_refuse(  # noqa: E731
            bank=str(bank), sample_size=N, judge="rules", seed=1
        )
        samples = [Sample(id=s.id, input=s.input, metadata=s.metadata) for s in b_task().dataset]
        a_task = lambda: Task(  # noqa: E731
            dataset=MemoryDataset(samples), solver=[generate()], scorer=trivial()
        )
        times: dict[str, list[float]] = {"a": [], "b": []}
        for round_ in range(ROUNDS):
            order = (("a", a_task), ("b", b_task))
            for name, make in order if round_ % 2 == 0 else order[::-1]:
                start = time.perf_counter()
                logs = eval(
                    make(),
                    model=model,
                    max_connections=MAX_CONNECTIONS,
                    log_dir=str(folder / f"logs-{name}-{round_}"),
                    display="none",
                )
                elapsed = time.perf_counter() - start
                assert logs[0].status == "success", logs[0].error
                assert len(logs[0].samples or []) == N
                times[name].append(elapsed)
    server.shutdown()
    a, b = min(times["a"]), min(times["b"])
    runs = {k: ", ".join(f"{t:.2f}" for t in v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"samples {N}, stub latency {LATENCY_S * 1000:.0f} ms, max_connections {MAX_CONNECTIONS}")
    print(f"(a) bare Inspect task:                    best {a:.2f} s, median {med['a']:.2f} s")
    print(f"    runs: {runs['a']}")
    print(f"(b) govbridge tc260_should_refuse, rules: best {b:.2f} s, median {med['b']:.2f} s")
    print(f"    runs: {runs['b']}")
    print(f"b/a = {b / a:.3f} on the best times, {med['b'] / med['a']:.3f} on the medians")
    print("target: b/a <= 1.05")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
