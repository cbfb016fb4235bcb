"""The Inspect tasks of the TC260-003 / GB/T 45654-2025 protocol, plus a CBRN refusal task.

Each task draws a simple random sample, without replacement and seeded, from one kind of bank
item; the sample ids are the bank ids, so they are in the log. The task's metadata records
everything a summary needs: the protocol and its date, the check, threshold and operator, the
minimum sample, whether the bank meets the protocol's floors (and its gaps), the bank digest
(its comparability version), files, licences, the judge, the seed and the sample size.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.solver import generate

from govbridge.content import (
    Bank,
    BankItem,
    Kind,
    Protocol,
    check_items,
    load_bank,
    load_protocol,
    starter_bank_paths,
)
from govbridge.errors import UsageError
from govbridge.evals._scorers import JUDGES, content_scorer, refusal_scorer

__all__ = [
    "CHECKS",
    "TASK_VERSION",
    "CheckSpec",
    "cbrn_refusal",
    "draw_sample",
    "tc260_generation",
    "tc260_should_not_refuse",
    "tc260_should_refuse",
]

TASK_VERSION = 1


@dataclass(frozen=True)
class CheckSpec:
    """How one task maps onto the protocol."""

    task: str
    check: str
    kind: Kind
    threshold: str
    operator: str
    sample_min: str
    aspect: str | None = None


CHECKS: dict[str, CheckSpec] = {
    spec.task: spec
    for spec in (
        CheckSpec(
            "tc260_generation",
            "generated_content",
            "generation",
            "generated_pass_rate_min",
            ">=",
            "generated_sample_min",
        ),
        CheckSpec(
            "tc260_should_refuse",
            "should_refuse",
            "should_refuse",
            "refuse_rate_min",
            ">=",
            "refuse_sample_min",
        ),
        CheckSpec(
            "tc260_should_not_refuse",
            "should_not_refuse",
            "should_not_refuse",
            "non_refuse_refusal_rate_max",
            "<=",
            "non_refuse_sample_min",
        ),
        CheckSpec(
            "cbrn_refusal",
            "cbrn_refusal",
            "should_refuse",
            "refuse_rate_min",
            ">=",
            "refuse_bank_per_risk_min",
            aspect="cbrn",
        ),
    )
}


def _bank_paths(bank: str | list[str] | None) -> list[str]:
    if bank is None or bank == "" or bank == []:
        return [str(p) for p in starter_bank_paths()]
    if isinstance(bank, str):
        return [p.strip() for p in bank.split(",") if p.strip()]
    return [str(p) for p in bank]


def draw_sample(items: list[BankItem], size: int, seed: int) -> list[BankItem]:
    """A simple random sample without replacement, reproducible from the seed.

    >>> from govbridge.content import starter_bank
    >>> pool = starter_bank().of_kind("should_refuse")
    >>> [i.id for i in draw_sample(pool, 2, 7)] == [i.id for i in draw_sample(pool, 2, 7)]
    True
    """
    if size > len(items):
        raise UsageError(f"sample_size {size} is larger than the bank ({len(items)} items)")
    return random.Random(seed).sample(items, size)


def _sample(item: BankItem) -> Sample:
    return Sample(
        id=item.id,
        input=item.text,
        metadata={
            "risks": list(item.risks),
            "kind": item.kind,
            "aspect": item.aspect,
            "lang": item.lang,
            "source": item.source,
        },
    )


def _bank_status(spec: CheckSpec, pool: list[BankItem], proto: Protocol) -> tuple[bool, list[str]]:
    if spec.aspect is not None:
        need = proto.refuse_bank_per_risk_min
        ok = len(pool) >= need
        return ok, [] if ok else [f"{spec.aspect}: {len(pool)} < {need}"]
    gaps = [c for c in check_items(spec.kind, pool, proto) if not c.ok]
    return not gaps, [
        f"{c.risk or 'total'}: {c.actual} < {c.required} ({c.requirement})" for c in gaps
    ]


def build_task(
    name: str,
    *,
    bank: str | list[str] | None = None,
    protocol: str = "gbt-45654-2025",
    sample_size: int | None = None,
    seed: int = 0,
    judge: str = "grader",
    library: str | None = None,
    as_of: str | None = None,
) -> Task:
    """Build one of the protocol tasks; the ``@task`` functions below call this.

    Raises:
        UsageError: For a bad judge, protocol, date or sample size, or an empty pool.
        BankError: When the bank cannot be read or is empty.
    """
    spec = CHECKS[name]
    if judge not in JUDGES:
        raise UsageError(f"judge {judge!r}: expected grader or rules")
    try:
        when = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise UsageError(f"as_of {as_of!r}: expected YYYY-MM-DD") from None
    proto = load_protocol(protocol, when)
    loaded: Bank = load_bank(_bank_paths(bank))
    pool = loaded.of_kind(spec.kind)
    if spec.aspect is not None:
        pool = [item for item in pool if item.aspect == spec.aspect]
    if not pool:
        what = f"{spec.kind} items" + (f" with aspect {spec.aspect}" if spec.aspect else "")
        raise UsageError(f"the bank has no {what}")
    sample_min: int = getattr(proto, spec.sample_min)
    if sample_size is None:
        size = min(sample_min, len(pool)) if spec.aspect is None else len(pool)
    else:
        size = int(sample_size)
        if size < 1:
            raise UsageError(f"sample_size {size}: expected a positive number")
    chosen = draw_sample(pool, size, int(seed))
    bank_ok, gaps = _bank_status(spec, pool, proto)
    if library is None and spec.kind == "generation":
        from govbridge.content._inputs import starter_library_path

        library = str(starter_library_path())
    if spec.kind == "generation":
        the_scorer = content_scorer(judge=judge, library=library)
    else:
        the_scorer = refusal_scorer(judge=judge, kind=spec.kind)
    metadata: dict[str, Any] = {
        "govbridge": {
            "task": name,
            "check": spec.check,
            "kind": spec.kind,
            "aspect": spec.aspect,
            "protocol": proto.to_dict(),
            "threshold": getattr(proto, spec.threshold),
            "threshold_parameter": spec.threshold,
            "operator": spec.operator,
            "sample_min": sample_min if spec.aspect is None else proto.refuse_bank_per_risk_min,
            "sample_size": size,
            "pool_size": len(pool),
            "seed": int(seed),
            "judge": judge,
            "library": library,
            "bank": {
                "files": list(loaded.files),
                "digest": loaded.digest(pool),
                "starter": loaded.starter,
                "licences": loaded.licences(),
                "meets_protocol": bank_ok,
                "gaps": gaps[:50],
                "problems": [str(p) for p in loaded.problems[:50]],
            },
        }
    }
    return Task(
        dataset=MemoryDataset([_sample(i) for i in chosen], name=f"{name}-{loaded.digest(pool)}"),
        solver=[generate()],
        scorer=the_scorer,
        metadata=metadata,
        version=TASK_VERSION,
    )


@task
def tc260_generation(
    bank: str | list[str] | None = None,
    protocol: str = "gbt-45654-2025",
    sample_size: int | None = None,
    seed: int = 0,
    judge: str = "grader",
    library: str | None = None,
    as_of: str | None = None,
) -> Task:
    """Generated-content safety (TC260-003 §9.3): the judge rates each answer acceptable or not.

    Args:
        bank: Bank file(s): a path, comma-separated paths or a list (default: starter banks).
        protocol: ``gbt-45654-2025`` (default) or ``tc260-003``.
        sample_size: Items to draw (default: the protocol's minimum, or the whole pool).
        seed: The random seed of the draw.
        judge: ``grader`` (model bound to the grader role) or ``rules`` (keyword library).
        library: Keyword library for the ``rules`` judge (default: the starter library).
        as_of: The protocol's date, YYYY-MM-DD (default: today).
    """
    return build_task(
        "tc260_generation",
        bank=bank,
        protocol=protocol,
        sample_size=sample_size,
        seed=seed,
        judge=judge,
        library=library,
        as_of=as_of,
    )


@task
def tc260_should_refuse(
    bank: str | list[str] | None = None,
    protocol: str = "gbt-45654-2025",
    sample_size: int | None = None,
    seed: int = 0,
    judge: str = "grader",
    as_of: str | None = None,
) -> Task:
    """Refusal rate on the should-refuse bank (TC260-003 §9.4; at least 95%).

    Args:
        bank: Bank file(s): a path, comma-separated paths or a list (default: starter banks).
        protocol: ``gbt-45654-2025`` (default) or ``tc260-003``.
        sample_size: Items to draw (default: the protocol's minimum, or the whole pool).
        seed: The random seed of the draw.
        judge: ``grader`` (model bound to the grader role) or ``rules`` (refusal patterns).
        as_of: The protocol's date, YYYY-MM-DD (default: today).
    """
    return build_task(
        "tc260_should_refuse",
        bank=bank,
        protocol=protocol,
        sample_size=sample_size,
        seed=seed,
        judge=judge,
        as_of=as_of,
    )


@task
def tc260_should_not_refuse(
    bank: str | list[str] | None = None,
    protocol: str = "gbt-45654-2025",
    sample_size: int | None = None,
    seed: int = 0,
    judge: str = "grader",
    as_of: str | None = None,
) -> Task:
    """Refusal rate on the should-not-refuse bank (TC260-003 §9.4; at most 5%).

    Args:
        bank: Bank file(s): a path, comma-separated paths or a list (default: starter banks).
        protocol: ``gbt-45654-2025`` (default) or ``tc260-003``.
        sample_size: Items to draw (default: the protocol's minimum, or the whole pool).
        seed: The random seed of the draw.
        judge: ``grader`` (model bound to the grader role) or ``rules`` (refusal patterns).
        as_of: The protocol's date, YYYY-MM-DD (default: today).
    """
    return build_task(
        "tc260_should_not_refuse",
        bank=bank,
        protocol=protocol,
        sample_size=sample_size,
        seed=seed,
        judge=judge,
        as_of=as_of,
    )


@task
def cbrn_refusal(
    bank: str | list[str] | None = None,
    protocol: str = "gbt-45654-2025",
    sample_size: int | None = None,
    seed: int = 0,
    judge: str = "grader",
    as_of: str | None = None,
) -> Task:
    """Refusal rate on CBRN requests (should-refuse items with aspect ``cbrn``).

    Not a check of the standard: the should-refuse threshold is reported as a reference.

    Args:
        bank: Bank file(s): a path, comma-separated paths or a list (default: starter banks).
        protocol: ``gbt-45654-2025`` (default) or ``tc260-003`` (for the reference threshold).
        sample_size: Items to draw (default: every CBRN item).
        seed: The random seed of the draw.
        judge: ``grader`` (model bound to the grader role) or ``rules`` (refusal patterns).
        as_of: The protocol's date, YYYY-MM-DD (default: today).
    """
    return build_task(
        "cbrn_refusal",
        bank=bank,
        protocol=protocol,
        sample_size=sample_size,
        seed=seed,
        judge=judge,
        as_of=as_of,
    )
