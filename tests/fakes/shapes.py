"""Responses checked against botocore's output shapes: every member a response holds is one the operation's output
shape declares, with the declared kind (timestamps as datetime, as botocore parses them)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any


@cache
def _model(service: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def check_shape(service: str, operation: str, response: dict[str, Any]) -> None:
    """Fail (AssertionError naming the path) when ``response`` holds anything the output shape does not declare."""
    shape = _model(service).operation_model(operation).output_shape
    if shape is None:
        assert response == {}, f"{operation} has no output, yet answered {response!r}"
        return
    _check(shape, response, operation)


def _check(shape: Any, value: Any, path: str) -> None:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), f"{path}: expected a structure, got {value!r}"
        for key, item in value.items():
            assert key in shape.members, f"{path}.{key} is not a member of {shape.name}"
            _check(shape.members[key], item, f"{path}.{key}")
    elif kind == "list":
        assert isinstance(value, list), f"{path}: expected a list, got {value!r}"
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]")
    elif kind == "map":
        assert isinstance(value, dict), f"{path}: expected a map, got {value!r}"
        for key, item in value.items():
            _check(shape.value, item, f"{path}[{key}]")
    elif kind == "timestamp":
        assert isinstance(value, datetime) and value.tzinfo is not None, f"{path}: expected an aware datetime"
    elif kind == "string":
        assert isinstance(value, str), f"{path}: expected a string, got {value!r}"
    elif kind == "boolean":
        assert isinstance(value, bool), f"{path}: expected a boolean, got {value!r}"
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: expected an integer, got {value!r}"
