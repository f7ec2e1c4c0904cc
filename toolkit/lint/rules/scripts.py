"""Rules for aws:executeScript steps: the runtime, the script's Python syntax and its handler.

Every rule here reads the step's inputs as loaded. A runtime given as a ``{{ reference }}`` is not judged, and
neither is a PowerShell script's code. A Python script that is wholly a build-time placeholder
(``%%SCRIPT=file.py%%``) is reported once as information and not parsed.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Final

from toolkit.lint.context import LintDocument, StepSite
from toolkit.lint.rule import Problem, Rule
from toolkit.model.values import BUILD_PLACEHOLDER, WHOLE_REFERENCE
from toolkit.records import Record
from toolkit.ssm.runtimes import (
    DEFAULT_PYTHON_RUNTIME,
    NEWER_RUNTIME,
    POWERSHELL_PREFIXES,
    RETIRED_SCRIPT_RUNTIMES,
    SCRIPT_RUNTIMES,
)

ACTION: Final = "aws:executeScript"

RETIRED_RUNTIMES: Final = frozenset(RETIRED_SCRIPT_RUNTIMES)
CURRENT_RUNTIMES: Final = frozenset(SCRIPT_RUNTIMES)
PYTHON_MINOR: Final = re.compile(r"\Apython3\.([0-9]+)\Z")


# -- shared reading of one step ----------------------------------------------------------------------------


class ScriptStep(Record):
    """One aws:executeScript step's inputs, as far as the rules need them. A ``Record`` (``toolkit.records``)
    standing for the frozen slotted dataclass it was: compared, hashed and shown by ``site`` and ``runtime``
    (``trees`` was ``field(compare=False, repr=False)``)."""

    __slots__ = ("runtime", "site", "trees")
    _FIELDS = ("site", "runtime")

    site: StepSite
    runtime: str | None
    """The literal runtime; None when absent, not a string, or a reference."""
    trees: dict[tuple[str, int | None], ast.Module | SyntaxError | None]
    """Scripts parsed so far, by text and grammar: the Linter's table (``LintDocument.shared``), so a script is
    parsed once for all the rules and documents of a run (the corpus repeats some; trees are only read)."""

    def __init__(
        self,
        site: StepSite,
        runtime: str | None,
        trees: dict[tuple[str, int | None], ast.Module | SyntaxError | None] | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "site", site)
        setattr_(self, "runtime", runtime)
        setattr_(self, "trees", {} if trees is None else trees)

    @property
    def python_minor(self) -> int | None:
        match = PYTHON_MINOR.match(self.runtime or "")
        return int(match.group(1)) if match else None

    @property
    def script(self) -> str | None:
        script = self.site.inputs.get("Script")
        return script if isinstance(script, str) else None

    @property
    def script_path(self) -> tuple[str | int, ...]:
        return (*self.site.path, "inputs", "Script")


def _placeholder(script: str) -> bool:
    """Whether the whole script is a build-time placeholder such as ``%%SCRIPT=file.py%%``."""
    return BUILD_PLACEHOLDER.fullmatch(script.strip()) is not None


def script_steps(doc: LintDocument) -> tuple[ScriptStep, ...]:
    """The document's aws:executeScript steps (found once per document for all the rules of this module)."""
    return doc.memo(script_steps, lambda: _script_steps(doc))


def _script_steps(doc: LintDocument) -> tuple[ScriptStep, ...]:
    found = []
    for site in doc.steps:
        if site.action == ACTION:
            runtime = site.inputs.get("Runtime")
            literal = runtime if isinstance(runtime, str) and "{{" not in runtime else None
            found.append(ScriptStep(site, literal, doc.shared(ScriptStep, dict)))
    return tuple(found)


def python_sources(doc: LintDocument) -> Iterator[tuple[ScriptStep, str]]:
    """Python steps with an inline script that is real code (not a placeholder, not a reference)."""
    for step in script_steps(doc):
        script = step.script
        if step.python_minor is None or script is None or _placeholder(script):
            continue
        if not WHOLE_REFERENCE.match(script.strip()):
            yield step, script


