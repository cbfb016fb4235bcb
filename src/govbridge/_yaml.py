"""A strict YAML reader shared by the dossier and knowledge-base loaders.

It rejects duplicate keys (PyYAML silently keeps the last one) and reports the line of the
problem. It uses libyaml's C parser when it is available.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["DuplicateKeyError", "YamlSyntaxError", "read_yaml"]

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(ValueError):
    """A mapping holds the same key twice."""

    def __init__(self, key: object, line: int) -> None:
        self.key = key
        self.line = line
        super().__init__(f"duplicate key {key!r} on line {line}")


class YamlSyntaxError(ValueError):
    """The text is not valid YAML."""

    def __init__(self, problem: str, line: int | None) -> None:
        self.problem = problem
        self.line = line
        where = f" on line {line}" if line is not None else ""
        super().__init__(f"not valid YAML{where}: {problem}")


class _StrictLoader(_Base):  # type: ignore[misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; the base constructor reports it
                duplicate = False
            if duplicate:
                raise DuplicateKeyError(key, key_node.start_mark.line + 1)
            seen.add(key)
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping
)


def read_yaml(text: str) -> Any:
    """Parse YAML text strictly.

    Args:
        text: The YAML document.

    Returns:
        The parsed document.

    Raises:
        DuplicateKeyError: When a mapping repeats a key.
        YamlSyntaxError: When the text is not YAML.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(str(exc.problem), line) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from exc
    except DuplicateKeyError:
        raise
    except ValueError as exc:  # a date that matches the timestamp form but does not exist
        raise YamlSyntaxError(f"invalid date ({exc})", None) from exc
