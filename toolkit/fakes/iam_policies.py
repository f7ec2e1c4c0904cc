"""Fake IAM managed policies: the account's customer managed policies (with their versions and tags), and the AWS
managed policies the fake knows (``AWS_MANAGED``, documents vendored in ``aws_managed_policies/``).

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.iam``. Which roles,
users and groups a policy is attached to is kept on them (``toolkit.fakes.iam``), not here.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.worldfile import Fields, timestamp_text
from toolkit.iam.policy import Policy
from toolkit.records import MutableRecord
from toolkit.records import Record as FrozenRecord

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

POLICY_KEYS = (
    "Name",
    "Path",
    "Description",
    "Document",
    "DefaultVersionId",
    "Versions",
    "NextVersionId",
    "Tags",
    "CreateDate",
    "UpdateDate",
)
VERSION_KEYS = ("VersionId", "Document", "CreateDate")
NAME = re.compile(r"[A-Za-z0-9_+=,.@-]+")
"""IAM's name pattern (``[\\w+=,.@-]+``, where Java's ``\\w`` is ASCII only)."""
PATH = re.compile(r"/|/[\x21-\x7e]+/")
POLICY_PATH = re.compile(r"(?:/[A-Za-z0-9.,+@=_-]+)*/")
VERSION_ID = re.compile(r"v([1-9][0-9]*)")
POLICY_ARN = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}|aws):policy(/(?:[\x21-\x7e]*/)?)([A-Za-z0-9_+=,.@-]+)")
MAX_VERSIONS = 5
"""A managed policy keeps at most five versions (IAM quotas)."""

AWS_MANAGED_FOLDER = "aws_managed_policies"
"""The folder of this package holding the AWS managed policies' documents (package data)."""


def aws_managed_folder() -> Traversable:
    """The AWS managed policies' documents, as a resource of the installed package (``<name>.json`` each)."""
    from importlib.resources import files  # lazy: importlib.resources costs ~30 ms; only a managed policy reads it

    return files("toolkit.fakes") / AWS_MANAGED_FOLDER


class AwsManaged(NamedTuple):
    """An AWS managed policy the fake knows: where it sits and which version is current (its document is read from
    ``aws_managed_policies/<name>.json`` when asked for)."""

    path: str
    default_version_id: str
    create_date: str
    update_date: str


