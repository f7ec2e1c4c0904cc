"""Hypothesis strategies for property tests of CloudTrail runbooks: fake worlds and the runbook's parameters.

```python
from hypothesis import given
from toolkit.simulate import simulate
from toolkit.testing import worlds_and_params

@given(worlds_and_params())
def test_never_deletes_a_trail(case):
    world, params = case
    result = simulate("cloudtrail-remediation-action", params, world)
    assert set(world.trails) <= set(result.world.trails)
```

Every world is world-file data (spec contracts.md) read by ``World.from_dict``, so each one is a valid world file
(``world_files()`` gives the data itself). Worlds vary what a CloudTrail remediation meets: an organization or
none; a log bucket whose policy lets CloudTrail deliver (under no prefix, a prefix or anywhere; for this account's
trails, named trails or anyone; maybe for the organization too); a KMS key whose policy lets CloudTrail encrypt,
maybe a second key; maybe an SNS topic, a CloudWatch Logs group and a role for CloudTrail to write to it; and up
to five trails: logging or stopped, single- or multi-region, homed here or elsewhere (a multi-region trail homed
elsewhere is seen here as a shadow), encrypted or not, organization trails, with basic selectors (data resources
for S3 objects and Lambda functions) or advanced ones (field selectors), Insights or none, tags.

A third of the worlds have nothing wrong with their resources; the others have one or two faults (``FAULTS``):
a bucket policy, key policy, topic policy or role broken by removing or changing a statement CloudTrail needs
(or adding a Deny, or having no policy at all), a missing bucket, a bucket in another region than the key, a
disabled key, a member account, an organization without all features or without trusted access for CloudTrail.

``runbook_params(world)`` draws parameters for ``cloudtrail-remediation-action`` that fit its parameter rules: a
trail of the world (any of them: the rest are the trails it must not touch) or a new name; a bucket of the world
or a missing one; a key in any of the four forms KMS accepts (key id, key ARN, alias name, alias ARN), or one
naming no key; and, when the world has them, a prefix, the topic, the log group and role.

This module imports hypothesis (a dev dependency): import it from tests only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from toolkit.fakes.world import World

__all__ = [
    "ACCOUNTS",
    "FAULTS",
    "REGIONS",
    "advanced_event_selectors",
    "basic_event_selectors",
    "bucket_policies",
    "insight_selectors",
    "key_policies",
    "kms_key_ids",
    "log_roles",
    "organizations",
    "runbook_params",
    "topic_policies",
    "world_files",
    "worlds",
    "worlds_and_params",
]

T = TypeVar("T")
Data = dict[str, Any]

ACCOUNTS = ("123456789012", "111122223333")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
OTHER_ACCOUNT = "999988887777"
"""An account outside the worlds: another organization's management account, or a wrong account in a policy."""
ORGANIZATION_IDS = ("o-a1b2c3d4e5", "o-exampleorg12")
TRAIL_NAMES = ("main", "management-events", "security.audit", "Org_Trail-1", "ct2")
NEW_TRAIL_NAMES = ("remediated", "cloudtrail-main", "new.trail_01")
"""Names no generated world uses: parameters naming a trail to create."""
BUCKET_STEMS = ("trail-logs", "audit.logs", "cloudtrail-archive")
PREFIXES = ("logs", "cloudtrail/prod", "org-a")
KEY_IDS = ("1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab")
SECOND_KEY_ID = "0987fedc-98fe-76dc-54ba-0987654321fe"
MISSING_KEY_IDS = ("00000000-1111-2222-3333-444444444444", "alias/no-such-key")
ALIASES = ("alias/cloudtrail", "alias/trail-logs", "alias/security/ct")
TOPIC_NAMES = ("trail-notices", "cloudtrail_alerts")
LOG_GROUP_NAMES = ("/aws/cloudtrail/main", "CloudTrail/audit")
ROLE_NAMES = ("CloudTrailToLogs", "ct-logs-writer")
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}
ALL_MANAGEMENT = {"Field": "eventCategory", "Equals": ["Management"]}
READ_ONLY = {"Field": "readOnly", "Equals": ["true"]}

