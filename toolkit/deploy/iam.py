"""Least-privilege IAM policies for runbooks, from the AWS calls they make.

The actions come from two places: the API steps of the document (aws:executeAwsApi, aws:assertAwsResourceProperty,
aws:waitForAwsResourceProperty name their Service and Api), and the simulator's record of every call an execution
made, which includes the boto3 calls of aws:executeScript steps. Each (service, operation) becomes the IAM action
``prefix:Operation`` (boto3 service names mapped to IAM prefixes where they differ). Actions are never wildcards.

A runbook whose module defines the ``representative_runs()`` hook (``toolkit.documents``) is simulated in those
fixed worlds (deterministic, no random data) to find its scripts' calls; the deploy template scopes the trail
actions that support resource-level permissions to the trail's ARN and kms:DescribeKey to the trail key.

Resources are never ``*`` for an action that has a resource type in the Service Authorization Reference
(``toolkit.aws.authorization``): a simulated call's action gets the ARNs it was authorized on, an action known only
from the document its ARN patterns in the account; ``*`` stays for actions without a resource type (iam.md §6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from toolkit.aws.arns import alias_arn_in
from toolkit.aws.authorization import default_reference
from toolkit.aws.iam_actions import Call, action_calls, iam_action

if TYPE_CHECKING:
    from toolkit.documents import ReadDocument
    from toolkit.fakes.world import World


API_ACTIONS = ("aws:executeAwsApi", "aws:assertAwsResourceProperty", "aws:waitForAwsResourceProperty")

TRAIL_ARN = "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/${TrailName}"
"""The trail's ARN as an ``Fn::Sub`` string (``TrailName`` is a template parameter)."""

STACK_ENV: Final = {"Partition": "${AWS::Partition}", "Region": "${AWS::Region}", "Account": "${AWS::AccountId}"}
"""A template's pseudo parameters for the SAR's ARN variables (``Fn::Sub`` text)."""
_VARIABLE: Final = re.compile(r"\$\{([A-Za-z0-9]+)\}")

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


def arn_patterns(action: str, env: Mapping[str, str]) -> list[str]:
    """The ARNs of every resource type the SAR gives ``action`` (``toolkit.aws.authorization``), each variable
    filled from ``env`` (``Partition``, ``Region``, ``Account``) and any other part ``*``; [] when the action has no
    resource type (then, and only then, a policy needs ``"Resource": "*"`` for it, iam.md §6)."""
    templates = default_reference().resource_templates(action)
    return list(dict.fromkeys(_VARIABLE.sub(lambda found: env.get(found.group(1), "*"), text) for text in templates))


def template_resource(action: str) -> Any:
    """The resource of an action no template value scopes: its ARN patterns in this stack's partition, region and
    account (``Fn::Sub``), or ``*`` when it has no resource type."""
    patterns = [{"Fn::Sub": pattern} for pattern in arn_patterns(action, STACK_ENV)]
    if not patterns:
        return "*"
    return patterns[0] if len(patterns) == 1 else patterns


