"""Parameters of the CloudTrail remediation runbook (the pattern's) that fit a generated world."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from toolkit.fakes.world import World
from toolkit.testing.common import COIN, MISSING_KEY_IDS, NEW_TRAIL_NAMES, Entropy, entropic, pick, picks
from toolkit.testing.resources import policy_prefix
from toolkit.testing.worlds import draw_world_file


def _key_ids(world: World, missing: bool) -> tuple[list[str], list[str]]:
    """KmsKeyId values in every form: (for keys in the world's region, for the others and missing keys)."""
    here: list[str] = []
    other: list[str] = []
    for key in sorted(world.keys.values(), key=lambda key: (key.region, key.key_id)):
        forms = [key.key_id, key.arn(world.partition, world.account)]
        for alias in key.aliases:
            forms += [alias, f"arn:{world.partition}:kms:{key.region}:{world.account}:{alias}"]
        (here if key.region == world.region else other).extend(forms)
    if missing or not (here or other):
        other += MISSING_KEY_IDS
    return here, other


@st.composite
def kms_key_ids(draw: st.DrawFn, world: World, missing: bool = True) -> str:
    """A KmsKeyId for one of the world's keys in one of KMS's four forms (key id, key ARN, alias name, alias
    ARN): mostly a key of the world's region, sometimes a key of another region or, with ``missing``, a key id
    or alias naming no key."""
    here, other = _key_ids(world, missing)
    return pick(Entropy.of(draw), here * 3 + other)


def _world_prefixes(world: World) -> list[str]:
    """The prefixes the world's bucket policies name (each twice), then those only its trails use."""
    policies = [
        policy_prefix(None if bucket.policy is None else bucket.policy.to_json()) for bucket in world.buckets.values()
    ]
    named = sorted({prefix for prefix in policies if prefix})
    used = sorted({trail.s3_key_prefix for trail in world.trails.values() if trail.s3_key_prefix} - set(named))
    return [*named, *named, *used]


def draw_runbook_params(draw: st.DrawFn, world: World, vary_flags: bool = False) -> dict[str, Any]:
    """Parameters for the CloudTrail remediation runbook in ``world`` that fit its parameter rules.

    CloudTrailName names a trail of the world (homed here, a shadow, or homed elsewhere) or a new one; the bucket
    is mostly the world's, sometimes a missing one; the key is drawn as ``kms_key_ids`` draws it.
    IsOrganizationTrail is left to its default (true), true or false (mostly false without an organization).
    IsMultiRegionTrail, IncludeGlobalServiceEvents and EnableLogFileValidation are left to their default or set
    true (best practice), or with ``vary_flags`` any value. Sometimes a prefix the world uses (a trail's or the
    bucket policy's), the world's topic (name or ARN), and its log group and role (both or neither).
    """
    names = sorted({name for _, name in world.trails})
    homed_here = sorted(name for region, name in world.trails if region == world.region)
    here, other = _key_ids(world, missing=True)
    flag = (None, True, False) if vary_flags else (None, True)
    topics = sorted(topic for (region, topic) in world.topics if region == world.region)
    groups = sorted(group for (region, group) in world.log_groups if region == world.region)
    roles = sorted(world.roles)
    # Every choice in a few draws (what does not apply, a topic in a world without one say, is drawn and unused).
    (name, bucket, key_id, organization, multi, global_events, validation, prefix, notify, topic, by_arn, to_logs,
     group, any_stream, role) = picks(
        draw,
        (*homed_here * 3, *names, *NEW_TRAIL_NAMES),
        (*sorted(world.buckets) * 5, f"missing-logs-{world.account}"),
        here * 3 + other,
        (False, False, False, None, True) if world.organization is None else (None, True, False),
        flag,
        flag,
        flag,
        (None, *_world_prefixes(world)),
        COIN,
        topics or (None,),
        COIN,
        COIN,
        groups or (None,),
        COIN,
        roles or (None,),
    )  # fmt: skip
    params: dict[str, Any] = {"CloudTrailName": name, "CloudTrailS3BucketName": bucket, "CloudTrailKmsKeyId": key_id}
    if organization is not None:
        params["IsOrganizationTrail"] = organization
    for parameter, value in (
        ("IsMultiRegionTrail", multi),
        ("IncludeGlobalServiceEvents", global_events),
        ("EnableLogFileValidation", validation),
    ):
        if value is not None:
            params[parameter] = value
    if prefix is not None:
        params["CloudTrailS3KeyPrefix"] = prefix
    if topics and notify:
        arn = f"arn:{world.partition}:sns:{world.region}:{world.account}:{topic}"
        params["CloudTrailSnsTopicName"] = arn if by_arn else topic
    if groups and roles and to_logs:
        group_arn = f"arn:{world.partition}:logs:{world.region}:{world.account}:log-group:{group}"
        params["CloudWatchLogsLogGroupArn"] = f"{group_arn}:*" if any_stream else group_arn
        params["CloudWatchLogsRoleArn"] = f"arn:{world.partition}:iam::{world.account}:role/{role}"
    return params


runbook_params = st.composite(entropic(draw_runbook_params))


@st.composite
def worlds_and_params(draw: st.DrawFn, vary_flags: bool = False) -> tuple[World, dict[str, Any]]:
    """A world and parameters for it: ``worlds()`` then ``runbook_params(world, vary_flags)``."""
    draw = Entropy.of(draw)
    world = World.from_dict(draw_world_file(draw))
    return world, draw_runbook_params(draw, world, vary_flags)
