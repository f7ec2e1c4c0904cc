"""References (family 1): every ``{{ ... }}`` must name something that exists, and exist by then.

References are read where SSM resolves them: assumeRole, every step input except script code, and the
document's ``outputs`` list ("Step.Output", with or without braces).
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.lint.context import LintDocument, Path, RefSite, StepSite
from toolkit.lint.rule import Problem, Rule
from toolkit.model.values import SYSTEM_VARIABLES, RefKind
from toolkit.ssm.actions import ACTION_NAMES, BUILTIN_OUTPUTS

# Parameter Store references: {{ ssm:/name }} in values; {{ ssm-secure:... }} is resolved only by some actions.
PARAMETER_STORE_PREFIXES = ("ssm:", "ssm-secure:")


def _is_parameter_store(target: str) -> bool:
    return target.startswith(PARAMETER_STORE_PREFIXES)


class UndeclaredParameter(Rule):
    """A reference names a parameter the document does not declare.

    ``{{ Name }}`` reads the execution's parameter ``Name``; an undeclared one makes AWS reject the document
    (or leaves the braces unresolved). Declare the parameter under ``parameters``, or fix the name (names are
    case-sensitive).
    """

    id = "E1001"
    summary = "A reference names an undeclared parameter"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        declared = set(doc.parameters)
        for site in doc.references:
            ref = site.ref
            if site.kind is not RefKind.PARAMETER or _is_parameter_store(ref.target) or site.path[0] == "outputs":
                continue
            if ref.target not in declared:
                yield _problem_at_reference(
                    site, f"{_reference_owner(site)}refers to {ref.source}, but no parameter {ref.target} is declared"
                )


class UnknownStep(Rule):
    """A reference ``{{ Step.Output }}`` names a step that does not exist.

    Output references name a step of the document. Fix the step name (names are case-sensitive).
    """

    id = "E1002"
    summary = "An output reference names an unknown step"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.references:
            ref = site.ref
            if site.kind is RefKind.OUTPUT and ref.step not in doc.steps_by_name:
                yield _problem_at_reference(
                    site, f"{_reference_owner(site)}refers to {ref.source}, but there is no step {ref.step}"
                )


class UnknownOutput(Rule):
    """A reference names an output its step neither declares nor has built in.

    A step's outputs are those listed under its ``outputs`` and the action's built-in ones (for example
    aws:executeScript's ``Payload``, aws:executeAutomation's ``ExecutionId``, ``Status`` and ``Output``, aws:loop's
    ``CurrentIteration`` and ``CurrentIteratorValue``). Declare the output, or fix its name.
    """

    id = "E1003"
    summary = "An output reference names an output the step does not have"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.references:
            ref = site.ref
            if site.kind is not RefKind.OUTPUT:
                continue
            step = doc.steps_by_name.get(ref.step)
            if step is None:
                continue
            names = _outputs(doc, step)
            output = _output_of(ref.name, step)
            if names is None or output is None or output in names:
                continue
            known = ", ".join(sorted(names)) or "none"
            yield _problem_at_reference(
                site,
                f"{_reference_owner(site)}refers to {ref.source}, "
                f"but step {ref.step} has no output {ref.name} (it has: {known})",
            )


def _output_of(name: str, step: StepSite) -> str | None:
    """The output a reference's name selects: ``Out`` of ``{{ Step.Out }}`` and of ``{{ Step.Out.Key }}``; None
    for ``{{ Loop.Inner.Out }}`` (a step inside a loop), which is not checked."""
    first, dot, _ = name.partition(".")
    if dot and step.action == "aws:loop":
        return None
    return first


def _outputs(doc: LintDocument, site: StepSite) -> frozenset[str] | None:
    """``output_names`` of a step, found once per document (E1003 and E1004 ask it for every output reference)."""
    return doc.memo(("output names", site.path), lambda: _frozen(output_names(site)))


def _frozen(names: set[str] | None) -> frozenset[str] | None:
    return None if names is None else frozenset(names)


def output_names(site: StepSite) -> set[str] | None:
    """Declared and built-in outputs of a step; None when its action is unknown (nothing can be said)."""
    if site.action not in ACTION_NAMES:
        return None
    names = set(BUILTIN_OUTPUTS.get(site.action or "", {}))
    outputs = site.data.get("outputs")
    if isinstance(outputs, list):
        names.update(
            str(item["Name"]) for item in outputs if isinstance(item, dict) and isinstance(item.get("Name"), str)
        )
    return names


class OutputNotYetAvailable(Rule):
    """A step uses an output of a step that cannot have run before it.

    An output exists only once its step has run. When no path of the execution leads from the producing step to
    the step that uses the output (it comes later in every run, or on another branch), SSM fails the step or
    leaves the reference unresolved. Move the use after the producing step, or make the flow pass through it.
    References from inside a loop body to outer steps are checked from the loop step.
    """

    id = "E1004"
    summary = "An output is used where its step cannot have run yet"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.references:
            ref = site.ref
            if site.kind is not RefKind.OUTPUT or site.step is None:
                continue
            producer = doc.steps_by_name.get(ref.step)
            names = _outputs(doc, producer) if producer is not None else None
            output = _output_of(ref.name, producer) if producer is not None else None
            if producer is None or (names is not None and output is not None and output not in names):
                continue  # reported as an unknown step or output
            if producer.action == "aws:loop" and site.step.path[: len(producer.path)] == producer.path:
                continue  # a loop's own steps read its CurrentIteration and CurrentIteratorValue
            user = _ancestor_in(doc, site.step, producer.scope)
            if user is None:
                continue  # the producer is in a loop body the user is outside of: not checked
            if producer.scope != user.scope:
                continue
            graph = doc.flow(producer.scope)
            if user.index not in graph.reachable_from(producer.index):
                when = "itself" if user is producer else f"{user.label}"
                yield _problem_at_reference(
                    site,
                    f"{_reference_owner(site)}uses {ref.source}, but step {ref.step} cannot have run before {when}",
                )


def _ancestor_in(doc: LintDocument, site: StepSite, scope: Path) -> StepSite | None:
    """The step in ``scope`` that is ``site`` or holds it in a loop body."""
    current: StepSite | None = site
    while current is not None and current.scope != scope:
        if len(current.scope) <= len(scope):
            return None
        loop_path = current.scope[:-2]  # (..., loop index, "inputs", "Steps") -> the loop step's path
        current = next((s for s in doc.steps if s.path == loop_path), None)
    return current


class UndeclaredVariable(Rule):
    """A reference ``{{ variable:Name }}`` names a variable the document does not declare.

    Runtime variables (set by aws:updateVariable) must be declared under the document's ``variables``.
    """

    id = "E1005"
    summary = "A reference names an undeclared variable"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.references:
            ref = site.ref
            if site.kind is RefKind.VARIABLE and ref.name not in doc.variables:
                yield _problem_at_reference(
                    site, f"{_reference_owner(site)}refers to {ref.source}, but no variable {ref.name} is declared"
                )


class UnknownSystemVariable(Rule):
    """A reference names a system variable SSM does not have.

    The system variables are ``global:ACCOUNT_ID``, ``global:REGION``, ``global:AWS_PARTITION``, ``global:DATE``,
    ``global:DATE_TIME`` and ``automation:EXECUTION_ID``.
    """

    id = "E1006"
    summary = "A reference names an unknown system variable"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        known = ", ".join(sorted(SYSTEM_VARIABLES))
        for site in doc.references:
            ref = site.ref
            if site.kind is RefKind.SYSTEM and ref.target not in SYSTEM_VARIABLES:
                yield _problem_at_reference(
                    site, f"{_reference_owner(site)}refers to unknown system variable {ref.target} (known: {known})"
                )


class MalformedDocumentOutput(Rule):
    """An entry of the document's ``outputs`` is not ``Step.Output``.

    The document's outputs list step outputs to show when the execution ends, each written ``StepName.OutputName``.
    """

    id = "E1007"
    summary = "A document output is not Step.Output"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.references:
            if site.path[0] == "outputs" and site.kind is not RefKind.OUTPUT:
                yield _problem_at_reference(site, f"document output {site.ref.source!r} must be written Step.Output")


def _problem_at_reference(site: RefSite, message: str) -> Problem:
    """A problem located at the reference itself, within its string."""
    return Problem(site.path, message, needle=site.ref.source)


def _reference_owner(site: RefSite) -> str:
    if site.step is not None:
        return f"{site.step.label} "
    if site.path[0] == "outputs":
        return "document output "
    return f"{site.path[0]} "


RULES: tuple[type[Rule], ...] = (
    UndeclaredParameter,
    UnknownStep,
    UnknownOutput,
    OutputNotYetAvailable,
    UndeclaredVariable,
    UnknownSystemVariable,
    MalformedDocumentOutput,
)
