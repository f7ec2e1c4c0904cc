"""The fake AWS Organizations's operations (``OPERATIONS``) on the state in ``toolkit.fakes.organizations``.

Operations: DescribeOrganization, ListAWSServiceAccessForOrganization. Without an organization both raise
``AWSOrganizationsNotInUseException``; ListAWSServiceAccessForOrganization from a member account raises
``AccessDeniedException`` (only the management account, or a delegated administrator, may call it).
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.organizations import Organization
from toolkit.fakes.record import CREATED


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
