"""Who makes a simulated AWS call: a ``Caller`` (shared/spec/iam.md §4.1).

A role session (``arn:aws:sts::A:assumed-role/R/S``), an IAM user, or an account's root user. ``parse_caller(arn)``
makes one from an ARN the world file or a command gives (a role's ARN stands for a session of that role, named
``runbook-simulate``). Two principals act without being in the world's IAM, as AWS provides them: the world's default
caller, a role named ``Admin`` with AdministratorAccess (the world file's ``Caller`` names another; a role named Admin
in the world is used as it is), and AWS Config's remediation service-linked role, which starts automatic
remediations (its policy is AWSConfigRemediationServiceRolePolicy).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from toolkit.fakes.iam import Role, User
from toolkit.records import KeyedRecord

if TYPE_CHECKING:
    from toolkit.fakes.state import WorldState
    from toolkit.iam.policy import Policy

DEFAULT_CALLER_NAME: Final = "Admin"
CALLER_SESSION: Final = "runbook-simulate"
"""The session name of a role that starts an execution (its session ARN ends with it)."""
CONFIG_REMEDIATION_PATH: Final = "/aws-service-role/remediation.config.amazonaws.com/"
CONFIG_REMEDIATION_ROLE: Final = "AWSServiceRoleForConfigRemediation"
CONFIG_REMEDIATION_POLICY: Final = {
    # AWSConfigRemediationServiceRolePolicy (shared/spec/iam.md §4.3)
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["ssm:GetDocument", "ssm:DescribeDocument", "ssm:StartAutomationExecution"],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
        },
    ],
}
ROLE_ARN: Final = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):role(/(?:[\x21-\x7e]*/)?)([\w+=,.@-]+)")
USER_ARN: Final = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):user(/(?:[\x21-\x7e]*/)?)([\w+=,.@-]+)")
ROOT_ARN: Final = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):root")


class Caller(KeyedRecord):
    """A principal making calls: ``arn`` is what AWS reports (GetCallerIdentity, denial messages), ``principal_arn``
    the role's, user's or root's ARN (aws:PrincipalArn). A frozen record (``toolkit.records``; once a frozen slotted
    dataclass): equal by its fields, hashed once."""

    __slots__ = ("account", "arn", "kind", "name", "principal_arn", "session_name", "session_policies")
    _FIELDS = ("arn", "account", "principal_arn", "kind", "name", "session_name", "session_policies")
    arn: str
    account: str
    principal_arn: str
    kind: str
    """aws:PrincipalType: AssumedRole, User or Account."""
    name: str
    """The role's or user's name (the account id for the root user)."""
    session_name: str | None
    session_policies: tuple[Policy, ...] | None

    def __init__(
        self,
        arn: str,
        account: str,
        principal_arn: str,
        kind: str,
        name: str,
        session_name: str | None = None,
        session_policies: tuple[Policy, ...] | None = None,
    ) -> None:
        object.__setattr__(self, "arn", arn)
        object.__setattr__(self, "account", account)
        object.__setattr__(self, "principal_arn", principal_arn)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "session_name", session_name)
        object.__setattr__(self, "session_policies", session_policies)
        self._keep((arn, account, principal_arn, kind, name, session_name, session_policies))

    @property
    def service_linked(self) -> bool:
        return self.kind == "AssumedRole" and ":role/aws-service-role/" in self.principal_arn

    def session(self, session_name: str) -> Caller:
        """The same role in another session (a role's ARN given where a session is meant)."""
        partition = self.principal_arn.split(":", 2)[1]
        arn = f"arn:{partition}:sts::{self.account}:assumed-role/{self.name}/{session_name}"
        return Caller(arn, self.account, self.principal_arn, "AssumedRole", self.name, session_name)


def parse_caller(arn: str, session_name: str = CALLER_SESSION) -> Caller | None:
    """The caller an ARN names (a role: a session of it named ``session_name``), or None for a malformed ARN."""
    found = ROLE_ARN.fullmatch(arn)
    if found:
        partition, account, _path, name = found.groups()
        session = f"arn:{partition}:sts::{account}:assumed-role/{name}/{session_name}"
        return Caller(session, account, arn, "AssumedRole", name, session_name)
    found = USER_ARN.fullmatch(arn)
    if found:
        return Caller(arn, found.group(2), arn, "User", found.group(4))
    found = ROOT_ARN.fullmatch(arn)
    if found:
        return Caller(arn, found.group(2), arn, "Account", found.group(2))
    return None


def default_caller_arn(world: WorldState) -> str:
    """Who starts executions in ``world``: its ``Caller``, else its account's ``Admin`` role."""
    home = world.root or world
    if home.caller is not None:
        return home.caller
    return f"arn:{home.partition}:iam::{home.account}:role{_admin_path(home)}{DEFAULT_CALLER_NAME}"


def account_caller_arn(world: WorldState) -> str:
    """Who starts executions in ``world``, one account of a world (its own or one of its ``Accounts``): the world's
    ``Caller`` when it is of that account, else that account's ``Admin`` role (implicit only in the world's own
    account: another account must hold it, as ``Accounts.<id>.Roles``)."""
    home = world.root or world
    if world is home:
        return default_caller_arn(world)
    if home.caller is not None:
        found = parse_caller(home.caller)
        if found is not None and found.account == world.account:
            return home.caller
    return f"arn:{world.partition}:iam::{world.account}:role{_admin_path(world)}{DEFAULT_CALLER_NAME}"


def config_remediation_arn(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:role{CONFIG_REMEDIATION_PATH}{CONFIG_REMEDIATION_ROLE}"


def _admin_path(world: WorldState) -> str:
    role = world.roles.get(DEFAULT_CALLER_NAME)
    return role.path if role is not None else "/"


def user_id(home: WorldState, caller: Caller) -> str:
    """aws:userid, and GetCallerIdentity's UserId: ``ROLEID:SESSION`` for a role session, the user's id, or the
    account id for the root user."""
    if caller.kind == "AssumedRole":
        role = home.roles.get(caller.name)
        role_id = role.unique_id() if role is not None else Role(caller.name).unique_id()
        return f"{role_id}:{caller.session_name}"
    if caller.kind == "User":
        user = home.users.get(caller.name)
        return user.unique_id() if user is not None else User(caller.name).unique_id()
    return caller.account