BUCKET_FAULTS = (
    "no-policy",
    "no-acl-check",
    "no-write",
    "other-account",
    "other-principal",
    "read-only",
    "deny-writes",
    "logs-only",
)
KEY_FAULTS = ("no-policy", "no-encrypt", "no-describe", "other-account", "deny")
TOPIC_FAULTS = ("no-policy", "other-action", "other-topic", "deny")
ROLE_FAULTS = ("untrusted", "no-put-events", "other-group")
COMPONENT_FAULTS: dict[str, tuple[str, ...]] = {
    "bucket": (*BUCKET_FAULTS, "absent", "elsewhere"),
    "key": (*KEY_FAULTS, "disabled", "elsewhere"),
    "organization": ("member", "consolidated-billing", "untrusted"),
    "topic": TOPIC_FAULTS,
    "role": ROLE_FAULTS,
}
FAULTS = tuple((component, fault) for component, faults in COMPONENT_FAULTS.items() for fault in faults)
"""What can be wrong in a world: (component, fault)."""


def _pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options`` (shrinking towards the first). Cheaper than a new ``sampled_from`` per draw."""
    return options[draw(st.integers(0, len(options) - 1))] if len(options) > 1 else options[0]


def _flag(draw: st.DrawFn) -> bool:
    return draw(st.booleans())


def _fault(draw: st.DrawFn, fault: str | None, faults: Sequence[str]) -> str:
    """``fault`` as given, or when None: no fault ("none") half the time, else one of ``faults``."""
    if fault is not None:
        return fault
    return _pick(draw, faults) if _flag(draw) else "none"


def _policy(*statements: Data) -> Data:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# -- the organization ------------------------------------------------------------------------------------------


def _organization(draw: st.DrawFn, account: str, fault: str | None = None) -> Data | None:
    """The Organization section: None (no organization), or an organization with all features and trusted
    access for CloudTrail whose management account is ``account``; or ``fault`` ("member": ``account`` is not
    its management account, "consolidated-billing", "untrusted": no trusted access for CloudTrail; None: one
    of them half the time)."""
    fault = _fault(draw, fault, COMPONENT_FAULTS["organization"])
    if fault == "none" and _flag(draw):
        return None
    return {
        "Id": _pick(draw, ORGANIZATION_IDS),
        "ManagementAccount": OTHER_ACCOUNT if fault == "member" else account,
        "FeatureSet": "CONSOLIDATED_BILLING" if fault == "consolidated-billing" else "ALL",
        "TrustedServices": [] if fault == "untrusted" else ["cloudtrail.amazonaws.com"],
    }


organizations = st.composite(_organization)


# -- resource policies -----------------------------------------------------------------------------------------


def _bucket_policy(
    draw: st.DrawFn,
    bucket: str,
    account: str,
    organization_id: str | None = None,
    trail_arns: Sequence[str] = (),
    fault: str | None = None,
) -> Data | None:
    """A log bucket's policy as CloudTrail needs it (spec cloudtrail.md §4.6), or broken.

    Good ones let CloudTrail read the ACL and write ``[prefix/]AWSLogs/<account>/*`` (under no prefix or one of
    PREFIXES, or anything in the bucket), maybe ``AWSLogs/<organization>/*`` too, with no condition, aws:SourceArn
    for the account's trails, aws:SourceAccount, or aws:SourceArn naming ``trail_arns`` only. ``fault`` (one of
    BUCKET_FAULTS, "none", or None to draw one half the time) breaks it: no policy; the ACL check or the writes
    removed; writes for another account, by another principal, or s3:GetObject instead of s3:PutObject; a Deny
    of CloudTrail's writes; writes allowed under ``CloudTrail/`` only (no digest or Insights files).
    """
    fault = _fault(draw, fault, BUCKET_FAULTS)
    if fault == "no-policy":
        return None
    prefix = _pick(draw, (None, None, None, "*", _pick(draw, PREFIXES)))
    account_trails = {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{account}:trail/*"}}
    conditions: list[Data] = [{}, account_trails, account_trails, {"StringEquals": {"aws:SourceAccount": account}}]
    if trail_arns:
        conditions.append({"StringEquals": {"aws:SourceArn": list(trail_arns)}})
    condition = _pick(draw, conditions)
    acl = {**condition.get("StringEquals", {}), "s3:x-amz-acl": "bucket-owner-full-control"}
    write_condition = {**condition, "StringEquals": acl}
    base = f"arn:aws:s3:::{bucket}/" + ("" if prefix in (None, "*") else f"{prefix}/")
    owner = OTHER_ACCOUNT if fault == "other-account" else account
    folders = [f"AWSLogs/{owner}/"]
    if prefix == "*" and fault != "other-account":
        folders = [""]
    elif organization_id is not None and _pick(draw, (True, True, True, False)):
        folders.append(f"AWSLogs/{organization_id}/")
    principal = {"Service": "config.amazonaws.com"} if fault == "other-principal" else CLOUDTRAIL
    statements: list[Data] = []
    if fault != "no-acl-check":
        acl_check = {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:GetBucketAcl",
            "Resource": f"arn:aws:s3:::{bucket}",
        }
        statements.append({**acl_check, "Condition": condition} if condition else acl_check)
    if fault != "no-write":
        for index, folder in enumerate(folders):
            statements.append(
                {
                    "Sid": f"AWSCloudTrailWrite{index}",
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "s3:GetObject" if fault == "read-only" else "s3:PutObject",
                    "Resource": f"{base}{folder}" + ("CloudTrail/*" if fault == "logs-only" else "*"),
                    "Condition": write_condition,
                }
            )
    if fault == "deny-writes":
        deny = {
            "Effect": "Deny",
            "Principal": CLOUDTRAIL,
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
        }
        statements.append(deny)
    return _policy(*statements)


bucket_policies = st.composite(_bucket_policy)


def _key_policy(draw: st.DrawFn, account: str, fault: str | None = None) -> Data | None:
    """A KMS key policy that lets CloudTrail encrypt log files (GenerateDataKey* with the encryption context of
    the account's trails, maybe an aws:SourceArn condition too; DescribeKey), or broken by ``fault`` (one of
    KEY_FAULTS, "none", or None to draw one half the time): no policy (KMS's default: the account's root only),
    either statement removed, the context of another account's trails, a Deny of CloudTrail's GenerateDataKey*."""
    fault = _fault(draw, fault, KEY_FAULTS)
    if fault == "no-policy":
        return None
    owner = OTHER_ACCOUNT if fault == "other-account" else account
    trails = f"arn:aws:cloudtrail:*:{owner}:trail/*"
    encrypt_condition: Data = {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails}}
    if _flag(draw):
        encrypt_condition["ArnLike"] = {"aws:SourceArn": trails}
    root = {"AWS": f"arn:aws:iam::{account}:root"}
    statements: list[Data] = [
        {"Sid": "Enable IAM user permissions", "Effect": "Allow", "Principal": root, "Action": "kms:*", "Resource": "*"}
    ]
    if fault != "no-encrypt":
        statements.append(
            {
                "Sid": "Allow CloudTrail to encrypt logs",
                "Effect": "Allow",
                "Principal": CLOUDTRAIL,
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": encrypt_condition,
            }
        )
    if fault != "no-describe":
        describe = {"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "kms:DescribeKey", "Resource": "*"}
        statements.append({"Sid": "Allow CloudTrail to describe key", **describe})
    if fault == "deny":
        statements.append(
            {"Effect": "Deny", "Principal": CLOUDTRAIL, "Action": "kms:GenerateDataKey*", "Resource": "*"}
        )
    return _policy(*statements)


key_policies = st.composite(_key_policy)


def _topic_policy(draw: st.DrawFn, topic_arn: str, account: str, fault: str | None = None) -> Data | None:
    """An SNS topic policy that lets CloudTrail publish (maybe for this account's trails only), or broken by
    ``fault`` (one of TOPIC_FAULTS, "none", or None to draw one half the time): no policy (SNS's default: the
    owner only), another action, another topic, a Deny."""
    fault = _fault(draw, fault, TOPIC_FAULTS)
    if fault == "no-policy":
        return None
    allow: Data = {
        "Sid": "AWSCloudTrailSNSPolicy",
        "Effect": "Allow",
        "Principal": CLOUDTRAIL,
        "Action": "SNS:Subscribe" if fault == "other-action" else "SNS:Publish",
        "Resource": f"{topic_arn}-other" if fault == "other-topic" else topic_arn,
    }
    if _flag(draw):
        allow["Condition"] = {"StringEquals": {"aws:SourceAccount": account}}
    statements = [allow]
    if fault == "deny":
        statements.append({"Effect": "Deny", "Principal": CLOUDTRAIL, "Action": "SNS:Publish", "Resource": topic_arn})
    return _policy(*statements)


topic_policies = st.composite(_topic_policy)


def _log_role(draw: st.DrawFn, name: str, group_arn: str, fault: str | None = None) -> Data:
    """An IAM role for CloudTrail's delivery to the CloudWatch Logs group ``group_arn``: trusting CloudTrail, and
    allowed logs:CreateLogStream and logs:PutLogEvents on the group's streams; or broken by ``fault`` (one of
    ROLE_FAULTS, "none", or None to draw one half the time): trusting EC2 instead, PutLogEvents missing, or its
    permissions for another group."""
    fault = _fault(draw, fault, ROLE_FAULTS)
    service = "ec2.amazonaws.com" if fault == "untrusted" else "cloudtrail.amazonaws.com"
    actions = ["logs:CreateLogStream"] + ([] if fault == "no-put-events" else ["logs:PutLogEvents"])
    group = f"{group_arn}-other" if fault == "other-group" else group_arn
    return {
        "Name": name,
        "AssumeRolePolicyDocument": _policy(
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
        ),
        "Policies": [_policy({"Effect": "Allow", "Action": actions, "Resource": f"{group}:log-stream:*"})],
    }


log_roles = st.composite(_log_role)


# -- selectors -------------------------------------------------------------------------------------------------

MANAGEMENT_SELECTOR = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}
S3_VALUES = (["arn:aws:s3"], ["arn:aws:s3:::data-bucket/"], ["arn:aws:s3:::data-bucket/in/", "arn:aws:s3:::raw-data/"])
EXCLUDED: tuple[list[str], ...] = ([], [], ["kms.amazonaws.com"], ["kms.amazonaws.com", "rdsdata.amazonaws.com"])


def _basic_selectors(draw: st.DrawFn, region: str = REGIONS[0], account: str = ACCOUNTS[0]) -> list[Data]:
    """1 to 5 basic event selectors: ReadOnly/WriteOnly/All, management events or not, maybe excluding KMS or
    RDS Data API events, each with 0 to 2 data resources (S3 objects, Lambda functions of ``region``)."""
    function = f"arn:aws:lambda:{region}:{account}:function:ingest"
    # Often the first is the default one (read and write management events), as on a trail given data events.
    selectors: list[Data] = [dict(MANAGEMENT_SELECTOR)] if _flag(draw) else []
    for _ in range(_pick(draw, (1, 1, 2, 3, 4, 5)) - len(selectors)):
        resources = []
        for _ in range(_pick(draw, (0, 1, 1, 2))):
            if _flag(draw):
                resources.append({"Type": "AWS::S3::Object", "Values": list(_pick(draw, S3_VALUES))})
            else:
                resources.append(
                    {"Type": "AWS::Lambda::Function", "Values": [_pick(draw, ("arn:aws:lambda", function))]}
                )
        selectors.append(
            {
                "ReadWriteType": _pick(draw, ("All", "ReadOnly", "WriteOnly")),
                "IncludeManagementEvents": _flag(draw),
                "DataResources": resources,
                "ExcludeManagementEventSources": list(_pick(draw, EXCLUDED)),
            }
        )
    return selectors


basic_event_selectors = st.composite(_basic_selectors)

ADVANCED_MANAGEMENT = (
    [ALL_MANAGEMENT],
    [ALL_MANAGEMENT, READ_ONLY],
    [ALL_MANAGEMENT, {"Field": "readOnly", "Equals": ["false"]}],
    [ALL_MANAGEMENT, {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}],
)
ADVANCED_DATA = (
    [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}],
    [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::data-bucket/"]},
    ],
    [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]},
        {"Field": "readOnly", "Equals": ["false"]},
    ],
)


def _advanced_selectors(draw: st.DrawFn) -> list[Data]:
    """1 to 3 named advanced event selectors with field selectors: management ones (all, read-only, write-only,
    KMS events excluded) and data ones (S3 objects, maybe under a prefix; Lambda writes)."""
    selectors: list[Data] = []
    for index in range(_pick(draw, (1, 2, 3))):
        if _flag(draw):
            fields = _pick(draw, ADVANCED_MANAGEMENT)
            selectors.append({"Name": f"Management events {index}", "FieldSelectors": fields})
        else:
            selectors.append({"Name": f"Data events {index}", "FieldSelectors": _pick(draw, ADVANCED_DATA)})
    return selectors


advanced_event_selectors = st.composite(_advanced_selectors)


def _records_management(basic: list[Data], advanced: list[Data]) -> tuple[bool, bool]:
    """(records some management events, records write management events): what each Insights type needs."""
    if advanced:
        management = [s["FieldSelectors"] for s in advanced if ALL_MANAGEMENT in s["FieldSelectors"]]
        return bool(management), any(READ_ONLY not in fields for fields in management)
    management = [s for s in basic if s.get("IncludeManagementEvents", True)]
    return bool(management), any(s.get("ReadWriteType", "All") in ("All", "WriteOnly") for s in management)


def _insight_selectors(draw: st.DrawFn, records_any: bool = True, records_write: bool = True) -> list[Data]:
    """Insights selectors a trail can have: ApiCallRateInsight if it records write management events
    (``records_write``), ApiErrorRateInsight if it records any (``records_any``); maybe none; maybe with
    EventCategories."""
    allowed = [kind for kind, ok in zip(INSIGHT_TYPES, (records_write, records_any), strict=True) if ok]
    kinds = [kind for kind in allowed if _flag(draw)]
    categories = {"EventCategories": ["Management"]} if kinds and _flag(draw) else {}
    return [{"InsightType": kind, **categories} for kind in kinds]


insight_selectors = st.composite(_insight_selectors)


# -- trails ----------------------------------------------------------------------------------------------------

TAGS: tuple[dict[str, str | None], ...] = ({}, {}, {"team": "security"}, {"cost-center": None})


def _trail(draw: st.DrawFn, name: str, home: str, multi: bool, world: Data, prefix: str | None) -> Data:
    """One trail (``name`` homed in ``home``) of ``world``, the world data being built; ``prefix`` is the one
    the log bucket's policy names (trails use it, none, or another)."""
    account = world["Account"]
    buckets = tuple(bucket["Name"] for bucket in world["Buckets"])
    keys = tuple(f"arn:aws:kms:{key['Region']}:{account}:key/{key['KeyId']}" for key in world["Keys"])
    logging = _flag(draw)
    trail: Data = {
        "Name": name,
        "HomeRegion": home,
        "S3BucketName": _pick(draw, (*buckets, f"old-trail-logs-{account}")),
        "S3KeyPrefix": _pick(draw, (prefix, prefix, prefix, PREFIXES[-1] if prefix else None)),
        "IsMultiRegionTrail": multi,
        "IncludeGlobalServiceEvents": multi or _flag(draw),
        "LogFileValidationEnabled": _flag(draw),
        "KmsKeyId": _pick(draw, (None, *keys)),
        "IsOrganizationTrail": world["Organization"] is not None and _flag(draw),
        "IsLogging": logging,
        "StartLoggingTime": "2025-06-01T00:00:00Z",
        "StopLoggingTime": None if logging else "2025-09-01T12:30:00Z",
        "Tags": dict(_pick(draw, TAGS)),
    }
    topics = tuple(topic["Name"] for topic in world["Topics"] if topic["Region"] == home)
    if topics and _flag(draw):
        trail["SnsTopicName"] = topics[0]
    groups = tuple(group["Name"] for group in world["LogGroups"] if group["Region"] == home)
    if groups and world["Roles"] and _flag(draw):
        trail["CloudWatchLogsLogGroupArn"] = f"arn:aws:logs:{home}:{account}:log-group:{groups[0]}:*"
        trail["CloudWatchLogsRoleArn"] = f"arn:aws:iam::{account}:role/{world['Roles'][0]['Name']}"
    kind = _pick(draw, ("default", "basic", "advanced"))
    basic: list[Data] = [{}]
    advanced: list[Data] = []
    if kind == "basic":
        basic = trail["EventSelectors"] = _basic_selectors(draw, home, account)
    elif kind == "advanced":
        advanced = trail["AdvancedEventSelectors"] = _advanced_selectors(draw)
    trail["InsightSelectors"] = _insight_selectors(draw, *_records_management(basic, advanced))
    return trail


def _placements(draw: st.DrawFn, region: str) -> list[tuple[str, str, bool]]:
    """Up to five trails, so the quota of five per region holds everywhere: (name, home region, multi-region).
    Sometimes a single-region trail has a twin of the same name homed in another region."""
    names = list(TRAIL_NAMES)
    placements = []
    for _ in range(_pick(draw, (0, 1, 1, 2, 2, 3, 4, 5))):
        name = names.pop(draw(st.integers(0, len(names) - 1)))
        placements.append((name, _pick(draw, (region, region, region, *REGIONS)), _flag(draw)))
    singles = [placement for placement in placements if not placement[2]]
    if singles and len(placements) < 5 and _pick(draw, (False, False, False, True)):
        name, home, _ = _pick(draw, singles)
        placements.append((name, _pick(draw, [other for other in REGIONS if other != home]), False))
    return placements


def _faults(draw: st.DrawFn) -> dict[str, str]:
    """The world's faults by component: none a third of the time, else one (mostly) or two of FAULTS."""
    chosen: dict[str, str] = {}
    for _ in range(_pick(draw, (0, 0, 1, 1, 1, 2))):
        component, fault = _pick(draw, FAULTS)
        chosen[component] = fault
    return chosen


def _world_file(draw: st.DrawFn) -> Data:
    """World-file data (spec contracts.md) of an account meeting CloudTrail remediation, with none, one or two
    of FAULTS: see the module's docstring for what varies. Every draw is a valid world file."""
    faults = _faults(draw)
    account = _pick(draw, ACCOUNTS)
    region = _pick(draw, REGIONS)
    elsewhere = tuple(other for other in REGIONS if other != region)
    organization = _organization(draw, account, faults.get("organization", "none"))
    placements = _placements(draw, region)
    world: Data = {"Account": account, "Region": region, "Partition": "aws", "Organization": organization}

    bucket_fault = faults.get("bucket", "none")
    bucket_region = _pick(draw, elsewhere) if bucket_fault == "elsewhere" else region
    world["Buckets"] = []
    prefix = None
    if bucket_fault != "absent":
        name = f"{_pick(draw, BUCKET_STEMS)}-{account}"
        arns = [
            f"arn:aws:cloudtrail:{region}:{account}:trail/{trail}" for trail, home, _ in placements if home == region
        ]
        organization_id = None if organization is None else str(organization["Id"])
        policy = _bucket_policy(draw, name, account, organization_id, arns, bucket_fault)
        prefix = _prefix_of(policy)
        world["Buckets"].append({"Name": name, "Region": bucket_region, "Policy": policy})

    key_fault = faults.get("key", "none")
    key: Data = {
        "KeyId": _pick(draw, KEY_IDS),
        "Region": _pick(draw, elsewhere) if key_fault == "elsewhere" else region,
        "Aliases": [alias for alias in ALIASES if _flag(draw)],
        "Enabled": key_fault != "disabled",
        "Policy": _key_policy(draw, account, key_fault if key_fault in KEY_FAULTS else "none"),
    }
    world["Keys"] = [key]
    if _flag(draw):
        second_region = _pick(draw, REGIONS)
        taken = key["Aliases"] if second_region == key["Region"] else []
        aliases = [alias for alias in ALIASES[:1] if alias not in taken and _flag(draw)]
        world["Keys"].append(
            {"KeyId": SECOND_KEY_ID, "Region": second_region, "Aliases": aliases, "Enabled": True,
             "Policy": _key_policy(draw, account, "none")}
        )  # fmt: skip

    world["Topics"] = []
    if "topic" in faults or _flag(draw):
        topic = _pick(draw, TOPIC_NAMES)
        policy = _topic_policy(draw, f"arn:aws:sns:{region}:{account}:{topic}", account, faults.get("topic", "none"))
        world["Topics"].append({"Name": topic, "Region": region, "Policy": policy})
    world["LogGroups"] = []
    world["Roles"] = []
    if "role" in faults or _flag(draw):
        group = _pick(draw, LOG_GROUP_NAMES)
        world["LogGroups"].append({"Name": group, "Region": region})
        group_arn = f"arn:aws:logs:{region}:{account}:log-group:{group}"
        world["Roles"].append(_log_role(draw, _pick(draw, ROLE_NAMES), group_arn, faults.get("role", "none")))
    world["Trails"] = [_trail(draw, name, home, multi, world, prefix) for name, home, multi in placements]
    return world


world_files = st.composite(_world_file)


def worlds() -> st.SearchStrategy[World]:
    """Worlds read from ``world_files()`` by ``World.from_dict``."""
    return world_files().map(World.from_dict)


# -- runbook parameters ----------------------------------------------------------------------------------------

_PREFIX_IN_RESOURCE = re.compile(r"arn:aws[a-z-]*:s3:::[^/]+/(.+?)/AWSLogs/")


def _prefix_of(policy: Data | None) -> str | None:
    """The key prefix a bucket policy lets CloudTrail write under (the first it names), if any."""
    for statement in (policy or {}).get("Statement", []):
        match = _PREFIX_IN_RESOURCE.match(str(statement.get("Resource", "")))
        if match:
            return match.group(1)
    return None


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
    return _pick(draw, here * 3 + other)


def _world_prefixes(world: World) -> list[str]:
    """The prefixes the world's bucket policies name (each twice), then those only its trails use."""
    policies = [
        _prefix_of(None if bucket.policy is None else bucket.policy.to_json()) for bucket in world.buckets.values()
    ]
    named = sorted({prefix for prefix in policies if prefix})
    used = sorted({trail.s3_key_prefix for trail in world.trails.values() if trail.s3_key_prefix} - set(named))
    return [*named, *named, *used]


def _runbook_params(draw: st.DrawFn, world: World, vary_flags: bool = False) -> dict[str, Any]:
    """Parameters for ``cloudtrail-remediation-action`` in ``world`` that fit its parameter rules.

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
    params: dict[str, Any] = {
        "CloudTrailName": _pick(draw, (*homed_here * 3, *names, *NEW_TRAIL_NAMES)),
        "CloudTrailS3BucketName": _pick(draw, (*sorted(world.buckets) * 5, f"missing-logs-{world.account}")),
        "CloudTrailKmsKeyId": _pick(draw, here * 3 + other),
    }
    organization = _pick(draw, (False, False, False, None, True) if world.organization is None else (None, True, False))
    if organization is not None:
        params["IsOrganizationTrail"] = organization
    for flag in ("IsMultiRegionTrail", "IncludeGlobalServiceEvents", "EnableLogFileValidation"):
        value = _pick(draw, (None, True, False) if vary_flags else (None, True))
        if value is not None:
            params[flag] = value
    prefix = _pick(draw, (None, *_world_prefixes(world)))
    if prefix is not None:
        params["CloudTrailS3KeyPrefix"] = prefix
    topics = sorted(topic for (region, topic) in world.topics if region == world.region)
    if topics and _flag(draw):
        topic = _pick(draw, topics)
        arn = f"arn:{world.partition}:sns:{world.region}:{world.account}:{topic}"
        params["CloudTrailSnsTopicName"] = _pick(draw, (topic, arn))
    groups = sorted(group for (region, group) in world.log_groups if region == world.region)
    if groups and world.roles and _flag(draw):
        group_arn = f"arn:{world.partition}:logs:{world.region}:{world.account}:log-group:{_pick(draw, groups)}"
        params["CloudWatchLogsLogGroupArn"] = _pick(draw, (group_arn, f"{group_arn}:*"))
        role = _pick(draw, sorted(world.roles))
        params["CloudWatchLogsRoleArn"] = f"arn:{world.partition}:iam::{world.account}:role/{role}"
    return params


runbook_params = st.composite(_runbook_params)


@st.composite
def worlds_and_params(draw: st.DrawFn, vary_flags: bool = False) -> tuple[World, dict[str, Any]]:
    """A world and parameters for it: ``worlds()`` then ``runbook_params(world, vary_flags)``."""
    world = World.from_dict(_world_file(draw))
    return world, _runbook_params(draw, world, vary_flags)
