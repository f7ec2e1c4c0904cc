"""Actions that call an AWS API named in the step: executeAwsApi, assertAwsResourceProperty, waitFor..."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field

from toolkit.errors import DefinitionError
from toolkit.lazy_dataclass import lazy_dataclass
from toolkit.model.step import Step, action_input
from toolkit.model.values import JSON, Kind, Ref, Value, to_json


@lazy_dataclass
class _ApiStep(Step):
    """Service and Api, then the operation's own parameters (checked against botocore by the linter)."""

    service: str | Ref = action_input("Service", Kind.STRING, required=True)
    api: str | Ref = action_input("Api", Kind.STRING, required=True)
    params: Mapping[str, Value] = field(default_factory=dict)

    def _check_inputs(self) -> None:
        if not isinstance(self.params, Mapping):
            raise DefinitionError("params must be a mapping of API parameters", step=self.name, field="inputs")
        for key in self.params:
            if not isinstance(key, str):
                raise DefinitionError(f"API parameter names must be strings: {key!r}", step=self.name, field="inputs")

    def operation_inputs(self) -> dict[str, JSON]:
        return {key: to_json(value) for key, value in self.params.items()}


@lazy_dataclass
class ExecuteAwsApi(_ApiStep):
    """aws:executeAwsApi: call one AWS API operation; outputs select from its response."""

    ACTION = "aws:executeAwsApi"


@lazy_dataclass
class AssertAwsResourceProperty(_ApiStep):
    """aws:assertAwsResourceProperty: fail unless a property of the response is one of DesiredValues."""

    ACTION = "aws:assertAwsResourceProperty"

    property_selector: str | Ref = action_input("PropertySelector", Kind.STRING, required=True)
    desired_values: Sequence[str | Ref] | Ref = action_input("DesiredValues", Kind.STRING_LIST, required=True)


@lazy_dataclass
class WaitForAwsResourceProperty(_ApiStep):
    """aws:waitForAwsResourceProperty: poll until a property of the response is one of DesiredValues."""

    ACTION = "aws:waitForAwsResourceProperty"

    property_selector: str | Ref = action_input("PropertySelector", Kind.STRING, required=True)
    desired_values: Sequence[str | Ref] | Ref = action_input("DesiredValues", Kind.STRING_LIST, required=True)