def _grouped(resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One statement per resource (any JSON), actions sorted; ``*`` last."""
    by_resource: dict[str, tuple[Any, set[str]]] = {}
    for action, resource in resources.items():
        key = json.dumps(resource, sort_keys=True)
        by_resource.setdefault(key, (resource, set()))[1].add(action)
    result = []
    for index, key in enumerate(sorted(by_resource, key=lambda key: (key == '"*"', key))):
        resource, actions = by_resource[key]
        sid = "AnyResource" if resource == "*" else f"Scoped{index + 1}"
        result.append({"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resource})
    return result


def statements(calls: Iterable[Call], scoped: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """IAM statements allowing exactly ``calls``: one statement per resource, actions sorted, no wildcards.

    ``scoped`` maps an IAM action to its resource (any JSON, such as an ``Fn::Sub``); other actions get
    ``template_resource``: ``*`` only for actions without a resource type."""
    scoped = scoped or {}
    resources: dict[str, Any] = {}
    for service, operation in calls:
        action = iam_action(service, operation)
        resources[action] = scoped[action] if action in scoped else template_resource(action)
    return _grouped(resources)


def policy_document(calls: Iterable[Call], scoped: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements(calls, scoped)}


def simulated_calls(document: Any, runs: Sequence[tuple[World, Mapping[str, Any]]]) -> list[Call]:
    """The union, in first-seen order, of every call recorded while simulating ``document`` in each run."""
    return list(dict.fromkeys((record.service, record.operation) for record, _ in simulated_records(document, runs)))


def simulated_records(document: Any, runs: Sequence[tuple[World, Mapping[str, Any]]]) -> list[tuple[Any, World]]:
    """Every call recorded while simulating ``document`` in each run, with the world it started from."""
    # lazy: the simulator and the fakes (~50 ms) load only when representative runs are simulated
    from toolkit.simulate.simulator import simulate

    return [(record, world) for world, params in runs for record in simulate(document, params, world).calls]


# -- a runbook's calls -----------------------------------------------------------------------------------------


def runbook_calls(document: ReadDocument) -> list[Call]:
    """Every call the runbook makes: its API steps' calls, then those recorded while simulating it in its
    representative runs (the runbook module's ``representative_runs()`` hook), which include its scripts' calls."""
    calls = dict.fromkeys(document_calls(document.data))
    calls.update(dict.fromkeys(simulated_calls(document, document.representative_runs())))
    return list(calls)


def trail_scoped_policy(
    document: ReadDocument, trail_arn: Any = None, key_arn: Any = None, bucket_arn: Any = None
) -> dict[str, Any]:
    """The runbook's policy (``runbook_calls``), trail actions scoped to ``trail_arn`` (default: the ``Fn::Sub``
    ARN of the template's ``TrailName``), kms:DescribeKey to ``key_arn`` and s3:GetBucketLocation to
    ``bucket_arn`` when given; any other action with a resource type to its ARN patterns in the stack's account
    (``template_resource``)."""
    arn = {"Fn::Sub": TRAIL_ARN} if trail_arn is None else trail_arn
    scoped: dict[str, Any] = {action: arn for action in TRAIL_RESOURCE_ACTIONS}
    if key_arn is not None:
        scoped["kms:DescribeKey"] = key_arn
    if bucket_arn is not None:
        scoped["s3:GetBucketLocation"] = bucket_arn
    return policy_document(runbook_calls(document), scoped)


# -- any runbook -----------------------------------------------------------------------------------------------


def _environment(world: World, record: Any) -> dict[str, str]:
    return {
        "Partition": world.partition,
        "Region": record.region or world.region,
        "Account": record.account or world.account,
    }


def _recorded_resources(record: Any, world: World) -> list[str]:
    """The resources AWS authorizes the recorded call's own action on (``Reference.needs``): concrete ARNs, the
    key behind a KMS alias, ARN patterns where AWS checks an ARN the request does not name, ``*`` only for an
    action without a resource type."""
    env = _environment(world, record)
    action = iam_action(record.service, record.operation).lower()
    needs = default_reference().needs(
        record.service,
        record.operation,
        record.params,
        partition=env["Partition"],
        region=env["Region"],
        account=env["Account"],
    )
    found: list[str] = []
    for need in needs:
        if need.action.lower() != action:
            continue
        if need.unresolved:
            found += arn_patterns(need.action, env)
        elif alias_arn_in(need.resource):
            found.append(_key_behind(world, need.resource, env))
        else:
            found.append(need.resource)
    return found or arn_patterns(iam_action(record.service, record.operation), env) or ["*"]


def _key_behind(world: World, alias_arn: str, env: Mapping[str, str]) -> str:
    """The ARN of the key a KMS alias names in ``world`` (AWS authorizes key actions on the key, never on the
    alias), else any key of the alias's account and region."""
    parts = alias_arn.split(":", 5)
    pattern = f"arn:{parts[1]}:kms:{parts[3]}:{parts[4]}:key/*"
    if parts[4] != world.account:
        return pattern
    try:
        described = world.call("kms", "DescribeKey", {"KeyId": alias_arn}, region=parts[3])
    except Exception:  # the alias is not in the world: no key to name
        return pattern
    arn = described.get("KeyMetadata", {}).get("Arn")
    return arn if isinstance(arn, str) else pattern


def runbook_policy(document: Mapping[str, Any], runs: Sequence[tuple[World, Mapping[str, Any]]] = ()) -> dict[str, Any]:
    """The policy for any runbook: its API steps' calls, plus every call recorded while simulating it in ``runs``
    (which is how the calls of its scripts are found). Each action's resources are those its recorded calls were
    authorized on (``_recorded_resources``); an action only named by a step (never run) gets its ARN patterns in
    the first run's account; ``*`` stays only for actions without a resource type."""
    records = simulated_records(dict(document), runs)
    resources: dict[str, set[str]] = {}
    for record, world in records:
        action = iam_action(record.service, record.operation)
        resources.setdefault(action, set()).update(_recorded_resources(record, world))
    env = (
        {"Partition": runs[0][0].partition, "Region": runs[0][0].region, "Account": runs[0][0].account} if runs else {}
    )
    for service, operation in document_calls(document):
        action = iam_action(service, operation)
        if action not in resources:
            resources[action] = set(arn_patterns(action, env) or ["*"])
    shaped = {action: _one_or_list(sorted(found)) for action, found in resources.items()}
    return {"Version": "2012-10-17", "Statement": _grouped(shaped)}


def _one_or_list(resources: list[str]) -> Any:
    if "*" in resources:
        return "*"
    return resources[0] if len(resources) == 1 else resources


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
            "Condition": {
                "StringEquals": {
                    "iam:PassedToService": "cloudtrail.amazonaws.com",
                    "aws:ResourceAccount": {"Ref": "AWS::AccountId"},
                }
            },
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
