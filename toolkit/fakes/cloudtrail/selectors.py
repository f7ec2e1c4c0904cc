"""Event and Insights selectors: validation as PutEventSelectors and PutInsightSelectors do it, and what a trail's
selectors record.

Basic selectors: 1-5 of them, ReadWriteType ReadOnly/WriteOnly/All, data resources of the three supported types
(at most 250 in all; a value is the type's ARN prefix or an ARN of that service: ``arn:aws:s3:::*`` is refused, as
observed), ExcludeManagementEventSources a subset of kms/rdsdata. Advanced selectors: known fields, each selector
naming its eventCategory with Equals, operators non-empty, at most 500 values in all. Errors are
InvalidEventSelectorsException and InvalidInsightSelectorsException; the messages are the fake's own except where
AWS's were observed.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import copy_json

READ_WRITE_TYPES = ("ReadOnly", "WriteOnly", "All")
EXCLUDABLE_SOURCES = ("kms.amazonaws.com", "rdsdata.amazonaws.com")
DATA_TYPES = {
    "AWS::S3::Object": re.compile(r"arn:aws[a-z-]*:s3(?::::(?!\*)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/.*)?)?"),
    "AWS::Lambda::Function": re.compile(r"arn:aws[a-z-]*:lambda(?::[a-z0-9-]+:\d{12}:function(?::.*)?)?"),
    "AWS::DynamoDB::Table": re.compile(r"arn:aws[a-z-]*:dynamodb(?::[a-z0-9-]+:\d{12}:table/.+)?"),
}
MAX_BASIC = 5
MAX_DATA_RESOURCES = 250
MAX_ADVANCED_VALUES = 500
ADVANCED_FIELDS = frozenset(
    {
        "eventCategory",
        "eventSource",
        "eventName",
        "eventType",
        "readOnly",
        "resources.type",
        "resources.ARN",
        "sessionCredentialFromConsole",
        "userIdentity.arn",
        "errorCode",
        "vpcEndpointId",
    }
)
OPERATORS = ("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith")
EVENT_CATEGORIES = frozenset({"Management", "Data", "NetworkActivity"})
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
INSIGHT_CATEGORIES = frozenset({"Management", "Data"})


def _bad_selectors(message: str) -> AwsError:
    return AwsError("InvalidEventSelectorsException", message)


def basic_selectors(selectors: list[Any], *, fresh: bool = False) -> list[dict[str, Any]]:
    """The selectors in full form (every member present), or InvalidEventSelectorsException. ``fresh``: the caller
    made ``selectors`` for this call alone (the world file's reader copies them), so their lists are kept, not
    copied again."""
    if not 1 <= len(selectors) <= MAX_BASIC:
        raise _bad_selectors(f"A trail can have 1 to {MAX_BASIC} event selectors; {len(selectors)} were specified.")
    result = []
    total = 0
    for selector in selectors:
        if not isinstance(selector, dict) or set(selector) - {
            "ReadWriteType",
            "IncludeManagementEvents",
            "DataResources",
            "ExcludeManagementEventSources",
        }:
            raise _bad_selectors(f"Event selector {selector!r} is not valid.")
        read_write = selector.get("ReadWriteType", "All")
        if read_write not in READ_WRITE_TYPES:
            raise _bad_selectors(f"Value {read_write} for ReadWriteType is invalid.")
        management = selector.get("IncludeManagementEvents", True)
        if not isinstance(management, bool):
            raise _bad_selectors(f"Value {management} for IncludeManagementEvents is invalid.")
        resources = selector.get("DataResources") or []
        excluded = selector.get("ExcludeManagementEventSources") or []
        if not isinstance(excluded, list) or any(source not in EXCLUDABLE_SOURCES for source in excluded):
            raise _bad_selectors(f"Value {excluded} for ExcludeManagementEventSources is invalid.")
        total += _check_data_resources(resources)
        result.append(
            {
                "ReadWriteType": read_write,
                "IncludeManagementEvents": management,
                "DataResources": resources if fresh else copy_json(resources),
                "ExcludeManagementEventSources": excluded if fresh else list(excluded),
            }
        )
    if total > MAX_DATA_RESOURCES:
        raise _bad_selectors(f"A trail can have at most {MAX_DATA_RESOURCES} data resources; {total} were specified.")
    return result


def _check_data_resources(resources: object) -> int:
    if not isinstance(resources, list):
        raise _bad_selectors("DataResources must be a list.")
    count = 0
    for resource in resources:
        if not isinstance(resource, dict) or set(resource) - {"Type", "Values"}:
            raise _bad_selectors(f"Data resource {resource!r} is not valid.")
        kind = resource.get("Type")
        pattern = DATA_TYPES.get(kind) if isinstance(kind, str) else None
        if pattern is None:
            raise _bad_selectors(f"Value {kind} for DataResources.Type is invalid.")
        values = resource.get("Values") or []
        if not isinstance(values, list):
            raise _bad_selectors("DataResources.Values must be a list.")
        for value in values:
            if not isinstance(value, str) or not pattern.fullmatch(value):
                raise _bad_selectors(f"Value {value} for DataResources.Values is invalid.")
        count += len(values)
    return count


def advanced_selectors(selectors: list[Any], *, fresh: bool = False) -> list[dict[str, Any]]:
    """The advanced selectors (copied unless ``fresh``, as ``basic_selectors``), or InvalidEventSelectorsException."""
    if not selectors:
        raise _bad_selectors("At least one advanced event selector must be specified.")
    values = 0
    for selector in selectors:
        if not isinstance(selector, dict) or set(selector) - {"Name", "FieldSelectors"}:
            raise _bad_selectors(f"Advanced event selector {selector!r} is not valid.")
        fields = selector.get("FieldSelectors")
        if not isinstance(fields, list) or not fields:
            raise _bad_selectors("An advanced event selector needs at least one field selector.")
        category: list[Any] | None = None
        for field in fields:
            if not isinstance(field, dict) or field.get("Field") not in ADVANCED_FIELDS:
                name = field.get("Field") if isinstance(field, dict) else field
                raise _bad_selectors(f"Field {name} is not a valid advanced event selector field.")
            operators = {key: value for key, value in field.items() if key != "Field"}
            if not operators or set(operators) - set(OPERATORS):
                raise _bad_selectors(
                    f"Field {field['Field']} needs one or more of the operators {', '.join(OPERATORS)}."
                )
            for listed in operators.values():
                if not isinstance(listed, list) or not listed or not all(isinstance(item, str) for item in listed):
                    raise _bad_selectors(f"The operators of field {field['Field']} must list one or more strings.")
                values += len(listed)
            if field["Field"] == "eventCategory":
                category = field.get("Equals")
        if not category or any(item not in EVENT_CATEGORIES for item in category):
            raise _bad_selectors("Each advanced event selector must set eventCategory with Equals.")
    if values > MAX_ADVANCED_VALUES:
        raise _bad_selectors(f"Advanced event selectors can have at most {MAX_ADVANCED_VALUES} values; {values} given.")
    if fresh:
        return selectors
    result: list[dict[str, Any]] = copy_json(selectors)
    return result


def insight_selectors(selectors: list[Any], *, fresh: bool = False) -> list[dict[str, Any]]:
    """The Insights selectors (copied unless ``fresh``, as ``basic_selectors``), or InvalidInsightSelectorsException.
    ``[]`` turns Insights off."""
    seen = set()
    for selector in selectors:
        kind = selector.get("InsightType") if isinstance(selector, dict) else None
        if (
            kind not in INSIGHT_TYPES
            or not isinstance(selector, dict)
            or set(selector)
            - {
                "InsightType",
                "EventCategories",
            }
        ):
            raise AwsError(
                "InvalidInsightSelectorsException",
                f"Insight selector {selector!r} is not valid. Valid InsightType values: {', '.join(INSIGHT_TYPES)}.",
            )
        categories = selector.get("EventCategories")
        if categories is not None and (
            not isinstance(categories, list) or any(item not in INSIGHT_CATEGORIES for item in categories)
        ):
            raise AwsError("InvalidInsightSelectorsException", f"Value {categories} for EventCategories is invalid.")
        if kind in seen:
            raise AwsError("InvalidInsightSelectorsException", f"InsightType {kind} is specified more than once.")
        seen.add(kind)
    if fresh:
        return selectors
    result: list[dict[str, Any]] = copy_json(selectors)
    return result


def records_management(basic: list[dict[str, Any]], advanced: list[dict[str, Any]], *, write: bool) -> bool:
    """Whether the selectors record management events: write events with ``write``, else read or write ones."""
    if advanced:
        for selector in advanced:
            fields = selector.get("FieldSelectors") or []
            if not any(f.get("Field") == "eventCategory" and "Management" in (f.get("Equals") or []) for f in fields):
                continue
            read_only = [f for f in fields if f.get("Field") == "readOnly"]
            if not write or not any(f.get("Equals") == ["true"] or f.get("NotEquals") == ["false"] for f in read_only):
                return True
        return False
    return any(
        selector.get("IncludeManagementEvents", True)
        and (not write or selector.get("ReadWriteType", "All") in ("All", "WriteOnly"))
        for selector in basic
    )


def check_insights_prerequisites(
    insights: list[dict[str, Any]], basic: list[dict[str, Any]], advanced: list[dict[str, Any]]
) -> None:
    """ApiCallRateInsight needs write management events recorded, ApiErrorRateInsight read or write ones [doc].

    Which error AWS raises when they are not is [UNVERIFIED]; the fake raises InvalidInsightSelectorsException.
    """
    for selector in insights:
        if "Management" not in (selector.get("EventCategories") or ["Management"]):
            continue
        kind = selector.get("InsightType")
        write = kind == "ApiCallRateInsight"
        if not records_management(basic, advanced, write=write):
            needed = "write management events" if write else "management events"
            raise AwsError(
                "InvalidInsightSelectorsException",
                f"{kind} requires the trail to log {needed}. Update the trail's event selectors first.",
            )
