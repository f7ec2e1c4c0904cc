"""``MutableRecord`` and ``IdentityRecord`` behave as the ``@dataclass`` each class was (issue 19: a cold start no
longer creates them): the same fields in the same order and defaults, equality, hashing, repr, mutability — each
class compared with a dataclass twin made from its old declaration, copied below. A ``default_factory`` field's
parameter defaults to None, standing for a fresh value (``toolkit.records``)."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from toolkit.fakes.cloudtrail.trail import Trail, default_event_selectors
from toolkit.fakes.iam import Group, Identity, InstanceProfile, Role, User
from toolkit.fakes.iam_policies import ManagedPolicy
from toolkit.fakes.kms import Grant, Key
from toolkit.fakes.organizations import SCP, ControlPolicy, Delegate, Member, Organization, OrganizationalUnit
from toolkit.fakes.record import CREATED
from toolkit.fakes.s3 import DEFAULT_CONTENT_TYPE, Bucket, S3Object
from toolkit.javaregex.classes import Bits
from toolkit.lint.engine import LintReport
from toolkit.lint.flow_graph import FlowGraph
from toolkit.records import IdentityRecord, MutableRecord, Record
from toolkit.simulate.execution import ChildExecution, ChildStart, Options, Outcome, OutputPlan, Plan, StepPlan
from toolkit.simulate.result import ChildRun, SimulationResult, StepRun

REQUIRED = dataclasses.MISSING


class Factory(NamedTuple):
    """A field's ``default_factory``."""

    make: Callable[[], Any]


