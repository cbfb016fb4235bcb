"""Module-level shortcuts over the bundled crosswalk."""

from __future__ import annotations

from govbridge.crosswalk._load import Concept, Crosswalk, Mapping, load_crosswalk
from govbridge.crosswalk._matrix import Matrix, build_matrix

__all__ = ["concept", "map_concept", "matrix"]


def concept(concept_id: str, cw: Crosswalk | None = None) -> Concept:
    """A concept by its ``SCHEME:CODE`` id.

    >>> concept("tc260:A.4.e").zh
    '侵害他人隐私权'

    Raises:
        UsageError: When the id names no concept, with the nearest one.
    """
    return (cw or load_crosswalk()).concept(concept_id)


def map_concept(
    concept_id: str, to_scheme: str | None = None, cw: Crosswalk | None = None
) -> tuple[Mapping, ...]:
    """Every mapping from a concept (stated, or derived as the inverse of a stated one).

    >>> [(m.relation, m.object) for m in map_concept("tc260:A.4.e", "nist-ai-600-1")]
    [('closeMatch', 'nist-ai-600-1:4')]

    Raises:
        UsageError: When the concept or the scheme does not exist.
    """
    return (cw or load_crosswalk()).map_concept(concept_id, to_scheme)


def matrix(from_scheme: str, to_scheme: str, cw: Crosswalk | None = None) -> Matrix:
    """The matrix of relations from one scheme's concepts to another's.

    Raises:
        UsageError: When a scheme does not exist, or both are the same.
    """
    return build_matrix(cw or load_crosswalk(), from_scheme, to_scheme)
