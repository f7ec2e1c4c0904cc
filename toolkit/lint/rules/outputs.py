"""Step outputs (family 4): unique names and well-formed selectors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from toolkit.lint.context import LintDocument
from toolkit.lint.rule import Problem, Rule

# $ then any of: .name, .*, ..name, ['name'], ["name"], [0], [-1], [*], [0,1], [0:2], [?(...)] filters.
_NAME: Final = r"\.\.?(?:[^.\[\]\s]+|\*)"
_INDEX: Final = r"""\[(?:\*|-?\d+(?:\s*,\s*-?\d+)*|-?\d*:-?\d*(?::-?\d+)?|'[^']*'|"[^"]*"|\?\(.*?\))\]"""
_SEGMENT: Final = rf"(?:{_NAME}|{_INDEX})"
SELECTOR: Final = re.compile(rf"\A\$(?:{_SEGMENT})*\Z")


def normal_selector(selector: str) -> str:
    """A selector as SSM's JSONPath reads it: without a leading ``$`` it is taken from the root (``$.``)."""
    text = selector.strip()
    return text if text.startswith("$") else f"$.{text}"


def valid_selector(selector: str) -> bool:
    return SELECTOR.match(normal_selector(selector)) is not None


class DuplicateOutput(Rule):
    """A step declares two outputs with the same name.

    ``{{ Step.Output }}`` could mean either. Rename one of them.
    """

    id = "E4001"
    summary = "Two outputs of a step share a name"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            outputs = site.data.get("outputs")
            if not isinstance(outputs, list):
                continue
            seen: set[str] = set()
            for index, output in enumerate(outputs):
                name = output.get("Name") if isinstance(output, dict) else None
                if isinstance(name, str):
                    if name in seen:
                        path = (*site.path, "outputs", index, "Name")
                        yield Problem(path, f"{site.label} declares output {name} twice")
                    seen.add(name)


class BadSelector(Rule):
    """An output's ``Selector`` (or a ``PropertySelector``) is not a JSONPath expression.

    Selectors start with ``$`` and walk the action's response: ``$.Trail.TrailARN``, ``$.trailList[0].Name``,
    ``$.Reservations[*].Instances[*].InstanceId``, ``$.Payload.key``. Like SSM's JSONPath library, a selector
    without the leading ``$`` (``Attributes.KmsMasterKeyId``) is read from the root.
    """

    id = "E4002"
    summary = "A selector is not a JSONPath expression"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            outputs = site.data.get("outputs")
            for index, output in enumerate(outputs if isinstance(outputs, list) else ()):
                selector = output.get("Selector") if isinstance(output, dict) else None
                if isinstance(selector, str) and not valid_selector(selector):
                    path = (*site.path, "outputs", index, "Selector")
                    yield Problem(path, f"{site.label}: selector {selector!r} is not a JSONPath expression ($...)")
            selector = site.inputs.get("PropertySelector")
            if isinstance(selector, str) and "{{" not in selector and not valid_selector(selector):
                path = (*site.path, "inputs", "PropertySelector")
                yield Problem(path, f"{site.label}: PropertySelector {selector!r} is not a JSONPath expression ($...)")


class ScriptSelector(Rule):
    """An aws:executeScript output selects outside ``$.Payload``.

    The response of aws:executeScript is ``{"Payload": <what the handler returned>}``, so every selector starts
    with ``$.Payload`` (or is ``$``, the whole response); any other selector finds nothing.
    """

    id = "E4003"
    summary = "An aws:executeScript output does not select from $.Payload"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            if site.action != "aws:executeScript":
                continue
            outputs = site.data.get("outputs")
            for index, output in enumerate(outputs if isinstance(outputs, list) else ()):
                selector = output.get("Selector") if isinstance(output, dict) else None
                if not isinstance(selector, str) or not valid_selector(selector):
                    continue
                text = normal_selector(selector)
                if not (text in ("$", "$.Payload") or text.startswith(("$.Payload.", "$.Payload["))):
                    path = (*site.path, "outputs", index, "Selector")
                    yield Problem(path, f"{site.label}: selector {selector!r} must start with $.Payload")


RULES: tuple[type[Rule], ...] = (DuplicateOutput, BadSelector, ScriptSelector)
