"""The fake Systems Manager's managed instances and Run Command: DescribeInstanceInformation, SendCommand,
ListCommands, ListCommandInvocations and GetCommandInvocation, on ``world.ssm.instances`` and ``world.ssm.commands``.

The world models no SSM agent: its managed instances are those the world file lists under ``ManagedInstances``
(none in the default world), so DescribeInstanceInformation answers from that set (often empty) and SendCommand to
any instance refuses with InvalidInstanceId, as AWS does for an instance that is not a managed node.

DescribeInstanceInformation: ``InstanceInformationFilterList`` (legacy: keys InstanceIds, AgentVersion, PingStatus,
PlatformTypes, ActivationIds, IamRole, ResourceType, AssociationStatus) or ``Filters`` (those keys and SourceIds,
SourceTypes, ``tag-key`` and ``tag:NAME``), not both; an unknown key raises InvalidFilterKey, a value outside a key's
documented set (PingStatus, PlatformTypes, ResourceType, AssociationStatus) InvalidInstanceInformationFilterValue;
MaxResults 5..50 (default 10), NextToken (InvalidNextToken).

SendCommand: the document is one of AWS's own Command documents (``AWS_COMMAND_DOCUMENTS``: their platforms and
parameters) or a Command document of the world's SSM documents in the region; else InvalidDocument. Targets resolve
``InstanceIds`` and ``tag:NAME`` keys over the managed instances (other target keys are not modelled). Instances
that are not managed nodes of the region (or not Online) raise InvalidInstanceId, "Instances [[ID, ...]] not in a
valid state for account ACCOUNT" [UNVERIFIED: AWS's wording as users report it; the API reference gives none]; a
parameter the document does not declare or a missing required one raises InvalidParameters; an instance of a
platform an AWS document does not support raises UnsupportedPlatformType.

Decision where AWS has an agent [UNVERIFIED by nature]: the fake runs nothing, so a command completes at once. The
response to SendCommand is AWS's at send time (Status Pending), and the recorded command and every invocation are
Success with response code 0 and empty output, so a runbook polling GetCommandInvocation proceeds. A world file may
record another Status for a command (Failed, TimedOut...), which its invocations then share.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_int, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services.paging import page
from toolkit.fakes.ssm.instances import (
    ASSOCIATION_STATUSES,
    PING_STATUSES,
    PLATFORM_TYPES,
    RESOURCE_TYPES,
    Command,
    ManagedInstance,
    command_id,
)

AWS_COMMAND_DOCUMENTS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "AWS-RunShellScript": (("Linux", "MacOS"), ("commands", "workingDirectory", "executionTimeout"), ("commands",)),
    "AWS-RunPowerShellScript": (
        ("Windows", "Linux"),
        ("commands", "workingDirectory", "executionTimeout"),
        ("commands",),
    ),
    "AWS-RunPatchBaseline": (
        ("Windows", "Linux", "MacOS"),
        ("Operation", "SnapshotId", "InstallOverrideList", "BaselineOverride", "RebootOption"),
        ("Operation",),
    ),
    "AWS-UpdateSSMAgent": (("Windows", "Linux", "MacOS"), ("version", "allowDowngrade"), ()),
    "AWS-ConfigureAWSPackage": (
        ("Windows", "Linux", "MacOS"),
        ("action", "installationType", "name", "version", "additionalArguments"),
        ("action", "name"),
    ),
    "AWS-RunRemoteScript": (
        ("Windows", "Linux", "MacOS"),
        ("sourceType", "sourceInfo", "commandLine", "workingDirectory", "executionTimeout"),
        ("sourceType", "sourceInfo", "commandLine"),
    ),
    "AWS-RunDocument": (
        ("Windows", "Linux", "MacOS"),
        ("sourceType", "sourceInfo", "documentParameters"),
        ("sourceType", "sourceInfo"),
    ),
}
"""AWS's own Command documents a runbook names: name -> (platform types, parameters, required parameters), as
their content in the Systems Manager console declares them."""
LEGACY_KEYS: Final = (
    "InstanceIds",
    "AgentVersion",
    "PingStatus",
    "PlatformTypes",
    "ActivationIds",
    "IamRole",
    "ResourceType",
    "AssociationStatus",
)
STRING_KEYS: Final = (*LEGACY_KEYS, "SourceIds", "SourceTypes")
ENUMS: Final = {
    "PingStatus": PING_STATUSES,
    "PlatformTypes": PLATFORM_TYPES,
    "ResourceType": RESOURCE_TYPES,
    "AssociationStatus": ASSOCIATION_STATUSES,
}


# -- DescribeInstanceInformation ---------------------------------------------------------------------------------


def _field(instance: ManagedInstance, key: str) -> str | None:
    return {
        "InstanceIds": instance.instance_id,
        "AgentVersion": instance.agent_version,
        "PingStatus": instance.ping_status,
        "PlatformTypes": instance.platform_type,
        "ActivationIds": instance.activation_id,
        "IamRole": instance.iam_role,
        "ResourceType": instance.resource_type,
        "AssociationStatus": instance.association_status,
        "SourceIds": instance.source_id,
        "SourceTypes": instance.source_type,
    }[key]


def _filters(params: dict[str, Any]) -> list[tuple[str, list[str]]]:
    legacy = struct_list(params, "InstanceInformationFilterList")
    current = struct_list(params, "Filters")
    if legacy and current:
        raise AwsError(
            "InvalidInstanceInformationFilterValue",
            "InstanceInformationFilterList and Filters can't be used together; use Filters.",
        )
    found: list[tuple[str, list[str]]] = []
    for item in legacy or []:
        key, values = item.get("key"), item.get("valueSet")
        if key not in LEGACY_KEYS:
            raise AwsError("InvalidFilterKey", f"The filter key {key} is not valid.")
        found.append((str(key), _values(key, values)))
    for item in current or []:
        key, values = item.get("Key"), item.get("Values")
        if not isinstance(key, str) or not (
            key in STRING_KEYS or key == "tag-key" or (key.startswith("tag:") and len(key) > 4)
        ):
            raise AwsError("InvalidFilterKey", f"The filter key {key} is not valid.")
        found.append((key, _values(key, values)))
    kinds = {key.startswith("tag") for key, _ in found}
    if len(kinds) > 1:
        raise AwsError("InvalidFilterKey", "Tag filters can't be combined with other filter types.")
    return found


def _values(key: str, values: object) -> list[str]:
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise AwsError("InvalidInstanceInformationFilterValue", f"The filter values for {key} are not valid.")
    allowed = ENUMS.get(key)
    for value in values:
        if allowed is not None and value not in allowed:
            raise AwsError(
                "InvalidInstanceInformationFilterValue",
                f"The filter value {value} is not valid for {key}: valid values are {', '.join(allowed)}.",
            )
    return values


def _matches(instance: ManagedInstance, key: str, values: list[str]) -> bool:
    if key == "tag-key":
        return any(value in instance.tags for value in values)
    if key.startswith("tag:"):
        return instance.tags.get(key[4:]) in values
    return _field(instance, key) in values


def _information(instance: ManagedInstance) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "InstanceId": instance.instance_id,
        "PingStatus": instance.ping_status,
        "LastPingDateTime": instance.last_ping,
        "AgentVersion": instance.agent_version,
        "IsLatestVersion": instance.is_latest_version,
        "PlatformType": instance.platform_type,
        "PlatformName": instance.platform_name,
        "PlatformVersion": instance.platform_version,
        "ResourceType": instance.resource_type,
    }
    for key, value in (
        ("ActivationId", instance.activation_id),
        ("IamRole", instance.iam_role),
        ("RegistrationDate", instance.registration_date),
        ("Name", instance.name),
        ("IPAddress", instance.ip_address),
        ("ComputerName", instance.computer_name),
        ("AssociationStatus", instance.association_status),
        ("SourceId", instance.source_id),
        ("SourceType", instance.source_type),
    ):
        if value is not None:
            shape[key] = value
    return shape


def _in_region(backend: FakeBackend) -> list[ManagedInstance]:
    instances = backend.world.ssm.instances
    return [instances[key] for key in sorted(instances) if key[0] == backend.region]


def describe_instance_information(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    filters = _filters(params)
    size = opt_int(params, "MaxResults")
    if size is not None and not 5 <= size <= 50:
        raise invalid("maxResults", "Member must have value between 5 and 50")
    found = [i for i in _in_region(backend) if all(_matches(i, key, values) for key, values in filters)]
    shown, token = page(
        found,
        size or 10,
        opt_str(params, "NextToken"),
        invalid="InvalidNextToken",
        message="The specified token is not valid.",
    )
    response: dict[str, Any] = {"InstanceInformationList": [_information(i) for i in shown]}
    if token is not None:
        response["NextToken"] = token
    return response


# -- SendCommand and the commands it records ---------------------------------------------------------------------


def _document(backend: FakeBackend, name: str) -> tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]:
    """The platforms (None: any), parameters and required parameters of the Command document ``name``."""
    if name in AWS_COMMAND_DOCUMENTS:
        return AWS_COMMAND_DOCUMENTS[name]
    document = backend.world.ssm.documents.get((backend.region, name))
    if document is None or document.document_type != "Command":
        raise AwsError("InvalidDocument", f"Document with name {name} does not exist.")
    return None, (), ()


def _targets(backend: FakeBackend, params: dict[str, Any]) -> list[str]:
    ids = str_list(params, "InstanceIds")
    targets = struct_list(params, "Targets")
    if ids and targets:
        raise AwsError("ValidationException", "Specify either InstanceIds or Targets, not both.")
    if ids is not None and ids:
        return ids
    if not targets:
        raise AwsError("ValidationException", "Either InstanceIds or Targets must be specified.")
    chosen: list[str] = []
    for target in targets:
        key, values = target.get("Key"), target.get("Values") or []
        if key == "InstanceIds":
            chosen += [v for v in values if v not in chosen]
        elif isinstance(key, str) and key.startswith("tag:"):
            chosen += [
                i.instance_id
                for i in _in_region(backend)
                if i.tags.get(key[4:]) in values and i.instance_id not in chosen
            ]
        else:
            raise AwsError(
                "NotModeledByFakeWorld", f"the fake AWS world does not model SendCommand targets {key}", status=501
            )
    return chosen


def send_command(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "DocumentName")
    platforms, declared, required = _document(backend, name)
    instance_ids = _targets(backend, params)
    if len(set(instance_ids)) != len(instance_ids):
        raise AwsError("DuplicateInstanceId", "Instance IDs are duplicated in the request.")
    instances = backend.world.ssm.instances
    invalid_ids = [
        i
        for i in instance_ids
        if (backend.region, i) not in instances or instances[backend.region, i].ping_status != "Online"
    ]
    if invalid_ids:
        raise AwsError(
            "InvalidInstanceId",
            f"Instances [[{', '.join(invalid_ids)}]] not in a valid state for account {backend.account}",
        )
    parameters = params.get("Parameters") or {}
    if not isinstance(parameters, dict):
        raise invalid("parameters", "Member must be a map")
    if declared:
        unknown = sorted(set(parameters) - set(declared))
        missing = [p for p in required if not parameters.get(p)]
        if unknown or missing:
            raise AwsError(
                "InvalidParameters",
                "Document " + name + " does not support parameters: " + ", ".join(unknown)
                if unknown
                else f"Document {name} requires parameters: {', '.join(missing)}",
            )
    if platforms is not None:
        for instance_id in instance_ids:
            if instances[backend.region, instance_id].platform_type not in platforms:
                raise AwsError(
                    "UnsupportedPlatformType",
                    f"The document {name} does not support the platform type of instance {instance_id}.",
                )
    now = backend.now()
    command = Command(
        command_id=command_id(backend.account, backend.region, len(backend.world.ssm.commands), now),
        region=backend.region,
        document_name=name,
        document_version=opt_str(params, "DocumentVersion") or "$DEFAULT",
        requested=now,
        instance_ids=tuple(instance_ids),
        comment=opt_str(params, "Comment") or "",
        parameters={
            str(k): tuple(str(v) for v in (vs if isinstance(vs, list) else [vs])) for k, vs in parameters.items()
        },
        timeout_seconds=opt_int(params, "TimeoutSeconds") or 3600,
        output_bucket=opt_str(params, "OutputS3BucketName"),
        output_prefix=opt_str(params, "OutputS3KeyPrefix"),
        max_concurrency=opt_str(params, "MaxConcurrency") or "50",
        max_errors=opt_str(params, "MaxErrors") or "0",
        service_role=opt_str(params, "ServiceRoleArn"),
    )
    backend.world.ssm.commands[command.command_id] = command
    sent = _command_shape(command)
    sent.update(Status="Pending", StatusDetails="Pending", CompletedCount=0)
    return {"Command": sent}


def _command_shape(command: Command) -> dict[str, Any]:
    ended = command.status not in ("Pending", "InProgress", "Cancelling")
    count = len(command.instance_ids)
    shape: dict[str, Any] = {
        "CommandId": command.command_id,
        "DocumentName": command.document_name,
        "DocumentVersion": command.document_version,
        "Comment": command.comment,
        "ExpiresAfter": command.requested.replace(microsecond=0) + timedelta(seconds=command.timeout_seconds),
        "Parameters": {name: list(values) for name, values in command.parameters.items()},
        "InstanceIds": list(command.instance_ids),
        "Targets": [],
        "RequestedDateTime": command.requested,
        "Status": command.status,
        "StatusDetails": command.status,
        "OutputS3Region": command.region,
        "MaxConcurrency": command.max_concurrency,
        "MaxErrors": command.max_errors,
        "TargetCount": count,
        "CompletedCount": count if ended else 0,
        "ErrorCount": count if command.status in ("Failed", "TimedOut") else 0,
        "DeliveryTimedOutCount": 0,
        "NotificationConfig": {"NotificationArn": "", "NotificationEvents": [], "NotificationType": ""},
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
        "TimeoutSeconds": command.timeout_seconds,
    }
    for key, value in (
        ("OutputS3BucketName", command.output_bucket),
        ("OutputS3KeyPrefix", command.output_prefix),
        ("ServiceRole", command.service_role),
    ):
        if value is not None:
            shape[key] = value
    return shape


def _commands(backend: FakeBackend, params: dict[str, Any]) -> list[Command]:
    wanted = opt_str(params, "CommandId")
    instance = opt_str(params, "InstanceId")
    table = backend.world.ssm.commands
    ordered = sorted(table.values(), key=lambda c: (c.requested, c.command_id), reverse=True)
    found = [
        c
        for c in ordered
        if c.region == backend.region
        and (wanted is None or c.command_id == wanted)
        and (instance is None or instance in c.instance_ids)
    ]
    if wanted is not None and not found:
        raise AwsError("InvalidCommandId", "The specified command ID isn't valid.")
    return found


def _paged(items: list[Any], params: dict[str, Any], member: str) -> dict[str, Any]:
    size = opt_int(params, "MaxResults")
    if size is not None and not 1 <= size <= 50:
        raise invalid("maxResults", "Member must have value between 1 and 50")
    shown, token = page(
        items,
        size or 50,
        opt_str(params, "NextToken"),
        invalid="InvalidNextToken",
        message="The specified token is not valid.",
    )
    response: dict[str, Any] = {member: shown}
    if token is not None:
        response["NextToken"] = token
    return response


def list_commands(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    if struct_list(params, "Filters"):
        raise AwsError("NotModeledByFakeWorld", "the fake AWS world does not model ListCommands filters", status=501)
    return _paged([_command_shape(c) for c in _commands(backend, params)], params, "Commands")


def _invocation(backend: FakeBackend, command: Command, instance_id: str) -> dict[str, Any]:
    instance = backend.world.ssm.instances.get((command.region, instance_id))
    return {
        "CommandId": command.command_id,
        "InstanceId": instance_id,
        "InstanceName": "" if instance is None or instance.computer_name is None else instance.computer_name,
        "Comment": command.comment,
        "DocumentName": command.document_name,
        "DocumentVersion": command.document_version,
        "RequestedDateTime": command.requested,
        "Status": command.status,
        "StatusDetails": command.status,
        "StandardOutputUrl": "",
        "StandardErrorUrl": "",
        "CommandPlugins": [],
        "NotificationConfig": {"NotificationArn": "", "NotificationEvents": [], "NotificationType": ""},
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
    }


def list_command_invocations(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    if struct_list(params, "Filters"):
        raise AwsError(
            "NotModeledByFakeWorld", "the fake AWS world does not model ListCommandInvocations filters", status=501
        )
    instance = opt_str(params, "InstanceId")
    invocations = [
        _invocation(backend, command, instance_id)
        for command in _commands(backend, params)
        for instance_id in command.instance_ids
        if instance is None or instance_id == instance
    ]
    return _paged(invocations, params, "CommandInvocations")


def get_command_invocation(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    wanted = req_str(params, "CommandId")
    instance_id = req_str(params, "InstanceId")
    command = backend.world.ssm.commands.get(wanted)
    if command is None or command.region != backend.region:
        raise AwsError("InvalidCommandId", "The specified command ID isn't valid.")
    if instance_id not in command.instance_ids:
        raise AwsError(
            "InvocationDoesNotExist", "The command ID and managed node ID you specified didn't match any invocations."
        )
    plugin = opt_str(params, "PluginName")
    if plugin is not None:
        raise AwsError("InvalidPluginName", f"The plugin name {plugin} isn't valid: the fake runs no plugins.")
    ended = command.status not in ("Pending", "InProgress", "Cancelling")
    return {
        "CommandId": command.command_id,
        "InstanceId": instance_id,
        "Comment": command.comment,
        "DocumentName": command.document_name,
        "DocumentVersion": command.document_version,
        "PluginName": "",
        "ResponseCode": (0 if command.status == "Success" else 1) if ended else -1,
        "ExecutionStartDateTime": command.requested.isoformat() if ended else "",
        "ExecutionElapsedTime": "PT0S" if ended else "",
        "ExecutionEndDateTime": command.requested.isoformat() if ended else "",
        "Status": command.status,
        "StatusDetails": command.status,
        "StandardOutputContent": "",
        "StandardOutputUrl": "",
        "StandardErrorContent": "",
        "StandardErrorUrl": "",
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
    }


OPERATIONS: dict[str, Operation] = {
    "DescribeInstanceInformation": describe_instance_information,
    "SendCommand": send_command,
    "ListCommands": list_commands,
    "ListCommandInvocations": list_command_invocations,
    "GetCommandInvocation": get_command_invocation,
}
