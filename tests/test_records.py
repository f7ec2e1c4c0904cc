"""``toolkit.records.Record`` behaves as the ``@dataclass(frozen=True, slots=True)`` each record was: the same
fields in the same order with the same defaults, equality, hash, repr and immutability (each record compared with a
dataclass twin made from its own fields)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import itertools
import pickle

import pytest

from toolkit.aws.arns import Template as ArnTemplate
from toolkit.aws.authorization import Need, _Action, _Type
from toolkit.build import Built
from toolkit.fakes.access import _Kept, _Resource
from toolkit.fakes.caller import Caller
from toolkit.fakes.cloudtrail.health import Verdicts
from toolkit.fakes.cloudtrail.trail import DeliveryRecord
from toolkit.fakes.iam_policies import PolicyVersion
from toolkit.iam.conditions import Condition
from toolkit.iam.evaluate import Decision, Policies, Request
from toolkit.iam.policy import _Answer, _Statement
from toolkit.iam.variables import Template, Variable
from toolkit.javaregex.unicode import Tables
from toolkit.lint.context import RefSite
from toolkit.lint.finding import Finding
from toolkit.lint.rule import Problem
from toolkit.lint.rules.cloudtrail import TrailCall
from toolkit.lint.rules.schema import _Place
from toolkit.lint.suppress import Suppression
from toolkit.model.flow import Edge, Handler, Jump, StepFlow, StepList
from toolkit.model.values import Ref
from toolkit.project import Project
from toolkit.records import KeyedRecord, Record
from toolkit.simulate.actions import Actions
from toolkit.source import Source

RECORDS = [
    *(Request, Policies, Decision, _Answer, _Statement, Variable, Template, Condition, _Kept, _Resource),
    *(Handler, Edge, Jump, StepFlow, StepList),  # toolkit.model.flow's, once frozen slotted dataclasses
    *(Finding, Problem, RefSite, Suppression, Source, _Place, TrailCall),  # the linter's, once the same
    *(ArnTemplate, _Type, _Action, Actions),  # the SAR's compiled actions and the simulator's registry, the same
    *(Project, Built),  # toolkit.project's and toolkit.build's, once frozen slotted dataclasses
    Tables,  # toolkit.javaregex.unicode's, once a frozen dataclass (not slotted: no instance had a __dict__ read)
    Ref,  # the model's typed reference, once a frozen slotted dataclass (issue 19: the model loads no dataclasses)
    *(Verdicts, DeliveryRecord, PolicyVersion),  # the fakes', once frozen dataclasses (a cold simulation makes none)
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
    for kept in (pickle.loads(pickle.dumps(one)), copy.copy(one), copy.deepcopy(one)):  # as the dataclass's
        assert kept == one and kept._values() == one._values() and type(kept) is cls


def test_defaults_are_the_dataclasses_defaults() -> None:
    assert Decision(True) == Decision(allowed=True, explicit=False, denied_by=None, notes=())
    assert Policies() == Policies((), None, None, None, None, None, "resource-based policy", False)
    assert Request(("AWS", "arn"), "s3:GetObject", "*") == Request(
        ("AWS", "arn"), "s3:GetObject", "*", (), "AssumedRole", ""
    )


def test_findings_are_ordered_as_their_order_true_dataclass_was() -> None:
    """Finding was ``@dataclass(frozen=True, slots=True, order=True)``: sorted by its fields in order, and only
    against another Finding."""
    twin = dataclasses.make_dataclass(
        "Finding", [(name, object) for name in Finding._FIELDS], frozen=True, slots=True, order=True
    )
    values = [
        ("b.yaml", 3, 1, "E1001", "x"),
        ("a.yaml", 10, 2, "W2003", "y"),
        ("a.yaml", 10, 2, "E1001", "z"),
        ("a.yaml", 2, 7, "E1001", "z"),
        ("a.yaml", 2, 7, "E1001", "a"),
        ("a.yaml", 2, 7, "E1001", "a"),
    ]
    ours, theirs = [Finding(*each) for each in values], [twin(*each) for each in values]
    assert [finding._values() for finding in sorted(ours)] == [dataclasses.astuple(each) for each in sorted(theirs)]
    assert [finding._values() for finding in sorted(set(ours))] == sorted(set(values))
    for one, two in itertools.pairwise(ours):
        for op in ("__lt__", "__le__", "__gt__", "__ge__"):
            assert getattr(one, op)(two) == getattr(twin(*one._values()), op)(twin(*two._values()))
            assert getattr(one, op)(one._values()) is NotImplemented
    with pytest.raises(TypeError):
        _ = ours[0] < values[0]  # type: ignore[operator]


def test_lint_config_and_script_step_behave_as_their_dataclasses_with_fields_left_out_of_comparison() -> None:
    """LintConfig was ``@dataclass(frozen=True)`` with ``source: field(compare=False)``; ScriptStep a frozen
    slotted dataclass whose ``trees`` was ``field(compare=False, repr=False)``."""
    from toolkit.lint.config import LintConfig
    from toolkit.lint.rules.scripts import ScriptStep

    config_twin = dataclasses.make_dataclass(
        "LintConfig",
        [
            *((name, object, dataclasses.field(default=())) for name in LintConfig._FIELDS),
            ("source", object, dataclasses.field(default=None, compare=False)),
        ],
        frozen=True,
    )
    values = {"select": ("E",), "ignore": ("W5",), "exclude": ("b/**",), "plugins": (), "per_file_ignores": ()}
    one, twin = LintConfig(**values, source="a.toml"), config_twin(**values, source="a.toml")
    assert repr(one) == repr(twin)
    assert one == LintConfig(**values, source="other.toml") and hash(one) == hash(LintConfig(**values)) == hash(twin)
    assert one != LintConfig(**{**values, "select": ()})
    assert repr(LintConfig()) == repr(config_twin())
    assert one.with_options(select=["I"], ignore=["E1"]) == LintConfig(
        **{**values, "select": ("I",), "ignore": ("W5", "E1")}
    )
    assert one.with_options().source == "a.toml" and one.with_options() == one
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.select = ()  # type: ignore[misc]

    step_twin = dataclasses.make_dataclass(
        "ScriptStep",
        [
            ("site", object),
            ("runtime", object),
            ("trees", object, dataclasses.field(default_factory=dict, compare=False, repr=False)),
        ],
        frozen=True,
        slots=True,
    )
    step, same = ScriptStep("site", "python3.11", {("x", 11): None}), ScriptStep("site", "python3.11")
    assert repr(step) == repr(step_twin("site", "python3.11", {("x", 11): None}))
    assert step == same and hash(step) == hash(same) == hash(step_twin("site", "python3.11"))
    assert same.trees == {} and ScriptStep("s", None).trees is not ScriptStep("s", None).trees
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.runtime = None  # type: ignore[misc]


@pytest.mark.parametrize("cls", [Need, Caller], ids=lambda cls: cls.__qualname__)
def test_a_keyed_record_behaves_as_its_frozen_slotted_dataclass_with_its_key_kept(cls: type[KeyedRecord]) -> None:
    """``Need`` and ``Caller`` were ``@dataclass(frozen=True, slots=True)`` with their hash kept in a field neither
    compared nor shown; as ``KeyedRecord``s they keep the tuple of their fields and its hash (``_key``, ``_hash``,
    slots of the base): the same signature, equality, hash, repr and immutability, and the key and hash are made
    anew when one is unpickled or copied."""
    assert not dataclasses.is_dataclass(cls)
    twin = _twin(cls)
    assert tuple(field.name for field in dataclasses.fields(twin)) == cls._FIELDS
    assert sorted(cls.__slots__) == sorted(cls._FIELDS) and KeyedRecord.__slots__ == ("_hash", "_key")
    one, same, other = cls(**_sample(cls, 1)), cls(**_sample(cls, 1)), cls(**_sample(cls, 2))
    twin_one = twin(**_sample(cls, 1))
    assert repr(one) == repr(twin_one).replace(twin.__qualname__, cls.__qualname__, 1)
    assert one == same and hash(one) == hash(same) == hash(twin_one) and one != other
    assert one._key == tuple(getattr(one, name) for name in cls._FIELDS)
    assert one.__eq__(twin_one) is NotImplemented
    for name in (cls._FIELDS[0], "_hash", "_key", "other"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(one, name, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(one, cls._FIELDS[0])
    for kept in (pickle.loads(pickle.dumps(one)), copy.copy(one), copy.deepcopy(one)):
        assert kept == one and hash(kept) == hash(one) and type(kept) is cls and kept._key == one._key


def test_a_need_and_a_caller_take_their_dataclasses_defaults() -> None:
    assert Need("s3:GetObject", "*") == Need("s3:GetObject", "*", (), frozenset(), False)
    role = "arn:aws:iam::123456789012:role/R"
    session = "arn:aws:sts::123456789012:assumed-role/R/s"
    assert Caller(session, "123456789012", role, "AssumedRole", "R") == Caller(
        arn=session,
        account="123456789012",
        principal_arn=role,
        kind="AssumedRole",
        name="R",
        session_name=None,
        session_policies=None,
    )


def test_a_delivery_record_is_replaced_as_dataclasses_replace_did() -> None:
    """``DeliveryRecord.replace`` stands for ``dataclasses.replace``: every field kept but those named, a new record
    of the same class; a name that is not a field is a TypeError."""
    twin = _twin(DeliveryRecord)
    record, twin_record = DeliveryRecord(**_sample(DeliveryRecord, 1)), twin(**_sample(DeliveryRecord, 1))
    changes = {"attempt": "later", "error": None, "cloudwatch_error": "AccessDenied"}
    changed = record.replace(**changes)
    assert changed._values() == dataclasses.astuple(dataclasses.replace(twin_record, **changes))
    assert type(changed) is DeliveryRecord and record == DeliveryRecord(**_sample(DeliveryRecord, 1))  # unchanged
    assert record.replace() == record and record.replace() is not record
    with pytest.raises(TypeError):
        record.replace(bogus=1)


def test_a_reference_spells_itself_as_the_dataclass_did() -> None:
    """Ref's ``source`` defaulted to ``{{ target }}`` in its ``__post_init__``: an empty one still does."""
    assert Ref("Name") == Ref("Name", "{{ Name }}") == Ref("Name", "")
    assert Ref("Name", "{{Name}}").source == "{{Name}}" and str(Ref("a.b")) == "{{ a.b }}"
    match Ref("a.b"):
        case Ref(target, source):
            assert (target, source) == ("a.b", "{{ a.b }}")
