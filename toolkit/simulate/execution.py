"""The simulator's bottom layer: the data a compiled plan is made of and the state of one execution.

Everything above builds on these types and none of them reaches up: the action handlers (``actions/``) read and
change an ``Execution``; the compiler (``compile.py``) turns a document into a ``Plan`` of ``StepPlan``s; the
engine (``engine.py``) runs a plan; ``run.py`` starts one execution; ``simulator.py`` owns the caches. What a
handler needs from the layers above it (running a nested step list, starting a child automation, the AWS models)
it finds on the ``Execution`` it is given, or, while its document compiles, on the ``StepCompiler``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Protocol

from toolkit.fakes.errors import AwsError
from toolkit.model import flow
from toolkit.records import IdentityRecord, MutableRecord, Record
from toolkit.simulate.parameters import Declared, resolve
from toolkit.simulate.result import FAILED
from toolkit.simulate.template import Template, Unresolved
from toolkit.ssm.types import ParameterType

if TYPE_CHECKING:
    from toolkit.aws.models import ModelStore
    from toolkit.fakes.caller import Caller
    from toolkit.simulate.boto_models import ServiceModels
    from toolkit.simulate.clock import Clock
    from toolkit.simulate.jsonpath import Selector
    from toolkit.simulate.recorder import Recorder
    from toolkit.simulate.result import ChildRun, StepRun
    from toolkit.simulate.template import Scope

# Where a step goes: an index in its step list, or one of these (END where the flow reading ends a list).
END: Final = flow.END
ABORT: Final = -2
CONTINUE: Final = -3
UNUSABLE: Final = "InvalidDocument"


class StepFailed(Exception):
    """A step did not succeed: ``status`` is Failed, TimedOut or Cancelled; ``message`` says why in one line."""

    def __init__(self, message: str, status: str = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Outcome(MutableRecord):
    """What a step produced: the response its output selectors read, its built-in outputs, and where to go."""

    __slots__ = _FIELDS = ("response", "builtin", "jump")
    response: Any
    builtin: dict[str, Any] | None
    jump: int | None
    """An index to run next instead of the step's own flow (aws:branch); None: the step's own flow."""

    def __init__(
        self,
        response: Any = None,
        builtin: dict[str, Any] | None = None,
        jump: int | None = None,
    ) -> None:
        self.response = response
        self.builtin = builtin
        self.jump = jump


Handler = Callable[["StepPlan", "Execution", float | None], Outcome]
"""Runs one step: its plan, the execution and the step's deadline on the simulated clock (None: no timeout)."""


class StepCompiler(Protocol):
    """What an action may use while its document compiles (``Preparer``): the AWS models and nested step lists."""

    @property
    def models(self) -> ModelStore: ...

    def compile_steps(self, steps: list[Any]) -> list[StepPlan]: ...


Preparer = Callable[["StepPlan", Mapping[str, int], StepCompiler], None]
"""Compiles what one action needs once per document (a branch's choices, a loop's body) into ``step.extra``."""


class OutputPlan(MutableRecord):
    __slots__ = _FIELDS = ("name", "selector", "type", "compiled", "read")
    name: str
    selector: str
    type: str
    compiled: Selector | str
    """The selector compiled with the plan (``Selector.select``), or why it is not valid."""
    read: Callable[[Any], tuple[bool, Any]]
    """Compiled with the plan: the output from a response, typed (found, value); raises StepFailed."""

    def __init__(
        self,
        name: str,
        selector: str,
        type: str,
        compiled: Selector | str,
        read: Callable[[Any], tuple[bool, Any]],
    ) -> None:
        self.name = name
        self.selector = selector
        self.type = type
        self.compiled = compiled
        self.read = read