OLD: list[tuple[type, str, list[tuple[str, Any]]]] = [
    (Bits, "eq", [("points", Factory(set))]),
    (LintReport, "eq", [("files", Factory(list)), ("findings", Factory(list))]),
    (
        FlowGraph,
        "eq",
        [("steps", REQUIRED), ("normal", Factory(dict)), ("abnormal", Factory(dict)), ("_reachable", Factory(dict))],
    ),
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
            ("jumps", Factory(dict)),
            ("extra", Factory(dict)),
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
            ("variable_types", Factory(dict)),
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
            ("children", Factory(list)),
            ("step_outputs", Factory(dict)),
        ],
    ),
    (Identity, "eq", [("name", REQUIRED), ("path", "/"), ("inline", ()), ("attached", ()), ("create_date", CREATED)]),
    (
        Role,
        "eq",
        [
            ("name", REQUIRED),
            ("path", "/"),
            ("inline", ()),
            ("attached", ()),
            ("create_date", CREATED),
            ("trust_policy", None),
            ("description", None),
            ("max_session_duration", 3600),
            ("permissions_boundary", None),
            ("tags", Factory(dict)),
        ],
    ),
    (
        User,
        "eq",
        [
            ("name", REQUIRED),
            ("path", "/"),
            ("inline", ()),
            ("attached", ()),
            ("create_date", CREATED),
            ("groups", ()),
            ("permissions_boundary", None),
            ("tags", Factory(dict)),
        ],
    ),
    (Group, "eq", [("name", REQUIRED), ("path", "/"), ("inline", ()), ("attached", ()), ("create_date", CREATED)]),
    (
        InstanceProfile,
        "eq",
        [("name", REQUIRED), ("path", "/"), ("roles", ()), ("tags", Factory(dict)), ("create_date", CREATED)],
    ),
    (
        ManagedPolicy,
        "eq",
        [
            ("name", REQUIRED),
            ("versions", REQUIRED),
            ("default_version_id", "v1"),
            ("next_version", 2),
            ("path", "/"),
            ("description", None),
            ("tags", Factory(dict)),
            ("create_date", CREATED),
            ("update_date", CREATED),
        ],
    ),
    (OrganizationalUnit, "eq", [("id", REQUIRED), ("name", REQUIRED), ("parent", REQUIRED), ("tags", Factory(dict))]),
    (Member, "eq", [("id", REQUIRED), ("parent", REQUIRED), ("name", None), ("email", None), ("tags", Factory(dict))]),
    (
        ControlPolicy,
        "eq",
        [
            ("id", REQUIRED),
            ("name", REQUIRED),
            ("content", REQUIRED),
            ("targets", ()),
            ("description", ""),
            ("type", SCP),
            ("tags", Factory(dict)),
        ],
    ),
    (Delegate, "eq", [("account_id", REQUIRED), ("service_principal", REQUIRED), ("enabled", CREATED)]),
    (
        Organization,
        "eq",
        [
            ("id", REQUIRED),
            ("management_account", REQUIRED),
            ("feature_set", "ALL"),
            ("trusted_services", ()),
            ("root", ""),
            ("units", ()),
            ("members", ()),
            ("policies", ()),
            ("delegates", ()),
            ("root_tags", Factory(dict)),
        ],
    ),
    (
        Trail,
        "eq",
        [
            ("name", REQUIRED),
            ("home_region", REQUIRED),
            ("s3_bucket_name", REQUIRED),
            ("s3_key_prefix", None),
            ("sns_topic_name", None),
            ("include_global_service_events", True),
            ("is_multi_region_trail", False),
            ("log_file_validation_enabled", False),
            ("cloud_watch_logs_log_group_arn", None),
            ("cloud_watch_logs_role_arn", None),
            ("kms_key_id", None),
            ("is_organization_trail", False),
            ("recursive_logging", None),
            ("is_logging", False),
            ("start_logging_time", None),
            ("stop_logging_time", None),
            ("event_selectors", Factory(default_event_selectors)),
            ("advanced_event_selectors", Factory(list)),
            ("has_custom_event_selectors", False),
            ("insight_selectors", Factory(list)),
            ("tags", Factory(dict)),
            ("delivery", None),
        ],
    ),
    (
        Grant,
        "eq",
        [
            ("grant_id", REQUIRED),
            ("grantee_principal", REQUIRED),
            ("operations", REQUIRED),
            ("issuing_account", REQUIRED),
            ("creation_date", CREATED),
            ("name", ""),
            ("retiring_principal", None),
            ("constraints", None),
        ],
    ),
    (
        Key,
        "eq",
        [
            ("key_id", REQUIRED),
            ("region", REQUIRED),
            ("aliases", ()),
            ("state", "Enabled"),
            ("description", ""),
            ("policy", None),
            ("deletion_date", None),
            ("key_spec", "SYMMETRIC_DEFAULT"),
            ("key_usage", "ENCRYPT_DECRYPT"),
            ("creation_date", CREATED),
            ("rotation_enabled", False),
            ("rotation_period", None),
            ("next_rotation", None),
            ("grants", ()),
            ("tags", Factory(dict)),
        ],
    ),
    (
        S3Object,
        "eq",
        [
            ("key", REQUIRED),
            ("body", REQUIRED),
            ("last_modified", CREATED),
            ("content_type", DEFAULT_CONTENT_TYPE),
            ("metadata", Factory(dict)),
            ("storage_class", "STANDARD"),
            ("server_side_encryption", "AES256"),
            ("sse_kms_key_id", None),
            ("bucket_key_enabled", False),
            ("version_id", None),
            ("delete_marker", False),
            ("tags", Factory(dict)),
            ("headers", Factory(dict)),
            ("expires", None),
        ],
    ),
    (
        Bucket,
        "eq",
        [
            ("name", REQUIRED),
            ("region", REQUIRED),
            ("policy", None),
            ("creation_date", None),
            ("versioning", Factory(dict)),
            ("encryption", None),
            ("public_access_block", None),
            ("acl", None),
            ("ownership_controls", None),
            ("logging", None),
            ("lifecycle", None),
            ("tags", Factory(dict)),
            ("notifications", Factory(dict)),
            ("object_lock", None),
            ("objects", Factory(dict)),
        ],
    ),
]
"""Each class, its old decorator (frozen=True; eq=True; eq=False) and its fields with their defaults (Factory: its
default_factory), as its ``@dataclass`` declared them."""
BASES = {"frozen": Record, "eq": MutableRecord, "identity": IdentityRecord}


