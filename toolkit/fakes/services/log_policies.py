"""The fake CloudWatch Logs's resource policies (PutResourcePolicy, DescribeResourcePolicies, DeleteResourcePolicy)
and metric filters (PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter).

Resource policies are the account-level ones (``policyScope`` ACCOUNT), at most ten per region (CloudWatch Logs
quotas; the eleventh is LimitExceededException "Resource limit exceeded.", replacing one is not). A document must
be a policy: a JSON object whose Statement holds statements with an Effect of Allow or Deny, an Action, and a
Principal of known kinds; otherwise InvalidParameterException "Could not convert to persistable policy." (the
message observed for a principal of the wrong kind; [UNVERIFIED] for the other defects). Policies on one resource
(``resourceArn``, with revision ids) are not modelled: putting or deleting one raises NotModeledByFakeWorld, and
listing them finds none.

A metric filter holds exactly one metric transformation, as AWS requires; its pattern is stored as given (AWS checks
its syntax, the fake does not). A group holds at most 100 filters. Filter patterns are not applied to events: the
fake keeps no CloudWatch metrics.
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.logs import (
    MAX_RESOURCE_POLICIES,
    LogGroup,
    LogResourcePolicy,
    MetricFilter,
    millis,
    persistable_policy,
)
from toolkit.fakes.requests import opt_list
from toolkit.fakes.services.log_lookup import (
    check_group_name,
    constraint,
    find_group,
    flag,
    group_name,
    integer,
    invalid,
    not_found,
    page,
    required_text,
    store,
    text,
)

UNITS = (
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
)
MAX_METRIC_FILTERS = 100
LIMIT_EXCEEDED = "Resource limit exceeded."


# -- resource policies --------------------------------------------------------------------------------------------


def put_resource_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    if text(params, "resourceArn") is not None:
        raise NotModeled("logs", "PutResourcePolicy on a resource (resourceArn)")
    name = required_text(params, "policyName")
    document = required_text(params, "policyDocument", most=51200)
    if not persistable_policy(document):
        raise invalid("Could not convert to persistable policy.")
    table = backend.world.log_resource_policies
    where = (backend.region, name)
    if where not in table and sum(1 for region, _ in table if region == backend.region) >= MAX_RESOURCE_POLICIES:
        raise AwsError("LimitExceededException", LIMIT_EXCEEDED)
    policy = LogResourcePolicy(name=name, region=backend.region, document=document, last_updated_time=backend.now())
    table[where] = policy
    return {"resourcePolicy": _describe_policy(policy)}


def describe_resource_policies(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    limit = integer(params, "limit", 1, 50) or 50
    scope = text(params, "policyScope")
    if scope is not None and scope not in ("ACCOUNT", "RESOURCE"):
        raise constraint("policyScope", scope, "Member must satisfy enum value set: [ACCOUNT, RESOURCE]")
    if text(params, "resourceArn") is not None or scope == "RESOURCE":
        return {"resourcePolicies": []}
    policies = sorted(
        (policy for (region, _), policy in backend.world.log_resource_policies.items() if region == backend.region),
        key=_policy_name,
    )
    chunk, token = page(policies, _policy_name, limit, text(params, "nextToken"))
    listed = [_describe_policy(policy) for policy in chunk]
    return {"resourcePolicies": listed} if token is None else {"resourcePolicies": listed, "nextToken": token}


def delete_resource_policy(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    if text(params, "resourceArn") is not None:
        raise NotModeled("logs", "DeleteResourcePolicy on a resource (resourceArn)")
    name = required_text(params, "policyName")
    if backend.world.log_resource_policies.pop((backend.region, name), None) is None:
        raise not_found(f"Policy with name [{name}] does not exist.")
    return {}


def _describe_policy(policy: LogResourcePolicy) -> dict[str, Any]:
    return {
        "policyName": policy.name,
        "policyDocument": policy.document,
        "lastUpdatedTime": millis(policy.last_updated_time),
        "policyScope": "ACCOUNT",
    }


def _policy_name(policy: LogResourcePolicy) -> str:
    return policy.name


# -- metric filters -----------------------------------------------------------------------------------------------


def put_metric_filter(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    filter_name = _filter_name(params)
    pattern = text(params, "filterPattern", required=True, most=1024) or ""
    transformations = _transformations(params)
    if (
        flag(params, "applyOnTransformedLogs")
        or params.get("fieldSelectionCriteria")
        or params.get("emitSystemFieldDimensions")
    ):
        raise NotModeled("logs", "PutMetricFilter on transformed logs or with system field dimensions")
    group = find_group(backend, name)
    existing = group.metric_filters.get(filter_name)
    if existing is None and len(group.metric_filters) >= MAX_METRIC_FILTERS:
        raise AwsError("LimitExceededException", LIMIT_EXCEEDED)
    created = existing.creation_time if existing is not None else backend.now()
    metric_filter = MetricFilter(
        name=filter_name, pattern=pattern, transformations=transformations, creation_time=created
    )
    changed = group.clone()
    changed.metric_filters = {**group.metric_filters, filter_name: metric_filter}
    store(backend, changed)
    return {}


def describe_metric_filters(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    """By group (and then by ``filterNamePrefix``, which AWS applies only with a group), or by metric across the
    region's groups; in group then filter name order."""
    name = text(params, "logGroupName")
    prefix = text(params, "filterNamePrefix", most=512)
    metric = text(params, "metricName", most=255)
    namespace = text(params, "metricNamespace", most=255)
    if (metric is None) != (namespace is None):
        # [UNVERIFIED] the wording; the API reference says each needs the other.
        raise invalid("metricName and metricNamespace must be specified together.")
    limit = integer(params, "limit", 1, 50) or 50
    if name is not None:
        groups = [find_group(backend, check_group_name(name))]
    else:
        groups = sorted(
            (group for (region, _), group in backend.world.log_groups.items() if region == backend.region),
            key=lambda group: group.name,
        )
        prefix = None
    found: list[tuple[LogGroup, MetricFilter]] = []
    for group in groups:
        for filter_name in sorted(group.metric_filters):
            metric_filter = group.metric_filters[filter_name]
            transformation = metric_filter.transformations[0]
            if prefix is not None and not filter_name.startswith(prefix):
                continue
            if metric is not None and (transformation["metricName"], transformation["metricNamespace"]) != (
                metric,
                namespace,
            ):
                continue
            found.append((group, metric_filter))
    chunk, token = page(found, _filter_key, limit, text(params, "nextToken"))
    listed = [_describe_filter(group, metric_filter) for group, metric_filter in chunk]
    return {"metricFilters": listed} if token is None else {"metricFilters": listed, "nextToken": token}


