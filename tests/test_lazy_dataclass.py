"""``lazy_dataclass``: a step class is made its dataclass on first use, and is then that dataclass in every respect.

Each class of ``toolkit.steps`` and ``toolkit.model.step`` is compared, field by field and instance by instance,
with its twin: the same source loaded again with ``lazy_dataclass`` replaced by ``@dataclass(frozen=True,
kw_only=True)``, the decorator it had before. The comparison runs in a fresh interpreter so that no other test has
already made a class its dataclass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r'''
import dataclasses, importlib, inspect, sys

import toolkit.steps as lazy_steps
import toolkit.model.step as lazy_model
import toolkit.lazy_dataclass as lazy

MODULES = ["toolkit.model.step", *sorted(name for name in sys.modules if name.startswith("toolkit.steps"))]
LAZY = {name: sys.modules[name] for name in MODULES}
CLASSES = sorted(
    {
        (name, attr)
        for name, module in LAZY.items()
        for attr, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == name and "__dataclass_fields__" in vars(value)
        and isinstance(vars(value)["__dataclass_fields__"], lazy._LazyMethod)
    }
)
# importing the steps made no dataclass
assert len(CLASSES) >= 28, CLASSES
assert all(isinstance(vars(getattr(LAZY[m], a))["__init__"], lazy._LazyMethod) for m, a in CLASSES)

for name in MODULES:
    del sys.modules[name]
lazy.lazy_dataclass = dataclasses.dataclass(frozen=True, kw_only=True)
importlib.import_module("toolkit.steps")
TWIN = {name: sys.modules[name] for name in MODULES}

from toolkit.model.values import Kind

SAMPLE = {
    Kind.STRING: "text", Kind.INTEGER: 3, Kind.BOOLEAN: True, Kind.STRING_LIST: ["a", "b"],
    Kind.STRING_MAP: {"k": "v"}, Kind.MAP_LIST: [{"k": "v"}], Kind.LIST: [1, "a"], Kind.ANY: {"k": [1]},
}


def attempt(make):
    try:
        return ("ok", make())
    except Exception as error:  # the very same failure on both sides
        return ("error", type(error).__name__, str(error))


def field_view(field):
    return (
        field.name, field.type, repr(field.default), field.default_factory, field.init, field.repr, field.compare,
        field.hash, field.kw_only, repr(dict(field.metadata)), field._field_type,
    )


def kwargs_for(cls, model, everything):
    out = {}
    for field in dataclasses.fields(cls):
        spec = field.metadata.get("input")
        if field.name == "name":
            out["name"] = "Step1"
        elif spec is not None and (spec.required or everything):
            out[field.name] = SAMPLE[spec.kind]
        elif everything and field.name == "outputs":
            out["outputs"] = [model.Output(name="Out", selector="$.x")]
        elif everything and field.name in ("description", "next_step", "on_failure"):
            out[field.name] = "Abort" if field.name == "on_failure" else "text"
        elif everything and field.name in ("max_attempts", "timeout_seconds"):
            out[field.name] = 2
    return out


def view(value, module_names):
    """An instance's observable behaviour, with the module's classes told apart only by name."""
    if value[0] == "error":
        return value
    instance = value[1]
    out = [repr(instance), instance == instance, instance != instance]
    out.append(attempt(lambda: hash(instance))[0::2] if attempt(lambda: hash(instance))[0] == "error" else "hashable")
    out.append(attempt(lambda: setattr(instance, "name", "x")))
    out.append(attempt(lambda: delattr(instance, "name")))
    out.append(repr(dataclasses.replace(instance)))
    out.append(dataclasses.replace(instance) == instance)
    out.append(repr(attempt(lambda: dataclasses.asdict(instance))))
    out.append(repr(attempt(lambda: instance.to_dict())))
    out.append(repr(attempt(lambda: instance.check_definition())))
    out.append(repr(attempt(lambda: instance.output_names())))
    return out


checked = 0
for module_name, attr in CLASSES:
    lazy, twin = getattr(LAZY[module_name], attr), getattr(TWIN[module_name], attr)
    assert twin is not lazy
    # the class, as introspected (the first lookup makes the lazy class its dataclass)
    assert str(inspect.signature(lazy)) == str(inspect.signature(twin)), attr
    assert dataclasses.is_dataclass(lazy) and dataclasses.is_dataclass(twin)
    assert [field_view(f) for f in dataclasses.fields(lazy)] == [field_view(f) for f in dataclasses.fields(twin)], attr
    assert repr(lazy.__dataclass_params__) == repr(twin.__dataclass_params__), attr
    assert lazy.__match_args__ == twin.__match_args__
    assert lazy.__doc__ == twin.__doc__
    assert lazy.__qualname__ == twin.__qualname__
    assert [c.__qualname__ for c in lazy.__mro__] == [c.__qualname__ for c in twin.__mro__]
    specials = ("__new__", "__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__setstate__")
    for special in specials:
        assert (special in vars(lazy)) == (special in vars(twin)), (attr, special)
        assert (getattr(lazy, special, 0) is None) == (getattr(twin, special, 0) is None), (attr, special)
    if not issubclass(twin, TWIN["toolkit.model.step"].Step):
        continue
    lazy_model_module, twin_model_module = LAZY["toolkit.model.step"], TWIN["toolkit.model.step"]
    assert repr(lazy_model_module.input_fields(lazy)) == repr(twin_model_module.input_fields(twin))
    for everything in (False, True):
        made_lazy = attempt(lambda: lazy(**kwargs_for(lazy, lazy_model_module, everything)))
        made_twin = attempt(lambda: twin(**kwargs_for(twin, twin_model_module, everything)))
        assert view(made_lazy, None) == view(made_twin, None), (attr, everything)
        checked += made_lazy[0] == "ok"
    # missing and unknown arguments fail the same way
    assert attempt(lambda: lazy()) == attempt(lambda: twin())
    assert attempt(lambda: lazy(nonsense=1, name="x")) == attempt(lambda: twin(nonsense=1, name="x"))
    assert attempt(lambda: lazy("positional")) == attempt(lambda: twin("positional"))
assert checked >= 40, checked
print("compared", len(CLASSES), "classes,", checked, "instances")
'''


def test_step_classes_behave_as_their_frozen_keyword_only_dataclasses() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("compared ")


def test_a_lazy_class_is_made_its_dataclass_by_a_subclass_or_by_fields() -> None:
    import dataclasses

    from toolkit.lazy_dataclass import lazy_dataclass

    @lazy_dataclass
    class Base:
        a: int
        b: str = "b"

    @lazy_dataclass
    class Child(Base):
        c: int = dataclasses.field(default=0, metadata={"m": 1})

    assert "__dataclass_params__" not in vars(Base) and "__dataclass_params__" not in vars(Child)
    child = Child(a=1, c=2)  # makes Child, and through it Base, its dataclass
    assert "__dataclass_params__" in vars(Base) and "__dataclass_params__" in vars(Child)
    assert repr(child).endswith(".<locals>.Child(a=1, b='b', c=2)")
    assert child == Child(a=1, c=2) and hash(child) == hash(Child(a=1, c=2))
    assert [f.name for f in dataclasses.fields(Child)] == ["a", "b", "c"]
    assert dataclasses.fields(Child)[2].metadata["m"] == 1

    @lazy_dataclass
    class Other:
        x: int

    assert [f.name for f in dataclasses.fields(Other)] == ["x"]
    assert Other(x=1) == Other(x=1)
    try:
        Other(x=1).x = 2  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a lazy dataclass is frozen")


UNPICKLE = r"""
import pickle, sys
import toolkit.steps as steps
import toolkit.lazy_dataclass as lazy
assert isinstance(vars(steps.ExecuteAwsApi)["__init__"], lazy._LazyMethod)  # not made yet
step = pickle.loads(bytes.fromhex(sys.argv[1]))
print(repr(step))
print(step == steps.ExecuteAwsApi(name="Call", service="s3", api="ListBuckets", params={"Bucket": "b"}))
"""


def test_an_instance_unpickled_before_its_class_is_used_is_the_dataclass_instance() -> None:
    import pickle

    from toolkit.steps import ExecuteAwsApi

    step = ExecuteAwsApi(name="Call", service="s3", api="ListBuckets", params={"Bucket": "b"})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", UNPICKLE, pickle.dumps(step).hex()],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [repr(step), "True"]


def test_two_threads_that_both_meet_the_stand_ins_make_the_class_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second thread to look up a stand-in waits while the first makes the class, instead of removing stand-ins
    already removed (AttributeError) or building an instance of the half-made class."""
    import dataclasses
    import threading

    from toolkit import lazy_dataclass as lazy

    @lazy.lazy_dataclass
    class Shared:
        a: int

    init = Shared.__dict__["__init__"]
    second_started = threading.Event()
    real_dataclass = lazy.dataclass

    def slow_dataclass(**options: object) -> object:
        second_started.wait(timeout=1)  # the second thread runs meanwhile, as far as it can
        return real_dataclass(**options)  # type: ignore[call-overload]

    monkeypatch.setattr(lazy, "dataclass", slow_dataclass)
    outcome: list[object] = []

    def second() -> None:
        second_started.set()
        try:
            outcome.append(init.__get__(None, Shared)(Shared.__new__(Shared), a=2) or "made")
        except BaseException as err:
            outcome.append(err)

    first = threading.Thread(target=lambda: outcome.append(Shared(a=1)))
    first.start()
    while "__dataclass_fields__" in vars(Shared) and isinstance(vars(Shared)["__dataclass_fields__"], type(init)):
        pass  # the first thread has begun making the class
    thread = threading.Thread(target=second)
    thread.start()
    first.join(timeout=10)
    thread.join(timeout=10)
    assert dataclasses.is_dataclass(Shared)
    assert not any(isinstance(item, BaseException) for item in outcome), outcome