AWS_MANAGED: dict[str, AwsManaged] = {
    "AdministratorAccess": AwsManaged("/", "v1", "2015-02-06T18:39:46+00:00", "2015-02-06T18:39:46+00:00"),
    "PowerUserAccess": AwsManaged("/", "v12", "2015-02-06T18:39:47+00:00", "2026-02-12T17:59:14+00:00"),
    "ReadOnlyAccess": AwsManaged("/", "v191", "2015-02-06T18:39:48+00:00", "2026-10-30T17:27:08+00:00"),
    "SecurityAudit": AwsManaged("/", "v94", "2015-02-06T18:41:01+00:00", "2026-09-30T20:27:08+00:00"),
    "IAMFullAccess": AwsManaged("/", "v2", "2015-02-06T18:40:38+00:00", "2019-06-21T19:40:00+00:00"),
    "IAMReadOnlyAccess": AwsManaged("/", "v4", "2015-02-06T18:40:39+00:00", "2018-01-25T19:11:27+00:00"),
    "AmazonSSMManagedInstanceCore": AwsManaged("/", "v2", "2019-03-15T17:22:12+00:00", "2019-05-23T16:54:21+00:00"),
    "AmazonSSMAutomationRole": AwsManaged(
        "/service-role/", "v9", "2016-12-05T22:09:55+00:00", "2026-03-20T17:42:14+00:00"
    ),
    "AmazonSSMFullAccess": AwsManaged("/", "v4", "2015-05-29T17:39:47+00:00", "2019-11-20T20:08:56+00:00"),
    "AmazonSSMReadOnlyAccess": AwsManaged("/", "v1", "2015-05-29T17:44:19+00:00", "2015-05-29T17:44:19+00:00"),
    "AmazonEC2RoleforSSM": AwsManaged("/service-role/", "v8", "2015-05-29T17:48:35+00:00", "2019-01-24T19:20:51+00:00"),
    "AWS_ConfigRole": AwsManaged("/service-role/", "v74", "2020-09-15T20:30:30+00:00", "2026-10-28T21:57:07+00:00"),
    "AWSConfigRulesExecutionRole": AwsManaged(
        "/service-role/", "v3", "2016-03-25T17:59:36+00:00", "2019-05-13T21:33:30+00:00"
    ),
    "AWSCloudTrail_FullAccess": AwsManaged("/", "v3", "2020-10-08T23:41:15+00:00", "2021-02-22T19:01:00+00:00"),
    "AWSCloudTrail_ReadOnlyAccess": AwsManaged("/", "v1", "2022-06-14T17:19:05+00:00", "2022-06-14T17:19:05+00:00"),
    "AmazonS3FullAccess": AwsManaged("/", "v2", "2015-02-06T18:40:58+00:00", "2021-09-27T20:16:37+00:00"),
    "AmazonS3ReadOnlyAccess": AwsManaged("/", "v3", "2015-02-06T18:40:59+00:00", "2023-08-10T21:31:39+00:00"),
    "CloudWatchAgentServerPolicy": AwsManaged("/", "v3", "2018-03-07T01:06:44+00:00", "2024-02-06T16:37:37+00:00"),
    "CloudWatchLogsFullAccess": AwsManaged("/", "v8", "2015-02-06T18:40:02+00:00", "2026-02-12T18:00:33+00:00"),
    "AWSLambdaBasicExecutionRole": AwsManaged(
        "/service-role/", "v1", "2015-04-09T15:03:43+00:00", "2015-04-09T15:03:43+00:00"
    ),
    "AWSLambdaExecute": AwsManaged("/", "v1", "2015-02-06T18:40:46+00:00", "2015-02-06T18:40:46+00:00"),
    "AmazonEC2FullAccess": AwsManaged("/", "v5", "2015-02-06T18:40:15+00:00", "2018-11-27T02:16:56+00:00"),
    "AWSCloudFormationReadOnlyAccess": AwsManaged("/", "v7", "2015-02-06T18:39:49+00:00", "2026-02-12T18:02:00+00:00"),
    "CloudFormationStackSetsOrgAdminServiceRolePolicy": AwsManaged(
        "/aws-service-role/", "v1", "2019-12-10T00:20:05+00:00", "2019-12-10T00:20:05+00:00"
    ),
    "CloudFormationStackSetsOrgMemberServiceRolePolicy": AwsManaged(
        "/aws-service-role/", "v2", "2019-12-09T23:52:37+00:00", "2026-07-22T20:12:14+00:00"
    ),
}
"""The AWS managed policies the fake knows, by name (see ``aws_managed_policies/README.md``)."""


def aws_managed_document(name: str) -> Policy:
    """The default version's document of a known AWS managed policy, read from its file (a fresh Policy each call:
    whoever evaluates often keeps it)."""
    on_disk = Path(__file__).with_name(AWS_MANAGED_FOLDER) / f"{name}.json"  # an installed package's own file
    found = on_disk if on_disk.is_file() else aws_managed_folder() / f"{name}.json"  # else (a zip) as a resource
    data = json.loads(found.read_text(encoding="utf-8"))
    return Policy(data["Document"])


class PolicyArn(NamedTuple):
    """A managed policy's ARN, read: ``owner`` is an account id or ``aws`` (an AWS managed policy)."""

    partition: str
    owner: str
    path: str
    name: str


def parse_policy_arn(arn: str) -> PolicyArn | None:
    match = POLICY_ARN.fullmatch(arn)
    return None if match is None else PolicyArn(*match.groups())


