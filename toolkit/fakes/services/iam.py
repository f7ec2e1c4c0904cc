"""The fake IAM's operations (``OPERATIONS``) on the state in ``toolkit.fakes.iam``.

Operations: GetRole (the trust policy comes back as a mapping, as boto3 decodes it). ``NoSuchEntity`` (404) for
an unknown role.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.iam import Role
from toolkit.fakes.record import CREATED
from toolkit.fakes.requests import req_str


def find_role(backend: FakeBackend, name: str) -> Role:
    role = backend.world.roles.get(name)
    if role is None:
        raise AwsError("NoSuchEntity", f"The role with name {name} cannot be found.", status=404)
    return role


def get_role(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    role = find_role(backend, req_str(params, "RoleName"))
    result: dict[str, Any] = {
        "Path": "/",
        "RoleName": role.name,
        "RoleId": role.role_id(),
        "Arn": role.arn(backend.partition, backend.account),
        "CreateDate": CREATED,
        "MaxSessionDuration": 3600,
        "RoleLastUsed": {},
    }
    if role.trust_policy is not None:
        result["AssumeRolePolicyDocument"] = role.trust_policy.to_json()
    return {"Role": result}


OPERATIONS: dict[str, Operation] = {"GetRole": get_role}
