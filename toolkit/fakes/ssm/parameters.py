"""Parameter Store's state: parameters, each with its versions (oldest first) and their labels; the name rules and
selectors (``name:3``, ``name:label``, a parameter ARN) every operation shares; and the world file's form.

A name without a hierarchy is the same parameter with or without its leading slash (``TestParam1`` and
``/TestParam1``), so parameters are keyed by ``parameter_key`` and keep the name they were created with.

A SecureString keeps its value in the clear and the KMS key it was put with: the fake KMS has no cryptography, and
a world file must stay writable by hand. What encryption changes is modelled by the operations: the key must exist
and be enabled when the value is put and when it is read WithDecryption, and a read without decryption returns an
opaque ciphertext (``ciphertext``), deterministic so that simulations stay byte-stable.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from toolkit.fakes.errors import AwsError
from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields, timestamp_text
from toolkit.ssm.limits import (
    MAX_ADVANCED_PARAMETER_VALUE,
    MAX_LABELS_PER_PARAMETER_VERSION,
    MAX_PARAMETER_ARN_LENGTH,
    MAX_PARAMETER_HIERARCHY_LEVELS,
    MAX_PARAMETER_VERSIONS,
    MAX_STANDARD_PARAMETER_VALUE,
)
from toolkit.ssm.names import PARAMETER_LABEL, PARAMETER_STORE_NAME, RESERVED_PARAMETER_PREFIXES
from toolkit.ssm.types import DEFAULT_PARAMETER_KEY, PARAMETER_DATA_TYPES, PARAMETER_STORE_TYPES, PARAMETER_TIERS

VERSION_KEYS: Final = (
    "Version",
    "Type",
    "Value",
    "KeyId",
    "Description",
    "AllowedPattern",
    "DataType",
    "Tier",
    "Labels",
    "LastModifiedDate",
    "LastModifiedUser",
)
PARAMETER_KEYS: Final = ("Name", "Region", "Tags", "History", *VERSION_KEYS)
"""A parameter of the world file: its History, or (one version) that version's fields beside its Name."""


def parameter_key(name: str) -> str:
    """The identity of a parameter name: a name without a hierarchy is the same with or without its leading /."""
    bare = name[1:] if name.startswith("/") else name
    return name if "/" in bare else bare


def parameter_arn(partition: str, region: str, account: str, name: str) -> str:
    """``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME``; a hierarchical name's leading / is not repeated."""
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{name.removeprefix('/')}"


def name_error(name: str, partition: str, region: str, account: str) -> AwsError | None:
    """Why PutParameter refuses ``name`` (None: it does not). Messages as Parameter Store words them where known."""
    bare = name.removeprefix("/")
    if bare.lower().startswith(RESERVED_PARAMETER_PREFIXES):
        if name.lower().startswith("/aws/") and "/" in bare:
            return AwsError("AccessDeniedException", f"No access to reserved parameter name: {name}.")
        return AwsError(
            "ValidationException", 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).'
        )
    if "/" in bare and not name.startswith("/"):
        return AwsError("ValidationException", "Parameter name must be a fully qualified name.")
    if not PARAMETER_STORE_NAME.fullmatch(name):
        return AwsError(
            "ValidationException",
            'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can '
            "consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers "
            "and the following 3 symbols .-_",
        )
    if len(bare.split("/")) > MAX_PARAMETER_HIERARCHY_LEVELS:
        return AwsError(
            "HierarchyLevelLimitExceededException",
            f"A hierarchy can have a maximum of {MAX_PARAMETER_HIERARCHY_LEVELS} levels.",
        )
    if len(parameter_arn(partition, region, account, name)) > MAX_PARAMETER_ARN_LENGTH:
        return AwsError(
            "ValidationException",
            f"Parameter name: the parameter's full ARN can be at most {MAX_PARAMETER_ARN_LENGTH} characters.",
        )
    return None


def value_limit(tier: str) -> int:
    return MAX_ADVANCED_PARAMETER_VALUE if tier == "Advanced" else MAX_STANDARD_PARAMETER_VALUE


def size_error(value: str, tier: str) -> AwsError | None:
    """The ValidationException PutParameter answers for a value too long for its tier (None: it fits)."""
    if len(value) <= value_limit(tier):
        return None
    if tier == "Advanced":
        message = (
            f"Advanced tier parameters support a maximum parameter value of {MAX_ADVANCED_PARAMETER_VALUE} characters."
        )
    else:
        message = (
            f"Standard tier parameters support a maximum parameter value of {MAX_STANDARD_PARAMETER_VALUE} characters. "
            "To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more "
            "information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/"
            "parameter-store-advanced-parameters.html"
        )
    return AwsError("ValidationException", message)


def label_is_valid(label: str) -> bool:
    """Whether LabelParameterVersion attaches ``label`` (else it is listed in InvalidLabels)."""
    return bool(PARAMETER_LABEL.fullmatch(label)) and not label.lower().startswith(RESERVED_PARAMETER_PREFIXES)


def ciphertext(key: str, name: str, version: int, value: str) -> str:
    """What a SecureString read without decryption returns: opaque base64 text, the same for the same version."""
    digest = hashlib.sha256(f"{key}\0{name}\0{version}\0{value}".encode()).digest()
    return base64.b64encode(b"\x01\x02\x02\x00x" + digest + hashlib.sha256(digest).digest()).decode("ascii")


