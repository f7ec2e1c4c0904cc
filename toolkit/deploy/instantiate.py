"""The world a CloudFormation template deploys (``runbook world --from-template``): a base world with the template's
resources created in it as a stack would create them, so that what scenarios test is exactly what is deployed.

    world = instantiate(template, {"TrailName": "main"}, World.default())          # the new world (a copy)
    deployment = deploy(template, parameters, base, account=..., region=...)       # and what each stack created

How a stack is created here, as CloudFormation creates one (CreateStack):
- the template's sections are checked (an unknown one is an error, ``Transform`` is not instantiated), the
  parameter values as CloudFormation checks them and the Rules asserted (``toolkit.deploy.parameters``), every
  resource's type is one that can be instantiated (else an error naming the type and the logical id) before
  anything is created;
- resources are created in dependency order: ``Ref``, ``Fn::GetAtt``, ``Fn::Sub`` references (in every branch of
  ``Fn::If``) and ``DependsOn``; among the resources ready at once, by logical id. A resource whose ``Condition``
  is false is not created;
- each resource is created by the API calls CloudFormation's handler for its type makes
  (``toolkit.deploy.resources``), through the world's own backend, so the fakes' own checks apply (KMS's key-policy
  lockout check, S3's bucket-policy and logging checks, Config's, IAM's...), and every call is authorized by the
  simulator's IAM as the stack's principal: ``caller`` if given, else the world's ``Caller`` when it is of the
  stack's account, else the account's administrator: the default ``Admin`` role (AdministratorAccess) for the
  world's own account, the ``Admin`` role the world gives another account. A StackSet's instances are created by
  the member account's ``stacksets-exec-*`` role (``toolkit.deploy.resources.stackset``), under the SCPs;
- ``Ref`` and ``Fn::GetAtt`` give what CloudFormation gives (a bucket's name, a key's id, a role's name, a topic's
  ARN, a policy's id...); names CloudFormation generates for unnamed resources are derived, not random
  (``Stack.generated_name``), so the same template, parameters and world give the same world.

A stack that cannot be created raises ``TemplateError`` (``InstantiateError`` or ``ParameterError``) naming the
stack, the resource (logical id and type) or the parameter at fault, and AWS's error; nothing is half-made, since
the stack is created in a copy of the base world. Not modelled: stack records themselves (DescribeStacks), the
``aws:cloudformation:*`` tags CloudFormation adds to taggable resources, the capabilities a top-level stack must be
created with (a StackSet's are checked), outputs' exports, updates and deletion (DeletionPolicy, UpdatePolicy).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from toolkit.deploy.intrinsics import Physical, Stack, TemplateError, references
from toolkit.deploy.parameters import check_rules, checked_parameters
from toolkit.deploy.resources import HANDLERS
from toolkit.deploy.resources.base import Created, InstantiateError, Resource, StackRecord
from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.caller import DEFAULT_CALLER_NAME, Caller, default_caller_arn, parse_caller
from toolkit.fakes.state import WorldState
from toolkit.fakes.world import REGION, World

__all__ = ["DEFAULT_STACK_NAME", "Deployment", "InstantiateError", "deploy", "instantiate"]

DEFAULT_STACK_NAME: Final = "cloudtrail-remediation"
TEMPLATE_KEYS: Final = (
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
)
RESOURCE_KEYS: Final = (
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
)
STACK_NAME: Final = re.compile(r"[A-Za-z][-A-Za-z0-9]{0,127}")


@dataclass
class Deployment:
    """A world being deployed into (a copy of the base world) and the stacks created in it, in creation order (a
    StackSet's instances right after the stack that holds it)."""

    world: World
    stacks: list[StackRecord] = field(default_factory=list)

    def account(self, account_id: str) -> WorldState:
        """The state of one of the world's accounts; an account of the organization the world does not hold yet is
        added (with nothing in it)."""
        world = self.world
        if account_id == world.account:
            return world
        found = world.accounts.get(account_id)
        if found is None:
            organization = world.organization
            if organization is None or account_id not in organization.account_ids(world.account):
                known = ", ".join([world.account, *sorted(world.accounts)])
                raise InstantiateError(f"account {account_id} is not an account of the world ({known})")
            found = World(account=account_id, region=world.region, partition=world.partition, organization=organization)
            found.root = world
            world.accounts[account_id] = found
        return found

    def create(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, Any],
        *,
        account: str,
        region: str,
        stack_name: str,
        caller: Caller,
        parent: str | None = None,
    ) -> StackRecord:
        """Create one stack of ``template`` in ``account`` and ``region``, its calls made as ``caller``."""
        where: dict[str, Any] = {"stack": stack_name, "account": account, "region": region}
        try:
            resources = _check_template(template)
            values = checked_parameters(template, parameters)
            stack = Stack(
                template,
                values,
                account=account,
                region=region,
                partition=self.world.partition,
                stack_name=stack_name,
                physical={},
            )
            check_rules(stack)
            order = creation_order(resources)
        except InstantiateError as err:
            if err.stack is None:
                err.stack, err.account, err.region = stack_name, account, region
            raise
        except TemplateError as err:
            raise InstantiateError(str(err), **where) from err
        backend = FakeBackend(self.account(account), region, caller=caller)
        record = StackRecord(stack_name, account, region, caller.principal_arn, parent)
        self.stacks.append(record)
        for logical_id in order:
            spec = resources[logical_id]
            kind = str(spec["Type"])
            try:
                condition = spec.get("Condition")
                if condition is not None and not stack.condition(str(condition)):
                    record.skipped.append(logical_id)
                    continue
                properties = stack.resolve(spec.get("Properties") or {})
            except TemplateError as err:
                raise InstantiateError(str(err), **where, logical_id=logical_id, type=kind) from err
            resource = Resource(stack, logical_id, kind, properties, backend, self)
            try:
                physical = HANDLERS[kind](resource)
            except InstantiateError:
                raise
            except TemplateError as err:
                raise resource.error(str(err)) from err
            assert stack.physical is not None
            stack.physical[logical_id] = physical
            record.resources.append(Created(logical_id, kind, physical.id, dict(physical.attributes)))
        record.outputs = _outputs(stack, where)
        return record


