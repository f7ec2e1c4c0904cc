"""Fake AWS Organizations: the organization the account belongs to, if any, and its trusted services.

Operations: DescribeOrganization, ListAWSServiceAccessForOrganization. Without an organization both raise
``AWSOrganizationsNotInUseException``; ListAWSServiceAccessForOrganization from a member account raises
``AccessDeniedException`` (only the management account, or a delegated administrator, may call it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend, Operation

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


def not_in_use() -> AwsError:
    return AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")


def _organization(backend: FakeBackend) -> Organization:
    organization = backend.world.organization
    if organization is None:
        raise not_in_use()
    return organization


def describe_organization(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    organization = _organization(backend)
    management = organization.management_account
    partition = backend.partition
    policy_types = (
        [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}] if organization.feature_set == "ALL" else []
    )
    return {
        "Organization": {
            "Id": organization.id,
            "Arn": f"arn:{partition}:organizations::{management}:organization/{organization.id}",
            "FeatureSet": organization.feature_set,
            "MasterAccountArn": f"arn:{partition}:organizations::{management}:account/{organization.id}/{management}",
            "MasterAccountId": management,
            "MasterAccountEmail": f"management+{management}@example.com",
            "AvailablePolicyTypes": policy_types,
        }
    }


def list_aws_service_access(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    organization = _organization(backend)
    if organization.management_account != backend.account:
        raise AwsError("AccessDeniedException", "You don't have permissions to access this resource.")
    principals = [{"ServicePrincipal": name, "DateEnabled": CREATED} for name in sorted(organization.trusted_services)]
    return {"EnabledServicePrincipals": principals}


OPERATIONS: dict[str, Operation] = {
    "DescribeOrganization": describe_organization,
    "ListAWSServiceAccessForOrganization": list_aws_service_access,
}
