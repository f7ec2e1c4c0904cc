"""Fake AWS IAM: roles with their trust policy and inline permission policies.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.iam``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.fakes.policy import Policy
from toolkit.fakes.record import Record
from toolkit.fakes.worldfile import Fields, policy_json

ROLE_KEYS = ("Name", "AssumeRolePolicyDocument", "Policies")
ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")


@dataclass(eq=True)
class Role(Record):
    name: str
    trust_policy: Policy | None = None
    policies: tuple[Policy, ...] = ()

    @classmethod
    def read(cls, fields: Fields) -> Role:
        name = fields.required_text("Name")
        if not ROLE_NAME.fullmatch(name):
            raise fields.fail("Name", "must be 1-64 letters, digits or the characters + = , . @ _ -")
        policies = []
        for index, document in enumerate(fields.structures("Policies")):
            try:
                policies.append(Policy.parse(document))
            except ValueError as err:
                raise fields.fail("Policies", f"item {index} is not a policy document") from err
        return cls(name=name, trust_policy=fields.policy("AssumeRolePolicyDocument"), policies=tuple(policies))

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "AssumeRolePolicyDocument": policy_json(self.trust_policy),
            "Policies": [policy.to_json() for policy in self.policies],
        }

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:iam::{account}:role/{self.name}"

    def role_id(self) -> str:
        """A stable role id in AWS's form (AROA and 17 characters)."""
        import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only a role id needs it

        digest = hashlib.sha256(self.name.encode()).hexdigest().upper()
        return "AROA" + digest[:17]
