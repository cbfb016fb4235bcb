"""Dossiers: the description of one AI model or system, the input of every assessment.

>>> from govbridge.dossier import from_mapping
>>> d = from_mapping({"model": {"name": "Example", "training_compute_flop": "3.8e25 FLOP"}})
>>> d.model.training_compute_flop
3.8e+25
"""

from govbridge.dossier._evidence import EvalLogEntry, eval_log_paths
from govbridge.dossier._facts import FactSpec, fact_specs, get_fact
from govbridge.dossier._load import example_for, from_mapping, load, loads
from govbridge.dossier._model import (
    SCHEMA_ID,
    BaseModelRef,
    ClusterFacts,
    DeploymentFacts,
    DeveloperFacts,
    Dossier,
    EvidenceFacts,
    FactSource,
    ModelFacts,
)

__all__ = [
    "SCHEMA_ID",
    "BaseModelRef",
    "ClusterFacts",
    "DeploymentFacts",
    "DeveloperFacts",
    "Dossier",
    "EvalLogEntry",
    "EvidenceFacts",
    "FactSource",
    "FactSpec",
    "ModelFacts",
    "eval_log_paths",
    "example_for",
    "fact_specs",
    "from_mapping",
    "get_fact",
    "load",
    "loads",
]