def policy_arn(partition: str, owner: str, path: str, name: str) -> str:
    return f"arn:{partition}:iam::{owner}:policy{path}{name}"


def derived_id(prefix: str, text: str) -> str:
    """A stable IAM unique id in AWS's form: the four-letter prefix (AROA, AIDA, AGPA, ANPA, AIPA) and 17 characters."""
    import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only an IAM id needs it

    return prefix + hashlib.sha256(text.encode()).hexdigest().upper()[:17]


class PolicyVersion(FrozenRecord):
    """One version of a managed policy (never changed: a new default is a new flag on the policy, not here). A frozen
    record (``toolkit.records``; once a frozen dataclass)."""

    __slots__ = ("create_date", "document", "version_id")
    _FIELDS = ("version_id", "document", "create_date")
    version_id: str
    document: Policy
    create_date: datetime

    def __init__(self, version_id: str, document: Policy, create_date: datetime = CREATED) -> None:
        object.__setattr__(self, "version_id", version_id)
        object.__setattr__(self, "document", document)
        object.__setattr__(self, "create_date", create_date)

    def to_dict(self) -> dict[str, Any]:
        return {
            "VersionId": self.version_id,
            "Document": self.document.to_json(),
            "CreateDate": timestamp_text(self.create_date),
        }


class ManagedPolicy(Record, MutableRecord):
    """A customer managed policy of the account: its versions (one is the default), description, path and tags. A
    mutable record compared by its fields (``toolkit.records``; once an ``@dataclass(eq=True)``): ``tags`` left out
    is a fresh empty dict."""

    _FIELDS = (
        "name",
        "versions",
        "default_version_id",
        "next_version",
        "path",
        "description",
        "tags",
        "create_date",
        "update_date",
    )
    name: str
    versions: tuple[PolicyVersion, ...]
    default_version_id: str
    next_version: int
    path: str
    description: str | None
    tags: dict[str, str]
    create_date: datetime
    update_date: datetime

    def __init__(
        self,
        name: str,
        versions: tuple[PolicyVersion, ...],
        default_version_id: str = "v1",
        next_version: int = 2,
        path: str = "/",
        description: str | None = None,
        tags: dict[str, str] | None = None,
        create_date: datetime = CREATED,
        update_date: datetime = CREATED,
    ) -> None:
        self.name = name
        self.versions = versions
        self.default_version_id = default_version_id
        self.next_version = next_version
        self.path = path
        self.description = description
        self.tags = {} if tags is None else tags
        self.create_date = create_date
        self.update_date = update_date

    def arn(self, partition: str, account: str) -> str:
        return policy_arn(partition, account, self.path, self.name)

    def policy_id(self) -> str:
        return derived_id("ANPA", self.name)

    def version(self, version_id: str) -> PolicyVersion | None:
        return next((version for version in self.versions if version.version_id == version_id), None)

    @property
    def document(self) -> Policy:
        """The default version's document: what the policy grants."""
        default = self.version(self.default_version_id)
        assert default is not None, "a managed policy always has its default version"
        return default.document

    @classmethod
    def read(cls, fields: Fields) -> ManagedPolicy:
        name = fields.required_text("Name")
        if not (NAME.fullmatch(name) and len(name) <= 128):
            raise fields.fail("Name", "must be 1-128 letters, digits or the characters + = , . @ _ -")
        path = fields.text("Path", "/")
        if not (POLICY_PATH.fullmatch(path) and len(path) <= 512):
            raise fields.fail("Path", "must be / or /a/path/ (letters, digits and . , + @ = _ -)")
        created = fields.timestamp("CreateDate") or CREATED
        versions = _read_versions(fields, created)
        default = fields.optional_text("DefaultVersionId")
        if default is None:
            if len(versions) > 1:
                raise fields.fail("DefaultVersionId", "is required when a policy has several Versions")
            default = versions[0].version_id
        chosen = next((version for version in versions if version.version_id == default), None)
        if chosen is None:
            raise fields.fail("DefaultVersionId", f"names {default}, which is not one of the policy's Versions")
        document = fields.policy("Document")
        if document is not None and document != chosen.document:
            raise fields.fail("Document", f"differs from the default version {default}'s document")
        highest = max(_version_number(version.version_id) for version in versions)
        next_id = fields.text("NextVersionId", f"v{highest + 1}")
        number = VERSION_ID.fullmatch(next_id)
        if number is None or int(number.group(1)) <= highest:
            raise fields.fail("NextVersionId", f"must be a version id (v<n>) after every version (v{highest} or more)")
        return cls(
            name=name,
            versions=versions,
            default_version_id=default,
            next_version=int(number.group(1)),
            path=path,
            description=fields.optional_text("Description"),
            tags=read_tags(fields),
            create_date=created,
            update_date=fields.timestamp("UpdateDate") or max(version.create_date for version in versions),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Path": self.path,
            "Description": self.description,
            "Document": self.document.to_json(),
            "DefaultVersionId": self.default_version_id,
            "Versions": [version.to_dict() for version in self.versions],
            "NextVersionId": f"v{self.next_version}",
            "Tags": dict(self.tags),
            "CreateDate": timestamp_text(self.create_date),
            "UpdateDate": timestamp_text(self.update_date),
        }


