"""``runbook docs``: a Markdown page per runbook, from the document itself.

The page has one H1 (the document's name), then the document's own description (often Markdown already: kept as
written, its headings demoted only as far as needed to leave the page a single H1), the parameters, the outputs,
the steps, the IAM actions its API steps need and the step graph as a Mermaid block.

Tables are read from the document's data (``Document.to_dict()``), not from the typed model, so a document with
ill-typed parts (kept as loaded, for the linter) still gives a page: whatever a cell cannot show as text it shows
as inline JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.aws.iam_actions import CALLING_ACTIONS
from toolkit.deploy.iam import API_ACTIONS, IMPLIED_ACTIONS, runbook_policy
from toolkit.diagram import to_mermaid
from toolkit.documents import ReadDocument, read_runbook
from toolkit.files import write_atomic
from toolkit.model.document import Document
from toolkit.model.values import JSON
from toolkit.project import runbook_files

if TYPE_CHECKING:
    from toolkit.documents import Run

FLOW_ACTIONS = frozenset({"aws:branch", "aws:sleep", "aws:pause", "aws:loop", "aws:updateVariable"})
"""Actions that call no AWS API themselves (every other action needs some permission)."""

_ATX = re.compile(r"\A( {0,3})(#{1,6})(?=[ \t]|\Z)")
_SETEXT = re.compile(r"\A {0,3}(=+|-+)[ \t]*\Z")
_FENCE = re.compile(r"\A {0,3}(`{3,}|~{3,})")
_PIPE = re.compile(r"(\\*)\|")
_NOT_PARAGRAPH = re.compile(r"\A(?: {4}|\t| {0,3}(?:[-*+>]|\d{1,9}[.)])(?:[ \t]|\Z)| {0,3}<)")
"""A line that starts no paragraph: indented code, a list item, a block quote, HTML."""
SETEXT_LINE = -1


# -- input ------------------------------------------------------------------------------------------------------


def write_all(out: Path) -> list[Path]:
    """Write ``out/<name>.md`` for every runbook of the project. Nothing is written unless every page renders."""
    pages = []
    for spec in runbook_files():
        document = read_runbook(spec)
        pages.append((out / f"{document.name or spec}.md", page_of(document)))
    for path, text in pages:
        write_atomic(path, text)
    return [path for path, _ in pages]


# -- the page ---------------------------------------------------------------------------------------------------


def page_of(document: ReadDocument) -> str:
    """The page of a document as read: a runbook's with the IAM actions of its representative runs, if any."""
    return page(document.model(), representative_runs=document.representative_runs())


def page(document: Document, *, representative_runs: Sequence[Run] = ()) -> str:
    """The whole Markdown page of ``document``; its IAM actions include the calls it makes when simulated in
    ``representative_runs`` (a runbook module's ``representative_runs()`` hook)."""
    data = document.to_dict()
    parts = [f"# {document.name or 'Automation document'}"]
    description = data.get("description")
    if isinstance(description, str) and description.strip():
        parts.append(demote_headings(description.strip("\n")))
    elif description is not None and not isinstance(description, str):
        parts.append(code(_json(description)))
    parts += [
        "## Parameters",
        parameters_table(data.get("parameters")),
        "## Outputs",
        outputs_section(document, data),
        "## Steps",
        steps_table(data),
        "## IAM actions",
        iam_section(data, representative_runs),
        "## Step graph",
        graph_block(document),
    ]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def demote_headings(text: str) -> str:
    """Markdown ``text`` with every heading demoted by as many levels as make its top level at least H2.

    ATX headings (``# x``) gain ``#``; setext headings (``x`` over ``===`` or ``---``) become ATX headings, so they
    can go below H2. Lines inside fenced code blocks are never touched. Levels stop at H6."""
    lines = text.splitlines()
    headings = dict(_headings(lines))
    shift = max(0, 2 - min((level for level in headings.values() if level > 0), default=2))
    if not shift:
        return "\n".join(lines)
    out: list[str] = []
    for index, line in enumerate(lines):
        level = headings.get(index)
        if level is None:
            out.append(line)
        elif level == SETEXT_LINE:  # written with the setext heading's first line
            continue
        elif (match := _ATX.match(line)) is not None:
            out.append(f"{match.group(1)}{'#' * min(6, level + shift)}{line[match.end() :]}")
        else:  # a setext heading: its text lines, then the underline
            end = next(i for i in range(index + 1, len(lines)) if _SETEXT.match(lines[i]))
            words = " ".join(part.strip() for part in lines[index:end])
            out.append(f"{'#' * min(6, level + shift)} {words}")
    return "\n".join(out)


