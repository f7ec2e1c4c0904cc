"""AWS::CloudFormation::StackSet with the SERVICE_MANAGED permission model: a stack instance in every account its
deployment targets select, in each of its Regions, each instantiating the StackSet's TemplateBody (JSON or YAML
text) with its Parameters and the group's ParameterOverrides.

Which accounts (the StackSets user guide, "Deploy to organizational units" and DeploymentTargets): every account of
the world's Organization whose place in the tree is under one of ``OrganizationalUnitIds`` (the root or OUs; child
OUs included), filtered by ``Accounts`` as ``AccountFilterType`` says (NONE: every account of the OUs, and Accounts
must be empty; INTERSECTION: only the listed ones among them; DIFFERENCE: all but the listed ones; UNION: the OUs'
accounts and the listed ones), never the management account ("StackSets doesn't deploy stack instances to the
organization's management account"). Instances are created account by account (by id), each account's Regions in
the order given. What CloudFormation checks first, refused naming it: the organization has all features and trusted
access for ``member.org.stacksets.cloudformation.amazonaws.com``; with CallAs SELF the stack is the management
account's (DELEGATED_ADMIN: a delegated administrator of that service); Capabilities acknowledge the body's IAM
resources (CAPABILITY_NAMED_IAM for named ones).

Who creates each instance's resources, as AWS documents for service-managed StackSets: the role
``stacksets-exec-<hash>`` of the member account, with AdministratorAccess, trusting the management account's
service-linked role AWSServiceRoleForCloudFormationStackSetsOrgAdmin. The member account's service-linked role
AWSServiceRoleForCloudFormationStackSetsOrgMember creates that role (CreateRole, AttachRolePolicy: its AWS managed
policy allows exactly those on ``stacksets-exec-*``); the management account's service-linked role assumes it
(sts:AssumeRole: its policy and the role's trust decide); the instance's calls are then made as that session, so
the SCPs along the member account's path apply to them (service-linked roles are not bound by SCPs, the exec role
is). The two service-linked roles are written into the accounts' IAM when absent (AWS creates them when trusted
access is enabled; no call of the account makes them); the hash is derived from the management account (AWS's is
opaque). The StackSet and its stacks as CloudFormation records them are not in the world, only what they created;
AutoDeployment, ManagedExecution and OperationPreferences change when and how fast instances are deployed, not what
they create, so they are accepted and have no effect here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from toolkit.deploy.intrinsics import Physical, digest, stable_uuid
from toolkit.deploy.resources.base import Handler, Resource
from toolkit.deploy.template_file import read_template_text
from toolkit.errors import LoadError
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import Caller, parse_caller
from toolkit.fakes.iam import Role
from toolkit.iam.policy import Policy

if TYPE_CHECKING:
    from toolkit.fakes.organizations import Organization
    from toolkit.fakes.state import WorldState

STACK_SET_PROPERTIES: Final = (
    "StackSetName",
    "Description",
    "PermissionModel",
    "AutoDeployment",
    "CallAs",
    "Capabilities",
    "ManagedExecution",
    "OperationPreferences",
    "Parameters",
    "StackInstancesGroup",
    "TemplateBody",
)
TRUSTED_SERVICE: Final = "member.org.stacksets.cloudformation.amazonaws.com"
ADMIN_ROLE: Final = "AWSServiceRoleForCloudFormationStackSetsOrgAdmin"
ADMIN_PATH: Final = "/aws-service-role/stacksets.cloudformation.amazonaws.com/"
ADMIN_POLICY: Final = "aws-service-role/CloudFormationStackSetsOrgAdminServiceRolePolicy"
MEMBER_ROLE: Final = "AWSServiceRoleForCloudFormationStackSetsOrgMember"
MEMBER_PATH: Final = f"/aws-service-role/{TRUSTED_SERVICE}/"
MEMBER_POLICY: Final = "aws-service-role/CloudFormationStackSetsOrgMemberServiceRolePolicy"
EXECUTION_ROLE_PREFIX: Final = "stacksets-exec-"
SESSION: Final = "AWSCloudFormationStackSets"
FILTER_TYPES: Final = ("NONE", "INTERSECTION", "DIFFERENCE", "UNION")
NAMED_IAM: Final = ("RoleName", "ManagedPolicyName", "UserName", "GroupName", "InstanceProfileName")


def stack_set(resource: Resource) -> Physical:
    properties = resource.accept(STACK_SET_PROPERTIES, required=("PermissionModel", "TemplateBody"))
    name = resource.name("StackSetName", 128)
    model = resource.text(properties["PermissionModel"], "PermissionModel")
    if model != "SERVICE_MANAGED":
        raise resource.error(f"property PermissionModel {model} is not instantiated (only SERVICE_MANAGED)")
    organization = _organization(resource)
    body = _body(resource)
    _check_capabilities(resource, body)
    common = _parameters(resource, properties.get("Parameters", []), "Parameters")
    instances: list[tuple[str, str, dict[str, str]]] = []
    for index, group in enumerate(resource.items(properties.get("StackInstancesGroup", []), "StackInstancesGroup")):
        key = f"StackInstancesGroup[{index}]"
        given = resource.mapping(group, key)
        unknown = set(given) - {"DeploymentTargets", "Regions", "ParameterOverrides"}
        if unknown:
            raise resource.error(f"property {key}.{sorted(unknown)[0]} is not instantiated")
        accounts = _targets(resource, organization, given.get("DeploymentTargets"), f"{key}.DeploymentTargets")
        regions = [resource.text(region, f"{key}.Regions") for region in resource.items(given.get("Regions"), key)]
        overrides = _parameters(resource, given.get("ParameterOverrides", []), f"{key}.ParameterOverrides")
        for account in accounts:
            for region in regions:
                if any((account, region) == (other, where) for other, where, _ in instances):
                    raise resource.error(f"{key} repeats the stack instance of {account} in {region}")
                instances.append((account, region, {**common, **overrides}))
    stack_set_id = f"{name}:{stable_uuid(name, resource.stack.account, resource.stack.region)}"
    for account, region, parameters in sorted(instances, key=lambda item: item[0]):
        caller = _execution_session(resource, organization, account, region)
        stack_name = f"StackSet-{name}-{stable_uuid(stack_set_id, account, region)}"
        resource.stacks.create(
            body,
            parameters,
            account=account,
            region=region,
            stack_name=stack_name,
            caller=caller,
            parent=resource.logical_id,
        )
    return Physical(stack_set_id, {"StackSetId": stack_set_id})


def _organization(resource: Resource) -> Organization:
    """The organization, when this account may create a service-managed StackSet in it."""
    organization = resource.backend.world.organization
    if organization is None:
        raise resource.error("a SERVICE_MANAGED StackSet needs the account to belong to an organization")
    if organization.feature_set != "ALL":
        raise resource.error("a SERVICE_MANAGED StackSet needs an organization with all features (FeatureSet ALL)")
    if TRUSTED_SERVICE not in organization.trusted_services:
        raise resource.error(
            f"a SERVICE_MANAGED StackSet needs trusted access for {TRUSTED_SERVICE} (Organization.TrustedServices)"
        )
    call_as = resource.text(resource.properties.get("CallAs", "SELF"), "CallAs")
    account = resource.stack.account
    if call_as == "SELF" and account != organization.management_account:
        raise resource.error(
            f"CallAs SELF: account {account} is not the organization's management account "
            f"({organization.management_account}); use CallAs DELEGATED_ADMIN from a delegated administrator"
        )
    if call_as == "DELEGATED_ADMIN" and not any(
        delegate.account_id == account and delegate.service_principal == TRUSTED_SERVICE
        for delegate in organization.delegates
    ):
        raise resource.error(
            f"CallAs DELEGATED_ADMIN: account {account} is not a delegated administrator for StackSets"
        )
    if call_as not in ("SELF", "DELEGATED_ADMIN"):
        raise resource.error("property CallAs must be SELF or DELEGATED_ADMIN")
    return organization


def _body(resource: Resource) -> dict[str, Any]:
    body = resource.properties["TemplateBody"]
    if isinstance(body, dict):
        return body
    try:
        return read_template_text(resource.text(body, "TemplateBody"), file=f"{resource.logical_id}.TemplateBody")
    except LoadError as err:
        raise resource.error(f"property TemplateBody cannot be read: {err}") from err


def _check_capabilities(resource: Resource, body: Mapping[str, Any]) -> None:
    given = [
        resource.text(item, "Capabilities")
        for item in resource.items(resource.properties.get("Capabilities", []), "Capabilities")
    ]
    iam = [
        spec for spec in (body.get("Resources") or {}).values() if str(spec.get("Type", "")).startswith("AWS::IAM::")
    ]
    named = any(key in (spec.get("Properties") or {}) for spec in iam for key in NAMED_IAM)
    if named and "CAPABILITY_NAMED_IAM" not in given:
        raise resource.error("InsufficientCapabilities: Requires capabilities : [CAPABILITY_NAMED_IAM]")
    if iam and not {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"} & set(given):
        raise resource.error("InsufficientCapabilities: Requires capabilities : [CAPABILITY_IAM]")


def _parameters(resource: Resource, value: Any, key: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in resource.items(value, key):
        entry = resource.mapping(item, key)
        if set(entry) != {"ParameterKey", "ParameterValue"}:
            raise resource.error(f"property {key} must be a list of {{ParameterKey, ParameterValue}}")
        found[resource.text(entry["ParameterKey"], key)] = resource.text(entry["ParameterValue"], key)
    return found


def _targets(resource: Resource, organization: Organization, value: Any, key: str) -> list[str]:
    """The accounts a group's DeploymentTargets select, by id."""
    targets = resource.mapping(value, key)
    unknown = set(targets) - {"OrganizationalUnitIds", "Accounts", "AccountFilterType"}
    if unknown:
        raise resource.error(f"property {key}.{sorted(unknown)[0]} is not instantiated")
    units = [resource.text(unit, key) for unit in resource.items(targets.get("OrganizationalUnitIds", []), key)]
    listed = [resource.text(account, key) for account in resource.items(targets.get("Accounts", []), key)]
    kind = resource.text(targets.get("AccountFilterType", "NONE"), f"{key}.AccountFilterType")
    if kind not in FILTER_TYPES:
        raise resource.error(f"property {key}.AccountFilterType must be one of {', '.join(FILTER_TYPES)}")
    if not units:
        raise resource.error(f"property {key}.OrganizationalUnitIds is required for a SERVICE_MANAGED StackSet")
    known = {organization.root, *(unit.id for unit in organization.units)}
    for unit in units:
        if unit not in known:
            raise resource.error(f"{key}: {unit} is neither the root nor an OU of organization {organization.id}")
    world_account = resource.stacks.world.account
    members = organization.account_ids(world_account)
    for account in listed:
        if account not in members:
            raise resource.error(f"{key}.Accounts: {account} is not an account of organization {organization.id}")
    if kind == "NONE" and listed:
        raise resource.error(
            f"{key}: Accounts are given with AccountFilterType NONE (give INTERSECTION, DIFFERENCE or UNION)"
        )
    under = [account for account in members if any(unit in organization.ancestry(account) for unit in units)]
    if kind == "INTERSECTION":
        chosen = [account for account in under if account in listed]
    elif kind == "DIFFERENCE":
        chosen = [account for account in under if account not in listed]
    elif kind == "UNION":
        chosen = sorted({*under, *listed})
    else:
        chosen = under
    return [account for account in chosen if account != organization.management_account]


