"""CloudTrail practice rules: literal values of the CloudTrail calls a document makes through aws:executeAwsApi.

The calls looked at are CreateTrail, UpdateTrail, PutEventSelectors and PutInsightSelectors (Api in PascalCase
or in boto3's snake_case), with Service ``cloudtrail``. Only literal values are judged: a value holding a
``{{ reference }}`` is known only at run time and is skipped. Trails created or changed by script code
(aws:executeScript) are not seen. The facts come from the CloudTrail API reference and user guide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from toolkit.lint.context import LintDocument, StepSite
from toolkit.lint.rule import Path, Problem, Rule
from toolkit.model.values import JSON
from toolkit.records import Record

CALL_ACTIONS: Final = frozenset({"aws:executeAwsApi"})
READ_ACTIONS: Final = frozenset({"aws:assertAwsResourceProperty", "aws:waitForAwsResourceProperty"})
APIS: Final = {
    name.lower(): name
    for name in (
        "CreateTrail",
        "UpdateTrail",
        "DeleteTrail",
        "StartLogging",
        "StopLogging",
        "GetTrail",
        "GetTrailStatus",
        "PutEventSelectors",
        "GetEventSelectors",
        "PutInsightSelectors",
        "GetInsightSelectors",
    )
}
# The input naming the trail, for each API that takes one.
TRAIL_INPUT: Final = {
    "CreateTrail": "Name",
    "UpdateTrail": "Name",
    "DeleteTrail": "Name",
    "StartLogging": "Name",
    "StopLogging": "Name",
    "GetTrail": "Name",
    "GetTrailStatus": "Name",
    "PutEventSelectors": "TrailName",
    "GetEventSelectors": "TrailName",
    "PutInsightSelectors": "TrailName",
    "GetInsightSelectors": "TrailName",
}

# AWS's trail-name pattern (from the AWS-owned runbooks; ASCII only) and the trail ARN built on it.
NAME_PART: Final = (
    r"(?![-_.])(?!.*[-_.]{2})(?!.*[-_.]$)(?![0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$)[-\w.]{3,128}"
)
TRAIL_NAME: Final = re.compile(rf"\A{NAME_PART}\Z", re.ASCII)
TRAIL_ARN: Final = re.compile(rf"\Aarn:aws[a-zA-Z-]*:cloudtrail:[a-z0-9-]+:[0-9]{{12}}:trail/{NAME_PART}\Z", re.ASCII)

# The key id forms CloudTrail's KmsKeyId takes: key id, multi-Region key id, key ARN, alias name, alias ARN.
KEY_ID: Final = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32}"
ALIAS: Final = r"alias/[a-zA-Z0-9/_-]{1,250}"
KMS_KEY: Final = re.compile(
    rf"\A(?:{KEY_ID}|{ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{{12}}:(?:{ALIAS}|key/(?:{KEY_ID})))\Z"
)

READ_WRITE_TYPES: Final = frozenset({"All", "ReadOnly", "WriteOnly"})


class TrailCall(Record):
    """One CloudTrail API call of a step: the step, the API's PascalCase name, and the call's parameters (a
    ``Record``)."""

    __slots__ = ("api", "site")
    _FIELDS = ("site", "api")

    site: StepSite
    api: str

    def __init__(self, site: StepSite, api: str) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "site", site)
        setattr_(self, "api", api)

    @property
    def params(self) -> dict[str, JSON]:
        return self.site.inputs

    def path(self, key: str) -> Path:
        return (*self.site.path, "inputs", key)

    @property
    def trail(self) -> str | None:
        """The trail named, spelt as written (references normalised), or None when absent or not a string."""
        value = self.params.get(TRAIL_INPUT.get(self.api, ""))
        return re.sub(r"\{\{\s*(.*?)\s*\}\}", r"{{\1}}", value.strip()) if isinstance(value, str) else None


def trail_calls(doc: LintDocument, actions: frozenset[str] = CALL_ACTIONS) -> Iterator[TrailCall]:
    """The document's CloudTrail calls made by steps of the given actions."""
    return (call for call in doc.memo(_trail_calls, lambda: _trail_calls(doc)) if call.site.action in actions)