def _headings(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(line index, level) of each heading outside fenced code. A setext heading is given at its first text line;
    its other text lines and its underline are given as ``SETEXT_LINE``."""
    fence: str | None = None
    start: int | None = None  # the first line of the paragraph going on, if any
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        atx = _ATX.match(line)
        setext = _SETEXT.match(line)
        if opening:
            fence, start = opening.group(1), None
        elif atx:
            yield index, len(atx.group(2))
            start = None
        elif setext and start is not None:
            yield start, 1 if setext.group(1)[0] == "=" else 2
            yield from ((i, SETEXT_LINE) for i in range(start + 1, index + 1))
            start = None
        elif not line.strip() or _NOT_PARAGRAPH.match(line):
            start = None
        elif start is None:
            start = index


def parameters_table(parameters: JSON) -> str:
    if parameters is None or parameters == {}:
        return "None."
    if not isinstance(parameters, dict):
        return code(_json(parameters))
    rows = []
    for name, spec in parameters.items():
        spec = spec if isinstance(spec, dict) else {"type": spec}
        kind = spec.get("type")
        rows.append(
            [
                code(name),
                code(kind) if isinstance(kind, str) else code(_json(kind)),
                code(_json(spec["default"])) if "default" in spec else "",
                _allowed(spec),
                "no" if "default" in spec else "yes",
                _text(spec.get("description")),
            ]
        )
    return table(["Name", "Type", "Default", "Allowed values or pattern", "Required", "Description"], rows)


def _allowed(spec: Mapping[str, JSON]) -> str:
    parts = []
    values = spec.get("allowedValues")
    if isinstance(values, list):
        parts.append(", ".join(code(_json(value)) for value in values))
    elif values is not None:
        parts.append(code(_json(values)))
    pattern = spec.get("allowedPattern")
    if pattern is not None:
        shown = pattern if isinstance(pattern, str) and "\n" not in pattern and "\r" not in pattern else _json(pattern)
        parts.append(f"pattern {code(shown)}")
    return "; ".join(parts)


def outputs_section(document: Document, data: Mapping[str, JSON]) -> str:
    """The document's outputs (with their types where the step declares or builds them in), then each step's."""
    outputs = data.get("outputs")
    if outputs is None or outputs == []:
        parts = ["The document declares no outputs."]
    elif isinstance(outputs, list):
        rows = [
            [code(_json(item) if not isinstance(item, str) else item), _output_type(document, item)] for item in outputs
        ]
        parts = ["Document outputs:", table(["Output", "Type"], rows)]
    else:
        parts = [f"Document outputs: {code(_json(outputs))}"]
    rows = []
    for label, step in _steps(data):
        declared = step.get("outputs")
        if isinstance(declared, list):
            for output in declared:
                item = output if isinstance(output, dict) else {}
                rows.append(
                    [label] + [code(_scalar(item[key])) if key in item else "" for key in ("Name", "Selector", "Type")]
                )
        elif declared is not None:
            rows.append([label, code(_json(declared)), "", ""])
    if rows:
        parts += ["Step outputs:", table(["Step", "Output", "Selector", "Type"], rows)]
    return "\n\n".join(parts)


def _output_type(document: Document, reference: JSON) -> str:
    if not isinstance(reference, str) or "." not in reference:
        return ""
    step_name, _, output = reference.partition(".")
    step = document.step(step_name)
    kind = step.output_names().get(output) if step is not None else None
    return code(kind.value) if kind is not None else ""


def steps_table(data: Mapping[str, JSON]) -> str:
    rows = []
    for label, step in _steps(data):
        action = step.get("action")
        on_failure = step.get("onFailure")
        rows.append(
            [
                label,
                code(_scalar(action)) if action is not None else "",
                code(_scalar(on_failure)) if on_failure is not None else "Abort (default)",
                _text(step.get("description")),
            ]
        )
    if not rows:
        return "None." if isinstance(data.get("mainSteps"), list) else code(_json(data.get("mainSteps")))
    return table(["Name", "Action", "On failure", "Description"], rows)


def _steps(data: Mapping[str, JSON]) -> Iterator[tuple[str, dict[str, JSON]]]:
    """(name cell, step data) of every step, in document order; a loop's steps follow it, named with the loop."""

    def walk(steps: JSON, loop: str | None) -> Iterator[tuple[str, dict[str, JSON]]]:
        for step in steps if isinstance(steps, list) else []:
            if not isinstance(step, dict):
                continue
            name = step.get("name")
            label = code(_scalar(name)) if name is not None else ""
            yield (f"{label} (in {loop})" if loop else label), step
            inputs = step.get("inputs")
            if step.get("action") == "aws:loop" and isinstance(inputs, dict):
                yield from walk(inputs.get("Steps"), label)

    return walk(data.get("mainSteps"), None)


def iam_section(data: Mapping[str, JSON], representative_runs: Sequence[Run] = ()) -> str:
    """The IAM actions the document needs, grouped by service.

    Any document: the calls its steps make by name (``runbook_policy`` without simulation): API steps' Service
    and Api, and the calls of other actions for their inputs (``toolkit.aws.iam_actions``). A runbook with
    representative runs (its module's hook): those plus every call its scripts make in them, which is the set a
    role made from its policy is granted; so its page lists what it really needs.
    """
    if representative_runs:
        policy = runbook_policy(data, representative_runs)
        actions = sorted({action for statement in policy["Statement"] for action in statement["Action"]})
        count = len(representative_runs)
        intro = f"Called by its API steps and by its scripts, simulated in {count} representative worlds:"
        implied = ", ".join(
            f"{code(action)} ({condition})"
            for triggers, condition, statement in IMPLIED_ACTIONS
            if triggers & set(actions)
            for action in statement["Action"]
        )
        note = f"Also granted by the deploy template, as AWS authorizes them without a call of their own: {implied}."
        return "\n\n".join([intro, "\n".join(_by_service(actions)), *([note] if implied else [])])
    try:
        policy = runbook_policy(data, [])
    except ValueError as err:
        return f"Cannot be listed: {_text(str(err))}."
    actions = sorted({action for statement in policy["Statement"] for action in statement["Action"]})
    lines = _by_service(actions)
    intro = "Called by its steps, as their inputs name them:" if lines else "None named by its steps."
    kinds = {step.get("action") for _, step in _steps(data)}
    known = {*API_ACTIONS, *CALLING_ACTIONS, "aws:executeScript"}
    unknown = sorted(
        {kind for kind in kinds if isinstance(kind, str) and kind not in known and kind not in FLOW_ACTIONS}
    )
    parts = [intro, "\n".join(lines)] if lines else [intro]
    if "aws:executeScript" in kinds:
        parts.append(
            "Not listed: what its scripts call (`runbook iam-policy DOC --param NAME=VALUE ...` finds it by "
            "simulating them)."
        )
    if "aws:executeAutomation" in kinds or "aws:createStack" in kinds:
        parts.append("Not listed: what child automations and stack resources need, under their own roles or ours.")
    if unknown:
        parts.append(
            f"Not listed: the calls of its {', '.join(code(kind) for kind in unknown)} steps (unknown actions)."
        )
    return "\n\n".join(parts)


def _by_service(actions: list[str]) -> list[str]:
    by_service: dict[str, list[str]] = {}
    for action in actions:
        by_service.setdefault(action.partition(":")[0], []).append(action)
    return [f"- **{service}**: {', '.join(code(a) for a in names)}" for service, names in by_service.items()]


def graph_block(document: Document) -> str:
    return f"```mermaid\n{to_mermaid(document).rstrip()}\n```"


# -- Markdown pieces ----------------------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub table; cells are escaped here (``|`` and line breaks), so callers pass Markdown as it should read."""
    lines = [_row(header), "|" + "---|" * len(header)]
    lines += [_row(row) for row in rows]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell_text(cell) for cell in cells) + " |"


def cell_text(text: str) -> str:
    """``text`` made safe for one table cell: line breaks become ``<br>``, ``|`` becomes ``\\|``.

    Backslashes just before a ``|`` are doubled, so the pipe stays escaped (GitHub reads ``\\\\|`` as an escaped
    backslash and then a cell border)."""
    text = "<br>".join(text.splitlines())
    return _PIPE.sub(lambda match: match.group(1) * 2 + "\\|", text)


def code(text: str) -> str:
    """``text`` as inline code, fenced with more backticks than it contains in a row."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _text(value: JSON) -> str:
    """A description: its text as written (Markdown), or inline JSON when it is not a string."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else code(_json(value))


def _scalar(value: JSON) -> str:
    return value if isinstance(value, str) else _json(value)


def _json(value: JSON) -> str:
    return json.dumps(value, ensure_ascii=False)
