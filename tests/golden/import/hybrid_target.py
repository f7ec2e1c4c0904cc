"""workshop__content__030_basic_content__090_scenarios__020_targeting_hybrid_instances__hybrid-target: imported from
workshop__content__030_basic_content__090_scenarios__020_targeting_hybrid_instances__hybrid-target.yaml by
`runbook import`.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.model import Document, Kind, Output, Parameter, ParameterType, Ref
from toolkit.steps import ExecuteAwsApi, ExecuteScript, RunCommand, Sleep

NAME = "workshop__content__030_basic_content__090_scenarios__020_targeting_hybrid_instances__hybrid-target"
SCRIPTS = Path(__file__).with_name("hybrid_target_scripts")
DESCRIPTION = "Run SSM command on SSM hybrid instances"


# This document does not pass the toolkit's definition checks (step FormatConverter, field inputs.Runtime: runtime
# python3.6 is retired), so build() returns it as a plain Document, exactly as it was; `runbook lint` reports its
# problems. Once they are fixed, return runbook(NAME, ...) instead to have them checked at every build.
def build() -> Document:
    automation_assume_role = Parameter(
        name="AutomationAssumeRole",
        type=ParameterType.STRING,
        description="The ARN of the role that allows Automation to perform the actions on your behalf.",
    )
    document_name = Parameter(
        name="DocumentName",
        type=ParameterType.STRING,
        description="SSM document name to run on hybrid instances",
    )
    document_parameters = Parameter(
        name="DocumentParameters",
        type=ParameterType.STRING_MAP,
        description=(
            "Parameters to pass to SSM document run on hybrid instances (string to deal with FIS serialization bug)"
        ),
    )
    filters = Parameter(
        name="Filters",
        type=ParameterType.STRING,
        description=(
            "(Optional) Selector JSON for DescribeInstanceInformation as described in CLI/API docs. Default "
            '[{"Key":"PingStatus","Values":["Online"]},{"Key":"ResourceType","Values":["ManagedInstance"]}]'
        ),
        default='[{"Key":"PingStatus","Values":["Online"]},{"Key":"ResourceType","Values":["ManagedInstance"]}]',
    )
    format_converter = ExecuteScript.from_file(
        SCRIPTS / "format_converter.py",
        name="FormatConverter",
        runtime="python3.6",
        handler="script_handler",
        input_payload={"JSONstring": "{{Filters}}"},
        outputs=[Output(name="Filters", selector="$.Payload", type=Kind.MAP_LIST)],
        timeout_seconds=60,
        on_failure="step:ExitHook",
        on_cancel="step:ExitHook",
    )
    select_hybrid_instances = ExecuteAwsApi(
        name="SelectHybridInstances",
        service="ssm",
        api="DescribeInstanceInformation",
        params={"Filters": format_converter.output("Filters")},
        outputs=(Output(name="InstanceIds", selector="$..InstanceId", type=Kind.STRING_LIST),),
        timeout_seconds=60,
        on_failure="step:ExitHook",
        on_cancel="step:ExitHook",
    )
    do_stuff = RunCommand(
        name="DoStuff",
        document_name=document_name.ref,
        instance_ids=["{{SelectHybridInstances.InstanceIds}}"],
        parameters=Ref("DocumentParameters", "{{ DocumentParameters}}"),
    )
    exit_hook = Sleep(name="ExitHook", duration="PT1S")
    return Document(
        name=NAME,
        description=DESCRIPTION,
        assume_role=automation_assume_role.ref,
        parameters=(automation_assume_role, document_name, document_parameters, filters),
        main_steps=(format_converter, select_hybrid_instances, do_stuff, exit_hook),
    )
