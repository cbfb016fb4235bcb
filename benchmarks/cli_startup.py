"""Start-up time of the govbridge CLI against its baselines, in one run.

The foundation issue asks that `govbridge --help` and `govbridge assess` start in under 0.5 s on
the project's 2-core machine. Baselines, in the same run: a bare Python interpreter, and a
one-command typer application (the floor for any typer CLI). Each command runs N times; the
script prints the median wall time of each and its ratio to the typer baseline.

Run: `make bench` (or `.venv/bin/python benchmarks/cli_startup.py [N]`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "govbridge" / "examples" / "example-405b.yaml"
GOVBRIDGE = [sys.executable, "-c", "from govbridge.cli import main; main()"]
TYPER_APP = (
    "import typer\n"
    "app = typer.Typer()\n"
    "@app.command()\n"
    "def hello(name: str = 'x') -> None:\n"
    "    print(name)\n"
    "app()\n"
)
TARGET_S = 0.5


def _median(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "GOVBRIDGE_CACHE_DIR": cache}
        # Fill the knowledge-base cache once, as the first run on a machine does.
        cold_start = time.perf_counter()
        subprocess.run(
            [*GOVBRIDGE, "assess", str(EXAMPLE), "--as-of", "2026-11-27"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        cold = time.perf_counter() - cold_start
        rows = [
            ("python -c pass (baseline)", [sys.executable, "-c", "pass"]),
            (
                "one-command typer app --help (baseline)",
                [sys.executable, "-c", TYPER_APP, "--help"],
            ),
            ("govbridge --help", [*GOVBRIDGE, "--help"]),
            (
                "govbridge assess EXAMPLE (table)",
                [*GOVBRIDGE, "assess", str(EXAMPLE), "--as-of", "2026-11-27"],
            ),
            (
                "govbridge assess EXAMPLE --format json",
                [*GOVBRIDGE, "assess", str(EXAMPLE), "--as-of", "2026-11-27", "-f", "json"],
            ),
        ]
        results = [(name, _median(cmd, runs, env)) for name, cmd in rows]
    floor = results[1][1]
    print(f"median of {runs} runs each; target < {TARGET_S} s for govbridge commands")
    for name, seconds in results:
        verdict = ""
        if name.startswith("govbridge"):
            verdict = "  ok" if seconds < TARGET_S else "  OVER TARGET"
        print(f"{name:45s} {seconds:6.3f} s   x{seconds / floor:4.2f} of typer baseline{verdict}")
    print(f"{'govbridge assess, first run (cache cold)':45s} {cold:6.3f} s")


if __name__ == "__main__":
    main()
