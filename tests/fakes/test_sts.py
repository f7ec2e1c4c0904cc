"""The fake STS: GetCallerIdentity, and AssumeRole against the world's roles and their trust policies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.fakes.boto import fake_session
from tests.fakes.worlds import ACCOUNT, world
from toolkit.fakes.backend import EPOCH
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World

ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/Deployer"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def trust(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(principal: Any, action: Any = "sts:AssumeRole", **condition: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        statement["Condition"] = condition
    return statement


def with_role(policy: dict[str, Any] | None) -> World:
    role: dict[str, Any] = {"Name": "Deployer"}
    if policy is not None:
        role["AssumeRolePolicyDocument"] = policy
    return world(Roles=[role])


def assume(w: World, **params: Any) -> dict[str, Any]:
    return w.backend().call("sts", "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "deploy", **params})


def refused(w: World, **params: Any) -> AwsError:
    with pytest.raises(AwsError) as caught:
        assume(w, **params)
    return caught.value


def test_get_caller_identity_is_the_root_user() -> None:
    assert World.default().backend().call("sts", "GetCallerIdentity", {}) == {
        "UserId": ACCOUNT,
        "Account": ACCOUNT,
        "Arn": ROOT,
    }


@pytest.mark.parametrize(
    "principal", [{"AWS": ACCOUNT}, {"AWS": ROOT}, {"AWS": "*"}, "*", {"AWS": [f"arn:aws:iam::{ACCOUNT}:root", "x"]}]
)
def test_a_role_that_trusts_the_account_is_assumed(principal: Any) -> None:
    w = with_role(trust(allow(principal)))
    before = w.to_dict()
    answer = assume(w, DurationSeconds=1800)
    role_id = w.roles["Deployer"].role_id()
    assert answer["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role_id}:deploy",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Deployer/deploy",
    }
    credentials = answer["Credentials"]
    assert credentials["Expiration"] == EPOCH + timedelta(seconds=1800)
    assert credentials["AccessKeyId"].startswith("ASIA") and len(credentials["AccessKeyId"]) == 20
    assert len(credentials["SecretAccessKey"]) == 40 and credentials["SessionToken"]
    assert w.to_dict() == before


def test_credentials_are_deterministic() -> None:
    w = with_role(trust(allow({"AWS": ACCOUNT})))
    assert assume(w) == assume(w)
    assert assume(w)["Credentials"] != assume(w, RoleSessionName="other")["Credentials"]
    assert assume(w)["Credentials"]["Expiration"] == EPOCH + timedelta(hours=1)


@pytest.mark.parametrize(
    "policy",
    [
        None,
        trust(),
        trust(allow({"Service": "ssm.amazonaws.com"})),
        trust(allow({"AWS": "arn:aws:iam::111122223333:root"})),
        trust(allow({"AWS": f"arn:aws:iam::{ACCOUNT}:role/Someone"})),
        trust(allow({"AWS": ACCOUNT}, "sts:AssumeRoleWithSAML")),
        trust(allow({"AWS": ACCOUNT}), {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}),
    ],
    ids=["no-trust-policy", "empty", "a-service", "another-account", "another-role", "another-action", "denied"],
)
def test_a_role_that_does_not_trust_the_caller_is_access_denied(policy: dict[str, Any] | None) -> None:
    caught = refused(with_role(policy))
    assert (caught.code, caught.status) == ("AccessDenied", 403)
    assert caught.message == f"User: {ROOT} is not authorized to perform: sts:AssumeRole on resource: {ROLE_ARN}"


@pytest.mark.parametrize(
    "role_arn",
    [
        f"arn:aws:iam::{ACCOUNT}:role/Absent",
        "arn:aws:iam::111122223333:role/Deployer",
        f"arn:aws:iam::{ACCOUNT}:role/team/Deployer",
        f"arn:aws:iam::{ACCOUNT}:user/Deployer",
    ],
)
def test_a_role_that_is_not_in_the_world_is_access_denied(role_arn: str) -> None:
    caught = refused(with_role(trust(allow({"AWS": ACCOUNT}))), RoleArn=role_arn)
    assert caught.code == "AccessDenied"


def test_conditions_on_external_id_and_session_name() -> None:
    w = with_role(trust(allow({"AWS": ACCOUNT}, StringEquals={"sts:ExternalId": "secret-1"})))
    assert refused(w).code == "AccessDenied"
    assert refused(w, ExternalId="wrong-1").code == "AccessDenied"
    assert assume(w, ExternalId="secret-1")["AssumedRoleUser"]["Arn"].endswith("/deploy")
    named = with_role(trust(allow({"AWS": ACCOUNT}, StringLike={"sts:RoleSessionName": "ci-*"})))
    assert refused(named).code == "AccessDenied"
    assert assume(named, RoleSessionName="ci-42")


def test_tags_and_source_identity_need_their_own_actions() -> None:
    tags = [{"Key": "team", "Value": "ops"}]
    plain = with_role(trust(allow({"AWS": ACCOUNT})))
    caught = refused(plain, Tags=tags)
    assert caught.message == f"User: {ROOT} is not authorized to perform: sts:TagSession on resource: {ROLE_ARN}"
    assert refused(plain, SourceIdentity="alice").code == "AccessDenied"
    generous = with_role(trust(allow({"AWS": ACCOUNT}, ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"])))
    assert assume(generous, Tags=tags, SourceIdentity="alice")["SourceIdentity"] == "alice"


TOO_LONG = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
TOO_SHORT = (
    "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: "
    "Member must have value greater than or equal to 900"
)
BAD_SESSION = (
    "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: "
    "Member must satisfy regular expression pattern: [\\w+=,.@-]*"
)


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"DurationSeconds": 7200}, "ValidationError", TOO_LONG),
        ({"DurationSeconds": 899}, "ValidationError", TOO_SHORT),
        ({"RoleSessionName": "Session1:2"}, "ValidationError", BAD_SESSION),
        ({"RoleArn": "nothing-valid-in-here"}, "ValidationError", "nothing-valid-in-here is invalid"),
        ({"RoleArn": "arn::b:::something/test-role"}, "ValidationError", "arn::b:::something/test-role is invalid"),
        ({"Policy": "{nope"}, "MalformedPolicyDocument", "The policy is not in the valid JSON format."),
    ],
)
def test_assume_role_validation(params: dict[str, Any], code: str, message: str) -> None:
    caught = refused(with_role(trust(allow({"AWS": ACCOUNT}))), **params)
    assert (caught.code, caught.message, caught.status) == (code, message, 400)


def test_boto3_parses_the_credentials() -> None:
    sts = fake_session(with_role(trust(allow({"AWS": ACCOUNT}))).backend()).client("sts")
    answer = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="deploy")
    assert answer["Credentials"]["Expiration"] == EPOCH + timedelta(hours=1)
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.assume_role(RoleArn=ROLE_ARN.replace("Deployer", "Absent"), RoleSessionName="deploy")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
