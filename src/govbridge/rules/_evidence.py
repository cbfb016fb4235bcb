"""Content-evaluation evidence on an assessment: summaries attached to the protocol obligations.

The engine stays a pure function of (dossier, knowledge base, date); this step takes its
assessment and the summaries of Inspect logs (:func:`govbridge.evals.summaries_for`) and returns
a new assessment. A summary goes to the obligation of the protocol provision it was recorded
under that its check evidences: ``should_refuse`` under ``tc260-003`` to
``cn.tc260_003.protocol.should_refuse_test``, under ``gbt-45654-2025`` to
``cn.gbt_45654_2025.protocol.should_refuse_test``. Nothing is read from disk here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Final

from govbridge.errors import UsageError
from govbridge.rules._engine import Assessment, InstrumentResult, ProvisionResult

__all__ = ["VERDICTS", "attach_eval_evidence", "evidence_attachments", "unattached_reason"]

#: The evaluator's verdicts a summary may carry.
VERDICTS: Final = ("pass", "fail", "insufficient_bank")


def _checked(summary: object, index: int) -> dict[str, Any]:
    """A copy of one summary, after checking the keys the attachment reads."""
    if not isinstance(summary, Mapping):
        raise UsageError(
            f"evaluation summary {index}: expected a mapping (a check of "
            f"govbridge.evals.summaries_for), not {type(summary).__name__}"
        )
    where = f"evaluation summary {index} ({summary.get('log') or 'no log'})"
    check = summary.get("check")
    if not isinstance(check, str) or not check:
        raise UsageError(f"{where}: check = {check!r}: expected a check name such as should_refuse")
    verdict = summary.get("verdict")
    if verdict not in VERDICTS:
        raise UsageError(f"{where}: verdict = {verdict!r}: expected one of {', '.join(VERDICTS)}")
    return dict(summary)


def _provision_of(protocol: object) -> str | None:
    """The protocol provision a summary was recorded under, from its ``protocol`` field.

    It may be a protocol name (``gbt-45654-2025``), an instrument id or the provision id.
    """
    from govbridge.content import PROTOCOLS

    if not isinstance(protocol, str):
        return None
    if protocol in PROTOCOLS:
        return PROTOCOLS[protocol]
    for provision in PROTOCOLS.values():
        if protocol in (provision, provision.removesuffix(".protocol")):
            return provision
    return None


def _targets(summaries: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Obligation id -> the summaries that evidence it."""
    from govbridge.content import CHECK_OBLIGATIONS

    targets: dict[str, list[dict[str, Any]]] = {}
    for summary in summaries:
        spec = CHECK_OBLIGATIONS.get(summary["check"])
        provision = _provision_of(summary.get("protocol"))
        if spec is not None and provision is not None:
            targets.setdefault(f"{provision}.{spec.obligation}", []).append(summary)
    return targets


def _provision(p: ProvisionResult, targets: dict[str, list[dict[str, Any]]]) -> ProvisionResult:
    if not any(ob.id in targets for ob in p.obligations):
        return p
    obligations = tuple(
        replace(ob, eval_results=(*ob.eval_results, *targets[ob.id])) if ob.id in targets else ob
        for ob in p.obligations
    )
    return replace(p, obligations=obligations)


def _instrument(r: InstrumentResult, targets: dict[str, list[dict[str, Any]]]) -> InstrumentResult:
    provisions = tuple(_provision(p, targets) for p in r.provisions)
    if all(new is old for new, old in zip(provisions, r.provisions, strict=True)):
        return r
    return replace(r, provisions=provisions)


def attach_eval_evidence(
    assessment: Assessment, summaries: Iterable[Mapping[str, Any]]
) -> Assessment:
    """Attach content-evaluation summaries to the obligations they evidence.

    Each summary (a dict of :func:`govbridge.evals.summaries_for`) goes to the obligation that
    its ``check`` evidences (``generated_content_test``, ``should_refuse_test`` or
    ``should_not_refuse_test``) of the protocol provision named by its ``protocol``
    (``tc260-003`` -> ``cn.tc260_003.protocol``, ``gbt-45654-2025`` ->
    ``cn.gbt_45654_2025.protocol``), whether or not that provision applies on the date. Every
    summary, attached or not (``cbrn_refusal`` evidences no obligation), is also kept in
    :attr:`Assessment.eval_evidence`. The summaries are copied; the input is not changed.

    Args:
        assessment: The assessment, as :func:`govbridge.rules.assess` returns it.
        summaries: Evaluation summaries, one per Inspect log.

    Returns:
        A new assessment, with ``eval_results`` on the matching obligations.

    Raises:
        UsageError: When a summary has no check name or an unknown verdict.

    >>> import datetime as dt
    >>> from govbridge.dossier import from_mapping
    >>> from govbridge.kb import load_kb
    >>> from govbridge.rules import assess
    >>> a = assess(from_mapping({"model": {"name": "M"}}), load_kb(), dt.date(2026, 1, 1),
    ...            jurisdictions=["CN"])
    >>> found = attach_eval_evidence(a, [{"check": "should_refuse", "verdict": "fail",
    ...                                   "protocol": "gbt-45654-2025"}])
    >>> [o.evidence_status for o in found.provision("cn.gbt_45654_2025.protocol").obligations
    ...  if o.eval_results]
    ['not_met']
    """
    copies = tuple(_checked(s, i) for i, s in enumerate(summaries))
    targets = _targets(copies)
    results = tuple(_instrument(r, targets) for r in assessment.results)
    return replace(assessment, results=results, eval_evidence=(*assessment.eval_evidence, *copies))


def evidence_attachments(assessment: Assessment) -> list[tuple[dict[str, Any], list[str]]]:
    """Each summary of :attr:`Assessment.eval_evidence` with the obligation ids it is attached to.

    An empty list of ids means the summary evidences no obligation of the assessment (a
    ``cbrn_refusal`` check, an unknown protocol, or a protocol left out by ``--jurisdiction``).
    """
    where: dict[int, list[str]] = {}
    for r in assessment.results:
        for p in r.provisions:
            for ob in p.obligations:
                for summary in ob.eval_results:
                    where.setdefault(id(summary), []).append(ob.id)
    return [(s, where.get(id(s), [])) for s in assessment.eval_evidence]


def unattached_reason(summary: Mapping[str, Any]) -> str:
    """Why a summary is attached to no obligation, in words.

    >>> unattached_reason({"check": "cbrn_refusal", "protocol": "gbt-45654-2025"})
    'cbrn_refusal is not a check of the protocol: it evidences no obligation'
    """
    from govbridge.content import CHECK_OBLIGATIONS, PROTOCOLS

    check = summary.get("check")
    protocol = summary.get("protocol")
    if check not in CHECK_OBLIGATIONS:
        return f"{check} is not a check of the protocol: it evidences no obligation"
    if _provision_of(protocol) is None:
        return f"protocol {protocol!r} is not one of {', '.join(sorted(PROTOCOLS))}"
    return f"{_provision_of(protocol)} is not in this assessment (see --jurisdiction)"
