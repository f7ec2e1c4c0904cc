"""How each AWS service says "access denied": its error code, HTTP status and AWS's sentence (shared/spec/iam.md §5).

The sentence is IAM's: ``User: <principal> is not authorized to perform: <action> on resource: <resource> because
no <type> allows the <action> action`` for an implicit deny, ``... with an explicit deny in <a type>`` for an
explicit one (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html). S3 quotes the
resource; IAM names a role as ``role NAME``; SNS prints the action's prefix in capitals; EC2 puts its own sentence
first. The code depends on the service's protocol: ``AccessDeniedException`` for the JSON services (HTTP 400),
``AccessDenied`` for the query and REST-XML ones (403), EC2's ``UnauthorizedOperation`` and SNS's
``AuthorizationError``.
"""

from __future__ import annotations

from typing import Final, NamedTuple

ARTICLES: Final = {
    "identity-based policy": "an identity-based policy",
    "resource-based policy": "a resource-based policy",
    "permissions boundary": "a permissions boundary",
    "session policy": "a session policy",
    "service control policy": "a service control policy",
    "role trust policy": "the role trust policy",
}

ACCESS_DENIED_SERVICES: Final = frozenset(
    {
        # query protocol and REST-XML services, whose denials are AccessDenied (HTTP 403)
        "autoscaling",
        "cloudformation",
        "cloudfront",
        "cloudwatch",
        "docdb",
        "elasticache",
        "elasticbeanstalk",
        "elb",
        "elbv2",
        "iam",
        "neptune",
        "rds",
        "redshift",
        "route53",
        "s3",
        "s3control",
        "ses",
        "sqs",
        "sts",
    }
)
STATUS_403: Final = frozenset({"lambda", "apigateway", "ecr", "eks", "ecs"})
"""JSON services that answer AccessDeniedException with HTTP 403 (the others answer 400)."""


class Denial(NamedTuple):
    code: str
    message: str
    status: int


def denial(service: str, principal: str, action: str, resource: str, denied_by: str, explicit: bool) -> Denial:
    """What ``service`` answers when IAM denies ``principal`` (a session or user ARN) ``action`` on ``resource``
    ("*" when the action has no resource), denied by a policy of type ``denied_by``."""
    shown_action = action if service != "sns" else "SNS:" + action.split(":", 1)[-1]
    target = _resource(service, resource)
    where = f" on resource: {target}" if resource != "*" else ""
    if explicit:
        reason = f"with an explicit deny in {ARTICLES.get(denied_by, denied_by)}"
    else:
        reason = f"because no {denied_by} allows the {shown_action} action"
    sentence = f"User: {principal} is not authorized to perform: {shown_action}{where} {reason}"
    if service == "ec2":
        return Denial("UnauthorizedOperation", f"You are not authorized to perform this operation. {sentence}", 403)
    if service == "sns":
        return Denial("AuthorizationError", sentence, 403)
    if service in ACCESS_DENIED_SERVICES:
        return Denial("AccessDenied", sentence, 403)
    return Denial("AccessDeniedException", sentence, 403 if service in STATUS_403 else 400)


def _resource(service: str, resource: str) -> str:
    if service in ("s3", "s3control"):
        return f'"{resource}"'
    if service == "iam" and ":role/" in resource:
        return "role " + resource.rsplit("/", 1)[-1]
    return resource
