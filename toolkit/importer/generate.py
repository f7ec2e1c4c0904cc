"""A loaded document -> the source of a runbooks/ module that builds back to the same document data.

The module reads like a hand-written runbook: parameters and steps are typed objects held in variables, whole
references to them are written ``param.ref``, ``step.output("Name")``, ``Global.REGION`` or ``Var("x")``, strings
used more than once become named constants, and scripts are real files beside the module, read when it is built.

Fidelity comes first, so the generator writes only what the model holds and nothing it would have to guess:
- a reference is written as code only when the document spells it ``{{ Target }}`` exactly (the code renders that
  spelling) and what it names is already defined above; otherwise the string stays as written;
- a script is extracted only when reading the file back gives the same text (no carriage returns);
- a document that passes the toolkit's definition checks is returned by ``runbook(...)``, which checks it again
  at every build; one that does not (a retired runtime, an unknown action, a key the model does not know...) is
  returned as a plain ``Document(...)`` with the problem in a comment, so it still builds to exactly what it was
  and ``runbook lint`` reports the same findings.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from toolkit.errors import DefinitionError
from toolkit.importer.naming import Namer, document_name, module_name
from toolkit.importer.pyexpr import (
    INDENT,
    LINE_LENGTH,
    Call,
    Code,
    DictOf,
    Expr,
    ListOf,
    Text,
    TupleOf,
    statement,
    string_literal,
)
from toolkit.model.definition import check_definition
from toolkit.model.document import DOCUMENT_KEYS, Document
from toolkit.model.parameter import Parameter, Variable
from toolkit.model.step import GenericStep, Output, Step, input_fields
from toolkit.model.values import BUILD_PLACEHOLDER, JSON, SYSTEM_VARIABLES, WHOLE_REFERENCE, Ref
from toolkit.steps import Branch, Choice, ExecuteScript, Loop
from toolkit.steps.api import _ApiStep

SHAPES = {
    "schemaVersion": "a string",
    "description": "a string",
    "assumeRole": "a string",
    "parameters": "a mapping of names to valid definitions (each a mapping with a known type)",
    "variables": "a mapping of names to valid definitions (each a mapping with a known type)",
    "mainSteps": "a list of steps, each a mapping",
    "outputs": "a list of strings",
    "files": "a mapping",
}
"""What each top-level key holds for the model to hold it (``toolkit.load``); a document whose value is otherwise
keeps it as loaded (``Document.extra``) and is imported as a plain ``Document`` saying so."""

# A string repeated at least this often, and at least this long, becomes a module constant.
CONSTANT_MIN_USES = 2
CONSTANT_MIN_LENGTH = 16
_PLAIN_WORD = re.compile(r"[\w.:-]+")
_GLOBALS = {target: target.split(":", 1)[1] for target in SYSTEM_VARIABLES}
_GLOBALS["automation:EXECUTION_ID"] = "EXECUTION_ID"
_COMMON = (
    ("description", "description"),
    ("max_attempts", "maxAttempts"),
    ("timeout_seconds", "timeoutSeconds"),
    ("on_failure", "onFailure"),
    ("on_cancel", "onCancel"),
    ("is_critical", "isCritical"),
    ("next_step", "nextStep"),
    ("is_end", "isEnd"),
)


@dataclass
class Module:
    """A generated module: its source, and the script files beside it (relative path -> text)."""

    name: str
    source: str
    scripts: dict[str, str] = field(default_factory=dict)
    checked: bool = True
    problem: str | None = None


def generate(document: Document, *, origin: str, module: str | None = None, plain: str | None = None) -> Module:
    """The module for ``document``, named ``module`` (default: after the document).

    It returns ``runbook(...)`` whenever the document passes the definition checks, unless ``plain`` gives a
    reason to return a plain ``Document(...)`` anyway.
    """
    name = document_name(document.name)
    document = dataclasses.replace(document, name=name)
    module = module or module_name(name)
    problem = plain or definition_problem(document)
    writer = _Writer(document, module)
    body = writer.build_body(problem is None)
    source = writer.module_source(name, origin, body, problem)
    return Module(name=module, source=source, scripts=writer.scripts, checked=problem is None, problem=problem)


def definition_problem(document: Document) -> str | None:
    """Why ``runbook(...)`` cannot hold this document, or None when it can."""
    if document.schema_version != "0.3":
        return f"schemaVersion is {document.schema_version!r}, not '0.3'"
    if document.extra:
        unknown = [key for key in document.extra if key not in DOCUMENT_KEYS]
        malformed = [f"{key} must be {SHAPES[key]}" for key in document.extra if key in DOCUMENT_KEYS]
        parts = ([f"top-level keys the model does not know: {', '.join(unknown)}"] if unknown else []) + malformed
        return "; ".join(parts)
    for key, value in (("parameters", document.parameters), ("variables", document.variables)):
        if value == ():
            return f"{key} is present and empty"
    if document.outputs == ():
        return "outputs is present and empty"
    if document.main_steps is None:
        return "mainSteps is missing or not a list"
    try:
        check_definition(document)
    except DefinitionError as err:
        return str(err)
    return None


class _Writer:
    def __init__(self, document: Document, module: str) -> None:
        self.document = document
        self.module = module
        self.names = Namer()
        self.refs: dict[str, str] = {}
        self.scripts: dict[str, str] = {}
        self.script_names = Namer()
        self.imports: dict[str, set[str]] = {"toolkit.model": {"Document"}, "toolkit.steps": set()}

    # -- the build() function -------------------------------------------------------------------------------

    def build_body(self, use_runbook: bool) -> list[tuple[str, Expr]]:
        """(target, expression) statements of build(), the last one ``return``."""
        document = self.document
        body: list[tuple[str, Expr]] = []
        parameter_vars = []
        for parameter in document.parameters or ():
            var = self.names.take(parameter.name)
            body.append((var, self.parameter(parameter)))
            parameter_vars.append(var)
            self.refs[parameter.name] = f"{var}.ref"
        variable_vars = []
        for variable in document.variables or ():
            var = self.names.take(variable.name, suffix="_variable")
            body.append((var, self.variable(variable)))
            variable_vars.append(var)
            self.refs[f"variable:{variable.name}"] = f'Var("{variable.name}")' if variable.name.isidentifier() else ""
            self.use("toolkit.model", "Var")
        step_vars = [self.define_step(step, body) for step in document.main_steps or ()]
        body.append(("return", self.document_call(use_runbook, parameter_vars, variable_vars, step_vars)))
        return body

    def document_call(
        self, use_runbook: bool, parameter_vars: list[str], variable_vars: list[str], step_vars: list[str]
    ) -> Expr:
        document = self.document
        kwargs: list[tuple[str, Expr]] = []
        if not use_runbook and document.schema_version != "0.3":
            kwargs.append(("schema_version", self.data(document.schema_version)))
        if document.description is not None:
            kwargs.append(("description", Code("DESCRIPTION")))
        if document.assume_role is not None:
            kwargs.append(("assume_role", self.value(document.assume_role, "assume_role", refs=True)))
        # runbook() takes lists; Document's fields are tuples.
        sequence = ListOf if use_runbook else TupleOf
        if document.parameters is not None:
            kwargs.append(("parameters", sequence([Code(var) for var in parameter_vars])))
        if document.variables is not None:
            kwargs.append(("variables", sequence([Code(var) for var in variable_vars])))
        if document.main_steps is not None:
            kwargs.append(("steps" if use_runbook else "main_steps", sequence([Code(var) for var in step_vars])))
        if document.outputs is not None:
            kwargs.append(("outputs", sequence([Text(output, "output") for output in document.outputs])))
        if document.files is not None:
            kwargs.append(("files", self.data(dict(document.files), "files")))
        if use_runbook:
            self.use("toolkit.model", "runbook")
            return Call("runbook", [Code("NAME")], kwargs)
        if document.extra:
            kwargs.append(("extra", self.data(dict(document.extra), "extra")))
        return Call("Document", [], [("name", Code("NAME")), *kwargs])

    def parameter(self, parameter: Parameter) -> Expr:
        """``Parameter(...)``: a declaration's fields, then the parameter's own constraints, then kept extras."""
        kwargs = self.declaration(parameter)
        if parameter.allowed_values is not None:
            values = [self.data(value, "allowed_values") for value in parameter.allowed_values]
            kwargs.append(("allowed_values", TupleOf(values)))
        for attribute in ("allowed_pattern", "display_type", "min_items", "max_items", "min_chars", "max_chars"):
            value = getattr(parameter, attribute)
            if value is not None:
                kwargs.append((attribute, self.data(value, attribute)))
        return self.declared("Parameter", parameter, kwargs)

    def variable(self, variable: Variable) -> Expr:
        return self.declared("Variable", variable, self.declaration(variable))

    def declaration(self, declared: Parameter | Variable) -> list[tuple[str, Expr]]:
        """What parameters and variables share: name, type, description and default."""
        kwargs: list[tuple[str, Expr]] = [
            ("name", Text(declared.name)),
            ("type", Code(f"ParameterType.{declared.type.name}")),
        ]
        if declared.description is not None:
            kwargs.append(("description", Text(declared.description, "description")))
        if declared.has_default:
            kwargs.append(("default", self.data(declared.default, "default")))
            if declared.default is None:
                kwargs.append(("has_default", Code("True")))
        return kwargs

    def declared(self, cls: str, declared: Parameter | Variable, kwargs: list[tuple[str, Expr]]) -> Expr:
        self.use("toolkit.model", cls, "ParameterType")
        if declared.extra:
            kwargs.append(("extra", self.data(dict(declared.extra), "extra")))
        return Call(cls, [], kwargs)

    # -- steps ----------------------------------------------------------------------------------------------

    def define_step(self, step: Step, body: list[tuple[str, Expr]]) -> str:
        """Append the statements defining ``step`` (nested steps first); return its variable."""
        nested = [self.define_step(inner, body) for inner in step.nested_steps()]
        var = self.names.take(step.name or "step", suffix="_step")
        body.append((var, self.step(step, nested)))
        for output in step.output_names():
            if isinstance(step, GenericStep):
                break
            self.refs[f"{step.name}.{output}"] = f"{var}.output({string_literal(output)})"
        return var

    def step(self, step: Step, nested: list[str]) -> Expr:
        if isinstance(step, GenericStep):
            self.use("toolkit.model", "GenericStep")
            return Call("GenericStep", [], [("name", Text(step.name)), ("raw", self.data(dict(step.raw), "raw"))])
        cls = type(step)
        self.use("toolkit.steps", cls.__name__)
        kwargs: list[tuple[str, Expr]] = [("name", Text(step.name))]
        function = cls.__name__
        script_file = self.script_file(step)
        if script_file is not None:
            self.use("pathlib", "Path")
            function = f"{cls.__name__}.from_file"
            kwargs.insert(0, ("", Code(f'SCRIPTS / "{script_file}"')))
        if step.description is not None:
            kwargs.append(("description", Text(step.description, "description")))
        for attribute, spec in input_fields(cls):
            value = getattr(step, attribute)
            if value is None or (script_file is not None and attribute == "script"):
                continue
            if attribute == "steps" and isinstance(step, Loop):
                kwargs.append((attribute, TupleOf([Code(var) for var in nested])))
            elif attribute == "choices" and isinstance(step, Branch):
                kwargs.append((attribute, TupleOf([self.choice(choice) for choice in step.choices])))
            else:
                kwargs.append((attribute, self.value(value, spec.key, refs=True)))
        if isinstance(step, _ApiStep) and step.params:
            kwargs.append(("params", self.value(dict(step.params), "params", refs=True)))
        if step.extra_inputs:
            kwargs.append(("extra_inputs", self.data(dict(step.extra_inputs), "extra_inputs")))
        if step.outputs is not None:
            outputs = [self.output(output) for output in step.outputs]
            kwargs.append(("outputs", ListOf(outputs) if script_file else TupleOf(outputs)))
        for attribute, key in _COMMON[1:]:
            value = getattr(step, attribute)
            if value is not None:
                kwargs.append((attribute, self.data(value, key)))
        if step.extra:
            kwargs.append(("extra", self.data(dict(step.extra), "extra")))
        args = [expr for key, expr in kwargs if not key]
        return Call(function, args, [(key, expr) for key, expr in kwargs if key])

    def script_file(self, step: Step) -> str | None:
        """Extract an inline script to a file beside the module, when the file reads back to the same text."""
        if not isinstance(step, ExecuteScript) or not isinstance(step.script, str) or not isinstance(step.runtime, str):
            return None
        if "\r" in step.script or not step.script.strip() or BUILD_PLACEHOLDER.fullmatch(step.script.strip()):
            return None
        runtime = step.runtime.lower()
        suffix = ".py" if runtime.startswith("python") else ".ps1" if "powershell" in runtime else ".txt"
        file = self.script_names.take(step.name) + suffix
        self.scripts[file] = step.script
        return file

    def choice(self, choice: Choice) -> Expr:
        self.use("toolkit.steps", "Choice")
        simple = choice.operator is not None and not (choice.extra or choice.all_of or choice.any_of or choice.not_)
        if simple and choice.variable is not None:
            args: list[Expr] = [
                self.value(choice.variable, "variable", refs=True),
                Text(choice.operator or ""),
                self.value(choice.value, choice.operator or "value", refs=True),
            ]
            named = [("next_step", Text(choice.next_step))] if choice.next_step is not None else []
            return Call("Choice.when", args, named)
        kwargs: list[tuple[str, Expr]] = []
        if choice.next_step is not None:
            kwargs.append(("next_step", Text(choice.next_step)))
        if choice.variable is not None:
            kwargs.append(("variable", self.value(choice.variable, "variable", refs=True)))
        if choice.operator is not None:
            kwargs.append(("operator", Text(choice.operator)))
            kwargs.append(("value", self.value(choice.value, choice.operator, refs=True)))
        for attribute in ("all_of", "any_of"):
            conditions = getattr(choice, attribute)
            if conditions is not None:
                kwargs.append((attribute, TupleOf([self.choice(sub) for sub in conditions])))
        if choice.not_ is not None:
            kwargs.append(("not_", self.choice(choice.not_)))
        if choice.extra:
            kwargs.append(("extra", self.data(dict(choice.extra), "extra")))
        return Call("Choice", [], kwargs)

    def output(self, output: Output) -> Expr:
        self.use("toolkit.model", "Output", "Kind")
        kwargs: list[tuple[str, Expr]] = [
            ("name", Text(output.name)),
            ("selector", Text(output.selector, "selector")),
            ("type", Code(f"Kind.{output.type.name}")),
        ]
        if output.extra:
            kwargs.append(("extra", self.data(dict(output.extra), "extra")))
        return Call("Output", [], kwargs)

    # -- values ---------------------------------------------------------------------------------------------

    def value(self, value: object, hint: str, *, refs: bool) -> Expr:
        """An input value: whole references as code where that renders the same text."""
        if isinstance(value, Ref):
            code = self.reference(value.source) if refs else None
            if code:
                return Code(code)
            self.use("toolkit.model", "Ref")  # a field whose type is not text: the loader's typed reference
            return Call("Ref", [Text(value.target), Text(value.source)])
        if isinstance(value, str):
            code = self.reference(value) if refs else None
            return Code(code) if code else Text(value, hint)
        if isinstance(value, Mapping):
            return DictOf([(Text(str(k)), self.value(v, str(k), refs=refs)) for k, v in value.items()])
        if isinstance(value, (list, tuple)):
            return ListOf([self.value(item, hint, refs=refs) for item in value])
        return self.data(value, hint)  # type: ignore[arg-type]

    def reference(self, text: str) -> str | None:
        match = WHOLE_REFERENCE.match(text)
        if match is None or text != "{{ " + match.group(1) + " }}":
            return None
        target = match.group(1)
        if target in _GLOBALS:
            self.use("toolkit.model", "Global")
            return f"Global.{_GLOBALS[target]}"
        return self.refs.get(target) or None

    def data(self, value: JSON | Ref, hint: str = "") -> Expr:
        """Plain data (no references as code): where the model keeps JSON as loaded."""
        if isinstance(value, Ref):
            return Text(value.source, hint)
        if value is None or isinstance(value, bool):
            return Code(repr(value))
        if isinstance(value, int):
            return Code(repr(value))
        if isinstance(value, float):
            return Code(repr(value) if value == value and abs(value) != float("inf") else f'float("{value}")')
        if isinstance(value, str):
            return Text(value, hint)
        if isinstance(value, Mapping):
            return DictOf([(Text(str(k)), self.data(v, str(k))) for k, v in value.items()])
        return ListOf([self.data(item, hint) for item in value])

    def use(self, module: str, *names: str) -> None:
        self.imports.setdefault(module, set()).update(names)

    # -- the module -----------------------------------------------------------------------------------------

    def module_source(self, name: str, origin: str, body: list[tuple[str, Expr]], problem: str | None) -> str:
        constants = self.constants(body)
        body = [(target, _replace(expr, constants)) for target, expr in body]
        out = _docstring(f"{name}: imported from {origin} by `runbook import`.")
        out += ["from __future__ import annotations", ""]
        if "pathlib" in self.imports:
            out += ["from pathlib import Path", ""]
        for module in ("toolkit.model", "toolkit.steps"):
            if self.imports.get(module):
                out += _import_lines(module, self.imports[module])
        out += ["", *statement("NAME", Text(name))]
        if self.scripts:
            out += [f'SCRIPTS = Path(__file__).with_name("{self.module}_scripts")']
        if self.document.description is not None:
            out += statement("DESCRIPTION", Text(self.document.description))
        for value, constant in sorted(constants.items(), key=lambda item: item[1]):
            out += statement(constant, Text(value))
        out += ["", ""]
        if problem is not None:
            out += _comment(
                f"This document does not pass the toolkit's definition checks ({problem}), so build() returns it "
                "as a plain Document, exactly as it was; `runbook lint` reports its problems. Once they are fixed, "
                "return runbook(NAME, ...) instead to have them checked at every build."
            )
        out += ["def build() -> Document:"]
        for target, expr in body:
            out += statement(target, expr, depth=1)
        return "\n".join(out) + "\n"

    def constants(self, body: list[tuple[str, Expr]]) -> dict[str, str]:
        """Strings used at least twice (and long enough to be worth a name) -> constant names."""
        counts: Counter[str] = Counter()
        hints: dict[str, str] = {}
        for _, expr in body:
            for text in _texts(expr):
                counts[text.value] += 1
                hints.setdefault(text.value, text.hint)
        steps = {step.name for step in self.document.all_steps()}
        names = Namer()
        constants = {}
        for value, uses in counts.items():
            if uses < CONSTANT_MIN_USES or len(value) < CONSTANT_MIN_LENGTH or not hints[value]:
                continue
            if value.removeprefix("step:") in steps or _PLAIN_WORD.fullmatch(value):
                continue  # a step name, an API name, a filter name: the literal reads as well as any name
            reference = WHOLE_REFERENCE.match(value)
            constants[value] = names.take(reference.group(1) if reference else hints[value], upper=True)
        return constants


def _texts(expr: Expr) -> Iterator[Text]:
    if isinstance(expr, Text):
        yield expr
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from _texts(arg)
        for key, value in expr.kwargs:
            if key != "name":
                yield from _texts(value)
    elif isinstance(expr, (ListOf, TupleOf)):
        for item in expr.items:
            yield from _texts(item)
    elif isinstance(expr, DictOf):
        for _, value in expr.items:
            yield from _texts(value)


def _replace(expr: Expr, constants: Mapping[str, str]) -> Expr:
    if isinstance(expr, Text):
        constant = constants.get(expr.value)
        return Code(constant) if constant else expr
    if isinstance(expr, Call):
        return Call(
            expr.function,
            [_replace(arg, constants) for arg in expr.args],
            [(key, value if key == "name" else _replace(value, constants)) for key, value in expr.kwargs],
        )
    if isinstance(expr, (ListOf, TupleOf)):
        return type(expr)([_replace(item, constants) for item in expr.items])
    if isinstance(expr, DictOf):
        return DictOf([(key, _replace(value, constants)) for key, value in expr.items])
    return expr


def _import_lines(module: str, names: set[str]) -> list[str]:
    """One ``from module import ...`` as isort orders it: CONSTANTS, then Classes, then functions."""

    def order(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() and len(name) > 1 else 1 if name[0].isupper() else 2
        return kind, name

    ordered = sorted(names, key=order)
    one = f"from {module} import {', '.join(ordered)}"
    if len(one) <= LINE_LENGTH:
        return [one]
    return [f"from {module} import (", *(f"{INDENT}{name}," for name in ordered), ")"]


def _comment(text: str) -> list[str]:
    safe = text.encode("ascii", "backslashreplace").decode("ascii")
    return textwrap.wrap(safe, LINE_LENGTH - 2, initial_indent="# ", subsequent_indent="# ", break_long_words=True)


def _docstring(text: str) -> list[str]:
    safe = text.encode("ascii", "backslashreplace").decode("ascii").replace("\\", "/").replace('"', "'")
    wrapped = textwrap.wrap(safe, LINE_LENGTH - 6, break_long_words=True, break_on_hyphens=False)
    if len(wrapped) == 1:
        return [f'"""{wrapped[0]}"""', ""]
    return [f'"""{wrapped[0]}', *wrapped[1:], '"""', ""]
