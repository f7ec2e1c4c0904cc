"""The fake Systems Manager's operations (``OPERATIONS``) on the state in ``toolkit.fakes.ssm``: Parameter Store here
(its filters in ``ssm_filters``), documents in ``ssm_documents``, automation executions in ``ssm_automation``,
managed instances and Run Command in ``ssm_commands``.

Parameter Store: PutParameter (versions, Overwrite, tiers and their 4 KB / 8 KB values, AllowedPattern, DataType,
KeyId through the fake KMS), GetParameter (``name``, ``name:version``, ``name:label`` or the ARN), GetParameters,
GetParametersByPath (Recursive, ParameterFilters, pages), DescribeParameters (Filters or ParameterFilters, pages),
GetParameterHistory, LabelParameterVersion, DeleteParameter, DeleteParameters. Errors with AWS's codes:
ParameterNotFound, ParameterVersionNotFound, ParameterAlreadyExists, ValidationException (names, sizes, types),
HierarchyLevelLimitExceededException, HierarchyTypeMismatchException, ParameterMaxVersionLimitExceeded,
ParameterPatternMismatchException, InvalidAllowedPatternException, InvalidKeyId (a KMS key that is absent or
disabled, when putting or decrypting), ParameterVersionLabelLimitExceeded, InvalidFilterKey/Option/Value,
InvalidNextToken. Not modelled (failing loudly): parameter policies, AWS's public parameters (``/aws/...``).

AllowedPattern is a java.util.regex pattern the whole value must match (each item of a StringList): a run against
AWS shows ``[a-z]*`` refusing ``ABCDEF``, which a search would accept, and ``[a-z]{1}`` accepting ``a,b,c`` but not
``aaa,b`` (https://www.skyarch.net/blog/, "パラメータストアの StringList に文字列チェック機能を設定する"). It is read by
``toolkit.javaregex``, as allowedPattern is everywhere in the toolkit; a value it cannot decide fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Final

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_bool, opt_int, opt_str, req_str, str_list, struct_list
from toolkit.fakes.services import ssm_automation, ssm_commands, ssm_documents
from toolkit.fakes.services.kms import resolve
from toolkit.fakes.services.paging import page
from toolkit.fakes.services.ssm_filters import PATH_RULES, matching, parse_filters
from toolkit.fakes.ssm import Parameter, ParameterVersion, parameter_key
from toolkit.fakes.ssm.parameters import (
    ciphertext,
    label_is_valid,
    name_error,
    parameter_arn,
    size_error,
    value_limit,
)
from toolkit.javaregex import CannotDecide, PatternError, compile_java
from toolkit.ssm.limits import (
    MAX_LABELS_PER_PARAMETER_VERSION,
    MAX_PARAMETER_LABEL_LENGTH,
    MAX_PARAMETER_NAMES_PER_CALL,
    MAX_PARAMETER_VERSIONS,
    MAX_PARAMETERS_BY_PATH_PAGE,
    MAX_PARAMETERS_PAGE,
)
from toolkit.ssm.types import DEFAULT_PARAMETER_KEY, PARAMETER_DATA_TYPES, PARAMETER_STORE_TYPES, PARAMETER_TIERS

AMI_ID: Final = re.compile(r"\Aami-[0-9a-zA-Z]{8,17}\Z")


def not_found(name: str) -> AwsError:
    return AwsError("ParameterNotFound", f"Parameter {name} not found.")


def version_not_found(version: int | str, name: str) -> AwsError:
    return AwsError(
        "ParameterVersionNotFound",
        f"Systems Manager could not find version {version} of {name}. Verify the version and try again.",
    )


def not_modeled(what: str) -> AwsError:
    return AwsError("NotModeledByFakeWorld", f"the fake AWS world does not model {what}", status=501)


def _user(backend: FakeBackend) -> str:
    return f"arn:{backend.partition}:iam::{backend.account}:root"


def _public(name: str) -> None:
    """AWS's public parameters (/aws/service/..., /aws/reference/...) are not held by the fake world."""
    if name.lower().startswith("/aws/"):
        raise not_modeled(f"AWS's public parameters ({name}); put the value the runbook needs in the world file")


