"""Defining runbooks in Python: every mistake is a DefinitionError naming the step and field."""

from __future__ import annotations

import pytest

from toolkit.errors import DefinitionError
from toolkit.model import Global, Output, Parameter, ParameterType, Ref, Var, Variable, runbook
from toolkit.model.values import Kind
from toolkit.render import to_data
from toolkit.steps import (
    ACTIONS,
    STEP_CLASSES,
    Branch,
    Choice,
    ExecuteAutomation,
    ExecuteAwsApi,
    ExecuteScript,
    Loop,
    Sleep,
    UpdateVariable,
)

NAME = Parameter(name="TrailName", type=ParameterType.STRING)


def api(name: str = "Get", **kwargs: object) -> ExecuteAwsApi:
    params = kwargs.pop("params", {"Name": NAME.ref})
    return ExecuteAwsApi(name=name, service="cloudtrail", api="GetTrail", params=params, **kwargs)  # type: ignore[arg-type]


def define(*steps: object, **kwargs: object) -> object:
    return runbook("demo-runbook", parameters=[NAME], steps=list(steps), **kwargs)  # type: ignore[arg-type]


def test_a_valid_runbook_renders_typed_references() -> None:
    get = api(outputs=[Output(name="Arn", selector="$.Trail.TrailARN", type=Kind.STRING)])
    use = ExecuteAwsApi(
        name="Use", service="cloudtrail", api="StartLogging", params={"Name": get.output("Arn")}, is_end=True
    )
    document = runbook("demo-runbook", parameters=[NAME], steps=[get, use], outputs=[get.output("Arn")])
    data = to_data(document)
    assert data["mainSteps"][1]["inputs"] == {"Service": "cloudtrail", "Api": "StartLogging", "Name": "{{ Get.Arn }}"}
    assert data["outputs"] == ["Get.Arn"]
    assert list(data) == ["schemaVersion", "parameters", "mainSteps", "outputs"]


@pytest.mark.parametrize(
    ("make", "step", "field", "message"),
    [
        (
            lambda: define(api(params={"Name": Ref("Missing")})),
            "Get",
            "inputs.Name",
            "undeclared parameter",
        ),
        (
            lambda: define(api(params={"Names": ["x", "{{ Missing }}"]})),
            "Get",
            "inputs.Names[1]",
            "undeclared parameter",
        ),
        (lambda: define(api(params={"Name": "{{ Nowhere.Arn }}"})), "Get", "inputs.Name", "unknown step"),
        (
            lambda: define(api("A"), api("B", params={"Name": "{{ A.Arn }}"})),
            "B",
            "inputs.Name",
            "has no output 'Arn'",
        ),
        (lambda: define(api(params={"Name": Var("Count")})), "Get", "inputs.Name", "undeclared variable"),
        (lambda: define(api(params={"Name": "{{ global:TIME }}"})), "Get", "inputs.Name", "not a system variable"),
        (lambda: api(max_attempts="3"), "Get", "maxAttempts", "must be int"),
        (lambda: api(is_end="yes"), "Get", "isEnd", "must be bool"),
        (lambda: define(api(next_step="Elsewhere")), "Get", "nextStep", "unknown step 'Elsewhere'"),
        (lambda: define(api(on_failure="step:Elsewhere")), "Get", "onFailure", "unknown step 'Elsewhere'"),
        (lambda: define(api(on_cancel="step:Gone")), "Get", "onCancel", "unknown step 'Gone'"),
        (
            lambda: define(Branch(name="Pick", choices=[Choice.when(NAME.ref, "StringEquals", "a", next_step="Nope")])),
            "Pick",
            "inputs.Choices[0].NextStep",
            "unknown step 'Nope'",
        ),
        (
            lambda: define(
                Branch(name="Pick", choices=[Choice.when(NAME.ref, "StringEquals", "a", "Pick")], default="Nope")
            ),
            "Pick",
            "inputs.Default",
            "unknown step 'Nope'",
        ),
        (lambda: define(api(), api()), "Get", "name", "step name used twice"),
        (lambda: define(api("Bad-Name")), "Bad-Name", "name", "must match"),
        (lambda: define(api(is_end=True, next_step="Get")), "Get", "nextStep", "isEnd together with nextStep"),
        (lambda: define(api(on_failure="Retry")), "Get", "onFailure", "Abort, Continue or step:"),
        (lambda: api().output("Nope"), "Get", "outputs", "no output 'Nope'"),
        (lambda: Sleep(name="Nap", duration=5), "Nap", "inputs.Duration", "must be a String"),
        (lambda: define(Sleep(name="Nap")), "Nap", "inputs", "exactly one of Duration and Timestamp"),
        (
            lambda: ExecuteScript(name="Run", runtime="python3.11", handler="h", input_payload="x"),  # type: ignore[arg-type]
            "Run",
            "inputs.InputPayload",
            "must be a StringMap",
        ),
        (
            lambda: define(ExecuteScript(name="Run", runtime="python3.11", handler="h", script="def h(:")),
            "Run",
            "inputs.Script",
            "does not compile",
        ),
        (
            lambda: define(ExecuteScript(name="Run", runtime="python3.7", handler="h", script="x=1")),
            "Run",
            "inputs.Runtime",
            "retired",
        ),
    ],
)
def test_definition_errors_name_step_and_field(make, step: str, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError) as caught:
        make()
    assert caught.value.step == step
    assert caught.value.field == field
    assert message in str(caught.value)
    assert f"step {step}" in str(caught.value) and f"field {field}" in str(caught.value)


