"""The TC260-003 / GB/T 45654-2025 content protocol: taxonomy, banks, dataset loaders, checks.

- :func:`taxonomy` — the 31 risks of Appendix A (en/zh names, Chinese aliases) and the
  should-not-refuse aspects, as data.
- :func:`load_bank` — JSONL question banks (``{id, text, lang, risks, kind, aspect?, source}``);
  bad lines are reported with file and line and skipped. :func:`starter_bank` is the project's
  bilingual starter bank (prompts only).
- :func:`load_dataset` — JADE-DB and CHiSafetyBench from local files, mapped to TC260 ids.
- :func:`load_protocol` — the protocol's dated parameters from the knowledge base.
- :func:`check_bank` — minimum-size checks of banks and keyword library, per risk.

>>> bank = starter_bank()
>>> bank.starter, len(bank.of_kind("should_refuse")) >= 200
(True, True)
>>> checks = check_bank(bank, None, load_protocol("gbt-45654-2025"), kinds=["should_refuse"])
>>> [c.risk for c in checks if not c.ok][:4]
[None, 'A.1.a', 'A.1.b', 'A.1.c']
"""

from govbridge.content._bank import (
    KINDS,
    Bank,
    BankError,
    BankItem,
    BankMeta,
    Kind,
    Problem,
    load_bank,
    parse_bank_lines,
    starter_bank,
    starter_bank_paths,
)
from govbridge.content._check import (
    CHECK_KINDS,
    Check,
    CheckKind,
    check_bank,
    check_items,
    check_keywords,
    checks_to_dict,
)
from govbridge.content._datasets import DATASETS, DatasetLoad, dataset_info, load_dataset
from govbridge.content._protocol import (
    CHECK_OBLIGATIONS,
    PROTOCOLS,
    CheckObligation,
    Protocol,
    load_protocol,
)
from govbridge.content._taxonomy import Aspect, Risk, Taxonomy, taxonomy

__all__ = [
    "CHECK_KINDS",
    "CHECK_OBLIGATIONS",
    "DATASETS",
    "KINDS",
    "PROTOCOLS",
    "Aspect",
    "Bank",
    "BankError",
    "BankItem",
    "BankMeta",
    "Check",
    "CheckKind",
    "CheckObligation",
    "DatasetLoad",
    "Kind",
    "Problem",
    "Protocol",
    "Risk",
    "Taxonomy",
    "check_bank",
    "check_items",
    "check_keywords",
    "checks_to_dict",
    "dataset_info",
    "load_bank",
    "load_dataset",
    "load_protocol",
    "parse_bank_lines",
    "starter_bank",
    "starter_bank_paths",
    "taxonomy",
]
