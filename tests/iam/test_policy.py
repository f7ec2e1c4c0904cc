"""Policy evaluation (moved from tests/fakes/test_policy.py): principals, actions, resources, conditions,
explicit deny; memoised answers."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.iam.policy import CannotEvaluate, Policy, allowed_by_any, request_context

CLOUDTRAIL = ("Service", "cloudtrail.amazonaws.com")
OBJECT = "arn:aws:s3:::bucket/AWSLogs/123456789012/CloudTrail/x.json.gz"
TRAIL = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"
REQUEST = request_context(
    {"aws:SourceArn": TRAIL, "aws:SourceAccount": "123456789012", "s3:x-amz-acl": "bucket-owner-full-control"}
)


def statement(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::bucket/AWSLogs/123456789012/*",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


CASES: list[tuple[str, list[dict[str, Any]], bool]] = [
    ("plain grant", [statement()], True),
    ("no statements", [], False),
    ("other service", [statement(Principal={"Service": "config.amazonaws.com"})], False),
    ("service list", [statement(Principal={"Service": ["config.amazonaws.com", "cloudtrail.amazonaws.com"]})], True),
    ("everyone", [statement(Principal="*")], True),
    ("AWS everyone", [statement(Principal={"AWS": "*"})], True),
    ("an account is not a service", [statement(Principal={"AWS": "123456789012"})], False),
    ("NotPrincipal", [statement(Principal=None, NotPrincipal={"Service": "config.amazonaws.com"})], True),
    ("action wildcard", [statement(Action="s3:Put*")], True),
    ("action case", [statement(Action="S3:PUTOBJECT")], True),
    ("action list", [statement(Action=["s3:GetObject", "s3:PutObject"])], True),
    ("other action", [statement(Action="s3:GetObject")], False),
    ("NotAction", [statement(Action=None, NotAction="s3:GetObject")], True),
    ("resource elsewhere", [statement(Resource="arn:aws:s3:::bucket/other/*")], False),
    ("resource question mark", [statement(Resource="arn:aws:s3:::bucke?/AWSLogs/*")], True),
    ("resource case matters", [statement(Resource="arn:aws:s3:::BUCKET/*")], False),
    ("NotResource", [statement(Resource=None, NotResource="arn:aws:s3:::other/*")], True),
    ("StringEquals met", [statement(Condition={"StringEquals": {"aws:SourceArn": TRAIL}})], True),
    ("StringEquals list", [statement(Condition={"StringEquals": {"aws:SourceArn": ["x", TRAIL]}})], True),
    ("StringEquals unmet", [statement(Condition={"StringEquals": {"aws:SourceArn": TRAIL + "2"}})], False),
    ("condition key case", [statement(Condition={"StringEquals": {"AWS:SOURCEACCOUNT": "123456789012"}})], True),
    (
        "StringLike",
        [statement(Condition={"StringLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:123456789012:trail/*"}})],
        True,
    ),
    (
        "ArnLike",
        [statement(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:123456789012:trail/*"}})],
        True,
    ),
    (
        "ArnLike wrong account",
        [statement(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}})],
        False,
    ),
    ("ArnEquals", [statement(Condition={"ArnEquals": {"aws:SourceArn": TRAIL}})], True),
    ("StringNotEquals", [statement(Condition={"StringNotEquals": {"aws:SourceAccount": "111122223333"}})], True),
    ("missing key fails", [statement(Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}})], False),
    ("missing key IfExists", [statement(Condition={"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}})], True),
    ("missing key negated", [statement(Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}})], True),
    ("Null true", [statement(Condition={"Null": {"aws:PrincipalOrgID": "true"}})], True),
    ("Null false", [statement(Condition={"Null": {"aws:SourceArn": "false"}})], True),
    ("Bool met", [statement(Condition={"Bool": {"aws:SecureTransport": True}})], True),
    ("Bool unmet", [statement(Condition={"Bool": {"aws:SecureTransport": "false"}})], False),
    (
        "two operators both met",
        [
            statement(
                Condition={
                    "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
                    "ArnLike": {"aws:SourceArn": TRAIL},
                }
            )
        ],
        True,
    ),
    (
        "two operators one unmet",
        [statement(Condition={"StringEquals": {"s3:x-amz-acl": "private"}, "ArnLike": {"aws:SourceArn": TRAIL}})],
        False,
    ),
    ("numeric operator on an absent key", [statement(Condition={"NumericLessThan": {"s3:max-keys": "10"}})], False),
    ("ForAnyValue", [statement(Condition={"ForAnyValue:StringEquals": {"aws:SourceAccount": ["123456789012"]}})], True),
    ("explicit deny wins", [statement(), statement(Effect="Deny")], False),
    ("deny elsewhere", [statement(), statement(Effect="Deny", Resource="arn:aws:s3:::other/*")], True),
    (
        "deny unless secure transport, which CloudTrail uses",
        [
            statement(),
            statement(
                Effect="Deny", Principal="*", Action="s3:*", Condition={"Bool": {"aws:SecureTransport": "false"}}
            ),
        ],
        True,
    ),
    ("malformed statement ignored", [{"Effect": "Allow", "Action": 3}, statement()], True),
    ("bad effect ignored", [statement(Effect="Maybe")], False),
]


@pytest.mark.parametrize(("statements", "allowed"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_policy_evaluation(statements: list[dict[str, Any]], allowed: bool) -> None:
    policy = Policy({"Version": "2012-10-17", "Statement": statements})
    request = (*REQUEST, ("aws:securetransport", "true"))
    assert policy.allows(CLOUDTRAIL, "s3:PutObject", OBJECT, request) is allowed
    assert policy.allows(CLOUDTRAIL, "s3:PutObject", OBJECT, request) is allowed  # memoised answer


def test_a_single_statement_object_is_accepted() -> None:
    assert Policy({"Statement": statement()}).allows(CLOUDTRAIL, "s3:PutObject", OBJECT)


def test_an_aws_principal_matches_its_account() -> None:
    policy = Policy({"Statement": [statement(Principal={"AWS": "arn:aws:iam::123456789012:root"})]})
    assert policy.allows(("AWS", "arn:aws:iam::123456789012:role/Admin"), "s3:PutObject", OBJECT)
    assert not policy.allows(("AWS", "arn:aws:iam::111122223333:role/Admin"), "s3:PutObject", OBJECT)


def test_identity_policies_combine_allow_and_deny() -> None:
    allow = Policy({"Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]})
    deny = Policy({"Statement": [{"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"}]})
    role = ("AWS", "arn:aws:iam::123456789012:role/R")
    assert allowed_by_any((allow,), role, "logs:PutLogEvents", "arn:x")
    assert not allowed_by_any((allow, deny), role, "logs:PutLogEvents", "arn:x")
    assert not allowed_by_any((), role, "logs:PutLogEvents", "arn:x")


def test_parse_and_text() -> None:
    policy = Policy.parse('{"Version": "2012-10-17", "Statement": []}')
    assert policy.document == {"Version": "2012-10-17", "Statement": []}
    assert policy.text() == '{"Version": "2012-10-17", "Statement": []}'
    assert Policy({"Statement": []}).text() == '{"Statement":[]}'
    for bad in ("[]", "nope", 3):
        with pytest.raises(ValueError):
            Policy.parse(bad)
    original = {"Statement": [statement()]}
    copied = Policy.parse(original)
    original["Statement"].clear()
    assert copied.allows(CLOUDTRAIL, "s3:PutObject", OBJECT)


def test_an_unknown_operator_is_an_error_not_a_refusal() -> None:
    """Formerly "unsupported operator grants nothing": an operator this evaluator cannot decide now raises."""
    policy = Policy({"Statement": [statement(Condition={"NumericLessThanEqualz": {"s3:max-keys": "10"}})]})
    with pytest.raises(CannotEvaluate, match="cannot evaluate condition NumericLessThanEqualz on s3:max-keys"):
        policy.allows(CLOUDTRAIL, "s3:PutObject", OBJECT, REQUEST)
