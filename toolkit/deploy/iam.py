"""Least-privilege IAM policies for runbooks, from the AWS calls they make.

The actions come from two places: the API steps of the document (aws:executeAwsApi, aws:assertAwsResourceProperty,
aws:waitForAwsResourceProperty name their Service and Api), and the simulator's record of every call an execution
made, which includes the boto3 calls of aws:executeScript steps. Each (service, operation) becomes the IAM action
``prefix:Operation`` (boto3 service names mapped to IAM prefixes where they differ). Actions are never wildcards.

A runbook whose module defines the ``representative_runs()`` hook (``toolkit.documents``) is simulated in those
fixed worlds (deterministic, no random data) to find its scripts' calls; the deploy template scopes the trail
actions that support resource-level permissions to the trail's ARN.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from toolkit.aws.iam_actions import Call, action_calls, iam_action

if TYPE_CHECKING:
    from toolkit.documents import ReadDocument
    from toolkit.fakes.world import World


API_ACTIONS = ("aws:executeAwsApi", "aws:assertAwsResourceProperty", "aws:waitForAwsResourceProperty")

TRAIL_ARN = "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/${TrailName}"
"""The trail's ARN as an ``Fn::Sub`` string (``TrailName`` is a template parameter)."""

TRAIL_RESOURCE_ACTIONS = frozenset(
    f"cloudtrail:{operation}"
    for operation in (
        "AddTags",
        "CreateTrail",
        "DeleteTrail",
        "GetEventSelectors",
        "GetInsightSelectors",
        "GetTrail",
        "GetTrailStatus",
        "ListTags",
        "PutEventSelectors",
        "PutInsightSelectors",
        "RemoveTags",
        "StartLogging",
        "StopLogging",
        "UpdateTrail",
    )
)
"""CloudTrail actions that accept a trail ARN as resource (DescribeTrails, ListTrails, LookupEvents... do not)."""


def document_calls(document: Mapping[str, Any]) -> list[Call]:
    """The calls the document's steps make by name (document data, as rendered), loop bodies included: the API
    steps' Service and Api, and the calls other actions make for their inputs. Scripts' calls need a simulation."""
    found: list[Call] = []

    def walk(steps: object) -> None:
        for step in steps if isinstance(steps, list) else []:
            inputs = step.get("inputs") if isinstance(step, dict) else None
            if not isinstance(inputs, dict):
                continue
            action = step.get("action")
            if action == "aws:loop":
                walk(inputs.get("Steps"))
            elif action in API_ACTIONS:
                service, api = inputs.get("Service"), inputs.get("Api")
                if isinstance(service, str) and isinstance(api, str):
                    found.append((service, api))
            elif isinstance(action, str):
                found.extend(action_calls(action, inputs))

    walk(document.get("mainSteps"))
    return found


