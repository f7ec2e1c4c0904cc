"""Shared pieces of the fake IAM's tests: documents, a backend on its own clock, and calls that fail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

ACCOUNT = "123456789012"
TRUST_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRUST = json.dumps(TRUST_DOCUMENT)
ALLOW_S3_DOCUMENT = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
ALLOW_S3 = json.dumps(ALLOW_S3_DOCUMENT)
ALLOW_LOGS_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}],
}
ALLOW_LOGS = json.dumps(ALLOW_LOGS_DOCUMENT)
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
AUTOMATION = "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole"
START = datetime(2026, 3, 1, tzinfo=UTC)


def statement(**fields: Any) -> str:
    """A policy document of one statement, as JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": [fields]})


class Clock:
    """A simulated clock for a backend: one second later at every reading."""

    def __init__(self) -> None:
        self.ticks = 0

    def __call__(self) -> datetime:
        self.ticks += 1
        return START + timedelta(seconds=self.ticks)


def backend(data: dict[str, Any] | None = None) -> FakeBackend:
    """A backend on a world of ``data`` (default: an empty world) and its own ticking clock."""
    return World.from_dict(data or {}).backend(now=Clock())


def error(where: FakeBackend, operation: str, **params: Any) -> AwsError:
    """The error an IAM call fails with; the world must be left as it was."""
    assert isinstance(where.world, World)
    before = where.world.to_dict()
    with pytest.raises(AwsError) as caught:
        where.call("iam", operation, params)
    assert where.world.to_dict() == before, f"a failed {operation} changed the world"
    return caught.value


def call(where: FakeBackend, operation: str, **params: Any) -> dict[str, Any]:
    return where.call("iam", operation, params)


def role(where: FakeBackend, name: str = "Auto", **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = call(where, "CreateRole", RoleName=name, AssumeRolePolicyDocument=TRUST, **params)["Role"]
    return result


def policy(where: FakeBackend, name: str = "Mine", document: str = ALLOW_S3, **params: Any) -> str:
    """Create a customer managed policy; its ARN."""
    arn: str = call(where, "CreatePolicy", PolicyName=name, PolicyDocument=document, **params)["Policy"]["Arn"]
    return arn


def round_trips(where: FakeBackend) -> None:
    """The world written and read back is the same world, and writes the same data."""
    assert isinstance(where.world, World)
    data = where.world.to_dict()
    again = World.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
