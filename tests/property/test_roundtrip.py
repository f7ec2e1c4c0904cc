"""Properties: render -> load gives back the same model and data; YAML and JSON load the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.load import load_text
from toolkit.model import Document, Output, Parameter, ParameterType
from toolkit.model.step import Step
from toolkit.model.values import Kind
from toolkit.render import to_json_text, to_yaml_text
from toolkit.steps import Branch, Choice, ExecuteAwsApi, ExecuteScript, Sleep

names = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_]{0,11}\Z")
# Text that must pass through unharmed: quotes, backslashes, newlines, YAML-significant characters.
texts = st.text(alphabet=st.sampled_from([*"ab Z09'\"\\\n:#-{}[]&*!|>%@`,?", "é", "\t"]), max_size=20)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), texts)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(names, inner, max_size=3)),
    max_leaves=8,
)


@st.composite
def steps(draw: st.DrawFn, name: str) -> Step:
    kind = draw(st.sampled_from(["api", "sleep", "script", "branch"]))
    common = {
        "name": name,
        "description": draw(st.none() | texts),
        "max_attempts": draw(st.none() | st.integers(1, 5)),
        "on_failure": draw(st.sampled_from([None, "Abort", "Continue"])),
    }
    if kind == "api":
        outputs = draw(st.none() | st.just((Output(name="Out", selector="$.X", type=Kind.STRING),)))
        return ExecuteAwsApi(
            service="ec2", api="DescribeInstances", params=draw(st.dictionaries(names, values, max_size=3)),
            outputs=outputs, **common,
        )  # fmt: skip
    if kind == "sleep":
        return Sleep(duration="PT1M", **common)
    if kind == "script":
        return ExecuteScript(runtime="python3.11", handler="h", script=draw(texts), **common)
    return Branch(choices=(Choice.when("{{ P }}", "StringEquals", draw(texts), next_step=name),), **common)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    step_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    parameters = tuple(
        Parameter(
            name=n, type=ParameterType.STRING, description=draw(st.none() | texts), default=draw(st.none() | texts)
        )
        for n in draw(st.lists(names, max_size=3, unique=True))
    )
    return Document(
        description=draw(st.none() | texts),
        assume_role=draw(st.none() | st.just("{{ AutomationAssumeRole }}")),
        parameters=parameters or None,
        main_steps=tuple(draw(steps(n)) for n in step_names),
        outputs=draw(st.none() | st.just((f"{step_names[0]}.Out",))),
    )


@given(documents())
def test_render_then_load_gives_the_same_document(document: Document) -> None:
    from_yaml = load_text(to_yaml_text(document), file="x.yaml")
    from_json = load_text(to_json_text(document), file="x.json")
    assert from_yaml.to_dict() == document.to_dict() == from_json.to_dict()
    assert from_yaml == from_json
    assert to_yaml_text(from_yaml) == to_yaml_text(document)


@given(documents())
def test_rendering_is_deterministic(document: Document) -> None:
    assert to_yaml_text(document) == to_yaml_text(document)
    assert to_json_text(document) == to_json_text(document)