def deploy(
    template: Mapping[str, Any],
    parameters: Mapping[str, Any] | None = None,
    world: World | None = None,
    *,
    account: str | None = None,
    region: str | None = None,
    stack_name: str = DEFAULT_STACK_NAME,
    caller: str | None = None,
) -> Deployment:
    """Create a stack of ``template`` with ``parameters`` in a copy of ``world`` (default: the default world), in
    ``account`` (default: the world's) and ``region`` (default: the world's), as ``caller`` (an IAM role's, user's or
    root's ARN; default: the account's administrator, see the module's docstring). The base world is not changed."""
    base = world if world is not None else World.default()
    result = base.copy()
    deployment = Deployment(result)
    where = account or result.account
    deployment.account(where)
    place = region or result.region
    if not REGION.fullmatch(place):
        raise InstantiateError(f"region {place} is not a region name such as us-east-1")
    if not STACK_NAME.fullmatch(stack_name):
        raise InstantiateError(
            f"stack name {stack_name!r} must start with a letter and hold at most 128 letters, digits and hyphens"
        )
    deployment.create(
        template,
        parameters or {},
        account=where,
        region=place,
        stack_name=stack_name,
        caller=_principal(result, where, caller),
    )
    return deployment


def instantiate(
    template: Mapping[str, Any],
    parameters: Mapping[str, Any] | None = None,
    world: World | None = None,
    *,
    account: str | None = None,
    region: str | None = None,
    stack_name: str = DEFAULT_STACK_NAME,
    caller: str | None = None,
) -> World:
    """The world after creating a stack of ``template`` in a copy of ``world`` (see ``deploy``)."""
    return deploy(
        template, parameters, world, account=account, region=region, stack_name=stack_name, caller=caller
    ).world


