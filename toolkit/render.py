"""Model -> canonical data -> YAML and JSON text. Both texts come from the same data, so they cannot drift."""

from __future__ import annotations

import json
from typing import Any

import yaml

from toolkit.model.document import Document
from toolkit.model.values import JSON


def to_data(document: Document) -> dict[str, JSON]:
    """The canonical document data (keys in AWS's customary order)."""
    return document.to_dict()


def to_json_text(document: Document | dict[str, JSON]) -> str:
    data = document if isinstance(document, dict) else to_data(document)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line strings as literal blocks, no line folding."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def to_yaml_text(document: Document | dict[str, JSON]) -> str:
    data = document if isinstance(document, dict) else to_data(document)
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
        indent=2,
    )
