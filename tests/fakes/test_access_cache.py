"""The decisions ``toolkit.fakes.access`` keeps never outlive what they were made from: a call the world changes
(PutRolePolicy, AttachRolePolicy, CreatePolicyVersion, PutBucketPolicy, PutKeyPolicy) is answered anew by the next
call, in the same run, in the same world and in its copies, and a policy that names the time is asked again when the
clock moves."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.backend import EPOCH, FakeBackend
from toolkit.fakes.caller import parse_caller
from toolkit.fakes.default import DEFAULT_BUCKET, DEFAULT_KEY_ID
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.simulate import simulate
from toolkit.simulate.execution import Options

ROLE = "Worker"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
TRUST_SSM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
VERSIONING = ("s3", "GetBucketVersioning", {"Bucket": DEFAULT_BUCKET})
DESCRIBE_KEY = ("kms", "DescribeKey", {"KeyId": DEFAULT_KEY_ID})


def policy(effect: str, action: str | list[str], resource: str = "*", **condition: Any) -> str:
    statement: dict[str, Any] = {"Effect": effect, "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def with_worker(*actions: str) -> World:
    """The default world and a role allowed ``actions`` (every action when none are given)."""
    document = json.loads(policy("Allow", list(actions) or "*"))
    role = {
        "Name": ROLE,
        "AssumeRolePolicyDocument": TRUST_SSM,
        "Policies": [{"PolicyName": "work", "PolicyDocument": document}],
    }
    return world(add={"Roles": [role]})


def as_worker(w: World, now: Any = None) -> FakeBackend:
    caller = parse_caller(ROLE_ARN)
    assert caller is not None
    return w.backend(now=now).acting_as(caller)


def allowed(backend: FakeBackend, call: tuple[str, str, dict[str, Any]]) -> bool:
    service, operation, params = call
    try:
        backend.call(service, operation, dict(params))
    except AwsError as err:
        assert err.code in ("AccessDenied", "AccessDeniedException"), err
        return False
    return True


def test_a_decision_is_kept_and_found_again() -> None:
    w = with_worker()
    backend = as_worker(w)
    assert allowed(backend, VERSIONING)
    kept = len(w.decisions)
    assert kept >= 1
    assert allowed(backend, VERSIONING)
    assert allowed(as_worker(w.copy()), VERSIONING)  # a copy finds it too: the same records
    assert len(w.decisions) == kept


def test_put_role_policy_changes_the_next_decision() -> None:
    w = with_worker()
    backend = as_worker(w)
    assert allowed(backend, VERSIONING)
    deny = policy("Deny", "s3:GetBucketVersioning")
    backend.call("iam", "PutRolePolicy", {"RoleName": ROLE, "PolicyName": "no", "PolicyDocument": deny})
    assert not allowed(backend, VERSIONING)
    backend.call("iam", "DeleteRolePolicy", {"RoleName": ROLE, "PolicyName": "no"})
    assert allowed(backend, VERSIONING)


def test_attach_role_policy_grants_and_denies_at_once() -> None:
    w = with_worker("iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion")
    backend = as_worker(w)
    assert not allowed(backend, VERSIONING)
    read_only = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    backend.call("iam", "AttachRolePolicy", {"RoleName": ROLE, "PolicyArn": read_only})
    assert allowed(backend, VERSIONING)
    created = backend.call(
        "iam", "CreatePolicy", {"PolicyName": "NoVersioning", "PolicyDocument": policy("Allow", "s3:ListBucket")}
    )
    mine = created["Policy"]["Arn"]
    backend.call("iam", "AttachRolePolicy", {"RoleName": ROLE, "PolicyArn": mine})
    assert allowed(backend, VERSIONING)
    # A new default version of an attached policy changes what the role may do (the role itself is unchanged).
    backend.call(
        "iam",
        "CreatePolicyVersion",
        {"PolicyArn": mine, "PolicyDocument": policy("Deny", "s3:GetBucketVersioning"), "SetAsDefault": True},
    )
    assert not allowed(backend, VERSIONING)
    backend.call("iam", "DetachRolePolicy", {"RoleName": ROLE, "PolicyArn": mine})
    assert allowed(backend, VERSIONING)
    backend.call("iam", "DetachRolePolicy", {"RoleName": ROLE, "PolicyArn": read_only})
    assert not allowed(backend, VERSIONING)


def test_put_bucket_policy_changes_the_next_decision() -> None:
    w = with_worker()
    backend = as_worker(w)
    assert allowed(backend, VERSIONING)
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": ROLE_ARN},
                "Action": "s3:GetBucketVersioning",
                "Resource": f"arn:aws:s3:::{DEFAULT_BUCKET}",
            }
        ],
    }
    backend.call("s3", "PutBucketPolicy", {"Bucket": DEFAULT_BUCKET, "Policy": json.dumps(deny)})
    assert not allowed(backend, VERSIONING)
    backend.call("s3", "DeleteBucketPolicy", {"Bucket": DEFAULT_BUCKET})
    assert allowed(backend, VERSIONING)


def test_put_key_policy_changes_the_next_decision() -> None:
    w = with_worker()
    backend = as_worker(w)
    assert allowed(backend, DESCRIBE_KEY)
    root = f"arn:aws:iam::{ACCOUNT}:root"
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "Principal": {"AWS": ROLE_ARN}, "Action": "kms:DescribeKey", "Resource": "*"},
        ],
    }
    backend.call("kms", "PutKeyPolicy", {"KeyId": KEY_ARN, "PolicyName": "default", "Policy": json.dumps(key_policy)})
    assert not allowed(backend, DESCRIBE_KEY)
    key_policy["Statement"] = key_policy["Statement"][:1]
    backend.call("kms", "PutKeyPolicy", {"KeyId": KEY_ARN, "PolicyName": "default", "Policy": json.dumps(key_policy)})
    assert allowed(backend, DESCRIBE_KEY)


def test_copies_of_a_world_share_decisions_but_each_gets_its_own() -> None:
    w = with_worker()
    changed, unchanged = w.copy(), w.copy()
    deny = policy("Deny", "s3:GetBucketVersioning")
    as_worker(changed).call("iam", "PutRolePolicy", {"RoleName": ROLE, "PolicyName": "no", "PolicyDocument": deny})
    for _ in range(2):
        assert not allowed(as_worker(changed), VERSIONING)
        assert allowed(as_worker(unchanged), VERSIONING)
        assert allowed(as_worker(w), VERSIONING)


def test_a_policy_that_names_the_time_is_asked_again_when_the_clock_moves() -> None:
    w = with_worker("s3:PutBucketVersioning")
    until = (EPOCH + timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = policy("Allow", "s3:GetBucketVersioning", DateLessThan={"aws:CurrentTime": until})
    w.backend().call("iam", "PutRolePolicy", {"RoleName": ROLE, "PolicyName": "until", "PolicyDocument": document})
    clock = [EPOCH]

    def now() -> datetime:
        return clock[0]

    backend = as_worker(w, now)
    assert allowed(backend, VERSIONING)
    clock[0] = EPOCH + timedelta(seconds=60)
    assert not allowed(backend, VERSIONING)
    clock[0] = EPOCH + timedelta(seconds=10)
    assert allowed(backend, VERSIONING)


@pytest.mark.parametrize("iam", [True, False])
def test_a_runbook_that_denies_itself_is_denied_in_the_same_run(iam: bool) -> None:
    def get_versioning(name: str) -> dict[str, Any]:
        return {
            "name": name,
            "action": "aws:executeAwsApi",
            "inputs": {"Service": "s3", "Api": "GetBucketVersioning", "Bucket": DEFAULT_BUCKET},
        }

    deny = policy("Deny", "s3:GetBucketVersioning")
    document = {
        "schemaVersion": "0.3",
        "assumeRole": ROLE_ARN,
        "mainSteps": [
            get_versioning("Before"),
            {
                "name": "DenyMyself",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "iam",
                    "Api": "PutRolePolicy",
                    "RoleName": ROLE,
                    "PolicyName": "no",
                    "PolicyDocument": deny,
                },
            },
            get_versioning("After"),
        ],
    }
    w = with_worker()
    for _ in range(2):  # the second run starts from the same world, with the first run's decisions kept
        result = simulate(document, world=w, options=Options(iam=iam))
        statuses = [step.status for step in result.steps]
        assert statuses == (["Success", "Success", "Failed"] if iam else ["Success"] * 3), result.steps
