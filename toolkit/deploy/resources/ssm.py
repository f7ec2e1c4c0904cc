"""AWS::SSM::Document, created as CloudFormation creates it: CreateDocument, the fake SSM checking the name, the
content against the document type, and that the document does not exist.

``Content`` given as a mapping (as the toolkit's templates give the runbook) is sent as text in the document's
``DocumentFormat``: YAML as the toolkit renders documents (``toolkit.render``, the very bytes ``runbook build``
writes), JSON as JSON. ``UpdateMethod`` only says how a stack update replaces the document, so creating it applies
nothing of it (accepted, not dropped).
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-document.html
"""

from __future__ import annotations

import json
from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Resource

DOCUMENT_PROPERTIES: Final = (
    "Name",
    "Content",
    "DocumentType",
    "DocumentFormat",
    "TargetType",
    "VersionName",
    "UpdateMethod",
    "Tags",
)
UPDATE_METHODS: Final = ("Replace", "NewVersion")


def document(resource: Resource) -> Physical:
    properties = resource.accept(DOCUMENT_PROPERTIES, required=("Content",))
    name = resource.name("Name", 128)
    document_format = resource.text(properties.get("DocumentFormat", "JSON"), "DocumentFormat")
    create: dict[str, Any] = {
        "Name": name,
        "Content": _content(resource, properties["Content"], document_format),
        "DocumentFormat": document_format,
    }
    for key in ("DocumentType", "TargetType", "VersionName"):
        if key in properties:
            create[key] = resource.text(properties[key], key)
    if "Tags" in properties:
        create["Tags"] = resource.tags()
    if "UpdateMethod" in properties and properties["UpdateMethod"] not in UPDATE_METHODS:
        raise resource.error(f"property UpdateMethod must be one of {', '.join(UPDATE_METHODS)}")
    resource.call("ssm", "CreateDocument", create)
    return Physical(name)


def _content(resource: Resource, content: Any, document_format: str) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, dict):
        raise resource.error(f"property Content must be the document (a mapping) or its text, not {content!r}")
    if document_format == "YAML":
        from toolkit.render import to_yaml_text  # lazy: PyYAML loads only for a YAML document given as a mapping

        return to_yaml_text(content)
    return json.dumps(content)


HANDLERS: Final[dict[str, Handler]] = {"AWS::SSM::Document": document}
