"""``toolkit.records.Record`` behaves as the ``@dataclass(frozen=True, slots=True)`` each record was: the same
fields in the same order with the same defaults, equality, hash, repr and immutability (each record compared with a
dataclass twin made from its own fields)."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from toolkit.fakes.access import _Kept, _Resource
from toolkit.iam.conditions import Condition
from toolkit.iam.evaluate import Decision, Policies, Request
from toolkit.iam.policy import _Answer, _Statement
from toolkit.iam.variables import Template, Variable
from toolkit.model.flow import Edge, Handler, Jump, StepFlow, StepList
from toolkit.records import Record

RECORDS = [
    *(Request, Policies, Decision, _Answer, _Statement, Variable, Template, Condition, _Kept, _Resource),
    *(Handler, Edge, Jump, StepFlow, StepList),  # toolkit.model.flow's, once frozen slotted dataclasses
]


def _twin(cls: type[Record]) -> type:
    """The frozen dataclass ``cls`` stands for: its fields, in order, with its ``__init__``'s defaults."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = [
        (p.name, object)
        if p.default is inspect.Parameter.empty
        else (p.name, object, dataclasses.field(default=p.default))
        for p in parameters
    ]
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=True, slots=True)


def _sample(cls: type, seed: int) -> dict[str, object]:
    names = list(inspect.signature(cls.__init__).parameters)[1:]
    return {name: (f"{name}-{seed}" if index % 2 else (index, seed)) for index, name in enumerate(names)}


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__qualname__)
def test_a_record_behaves_as_its_frozen_dataclass(cls: type[Record]) -> None:
    twin = _twin(cls)
    assert tuple(field.name for field in dataclasses.fields(twin)) == cls._FIELDS
    assert sorted(cls.__slots__) == sorted(cls._FIELDS)
    one, same, other = cls(**_sample(cls, 1)), cls(**_sample(cls, 1)), cls(**_sample(cls, 2))
    twin_one = twin(**_sample(cls, 1))
    assert repr(one) == repr(twin_one).replace(twin.__qualname__, cls.__qualname__, 1)
    assert one == same and hash(one) == hash(same) == hash(twin_one)
    assert one != other
    assert one.__eq__(twin_one) is NotImplemented  # only a record of its very class is equal to it
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(one, cls._FIELDS[0], "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(one, cls._FIELDS[0])
    with pytest.raises(AttributeError):
        one.__dict__  # noqa: B018 - slots only, as the dataclass's


def test_defaults_are_the_dataclasses_defaults() -> None:
    assert Decision(True) == Decision(allowed=True, explicit=False, denied_by=None, notes=())
    assert Policies() == Policies((), None, None, None, None, None, "resource-based policy", False)
    assert Request(("AWS", "arn"), "s3:GetObject", "*") == Request(
        ("AWS", "arn"), "s3:GetObject", "*", (), "AssumedRole", ""
    )
