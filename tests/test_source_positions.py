"""toolkit.source finds positions without the slow ways it used to (issue 19): a JSON document's from its own scanner
instead of ``json_source_map`` (kept as the reference here), a YAML path without rebuilding each mapping's pairs.
Both must give exactly what the old ways gave, on the corpus and on generated documents."""

from __future__ import annotations

import json
from pathlib import Path

import json_source_map
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import data_paths
from toolkit import source, yaml_nodes
from toolkit.errors import LoadError

CORPUS = Path(__file__).parent / "data" / "corpus"


def _reference_json(text: str) -> tuple[dict[source.Path, source.Position], dict[source.Path, source.Position]]:
    """What ``_json_positions`` gave when it asked json_source_map."""
    values: dict[source.Path, source.Position] = {}
    keys: dict[source.Path, source.Position] = {}
    for pointer, entry in json_source_map.calculate(text).items():
        path = source._pointer_path(pointer)
        values[path] = (entry.value_start.line + 1, entry.value_start.column + 1)
        if entry.key_start is not None:
            keys[path] = (entry.key_start.line + 1, entry.key_start.column + 1)
    return values, keys


def _same_json(text: str) -> None:
    expected, found = _reference_json(text), source._json_positions(text)
    assert found == expected
    assert [list(table) for table in found] == [list(table) for table in expected]  # the same order, too


def _corpus_json() -> list[Path]:
    return sorted(CORPUS.rglob("*.json"))


@pytest.mark.parametrize("path", _corpus_json(), ids=lambda path: path.name)
def test_json_positions_are_json_source_maps_on_the_corpus(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    json.loads(text)
    _same_json(text)


SPACE = st.sampled_from(["", " ", "  ", "\n", "\r\n", "\t", "\n    ", " \n\t "])
KEYS = st.sampled_from(["a", "b", "0", "12", "a/b", "x~1y", "~0", "é", 'q\\"t', "s\\/l", "u\\u0041", "", "mainSteps"])
SCALARS = st.sampled_from(['"text"', '"with \\"quote\\""', '"a\\nb"', "1", "-2.5e3", "true", "false", "null", '""'])


def _render(draw: st.DrawFn, depth: int) -> str:
    kind = draw(st.sampled_from(["scalar", "list", "map"] if depth < 4 else ["scalar"]))
    if kind == "scalar":
        return draw(SCALARS)
    count = draw(st.integers(0, 4))
    if kind == "list":
        items = [draw(SPACE) + _render(draw, depth + 1) + draw(SPACE) for _ in range(count)]
        return "[" + ",".join(items) + draw(SPACE) + "]"
    members = [
        draw(SPACE) + '"' + draw(KEYS) + '"' + draw(SPACE) + ":" + draw(SPACE) + _render(draw, depth + 1) + draw(SPACE)
        for _ in range(count)
    ]
    return "{" + ",".join(members) + draw(SPACE) + "}"


@st.composite
def json_documents(draw: st.DrawFn) -> str:
    """A JSON mapping laid out every which way, with duplicate keys, escapes, digits and slashes in keys."""
    members = [
        draw(SPACE) + '"' + draw(KEYS) + '"' + draw(SPACE) + ":" + draw(SPACE) + _render(draw, 1) + draw(SPACE)
        for _ in range(draw(st.integers(0, 5)))
    ]
    return draw(SPACE) + "{" + ",".join(members) + draw(SPACE) + "}" + draw(SPACE)


@given(json_documents())
def test_json_positions_are_json_source_maps_on_any_layout(text: str) -> None:
    json.loads(text)
    _same_json(text)


def _old_locate(root: yaml.Node, path: source.Path, key: bool) -> source.Position | None:
    """``toolkit.source._locate`` as it was: every mapping's pairs rebuilt (merges applied), the last match kept."""
    node, key_node = root, None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pairs = [pair for pair in yaml_nodes.pairs(node, yaml_nodes._no_fail) if str(pair[0].value) == part]
            if not pairs:
                return None
            key_node, node = pairs[-1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return None
    mark = (key_node if key and key_node is not None else node).start_mark
    return mark.line + 1, mark.column + 1


def _same_yaml(text: str) -> None:
    node = yaml.compose(text, Loader=yaml_nodes._Loader)
    data, _ = source.read_data(text, file="x.yaml")
    for path in [*data_paths(data, ()), ("nothing",), ("mainSteps", 99, "name")]:
        for key in (False, True):
            assert yaml_nodes.locate(node, path, key) == _old_locate(node, path, key), (path, key)


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml"))[::7], ids=lambda path: path.name
)
def test_yaml_locate_is_the_old_walk_on_the_corpus(path: Path) -> None:
    _same_yaml(path.read_bytes().decode("utf-8-sig"))


MERGES = """
base: &base
  a: 1
  b: {c: 2}
other: &other
  b: 3
  d: 4
merged:
  <<: [*base, *other]
  a: 10
  a: 11
after:
  a: 1
  <<: *base
  e: 5
  <<: *other
"""


def test_yaml_locate_is_the_old_walk_with_merges_and_duplicates() -> None:
    _same_yaml(MERGES)


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "<<", "c"]), st.sampled_from(["1", "*m", "{a: 2}", "[*m, *n]"])),
        max_size=6,
    )
)
def test_yaml_locate_is_the_old_walk_whatever_the_merge_keys_and_duplicates(pairs: list[tuple[str, str]]) -> None:
    text = "m: &m {a: 0, c: 9}\nn: &n {b: 1}\nx:\n" + "".join(f"  {key}: {value}\n" for key, value in pairs)
    try:
        source.read_data(text, file="x.yaml")  # a document that cannot be read is never located in
    except LoadError:
        return
    node = yaml.compose(text, Loader=yaml_nodes._Loader)
    for name in ("a", "b", "c", "<<", "z"):
        for key in (False, True):
            assert yaml_nodes.locate(node, ("x", name), key) == _old_locate(node, ("x", name), key)
