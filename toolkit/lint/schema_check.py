"""The Automation schema compiled to a plain Python predicate: valid or not, exactly as jsonschema would say.

jsonschema takes over a millisecond a document; this predicate, compiled once per process, takes a few
microseconds on a valid one. It implements only the keywords the schema uses and refuses any other, so it can
never silently disagree with jsonschema (a test compares the two on thousands of documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

Check = Callable[[Any], bool]

BOUNDS: Final = frozenset({"minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength"})

_ANNOTATIONS: Final = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default", "definitions", "enumDescriptions"}
)
_OBJECT_KEYWORDS: Final = frozenset(
    {"properties", "required", "additionalProperties", "propertyNames", "minProperties"}
)


def _is_integer(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: Final[dict[str, Check]] = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": _is_integer,
    "number": _is_number,
}


def _equal(one: object, two: object) -> bool:
    """JSON equality as jsonschema has it: true is not 1."""
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[key], two[key]) for key in one)
    return one == two


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def check(value: object) -> bool:
        for each in frozen:  # noqa: SIM110 - a plain loop is twice as fast as all() over a generator here
            if not each(value):
                return False
        return True

    return check


def _any(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def check(value: object) -> bool:
        for each in frozen:  # noqa: SIM110 - a plain loop is twice as fast as any() over a generator here
            if each(value):
                return True
        return False

    return check


class Compiler:
    """Compiles the subset of draft-07 the Automation schema uses into predicates. A keyword it does not know
    is refused, so the pre-check can never silently disagree with jsonschema."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: object) -> Check:
        if isinstance(schema, bool):
            return lambda value: schema
        if not isinstance(schema, dict):
            raise ValueError(f"not a schema: {schema!r}")
        if "$ref" in schema:  # draft-07: keywords beside $ref are ignored
            return self._ref(schema["$ref"])
        checks = [self._type(schema["type"])] if "type" in schema else []
        for keyword, limit in schema.items():
            if (
                keyword not in _ANNOTATIONS
                and keyword not in _OBJECT_KEYWORDS
                and keyword not in ("type", "then", "else")
            ):
                checks.append(self._keyword(keyword, limit, schema))
        if _OBJECT_KEYWORDS & schema.keys():
            checks.append(self._object(schema))
        return _all(checks) if checks else (lambda value: True)

    def _ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            cell: list[Check] = []
            self.refs[pointer] = lambda value: cell[0](value)
            target: Any = self.root
            for part in pointer.removeprefix("#/").split("/"):
                target = target[part]
            cell.append(self.compile(target))
        return self.refs[pointer]

    def _type(self, limit: object) -> Check:
        tests = tuple(_TYPES[str(name)] for name in (limit if isinstance(limit, list) else [limit]))
        return tests[0] if len(tests) == 1 else _any(list(tests))

    def _keyword(self, keyword: str, limit: Any, schema: dict[str, Any]) -> Check:
        if keyword == "enum" and all(isinstance(option, str) for option in limit):
            allowed = frozenset(limit)
            return lambda value: isinstance(value, str) and value in allowed
        if keyword in ("enum", "const"):
            options = limit if keyword == "enum" else [limit]
            return lambda value: any(_equal(value, option) for option in options)
        if keyword == "pattern":
            search = re.compile(limit).search
            return lambda value: not isinstance(value, str) or search(value) is not None
        if keyword in BOUNDS:
            kind = str if keyword.endswith("Length") else list if keyword.endswith("Items") else None
            low = keyword.startswith("min")

            def bounded(value: Any) -> bool:
                if not (_is_number(value) if kind is None else isinstance(value, kind)):
                    return True
                size = value if kind is None else len(value)
                return bool(size >= limit if low else size <= limit)

            return bounded
        if keyword == "items":
            item = self.compile(limit)

            def items(value: object) -> bool:
                if isinstance(value, list):
                    for each in value:  # a plain loop: faster than all() over a generator
                        if not item(each):
                            return False
                return True

            return items
        if keyword == "allOf" and self._discriminator(limit):
            return self._dispatch(limit)
        if keyword in ("anyOf", "oneOf", "allOf"):
            branches = [self.compile(branch) for branch in limit]
            if keyword == "allOf":
                return _all(branches)
            if keyword == "anyOf":
                return _any(branches)
            return lambda value: sum(1 for branch in branches if branch(value)) == 1
        if keyword == "not":
            negated = self.compile(limit)
            return lambda value: not negated(value)
        if keyword == "if":
            test, then, otherwise = (self.compile(schema.get(key, True)) for key in ("if", "then", "else"))
            return lambda value: then(value) if test(value) else otherwise(value)
        raise ValueError(f"the schema uses {keyword!r}, which the pre-check does not implement")

    def _object(self, schema: dict[str, Any]) -> Check:
        """The keywords about mappings, in one test that only looks at mappings."""
        properties = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        extra = (
            None if schema.get("additionalProperties", True) is True else self.compile(schema["additionalProperties"])
        )
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None
        required, least = frozenset(schema.get("required", ())), int(schema.get("minProperties", 0))

        def check(value: object) -> bool:
            if not isinstance(value, dict):
                return True
            if len(value) < least or (required and not value.keys() >= required):
                return False
            for key, item in value.items():
                test = properties.get(key)
                if test is not None:
                    if not test(item):
                        return False
                elif extra is not None and not extra(item):
                    return False
                if names is not None and not names(key):
                    return False
            return True

        return check

    @staticmethod
    def _discriminator(branches: list[Any]) -> str | None:
        """The key of an allOf made only of ``if: {key: {const: "..."}}, then: ...`` branches, if it is one.

        The condition may also say ``type: object`` (the schema's step and parameter branches do): a value that is
        not a mapping then fails every ``if``, so no ``then`` applies, which is what the dispatch does with it."""
        keys = set()
        for branch in branches:
            condition = branch.get("if") if isinstance(branch, dict) and set(branch) == {"if", "then"} else None
            tests = condition.get("properties") if isinstance(condition, dict) else None
            if not isinstance(tests, dict) or len(tests) != 1:
                return None
            ((key, test),) = tests.items()
            if not isinstance(test, dict):
                return None
            plain = {"required": [key], "properties": {key: {"const": test.get("const")}}}
            if condition != plain and condition != {"type": "object", **plain}:
                return None
            if not isinstance(test.get("const"), str):
                return None
            keys.add(key)
        return keys.pop() if len(keys) == 1 else None

    def _dispatch(self, branches: list[Any]) -> Check:
        """An if/then discriminator as one dictionary lookup instead of one test per branch. Each branch is compiled
        when a value first names it: a document uses a few of the 23 actions, and one lint compiles only those."""
        key = self._discriminator(branches)
        schemas = {branch["if"]["properties"][key]["const"]: branch["then"] for branch in branches}
        table: dict[str, Check] = {}

        def check(value: object) -> bool:
            tag = value.get(key) if isinstance(value, dict) else None
            if not isinstance(tag, str) or tag not in schemas:
                return True
            test = table.get(tag)
            if test is None:
                test = table[tag] = self.compile(schemas[tag])
            return test(value)

        return check
