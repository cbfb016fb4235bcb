"""The divergence map between two jurisdictions, derived from the knowledge base on a date.

It follows the three axes of the RAND perspective "Bridging the AI Governance Gap"
(PE-A3703-1): the focus of regulation, key principles, and international governance.

>>> import datetime as dt
>>> from govbridge.kb import load_kb
>>> c = compare(load_kb(), "US", "CN", dt.date(2025, 6, 1))
>>> c.principle("safety_vs_security").verdict
'divergent'
>>> [e.role for e in c.instrument("int.bletchley_2023").b]
['signed']
>>> [(x.a, x.b) for x in c.shared_ground.shared][:1]
[('nist-ai-600-1:2', 'tc260:A.5.a')]
"""

from govbridge.compare._compare import (
    COMPARE_SCHEMA,
    FOCUS_TAGS,
    Comparison,
    Engagement,
    FocusSide,
    ForumRow,
    InstrumentEntry,
    ParticipationRow,
    PrincipleRow,
    RoleEntry,
    SidePosition,
    Threshold,
    Verdict,
    compare,
    compute_thresholds,
    engagement,
    known_jurisdictions,
)
from govbridge.compare._output import shared_ground_note, to_dict, to_html, to_json, to_markdown
from govbridge.compare._principles import (
    NO_RECORD,
    Position,
    PositionSource,
    Principle,
    PrincipleSet,
    default_principles_file,
    load_principles,
)
from govbridge.compare._shared import SCHEMES, RiskLink, SharedGround, schemes_for, shared_ground

__all__ = [
    "COMPARE_SCHEMA",
    "FOCUS_TAGS",
    "NO_RECORD",
    "Comparison",
    "Engagement",
    "FocusSide",
    "ForumRow",
    "InstrumentEntry",
    "ParticipationRow",
    "Position",
    "PositionSource",
    "Principle",
    "PrincipleRow",
    "PrincipleSet",
    "RiskLink",
    "RoleEntry",
    "SCHEMES",
    "SharedGround",
    "SidePosition",
    "Threshold",
    "Verdict",
    "compare",
    "compute_thresholds",
    "default_principles_file",
    "engagement",
    "known_jurisdictions",
    "load_principles",
    "schemes_for",
    "shared_ground",
    "shared_ground_note",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
]