def _version_number(version_id: str) -> int:
    match = VERSION_ID.fullmatch(version_id)
    return int(match.group(1)) if match else 0


def _read_versions(fields: Fields, created: datetime) -> tuple[PolicyVersion, ...]:
    if fields.data.get("Versions") is None:
        document = fields.policy("Document")
        if document is None:
            raise fields.fail("Document", "is required (or Versions)")
        return (PolicyVersion(fields.text("DefaultVersionId", "v1"), document, created),)
    versions: list[PolicyVersion] = []
    for item in fields.items("Versions", VERSION_KEYS):
        version_id = item.required_text("VersionId")
        if not VERSION_ID.fullmatch(version_id):
            raise item.fail("VersionId", "must be v and a number, such as v1")
        if any(version.version_id == version_id for version in versions):
            raise item.fail("VersionId", "repeats an earlier version")
        document = item.policy("Document")
        if document is None:
            raise item.fail("Document", "is required")
        versions.append(PolicyVersion(version_id, document, item.timestamp("CreateDate") or created))
    if not versions:
        raise fields.fail("Versions", "must hold at least one version")
    if len(versions) > MAX_VERSIONS:
        raise fields.fail("Versions", f"holds more than {MAX_VERSIONS} versions (IAM's quota)")
    return tuple(versions)


MAX_TAGS = 50
TAG_KEY = re.compile(r"[\w\s.:/=+\-@]{1,128}")
"""IAM's tag key pattern ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`` (letters, separators and numbers of any script)."""


def read_tags(fields: Fields) -> dict[str, str]:
    """A ``Tags`` mapping of the world file: at most 50, keys unique whatever their case, as IAM requires."""
    tags = {key: value or "" for key, value in fields.string_map("Tags").items()}
    if len(tags) > MAX_TAGS:
        raise fields.fail("Tags", f"has more than {MAX_TAGS} tags")
    seen: set[str] = set()
    for key, value in tags.items():
        if not TAG_KEY.fullmatch(key) or len(value) > 256:
            raise fields.fail("Tags", f"has the tag {key!r}, which IAM does not accept")
        if key.lower() in seen:
            raise fields.fail("Tags", f"repeats the key {key!r} (IAM's tag keys are case-insensitive)")
        seen.add(key.lower())
    return tags


def unique_name(fields: Fields, name: str, table: dict[str, Any]) -> None:
    """IAM names are unique whatever their case: a repeat is an error of the world file."""
    folded = name.lower()
    if any(other.lower() == folded for other in table):
        raise fields.fail("Name", "repeats an earlier entry (IAM names are case-insensitive)")
