"""Training compute, the accelerator catalogue and export-control classification.

Three parts:

- **Estimation.** :func:`architecture_estimate` (6·N·D, active parameters for a mixture of
  experts) and :func:`hardware_estimate` (chips x peak x utilisation x time) give a central
  value and a low-high range in FLOP with every assumption stated; :func:`combine` runs both
  and says whether they agree. :func:`estimated_facts` feeds the architecture estimate to
  :func:`govbridge.rules.assess` when a dossier declares no training compute.
- **The catalogue.** :func:`catalogue` and :func:`find_chip` read ``chips.yaml``: peak dense
  throughput per precision, memory, interconnect and die area, each with a source.
- **Classification.** :func:`classify_chip` and :func:`classify_figures` place a chip in an
  ECCN 3A090 band using the dated parameters of the knowledge-base instrument
  ``us.bis.advanced_computing``.

>>> import datetime as dt
>>> classify_chip("A100", dt.date(2024, 1, 1)).classification
'3A090.a.1'
"""

from govbridge.compute._chips import (
    BIT_LENGTHS,
    PRECISIONS,
    Catalogue,
    Chip,
    ChipSource,
    Figure,
    Precision,
    catalogue,
    find_chip,
)
from govbridge.compute._classify import (
    CLASSIFICATIONS,
    INSTRUMENT,
    Classification,
    classify_chip,
    classify_figures,
)
from govbridge.compute._estimate import (
    DEFAULT_TOLERANCE,
    UTILISATION,
    Agreement,
    Estimate,
    architecture_estimate,
    combine,
    hardware_estimate,
)
from govbridge.compute._facts import EstimatedFacts, estimated_facts

__all__ = [
    "BIT_LENGTHS",
    "CLASSIFICATIONS",
    "DEFAULT_TOLERANCE",
    "INSTRUMENT",
    "PRECISIONS",
    "UTILISATION",
    "Agreement",
    "Catalogue",
    "Chip",
    "ChipSource",
    "Classification",
    "Estimate",
    "EstimatedFacts",
    "Figure",
    "Precision",
    "architecture_estimate",
    "catalogue",
    "classify_chip",
    "classify_figures",
    "combine",
    "estimated_facts",
    "find_chip",
    "hardware_estimate",
]
