"""The resource ARNs of one request: the Service Authorization Reference's ARN templates filled from its parameters.

A template such as ``arn:${Partition}:cloudtrail:${Region}:${Account}:trail/${TrailName}`` is filled from the
call's partition, region and account and from the request. The services the fakes own have explicit resolvers
below (their parameters' names and forms are known); any other service gets the generic resolver, which
- uses an ARN-valued parameter whole when it matches the template (``TopicArn``, ``ResourceArn``, ``RoleArn``...);
- else fills each ``${Var}`` from the parameter of the same name, or whose name without a suffix (Name, Id, Arn,
  Identifier, and their plurals) is the variable's without one (``DbInstanceName`` <- ``DBInstanceIdentifier``), or
  a bare ``Name``/``Id`` when the variable names the resource type (``TrailName`` of ``trail``); a list-valued
  parameter gives one ARN per element (``InstanceIds``).
A resolver answers a list of ARNs, or None when the request does not name the resource.

Decisions where AWS's documents are silent or the request cannot tell:
- KMS: a KeyId naming an alias (``alias/x`` or its ARN) yields the *alias* ARN for the ``key`` resource type.
  AWS authorizes such a call on the key the alias points to (KMSDG/alias-authorization.html: an alias in a
  policy's Resource does not control access to the key), which only the world knows: the glue swaps the alias ARN
  for its target key's (``alias_arn_in`` recognises one). The request's alias is also in ``kms:RequestAlias``.
- Config rules are named by name, but their ARN holds an id AWS generates: unresolved (``*``) unless the request
  carries the ARN or id; likewise configuration recorders (name/id) and remediation configurations.
- Organizations ARNs hold the organization's id, which no request carries: unresolved unless an ARN is given.
- IAM: a role, user, group, policy or instance profile named by name gets the path ``/`` unless the request gives
  ``Path`` (Create*): a path other than ``/`` is the world's, not the request's.
- Logs: a log group's ARN is ``arn:aws:logs:R:A:log-group:NAME:*`` (the ``arn`` DescribeLogGroups reports, which
  policies name); the SAR's template lacks the ``:*``.
- EventBridge: a rule on the default event bus is ``rule/NAME``, on any other ``rule/BUS/NAME``.
- SSM: a parameter's ARN is ``parameter/NAME`` with NAME's leading ``/`` dropped (no doubled slash); documents and
  automation definitions whose names AWS reserves (``AWS-``, ``Amazon``, ``amzn``) have an empty account field, as
  in AWS's own denial messages (iam.md 4.1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from toolkit.records import Record
from toolkit.ssm.names import RESERVED_DOCUMENT_PREFIXES

Env = tuple[str, str, str]
"""(partition, region, account) of the call."""

Resolver = Callable[[str, "Template", Mapping[str, Any], Env], "list[str] | None"]
"""(resource type, ARN template, request, env) -> the ARNs the request names, or None."""

_VAR: Final = re.compile(r"\$\{([A-Za-z0-9]+)\}")
_ENV_VARS: Final = {"Partition": 0, "Region": 1, "Account": 2}
_SUFFIXES: Final = ("identifiers", "identifier", "names", "name", "ids", "id", "arns", "arn")


def fill(template: str, values: Mapping[str, str], env: Env) -> str | None:
    """The template with every variable filled, or None when one has no value."""
    missing = False

    def one(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1)
        if name in _ENV_VARS:
            return env[_ENV_VARS[name]]
        value = values.get(name)
        if value is None:
            missing = True
            return ""
        return value

    filled = _VAR.sub(one, template)
    return None if missing else filled


def template_pattern(template: str) -> re.Pattern[str]:
    """A regex matching the ARNs of a template: partition, region and account as themselves (possibly empty),
    other variables any text without ``:`` (log group names hold ``/``), the last one any text at all (object keys,
    role paths, qualified function names)."""
    parts = _VAR.split(template)
    names = parts[1::2]
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(re.escape(part))
        elif part in _ENV_VARS:
            out.append("[^:]*")
        else:
            out.append(".+" if index == 2 * len(names) - 1 else "[^:]+")
    return re.compile("".join(out) + r"\Z")


def variables(template: str) -> list[str]:
    return [name for name in _VAR.findall(template) if name not in _ENV_VARS]


class Template(Record):
    """An ARN template compiled once: its text, the regex of its ARNs and its request variables."""

    __slots__ = ("names", "pattern", "text")
    _FIELDS = ("text", "pattern", "names")
    text: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]

    def __init__(self, text: str, pattern: re.Pattern[str], names: tuple[str, ...]) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "names", names)

    @classmethod
    def of(cls, text: str) -> Template:
        return cls(text, template_pattern(text), tuple(variables(text)))

    def fill(self, values: Mapping[str, str], env: Env) -> str | None:
        return fill(self.text, values, env)


def _stem(name: str) -> str:
    lower = name.lower()
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return lower[: -len(suffix)]
    return lower


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str) and value:
        return [value]
    if isinstance(value, list) and value and all(isinstance(item, str) and item for item in value):
        return list(value)
    return None


def generic(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    """Any service's resource, from parameter names alone (the module's docstring)."""
    pattern = template.pattern
    whole = [
        value
        for values in map(_strings, params.values())
        for value in values or ()
        if value.startswith("arn:") and pattern.match(value)
    ]
    if whole:
        return whole
    kind_stem = _stem(kind.replace("-", ""))
    values: dict[str, list[str]] = {}
    for var in template.names:
        var_stem = _stem(var)
        for name, value in params.items():
            lower = name.lower()
            if not (
                lower == var.lower()
                or _stem(name) == var_stem
                or (lower in ("name", "id", "identifier") and var_stem == kind_stem)
            ):
                continue
            found = _strings(value)
            if found and not any(item.startswith("arn:") for item in found):
                values[var] = found
                break
        if var not in values:
            return None
    return _expand(template, values, env)


def _expand(template: Template, values: Mapping[str, list[str]], env: Env) -> list[str] | None:
    """One ARN per element of the (at most one) list-valued variable."""
    listed = [var for var, found in values.items() if len(found) > 1]
    if len(listed) > 1:
        return None
    rows = values[listed[0]] if listed else [""]
    arns = []
    for row in rows:
        one = {var: (row if var in listed else found[0]) for var, found in values.items()}
        arn = template.fill(one, env)
        if arn is not None:
            arns.append(arn)
    return arns or None


# -- the services the fakes own ------------------------------------------------------------------------------


def _named(template: Template, var: str, value: Any, env: Env) -> list[str] | None:
    """Name-or-ARN parameters: an ARN is used whole (it names its own region and account)."""
    found = _strings(value)
    if not found:
        return None
    return [item if item.startswith("arn:") else (template.fill({var: item}, env) or "") for item in found]


def cloudtrail(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    if kind == "trail":
        value = params.get("Name", params.get("TrailName"))
        if value is not None:
            return _named(template, "TrailName", value, env)
    return generic(kind, template, params, env)


def s3(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    bucket = params.get("Bucket")
    if not isinstance(bucket, str) or not bucket:
        return None
    access_point = bucket.startswith("arn:") and ":accesspoint/" in bucket
    key = params.get("Key")
    if kind == "bucket" and not access_point:
        return [template.fill({"BucketName": bucket}, env) or ""]
    if kind == "object" and not access_point and isinstance(key, str):
        return [template.fill({"BucketName": bucket, "ObjectName": key}, env) or ""]
    if kind == "accesspoint" and access_point:
        return [bucket]
    if kind == "accesspointobject" and access_point and isinstance(key, str):
        return [f"{bucket}/object/{key}"]
    return None


ALIAS_ARN: Final = re.compile(r"arn:[^:]+:kms:[^:]*:[^:]*:alias/.+\Z")


def alias_arn_in(resource: str) -> bool:
    """Whether a Need's resource is a KMS alias's ARN (for a key-typed action: see the module's docstring)."""
    return ALIAS_ARN.match(resource) is not None


def kms_key(value: Any, env: Env) -> str | None:
    """A KeyId in any of its forms -> the key's ARN, or the alias's ARN when it names an alias."""
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("arn:"):
        return value
    partition, region, account = env
    if value.startswith("alias/"):
        return f"arn:{partition}:kms:{region}:{account}:{value}"
    return f"arn:{partition}:kms:{region}:{account}:key/{value}"


def kms(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    if kind == "key":
        for name in ("KeyId", "TargetKeyId"):
            arn = kms_key(params.get(name), env)
            if arn is not None:
                return [arn]
        return None
    if kind == "alias":
        alias = params.get("AliasName")
        arn = kms_key(alias, env) if isinstance(alias, str) and alias.startswith(("alias/", "arn:")) else None
        return [arn] if arn else None
    return generic(kind, template, params, env)


def sns(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    if kind == "topic":
        for name in ("TopicArn", "ResourceArn", "TargetArn"):
            arn = params.get(name)
            if isinstance(arn, str) and arn.startswith("arn:"):
                return [arn]
        subscription = params.get("SubscriptionArn")
        if isinstance(subscription, str) and subscription.count(":") >= 6:
            return [subscription.rsplit(":", 1)[0]]  # arn:aws:sns:R:A:TOPIC:ID names its topic
        if "Name" in params:
            return _named(template, "TopicName", params["Name"], env)
        return None
    return generic(kind, template, params, env)


def _log_group_arn(value: Any, env: Env) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("arn:"):
        return value if value.endswith(":*") else f"{value}:*"
    partition, region, account = env
    return f"arn:{partition}:logs:{region}:{account}:log-group:{value}:*"


def logs(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    group = params.get("logGroupName", params.get("logGroupIdentifier"))
    if kind == "log-group":
        arn = _log_group_arn(group, env)
        if arn is None and isinstance(params.get("resourceArn"), str) and ":log-group:" in params["resourceArn"]:
            arn = _log_group_arn(params["resourceArn"], env)
        return [arn] if arn else None
    if kind == "log-stream":
        stream = params.get("logStreamName")
        arn = _log_group_arn(group, env)
        if arn is None or not isinstance(stream, str):
            return None
        return [f"{arn[:-2]}:log-stream:{stream}"]
    return generic(kind, template, params, env)


_IAM_NAMES: Final = {
    "role": "RoleName",
    "user": "UserName",
    "group": "GroupName",
    "instance-profile": "InstanceProfileName",
    "policy": "PolicyName",
}


def iam(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    for name in ("PolicyArn", "RoleArn", "Arn"):
        arn = params.get(name)
        if isinstance(arn, str) and template.pattern.match(arn):
            return [arn]
    named = params.get(_IAM_NAMES.get(kind, ""))
    if not isinstance(named, str) or not named or not template.names:
        return None
    path = params.get("Path")
    prefix = path.strip("/") + "/" if isinstance(path, str) and path.strip("/") else ""
    return [template.fill({template.names[-1]: prefix + named}, env) or ""]


def sts(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    return generic(kind, template, params, env)


def _document_env(name: str, env: Env) -> Env:
    """AWS-owned documents' ARNs have no account (iam.md 4.1)."""
    return (env[0], env[1], "") if name.lower().startswith(RESERVED_DOCUMENT_PREFIXES) else env


def ssm(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    if kind == "parameter":
        names = _strings(params.get("Name", params.get("Names", params.get("Path"))))
        if names is None:
            return None
        return [
            name
            if name.startswith("arn:")
            else template.fill({"ParameterNameWithoutLeadingSlash": name.lstrip("/")}, env) or ""
            for name in names
        ]
    document = params.get("DocumentName", params.get("Name"))
    if kind == "document":
        if not isinstance(document, str) or not document:
            return None
        if document.startswith("arn:"):
            return [document]
        return [template.fill({"DocumentName": document}, _document_env(document, env)) or ""]
    if kind == "automation-definition":
        if not isinstance(document, str) or not document:
            return None
        version = params.get("DocumentVersion")
        version = version if isinstance(version, str) and version else "$DEFAULT"
        if document.startswith("arn:"):  # a shared document: arn:P:ssm:R:A:document/NAME
            head, _, name = document.partition(":document/")
            return [f"{head}:automation-definition/{name}:{version}"]
        values = {"AutomationDefinitionName": document, "VersionId": version}
        return [template.fill(values, _document_env(document, env)) or ""]
    return generic(kind, template, params, env)


def config(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    if kind == "configrule":
        rule = params.get("ConfigRule")
        source = rule if isinstance(rule, Mapping) else params
        arn = source.get("ConfigRuleArn")
        if isinstance(arn, str) and arn:
            return [arn]
        rule_id = source.get("ConfigRuleId")
        if isinstance(rule_id, str) and rule_id:
            return [template.fill({"ConfigRuleId": rule_id}, env) or ""]
        return None  # named by name only: the id is AWS's (the module's docstring)
    if kind in ("configurationrecorder", "remediationconfiguration"):
        arn = params.get("Arn")
        return [arn] if isinstance(arn, str) and arn.startswith("arn:") else None
    return generic(kind, template, params, env)


def events(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    """An EventBridge rule is named by ``Name`` (PutRule, DeleteRule...) or ``Rule`` (PutTargets, RemoveTargets);
    on the default event bus (``EventBusName`` absent or ``default``) its ARN is ``rule/NAME``, on another bus
    ``rule/BUS/NAME``, so exactly one of the SAR's two rule types applies."""
    if kind not in ("rule-on-default-event-bus", "rule-on-custom-event-bus"):
        return generic(kind, template, params, env)
    name = params.get("Name") if "Name" in params else params.get("Rule")
    if not isinstance(name, str) or not name:
        return None
    if name.startswith("arn:"):
        return [name] if template.pattern.match(name) else None
    bus = params.get("EventBusName")
    bus = bus.rsplit("/", 1)[-1] if isinstance(bus, str) and bus else "default"
    if (kind == "rule-on-custom-event-bus") != (bus != "default"):
        return None
    arn = template.fill({"RuleName": name, "EventBusName": bus}, env)
    return [arn] if arn else None


def organizations(kind: str, template: Template, params: Mapping[str, Any], env: Env) -> list[str] | None:
    pattern = template.pattern
    found = [
        value
        for values in map(_strings, params.values())
        for value in values or ()
        if value.startswith("arn:") and pattern.match(value)
    ]
    return found or None  # every other ARN holds the organization's id, which no request carries


RESOLVERS: Final[dict[str, Resolver]] = {
    "cloudtrail": cloudtrail,
    "s3": s3,
    "kms": kms,
    "sns": sns,
    "logs": logs,
    "iam": iam,
    "sts": sts,
    "ssm": ssm,
    "config": config,
    "organizations": organizations,
    "events": events,
}
"""IAM prefix -> its explicit resolver; every other prefix uses ``generic``."""


def resolver(prefix: str) -> Resolver:
    return RESOLVERS.get(prefix, generic)


def arns_of(resolve: Resolver, kind: str, template: Template, params: Mapping[str, Any], env: Env) -> Sequence[str]:
    return [arn for arn in resolve(kind, template, params, env) or () if arn]
