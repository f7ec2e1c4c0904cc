"""Fake AWS Organizations: the organization the account belongs to, if any, and its trusted services.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.organizations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.fakes.record import Record
from toolkit.fakes.worldfile import Fields

ORGANIZATION_KEYS = ("Id", "ManagementAccount", "FeatureSet", "TrustedServices")
ORGANIZATION_ID = re.compile(r"o-[a-z0-9]{10,32}")
FEATURE_SETS = ("ALL", "CONSOLIDATED_BILLING")


@dataclass(eq=True)
class Organization(Record):
    id: str
    management_account: str
    feature_set: str = "ALL"
    trusted_services: tuple[str, ...] = ()

    @classmethod
    def read(cls, fields: Fields, account: str) -> Organization:
        organization_id = fields.text("Id", "o-a1b2c3d4e5")
        if not ORGANIZATION_ID.fullmatch(organization_id):
            raise fields.fail("Id", "must be an organization id: o- and 10 to 32 lower-case letters or digits")
        management = fields.text("ManagementAccount", account)
        if not (management.isdigit() and len(management) == 12):
            raise fields.fail("ManagementAccount", "must be a 12-digit account id (quote it in YAML)")
        feature_set = fields.text("FeatureSet", "ALL")
        if feature_set not in FEATURE_SETS:
            raise fields.fail("FeatureSet", "must be ALL or CONSOLIDATED_BILLING")
        return cls(organization_id, management, feature_set, fields.strings("TrustedServices"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "ManagementAccount": self.management_account,
            "FeatureSet": self.feature_set,
            "TrustedServices": list(self.trusted_services),
        }
