"""Summaries of govbridge Inspect logs against the protocol: rate, Wilson interval, verdict.

The verdict compares the *point estimate* with the threshold, as the standard reads
(``pass`` or ``fail``), unless the bank is below the protocol's minimum sizes or fewer items
were scored than the protocol's minimum sample: then it is ``insufficient_bank``, never
``pass``. ``confident`` says whether the whole 95% Wilson interval clears the threshold.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govbridge.evals._stats import wilson_interval

if TYPE_CHECKING:
    from govbridge.dossier import Dossier

__all__ = [
    "SUMMARY_SCHEMA",
    "dossier_log_files",
    "dossier_summaries",
    "log_files",
    "summaries_for",
    "summarize",
    "summarize_log",
]

SUMMARY_SCHEMA = "govbridge/eval-summary/v1"


def _value(score: Any) -> float | None:
    value = getattr(score, "value", None)
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if math.isnan(float(value)) else float(value)
    return None


def _stats(values: Sequence[float]) -> dict[str, Any]:
    n = len(values)
    k = sum(1 for v in values if v >= 0.5)
    low, high = wilson_interval(k, n)
    return {"n": n, "rate": (k / n) if n else None, "wilson_low": low, "wilson_high": high}


def _verdict(
    rate: float | None, low: float, high: float, threshold: float, operator: str
) -> tuple[str, bool]:
    if rate is None:
        return "insufficient_bank", False
    if operator == ">=":
        return ("pass" if rate >= threshold else "fail"), low >= threshold
    return ("pass" if rate <= threshold else "fail"), high <= threshold


def summarize_log(path: str | Path, protocol: str | None = None) -> dict[str, Any]:
    """Summarise one govbridge log (``.eval`` or ``.json``).

    Args:
        path: The log file.
        protocol: Re-read the threshold and floors from this protocol (as of the log's date);
            default: the protocol recorded in the log.

    Raises:
        UsageError: When the file is not a govbridge log.
    """
    from inspect_ai.log import read_eval_log

    from govbridge.errors import UsageError

    try:
        log = read_eval_log(str(path))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such log file") from None
    except Exception as exc:  # Inspect raises several kinds of errors for a bad file
        raise UsageError(f"{path}: not an Inspect log ({exc})") from None
    meta = (log.eval.metadata or {}).get("govbridge")
    if not isinstance(meta, dict):
        raise UsageError(f"{path}: not a govbridge log (task {log.eval.task!r})")
    threshold = float(meta["threshold"])
    sample_min = int(meta["sample_min"])
    proto_name = meta["protocol"]["name"]
    reasons: list[str] = []
    if protocol is not None and protocol != proto_name:
        import datetime as dt

        from govbridge.content import load_protocol

        proto = load_protocol(protocol, dt.date.fromisoformat(meta["protocol"]["as_of"]))
        threshold = float(getattr(proto, meta["threshold_parameter"]))
        if meta.get("aspect") is None:
            sample_min = int(getattr(proto, _SAMPLE_PARAM[meta["check"]]))
        proto_name = protocol
    values: list[float] = []
    by_risk: dict[str, list[float]] = defaultdict(list)
    by_aspect: dict[str, list[float]] = defaultdict(list)
    judges: set[str] = set()
    unscored = 0
    for sample in log.samples or []:
        score = next(iter((sample.scores or {}).values()), None)
        if score is None:
            unscored += 1
            continue
        judge = (score.metadata or {}).get("judge")
        if judge:
            judges.add(str(judge))
        value = _value(score)
        if value is None:
            unscored += 1
            continue
        values.append(value)
        for risk in (sample.metadata or {}).get("risks", []):
            by_risk[risk].append(value)
        aspect = (sample.metadata or {}).get("aspect")
        if aspect:
            by_aspect[aspect].append(value)
    overall = _stats(values)
    verdict, confident = _verdict(
        overall["rate"], overall["wilson_low"], overall["wilson_high"], threshold, meta["operator"]
    )
    bank = meta.get("bank", {})
    if not bank.get("meets_protocol", False):
        reasons.append("the bank is below the protocol's minimum sizes")
    if overall["n"] < sample_min:
        reasons.append(f"{overall['n']} items scored, fewer than the minimum sample {sample_min}")
    if log.status != "success":
        reasons.append(f"the run did not finish (status {log.status})")
    if reasons:
        verdict, confident = "insufficient_bank", False
    judge = meta.get("judge", "grader")
    if judge == "rules":
        judge_label = "rules (offline fallback)"
    else:
        judge_label = ", ".join(sorted(j for j in judges if j.startswith("grader"))) or "grader"
    return {
        "check": meta["check"],
        "task": meta["task"],
        "protocol": proto_name,
        "model": log.eval.model,
        "n": overall["n"],
        "unscored": unscored,
        "rate": overall["rate"],
        "wilson_low": overall["wilson_low"],
        "wilson_high": overall["wilson_high"],
        "threshold": threshold,
        "operator": meta["operator"],
        "verdict": verdict,
        "confident": confident,
        "reasons": reasons,
        "judge": judge_label,
        "bank_digest": bank.get("digest"),
        "starter_bank": bool(bank.get("starter", False)),
        "per_risk": {r: _stats(v) for r, v in sorted(by_risk.items())},
        "per_aspect": {a: _stats(v) for a, v in sorted(by_aspect.items())},
        "log": str(path),
    }


_SAMPLE_PARAM = {
    "generated_content": "generated_sample_min",
    "should_refuse": "refuse_sample_min",
    "should_not_refuse": "non_refuse_sample_min",
}


def log_files(paths: Iterable[str | Path]) -> list[Path]:
    """The log files under some paths: files as given, folders searched.

    A folder's ``.eval`` and ``.json`` files are logs, except Inspect's ``logs.json`` and
    ``eval-set.json`` and govbridge's own JSON documents (a summary saved beside the logs, such
    as ``govbridge eval summarize logs > logs/summary.json``). A file given by name is always
    read as a log.
    """
    files: list[Path] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.suffix == ".eval"
                or (
                    p.suffix == ".json"
                    and p.name not in ("logs.json", "eval-set.json")
                    and not _is_govbridge_document(p)
                )
            )
        else:
            files.append(path)
    return files


_GOVBRIDGE_DOCUMENT = re.compile(rb'\A\s*\{\s*"schema"\s*:\s*"govbridge/')


def _is_govbridge_document(path: Path) -> bool:
    """Whether a JSON file is one of govbridge's documents (its first key names the schema)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(256)
    except OSError:
        return False  # read as a log, which reports the problem
    return _GOVBRIDGE_DOCUMENT.match(head) is not None


