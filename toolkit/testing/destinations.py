"""Worlds whose log bucket or KMS key belongs to another account of the world (a central log archive, or an
attacker's account), and the remediation runbook's parameters naming them, allowed by AllowedLogAccountIds or not.

``foreign_destinations()`` draws a world of ``world_files()`` and moves its log bucket, its key or both into the
account ``LOG_ARCHIVE`` of the world (the world file's ``Accounts``). The moved bucket's policy, most of the time,
also lets this account read its location (``s3:GetBucketLocation``, the runbook's owner check, needs it across
accounts), and the moved key's policy lets it describe the key. The parameters (``runbook_params`` of that world)
then name the moved bucket and the moved key by key ARN or alias ARN (the only forms that reach another account),
and ``AllowedLogAccountIds`` is left out, empty, names the archive, or names another account only.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from toolkit.fakes.world import World
from toolkit.testing.common import OTHER_ACCOUNT, Data, entropic, pick
from toolkit.testing.params import draw_runbook_params
from toolkit.testing.worlds import draw_world_file

LOG_ARCHIVE = "444455556666"
"""The other account of the worlds ``foreign_destinations()`` draws: the owner of whatever was moved."""
MOVES = ("bucket", "key", "both")


def _bucket_reader(bucket: str, account: str) -> Data:
    return {
        "Sid": "LetTheAccountCheckTheOwner",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "s3:GetBucketLocation",
        "Resource": f"arn:aws:s3:::{bucket}",
    }


def _with_statement(policy: Data | None, statement: Data) -> Data:
    document = dict(policy or {"Version": "2012-10-17", "Statement": []})
    return {**document, "Statement": [*document["Statement"], statement]}


def draw_foreign_destination(draw: st.DrawFn) -> tuple[World, dict[str, Any]]:
    """A world whose bucket, key or both belong to ``LOG_ARCHIVE``, and parameters naming them (module docstring)."""
    data = draw_world_file(draw)
    account, region = data["Account"], data["Region"]
    move = pick(draw, MOVES)
    archive: Data = {"Buckets": [], "Keys": []}
    bucket_name = None
    if move in ("bucket", "both"):
        bucket = data["Buckets"].pop(0) if data["Buckets"] else {"Name": f"trail-logs-{LOG_ARCHIVE}", "Region": region}
        if pick(draw, (True, True, True, False)):
            bucket["Policy"] = _with_statement(bucket.get("Policy"), _bucket_reader(bucket["Name"], account))
        archive["Buckets"].append(bucket)
        bucket_name = bucket["Name"]
    key_id = None
    if move in ("key", "both"):
        key = data["Keys"].pop(0)
        archive["Keys"].append(key)
        forms = [f"key/{key['KeyId']}", *key["Aliases"]]
        key_id = f"arn:aws:kms:{key['Region']}:{LOG_ARCHIVE}:{pick(draw, forms)}"
    data["Accounts"] = {LOG_ARCHIVE: archive}
    world = World.from_dict(data)
    params = draw_runbook_params(draw, world)
    if bucket_name is not None:
        params["CloudTrailS3BucketName"] = bucket_name
    if key_id is not None:
        params["CloudTrailKmsKeyId"] = key_id
    allowed = pick(draw, (None, [], [LOG_ARCHIVE], [LOG_ARCHIVE], [OTHER_ACCOUNT], [OTHER_ACCOUNT, LOG_ARCHIVE]))
    if allowed is not None:
        params["AllowedLogAccountIds"] = allowed
    return world, params


foreign_destinations = st.composite(entropic(draw_foreign_destination))
