"""Parameters (family 1): defaults fit their type and constraints; patterns compile; parameters are used.

StartAutomationExecution checks a value against the parameter's type, allowedValues, allowedPattern and the
min/max counts before any step runs; a default that fails those checks fails every execution that relies on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from toolkit.lint.context import LintDocument
from toolkit.lint.rule import Problem, Rule
from toolkit.model.values import BUILD_PLACEHOLDER, JSON, RefKind
from toolkit.ssm.references import PARAMETER_STORE_REFERENCE
from toolkit.ssm.types import ParameterType, value_fits


def _declarations(doc: LintDocument) -> Iterator[tuple[str, Mapping[str, JSON], ParameterType]]:
    for name, spec in doc.parameters.items():
        if not isinstance(spec, dict):
            continue
        try:
            kind = ParameterType(spec.get("type"))
        except ValueError:
            continue  # the schema rule reports unknown types
        yield name, spec, kind


def _is_store_reference(value: JSON) -> bool:
    """A default SSM reads at run time ({{ ssm:/name }}), or a build-time placeholder: neither can be checked."""
    return isinstance(value, str) and (
        PARAMETER_STORE_REFERENCE.match(value) is not None or BUILD_PLACEHOLDER.search(value) is not None
    )


class DefaultType(Rule):
    """A parameter's default (or an allowedValues entry) does not have the parameter's type.

    Boolean takes true/false, Integer a whole number (not a quoted one), StringList a list of strings, StringMap a
    mapping, MapList a list of mappings, String and the AWS resource types a string. A ``{{ ssm:/name }}`` default
    is read from Parameter Store at run time and is not checked.
    """

    id = "E1101"
    summary = "A parameter default does not fit the parameter's type"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for name, spec, kind in _declarations(doc):
            path = ("parameters", name)
            default = spec.get("default")
            if default is not None and not _is_store_reference(default) and not value_fits(kind, default):
                yield Problem(
                    (*path, "default"),
                    f"parameter {name}: default {_show(spec['default'])} is not {_with_article(kind.value)}",
                )
            allowed = spec.get("allowedValues")
            if isinstance(allowed, list):
                item_kind = ParameterType.STRING if kind.is_list else kind
                for index, value in enumerate(allowed):
                    if not value_fits(item_kind, value) and not (item_kind.is_text and isinstance(value, (int, float))):
                        yield Problem(
                            (*path, "allowedValues", index),
                            f"parameter {name}: allowed value {_show(value)} is not {_with_article(item_kind.value)}",
                        )


class DefaultConstraints(Rule):
    """A parameter's default breaks the parameter's own allowedValues, allowedPattern or min/max counts.

    SSM checks every value, defaults included, against these constraints before the first step, so an execution
    that relies on the default is rejected. Lists are checked item by item against allowedValues and
    allowedPattern (the whole value must match, as java.util.regex's ``matches()`` decides), and by length against
    minItems/maxItems; strings by length against minChars/maxChars.
    """

    id = "E1102"
    summary = "A parameter default breaks the parameter's constraints"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for name, spec, kind in _declarations(doc):
            default = spec.get("default")
            if (
                "default" not in spec
                or default is None
                or _is_store_reference(default)
                or not value_fits(kind, default)
            ):
                continue
            path = ("parameters", name, "default")
            for message in _violations(doc, spec, kind, default):
                yield Problem(path, f"parameter {name}: default {message}")


def _violations(doc: LintDocument, spec: Mapping[str, JSON], kind: ParameterType, default: JSON) -> Iterator[str]:
    items: list[JSON] = list(default) if kind.is_list and isinstance(default, list) else [default]
    allowed = spec.get("allowedValues")
    if isinstance(allowed, list) and allowed:
        texts = {str(value) for value in allowed}
        for item in items:
            if str(item) not in texts and not (item == "" and kind.is_list):
                yield f"{_show(item)} is not one of allowedValues"
    pattern = spec.get("allowedPattern")
    if isinstance(pattern, str) and doc.patterns.error(pattern) is None:
        for item in items:
            if isinstance(item, str) and doc.patterns.matches(pattern, item) is False:
                yield f"{_show(item)} does not match allowedPattern"
    if isinstance(default, str):
        if isinstance(spec.get("minChars"), int) and len(default) < int(spec["minChars"]):  # type: ignore[arg-type]
            yield f"is shorter than minChars {spec['minChars']}"
        if isinstance(spec.get("maxChars"), int) and len(default) > int(spec["maxChars"]):  # type: ignore[arg-type]
            yield f"is longer than maxChars {spec['maxChars']}"
    if isinstance(default, list):
        if isinstance(spec.get("minItems"), int) and len(default) < int(spec["minItems"]):  # type: ignore[arg-type]
            yield f"has fewer items than minItems {spec['minItems']}"
        if isinstance(spec.get("maxItems"), int) and len(default) > int(spec["maxItems"]):  # type: ignore[arg-type]
            yield f"has more items than maxItems {spec['maxItems']}"


class BadPattern(Rule):
    """A parameter's allowedPattern is not a valid regular expression.

    SSM compiles allowedPattern with java.util.regex to check every value. The pattern is read by
    ``toolkit.javaregex``, a port of Java's own parser, so this rule reports what Java refuses, with Java's message
    (``Illegal character range``, ``Unclosed group``...), and nothing Java accepts: ``[\\w-/]`` (a ``-`` after a
    class escape is literal), ``\\p{L}``, ``\\Q..\\E``, possessive quantifiers. A reversed range such as ``[_-/]``
    is an error in Java too.
    """

    id = "E1103"
    summary = "allowedPattern is not a valid regular expression"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for name, spec, _ in _declarations(doc):
            pattern = spec.get("allowedPattern")
            if not isinstance(pattern, str):
                continue
            error = doc.patterns.error(pattern)
            if error is not None:
                path = ("parameters", name, "allowedPattern")
                message = f"parameter {name}: allowedPattern does not compile (java.util.regex): {error}"
                yield Problem(path, message)


class UncheckablePattern(Rule):
    """A parameter's allowedPattern uses a construct the toolkit cannot check values against as SSM would.

    SSM checks values with java.util.regex's ``matches()``; the toolkit translates each pattern to Python's ``re``
    (``toolkit.javaregex``). A few Java constructs have no exact Python form: ``\\X`` and ``\\b{g}`` (grapheme
    clusters), a look-behind of unbounded length (Java 17 accepts ``(?<=a+)``), a back-reference to a group not
    closed where it stands, a case-insensitive back-reference under ``(?u)``, classes under ``(?c)``. With such a
    pattern the simulator refuses to decide a value (it never guesses), and this linter cannot check the default
    (E1102). The rule also names a default the translation cannot decide (a ``\\b`` beside a run of more than four
    combining marks). Fix: write the pattern without the construct (SSM reads both the same), or accept that the
    toolkit cannot check this parameter's values.
    """

    id = "W1105"
    summary = "allowedPattern uses a construct the toolkit cannot check values against"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for name, spec, kind in _declarations(doc):
            pattern = spec.get("allowedPattern")
            if not isinstance(pattern, str) or doc.patterns.error(pattern) is not None:
                continue
            path = ("parameters", name, "allowedPattern")
            construct = doc.patterns.construct(pattern)
            if construct is not None:
                yield Problem(
                    path,
                    f"parameter {name}: allowedPattern uses {construct}, which Python's re cannot express "
                    "as java.util.regex matches it: the simulator refuses to check values against it",
                )
                continue
            default = spec.get("default")
            if default is None or _is_store_reference(default) or not value_fits(kind, default):
                continue
            for item in default if isinstance(default, list) else [default]:
                reason = doc.patterns.undecided(pattern, item) if isinstance(item, str) else None
                if reason is not None:
                    yield Problem(
                        ("parameters", name, "default"),
                        f"parameter {name}: default {_show(item)} cannot be checked against allowedPattern: {reason}",
                    )


class UnusedParameter(Rule):
    """A parameter is declared but nothing refers to it.

    An unused parameter asks the person starting the execution for a value that changes nothing. Remove it, or
    use it. Parameters referred to only inside script code (not through InputPayload) count as unused, since SSM
    does not pass them to the script.
    """

    id = "I1104"
    summary = "A parameter is never used"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        used = {site.ref.target for site in doc.references if site.kind is RefKind.PARAMETER}
        for name in doc.parameters:
            if name not in used:
                yield Problem(("parameters", name), f"parameter {name} is never used", at_key=True)


def _with_article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "AEIOU" else f"a {kind}"


def _show(value: JSON) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


RULES: tuple[type[Rule], ...] = (DefaultType, DefaultConstraints, BadPattern, UnusedParameter, UncheckablePattern)
