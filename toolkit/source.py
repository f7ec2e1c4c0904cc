"""Read a document's text (YAML or JSON) into plain data, with a source map from paths to line:column.

This is the reading half of loading, kept apart from the model so that a linter can read and locate without
building the typed model. YAML is read as YAML 1.1 (as PyYAML reads it) with two deliberate differences, both so
that a document's data is exactly its JSON: timestamps stay strings, and mapping keys are their source text.
"""

from __future__ import annotations

import bisect
import json
import marshal
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Final

from toolkit.errors import LoadError, NotADocumentError
from toolkit.files import KeptFile
from toolkit.json_types import JSON, Path, Position
from toolkit.records import Record
from toolkit.version import VERSION

if TYPE_CHECKING:
    from toolkit.yaml_nodes import Tables


class SourceMap:
    """Where each node of a loaded document stands: path -> (line, column), both 1-based.

    A path is the keys and list indexes from the document's root, e.g. ``("mainSteps", 2, "inputs", "Api")``.
    ``key`` gives the position of a mapping key, ``value`` the position of the value; a path that is not in
    the map falls back to its nearest ancestor, so a finding always has a location.

    Positions are found on demand: from tables (``values``, ``keys``), from tables computed on first use
    (``compute``), or by walking the parsed node tree (``locate``), so a document nobody asks about costs nothing.
    """

    def __init__(
        self,
        values: Mapping[Path, Position] | None = None,
        keys: Mapping[Path, Position] | None = None,
        compute: Callable[[], tuple[dict[Path, Position], dict[Path, Position]]] | None = None,
        locate: Callable[[Path, bool], Position | None] | None = None,
    ) -> None:
        self._values = dict(values or {})
        self._keys = dict(keys or {})
        self._compute = compute
        self._locate = locate

    def _ready(self) -> None:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            self._values, self._keys = compute()

    def value(self, path: Path) -> Position:
        if self._locate is not None:
            return self._walk(path, key=False)
        self._ready()
        return _nearest(self._values, path)

    def key(self, path: Path) -> Position:
        if self._locate is not None:
            return self._walk(path, key=True)
        self._ready()
        if path in self._keys:
            return self._keys[path]
        return _nearest(self._values, path)

    def _walk(self, path: Path, *, key: bool) -> Position:
        assert self._locate is not None
        found = self._locate(path, key) if path else None
        while found is None and path:
            path = path[:-1]
            found = self._locate(path, False)
        return found or (1, 1)


def _nearest(table: Mapping[Path, Position], path: Path) -> Position:
    while path:
        if path in table:
            return table[path]
        path = path[:-1]
    return table.get((), (1, 1))


class Source(Record):
    """The file a document was loaded from, its data as loaded, and its source map. A ``Record``
    (``toolkit.records``), as the frozen slotted dataclass it was."""

    __slots__ = ("data", "duplicate_keys", "file", "format", "positions")
    _FIELDS = ("file", "format", "data", "positions", "duplicate_keys")

    file: str
    format: str
    data: dict[str, JSON]
    positions: SourceMap
    duplicate_keys: tuple[Path, ...]

    def __init__(
        self, file: str, format: str, data: dict[str, JSON], positions: SourceMap, duplicate_keys: tuple[Path, ...] = ()
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "file", file)
        setattr_(self, "format", format)
        setattr_(self, "data", data)
        setattr_(self, "positions", positions)
        setattr_(self, "duplicate_keys", duplicate_keys)


def read_data(
    text: str, *, file: str, what: str | None = None, parsed: ParsedYaml | None = None
) -> tuple[dict[str, JSON], Source]:
    """Parse text as JSON (when it looks like JSON) or YAML, into data and its source. The top level must be a
    mapping (``NotADocumentError`` otherwise): an Automation document's, or what ``what`` names (``"a world
    file"``), which the message then says must be a mapping. With ``parsed`` (``ParsedYaml``), a YAML text read
    before is taken from it, and one read now is added to it."""
    if "\x00" in text:
        raise LoadError("binary content, not a document" if what is None else f"binary content, not {what}", file=file)
    if text.lstrip().startswith("{"):
        data, source = _read_json(text, file, what)
    else:
        data, source = _read_yaml(text, file, what, parsed)
    return data, source


# -- JSON ---------------------------------------------------------------------------------------------------


def _read_json(text: str, file: str, what: str | None) -> tuple[dict[str, JSON], Source]:
    duplicates: list[Path] = []

    def pairs(items: list[tuple[str, JSON]]) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for key, value in items:
            if key in out:
                duplicates.append((key,))
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise LoadError(f"invalid JSON: {err.msg}", file=file, line=err.lineno, column=err.colno) from err
    except RecursionError as err:
        raise LoadError("invalid JSON: nested too deeply", file=file) from err
    _require_mapping(data, file, what)
    positions = SourceMap(compute=lambda: _json_positions(text))
    return data, Source(file=file, format="json", data=data, positions=positions, duplicate_keys=tuple(duplicates))


