"""The bilingual (en/zh) glossary of AI-governance terms whose meaning diverges across regimes.

Each term has English and Chinese forms (with toneless pinyin), senses per jurisdiction with
their sources, a divergence note and related terms. The data is one YAML file per term under
``govbridge/glossary/terms``; every source is listed once in ``sources.yaml``.

>>> from govbridge.glossary import load_glossary, lookup
>>> term = lookup("tongyong rengong zhineng")
>>> term.en, term.zh
('general-purpose AI', '通用人工智能')
>>> sorted({s.label for s in term.senses if s.jurisdiction == "CN"})
['AGI']
>>> len(load_glossary()) >= 40
True
"""

from govbridge.glossary._export import (
    CSV_COLUMNS,
    SCHEMA,
    TBX_NAMESPACE,
    cite_text,
    to_csv,
    to_dict,
    to_json,
    to_tbx,
    to_text,
)
from govbridge.glossary._load import (
    Glossary,
    UnknownTermError,
    default_glossary_dir,
    forms,
    load_glossary,
    lookup,
    normalise,
)
from govbridge.glossary._schema import (
    ANALYSIS,
    CATEGORIES,
    Alias,
    Citation,
    Divergence,
    Grade,
    Sense,
    Source,
    Term,
)

__all__ = [
    "ANALYSIS",
    "CATEGORIES",
    "CSV_COLUMNS",
    "SCHEMA",
    "TBX_NAMESPACE",
    "Alias",
    "Citation",
    "Divergence",
    "Glossary",
    "Grade",
    "Sense",
    "Source",
    "Term",
    "UnknownTermError",
    "cite_text",
    "default_glossary_dir",
    "forms",
    "load_glossary",
    "lookup",
    "normalise",
    "to_csv",
    "to_dict",
    "to_json",
    "to_tbx",
    "to_text",
]
