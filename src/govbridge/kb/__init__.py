"""Regulation as code: the knowledge base of instruments, provisions and dated parameters.

>>> from govbridge.kb import load_kb
>>> kb = load_kb()
>>> kb.instrument("us.ca.sb53").data.lifecycle.effective.date
datetime.date(2026, 1, 1)
"""

from govbridge.kb._conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    ContainsAny,
    FactFraction,
    IsValue,
    Known,
    Literal_,
    Market,
    Not,
    OneOf,
    ParamRef,
    Ref,
)
from govbridge.kb._load import (
    Instrument,
    KnowledgeBase,
    Provision,
    default_data_dir,
    load_kb,
    today,
)
from govbridge.kb._schema import (
    Cite,
    DatedEvent,
    Deadline,
    InstrumentFile,
    Lifecycle,
    Obligation,
    Parameter,
    Participant,
    ProvisionFile,
    Source,
    Text,
    Title,
)

__all__ = [
    "All",
    "AnyOf",
    "Cite",
    "Compare",
    "Condition",
    "ContainsAny",
    "DatedEvent",
    "Deadline",
    "FactFraction",
    "Instrument",
    "InstrumentFile",
    "IsValue",
    "Known",
    "KnowledgeBase",
    "Lifecycle",
    "Literal_",
    "Market",
    "Not",
    "Obligation",
    "OneOf",
    "ParamRef",
    "Parameter",
    "Participant",
    "Provision",
    "ProvisionFile",
    "Ref",
    "Source",
    "Text",
    "Title",
    "default_data_dir",
    "load_kb",
    "today",
]