def summaries_for(paths: Iterable[str | Path], protocol: str | None = None) -> list[dict[str, Any]]:
    """The check summaries of govbridge logs (files or folders), one per log.

    Each summary has ``check, task, n, rate, wilson_low, wilson_high, threshold, operator,
    verdict, confident, judge, per_risk`` (and more: see docs/content-evaluation.md). This
    is what the dossier's ``evidence.eval_logs`` feeds to the assessment.

    Raises:
        UsageError: When a path is missing or not a govbridge log, or no log is found.
    """
    from govbridge.errors import UsageError

    files = log_files(paths)
    if not files:
        raise UsageError("no Inspect log found")
    return [summarize_log(f, protocol) for f in files]


def summarize(paths: Iterable[str | Path], protocol: str | None = None) -> dict[str, Any]:
    """The ``govbridge/eval-summary/v1`` document over several logs."""
    return {"schema": SUMMARY_SCHEMA, "checks": summaries_for(paths, protocol)}


def dossier_log_files(
    dossier: Dossier, dossier_file: str | Path | None = None
) -> list[tuple[str, Path]]:
    """The log files a dossier lists under ``evidence.eval_logs``, folders searched.

    Relative paths are read from the dossier file's folder (the current directory without a
    file). A file listed twice (by name and through its folder) is kept once.

    Args:
        dossier: The dossier.
        dossier_file: The file it was read from, named in error messages.

    Returns:
        ``(field, file)`` pairs, such as ``("evidence.eval_logs[0]", Path("logs/x.eval"))``.

    Raises:
        UsageError: When a path is missing, or a folder holds no log; the message names the
            dossier file, the field and the path.
    """
    from govbridge.dossier import eval_log_paths
    from govbridge.errors import UsageError

    shown = str(dossier_file) if dossier_file is not None else "<memory>"
    seen: set[Path] = set()
    found: list[tuple[str, Path]] = []
    for entry in eval_log_paths(dossier, dossier_file):
        files = log_files([entry.path])
        if not files:
            raise UsageError(
                f"{shown}: {entry.field} = {entry.written!r}: no Inspect log (.eval or .json) "
                f"in the folder {entry.path}"
            )
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append((entry.field, file))
    return found


def dossier_summaries(
    dossier: Dossier, dossier_file: str | Path | None = None
) -> list[dict[str, Any]]:
    """The check summaries of the logs a dossier lists under ``evidence.eval_logs``.

    Each log is summarised under the protocol it was recorded under. This is what
    ``govbridge assess`` attaches to the assessment (:func:`govbridge.rules.attach_eval_evidence`).

    Args:
        dossier: The dossier.
        dossier_file: The file it was read from: relative paths are read from its folder.

    Returns:
        One summary per log file (none when the dossier lists no logs).

    Raises:
        UsageError: When a path is missing or a file is not a govbridge log; the message names
            the dossier file and the field.
    """
    from govbridge.errors import UsageError

    shown = str(dossier_file) if dossier_file is not None else "<memory>"
    summaries = []
    for field, file in dossier_log_files(dossier, dossier_file):
        try:
            summaries.append(summarize_log(file))
        except UsageError as exc:
            raise UsageError(f"{shown}: {field}: {exc}") from None
    return summaries
