"""Build the report model from an assessment, evaluation summaries and the crosswalk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

from govbridge.content import CHECK_OBLIGATIONS, PROTOCOLS
from govbridge.errors import UsageError
from govbridge.kb import KnowledgeBase
from govbridge.report._evidence import EvalCheck, EvidenceError, EvidenceFile
from govbridge.report._i18n import LANGS, t
from govbridge.report._model import (
    REPORT_SCHEMA,
    Bilingual,
    ContentCheck,
    ContentSection,
    Digest,
    Gap,
    GapAction,
    Inputs,
    InstrumentEntry,
    JurisdictionSection,
    ObligationEntry,
    ProtocolParameter,
    ProvisionEntry,
    Report,
    RiskEntry,
    Summary,
    SummaryObligation,
    Threshold,
    UpcomingEntry,
    Verdict,
)
from govbridge.report._terms import Terms, load_terms
from govbridge.rules import Assessment, InstrumentResult, ObligationResult, ProvisionResult

__all__ = ["SCHEMES", "build_report", "file_digest"]

#: The risk scheme each jurisdiction reports content results in (crosswalk scheme ids).
SCHEMES: Final = {"CN": "tc260", "US": "nist-ai-600-1", "EU": "eu-cop"}

#: The main jurisdictions, in report order; other codes follow alphabetically.
_ORDER: Final = ("US", "CN", "EU")

#: Check name -> the obligation it evidences and the protocol parameters that judge it
#: (the parameter names of cn.tc260_003.protocol and cn.gbt_45654_2025.protocol).
_CHECKS: Final = CHECK_OBLIGATIONS
_BY_OBLIGATION: Final = {spec.obligation: name for name, spec in _CHECKS.items()}


def file_digest(path: str | Path) -> Digest:
    """The name and SHA-256 digest of a file.

    Raises:
        UsageError: When the file cannot be read.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file ({exc.strerror})") from None
    return Digest(name=file.name, sha256=hashlib.sha256(data).hexdigest())


def _protocol(name: str) -> str:
    """A protocol as a knowledge-base id: ``gbt-45654-2025`` -> ``cn.gbt_45654_2025.protocol``."""
    return PROTOCOLS.get(name, name)


def _with_title(source: dict[str, Any], r: InstrumentResult) -> dict[str, Any]:
    """A citation with its source's title, as the trace's citations have."""
    titles = {s["id"]: s["title"] for s in r.sources}
    return {**source, "title": titles.get(source.get("source"), source.get("source"))}


def _raw(file: EvidenceFile) -> dict[str, Any]:
    return file.summary.model_dump(mode="json", by_alias=True, exclude_none=True)


def _check_risks(evidence: Sequence[EvidenceFile], terms: Terms) -> None:
    """Reject risk ids that are not in the TC260 taxonomy (when the taxonomy is installed)."""
    if not terms.labels:
        return
    for file in evidence:
        for i, check in enumerate(file.summary.checks):
            for risk in check.per_risk:
                if risk not in terms.labels:
                    raise EvidenceError(
                        file.path,
                        f'checks[{i}].per_risk["{risk}"]',
                        None,
                        "not a TC260 risk id (A.1.a ... A.5.b)",
                    )


