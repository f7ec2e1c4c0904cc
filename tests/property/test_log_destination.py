"""The remediation runbook refuses a log destination outside this account and AllowedLogAccountIds, in generated
worlds whose bucket, key or both belong to another account of the world (``toolkit.testing.foreign_destinations``).

The verdict is worked out from the world, not from the runbook: who owns the bucket (the account whose
``Buckets`` hold it), who owns the key (the account its ARN names), which accounts are allowed, and whether the
bucket's policy lets this account read the bucket's location (S3 confirms an owner only to a caller it lets ask).
A refused destination ends the execution Failed in UpsertTrail, naming the bucket or the key and its owner, with
the world unchanged and nothing written; an allowed one is never refused (the runbook asks S3 and KMS and goes on).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import given, settings

from tests.property.test_runbook_properties import kms_key
from toolkit.documents import read_runbook
from toolkit.fakes.world import World
from toolkit.model.document import Document
from toolkit.simulate import simulate
from toolkit.simulate.result import SimulationResult
from toolkit.testing import foreign_destinations

EXAMPLES = 300
WRITES = {"CreateTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors", "StartLogging"}
KEY_REFUSED = "KMS key {key} belongs to account {owner}, not to this account"
BUCKET_REFUSED = "S3 bucket {bucket} is not owned by this account"


@cache
def runbook() -> Document:
    return read_runbook("cloudtrail-remediation-action").model()


def bucket_owner(world: World, bucket: str) -> str | None:
    """The account of the world whose buckets hold ``bucket`` (None: no account has it)."""
    if bucket in world.buckets:
        return world.account
    return next((account for account, state in world.accounts.items() if bucket in state.buckets), None)


def may_ask_location(world: World, bucket: str) -> bool:
    """Whether S3 answers this account's GetBucketLocation on ``bucket``: its own, or the policy of another
    account's bucket allows this account."""
    owner = bucket_owner(world, bucket)
    if owner in (None, world.account):
        return True
    policy = world.accounts[str(owner)].buckets[bucket].policy
    principal = ("AWS", f"arn:{world.partition}:iam::{world.account}:root")
    return policy is not None and policy.allows(principal, "s3:GetBucketLocation", f"arn:aws:s3:::{bucket}")


def blocked_by_the_trail_name(world: World, name: str) -> bool:
    """The runbook stops before looking at the destination: the trail is another account's organization trail, or
    its name belongs to a trail homed in another region (test_runbook_properties.causes, first two causes)."""
    homed = world.trails.get((world.region, name))
    shadow = next((t for t in world.trails.values() if t.name == name and t.is_multi_region_trail), None)
    seen = homed or shadow
    organization = world.organization
    other_owner = (
        seen is not None
        and seen.is_organization_trail
        and organization is not None
        and organization.management_account != world.account
    )
    return other_owner or (homed is None and shadow is not None)


def failure(result: SimulationResult) -> tuple[str, str]:
    failed = [step for step in result.steps if step.status == "Failed"]
    assert failed, f"the execution ended {result.status} with no failed step"
    return failed[-1].name, failed[-1].failure_message or ""


def assert_refused(world: World, result: SimulationResult, words: str) -> None:
    assert result.status == "Failed", f"a destination outside the allowed accounts was accepted ({words})"
    step, message = failure(result)
    assert step == "UpsertTrail" and words in message, (step, message)
    assert "Nothing was changed" in message
    assert result.world is not None and result.world.to_dict() == world.to_dict(), "a refusal changed the world"
    writes = [call.operation for call in result.calls if call.operation in WRITES]
    assert not writes, f"refused, yet wrote {writes}"


@settings(max_examples=EXAMPLES)
@given(foreign_destinations())
def test_a_destination_outside_the_allowed_accounts_is_refused_and_an_allowed_one_is_not(
    case: tuple[World, dict[str, Any]],
) -> None:
    world, params = case
    result = simulate(runbook(), params, world)
    if blocked_by_the_trail_name(world, params["CloudTrailName"]):
        assert result.status == "Failed"
        return
    allowed = list(dict.fromkeys([world.account, *params.get("AllowedLogAccountIds", [])]))
    bucket, key = params["CloudTrailS3BucketName"], params["CloudTrailKmsKeyId"]
    key_owner = key.split(":")[4] if key.startswith("arn:") else world.account
    if key_owner not in allowed:
        assert_refused(world, result, KEY_REFUSED.format(key=key, owner=key_owner))
        assert not [call for call in result.calls if call.operation == "DescribeKey"], "asked KMS about the key"
        return
    described = [call for call in result.calls if call.operation == "DescribeKey"]
    assert described, "the key was neither refused nor described"
    key_found = described[-1].error is None
    if key_owner == world.account:
        assert key_found == (kms_key(world, key) is not None), described
    owner = bucket_owner(world, bucket)
    checks = [call for call in result.calls if call.operation == "GetBucketLocation"]
    _, message = failure(result) if result.status != "Success" else ("", "")
    assert "belongs to account" not in message, message
    if not key_found:
        # KMS answered first (a key of another region or none at all; the fakes' KMS finds a key in the caller's
        # account only, so the allowed archive's key too): no bucket question was asked.
        assert result.status == "Failed" and not checks, (message, checks)
        return
    if owner is not None and (owner not in allowed or not may_ask_location(world, bucket)):
        assert_refused(world, result, BUCKET_REFUSED.format(bucket=bucket))
        assert [call.error for call in checks] == ["AccessDenied"] * len(allowed), checks
        return
    assert "is not owned by" not in message, message
    if owner is None:
        assert [call.error for call in checks] == ["NoSuchBucket"], checks
    else:  # asked each allowed account in turn until S3 confirmed the owner
        assert [call.error for call in checks] == ["AccessDenied"] * allowed.index(owner) + [None], checks
