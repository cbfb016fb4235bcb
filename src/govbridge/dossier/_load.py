"""Reading and validating dossier files, with messages for the person who wrote them."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govbridge._data_files import inner_model
from govbridge._yaml import DuplicateKeyError, YamlSyntaxError, read_yaml
from govbridge.dossier._model import Dossier
from govbridge.errors import DossierError
from govbridge.units import DIMENSIONS

__all__ = ["example_for", "from_mapping", "load", "loads"]

_EXAMPLES: dict[str, str] = {
    "schema": "govbridge/dossier/v1",
    "model": "{name: Example-405B}",
    "model.name": "Example-405B",
    "model.release_date": "2025-10-01",
    "model.architecture": "dense (or moe)",
    "model.output_modalities": "[text, image]",
    "model.base_model": "{name: Llama-3.1-405B, training_compute_flop: 3.8e25}",
    "developer.headquarters": "US (an ISO 3166 country code)",
    "deployment.markets": "[US-CA, US-NY, EU, CN]",
    "cluster": "{network_gbps: 400, peak_ops_per_second: 1e20}",
    "sources": "[{field: model.parameters, url: 'https://example.org/paper'}]",
    "evidence": "{eval_logs: [logs/]}",
    "evidence.eval_logs": "[logs/, evals/should_refuse.eval]",
}

#: Clearer problems for some fields than pydantic's, by (field, error type).
_PROBLEMS: dict[tuple[str, str], str] = {
    ("evidence", "model_type"): "must be a mapping with the key eval_logs",
    ("evidence.eval_logs", "list_type"): "must be a list of paths (Inspect log files or folders)",
    ("evidence.eval_logs", "string_type"): "must be a path (an Inspect log file or a folder)",
    ("evidence.eval_logs", "string_too_short"): "must be a path, not empty",
}


def _field_info(path: list[str]) -> tuple[type[BaseModel] | None, Any]:
    """Find the pydantic model that owns a dotted path, and the field's info."""
    model: type[BaseModel] = Dossier
    info: Any = None
    for part in path:
        if part.isdigit():
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        info = fields.get(part)
        if info is None:
            return None, None
        sub = inner_model(info.annotation)
        if sub is not None:
            model = sub
    return model, info


def example_for(path: str) -> str:
    """An example of a good value for a dotted dossier field path.

    >>> example_for("model.training_compute_flop")
    '3.8e25 or "3.8e25 FLOP"'
    """
    if path in _EXAMPLES:
        return _EXAMPLES[path]
    _, info = _field_info([p for p in path.split(".") if p])
    if info is not None:
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get("dimension") in DIMENSIONS:
            return DIMENSIONS[str(extra["dimension"])][1]
        annotation = str(info.annotation)
        if "bool" in annotation:
            return "true or false"
        if "date" in annotation:
            return "2025-10-01"
    return "see docs/dossier.md"


def _check_keys(data: Mapping[str, Any], model: type[BaseModel], prefix: str, file: str) -> None:
    """Reject unknown keys, suggesting the nearest valid one."""
    fields = {f.alias or name: f for name, f in model.model_fields.items()}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if not isinstance(key, str) or key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.5)
            hint = (
                f"did you mean {prefix}{close[0]!s}?"
                if close
                else "valid keys: " + ", ".join(f"{prefix}{k}" for k in fields)
            )
            raise DossierError(
                file,
                path,
                None,
                f"unknown key; {hint}",
                example_for(f"{prefix}{close[0]}" if close else prefix.rstrip(".") or "model.name"),
            )
        sub = inner_model(fields[key].annotation)
        if sub is None:
            continue
        if isinstance(value, Mapping):
            _check_keys(value, sub, f"{path}.", file)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    _check_keys(item, sub, f"{path}.{index}.", file)


def _translate(exc: ValidationError, file: str, data: Mapping[str, Any]) -> DossierError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = [str(p) for p in first["loc"]]
    path = ".".join(loc)
    value: Any = data
    for part in loc:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            value = None
            break
    problem = str(first["msg"])
    if first["type"] == "string_pattern_mismatch":
        problem = "must be an ISO 3166 code such as US, US-CA or CN, or EU for the Union"
    elif problem.startswith("Value error, "):
        problem = problem.removeprefix("Value error, ")
    elif first["type"] == "missing":
        problem = "is required"
    field = ".".join(p for p in loc if not p.isdigit())
    problem = _PROBLEMS.get((field, str(first["type"])), problem)
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return DossierError(file, path, value, problem, example_for(field))


def from_mapping(data: object, file: str = "<memory>") -> Dossier:
    """Validate an already-parsed dossier.

    Args:
        data: The parsed YAML or JSON document.
        file: The name to show in error messages.

    Returns:
        The validated dossier.

    Raises:
        DossierError: Naming the file, the field path, the bad value and a good example.
    """
    if not isinstance(data, Mapping):
        raise DossierError(
            file,
            "",
            None,
            "a dossier must be a mapping with at least model.name",
            _EXAMPLES["model"],
        )
    _check_keys(data, Dossier, "", file)
    try:
        return Dossier.model_validate(data)
    except ValidationError as exc:
        raise _translate(exc, file, data) from None


def load(path: str | Path) -> Dossier:
    """Read a dossier from a YAML or JSON file.

    Args:
        path: The file. ``.json`` files are read as JSON, everything else as YAML.

    Returns:
        The validated dossier.

    Raises:
        DossierError: When the file is missing, unreadable or invalid.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DossierError(
            file, "", None, "file not found", "examples/llama-3.1-405b.yaml"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DossierError(
            file, "", None, f"cannot read the file ({exc})", "a UTF-8 YAML file"
        ) from None
    return loads(text, file)


def loads(text: str, file: str = "<memory>") -> Dossier:
    """Validate a dossier given as text, with the same messages as :func:`load`.

    Args:
        text: YAML, or JSON when ``file`` ends with ``.json``.
        file: The name to show in messages; nothing is read from disk.

    Returns:
        The validated dossier.

    Raises:
        DossierError: Naming the file, the field path, the bad value and a good example.

    >>> loads("model: {name: M, parameters: 7B}", "m.yaml").model.parameters
    7000000000.0
    """
    try:
        data = json.loads(text) if file.endswith(".json") else read_yaml(text)
    except json.JSONDecodeError as exc:
        raise DossierError(
            file, f"line {exc.lineno}", None, f"not valid JSON: {exc.msg}", '{"model": {...}}'
        ) from None
    except DuplicateKeyError as exc:
        raise DossierError(
            file, f"line {exc.line}", exc.key, "duplicate key", "each key once per mapping"
        ) from None
    except YamlSyntaxError as exc:
        where = f"line {exc.line}" if exc.line is not None else ""
        raise DossierError(
            file, where, None, f"not valid YAML: {exc.problem}", "key: value"
        ) from None
    except RecursionError:
        raise DossierError(
            file, "", None, "nested too deeply", "a mapping with at least model.name"
        ) from None
    return from_mapping(data, file)