@pytest.mark.parametrize(
    ("make", "field", "message"),
    [
        (lambda: Parameter(name="bad-name", type=ParameterType.STRING), "parameters.bad-name", "must match"),
        (
            lambda: runbook(
                "demo-runbook",
                parameters=[Parameter(name="N", type=ParameterType.INTEGER, default="3")],
                steps=[api(params={})],
            ),
            "parameters.N.default",
            "is not a Integer",
        ),
        (
            lambda: runbook(
                "demo-runbook",
                parameters=[Parameter(name="N", type=ParameterType.STRING, allowed_pattern="([")],
                steps=[api(params={})],
            ),
            "parameters.N.allowedPattern",
            "does not compile",
        ),
        (  # the Unicode \w finding: SSM's \w is ASCII, so SSM refuses this default
            lambda: runbook(
                "demo-runbook",
                parameters=[
                    Parameter(name="T", type=ParameterType.STRING, allowed_pattern=r"^[\w-]+$", default="tr\u00e1il")
                ],
                steps=[api(params={})],
            ),
            "parameters.T.default",
            "does not match allowedPattern",
        ),
        (lambda: runbook("aa", steps=[api(params={})]), "name", "must match"),
        (lambda: runbook("demo-runbook", steps=[]), "mainSteps", "at least one step"),
        (
            lambda: runbook("demo-runbook", steps=[api(params={})], assume_role="{{ Role }}"),
            "assumeRole",
            "undeclared parameter",
        ),
        (lambda: runbook("demo-runbook", steps=[api(params={})], outputs=["Get.Nope"]), "outputs", "no output"),
    ],
)
def test_document_level_definition_errors(make, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError) as caught:
        make()
    assert caught.value.field == field
    assert message in str(caught.value)


def test_builtin_outputs_system_variables_and_variables_resolve() -> None:
    child = ExecuteAutomation(name="Child", document_name="AWS-Other")
    loop = Loop(
        name="Each",
        iterators=["a", "b"],
        steps=[
            UpdateVariable(name="Set", variable="variable:Last", value=Ref("Each.CurrentIteratorValue")),
        ],
    )
    use = ExecuteAwsApi(
        name="Use",
        service="sts",
        api="GetCallerIdentity",
        params={"Note": f"{child.output('Status')} {Global.REGION} {Var('Last')} {Global.EXECUTION_ID}"},
    )
    document = runbook(
        "demo-runbook",
        variables=[Variable(name="Last", type=ParameterType.STRING, default="")],
        steps=[child, loop, use],
    )
    data = to_data(document)
    assert data["variables"] == {"Last": {"type": "String", "default": ""}}
    assert data["mainSteps"][1]["inputs"]["Steps"][0]["inputs"]["Value"] == "{{ Each.CurrentIteratorValue }}"


def test_loop_steps_jump_only_within_the_loop() -> None:
    inner = api("Inner", next_step="Outer")
    with pytest.raises(DefinitionError) as caught:
        define(Loop(name="L", iterators=["a"], steps=[inner]), api("Outer"))
    assert (caught.value.step, caught.value.field) == ("Inner", "nextStep")


def test_required_inputs_are_required_keywords() -> None:
    with pytest.raises(TypeError):
        ExecuteAwsApi(name="X", service="ec2")  # type: ignore[call-arg]