class StepPlan(IdentityRecord):
    """One step, ready to run. ``next_step`` is the index run after success (END: the execution ends)."""

    __slots__ = _FIELDS = (
        "index",
        "name",
        "action",
        "data",
        "inputs",
        "outputs",
        "max_attempts",
        "timeout",
        "on_failure",
        "on_cancel",
        "critical",
        "next_step",
        "following",
        "handler",
        "jumps",
        "extra",
        "simple",
    )
    index: int
    name: str
    action: str
    data: dict[str, Any]
    inputs: dict[str, Template]
    outputs: list[OutputPlan]
    max_attempts: int | Template
    timeout: float | Template | None
    on_failure: int
    on_cancel: int
    critical: bool | Template
    next_step: int
    following: int
    handler: Handler
    jumps: dict[flow.Path, int]
    """Every step name the step jumps to (by where it is written), resolved to an index of its list."""
    extra: dict[str, Any]
    """Whatever the action compiled for itself (a loop's body, a branch's choices...); never changed by a run."""
    simple: bool
    """One attempt and no timeout: the engine's short path."""

    def __init__(
        self,
        index: int,
        name: str,
        action: str,
        data: dict[str, Any],
        inputs: dict[str, Template],
        outputs: list[OutputPlan],
        max_attempts: int | Template,
        timeout: float | Template | None,
        on_failure: int,
        on_cancel: int,
        critical: bool | Template,
        next_step: int,
        following: int,
        handler: Handler,
        jumps: dict[flow.Path, int] | None = None,
        extra: dict[str, Any] | None = None,
        simple: bool = False,
    ) -> None:
        self.index = index
        self.name = name
        self.action = action
        self.data = data
        self.inputs = inputs
        self.outputs = outputs
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.on_failure = on_failure
        self.on_cancel = on_cancel
        self.critical = critical
        self.next_step = next_step
        self.following = following
        self.handler = handler
        self.jumps = dict() if jumps is None else jumps
        self.extra = dict() if extra is None else extra
        self.simple = simple


class Plan(IdentityRecord):
    """A compiled document. Runs only read it, so one plan serves any number of executions."""

    __slots__ = _FIELDS = (
        "steps",
        "names",
        "parameters",
        "variables",
        "outputs",
        "name",
        "variable_types",
        "assume_role",
    )
    steps: list[StepPlan]
    names: dict[str, int]
    parameters: dict[str, Declared]
    variables: dict[str, Any]
    outputs: list[str]
    name: str | None
    variable_types: dict[str, ParameterType]
    assume_role: Template | None
    """The document's ``assumeRole``, rendered when the execution starts (None: the document has none)."""

    def __init__(
        self,
        steps: list[StepPlan],
        names: dict[str, int],
        parameters: dict[str, Declared],
        variables: dict[str, Any],
        outputs: list[str],
        name: str | None,
        variable_types: dict[str, ParameterType] | None = None,
        assume_role: Template | None = None,
    ) -> None:
        self.steps = steps
        self.names = names
        self.parameters = parameters
        self.variables = variables
        self.outputs = outputs
        self.name = name
        self.variable_types = dict() if variable_types is None else variable_types
        self.assume_role = assume_role

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The execution's parameter values (``params.resolve``): fresh copies, never the caller's or the plan's."""
        return resolve(self.parameters, given)

    def index(self, name: str) -> int:
        return self.names[name]

    def step_names(self) -> set[str]:
        """Every step's name, the steps of loops' bodies (``extra["body"]``) too."""
        found: set[str] = set()
        pending = list(self.steps)
        while pending:
            step = pending.pop()
            found.add(step.name)
            pending.extend(step.extra.get("body", ()))
        return found


