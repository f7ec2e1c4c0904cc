"""SSM documents' state: a document of one region with its versions (content, format, version name), its default
version, type and tags; reading a version's content; and the world file's form.

Only the account's own documents are held: the AWS-owned ones (``AWS-*``, ``AWSConfigRemediation-*``) are not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields, timestamp_text
from toolkit.ssm.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_SIZE_CODE,
    MAX_DOCUMENT_SIZE_MESSAGE,
    MAX_DOCUMENT_VERSIONS,
)
from toolkit.ssm.names import DOCUMENT_NAME, RESERVED_DOCUMENT_PREFIXES, VERSION_NAME
from toolkit.ssm.types import DOCUMENT_FORMATS, DOCUMENT_SCHEMA_VERSIONS

DOCUMENT_TYPES: Final = (
    "Command",
    "Policy",
    "Automation",
    "Session",
    "Package",
    "ApplicationConfiguration",
    "ApplicationConfigurationSchema",
    "DeploymentStrategy",
    "ChangeCalendar",
    "Automation.ChangeTemplate",
    "ProblemAnalysis",
    "ProblemAnalysisTemplate",
    "CloudFormation",
    "ConformancePackTemplate",
    "QuickSetup",
)
"""The DocumentType values CreateDocument takes (botocore's ssm model, DocumentType)."""
DOCUMENT_VERSION_KEYS: Final = ("DocumentVersion", "VersionName", "DocumentFormat", "Content", "CreatedDate")
DOCUMENT_KEYS: Final = (
    "Name",
    "Region",
    "DocumentType",
    "TargetType",
    "DisplayName",
    "DefaultVersion",
    "Tags",
    "Versions",
    *DOCUMENT_VERSION_KEYS,
)


class ContentError(ValueError):
    """Content that is not a document of its format: the AWS error code and a reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def parse_content(content: str, document_format: str, document_type: str) -> dict[str, Any] | None:
    """A version's content as data (None for TEXT), checked as CreateDocument checks it: within the size limit,
    parsing in its format to a mapping with a schemaVersion the document type takes. Raises ContentError."""
    if len(content.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise ContentError(MAX_DOCUMENT_SIZE_CODE, MAX_DOCUMENT_SIZE_MESSAGE)
    if document_format == "TEXT":
        return None
    data: object
    if document_format == "JSON":
        try:
            data = json.loads(content)
        except (json.JSONDecodeError, RecursionError) as err:
            raise ContentError("InvalidDocumentContent", f"The content for the document is not valid: {err}") from err
    else:
        # lazy: PyYAML is loaded only when a YAML document is read
        from toolkit.errors import LoadError
        from toolkit.source import read_data

        try:
            data, _ = read_data(content, file="<document>")
        except LoadError as err:
            raise ContentError("InvalidDocumentContent", f"The content for the document is not valid: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("schemaVersion"), str):
        raise ContentError(
            "InvalidDocumentContent", "The content for the document is not valid: it needs a schemaVersion."
        )
    allowed = DOCUMENT_SCHEMA_VERSIONS.get(document_type)
    if allowed is not None and data["schemaVersion"] not in allowed:
        raise ContentError(
            "InvalidDocumentSchemaVersion",
            f"Document schema version, {data['schemaVersion']}, is not supported by the document type "
            f"{document_type}; use {' or '.join(allowed)}.",
        )
    return data


def document_name_problem(name: str) -> str | None:
    """Why CreateDocument refuses ``name`` (None: it does not)."""
    if not DOCUMENT_NAME.fullmatch(name):
        return f"Invalid document name {name}: a name has 3 to 128 letters, digits, _, - and ."
    if name.lower().startswith(RESERVED_DOCUMENT_PREFIXES):
        return f"Invalid document name {name}: names starting with aws-, amazon or amzn are reserved."
    return None


@dataclass(frozen=True)
class DocumentVersion:
    """One version of a document: its number, content as given, format, version name and creation time."""

    version: int
    content: str
    format: str
    created: datetime
    version_name: str | None = None

    @property
    def hash(self) -> str:
        """DescribeDocument's Hash: the SHA-256 of the content."""
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "DocumentVersion": str(self.version),
            "VersionName": self.version_name,
            "DocumentFormat": self.format,
            "Content": self.content,
            "CreatedDate": timestamp_text(self.created),
        }


