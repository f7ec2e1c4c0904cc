"""CloudFormation's intrinsic functions, evaluated as a stack's creation evaluates them, for the parts of the
toolkit's own templates a simulated world instantiates (the remediation role, exactly as generated).

``Stack(template, parameters, account=..., region=..., partition=...)`` holds the parameter values (the template's
defaults, then the values given) and the pseudo parameters; ``stack.resolve(value)`` evaluates ``Ref``,
``Fn::Sub`` (``${Name}`` and ``${AWS::...}``), ``Fn::If`` on the template's conditions (``Fn::Equals``,
``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Condition``), ``Fn::Join``, ``Fn::Select``, ``Fn::GetAtt`` of an IAM role's
``Arn`` and ``AWS::NoValue`` (the property or list item disappears). Anything else raises ``TemplateError`` naming
it: a value this module cannot evaluate is never passed on as if it were text. The functions' semantics:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from toolkit.errors import ToolkitError

NO_VALUE: Final = object()
"""What ``{"Ref": "AWS::NoValue"}`` evaluates to: the enclosing property or list item is removed."""
SUB: Final = re.compile(r"\$\{([^}!][^}]*)\}")


class TemplateError(ToolkitError):
    """A template value that cannot be evaluated here (an unknown function, parameter or condition)."""


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
        values = {name: str(value) if isinstance(value, int) else value for name, value in values.items()}
        self.names: dict[str, Any] = {
            **values,
            "AWS::AccountId": account,
            "AWS::Region": region,
            "AWS::Partition": partition,
            "AWS::StackName": stack_name,
            "AWS::URLSuffix": "amazonaws.com",
        }
        self._conditions: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            spec = (self.template.get("Conditions") or {}).get(name)
            if spec is None:
                raise TemplateError(f"the template has no condition {name}")
            self._conditions[name] = self._truth(spec)
        return self._conditions[name]

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
        if name == "Ref":
            if argument == "AWS::NoValue":
                return NO_VALUE
            if argument in self.names:
                return self.names[argument]
            return self._resource_ref(argument)
        if name == "Fn::Sub":
            return self._sub(argument)
        if name == "Fn::If":
            condition, then, otherwise = argument
            return self.resolve(then if self.condition(condition) else otherwise)
        if name == "Fn::Join":
            separator, items = argument
            return separator.join(str(item) for item in self.resolve(items))
        if name == "Fn::Select":
            index, items = argument
            return self.resolve(items)[int(self.resolve(index))]
        if name == "Fn::GetAtt":
            resource, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self._attribute(resource, attribute)
        if name in ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition"):
            return self._truth({name: argument})
        raise TemplateError(f"{name} is not evaluated here")

    def _sub(self, argument: Any) -> str:
        text, extra = (argument, {}) if isinstance(argument, str) else (argument[0], self.resolve(argument[1]))

        def value(found: re.Match[str]) -> str:
            name = found.group(1)
            if name in extra:
                return str(extra[name])
            if "." in name:
                resource, attribute = name.split(".", 1)
                return str(self._attribute(resource, attribute))
            if name in self.names:
                return str(self.names[name])
            return str(self._resource_ref(name))

        return SUB.sub(value, text).replace("${!", "${")

    def _truth(self, spec: Any) -> bool:
        if isinstance(spec, dict) and len(spec) == 1:
            ((name, argument),) = spec.items()
            if name == "Fn::Equals":
                left, right = (self.resolve(item) for item in argument)
                return str(left) == str(right)
            if name == "Fn::Not":
                return not self._truth(argument[0])
            if name == "Fn::And":
                return all(self._truth(item) for item in argument)
            if name == "Fn::Or":
                return any(self._truth(item) for item in argument)
            if name == "Condition":
                return self.condition(argument)
        raise TemplateError(f"not a condition: {spec!r}")

    def _resource(self, name: str) -> Mapping[str, Any]:
        resource = (self.template.get("Resources") or {}).get(name)
        if not isinstance(resource, dict):
            raise TemplateError(f"the template has no parameter or resource {name}")
        return resource

    def _resource_ref(self, name: str) -> Any:
        resource = self._resource(name)
        if resource.get("Type") == "AWS::IAM::Role":
            return self.role_name(name)
        raise TemplateError(f"Ref of a {resource.get('Type')} ({name}) is not evaluated here")

    def _attribute(self, name: str, attribute: str) -> Any:
        resource = self._resource(name)
        if resource.get("Type") == "AWS::IAM::Role" and attribute == "Arn":
            path = self.resolve(resource.get("Properties", {}).get("Path", "/"))
            account, partition = self.names["AWS::AccountId"], self.names["AWS::Partition"]
            return f"arn:{partition}:iam::{account}:role{path}{self.role_name(name)}"
        raise TemplateError(f"Fn::GetAtt {name}.{attribute} is not evaluated here")

    def role_name(self, logical_id: str) -> str:
        """A role's name: its RoleName, else the name CloudFormation generates (stack name, logical id and a
        suffix; here a fixed one, so worlds stay the same from run to run)."""
        properties = self._resource(logical_id).get("Properties", {})
        if "RoleName" in properties:
            return str(self.resolve(properties["RoleName"]))
        return f"{self.names['AWS::StackName']}-{logical_id}-SIMULATED"[:64]

    def role(self, logical_id: str) -> dict[str, Any]:
        """An ``AWS::IAM::Role`` of the template as the world file's ``Roles`` entry the stack would create."""
        resource = self._resource(logical_id)
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