def _trail_calls(doc: LintDocument) -> tuple[TrailCall, ...]:
    """Every CloudTrail call of the document (found once per document for all the rules of this module)."""
    found = []
    for site in doc.steps:
        if site.action not in CALL_ACTIONS and site.action not in READ_ACTIONS:
            continue
        service, api = site.inputs.get("Service"), site.inputs.get("Api")
        if not isinstance(service, str) or service.strip().lower() != "cloudtrail" or not isinstance(api, str):
            continue
        name = APIS.get(api.strip().replace("_", "").lower())
        if name is not None:
            found.append(TrailCall(site, name))
    return tuple(found)


def _literal(value: JSON) -> bool:
    """A value fixed in the document: no ``{{ reference }}`` anywhere in it."""
    if isinstance(value, str):
        return "{{" not in value
    if isinstance(value, dict):
        return all(_literal(item) for item in value.values())
    if isinstance(value, list):
        return all(_literal(item) for item in value)
    return True


def _flag(value: JSON) -> bool | None:
    """A literal boolean (``true``, ``"True"``...), or None when not one (absent, a reference, anything else)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


# -- settings AWS rejects ------------------------------------------------------------------------------------


class MultiRegionWithoutGlobalEvents(Rule):
    """CreateTrail or UpdateTrail asks for a multi-region trail without global service events.

    CloudTrail rejects ``IsMultiRegionTrail: true`` with ``IncludeGlobalServiceEvents: false`` with
    InvalidParameterCombinationException ("Multi-Region trail must include global service events.").

    Fix: set ``IncludeGlobalServiceEvents: true`` (or leave it out: it defaults to true).
    """

    id = "E6001"
    summary = "multi-region trail without global service events"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for call in trail_calls(doc):
            if call.api not in ("CreateTrail", "UpdateTrail"):
                continue
            multi = _flag(call.params.get("IsMultiRegionTrail"))
            global_events = _flag(call.params.get("IncludeGlobalServiceEvents"))
            if multi is True and global_events is False:
                yield Problem(
                    call.path("IncludeGlobalServiceEvents"),
                    f"{call.site.label}: {call.api} with IsMultiRegionTrail true needs IncludeGlobalServiceEvents "
                    "true; CloudTrail rejects the call.",
                )


class KmsKeyIdForm(Rule):
    """The KmsKeyId of CreateTrail or UpdateTrail is not a KMS key id CloudTrail accepts.

    CloudTrail takes a key id (a UUID), a multi-Region key id (``mrk-`` and 32 hex digits), a key ARN, an alias
    name (``alias/...``) or an alias ARN; anything else fails with InvalidKmsKeyIdException. An empty string
    (UpdateTrail's way to remove encryption) is left to W6011.

    Fix: give the key in one of those forms, e.g. ``alias/cloudtrail`` or
    ``arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab``.
    """

    id = "E6002"
    summary = "KmsKeyId is not a key id, key ARN, alias name or alias ARN"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for call in trail_calls(doc):
            if call.api not in ("CreateTrail", "UpdateTrail"):
                continue
            key = call.params.get("KmsKeyId")
            if isinstance(key, str) and key.strip() and "{{" not in key and not KMS_KEY.match(key.strip()):
                yield Problem(
                    call.path("KmsKeyId"),
                    f"{call.site.label}: KmsKeyId {key.strip()!r} is not a key id, key ARN, alias name or alias ARN.",
                )


def _coverage(call: TrailCall) -> tuple[bool, bool] | None:
    """(read, write): the management events a PutEventSelectors call records; None when not literal."""
    basic, advanced = call.params.get("EventSelectors"), call.params.get("AdvancedEventSelectors")
    if (basic is None) == (advanced is None) or not _literal(basic) or not _literal(advanced):
        return None
    if isinstance(basic, list):
        return _basic_coverage(basic)
    if isinstance(advanced, list):
        return _advanced_coverage(advanced)
    return None


def _basic_coverage(selectors: list[JSON]) -> tuple[bool, bool] | None:
    read = write = False
    for selector in selectors:
        if not isinstance(selector, dict):
            return None
        management = _flag(selector.get("IncludeManagementEvents", True))
        kind = selector.get("ReadWriteType", "All")
        if management is None or kind not in READ_WRITE_TYPES:
            return None
        if management:
            read = read or kind in ("All", "ReadOnly")
            write = write or kind in ("All", "WriteOnly")
    return read, write


def _advanced_coverage(selectors: list[JSON]) -> tuple[bool, bool] | None:
    read = write = False
    for selector in selectors:
        fields = selector.get("FieldSelectors") if isinstance(selector, dict) else None
        if not isinstance(fields, list) or not all(isinstance(field, dict) for field in fields):
            return None
        by_name = {str(field.get("Field")): field for field in fields if isinstance(field, dict)}
        category = by_name.get("eventCategory")
        equals = category.get("Equals") if category is not None else None
        if category is None or set(category) - {"Field", "Equals"} or not isinstance(equals, list):
            return None
        if "Management" not in equals:
            continue
        read_only = by_name.get("readOnly")
        if read_only is None:
            read = write = True
        elif set(read_only) == {"Field", "Equals"} and read_only["Equals"] in (["true"], ["false"]):
            read = read or read_only["Equals"] == ["true"]
            write = write or read_only["Equals"] == ["false"]
        else:
            return None
    return read, write


class InsightsWithoutManagementEvents(Rule):
    """PutInsightSelectors enables Insights on a trail whose event selectors, set in the same document, do not
    record the management events Insights needs.

    CloudTrail Insights analyses management events: ``ApiCallRateInsight`` needs the trail to log *write*
    management events, ``ApiErrorRateInsight`` read or write ones. Selectors with ``ReadWriteType: ReadOnly``
    (or advanced selectors with ``readOnly`` true) leave no write events; ``IncludeManagementEvents: false``
    leaves none at all; CloudTrail then refuses the Insights selectors. Only literal selectors of
    PutEventSelectors calls naming the same trail are compared, and only when every such call lacks the events.

    Fix: record management events with ``ReadWriteType: All`` (or ``WriteOnly``) and
    ``IncludeManagementEvents: true``, or drop the Insights type that cannot work.
    """

    id = "E6003"
    summary = "Insights on a trail that does not record the management events they need"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        calls = list(trail_calls(doc))
        selectors: dict[str, list[tuple[bool, bool] | None]] = {}
        for call in calls:
            if call.api == "PutEventSelectors" and call.trail is not None:
                selectors.setdefault(call.trail, []).append(_coverage(call))
        if not selectors:
            return
        for call in calls:
            coverages = selectors.get(call.trail or "") if call.api == "PutInsightSelectors" else None
            if not coverages or any(coverage is None for coverage in coverages):
                continue
            has_read = any(coverage[0] for coverage in coverages if coverage is not None)
            has_write = any(coverage[1] for coverage in coverages if coverage is not None)
            yield from self._insights(call, has_read, has_write)

    @staticmethod
    def _insights(call: TrailCall, has_read: bool, has_write: bool) -> Iterator[Problem]:
        items = call.params.get("InsightSelectors")
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            if not isinstance(item, dict) or item.get("EventCategories", ["Management"]) != ["Management"]:
                continue
            kind = item.get("InsightType")
            if kind == "ApiCallRateInsight" and not has_write:
                needed = "write management events"
            elif kind == "ApiErrorRateInsight" and not (has_read or has_write):
                needed = "management events"
            else:
                continue
            yield Problem(
                (*call.path("InsightSelectors"), index, "InsightType"),
                f"{call.site.label}: {kind} needs the trail to record {needed}, which the event selectors set in "
                "this document exclude.",
            )


class TrailNameForm(Rule):
    """A CloudTrail call names a trail that cannot exist.

    Trail names are 3 to 128 ASCII letters, digits, ``.``, ``_`` and ``-``; they start and end with a letter or
    digit, have no two adjacent ``.``/``_``/``-``, and are not an IPv4 address. Calls other than CreateTrail may
    give the trail's ARN instead. CloudTrail answers InvalidTrailNameException (or CloudTrailARNInvalidException).

    Fix: correct the name (AWS's own pattern is in the CloudTrail runbooks' ``allowedPattern``).
    """

    id = "E6004"
    summary = "trail name or ARN is malformed"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for call in trail_calls(doc, CALL_ACTIONS | READ_ACTIONS):
            key = TRAIL_INPUT[call.api]
            name = call.params.get(key)
            if not isinstance(name, str) or "{{" in name:
                continue
            if TRAIL_NAME.match(name) or (call.api != "CreateTrail" and TRAIL_ARN.match(name)):
                continue
            form = "name" if call.api == "CreateTrail" or not name.startswith("arn:") else "ARN"
            yield Problem(call.path(key), f"{call.site.label}: {name!r} is not a valid trail {form}.")


# -- best practice ------------------------------------------------------------------------------------------


def _setting(call: TrailCall, key: str, wanted: str) -> Iterator[Problem]:
    """A trail setting turned off: absent from CreateTrail (where the default is off) or a literal false."""
    value = call.params.get(key)
    flag = _flag(value)
    if call.api == "CreateTrail" and key not in call.params:
        yield Problem(
            call.path("Api"),
            f"{call.site.label}: CreateTrail leaves {key} at its default, false; add {key}: true ({wanted}).",
        )
    elif flag is False:
        yield Problem(call.path(key), f"{call.site.label}: {call.api} sets {key} to false; set it true ({wanted}).")


class LogFileValidationOff(Rule):
    """CreateTrail does not enable log file validation, or UpdateTrail turns it off.

    Without validation CloudTrail delivers no digest files, so nobody can prove a log file was not changed or
    deleted after delivery (Security Hub CloudTrail.4, CIS 3.2; Config rule
    cloud-trail-log-file-validation-enabled). CreateTrail's default is false; UpdateTrail changes only what it
    is given, so leaving the key out of an UpdateTrail is fine.

    Fix: add ``EnableLogFileValidation: true``.
    """

    id = "W6010"
    summary = "trail without log file validation"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for call in trail_calls(doc):
            if call.api in ("CreateTrail", "UpdateTrail"):
                yield from _setting(call, "EnableLogFileValidation", "digest files prove logs unchanged")


class EncryptionOff(Rule):
    """CreateTrail has no KmsKeyId, or UpdateTrail removes it (``KmsKeyId: ""``).

    Without a KMS key the log files are encrypted only with SSE-S3, so anyone who can read the bucket can read
    them; SSE-KMS adds the key policy as a second gate (Security Hub CloudTrail.2, CIS 3.5/3.7; Config rule
    cloud-trail-encryption-enabled).

    Fix: add ``KmsKeyId`` (a key whose policy lets CloudTrail encrypt, in the bucket's region).
    """

    id = "W6011"
    summary = "trail without SSE-KMS encryption"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for call in trail_calls(doc):
            if call.api not in ("CreateTrail", "UpdateTrail"):
                continue
            key = call.params.get("KmsKeyId")
            if call.api == "CreateTrail" and (key is None or (isinstance(key, str) and not key.strip())):
                at = call.path("Api") if key is None else call.path("KmsKeyId")
                yield Problem(
                    at, f"{call.site.label}: CreateTrail has no KmsKeyId; log files are not SSE-KMS encrypted."
                )
            elif call.api == "UpdateTrail" and isinstance(key, str) and not key.strip():
                yield Problem(
                    call.path("KmsKeyId"),
                    f"{call.site.label}: UpdateTrail with an empty KmsKeyId removes the trail's SSE-KMS encryption.",
                )


class SingleRegionTrail(Rule):
    """CreateTrail makes a single-region trail, or UpdateTrail turns a trail single-region.

    A single-region trail sees nothing of the other regions, where an attacker can work unrecorded; AWS and CIS
    recommend one multi-region trail (Security Hub CloudTrail.1, CIS 3.1; Config rule
    multi-region-cloudtrail-enabled). CreateTrail's default is single-region.

    Fix: add ``IsMultiRegionTrail: true`` (with IncludeGlobalServiceEvents left true).
    """

    id = "W6012"
    summary = "single-region trail"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for call in trail_calls(doc):
            if call.api in ("CreateTrail", "UpdateTrail"):
                yield from _setting(call, "IsMultiRegionTrail", "one trail records every region")


RULES: tuple[type[Rule], ...] = (
    MultiRegionWithoutGlobalEvents,
    KmsKeyIdForm,
    InsightsWithoutManagementEvents,
    TrailNameForm,
    LogFileValidationOff,
    EncryptionOff,
    SingleRegionTrail,
)
