"""The pattern tree's nodes and ``Info`` behave as the ``@dataclass`` classes they were (issue 19: a cold start no
longer creates 14 dataclasses): the same parameters and defaults, equality only with the very same class field by
field, unhashable, mutable, the same repr (``Info`` leaving ``branched`` out) — each compared with a dataclass
twin built from the old declarations."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from toolkit.javaregex import nodes
from toolkit.javaregex.charset import CharSet
from toolkit.javaregex.nodes import Info, Java, Mode
from toolkit.records import MutableRecord

REQUIRED = dataclasses.MISSING
OLD: dict[str, list[tuple[str, Any]]] = {
    "Chars": [("chars", REQUIRED)],
    "Slice": [("chars", REQUIRED)],
    "Seq": [("items", REQUIRED)],
    "Alt": [("branches", REQUIRED)],
    "Group": [("body", REQUIRED), ("index", None), ("name", None)],
    "Look": [("body", REQUIRED), ("behind", REQUIRED), ("negative", REQUIRED), ("supplementary", False)],
    "Atomic": [("body", REQUIRED)],
    "Repeat": [("body", REQUIRED), ("low", REQUIRED), ("high", REQUIRED), ("mode", REQUIRED), ("java", REQUIRED)],
    "Anchor": [("python", REQUIRED)],
    "Bound": [("negate", REQUIRED), ("unicode", REQUIRED)],
    "BackRef": [("group", REQUIRED), ("case", ""), ("closed", True)],
    "LineEnding": [],
    "Unsupported": [("construct", REQUIRED)],
    "Info": [("min", 0), ("max", 0), ("max_valid", True), ("deterministic", True), ("branched", False)],
}
"""Each class's fields and defaults as its ``@dataclass`` declared them."""


def _twin(name: str) -> type:
    fields = [
        (field, object) if default is REQUIRED else (field, object, dataclasses.field(default=default))
        for field, default in OLD[name]
    ]
    if name == "Info":  # branched: field(default=False, repr=False)
        fields[-1] = ("branched", object, dataclasses.field(default=False, repr=False))
    return dataclasses.make_dataclass(name, fields)


def _sample(name: str, seed: int) -> dict[str, object]:
    values: list[object] = [seed, f"s{seed}", [nodes.Anchor(f"a{seed}")], Mode.LAZY, Java.LOOP]
    return {field: values[(index + seed) % len(values)] for index, (field, _) in enumerate(OLD[name])}


def test_every_node_class_is_compared_with_its_old_declaration() -> None:
    classes = {
        name for name, value in vars(nodes).items() if isinstance(value, type) and issubclass(value, MutableRecord)
    }
    assert classes - {"MutableRecord", "Node"} == set(OLD)


@pytest.mark.parametrize("name", sorted(OLD))
def test_a_node_behaves_as_its_dataclass(name: str) -> None:
    cls = getattr(nodes, name)
    twin = _twin(name)
    parameters = list(inspect.signature(cls).parameters.values())
    assert [(p.name, REQUIRED if p.default is inspect.Parameter.empty else p.default) for p in parameters] == OLD[name]
    assert tuple(field for field, _ in OLD[name]) == cls._FIELDS
    one, same, other = cls(**_sample(name, 1)), cls(**_sample(name, 1)), cls(**_sample(name, 2))
    twin_one = twin(**_sample(name, 1))
    assert repr(one) == repr(twin_one)
    assert one == same
    assert not one != same  # noqa: SIM202 - __ne__ follows __eq__
    assert (one == other) == (twin_one == twin(**_sample(name, 2)))
    assert one.__eq__(twin_one) is NotImplemented
    with pytest.raises(TypeError):
        hash(one)
    for field in cls._FIELDS:
        setattr(one, field, "changed")
        setattr(twin_one, field, "changed")
        assert getattr(one, field) == "changed"
    assert repr(one) == repr(twin_one)
    with pytest.raises(AttributeError):
        one.undeclared = 1


def test_info_leaves_branched_out_of_its_repr_but_not_out_of_equality() -> None:
    assert repr(Info()) == "Info(min=0, max=0, max_valid=True, deterministic=True)"
    assert Info() != Info(branched=True)
    seq = nodes.Seq([nodes.Chars(CharSet(((97, 97),)))])
    assert seq == nodes.Seq([nodes.Chars(CharSet(((97, 97),)))]) != nodes.Seq([])