def test_every_action_in_the_spec_has_a_class() -> None:
    spec = {
        "aws:approve", "aws:assertAwsResourceProperty", "aws:branch", "aws:changeInstanceState", "aws:copyImage",
        "aws:createImage", "aws:createStack", "aws:createTags", "aws:deleteImage", "aws:deleteStack",
        "aws:executeAutomation", "aws:executeAwsApi", "aws:executeScript", "aws:executeStateMachine",
        "aws:invokeLambdaFunction", "aws:invokeWebhook", "aws:loop", "aws:pause", "aws:runCommand",
        "aws:runInstances", "aws:sleep", "aws:updateVariable", "aws:waitForAwsResourceProperty",
    }  # fmt: skip
    assert set(ACTIONS) == spec
    assert len(STEP_CLASSES) == len(spec)


def test_model_objects_are_immutable() -> None:
    step = api()
    with pytest.raises(AttributeError):
        step.name = "Other"  # type: ignore[misc]


def test_a_build_placeholder_script_is_not_compiled_until_it_is_filled_in() -> None:
    placeholder = ExecuteScript(name="Run", runtime="python3.11", handler="h", script="%%SCRIPT=common/parse.py%%")
    assert define(placeholder)
    with pytest.raises(DefinitionError, match="does not compile"):
        define(ExecuteScript(name="Run", runtime="python3.11", handler="h", script="%%SCRIPT=a.py%% +"))


def test_any_sequence_is_taken_where_a_list_is_asked_for_and_kept_as_a_tuple() -> None:
    """Issue 17: the public API takes any Sequence (a list as the README writes, a tuple...), and a definition keeps
    a tuple, so it cannot change after it is checked and compares equal however it was written."""
    output = Output(name="Arn", selector="$.Trail.TrailARN", type=Kind.STRING)
    inner = Sleep(name="Tick", duration="PT1S")
    written = {
        "step": (api(outputs=[output]), api(outputs=(output,))),
        "choice": (
            Choice(all_of=[Choice.when("{{ TrailName }}", "StringEquals", "a")], next_step="Get"),
            Choice(all_of=(Choice.when("{{ TrailName }}", "StringEquals", "a"),), next_step="Get"),
        ),
        "branch": (
            Branch(name="B", choices=[Choice.when("{{ TrailName }}", "StringEquals", "a", next_step="Get")]),
            Branch(name="B", choices=(Choice.when("{{ TrailName }}", "StringEquals", "a", next_step="Get"),)),
        ),
        "loop": (Loop(name="L", iterators=["a"], steps=[inner]), Loop(name="L", iterators=["a"], steps=(inner,))),
        "parameter": (
            Parameter(name="P", type=ParameterType.STRING, allowed_values=["a", "b"]),
            Parameter(name="P", type=ParameterType.STRING, allowed_values=("a", "b")),
        ),
    }
    for as_list, as_tuple in written.values():
        assert as_list == as_tuple
    step, choice, branch, loop, parameter = (pair[0] for pair in written.values())
    assert isinstance(step.outputs, tuple)  # type: ignore[attr-defined]
    assert isinstance(choice.all_of, tuple)  # type: ignore[attr-defined]
    assert isinstance(branch.choices, tuple)  # type: ignore[attr-defined]
    assert isinstance(loop.steps, tuple)  # type: ignore[attr-defined]
    assert isinstance(parameter.allowed_values, tuple)  # type: ignore[attr-defined]
    steps = [api(outputs=[output], is_end=True)]
    document = runbook("demo-runbook", parameters=[NAME], steps=steps, outputs=["Get.Arn"])
    steps.append(inner)  # the caller's list changes; the document does not
    assert [step.name for step in document.main_steps or ()] == ["Get"]
    assert isinstance(document.main_steps, tuple) and isinstance(document.outputs, tuple)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: api(outputs="Arn"), "outputs"),
        (lambda: Branch(name="B", choices="Get"), "inputs.Choices"),
        (lambda: Loop(name="L", iterators=["a"], steps="Tick"), "inputs.Steps"),
        (lambda: Choice(any_of="a"), "Or"),
        (lambda: Parameter(name="P", type=ParameterType.STRING, allowed_values="ab"), "parameters.P.allowedValues"),
    ],
)
def test_a_string_is_not_a_sequence_of_items(make, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError, match=r"must be a (sequence|List)") as caught:
        make()
    assert caught.value.field == field
