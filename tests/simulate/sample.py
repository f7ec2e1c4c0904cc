"""Sample parameter values for any document: defaults where declared, else a value of the right type that meets
the parameter's allowedValues, allowedPattern and length rules (a string is built from the pattern's own syntax)."""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11 keeps the regular-expression parser here
    from re import _constants as constants
    from re import _parser as parser
except ImportError:  # pragma: no cover - older layout
    import sre_constants as constants  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

from toolkit.fakes.world import World
from toolkit.javaregex import CannotDecide, JavaPattern, PatternError, compile_java


def sample_parameters(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, spec in (data.get("parameters") or {}).items():
        if not isinstance(spec, dict) or ("default" in spec and not _unusable(spec["default"])):
            continue
        out[name] = sample_value(spec)
    return out


def _unusable(default: Any) -> bool:
    """A default the fake world cannot give: read from Parameter Store, or a build-time placeholder."""
    return isinstance(default, str) and (("{{" in default and "ssm:" in default) or "%%" in default)


def sample_value(spec: dict[str, Any]) -> Any:
    kind = spec.get("type", "String")
    allowed = spec.get("allowedValues")
    if isinstance(allowed, list) and allowed:
        first = allowed[0]
        return [str(first)] if kind in ("StringList",) or str(kind).startswith("List<") else first
    if kind == "Integer":
        return 1
    if kind == "Boolean":
        return True
    if kind == "StringMap":
        return {"key": "value"}
    if kind == "MapList":
        return [{"key": "value"}]
    text = _text(spec)
    if kind == "StringList" or str(kind).startswith("List<"):
        return [text]
    return text


def _text(spec: dict[str, Any]) -> str:
    pattern = spec.get("allowedPattern")
    text = "sample"
    if isinstance(pattern, str):
        try:
            compiled = compile_java(pattern)
        except PatternError:
            compiled = None
        sample = None if compiled is None else compiled.sample_pattern(SAMPLE_CHARS)
        if compiled is not None and sample is not None:
            for choice in range(4):  # which alternative of each | to take: the first that gives a match
                candidate = _from_pattern(sample, choice)
                if candidate is not None and _decides(compiled, candidate):
                    text = candidate
                    break
    low = spec.get("minChars")
    if isinstance(low, int) and len(text) < low:
        text = text + "a" * (low - len(text))
    high = spec.get("maxChars")
    if isinstance(high, int) and len(text) > high:
        text = text[:high]
    return text


SAMPLE_CHARS = "abcxyz019ABCXYZ-_./:@=,+ "
"""The characters a sample value is made of (each class of the pattern narrowed to them, the first kept)."""


def _decides(pattern: JavaPattern, text: str) -> bool:
    try:
        return pattern.matches(text)
    except CannotDecide:
        return False


def _from_pattern(pattern: str, choice: int) -> str | None:
    try:
        tree = parser.parse(pattern)
    except (re.error, RecursionError):
        return None
    try:
        return _build(tree, choice)
    except (ValueError, RecursionError):
        return None


def _build(items: Any, choice: int) -> str:
    return "".join(_one(op, arg, choice) for op, arg in items)


def _one(op: Any, arg: Any, choice: int) -> str:
    c = constants
    if op is c.LITERAL:
        return chr(arg)
    if op is c.NOT_LITERAL:
        return "a" if chr(arg) != "a" else "b"
    if op is c.ANY:
        return "a"
    if op is c.IN:
        return _in(arg)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = arg
        return _build(sub, choice) * low
    if op is c.SUBPATTERN:
        return _build(arg[-1], choice)
    if op is c.BRANCH:
        branches = arg[1]
        return _build(branches[min(choice, len(branches) - 1)], choice)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT, c.GROUPREF):
        return ""
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _build(arg, choice)
    raise ValueError(op)


def _in(items: Any) -> str:
    """A character of the class: the first of SAMPLE_CHARS it holds (its first character when none)."""
    c = constants
    negate = any(op is c.NEGATE for op, _ in items)
    held: set[str] = set()
    for op, arg in items:
        if op is c.LITERAL:
            held.add(chr(arg))
        elif op is c.RANGE:
            held.update(ch for ch in SAMPLE_CHARS if arg[0] <= ord(ch) <= arg[1])
            held.add(chr(arg[0]))
        elif op is c.CATEGORY:
            held.add({c.CATEGORY_DIGIT: "0", c.CATEGORY_SPACE: " "}.get(arg, "a"))
    if negate:
        return next(ch for ch in "abcxyz019" if ch not in held)
    return next((ch for ch in SAMPLE_CHARS if ch in held), min(held, default="a"))


SAMPLE_ACCOUNT = "123456789012"
SAMPLE_ROLE = "SampleAutomationRole"
ROLE_ARN = re.compile(r"arn:aws:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)")


def sample_run(data: dict[str, Any]) -> tuple[dict[str, Any], World]:
    """Sample parameters and a world to run a document in: the default world, plus an automation role (trusting
    Systems Manager, with AdministratorAccess) for the document's assumeRole: the role it names, or, when it names a
    parameter, a role of the world's account given as that parameter's value (when its pattern allows it)."""
    params = sample_parameters(data)
    world = World.default().to_dict()
    role = data.get("assumeRole")
    names: list[str] = []
    if isinstance(role, str):
        found = re.fullmatch(r"\{\{\s*([\w.]+)\s*\}\}", role.strip())
        spec = (data.get("parameters") or {}).get(found.group(1)) if found else None
        if found and isinstance(spec, dict):
            arn = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/{SAMPLE_ROLE}"
            pattern = spec.get("allowedPattern")
            if not isinstance(pattern, str) or _matches(pattern, arn):
                params[found.group(1)] = arn
            value = params.get(found.group(1), spec.get("default"))
            literal = ROLE_ARN.fullmatch(value) if isinstance(value, str) else None
            if literal and literal.group(1) == SAMPLE_ACCOUNT:
                names.append(literal.group(2))
        elif (literal := ROLE_ARN.fullmatch(role.strip())) and literal.group(1) == SAMPLE_ACCOUNT:
            names.append(literal.group(2))
    world["Roles"] = [*world["Roles"], *(_automation_role(name) for name in dict.fromkeys(names))]
    return params, World.from_dict(world)


def _matches(pattern: str, text: str) -> bool:
    try:
        return _decides(compile_java(pattern), text)
    except PatternError:
        return False


def _automation_role(name: str) -> dict[str, Any]:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    return {
        "Name": name,
        "AssumeRolePolicyDocument": trust,
        "AttachedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
    }
