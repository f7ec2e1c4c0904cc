"""Fake AWS KMS: symmetric customer-managed keys, per region, with aliases, an enabled flag and a key policy.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.kms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolkit.fakes.policy import Policy
from toolkit.fakes.record import Record
from toolkit.fakes.worldfile import Fields, policy_json

KEY_KEYS = ("KeyId", "Region", "Aliases", "Enabled", "Description", "Policy")
KEY_ID = re.compile(r"(?:mrk-[0-9a-f]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
ALIAS = re.compile(r"alias/[a-zA-Z0-9/_-]{1,250}")


@dataclass(eq=True)
class Key(Record):
    key_id: str
    region: str
    aliases: tuple[str, ...] = ()
    enabled: bool = True
    description: str = ""
    policy: Policy | None = field(default=None)

    @classmethod
    def read(cls, fields: Fields, region: str) -> Key:
        key_id = fields.required_text("KeyId")
        if not KEY_ID.fullmatch(key_id):
            raise fields.fail("KeyId", "must be a key id (a UUID, or mrk- and 32 hex digits for a multi-Region key)")
        aliases = fields.strings("Aliases")
        for alias in aliases:
            if not ALIAS.fullmatch(alias) or alias.startswith("alias/aws/"):
                raise fields.fail("Aliases", f"holds {alias!r}, not a customer alias name (alias/...)")
        return cls(
            key_id=key_id,
            region=fields.text("Region", region),
            aliases=aliases,
            enabled=fields.flag("Enabled", True),
            description=fields.optional_text("Description") or "",
            policy=fields.policy("Policy"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "KeyId": self.key_id,
            "Region": self.region,
            "Aliases": list(self.aliases),
            "Enabled": self.enabled,
            "Description": self.description,
            "Policy": policy_json(self.policy),
        }

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:kms:{self.region}:{account}:key/{self.key_id}"

    def effective_policy(self, partition: str, account: str) -> Policy:
        """The key policy, or KMS's default one (the account's principals, through IAM) when none is set."""
        if self.policy is not None:
            return self.policy
        return Policy(
            {
                "Version": "2012-10-17",
                "Id": "key-default-1",
                "Statement": [
                    {
                        "Sid": "Enable IAM User Permissions",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        )