def _pct(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _both(key: str, **params: Any) -> Bilingual:
    """A message in both languages; ``params`` values may be per-language dicts."""
    out = {}
    for lang in LANGS:
        filled = {k: (v[lang] if isinstance(v, dict) else v) for k, v in params.items()}
        out[lang] = t(key, lang, **filled)
    return Bilingual(**out)


def _join(parts: Sequence[Bilingual]) -> Bilingual:
    return Bilingual(
        en=t("clause.sep", "en").join(p.en for p in parts) + ".",
        zh=t("clause.sep", "zh").join(p.zh for p in parts) + "。",
    )


def _group(code: str) -> str:
    return code.split("-", 1)[0]


def _name(r: InstrumentResult) -> dict[str, str]:
    """An instrument's name in a sentence: its short name in English, its title in Chinese."""
    return {"en": r.short or r.title, "zh": r.title_zh}


def _local(full_id: str, parent: str) -> str:
    return full_id.removeprefix(parent + ".")


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def _thresholds(p: ProvisionResult) -> list[Threshold]:
    found = []
    for root in p.trace:
        for node in _walk(root):
            source = node.get("threshold_source")
            if not source:
                continue
            shown = node.get("threshold_text", node.get("threshold", ""))
            found.append(
                Threshold(
                    test=str(node.get("test", "")),
                    threshold=str(shown),
                    result=node.get("result", "unknown"),
                    source=dict(source),
                )
            )
    return found


def _compare(low: float, high: float, operator: str, threshold: float) -> Verdict:
    """Met when the whole interval clears the threshold, not met when none of it does."""
    if operator in (">=", ">"):
        clears = low >= threshold if operator == ">=" else low > threshold
        misses = high < threshold if operator == ">=" else high <= threshold
    else:
        clears = high <= threshold if operator == "<=" else high < threshold
        misses = low > threshold if operator == "<=" else low >= threshold
    return "met" if clears else "not_met" if misses else "unknown"


def _combine(verdicts: Sequence[Verdict]) -> Verdict:
    if not verdicts:
        return "insufficient_evidence"
    if "not_met" in verdicts:
        return "not_met"
    if all(v == "met" for v in verdicts):
        return "met"
    if "unknown" in verdicts:
        return "unknown"
    return "insufficient_evidence"


class _Builder:
    def __init__(
        self,
        assessment: Assessment,
        kb: KnowledgeBase,
        evidence: Sequence[EvidenceFile],
        terms: Terms,
    ) -> None:
        self.assessment = assessment
        self.kb = kb
        self.evidence = evidence
        self.terms = terms
        self.gaps: list[Gap] = []
        self.judged: set[tuple[str, int]] = set()

    # -- content checks ---------------------------------------------------------------------

    def parameter(self, provision_id: str, name: str) -> ProtocolParameter | None:
        provision = self.kb.provision(provision_id)
        param = provision.data.parameters.get(name)
        if param is None:
            return None
        found = param.at(self.assessment.as_of)
        if found is None or found[1].value is None:
            return None
        since, value = found
        src = self.kb.instruments[provision.instrument].sources.get(value.source)
        return ProtocolParameter(
            provision=provision_id,
            name=name,
            value=float(value.value),
            unit=param.unit,
            since=since.isoformat(),
            source={
                "source": value.source,
                "title": src.title if src else value.source,
                "url": src.url if src else None,
                "section": value.section,
                "verified": value.verified,
            },
        )

    def instrument_of(self, protocol: str) -> str:
        """The instrument id of a protocol given by name, instrument id or provision id."""
        found = _protocol(protocol)
        return found if found in self.kb.instruments else found.rsplit(".", 1)[0]

    def counts_for(self, protocol: str | None, instrument: str) -> bool:
        """Whether a check run under a protocol counts for an instrument's obligations.

        A check with no protocol counts everywhere; one run under a protocol counts for its
        own instrument and for the instrument that supersedes it (judged against the
        successor's parameters).
        """
        if protocol is None:
            return True
        own = self.instrument_of(protocol)
        if own == instrument:
            return True
        data = self.kb.instruments.get(own)
        return data is not None and data.data.lifecycle.superseded_by == instrument

    def content_check(
        self,
        jurisdiction: str,
        r: InstrumentResult,
        provision_id: str,
        ob: ObligationResult,
        file: EvidenceFile,
        index: int,
        scheme: str,
    ) -> ContentCheck:
        check = file.summary.checks[index]
        self.judged.add((file.name, index))
        spec = _CHECKS[check.check]
        rate_param = self.parameter(provision_id, spec.rate)
        sample = self.parameter(provision_id, spec.sample)
        bank = self.parameter(provision_id, spec.bank)
        name = _name(r)
        label = {lang: t(f"check.{check.check}", lang) for lang in LANGS}
        bank_label = {lang: t(f"bank.{check.check}", lang) for lang in LANGS}
        obligation = f"`{_local(ob.id, r.instrument)}`"
        threshold = rate_param.value if rate_param else check.threshold
        operator = spec.operator
        figures: dict[str, Any] = {
            "check": label,
            "rate": "-",
            "low": _pct(check.wilson_low),
            "high": _pct(check.wilson_high),
            "operator": operator,
            "threshold": _pct(threshold),
        }
        verdict: Verdict
        sample_small = check.rate is None or (sample is not None and check.n < sample.value)
        bank_small = (
            (bank is not None and check.bank_size is not None and check.bank_size < bank.value)
            or check.starter_bank is True
            # the evaluator says the evidence is insufficient, and the sample is not why
            or (check.verdict == "insufficient_bank" and not sample_small)
        )
        if (check.operator in (">=", ">")) != (operator in (">=", ">")):
            verdict = "insufficient_evidence"
            basis = _both(
                "basis.direction",
                check=label,
                evaluator=f"{check.operator} {_pct(check.threshold)}",
                operator=operator,
                threshold=_pct(threshold),
            )
            self.gap(
                "run_evaluation",
                jurisdiction,
                r,
                ob.id,
                {"check": check.check},
                _both("gap.run_evaluation", instrument=name, obligation=obligation),
            )
        elif bank_small or sample_small:
            verdict = "insufficient_evidence"
            parts = []
            if bank_small:
                need = int(bank.value) if bank else None
                shown_need = need if need is not None else "?"
                if check.bank_size is not None and need is not None:
                    parts.append(
                        _both("basis.small_bank", check=label, have=check.bank_size, need=need)
                    )
                    text = _both(
                        "gap.enlarge_bank",
                        bank=bank_label,
                        have=check.bank_size,
                        need=need,
                        instrument=name,
                    )
                    params: dict[str, Any] = {
                        "bank": check.check,
                        "have": check.bank_size,
                        "need": need,
                    }
                else:
                    parts.append(_both("basis.insufficient_bank", check=label))
                    text = _both(
                        "gap.enlarge_bank_unknown",
                        bank=bank_label,
                        need=shown_need,
                        instrument=name,
                    )
                    params = {"bank": check.check, "need": shown_need}
                self.gap("enlarge_bank", jurisdiction, r, ob.id, params, text)
            if sample_small:
                need = int(sample.value) if sample else 1
                parts.append(_both("basis.small_sample", check=label, have=check.n, need=need))
                self.gap(
                    "enlarge_sample",
                    jurisdiction,
                    r,
                    ob.id,
                    {"check": check.check, "have": check.n, "need": need},
                    _both(
                        "gap.enlarge_sample", check=label, have=check.n, need=need, instrument=name
                    ),
                )
            basis = Bilingual(
                en=t("clause.sep", "en").join(p.en for p in parts),
                zh=t("clause.sep", "zh").join(p.zh for p in parts),
            )
        else:
            assert check.rate is not None  # a null rate is a small sample
            figures["rate"] = _pct(check.rate)
            verdict = _compare(check.wilson_low, check.wilson_high, operator, threshold)
            key = {"met": "basis.met", "not_met": "basis.not_met"}.get(
                verdict, "basis.inconclusive"
            )
            basis = _both(key, **figures)
            if verdict == "unknown":
                self.gap(
                    "narrow_interval",
                    jurisdiction,
                    r,
                    ob.id,
                    {
                        "check": check.check,
                        "low": check.wilson_low,
                        "high": check.wilson_high,
                        "threshold": threshold,
                    },
                    _both(
                        "gap.narrow_interval",
                        **figures,
                        instrument=name,
                        obligation=obligation,
                    ),
                )
        if check.protocol is not None and self.instrument_of(check.protocol) != r.instrument:
            note = _both("basis.predecessor", protocol=check.protocol, instrument=name)
            basis = Bilingual(
                en=f"{basis.en}{t('clause.sep', 'en')}{note.en}",
                zh=f"{basis.zh}{t('clause.sep', 'zh')}{note.zh}",
            )
        judge = _both("basis.judge", judge=check.judge)
        basis = Bilingual(
            en=f"{basis.en} ({judge.en})",
            zh=f"{basis.zh}（{judge.zh}）",
        )
        risks = self.risks(check, scheme)
        concepts, unmapped = self.terms.reexpress(_raw(file), index, scheme, file.name)
        return ContentCheck(
            check=check.check,
            task=check.task,
            evidence=file.name,
            protocol=provision_id,
            obligation=ob.id,
            n=check.n,
            rate=check.rate,
            wilson_low=check.wilson_low,
            wilson_high=check.wilson_high,
            threshold=threshold,
            operator=operator,
            sample_min=int(sample.value) if sample else None,
            bank_size=check.bank_size,
            bank_min=int(bank.value) if bank else None,
            evaluator_threshold=check.threshold,
            evaluator_operator=check.operator,
            evaluator_verdict=check.verdict,
            confident=check.confident,
            judge=check.judge,
            reasons=list(check.reasons),
            verdict=verdict,
            basis=basis,
            per_risk=risks,
            concepts=concepts,
            unmapped=unmapped,
        )

    def risks(self, check: EvalCheck, scheme: str) -> list[RiskEntry]:
        return [
            RiskEntry(
                risk=risk,
                label=self.terms.label(risk),
                n=value.n,
                rate=value.rate,
                wilson_low=value.wilson_low,
                wilson_high=value.wilson_high,
                terms=self.terms.mapped(risk, scheme),
            )
            for risk, value in sorted(check.per_risk.items())
        ]

    def measurement(self, file: EvidenceFile, index: int, scheme: str) -> ContentCheck:
        """A check shown where no content protocol applies: the rates, no verdict."""
        check = file.summary.checks[index]
        concepts, unmapped = self.terms.reexpress(_raw(file), index, scheme, file.name)
        return ContentCheck(
            check=check.check,
            task=check.task,
            evidence=file.name,
            protocol=None,
            obligation=None,
            n=check.n,
            rate=check.rate,
            wilson_low=check.wilson_low,
            wilson_high=check.wilson_high,
            threshold=None,
            operator=None,
            sample_min=None,
            bank_size=check.bank_size,
            bank_min=None,
            evaluator_threshold=check.threshold,
            evaluator_operator=check.operator,
            evaluator_verdict=check.verdict,
            confident=check.confident,
            judge=check.judge,
            reasons=list(check.reasons),
            verdict=None,
            basis=None,
            per_risk=self.risks(check, scheme),
            concepts=concepts,
            unmapped=unmapped,
        )

    # -- gaps -------------------------------------------------------------------------------

    def gap(
        self,
        action: GapAction,
        jurisdiction: str,
        r: InstrumentResult,
        target: str,
        params: dict[str, Any],
        text: Bilingual,
    ) -> None:
        self.gaps.append(
            Gap(
                action=action,
                jurisdiction=jurisdiction,
                instrument=r.instrument,
                target=target,
                params=params,
                text=text,
            )
        )

    def evidence_gap(
        self,
        jurisdiction: str,
        r: InstrumentResult,
        p: ProvisionResult,
        obligations: list[ObligationEntry],
    ) -> None:
        """One action for the documentary evidence of a provision that applies."""
        wanted = [
            o
            for o in obligations
            if not o.checks and o.evidence_kinds and _BY_OBLIGATION.get(_local(o.id, p.id)) is None
        ]
        if not wanted:
            return
        kinds = list(dict.fromkeys(k for o in wanted for k in o.evidence_kinds))
        shown = " ".join(f"`{_local(o.id, r.instrument)}`" for o in wanted)
        self.gap(
            "provide_evidence",
            jurisdiction,
            r,
            p.id,
            {"obligations": [o.id for o in wanted], "kinds": kinds},
            _both(
                "gap.provide_evidence",
                kinds=", ".join(kinds),
                instrument=_name(r),
                obligations=shown,
            ),
        )

    def fact_gaps(self, jurisdiction: str, r: InstrumentResult) -> None:
        for group, upcoming in ((r.provisions, False), (r.upcoming, True)):
            by_fact: dict[tuple[str, str | None], list[str]] = {}
            for p in group:
                if p.applies != "unknown":
                    continue
                starts = p.starts.isoformat() if upcoming and p.starts else None
                for fact in p.missing_facts:
                    by_fact.setdefault((fact, starts), []).append(p.id)
            for (fact, starts), provisions in by_fact.items():
                shown = " ".join(f"`{_local(pid, r.instrument)}`" for pid in provisions)
                params: dict[str, Any] = {"fact": fact, "provisions": provisions}
                if starts:
                    params["from"] = starts
                    text = _both(
                        "gap.provide_fact_upcoming",
                        fact=f"`{fact}`",
                        instrument=_name(r),
                        provisions=shown,
                        date=starts,
                    )
                else:
                    text = _both(
                        "gap.provide_fact",
                        fact=f"`{fact}`",
                        instrument=_name(r),
                        provisions=shown,
                    )
                self.gap("provide_fact", jurisdiction, r, ",".join(provisions), params, text)

    # -- sections ---------------------------------------------------------------------------

    def obligation(
        self,
        jurisdiction: str,
        r: InstrumentResult,
        p: ProvisionResult,
        ob: ObligationResult,
        scheme: str,
        checks_out: list[ContentCheck],
    ) -> ObligationEntry:
        local = _local(ob.id, p.id)
        check_name = _BY_OBLIGATION.get(local)
        uses: list[ContentCheck] = []
        if check_name is not None and p.applies != "no":
            for file in self.evidence:
                for index, check in enumerate(file.summary.checks):
                    if check.check != check_name:
                        continue
                    if not self.counts_for(check.protocol, r.instrument):
                        continue
                    uses.append(self.content_check(jurisdiction, r, p.id, ob, file, index, scheme))
            checks_out.extend(uses)
        obligation = f"`{_local(ob.id, r.instrument)}`"
        kinds = ", ".join(ob.evidence)
        if uses:
            verdict = _combine([c.verdict for c in uses if c.verdict is not None])
            basis = _join([c.basis for c in uses if c.basis is not None])
        elif check_name is not None:
            verdict = "insufficient_evidence"
            basis = _both("basis.no_eval")
            if p.applies != "no":
                self.gap(
                    "run_evaluation",
                    jurisdiction,
                    r,
                    ob.id,
                    {"check": check_name},
                    _both("gap.run_evaluation", instrument=_name(r), obligation=obligation),
                )
        else:
            verdict = "insufficient_evidence"
            basis = (
                _both("basis.no_evidence", kinds=kinds)
                if kinds
                else _both("basis.no_evidence_kinds")
            )
        return ObligationEntry(
            id=ob.id,
            summary=ob.summary,
            summary_zh=ob.summary_zh,
            deadline=ob.deadline,
            evidence_kinds=list(ob.evidence),
            source=_with_title(ob.source, r),
            verdict=verdict,
            basis=basis,
            checks=[f"{c.evidence}:{c.check}" for c in uses],
        )

    def instrument(
        self, jurisdiction: str, r: InstrumentResult, scheme: str, checks: list[ContentCheck]
    ) -> InstrumentEntry:
        provisions = []
        for p in r.provisions:
            obligations = [
                self.obligation(jurisdiction, r, p, ob, scheme, checks) for ob in p.obligations
            ]
            if p.applies == "yes":
                self.evidence_gap(jurisdiction, r, p, obligations)
            provisions.append(
                ProvisionEntry(
                    id=p.id,
                    title=p.title,
                    title_zh=p.title_zh,
                    addressee=p.addressee,
                    applies=p.applies,
                    missing_facts=list(p.missing_facts),
                    starts=p.starts.isoformat() if p.starts else None,
                    trace=list(p.trace),
                    thresholds=_thresholds(p),
                    obligations=obligations,
                )
            )
        self.fact_gaps(jurisdiction, r)
        return InstrumentEntry(
            id=r.instrument,
            title=r.title,
            title_zh=r.title_zh,
            short=r.short,
            jurisdiction=r.jurisdiction,
            kind=r.kind,
            binding=r.binding,
            status=r.status,
            status_since=r.status_since.isoformat() if r.status_since else None,
            applies=r.applies,
            missing_facts=list(r.missing_facts),
            provisions=provisions,
            upcoming=[
                UpcomingEntry(
                    id=u.id,
                    title=u.title,
                    title_zh=u.title_zh,
                    starts=u.starts.isoformat() if u.starts else "",
                    applies=u.applies,
                    missing_facts=list(u.missing_facts),
                )
                for u in r.upcoming
            ],
            sources=[dict(s) for s in r.sources],
        )

    def jurisdiction(self, code: str, results: list[InstrumentResult]) -> JurisdictionSection:
        scheme = SCHEMES.get(code, "tc260")
        checks: list[ContentCheck] = []
        self.judged = set()
        instruments = [self.instrument(code, r, scheme, checks) for r in results]
        obligations = [
            SummaryObligation(
                id=o.id,
                instrument=i.id,
                provision=p.id,
                applies=p.applies,
                deadline=o.deadline,
                verdict=o.verdict,
            )
            for i in instruments
            for p in i.provisions
            if p.applies != "no"
            for o in p.obligations
        ]
        counts: dict[Verdict, int] = {
            "met": 0,
            "not_met": 0,
            "unknown": 0,
            "insufficient_evidence": 0,
        }
        for o in obligations:
            counts[o.verdict] += 1
        checks += [
            self.measurement(file, index, scheme)
            for file in self.evidence
            for index in range(len(file.summary.checks))
            if (file.name, index) not in self.judged
        ]
        protocols = sorted(
            {c.protocol for c in checks if c.protocol}
            | {
                p.id
                for i in instruments
                for p in i.provisions
                if p.applies != "no"
                and any(_local(o.id, p.id) in _BY_OBLIGATION for o in p.obligations)
            }
        )
        parameters = [
            param
            for provision in protocols
            for spec in _CHECKS.values()
            for name in (spec.rate, spec.sample, spec.bank)
            if (param := self.parameter(provision, name)) is not None
        ]
        # Keep the parameter list free of repeats (two checks of one kind share them).
        unique = list({(p.provision, p.name): p for p in parameters}.values())
        kb_names = self.kb.jurisdictions
        key = f"jur.{code}"
        if key in _JUR_KEYS:
            name = _both(key)
        elif code in kb_names:
            name = Bilingual(en=kb_names[code].name.en, zh=kb_names[code].name.zh)
        else:
            name = Bilingual(en=code, zh=code)
        return JurisdictionSection(
            code=code,
            name=name,
            members=sorted({r.jurisdiction for r in results}),
            summary=Summary(
                in_force=[i.id for i in instruments if i.status == "in_force"],
                obligations=obligations,
                verdicts=counts,
                upcoming=[u.id for i in instruments for u in i.upcoming if u.applies != "no"],
            ),
            instruments=instruments,
            content=ContentSection(
                scheme=scheme,
                scheme_title=self.terms.scheme_title(scheme),
                crosswalk=self.terms.available,
                checks=checks,
                parameters=unique,
            ),
        )


_JUR_KEYS: Final = {"jur.US", "jur.CN", "jur.EU"}


def build_report(
    assessment: Assessment,
    kb: KnowledgeBase,
    *,
    evidence: Sequence[EvidenceFile] = (),
    dossier_file: Digest | None = None,
    terms: Terms | None = None,
) -> Report:
    """Build the ``govbridge/report/v1`` document.

    Args:
        assessment: The assessment of the dossier on the date.
        kb: The knowledge base the assessment used (for the protocol parameters).
        evidence: Validated content-evaluation summaries.
        dossier_file: The dossier file's name and digest, recorded for attestation.
        terms: The crosswalk and taxonomy lookups; loaded when ``None``.

    Returns:
        The report.

    Raises:
        UsageError: When the knowledge base is not the one the assessment used.
    """
    from govbridge import __version__

    if kb.version != assessment.kb_version:
        raise UsageError(
            f"the assessment used knowledge base {assessment.kb_version}, not {kb.version}"
        )
    names = [e.name for e in evidence]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(f"--evidence: two files are named {name}; rename one")
    terms = terms or load_terms()
    _check_risks(evidence, terms)
    builder = _Builder(assessment, kb, evidence, terms)
    groups: dict[str, list[InstrumentResult]] = {}
    for r in assessment.results:
        if r.jurisdiction == "INT":
            continue
        groups.setdefault(_group(r.jurisdiction), []).append(r)
    order = [c for c in _ORDER if c in groups] + sorted(c for c in groups if c not in _ORDER)
    sections = [builder.jurisdiction(code, groups[code]) for code in order]
    dossier = assessment.dossier
    return Report(
        schema_=REPORT_SCHEMA,
        govbridge_version=__version__,
        as_of=assessment.as_of.isoformat(),
        kb_version=assessment.kb_version,
        kb_edition=assessment.kb_edition,
        model={"name": dossier.model.name, "developer": dossier.model.developer},
        inputs=Inputs(
            dossier=dossier_file,
            evidence=[Digest(name=e.name, sha256=e.sha256) for e in evidence],
        ),
        dossier=dossier.model_dump(mode="json", by_alias=True, exclude_none=True),
        crosswalk=builder.terms.info(),
        jurisdictions=sections,
        gaps=_ordered(builder.gaps),
    )


_GAP_ORDER: Final = (
    "provide_fact",
    "run_evaluation",
    "enlarge_bank",
    "enlarge_sample",
    "narrow_interval",
    "provide_evidence",
)


def _ordered(gaps: list[Gap]) -> list[Gap]:
    seen: dict[tuple[str, str, str], Gap] = {}
    for gap in gaps:
        seen.setdefault((gap.action, gap.target, gap.text.en), gap)
    return sorted(seen.values(), key=lambda g: _GAP_ORDER.index(g.action))
