"""AWS::S3::Bucket and AWS::S3::BucketPolicy, created as CloudFormation creates them: CreateBucket (with the ACL,
Object Ownership and Object Lock it takes at creation), then one Put per configuration the template sets
(versioning, encryption, public access block, Object Lock's default retention, lifecycle, logging, tags), through
the fake S3, so S3's own checks apply (a public policy under BlockPublicPolicy, a logging target that does not
accept logs...). Template keys become S3's own (``BucketEncryption.ServerSideEncryptionConfiguration`` is
``ServerSideEncryptionConfiguration.Rules``, a lifecycle rule's ``ExpirationInDays`` is ``Expiration.Days``...).

Decisions: a bucket name any account of the world holds is refused (S3's namespace is global; CloudFormation
refuses a bucket that exists even where S3 would answer 200); without ``BucketName`` the name is generated in lower
case; ``LoggingConfiguration`` without ``DestinationBucketName`` logs to the bucket itself (CloudFormation's
default); the ``aws:cloudformation:*`` tags CloudFormation adds to a bucket are not added.
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.deploy.intrinsics import Physical
from toolkit.deploy.resources.base import Handler, Renamed, Resource

BUCKET_PROPERTIES: Final = (
    "BucketName",
    "AccessControl",
    "VersioningConfiguration",
    "BucketEncryption",
    "PublicAccessBlockConfiguration",
    "OwnershipControls",
    "LoggingConfiguration",
    "ObjectLockEnabled",
    "ObjectLockConfiguration",
    "LifecycleConfiguration",
    "Tags",
)
CANNED_ACLS: Final = {
    "AuthenticatedRead": "authenticated-read",
    "AwsExecRead": "aws-exec-read",
    "BucketOwnerFullControl": "bucket-owner-full-control",
    "BucketOwnerRead": "bucket-owner-read",
    "LogDeliveryWrite": "log-delivery-write",
    "Private": "private",
    "PublicRead": "public-read",
    "PublicReadWrite": "public-read-write",
}
PUBLIC_ACCESS_BLOCK: Final = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


def bucket(resource: Resource) -> Physical:
    properties = resource.accept(BUCKET_PROPERTIES)
    name = resource.name("BucketName", 63, lower=True)
    world = resource.stacks.world
    if any(name in state.buckets for state in (world, *world.accounts.values())):
        raise resource.already_exists(name)
    region = resource.stack.region
    create: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if "AccessControl" in properties:
        acl = CANNED_ACLS.get(str(properties["AccessControl"]))
        if acl is None:
            raise resource.error(f"property AccessControl must be one of {', '.join(CANNED_ACLS)}")
        create["ACL"] = acl
    if "OwnershipControls" in properties:
        rules = resource.items(
            resource.mapping(properties["OwnershipControls"], "OwnershipControls").get("Rules"),
            "OwnershipControls.Rules",
        )
        if len(rules) != 1 or set(resource.mapping(rules[0], "OwnershipControls.Rules")) != {"ObjectOwnership"}:
            raise resource.error("property OwnershipControls must hold one rule {ObjectOwnership}")
        create["ObjectOwnership"] = rules[0]["ObjectOwnership"]
    if resource.boolean(properties.get("ObjectLockEnabled", False), "ObjectLockEnabled"):
        create["ObjectLockEnabledForBucket"] = True
    resource.call("s3", "CreateBucket", create)
    if "VersioningConfiguration" in properties:
        versioning = resource.converted(
            properties["VersioningConfiguration"], "VersioningConfiguration", {"Status": "Status"}
        )
        resource.call("s3", "PutBucketVersioning", {"Bucket": name, "VersioningConfiguration": versioning})
    if "BucketEncryption" in properties:
        resource.call("s3", "PutBucketEncryption", {"Bucket": name, **_encryption(resource)})
    if "PublicAccessBlockConfiguration" in properties:
        key = "PublicAccessBlockConfiguration"
        block = resource.converted(
            properties[key], key, {item: (item, _flag(resource, key)) for item in PUBLIC_ACCESS_BLOCK}
        )
        resource.call("s3", "PutPublicAccessBlock", {"Bucket": name, "PublicAccessBlockConfiguration": block})
    if "ObjectLockConfiguration" in properties:
        resource.call("s3", "PutObjectLockConfiguration", {"Bucket": name, **_object_lock(resource)})
    if "LifecycleConfiguration" in properties:
        resource.call("s3", "PutBucketLifecycleConfiguration", {"Bucket": name, **_lifecycle(resource)})
    if "LoggingConfiguration" in properties:
        key = "LoggingConfiguration"
        logging = resource.converted(
            properties[key],
            key,
            {
                "DestinationBucketName": "TargetBucket",
                "LogFilePrefix": "TargetPrefix",
                "TargetObjectKeyFormat": "TargetObjectKeyFormat",
            },
        )
        enabled = {"TargetBucket": name, "TargetPrefix": "", **logging}
        resource.call("s3", "PutBucketLogging", {"Bucket": name, "BucketLoggingStatus": {"LoggingEnabled": enabled}})
    if "Tags" in properties:
        resource.call("s3", "PutBucketTagging", {"Bucket": name, "Tagging": {"TagSet": resource.tags()}})
    partition = resource.stack.partition
    return Physical(
        name,
        {
            "Arn": f"arn:{partition}:s3:::{name}",
            "DomainName": f"{name}.s3.amazonaws.com",
            "RegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
            "DualStackDomainName": f"{name}.s3.dualstack.{region}.amazonaws.com",
        },
    )


def _flag(resource: Resource, key: str) -> Any:
    return lambda value: resource.boolean(value, key)


def _encryption(resource: Resource) -> dict[str, Any]:
    key = "BucketEncryption"
    given = resource.converted(resource.properties[key], key, {"ServerSideEncryptionConfiguration": "Rules"})
    rules = []
    for rule in resource.items(given.get("Rules"), f"{key}.ServerSideEncryptionConfiguration"):
        rules.append(
            resource.converted(
                rule,
                f"{key}.ServerSideEncryptionConfiguration",
                {
                    "ServerSideEncryptionByDefault": "ApplyServerSideEncryptionByDefault",
                    "BucketKeyEnabled": ("BucketKeyEnabled", _flag(resource, "BucketKeyEnabled")),
                },
            )
        )
    return {"ServerSideEncryptionConfiguration": {"Rules": rules}}


def _object_lock(resource: Resource) -> dict[str, Any]:
    key = "ObjectLockConfiguration"

    def retention(value: Any) -> dict[str, Any]:
        names: dict[str, Renamed] = {
            "Mode": "Mode",
            "Days": ("Days", lambda days: resource.integer(days, f"{key}.Rule.DefaultRetention.Days")),
            "Years": ("Years", lambda years: resource.integer(years, f"{key}.Rule.DefaultRetention.Years")),
        }
        return {
            "DefaultRetention": resource.converted(
                resource.mapping(value, f"{key}.Rule").get("DefaultRetention"), f"{key}.Rule.DefaultRetention", names
            )
        }

    config = resource.converted(
        resource.properties[key], key, {"ObjectLockEnabled": "ObjectLockEnabled", "Rule": ("Rule", retention)}
    )
    return {"ObjectLockConfiguration": config}


def _lifecycle(resource: Resource) -> dict[str, Any]:
    key = "LifecycleConfiguration"
    given = resource.mapping(resource.properties[key], key)
    unknown = set(given) - {"Rules", "TransitionDefaultMinimumObjectSize"}
    if unknown:
        raise resource.error(f"property {key}.{sorted(unknown)[0]} is not instantiated")
    rules = [_lifecycle_rule(resource, rule) for rule in resource.items(given.get("Rules"), f"{key}.Rules")]
    result: dict[str, Any] = {"LifecycleConfiguration": {"Rules": rules}}
    if "TransitionDefaultMinimumObjectSize" in given:
        result["TransitionDefaultMinimumObjectSize"] = given["TransitionDefaultMinimumObjectSize"]
    return result


def _lifecycle_rule(resource: Resource, rule: Any) -> dict[str, Any]:
    """A CloudFormation lifecycle rule as S3's (the filter from Prefix, TagFilters and the size bounds)."""
    key = "LifecycleConfiguration.Rules"
    given = resource.mapping(rule, key)

    def number(name: str) -> Any:
        return lambda value: resource.integer(value, f"{key}.{name}")

    def transition(value: Any, days_key: str) -> dict[str, Any]:
        names: dict[str, Renamed] = {"StorageClass": "StorageClass"}
        if days_key == "Days":
            names.update({"TransitionDate": "Date", "TransitionInDays": ("Days", number("TransitionInDays"))})
        else:
            names.update(
                {
                    "TransitionInDays": ("NoncurrentDays", number("TransitionInDays")),
                    "NewerNoncurrentVersions": ("NewerNoncurrentVersions", number("NewerNoncurrentVersions")),
                }
            )
        return dict(resource.converted(value, key, names))

    result: dict[str, Any] = {}
    expiration: dict[str, Any] = {}
    conditions: dict[str, Any] = {}
    transitions: list[Any] = []
    noncurrent: list[Any] = []
    for item, value in given.items():
        if item == "Id":
            result["ID"] = value
        elif item == "Status":
            result["Status"] = value
        elif item == "Prefix":
            conditions["Prefix"] = value
        elif item == "TagFilters":
            conditions["Tags"] = [
                resource.converted(tag, f"{key}.TagFilters", {"Key": "Key", "Value": "Value"})
                for tag in resource.items(value, f"{key}.TagFilters")
            ]
        elif item in ("ObjectSizeGreaterThan", "ObjectSizeLessThan"):
            conditions[item] = resource.integer(value, f"{key}.{item}")
        elif item == "ExpirationInDays":
            expiration["Days"] = resource.integer(value, f"{key}.{item}")
        elif item == "ExpirationDate":
            expiration["Date"] = value
        elif item == "ExpiredObjectDeleteMarker":
            expiration["ExpiredObjectDeleteMarker"] = resource.boolean(value, f"{key}.{item}")
        elif item == "NoncurrentVersionExpirationInDays":
            result.setdefault("NoncurrentVersionExpiration", {})["NoncurrentDays"] = resource.integer(value, item)
        elif item == "NoncurrentVersionExpiration":
            names: dict[str, Renamed] = {
                "NoncurrentDays": ("NoncurrentDays", number("NoncurrentVersionExpiration.NoncurrentDays")),
                "NewerNoncurrentVersions": ("NewerNoncurrentVersions", number("NewerNoncurrentVersions")),
            }
            result.setdefault("NoncurrentVersionExpiration", {}).update(resource.converted(value, key, names))
        elif item == "Transition":
            transitions.append(transition(value, "Days"))
        elif item == "Transitions":
            transitions += [transition(entry, "Days") for entry in resource.items(value, f"{key}.Transitions")]
        elif item == "NoncurrentVersionTransition":
            noncurrent.append(transition(value, "NoncurrentDays"))
        elif item == "NoncurrentVersionTransitions":
            noncurrent += [transition(entry, "NoncurrentDays") for entry in resource.items(value, f"{key}.{item}")]
        elif item == "AbortIncompleteMultipartUpload":
            abort: dict[str, Renamed] = {"DaysAfterInitiation": ("DaysAfterInitiation", number("DaysAfterInitiation"))}
            result["AbortIncompleteMultipartUpload"] = resource.converted(value, key, abort)
        else:
            raise resource.error(f"property {key}.{item} is not instantiated")
    result["Filter"] = _filter(conditions)
    if expiration:
        result["Expiration"] = expiration
    if transitions:
        result["Transitions"] = transitions
    if noncurrent:
        result["NoncurrentVersionTransitions"] = noncurrent
    return result


def _filter(conditions: dict[str, Any]) -> dict[str, Any]:
    """S3's rule filter: the one condition, or ``And`` of several (no condition: the whole bucket)."""
    tags = conditions.get("Tags", [])
    count = len(tags) + sum(1 for name in conditions if name != "Tags")
    if count == 0:
        return {"Prefix": ""}
    if count == 1:
        if tags:
            return {"Tag": tags[0]}
        return dict(conditions)
    return {"And": dict(conditions)}


def bucket_policy(resource: Resource) -> Physical:
    properties = resource.accept(("Bucket", "PolicyDocument"), required=("Bucket", "PolicyDocument"))
    name = resource.text(properties["Bucket"], "Bucket")
    policy = resource.json_text(properties["PolicyDocument"], "PolicyDocument")
    resource.call("s3", "PutBucketPolicy", {"Bucket": name, "Policy": policy})
    return Physical(resource.stack.generated_name(resource.logical_id, 255))


HANDLERS: Final[dict[str, Handler]] = {"AWS::S3::Bucket": bucket, "AWS::S3::BucketPolicy": bucket_policy}
