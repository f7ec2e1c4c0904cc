"""The CloudTrail trail operations: checks in the order CloudTrail makes them (name, existence, home region,
parameter combinations, organization, quota, bucket, bucket policy, key, key policy, topic, logs), then the change.

Decisions where AWS documents nothing [UNVERIFIED]: StartLogging on a logging trail and StopLogging on a stopped
one change nothing (times included); CreateTrail clashing with a shadow's name raises TrailAlreadyExistsException;
UpdateTrail re-checks the bucket when a delivery setting is sent (bucket, prefix, validation, organization, key),
the key when KmsKeyId is sent or the bucket changes, the topic and the log group when they are sent; an empty
S3KeyPrefix, SnsTopicName or CloudWatchLogs* value clears it, as an empty KmsKeyId does [doc]. ListTrails lists
every trail of the account, in every region. A trail counts against the 5-trail quota in every region it is
visible in. GetTrailStatus reports the trail's deliveries as ``toolkit.fakes.cloudtrail.health`` models them;
UpdateTrail and StopLogging first record the deliveries made until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.fakes.cloudtrail import delivery, health, selectors
from toolkit.fakes.cloudtrail.lookup import (
    check_name,
    find,
    parse_arn,
    visible,
    writable,
    wrong_account,
    wrong_region,
)
from toolkit.fakes.cloudtrail.trail import Trail
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.requests import copy_json, opt_bool, opt_list, opt_str, req_str, str_list, struct_list

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend, Operation

MAX_TRAILS_PER_REGION = 5
MAX_TAGS = 50
MAX_PREFIX = 200


def _combination(message: str) -> AwsError:
    return AwsError("InvalidParameterCombinationException", message)


def _check_prefix(prefix: str | None) -> None:
    if prefix is not None and len(prefix) > MAX_PREFIX:
        raise AwsError("InvalidS3PrefixException", f"S3 key prefix is longer than {MAX_PREFIX} characters.")


def _check_quota(backend: FakeBackend, multi_region: bool) -> None:
    trails = list(backend.world.trails.values())
    regions = {backend.region} | ({trail.home_region for trail in trails} if multi_region else set())
    _check_room(backend, trails, regions)


def _check_quota_on_conversion(backend: FakeBackend, trail: Trail) -> None:
    """Turning a trail multi-region puts its shadow in every other region: each must have room for it."""
    trails = [other for other in backend.world.trails.values() if other is not trail and other.name != trail.name]
    _check_room(backend, trails, {other.home_region for other in trails} - {trail.home_region})


def _check_room(backend: FakeBackend, trails: list[Trail], regions: set[str]) -> None:
    """Each of ``regions`` must see fewer than the quota of ``trails``."""
    for region in sorted(regions):
        if sum(1 for trail in trails if trail.visible_in(region)) >= MAX_TRAILS_PER_REGION:
            raise AwsError(
                "MaximumNumberOfTrailsExceededException",
                f"User: {backend.account} already has {MAX_TRAILS_PER_REGION} trails in {region}.",
            )


def _check_name_clash(backend: FakeBackend, trail: Trail) -> None:
    """A multi-region trail's shadows would clash with a same-named trail homed in another region."""
    trails = backend.world.trails
    clashes = [where for where, other in trails.items() if other.name == trail.name]
    # by region: the same answer however the world was made (sorted only when some trail has the name)
    for other in (trails[where] for where in sorted(clashes)):
        if other.home_region != trail.home_region:
            raise AwsError(
                "TrailAlreadyExistsException",
                f"Trail {trail.name} already exists for customer: {backend.account} (homed in {other.home_region})",
            )


