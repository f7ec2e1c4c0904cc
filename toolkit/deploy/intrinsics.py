"""CloudFormation's intrinsic functions, evaluated as a stack's creation evaluates them: for the toolkit's own
templates' parts the tests need on their own (the remediation role, exactly as generated; the SCP) and for a whole
stack instantiated in a simulated world (``toolkit.deploy.instantiate``).

``Stack(template, parameters, account=..., region=..., partition=..., stack_name=..., physical=None)`` holds the
parameter values (the template's defaults, then the values given; a list parameter given as text is split at its
commas) and the pseudo parameters; ``stack.resolve(value)`` evaluates ``Ref``, ``Fn::Sub`` (``${Name}``,
``${Resource.Attribute}`` and ``${AWS::...}``), ``Fn::If`` on the template's conditions (``Fn::Equals``,
``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Condition``; and in Rules ``Fn::Contains``, ``Fn::EachMemberEquals``,
``Fn::EachMemberIn``), ``Fn::Join``, ``Fn::Select``, ``Fn::Split``, ``Fn::FindInMap``, ``Fn::Base64``,
``Fn::GetAtt`` and ``AWS::NoValue`` (the property or list item disappears). Anything else raises
``TemplateError`` naming it: a value this module cannot evaluate is never passed on as if it were text. The
functions' semantics: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html

``physical``: what each resource created so far gives ``Ref`` and ``Fn::GetAtt`` (its physical id and
attributes), filled in by ``toolkit.deploy.instantiate`` as it creates them; then a reference to a resource not
created (its condition false) is an error naming it. Without it (None), only an IAM role's name and ARN are
known, computed as the stack would create the role, so ``deployed_role`` needs no world.

``TemplateError`` is what cannot be evaluated; ``InstantiateError``, a stack that cannot be created, also names the
stack (name, account, region) and the resource (logical id, type) at fault.

Names CloudFormation generates for resources the template leaves unnamed (``{stack}-{logical id}-{suffix}``) get a
suffix derived from the stack's name, the logical id, the account and the region (``generated_name``), where
CloudFormation's is random: the same stack gives the same names, so simulations stay byte-stable.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from toolkit.errors import ToolkitError

NO_VALUE: Final = object()
"""What ``{"Ref": "AWS::NoValue"}`` evaluates to: the enclosing property or list item is removed."""
SUB: Final = re.compile(r"\$\{([^}!][^}]*)\}")
FUNCTIONS: Final = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::Sub",
        "Fn::If",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::FindInMap",
        "Fn::Base64",
        "Fn::GetAtt",
        "Fn::Equals",
        "Fn::Not",
        "Fn::And",
        "Fn::Or",
        "Fn::Contains",
        "Fn::EachMemberEquals",
        "Fn::EachMemberIn",
    }
)
"""The functions evaluated here; any other ``Fn::`` (Fn::GetAZs, Fn::ImportValue, Fn::Cidr...) is an error."""
SUFFIX_LENGTH: Final = 13
"""The length of the suffix of a generated name (CloudFormation's look like ``1A2B3C4D5E6F7``)."""


class TemplateError(ToolkitError):
    """A template value that cannot be evaluated here (an unknown function, parameter or condition)."""


class InstantiateError(TemplateError):
    """A stack that cannot be created in the world as CloudFormation would create it: names the stack, and the
    resource (logical id and type) at fault when there is one."""

    def __init__(
        self,
        message: str,
        *,
        stack: str | None = None,
        account: str | None = None,
        region: str | None = None,
        logical_id: str | None = None,
        type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.stack, self.account, self.region = stack, account, region
        self.logical_id, self.type = logical_id, type

    def where(self) -> str:
        parts = []
        if self.stack is not None:
            parts.append(f"stack {self.stack} in {self.account} {self.region}")
        if self.logical_id is not None:
            parts.append(f"{self.logical_id} ({self.type})" if self.type else self.logical_id)
        return ": ".join(parts)


@dataclass(frozen=True)
class Physical:
    """What a created resource gives ``Ref`` (its physical id) and ``Fn::GetAtt`` (its attributes)."""

    id: str
    attributes: Mapping[str, Any] = field(default_factory=dict)


def is_list_type(kind: str) -> bool:
    """Whether a parameter of type ``kind`` is a list (``Ref`` gives a list of strings)."""
    return kind == "CommaDelimitedList" or kind.startswith("List<")


def digest(*parts: str) -> str:
    """A stable hex digest of ``parts`` (where CloudFormation would use a random or opaque value)."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def stable_uuid(*parts: str) -> str:
    """A UUID's form derived from ``parts`` (where CloudFormation makes a random one)."""
    tail = digest(*parts)
    return f"{tail[:8]}-{tail[8:12]}-4{tail[13:16]}-a{tail[17:20]}-{tail[20:32]}"


class Stack:
    """The values a stack is created with: its parameters and pseudo parameters, and its template's conditions."""

    def __init__(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, Any] | None = None,
        *,
        account: str,
        region: str,
        partition: str = "aws",
        stack_name: str = "cloudtrail-remediation",
        physical: dict[str, Physical] | None = None,
    ) -> None:
        self.template = template
        declared = template.get("Parameters") or {}
        values: dict[str, Any] = {name: spec.get("Default") for name, spec in declared.items()}
        for name, value in (parameters or {}).items():
            if name not in declared:
                raise TemplateError(f"the template has no parameter {name}")
            values[name] = value
        missing = [name for name, value in values.items() if value is None]
        if missing:
            raise TemplateError(f"no value for the template's parameter(s) {', '.join(missing)}")
        values = {name: _parameter_value(value, declared[name].get("Type", "String")) for name, value in values.items()}
        stack_id = f"arn:{partition}:cloudformation:{region}:{account}:stack/{stack_name}/"
        stack_id += stable_uuid(stack_name, account, region)
        self.names: dict[str, Any] = {
            **values,
            "AWS::AccountId": account,
            "AWS::Region": region,
            "AWS::Partition": partition,
            "AWS::StackName": stack_name,
            "AWS::StackId": stack_id,
            "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
            "AWS::NotificationARNs": [],
        }
        self.physical = physical
        """Each created resource's physical id and attributes (None: only roles' names and ARNs are known)."""
        self._conditions: dict[str, bool] = {}

    @property
    def account(self) -> str:
        return str(self.names["AWS::AccountId"])

    @property
    def region(self) -> str:
        return str(self.names["AWS::Region"])

    @property
    def partition(self) -> str:
        return str(self.names["AWS::Partition"])

    @property
    def name(self) -> str:
        return str(self.names["AWS::StackName"])

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            spec = (self.template.get("Conditions") or {}).get(name)
            if spec is None:
                raise TemplateError(f"the template has no condition {name}")
            self._conditions[name] = self._truth(spec)
        return self._conditions[name]

    def truth(self, spec: Any) -> bool:
        """A condition function's value (a Rules assertion or RuleCondition, say)."""
        return self._truth(spec)

    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic function evaluated (NO_VALUE where ``AWS::NoValue`` removes it)."""
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                return self._function(key, argument)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def _function(self, name: str, argument: Any) -> Any:
        if name not in FUNCTIONS:
            raise TemplateError(f"{name} is not evaluated here")
        if name == "Ref":
            if argument == "AWS::NoValue":
                return NO_VALUE
            if argument in self.names:
                return self.names[argument]
            return self._resource_ref(str(argument))
        if name == "Fn::Sub":
            return self._sub(argument)
        if name == "Fn::If":
            condition, then, otherwise = argument
            return self.resolve(then if self.condition(condition) else otherwise)
        if name == "Fn::Join":
            separator, items = argument
            return str(self.resolve(separator)).join(str(item) for item in self._list(items, name))
        if name == "Fn::Select":
            index, items = argument
            return self._list(items, name)[int(self.resolve(index))]
        if name == "Fn::Split":
            separator, text = argument
            return str(self.resolve(text)).split(str(self.resolve(separator)))
        if name == "Fn::FindInMap":
            return self._find_in_map(argument)
        if name == "Fn::Base64":
            return base64.b64encode(str(self.resolve(argument)).encode()).decode("ascii")
        if name == "Fn::GetAtt":
            resource, attribute = argument if isinstance(argument, list) else str(argument).split(".", 1)
            return self._attribute(str(self.resolve(resource)), str(self.resolve(attribute)))
        return self._truth({name: argument})

    def _list(self, value: Any, function: str) -> list[Any]:
        items = self.resolve(value)
        if not isinstance(items, list):
            raise TemplateError(f"{function} needs a list, not {items!r}")
        return items

    def _find_in_map(self, argument: Any) -> Any:
        table, top, second = (self.resolve(item) for item in argument)
        mappings = self.template.get("Mappings") or {}
        try:
            return mappings[table][top][second]
        except (KeyError, TypeError) as err:
            raise TemplateError(f"Fn::FindInMap: the template's Mappings have no {table}.{top}.{second}") from err

    def _sub(self, argument: Any) -> str:
        if isinstance(argument, str):
            text, extra = argument, {}
        else:
            text, extra = argument[0], self.resolve(argument[1])

        def value(found: re.Match[str]) -> str:
            name = found.group(1).strip()
            if name in extra:
                return str(extra[name])
            if name in self.names:
                return str(self.names[name])
            if "." in name:
                resource, attribute = name.split(".", 1)
                return str(self._attribute(resource, attribute))
            return str(self._resource_ref(name))

        return SUB.sub(value, text).replace("${!", "${")

    def _truth(self, spec: Any) -> bool:
        if isinstance(spec, dict) and len(spec) == 1:
            ((name, argument),) = spec.items()
            if name == "Fn::Equals":
                left, right = (self.resolve(item) for item in argument)
                return _text(left) == _text(right)
            if name == "Fn::Not":
                return not self._truth(argument[0])
            if name == "Fn::And":
                return all(self._truth(item) for item in argument)
            if name == "Fn::Or":
                return any(self._truth(item) for item in argument)
            if name == "Condition":
                return self.condition(argument)
            if name == "Fn::Contains":
                values, value = (self.resolve(item) for item in argument)
                return _text(value) in [_text(item) for item in _as_list(values)]
            if name == "Fn::EachMemberEquals":
                values, value = (self.resolve(item) for item in argument)
                return all(_text(item) == _text(value) for item in _as_list(values))
            if name == "Fn::EachMemberIn":
                values, allowed = (self.resolve(item) for item in argument)
                return all(_text(item) in [_text(other) for other in _as_list(allowed)] for item in _as_list(values))
        raise TemplateError(f"not a condition: {spec!r}")

    def resource(self, name: str) -> Mapping[str, Any]:
        resource = (self.template.get("Resources") or {}).get(name)
        if not isinstance(resource, dict):
            raise TemplateError(f"the template has no parameter or resource {name}")
        return resource

    def _created(self, name: str) -> Physical | None:
        """The resource's physical id and attributes; None when no world is instantiated (static evaluation)."""
        if self.physical is None:
            return None
        found = self.physical.get(name)
        if found is None:
            resource = self.resource(name)
            condition = resource.get("Condition")
            why = f"its Condition {condition} is false" if isinstance(condition, str) else "it is not created yet"
            raise TemplateError(f"{name} ({resource.get('Type')}) is referred to, but {why}")
        return found

    def _resource_ref(self, name: str) -> Any:
        resource = self.resource(name)
        created = self._created(name)
        if created is not None:
            return created.id
        if resource.get("Type") == "AWS::IAM::Role":
            return self.role_name(name)
        raise TemplateError(f"Ref of a {resource.get('Type')} ({name}) is not evaluated here")

    def _attribute(self, name: str, attribute: str) -> Any:
        resource = self.resource(name)
        created = self._created(name)
        if created is not None:
            if attribute not in created.attributes:
                raise TemplateError(
                    f"Fn::GetAtt {name}.{attribute}: a {resource.get('Type')} has no such attribute here"
                )
            return created.attributes[attribute]
        if resource.get("Type") == "AWS::IAM::Role" and attribute == "Arn":
            path = self.resolve(resource.get("Properties", {}).get("Path", "/"))
            return f"arn:{self.partition}:iam::{self.account}:role{path}{self.role_name(name)}"
        raise TemplateError(f"Fn::GetAtt {name}.{attribute} is not evaluated here")

    def generated_name(self, logical_id: str, limit: int, *, lower: bool = False) -> str:
        """The name CloudFormation gives a resource the template leaves unnamed: the stack's name, the logical id
        and a suffix, at most ``limit`` characters (``lower``: in lower case, as for S3 buckets). The suffix is
        derived from the stack's name, the logical id, the account and the region (CloudFormation's is random)."""
        raw = bytes.fromhex(digest(self.name, logical_id, self.account, self.region))
        suffix = base64.b32encode(raw).decode("ascii")[:SUFFIX_LENGTH]
        prefix = f"{self.name}-{logical_id}"[: max(limit - SUFFIX_LENGTH - 1, 1)]
        name = f"{prefix}-{suffix}"
        return name.lower() if lower else name

    def role_name(self, logical_id: str) -> str:
        """A role's name: its RoleName, else the name CloudFormation generates (``generated_name``)."""
        properties = self.resource(logical_id).get("Properties", {})
        if "RoleName" in properties:
            return str(self.resolve(properties["RoleName"]))
        return self.generated_name(logical_id, 64)

    def role(self, logical_id: str) -> dict[str, Any]:
        """An ``AWS::IAM::Role`` of the template as the world file's ``Roles`` entry the stack would create."""
        resource = self.resource(logical_id)
        if resource.get("Type") != "AWS::IAM::Role":
            raise TemplateError(f"{logical_id} is not an AWS::IAM::Role")
        properties = self.resolve(resource.get("Properties", {}))
        entry: dict[str, Any] = {"Name": self.role_name(logical_id), "Path": properties.get("Path", "/")}
        for key in ("Description", "AssumeRolePolicyDocument", "PermissionsBoundary", "MaxSessionDuration"):
            if key in properties:
                entry[key] = properties[key]
        if "Policies" in properties:
            entry["Policies"] = [
                {"PolicyName": item["PolicyName"], "PolicyDocument": item["PolicyDocument"]}
                for item in properties["Policies"]
            ]
        if "ManagedPolicyArns" in properties:
            entry["AttachedPolicies"] = list(properties["ManagedPolicyArns"])
        if "Tags" in properties:
            entry["Tags"] = {tag["Key"]: tag["Value"] for tag in properties["Tags"]}
        return entry


def references(value: Any, resources: Mapping[str, Any] | set[str]) -> set[str]:
    """The resources ``value`` refers to (``Ref``, ``Fn::GetAtt``, ``Fn::Sub``'s ``${Name}`` and
    ``${Name.Attribute}``), in every branch of its ``Fn::If``: what CloudFormation orders a resource after."""
    found: set[str] = set()
    _references(value, resources, found)
    return found


def _references(value: Any, resources: Mapping[str, Any] | set[str], found: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _references(item, resources, found)
        return
    if not isinstance(value, dict):
        return
    if len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref" and isinstance(argument, str) and argument in resources:
            found.add(argument)
            return
        if key == "Fn::GetAtt":
            head = argument[0] if isinstance(argument, list) and argument else str(argument).split(".", 1)[0]
            if isinstance(head, str) and head in resources:
                found.add(head)
            _references(argument, resources, found)
            return
        if key == "Fn::Sub":
            text, names = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
            for match in SUB.finditer(str(text)):
                head = match.group(1).strip().split(".", 1)[0]
                if head in resources and not (isinstance(names, dict) and head in names):
                    found.add(head)
            _references(names, resources, found)
            return
    for item in value.values():
        _references(item, resources, found)


def _parameter_value(value: Any, kind: str) -> Any:
    """A parameter's value as ``Ref`` gives it: text (numbers too), or a list of text for a list type."""
    if is_list_type(kind):
        items = value if isinstance(value, list) else [item.strip() for item in _text(value).split(",")]
        return [_text(item) for item in items]
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
