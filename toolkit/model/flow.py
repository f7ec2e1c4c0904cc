"""One reading of a document's flow: which step may run after which, for the linter, drawer, simulator and model.

Read from the document's data (``mainSteps`` as loaded, or as ``Document.to_dict()`` gives it), never from the
typed model, so that a broken document reads too: an item that is not a mapping is skipped (its position is
kept in ``StepList.skipped``), a step without a name or with fields of the wrong type reads as far as it can.
The reading only reports; each consumer decides what a problem means to it (the linter reports a finding, the
drawer draws a "missing" node, the simulator refuses the document as InvalidDocument, the model raises).

SSM's flow, as this module reads it:
- After a step succeeds SSM runs its ``nextStep``, else stops if ``isEnd``, else runs the next step of its list;
  after the last step the list ends (``END``). ``isEnd`` is true when it is ``true`` or the text true/True/TRUE
  (the spellings the project's schema accepts); a ``{{ reference }}`` reads as false, as the simulator runs it.
- aws:branch runs the first matching choice's ``NextStep``, else ``Default``. Decision (AWS's docs are silent):
  with no match and no Default the step goes on by its own flow, like any other step; with a Default its own
  ``nextStep``/``isEnd`` never apply (the jump is still checked: AWS checks every name a document jumps to).
- After a step fails, ``onFailure`` decides: ``Abort`` (the default) ends the list abnormally, ``Continue``
  runs the next step, ``step:X`` runs X. ``onCancel`` is ``Abort`` (the default) or ``step:X``.
- aws:loop runs its ``inputs.Steps`` body, a list of its own: the loop step enters the body's first step
  (``LOOP``), the end of the body goes back to the loop step (``LOOP_BACK``, target ``END`` of the body), and
  the loop step's own flow leaves the loop. Jumps resolve within their own list (a body cannot jump out, mainSteps
  cannot jump in), to the first step of that name, as the simulator resolves them.

Decision on spellings of ``onFailure``/``onCancel`` (``step: B``, ``step:B ``, ``abort``...): only ``Abort``,
``Continue`` (onFailure only) and ``step:NAME`` with NAME of letters, digits and underscores, written exactly,
are accepted; anything else is ``MALFORMED`` and every consumer refuses it. Evidence on disk:
- AWS's own JSON schema for Automation, shipped in the aws-ssm-document-language-service npm package
  (shared/peers/ssm-language-service, ``dist/schema.json``): ``mainSteps.items.properties.onFailure`` has
  ``"pattern": "((^|, )(Abort|Continue|step:\\w+))$"``; ``\\w+`` must follow the colon at once and run to the
  end, so ``step: B``, ``step:B `` and ``abort`` do not match.
- botocore's SSM model (``ssm/2014-11-06/service-2.json``, StepExecution OnFailure): "we support Continue and
  Abort ... we add step:stepName", written without a space.
- cdk-ssm-documents (shared/peers, ``lib/interface/on-failure.js``) writes ``'step:' + step.name``.
- The corpus: all 63 ``step:X`` values in the 247 real documents (31 onFailure, 32 onCancel) have no space and
  every Abort/Continue is capitalised; the spec (shared/spec/ssm-automation.md, Steps) writes ``step:<name>``, and
  step names match ``^[a-zA-Z0-9_]+$``.
The project's schema (schemas/automation-0.3.schema.json) said ``step:.+``; it now says what AWS's does.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from typing import Final

from toolkit.model.values import JSON
from toolkit.records import Record

Path = tuple[str | int, ...]

END: Final = -1
"""The target of an edge that ends its list (the execution, or a loop body's iteration)."""
MISSING: Final = -2
"""The target of an edge whose step name is not a step of its list (or whose spelling AWS refuses)."""

MAIN: Final[Path] = ("mainSteps",)
JUMP: Final = re.compile(r"step:([A-Za-z0-9_]+)")
"""``step:NAME`` as AWS's schema accepts it (``step:\\w+``, ASCII), matched whole."""
TRUE_TEXT: Final = re.compile(r"\s*(true|True|TRUE)\s*")


class Handling(enum.Enum):
    """What ``onFailure`` or ``onCancel`` says to do."""

    ABORT = "Abort"
    CONTINUE = "Continue"
    JUMP = "step"
    MALFORMED = "malformed"
    """A value AWS does not accept (a wrong spelling, a word onCancel does not take, not a string)."""


class Handler(Record):
    __slots__ = _FIELDS = ("handling", "target")
    handling: Handling
    target: str | None
    """The step named by ``step:NAME``."""

    def __init__(self, handling: Handling, target: str | None = None) -> None:
        object.__setattr__(self, "handling", handling)
        object.__setattr__(self, "target", target)


def read_handler(value: JSON, *, cancel: bool = False) -> Handler:
    """Read ``onFailure`` (or ``onCancel`` with ``cancel``); a missing value (None) is the default, Abort."""
    if value is None or value == "Abort":
        return Handler(Handling.ABORT)
    if value == "Continue" and not cancel:
        return Handler(Handling.CONTINUE)
    if isinstance(value, str):
        jump = JUMP.fullmatch(value)
        if jump is not None:
            return Handler(Handling.JUMP, jump.group(1))
    return Handler(Handling.MALFORMED)


def read_is_end(value: JSON) -> bool:
    return value is True or (isinstance(value, str) and TRUE_TEXT.fullmatch(value) is not None)


class EdgeKind(enum.Enum):
    FLOW = "flow"
    """Success: nextStep, isEnd, the next step of the list, a branch that matches nothing and has no Default."""
    CHOICE = "choice"
    DEFAULT = "default"
    FAILURE = "failure"
    """onFailure Continue (to the next step) or step:X."""
    ABORT_END = "abort-end"
    """onFailure Abort, explicit or by default: the list ends abnormally."""
    CANCEL = "cancel"
    """onCancel step:X."""
    LOOP = "loop"
    """A loop step entering the first step of its body (the target is in the body's list)."""
    LOOP_BACK = "loop-back"
    """Success flow that ends a loop body (target END): back to the loop step."""

    @property
    def normal(self) -> bool:
        """Followed without the execution failing for good: success, and failure handled."""
        return self not in (EdgeKind.ABORT_END, EdgeKind.CANCEL, EdgeKind.LOOP)


class Edge(Record):
    __slots__ = _FIELDS = ("source", "target", "kind", "field", "name", "target_list")
    source: int
    """The index of the source step in its list's ``steps``."""
    target: int
    """The index of the target in ``target_list``'s steps, END or MISSING."""
    kind: EdgeKind
    field: Path
    """Where the jump is written, relative to the step (``("nextStep",)``); () for implicit flow."""
    name: str | None
    """The step name written, for a jump by name."""
    target_list: Path | None
    """The list holding the target when it is not the source's own (LOOP edges)."""

    def __init__(
        self,
        source: int,
        target: int,
        kind: EdgeKind,
        field: Path = (),
        name: str | None = None,
        target_list: Path | None = None,
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "target_list", target_list)


class Jump(Record):
    """A step name a step jumps to, as written: every one must name a step of its list, used or not."""

    __slots__ = _FIELDS = ("field", "kind", "name", "target")
    field: Path
    kind: EdgeKind
    name: str | None
    """None: the value is not a spelling AWS accepts (``Handling.MALFORMED``)."""
    target: int
    """The index in the list's steps, or MISSING."""

    def __init__(self, field: Path, kind: EdgeKind, name: str | None, target: int) -> None:
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "target", target)


