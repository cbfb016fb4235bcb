"""Importing the labelled review sample: the manual pass rate and its verdict."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from govbridge.corpus._rules import load_rules, wilson
from govbridge.errors import InputError

__all__ = ["REVIEW_SCHEMA", "ReviewError", "review_import"]

REVIEW_SCHEMA = "govbridge/corpus-review/v1"
PASS = {"pass", "passed", "ok", "y", "yes", "1", "true", "合格", "通过"}
FAIL = {"fail", "failed", "bad", "n", "no", "0", "false", "不合格", "不通过"}


class ReviewError(InputError):
    """A labelled review file that cannot be read.

    Args:
        file: The file.
        line: The 1-based line (0 for the whole file).
        problem: What is wrong, with the expected form.
    """

    def __init__(self, file: str, line: int, problem: str) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}")


def review_import(
    path: str | Path, *, as_of: dt.date | None = None, update_summary: bool = True
) -> dict[str, Any]:
    """Read a labelled ``review_sample.jsonl`` and judge the manual check.

    Each line's ``label`` is ``pass`` or ``fail`` (also ``ok``/``1``/``合格`` and
    ``bad``/``0``/``不合格``); a blank label is an item not yet reviewed. The verdict is
    ``pass`` when every item is labelled, there are at least as many as the standard asks (or
    the whole corpus, if smaller), and the pass rate is at least the standard's minimum;
    ``fail`` when the rate is below it; ``incomplete``, ``insufficient_sample`` or ``no_items``
    otherwise.

    The result is written to ``review.json`` beside the file, and ``summary.json`` there (if
    any) gets the manual verdict.

    Raises:
        ReviewError: A missing file, a line that is not JSON, or an unknown label.
    """
    from govbridge.kb import today

    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReviewError(name, 0, f"cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ReviewError(name, 0, "is not UTF-8") from None
    passed = failed = unlabelled = 0
    failures: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReviewError(name, number, f"is not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ReviewError(name, number, "expected an object with a 'label' key")
        label = str(row.get("label") or "").strip().lower()
        if not label:
            unlabelled += 1
        elif label in PASS:
            passed += 1
        elif label in FAIL:
            failed += 1
            failures.append(str(row.get("doc_id", f"line {number}")))
        else:
            raise ReviewError(
                name, number, f"label {row.get('label')!r}: expected 'pass', 'fail' or blank"
            )
    summary_path = path.parent / "summary.json"
    summary: dict[str, Any] | None = None
    if summary_path.exists():
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = None
    if as_of is None and summary is not None:
        as_of = dt.date.fromisoformat(summary["standard"]["as_of"])
    rules = load_rules(as_of or today(), summary["standard"]["provision"] if summary else None)
    required = rules.manual_sample_min
    if summary is not None:
        required = min(required, int(summary["manual"]["population"]))
    labelled = passed + failed
    minimum = rules.manual_pass_rate_min
    if not labelled and not unlabelled:
        verdict = "no_items"
    elif unlabelled:
        verdict = "incomplete"
    elif labelled < required:
        verdict = "insufficient_sample"
    elif passed * minimum.denominator >= minimum.numerator * labelled:
        verdict = "pass"
    else:
        verdict = "fail"
    ci = wilson(passed, labelled)
    result: dict[str, Any] = {
        "schema": REVIEW_SCHEMA,
        "file": path.name,
        "items": labelled + unlabelled,
        "labelled": labelled,
        "passed": passed,
        "failed": failed,
        "unlabelled": unlabelled,
        "required": required,
        "pass_rate": passed / labelled if labelled else None,
        "pass_rate_ci95": list(ci) if ci else None,
        "pass_rate_min": float(minimum),
        "cleared_with_confidence": bool(ci and Fraction(ci[0]) >= minimum),
        "verdict": verdict,
        "failed_doc_ids": failures[:1000],
        "standard": {
            "provision": rules.provision,
            "as_of": rules.as_of.isoformat(),
            "corpus_manual_pass_rate_min": rules.values["corpus_manual_pass_rate_min"].cite(),
            "corpus_manual_sample_min": rules.values["corpus_manual_sample_min"].cite(),
        },
    }
    _write(path.parent / "review.json", result)
    if summary is not None and update_summary:
        summary["manual"].update(
            {
                "verdict": verdict,
                "labelled": labelled,
                "passed": passed,
                "pass_rate": result["pass_rate"],
                "pass_rate_ci95": result["pass_rate_ci95"],
            }
        )
        summary["verdicts"]["manual"] = verdict
        _write(summary_path, summary)
    return result


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
