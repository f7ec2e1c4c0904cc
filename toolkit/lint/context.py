"""One document as the rules see it: its data as loaded, its typed model, its source map, and shared analyses.

Rules read the data as loaded, so nothing the model could not hold is hidden from them; the typed model is
built only if a rule asks for it (``document``), since most need only the data and the action catalogue.
Analyses several rules need (the steps with their paths, the references, the flow graphs) are computed once
per document and cached here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit.aws.models import ModelStore, default_cache_dir
from toolkit.lint.flow_graph import FlowGraph, flow_graph
from toolkit.lint.patterns import PatternVerdicts
from toolkit.model.flow import StepList, read_flow
from toolkit.model.values import JSON, REFERENCE, Kind, Ref, RefKind, classify, whole_reference
from toolkit.records import Record
from toolkit.source import Source

if TYPE_CHECKING:
    from toolkit.model.document import Document

Path = tuple[str | int, ...]

# Inputs whose text is code, not a value SSM interpolates.
CODE_INPUTS = frozenset({"Script"})
# The declared types whose value stays one item of a list, never spliced into it.
SINGLE_VALUE_TYPES = frozenset(kind.value for kind in (Kind.STRING, Kind.INTEGER, Kind.BOOLEAN, Kind.STRING_MAP))

T = TypeVar("T")


class StepSite:
    """One step where it stands: its path, its data as loaded, and the step list it belongs to.

    Its name, action and inputs are read from the data once, when the site is made: the rules ask for them some
    14,000 times in a lint of the corpus."""

    __slots__ = ("action", "data", "index", "inputs", "name", "path", "scope")

    path: Path
    data: dict[str, JSON]
    scope: Path
    """The path of the step list holding it: ``("mainSteps",)`` or a loop's ``(..., "inputs", "Steps")``."""
    index: int
    name: str | None
    """The step's name, None when it has none (or not a string)."""
    action: str | None
    """The step's action, None when it has none (or not a string)."""
    inputs: dict[str, JSON]
    """The step's inputs, empty when it has none (or not a mapping)."""

    def __init__(self, path: Path, data: dict[str, JSON], scope: Path, index: int) -> None:
        name, action, inputs = data.get("name"), data.get("action"), data.get("inputs")
        setattr_ = object.__setattr__
        setattr_(self, "path", path)
        setattr_(self, "data", data)
        setattr_(self, "scope", scope)
        setattr_(self, "index", index)
        setattr_(self, "name", name if isinstance(name, str) else None)
        setattr_(self, "action", action if isinstance(action, str) else None)
        setattr_(self, "inputs", inputs if isinstance(inputs, dict) else {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"StepSite is read-only: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StepSite):
            return NotImplemented
        return (self.path, self.data, self.scope, self.index) == (other.path, other.data, other.scope, other.index)

    def __hash__(self) -> int:
        return hash((self.path, self.scope, self.index))

    def __repr__(self) -> str:
        return f"StepSite(path={self.path!r}, data={self.data!r}, scope={self.scope!r}, index={self.index!r})"

    @property
    def label(self) -> str:
        return f"step {self.name}" if self.name else f"step {self.index + 1}"


class RefSite(Record):
    """One ``{{ ... }}`` reference where it stands, and the step it is in (None: outside any step). A ``Record``
    (``toolkit.records``), as the frozen slotted dataclass it was."""

    __slots__ = ("kind", "path", "ref", "step")
    _FIELDS = ("path", "ref", "step", "kind")

    path: Path
    ref: Ref
    step: StepSite | None
    kind: RefKind
    """``ref.kind``, classified once."""

    def __init__(self, path: Path, ref: Ref, step: StepSite | None, kind: RefKind) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "path", path)
        setattr_(self, "ref", ref)
        setattr_(self, "step", step)
        setattr_(self, "kind", kind)


def _collect_references(value: JSON, path: Path, step: StepSite | None, out: list[RefSite]) -> None:
    """Append every reference inside ``value`` (strings holding ``{{``, at any depth) with its path, in document
    order: recursively (a path is made only for a container and for a string holding a reference, not for every
    value), or with an explicit stack for a value nested too deeply to recurse, in the same order."""
    found: list[RefSite] = []
    try:
        _walk_references(value, path, step, found)
    except RecursionError:
        found.clear()
        _walk_references_deep(value, path, step, found)
    out.extend(found)


def _walk_references(value: JSON, path: Path, step: StepSite | None, out: list[RefSite]) -> None:
    if isinstance(value, str):
        if "{{" in value:
            for match in REFERENCE.finditer(value):
                ref = Ref(match.group(1), match.group(0))
                out.append(RefSite(path, ref, step, classify(ref.target)))
        return
    if isinstance(value, dict):
        items: Iterable[tuple[str | int, JSON]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        if isinstance(child, str):
            if "{{" in child:
                _walk_references(child, (*path, key), step, out)
        elif isinstance(child, (dict, list)):
            _walk_references(child, (*path, key), step, out)


def _walk_references_deep(value: JSON, path: Path, step: StepSite | None, out: list[RefSite]) -> None:
    stack: list[tuple[JSON, Path]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "{{" in item:
                for match in REFERENCE.finditer(item):
                    ref = Ref(match.group(1), match.group(0))
                    out.append(RefSite(where, ref, step, classify(ref.target)))
        elif isinstance(item, dict):
            stack.extend(((child, (*where, key)) for key, child in reversed(item.items())))
        elif isinstance(item, list):
            stack.extend(((child, (*where, index)) for index, child in reversed(list(enumerate(item)))))


class LintDocument:
    """The document under lint. Cheap to build; every analysis is computed on first use."""

    def __init__(
        self,
        source: Source,
        text: str,
        name: str | None = None,
        models: ModelStore | None = None,
        shared: dict[Hashable, Any] | None = None,
        patterns: PatternVerdicts | None = None,
    ) -> None:
        self.name = name
        """The document's name: its file's name without .yaml, .yml or .json (None when it has no file)."""
        self.models = models if models is not None else ModelStore(default_cache_dir())
        """The AWS service models the API rules check against (the Linter's, shared by its documents)."""
        self._shared: dict[Hashable, Any] = shared if shared is not None else {}
        self.patterns = patterns if patterns is not None else PatternVerdicts()
        """What allowedPatterns say (``toolkit.lint.patterns``): the Linter's, shared by its documents."""
        self.source = source
        self.data = source.data
        self.file = source.file
        self.text = text
        self._graphs: dict[Path, FlowGraph] = {}
        self._memo: dict[Hashable, Any] = {}
        self._declared: dict[str, str | None] = {}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per document and key: what several rules read (the document's script steps, its
        credentials) is found once and lives as long as the document, never longer."""
        if key in self._memo:
            return self._memo[key]  # type: ignore[no-any-return]
        found = self._memo[key] = compute()
        return found

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per key for every document of the lint run (the Linter owns the table): for what
        depends on its key alone, never on the document, such as an allowedPattern compiled (the corpus writes
        the same few dozen patterns some 400 times)."""
        if key in self._shared:
            return self._shared[key]  # type: ignore[no-any-return]
        found = self._shared[key] = compute()
        return found

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    # -- steps --------------------------------------------------------------------------------------------

    @cached_property
    def steps(self) -> tuple[StepSite, ...]:
        """Every step, loop bodies included, in document order."""
        sites: list[StepSite] = []
        self._collect(self.data.get("mainSteps"), ("mainSteps",), sites)
        return tuple(sites)

    @cached_property
    def document(self) -> Document:
        """The typed model of the document, built on first use."""
        # lazy: the typed model (toolkit.load and the steps, ~60 ms) is built only when a rule asks for it
        from toolkit.load import document_from_data

        return document_from_data(self.data, source=self.source, name=self.name)

    def _collect(self, steps: JSON, scope: Path, out: list[StepSite]) -> None:
        if not isinstance(steps, list):
            return
        for index, data in enumerate(steps):
            if not isinstance(data, dict):
                continue
            site = StepSite((*scope, index), data, scope, index)
            out.append(site)
            inputs = site.inputs
            if site.action == "aws:loop" and isinstance(inputs.get("Steps"), list):
                self._collect(inputs["Steps"], (*site.path, "inputs", "Steps"), out)

    def scope_steps(self, scope: Path) -> tuple[StepSite, ...]:
        return tuple(site for site in self.steps if site.scope == scope)

    @cached_property
    def scopes(self) -> tuple[Path, ...]:
        """The step lists of the document: mainSteps, then each loop body."""
        return tuple(dict.fromkeys(site.scope for site in self.steps))

    @cached_property
    def step_lists(self) -> dict[Path, StepList]:
        """The flow reading of every step list (``toolkit.model.flow``), by path; its steps are ``scope_steps``."""
        return {steps.path: steps for steps in read_flow(self.data).lists()}

    def flow(self, scope: Path) -> FlowGraph:
        """The flow graph of one step list (cached)."""
        graph = self._graphs.get(scope)
        if graph is None:
            graph = self._graphs[scope] = flow_graph(self.step_lists[scope])
        return graph

    @cached_property
    def steps_by_name(self) -> dict[str, StepSite]:
        """The first step of each name, across the document (SSM names are unique document-wide)."""
        out: dict[str, StepSite] = {}
        for site in self.steps:
            if site.name is not None:
                out.setdefault(site.name, site)
        return out

    # -- declarations -------------------------------------------------------------------------------------

    @cached_property
    def parameters(self) -> dict[str, JSON]:
        params = self.data.get("parameters")
        return params if isinstance(params, dict) else {}

    @cached_property
    def variables(self) -> dict[str, JSON]:
        variables = self.data.get("variables")
        return variables if isinstance(variables, dict) else {}

    def parameter_type(self, name: str) -> str | None:
        spec = self.parameters.get(name)
        if isinstance(spec, dict) and isinstance(spec.get("type"), str):
            return str(spec["type"])
        return None

    def declared_type(self, ref: Ref) -> str | None:
        """The declared type of what a whole reference names: a parameter, a variable, a step's declared output
        (String when it declares none, SSM's default), a system variable (String); None when it cannot be told.
        Found once per target and document: the API and input rules ask it for every reference they meet."""
        known = self._declared
        if ref.target in known:
            return known[ref.target]
        found = known[ref.target] = self._declared_type(ref)
        return found

    def _declared_type(self, ref: Ref) -> str | None:
        kind = ref.kind
        if kind is RefKind.PARAMETER:
            return self.parameter_type(ref.name)
        if kind is RefKind.SYSTEM:
            return "String"
        declared: JSON = None
        if kind is RefKind.VARIABLE:
            spec = self.variables.get(ref.name)
            declared = spec.get("type") if isinstance(spec, dict) else None
        elif kind is RefKind.OUTPUT and ref.step in self.steps_by_name:
            outputs = self.steps_by_name[ref.step].data.get("outputs")
            for output in outputs if isinstance(outputs, list) else ():
                if isinstance(output, dict) and output.get("Name") == ref.name:
                    declared = output.get("Type", "String")
        return declared if isinstance(declared, str) else None

    def list_length(self, items: list[JSON]) -> int | None:
        """How many values a list written in an input holds when its step runs, or None when that cannot be told.
        An item that is a whole reference to a list is replaced by that list's entries (SSM splices it:
        ``Approvers: ["{{ Approvers }}"]`` holds every approver of the StringList), so an item naming a StringList
        or MapList, or something whose type cannot be told, makes the length unknown."""
        for item in items:
            ref = whole_reference(item) if isinstance(item, str) else None
            if ref is not None and self.declared_type(ref) not in SINGLE_VALUE_TYPES:
                return None
        return len(items)

    # -- references ---------------------------------------------------------------------------------------

    @cached_property
    def references(self) -> tuple[RefSite, ...]:
        """Every reference SSM would resolve: assumeRole, step inputs (not script code), document outputs."""
        found: list[RefSite] = []
        assume_role = self.data.get("assumeRole")
        if isinstance(assume_role, str):
            _collect_references(assume_role, ("assumeRole",), None, found)
        for site in self.steps:
            for key, value in site.inputs.items():
                if key in CODE_INPUTS or (key == "Steps" and site.action == "aws:loop"):
                    continue
                _collect_references(value, (*site.path, "inputs", key), site, found)
        outputs = self.data.get("outputs")
        if isinstance(outputs, list):
            for index, item in enumerate(outputs):
                if isinstance(item, str):
                    ref = whole_reference(item) or Ref(item.strip(), item)
                    found.append(RefSite(("outputs", index), ref, None, ref.kind))
        return tuple(found)
