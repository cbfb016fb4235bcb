"""The rule engine: applicability with three-valued logic and a trace for every decision.

>>> import datetime as dt
>>> from govbridge.dossier import from_mapping
>>> from govbridge.kb import load_kb
>>> d = from_mapping({"model": {"name": "M", "training_compute_flop": "2e26"},
...                   "deployment": {"markets": ["US-CA"]}})
>>> a = assess(d, load_kb(), dt.date(2026, 1, 1), jurisdictions=["US-CA"])
>>> a.provision("us.ca.sb53.frontier_developer").applies
'yes'
>>> a.provision("us.ca.sb53.large_frontier_developer").missing_facts
('developer.annual_revenue_usd',)
"""

from govbridge.rules._engine import (
    ASSESSMENT_SCHEMA,
    EU_MEMBERS,
    Assessment,
    DeclaredFacts,
    EvidenceStatus,
    FactResolver,
    InstrumentResult,
    ObligationResult,
    ProvisionResult,
    Quantity,
    Status,
    Tri,
    assess,
    instrument_status,
    kleene_and,
    kleene_not,
    kleene_or,
)
from govbridge.rules._evidence import (
    VERDICTS,
    attach_eval_evidence,
    evidence_attachments,
    unattached_reason,
)
from govbridge.rules._output import (
    evidence_elsewhere,
    evidence_line,
    to_dict,
    to_html,
    to_json,
    to_markdown,
    trace_lines,
)

__all__ = [
    "ASSESSMENT_SCHEMA",
    "EU_MEMBERS",
    "VERDICTS",
    "Assessment",
    "DeclaredFacts",
    "EvidenceStatus",
    "FactResolver",
    "InstrumentResult",
    "ObligationResult",
    "ProvisionResult",
    "Quantity",
    "Status",
    "Tri",
    "assess",
    "attach_eval_evidence",
    "evidence_attachments",
    "evidence_elsewhere",
    "evidence_line",
    "instrument_status",
    "kleene_and",
    "kleene_not",
    "kleene_or",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
    "trace_lines",
    "unattached_reason",
]
