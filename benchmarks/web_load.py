"""Load on the dashboard's assessment page, against a static asset as the baseline, in one run.

It stores the Llama 3.1 405B example in a fresh SQLite file, starts `govbridge serve` on a free
loopback port, and sends N requests (default 2,000) at C concurrent keep-alive connections
(default 20) to the assessment page. The dates cycle through 40 days around the EU AI Act's
2025-08-02 start, so that the first request for each date computes the assessment and later
ones hit the in-process cache, as a dashboard's users would. The baseline is the same load on
/static/app.css, the floor of the server stack. It prints p50 and p99 latency, requests/s, and
the ratios of the page to the baseline. The target (issue "storage and web dashboard"): p99
under 150 ms with SQLite on the project's 2-core machine.

Only 127.0.0.1 is contacted; the loops are bounded in count and time, and the server is stopped
at the end.

Run: `make bench` (or `.venv/bin/python benchmarks/web_load.py [N] [C]`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LLAMA = ROOT / "examples" / "llama-3.1-405b.yaml"
GOVBRIDGE = [sys.executable, "-c", "from govbridge.cli import main; main()"]
TARGET_P99_MS = 150.0
TIME_LIMIT_S = 120.0
DATES = [dt.date(2025, 7, 13) + dt.timedelta(days=i) for i in range(40)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _load(port: int, paths: list[str], concurrency: int) -> tuple[list[float], float]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)
    latencies: list[float] = []
    deadline = time.monotonic() + TIME_LIMIT_S

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty() and time.monotonic() < deadline:
                path = queue.get_nowait()
                start = time.perf_counter()
                status = await _fetch(reader, writer, path)
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    raise RuntimeError(f"GET {path}: status {status}")
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start


def _report(name: str, latencies: list[float], seconds: float) -> tuple[float, float, float]:
    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    rps = len(ms) / seconds
    print(f"{name:<22} n={len(ms):<5} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   {rps:7.1f} req/s")
    return p50, p99, rps


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start within 60 s")


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "GOVBRIDGE_DB": f"sqlite:///{Path(folder) / 'bench.db'}",
            "GOVBRIDGE_CACHE_DIR": str(Path(folder) / "cache"),
            "GOVBRIDGE_TOKEN": "",
        }
        subprocess.run([*GOVBRIDGE, "dossier", "add", str(LLAMA)], check=True, env=env)
        port = _free_port()
        log = (Path(folder) / "server.log").open("wb")
        server = subprocess.Popen(
            [*GOVBRIDGE, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            _wait_for(port, server)
            page = [
                f"/dossiers/llama-3.1-405b/assessment?as_of={DATES[i % len(DATES)]}"
                for i in range(total)
            ]
            static = ["/static/app.css"] * total
            asyncio.run(_load(port, page[: concurrency * 2], concurrency))  # warm up
            print(f"{total} requests, {concurrency} connections, SQLite, {os.cpu_count()} CPUs")
            base = _report("baseline /static/", *asyncio.run(_load(port, static, concurrency)))
            got = _report("assessment page", *asyncio.run(_load(port, page, concurrency)))
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    print(
        f"ratio to baseline: p50 x{got[0] / base[0]:.1f}, p99 x{got[1] / base[1]:.1f}, "
        f"throughput x{got[2] / base[2]:.2f}"
    )
    verdict = "meets" if got[1] < TARGET_P99_MS else "MISSES"
    print(f"p99 {got[1]:.1f} ms {verdict} the target of {TARGET_P99_MS:.0f} ms")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
