"""Trails, and whole world files: what a CloudTrail remediation meets."""

from __future__ import annotations

from hypothesis import strategies as st

from toolkit.fakes.world import World
from toolkit.testing.common import (
    ACCOUNTS,
    ALIASES,
    BUCKET_STEMS,
    COIN,
    FAULTS,
    KEY_FAULTS,
    KEY_IDS,
    LOG_GROUP_NAMES,
    PREFIXES,
    REGIONS,
    ROLE_NAMES,
    SECOND_KEY_ID,
    TOPIC_NAMES,
    TRAIL_NAMES,
    Data,
    entropic,
    pick,
    picks,
)
from toolkit.testing.resources import (
    draw_bucket_policy,
    draw_key_policy,
    draw_log_role,
    draw_organization,
    draw_topic_policy,
    policy_prefix,
)
from toolkit.testing.selectors import (
    draw_advanced_selectors,
    draw_basic_selectors,
    draw_insight_selectors,
    records_management,
)

TAGS: tuple[dict[str, str | None], ...] = ({}, {}, {"team": "security"}, {"cost-center": None})
SELECTOR_KINDS = ("default", "basic", "advanced")


def draw_trail(draw: st.DrawFn, name: str, home: str, multi: bool, world: Data, prefix: str | None) -> Data:
    """One trail (``name`` homed in ``home``) of ``world``, the world data being built; ``prefix`` is the one
    the log bucket's policy names (trails use it, none, or another)."""
    account = world["Account"]
    buckets = tuple(bucket["Name"] for bucket in world["Buckets"])
    keys = tuple(f"arn:aws:kms:{key['Region']}:{account}:key/{key['KeyId']}" for key in world["Keys"])
    # Every choice of the trail in two draws (a coin that does not apply is drawn and left unused).
    logging, bucket, trail_prefix, global_events, validation, kind, key, organization, tags, notified, to_logs = picks(
        draw,
        COIN,
        (*buckets, f"old-trail-logs-{account}"),
        (prefix, prefix, prefix, PREFIXES[-1] if prefix else None),
        COIN,
        COIN,
        SELECTOR_KINDS,
        (None, *keys),
        COIN,
        TAGS,
        COIN,
        COIN,
    )
    trail: Data = {
        "Name": name,
        "HomeRegion": home,
        "S3BucketName": bucket,
        "S3KeyPrefix": trail_prefix,
        "IsMultiRegionTrail": multi,
        "IncludeGlobalServiceEvents": multi or global_events,
        "LogFileValidationEnabled": validation,
        "KmsKeyId": key,
        "IsOrganizationTrail": world["Organization"] is not None and organization,
        "IsLogging": logging,
        "StartLoggingTime": "2025-06-01T00:00:00Z",
        "StopLoggingTime": None if logging else "2025-09-01T12:30:00Z",
        "Tags": dict(tags),
    }
    topics = tuple(topic["Name"] for topic in world["Topics"] if topic["Region"] == home)
    if topics and notified:
        trail["SnsTopicName"] = topics[0]
    groups = tuple(group["Name"] for group in world["LogGroups"] if group["Region"] == home)
    if groups and world["Roles"] and to_logs:
        trail["CloudWatchLogsLogGroupArn"] = f"arn:aws:logs:{home}:{account}:log-group:{groups[0]}:*"
        trail["CloudWatchLogsRoleArn"] = f"arn:aws:iam::{account}:role/{world['Roles'][0]['Name']}"
    basic: list[Data] = [{}]
    advanced: list[Data] = []
    if kind == "basic":
        basic = trail["EventSelectors"] = draw_basic_selectors(draw, home, account)
    elif kind == "advanced":
        advanced = trail["AdvancedEventSelectors"] = draw_advanced_selectors(draw)
    trail["InsightSelectors"] = draw_insight_selectors(draw, *records_management(basic, advanced))
    return trail


def draw_placements(draw: st.DrawFn, region: str) -> list[tuple[str, str, bool]]:
    """Up to five trails, so the quota of five per region holds everywhere: (name, home region, multi-region).
    Sometimes a single-region trail has a twin of the same name homed in another region."""
    names = list(TRAIL_NAMES)
    placements = []
    for _ in range(pick(draw, (0, 1, 1, 2, 2, 3, 4, 5))):
        at, home, multi = picks(draw, range(len(names)), (region, region, region, *REGIONS), COIN)
        placements.append((names.pop(at), home, multi))
    singles = [placement for placement in placements if not placement[2]]
    if singles and len(placements) < 5 and pick(draw, (False, False, False, True)):
        name, home, _ = pick(draw, singles)
        placements.append((name, pick(draw, [other for other in REGIONS if other != home]), False))
    return placements


