"""cloudtrail-delivery-check: alarm when a trail logs but does not deliver (issue 16: delivery cut silently).

A trail whose bucket or key stops accepting delivery still reports IsLogging: true, so the Config rules stay
COMPLIANT; only GetTrailStatus's delivery errors show it. Run on a schedule (the template deploys it with an
EventBridge rule), the runbook reads GetTrailStatus and, when a delivery error (log files, digest files, SNS
notifications, CloudWatch Logs) is newer than the last successful delivery of its kind, publishes one message to
AlarmTopicArn naming the trail, the error and since when, then ends Failed so the automation-failure alarm fires
too. Otherwise it ends Success, its outputs saying the trail delivers. How an error's age is judged from the times
GetTrailStatus gives: ``cloudtrail_delivery_check_scripts/check_delivery.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.model import Document, Output, Parameter, ParameterType, runbook
from toolkit.model.values import Kind
from toolkit.steps import Branch, ExecuteAwsApi, ExecuteScript
from toolkit.steps.branch import Choice

if TYPE_CHECKING:
    from toolkit.fakes.world import World

NAME = "cloudtrail-delivery-check"
SCRIPTS = Path(__file__).with_name("cloudtrail_delivery_check_scripts")

# CloudTrail's trail-name rules (as cloudtrail-remediation-action's), or the trail's ARN (an organization trail seen
# from a member account, or a trail homed in another region, is named by ARN).
TRAIL_NAME = r"(?![-_.])(?!.*[-_.]{2})(?!.*[-_.]$)(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)[-A-Za-z0-9_.]{3,128}"
TRAIL = rf"^(?:arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{{12}}:trail/)?{TRAIL_NAME}$"
# A standard SNS topic's ARN (a FIFO topic's Publish needs a message group: not offered).
TOPIC_ARN = r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$"
ROLE_ARN = r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}"


def parameters() -> list[Parameter]:
    return [
        Parameter(
            name="CloudTrailName",
            type=ParameterType.STRING,
            description="(Required) The trail to check: its name, or its ARN (a trail homed elsewhere or another "
            "account's organization trail).",
            allowed_pattern=TRAIL,
        ),
        Parameter(
            name="AlarmTopicArn",
            type=ParameterType.STRING,
            description="(Required) The SNS topic (a standard topic's ARN) told when the trail does not deliver.",
            allowed_pattern=TOPIC_ARN,
        ),
        Parameter(
            name="AutomationAssumeRole",
            type=ParameterType.STRING,
            description=("(Optional) The ARN of the role Automation assumes. Empty: the caller's permissions."),
            default="",
            allowed_pattern=f"^$|^{ROLE_ARN}$",
        ),
    ]


def build() -> Document:
    params = {parameter.name: parameter for parameter in parameters()}
    trail = params["CloudTrailName"].ref
    check = ExecuteScript.from_file(
        SCRIPTS / "check_delivery.py",
        name="CheckDelivery",
        description="Read GetTrailStatus: is a delivery error newer than the last successful delivery of its kind?",
        handler="handler",
        input_payload={"TrailName": trail},
        timeout_seconds=60,
        outputs=[
            Output(name="Delivering", selector="$.Payload.Delivering", type=Kind.BOOLEAN),
            Output(name="Errors", selector="$.Payload.Errors", type=Kind.STRING_LIST),
            Output(name="Subject", selector="$.Payload.Subject", type=Kind.STRING),
            Output(name="Message", selector="$.Payload.Message", type=Kind.STRING),
        ],
    )
    decide = Branch(
        name="WhenNotDelivering",
        description="Delivering: end here (Success). Not delivering: raise the alarm.",
        choices=(Choice.when(check.output("Delivering"), "BooleanEquals", False, next_step="PublishAlarm"),),
        is_end=True,
    )
    publish = ExecuteAwsApi(
        name="PublishAlarm",
        description="Tell AlarmTopicArn which trail does not deliver, the error and since when.",
        service="sns",
        api="Publish",
        params={
            "TopicArn": params["AlarmTopicArn"].ref,
            "Subject": check.output("Subject"),
            "Message": check.output("Message"),
        },
        outputs=(Output(name="MessageId", selector="$.MessageId", type=Kind.STRING),),
    )
    fail = ExecuteScript.from_file(
        SCRIPTS / "report_failure.py",
        name="ReportNotDelivering",
        description="End the execution Failed with the alarm's text (so the automation-failure alarm fires too).",
        handler="handler",
        input_payload={"Message": check.output("Message")},
        timeout_seconds=30,
        is_end=True,
    )
    return runbook(
        NAME,
        description=(
            "### cloudtrail-delivery-check\n"
            "Checks that a CloudTrail trail delivers: when GetTrailStatus shows a delivery error (log files, digest "
            "files, SNS notifications, CloudWatch Logs) newer than the last successful delivery of its kind, "
            "publishes one message to `AlarmTopicArn` naming the trail, the error and since when, and ends Failed; "
            "otherwise ends Success. Reads only, besides that one message.\n"
        ),
        assume_role=params["AutomationAssumeRole"].ref,
        parameters=list(params.values()),
        steps=[check, decide, publish, fail],
        outputs=[check.output("Delivering"), check.output("Message")],
    )


# -- hooks (toolkit.documents) -----------------------------------------------------------------------------------

ALARM_TOPIC = "cloudtrail-delivery-alarms"
REPRESENTATIVE_PARAMS: dict[str, Any] = {
    "CloudTrailName": "main",
    "AlarmTopicArn": f"arn:aws:sns:us-east-1:123456789012:{ALARM_TOPIC}",
}
"""The parameters of every representative run: the default world's trail and an alarm topic beside it."""
BROKEN_DELIVERY: dict[str, Any] = {
    "LatestDeliveryError": "NoSuchBucket",
    "LatestDeliveryTime": "2025-12-31T22:00:00Z",
    "LatestDeliveryAttemptTime": "2025-12-31T23:55:00Z",
    "LatestDeliveryAttemptSucceeded": "2025-12-31T22:00:00Z",
    "LatestDigestDeliveryError": "NoSuchBucket",
    "LatestDigestDeliveryTime": "2025-12-31T21:00:00Z",
}
"""What GetTrailStatus adds for a trail whose bucket was deleted at 22:00 (spec iam.md §8: the error, the attempt
time moving on, the last success staying): the representative failing run's stand-in until the fake CloudTrail
reports delivery errors itself."""


