"""What an aws:executeAutomation step targets: the account and Region pairs of its TargetLocations, and the values
its Targets (or TargetMaps) resolve to; each pair and each value gets a child automation of its own.

Target locations (AWS: "Running automations in multiple AWS Regions and accounts", the TargetLocation API
reference): ``Accounts`` are account ids or organizational unit ids; an OU stands for the accounts directly in it
("Automations don't run recursively through OUs"), and for those of its child OUs too with
``IncludeChildOrganizationUnits``; ``ExcludeAccounts`` (ids or OUs) are left out; targeting OUs needs the
organization's management account or a delegated administrator for Systems Manager (``ssm.amazonaws.com``). Each
pair runs as ``ExecutionRoleName`` (default ``AWS-SystemsManager-AutomationExecutionRole``), which must exist in
the account: a pair whose account the world lacks, or whose account lacks the role, fails without an execution (SSM
cannot assume the role). Inferred: pairs are ordered account by account (accounts as given, an OU's sorted by id),
each account's Regions as given, duplicates once; a location without Accounts is the step's account, one without
Regions the step's Region; the administration role of the step's account (``AutomationAssumeRole``) and the roles'
trust policies are not checked.

Targets ("Mapping targets for an automation"): one ``{Key, Values}``; ``ParameterValues`` gives the values
themselves (at most 50); ``tag:KEY`` (resources with that tag and one of the values) and ``tag-key`` (resources with
one of those tag keys) are resolved in the account and Region the children run in, for documents whose target type
says which resources: ``/AWS::EC2::Instance`` (instance ids, by EC2's DescribeInstances) and ``/AWS::S3::Bucket``
(bucket names, of buckets in that Region). Any other key (``ResourceGroup``, ``AWS::EC2::Instance``...), or tags for
a document with another or no target type (SSM then targets every resource with the tag, which the fakes cannot
list), fails the step naming what is not simulated. ``TargetMaps`` gives one child per map of parameter values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError
from toolkit.fakes.organizations import Organization
from toolkit.fakes.protocol import Backend
from toolkit.fakes.world import REGION
from toolkit.simulate.execution import StepFailed
from toolkit.simulate.parameters import Declared

DEFAULT_EXECUTION_ROLE: Final = "AWS-SystemsManager-AutomationExecutionRole"
SSM_PRINCIPAL: Final = "ssm.amazonaws.com"
MAX_PARAMETER_VALUES: Final = 50
LOCATION_KEYS: Final = (
    "Accounts",
    "Regions",
    "ExecutionRoleName",
    "TargetLocationMaxConcurrency",
    "TargetLocationMaxErrors",
    "IncludeChildOrganizationUnits",
    "ExcludeAccounts",
    "Targets",
    "TargetsMaxConcurrency",
    "TargetsMaxErrors",
)
"""TargetLocation's members the simulator runs (TargetLocationAlarmConfiguration is refused: no alarms here)."""
TAG_TYPES: Final = ("/AWS::EC2::Instance", "/AWS::S3::Bucket")


@dataclass(frozen=True, slots=True)
class Place:
    """One account and Region pair of a target location: the backend its child calls (None, with ``problem``
    saying why, when the child cannot start there) and the role it runs as."""

    account: str
    region: str
    backend: Backend | None
    role_arn: str
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """One TargetLocation, read: its pairs, its rate control, and the targets its children run over (None: one
    child per pair)."""

    places: tuple[Place, ...]
    max_concurrency: object
    max_errors: object
    targets: list[Any] | None
    targets_max_concurrency: object
    targets_max_errors: object


def read_locations(value: Any, backend: Backend) -> list[Location]:
    """TargetLocations as StartAutomationExecution reads them, from the step running through ``backend``."""
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        raise StepFailed("ValidationException: TargetLocations must be a list of 1 to 100 target locations")
    if len(value) > 100:
        raise StepFailed("ValidationException: TargetLocations takes at most 100 target locations")
    return [_location(item, index, backend) for index, item in enumerate(value)]


