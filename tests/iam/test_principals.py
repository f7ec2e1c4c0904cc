"""Principals and verdicts: an AWS principal pattern names the principal's ARN, its role (aws:PrincipalArn), its
account, or everyone; ``verdict`` tells a grant naming the principal from one naming only its account."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.iam.policy import CannotEvaluate, Policy, Verdict, request_context

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ops/R"
SESSION = ("AWS", f"arn:aws:sts::{ACCOUNT}:assumed-role/R/S")
USER = ("AWS", f"arn:aws:iam::{ACCOUNT}:user/u")
SESSION_REQUEST = request_context({"aws:PrincipalArn": ROLE})
ACTION = "sts:AssumeRole"
RESOURCE = f"arn:aws:iam::{ACCOUNT}:role/Target"


def allow(principal: Any, effect: str = "Allow", sid: str | None = None) -> dict[str, Any]:
    statement = {"Effect": effect, "Principal": principal, "Action": ACTION, "Resource": "*"}
    return statement if sid is None else {**statement, "Sid": sid}


CASES: list[tuple[str, Any, tuple[str, str], Verdict]] = [
    ("session ARN", {"AWS": SESSION[1]}, SESSION, "Allow"),
    ("role ARN via aws:PrincipalArn", {"AWS": ROLE}, SESSION, "Allow"),
    ("other role", {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Other"}, SESSION, None),
    ("account id", {"AWS": ACCOUNT}, SESSION, "AllowAccount"),
    ("account root", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, SESSION, "AllowAccount"),
    ("other account", {"AWS": "111122223333"}, SESSION, None),
    ("everyone", "*", SESSION, "Allow"),
    ("AWS everyone", {"AWS": "*"}, SESSION, "Allow"),
    ("user ARN", {"AWS": USER[1]}, USER, "Allow"),
    ("user, account", {"AWS": ACCOUNT}, USER, "AllowAccount"),
    ("service", {"Service": "ssm.amazonaws.com"}, ("Service", "ssm.amazonaws.com"), "Allow"),
    ("a service is no account", {"AWS": ACCOUNT}, ("Service", "ssm.amazonaws.com"), None),
    (
        "federated",
        {"Federated": "cognito-identity.amazonaws.com"},
        ("Federated", "cognito-identity.amazonaws.com"),
        "Allow",
    ),
    ("list: direct beats account", {"AWS": [ACCOUNT, ROLE]}, SESSION, "Allow"),
]


@pytest.mark.parametrize(
    ("pattern", "principal", "verdict"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_verdict(pattern: Any, principal: tuple[str, str], verdict: Verdict) -> None:
    policy = Policy({"Statement": [allow(pattern)]})
    request = SESSION_REQUEST if principal == SESSION else ()
    assert policy.verdict(principal, ACTION, RESOURCE, request) == verdict
    assert policy.allows(principal, ACTION, RESOURCE, request) is (verdict is not None)


def test_two_allows_give_the_stronger_verdict_and_a_deny_wins() -> None:
    account, direct = allow({"AWS": ACCOUNT}, sid="Account"), allow({"AWS": ROLE}, sid="Role")
    assert Policy({"Statement": [account, direct]}).verdict(SESSION, ACTION, RESOURCE, SESSION_REQUEST) == "Allow"
    deny = allow({"AWS": ACCOUNT}, effect="Deny")
    assert Policy({"Statement": [direct, deny]}).verdict(SESSION, ACTION, RESOURCE, SESSION_REQUEST) == "Deny"


def test_deciding_sid() -> None:
    account, direct = allow({"AWS": ACCOUNT}, sid="Account"), allow({"AWS": ROLE}, sid="Role")
    policy = Policy({"Statement": [account, direct, allow({"AWS": ACCOUNT}, effect="Deny")]})
    assert policy.deciding_sid(SESSION, ACTION, RESOURCE, SESSION_REQUEST) == 2  # the Deny, by index (no Sid)
    assert Policy({"Statement": [account, direct]}).deciding_sid(SESSION, ACTION, RESOURCE, SESSION_REQUEST) == "Role"
    assert Policy({"Statement": [account]}).deciding_sid(SESSION, ACTION, RESOURCE, SESSION_REQUEST) == "Account"
    assert Policy({"Statement": []}).deciding_sid(SESSION, ACTION, RESOURCE) is None


def test_an_undecidable_direct_allow_beside_an_account_allow_matters_to_verdict_not_decide() -> None:
    bad = {**allow({"AWS": ROLE}), "Condition": {"DateLessThan": {"aws:CurrentTime": "soon"}}}
    policy = Policy({"Statement": [allow({"AWS": ACCOUNT}), bad]})
    assert policy.decide(SESSION, ACTION, RESOURCE, SESSION_REQUEST) == "Allow"
    with pytest.raises(CannotEvaluate, match="DateLessThan on aws:CurrentTime"):
        policy.verdict(SESSION, ACTION, RESOURCE, SESSION_REQUEST)


def test_not_principal_excludes_the_role_through_aws_principal_arn() -> None:
    policy = Policy(
        {"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": ROLE}, "Action": ACTION, "Resource": "*"}]}
    )
    assert policy.decide(SESSION, ACTION, RESOURCE, SESSION_REQUEST) is None
    assert policy.decide(USER, ACTION, RESOURCE) == "Deny"
