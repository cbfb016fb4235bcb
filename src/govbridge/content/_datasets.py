"""Loaders for public safety datasets with Chinese items, read from local files only.

Each loader maps the dataset's labels to TC260 risk ids (through ``taxonomy.yaml`` and the
dataset's table in ``datasets.yaml``) and records the dataset's licence in the bank metadata.
Nothing is downloaded: fetch the files yourself and point the loader at them.

- ``jade``: JADE-DB CSV files (``ID,问题,违规类型,违规子类``).
- ``chisafetybench``: CHiSafetyBench QA JSON (``[{category, infos: [{id, question, category}]}]``).

Items of the A.1 and A.2 risks become ``should_refuse`` items (the standard's refusal bank
covers those 17 risks); the others become ``generation`` items. Pass ``kind`` to force one kind.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from govbridge._yaml import read_yaml
from govbridge.content._bank import Bank, BankError, BankItem, BankMeta, Kind, Problem
from govbridge.content._taxonomy import taxonomy

__all__ = ["DATASETS", "DatasetLoad", "dataset_info", "load_dataset"]

DATASETS: tuple[str, ...] = ("jade", "chisafetybench")


@dataclass(frozen=True)
class DatasetLoad:
    """A converted dataset: the bank, and the labels that mapped to no TC260 risk."""

    bank: Bank
    unmapped: dict[str, int]


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    text = (resources.files("govbridge.content") / "datasets.yaml").read_text(encoding="utf-8")
    table: dict[str, Any] = read_yaml(text)
    return table


def dataset_info(name: str) -> dict[str, Any]:
    """What ``datasets.yaml`` says about a dataset: name, url, format, licence, label table.

    Raises:
        BankError: For an unknown dataset name.
    """
    table = _table()
    if name not in table:
        raise BankError(name, f"unknown dataset: expected one of {', '.join(DATASETS)}")
    info: dict[str, Any] = table[name]
    return info


def _map_labels(labels: list[str], info: dict[str, Any], top: str | None) -> list[str]:
    tax = taxonomy()
    found: list[str] = []
    for label in labels:
        risk = tax.find(label) or info.get("labels", {}).get(label)
        if risk is None and label in ("其他", "其他方面") and top is not None:
            risk = info.get("other", {}).get(top)
        if risk is not None and risk not in found:
            found.append(risk)
    return found


def _split(label: str) -> list[str]:
    parts = label.replace("，", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def _kind_for(risks: list[str], forced: Kind | None) -> Kind:
    if forced is not None:
        return forced
    return "should_refuse" if all(r[:3] in ("A.1", "A.2") for r in risks) else "generation"


def _jade_rows(text: str, file: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    need = {"ID", "问题", "违规类型", "违规子类"}
    if reader.fieldnames is None or not need <= set(reader.fieldnames):
        raise BankError(file, "not a JADE-DB CSV: expected the header ID,问题,违规类型,违规子类")
    return [(reader.line_num, row) for row in reader]


def load_dataset(
    name: str, path: str | Path, *, kind: Kind | None = None, prefix: str | None = None
) -> DatasetLoad:
    """Convert a local copy of a public dataset into a bank.

    Args:
        name: ``jade`` or ``chisafetybench``.
        path: The dataset file.
        kind: Force every item to this kind (default: by risk, see the module docs).
        prefix: The id prefix (default: the dataset name and the file stem).

    Raises:
        BankError: When the file is missing, not in the dataset's format, or yields no item.
    """
    info = dataset_info(name)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BankError(str(file), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError(str(file), f"cannot read the file ({exc})") from None
    stem = prefix or f"{name}:{file.stem}"
    items: list[BankItem] = []
    problems: list[Problem] = []
    unmapped: Counter[str] = Counter()
    seen: set[str] = set()

    def add(number: int, raw_id: object, question: object, risks: list[str], label: str) -> None:
        if not isinstance(question, str) or not question.strip():
            problems.append(Problem(str(file), number, "empty question"))
            return
        if not risks:
            unmapped[label] += 1
            return
        item_id = f"{stem}:{raw_id}"
        if item_id in seen:
            problems.append(
                Problem(str(file), number, f"duplicate id {item_id!r} (kept the first)")
            )
            return
        seen.add(item_id)
        items.append(
            BankItem(
                id=item_id,
                text=question,
                lang=info.get("lang", "zh"),
                risks=tuple(risks),
                kind=_kind_for(risks, kind),
                source=name,
                meta={"label": label},
            )
        )

    if name == "jade":
        for number, row in _jade_rows(text, str(file)):
            top = (row.get("违规类型") or "").strip()
            sub = (row.get("违规子类") or "").strip()
            risks = _map_labels(_split(sub), info, top) or _map_labels([top], info, None)
            add(number, (row.get("ID") or str(number)).strip(), row.get("问题"), risks, sub or top)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BankError(str(file), f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
        if not isinstance(data, list):
            raise BankError(str(file), "not CHiSafetyBench QA JSON: expected a list of groups")
        for group_no, group in enumerate(data, start=1):
            if not isinstance(group, dict) or not isinstance(group.get("infos"), list):
                problems.append(Problem(str(file), group_no, "group without an infos list"))
                continue
            top = str(group.get("category", ""))
            forced: Kind | None = kind or ("should_refuse" if top == "应拒答" else None)
            for entry in group["infos"]:
                if not isinstance(entry, dict):
                    problems.append(Problem(str(file), group_no, "an infos entry is not an object"))
                    continue
                label = str(entry.get("category", ""))
                risks = _map_labels([label], info, None)
                before = len(items)
                add(group_no, entry.get("id"), entry.get("question"), risks, label)
                if forced is not None and len(items) > before:
                    items[-1] = items[-1].model_copy(update={"kind": forced})
    if not items:
        raise BankError(str(file), f"no item could be read as {info['name']}")
    meta = BankMeta(
        name=info["name"],
        version=f"{file.name}",
        description=f"Converted by govbridge from {info['name']} ({info['url']}).",
        starter=False,
        licence=info["licence"],
        source_url=info["url"],
        languages=(info.get("lang", "zh"),),
    )
    bank = Bank(
        items=tuple(items), problems=tuple(problems), files=(str(file),), meta={str(file): meta}
    )
    return DatasetLoad(bank=bank, unmapped=dict(unmapped))