def draw_faults(draw: st.DrawFn) -> dict[str, str]:
    """The world's faults by component: none a third of the time, else one (mostly) or two of FAULTS."""
    chosen: dict[str, str] = {}
    count, first = picks(draw, (0, 0, 1, 1, 1, 2), FAULTS)
    drawn = [first, pick(draw, FAULTS)] if count == 2 else [first] * count
    for component, fault in drawn:
        chosen[component] = fault
    return chosen


def draw_world_file(draw: st.DrawFn) -> Data:
    """World-file data (docs/world-file.md) of an account meeting CloudTrail remediation, with none, one or two
    of FAULTS: see the module's docstring for what varies. Every draw is a valid world file."""
    faults = draw_faults(draw)
    # The world's own choices in a few draws (those that do not apply, a second key's region say, are unused).
    (account, region, stem, key_id, *key_aliases, second_key, second_region, second_alias, with_topic, topic,
     with_logs, group, role) = picks(
        draw, ACCOUNTS, REGIONS, BUCKET_STEMS, KEY_IDS, *(COIN for _ in ALIASES), COIN, REGIONS, COIN, COIN,
        TOPIC_NAMES, COIN, LOG_GROUP_NAMES, ROLE_NAMES,
    )  # fmt: skip
    elsewhere = tuple(other for other in REGIONS if other != region)
    organization = draw_organization(draw, account, faults.get("organization", "none"))
    placements = draw_placements(draw, region)
    world: Data = {"Account": account, "Region": region, "Partition": "aws", "Organization": organization}

    bucket_fault = faults.get("bucket", "none")
    bucket_region = pick(draw, elsewhere) if bucket_fault == "elsewhere" else region
    world["Buckets"] = []
    prefix = None
    if bucket_fault != "absent":
        name = f"{stem}-{account}"
        arns = [
            f"arn:aws:cloudtrail:{region}:{account}:trail/{trail}" for trail, home, _ in placements if home == region
        ]
        organization_id = None if organization is None else str(organization["Id"])
        policy = draw_bucket_policy(draw, name, account, organization_id, arns, bucket_fault)
        prefix = policy_prefix(policy)
        world["Buckets"].append({"Name": name, "Region": bucket_region, "Policy": policy})

    key_fault = faults.get("key", "none")
    key: Data = {
        "KeyId": key_id,
        "Region": pick(draw, elsewhere) if key_fault == "elsewhere" else region,
        "Aliases": [alias for alias, on in zip(ALIASES, key_aliases, strict=True) if on],
        "Enabled": key_fault != "disabled",
        "Policy": draw_key_policy(draw, account, key_fault if key_fault in KEY_FAULTS else "none"),
    }
    world["Keys"] = [key]
    if second_key:
        taken = key["Aliases"] if second_region == key["Region"] else []
        aliases = [alias for alias in ALIASES[:1] if alias not in taken and second_alias]
        world["Keys"].append(
            {"KeyId": SECOND_KEY_ID, "Region": second_region, "Aliases": aliases, "Enabled": True,
             "Policy": draw_key_policy(draw, account, "none")}
        )  # fmt: skip

    world["Topics"] = []
    if "topic" in faults or with_topic:
        policy = draw_topic_policy(
            draw, f"arn:aws:sns:{region}:{account}:{topic}", account, faults.get("topic", "none")
        )
        world["Topics"].append({"Name": topic, "Region": region, "Policy": policy})
    world["LogGroups"] = []
    world["Roles"] = []
    if "role" in faults or with_logs:
        world["LogGroups"].append({"Name": group, "Region": region})
        group_arn = f"arn:aws:logs:{region}:{account}:log-group:{group}"
        world["Roles"].append(draw_log_role(draw, role, group_arn, faults.get("role", "none")))
    world["Trails"] = [draw_trail(draw, name, home, multi, world, prefix) for name, home, multi in placements]
    return world


world_files = st.composite(entropic(draw_world_file))


def worlds() -> st.SearchStrategy[World]:
    """Worlds read from ``world_files()`` by ``World.from_dict``."""
    return world_files().map(World.from_dict)
