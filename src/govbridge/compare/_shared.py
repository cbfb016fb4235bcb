"""Shared ground: the risks that two regimes' taxonomies both name, from the crosswalk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govbridge.crosswalk import Crosswalk, Mapping

__all__ = ["SCHEMES", "RiskLink", "SharedGround", "shared_ground", "schemes_for"]

#: The crosswalk schemes that state each jurisdiction's own risk taxonomy. A jurisdiction not
#: listed uses its parent's (``US-NY`` uses ``US``).
SCHEMES: dict[str, tuple[str, ...]] = {
    "US": ("sb53", "eo14110", "nist-ai-600-1"),
    "US-CA": ("sb53",),
    "CN": ("tc260",),
    "EU": ("eu-cop",),
}
_SHARED = ("exactMatch", "closeMatch")
_CONTAINED = ("broadMatch", "narrowMatch")


@dataclass(frozen=True)
class RiskLink:
    """A mapping between a risk of side A and a risk of side B, read from A to B.

    Attributes:
        a: Side A's concept id, such as ``nist-ai-600-1:4``.
        a_name: Its English name.
        relation: The SKOS relation from A to B (``broadMatch``: B is broader).
        b: Side B's concept id, such as ``tc260:A.4.e``.
        b_name: Its English name.
        b_zh: Its Chinese name, if any.
        rationale: Why, in one line.
        stated_by: ``govbridge analysis`` or the published source that states the mapping.
    """

    a: str
    a_name: str
    relation: str
    b: str
    b_name: str
    b_zh: str | None
    rationale: str
    stated_by: str


@dataclass(frozen=True)
class SharedGround:
    """The risks both sides' taxonomies name, from the crosswalk.

    Attributes:
        a_schemes: Side A's schemes published on or before the date.
        b_schemes: Side B's schemes published on or before the date.
        shared: exactMatch and closeMatch links: the same risk, or near enough.
        contained: broadMatch and narrowMatch links: one side's risk is a part of the other's.
        a_only: Side A's risks with no shared or contained link to side B: ``(id, name)``.
        b_only: Side B's (leaf) risks with no shared or contained link to side A.
        crosswalk_version: The version hash of the crosswalk data.
    """

    a_schemes: tuple[str, ...]
    b_schemes: tuple[str, ...]
    shared: tuple[RiskLink, ...]
    contained: tuple[RiskLink, ...]
    a_only: tuple[tuple[str, str], ...]
    b_only: tuple[tuple[str, str], ...]
    crosswalk_version: str


def schemes_for(code: str) -> tuple[str, ...]:
    """The crosswalk schemes of a jurisdiction (its own, else its parent's), possibly none."""
    if code in SCHEMES:
        return SCHEMES[code]
    return SCHEMES.get(code.split("-")[0], ())


def _published(cw: Crosswalk, scheme: str, as_of: dt.date) -> bool:
    published = cw.schemes[scheme].published
    return published is None or published <= as_of


def _link(cw: Crosswalk, m: Mapping) -> RiskLink:
    a, b = cw.concept(m.subject), cw.concept(m.object)
    return RiskLink(
        a=a.id,
        a_name=a.en,
        relation=m.relation,
        b=b.id,
        b_name=b.en,
        b_zh=b.zh,
        rationale=m.rationale,
        stated_by=m.stated_by,
    )


def shared_ground(
    a: str, b: str, as_of: dt.date, cw: Crosswalk | None = None
) -> SharedGround | None:
    """The risks two jurisdictions' taxonomies share, as the crosswalk maps them.

    Only schemes published on or before ``as_of`` take part (a taxonomy that does not exist
    yet shares nothing).

    Args:
        a: Side A's jurisdiction code.
        b: Side B's jurisdiction code.
        as_of: The date.
        cw: The crosswalk; the bundled one by default.

    Returns:
        The shared ground, or ``None`` when a side has no scheme in the crosswalk on the date.
    """
    from govbridge.crosswalk import load_crosswalk

    cw = cw or load_crosswalk()
    a_schemes = tuple(s for s in schemes_for(a) if s in cw.schemes and _published(cw, s, as_of))
    b_schemes = tuple(s for s in schemes_for(b) if s in cw.schemes and _published(cw, s, as_of))
    if not a_schemes or not b_schemes:
        return None
    shared: list[RiskLink] = []
    contained: list[RiskLink] = []
    linked_a: set[str] = set()
    linked_b: set[str] = set()
    for scheme in a_schemes:
        for concept in cw.concepts_of(scheme):
            for target in b_schemes:
                for m in cw.map_concept(concept.id, target):
                    if m.relation in _SHARED:
                        shared.append(_link(cw, m))
                    elif m.relation in _CONTAINED:
                        contained.append(_link(cw, m))
                    else:
                        continue
                    linked_a.add(m.subject)
                    linked_b.add(m.object)
    a_only = tuple(
        (c.id, c.en)
        for s in a_schemes
        for c in cw.concepts_of(s)
        if c.is_leaf and c.id not in linked_a
    )
    b_only = tuple(
        (c.id, c.en)
        for s in b_schemes
        for c in cw.concepts_of(s)
        if c.is_leaf and c.id not in linked_b
    )
    return SharedGround(
        a_schemes=a_schemes,
        b_schemes=b_schemes,
        shared=tuple(shared),
        contained=tuple(contained),
        a_only=a_only,
        b_only=b_only,
        crosswalk_version=cw.version,
    )
