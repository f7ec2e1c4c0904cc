"""Run Command's state: the managed nodes SSM knows (``ManagedInstances``) and the commands sent to them
(``Commands``), with the world file's form of each.

The default world has no managed instances: nothing registers an agent with the fake SSM, so a world that wants
one lists it under ``ManagedInstances`` (the fields of DescribeInstanceInformation's InstanceInformation, plus
``Region`` and ``Tags`` for the tag filters). A command records what SendCommand was asked and, per instance, its
invocation; the fake runs no agent (see ``toolkit.fakes.services.ssm_commands`` for what that means).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.record import CREATED
from toolkit.fakes.worldfile import Fields, timestamp_text

INSTANCE_KEYS: Final = (
    "InstanceId",
    "Region",
    "PingStatus",
    "LastPingDateTime",
    "AgentVersion",
    "IsLatestVersion",
    "PlatformType",
    "PlatformName",
    "PlatformVersion",
    "ActivationId",
    "IamRole",
    "RegistrationDate",
    "ResourceType",
    "Name",
    "IPAddress",
    "ComputerName",
    "AssociationStatus",
    "SourceId",
    "SourceType",
    "Tags",
)
COMMAND_KEYS: Final = (
    "CommandId",
    "Region",
    "DocumentName",
    "DocumentVersion",
    "Comment",
    "Parameters",
    "InstanceIds",
    "RequestedDateTime",
    "Status",
    "TimeoutSeconds",
    "OutputS3BucketName",
    "OutputS3KeyPrefix",
    "MaxConcurrency",
    "MaxErrors",
    "ServiceRole",
)
PING_STATUSES: Final = ("Online", "ConnectionLost", "Inactive")
PLATFORM_TYPES: Final = ("Windows", "Linux", "MacOS")
RESOURCE_TYPES: Final = ("EC2Instance", "ManagedInstance")
ASSOCIATION_STATUSES: Final = ("Success", "Pending", "Failed")
COMMAND_STATUSES: Final = ("Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut", "Cancelling")


def _choice(fields: Fields, key: str, default: str, allowed: tuple[str, ...]) -> str:
    value = fields.text(key, default)
    if value not in allowed:
        raise fields.fail(key, f"must be one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class ManagedInstance:
    """A managed node of one region, as DescribeInstanceInformation describes it."""

    instance_id: str
    region: str
    ping_status: str = "Online"
    last_ping: datetime = CREATED
    agent_version: str = "3.3.0.0"
    is_latest_version: bool = True
    platform_type: str = "Linux"
    platform_name: str = "Amazon Linux"
    platform_version: str = "2023"
    activation_id: str | None = None
    iam_role: str | None = None
    registration_date: datetime | None = None
    resource_type: str = "EC2Instance"
    name: str | None = None
    ip_address: str | None = None
    computer_name: str | None = None
    association_status: str | None = None
    source_id: str | None = None
    source_type: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, fields: Fields, region: str) -> ManagedInstance:
        association = fields.optional_text("AssociationStatus")
        if association is not None and association not in ASSOCIATION_STATUSES:
            raise fields.fail("AssociationStatus", f"must be one of {', '.join(ASSOCIATION_STATUSES)}")
        instance_id = fields.required_text("InstanceId")
        resource_type = _choice(fields, "ResourceType", "EC2Instance", RESOURCE_TYPES)
        return cls(
            instance_id=instance_id,
            region=fields.text("Region", region),
            ping_status=_choice(fields, "PingStatus", "Online", PING_STATUSES),
            last_ping=fields.timestamp("LastPingDateTime") or CREATED,
            agent_version=fields.text("AgentVersion", "3.3.0.0"),
            is_latest_version=fields.flag("IsLatestVersion", True),
            platform_type=_choice(fields, "PlatformType", "Linux", PLATFORM_TYPES),
            platform_name=fields.text("PlatformName", "Amazon Linux"),
            platform_version=fields.text("PlatformVersion", "2023"),
            activation_id=fields.optional_text("ActivationId"),
            iam_role=fields.optional_text("IamRole"),
            registration_date=fields.timestamp("RegistrationDate"),
            resource_type=resource_type,
            name=fields.optional_text("Name"),
            ip_address=fields.optional_text("IPAddress"),
            computer_name=fields.optional_text("ComputerName"),
            association_status=association,
            source_id=fields.text("SourceId", instance_id) if resource_type == "EC2Instance" else None,
            source_type=fields.optional_text("SourceType")
            or ("AWS::EC2::Instance" if resource_type == "EC2Instance" else "AWS::SSM::ManagedInstance"),
            tags={key: value or "" for key, value in fields.string_map("Tags").items()},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "InstanceId": self.instance_id,
            "Region": self.region,
            "PingStatus": self.ping_status,
            "LastPingDateTime": timestamp_text(self.last_ping),
            "AgentVersion": self.agent_version,
            "IsLatestVersion": self.is_latest_version,
            "PlatformType": self.platform_type,
            "PlatformName": self.platform_name,
            "PlatformVersion": self.platform_version,
            "ActivationId": self.activation_id,
            "IamRole": self.iam_role,
            "RegistrationDate": timestamp_text(self.registration_date),
            "ResourceType": self.resource_type,
            "Name": self.name,
            "IPAddress": self.ip_address,
            "ComputerName": self.computer_name,
            "AssociationStatus": self.association_status,
            "SourceId": self.source_id,
            "SourceType": self.source_type,
            "Tags": dict(sorted(self.tags.items())),
        }


@dataclass(frozen=True)
class Command:
    """A command SendCommand sent, and its status (every invocation has the command's status)."""

    command_id: str
    region: str
    document_name: str
    document_version: str
    requested: datetime
    instance_ids: tuple[str, ...]
    status: str = "Success"
    comment: str = ""
    parameters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    timeout_seconds: int = 3600
    output_bucket: str | None = None
    output_prefix: str | None = None
    max_concurrency: str = "50"
    max_errors: str = "0"
    service_role: str | None = None

    @classmethod
    def read(cls, fields: Fields, region: str) -> Command:
        parameters = fields.data.get("Parameters") or {}
        if not isinstance(parameters, dict) or not all(
            isinstance(values, list) and all(isinstance(v, str) for v in values) for values in parameters.values()
        ):
            raise fields.fail("Parameters", "must map each name to a list of text values")
        timeout = fields.data.get("TimeoutSeconds", 3600)
        if not isinstance(timeout, int):
            raise fields.fail("TimeoutSeconds", "must be a whole number")
        return cls(
            command_id=fields.required_text("CommandId"),
            region=fields.text("Region", region),
            document_name=fields.required_text("DocumentName"),
            document_version=fields.text("DocumentVersion", "$DEFAULT"),
            requested=fields.timestamp("RequestedDateTime") or CREATED,
            instance_ids=fields.strings("InstanceIds"),
            status=_choice(fields, "Status", "Success", COMMAND_STATUSES),
            comment=fields.text("Comment", ""),
            parameters={str(name): tuple(values) for name, values in parameters.items()},
            timeout_seconds=timeout,
            output_bucket=fields.optional_text("OutputS3BucketName"),
            output_prefix=fields.optional_text("OutputS3KeyPrefix"),
            max_concurrency=fields.text("MaxConcurrency", "50"),
            max_errors=fields.text("MaxErrors", "0"),
            service_role=fields.optional_text("ServiceRole"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "CommandId": self.command_id,
            "Region": self.region,
            "DocumentName": self.document_name,
            "DocumentVersion": self.document_version,
            "Comment": self.comment,
            "Parameters": {name: list(values) for name, values in self.parameters.items()},
            "InstanceIds": list(self.instance_ids),
            "RequestedDateTime": timestamp_text(self.requested),
            "Status": self.status,
            "TimeoutSeconds": self.timeout_seconds,
            "OutputS3BucketName": self.output_bucket,
            "OutputS3KeyPrefix": self.output_prefix,
            "MaxConcurrency": self.max_concurrency,
            "MaxErrors": self.max_errors,
            "ServiceRole": self.service_role,
        }


def command_id(account: str, region: str, count: int, requested: datetime) -> str:
    """A deterministic CommandId in AWS's form (a UUID's 36 characters), from where, when and how many came before."""
    digest = hashlib.sha256(f"{account}/{region}/{count}/{requested.isoformat()}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
