"""Fake Amazon S3: buckets (one global namespace, each in a region) with their configurations and their objects.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.s3``; what S3
accepts as a configuration is checked in ``toolkit.fakes.s3_rules`` and ``toolkit.fakes.s3_access``, for requests
and world files alike.

A bucket's world-file entry (``Buckets[]``): ``Name``, ``Region``, ``Policy`` as before, and, all optional:
``CreationDate`` (null: when the account's resources were made, 2025-01-01), ``Versioning`` (as
GetBucketVersioning returns it; ``{}``: never versioned), ``Encryption`` (a ServerSideEncryptionConfiguration;
null: S3's default, SSE-S3), ``PublicAccessBlock`` (a PublicAccessBlockConfiguration; null: none), ``Acl``
(``{Grants: [...]}``; null: private, the owner's FULL_CONTROL), ``OwnershipControls`` (null: none, ACLs enabled
as ObjectWriter), ``Logging`` (a LoggingEnabled; null: off), ``Lifecycle`` (``{Rules, TransitionDefaultMinimum
ObjectSize}``; null: none), ``Tags`` (a mapping; ``{}``: none), ``Notifications`` (a NotificationConfiguration;
``{}``: none), ``ObjectLock`` (an ObjectLockConfiguration; null: Object Lock off) and ``Objects``. A bucket
CreateBucket makes gets S3's defaults since 2023 instead: every public access blocked, BucketOwnerEnforced.

``Objects`` lists every version of every object, each key's versions oldest first (the last one is current; an
unversioned bucket has one per key). A version: ``Key``; its bytes as ``Body`` (text, when they are UTF-8 of
printable characters, tabs and line breaks) or else ``BodyBase64`` (base64); ``ContentType``, ``LastModified``,
``Metadata``, ``StorageClass``, ``ServerSideEncryption``, ``SSEKMSKeyId``, ``BucketKeyEnabled``, ``VersionId``
(null: the null version), ``DeleteMarker`` (true: a delete marker, without a body), ``Tags``, ``CacheControl``,
``ContentDisposition``, ``ContentEncoding``, ``ContentLanguage``, ``Expires`` and ``WebsiteRedirectLocation``,
named as PutObject and ListObjectVersions name them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from toolkit.fakes.errors import AwsError
from toolkit.fakes.record import CREATED, Record
from toolkit.fakes.requests import copy_json
from toolkit.fakes.s3_access import (
    grants,
    logging_enabled,
    ownership_controls,
    public_access_block,
)
from toolkit.fakes.s3_rules import (
    STORAGE_CLASSES,
    encryption,
    lifecycle,
    notifications,
    object_lock,
    problem,
    tag_set,
    versioning,
)
from toolkit.fakes.worldfile import Fields, policy_json, timestamp_text
from toolkit.iam.policy import Policy
from toolkit.records import MutableRecord

BUCKET_KEYS = (
    "Name", "Region", "Policy", "CreationDate", "Versioning", "Encryption", "PublicAccessBlock", "Acl",
    "OwnershipControls", "Logging", "Lifecycle", "Tags", "Notifications", "ObjectLock", "Objects",
)  # fmt: skip
OBJECT_HEADERS = ("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "WebsiteRedirectLocation")
"""PutObject's plain text headers an object keeps and GetObject returns."""
OBJECT_KEYS = (
    "Key", "Body", "BodyBase64", "ContentType", "LastModified", "Metadata", "StorageClass", "ServerSideEncryption",
    "SSEKMSKeyId", "BucketKeyEnabled", "VersionId", "DeleteMarker", "Tags", *OBJECT_HEADERS[:4], "Expires",
    OBJECT_HEADERS[4],
)  # fmt: skip
BUCKET_NAME = re.compile(r"(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
"""The bucket names a world file may hold (CreateBucket checks the full rules: ``s3_rules.valid_bucket_name``)."""
OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
"""The canonical user id ListBuckets reports as the owner (AWS's documentation example)."""
DEFAULT_CONTENT_TYPE = "binary/octet-stream"
"""The Content-Type S3 gives an object put without one."""

T = TypeVar("T")


def etag_of(body: bytes) -> str:
    """A single-part upload's ETag: the body's MD5 in hex, in double quotes."""
    import hashlib  # lazy: hashlib loads OpenSSL (~5 ms); only an object's ETag needs it

    return f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'


def _readable(body: bytes) -> str | None:
    """The body as text when a world file can hold it exactly as text (UTF-8; printable, tabs and line breaks)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(char.isprintable() or char in "\n\r\t" for char in text) else None


def _checked(fields: Fields, key: str, rule: Callable[[Any], T]) -> T | None:
    """A configuration of the world file checked as S3 checks the request that sets it (None when absent)."""
    value = fields.data.get(key)
    if value is None:
        return None
    try:
        return rule(value)
    except AwsError as err:
        raise fields.fail(key, f"is not valid: {problem(err)}") from err


def _tags(fields: Fields, key: str, limit: int, what: str) -> dict[str, str]:
    value = fields.data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise fields.fail(key, "must be a mapping of strings")
    try:
        return tag_set([(str(name), item) for name, item in value.items()], limit=limit, what=what)
    except AwsError as err:
        raise fields.fail(key, f"is not valid: {err.message}") from err


class S3Object(Record, MutableRecord):
    """One version of an object: its bytes and what PutObject stored with them, or a delete marker."""

    _FIELDS = (
        "key",
        "body",
        "last_modified",
        "content_type",
        "metadata",
        "storage_class",
        "server_side_encryption",
        "sse_kms_key_id",
        "bucket_key_enabled",
        "version_id",
        "delete_marker",
        "tags",
        "headers",
        "expires",
    )
    key: str
    body: bytes
    last_modified: datetime
    content_type: str
    metadata: dict[str, str]
    storage_class: str
    server_side_encryption: str
    sse_kms_key_id: str | None
    bucket_key_enabled: bool
    version_id: str | None
    delete_marker: bool
    tags: dict[str, str]
    headers: dict[str, str]
    expires: datetime | None

    def __init__(
        self,
        key: str,
        body: bytes,
        last_modified: datetime = CREATED,
        content_type: str = DEFAULT_CONTENT_TYPE,
        metadata: dict[str, str] | None = None,
        storage_class: str = "STANDARD",
        server_side_encryption: str = "AES256",
        sse_kms_key_id: str | None = None,
        bucket_key_enabled: bool = False,
        version_id: str | None = None,
        delete_marker: bool = False,
        tags: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        expires: datetime | None = None,
    ) -> None:
        self.key = key
        self.body = body
        self.last_modified = last_modified
        self.content_type = content_type
        self.metadata = {} if metadata is None else metadata
        self.storage_class = storage_class
        self.server_side_encryption = server_side_encryption
        self.sse_kms_key_id = sse_kms_key_id
        self.bucket_key_enabled = bucket_key_enabled
        self.version_id = version_id
        self.delete_marker = delete_marker
        self.tags = {} if tags is None else tags
        self.headers = {} if headers is None else headers
        self.expires = expires

    @property
    def etag(self) -> str:
        return etag_of(self.body)

    @classmethod
    def read(cls, fields: Fields) -> S3Object:
        key = fields.required_text("Key")
        if len(key.encode("utf-8")) > 1024:
            raise fields.fail("Key", "is longer than 1024 bytes")
        text, encoded = fields.optional_text("Body"), fields.optional_text("BodyBase64")
        if text is not None and encoded is not None:
            raise fields.fail("BodyBase64", "cannot be given with Body: an object has one body")
        try:
            body = base64.b64decode(encoded, validate=True) if encoded is not None else (text or "").encode("utf-8")
        except binascii.Error as err:
            raise fields.fail("BodyBase64", "must be base64") from err
        if body and fields.flag("DeleteMarker", False):
            raise fields.fail("Body", "cannot be given for a delete marker")
        storage_class = fields.text("StorageClass", "STANDARD")
        if storage_class not in STORAGE_CLASSES:
            raise fields.fail("StorageClass", f"must be one of {', '.join(sorted(STORAGE_CLASSES))}")
        metadata = fields.string_map("Metadata")
        return cls(
            key=key,
            body=body,
            last_modified=fields.timestamp("LastModified") or CREATED,
            content_type=fields.text("ContentType", DEFAULT_CONTENT_TYPE),
            metadata={name: value or "" for name, value in metadata.items()},
            storage_class=storage_class,
            server_side_encryption=fields.text("ServerSideEncryption", "AES256"),
            sse_kms_key_id=fields.optional_text("SSEKMSKeyId"),
            bucket_key_enabled=fields.flag("BucketKeyEnabled", False),
            version_id=fields.optional_text("VersionId"),
            delete_marker=fields.flag("DeleteMarker", False),
            tags=_tags(fields, "Tags", 10, "Object"),
            headers={name: value for name in OBJECT_HEADERS if (value := fields.optional_text(name)) is not None},
            expires=fields.timestamp("Expires"),
        )

    def to_dict(self) -> dict[str, Any]:
        text = _readable(self.body)
        return {
            "Key": self.key,
            "Body": text,
            "BodyBase64": None if text is not None else base64.b64encode(self.body).decode("ascii"),
            "ContentType": self.content_type,
            "LastModified": timestamp_text(self.last_modified),
            "Metadata": dict(self.metadata),
            "StorageClass": self.storage_class,
            "ServerSideEncryption": self.server_side_encryption,
            "SSEKMSKeyId": self.sse_kms_key_id,
            "BucketKeyEnabled": self.bucket_key_enabled,
            "VersionId": self.version_id,
            "DeleteMarker": self.delete_marker,
            "Tags": dict(self.tags),
            **{name: self.headers.get(name) for name in OBJECT_HEADERS[:4]},
            "Expires": timestamp_text(self.expires),
            "WebsiteRedirectLocation": self.headers.get("WebsiteRedirectLocation"),
        }


class Bucket(Record, MutableRecord):
    """A bucket: where it is, its configurations (each as S3 returns it, None where it has none) and its objects.

    Like every record it is never changed in place: nor are its dicts (an operation gives the clone new ones)."""

    _FIELDS = (
        "name",
        "region",
        "policy",
        "creation_date",
        "versioning",
        "encryption",
        "public_access_block",
        "acl",
        "ownership_controls",
        "logging",
        "lifecycle",
        "tags",
        "notifications",
        "object_lock",
        "objects",
    )
    name: str
    region: str
    policy: Policy | None
    creation_date: datetime | None
    versioning: dict[str, str]
    encryption: dict[str, Any] | None
    public_access_block: dict[str, bool] | None
    acl: list[dict[str, Any]] | None
    ownership_controls: dict[str, Any] | None
    logging: dict[str, Any] | None
    lifecycle: dict[str, Any] | None
    tags: dict[str, str]
    notifications: dict[str, Any]
    object_lock: dict[str, Any] | None
    objects: dict[str, tuple[S3Object, ...]]
    """Each key's versions, oldest first: the last is the current version (or a delete marker)."""

    def __init__(
        self,
        name: str,
        region: str,
        policy: Policy | None = None,
        creation_date: datetime | None = None,
        versioning: dict[str, str] | None = None,
        encryption: dict[str, Any] | None = None,
        public_access_block: dict[str, bool] | None = None,
        acl: list[dict[str, Any]] | None = None,
        ownership_controls: dict[str, Any] | None = None,
        logging: dict[str, Any] | None = None,
        lifecycle: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
        notifications: dict[str, Any] | None = None,
        object_lock: dict[str, Any] | None = None,
        objects: dict[str, tuple[S3Object, ...]] | None = None,
    ) -> None:
        self.name = name
        self.region = region
        self.policy = policy
        self.creation_date = creation_date
        self.versioning = {} if versioning is None else versioning
        self.encryption = encryption
        self.public_access_block = public_access_block
        self.acl = acl
        self.ownership_controls = ownership_controls
        self.logging = logging
        self.lifecycle = lifecycle
        self.tags = {} if tags is None else tags
        self.notifications = {} if notifications is None else notifications
        self.object_lock = object_lock
        self.objects = {} if objects is None else objects

    @classmethod
    def read(cls, fields: Fields, region: str) -> Bucket:
        name = fields.required_text("Name")
        if not BUCKET_NAME.fullmatch(name):
            raise fields.fail("Name", "must be a bucket name: 3-63 lower-case letters, digits, dots and hyphens")
        objects: dict[str, tuple[S3Object, ...]] = {}
        for item in fields.items("Objects", OBJECT_KEYS):
            entry = S3Object.read(item)
            versions = objects.get(entry.key, ())
            if any(version.version_id == entry.version_id for version in versions):
                raise item.fail("VersionId", f"repeats a version of {entry.key} listed before")
            objects[entry.key] = (*versions, entry)
        acl = fields.section("Acl", ("Grants",))
        return cls(
            name=name,
            region=fields.text("Region", region),
            policy=fields.policy("Policy"),
            creation_date=fields.timestamp("CreationDate"),
            versioning=_checked(fields, "Versioning", versioning) or {},
            encryption=_checked(fields, "Encryption", encryption),
            public_access_block=_checked(fields, "PublicAccessBlock", public_access_block),
            acl=None if acl is None else _checked(acl, "Grants", grants) or [],
            ownership_controls=_checked(fields, "OwnershipControls", ownership_controls),
            logging=_checked(fields, "Logging", logging_enabled),
            lifecycle=_checked(fields, "Lifecycle", lambda value: lifecycle(value, name)),
            tags=_tags(fields, "Tags", 50, "Bucket"),
            notifications=_checked(fields, "Notifications", lambda value: notifications(value, name)) or {},
            object_lock=_checked(fields, "ObjectLock", object_lock),
            objects=objects,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Region": self.region,
            "Policy": policy_json(self.policy),
            "CreationDate": timestamp_text(self.creation_date),
            "Versioning": dict(self.versioning),
            "Encryption": copy_json(self.encryption),
            "PublicAccessBlock": copy_json(self.public_access_block),
            "Acl": None if self.acl is None else {"Grants": copy_json(self.acl)},
            "OwnershipControls": copy_json(self.ownership_controls),
            "Logging": copy_json(self.logging),
            "Lifecycle": copy_json(self.lifecycle),
            "Tags": dict(self.tags),
            "Notifications": copy_json(self.notifications),
            "ObjectLock": copy_json(self.object_lock),
            "Objects": [version.to_dict() for key in sorted(self.objects, key=_utf8) for version in self.objects[key]],
        }

    def arn(self, partition: str) -> str:
        return f"arn:{partition}:s3:::{self.name}"

    @property
    def created(self) -> datetime:
        return self.creation_date or CREATED

    def current(self, key: str) -> S3Object | None:
        """The object's current version, None when there is none or it is a delete marker."""
        versions = self.objects.get(key)
        return versions[-1] if versions and not versions[-1].delete_marker else None


def _utf8(key: str) -> bytes:
    """S3's order of keys: their UTF-8 bytes."""
    return key.encode("utf-8")
