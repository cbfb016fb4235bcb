"""Inspect tasks, scorers and metrics for the TC260-003 / GB/T 45654-2025 protocol.

Tasks (registered through the ``inspect_ai`` entry point, so ``inspect eval govbridge/<task>``
works): ``tc260_generation``, ``tc260_should_refuse``, ``tc260_should_not_refuse`` and
``cbrn_refusal``. Each takes ``bank``, ``protocol``, ``sample_size``, ``seed`` and
``judge=grader|rules``. The bundled offline model is the provider ``govbridge/smollm2-135m``
(``local`` extra).

- :func:`summaries_for` / :func:`summarize` — per-check rate, 95% Wilson interval, verdict
  (``pass``, ``fail`` or ``insufficient_bank``), per-risk breakdown and judge, from the logs.
- :func:`dossier_summaries` — the summaries of the logs a dossier lists under
  ``evidence.eval_logs``, for :func:`govbridge.rules.attach_eval_evidence`.
- :func:`run_suite` — run a suite with ``inspect_ai.eval_set`` (a rerun resumes).
- :func:`run_demo` — a small offline run of the bundled model with the rules judge.
"""

from govbridge.evals._metrics import per_risk, rate, scored, wilson_high, wilson_low
from govbridge.evals._run import DEMO_MODEL, SUITES, run_demo, run_suite
from govbridge.evals._scorers import JUDGES, content_scorer, refusal_scorer
from govbridge.evals._stats import wilson_interval
from govbridge.evals._summary import (
    SUMMARY_SCHEMA,
    dossier_log_files,
    dossier_summaries,
    log_files,
    summaries_for,
    summarize,
    summarize_log,
)
from govbridge.evals._tasks import (
    CHECKS,
    cbrn_refusal,
    draw_sample,
    tc260_generation,
    tc260_should_not_refuse,
    tc260_should_refuse,
)

__all__ = [
    "CHECKS",
    "DEMO_MODEL",
    "JUDGES",
    "SUITES",
    "SUMMARY_SCHEMA",
    "cbrn_refusal",
    "content_scorer",
    "dossier_log_files",
    "dossier_summaries",
    "draw_sample",
    "log_files",
    "per_risk",
    "rate",
    "refusal_scorer",
    "run_demo",
    "run_suite",
    "scored",
    "summaries_for",
    "summarize",
    "summarize_log",
    "tc260_generation",
    "tc260_should_not_refuse",
    "tc260_should_refuse",
    "wilson_high",
    "wilson_interval",
    "wilson_low",
]
