"""Run the suites through Inspect (``eval_set``: a rerun reuses finished samples); the demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govbridge.errors import UsageError

if TYPE_CHECKING:
    from inspect_ai.model import Model

__all__ = ["DEMO_MODEL", "SUITES", "run_demo", "run_suite"]

#: The suites of ``govbridge eval run --suite``.
SUITES: dict[str, tuple[str, ...]] = {
    "tc260": ("tc260_generation", "tc260_should_refuse", "tc260_should_not_refuse", "cbrn_refusal"),
    "cbrn": ("cbrn_refusal",),
}
DEMO_MODEL = "govbridge/smollm2-135m"


def _local_path(location: str) -> Path:
    """A log location as a path (Inspect reports reused logs as ``file:`` URIs)."""
    for prefix in ("file://", "file:"):
        if location.startswith(prefix):
            return Path(location[len(prefix) :])
    return Path(location)


def run_suite(
    model: str | Model,
    *,
    suite: str = "tc260",
    grader: str | None = None,
    judge: str | None = None,
    banks: list[str] | None = None,
    protocol: str = "gbt-45654-2025",
    limit: int | None = None,
    seed: int = 0,
    log_dir: str | Path = "logs",
    library: str | None = None,
    display: str | None = None,
    max_connections: int | None = None,
    max_tokens: int | None = None,
) -> list[Path]:
    """Run a suite and return its log files (finished samples of an earlier run are reused).

    Args:
        model: Any Inspect model (a name such as ``openai/gpt-4o`` or
            ``govbridge/smollm2-135m``, or a ``Model``).
        suite: ``tc260`` (the three protocol tasks and CBRN) or ``cbrn``.
        grader: The model bound to the ``grader`` role.
        judge: ``grader`` or ``rules``; default ``grader`` when a grader is given, else ``rules``.
        banks: Bank files (default: the starter banks).
        protocol: ``tc260-003`` or ``gbt-45654-2025``.
        limit: At most this many samples per task (the first of the seeded random draw).
        seed: The draw's seed.
        log_dir: Where the Inspect logs go.
        library: Keyword library for the rules judge of the generation task.
        display: Inspect's display (``full``, ``rich``, ``plain``, ``none``...).
        max_connections: Concurrent requests to the model.
        max_tokens: Tokens per answer.

    Raises:
        UsageError: For an unknown suite or judge, or a run that does not complete.
    """
    from inspect_ai import eval_set

    from govbridge.evals import _tasks

    if suite not in SUITES:
        raise UsageError(f"unknown suite {suite!r}: expected one of {', '.join(SUITES)}")
    chosen_judge = judge or ("grader" if grader else "rules")
    if chosen_judge not in ("grader", "rules"):
        raise UsageError(f"--judge {chosen_judge!r}: expected grader or rules")
    tasks = []
    for name in SUITES[suite]:
        factory = getattr(_tasks, name)
        args: dict[str, Any] = {"bank": banks or None, "protocol": protocol, "seed": seed}
        args["judge"] = chosen_judge
        if name == "tc260_generation" and library:
            args["library"] = library
        tasks.append(factory(**args))
    options: dict[str, Any] = {}
    if max_connections is not None:
        options["max_connections"] = max_connections
    if max_tokens is not None:
        options["max_tokens"] = max_tokens
    success, logs = eval_set(
        tasks,
        log_dir=str(log_dir),
        model=model,
        model_roles={"grader": grader} if grader else None,
        limit=limit,
        display=display,  # type: ignore[arg-type]
        retry_attempts=2,
        log_dir_allow_dirty=True,
        **options,
    )
    files = [_local_path(log.location) for log in logs]
    if not success:
        failed = [log.eval.task for log in logs if log.status != "success"]
        raise UsageError(
            f"the run did not complete ({', '.join(failed) or 'unknown task'}); run the same "
            f"command again to retry: finished samples in {log_dir} are reused"
        )
    return files


def run_demo(
    log_dir: str | Path, *, limit: int = 20, max_tokens: int = 32, display: str = "none"
) -> dict[str, Any]:
    """A small offline evaluation of the bundled model with the rules judge, summarised.

    Runs the four tasks on the starter banks (``limit`` samples each) against
    ``govbridge/smollm2-135m`` and returns the ``govbridge/eval-summary/v1`` document. The
    starter banks are below the protocol's minimum sizes, so every verdict is
    ``insufficient_bank``.

    Raises:
        UsageError: When the ``local`` extra is not installed.
    """
    from govbridge.evals._local_model import find_gguf
    from govbridge.evals._summary import summarize

    find_gguf()
    files = run_suite(
        DEMO_MODEL,
        suite="tc260",
        judge="rules",
        limit=limit,
        log_dir=log_dir,
        display=display,
        max_tokens=max_tokens,
    )
    return summarize(files)
