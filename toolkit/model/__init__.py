"""The typed model of an Automation document: immutable, no I/O.

The names below are imported on first use (PEP 562), so that importing one small module of the model (such as
``toolkit.model.values``) does not build every class of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.model.definition import check_definition, runbook
    from toolkit.model.document import Document
    from toolkit.model.parameter import Parameter, ParameterType, Variable
    from toolkit.model.step import GenericStep, Output, Step
    from toolkit.model.values import JSON, Global, Kind, Ref, Var

_WHERE = {
    "Document": "document",
    "Parameter": "parameter",
    "ParameterType": "parameter",
    "Variable": "parameter",
    "check_definition": "definition",
    "runbook": "definition",
    "GenericStep": "step",
    "Output": "step",
    "Step": "step",
    "JSON": "values",
    "Global": "values",
    "Kind": "values",
    "Ref": "values",
    "Var": "values",
}

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
    "Step",
    "Var",
    "Variable",
    "check_definition",
    "runbook",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.model' has no attribute {name!r}")
    return getattr(importlib.import_module(f"toolkit.model.{module}"), name)
