"""Step outputs: turning what a selector found into the output's declared ``Type``, as SSM does.

AWS documents these conversions ("Using action outputs as inputs", Systems Manager user guide): when the selected
value does not have the declared type, Automation tries to convert it, and

- a String converts to StringList, Integer and Boolean;
- an Integer converts to String and StringList;
- a Boolean converts to String and StringList;
- a StringList, IntegerList or BooleanList with one element converts to String, Integer or Boolean.

Types are String (the default when ``Type`` is absent), Integer, Boolean, StringList, StringMap and MapList.
Where AWS says nothing, the simulator decides conservatively: a value that is not plainly of the type fails the
output with an ``OutputTypeError`` and never silently becomes something else. The decisions:

- String from an Integer is its decimal text; from a Boolean ``"true"``/``"false"`` (Java's spelling).
- Integer from a String only when the whole string is an optional sign and ASCII digits (``"42"``, ``"-7"``; not
  ``" 42"``, ``"4.0"``, ``"1e3"``); no range limit is applied. A float (even ``3.0``) and a Boolean never become an
  Integer.
- Boolean from a String only for ``"true"``/``"false"`` in any case (Java's parseBoolean would read every other
  string as false; the simulator fails instead). A number never becomes a Boolean.
- StringList from a String, Integer or Boolean is a one-element list of its String form; from a list, every element
  must already be a string (a list of numbers fails, though AWS might stringify it).
- One-element lists: the element converts by the rules above (``["5"]`` to Integer 5); an empty list or a list of
  several fails for String, Integer and Boolean, and so does a one-element list whose element is a list or a map.
- StringMap: a map with string keys, its values kept as they are (any JSON). MapList: a list whose every element
  is a map (``[]`` included). Nothing else converts to either: no JSON text is parsed, no map is wrapped in a list.
- JSON null, a float and any other value (a timestamp, bytes) fail every type.

An indefinite selector (a wildcard, deep scan, filter, slice or index union) selects the list of its matches,
which converts like any other list: StringList and MapList keep every match, in document order; String, Integer
and Boolean take the only match of a one-match list and fail on zero or several matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

OUTPUT_TYPES: Final = ("String", "Integer", "Boolean", "StringList", "StringMap", "MapList")
_INTEGER_TEXT: Final = re.compile(r"[+-]?[0-9]+")


class OutputTypeError(ValueError):
    """A selected value cannot be the output's declared type."""


def convert(value: Any, type_name: str = "String") -> Any:
    """The selected ``value`` as an output of ``type_name``; OutputTypeError when it cannot be one.

    Lists and maps are shallow copies: the output never shares a container with the response it came from.
    """
    converter = _CONVERTERS.get(type_name)
    if converter is None:
        raise OutputTypeError(f"unknown output type {type_name!r}; expected one of {', '.join(OUTPUT_TYPES)}")
    return converter(value)


def _to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _to_string(_only_element(value, "String"))


def _to_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _fail(value, "Integer", "a Boolean does not convert to an Integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if _INTEGER_TEXT.fullmatch(value):
            return int(value)
        raise _fail(value, "Integer", "the string is not a whole number")
    if isinstance(value, float):
        raise _fail(value, "Integer", "a number with a decimal point is not an Integer")
    return _to_integer(_only_element(value, "Integer"))


def _to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise _fail(value, "Boolean", "only 'true' or 'false' convert to a Boolean")
    if isinstance(value, (int, float)):
        raise _fail(value, "Boolean", "a number does not convert to a Boolean")
    return _to_boolean(_only_element(value, "Boolean"))


def _to_string_list(value: Any) -> list[str]:
    if isinstance(value, (str, int)):
        return [_to_string(value)]
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise _fail(value, "StringList", f"element {index} is {_describe(item)}, not a string")
        return list(value)
    raise _fail(value, "StringList")


def _to_string_map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise _fail(value, "StringMap", f"the key {key!r} is not a string")
        return dict(value)
    raise _fail(value, "StringMap", "only a map (a JSON object) is a StringMap")


def _to_map_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise _fail(value, "MapList", f"element {index} is {_describe(item)}, not a map")
        return list(value)
    raise _fail(value, "MapList", "only a list of maps is a MapList")


_CONVERTERS: Final[dict[str, Callable[[Any], Any]]] = {
    "String": _to_string,
    "Integer": _to_integer,
    "Boolean": _to_boolean,
    "StringList": _to_string_list,
    "StringMap": _to_string_map,
    "MapList": _to_map_list,
}


def _only_element(value: Any, type_name: str) -> Any:
    """The element of a one-element list of scalars (what AWS converts to a single value), or a failure."""
    if not isinstance(value, (list, tuple)):
        raise _fail(value, type_name)
    if len(value) != 1:
        raise _fail(value, type_name, "only a list of exactly one element converts to a single value")
    element = value[0]
    if not isinstance(element, (str, int)):
        raise _fail(value, type_name, f"its element is {_describe(element)}")
    return element


def _fail(value: Any, type_name: str, reason: str = "") -> OutputTypeError:
    because = f": {reason}" if reason else ""
    article = "an" if type_name[:1] in ("A", "E", "I", "O", "U") else "a"
    return OutputTypeError(f"{_describe(value)} cannot be {article} {type_name} output{because}")


def _describe(value: Any) -> str:
    """A short phrase naming a value and its JSON kind, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the Boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"the Integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {text!r}"
    if isinstance(value, (list, tuple)):
        count = len(value)
        return "an empty list" if count == 0 else f"a list of {count} element{'s' * (count != 1)}"
    if isinstance(value, dict):
        return f"a map of {len(value)} key{'s' * (len(value) != 1)}"
    return f"a {type(value).__name__} value"