def _twin(cls: type, kind: str, fields: list[tuple[str, Any]]) -> type:
    spec = [
        (name, object)
        if default is REQUIRED
        else (name, object, dataclasses.field(default_factory=default.make))
        if isinstance(default, Factory)
        else (name, object, dataclasses.field(default=default))
        for name, default in fields
    ]
    slots = "__slots__" in vars(cls)
    post = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {}
    return dataclasses.make_dataclass(
        cls.__name__, spec, frozen=kind == "frozen", eq=kind != "identity", slots=slots, namespace=post
    )


def _sample(fields: list[tuple[str, Any]], seed: int) -> dict[str, object]:
    return {name: (f"{name}-{seed}" if index % 2 else (index, seed)) for index, (name, _) in enumerate(fields)}


@pytest.mark.parametrize(("cls", "kind", "fields"), OLD, ids=[entry[0].__qualname__ for entry in OLD])
def test_a_record_behaves_as_its_old_dataclass(cls: type, kind: str, fields: list[tuple[str, Any]]) -> None:
    assert issubclass(cls, BASES[kind]) and not dataclasses.is_dataclass(cls)
    parameters = [(p.name, p.default) for p in inspect.signature(cls).parameters.values()]
    expected = [
        (name, inspect.Parameter.empty if default is REQUIRED else None if isinstance(default, Factory) else default)
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
    if "__slots__" in vars(cls):
        with pytest.raises(AttributeError):
            one.__dict__  # noqa: B018 - slots only, as the dataclass's
    else:  # a fake's record: fakes.record.Record.clone copies the instance's __dict__
        assert tuple(vars(one)) == cls._FIELDS  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cls", "kind", "fields"), OLD, ids=[entry[0].__qualname__ for entry in OLD])
def test_a_factory_field_left_out_is_a_fresh_value_each_time(
    cls: type, kind: str, fields: list[tuple[str, Any]]
) -> None:
    required = {name: f"{name}-1" for name, default in fields if default is REQUIRED}
    one, two = cls(**required), cls(**required)
    twin = _twin(cls, kind, fields)(**required)
    for name, default in fields:
        if isinstance(default, Factory):
            assert getattr(one, name) == default.make() and getattr(one, name) is not getattr(two, name)
        elif default is not REQUIRED:
            assert getattr(one, name) == getattr(twin, name)  # Organization's root: its __post_init__'s
            assert getattr(one, name) == default or hasattr(cls, "__post_init__")
    assert repr(one) == repr(twin)


def test_a_service_model_compares_and_shows_its_four_fields_and_keeps_its_caches_apart() -> None:
    from toolkit.aws.models import ServiceModel

    twin = dataclasses.make_dataclass(
        "ServiceModel",
        [
            ("service", object),
            ("api_version", object),
            ("operations", object),
            ("packed", object),
            *(
                (name, object, dataclasses.field(default_factory=dict, compare=False, repr=False))
                for name in ("decoded", "snake", "reach")
            ),
        ],
        frozen=True,
    )
    args = ("s3", "2006-03-01", (("A", 1),), (("B", b"x"),))
    one, same = ServiceModel(*args), ServiceModel(*args)
    one.snake["get_object"] = "GetObject"
    assert one == same and hash(one) == hash(same) == hash(twin(*args))
    assert repr(one) == repr(twin(*args)) and one != ServiceModel("s3", "2006-03-01", (), ())
    assert (
        same.snake == {} and same.decoded == {} and same.reach == {} and same.decoded is not ServiceModel(*args).decoded
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.snake = {}  # type: ignore[misc]