def locate(backend: FakeBackend, text: str) -> tuple[Parameter | None, str, str | None]:
    """The parameter ``text`` names in this region (its name, ``name:selector`` or its ARN), the name as given, and
    the selector (a version number or a label) if any."""
    name = text
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        resource = parts[5] if len(parts) == 6 else ""
        if len(parts) != 6 or parts[2] != "ssm" or not resource.startswith("parameter/"):
            return None, text, None
        if (parts[1], parts[3], parts[4]) != (backend.partition, backend.region, backend.account):
            return None, text, None
        name = resource.removeprefix("parameter/")
        base = name.split(":", 1)[0]
        name = f"/{name}" if "/" in base else name
    base, colon, selector = name.partition(":")
    _public(base)
    found = backend.world.ssm.parameters.get((backend.region, parameter_key(base)))
    return found, base, selector if colon else None


def _check_key(backend: FakeBackend, parameter_region: str, key_id: str) -> None:
    """The KMS key must exist and be enabled (the AWS managed alias/aws/ssm always is): else InvalidKeyId, with
    KMS's own error inside, as Parameter Store reports it."""
    if key_id.removeprefix(f"arn:{backend.partition}:kms:{parameter_region}:{backend.account}:") == (
        DEFAULT_PARAMETER_KEY
    ):
        return
    try:
        key = resolve(backend, key_id, parameter_region)
    except AwsError as err:
        raise AwsError(
            "InvalidKeyId", f"{err.message} (Service: AWSKMS; Status Code: 400; Error Code: {err.code})"
        ) from err
    if not key.enabled:
        arn = key.arn(backend.partition, backend.account)
        raise AwsError(
            "InvalidKeyId", f"{arn} is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException)"
        )


def _value(backend: FakeBackend, parameter: Parameter, version: ParameterVersion, decrypt: bool) -> str:
    if version.type != "SecureString":
        return version.value
    key = version.key_id or DEFAULT_PARAMETER_KEY
    if not decrypt:
        return ciphertext(key, parameter.name, version.version, version.value)
    _check_key(backend, parameter.region, key)
    return version.value


def _shape(
    backend: FakeBackend, parameter: Parameter, version: ParameterVersion, decrypt: bool, selector: str | None = None
) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "Name": parameter.name,
        "Type": version.type,
        "Value": _value(backend, parameter, version, decrypt),
        "Version": version.version,
    }
    if selector is not None:
        shape["Selector"] = f":{selector}"
    shape["LastModifiedDate"] = version.modified
    shape["ARN"] = parameter_arn(backend.partition, parameter.region, backend.account, parameter.name)
    shape["DataType"] = version.data_type
    return shape


def _metadata(backend: FakeBackend, parameter: Parameter, version: ParameterVersion) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "Name": parameter.name,
        "ARN": parameter_arn(backend.partition, parameter.region, backend.account, parameter.name),
        "Type": version.type,
    }
    if version.key_id is not None:
        shape["KeyId"] = version.key_id
    shape["LastModifiedDate"] = version.modified
    shape["LastModifiedUser"] = version.modified_by
    if version.description is not None:
        shape["Description"] = version.description
    if version.allowed_pattern is not None:
        shape["AllowedPattern"] = version.allowed_pattern
    shape.update({"Version": version.version, "Tier": version.tier, "Policies": [], "DataType": version.data_type})
    return shape


# -- PutParameter ------------------------------------------------------------------------------------------------