def _json_positions(text: str) -> tuple[dict[Path, Position], dict[Path, Position]]:
    """Where each value (and each member's key) of a JSON document stands, as ``json_source_map.calculate``
    reports it (its JSON pointers, which name a key by its text between the quotes, read back by
    ``_pointer_path``; a later duplicate wins), found by ``_json_starts`` without importing it."""
    values: dict[Path, Position] = {}
    keys: dict[Path, Position] = {}
    line_starts = [0]
    line_starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
    for pointer, (value_at, key_at) in _json_starts(text).items():
        path = _pointer_path(pointer)
        values[path] = _line_column(line_starts, value_at)
        if key_at is not None:
            keys[path] = _line_column(line_starts, key_at)
    return values, keys


def _line_column(line_starts: list[int], offset: int) -> Position:
    """1-based line and column of a character: lines end at ``\\n`` only (JSON strings hold no raw line
    break), and a column counts characters, ``\\r`` and tabs one each, as json_source_map counts them."""
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


_LINE_BREAK = re.compile("\n")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_PRIMITIVE = re.compile(r"[^\[\]{}:, \t\n\r]*")


def _json_starts(text: str) -> dict[str, tuple[int, int | None]]:
    """JSON pointer -> (offset of its value, offset of its key's opening quote or None) for valid JSON text, in
    json_source_map's order: a container, then each member or item and what it holds."""
    out: dict[str, tuple[int, int | None]] = {}
    space, primitive = _JSON_SPACE.match, _JSON_PRIMITIVE.match
    scan = json.decoder.scanstring  # type: ignore[attr-defined]  # the C string scanner json.loads uses

    def value(at: int, pointer: str, key_at: int | None) -> int:
        at = space(text, at).end()  # type: ignore[union-attr]
        out[pointer] = (at, key_at)
        char = text[at]
        if char == '"':
            return int(scan(text, at + 1)[1])
        if char not in "[{":
            return primitive(text, at).end()  # type: ignore[union-attr]
        closing, index, at = ("]" if char == "[" else "}"), 0, at + 1
        while True:
            at = space(text, at).end()  # type: ignore[union-attr]
            char = text[at]
            if char == closing:
                return at + 1
            if char == ",":
                at += 1
            elif closing == "]":
                at = value(at, f"{pointer}/{index}", None)
                index += 1
            else:
                end = int(scan(text, at + 1)[1])
                colon = space(text, end).end()  # type: ignore[union-attr]
                at = value(colon + 1, f"{pointer}/{text[at + 1 : end - 1]}", at)

    value(0, "", None)
    return out


def _pointer_path(pointer: str) -> Path:
    if not pointer:
        return ()
    parts: list[str | int] = []
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


# -- YAML ---------------------------------------------------------------------------------------------------


def _read_yaml(text: str, file: str, what: str | None, parsed: ParsedYaml | None) -> tuple[dict[str, JSON], Source]:
    known = parsed.get(text) if parsed is not None else None
    if known is not None:
        kept, values, keys = known
        positions = SourceMap(locate=_table_locator(text, values, keys))
        return kept, Source(file=file, format="yaml", data=kept, positions=positions)
    from toolkit import yaml_nodes  # lazy: PyYAML only for a text not read before (ParsedYaml)

    node = yaml_nodes.compose(text, file)
    if node is None:
        raise NotADocumentError("empty file, not a document" if what is None else f"empty file, not {what}", file=file)
    data, duplicates, plain = yaml_nodes.read_node(node, file)
    _require_mapping(data, file, what)
    assert isinstance(data, dict)
    if parsed is not None and plain:
        parsed.add(text, data, yaml_nodes.tables(node))
    root = node
    positions = SourceMap(locate=lambda path, key: yaml_nodes.locate(root, path, key))
    source = Source(file=file, format="yaml", data=data, positions=positions, duplicate_keys=duplicates)
    return data, source


def _require_mapping(data: object, file: str, what: str | None) -> None:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value" if data is not None else "empty"
        message = (
            f"not an Automation document: the top level is {kind}, not a mapping"
            if what is None
            else f"{what} must be a mapping, but its top level is {kind}"
        )
        raise NotADocumentError(message, file=file, line=1, column=1)


# -- YAML read before -----------------------------------------------------------------------------------------

PARSED_FORMAT: Final = 1
PARSED_LIMIT: Final = 2000
"""Documents kept on disk at most; past that the file keeps only what the last run read."""