def parse(step: ScriptStep, script: str) -> ast.Module | SyntaxError | None:
    """The script's syntax tree, parsed with the grammar of its runtime where this interpreter knows it.

    A retired runtime is parsed with the current grammar (its fix is a newer runtime). A runtime newer than this
    interpreter gives None on a syntax error: its grammar may allow what ours does not.
    """
    minor = step.python_minor
    here = sys.version_info.minor
    grammar = minor if minor is not None and step.runtime not in RETIRED_RUNTIMES and minor <= here else None
    key = (script, grammar)
    if key not in step.trees:
        step.trees[key] = _parse(script, grammar)
    result = step.trees[key]
    if isinstance(result, SyntaxError) and minor is not None and minor > here:
        return None
    return result


def _parse(script: str, minor: int | None) -> ast.Module | SyntaxError | None:
    try:
        if minor is None:
            return ast.parse(script)
        return ast.parse(script, feature_version=(3, minor))
    except SyntaxError as err:
        return err
    except ValueError:  # a NUL byte in the source
        return None


def _closest(runtime: str) -> str | None:
    """The known runtime a misspelt one (wrong case, spaces) stands for."""
    folded = {known.lower().replace(" ", ""): known for known in CURRENT_RUNTIMES | RETIRED_RUNTIMES}
    return folded.get(runtime.strip().lower().replace(" ", ""))


# -- runtime ------------------------------------------------------------------------------------------------


class RetiredRuntime(Rule):
    """An aws:executeScript step uses a runtime AWS has retired.

    AWS ended support for Python 3.6, 3.7, 3.8 and 3.9 in aws:executeScript on 2025-09-10: from that date a
    document using them can no longer be created, updated or run (AWS Health notice, "AWS Systems Manager
    Automation end of support for Python 3.6, 3.7, 3.8 and 3.9"). PowerShell Core 6.0 (once spelled
    ``dotnetcore2.1``) runs on a .NET runtime that is itself retired.

    Fix: set ``Runtime`` to ``python3.11`` (or another current Python runtime), or to a PowerShell 7 runtime, and
    check that the script still runs.
    """

    id = "E3201"
    summary = "aws:executeScript runtime is retired"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step in script_steps(doc):
            if step.runtime in RETIRED_RUNTIMES:
                advice = DEFAULT_PYTHON_RUNTIME if step.runtime.startswith("python") else "a PowerShell 7 runtime"
                yield Problem(
                    (*step.site.path, "inputs", "Runtime"),
                    f"{step.site.label}: runtime {step.runtime} is retired and AWS no longer accepts it; use {advice}.",
                )


class UnknownRuntime(Rule):
    """An aws:executeScript step names a runtime that does not exist.

    SSM accepts only the runtimes it lists for aws:executeScript (``python3.10``, ``python3.11``, ...,
    ``PowerShell 7.0``, ...), spelled exactly; anything else is rejected when the document is created. A runtime
    given as a ``{{ reference }}`` is not checked, and a plausible newer spelling is left to W3203.

    Fix: use one of the runtimes listed in the aws:executeScript reference, e.g. ``python3.11``.
    """

    id = "E3202"
    summary = "aws:executeScript runtime is not a runtime SSM knows"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step in script_steps(doc):
            runtime = step.runtime
            if runtime is None or runtime in CURRENT_RUNTIMES or runtime in RETIRED_RUNTIMES:
                continue
            if NEWER_RUNTIME.match(runtime):
                continue
            closest = _closest(runtime)
            hint = f"did you mean {closest}?" if closest else f"use {DEFAULT_PYTHON_RUNTIME} or a PowerShell 7 runtime."
            yield Problem(
                (*step.site.path, "inputs", "Runtime"),
                f"{step.site.label}: {runtime!r} is not an aws:executeScript runtime; {hint}",
            )


class UnconfirmedRuntime(Rule):
    """An aws:executeScript step names a runtime newer than any this linter knows.

    ``python3.13`` or ``PowerShell 7.6`` may be accepted by AWS by the time you read this, but the linter cannot
    confirm it; if AWS does not list it, creating the document fails.

    Fix: check the runtime against the aws:executeScript reference in the Systems Manager user guide, or use
    ``python3.11``.
    """

    id = "W3203"
    summary = "aws:executeScript runtime is newer than the runtimes this linter knows"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step in script_steps(doc):
            if step.runtime is not None and NEWER_RUNTIME.match(step.runtime):
                yield Problem(
                    (*step.site.path, "inputs", "Runtime"),
                    f"{step.site.label}: runtime {step.runtime} is not one this linter knows AWS to accept; "
                    "check the aws:executeScript reference.",
                )