def _tags(params: dict[str, Any], member: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for tag in struct_list(params, member) or []:
        key, value = tag.get("Key"), tag.get("Value")
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.startswith("aws:"):
            raise AwsError("InvalidTagParameterException", f"Tag key {key!r} is not valid.")
        if value is not None and (not isinstance(value, str) or len(value) > 256):
            raise AwsError("InvalidTagParameterException", f"Tag value {value!r} for key {key} is not valid.")
        if key in found:
            raise AwsError("InvalidTagParameterException", f"Tag key {key} is specified more than once.")
        found[key] = value
    return found


def _check_tag_count(tags: dict[str, str | None]) -> None:
    if len(tags) > MAX_TAGS:
        raise AwsError(
            "TagsLimitExceededException",
            f"A trail can have at most {MAX_TAGS} tags; this request would give it {len(tags)}.",
        )


def _check_delivery(
    backend: FakeBackend, trail: Trail, *, bucket: bool, key: str | None, topic: bool, logs: bool
) -> None:
    if bucket:
        delivery.check_bucket(backend, trail, insights=bool(trail.insight_selectors))
    if key is not None:
        trail.kms_key_id = delivery.check_key(backend, trail, key)
    if topic:
        delivery.check_topic(backend, trail)
    if logs:
        delivery.check_logs(backend, trail)


def _store(backend: FakeBackend, trail: Trail) -> None:
    backend.world.trails[(trail.home_region, trail.name)] = trail


# -- create, update, delete ------------------------------------------------------------------------------------


def create_trail(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "Name")
    check_name(name)
    trail = Trail(
        name=name,
        home_region=backend.region,
        s3_bucket_name=req_str(params, "S3BucketName"),
        s3_key_prefix=opt_str(params, "S3KeyPrefix") or None,
        sns_topic_name=opt_str(params, "SnsTopicName") or None,
        include_global_service_events=opt_bool(params, "IncludeGlobalServiceEvents") is not False,
        is_multi_region_trail=bool(opt_bool(params, "IsMultiRegionTrail")),
        log_file_validation_enabled=bool(opt_bool(params, "EnableLogFileValidation")),
        cloud_watch_logs_log_group_arn=opt_str(params, "CloudWatchLogsLogGroupArn") or None,
        cloud_watch_logs_role_arn=opt_str(params, "CloudWatchLogsRoleArn") or None,
        is_organization_trail=bool(opt_bool(params, "IsOrganizationTrail")),
        recursive_logging=opt_bool(params, "RecursiveLogging"),
    )
    key = opt_str(params, "KmsKeyId") or None
    tags = _tags(params, "TagsList")
    if visible(backend, name) is not None:
        raise AwsError("TrailAlreadyExistsException", f"Trail {name} already exists for customer: {backend.account}")
    if trail.is_multi_region_trail:
        _check_name_clash(backend, trail)
        if not trail.include_global_service_events:
            raise _combination("Multi-Region trail must include global service events.")
    _check_prefix(trail.s3_key_prefix)
    if trail.is_organization_trail:
        delivery.check_organization(backend)
    _check_quota(backend, trail.is_multi_region_trail)
    _check_delivery(
        backend,
        trail,
        bucket=True,
        key=key,
        topic=trail.sns_topic_name is not None,
        logs=bool(trail.cloud_watch_logs_log_group_arn or trail.cloud_watch_logs_role_arn),
    )
    _check_tag_count(tags)
    trail.tags = tags
    if trail.is_organization_trail:
        delivery.create_service_linked_role(backend)
    _store(backend, trail)
    return trail.summary(backend)


def update_trail(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    current = find(backend, req_str(params, "Name"), write=True)
    writable(backend, current)
    trail = current.clone()
    trail.delivery = health.kept_up_to_now(backend, current)  # deliveries until now, to the old destinations
    bucket = opt_str(params, "S3BucketName")
    prefix = opt_str(params, "S3KeyPrefix")
    topic = opt_str(params, "SnsTopicName")
    global_events = opt_bool(params, "IncludeGlobalServiceEvents")
    multi_region = opt_bool(params, "IsMultiRegionTrail")
    validation = opt_bool(params, "EnableLogFileValidation")
    group = opt_str(params, "CloudWatchLogsLogGroupArn")
    role = opt_str(params, "CloudWatchLogsRoleArn")
    key = opt_str(params, "KmsKeyId")
    organization = opt_bool(params, "IsOrganizationTrail")
    recursive = opt_bool(params, "RecursiveLogging")
    if bucket is not None:
        trail.s3_bucket_name = bucket
    if prefix is not None:
        _check_prefix(prefix)
        trail.s3_key_prefix = prefix or None
    if topic is not None:
        trail.sns_topic_name = topic or None
    if multi_region is not None and multi_region != current.is_multi_region_trail:
        # Converting turns global service events on (to multi-region) or off (to single-region) [doc].
        trail.is_multi_region_trail = multi_region
        trail.include_global_service_events = multi_region
    if global_events is not None:
        trail.include_global_service_events = global_events
    if validation is not None:
        trail.log_file_validation_enabled = validation
    if group is not None:
        trail.cloud_watch_logs_log_group_arn = group or None
    if role is not None:
        trail.cloud_watch_logs_role_arn = role or None
    if key == "":
        trail.kms_key_id = None
    if recursive is not None:
        trail.recursive_logging = recursive
    if trail.is_multi_region_trail and not trail.include_global_service_events:
        raise _combination("Multi-Region trail must include global service events.")
    if trail.is_multi_region_trail and not current.is_multi_region_trail:
        _check_name_clash(backend, trail)
        _check_quota_on_conversion(backend, current)
    if organization is not None:
        if organization:
            delivery.check_organization(backend)
        trail.is_organization_trail = organization
    delivery_sent = any(value is not None for value in (bucket, prefix, validation, organization)) or bool(key)
    _check_delivery(
        backend,
        trail,
        bucket=delivery_sent,
        key=key or (trail.kms_key_id if bucket is not None and trail.kms_key_id else None),
        topic=bool(topic),
        logs=bool(group) or bool(role),
    )
    if organization:
        delivery.create_service_linked_role(backend)
    _store(backend, trail)
    return trail.summary(backend)


def delete_trail(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    trail = find(backend, req_str(params, "Name"), write=True)
    writable(backend, trail)
    del backend.world.trails[(trail.home_region, trail.name)]
    return {}


# -- logging ---------------------------------------------------------------------------------------------------


def start_logging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    trail = find(backend, req_str(params, "Name"), write=True)
    writable(backend, trail)
    if not trail.is_logging:
        started = trail.clone()
        started.is_logging = True
        started.start_logging_time = backend.now()
        _store(backend, started)
    return {}


def stop_logging(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    trail = find(backend, req_str(params, "Name"), write=True)
    writable(backend, trail)
    if trail.is_logging:
        stopped = trail.clone()
        stopped.delivery = health.kept_up_to_now(backend, trail)  # the deliveries until now are recorded
        stopped.is_logging = False
        stopped.stop_logging_time = backend.now()
        _store(backend, stopped)
    return {}


def get_trail_status(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """IsLogging, the logging times, and what the trail's deliveries met (``toolkit.fakes.cloudtrail.health``)."""
    trail = find(backend, req_str(params, "Name"), write=False)
    return health.status(backend, trail)


# -- reading trails --------------------------------------------------------------------------------------------


def describe_trails(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    names = str_list(params, "trailNameList") or []
    shadows = opt_bool(params, "includeShadowTrails") is not False
    world = backend.world
    found: list[Trail] = []
    if not names:
        here = sorted((t for t in world.trails.values() if t.home_region == backend.region), key=_by_name)
        found.extend(here)
        if shadows:
            others = (t for t in world.trails.values() if t.home_region != backend.region and t.is_multi_region_trail)
            found.extend(sorted(others, key=_by_region_name))
    for name in names:
        if name.startswith("arn:"):
            partition, region, account, trail_name = parse_arn(name)
            trail = world.trails.get((region, trail_name))
            if trail is None or partition != backend.partition or account != trail.owner(backend):
                continue
            if region != backend.region and not shadows:
                continue
        else:
            check_name(name)
            trail = world.trails.get((backend.region, name))
        if trail is not None and trail not in found:
            found.append(trail)
    return {"trailList": [trail.describe(backend) for trail in found]}


def get_trail(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    trail = find(backend, req_str(params, "Name"), write=False, shadows_by_name=True, quote_name=True)
    return {"Trail": trail.describe(backend)}


def list_trails(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    trails = sorted(backend.world.trails.values(), key=_by_region_name)
    return {"Trails": [trail.info(backend) for trail in trails]}


def _by_name(trail: Trail) -> str:
    return trail.name


def _by_region_name(trail: Trail) -> tuple[str, str]:
    return trail.home_region, trail.name


# -- selectors -------------------------------------------------------------------------------------------------


def put_event_selectors(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    current = find(backend, req_str(params, "TrailName"), write=True)
    writable(backend, current)
    basic = opt_list(params, "EventSelectors")
    advanced = opt_list(params, "AdvancedEventSelectors")
    if (basic is None) == (advanced is None):
        raise AwsError(
            "InvalidEventSelectorsException",
            "Specify either EventSelectors or AdvancedEventSelectors, but not both.",
        )
    trail = current.clone()
    trail.has_custom_event_selectors = True
    response: dict[str, Any] = {"TrailARN": trail.arn(backend)}
    if basic is not None:
        trail.event_selectors = selectors.basic_selectors(basic)
        trail.advanced_event_selectors = []
        response["EventSelectors"] = copy_json(trail.event_selectors)
    else:
        trail.event_selectors = []
        trail.advanced_event_selectors = selectors.advanced_selectors(advanced or [])
        response["AdvancedEventSelectors"] = copy_json(trail.advanced_event_selectors)
    _store(backend, trail)
    return response


def get_event_selectors(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    trail = find(backend, req_str(params, "TrailName"), write=False)
    response: dict[str, Any] = {"TrailARN": trail.arn(backend)}
    if trail.advanced_event_selectors:
        response["AdvancedEventSelectors"] = copy_json(trail.advanced_event_selectors)
    else:
        response["EventSelectors"] = copy_json(trail.event_selectors)
    return response


def put_insight_selectors(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = opt_str(params, "TrailName")
    if params.get("EventDataStore") is not None or params.get("InsightsDestination") is not None:
        if name is not None:
            raise _combination("TrailName cannot be used with EventDataStore or InsightsDestination.")
        raise NotModeled("cloudtrail", "PutInsightSelectors (event data stores)")
    if name is None:
        raise _combination("Specify TrailName, or EventDataStore and InsightsDestination.")
    wanted = opt_list(params, "InsightSelectors")
    if wanted is None:
        raise AwsError("InvalidInsightSelectorsException", "InsightSelectors must be specified.")
    current = find(backend, name, write=True)
    writable(backend, current)
    insights = selectors.insight_selectors(wanted)
    selectors.check_insights_prerequisites(insights, current.event_selectors, current.advanced_event_selectors)
    trail = current.clone()
    trail.insight_selectors = insights
    if insights:
        # Insights files are delivered to the bucket (and encrypted with the key) as well.
        delivery.check_bucket(backend, trail, insights=True)
        if trail.kms_key_id:
            delivery.check_key(backend, trail, trail.kms_key_id)
    _store(backend, trail)
    return {"TrailARN": trail.arn(backend), "InsightSelectors": copy_json(insights)}


def get_insight_selectors(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = opt_str(params, "TrailName")
    if params.get("EventDataStore") is not None:
        if name is not None:
            raise _combination("TrailName cannot be used with EventDataStore.")
        raise NotModeled("cloudtrail", "GetInsightSelectors (event data stores)")
    if name is None:
        raise _combination("Specify TrailName or EventDataStore.")
    trail = find(backend, name, write=False)
    arn = trail.arn(backend)
    if not trail.insight_selectors:
        raise AwsError(
            "InsightNotEnabledException",
            f"Trail {arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then "
            "try the operation again.",
        )
    return {"TrailARN": arn, "InsightSelectors": copy_json(trail.insight_selectors)}


# -- tags ------------------------------------------------------------------------------------------------------


def _tagged(backend: FakeBackend, resource_id: str) -> Trail:
    if not resource_id.startswith("arn:") or ":trail/" not in resource_id:
        if resource_id.startswith("arn:") and ":cloudtrail:" in resource_id:
            raise NotModeled("cloudtrail", "tags of event data stores, channels and dashboards")
        raise AwsError("CloudTrailARNInvalidException", f"{resource_id} is not a valid trail ARN.")
    partition, region, account, name = parse_arn(resource_id)
    if region != backend.region:
        raise wrong_region(backend)
    if partition == backend.partition and account != backend.account:
        raise wrong_account(backend)  # an organization trail's too, seen from a member account (lookup's docstring)
    trail = backend.world.trails.get((region, name))
    if trail is None or partition != backend.partition or account != trail.owner(backend):
        raise AwsError("ResourceNotFoundException", f"Resource not found: {resource_id}")
    return trail


def add_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    current = _tagged(backend, req_str(params, "ResourceId"))
    writable(backend, current)
    tags = dict(current.tags)
    tags.update(_tags(params, "TagsList"))
    _check_tag_count(tags)
    trail = current.clone()
    trail.tags = tags
    _store(backend, trail)
    return {}


def remove_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    current = _tagged(backend, req_str(params, "ResourceId"))
    writable(backend, current)
    removed = _tags(params, "TagsList")
    trail = current.clone()
    trail.tags = {key: value for key, value in current.tags.items() if key not in removed}
    _store(backend, trail)
    return {}


def list_tags(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    resource_ids = str_list(params, "ResourceIdList")
    if not resource_ids:
        raise AwsError("InvalidParameterException", "ResourceIdList must list 1 to 20 trail ARNs.")
    listed = []
    for resource_id in resource_ids:
        trail = _tagged(backend, resource_id)
        tags = [{"Key": key} if value is None else {"Key": key, "Value": value} for key, value in trail.tags.items()]
        listed.append({"ResourceId": resource_id, "TagsList": tags})
    return {"ResourceTagList": listed}


OPERATIONS: dict[str, Operation] = {
    "CreateTrail": create_trail,
    "UpdateTrail": update_trail,
    "DeleteTrail": delete_trail,
    "StartLogging": start_logging,
    "StopLogging": stop_logging,
    "GetTrailStatus": get_trail_status,
    "DescribeTrails": describe_trails,
    "GetTrail": get_trail,
    "ListTrails": list_trails,
    "PutEventSelectors": put_event_selectors,
    "GetEventSelectors": get_event_selectors,
    "PutInsightSelectors": put_insight_selectors,
    "GetInsightSelectors": get_insight_selectors,
    "AddTags": add_tags,
    "RemoveTags": remove_tags,
    "ListTags": list_tags,
}
