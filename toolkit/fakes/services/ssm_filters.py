"""Parameter Store's filters (ParameterFilters of GetParametersByPath and DescribeParameters, and the older
Filters), checked as Parameter Store checks them, and the version of a parameter they select."""

from __future__ import annotations

from typing import Any, Final

from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, struct_list
from toolkit.fakes.ssm import Parameter, ParameterVersion
from toolkit.ssm.types import PARAMETER_STORE_TYPES

PATH_RULES: Final = (
    "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "
    '"/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the '
    "following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if "
    'specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.'
)


Filter = dict[str, Any]


def parse_filters(params: dict[str, Any], *, allowed: tuple[str, ...]) -> list[Filter]:
    """ParameterFilters checked as Parameter Store checks them: keys the operation takes, options per key, values."""
    filters: list[Filter] = []
    seen: set[str] = set()
    for item in struct_list(params, "ParameterFilters") or []:
        key = item.get("Key")
        if not isinstance(key, str) or (key not in allowed and not key.startswith("tag:")):
            raise AwsError(
                "InvalidFilterKey",
                f"The following filter key is not valid: {key}. Valid filter keys include: [{', '.join(allowed)}].",
            )
        if key in seen:
            raise AwsError(
                "InvalidFilterKey",
                f"The following filter is duplicated in the request: {key}. A request can contain only one "
                "occurrence of a specific filter.",
            )
        seen.add(key)
        option = item.get("Option", "OneLevel" if key == "Path" else "Equals")
        options = {"Path": ("Recursive", "OneLevel"), "Name": ("Equals", "BeginsWith", "Contains")}.get(
            key, ("Equals", "BeginsWith") if key in ("KeyId",) or key.startswith("tag:") else ("Equals",)
        )
        if option not in options:
            raise AwsError(
                "InvalidFilterOption",
                f"The following filter option is not valid: {option}. Valid options include: [{', '.join(options)}].",
            )
        values = item.get("Values") or []
        if not isinstance(values, list):
            raise invalid("parameterFilters.values", "Member must be a list of strings")
        if not values and not key.startswith("tag:"):
            raise AwsError(
                "InvalidFilterValue", f"The following filter values are missing : null for filter key {key}."
            )
        if key == "Type" and any(value not in PARAMETER_STORE_TYPES for value in values):
            raise AwsError(
                "InvalidFilterValue",
                f"The following filter value is not valid: {values}. Valid values include: "
                f"[{', '.join(PARAMETER_STORE_TYPES)}].",
            )
        if key == "Path" and any(not str(value).startswith("/") for value in values):
            raise AwsError("ValidationException", PATH_RULES)
        filters.append({"Key": key, "Option": option, "Values": list(values)})
    return filters


def matching(parameter: Parameter, filters: list[Filter]) -> ParameterVersion | None:
    """The version of ``parameter`` the filters select (the latest, or the labelled one), or None."""
    version = parameter.latest
    for item in filters:
        key, option, values = item["Key"], item["Option"], [str(value) for value in item.get("Values") or []]
        if key == "Label":
            labelled = [parameter.labelled(value) for value in values]
            found = [candidate for candidate in labelled if candidate is not None]
            if not found:
                return None
            version = found[0]
            continue
        if key == "Path":
            full = parameter.name if parameter.name.startswith("/") else f"/{parameter.name}"
            parent = full.rsplit("/", 1)[0] or "/"
            if not any(
                (parent.rstrip("/") or "/") == (value.rstrip("/") or "/")
                if option == "OneLevel"
                else value == "/" or full.startswith(value.rstrip("/") + "/")
                for value in values
            ):
                return None
            continue
        actual: str | None
        if key.startswith("tag:"):
            actual = parameter.tags.get(key[4:])
            if actual is None or (values and not _compare(option, actual, values)):
                return None
            continue
        actual = {
            "Name": parameter.name,
            "Type": version.type,
            "KeyId": version.key_id,
            "Tier": version.tier,
            "DataType": version.data_type,
        }[key]
        if actual is None or not _compare(option, actual, values, name=key == "Name"):
            return None
    return version


def _compare(option: str, actual: str, values: list[str], *, name: bool = False) -> bool:
    if name:  # a name compares with or without its leading slash
        actual = actual if actual.startswith("/") else f"/{actual}"
        values = [value if value.startswith("/") else f"/{value}" for value in values]
    if option == "BeginsWith":
        return any(actual.startswith(value) for value in values)
    if option == "Contains":
        return any(value.strip("/") in actual for value in values)
    return actual in values