class StepFlow(Record):
    """One step's flow fields, read."""

    __slots__ = _FIELDS = (
        "position",
        "path",
        "data",
        "name",
        "action",
        "next_step",
        "is_end",
        "on_failure",
        "on_cancel",
        "choices",
        "default",
        "body",
    )
    position: int
    """Its position in the list as written (items that are not mappings count)."""
    path: Path
    data: Mapping[str, JSON]
    name: str | None
    action: str | None
    next_step: str | None
    is_end: bool
    on_failure: Handler
    on_cancel: Handler
    choices: tuple[str | None, ...]
    """aws:branch: each choice's NextStep (None where it names none)."""
    default: str | None
    body: StepList | None
    """aws:loop: its ``inputs.Steps``, when that is a list."""

    def __init__(
        self,
        position: int,
        path: Path,
        data: Mapping[str, JSON],
        name: str | None,
        action: str | None,
        next_step: str | None,
        is_end: bool,
        on_failure: Handler,
        on_cancel: Handler,
        choices: tuple[str | None, ...],
        default: str | None,
        body: StepList | None,
    ) -> None:
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "next_step", next_step)
        object.__setattr__(self, "is_end", is_end)
        object.__setattr__(self, "on_failure", on_failure)
        object.__setattr__(self, "on_cancel", on_cancel)
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "body", body)

    @property
    def label(self) -> str:
        return f"step {self.name}" if self.name else f"step {self.position + 1}"