def creation_order(resources: Mapping[str, Any]) -> list[str]:
    """The logical ids in the order CloudFormation may create them: each after every resource it refers to or
    depends on; among those ready at once, by logical id."""
    names = set(resources)
    needs: dict[str, set[str]] = {}
    for logical_id, spec in resources.items():
        found = references(spec.get("Properties") or {}, names)
        depends = spec.get("DependsOn", [])
        for other in [depends] if isinstance(depends, str) else depends:
            if other not in names:
                raise InstantiateError(
                    f"DependsOn names {other}, which is not a resource of the template",
                    logical_id=logical_id,
                    type=spec.get("Type"),
                )
            found.add(str(other))
        needs[logical_id] = found
    waiting = {name: set(found) for name, found in needs.items()}
    dependents: dict[str, list[str]] = {name: [] for name in names}
    for name, found in needs.items():
        for other in found:
            dependents[other].append(name)
    ready = [name for name, found in waiting.items() if not found]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(name)
        for dependent in dependents[name]:
            waiting[dependent].discard(name)
            if not waiting[dependent]:
                heapq.heappush(ready, dependent)
    if len(order) < len(names):
        circle = sorted(name for name, found in waiting.items() if found)
        raise InstantiateError(f"Circular dependency between resources: [{', '.join(circle)}]")
    return order


def supported_types() -> list[str]:
    """The resource types a stack can create in a simulated world."""
    return sorted(HANDLERS)


def _check_template(template: Mapping[str, Any]) -> dict[str, Any]:
    """The template's Resources, once its sections and every resource's shape and type are checked."""
    if not isinstance(template, Mapping):
        raise InstantiateError("a template must be a mapping")
    if "Transform" in template:
        raise InstantiateError("Transform is not instantiated (expand the template first, e.g. `sam build`)")
    for key in template:
        if key not in TEMPLATE_KEYS:
            raise InstantiateError(f"unknown template section {key}")
    resources = template.get("Resources")
    if not isinstance(resources, dict) or not resources:
        raise InstantiateError("the template's Resources must be a mapping of at least one resource")
    for logical_id, spec in resources.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("Type"), str):
            raise InstantiateError("must be a mapping with a Type", logical_id=logical_id)
        kind = spec["Type"]
        if kind not in HANDLERS:
            raise InstantiateError(
                f"resource type {kind} cannot be instantiated in the simulated world "
                f"(supported: {', '.join(supported_types())})",
                logical_id=logical_id,
                type=kind,
            )
        for key in spec:
            if key not in RESOURCE_KEYS:
                raise InstantiateError(
                    f"resource attribute {key} is not instantiated", logical_id=logical_id, type=kind
                )
        if not isinstance(spec.get("Properties", {}), dict):
            raise InstantiateError("Properties must be a mapping", logical_id=logical_id, type=kind)
    return resources


def _outputs(stack: Stack, where: dict[str, Any]) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    for name, spec in (stack.template.get("Outputs") or {}).items():
        try:
            condition = spec.get("Condition")
            if condition is not None and not stack.condition(str(condition)):
                continue
            outputs[name] = stack.resolve(spec.get("Value"))
        except TemplateError as err:
            raise InstantiateError(str(err), **where, logical_id=f"Outputs.{name}") from err
    return outputs


def _principal(world: World, account: str, given: str | None) -> Caller:
    """Who creates the stack (see the module's docstring)."""
    if given is not None:
        caller = parse_caller(given)
        if caller is None:
            raise InstantiateError(f"{given} is not the ARN of an IAM role, an IAM user or an account's root user")
        if caller.account != account:
            raise InstantiateError(f"{given} is of account {caller.account}, not of the stack's account {account}")
        return caller
    if world.caller is not None:
        caller = parse_caller(world.caller)
        if caller is not None and caller.account == account:
            return caller
    if account == world.account:
        found = parse_caller(default_caller_arn(world))
        assert found is not None
        return found
    member = world.accounts.get(account)
    role = None if member is None else member.roles.get(DEFAULT_CALLER_NAME)
    if member is None or role is None:
        raise InstantiateError(
            f"account {account} has no role {DEFAULT_CALLER_NAME} to create the stack as: give the caller (--as ARN) "
            f"or give the account an {DEFAULT_CALLER_NAME} role (Accounts.{account}.Roles)"
        )
    found = parse_caller(role.arn(member.partition, account))
    assert found is not None
    return found


def physical_of(deployment: Deployment, logical_id: str, stack: int = 0) -> Physical:
    """The physical id and attributes of a resource a stack of the deployment created (for tests and reports)."""
    for created in deployment.stacks[stack].resources:
        if created.logical_id == logical_id:
            return Physical(created.physical_id, created.attributes)
    raise KeyError(logical_id)
