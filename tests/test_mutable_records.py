"""``MutableRecord`` and ``IdentityRecord`` behave as the ``@dataclass`` each class was (issue 19: a cold start no
longer creates them): the same fields in the same order and defaults, equality, hashing, repr, mutability — each
class compared with a dataclass twin made from its old declaration, copied below. A ``default_factory`` field's
parameter defaults to None, standing for a fresh value (``toolkit.records``)."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from toolkit.records import IdentityRecord, MutableRecord, Record
from toolkit.simulate.execution import ChildExecution, ChildStart, Options, Outcome, OutputPlan, Plan, StepPlan
from toolkit.simulate.result import ChildRun, SimulationResult, StepRun

REQUIRED = dataclasses.MISSING
OLD: list[tuple[type, str, list[tuple[str, Any]]]] = [
    (Outcome, "eq", [("response", None), ("builtin", None), ("jump", None)]),
    (
        OutputPlan,
        "eq",
        [("name", REQUIRED), ("selector", REQUIRED), ("type", REQUIRED), ("compiled", REQUIRED), ("read", REQUIRED)],
    ),
    (
        StepPlan,
        "identity",
        [
            ("index", REQUIRED),
            ("name", REQUIRED),
            ("action", REQUIRED),
            ("data", REQUIRED),
            ("inputs", REQUIRED),
            ("outputs", REQUIRED),
            ("max_attempts", REQUIRED),
            ("timeout", REQUIRED),
            ("on_failure", REQUIRED),
            ("on_cancel", REQUIRED),
            ("critical", REQUIRED),
            ("next_step", REQUIRED),
            ("following", REQUIRED),
            ("handler", REQUIRED),
            ("jumps", dict),
            ("extra", dict),
            ("simple", False),
        ],
    ),
    (
        Plan,
        "identity",
        [
            ("steps", REQUIRED),
            ("names", REQUIRED),
            ("parameters", REQUIRED),
            ("variables", REQUIRED),
            ("outputs", REQUIRED),
            ("name", REQUIRED),
            ("variable_types", dict),
            ("assume_role", None),
        ],
    ),
    (
        Options,
        "eq",
        [
            ("approve", True),
            ("resume", True),
            ("cancel_at", None),
            ("cpu_seconds", 5.0),
            ("documents", None),
            ("start", None),
            ("moto", False),
            ("caller", None),
            ("iam", True),
            ("account", None),
            ("region", None),
        ],
    ),
    (
        ChildExecution,
        "eq",
        [("execution_id", REQUIRED), ("status", REQUIRED), ("output", REQUIRED), ("message", REQUIRED)],
    ),
    (
        ChildStart,
        "frozen",
        [
            ("name", REQUIRED),
            ("execution_id", REQUIRED),
            ("parent_id", REQUIRED),
            ("depth", REQUIRED),
            ("version", "1"),
            ("recorder", None),
            ("executed_by", None),
            ("target", None),
        ],
    ),
    (
        StepRun,
        "eq",
        [
            ("name", REQUIRED),
            ("action", REQUIRED),
            ("status", REQUIRED),
            ("outputs", REQUIRED),
            ("failure_message", REQUIRED),
        ],
    ),
    (
        ChildRun,
        "eq",
        [
            ("execution_id", REQUIRED),
            ("document", REQUIRED),
            ("parent_id", REQUIRED),
            ("account", REQUIRED),
            ("region", REQUIRED),
            ("status", REQUIRED),
            ("target", None),
            ("failure_message", None),
        ],
    ),
    (
        SimulationResult,
        "eq",
        [
            ("status", REQUIRED),
            ("steps", REQUIRED),
            ("outputs", REQUIRED),
            ("calls", REQUIRED),
            ("world", REQUIRED),
            ("error", None),
            ("children", list),
            ("step_outputs", dict),
        ],
    ),
]
"""Each class, its old decorator (frozen=True; eq=True; eq=False) and its fields with their defaults (a type: its
default_factory), as its ``@dataclass`` declared them."""
BASES = {"frozen": Record, "eq": MutableRecord, "identity": IdentityRecord}


def _twin(cls: type, kind: str, fields: list[tuple[str, Any]]) -> type:
    spec = [
        (name, object)
        if default is REQUIRED
        else (name, object, dataclasses.field(default_factory=default))
        if isinstance(default, type)
        else (name, object, dataclasses.field(default=default))
        for name, default in fields
    ]
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=kind == "frozen", eq=kind != "identity", slots=True)


def _sample(fields: list[tuple[str, Any]], seed: int) -> dict[str, object]:
    return {name: (f"{name}-{seed}" if index % 2 else (index, seed)) for index, (name, _) in enumerate(fields)}


@pytest.mark.parametrize(("cls", "kind", "fields"), OLD, ids=[entry[0].__qualname__ for entry in OLD])
def test_a_record_behaves_as_its_old_dataclass(cls: type, kind: str, fields: list[tuple[str, Any]]) -> None:
    assert issubclass(cls, BASES[kind]) and not dataclasses.is_dataclass(cls)
    parameters = [(p.name, p.default) for p in inspect.signature(cls).parameters.values()]
    expected = [
        (name, inspect.Parameter.empty if default is REQUIRED else None if isinstance(default, type) else default)
        for name, default in fields
    ]
    assert parameters == expected
    assert tuple(name for name, _ in fields) == cls._FIELDS  # type: ignore[attr-defined]
    twin = _twin(cls, kind, fields)
    one, same, other = cls(**_sample(fields, 1)), cls(**_sample(fields, 1)), cls(**_sample(fields, 2))
    twin_one, twin_same = twin(**_sample(fields, 1)), twin(**_sample(fields, 1))
    assert repr(one) == repr(twin_one)
    assert (one == same) == (twin_one == twin_same) and (one != same) == (twin_one != twin_same)
    assert one != other
    assert one.__eq__(twin_one) is NotImplemented or kind == "identity"
    if kind == "eq":
        with pytest.raises(TypeError):
            hash(one)
    elif kind == "identity":
        assert hash(one) == object.__hash__(one) and one == one
    else:
        assert hash(one) == hash(same) == hash(twin_one)
    name = fields[0][0]
    if kind == "frozen":
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(one, name, "changed")
    else:
        setattr(one, name, "changed")
        setattr(twin_one, name, "changed")
        assert repr(one) == repr(twin_one)
    with pytest.raises(AttributeError):
        one.__dict__  # noqa: B018 - slots only, as the dataclass's


@pytest.mark.parametrize(("cls", "kind", "fields"), OLD, ids=[entry[0].__qualname__ for entry in OLD])
def test_a_factory_field_left_out_is_a_fresh_value_each_time(
    cls: type, kind: str, fields: list[tuple[str, Any]]
) -> None:
    required = {name: f"{name}-1" for name, default in fields if default is REQUIRED}
    one, two = cls(**required), cls(**required)
    twin = _twin(cls, kind, fields)(**required)
    for name, default in fields:
        if isinstance(default, type):
            assert getattr(one, name) == default() and getattr(one, name) is not getattr(two, name)
        elif default is not REQUIRED:
            assert getattr(one, name) == getattr(twin, name) == default
    assert repr(one) == repr(twin)
