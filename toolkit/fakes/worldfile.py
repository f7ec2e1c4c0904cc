"""Reading the world file: every mapping declares its keys, an unknown key is an error naming it, values are
type-checked; and the few value forms the file uses (timestamps, policies) both ways.

The reader keeps nothing of the data it reads (a world never shares a list or mapping with its file's data) and
copies each value once, in the walk that checks it where it can (``checked_policy_copy``; the trail selectors'
checks keep the copy ``structures`` made). Where the quick walk meets anything it does not take on trust, the
original check runs instead, so every message, path and line stays what it was."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.fakes.requests import copy_json
from toolkit.iam.policy import Policy

KeyPath = tuple[str | int, ...]

WORLD_FILE = "a world file"
"""What a world file is called in messages about its whole (``toolkit.source.read_data``'s ``what``)."""

SSM_KEYS = ("Parameters", "Documents", "AutomationExecutions", "ManagedInstances", "Commands")
"""The world file's keys for Systems Manager, in the order ``to_dict`` writes them (here, the lightest module of
the fakes: reading a world that holds none of them loads no SSM module)."""
CONFIG_KEYS = (
    "ConfigurationRecorders",
    "DeliveryChannels",
    "ConfigRules",
    "EvaluationResults",
    "RemediationConfigurations",
    "RemediationExceptions",
    "RemediationExecutionStatuses",
)
"""The world file's keys for AWS Config, in the order ``to_dict`` writes them (see ``SSM_KEYS``)."""


def dotted(path: KeyPath) -> str:
    """``("Trails", 0, "Name")`` -> ``Trails[0].Name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class WorldError(ToolkitError):
    """A world file (or world data) that cannot be read: names the key at fault, and the file and line if known."""

    def __init__(
        self,
        message: str,
        *,
        path: KeyPath = (),
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = dotted(path) or None
        self.file = file
        self.line = line
        self.column = column

    def where(self) -> str:
        if self.file is None:
            return ""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column}" if self.column is not None else f"{self.file}:{self.line}"


class Fields:
    """One mapping of the world file, with the keys it may hold; typed getters with defaults."""

    def __init__(self, data: object, path: KeyPath, allowed: Iterable[str]) -> None:
        if not isinstance(data, dict):
            raise WorldError(f"{dotted(path) or 'the world'} must be a mapping", path=path)
        allowed = frozenset(allowed)  # the same object when given one (``items`` makes it once per list)
        if not allowed.issuperset(data):  # one C-level pass; the loop below only finds the first unknown key
            for key in data:
                if key not in allowed:
                    known = ", ".join(sorted(allowed))
                    message = f"unknown key {dotted((*path, str(key)))} (known keys: {known})"
                    raise WorldError(message, path=(*path, key))
        self.data: dict[str, Any] = data
        self.path = path

    def fail(self, key: str, message: str) -> WorldError:
        return WorldError(f"{dotted((*self.path, key))} {message}", path=(*self.path, key))

    def text(self, key: str, default: str) -> str:
        value = self.data.get(key)
        if value is None:
            value = default
        if not isinstance(value, str) or not value:
            raise self.fail(key, "must be a non-empty string")
        return value

    def required_text(self, key: str) -> str:
        if self.data.get(key) is None:
            raise self.fail(key, "is required")
        return self.text(key, "")

    def optional_text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, "must be a string or null")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "must be a list of strings")
        return tuple(value)

    def policy(self, key: str) -> Policy | None:
        """A policy document (a mapping, or its JSON text), its statements' grammar checked (``policy_problem``):
        the evaluator ignores a malformed statement, so a world file holding one would grant or deny nothing
        silently, where AWS refuses the policy when it is put."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                policy = Policy.parse(value)
            except ValueError as err:
                raise self.fail(key, "must be a policy document (a mapping, or its JSON text)") from err
            problem = policy_problem(policy.document)
            if problem is not None:
                where, message = problem
                raise self.fail(key, f"(JSON text) {dotted(where)} {message}")
            return policy
        if not isinstance(value, dict):
            raise self.fail(key, "must be a policy document (a mapping)")
        copied = checked_policy_copy(value)
        if copied is not None:
            return Policy(copied)
        problem = policy_problem(value)
        if problem is not None:
            where, message = problem
            path = (*self.path, key, *where)
            raise WorldError(f"{dotted(path)} {message}", path=path)
        return Policy(copy_json(value))

    def structures(self, key: str) -> list[dict[str, Any]]:
        """A list of mappings kept as JSON data (copied), e.g. event selectors."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(key, "must be a list of mappings")
        result: list[dict[str, Any]] = copy_json(value)
        return result

    def string_map(self, key: str) -> dict[str, str | None]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(item is None or isinstance(item, str) for item in value.values()):
            raise self.fail(key, "must be a mapping of strings")
        return {str(name): item for name, item in value.items()}

    def timestamp(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError as err:
                raise self.fail(key, "must be an ISO 8601 timestamp") from err
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        raise self.fail(key, "must be an ISO 8601 timestamp")

    def items(self, key: str, allowed: Iterable[str]) -> Iterator[Fields]:
        """The mappings of a list under ``key``, each checked against ``allowed``."""
        value = self.data.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        if not value:
            return
        allowed = frozenset(allowed)
        path = self.path
        for index, item in enumerate(value):
            yield Fields(item, (*path, key, index), allowed)

    def section(self, key: str, allowed: Iterable[str]) -> Fields | None:
        value = self.data.get(key)
        return None if value is None else Fields(value, (*self.path, key), allowed)


POLICY_LISTS = ("Action", "NotAction", "Resource", "NotResource")
"""A statement's elements that are a string or a list of strings."""


def policy_problem(document: Mapping[str, Any]) -> tuple[KeyPath, str] | None:
    """What makes a policy document malformed whatever policy it is (identity, resource, trust, SCP), as every AWS
    service refuses it: a Statement that is not a statement or a list of them, a statement that is not a mapping, an
    Effect other than Allow or Deny, an Action, NotAction, Resource or NotResource that is not a string or a list of
    strings, a Condition that is not a mapping of mappings. None when it has none of these (each service's own
    rules, such as a principal required in a bucket policy, are the fakes' to check where they are put)."""
    raw = document.get("Statement")
    if raw is None:
        return None
    if not isinstance(raw, (dict, list)):
        return ("Statement",), "must be a statement (a mapping) or a list of them"
    statements = [raw] if isinstance(raw, dict) else raw
    for index, statement in enumerate(statements):
        where: KeyPath = ("Statement",) if isinstance(raw, dict) else ("Statement", index)
        if not isinstance(statement, dict):
            return where, "must be a statement (a mapping)"
        effect = statement.get("Effect")
        if effect not in ("Allow", "Deny"):
            return (*where, "Effect"), f"must be Allow or Deny, not {effect!r}"
        for element in POLICY_LISTS:
            value = statement.get(element)
            if value is not None and not (
                isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
            ):
                return (*where, element), "must be a string or a list of strings"
        condition = statement.get("Condition")
        if condition is not None and not (
            isinstance(condition, dict) and all(isinstance(block, dict) for block in condition.values())
        ):
            return (*where, "Condition"), "must be a mapping of condition operators to mappings"
    return None


_STATEMENT_LISTS = frozenset(POLICY_LISTS)
_EFFECTS = ("Allow", "Deny")


def checked_policy_copy(document: dict[str, Any]) -> dict[str, Any] | None:
    """A copy of a policy document (equal to ``copy_json``'s) made in the same walk that checks it, or None when the
    walk meets anything ``policy_problem`` might refuse (or a type it does not take on trust, such as a subclass of
    dict): the caller then asks ``policy_problem`` for the exact message, so one pass serves a valid document and
    every message stays ``policy_problem``'s. Each mapping is copied whole (in C) and only its containers replaced
    by their copies: strings, the most of a policy, are shared as they are immutable."""
    if type(document) is not dict:
        return None
    result = document.copy()
    for key, value in document.items():
        kind = type(value)
        if key == "Statement":
            if kind is list:
                statements = []
                for statement in value:
                    copied = _checked_statement(statement)
                    if copied is None:
                        return None
                    statements.append(copied)
                result[key] = statements
            elif kind is dict:
                copied = _checked_statement(value)
                if copied is None:
                    return None
                result[key] = copied
            elif value is not None:
                return None
        elif kind is not str:
            result[key] = copy_json(value)
    return result


def _checked_statement(statement: object) -> dict[str, Any] | None:
    """One statement copied, or None if ``policy_problem`` might find fault with it (see ``checked_policy_copy``)."""
    if type(statement) is not dict or statement.get("Effect") not in _EFFECTS:
        return None
    result = statement.copy()
    for key, value in statement.items():
        kind = type(value)
        if kind is str:  # most of a statement: kept as it is (a string Condition is refused)
            if key == "Condition":
                return None
            continue
        if value is None:
            continue
        if key == "Condition":
            if kind is not dict:
                return None
            condition = value.copy()
            for operator, block in value.items():
                if type(block) is not dict:
                    return None
                condition[operator] = copy_json(block)
            result[key] = condition
        elif key in _STATEMENT_LISTS:
            if kind is not list:
                return None
            for item in value:
                if type(item) is not str:
                    return None
            result[key] = value.copy()
        else:
            result[key] = copy_json(value)
    return result


def timestamp_text(value: datetime | None) -> str | None:
    """A timestamp as the world file writes it: ISO 8601 in UTC with a Z."""
    if value is None:
        return None
    text = (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()
    return text.removesuffix("+00:00") + "Z"


def policy_json(policy: Policy | None) -> dict[str, Any] | None:
    return None if policy is None else policy.to_json()
