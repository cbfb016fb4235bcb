"""The TC260-003 / GB/T 45654-2025 assessment protocol, read from the knowledge base as of a date.

Every number (bank floors, sample sizes, thresholds) is a dated parameter of the provisions
``cn.tc260_003.protocol`` and ``cn.gbt_45654_2025.protocol``; this module only names them.

>>> import datetime as dt
>>> p = load_protocol("tc260-003", dt.date(2025, 1, 1))
>>> p.generated_bank_min, p.refuse_rate_min, p.non_refuse_refusal_rate_max
(2000, 0.95, 0.05)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govbridge.errors import UsageError

if TYPE_CHECKING:
    from govbridge.kb import KnowledgeBase

__all__ = ["CHECK_OBLIGATIONS", "PROTOCOLS", "CheckObligation", "Protocol", "load_protocol"]

#: Protocol names accepted on the command line, and the provision that holds each one's numbers.
PROTOCOLS: dict[str, str] = {
    "tc260-003": "cn.tc260_003.protocol",
    "gbt-45654-2025": "cn.gbt_45654_2025.protocol",
}


@dataclass(frozen=True)
class CheckObligation:
    """How a content-evaluation check evidences an obligation of a protocol provision.

    Attributes:
        obligation: The obligation's id under the provision, such as ``should_refuse_test``.
        rate: The parameter that holds the rate's threshold.
        operator: How the rate must compare with it: ``>=`` or ``<=``.
        sample: The parameter that holds the minimum sample.
        bank: The parameter that holds the minimum bank size.
    """

    obligation: str
    rate: str
    operator: str
    sample: str
    bank: str


#: Check name -> the obligation it evidences and the parameters that judge it (the same names in
#: ``cn.tc260_003.protocol`` and ``cn.gbt_45654_2025.protocol``). ``cbrn_refusal`` is not a
#: check of the standard and evidences no obligation.
CHECK_OBLIGATIONS: dict[str, CheckObligation] = {
    "generated_content": CheckObligation(
        "generated_content_test",
        "generated_pass_rate_min",
        ">=",
        "generated_sample_min",
        "generated_bank_min",
    ),
    "should_refuse": CheckObligation(
        "should_refuse_test", "refuse_rate_min", ">=", "refuse_sample_min", "refuse_bank_min"
    ),
    "should_not_refuse": CheckObligation(
        "should_not_refuse_test",
        "non_refuse_refusal_rate_max",
        "<=",
        "non_refuse_sample_min",
        "non_refuse_bank_min",
    ),
}

_COUNTS = (
    "keyword_library_min",
    "keyword_per_a1_risk_min",
    "keyword_per_a2_risk_min",
    "generated_bank_min",
    "generated_bank_per_a1_a2_risk_min",
    "generated_bank_per_other_risk_min",
    "refuse_bank_min",
    "refuse_bank_per_risk_min",
    "non_refuse_bank_min",
    "non_refuse_bank_per_aspect_min",
    "generated_sample_min",
    "refuse_sample_min",
    "non_refuse_sample_min",
)
_RATIOS = ("generated_pass_rate_min", "refuse_rate_min", "non_refuse_refusal_rate_max")


@dataclass(frozen=True)
class Protocol:
    """The protocol's parameters in force on one date.

    ``*_min`` means at least (>=) and ``*_max`` at most (<=), as the knowledge base documents.
    """

    name: str
    provision: str
    as_of: dt.date
    keyword_library_min: int
    keyword_per_a1_risk_min: int
    keyword_per_a2_risk_min: int
    generated_bank_min: int
    generated_bank_per_a1_a2_risk_min: int
    generated_bank_per_other_risk_min: int
    refuse_bank_min: int
    refuse_bank_per_risk_min: int
    non_refuse_bank_min: int
    non_refuse_bank_per_aspect_min: int
    generated_sample_min: int
    refuse_sample_min: int
    non_refuse_sample_min: int
    generated_pass_rate_min: float
    refuse_rate_min: float
    non_refuse_refusal_rate_max: float

    def to_dict(self) -> dict[str, object]:
        """The parameters as a JSON-ready mapping."""
        out: dict[str, object] = {"name": self.name, "provision": self.provision}
        out["as_of"] = self.as_of.isoformat()
        for name in (*_COUNTS, *_RATIOS):
            out[name] = getattr(self, name)
        return out


def load_protocol(
    name: str, as_of: dt.date | None = None, kb: KnowledgeBase | None = None
) -> Protocol:
    """The protocol's parameters on a date (default: today, UTC).

    Args:
        name: ``tc260-003`` or ``gbt-45654-2025``.
        as_of: The date.
        kb: A loaded knowledge base (default: the bundled one).

    Raises:
        UsageError: For an unknown protocol name, or a date before the protocol's parameters
            take effect (or after they are repealed).
    """
    from govbridge.kb import load_kb, today

    provision_id = PROTOCOLS.get(name)
    if provision_id is None:
        raise UsageError(
            f"unknown protocol {name!r}: expected one of {', '.join(sorted(PROTOCOLS))}"
        )
    when = as_of or today()
    provision = (kb or load_kb()).provision(provision_id)
    values: dict[str, float] = {}
    for pname in (*_COUNTS, *_RATIOS):
        param = provision.data.parameters.get(pname)
        found = param.at(when) if param is not None else None
        if found is None or found[1].value is None:
            raise UsageError(
                f"protocol {name}: parameter {pname} of {provision_id} is not in force on "
                f"{when} (try --as-of with a later date)"
            )
        values[pname] = float(found[1].value)
    fields: dict[str, Any] = {k: int(round(values[k])) for k in _COUNTS}
    fields.update({k: values[k] for k in _RATIOS})
    return Protocol(name=name, provision=provision_id, as_of=when, **fields)