def _location(item: dict[str, Any], index: int, backend: Backend) -> Location:
    where = f"TargetLocations[{index}]"
    if "TargetLocationAlarmConfiguration" in item:
        raise StepFailed(f"aws:executeAutomation with {where}.TargetLocationAlarmConfiguration is not simulated")
    unknown = [key for key in item if key not in LOCATION_KEYS]
    if unknown:
        raise StepFailed(f"ValidationException: {where} has no member {unknown[0]}")
    accounts = _texts(item.get("Accounts", [backend.account]), f"{where}.Accounts")
    regions = _texts(item.get("Regions", [backend.region]), f"{where}.Regions")
    for region in regions:
        if not REGION.fullmatch(region):
            raise StepFailed(f"ValidationException: {where}.Regions: {region} is not a Region")
    excluded = _texts(item.get("ExcludeAccounts", []), f"{where}.ExcludeAccounts", empty=True)
    recursive = item.get("IncludeChildOrganizationUnits", False)
    if not isinstance(recursive, bool):
        raise StepFailed(f"ValidationException: {where}.IncludeChildOrganizationUnits must be true or false")
    role = item.get("ExecutionRoleName", DEFAULT_EXECUTION_ROLE)
    if not isinstance(role, str) or not role:
        raise StepFailed(f"ValidationException: {where}.ExecutionRoleName must be a role name")
    chosen = _accounts(accounts, backend, recursive, where)
    left_out = set(_accounts(excluded, backend, recursive, where)) if excluded else set()
    places = tuple(
        _place(backend, account, region, role) for account in chosen if account not in left_out for region in regions
    )
    targets = item.get("Targets")
    return Location(
        places,
        item.get("TargetLocationMaxConcurrency", "1"),
        item.get("TargetLocationMaxErrors", "0"),
        targets,
        item.get("TargetsMaxConcurrency"),
        item.get("TargetsMaxErrors"),
    )


def _texts(value: Any, member: str, *, empty: bool = False) -> list[str]:
    if not isinstance(value, list) or (not value and not empty) or not all(isinstance(text, str) for text in value):
        raise StepFailed(f"ValidationException: {member} must be a list of text values")
    return list(dict.fromkeys(value))


def _accounts(given: list[str], backend: Backend, recursive: bool, where: str) -> list[str]:
    """Account ids as given, each OU replaced by the accounts in it (sorted), each account once."""
    found: dict[str, None] = {}
    for item in given:
        if item.isdigit() and len(item) == 12:
            found[item] = None
        elif item.startswith("ou-"):
            found.update(dict.fromkeys(_in_unit(item, backend, recursive, where)))
        else:
            raise StepFailed(f"ValidationException: {where}: {item} is neither an account id nor an OU id")
    return list(found)


def _in_unit(unit: str, backend: Backend, recursive: bool, where: str) -> list[str]:
    organization, world_account = _organization(backend)
    if organization is None:
        raise StepFailed(f"{where}: OU {unit} needs an organization; account {backend.account} is in none")
    caller = backend.account
    delegated = any(
        delegate.account_id == caller and delegate.service_principal == SSM_PRINCIPAL
        for delegate in organization.delegates
    )
    if caller != organization.management_account and not delegated:
        raise StepFailed(
            f"{where}: only the organization's management account or a delegated administrator for Systems Manager "
            f"can target OUs; {caller} is neither"
        )
    if organization.unit(unit) is None:
        raise StepFailed(f"{where}: the organization has no OU {unit}")
    units = [unit]
    if recursive:
        for parent in units:  # grows while it is read: every OU below, breadth first
            units.extend(child.id for child in organization.units if child.parent == parent)
    inside = set(units)
    return [account for account in organization.account_ids(world_account) if organization.parent_of(account) in inside]


def _organization(backend: Backend) -> tuple[Organization | None, str]:
    if not isinstance(backend, FakeBackend):
        return None, backend.account
    world = backend.world.root or backend.world
    return backend.world.organization, world.account


