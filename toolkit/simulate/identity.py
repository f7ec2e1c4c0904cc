"""Whose identity an execution runs with, checked as StartAutomationExecution checks it (shared/spec/iam.md §4).

An execution runs as its document's ``assumeRole`` (after interpolation) or, when that is absent or empty, as
whoever started it (the world's ``Caller``, ``--as``, or AWS Config's remediation role). Before it starts:

- the starter needs ``ssm:StartAutomationExecution`` on the automation definition (a document with a name);
- with an assume role, its ARN must be a role's ARN ("The format of the supplied assume role ARN isn't valid."), the
  starter needs ``iam:PassRole`` on it with ``iam:PassedToService`` = ssm.amazonaws.com (AccessDeniedException), and
  the role must exist and trust ssm.amazonaws.com for ``sts:AssumeRole`` with the execution's aws:SourceAccount and
  aws:SourceArn (``arn:aws:ssm:REGION:ACCOUNT:automation-execution/ID``); else SSM refuses to start it:
  InvalidAutomationExecutionParametersException, "The defined assume role is unable to be assumed."

The execution's steps and scripts then call as the role's session, named after the execution id
(``arn:aws:sts::ACCOUNT:assumed-role/ROLE/EXECUTION-ID``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from toolkit.aws.authorization import Need
from toolkit.errors import SimulationError
from toolkit.fakes.access import CANNOT_EVALUATE, Where, check
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import ROLE_ARN, Caller, parse_caller
from toolkit.fakes.errors import AwsError
from toolkit.iam.policy import CannotEvaluate, request_context

if TYPE_CHECKING:
    from toolkit.fakes.state import WorldState

NOT_ASSUMABLE: Final = "The defined assume role is unable to be assumed."
BAD_ROLE_ARN: Final = "The format of the supplied assume role ARN isn't valid."
INVALID: Final = "InvalidAutomationExecutionParametersException"
SSM: Final = ("Service", "ssm.amazonaws.com")


def starter(arn: str, world: WorldState | None = None) -> Caller:
    """The caller an ARN given to start an execution names (``--as``, the world's ``Caller``); given ``world``, the
    one kept with its decisions (a Caller is immutable and ``parse_caller`` a function of the ARN alone)."""
    if world is not None:
        kept = (world.root or world).decisions
        found = kept.get(("starter", arn))
        if found is None:
            found = kept[("starter", arn)] = starter(arn)
        return found
    caller = parse_caller(arn)
    if caller is None:
        raise SimulationError(
            f"{arn} is not the ARN of an IAM role, an IAM user or an account's root user", code="ValidationException"
        )
    return caller


def execution_identity(
    backend: FakeBackend, started_by: Caller, assume_role: str | None, execution_id: str, document: str | None
) -> Caller:
    """Who the execution's calls are made as, after StartAutomationExecution's checks (SimulationError if refused)."""
    where = Where(backend.world, backend.region, backend.now)
    if document:
        definition = backend.arn("ssm", f"automation-definition/{document}:$DEFAULT")
        kept = (backend.world.root or backend.world).decisions  # the Need, a function of the ARN, made once
        need = kept.get(("start", definition))
        if need is None:
            need = kept[("start", definition)] = Need("ssm:StartAutomationExecution", definition)
        _allowed(where, started_by, "ssm", need)
    if not assume_role:
        return started_by
    found = ROLE_ARN.fullmatch(assume_role)
    if found is None:
        raise SimulationError(BAD_ROLE_ARN, code=INVALID)
    _allowed(where, started_by, "ssm", Need("iam:PassRole", assume_role, (("iam:passedtoservice", SSM[1]),)))
    _partition, account, path, name = found.groups()
    root = backend.world.root or backend.world
    home = root if account == root.account else root.accounts.get(account)
    role = None if home is None else home.roles.get(name)
    if role is None or role.path != path or role.trust_policy is None:
        raise SimulationError(NOT_ASSUMABLE, code=INVALID)
    source = {
        "aws:SourceAccount": backend.account,
        "aws:SourceArn": backend.arn("ssm", f"automation-execution/{execution_id}"),
        "aws:PrincipalIsAWSService": "true",
        "aws:PrincipalServiceName": "ssm.amazonaws.com",
    }
    root.statements.prepare(role.trust_policy)
    try:
        trusted = role.trust_policy.allows(SSM, "sts:AssumeRole", assume_role, request_context(source))
    except CannotEvaluate as err:
        raise SimulationError(f"{NOT_ASSUMABLE} ({CANNOT_EVALUATE}: {err})", code=INVALID) from err
    if not trusted:
        raise SimulationError(NOT_ASSUMABLE, code=INVALID)
    session = parse_caller(assume_role, execution_id)
    assert session is not None  # the ARN matched ROLE_ARN
    return session


def _allowed(where: Where, caller: Caller, service: str, need: Need) -> None:
    try:
        check(where, caller, service, need)
    except AwsError as err:
        raise SimulationError(err.message, code=err.code) from err
