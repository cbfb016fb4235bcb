"""Sort the paths given to ``govbridge bank check`` into banks and keyword libraries."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from govbridge.content._bank import Bank, BankError, Problem, load_bank, starter_bank_paths
from govbridge.content._taxonomy import taxonomy

__all__ = ["Inputs", "read_inputs", "starter_library_path"]


@dataclass
class Inputs:
    """What the paths held: one bank (all bank files together) and keyword entries."""

    bank: Bank | None = None
    keywords: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    starter: bool = False


def starter_library_path() -> Path:
    """The bundled starter keyword library (JSONL)."""
    return Path(str(resources.files("govbridge.content") / "keywords" / "starter.jsonl"))


def _is_library(path: Path) -> bool:
    if path.suffix.lower() == ".tsv":
        return True
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    try:
                        first = json.loads(line)
                    except json.JSONDecodeError:
                        return False
                    return isinstance(first, dict) and "keyword" in first
    except FileNotFoundError:
        raise BankError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError(str(path), f"cannot read the file ({exc})") from None
    return False


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() in (".jsonl", ".tsv"))
        else:
            yield path


def read_inputs(paths: Iterable[Path]) -> Inputs:
    """Read banks and libraries; with no path, the bundled starter bank and library.

    Libraries are read by :class:`govbridge.matcher.KeywordLibrary` (TSV with a header, or
    JSONL); a bad library row is an error that names the file and line.

    Raises:
        BankError: When a bank file is missing or unreadable, or every bank file is empty.
        KeywordLibraryError: When a keyword library does not load.
    """
    chosen = list(paths)
    inputs = Inputs()
    if not chosen:
        chosen = [*starter_bank_paths(), starter_library_path()]
        inputs.starter = True
    bank_files: list[Path] = []
    for path in _expand(chosen):
        inputs.files.append(str(path))
        if _is_library(path):
            from govbridge.matcher import KeywordLibrary

            library = KeywordLibrary.load(path)
            known = taxonomy().risks
            outside = sorted({kw.risk for kw in library if kw.risk not in known})
            if outside:
                inputs.problems.append(
                    Problem(
                        str(path),
                        0,
                        f"risk ids outside TC260 are not counted: {', '.join(outside[:10])}",
                    )
                )
            inputs.keywords += [(kw.keyword, kw.risk) for kw in library if kw.risk in known]
        else:
            bank_files.append(path)
    if bank_files:
        inputs.bank = load_bank(bank_files)
        inputs.problems += list(inputs.bank.problems)
    return inputs