@dataclass(eq=True)
class Document(Record):
    """A document of one region and its versions (oldest first)."""

    name: str
    region: str
    document_type: str
    versions: tuple[DocumentVersion, ...]
    default_version: int = 1
    target_type: str | None = None
    display_name: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> DocumentVersion:
        return self.versions[-1]

    def version(self, number: int) -> DocumentVersion | None:
        for version in self.versions:
            if version.version == number:
                return version
        return None

    def named(self, version_name: str) -> DocumentVersion | None:
        for version in self.versions:
            if version.version_name == version_name:
                return version
        return None

    def find(self, document_version: str | None, version_name: str | None) -> DocumentVersion | None:
        """The version a request names: DocumentVersion (``$LATEST``, ``$DEFAULT`` or a number) and/or
        VersionName, both naming the same version when both are given; neither: the default version."""
        by_name = None if version_name is None else self.named(version_name)
        by_number: DocumentVersion | None
        if document_version is None:
            return self.version(self.default_version) if version_name is None else by_name
        if document_version == "$LATEST":
            by_number = self.latest
        elif document_version == "$DEFAULT":
            by_number = self.version(self.default_version)
        elif document_version.isdigit():
            by_number = self.version(int(document_version))
        else:
            return None
        if version_name is not None and by_name is not by_number:
            return None
        return by_number

    @classmethod
    def read(cls, fields: Fields, region: str) -> Document:
        """A document of the world file: Name, DocumentType, Versions (or one version's fields inline)."""
        name = fields.required_text("Name")
        problem = document_name_problem(name)
        if problem is not None:
            raise fields.fail("Name", problem.removeprefix(f"Invalid document name {name}: "))
        document_type = fields.text("DocumentType", "Command")
        if document_type not in DOCUMENT_TYPES:
            raise fields.fail("DocumentType", f"must be one of {', '.join(DOCUMENT_TYPES)}")
        inline = [key for key in DOCUMENT_VERSION_KEYS if key in fields.data]
        if fields.data.get("Versions") is not None:
            if inline:
                raise fields.fail(inline[0], "cannot be given with Versions (give the version's fields in Versions)")
            versions = tuple(
                _read_version(item, document_type) for item in fields.items("Versions", DOCUMENT_VERSION_KEYS)
            )
        else:
            versions = (_read_version(fields, document_type, default_version=1),)
        numbers = [version.version for version in versions]
        if not versions or numbers != sorted(set(numbers)) or len(versions) > MAX_DOCUMENT_VERSIONS:
            raise fields.fail("Versions", f"must list 1 to {MAX_DOCUMENT_VERSIONS} versions oldest first, each once")
        named = [version.version_name for version in versions if version.version_name is not None]
        if len(named) != len(set(named)):
            raise fields.fail("Versions", "gives two versions the same VersionName")
        default = fields.data.get("DefaultVersion", "1")
        if not isinstance(default, str) or not default.isdigit() or int(default) not in numbers:
            raise fields.fail("DefaultVersion", "must be the number (as text) of one of the versions")
        tags = fields.string_map("Tags")
        if any(value is None for value in tags.values()):
            raise fields.fail("Tags", "must map each key to a text value")
        return cls(
            name=name,
            region=fields.text("Region", region),
            document_type=document_type,
            versions=versions,
            default_version=int(default),
            target_type=fields.optional_text("TargetType"),
            display_name=fields.optional_text("DisplayName"),
            tags={key: str(value) for key, value in tags.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "DocumentType": self.document_type,
            "TargetType": self.target_type,
            "DisplayName": self.display_name,
            "DefaultVersion": str(self.default_version),
            "Tags": dict(self.tags),
            "Versions": [version.to_dict() for version in self.versions],
        }


def _read_version(fields: Fields, document_type: str, default_version: int | None = None) -> DocumentVersion:
    number = fields.data.get("DocumentVersion", None if default_version is None else str(default_version))
    if not isinstance(number, str) or not number.isdigit() or int(number) < 1:
        raise fields.fail("DocumentVersion", "must be a version number as text, such as '1'")
    document_format = fields.text("DocumentFormat", "JSON")
    if document_format not in DOCUMENT_FORMATS:
        raise fields.fail("DocumentFormat", f"must be one of {', '.join(DOCUMENT_FORMATS)}")
    content = fields.data.get("Content")
    if isinstance(content, dict) and document_format == "JSON":
        content = json.dumps(content, indent=2)
    if not isinstance(content, str) or not content:
        raise fields.fail("Content", "must be the document's text (or, for JSON, its mapping)")
    try:
        parse_content(content, document_format, document_type)
    except ContentError as err:
        raise fields.fail("Content", f"is not a {document_type} document in {document_format}: {err.reason}") from err
    version_name = fields.optional_text("VersionName")
    if version_name is not None and not VERSION_NAME.fullmatch(version_name):
        raise fields.fail("VersionName", "must be 1 to 128 letters, digits, _, - and .")
    return DocumentVersion(
        version=int(number),
        content=content,
        format=document_format,
        created=fields.timestamp("CreatedDate") or CREATED,
        version_name=version_name,
    )
