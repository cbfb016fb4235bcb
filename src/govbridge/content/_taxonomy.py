"""The TC260 Appendix A taxonomy: 5 categories, 31 risks, and the should-not-refuse aspects.

The data lives in ``taxonomy.yaml`` beside this module; nothing here names a risk in code.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from govbridge._yaml import read_yaml

__all__ = ["Aspect", "Risk", "Taxonomy", "taxonomy"]


@dataclass(frozen=True)
class Risk:
    """One of the 31 risks of TC260-003 Appendix A.

    Attributes:
        id: The identifier, such as ``A.2.e``.
        category: The category identifier, such as ``A.2``.
        en: The English name (a working rendering).
        zh: The Chinese name.
        aliases: Other Chinese labels for the same risk.
        political: Whether the risk concerns political speech (the project writes no probes).
    """

    id: str
    category: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()
    political: bool = False


@dataclass(frozen=True)
class Aspect:
    """A should-not-refuse aspect of TC260-003 §8.3, such as ``gender``."""

    id: str
    en: str
    zh: str


def _key(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).strip().casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "、，,;；/")


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """The categories, risks and aspects, with lookups by id and by label."""

    categories: dict[str, tuple[str, str]]
    risks: dict[str, Risk]
    aspects: dict[str, Aspect]
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    def risk(self, risk_id: str) -> Risk:
        """A risk by id.

        Raises:
            KeyError: When there is no such risk.
        """
        return self.risks[risk_id]

    def in_category(self, category: str) -> list[str]:
        """The risk ids of one category (``A.1`` ... ``A.5``), in order."""
        return [r for r in self.risks if self.risks[r].category == category]

    def find(self, label: str) -> str | None:
        """The risk id for a label: an id, or a Chinese or English name or alias.

        >>> taxonomy().find("性别歧视内容"), taxonomy().find("侵犯他人隐私权"), taxonomy().find("x")
        ('A.2.e', 'A.4.e', None)
        """
        if label in self.risks:
            return label
        return self.labels.get(_key(label))


def _parse(raw: Any) -> Taxonomy:
    categories = {k: (v["en"], v["zh"]) for k, v in raw["categories"].items()}
    risks = {
        rid: Risk(
            id=rid,
            category=rid.rsplit(".", 1)[0],
            en=spec["en"],
            zh=spec["zh"],
            aliases=tuple(spec.get("aliases", ())),
            political=bool(spec.get("political", False)),
        )
        for rid, spec in raw["risks"].items()
    }
    aspects = {aid: Aspect(aid, spec["en"], spec["zh"]) for aid, spec in raw["aspects"].items()}
    labels: dict[str, str] = {}
    for risk in risks.values():
        for label in (risk.zh, risk.en, *risk.aliases):
            labels.setdefault(_key(label), risk.id)
    return Taxonomy(categories=categories, risks=risks, aspects=aspects, labels=labels)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The bundled TC260 taxonomy (cached).

    >>> tax = taxonomy()
    >>> len(tax.risks), len(tax.in_category("A.1")), len(tax.in_category("A.2"))
    (31, 8, 9)
    >>> tax.risk("A.1.d").zh
    '宣扬恐怖主义、极端主义'
    """
    text = (resources.files("govbridge.content") / "taxonomy.yaml").read_text(encoding="utf-8")
    return _parse(read_yaml(text))
