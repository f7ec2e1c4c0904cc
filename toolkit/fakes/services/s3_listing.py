"""The fake S3's ListObjectsV2: the current versions of a bucket's objects in UTF-8 order, with Prefix, Delimiter
(each common prefix counted once toward MaxKeys), StartAfter, continuation, FetchOwner and EncodingType url (keys,
prefixes, the delimiter and StartAfter URL-encoded, as S3 does; botocore asks for it and decodes the answer).

The continuation token is opaque on AWS; the fake's encodes the last key or common prefix of the page before.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.requests import opt_bool, opt_int, opt_str
from toolkit.fakes.s3 import OWNER_ID, S3Object
from toolkit.fakes.s3_rules import invalid_argument
from toolkit.fakes.services.s3_buckets import bucket_of


def list_objects_v2(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    bucket = bucket_of(backend, params)
    prefix = opt_str(params, "Prefix") or ""
    delimiter = opt_str(params, "Delimiter") or None
    most = opt_int(params, "MaxKeys")
    most = 1000 if most is None else max(0, min(most, 1000))
    token = opt_str(params, "ContinuationToken")
    start_after = opt_str(params, "StartAfter")
    encoding = opt_str(params, "EncodingType")
    if encoding not in (None, "url"):
        raise invalid_argument("Invalid Encoding Method specified in Request")
    after = _token_entry(token) if token is not None else start_after
    entries: list[tuple[str, S3Object | None]] = []
    for key in sorted(bucket.objects, key=lambda name: name.encode("utf-8")):
        version = bucket.current(key)
        if version is None or not key.startswith(prefix):
            continue
        cut = key.find(delimiter, len(prefix)) if delimiter else -1
        entry: tuple[str, S3Object | None] = (
            (key[: cut + len(delimiter)], None) if delimiter and cut >= 0 else (key, version)
        )
        if entries and entries[-1][0] == entry[0]:
            continue
        if after is None or entry[0].encode("utf-8") > after.encode("utf-8"):
            entries.append(entry)
    page = entries[:most]
    shown: Callable[[str], str] = quote if encoding == "url" else str
    response: dict[str, Any] = {
        "IsTruncated": len(page) < len(entries),
        "Name": bucket.name,
        "Prefix": shown(prefix),
        "MaxKeys": most,
        "KeyCount": len(page),
    }
    contents = [
        _listed(name, version, shown, opt_bool(params, "FetchOwner") is True) for name, version in page if version
    ]
    prefixes = [{"Prefix": shown(name)} for name, version in page if version is None]
    if contents:
        response["Contents"] = contents
    if prefixes:
        response["CommonPrefixes"] = prefixes
    if delimiter is not None:
        response["Delimiter"] = shown(delimiter)
    if encoding is not None:
        response["EncodingType"] = encoding
    if token is not None:
        response["ContinuationToken"] = token
    if response["IsTruncated"]:
        response["NextContinuationToken"] = base64.urlsafe_b64encode(page[-1][0].encode("utf-8")).decode("ascii")
    if start_after is not None:
        response["StartAfter"] = shown(start_after)
    return response


def _listed(key: str, version: S3Object, shown: Callable[[str], str], owner: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "Key": shown(key),
        "LastModified": version.last_modified,
        "ETag": version.etag,
        "Size": len(version.body),
        "StorageClass": version.storage_class,
    }
    if owner:
        item["Owner"] = {"ID": OWNER_ID}
    return item


def _token_entry(token: str) -> str:
    try:
        return base64.b64decode(token, altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError) as err:
        raise invalid_argument("The continuation token provided is incorrect") from err
