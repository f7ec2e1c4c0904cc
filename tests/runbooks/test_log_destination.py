"""cloudtrail-remediation-action keeps the log destination in this account or in AllowedLogAccountIds (issue 16: a
steered remediation names another account's bucket or key): simulated in the default world beside a log-archive
account that owns a bucket and a key, whose policies let this account check the bucket's owner and use the key."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from runbooks.cloudtrail_remediation_action import REPRESENTATIVE_PARAMS, build, representative_runs
from toolkit.deploy.template import deployed_role
from toolkit.errors import SimulationError
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.world import World
from toolkit.model.parameter import ParameterType
from toolkit.render import to_data
from toolkit.simulate import Options, simulate
from toolkit.simulate.result import SimulationResult

ACCOUNT = "123456789012"
ARCHIVE = "222233334444"
ARCHIVE_BUCKET = f"cloudtrail-logs-{ARCHIVE}-us-east-1"
ARCHIVE_KEY = "5678efab-56ef-78ab-90cd-567890abcdef"
ARCHIVE_KEY_ARN = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/{ARCHIVE_KEY}"
ROLE = "CloudTrailRemediationRole"
WRITES = {"CreateTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors", "StartLogging"}


def archive_world() -> World:
    """The default world, and a log-archive account holding a bucket and a key made like the default world's, for
    this account's trails, whose policies also let this account check the bucket's owner and describe the key."""
    data = default_data()
    policy = json.loads(json.dumps(data["Buckets"][0]["Policy"]).replace(DEFAULT_BUCKET, ARCHIVE_BUCKET))
    policy["Statement"].append(
        {
            "Sid": "MembersCheckTheOwner",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "s3:GetBucketLocation",
            "Resource": f"arn:aws:s3:::{ARCHIVE_BUCKET}",
        }
    )
    key = copy.deepcopy(data["Keys"][0])
    key.update(KeyId=ARCHIVE_KEY, Aliases=["alias/cloudtrail-logs"])
    key["Policy"]["Statement"][0]["Principal"] = {"AWS": f"arn:aws:iam::{ARCHIVE}:root"}
    key["Policy"]["Statement"].append(
        {
            "Sid": "MembersDescribeTheKey",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
        }
    )
    data["Accounts"] = {ARCHIVE: {"Buckets": [{"Name": ARCHIVE_BUCKET, "Policy": policy}], "Keys": [key]}}
    return World.from_dict(data)


def run(params: dict[str, Any], world: World | None = None, options: Options | None = None) -> SimulationResult:
    return simulate(build(), {**REPRESENTATIVE_PARAMS, **params}, world or archive_world(), options=options)


def refusal(result: SimulationResult, world: World) -> str:
    """The refusal's message, once it is shown to have failed UpsertTrail and to have changed nothing."""
    assert result.status == "Failed"
    (failed,) = [step for step in result.steps if step.status == "Failed"]
    assert failed.name == "UpsertTrail"
    assert result.world is not None and result.world.to_dict() == world.to_dict()
    assert not [call.operation for call in result.calls if call.operation in WRITES]
    return failed.failure_message or ""


def owner_checks(result: SimulationResult) -> list[tuple[str, str | None]]:
    """Each GetBucketLocation of the run: (ExpectedBucketOwner, error)."""
    checks = [call for call in result.calls if call.operation == "GetBucketLocation"]
    return [(call.params["ExpectedBucketOwner"], call.error) for call in checks]


def test_the_parameter_is_an_optional_list_of_account_ids() -> None:
    document = build()
    parameter = document.parameter("AllowedLogAccountIds")
    assert parameter is not None and parameter.type is ParameterType.STRING_LIST
    assert parameter.default == [] and not parameter.required
    assert to_data(document)["mainSteps"][0]["inputs"]["InputPayload"]["AllowedLogAccountIds"] == (
        "{{ AllowedLogAccountIds }}"
    )
    world = World.default()
    for bad in (["22223333444"], ["not-an-account"], [f"{ARCHIVE} "]):
        with pytest.raises(SimulationError, match=r"parameter AllowedLogAccountIds: value .* does not match"):
            run({"AllowedLogAccountIds": bad}, world)


def test_another_accounts_bucket_is_refused_naming_it() -> None:
    world = archive_world()
    result = run({"CloudTrailS3BucketName": ARCHIVE_BUCKET}, world)
    message = refusal(result, world)
    assert f"S3 bucket {ARCHIVE_BUCKET} is not owned by this account ({ACCOUNT})" in message
    assert owner_checks(result) == [(ACCOUNT, "AccessDenied")]


