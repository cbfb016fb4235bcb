"""The taxonomy crosswalk: regulatory risk taxonomies and SKOS mappings between them.

Concepts are identified as ``SCHEME:CODE``; the schemes are ``tc260``, ``nist-ai-600-1``,
``eu-cop``, ``ailuminate``, ``air-2024``, ``sb53`` and ``eo14110``. Every mapping carries a
one-line rationale and who states it: a published source, or ``"govbridge analysis"``.

>>> from govbridge.crosswalk import load_crosswalk, map_concept
>>> cw = load_crosswalk()
>>> cw.concept("tc260:A.1.a").en
'Inciting subversion of state power or overthrow of the socialist system'
>>> sorted(g.scheme for g in cw.no_counterpart("tc260:A.1.a"))
['ailuminate', 'eo14110', 'eu-cop', 'nist-ai-600-1', 'sb53']
>>> [(m.relation, m.object, m.derived) for m in map_concept("nist-ai-600-1:10", "tc260")]
[('narrowMatch', 'tc260:A.3.a', True), ('narrowMatch', 'tc260:A.3.c', True)]
"""

from govbridge.crosswalk._api import concept, map_concept, matrix
from govbridge.crosswalk._export import to_csv, to_json, to_turtle
from govbridge.crosswalk._load import (
    INVERSE,
    Concept,
    Crosswalk,
    Mapping,
    NoCounterpart,
    Scheme,
    Source,
    default_root,
    load_crosswalk,
)
from govbridge.crosswalk._matrix import Matrix, MatrixRow
from govbridge.crosswalk._results import (
    POOLED,
    SUMMARY_SCHEMA,
    CheckResult,
    Contribution,
    PooledRate,
    Reexpression,
    read_summary,
    reexpress,
    wilson_interval,
)
from govbridge.crosswalk._schema import ANALYSIS, RELATIONS, Relation

__all__ = [
    "ANALYSIS",
    "INVERSE",
    "POOLED",
    "RELATIONS",
    "SUMMARY_SCHEMA",
    "CheckResult",
    "Concept",
    "Contribution",
    "Crosswalk",
    "Mapping",
    "Matrix",
    "MatrixRow",
    "NoCounterpart",
    "PooledRate",
    "Reexpression",
    "Relation",
    "Scheme",
    "Source",
    "concept",
    "default_root",
    "load_crosswalk",
    "map_concept",
    "matrix",
    "read_summary",
    "reexpress",
    "to_csv",
    "to_json",
    "to_turtle",
    "wilson_interval",
]