@dataclass(frozen=True)
class ParameterVersion:
    """One version of a parameter, as GetParameterHistory lists it (``labels`` move, so versions are replaced)."""

    version: int
    type: str
    value: str
    modified: datetime
    modified_by: str
    key_id: str | None = None
    description: str | None = None
    allowed_pattern: str | None = None
    data_type: str = "text"
    tier: str = "Standard"
    labels: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "Version": self.version,
            "Type": self.type,
            "Value": self.value,
            "KeyId": self.key_id,
            "Description": self.description,
            "AllowedPattern": self.allowed_pattern,
            "DataType": self.data_type,
            "Tier": self.tier,
            "Labels": list(self.labels),
            "LastModifiedDate": timestamp_text(self.modified),
            "LastModifiedUser": self.modified_by,
        }


@dataclass(eq=True)
class Parameter(Record):
    """A parameter of one region: its name as created, every version kept (oldest first), its tags."""

    name: str
    region: str
    versions: tuple[ParameterVersion, ...]
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> ParameterVersion:
        return self.versions[-1]

    def version(self, number: int) -> ParameterVersion | None:
        for version in self.versions:
            if version.version == number:
                return version
        return None

    def labelled(self, label: str) -> ParameterVersion | None:
        for version in self.versions:
            if label in version.labels:
                return version
        return None

    def select(self, selector: str | None) -> ParameterVersion | None:
        """The version ``selector`` names: None the latest, digits a version number, else a label."""
        if selector is None:
            return self.latest
        if selector.isdigit():
            return self.version(int(selector))
        return self.labelled(selector)

    def with_versions(self, versions: tuple[ParameterVersion, ...]) -> Parameter:
        changed = self.clone()
        changed.versions = versions
        return changed

    @classmethod
    def read(cls, fields: Fields, region: str, user: str) -> Parameter:
        """A parameter of the world file: Name, Region, Tags and History, or for one version its fields inline."""
        name = fields.required_text("Name")
        history = fields.data.get("History")
        inline = [key for key in VERSION_KEYS if key in fields.data]
        if history is not None and inline:
            raise fields.fail(inline[0], "cannot be given with History (give the version's fields in History)")
        versions: tuple[ParameterVersion, ...]
        if history is None:
            versions = (_read_version(fields, user, default_version=1),)
        else:
            versions = tuple(_read_version(item, user) for item in fields.items("History", VERSION_KEYS))
            if not versions:
                raise fields.fail("History", "must hold at least one version")
        numbers = [version.version for version in versions]
        if numbers != sorted(set(numbers)):
            raise fields.fail("History", "must list versions oldest first, each number once")
        if len(versions) > MAX_PARAMETER_VERSIONS:
            raise fields.fail("History", f"keeps at most {MAX_PARAMETER_VERSIONS} versions")
        labels = [label for version in versions for label in version.labels]
        if len(labels) != len(set(labels)):
            raise fields.fail("History", "attaches a label to two versions")
        tags = fields.string_map("Tags")
        return cls(name=name, region=fields.text("Region", region), versions=versions, tags=_text_tags(fields, tags))

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "Tags": dict(self.tags),
            "History": [version.to_dict() for version in self.versions],
        }


def _read_version(fields: Fields, user: str, default_version: int | None = None) -> ParameterVersion:
    number = fields.data.get("Version", default_version)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise fields.fail("Version", "must be a version number (1 or more)")
    kind = fields.text("Type", "String")
    if kind not in PARAMETER_STORE_TYPES:
        raise fields.fail("Type", f"must be one of {', '.join(PARAMETER_STORE_TYPES)}")
    value = fields.required_text("Value")
    tier = fields.text("Tier", "Standard")
    if tier not in PARAMETER_TIERS[:2]:
        raise fields.fail("Tier", "must be Standard or Advanced (the tier a value was stored in)")
    if len(value) > value_limit(tier):
        raise fields.fail("Value", f"is longer than a {tier} parameter's {value_limit(tier)} characters")
    key_id = fields.optional_text("KeyId")
    if kind == "SecureString":
        key_id = key_id or DEFAULT_PARAMETER_KEY
    elif key_id is not None:
        raise fields.fail("KeyId", "is only for a SecureString")
    data_type = fields.text("DataType", "text")
    if data_type not in PARAMETER_DATA_TYPES:
        raise fields.fail("DataType", f"must be one of {', '.join(PARAMETER_DATA_TYPES)}")
    labels = fields.strings("Labels")
    if len(labels) > MAX_LABELS_PER_PARAMETER_VERSION or not all(label_is_valid(label) for label in labels):
        raise fields.fail("Labels", f"must be at most {MAX_LABELS_PER_PARAMETER_VERSION} valid labels")
    return ParameterVersion(
        version=number,
        type=kind,
        value=value,
        modified=fields.timestamp("LastModifiedDate") or CREATED,
        modified_by=fields.text("LastModifiedUser", user),
        key_id=key_id,
        description=fields.optional_text("Description"),
        allowed_pattern=fields.optional_text("AllowedPattern"),
        data_type=data_type,
        tier=tier,
        labels=labels,
    )


def _text_tags(fields: Fields, tags: dict[str, str | None]) -> dict[str, str]:
    if any(value is None for value in tags.values()):
        raise fields.fail("Tags", "must map each key to a text value")
    return {key: str(value) for key, value in tags.items()}


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(tags.items())]
