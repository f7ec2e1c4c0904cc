"""Fake AWS Systems Manager's state: Parameter Store (``parameters``), documents (``documents``), automation
executions (``executions``), managed instances (``instances``) and Run Command's commands (``commands``); and
resolving ``{{ssm:/name}}`` parameter defaults.

The state only, below the backend: the operations acting on it are in ``toolkit.fakes.services.ssm``. A world holds
one ``SsmState`` (``world.ssm``); its tables follow the rule of every table of the world (``toolkit.fakes.record``):
entries are never changed in place, so ``copy`` only copies the tables.
"""

from __future__ import annotations

from typing import Any, Final

from toolkit.fakes.errors import AwsError
from toolkit.fakes.ssm.documents import DOCUMENT_KEYS, Document, DocumentVersion
from toolkit.fakes.ssm.executions import EXECUTION_KEYS, AutomationExecution
from toolkit.fakes.ssm.instances import COMMAND_KEYS, INSTANCE_KEYS, Command, ManagedInstance
from toolkit.fakes.ssm.parameters import PARAMETER_KEYS, Parameter, ParameterVersion, name_error, parameter_key
from toolkit.fakes.worldfile import Fields
from toolkit.ssm.references import PARAMETER_STORE_REFERENCE

__all__ = [
    "AutomationExecution",
    "Command",
    "Document",
    "DocumentVersion",
    "ManagedInstance",
    "Parameter",
    "ParameterVersion",
    "SsmState",
    "parameter_key",
    "resolve_default",
]

INVALID_PARAMETERS: Final = "InvalidAutomationExecutionParametersException"


class SsmState:
    """One account's Systems Manager state in every region."""

    __slots__ = ("commands", "documents", "executions", "instances", "parameters")

    def __init__(self) -> None:
        self.parameters: dict[tuple[str, str], Parameter] = {}
        """(region, ``parameter_key(name)``) -> the parameter."""
        self.documents: dict[tuple[str, str], Document] = {}
        """(region, name) -> the document."""
        self.executions: dict[str, AutomationExecution] = {}
        """Execution id -> the execution (its region is in the record)."""
        self.instances: dict[tuple[str, str], ManagedInstance] = {}
        """(region, instance id) -> the managed instance."""
        self.commands: dict[str, Command] = {}
        """Command id -> the command (its region is in the record)."""

    def copy(self) -> SsmState:
        twin = SsmState()
        twin.parameters = self.parameters.copy()
        twin.documents = self.documents.copy()
        twin.executions = self.executions.copy()
        twin.instances = self.instances.copy()
        twin.commands = self.commands.copy()
        return twin

    def read(self, root: Fields, region: str, account: str, partition: str) -> None:
        """Read the world file's Parameters, Documents, AutomationExecutions, ManagedInstances and Commands into this
        (empty) state."""
        user = f"arn:{partition}:iam::{account}:root"
        for fields in root.items("Parameters", PARAMETER_KEYS):
            parameter = Parameter.read(fields, region, user)
            problem = name_error(parameter.name, partition, parameter.region, account)
            if problem is not None:
                raise fields.fail("Name", f"is not a parameter name: {problem.message}")
            where = (parameter.region, parameter_key(parameter.name))
            if where in self.parameters:
                raise fields.fail("Name", f"repeats parameter {parameter.name} of {parameter.region}")
            self.parameters[where] = parameter
        for fields in root.items("Documents", DOCUMENT_KEYS):
            document = Document.read(fields, region)
            if (document.region, document.name) in self.documents:
                raise fields.fail("Name", f"repeats document {document.name} of {document.region}")
            self.documents[(document.region, document.name)] = document
        for fields in root.items("AutomationExecutions", EXECUTION_KEYS):
            execution = AutomationExecution.read(fields, region, user)
            if execution.execution_id in self.executions:
                raise fields.fail("AutomationExecutionId", "repeats an earlier execution")
            self.executions[execution.execution_id] = execution
        for fields in root.items("ManagedInstances", INSTANCE_KEYS):
            instance = ManagedInstance.read(fields, region)
            if (instance.region, instance.instance_id) in self.instances:
                raise fields.fail("InstanceId", f"repeats instance {instance.instance_id} of {instance.region}")
            self.instances[(instance.region, instance.instance_id)] = instance
        for fields in root.items("Commands", COMMAND_KEYS):
            command = Command.read(fields, region)
            if command.command_id in self.commands:
                raise fields.fail("CommandId", "repeats an earlier command")
            self.commands[command.command_id] = command

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "Parameters": [self.parameters[where].to_dict() for where in sorted(self.parameters)],
            "Documents": [self.documents[where].to_dict() for where in sorted(self.documents)],
            "AutomationExecutions": [
                self.executions[key].to_dict()
                for key in sorted(self.executions, key=lambda key: (self.executions[key].started, key))
            ],
            "ManagedInstances": [self.instances[where].to_dict() for where in sorted(self.instances)],
            "Commands": [
                self.commands[key].to_dict()
                for key in sorted(self.commands, key=lambda key: (self.commands[key].requested, key))
            ],
        }


def resolve_default(ssm: SsmState, region: str, value: str) -> str:
    """A parameter default as StartAutomationExecution resolves it: ``{{ssm:NAME}}`` (or ``NAME:VERSION``,
    ``NAME:LABEL``) becomes the parameter's value in ``region``: a String's value, a StringList's comma-joined text.
    Any other value is returned as it is.

    An Automation document's parameters may reference String and StringList parameters only: a SecureString, or an
    ``{{ssm-secure:NAME}}`` reference, refuses the execution, as does an absent parameter, version or label; the
    error is an AwsError with code InvalidAutomationExecutionParametersException (the execution does not start)."""
    match = PARAMETER_STORE_REFERENCE.fullmatch(value)
    if match is None:
        return value
    prefix, target = match.groups()
    if prefix == "ssm-secure":
        raise AwsError(
            INVALID_PARAMETERS,
            f"{value}: SecureString parameters can't be referenced in an Automation document's parameters; "
            "reference String and StringList parameters with {{ssm:NAME}}",
        )
    name, _, selector = target.partition(":")
    parameter = ssm.parameters.get((region, parameter_key(name)))
    if parameter is None:
        raise AwsError(INVALID_PARAMETERS, f"{value}: Parameter {name} not found in {region}.")
    version = parameter.select(selector or None)
    if version is None:
        what = f"version {selector}" if selector.isdigit() else f"label {selector}"
        raise AwsError(INVALID_PARAMETERS, f"{value}: parameter {name} has no {what}.")
    if version.type == "SecureString":
        raise AwsError(
            INVALID_PARAMETERS,
            f"{value}: {name} is a SecureString parameter, which can't be referenced in an Automation document's "
            "parameters",
        )
    return version.value