def put_parameter(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = req_str(params, "Name")
    value = req_str(params, "Value")
    kind, tier, data_type = opt_str(params, "Type"), opt_str(params, "Tier"), opt_str(params, "DataType")
    key_id, pattern, description = opt_str(params, "KeyId"), opt_str(params, "AllowedPattern"), None
    overwrite = bool(opt_bool(params, "Overwrite"))
    tags = struct_list(params, "Tags") or []
    if "Description" in params:
        description = opt_str(params, "Description")
    problem = name_error(name, backend.partition, backend.region, backend.account)
    if problem is not None:
        raise problem
    if not value:
        raise AwsError(
            "ValidationException",
            "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1.",
        )
    if kind is not None and kind not in PARAMETER_STORE_TYPES:
        raise invalid("type", f"Member must satisfy enum value set: [{', '.join(PARAMETER_STORE_TYPES)}]")
    if tier is not None and tier not in PARAMETER_TIERS:
        raise invalid("tier", f"Member must satisfy enum value set: [{', '.join(PARAMETER_TIERS)}]")
    if opt_str(params, "Policies"):
        raise not_modeled("parameter policies (PutParameter Policies)")
    if tags and overwrite:
        raise AwsError(
            "ValidationException",
            "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please "
            "remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or "
            "RemoveTagsFromResource.",
        )
    table = backend.world.ssm.parameters
    key = (backend.region, parameter_key(name))
    existing = table.get(key)
    if existing is not None and not overwrite:
        raise AwsError(
            "ParameterAlreadyExists",
            "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
        )
    previous = existing.latest if existing is not None else None
    if previous is None and kind is None:
        raise AwsError("ValidationException", "A parameter type is required when you create a parameter.")
    kind = kind or (previous.type if previous else "String")
    if previous is not None and kind != previous.type:
        raise AwsError(
            "HierarchyTypeMismatchException",
            "Parameter Store does not support changing a parameter type in a hierarchy. For example, you can't change "
            "a parameter from a String type to a SecureString type. You must create a new, unique parameter.",
        )
    data_type = data_type or (previous.data_type if previous else "text")
    _check_data_type(kind, data_type, value)
    if kind == "SecureString":
        key_id = key_id or (previous.key_id if previous else None) or DEFAULT_PARAMETER_KEY
        _check_key(backend, backend.region, key_id)
    elif key_id is not None:
        raise AwsError("ValidationException", "KeyId is required for SecureString type parameter only.")
    if description is None and previous is not None and "Description" not in params:
        description = previous.description
    pattern = pattern if pattern is not None else (previous.allowed_pattern if previous else None)
    _check_pattern(pattern, value.split(",") if kind == "StringList" else [value])
    stored_tier = _tier(tier, previous, value)
    error = size_error(value, stored_tier)
    if error is not None:
        raise error
    version = ParameterVersion(
        version=previous.version + 1 if previous else 1,
        type=kind,
        value=value,
        modified=backend.now(),
        modified_by=_user(backend),
        key_id=key_id if kind == "SecureString" else None,
        description=description,
        allowed_pattern=pattern,
        data_type=data_type,
        tier=stored_tier,
    )
    versions = (*existing.versions, version) if existing is not None else (version,)
    if len(versions) > MAX_PARAMETER_VERSIONS:
        oldest = versions[0]
        if oldest.labels:
            raise AwsError(
                "ParameterMaxVersionLimitExceeded",
                f"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite "
                f"flag. Version {oldest.version}, the oldest version, can't be deleted because it has a label "
                "associated with it. Move the label to another version of the parameter, and try again.",
            )
        versions = versions[1:]
    if existing is None:
        table[key] = Parameter(name=name, region=backend.region, versions=versions, tags=_tags(tags))
    else:
        table[key] = existing.with_versions(versions)
    return {"Version": version.version, "Tier": stored_tier}


def _check_data_type(kind: str, data_type: str, value: str) -> None:
    if data_type not in PARAMETER_DATA_TYPES:
        raise AwsError(
            "ValidationException",
            f"The following data type is not supported: {data_type} (Data type names are all lowercase.)",
        )
    if data_type != "text" and kind != "String":
        raise AwsError("ValidationException", f"The data type {data_type} is only for String parameters.")
    if data_type == "aws:ec2:image" and not AMI_ID.fullmatch(value):
        raise AwsError("ValidationException", f"Parameter value, {value}, is not a valid AMI ID.")


def _check_pattern(pattern: str | None, items: list[str]) -> None:
    if pattern is None:
        return
    try:
        compiled = compile_java(pattern)
    except PatternError as err:
        raise AwsError(
            "InvalidAllowedPatternException", f"The request does not meet the regular expression requirement: {err}"
        ) from err
    for item in items:
        try:
            matched = compiled.matches(item)
        except CannotDecide as err:
            raise AwsError(
                "NotModeledByFakeWorld",
                f"the fake AWS world cannot check {item!r} against AllowedPattern {pattern} as SSM would: {err.reason}",
                status=501,
            ) from None
        if not matched:
            raise AwsError(
                "ParameterPatternMismatchException",
                f"Parameter value, cannot be validated against allowedPattern: {pattern}",
            )


def _tier(requested: str | None, previous: ParameterVersion | None, value: str) -> str:
    """The tier the new version is stored in. An advanced parameter stays advanced (reverting would truncate it);
    Intelligent-Tiering picks Standard when the value fits it."""
    if previous is not None and previous.tier == "Advanced":
        if requested == "Standard":
            raise AwsError(
                "ValidationException",
                "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the "
                "advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced "
                "parameter and recreate it as a standard parameter.",
            )
        return "Advanced"
    if requested == "Intelligent-Tiering":
        return "Standard" if len(value) <= value_limit("Standard") else "Advanced"
    return requested or "Standard"


def _tags(tags: list[dict[str, Any]]) -> dict[str, str]:
    result = {}
    for tag in tags:
        if not isinstance(tag.get("Key"), str) or not isinstance(tag.get("Value"), str):
            raise invalid("tags", "Member must have a Key and a Value")
        result[tag["Key"]] = tag["Value"]
    return result


# -- reading parameters ------------------------------------------------------------------------------------------


def get_parameter(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    text = req_str(params, "Name")
    parameter, name, selector = locate(backend, text)
    if parameter is None:
        raise not_found(text)
    version = parameter.select(selector)
    if version is None:
        if selector is not None and selector.isdigit():
            raise version_not_found(selector, name)
        raise not_found(text)
    return {"Parameter": _shape(backend, parameter, version, bool(opt_bool(params, "WithDecryption")), selector)}


def get_parameters(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    names = _names(params, "Names")
    decrypt = bool(opt_bool(params, "WithDecryption"))
    found, missing = [], []
    for text in dict.fromkeys(names):
        parameter, _, selector = locate(backend, text)
        version = parameter.select(selector) if parameter is not None else None
        if parameter is None or version is None:
            missing.append(text)
        else:
            found.append(_shape(backend, parameter, version, decrypt, selector))
    return {"Parameters": found, "InvalidParameters": missing}


def get_parameters_by_path(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    path = req_str(params, "Path")
    recursive = bool(opt_bool(params, "Recursive"))
    decrypt = bool(opt_bool(params, "WithDecryption"))
    size = _size(params, MAX_PARAMETERS_BY_PATH_PAGE, MAX_PARAMETERS_BY_PATH_PAGE)
    _public(path if path.endswith("/") else f"{path}/")
    if not path.startswith("/") or "//" in path or not re.fullmatch(r"[a-zA-Z0-9_.\-/]+", path):
        raise AwsError("ValidationException", PATH_RULES)
    filters = parse_filters(params, allowed=("Type", "KeyId", "Label", "DataType"))
    prefix = path.rstrip("/") + "/"
    chosen: list[tuple[Parameter, ParameterVersion]] = []
    for parameter in _in_region(backend):
        full = parameter.name if parameter.name.startswith("/") else f"/{parameter.name}"
        rest = full[len(prefix) :]
        if not full.startswith(prefix) or not rest or (not recursive and "/" in rest):
            continue
        version = matching(parameter, filters)
        if version is not None:
            chosen.append((parameter, version))
    shown, token = _page(chosen, size, params)
    return _with_token({"Parameters": [_shape(backend, p, v, decrypt) for p, v in shown]}, token)


def describe_parameters(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    old, new = struct_list(params, "Filters"), struct_list(params, "ParameterFilters")
    if old and new:
        raise AwsError("ValidationException", "You can use either Filters or ParameterFilters in a single request.")
    size = _size(params, MAX_PARAMETERS_PAGE, MAX_PARAMETERS_PAGE)
    if opt_bool(params, "Shared"):
        return {"Parameters": []}  # parameters other accounts share with this one: the world holds none
    if old:
        filters = [
            {"Key": item.get("Key"), "Option": "BeginsWith" if item.get("Key") == "Name" else "Equals", **item}
            for item in old
        ]
        for item in filters:
            if item["Key"] not in ("Name", "Type", "KeyId"):
                raise invalid("filters", "Member must satisfy enum value set: [Name, Type, KeyId]")
    else:
        filters = parse_filters(params, allowed=("Name", "Path", "Type", "KeyId", "Tier", "DataType"))
    chosen = [(p, v) for p in _in_region(backend) if (v := matching(p, filters)) is not None]
    shown, token = _page(chosen, size, params)
    return _with_token({"Parameters": [_metadata(backend, p, v) for p, v in shown]}, token)


def get_parameter_history(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    text = req_str(params, "Name")
    decrypt = bool(opt_bool(params, "WithDecryption"))
    size = _size(params, MAX_PARAMETERS_PAGE, MAX_PARAMETERS_PAGE)
    parameter, _, selector = locate(backend, text)
    if parameter is None or selector is not None:
        raise not_found(text)
    shown, token = _page(list(parameter.versions), size, params)
    history = []
    for version in shown:
        entry = _metadata(backend, parameter, version)
        del entry["ARN"]
        entry["Value"] = _value(backend, parameter, version, decrypt)
        entry["Labels"] = list(version.labels)
        history.append(entry)
    return _with_token({"Parameters": history}, token)


# -- labels and deleting -----------------------------------------------------------------------------------------


def label_parameter_version(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    text = req_str(params, "Name")
    labels = str_list(params, "Labels")
    if not labels:
        raise invalid("labels", "Member must have length greater than or equal to 1")
    number = opt_int(params, "ParameterVersion")
    parameter, name, selector = locate(backend, text)
    if parameter is None or selector is not None:
        raise not_found(text)
    target = parameter.latest if number is None else parameter.version(number)
    if target is None:
        raise version_not_found(number if number is not None else "", name)
    for label in labels:
        if len(label) > MAX_PARAMETER_LABEL_LENGTH:
            raise invalid("labels", f"Member must have length less than or equal to {MAX_PARAMETER_LABEL_LENGTH}")
    valid = [label for label in dict.fromkeys(labels) if label_is_valid(label)]
    rejected = [label for label in labels if not label_is_valid(label)]
    attached = (*target.labels, *(label for label in valid if label not in target.labels))
    if len(attached) > MAX_LABELS_PER_PARAMETER_VERSION:
        raise AwsError(
            "ParameterVersionLabelLimitExceeded",
            f"A parameter version can have maximum {MAX_LABELS_PER_PARAMETER_VERSION} labels. Move one or more "
            "labels to another version and try again.",
        )
    versions = tuple(
        _relabel(version, attached if version is target else tuple(x for x in version.labels if x not in valid))
        for version in parameter.versions
    )
    backend.world.ssm.parameters[(backend.region, parameter_key(parameter.name))] = parameter.with_versions(versions)
    return {"InvalidLabels": rejected, "ParameterVersion": target.version}


def _relabel(version: ParameterVersion, labels: tuple[str, ...]) -> ParameterVersion:
    return version if labels == version.labels else replace(version, labels=labels)


def delete_parameter(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    text = req_str(params, "Name")
    parameter, _, selector = locate(backend, text)
    if parameter is None or selector is not None:
        raise not_found(text)
    del backend.world.ssm.parameters[(backend.region, parameter_key(parameter.name))]
    return {}


def delete_parameters(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    deleted, missing = [], []
    for text in dict.fromkeys(_names(params, "Names")):
        parameter, _, selector = locate(backend, text)
        if parameter is None or selector is not None:
            missing.append(text)
            continue
        del backend.world.ssm.parameters[(backend.region, parameter_key(parameter.name))]
        deleted.append(text)
    return {"DeletedParameters": deleted, "InvalidParameters": missing}


# -- shared pieces -----------------------------------------------------------------------------------------------


def _names(params: dict[str, Any], member: str) -> list[str]:
    names = str_list(params, member)
    if not names:
        raise invalid(member[0].lower() + member[1:], "Member must have length greater than or equal to 1")
    if len(names) > MAX_PARAMETER_NAMES_PER_CALL:
        raise invalid(
            member[0].lower() + member[1:],
            f"Member must have length less than or equal to {MAX_PARAMETER_NAMES_PER_CALL}",
        )
    return names


def _size(params: dict[str, Any], default: int, largest: int) -> int:
    size = opt_int(params, "MaxResults")
    if size is None:
        return default
    if not 1 <= size <= largest:
        raise invalid("maxResults", f"Member must have value less than or equal to {largest}")
    return size


def _page(items: list[Any], size: int, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    return page(items, size, opt_str(params, "NextToken"), invalid="InvalidNextToken", message="The token is invalid.")


def _with_token(response: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token is not None:
        response["NextToken"] = token
    return response


def _in_region(backend: FakeBackend) -> list[Parameter]:
    table = backend.world.ssm.parameters
    return [table[key] for key in sorted(table) if key[0] == backend.region]


OPERATIONS: dict[str, Operation] = {
    "PutParameter": put_parameter,
    "GetParameter": get_parameter,
    "GetParameters": get_parameters,
    "GetParametersByPath": get_parameters_by_path,
    "DescribeParameters": describe_parameters,
    "GetParameterHistory": get_parameter_history,
    "LabelParameterVersion": label_parameter_version,
    "DeleteParameter": delete_parameter,
    "DeleteParameters": delete_parameters,
    **ssm_documents.OPERATIONS,
    **ssm_automation.OPERATIONS,
    **ssm_commands.OPERATIONS,
}