def test_an_account_outside_the_parameter_stays_refused() -> None:
    world = archive_world()
    result = run({"CloudTrailS3BucketName": ARCHIVE_BUCKET, "AllowedLogAccountIds": ["999988887777"]}, world)
    message = refusal(result, world)
    assert f"not owned by this account ({ACCOUNT}) or AllowedLogAccountIds (999988887777)" in message
    assert owner_checks(result) == [(ACCOUNT, "AccessDenied"), ("999988887777", "AccessDenied")]


def test_the_allowed_archives_bucket_passes_the_owner_check() -> None:
    result = run({"CloudTrailS3BucketName": ARCHIVE_BUCKET, "AllowedLogAccountIds": [ARCHIVE]})
    assert owner_checks(result) == [(ACCOUNT, "AccessDenied"), (ARCHIVE, None)]
    assert "UpdateTrail" in [call.operation for call in result.calls]  # past the checks, on to the trail


def test_another_accounts_key_is_refused_naming_its_owner_without_asking_kms() -> None:
    world = archive_world()
    for key in (ARCHIVE_KEY_ARN, f"arn:aws:kms:us-east-1:{ARCHIVE}:alias/cloudtrail-logs"):
        result = run({"CloudTrailKmsKeyId": key}, world)
        message = refusal(result, world)
        assert f"KMS key {key} belongs to account {ARCHIVE}, not to this account ({ACCOUNT})" in message
        assert "DescribeKey" not in [call.operation for call in result.calls]


def test_the_allowed_archives_key_is_asked_of_kms() -> None:
    result = run({"CloudTrailKmsKeyId": ARCHIVE_KEY_ARN, "AllowedLogAccountIds": [ARCHIVE]})
    assert [call.params["KeyId"] for call in result.calls if call.operation == "DescribeKey"] == [ARCHIVE_KEY_ARN]


def test_central_logging_in_the_allowed_archive_succeeds() -> None:
    params = {"CloudTrailS3BucketName": ARCHIVE_BUCKET, "CloudTrailKmsKeyId": ARCHIVE_KEY_ARN}
    result = run({**params, "AllowedLogAccountIds": [ARCHIVE]})
    assert result.status == "Success", [step.failure_message for step in result.steps if step.failure_message]


def test_s3s_owner_check_refuses_even_without_permission_checks() -> None:
    """The refusal is S3's ExpectedBucketOwner answer, not IAM's: with every call allowed it stands."""
    world = archive_world()
    result = run({"CloudTrailS3BucketName": ARCHIVE_BUCKET}, world, Options(iam=False))
    assert f"S3 bucket {ARCHIVE_BUCKET} is not owned by" in refusal(result, world)
    params = {"CloudTrailS3BucketName": ARCHIVE_BUCKET, "AllowedLogAccountIds": [ARCHIVE]}
    allowed = run(params, world, Options(iam=False))
    assert owner_checks(allowed) == [(ACCOUNT, "AccessDenied"), (ARCHIVE, None)]


def test_the_least_privilege_role_makes_the_checks() -> None:
    """Under the deploy template's role (policy generated from the runbook's calls): the own bucket's owner is
    confirmed, the archive's when allowed, and another account's bucket is refused."""
    data = archive_world().to_dict()
    stack = {"IsOrganizationTrail": "true"}  # the runbook's default: an organization trail
    data["Roles"] = [
        deployed_role(account=ACCOUNT, region="us-east-1", trail_name="main", role_name=ROLE, parameters=stack)
    ]
    world = World.from_dict(data)
    role = {"AutomationAssumeRole": f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"}
    own = run(role, world)
    assert own.status == "Success" and owner_checks(own) == [(ACCOUNT, None)]
    archive = run({**role, "CloudTrailS3BucketName": ARCHIVE_BUCKET, "AllowedLogAccountIds": [ARCHIVE]}, world)
    assert owner_checks(archive) == [(ACCOUNT, "AccessDenied"), (ARCHIVE, None)]
    refused = run({**role, "CloudTrailS3BucketName": ARCHIVE_BUCKET}, world)
    assert "is not owned by this account" in refusal(refused, world)


def test_every_representative_run_checks_the_owner_of_its_own_bucket() -> None:
    for world, params in representative_runs():
        result = simulate(build(), params, world)
        assert result.status == "Success"
        assert owner_checks(result) == [(world.account, None)]
