"""The facts a dossier can state, as dotted paths that rules can test."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from govbridge._data_files import inner_model
from govbridge.dossier._model import Dossier

__all__ = ["FactSpec", "fact_specs", "get_fact"]

FactKind = Literal["quantity", "bool", "date", "text", "list", "choice"]


@dataclass(frozen=True)
class FactSpec:
    """What one dossier fact is: its kind, and its dimension when it is a quantity."""

    path: str
    kind: FactKind
    dimension: str | None = None
    choices: tuple[str, ...] = ()


def _kind(annotation: Any) -> tuple[FactKind, tuple[str, ...]]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _kind(args[0])
    if origin is typing.Annotated:
        return _kind(args[0])
    if origin is list:
        inner = typing.get_args(annotation)[0]
        return "list", _kind(inner)[1]
    if origin is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    if annotation is bool:
        return "bool", ()
    if annotation is dt.date:
        return "date", ()
    if annotation is float:
        return "quantity", ()
    return "text", ()


@cache
def fact_specs() -> dict[str, FactSpec]:
    """Every fact path of dossier v1, with its kind.

    >>> fact_specs()["model.training_compute_flop"].dimension
    'flop'
    >>> fact_specs()["deployment.markets"].kind
    'list'
    """
    specs: dict[str, FactSpec] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            key = info.alias or name
            if key in ("schema", "sources", "evidence"):
                continue
            path = f"{prefix}{key}"
            sub = inner_model(info.annotation)
            if sub is not None:
                walk(sub, f"{path}.")
                continue
            kind, choices = _kind(info.annotation)
            extra = info.json_schema_extra
            dimension = extra.get("dimension") if isinstance(extra, dict) else None
            specs[path] = FactSpec(path, kind, str(dimension) if dimension else None, choices)

    walk(Dossier, "")
    return specs


def get_fact(dossier: Dossier, path: str) -> Any:
    """The value of a dotted fact path, or ``None`` when the dossier does not state it.

    >>> from govbridge.dossier import from_mapping
    >>> get_fact(from_mapping({"model": {"name": "M", "parameters": "7B"}}), "model.parameters")
    7000000000.0
    """
    value: Any = dossier
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value
