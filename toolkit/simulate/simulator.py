"""``Simulator``: the owner of every cache simulations use, and the public ``simulate`` / ``plan_of``.

```python
from toolkit.simulate.simulator import Simulator
simulator = Simulator()  # its own caches, shared with no other Simulator
result = simulator.simulate(doc, {"CloudTrailName": "main"}, world)
```

A Simulator's caches, each bounded, and none holding anything a result hands out:

- ``plans``: the compiled plan of each ``Document`` model given (by identity: the cache holds the model, so its
  id cannot be reused while cached), with the last parameters given to it and the values they resolved to.
  Least recently used first out beyond ``PLAN_CACHE_SIZE``. Document data (a mapping) and files are compiled on
  every call: a mapping may be changed between calls, a file rewritten.
- the default world, built on the first run given no world and copied for each such run (runs change only
  their copies, so it never changes).
- ``models``: the AWS service models API steps are checked against (its own ``ModelStore`` unless given one):
  one per botocore service, loaded on first use, so bounded by botocore's service list.
- ``script_models``: what aws:executeScript's boto3 needs from botocore (its loader, template clients, response
  conversion plans; ``toolkit.simulate.boto_models.ServiceModels``), bounded, immutable once built; each
  execution's clients are its own copies of the templates.
- ``statements``: the compiled statements of the IAM policies the worlds it runs in evaluate
  (``toolkit.iam.policy.StatementTable``), keyed by the policy's document, so a policy each world reads anew
  (AdministratorAccess, a generated world's bucket and key policies) compiles once per Simulator, not once per
  world; at most ``limit`` documents. Each run's world copy uses it (``WorldState.statements``); a compiled
  statement depends only on its document, so sharing it changes no decision.

System variables are not cached: the fixed ones (account, region, partition, execution id) are a small mapping
made per execution, and the time-valued ones are read from the execution's clock when a step uses them, since
their value moves with the clock.

Results never alias cached data: parameter values, variables, outputs and recorded call parameters are copies,
and the world a result holds is the run's own copy. The module's ``simulate`` and ``plan_of`` use one default
Simulator, created on first use (``default_simulator``); ``Simulator()`` gives a fresh one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from toolkit.aws.models import ModelStore, default_cache_dir
from toolkit.documents import ReadDocument, read_document
from toolkit.errors import SimulationError
from toolkit.simulate.actions import ACTIONS
from toolkit.simulate.boto_models import ServiceModels
from toolkit.simulate.compiler import Compiler
from toolkit.simulate.execution import ChildExecution, ChildStart, Execution, Options, Plan
from toolkit.simulate.parameters import copy_value
from toolkit.simulate.result import SimulationResult
from toolkit.simulate.run import execute, execute_child, refers_to_parameter_store
from toolkit.ssm.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_CODE, MAX_DOCUMENT_SIZE_MESSAGE

if TYPE_CHECKING:
    from toolkit.fakes.world import World
    from toolkit.iam.policy import StatementTable
    from toolkit.model.document import Document

PLAN_CACHE_SIZE: Final = 64
"""Compiled plans a Simulator keeps (a process simulating more documents than this recompiles the oldest)."""

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A mapping of at most ``size`` entries; adding one more drops the least recently used."""

    __slots__ = ("entries", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self.entries)


class _CachedPlan:
    """A model's plan, the model itself (keeping its id in use) and the last parameters resolved for it."""

    __slots__ = ("document", "given", "plan", "reads_parameter_store", "values")

    def __init__(self, document: Document | ReadDocument, plan: Plan) -> None:
        self.document = document
        self.plan = plan
        self.given: dict[str, Any] | None = None
        self.values: dict[str, Any] = {}
        self.reads_parameter_store = False

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """``plan.resolve(given)``, remembering the last answer (runs often repeat it); always fresh copies."""
        if self.given is None or self.given != given:
            values = self.plan.resolve(given)
            self.given, self.values = copy_value(dict(given)), values
            self.reads_parameter_store = refers_to_parameter_store(values)
        return {key: copy_value(value) for key, value in self.values.items()}


