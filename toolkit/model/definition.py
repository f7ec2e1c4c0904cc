"""Defining a runbook in Python: build the document, then check it as a whole before anyone renders it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from toolkit.errors import DefinitionError
from toolkit.model.document import Document
from toolkit.model.flow import field_text, read_flow
from toolkit.model.parameter import Parameter, Variable
from toolkit.model.step import Step
from toolkit.model.values import JSON, SYSTEM_VARIABLES, Ref, RefKind, references, to_json
from toolkit.ssm.names import DOCUMENT_NAME

DOCUMENT_NAME_RULE = DOCUMENT_NAME.pattern


def runbook(
    name: str,
    *,
    steps: Sequence[Step],
    description: str | None = None,
    parameters: Sequence[Parameter] = (),
    assume_role: str | Ref | None = None,
    outputs: Iterable[str | Ref] = (),
    variables: Sequence[Variable] = (),
    files: Mapping[str, JSON] | None = None,
) -> Document:
    """Define a runbook. Raises ``DefinitionError`` naming the step and field at fault."""
    rendered_outputs = tuple(_output_name(output) for output in outputs)
    document = Document(
        name=name,
        description=description,
        assume_role=assume_role,
        parameters=tuple(parameters) if parameters else None,
        variables=tuple(variables) if variables else None,
        main_steps=tuple(steps),
        outputs=rendered_outputs or None,
        files=files,
    )
    check_definition(document)
    return document


def _output_name(output: str | Ref) -> str:
    """Document outputs are written ``Step.Output``, without braces."""
    return output.target if isinstance(output, Ref) else output


def check_definition(document: Document) -> None:
    """Whole-document checks: names, jumps, and every reference resolving to something declared."""
    if document.name is not None and not re.match(DOCUMENT_NAME_RULE, document.name):
        raise DefinitionError(f"document name {document.name!r} must match {DOCUMENT_NAME_RULE}", field="name")
    seen: set[str] = set()
    for parameter in document.parameters or ():
        if parameter.name in seen:
            raise DefinitionError(f"parameter {parameter.name} declared twice", field=f"parameters.{parameter.name}")
        seen.add(parameter.name)
        parameter.check_definition()
    steps = list(document.all_steps())
    if not document.main_steps:
        raise DefinitionError("a runbook needs at least one step", field="mainSteps")
    names: set[str] = set()
    for step in steps:
        if step.name in names:
            raise DefinitionError("step name used twice", step=step.name, field="name")
        names.add(step.name)
        step.check_definition()
    _check_jumps(document)
    resolver = _Resolver(document, {step.name: step for step in steps})
    if document.assume_role is not None:
        resolver.check(to_json(document.assume_role), step=None, field="assumeRole")
    for step in steps:
        resolver.check(step.inputs_dict(), step=step.name, field="inputs")
    for output in document.outputs or ():
        resolver.check("{{ " + output + " }}", step=None, field="outputs")


def _check_jumps(document: Document) -> None:
    """Every jump names a step of its own list (a loop's steps jump among themselves), as ``toolkit.model.flow``
    reads the document."""
    for steps in read_flow(document.to_dict()).lists():
        for step, jump in steps.problems():
            field = field_text(jump.field)
            if jump.name is None:
                raise DefinitionError(f"{field} is not a jump AWS accepts", step=step.name, field=field)
            raise DefinitionError(f"jump to unknown step {jump.name!r}", step=step.name, field=field)


class _Resolver:
    def __init__(self, document: Document, steps: Mapping[str, Step]) -> None:
        self.parameters = {p.name for p in document.parameters or ()}
        self.variables = {v.name for v in document.variables or ()}
        self.steps = steps

    def check(self, value: JSON, *, step: str | None, field: str) -> None:
        for path, ref in references(value):
            where = field + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            self._check_one(ref, step=step, field=where)

    def _check_one(self, ref: Ref, *, step: str | None, field: str) -> None:
        kind = ref.kind
        if kind is RefKind.PARAMETER and ref.target not in self.parameters:
            raise DefinitionError(f"{ref} refers to an undeclared parameter", step=step, field=field)
        if kind is RefKind.SYSTEM and ref.target not in SYSTEM_VARIABLES:
            raise DefinitionError(f"{ref} is not a system variable", step=step, field=field)
        if kind is RefKind.VARIABLE and ref.name not in self.variables:
            raise DefinitionError(f"{ref} refers to an undeclared variable", step=step, field=field)
        if kind is RefKind.OUTPUT:
            target = self.steps.get(ref.step)
            if target is None:
                raise DefinitionError(f"{ref} refers to an unknown step", step=step, field=field)
            if ref.name not in target.output_names():
                raise DefinitionError(f"{ref}: step {ref.step} has no output {ref.name!r}", step=step, field=field)
