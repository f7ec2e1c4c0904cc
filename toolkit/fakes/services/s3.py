"""The fake S3's operations (``OPERATIONS``) on the state in ``toolkit.fakes.s3``.

Buckets (``s3_buckets``): CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation and Get, Put and
Delete of the bucket policy. Bucket configurations (``s3_settings``): Get, Put and, where S3 has it, Delete of
versioning, default encryption, the public access block, the ACL, ownership controls, logging, lifecycle, tags,
notifications and Object Lock. Objects (``s3_objects``): PutObject, GetObject, HeadObject and DeleteObject;
ListObjectsV2 (``s3_listing``). Every other operation of S3 raises NotModeled.
"""

from __future__ import annotations

from toolkit.fakes.backend import Operation
from toolkit.fakes.services import s3_buckets as buckets
from toolkit.fakes.services import s3_listing as listing
from toolkit.fakes.services import s3_objects as objects
from toolkit.fakes.services import s3_settings as settings
from toolkit.fakes.services.s3_buckets import no_such_bucket

__all__ = ["OPERATIONS", "no_such_bucket"]

OPERATIONS: dict[str, Operation] = {
    "CreateBucket": buckets.create_bucket,
    "DeleteBucket": buckets.delete_bucket,
    "HeadBucket": buckets.head_bucket,
    "ListBuckets": buckets.list_buckets,
    "GetBucketLocation": buckets.get_bucket_location,
    "GetBucketPolicy": buckets.get_bucket_policy,
    "PutBucketPolicy": buckets.put_bucket_policy,
    "DeleteBucketPolicy": buckets.delete_bucket_policy,
    "GetBucketVersioning": settings.get_bucket_versioning,
    "PutBucketVersioning": settings.put_bucket_versioning,
    "GetBucketEncryption": settings.get_bucket_encryption,
    "PutBucketEncryption": settings.put_bucket_encryption,
    "DeleteBucketEncryption": settings.delete_bucket_encryption,
    "GetPublicAccessBlock": settings.get_public_access_block,
    "PutPublicAccessBlock": settings.put_public_access_block,
    "DeletePublicAccessBlock": settings.delete_public_access_block,
    "GetBucketAcl": settings.get_bucket_acl,
    "PutBucketAcl": settings.put_bucket_acl,
    "GetBucketOwnershipControls": settings.get_bucket_ownership_controls,
    "PutBucketOwnershipControls": settings.put_bucket_ownership_controls,
    "DeleteBucketOwnershipControls": settings.delete_bucket_ownership_controls,
    "GetBucketLogging": settings.get_bucket_logging,
    "PutBucketLogging": settings.put_bucket_logging,
    "GetBucketLifecycleConfiguration": settings.get_bucket_lifecycle_configuration,
    "PutBucketLifecycleConfiguration": settings.put_bucket_lifecycle_configuration,
    "DeleteBucketLifecycle": settings.delete_bucket_lifecycle,
    "GetBucketTagging": settings.get_bucket_tagging,
    "PutBucketTagging": settings.put_bucket_tagging,
    "DeleteBucketTagging": settings.delete_bucket_tagging,
    "GetBucketNotificationConfiguration": settings.get_bucket_notification_configuration,
    "PutBucketNotificationConfiguration": settings.put_bucket_notification_configuration,
    "GetObjectLockConfiguration": settings.get_object_lock_configuration,
    "PutObjectLockConfiguration": settings.put_object_lock_configuration,
    "PutObject": objects.put_object,
    "GetObject": objects.get_object,
    "HeadObject": objects.head_object,
    "DeleteObject": objects.delete_object,
    "ListObjectsV2": listing.list_objects_v2,
}