class StepList(Record):
    """One list of steps (mainSteps, or a loop's body) with its steps, names, jumps and edges."""

    __slots__ = _FIELDS = ("path", "steps", "skipped", "names", "jumps", "edges", "loop_step")
    path: Path
    steps: tuple[StepFlow, ...]
    skipped: tuple[int, ...]
    """Positions of items that are not mappings."""
    names: Mapping[str, int]
    """Each name's first step (index into ``steps``)."""
    jumps: tuple[tuple[Jump, ...], ...]
    """Per step, every name it jumps to."""
    edges: tuple[tuple[Edge, ...], ...]
    """Per step, every edge leaving it, in a fixed order (success, failure, cancel, loop)."""
    loop_step: int | None
    """For a body: the index of its loop step in the parent list."""

    def __init__(
        self,
        path: Path,
        steps: tuple[StepFlow, ...],
        skipped: tuple[int, ...],
        names: Mapping[str, int],
        jumps: tuple[tuple[Jump, ...], ...],
        edges: tuple[tuple[Edge, ...], ...],
        loop_step: int | None = None,
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "skipped", skipped)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "jumps", jumps)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "loop_step", loop_step)

    def lists(self) -> list[StepList]:
        """This list and every loop body inside it, depth first, in document order."""
        found = [self]
        for step in self.steps:
            if step.body is not None:
                found.extend(step.body.lists())
        return found

    def problems(self) -> list[tuple[StepFlow, Jump]]:
        """Every jump of this list's own steps that names no step of the list or is malformed."""
        return [
            (step, jump)
            for step, jumps in zip(self.steps, self.jumps, strict=True)
            for jump in jumps
            if jump.target == MISSING
        ]


def field_text(field: Path) -> str:
    """A field path as the model's errors name it: ``inputs.Choices[0].NextStep``."""
    text = ""
    for part in field:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def read_steps(data: JSON, path: Path = MAIN, loop_step: int | None = None) -> StepList:
    """Read one step list (``data`` is what its key holds; anything but a list reads as no steps)."""
    steps: list[StepFlow] = []
    skipped: list[int] = []
    for position, item in enumerate(data if isinstance(data, list) else ()):
        if isinstance(item, dict):
            steps.append(_read_step(item, (*path, position), position, len(steps)))
        else:
            skipped.append(position)
    names: dict[str, int] = {}
    for index, step in enumerate(steps):
        if step.name is not None:
            names.setdefault(step.name, index)
    in_body = loop_step is not None
    jumps = tuple(_jumps(step, names) for step in steps)
    edges = tuple(
        _edges(index, step, step_jumps, len(steps), in_body)
        for index, (step, step_jumps) in enumerate(zip(steps, jumps, strict=True))
    )
    return StepList(path, tuple(steps), tuple(skipped), names, jumps, edges, loop_step)


def read_flow(data: Mapping[str, JSON]) -> StepList:
    """Read a document's ``mainSteps`` (with its loop bodies)."""
    return read_steps(data.get("mainSteps"))


