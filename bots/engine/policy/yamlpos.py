"""YAML to plain data, remembering the line and column of every key path."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

#: libyaml's parser when PyYAML was built with it: the same nodes and marks, ~10x faster than
#: the pure-Python one (which made parsing the bundled policies most of a server's start-up).
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def load_with_positions(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data plus 1-based positions for each path."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(str(exc.problem or exc), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), 1, 1) from None
    positions: Positions = {}
    if node is None:
        return None, positions
    # One constructor for every scalar of the document (one per scalar was a tenth of loading).
    return _build(node, (), positions, SafeConstructor()), positions


def _build(node: yaml.Node, path: Path, positions: Positions, scalars: SafeConstructor) -> Any:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in result:
                mark = key_node.start_mark
                raise YamlSyntaxError(f"duplicate key {key!r}", mark.line + 1, mark.column + 1)
            child = (*path, key)
            result[key] = _build(value_node, child, positions, scalars)
            positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), positions, scalars) for i, item in enumerate(node.value)]
    return _scalar(node, scalars)


def _scalar(node: yaml.Node, constructor: SafeConstructor) -> Any:
    if ":" in str(node.value) and node.tag.endswith((":int", ":float")):
        return node.value  # "17:30" is a clock time, not YAML 1.1 sexagesimal 1050
    value = constructor.construct_object(node, deep=True)
    constructor.constructed_objects.clear()  # scalars share nothing; keep the memo empty
    return value


def position_of(positions: Positions, path: Path) -> tuple[int, int]:
    """The position of `path`, or of its nearest ancestor that the file contains."""
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return positions.get((), (1, 1))
