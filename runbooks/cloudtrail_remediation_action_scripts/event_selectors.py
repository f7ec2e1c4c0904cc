"""Record read and write management events with no excluded sources, keeping every data-event selector.

aws:executeScript handler ``handler(events, context)``. Basic selectors: data-event selectors keep their
ReadWriteType and DataResources (management events move to one All selector); advanced selectors: data-event
selectors are kept as they are and the management selectors are replaced by one for all management events.
When the trail already records all management events, nothing is written.
"""

from __future__ import annotations

from typing import Any

import boto3

MAX_BASIC_SELECTORS = 5
MANAGEMENT_SELECTOR = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}
ADVANCED_MANAGEMENT_SELECTOR = {
    "Name": "Management events selector",
    "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
}


def records_all_management_events(response: dict[str, Any]) -> bool:
    """Whether GetEventSelectors' response already records read and write management events, none excluded."""
    advanced = response.get("AdvancedEventSelectors") or []
    if advanced:
        # Every management selector must be the plain one: another (eventSource NotEquals ...) reads as an
        # exclusion to AWS Config's rules.
        management = [selector for selector in advanced if _is_management(selector)]
        return bool(management) and all(_is_all_management(selector) for selector in management)
    basic = response.get("EventSelectors") or []
    records_all = any(
        selector.get("IncludeManagementEvents", True)
        and selector.get("ReadWriteType", "All") == "All"
        and not selector.get("ExcludeManagementEventSources")
        for selector in basic
    )
    # AWS Config's multi-region and security-trail rules fail a trail if any selector excludes event sources.
    excludes = any(selector.get("ExcludeManagementEventSources") for selector in basic)
    return records_all and not excludes


def _is_all_management(selector: dict[str, Any]) -> bool:
    fields = selector.get("FieldSelectors") or []
    return fields == [{"Field": "eventCategory", "Equals": ["Management"]}]


def _is_management(selector: dict[str, Any]) -> bool:
    return any(
        field.get("Field") == "eventCategory" and field.get("Equals") == ["Management"]
        for field in selector.get("FieldSelectors") or []
    )


def plan(response: dict[str, Any]) -> dict[str, Any] | None:
    """The PutEventSelectors arguments (less TrailName) that bring the trail to best practice, or None."""
    if records_all_management_events(response):
        return None
    advanced = response.get("AdvancedEventSelectors") or []
    if advanced:
        kept = [selector for selector in advanced if not _is_management(selector)]
        return {"AdvancedEventSelectors": [ADVANCED_MANAGEMENT_SELECTOR, *kept]}
    selectors: list[dict[str, Any]] = [dict(MANAGEMENT_SELECTOR)]
    for selector in response.get("EventSelectors") or []:
        data = selector.get("DataResources") or []
        if data:
            selectors.append(
                {
                    "ReadWriteType": selector.get("ReadWriteType", "All"),
                    "IncludeManagementEvents": False,
                    "DataResources": data,
                }
            )
    if len(selectors) > MAX_BASIC_SELECTORS:
        raise ValueError(
            f"the trail has {len(selectors) - 1} data-event selectors; adding a management-event selector would "
            f"exceed CloudTrail's {MAX_BASIC_SELECTORS}. Merge data selectors or move to advanced selectors. "
            "Nothing was changed."
        )
    return {"EventSelectors": selectors}


def handler(events: dict[str, Any], context: Any) -> dict[str, Any]:
    cloudtrail = boto3.client("cloudtrail")
    name = events["TrailName"]
    current = cloudtrail.get_event_selectors(TrailName=name)
    arguments = plan(current)
    if arguments is None:
        return {"Changed": False}
    cloudtrail.put_event_selectors(TrailName=name, **arguments)
    return {"Changed": True}
