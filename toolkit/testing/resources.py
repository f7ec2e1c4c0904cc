"""The organization, and the resource policies and role CloudTrail depends on, each right or broken."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hypothesis import strategies as st

from toolkit.testing.common import (
    BUCKET_FAULTS,
    CLOUDTRAIL,
    COMPONENT_FAULTS,
    KEY_FAULTS,
    ORGANIZATION_IDS,
    OTHER_ACCOUNT,
    PREFIXES,
    ROLE_FAULTS,
    TOPIC_FAULTS,
    Data,
    choose_fault,
    coin,
    entropic,
    pick,
    picks,
    policy_document,
)


def draw_organization(draw: st.DrawFn, account: str, fault: str | None = None) -> Data | None:
    """The Organization section: None (no organization), or an organization with all features and trusted
    access for CloudTrail whose management account is ``account``; or ``fault`` ("member": ``account`` is not
    its management account, "consolidated-billing", "untrusted": no trusted access for CloudTrail; None: one
    of them half the time)."""
    fault = choose_fault(draw, fault, COMPONENT_FAULTS["organization"])
    if fault == "none" and coin(draw):
        return None
    return {
        "Id": pick(draw, ORGANIZATION_IDS),
        "ManagementAccount": OTHER_ACCOUNT if fault == "member" else account,
        "FeatureSet": "CONSOLIDATED_BILLING" if fault == "consolidated-billing" else "ALL",
        "TrustedServices": [] if fault == "untrusted" else ["cloudtrail.amazonaws.com"],
    }


organizations = st.composite(entropic(draw_organization))


# -- resource policies -----------------------------------------------------------------------------------------


def draw_bucket_policy(
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
    fault = choose_fault(draw, fault, BUCKET_FAULTS)
    if fault == "no-policy":
        return None
    account_trails = {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{account}:trail/*"}}
    conditions: list[Data] = [{}, account_trails, account_trails, {"StringEquals": {"aws:SourceAccount": account}}]
    if trail_arns:
        conditions.append({"StringEquals": {"aws:SourceArn": list(trail_arns)}})
    # One draw (the organization's folder is drawn even where it does not apply, and left unused).
    where, named, condition, organization_folder = picks(
        draw, range(5), PREFIXES, conditions, (True, True, True, False)
    )
    prefix = (None, None, None, "*", named)[where]
    acl = {**condition.get("StringEquals", {}), "s3:x-amz-acl": "bucket-owner-full-control"}
    write_condition = {**condition, "StringEquals": acl}
    base = f"arn:aws:s3:::{bucket}/" + ("" if prefix in (None, "*") else f"{prefix}/")
    owner = OTHER_ACCOUNT if fault == "other-account" else account
    folders = [f"AWSLogs/{owner}/"]
    if prefix == "*" and fault != "other-account":
        folders = [""]
    elif organization_id is not None and organization_folder:
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
    return policy_document(*statements)


bucket_policies = st.composite(entropic(draw_bucket_policy))


def draw_key_policy(draw: st.DrawFn, account: str, fault: str | None = None) -> Data | None:
    """A KMS key policy that lets CloudTrail encrypt log files (GenerateDataKey* with the encryption context of
    the account's trails, maybe an aws:SourceArn condition too; DescribeKey), or broken by ``fault`` (one of
    KEY_FAULTS, "none", or None to draw one half the time): no policy (KMS's default: the account's root only),
    either statement removed, the context of another account's trails, a Deny of CloudTrail's GenerateDataKey*."""
    fault = choose_fault(draw, fault, KEY_FAULTS)
    if fault == "no-policy":
        return None
    owner = OTHER_ACCOUNT if fault == "other-account" else account
    trails = f"arn:aws:cloudtrail:*:{owner}:trail/*"
    encrypt_condition: Data = {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails}}
    if coin(draw):
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
    return policy_document(*statements)


key_policies = st.composite(entropic(draw_key_policy))


def draw_topic_policy(draw: st.DrawFn, topic_arn: str, account: str, fault: str | None = None) -> Data | None:
    """An SNS topic policy that lets CloudTrail publish (maybe for this account's trails only), or broken by
    ``fault`` (one of TOPIC_FAULTS, "none", or None to draw one half the time): no policy (SNS's default: the
    owner only), another action, another topic, a Deny."""
    fault = choose_fault(draw, fault, TOPIC_FAULTS)
    if fault == "no-policy":
        return None
    allow: Data = {
        "Sid": "AWSCloudTrailSNSPolicy",
        "Effect": "Allow",
        "Principal": CLOUDTRAIL,
        "Action": "SNS:Subscribe" if fault == "other-action" else "SNS:Publish",
        "Resource": f"{topic_arn}-other" if fault == "other-topic" else topic_arn,
    }
    if coin(draw):
        allow["Condition"] = {"StringEquals": {"aws:SourceAccount": account}}
    statements = [allow]
    if fault == "deny":
        statements.append({"Effect": "Deny", "Principal": CLOUDTRAIL, "Action": "SNS:Publish", "Resource": topic_arn})
    return policy_document(*statements)


topic_policies = st.composite(entropic(draw_topic_policy))


def draw_log_role(draw: st.DrawFn, name: str, group_arn: str, fault: str | None = None) -> Data:
    """An IAM role for CloudTrail's delivery to the CloudWatch Logs group ``group_arn``: trusting CloudTrail, and
    allowed logs:CreateLogStream and logs:PutLogEvents on the group's streams; or broken by ``fault`` (one of
    ROLE_FAULTS, "none", or None to draw one half the time): trusting EC2 instead, PutLogEvents missing, or its
    permissions for another group."""
    fault = choose_fault(draw, fault, ROLE_FAULTS)
    service = "ec2.amazonaws.com" if fault == "untrusted" else "cloudtrail.amazonaws.com"
    actions = ["logs:CreateLogStream"] + ([] if fault == "no-put-events" else ["logs:PutLogEvents"])
    group = f"{group_arn}-other" if fault == "other-group" else group_arn
    return {
        "Name": name,
        "AssumeRolePolicyDocument": policy_document(
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
        ),
        "Policies": [policy_document({"Effect": "Allow", "Action": actions, "Resource": f"{group}:log-stream:*"})],
    }


log_roles = st.composite(entropic(draw_log_role))


PREFIX_IN_RESOURCE = re.compile(r"arn:aws[a-z-]*:s3:::[^/]+/(.+?)/AWSLogs/")


def policy_prefix(policy: Data | None) -> str | None:
    """The key prefix a bucket policy lets CloudTrail write under (the first it names), if any."""
    for statement in (policy or {}).get("Statement", []):
        match = PREFIX_IN_RESOURCE.match(str(statement.get("Resource", "")))
        if match:
            return match.group(1)
    return None
