"""The divergence map between two jurisdictions, derived from the knowledge base on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from govbridge.compare._principles import NO_RECORD, Position, PrincipleSet, load_principles
from govbridge.compare._shared import SharedGround, shared_ground
from govbridge.errors import UsageError
from govbridge.kb import (
    All,
    AnyOf,
    Compare,
    Condition,
    FactFraction,
    Instrument,
    KnowledgeBase,
    Literal_,
    Not,
    ParamRef,
    Provision,
)
from govbridge.rules import Status, instrument_status
from govbridge.units import format_quantity

if TYPE_CHECKING:
    from govbridge.crosswalk import Crosswalk

__all__ = [
    "COMPARE_SCHEMA",
    "FOCUS_TAGS",
    "Comparison",
    "Engagement",
    "FocusSide",
    "ForumRow",
    "InstrumentEntry",
    "ParticipationRow",
    "PrincipleRow",
    "RoleEntry",
    "SidePosition",
    "Threshold",
    "Verdict",
    "compare",
    "compute_thresholds",
    "engagement",
    "known_jurisdictions",
]

COMPARE_SCHEMA = "govbridge/compare/v1"
INTERNATIONAL = "INT"

#: The focus tags of the knowledge base, in the order the comparison shows them.
FOCUS_TAGS: tuple[str, ...] = ("model", "system", "content", "data", "hardware", "deployment")

Verdict = Literal["aligned", "divergent", "not_comparable"]
Engagement = Literal["lead", "joined", "stayed_out", "none"]

_LEAD = frozenset({"sponsored", "proposed", "hosted"})
_JOINED = frozenset(
    {"signed", "co_sponsored", "joined_consensus", "supported", "joined", "member", "participated"}
)
_OUT = frozenset({"not_signed", "attended_not_signed", "declined", "not_member", "not_party"})
_RANK: dict[Engagement, int] = {"none": 0, "stayed_out": 1, "joined": 2, "lead": 3}


@dataclass(frozen=True)
class Threshold:
    """A comparison of a FLOP quantity in an instrument's conditions.

    Attributes:
        provision: The provision id (the instrument id for its scope).
        test: The test as text, such as ``model.training_compute_flop > 1e26 FLOP``.
        value: The threshold on the date in FLOP; ``None`` when it is a fraction of another
            fact or has been repealed.
        starts: The date the threshold starts to apply when that is after the as-of date.
        repealed: Whether the parameter was repealed (``null``) on or before the date.
    """

    provision: str
    test: str
    value: float | None
    starts: dt.date | None
    repealed: bool = False


@dataclass(frozen=True)
class InstrumentEntry:
    """A domestic instrument of one side, with its status on the date."""

    id: str
    short: str
    title: str
    title_zh: str
    jurisdiction: str
    kind: str
    focus: tuple[str, ...]
    binding: bool
    status: Status
    status_since: dt.date | None
    thresholds: tuple[Threshold, ...]

    @property
    def uses_compute_threshold(self) -> bool:
        """Whether a FLOP threshold of the instrument is in effect or upcoming on the date."""
        return any(not t.repealed for t in self.thresholds)


@dataclass(frozen=True)
class FocusSide:
    """Axis 1 for one side: the binding instruments in force, by focus tag.

    Attributes:
        jurisdiction: The code compared (``US`` covers ``US-CA``).
        in_force: The binding instruments in force on the date.
        by_focus: Focus tag to the ids of the binding instruments in force with that tag.
        compute_threshold: The ids of the binding instruments in force that use a FLOP
            threshold.
        non_binding_in_force: Instruments in force that bind no one (voluntary standards).
        not_in_force: The other instruments and their status (revoked, upcoming, ...).
    """

    jurisdiction: str
    in_force: tuple[InstrumentEntry, ...]
    by_focus: dict[str, tuple[str, ...]]
    compute_threshold: tuple[str, ...]
    non_binding_in_force: tuple[InstrumentEntry, ...]
    not_in_force: tuple[InstrumentEntry, ...]

    def instrument(self, instrument_id: str) -> InstrumentEntry | None:
        """An instrument of this side by id, whatever its status."""
        for entry in (*self.in_force, *self.non_binding_in_force, *self.not_in_force):
            if entry.id == instrument_id:
                return entry
        return None


@dataclass(frozen=True)
class SidePosition:
    """One side's position on a principle on the date.

    Attributes:
        jurisdiction: The side's code.
        stance: The stance code, or ``no_record``.
        stance_text: What the stance code means.
        since: The date the position holds from.
        position: The position in English.
        position_zh: The position in Chinese, when recorded.
        sources: ``{title, url, section}`` for each source.
        verified: Whether every fact of the position was read in a primary text.
        note: Why a position is unverified, or what is missing.
        from_jurisdiction: The code whose position is used, when it is the parent's (``US`` for
            ``US-CA``).
    """

    jurisdiction: str
    stance: str
    stance_text: str
    since: dt.date | None
    position: str | None
    position_zh: str | None
    sources: tuple[dict[str, str], ...]
    verified: bool
    note: str | None
    from_jurisdiction: str


@dataclass(frozen=True)
class PrincipleRow:
    """Axis 2: one principle, both sides' positions and the computed verdict.

    Attributes:
        id: The principle id, such as ``open_weight_models``.
        title: The principle's name.
        title_zh: Its Chinese name.
        question: What the principle asks.
        a: Side A's position.
        b: Side B's position.
        verdict: ``aligned`` when both stance codes are equal, ``divergent`` when they differ,
            ``not_comparable`` when a side has no recorded position.
        evidence_kind: What ``evidence_a`` and ``evidence_b`` list (``compute_threshold`` or
            ``export_control``), if anything.
        evidence_a: Ids of side A's binding instruments in force that bear on the principle.
        evidence_b: The same for side B.
    """

    id: str
    title: str
    title_zh: str | None
    question: str
    a: SidePosition
    b: SidePosition
    verdict: Verdict
    evidence_kind: str | None
    evidence_a: tuple[str, ...]
    evidence_b: tuple[str, ...]


@dataclass(frozen=True)
class RoleEntry:
    """A party's recorded role in an international instrument, with its source."""

    role: str
    date: dt.date | None
    verified: bool
    source: str
    url: str | None
    section: str
    note: str | None


