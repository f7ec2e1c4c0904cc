"""Reading a CloudFormation template: a file or text (a StackSet's TemplateBody), JSON or YAML, into plain data.

YAML may use CloudFormation's short forms (``!Ref Name``, ``!Sub ...``, ``!GetAtt Resource.Attribute``,
``!If [...]``...), each read as its full form (``{"Ref": "Name"}``, ``{"Fn::GetAtt": ["Resource", "Attribute"]}``);
dates stay text (``AWSTemplateFormatVersion: 2010-09-09``), as CloudFormation reads them. A template that cannot be
read raises ``LoadError`` naming the file (and the line, for YAML).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from toolkit.errors import LoadError
from toolkit.files import read_text

SHORT_FORMS: Final = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in (
            "And",
            "Base64",
            "Cidr",
            "Equals",
            "FindInMap",
            "GetAtt",
            "GetAZs",
            "If",
            "ImportValue",
            "Join",
            "Length",
            "Not",
            "Or",
            "Select",
            "Split",
            "Sub",
            "ToJsonString",
            "Contains",
            "EachMemberEquals",
            "EachMemberIn",
            "RefAll",
            "ValueOf",
            "ValueOfAll",
        )
    },
}


def read_template(path: str | Path) -> dict[str, Any]:
    """A template file's data (JSON or YAML, whatever its name)."""
    return read_template_text(read_text(path), file=str(path))


def read_template_text(text: str, *, file: str) -> dict[str, Any]:
    """A template's text as data: JSON if it reads as JSON, else YAML with CloudFormation's short forms."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise LoadError(f"invalid JSON: {err.msg}", file=file, line=err.lineno, column=err.colno) from err
    else:
        data = _read_yaml(text, file)
    if not isinstance(data, dict):
        raise LoadError("a template must be a mapping (Resources, Parameters...)", file=file)
    return data


def _read_yaml(text: str, file: str) -> Any:
    import yaml  # lazy: PyYAML loads only for a YAML template

    class Loader(yaml.SafeLoader):
        """YAML 1.1 as CloudFormation reads it: timestamps stay text, ``!Ref``-style tags are functions."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def function(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
        tag = "!" + suffix
        name = SHORT_FORMS.get(tag)
        if name is None:
            raise yaml.constructor.ConstructorError(None, None, f"unknown tag {tag}", node.start_mark)
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "Fn::GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {name: value}

    Loader.add_multi_constructor("!", function)
    try:
        return yaml.load(text, Loader=Loader)  # a SafeLoader subclass: plain data and functions only
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(f"invalid YAML: {err.problem or err.context}", file=file, line=line, column=column) from err
    except yaml.YAMLError as err:
        raise LoadError(f"invalid YAML: {err}", file=file) from err