def statements(calls: Iterable[Call], scoped: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """IAM statements allowing exactly ``calls``: one statement per resource, actions sorted, no wildcards.

    ``scoped`` maps an IAM action to its resource (any JSON, such as an ``Fn::Sub``); other actions get ``*``."""
    scoped = scoped or {}
    by_resource: dict[str, tuple[Any, set[str]]] = {}
    for service, operation in calls:
        action = iam_action(service, operation)
        resource = scoped.get(action, "*")
        key = json.dumps(resource, sort_keys=True)
        by_resource.setdefault(key, (resource, set()))[1].add(action)
    result = []
    for index, key in enumerate(sorted(by_resource, key=lambda key: (key == '"*"', key))):
        resource, actions = by_resource[key]
        sid = "AnyResource" if resource == "*" else f"Scoped{index + 1}"
        result.append({"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resource})
    return result


def policy_document(calls: Iterable[Call], scoped: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements(calls, scoped)}


def simulated_calls(document: Any, runs: Sequence[tuple[World, Mapping[str, Any]]]) -> list[Call]:
    """The union, in first-seen order, of every call recorded while simulating ``document`` in each run."""
    # lazy: the simulator and the fakes (~50 ms) load only when representative runs are simulated
    from toolkit.simulate.simulator import simulate

    seen: dict[Call, None] = {}
    for world, params in runs:
        for call in simulate(document, params, world).calls:
            seen[(call.service, call.operation)] = None
    return list(seen)


# -- a runbook's calls -----------------------------------------------------------------------------------------


def runbook_calls(document: ReadDocument) -> list[Call]:
    """Every call the runbook makes: its API steps' calls, then those recorded while simulating it in its
    representative runs (the runbook module's ``representative_runs()`` hook), which include its scripts' calls."""
    calls = dict.fromkeys(document_calls(document.data))
    calls.update(dict.fromkeys(simulated_calls(document, document.representative_runs())))
    return list(calls)


def trail_scoped_policy(document: ReadDocument, trail_arn: Any = None) -> dict[str, Any]:
    """The runbook's policy (``runbook_calls``), trail actions scoped to ``trail_arn`` (default: the ``Fn::Sub``
    ARN of the template's ``TrailName``)."""
    arn = {"Fn::Sub": TRAIL_ARN} if trail_arn is None else trail_arn
    scoped = {action: arn for action in TRAIL_RESOURCE_ACTIONS}
    return policy_document(runbook_calls(document), scoped)


# -- any runbook -----------------------------------------------------------------------------------------------


def runbook_policy(document: Mapping[str, Any], runs: Sequence[tuple[World, Mapping[str, Any]]] = ()) -> dict[str, Any]:
    """The policy for any runbook: its API steps' calls, plus every call recorded while simulating it in ``runs``
    (which is how the calls of its scripts are found). Resources are ``*``."""
    calls = dict.fromkeys(document_calls(document))
    calls.update(dict.fromkeys(simulated_calls(dict(document), runs)))
    return policy_document(calls)


# -- what AWS authorizes without a call the simulator records ------------------------------------------------------

SERVICE_LINKED_ROLE = (
    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/cloudtrail.amazonaws.com/"
    "AWSServiceRoleForCloudTrail"
)
"""CloudTrail's service-linked role (an ``Fn::Sub`` string), which organization trails need."""

IMPLIED_ACTIONS: tuple[tuple[frozenset[str], str, dict[str, Any]], ...] = (
    (
        frozenset({"cloudtrail:CreateTrail", "cloudtrail:UpdateTrail"}),
        "HasCloudWatchLogsRoleArn",
        {
            "Sid": "PassCloudWatchLogsRole",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": {"Ref": "CloudWatchLogsRoleArn"},
            "Condition": {"StringEquals": {"iam:PassedToService": "cloudtrail.amazonaws.com"}},
        },
    ),
    (
        frozenset({"cloudtrail:CreateTrail", "cloudtrail:UpdateTrail"}),
        "IsOrganization",
        {
            "Sid": "ReadOrganization",
            "Effect": "Allow",
            "Action": ["organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization"],
            "Resource": "*",
        },
    ),
    (
        frozenset({"cloudtrail:CreateTrail", "cloudtrail:UpdateTrail"}),
        "IsOrganization",
        {
            "Sid": "ReadCloudTrailServiceLinkedRole",
            "Effect": "Allow",
            "Action": ["iam:GetRole"],
            "Resource": {"Fn::Sub": SERVICE_LINKED_ROLE},
        },
    ),
    (
        frozenset({"cloudtrail:CreateTrail", "cloudtrail:UpdateTrail"}),
        "IsOrganization",
        {
            "Sid": "CreateCloudTrailServiceLinkedRole",
            "Effect": "Allow",
            "Action": ["iam:CreateServiceLinkedRole"],
            "Resource": {"Fn::Sub": SERVICE_LINKED_ROLE},
            "Condition": {"StringEquals": {"iam:AWSServiceName": "cloudtrail.amazonaws.com"}},
        },
    ),
)
"""(recorded actions that imply it, template condition under which it is needed, the statement). CreateTrail and
UpdateTrail with CloudWatchLogsRoleArn pass that role to CloudTrail; for an organization trail they read the
organization and use (or create) CloudTrail's service-linked role. None of these is a call the simulator sees."""


def granted(policy: Mapping[str, Any]) -> set[str]:
    """Every action an Allow of ``policy`` names."""
    found: set[str] = set()
    for statement in policy.get("Statement", []):
        if isinstance(statement, dict) and statement.get("Effect") == "Allow":
            action = statement.get("Action", [])
            found.update([action] if isinstance(action, str) else action)
    return found


def implied_statements(actions: Iterable[str]) -> list[dict[str, Any]]:
    """The implied statements for ``actions``, each an ``Fn::If`` on its template condition (else no value)."""
    present = set(actions)
    return [
        {"Fn::If": [condition, json.loads(json.dumps(statement)), {"Ref": "AWS::NoValue"}]}
        for triggers, condition, statement in IMPLIED_ACTIONS
        if triggers & present
    ]