# -- script code --------------------------------------------------------------------------------------------


class ScriptSyntax(Rule):
    """A Python script of an aws:executeScript step does not compile.

    SSM runs the script only when the step starts, so a syntax error fails the execution at that step, after
    the steps before it have already changed things. The script is parsed with its runtime's grammar (e.g.
    ``except*`` is an error under ``python3.10``). The finding points at the line and column of the error inside
    the script. PowerShell scripts are not checked.

    Fix: correct the code; run it locally with the same Python version.
    """

    id = "E3204"
    summary = "Python script does not compile"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step, script in python_sources(doc):
            result = parse(step, script)
            if isinstance(result, SyntaxError):
                line = result.lineno or 1
                column = result.offset or 1
                yield Problem(
                    step.script_path,
                    f"{step.site.label}: the script does not compile ({step.runtime}): {result.msg} "
                    f"(script line {line}).",
                    line_offset=line,
                    column=max(column, 1),
                )


class ScriptPlaceholder(Rule):
    """An aws:executeScript step's Script is a build-time placeholder such as ``%%SCRIPT=file.py%%``.

    Some projects keep scripts in their own files and insert them when they build the document. The document
    as stored cannot run (SSM would run the placeholder text), so its script and handler are not checked here.

    Fix: lint the built document, where the placeholder has been replaced by the code.
    """

    id = "I3205"
    summary = "Script is a build-time placeholder"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step in script_steps(doc):
            script = step.script
            if script is not None and _placeholder(script):
                yield Problem(
                    step.script_path,
                    f"{step.site.label}: the script is a build-time placeholder ({script.strip()}); "
                    "lint the built document to check its code.",
                )


# -- handler ------------------------------------------------------------------------------------------------


Functions = dict[str, ast.FunctionDef | ast.AsyncFunctionDef]