class Options(MutableRecord):
    """Choices a real execution leaves to people or to time."""

    __slots__ = _FIELDS = (
        "approve",
        "resume",
        "cancel_at",
        "cpu_seconds",
        "documents",
        "start",
        "moto",
        "caller",
        "iam",
        "account",
        "region",
    )
    approve: bool
    """aws:approve is approved (True) or rejected (False)."""
    resume: bool
    """aws:pause is resumed at once (True), or never, so it runs into its timeout (False)."""
    cancel_at: str | None
    """Cancel the execution when this step is about to run (its onCancel then decides)."""
    cpu_seconds: float
    """CPU seconds of its own thread an aws:executeScript may compute before it is stopped as a runaway."""
    documents: Callable[[str], Any] | None
    """Finds the document an aws:executeAutomation step names (None: the project's runbooks and search path)."""
    start: datetime | None
    """When the execution starts (default: the clock's fixed epoch, 2026-01-01T00:00:00Z)."""
    moto: bool
    """Deprecated, no effect: moto now owns every service the fakes do not, always (``toolkit.fakes.moto``)."""
    caller: str | None
    """Who starts the execution: an IAM role's, user's or root's ARN (None: the world's ``Caller``)."""
    iam: bool
    """Authorize every call as IAM would (False: every call allowed, as before permission checks existed)."""
    account: str | None
    """The account of the world the execution runs in: its own (None) or one of its ``Accounts``."""
    region: str | None
    """The Region the execution runs in (None: the world's ``Region``)."""

    def __init__(
        self,
        approve: bool = True,
        resume: bool = True,
        cancel_at: str | None = None,
        cpu_seconds: float = 5.0,
        documents: Callable[[str], Any] | None = None,
        start: datetime | None = None,
        moto: bool = False,
        caller: str | None = None,
        iam: bool = True,
        account: str | None = None,
        region: str | None = None,
    ) -> None:
        self.approve = approve
        self.resume = resume
        self.cancel_at = cancel_at
        self.cpu_seconds = cpu_seconds
        self.documents = documents
        self.start = start
        self.moto = moto
        self.caller = caller
        self.iam = iam
        self.account = account
        self.region = region


class ChildExecution(MutableRecord):
    """What an aws:executeAutomation step learns of the child automation it ran."""

    __slots__ = _FIELDS = ("execution_id", "status", "output", "message")
    execution_id: str
    status: str
    output: list[str]
    message: str

    def __init__(
        self,
        execution_id: str,
        status: str,
        output: list[str],
        message: str,
    ) -> None:
        self.execution_id = execution_id
        self.status = status
        self.output = output
        self.message = message


class ChildStart(Record):
    """How a child automation starts: its document's name and version, its id and its parent's, how deep it is,
    and where it runs (``recorder``: the calls of another account or region, ``Recorder.at``; None: the parent's
    account and region)."""

    __slots__ = _FIELDS = ("name", "execution_id", "parent_id", "depth", "version", "recorder", "executed_by", "target")
    name: str
    execution_id: str
    parent_id: str
    depth: int
    version: str
    recorder: Recorder | None
    executed_by: str | None
    """Who the world's record says ran it (None: the account's root, as for the parent)."""
    target: str | None
    """The target value of a rate-controlled child (None for any other)."""

    def __init__(
        self,
        name: str,
        execution_id: str,
        parent_id: str,
        depth: int,
        version: str = "1",
        recorder: Recorder | None = None,
        executed_by: str | None = None,
        target: str | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "execution_id", execution_id)
        object.__setattr__(self, "parent_id", parent_id)
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "recorder", recorder)
        object.__setattr__(self, "executed_by", executed_by)
        object.__setattr__(self, "target", target)


class StepRunner(Protocol):
    """Runs a step list to its end (``engine.run_steps``); the status it ends with."""

    def __call__(self, steps: list[StepPlan], run: Execution, /) -> str: ...


class ChildRunner(Protocol):
    """Runs a child automation's document inside the parent's world, clock and call record (``run.execute_child``)."""

    def __call__(
        self, data: Mapping[str, Any], params: Mapping[str, Any], parent: Execution, start: ChildStart, /
    ) -> ChildExecution: ...


