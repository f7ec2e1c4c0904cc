"""aws:executeScript: Python or PowerShell code run by the automation service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from toolkit.errors import DefinitionError
from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.step import Output, Step, action_input
from toolkit.model.values import BUILD_PLACEHOLDER, Kind, Ref, Value
from toolkit.ssm.actions import BUILTIN_OUTPUTS
from toolkit.ssm.runtimes import DEFAULT_PYTHON_RUNTIME, RETIRED_SCRIPT_RUNTIMES


@lazy_dataclass
class ExecuteScript(Step):
    """aws:executeScript: ``Handler(events, context)`` of the Script (or Attachment); returns Payload."""

    ACTION = "aws:executeScript"
    BUILTIN_OUTPUTS = BUILTIN_OUTPUTS[ACTION]

    runtime: str | Ref = action_input("Runtime", Kind.STRING, required=True)
    handler: str | Ref | None = action_input("Handler", Kind.STRING)
    input_payload: Mapping[str, Value] | Ref | None = action_input("InputPayload", Kind.STRING_MAP)
    script: str | None = action_input("Script", Kind.STRING)
    attachment: str | None = action_input("Attachment", Kind.STRING)

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        *,
        name: str,
        handler: str | Ref | None = None,
        input_payload: Mapping[str, Value] | Ref | None = None,
        outputs: Sequence[Output] | None = None,
        runtime: str = DEFAULT_PYTHON_RUNTIME,
        **common: object,
    ) -> ExecuteScript:
        """A step whose Script is the text of a real file (Python or PowerShell), read when the runbook is built."""
        source = Path(path).read_text(encoding="utf-8")
        return cls(
            name=name,
            runtime=runtime,
            handler=handler,
            script=source,
            input_payload=input_payload,
            outputs=outputs,
            **common,  # type: ignore[arg-type]
        )

    def check_definition(self) -> None:
        super().check_definition()
        if self.runtime in RETIRED_SCRIPT_RUNTIMES:
            raise DefinitionError(f"runtime {self.runtime} is retired", step=self.name, field="inputs.Runtime")
        if (self.script is None) == (self.attachment is None):
            raise DefinitionError(
                "aws:executeScript takes exactly one of Script and Attachment", step=self.name, field="inputs"
            )
        if isinstance(self.runtime, str) and self.runtime.startswith("python") and self.handler is None:
            raise DefinitionError("a Python script needs a Handler", step=self.name, field="inputs.Handler")
        # A build-time placeholder (%%SCRIPT=file.py%%) is filled in before publishing: nothing to compile yet.
        placeholder = self.script is not None and BUILD_PLACEHOLDER.fullmatch(self.script.strip()) is not None
        python = isinstance(self.runtime, str) and self.runtime.startswith("python")
        if self.script is not None and not placeholder and python:
            try:
                compile(self.script, f"<{self.name}>", "exec")
            except SyntaxError as err:
                raise DefinitionError(f"script does not compile: {err}", step=self.name, field="inputs.Script") from err