def delivering_world() -> World:
    """The default world, its trail logging, with the alarm topic."""
    # lazy: building the runbook needs no fake world
    from toolkit.fakes.default import default_data
    from toolkit.fakes.world import World

    data = default_data()
    data["Trails"][0]["IsLogging"] = True
    data["Topics"] = [{"Name": ALARM_TOPIC, "Region": "us-east-1"}]
    return World.from_dict(data)


def status_with(world: World, fields: dict[str, Any]) -> World:
    """``world`` whose GetTrailStatus answers also carry ``fields`` (a registered stand-in over the fake's answer;
    a field whose value is None is left out of the answer)."""
    stand_in = world.copy()
    answer = world.copy()

    def trail_status(params: dict[str, Any]) -> dict[str, Any]:
        found = {**answer.call("cloudtrail", "GetTrailStatus", params), **fields}
        return {name: value for name, value in found.items() if value is not None}

    stand_in.register("cloudtrail", "GetTrailStatus", trail_status)
    return stand_in


def representative_runs() -> list[tuple[World, dict[str, Any]]]:
    """A trail that delivers (Success, no message) and one whose bucket is gone (the alarm, then Failed): between
    them every call the runbook makes. ``runbook docs`` and ``runbook iam-policy`` grant what it calls in them."""
    delivering = delivering_world()
    return [
        (delivering, dict(REPRESENTATIVE_PARAMS)),
        (status_with(delivering, BROKEN_DELIVERY), dict(REPRESENTATIVE_PARAMS)),
    ]
