"""toolkit.source reads the common YAML document on a fast path (``yaml_nodes.plain``) and leaves everything else to
``yaml_nodes.YamlBuilder``: both must give the same data, of the same types, and the same duplicate keys (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit import source, yaml_nodes
from toolkit.errors import LoadError
from toolkit.json_types import JSON

CORPUS = Path(__file__).parent / "data" / "corpus"


def _typed(value: JSON) -> object:
    """The value with every leaf's type beside it (``1 == 1.0 == True`` must not hide a difference)."""
    if isinstance(value, dict):
        return {key: _typed(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_typed(child) for child in value]
    return (type(value).__name__, value)


def _builder(text: str) -> tuple[object, tuple[source.Path, ...]]:
    node = yaml.compose(text, Loader=yaml_nodes._Loader)
    builder = yaml_nodes.YamlBuilder("x.yaml")
    data = builder.build(node, ())
    return _typed(data), tuple(builder.duplicates)


def _read(text: str) -> tuple[object, tuple[source.Path, ...]]:
    data, read = source.read_data(text, file="x.yaml")
    return _typed(data), read.duplicate_keys


def _corpus_yaml() -> list[Path]:
    return sorted(path for path in CORPUS.rglob("*") if path.suffix in (".yaml", ".yml"))


def test_the_vendored_corpus_reads_the_same_on_both_paths() -> None:
    compared = 0
    for path in _corpus_yaml():
        text = path.read_text(encoding="utf-8-sig")
        try:
            expected = _builder(text)
        except (yaml.YAMLError, LoadError):
            continue
        if not isinstance(expected[0], dict):
            continue
        assert _read(text) == expected, path
        compared += 1
    assert compared > 100


PLAIN = """\
schemaVersion: '0.3'
a: 1
b: 1.5
c: true
d: ~
e: 2001-12-14
f: "007"
g: [yes, No, 0x1F, 0o17, .inf, -.NaN, 1_000, '']
h: {i: [{j: null}], k: !!str 3}
"""


def test_a_plain_document_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _builder(PLAIN)

    def refused(*args: object) -> None:
        raise AssertionError("the builder is for unusual documents only")

    monkeypatch.setattr(yaml_nodes, "YamlBuilder", refused)
    assert _read(PLAIN) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\nb: {c: 1, c: 2}\n",  # duplicate keys, at the top and inside
        "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n",  # a merge key
        "a: &x [1, 2]\nb: *x\n",  # an alias read twice
        "a: !!binary aGVsbG8=\n",  # a text tag other than str
    ],
)
def test_unusual_documents_read_as_the_builder_reads_them(text: str) -> None:
    assert _read(text) == _builder(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x\n  b: *x\n", "a YAML alias refers to the node that contains it"),
        ("? [1, 2]\n: x\n", "a mapping key must be a plain value"),
        ("a: !custom 1\n", "unsupported YAML tag !custom"),
        ("a:\n  <<: 3\n", "a YAML merge (<<) takes a mapping"),
    ],
)
def test_unusual_documents_fail_as_the_builder_fails(text: str, message: str) -> None:
    with pytest.raises(LoadError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        source.read_data(text, file="x.yaml")
    assert caught.value.line is not None
