"""A request on a KMS key carries the key's aliases (kms:ResourceAliases) and tags (aws:ResourceTag/<key>), as AWS
sets them (KMS developer guide, condition keys for AWS KMS), so an SCP or key policy naming them is decided, never
CannotEvaluatePolicy; and the decision follows the alias or tag when it moves (the decision cache is keyed by the
key's record, ``toolkit.fakes.access``)."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.fakes.caller import parse_caller
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

MANAGEMENT = "111122223333"
MEMBER = "444455556666"
ROOT = "r-ab12"
WORKLOADS = "ou-ab12-11111111"
LOGS_KEY = "11111111-1111-4111-8111-111111111111"
OTHER_KEY = "22222222-2222-4222-8222-222222222222"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def scp(condition: dict[str, Any], actions: list[str] | None = None) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Action": actions or ["kms:DisableKey"], "Resource": "*", "Condition": condition}
        ],
    }


PROTECT_ALIAS = scp({"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/cloudtrail-logs"}})
PROTECT_TAG = scp({"StringEquals": {"aws:ResourceTag/protected": "true"}})


def member_world(policy: dict[str, Any], **key_fields: Any) -> World:
    """The world's account is a member of OU Workloads, to which ``policy`` is attached as an SCP; it holds an
    administrator role and two keys: the CloudTrail one (alias/cloudtrail-logs, ``key_fields``) and another."""
    return World.from_dict(
        {
            "Account": MEMBER,
            "Organization": {
                "Id": "o-a1b2c3d4e5",
                "ManagementAccount": MANAGEMENT,
                "FeatureSet": "ALL",
                "Root": ROOT,
                "OrganizationalUnits": [{"Id": WORKLOADS, "Name": "Workloads", "Parent": ROOT}],
                "Accounts": [{"Id": MEMBER, "Parent": WORKLOADS}],
                "Policies": [{"Name": "ProtectTrailKey", "Content": policy, "Targets": [WORKLOADS]}],
            },
            "Roles": [{"Name": "Admin", "AssumeRolePolicyDocument": TRUST, "AttachedPolicies": [ADMIN_ACCESS]}],
            "Keys": [
                {"KeyId": LOGS_KEY, "Aliases": ["alias/cloudtrail-logs"], **key_fields},
                {"KeyId": OTHER_KEY, "Aliases": ["alias/other"]},
            ],
        }
    )


def disable(world: World, key: str, *, operation: str = "DisableKey") -> str | None:
    """The error code of ``operation`` on ``key`` as the member's administrator (None: allowed). One backend of the
    same world each time, so the world's decisions are kept from call to call."""
    caller = parse_caller(f"arn:aws:iam::{MEMBER}:role/Admin")
    try:
        world.backend().acting_as(caller).call("kms", operation, {"KeyId": key})
    except AwsError as err:
        return err.code
    return None


def unchecked(world: World, operation: str, **params: Any) -> None:
    """A change made by someone the SCP does not bind (the test's own hand)."""
    world.call("kms", operation, params)


def test_an_scp_on_kms_resource_aliases_denies_the_aliased_key_only() -> None:
    world = member_world(PROTECT_ALIAS)
    assert disable(world, LOGS_KEY) == "AccessDeniedException"
    assert disable(world, "alias/cloudtrail-logs") == "AccessDeniedException"  # authorized on the key behind it
    assert disable(world, OTHER_KEY) is None


def test_the_denial_follows_the_alias_when_it_moves_and_ends_when_it_is_deleted() -> None:
    world = member_world(PROTECT_ALIAS)
    assert disable(world, LOGS_KEY, operation="DescribeKey") is None  # reads are not protected
    assert disable(world, LOGS_KEY) == "AccessDeniedException"
    unchecked(world, "UpdateAlias", AliasName="alias/cloudtrail-logs", TargetKeyId=OTHER_KEY)
    assert disable(world, LOGS_KEY) is None
    assert disable(world, OTHER_KEY) == "AccessDeniedException"
    unchecked(world, "DeleteAlias", AliasName="alias/cloudtrail-logs")
    assert disable(world, OTHER_KEY) is None
    unchecked(world, "CreateAlias", AliasName="alias/cloudtrail-logs", TargetKeyId=LOGS_KEY)
    assert disable(world, LOGS_KEY) == "AccessDeniedException"


def test_the_denial_names_the_scp() -> None:
    world = member_world(PROTECT_ALIAS)
    caller = parse_caller(f"arn:aws:iam::{MEMBER}:role/Admin")
    with pytest.raises(AwsError) as denied:
        world.backend().acting_as(caller).call("kms", "DisableKey", {"KeyId": LOGS_KEY})
    assert denied.value.message.endswith("with an explicit deny in a service control policy")
    assert f"on resource: arn:aws:kms:us-east-1:{MEMBER}:key/{LOGS_KEY}" in denied.value.message


def test_an_scp_on_a_resource_tag_of_a_key_follows_its_tags() -> None:
    world = member_world(PROTECT_TAG, Tags={"protected": "true"})
    assert disable(world, LOGS_KEY) == "AccessDeniedException"
    assert disable(world, OTHER_KEY) is None  # a key without the tag: the condition is false, not undecidable
    unchecked(world, "UntagResource", KeyId=LOGS_KEY, TagKeys=["protected"])
    assert disable(world, LOGS_KEY) is None
    unchecked(world, "TagResource", KeyId=OTHER_KEY, Tags=[{"TagKey": "protected", "TagValue": "true"}])
    assert disable(world, OTHER_KEY) == "AccessDeniedException"
    unchecked(world, "TagResource", KeyId=OTHER_KEY, Tags=[{"TagKey": "protected", "TagValue": "no"}])
    assert disable(world, OTHER_KEY) is None


def test_a_key_policy_condition_on_the_keys_aliases_is_decided() -> None:
    """A key policy that lets the account use the key only while it is the CloudTrail key."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{MEMBER}:root"},
                "Action": "kms:*",
                "Resource": "*",
                "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/cloudtrail-logs"}},
            }
        ],
    }
    world = member_world(scp({"Bool": {"aws:ViaAWSService": "true"}}), Policy=policy)
    assert disable(world, LOGS_KEY, operation="DescribeKey") is None
    unchecked(world, "DeleteAlias", AliasName="alias/cloudtrail-logs")
    assert disable(world, LOGS_KEY, operation="DescribeKey") == "AccessDeniedException"


def test_a_key_the_world_does_not_hold_has_no_aliases_so_kms_answers() -> None:
    world = member_world(PROTECT_ALIAS)
    assert disable(world, "33333333-3333-4333-8333-333333333333") == "NotFoundException"