def delete_metric_filter(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = group_name(params)
    filter_name = _filter_name(params)
    group = find_group(backend, name)
    if filter_name not in group.metric_filters:
        raise not_found("The specified metric filter does not exist.")
    changed = group.clone()
    changed.metric_filters = {key: item for key, item in group.metric_filters.items() if key != filter_name}
    store(backend, changed)
    return {}


def _describe_filter(group: LogGroup, metric_filter: MetricFilter) -> dict[str, Any]:
    return {
        "filterName": metric_filter.name,
        "filterPattern": metric_filter.pattern,
        "metricTransformations": [
            {key: dict(value) if isinstance(value, dict) else value for key, value in transformation.items()}
            for transformation in metric_filter.transformations
        ],
        "creationTime": millis(metric_filter.creation_time),
        "logGroupName": group.name,
        "applyOnTransformedLogs": False,
    }


def _filter_name(params: dict[str, Any]) -> str:
    name = required_text(params, "filterName", most=512)
    if not name or ":" in name or "*" in name:
        raise constraint("filterName", name, "Member must satisfy regular expression pattern: [^:*]*")
    return name


def _filter_key(item: tuple[LogGroup, MetricFilter]) -> str:
    return f"{item[0].name}\0{item[1].name}"


def _transformations(params: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    items = opt_list(params, "metricTransformations")
    if items is None:
        raise constraint("metricTransformations", None, "Member must not be null")
    if len(items) != 1:
        shown = ", ".join(_transformation_text(item) for item in items)
        raise constraint("metricTransformations", f"[{shown}]", "Member must have length less than or equal to 1")
    item = items[0]
    if not isinstance(item, dict):
        raise constraint("metricTransformations", item, "Member must be a structure")
    transformation: dict[str, Any] = {}
    for member, most in (("metricName", 255), ("metricNamespace", 255), ("metricValue", 100)):
        value = text(item, member, required=True, most=most) or ""
        if member != "metricValue" and any(char in value for char in ":*$"):
            raise constraint(member, value, "Member must satisfy regular expression pattern: [^:*$]*")
        transformation[member] = value
    default = item.get("defaultValue")
    if default is not None:
        if isinstance(default, bool) or not isinstance(default, int | float):
            raise constraint("defaultValue", default, "Member must be a number")
        transformation["defaultValue"] = float(default)
    dimensions = item.get("dimensions")
    if dimensions is not None:
        if not isinstance(dimensions, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in dimensions.items()
        ):
            raise constraint("dimensions", dimensions, "Member must be a map of strings")
        transformation["dimensions"] = dict(dimensions)
    unit = text(item, "unit")
    if unit is not None:
        if unit not in UNITS:
            raise constraint("unit", unit, f"Member must satisfy enum value set: [{', '.join(UNITS)}]")
        transformation["unit"] = unit
    return (transformation,)


def _transformation_text(item: object) -> str:
    """A transformation as AWS's validation message prints it (Java's toString of the request member)."""
    fields = item if isinstance(item, dict) else {}
    names = ("metricName", "metricNamespace", "metricValue", "defaultValue", "unit", "dimensions")
    shown = ", ".join(f"{name}={'null' if fields.get(name) is None else fields.get(name)}" for name in names)
    return f"MetricTransformation({shown})"


OPERATIONS: dict[str, Operation] = {
    "PutResourcePolicy": put_resource_policy,
    "DescribeResourcePolicies": describe_resource_policies,
    "DeleteResourcePolicy": delete_resource_policy,
    "PutMetricFilter": put_metric_filter,
    "DescribeMetricFilters": describe_metric_filters,
    "DeleteMetricFilter": delete_metric_filter,
}
