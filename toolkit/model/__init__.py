"""The typed model of an Automation document: immutable, no I/O."""

from __future__ import annotations

from toolkit.model.document import Document, Source, SourceMap
from toolkit.model.parameter import Parameter, ParameterType, Variable
from toolkit.model.runbook import check_definition, runbook
from toolkit.model.step import GenericStep, Output, Step
from toolkit.model.values import JSON, Global, Kind, Ref, Var

__all__ = [
    "JSON",
    "Document",
    "GenericStep",
    "Global",
    "Kind",
    "Output",
    "Parameter",
    "ParameterType",
    "Ref",
    "Source",
    "SourceMap",
    "Step",
    "Var",
    "Variable",
    "check_definition",
    "runbook",
]