def _text(value: JSON) -> str | None:
    return value if isinstance(value, str) else None


def _read_step(data: Mapping[str, JSON], path: Path, position: int, index: int) -> StepFlow:
    action = _text(data.get("action"))
    inputs = data.get("inputs")
    inputs = inputs if isinstance(inputs, dict) else {}
    choices: tuple[str | None, ...] = ()
    default = None
    body = None
    if action == "aws:branch":
        listed = inputs.get("Choices")
        choices = tuple(
            _text(choice.get("NextStep")) if isinstance(choice, dict) else None
            for choice in (listed if isinstance(listed, list) else ())
        )
        default = _text(inputs.get("Default"))
    if action == "aws:loop" and isinstance(inputs.get("Steps"), list):
        body = read_steps(inputs["Steps"], (*path, "inputs", "Steps"), loop_step=index)
    return StepFlow(
        position=position,
        path=path,
        data=data,
        name=_text(data.get("name")),
        action=action,
        next_step=_text(data.get("nextStep")),
        is_end=read_is_end(data.get("isEnd")),
        on_failure=read_handler(data.get("onFailure")),
        on_cancel=read_handler(data.get("onCancel"), cancel=True),
        choices=choices,
        default=default,
        body=body,
    )


def _jumps(step: StepFlow, names: Mapping[str, int]) -> tuple[Jump, ...]:
    found: list[Jump] = []

    def add(field: Path, kind: EdgeKind, name: str | None) -> None:
        found.append(Jump(field, kind, name, MISSING if name is None else names.get(name, MISSING)))

    if step.next_step is not None:
        add(("nextStep",), EdgeKind.FLOW, step.next_step)
    for key, handler, kind in (
        ("onFailure", step.on_failure, EdgeKind.FAILURE),
        ("onCancel", step.on_cancel, EdgeKind.CANCEL),
    ):
        if handler.handling is Handling.JUMP:
            add((key,), kind, handler.target)
        elif handler.handling is Handling.MALFORMED:
            add((key,), kind, None)
    for number, target in enumerate(step.choices):
        if target is not None:
            add(("inputs", "Choices", number, "NextStep"), EdgeKind.CHOICE, target)
    if step.default is not None:
        add(("inputs", "Default"), EdgeKind.DEFAULT, step.default)
    return tuple(found)


def _edges(index: int, step: StepFlow, jumps: Sequence[Jump], count: int, in_body: bool) -> tuple[Edge, ...]:
    following = index + 1 if index + 1 < count else END
    by_field = {jump.field: jump for jump in jumps}
    edges: list[Edge] = []

    def to(kind: EdgeKind, field: Path) -> None:
        jump = by_field[field]
        edges.append(Edge(index, jump.target, kind, field, jump.name))

    def flow(target: int, kind: EdgeKind = EdgeKind.FLOW) -> None:
        ending = in_body and target == END and kind is EdgeKind.FLOW
        edges.append(Edge(index, target, EdgeKind.LOOP_BACK if ending else kind))

    for number, target in enumerate(step.choices):
        if target is not None:
            to(EdgeKind.CHOICE, ("inputs", "Choices", number, "NextStep"))
    if step.default is not None:
        to(EdgeKind.DEFAULT, ("inputs", "Default"))
    elif step.next_step is not None:
        to(EdgeKind.FLOW, ("nextStep",))
    elif step.is_end:
        flow(END)
    else:
        flow(following)
    handling = step.on_failure.handling
    if handling is Handling.ABORT:
        flow(END, EdgeKind.ABORT_END)
    elif handling is Handling.CONTINUE:
        flow(following, EdgeKind.FAILURE)
    else:
        to(EdgeKind.FAILURE, ("onFailure",))
    if step.on_cancel.handling is not Handling.ABORT:
        to(EdgeKind.CANCEL, ("onCancel",))
    if step.body is not None and step.body.steps:
        edges.append(Edge(index, 0, EdgeKind.LOOP, target_list=step.body.path))
    return tuple(edges)