def _place(backend: Backend, account: str, region: str, role: str) -> Place:
    role_arn = f"arn:{backend.partition}:iam::{account}:role/{role}"
    there = backend.elsewhere(account, region)
    if there is None:
        problem = f"account {account} is not in the world: cannot assume {role_arn}"
        return Place(account, region, None, role_arn, problem)
    if isinstance(there, FakeBackend) and role.rsplit("/", 1)[-1] not in there.world.roles:
        return Place(account, region, None, role_arn, f"the execution role {role_arn} does not exist: cannot assume it")
    return Place(account, region, there, role_arn)


# -- targets ------------------------------------------------------------------------------------------------------


def target_values(targets: Any, backend: Backend, target_type: str | None) -> list[str]:
    """The values Targets resolve to in ``backend``'s account and Region."""
    if not isinstance(targets, list) or len(targets) != 1 or not isinstance(targets[0], dict):
        raise StepFailed("ValidationException: Targets must be a list of one {Key, Values} target")
    key, values = targets[0].get("Key"), targets[0].get("Values")
    if not isinstance(key, str) or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise StepFailed("ValidationException: a target needs a Key and a list of text Values")
    if key == "ParameterValues":
        if not values or len(values) > MAX_PARAMETER_VALUES:
            raise StepFailed(f"ValidationException: ParameterValues takes 1 to {MAX_PARAMETER_VALUES} values")
        return list(values)
    if key.startswith("tag:") or key == "tag-key":
        if target_type not in TAG_TYPES:
            raise StepFailed(
                f"aws:executeAutomation with Targets by {key} for a document of target type {target_type or 'none'} "
                f"is not simulated (tags are resolved for documents of target type {' or '.join(TAG_TYPES)})"
            )
        return _tagged(key, values, backend, target_type)
    raise StepFailed(
        f"aws:executeAutomation with Targets of Key {key} is not simulated (ParameterValues, tag:KEY and tag-key are)"
    )


def _tagged(key: str, values: list[str], backend: Backend, target_type: str) -> list[str]:
    if target_type == "/AWS::S3::Bucket":
        if not isinstance(backend, FakeBackend):
            raise StepFailed("aws:executeAutomation: Targets by tag are resolved in the fake world only")
        buckets = [bucket for bucket in backend.world.buckets.values() if bucket.region == backend.region]
        return sorted(bucket.name for bucket in buckets if _tag_matches(bucket.tags, key, values))
    name = "tag-key" if key == "tag-key" else key
    try:
        found = backend.call("ec2", "DescribeInstances", {"Filters": [{"Name": name, "Values": values}]})
    except AwsError as err:
        raise StepFailed(f"resolving the targets {key}: {err.code}: {err.message}") from err
    instances = [instance for group in found.get("Reservations", []) for instance in group.get("Instances", [])]
    return sorted(str(instance["InstanceId"]) for instance in instances)


def _tag_matches(tags: Mapping[str, str], key: str, values: list[str]) -> bool:
    if key == "tag-key":
        return any(wanted in tags for wanted in values)
    name = key[len("tag:") :]
    return name in tags and tags[name] in values


def target_maps(value: Any) -> list[dict[str, list[str]]]:
    """TargetMaps: a list of maps, each parameter name to its list of text values."""
    if not isinstance(value, list) or not value or len(value) > 300:
        raise StepFailed("ValidationException: TargetMaps must be a list of 1 to 300 maps")
    maps = []
    for item in value:
        if not isinstance(item, dict) or not all(
            isinstance(values, list) and all(isinstance(text, str) for text in values) for values in item.values()
        ):
            raise StepFailed("ValidationException: each of TargetMaps maps parameter names to lists of text values")
        maps.append({str(name): list(values) for name, values in item.items()})
    return maps


def typed(declared: Declared | None, values: list[str]) -> Any:
    """Text values given to a parameter as a target gives them: the list to a list parameter, else its one value."""
    if declared is not None and declared.type.is_list:
        return list(values)
    return values[0] if len(values) == 1 else list(values)
