"""Starting an automation for the scenario loop, as AWS Config or EventBridge starts one: the document found as SSM
finds it, the text parameters read per the document's types, the execution simulated in the loop's world.

Documents. A document the scenario file fixes (a file beside it, or a project runbook it names when the world
holds no document of that name) runs as given. Any other is found at each start, so that a change to the world's
documents counts from then on: the world's Systems Manager documents of the account and Region the start names
(``toolkit.simulate.child_documents``: the version asked for, ``$DEFAULT`` when none), else the project's runbooks.
A document found nowhere, not an Automation document, or without the version asked for, is StartAutomationExecution
refusing the start: the attempt fails and no execution runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from toolkit.documents import ReadDocument, read_runbook
from toolkit.errors import SimulationError, ToolkitError
from toolkit.fakes.backend import EPOCH, FakeBackend
from toolkit.fakes.config import FAILED, SUCCEEDED
from toolkit.fakes.world import World
from toolkit.project import find_runbook
from toolkit.simulate.child_documents import child_document
from toolkit.simulate.execution import Options, StepFailed
from toolkit.simulate.parameters import INVALID, Declared, from_text
from toolkit.simulate.simulator import plan_of, simulate

NOT_FOUND = "AutomationDefinitionNotFoundException"


@dataclass(frozen=True)
class Outcome:
    """How a start went: SUCCEEDED or FAILED and why, the execution's simulate JSON (its ``status`` None when
    StartAutomationExecution refused it; the whole None when nothing was asked of SSM), and the world after it."""

    status: str
    message: str | None
    execution: dict[str, Any] | None
    world: World | None = None
    document: str | None = None
    version: str = "1"

    @property
    def ran(self) -> bool:
        """Whether an execution ran (and so changed status, which EventBridge hears of)."""
        return self.execution is not None and self.execution["status"] is not None


class Runner:
    """Finds and runs documents for one scenario run (the documents it read are kept for the run only)."""

    def __init__(self) -> None:
        self._runbooks: dict[str, ReadDocument | None] = {}
        self._held: dict[tuple[str, str, str], ReadDocument] = {}

    def document(self, backend: FakeBackend, name: str, version: str | None) -> tuple[Any, str, str]:
        """The document ``name`` as StartAutomationExecution through ``backend`` finds it: what to simulate, its
        plain name and the version that runs. Raises StepFailed when it cannot start."""
        found = child_document(backend, name, version, self._runbook_data)
        read = self._runbooks.get(found.name)
        if read is not None and found.data is read.data:
            return read, found.name, found.version
        text = json.dumps(found.data, sort_keys=True)
        key = (found.name, found.version, text)
        held = self._held.get(key)
        if held is None:
            label = f"{found.name} (version {found.version} of the world's Systems Manager documents)"
            held = self._held[key] = ReadDocument(label, found.name, text)
        return held, found.name, found.version

    def _runbook_data(self, name: str) -> Any:
        if name not in self._runbooks:
            self._runbooks[name] = read_runbook(name) if find_runbook(name) is not None else None
        read = self._runbooks[name]
        return None if read is None else read.data

    def start(
        self,
        world: World,
        target: Any,
        parameters: Mapping[str, list[str]],
        *,
        now: float,
        caller: str,
        version: str | None = None,
        giver: str = "the remediation",
    ) -> Outcome:
        """Start ``target`` (a document to simulate, or the name of one to find) with SSM's text parameters, as
        ``caller`` starts it, at ``now`` seconds of the scenario."""
        name: str | None = getattr(target, "name", None)
        number = "1"
        if isinstance(target, str):
            backend = world.backend()
            try:
                target, name, number = self.document(backend, target, version)
            except StepFailed as err:
                code, _, detail = err.message.partition(": ")
                if not detail or " " in code:
                    code, detail = NOT_FOUND, err.message
                return _refused(code, detail)
            except ToolkitError as err:  # a project runbook that cannot be built
                return _refused(NOT_FOUND, str(err))
        try:
            values = typed(plan_of(target).parameters, parameters, giver)
            options = Options(start=EPOCH + timedelta(seconds=now), caller=caller)
            result = simulate(target, values, world, options=options)
        except SimulationError as err:
            return _refused(err.code, str(err))
        execution = json.loads(result.to_json())
        if result.status == "Success":
            return Outcome(SUCCEEDED, None, execution, result.world, name, number)
        failed = [step for step in result.steps if step.status != "Success" and step.failure_message]
        detail = f"step {failed[-1].name}: {failed[-1].failure_message}" if failed else "no step failure message"
        return Outcome(FAILED, f"execution {result.status}: {detail}", execution, result.world, name, number)


def _refused(code: str, message: str) -> Outcome:
    """StartAutomationExecution refused the start: no execution ran."""
    error = {"code": code, "message": message}
    execution: dict[str, Any] = {"status": None, "steps": [], "outputs": {}, "calls": [], "error": error}
    return Outcome(FAILED, f"{code}: {message}", execution)


def typed(declared: Mapping[str, Declared], parameters: Mapping[str, list[str]], giver: str) -> dict[str, Any]:
    """Text lists (Config's, EventBridge's Input) read per the runbook's declared types, as SSM reads
    StartAutomationExecution's."""
    values: dict[str, Any] = {}
    for name, texts in parameters.items():
        spec = declared.get(name)
        if spec is not None and spec.type.is_list:
            values[name] = (
                list(texts)
                if spec.type.value == "StringList"
                else from_text(declared, [f"{name}={_list(texts)}"])[name]
            )
        elif len(texts) != 1:
            raise SimulationError(f"takes one value; {giver} gives {len(texts)}", code=INVALID, parameter=name)
        else:
            values[name] = from_text(declared, [f"{name}={texts[0]}"])[name]
    return values


def _list(texts: list[str]) -> str:
    return "[" + ",".join(texts) + "]"
