"""YAML text → libyaml's node tree → plain data, and where a path stands on that tree: the composing half of
``toolkit.source``, apart so that a command whose documents all come from ``ParsedYaml`` (a warm lint of a folder)
never loads PyYAML (~10-15 ms with the regular expressions its resolver and reader compile at import; issue 19).

YAML is read as YAML 1.1 (as PyYAML reads it) with two deliberate differences, both so that a document's data is
exactly its JSON: timestamps stay strings, and mapping keys are their source text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import yaml

from toolkit.errors import LoadError
from toolkit.json_types import JSON, Path, Position

Tables = tuple[dict[Path, Position], dict[Path, Position]]
"""(position of every node's value, position of every mapping member's key), by path, as ``locate`` finds them."""

_Loader: Final[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_TEXT_TAGS = frozenset({_STR, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "!"})


def compose(text: str, file: str) -> yaml.Node | None:
    """The text's node tree (None for an empty text); invalid YAML raises ``LoadError`` naming the file, line and
    column."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(f"invalid YAML: {problem}", file=file, line=line, column=column) from err
    except yaml.YAMLError as err:
        raise LoadError(f"invalid YAML: {err}", file=file) from err
    return node


def read_node(node: yaml.Node, file: str) -> tuple[JSON, tuple[Path, ...], bool]:
    """The data of a node tree, the paths of keys written twice (the later wins), and whether it was read on the
    common path (``plain``: no duplicate or merge key, no unusual tag; what ``ParsedYaml`` keeps)."""
    try:
        return plain(node), (), True
    except (_Unusual, RecursionError):  # merge keys, duplicate keys, other tags, aliases in a loop, deep nesting
        builder = YamlBuilder(file)
        data = builder.build(node, ())
        return data, tuple(builder.duplicates), False


class _Unusual(Exception):
    """A node ``plain`` leaves to ``YamlBuilder``."""


_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode
_SequenceNode = yaml.SequenceNode
_MERGE = "tag:yaml.org,2002:merge"


def plain(node: yaml.Node) -> JSON:
    """The data of the common document, without the bookkeeping ``YamlBuilder`` needs for the rest: every
    mapping key a plain scalar, no key written twice, no merge key (<<), every tag a string, int, float, bool or
    null. Anything else raises ``_Unusual`` (an alias that contains itself recurses until ``RecursionError``), and
    the caller builds the whole document again with ``YamlBuilder``, which reads it exactly as before: both
    give the same data for the documents this accepts."""
    kind = type(node)
    if kind is _ScalarNode:
        tag = node.tag
        if tag == _STR:
            return str(node.value)
        if tag in _TEXT_TAGS:
            return str(node.value)
        if tag == _INT:
            return _SCALARS.construct_yaml_int(node)  # type: ignore[arg-type]
        if tag == _FLOAT:
            return _SCALARS.construct_yaml_float(node)  # type: ignore[arg-type]
        if tag == _BOOL:
            return _SCALARS.construct_yaml_bool(node)  # type: ignore[arg-type]
        if tag == _NULL:
            return None
        raise _Unusual
    if kind is _MappingNode:
        out: dict[str, JSON] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _ScalarNode or key_node.tag == _MERGE:
                raise _Unusual
            key = str(key_node.value)
            if key in out:
                raise _Unusual
            out[key] = plain(value_node)
        return out
    if kind is _SequenceNode:
        return [plain(child) for child in node.value]
    raise _Unusual


class YamlBuilder:
    """Builds plain data from a YAML node graph, recording where every node stands."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.duplicates: list[Path] = []
        self._open: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> LoadError:
        return LoadError(message, file=self.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path) -> JSON:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self._open:
            raise self.fail(node, "a YAML alias refers to the node that contains it")
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
        finally:
            self._open.discard(id(node))
        raise self.fail(node, "unsupported YAML node")

    def scalar(self, node: yaml.ScalarNode) -> JSON:
        tag = node.tag
        if tag in _TEXT_TAGS:
            return str(node.value)
        if tag == _INT:
            value: JSON = _SCALARS.construct_yaml_int(node)
        elif tag == _FLOAT:
            value = _SCALARS.construct_yaml_float(node)
        elif tag == _BOOL:
            value = _SCALARS.construct_yaml_bool(node)
        elif tag == _NULL:
            value = None
        else:
            raise self.fail(node, f"unsupported YAML tag {tag} (a document holds plain data)")
        return value

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for key_node, value_node in pairs(node, self.fail):
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a mapping key must be a plain value, not a list or mapping")
            key = str(key_node.value)
            child = (*path, key)
            if key in out:
                self.duplicates.append(child)
            out[key] = self.build(value_node, child)
        return out


def pairs(node: yaml.MappingNode, fail: Callable[[yaml.Node, str], LoadError]) -> list[tuple[yaml.Node, yaml.Node]]:
    """The mapping's pairs with YAML merge keys (<<) applied: merged pairs first, own pairs win."""
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    own: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise fail(source, "a YAML merge (<<) takes a mapping")
                merged.extend(pairs(source, fail))
        else:
            own.append((key_node, value_node))
    if not merged:
        return own
    own_keys = {key.value for key, _ in own}
    return [pair for pair in merged if pair[0].value not in own_keys] + own


def locate(root: yaml.Node, path: Path, key: bool) -> Position | None:
    """The position of the node at ``path`` (of its key, with ``key``), walking the parsed tree; None if absent.

    A duplicate key resolves to its last occurrence, whose value the data holds.
    """
    node, key_node = root, None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pair = _last_pair(node, part)
            if pair is None:
                return None
            key_node, node = pair
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return None
    mark = (key_node if key and key_node is not None else node).start_mark
    return mark.line + 1, mark.column + 1


def _last_pair(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The last pair of the mapping (merges applied) whose key is ``key``, None if there is none. An own pair
    wins over merged ones, so the own pairs are searched from the end first; the merged pairs (``pairs``) only
    when a merge key (<<) is met before a match."""
    own: list[tuple[yaml.Node, yaml.Node]] = node.value
    for key_node, value_node in reversed(own):
        if key_node.tag == _MERGE:
            found = [pair for pair in pairs(node, _no_fail) if str(pair[0].value) == key]
            return found[-1] if found else None
        if str(key_node.value) == key:
            return key_node, value_node
    return None


def _no_fail(node: yaml.Node, message: str) -> LoadError:
    return LoadError(message, file="")


def tables(root: yaml.Node) -> Tables:
    """Where every node of a tree read on the common path stands, by path (``Tables``): what ``locate`` finds
    for each path of the tree, the root's included."""
    values: dict[Path, Position] = {}
    keys: dict[Path, Position] = {}
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        mark = node.start_mark
        values[path] = (mark.line + 1, mark.column + 1)
        kind = type(node)
        if kind is _MappingNode:
            for key_node, value_node in node.value:
                child = (*path, str(key_node.value))
                mark = key_node.start_mark
                keys[child] = (mark.line + 1, mark.column + 1)
                stack.append((value_node, child))
        elif kind is _SequenceNode:
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))
    return values, keys