@dataclass(frozen=True)
class ParticipationRow:
    """Axis 3: one international instrument and each side's roles in it.

    An empty tuple of roles means no role is recorded in the knowledge base.
    """

    id: str
    short: str
    title: str
    kind: str
    forum: str
    date: dt.date | None
    status: Status
    a: tuple[RoleEntry, ...]
    b: tuple[RoleEntry, ...]
    parties: int


@dataclass(frozen=True)
class ForumRow:
    """Axis 3: each side's engagement in one forum, from its roles in the forum's instruments.

    Attributes:
        forum: The forum, as the instruments name it.
        a: Side A's engagement: ``lead`` (sponsored, proposed or hosted), ``joined`` (signed,
            co-sponsored, joined consensus, member, ...), ``stayed_out`` (not signed, not a
            member, not a party, declined) or ``none`` (no role recorded).
        b: Side B's engagement.
        a_lead: Ids of the instruments side A led in this forum.
        b_lead: The same for side B.
        instruments: The ids of the forum's instruments in the matrix.
    """

    forum: str
    a: Engagement
    b: Engagement
    a_lead: tuple[str, ...]
    b_lead: tuple[str, ...]
    instruments: tuple[str, ...]

    @property
    def engaged(self) -> str:
        """Which sides take part (lead or joined): ``both``, ``a``, ``b`` or ``neither``."""
        a = _RANK[self.a] >= _RANK["joined"]
        b = _RANK[self.b] >= _RANK["joined"]
        return "both" if a and b else "a" if a else "b" if b else "neither"


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`: the three axes for two jurisdictions on a date.

    ``shared_ground`` is ``None`` when a side has no risk taxonomy in the crosswalk on the date.
    """

    a: str
    b: str
    as_of: dt.date
    kb_version: str
    kb_edition: str
    focus: tuple[FocusSide, FocusSide]
    principles: tuple[PrincipleRow, ...]
    participation: tuple[ParticipationRow, ...]
    forums: tuple[ForumRow, ...]
    shared_ground: SharedGround | None

    def principle(self, principle_id: str) -> PrincipleRow:
        """One principle's row.

        Raises:
            UsageError: When the principle is not in the comparison.
        """
        for row in self.principles:
            if row.id == principle_id:
                return row
        raise UsageError(f"no principle {principle_id!r} in this comparison")

    def instrument(self, instrument_id: str) -> ParticipationRow:
        """One international instrument's row of the participation matrix.

        Raises:
            UsageError: When the instrument is not in the matrix on this date.
        """
        for row in self.participation:
            if row.id == instrument_id:
                return row
        raise UsageError(f"{instrument_id!r} is not in the participation matrix on {self.as_of}")

    def forum(self, name: str) -> ForumRow:
        """One forum's row.

        Raises:
            UsageError: When no instrument of the matrix names that forum.
        """
        for row in self.forums:
            if row.forum == name:
                return row
        raise UsageError(f"no forum {name!r} in this comparison")


def _covers(code: str, jurisdiction: str) -> bool:
    return jurisdiction == code or jurisdiction.startswith(f"{code}-")


def known_jurisdictions(kb: KnowledgeBase) -> list[str]:
    """The codes ``compare`` accepts: every domestic jurisdiction and its parent (``US``)."""
    codes: set[str] = set()
    for inst in kb.instruments.values():
        code = inst.data.jurisdiction
        if code != INTERNATIONAL:
            codes.add(code)
            codes.add(code.split("-")[0])
    return sorted(codes)


def _walk(condition: Condition) -> Iterator[Compare]:
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, All | AnyOf):
        for item in condition.items:
            yield from _walk(item)
    elif isinstance(condition, Not):
        yield from _walk(condition.item)


def _threshold(cond: Compare, provision: Provision | None, owner: str, as_of: dt.date) -> Threshold:
    left = " + ".join(cond.facts)
    rhs = cond.rhs
    starts = None
    if provision is not None and provision.data.effective is not None:
        if provision.data.effective.date > as_of:
            starts = provision.data.effective.date
    if isinstance(rhs, FactFraction):
        return Threshold(owner, f"{left} {cond.op} {rhs.factor_text} x {rhs.fact}", None, starts)
    if isinstance(rhs, Literal_):
        value = float(rhs.value) if isinstance(rhs.value, int | float) else None
        shown = format_quantity(value, "flop") if value is not None else str(rhs.value)
        return Threshold(owner, f"{left} {cond.op} {shown}", value, starts)
    assert isinstance(rhs, ParamRef) and provision is not None
    param = provision.data.parameters[rhs.name]
    found = param.at(as_of)
    if found is None:  # the parameter starts later: show its first value
        first = min(param.values)
        found = (first, param.values[first])
        starts = max(starts or first, first)
    since, dated = found
    if dated.value is None:
        return Threshold(
            owner, f"{left} {cond.op} {rhs.name} (repealed {since})", None, starts, repealed=True
        )
    number = float(dated.value)
    return Threshold(
        owner, f"{left} {cond.op} {format_quantity(number, 'flop')} ({rhs.name})", number, starts
    )


def compute_thresholds(instrument: Instrument, as_of: dt.date) -> tuple[Threshold, ...]:
    """The FLOP comparisons in an instrument's scope and provisions, as of a date.

    A provision that has stopped applying (its ``ends`` date is on or before ``as_of``) is left
    out.

    Args:
        instrument: The instrument.
        as_of: The date for dated parameters.

    Returns:
        One threshold per comparison whose quantity is in FLOP.
    """
    found: list[Threshold] = []
    if instrument.scope is not None:
        for cond in _walk(instrument.scope):
            if cond.dimension == "flop":
                found.append(_threshold(cond, None, instrument.id, as_of))
    for provision in instrument.provisions:
        ends = provision.data.ends
        if ends is not None and ends.date <= as_of:
            continue
        for cond in _walk(provision.condition):
            if cond.dimension == "flop":
                found.append(_threshold(cond, provision, provision.id, as_of))
    return tuple(found)


def _entry(instrument: Instrument, as_of: dt.date) -> InstrumentEntry:
    data = instrument.data
    status, since = instrument_status(instrument, as_of)
    return InstrumentEntry(
        id=instrument.id,
        short=data.short or data.title.en,
        title=data.title.en,
        title_zh=data.title.zh,
        jurisdiction=data.jurisdiction,
        kind=data.kind,
        focus=tuple(data.focus),
        binding=data.binding,
        status=status,
        status_since=since,
        thresholds=compute_thresholds(instrument, as_of),
    )


def _focus(kb: KnowledgeBase, code: str, as_of: dt.date) -> FocusSide:
    entries = [
        _entry(inst, as_of)
        for inst in sorted(kb.instruments.values(), key=lambda i: (i.data.jurisdiction, i.id))
        if inst.data.jurisdiction != INTERNATIONAL and _covers(code, inst.data.jurisdiction)
    ]
    in_force = tuple(e for e in entries if e.binding and e.status == "in_force")
    return FocusSide(
        jurisdiction=code,
        in_force=in_force,
        by_focus={tag: tuple(e.id for e in in_force if tag in e.focus) for tag in FOCUS_TAGS},
        compute_threshold=tuple(e.id for e in in_force if e.uses_compute_threshold),
        non_binding_in_force=tuple(e for e in entries if not e.binding and e.status == "in_force"),
        not_in_force=tuple(e for e in entries if e.status != "in_force"),
    )


def _side_position(
    principles: PrincipleSet, principle_id: str, code: str, as_of: dt.date
) -> SidePosition:
    principle = principles.principles[principle_id]
    position: Position | None = None
    used = code
    for candidate in (code, code.split("-")[0]):
        if candidate in principle.positions:
            position = principle.position(candidate, as_of)
            used = candidate
            break
    if position is None or position.stance == NO_RECORD:
        note = position.note if position is not None else None
        if note is None:
            note = (
                f"no position of {used} dated on or before {as_of}"
                if used in principle.positions
                else f"no position of {code} recorded"
            )
        return SidePosition(
            jurisdiction=code,
            stance=NO_RECORD,
            stance_text="no position recorded",
            since=None,
            position=None,
            position_zh=None,
            sources=(),
            verified=False,
            note=note,
            from_jurisdiction=used,
        )
    stance = principle.stances[position.stance]
    assert position.position is not None
    return SidePosition(
        jurisdiction=code,
        stance=position.stance,
        stance_text=stance.en,
        since=position.since,
        position=position.position.en,
        position_zh=position.position.zh,
        sources=tuple(
            {"title": s.title, "url": s.url, "section": s.section} for s in position.sources
        ),
        verified=position.verified,
        note=position.note,
        from_jurisdiction=used,
    )


def _verdict(a: SidePosition, b: SidePosition) -> Verdict:
    if NO_RECORD in (a.stance, b.stance):
        return "not_comparable"
    return "aligned" if a.stance == b.stance else "divergent"


def _evidence(kind: str | None, side: FocusSide) -> tuple[str, ...]:
    if kind == "compute_threshold":
        return side.compute_threshold
    if kind == "export_control":
        return tuple(e.id for e in side.in_force if e.kind == "export_control")
    return ()


def _roles(instrument: Instrument, party: str, as_of: dt.date) -> tuple[RoleEntry, ...]:
    sources = instrument.sources
    out = []
    for p in instrument.data.participants:
        if p.party != party or (p.date is not None and p.date > as_of):
            continue
        src = sources.get(p.source)
        out.append(
            RoleEntry(
                role=p.role,
                date=p.date,
                verified=p.verified,
                source=p.source,
                url=src.url if src else None,
                section=p.section,
                note=p.note,
            )
        )
    return tuple(out)


def engagement(roles: Sequence[str]) -> Engagement:
    """The strongest engagement that a list of roles shows.

    >>> engagement(["not_signed", "signed"]), engagement(["hosted"]), engagement([])
    ('joined', 'lead', 'none')
    """
    best: Engagement = "none"
    for role in roles:
        if role not in _LEAD | _JOINED | _OUT:
            raise ValueError(f"unknown role {role!r}")
        level: Engagement = (
            "lead" if role in _LEAD else "joined" if role in _JOINED else "stayed_out"
        )
        if _RANK[level] > _RANK[best]:
            best = level
    return best


def _participation(
    kb: KnowledgeBase, a: str, b: str, as_of: dt.date
) -> tuple[ParticipationRow, ...]:
    rows = []
    for inst in kb.instruments.values():
        data = inst.data
        first = data.lifecycle.first_date()
        if data.jurisdiction != INTERNATIONAL or (first is not None and first > as_of):
            continue
        status, _ = instrument_status(inst, as_of)
        rows.append(
            ParticipationRow(
                id=inst.id,
                short=data.short or data.title.en,
                title=data.title.en,
                kind=data.kind,
                forum=data.forum or "(forum not recorded)",
                date=first,
                status=status,
                a=_roles(inst, a, as_of),
                b=_roles(inst, b, as_of),
                parties=len(
                    {p.party for p in data.participants if p.date is None or p.date <= as_of}
                ),
            )
        )
    rows.sort(key=lambda r: (r.date or dt.date.min, r.id))
    return tuple(rows)


def _forums(rows: Sequence[ParticipationRow]) -> tuple[ForumRow, ...]:
    names = list(dict.fromkeys(r.forum for r in rows))
    out = []
    for name in names:
        mine = [r for r in rows if r.forum == name]
        out.append(
            ForumRow(
                forum=name,
                a=engagement([e.role for r in mine for e in r.a]),
                b=engagement([e.role for r in mine for e in r.b]),
                a_lead=tuple(r.id for r in mine if any(e.role in _LEAD for e in r.a)),
                b_lead=tuple(r.id for r in mine if any(e.role in _LEAD for e in r.b)),
                instruments=tuple(r.id for r in mine),
            )
        )
    out.sort(key=lambda f: (-max(_RANK[f.a], _RANK[f.b]), -(_RANK[f.a] + _RANK[f.b]), f.forum))
    return tuple(out)


def _code(kb: KnowledgeBase, text: str) -> str:
    code = text.strip().upper()
    known = known_jurisdictions(kb)
    if code == INTERNATIONAL:
        raise UsageError(
            "INT is not a side to compare: international instruments are compared in the "
            f"participation matrix; choose two of {', '.join(known)}"
        )
    if code not in known:
        raise UsageError(f"unknown jurisdiction {text!r}; known: {', '.join(known)}")
    return code


def compare(
    kb: KnowledgeBase,
    a: str,
    b: str,
    as_of: dt.date,
    *,
    principles: PrincipleSet | None = None,
    crosswalk: Crosswalk | None = None,
) -> Comparison:
    """Compare two jurisdictions on a date, along the three axes of the divergence map.

    1. Focus: each side's binding instruments in force, by focus tag, and which use a FLOP
       threshold (read from their conditions).
    2. Principles: each side's latest dated position per principle, aligned when the stance
       codes match.
    3. International: each side's roles in the international instruments of the knowledge
       base, and its engagement per forum.

    It adds the shared ground: the risks that both sides' taxonomies name, as the crosswalk maps
    them (exact and close matches, and risks that contain one another).

    Args:
        kb: The knowledge base.
        a: The first jurisdiction, such as ``US`` (which covers ``US-CA``).
        b: The second jurisdiction, such as ``CN``.
        as_of: The date.
        principles: The principles; the bundled ``principles.yaml`` by default.
        crosswalk: The taxonomy crosswalk; the bundled one by default.

    Returns:
        The comparison.

    Raises:
        UsageError: When a jurisdiction is unknown, or both are the same.
    """
    code_a, code_b = _code(kb, a), _code(kb, b)
    if code_a == code_b:
        raise UsageError(f"compare needs two different jurisdictions, not {code_a} twice")
    principles = principles or load_principles()
    side_a, side_b = _focus(kb, code_a, as_of), _focus(kb, code_b, as_of)
    rows = []
    for pid, principle in principles.principles.items():
        pa = _side_position(principles, pid, code_a, as_of)
        pb = _side_position(principles, pid, code_b, as_of)
        rows.append(
            PrincipleRow(
                id=pid,
                title=principle.title.en,
                title_zh=principle.title.zh,
                question=principle.question.en,
                a=pa,
                b=pb,
                verdict=_verdict(pa, pb),
                evidence_kind=principle.kb_evidence,
                evidence_a=_evidence(principle.kb_evidence, side_a),
                evidence_b=_evidence(principle.kb_evidence, side_b),
            )
        )
    participation = _participation(kb, code_a, code_b, as_of)
    return Comparison(
        a=code_a,
        b=code_b,
        as_of=as_of,
        kb_version=kb.version,
        kb_edition=kb.edition,
        focus=(side_a, side_b),
        principles=tuple(rows),
        participation=participation,
        forums=_forums(participation),
        shared_ground=shared_ground(code_a, code_b, as_of, crosswalk),
    )