class Simulator:
    """Runs documents in fake worlds, compiling each model once; see the module's doc for its caches."""

    __slots__ = ("_compiler", "_default_world", "_plans", "_run_child", "models", "script_models", "statements")

    def __init__(
        self,
        models: ModelStore | None = None,
        *,
        script_models: ServiceModels | None = None,
        plan_cache_size: int = PLAN_CACHE_SIZE,
    ) -> None:
        self.models = models if models is not None else ModelStore(default_cache_dir())
        self.script_models = script_models if script_models is not None else ServiceModels()
        self._compiler = Compiler(ACTIONS, self.models)
        self._plans: Lru[int, _CachedPlan] = Lru(plan_cache_size)
        self._run_child = self._child  # one bound method for every execution
        self._default_world: World | None = None  # built on first use, copied for each run given no world
        self.statements: StatementTable | None = None  # made by the first simulation (the world's modules load then)
        """The compiled statements of every policy document the worlds it runs in evaluate (``toolkit.iam.policy``),
        shared by all of them: a policy read anew for each world (AdministratorAccess, a bucket or key policy of a
        generated world) compiles once per Simulator."""

    def simulate(
        self,
        doc: Document | ReadDocument | str | Path | Mapping[str, Any],
        params: Mapping[str, Any] | None = None,
        world: World | None = None,
        *,
        options: Options | None = None,
        approve: bool = True,
    ) -> SimulationResult:
        """Run ``doc`` (a model, a document file's path, a runbook module's path, a runbook name, a document read by
        ``toolkit.documents.read_document``, or document data) in ``world`` (default: the default world), which is
        never changed: ``result.world`` is the world after the run. Raises SimulationError
        (code InvalidAutomationExecutionParametersException) when the execution cannot start."""
        cached = self._cached(doc)
        reads_store: bool | None = None
        if cached is not None:
            plan, values = cached.plan, cached.resolve(params or {})
            reads_store = cached.reads_parameter_store
        else:
            plan = self.plan_of(doc)
            values = plan.resolve(params or {})
        if world is None:
            if self._default_world is None:
                # lazy: the fake world's modules (~20 ms) load only when a simulation runs; plan_of does not need
                # them (imported only here: an import statement costs ~1 µs even when the module is loaded)
                from toolkit.fakes.world import World

                self._default_world = World.default()
            world = self._default_world
        after = world.copy()
        if self.statements is None:
            from toolkit.iam.policy import StatementTable  # lazy: with the world's modules, which import it anyway

            self.statements = StatementTable()
        after.statements = self.statements  # one table of compiled policies for every world this Simulator runs in
        return execute(
            plan,
            values,
            after,
            options if options is not None else Options(approve=approve),
            compiler=self._compiler,
            run_child=self._run_child,
            script_models=self.script_models,
            reads_parameter_store=reads_store,
        )

    def plan_of(self, doc: Document | ReadDocument | str | Path | Mapping[str, Any]) -> Plan:
        """The compiled plan of a document given in any of the accepted forms; models are compiled once."""
        if isinstance(doc, Mapping):
            return self._compiler.compile_document(doc)
        if isinstance(doc, (str, Path)):
            read = read_document(doc)
            within_size_limit(read)
            return self._compiler.compile_document(read.data, read.name)
        cached = self._cached(doc)
        assert cached is not None  # a model or a read document, the forms cached
        return cached.plan

    def cache_sizes(self) -> dict[str, int]:
        """How many entries each bounded cache holds now."""
        return {"plans": len(self._plans)}

    def _cached(self, doc: Document | ReadDocument | str | Path | Mapping[str, Any]) -> _CachedPlan | None:
        cached = self._plans.get(id(doc))
        if cached is not None and cached.document is doc:
            return cached  # the hot path: the same model again (an ABC isinstance check costs more than this)
        if isinstance(doc, (Mapping, str, Path)):
            return None
        if isinstance(doc, ReadDocument):
            within_size_limit(doc)
        data = doc.data if isinstance(doc, ReadDocument) else doc.to_dict()
        cached = _CachedPlan(doc, self._compiler.compile_document(data, doc.name))
        self._plans.put(id(doc), cached)
        return cached

    def _child(
        self, data: Mapping[str, Any], params: Mapping[str, Any], parent: Execution, start: ChildStart, /
    ) -> ChildExecution:
        return execute_child(data, params, parent, start, compiler=self._compiler)


_DEFAULT: Simulator | None = None


def default_simulator() -> Simulator:
    """The Simulator the module's ``simulate`` and ``plan_of`` use, created on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Simulator()
    return _DEFAULT


def within_size_limit(document: ReadDocument) -> None:
    """Refuse a document whose content (a file's text, or the YAML ``runbook build`` writes of a runbook: what
    ``runbook publish`` sends) is over SSM's size limit, with SSM's own error: CreateDocument refuses it, so no
    execution of it can start. A model or data given to the Python API has no content of its own and is not
    measured (``runbook lint``'s E0020 measures the file)."""
    text = document.text
    if len(text) * 4 <= MAX_DOCUMENT_BYTES:  # UTF-8 takes at most 4 bytes a character: no need to encode
        return
    size = len(text.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise SimulationError(
            f"{document.label}: the document is {size} bytes, so SSM cannot hold it: {MAX_DOCUMENT_SIZE_MESSAGE}",
            code=MAX_DOCUMENT_SIZE_CODE,
        )


def simulate(
    doc: Document | ReadDocument | str | Path | Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    world: World | None = None,
    *,
    options: Options | None = None,
    approve: bool = True,
) -> SimulationResult:
    """``Simulator.simulate`` on the default Simulator."""
    return (_DEFAULT or default_simulator()).simulate(doc, params, world, options=options, approve=approve)


def plan_of(doc: Document | ReadDocument | str | Path | Mapping[str, Any]) -> Plan:
    """``Simulator.plan_of`` on the default Simulator."""
    return default_simulator().plan_of(doc)