def _bound_names(body: list[ast.stmt]) -> tuple[Functions, set[str]]:
    """Module-level functions (the last definition of each name) and every other name bound at module level."""
    functions: Functions = {}
    others: set[str] = set()
    stack = list(body)
    while stack:
        node = stack.pop(0)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions[node.name] = node
        elif isinstance(node, ast.ClassDef):
            others.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                others.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                others.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.If | ast.Try | ast.With | ast.For | ast.While | ast.TryStar):
            for field in ("body", "orelse", "finalbody"):
                stack.extend(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                stack.extend(handler.body)
            if isinstance(node, ast.For):
                others.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
    return functions, others


def _handlers(doc: LintDocument) -> tuple[tuple[ScriptStep, str, Functions, set[str]], ...]:
    """Python steps with an inline script that parses and a plain handler name (found once per document)."""
    return doc.memo(_handlers, lambda: _find_handlers(doc))


def _find_handlers(doc: LintDocument) -> tuple[tuple[ScriptStep, str, Functions, set[str]], ...]:
    """Python steps with an inline script that parses and a plain handler name (not ``file.function``): the
    step, the handler's name, the script's module-level functions and its other module-level names."""
    found = []
    for step, script in python_sources(doc):
        handler = step.site.inputs.get("Handler")
        if not isinstance(handler, str) or "{{" in handler or "." in handler or "Attachment" in step.site.inputs:
            continue
        tree = parse(step, script)
        if isinstance(tree, ast.Module):
            found.append((step, handler.strip(), *_bound_names(tree.body)))
    return tuple(found)


class HandlerMissing(Rule):
    """The Handler of a Python aws:executeScript step names no function of its Script.

    SSM imports the script and calls ``Handler(events, context)``; a name the script does not define at module
    level fails the step when it starts. Names bound by an import or an assignment count as defined. A handler
    of the form ``file.function`` (for an Attachment) is not checked.

    Fix: set Handler to the name of the script's entry function, or define that function at module level.
    """

    id = "E3206"
    summary = "Handler names no module-level function of the script"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step, handler, functions, others in _handlers(doc):
            if handler in functions or handler in others:
                continue
            defined = ", ".join(sorted(functions)) or "none"
            yield Problem(
                (*step.site.path, "inputs", "Handler"),
                f"{step.site.label}: Handler {handler!r} is not defined at module level of the script "
                f"(functions: {defined}).",
            )


def _signature_fault(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """Why ``function(events, context)`` fails, or None when it can be called that way."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    required = len(positional) - len(args.defaults)
    if required > 2:
        return f"it requires {required} positional arguments"
    if len(positional) < 2 and args.vararg is None:
        return f"it takes {len(positional)} positional argument{'s' if len(positional) != 1 else ''}"
    missing = [arg.arg for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True) if default is None]
    if missing:
        return f"it requires keyword-only argument{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    return None


class HandlerSignature(Rule):
    """The handler function of a Python aws:executeScript step cannot be called with ``(events, context)``.

    SSM calls the handler with two positional arguments: the InputPayload as ``events`` and a context object.
    A function taking fewer positional parameters (and no ``*args``), requiring more, or requiring a keyword-only
    argument raises a TypeError when the step starts. A decorated function is not checked.

    Fix: define the handler as ``def handler(events, context):``.
    """

    id = "E3207"
    summary = "handler cannot be called with (events, context)"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step, handler, functions, others in _handlers(doc):
            function = functions.get(handler)
            if function is None or handler in others or function.decorator_list:
                continue
            fault = _signature_fault(function)
            if fault:
                yield Problem(
                    step.script_path,
                    f"{step.site.label}: handler {handler} cannot be called as {handler}(events, context): {fault}.",
                    line_offset=function.lineno,
                    column=function.col_offset + 1,
                )


class HandlerAsync(Rule):
    """The handler of a Python aws:executeScript step is an ``async def``.

    SSM calls the handler as a plain function: an ``async def`` handler returns a coroutine without running its
    body, and the coroutine is not a JSON value SSM can return as the step's Payload.

    Fix: make the handler a plain ``def`` and run any coroutine inside it with ``asyncio.run(...)``.
    """

    id = "W3208"
    summary = "handler is an async function"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step, handler, functions, others in _handlers(doc):
            function = functions.get(handler)
            if isinstance(function, ast.AsyncFunctionDef) and handler not in others:
                yield Problem(
                    step.script_path,
                    f"{step.site.label}: handler {handler} is async; SSM calls it as a plain function.",
                    line_offset=function.lineno,
                    column=function.col_offset + 1,
                )


class HandlerIgnored(Rule):
    """A PowerShell aws:executeScript step sets a Handler.

    The PowerShell runtimes do not take a Handler: SSM runs the whole script and ignores the input, so a
    reader may believe a function is called that never is.

    Fix: remove Handler and make the script's top level do the work (read the payload from
    ``$env:InputPayload``).
    """

    id = "I3211"
    summary = "Handler is ignored by the PowerShell runtimes"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step in script_steps(doc):
            powershell = step.runtime is not None and step.runtime.startswith(POWERSHELL_PREFIXES)
            if powershell and "Handler" in step.site.inputs:
                yield Problem(
                    (*step.site.path, "inputs", "Handler"),
                    f"{step.site.label}: PowerShell runtimes ignore Handler; the whole script runs.",
                    at_key=True,
                )


class HandlerRequired(Rule):
    """A Python aws:executeScript step has no Handler.

    For the Python runtimes Handler is required: it names the function SSM calls (``function`` for an inline
    Script, ``file.function`` for an Attachment). Without it SSM rejects the document.

    Fix: add ``Handler: handler`` (the name of the script's entry function).
    """

    id = "E3212"
    summary = "Python script step without a Handler"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for step in script_steps(doc):
            if step.python_minor is not None and "Handler" not in step.site.inputs:
                yield Problem(
                    (*step.site.path, "inputs"),
                    f"{step.site.label}: a Python script needs a Handler, the function SSM calls.",
                    at_key=True,
                )


RULES: tuple[type[Rule], ...] = (
    RetiredRuntime,
    UnknownRuntime,
    UnconfirmedRuntime,
    ScriptSyntax,
    ScriptPlaceholder,
    HandlerMissing,
    HandlerSignature,
    HandlerAsync,
    HandlerIgnored,
    HandlerRequired,
)