def execution_role_name(organization: Organization) -> str:
    """The name of the role StackSets creates in each member account for the organization's management account."""
    return EXECUTION_ROLE_PREFIX + digest("stacksets-exec", organization.id, organization.management_account)[:32]


def _execution_session(resource: Resource, organization: Organization, account: str, region: str) -> Caller:
    """A session of the member account's ``stacksets-exec-*`` role, assumed by the management account's StackSets
    service-linked role (the role is created first, by the member account's service-linked role, if absent)."""
    world = resource.stacks.world
    partition = world.partition
    management = resource.stacks.account(organization.management_account)
    admin_arn = _service_linked_role(
        management, ADMIN_ROLE, ADMIN_PATH, "stacksets.cloudformation.amazonaws.com", ADMIN_POLICY
    )
    member = resource.stacks.account(account)
    name = execution_role_name(organization)
    role_arn = f"arn:{partition}:iam::{account}:role/{name}"
    if name not in member.roles:
        member_arn = _service_linked_role(member, MEMBER_ROLE, MEMBER_PATH, TRUSTED_SERVICE, MEMBER_POLICY)
        creator = FakeBackend(member, region, resource.backend.now, _caller(member_arn))
        trust = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": admin_arn}, "Action": "sts:AssumeRole"}],
        }
        resource.call(
            "iam", "CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": json.dumps(trust)}, backend=creator
        )
        administrator = f"arn:{partition}:iam::aws:policy/AdministratorAccess"
        resource.call("iam", "AttachRolePolicy", {"RoleName": name, "PolicyArn": administrator}, backend=creator)
    assumer = FakeBackend(member, region, resource.backend.now, _caller(admin_arn))
    resource.call("sts", "AssumeRole", {"RoleArn": role_arn, "RoleSessionName": SESSION}, backend=assumer)
    return _caller(role_arn)


def _caller(arn: str) -> Caller:
    caller = parse_caller(arn, SESSION)
    assert caller is not None, arn
    return caller


def _service_linked_role(state: WorldState, name: str, path: str, service: str, policy: str) -> str:
    """The ARN of a StackSets service-linked role of ``state``'s account, written into its IAM if absent."""
    if name not in state.roles:
        trust = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
        state.roles[name] = Role(
            name=name,
            path=path,
            trust_policy=Policy(trust),
            attached=(f"arn:{state.partition}:iam::aws:policy/{policy}",),
        )
    return state.roles[name].arn(state.partition, state.account)


HANDLERS: Final[dict[str, Handler]] = {"AWS::CloudFormation::StackSet": stack_set}
