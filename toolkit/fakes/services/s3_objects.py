"""The fake S3's objects: PutObject, GetObject, HeadObject and DeleteObject, on small objects kept whole in the
world (every version of them in a versioned bucket, see ``toolkit.fakes.s3``); ListObjectsV2 is in ``s3_listing``.

A request's ``Body`` may be bytes, a file, or text, read as base64: the simulator hands a script's bytes and
files over as base64 text (``toolkit.simulate.boto_shapes.to_json_like``; botocore has already turned a text
body into a file by then). GetObject answers ``Body`` as bytes, which botocore's parser would give as a
StreamingBody: a caller that needs ``.read()`` must wrap them. Errors as boto3 reports them: NoSuchKey (404)
from GetObject, ``404`` from HeadObject (a HEAD has no body), NoSuchVersion, PreconditionFailed (``412`` for a
HEAD), ``304`` (not modified), InvalidRange (416), InvalidObjectState (an archived object, 403),
AccessControlListNotSupported (an ACL other than bucket-owner-full-control on a bucket with ACLs disabled).

What S3 does and the fake does not: SSE-C, an object's own retention or legal hold, appends (WriteOffsetBytes),
parts, and conditional deletes on size or time raise NotModeled; an object's ACL is checked but not kept (it
decides nothing once written); a KMS key is kept as the request names it (S3 reports the key's ARN); checksums
other than Content-MD5 are neither checked nor returned.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.requests import opt_bool, opt_str, req_str
from toolkit.fakes.s3 import DEFAULT_CONTENT_TYPE, OBJECT_HEADERS, OWNER_ID, Bucket, S3Object, etag_of
from toolkit.fakes.s3_access import (
    OBJECT_CANNED_ACLS,
    header_grants,
    only_owner,
    ownership_of,
    public_acl,
)
from toolkit.fakes.s3_rules import (
    ARCHIVED,
    DEFAULT_ENCRYPTION,
    SSE_ALGORITHMS,
    STORAGE_CLASSES,
    derived_id,
    invalid_argument,
    object_tags,
)
from toolkit.fakes.services.s3_buckets import access_denied, bucket_of, store

_NOT_MODELED = (
    "SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5", "ObjectLockMode", "ObjectLockRetainUntilDate",
    "ObjectLockLegalHoldStatus", "ObjectLockEventHold", "ObjectLockEventHoldDurationDays",
    "ObjectLockEventHoldDurationYears", "WriteOffsetBytes",
)  # fmt: skip
_PUBLIC_CANNED = frozenset({"public-read", "public-read-write", "authenticated-read"})
_KMS_NEEDS_HEADER = (
    "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
)
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_OVERRIDES = {
    "ResponseCacheControl": "CacheControl",
    "ResponseContentDisposition": "ContentDisposition",
    "ResponseContentEncoding": "ContentEncoding",
    "ResponseContentLanguage": "ContentLanguage",
    "ResponseContentType": "ContentType",
}


def no_such_key() -> AwsError:
    return AwsError("NoSuchKey", "The specified key does not exist.", status=404)


def _precondition_failed() -> AwsError:
    return AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", status=412)


def _mfa_required() -> AwsError:
    return AwsError("AccessDenied", "Mfa Authentication must be used for this request", status=403)


def _when(params: dict[str, Any], member: str) -> datetime | None:
    """A timestamp member: a datetime, or ISO 8601 text as the simulator hands a script's datetimes over."""
    value = params.get(member)
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as err:
        raise invalid_argument(f"{member} is not a timestamp") from err


def _body(params: dict[str, Any]) -> bytes:
    value = params.get("Body")
    if value is None:
        return b""
    if hasattr(value, "read"):
        value = value.read()
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error as err:
            raise invalid_argument(
                "Body: the fake S3 reads a text body as base64 (the simulator hands bytes over so), and this is not"
            ) from err
    raise invalid_argument("Body must be bytes, a file or base64 text")


def _refuse_unmodelled(operation: str, params: dict[str, Any], members: tuple[str, ...]) -> None:
    for member in members:
        if params.get(member) is not None:
            raise NotModeled("s3", f"{operation} with {member}")


def _new_version_id(backend: FakeBackend, bucket: Bucket, key: str, etag: str) -> str | None:
    """A version id for a new version: derived (32 characters) where versioning is Enabled, else the null version."""
    if bucket.versioning.get("Status") != "Enabled":
        return None
    return derived_id("version", bucket.name, key, len(bucket.objects.get(key, ())), backend.now(), etag, length=32)