def default_parsed_file() -> FilePath:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return FilePath(root, "ssm-runbook-toolkit", "lint", "parsed-yaml.marshal")


class ParsedYaml:
    """YAML documents already read, by their whole text: their data and where each of their nodes stands, kept
    for a run and, with a file, between runs. Its owner is the caller that passes it to ``read_data`` (a
    ``Linter``); composing a document with libyaml is most of reading it, and a warm lint of a folder reads each
    document from here instead (a marshal load, a seventh of the cost).

    Only a document read on the common path is kept: a mapping, every key a plain scalar, no key written twice,
    no merge key (``yaml_nodes.plain``). Its positions are the very ones ``yaml_nodes.locate`` finds on its node
    tree (every path of the tree, with the key's position for a mapping member), and a path holding something else
    than strings and integers is located on the tree, composed again (``_table_locator``). A run whose YAML
    documents all come from here never loads PyYAML.

    The file (``$XDG_CACHE_HOME/ssm-runbook-toolkit/lint/parsed-yaml.marshal``, else under ``~/.cache``) holds the
    documents and the key they were read under: the toolkit's version, the Python and PyYAML that read them, and
    the size and modification time of this module and of ``toolkit.yaml_nodes``. A file with another key is
    ignored and replaced, so an upgrade or an edit of the reader refreshes it. It is read on first use, written
    atomically (``toolkit.files``) by ``save`` when a run read something new, and a file that cannot be read or
    written is not used: the documents are then composed, never guessed.
    """

    def __init__(self, file: FilePath | None = None) -> None:
        self._kept: KeptFile[str, bytes] = KeptFile(file, PARSED_FORMAT, _parsed_key, PARSED_LIMIT)

    @property
    def file(self) -> FilePath | None:
        return self._kept.file

    def get(self, text: str) -> tuple[dict[str, JSON], dict[Path, Position], dict[Path, Position]] | None:
        """The data and tables of a text read before, else None."""
        blob = self._kept.get(text)
        if blob is None:
            return None
        try:
            data, values, keys = marshal.loads(blob)
        except (EOFError, ValueError, TypeError):
            return None
        return data, values, keys

    def add(self, text: str, data: dict[str, JSON], tables: Tables) -> None:
        """Keep a text read on the common path (``yaml_nodes.plain``): its data as it is now, and its node tree's
        tables (``yaml_nodes.tables``)."""
        try:
            values, keys = tables
            blob = marshal.dumps((data, values, keys))
        except (RecursionError, ValueError):
            return
        self._kept.put(text, blob)

    def save(self) -> None:
        """Write what this run read, with what the file held (``toolkit.files.KeptFile``: never fails)."""
        self._kept.save()


def _parsed_key() -> str:
    """What a document's data and positions depend on besides its text (``ParsedYaml``'s doc)."""
    readers = []
    for module in (__file__, os.path.join(os.path.dirname(__file__), "yaml_nodes.py")):
        try:
            stat = os.stat(module)
            readers.append(f"{stat.st_size:x}:{stat.st_mtime_ns:x}")
        except OSError:
            readers.append("unreadable")
    return "|".join((VERSION, sys.version, _pyyaml_key(), *readers))


def _pyyaml_key() -> str:
    """The PyYAML installed, without importing it (a warm lint never loads it): where its package is, and the size
    and modification time of its ``__init__.py`` (which holds ``__version__``: an upgrade or reinstall rewrites it)."""
    import importlib.util  # lazy: importlib.util only when the file of documents read before is read or written

    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None else None
    try:
        stat = os.stat(origin) if origin else None
    except OSError:
        stat = None
    return "no PyYAML" if stat is None else f"{origin}:{stat.st_size:x}:{stat.st_mtime_ns:x}"


_PART_TYPES: Final = (str, int, bool)


def _table_locator(
    text: str, values: dict[Path, Position], keys: dict[Path, Position]
) -> Callable[[Path, bool], Position | None]:
    """``yaml_nodes.locate`` for a document kept by ``ParsedYaml``, from its tables: a path of strings and integers
    is in them exactly when ``yaml_nodes.locate`` finds it (a mapping's keys are strings, a list's indexes
    integers); any other path (a float equals an integer in a table) is located on the tree, composed again when
    first needed."""
    composed: list[Any] = []

    def locate(path: Path, key: bool) -> Position | None:
        for part in path:
            if type(part) not in _PART_TYPES:
                from toolkit import yaml_nodes  # lazy: PyYAML only for a path the tables cannot answer

                if not composed:
                    composed.append(yaml_nodes.compose(text, ""))  # read before: it composes
                return yaml_nodes.locate(composed[0], path, key)
        found = values.get(path)
        if found is not None and key and path in keys:
            return keys[path]
        return found

    return locate