class Execution:
    """One execution in progress: its scope, clock, AWS calls and the step runs so far, and the services of the
    layers above that handlers may use: ``run_steps`` (a loop's body), ``run_child`` (a child automation) and
    ``models`` (the AWS models API calls are checked against) and ``script_models`` (botocore's models and
    template clients, for aws:executeScript's boto3)."""

    __slots__ = (
        "cancelled",
        "children",
        "clock",
        "depth",
        "document",
        "execution_id",
        "family",
        "jumps_back",
        "models",
        "options",
        "outputs",
        "recorded",
        "recorder",
        "run_child",
        "run_steps",
        "runs",
        "scope",
        "script_models",
        "started_by",
        "variable_types",
    )

    def __init__(
        self,
        *,
        scope: Scope,
        clock: Clock,
        recorder: Recorder,
        options: Options,
        execution_id: str,
        variable_types: dict[str, Any],
        run_steps: StepRunner,
        run_child: ChildRunner,
        models: ModelStore,
        script_models: ServiceModels,
        depth: int = 0,
        document: str | None = None,
        family: list[ChildRun] | None = None,
    ) -> None:
        self.scope = scope
        self.clock = clock
        self.recorder = recorder
        self.options = options
        self.script_models = script_models
        self.execution_id = execution_id
        self.variable_types = variable_types
        """Declared variables' ParameterType, for aws:updateVariable."""
        self.run_steps = run_steps
        self.run_child = run_child
        self.models = models
        self.depth = depth
        self.runs: list[StepRun] = []
        self.outputs: dict[str, Any] = {}
        self.cancelled = False
        self.jumps_back = 0
        """Jumps back to a step already run in the same pass over its list, so far (``engine.MAX_JUMPS_BACK``)."""
        self.children = 0
        """Child executions started so far (a child's id is derived from this ordinal: ``run.child_execution_id``)."""
        self.document = document
        """The name of the document run (None: document data given without a name)."""
        self.family: list[ChildRun] = [] if family is None else family
        """Every child automation of the top-level execution, at any depth, in the order they started (shared by
        the whole tree of executions)."""
        self.started_by: Caller | None = None
        """Who started the top-level execution (None: calls are not authorized); a child without an assume role
        runs as them."""
        self.recorded = False
        """Whether the world's SSM holds this execution (a child's is recorded when it starts; the top-level one
        when it starts its first child: ``records.record_top_level``)."""

    def call(
        self, service: str, operation: str, params: dict[str, Any], /, *, region: str | None = None
    ) -> dict[str, Any]:
        """One AWS call of the execution, in its own region or (``region``: a script's client of another region)
        in another region of the same account, recorded with where it was made."""
        backend = self.recorder.backend
        if region is None or region == backend.region:
            return self.recorder.call(service, operation, params)
        elsewhere = backend.elsewhere(backend.account, region)
        if elsewhere is None:
            raise AwsError("NotModeledByFakeWorld", f"the world cannot be seen from {region}")
        return self.recorder.at(elsewhere).call(service, operation, params)

    def next_child_id(self) -> str:
        """The id of the next child automation this execution starts (``child_execution_id``)."""
        self.children += 1
        return child_execution_id(self.execution_id, self.children)

    def render(self, step: StepPlan, key: str, default: Any = None) -> Any:
        template = step.inputs.get(key)
        if template is None:
            return default
        try:
            return template(self.scope)
        except Unresolved as err:
            raise StepFailed(str(err)) from err

    def inputs(self, step: StepPlan, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
        try:
            return {key: template(self.scope) for key, template in step.inputs.items() if key not in skip}
        except Unresolved as err:
            raise StepFailed(str(err)) from err


def child_execution_id(parent_id: str, ordinal: int) -> str:
    """The id of the ``ordinal``-th child automation (from 1) a parent execution starts: a UUID as AWS's execution
    ids are (36 characters, lowercase hex, 8-4-4-4-12), derived from the parent's id (UUID version 5), so it differs
    from every other execution's id of the run and is the same in every run."""
    import uuid  # lazy: uuid loads platform and hashlib (~8 ms); only an execution with children needs it

    return str(uuid.uuid5(uuid.UUID(parent_id), f"child-{ordinal}"))
