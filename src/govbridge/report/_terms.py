"""Risk names and the crosswalk, as the report uses them.

The report re-expresses per-risk results (TC260 ids such as ``A.4.e``) in each jurisdiction's
scheme through :mod:`govbridge.crosswalk`: each TC260 risk lists the concepts it maps to, and
each concept of the target scheme gets a pooled rate (:func:`govbridge.crosswalk.reexpress`).
When the crosswalk cannot be loaded, the report still renders: risks keep their TC260 ids and
the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govbridge.errors import GovbridgeError
from govbridge.report._i18n import MESSAGES, t
from govbridge.report._model import Bilingual, ConceptRate, CrosswalkInfo, MappedTerm

if TYPE_CHECKING:
    from govbridge.crosswalk import Crosswalk

__all__ = ["Terms", "load_terms"]


@dataclass(frozen=True)
class Terms:
    """Risk labels, and mappings from TC260 risks to other schemes.

    Attributes:
        labels: TC260 risk id -> its names.
        crosswalk: The loaded crosswalk, or ``None`` when it is not available.
    """

    labels: dict[str, Bilingual] = field(default_factory=dict)
    crosswalk: Crosswalk | None = None

    @property
    def available(self) -> bool:
        """Whether the crosswalk was loaded."""
        return self.crosswalk is not None

    def label(self, risk: str) -> Bilingual | None:
        """The names of a TC260 risk, when known."""
        return self.labels.get(risk)

    def _concept_label(self, concept_id: str) -> Bilingual:
        assert self.crosswalk is not None
        c = self.crosswalk.concepts[concept_id]
        return Bilingual(en=c.en, zh=c.zh or c.en)

    def mapped(self, risk: str, scheme: str) -> list[MappedTerm]:
        """The concepts of a scheme that a TC260 risk maps to (empty without the crosswalk)."""
        if scheme == "tc260" or self.crosswalk is None:
            return []
        out = []
        for m in self.crosswalk.map_concept(f"tc260:{risk}", scheme):
            concept = self.crosswalk.concepts[m.object]
            out.append(
                MappedTerm(
                    scheme=scheme,
                    code=concept.code,
                    label=self._concept_label(m.object),
                    relation=m.relation,
                )
            )
        return out

    def reexpress(
        self, summary: dict[str, Any], check_index: int, scheme: str, file: str
    ) -> tuple[list[ConceptRate], list[str]]:
        """One check's per-risk rates pooled per concept of a scheme, and the risks left out.

        Returns:
            The concepts of the scheme that receive items or related risks, in published order,
            and the TC260 risks that map to none of them. Both are empty without the crosswalk
            or for the TC260 scheme itself.
        """
        if scheme == "tc260" or self.crosswalk is None:
            return [], []
        from govbridge.crosswalk import reexpress

        result = reexpress(summary, scheme, self.crosswalk, file=file).checks[check_index]
        rates = [
            ConceptRate(
                concept=r.concept.id,
                code=r.concept.code,
                label=self._concept_label(r.concept.id),
                n=r.n,
                rate=r.rate,
                wilson_low=r.wilson_low,
                wilson_high=r.wilson_high,
                sources=[s.risk.removeprefix("tc260:") for s in r.sources],
                not_pooled=[risk.removeprefix("tc260:") for risk, _ in r.not_pooled],
            )
            for r in result.rates
            if r.n or r.not_pooled
        ]
        return rates, [risk.removeprefix("tc260:") for risk in result.unmapped]

    def scheme_title(self, scheme: str) -> Bilingual:
        """A scheme's short title in both languages."""
        key = f"scheme.{scheme}"
        if key in MESSAGES:
            return Bilingual(en=t(key, "en"), zh=t(key, "zh"))
        if self.crosswalk is not None and scheme in self.crosswalk.schemes:
            found = self.crosswalk.schemes[scheme]
            return Bilingual(en=found.short, zh=found.short)
        return Bilingual(en=scheme, zh=scheme)

    def info(self) -> CrosswalkInfo:
        """What the report records about the crosswalk."""
        if self.crosswalk is not None:
            version = self.crosswalk.version
            return CrosswalkInfo(
                available=True,
                version=version,
                note=Bilingual(
                    en=t("c.crosswalk", "en", version=version),
                    zh=t("c.crosswalk", "zh", version=version),
                ),
            )
        return CrosswalkInfo(
            available=False,
            version=None,
            note=Bilingual(en=t("c.no_crosswalk", "en"), zh=t("c.no_crosswalk", "zh")),
        )


def _crosswalk() -> Crosswalk | None:
    try:
        from govbridge.crosswalk import load_crosswalk
    except ImportError:
        return None
    try:
        return load_crosswalk()
    except GovbridgeError:
        return None


def load_terms(*, crosswalk: bool = True) -> Terms:
    """Load the TC260 risk names and, unless told not to, the crosswalk.

    Args:
        crosswalk: Whether to use the crosswalk; without it the report shows TC260 ids only.

    Returns:
        The lookups, with whatever is installed.
    """
    cw = _crosswalk() if crosswalk else None
    labels: dict[str, Bilingual] = {}
    if cw is not None and "tc260" in cw.schemes:
        for concept in cw.concepts_of("tc260"):
            labels[concept.code] = Bilingual(en=concept.en, zh=concept.zh or concept.en)
    else:
        try:
            from govbridge.content import taxonomy
        except ImportError:
            return Terms(labels=labels, crosswalk=cw)
        for rid, risk in taxonomy().risks.items():
            labels[rid] = Bilingual(en=risk.en, zh=risk.zh)
    return Terms(labels=labels, crosswalk=cw)
