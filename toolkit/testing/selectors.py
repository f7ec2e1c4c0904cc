"""Event and Insights selectors of generated trails, basic and advanced."""

from __future__ import annotations

from hypothesis import strategies as st

from toolkit.testing.common import (
    ACCOUNTS,
    ALL_MANAGEMENT,
    COIN,
    INSIGHT_TYPES,
    READ_ONLY,
    REGIONS,
    Data,
    entropic,
    pick,
    picks,
)

MANAGEMENT_SELECTOR = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}
S3_VALUES = (["arn:aws:s3"], ["arn:aws:s3:::data-bucket/"], ["arn:aws:s3:::data-bucket/in/", "arn:aws:s3:::raw-data/"])
EXCLUDED: tuple[list[str], ...] = ([], [], ["kms.amazonaws.com"], ["kms.amazonaws.com", "rdsdata.amazonaws.com"])


def draw_basic_selectors(draw: st.DrawFn, region: str = REGIONS[0], account: str = ACCOUNTS[0]) -> list[Data]:
    """1 to 5 basic event selectors: ReadOnly/WriteOnly/All, management events or not, maybe excluding KMS or
    RDS Data API events, each with 0 to 2 data resources (S3 objects, Lambda functions of ``region``)."""
    function = f"arn:aws:lambda:{region}:{account}:function:ingest"
    # Often the first is the default one (read and write management events), as on a trail given data events.
    default_first, count = picks(draw, COIN, (1, 1, 2, 3, 4, 5))
    selectors: list[Data] = [dict(MANAGEMENT_SELECTOR)] if default_first else []
    for _ in range(count - len(selectors)):
        read_write, management, excluded, resource_count = picks(
            draw, ("All", "ReadOnly", "WriteOnly"), COIN, EXCLUDED, (0, 1, 1, 2)
        )
        resources = []
        for _ in range(resource_count):
            objects, values, lambda_value = picks(draw, COIN, S3_VALUES, ("arn:aws:lambda", function))
            if objects:
                resources.append({"Type": "AWS::S3::Object", "Values": list(values)})
            else:
                resources.append({"Type": "AWS::Lambda::Function", "Values": [lambda_value]})
        selectors.append(
            {
                "ReadWriteType": read_write,
                "IncludeManagementEvents": management,
                "DataResources": resources,
                "ExcludeManagementEventSources": list(excluded),
            }
        )
    return selectors


basic_event_selectors = st.composite(entropic(draw_basic_selectors))

ADVANCED_MANAGEMENT = (
    [ALL_MANAGEMENT],
    [ALL_MANAGEMENT, READ_ONLY],
    [ALL_MANAGEMENT, {"Field": "readOnly", "Equals": ["false"]}],
    [ALL_MANAGEMENT, {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}],
)
ADVANCED_DATA = (
    [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}],
    [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::data-bucket/"]},
    ],
    [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]},
        {"Field": "readOnly", "Equals": ["false"]},
    ],
)


def draw_advanced_selectors(draw: st.DrawFn) -> list[Data]:
    """1 to 3 named advanced event selectors with field selectors: management ones (all, read-only, write-only,
    KMS events excluded) and data ones (S3 objects, maybe under a prefix; Lambda writes)."""
    selectors: list[Data] = []
    for index in range(pick(draw, (1, 2, 3))):
        management, management_fields, data_fields = picks(draw, COIN, ADVANCED_MANAGEMENT, ADVANCED_DATA)
        if management:
            selectors.append({"Name": f"Management events {index}", "FieldSelectors": management_fields})
        else:
            selectors.append({"Name": f"Data events {index}", "FieldSelectors": data_fields})
    return selectors


advanced_event_selectors = st.composite(entropic(draw_advanced_selectors))


def records_management(basic: list[Data], advanced: list[Data]) -> tuple[bool, bool]:
    """(records some management events, records write management events): what each Insights type needs."""
    if advanced:
        management = [s["FieldSelectors"] for s in advanced if ALL_MANAGEMENT in s["FieldSelectors"]]
        return bool(management), any(READ_ONLY not in fields for fields in management)
    management = [s for s in basic if s.get("IncludeManagementEvents", True)]
    return bool(management), any(s.get("ReadWriteType", "All") in ("All", "WriteOnly") for s in management)


def draw_insight_selectors(draw: st.DrawFn, records_any: bool = True, records_write: bool = True) -> list[Data]:
    """Insights selectors a trail can have: ApiCallRateInsight if it records write management events
    (``records_write``), ApiErrorRateInsight if it records any (``records_any``); maybe none; maybe with
    EventCategories."""
    allowed = [kind for kind, ok in zip(INSIGHT_TYPES, (records_write, records_any), strict=True) if ok]
    *chosen, with_categories = picks(draw, *(COIN for _ in allowed), COIN)
    kinds = [kind for kind, on in zip(allowed, chosen, strict=True) if on]
    categories = {"EventCategories": ["Management"]} if kinds and with_categories else {}
    return [{"InsightType": kind, **categories} for kind in kinds]


insight_selectors = st.composite(entropic(draw_insight_selectors))