def _with_version(bucket: Bucket, key: str, version: S3Object) -> Bucket:
    """The bucket with ``version`` made the key's current version: added to its versions where versioning is
    Enabled, else replacing its null version (the only one of an unversioned bucket)."""
    kept = bucket.objects.get(key, ())
    if version.version_id is None:
        kept = tuple(item for item in kept if item.version_id is not None)
    changed = bucket.clone()
    changed.objects = {**bucket.objects, key: (*kept, version)}
    return changed


# -- PutObject ------------------------------------------------------------------------------------------------


def put_object(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    key = req_str(params, "Key")
    if len(key.encode("utf-8")) > 1024:
        raise AwsError("KeyTooLongError", "Your key is too long")
    _refuse_unmodelled("PutObject", params, _NOT_MODELED)
    _check_object_acl(bucket, params)
    body = _body(params)
    digest = opt_str(params, "ContentMD5")
    if digest is not None and digest != base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode():
        raise AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.")
    current = bucket.current(key)
    if_none_match, if_match = opt_str(params, "IfNoneMatch"), opt_str(params, "IfMatch")
    if if_none_match is not None:
        if if_none_match != "*":
            raise AwsError(
                "NotImplemented", "A header you provided implies functionality that is not implemented", status=501
            )
        if current is not None:
            raise _precondition_failed()
    if if_match is not None:
        if current is None:
            raise no_such_key()
        if _unquoted(if_match) != _unquoted(current.etag):
            raise _precondition_failed()
    storage_class = opt_str(params, "StorageClass") or "STANDARD"
    if storage_class not in STORAGE_CLASSES:
        raise AwsError("InvalidStorageClass", "The storage class you specified is not valid")
    sse, kms_key, bucket_key = _encryption(bucket, params)
    metadata = params.get("Metadata") or {}
    if not isinstance(metadata, dict) or not all(isinstance(value, str) for value in metadata.values()):
        raise invalid_argument("Metadata must be a mapping of strings")
    if sum(len(str(name).encode()) + len(value.encode()) for name, value in metadata.items()) > 2048:
        raise AwsError("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size")
    tagging = opt_str(params, "Tagging")
    etag = etag_of(body)
    version = S3Object(
        key=key,
        body=body,
        last_modified=backend.now(),
        content_type=opt_str(params, "ContentType") or DEFAULT_CONTENT_TYPE,
        metadata={str(name).lower(): value for name, value in metadata.items()},
        storage_class=storage_class,
        server_side_encryption=sse,
        sse_kms_key_id=kms_key,
        bucket_key_enabled=bucket_key,
        version_id=_new_version_id(backend, bucket, key, etag),
        tags=object_tags(tagging) if tagging else {},
        headers={name: value for name in OBJECT_HEADERS if (value := opt_str(params, name)) is not None},
        expires=_when(params, "Expires"),
    )
    store(backend, _with_version(bucket, key, version))
    response: dict[str, Any] = {"ETag": etag, "ServerSideEncryption": sse}
    return {**response, **_encryption_headers(version, with_algorithm=False), **_version_header(version)}


def _check_object_acl(bucket: Bucket, params: dict[str, Any]) -> None:
    canned = opt_str(params, "ACL")
    granted = header_grants(params)
    if canned is not None and granted is not None:
        raise AwsError("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed")
    if canned is not None and canned not in OBJECT_CANNED_ACLS:
        raise invalid_argument(f"{canned} is not a canned ACL")
    if ownership_of(bucket.ownership_controls) == "BucketOwnerEnforced" and (
        canned not in (None, "bucket-owner-full-control") or not only_owner(granted or [], OWNER_ID)
    ):
        raise AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs")
    blocks = bucket.public_access_block or {}
    if blocks.get("BlockPublicAcls") and (canned in _PUBLIC_CANNED or public_acl(granted or [])):
        raise access_denied()


def _encryption(bucket: Bucket, params: dict[str, Any]) -> tuple[str, str | None, bool]:
    """The object's encryption: as the request asks, else as the bucket's default encryption says."""
    sse, kms_key = opt_str(params, "ServerSideEncryption"), opt_str(params, "SSEKMSKeyId")
    bucket_key = opt_bool(params, "BucketKeyEnabled")
    if sse is None:
        if kms_key is not None:
            raise invalid_argument(_KMS_NEEDS_HEADER)
        rule = (bucket.encryption or DEFAULT_ENCRYPTION)["Rules"][0]
        applied = rule["ApplyServerSideEncryptionByDefault"]
        return applied["SSEAlgorithm"], applied.get("KMSMasterKeyID"), bool(rule.get("BucketKeyEnabled"))
    if sse not in SSE_ALGORITHMS:
        raise invalid_argument("The encryption method specified is not supported")
    if kms_key is not None and sse == "AES256":
        raise invalid_argument(_KMS_NEEDS_HEADER)
    return sse, kms_key, bool(bucket_key)


def _encryption_headers(version: S3Object, *, with_algorithm: bool = True) -> dict[str, Any]:
    headers: dict[str, Any] = {"ServerSideEncryption": version.server_side_encryption} if with_algorithm else {}
    if version.sse_kms_key_id is not None:
        headers["SSEKMSKeyId"] = version.sse_kms_key_id
    if version.bucket_key_enabled:
        headers["BucketKeyEnabled"] = True
    return headers


def _version_header(version: S3Object) -> dict[str, Any]:
    return {} if version.version_id is None else {"VersionId": version.version_id}


def _unquoted(etag: str) -> str:
    return etag.strip().strip('"')


# -- GetObject and HeadObject ---------------------------------------------------------------------------------


def _version(bucket: Bucket, params: dict[str, Any], head: bool) -> S3Object:
    """The version a Get or Head asks for (the current one unless ``VersionId`` says another)."""
    key = req_str(params, "Key")
    version_id = opt_str(params, "VersionId")
    if version_id is None:
        found = bucket.current(key)
        if found is None:
            raise AwsError("404", "Not Found", status=404) if head else no_such_key()
        return found
    wanted = None if version_id == "null" else version_id
    for version in bucket.objects.get(key, ()):
        if version.version_id == wanted:
            if version.delete_marker:
                raise (
                    AwsError("405", "Method Not Allowed", status=405)
                    if head
                    else AwsError(
                        "MethodNotAllowed", "The specified method is not allowed against this resource.", status=405
                    )
                )
            return version
    if head:
        raise AwsError("404", "Not Found", status=404)
    raise AwsError("NoSuchVersion", "The specified version does not exist.", status=404)


def _check_conditions(version: S3Object, params: dict[str, Any], head: bool) -> None:
    """If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304), as RFC 7232 orders them."""
    etag = _unquoted(version.etag)
    if_match, if_none_match = opt_str(params, "IfMatch"), opt_str(params, "IfNoneMatch")
    unmodified_since, modified_since = _when(params, "IfUnmodifiedSince"), _when(params, "IfModifiedSince")
    failed = (
        (if_match is not None and _unquoted(if_match) not in ("*", etag))
        if if_match is not None
        else (unmodified_since is not None and version.last_modified > unmodified_since)
    )
    if failed:
        raise AwsError("412", "Precondition Failed", status=412) if head else _precondition_failed()
    unchanged = (
        _unquoted(if_none_match) in ("*", etag)
        if if_none_match is not None
        else (modified_since is not None and version.last_modified <= modified_since)
    )
    if unchanged:
        raise AwsError("304", "Not Modified", status=304)


def _described(version: S3Object, params: dict[str, Any]) -> dict[str, Any]:
    """What GetObject and HeadObject say of a version (before the body)."""
    response: dict[str, Any] = {
        "AcceptRanges": "bytes",
        "LastModified": version.last_modified,
        "ContentLength": len(version.body),
        "ETag": version.etag,
        "ContentType": version.content_type,
        **{name: value for name, value in version.headers.items()},
        "Metadata": dict(version.metadata),
        **_encryption_headers(version),
        **_version_header(version),
    }
    if version.expires is not None:
        response["Expires"] = version.expires
    if version.storage_class != "STANDARD":
        response["StorageClass"] = version.storage_class
    for member, header in _OVERRIDES.items():
        value = opt_str(params, member)
        if value is not None:
            response[header] = value
    expires = _when(params, "ResponseExpires")
    if expires is not None:
        response["Expires"] = expires
    return response


def get_object(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    _refuse_unmodelled("GetObject", params, ("PartNumber",))
    version = _version(bucket, params, head=False)
    if any(params.get(member) is not None for member in _NOT_MODELED[:3]):
        raise AwsError("InvalidRequest", "The encryption parameters are not applicable to this object.")
    if version.storage_class in ARCHIVED:
        raise AwsError("InvalidObjectState", "The operation is not valid for the object's storage class", status=403)
    _check_conditions(version, params, head=False)
    response = _described(version, params)
    body = version.body
    wanted = _range(opt_str(params, "Range"), len(body))
    if wanted is not None:
        start, end = wanted
        response["ContentRange"] = f"bytes {start}-{end}/{len(body)}"
        body = body[start : end + 1]
        response["ContentLength"] = len(body)
    if version.tags:
        response["TagCount"] = len(version.tags)
    return {**response, "Body": body}


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """The bytes a Range header asks for (first, last), None for the whole object (S3 ignores a malformed range)."""
    match = _RANGE.fullmatch(header.strip()) if header else None
    if match is None or match.group(1) == match.group(2) == "":
        return None
    if match.group(1) == "":
        suffix = int(match.group(2))
        if suffix == 0 or size == 0:
            raise AwsError("InvalidRange", "The requested range is not satisfiable", status=416)
        return max(size - suffix, 0), size - 1
    start = int(match.group(1))
    end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
    if start >= size or start > end:
        raise AwsError("InvalidRange", "The requested range is not satisfiable", status=416)
    return start, end


def head_object(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    try:
        bucket = bucket_of(backend, params)
    except AwsError as err:
        if err.status not in (403, 404):
            raise
        raise AwsError(str(err.status), "Not Found" if err.status == 404 else "Forbidden", status=err.status) from err
    _refuse_unmodelled("HeadObject", params, ("PartNumber",))
    version = _version(bucket, params, head=True)
    _check_conditions(version, params, head=True)
    response = _described(version, params)
    wanted = _range(opt_str(params, "Range"), len(version.body))
    if wanted is not None:
        response["ContentRange"] = f"bytes {wanted[0]}-{wanted[1]}/{len(version.body)}"
        response["ContentLength"] = wanted[1] - wanted[0] + 1
    return response


# -- DeleteObject ---------------------------------------------------------------------------------------------


def delete_object(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    key = req_str(params, "Key")
    _refuse_unmodelled("DeleteObject", params, ("IfMatchLastModifiedTime", "IfMatchSize"))
    if_match = opt_str(params, "IfMatch")
    if if_match is not None:
        current = bucket.current(key)
        if current is None:
            raise no_such_key()
        if _unquoted(if_match) != _unquoted(current.etag):
            raise _precondition_failed()
    version_id = opt_str(params, "VersionId")
    if version_id is not None:
        return _delete_version(backend, bucket, key, version_id, params)
    status = bucket.versioning.get("Status")
    if status is None:
        if key in bucket.objects:
            changed = bucket.clone()
            changed.objects = {name: versions for name, versions in bucket.objects.items() if name != key}
            store(backend, changed)
        return {}
    marker = S3Object(
        key=key,
        body=b"",
        last_modified=backend.now(),
        version_id=_new_version_id(backend, bucket, key, "delete-marker"),
        delete_marker=True,
    )
    store(backend, _with_version(bucket, key, marker))
    return {"DeleteMarker": True, "VersionId": marker.version_id or "null"}


def _delete_version(
    backend: FakeBackend, bucket: Bucket, key: str, version_id: str, params: dict[str, Any]
) -> dict[str, Any]:
    """Delete one version for good (S3 answers success for a version it does not have)."""
    if bucket.versioning.get("MFADelete") == "Enabled" and len((opt_str(params, "MFA") or "").split()) != 2:
        raise _mfa_required()
    wanted = None if version_id == "null" else version_id
    versions = bucket.objects.get(key, ())
    found = next((version for version in versions if version.version_id == wanted), None)
    if found is None:
        return {"VersionId": version_id}
    if not found.delete_marker and _retained(backend, bucket, found, params):
        raise access_denied()
    kept = tuple(version for version in versions if version is not found)
    changed = bucket.clone()
    changed.objects = {name: value for name, value in bucket.objects.items() if name != key}
    if kept:
        changed.objects[key] = kept
    store(backend, changed)
    response: dict[str, Any] = {"VersionId": version_id}
    if found.delete_marker:
        response["DeleteMarker"] = True
    return response


def _retained(backend: FakeBackend, bucket: Bucket, version: S3Object, params: dict[str, Any]) -> bool:
    """Whether the bucket's default retention still protects the version (GOVERNANCE yields to
    BypassGovernanceRetention). Years count as 365 days."""
    retention = ((bucket.object_lock or {}).get("Rule") or {}).get("DefaultRetention")
    if retention is None:
        return False
    days = retention.get("Days") or 365 * int(retention.get("Years") or 0)
    if backend.now() >= version.last_modified + timedelta(days=days):
        return False
    return not (retention["Mode"] == "GOVERNANCE" and opt_bool(params, "BypassGovernanceRetention") is True)
