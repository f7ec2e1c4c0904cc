"""Output types: AWS's documented conversions, the simulator's conservative decisions, and selector results."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.simulate.jsonpath import compile_selector
from toolkit.simulate.outputs import OUTPUT_TYPES, OutputTypeError, convert

CONVERTS = [
    # Values already of the type.
    ("x", "String", "x"),
    ("", "String", ""),
    (42, "Integer", 42),
    (-7, "Integer", -7),
    (True, "Boolean", True),
    (False, "Boolean", False),
    (["a", "b"], "StringList", ["a", "b"]),
    ([], "StringList", []),
    ({"env": "prod", "nested": {"a": [1]}}, "StringMap", {"env": "prod", "nested": {"a": [1]}}),
    ({}, "StringMap", {}),
    ([{"Key": "a"}, {}], "MapList", [{"Key": "a"}, {}]),
    ([], "MapList", []),
    # Documented: a String converts to StringList, Integer and Boolean.
    ("x", "StringList", ["x"]),
    ("42", "Integer", 42),
    ("-7", "Integer", -7),
    ("+7", "Integer", 7),
    ("007", "Integer", 7),
    ("true", "Boolean", True),
    ("FALSE", "Boolean", False),
    ("True", "Boolean", True),
    # Documented: an Integer converts to String and StringList.
    (42, "String", "42"),
    (-7, "StringList", ["-7"]),
    # Documented: a Boolean converts to String and StringList (Java's spelling).
    (True, "String", "true"),
    (False, "StringList", ["false"]),
    # Documented: a one-element StringList, IntegerList or BooleanList converts to String, Integer or Boolean.
    (["x"], "String", "x"),
    ([5], "Integer", 5),
    ([True], "Boolean", True),
    (["5"], "Integer", 5),
    ([5], "String", "5"),
    ([False], "String", "false"),
    (["true"], "Boolean", True),
    (("x",), "String", "x"),
]

FAILS = [
    # Undocumented, decided conservatively: fail rather than guess.
    ("4.0", "Integer", "not a whole number"),
    (" 42", "Integer", "not a whole number"),
    ("1e3", "Integer", "not a whole number"),
    ("", "Integer", "not a whole number"),
    ("٣", "Integer", "not a whole number"),  # a non-ASCII digit
    (3.0, "Integer", "decimal point"),
    (3.5, "Integer", "decimal point"),
    (True, "Integer", "Boolean does not convert"),
    ("yes", "Boolean", "only 'true' or 'false'"),
    ("1", "Boolean", "only 'true' or 'false'"),
    (1, "Boolean", "number does not convert"),
    (0.0, "Boolean", "number does not convert"),
    (1.5, "String", "the number 1.5 cannot be a String"),
    (1.5, "StringList", "cannot be a StringList"),
    ([1, 2], "StringList", "element 0 is the Integer 1, not a string"),
    (["a", None], "StringList", "element 1 is null"),
    ([["a"]], "StringList", "element 0 is a list of 1 element"),
    ({"a": "b"}, "StringList", "a map of 1 key cannot be a StringList"),
    ({"a": "b"}, "String", "cannot be a String"),
    ('{"a": "b"}', "StringMap", "only a map"),
    (["a"], "StringMap", "only a map"),
    ({"a": 1}, "MapList", "only a list of maps"),
    ('[{"a": 1}]', "MapList", "only a list of maps"),
    ([{"a": 1}, "b"], "MapList", "element 1 is the string 'b', not a map"),
    ([], "String", "exactly one element"),
    (["a", "b"], "String", "exactly one element"),
    ([1, 2], "Integer", "exactly one element"),
    ([["a"]], "String", "its element is a list"),
    ([{"a": 1}], "String", "its element is a map"),
    ([None], "String", "its element is null"),
    ([1.5], "Integer", "its element is the number 1.5"),
    ([True], "Integer", "Boolean does not convert"),
    (None, "String", "null cannot be a String"),
    (None, "Integer", "null cannot be an Integer"),
    (None, "Boolean", "null cannot be a Boolean"),
    (None, "StringList", "null cannot be a StringList"),
    (None, "StringMap", "null cannot be a StringMap"),
    (None, "MapList", "null cannot be a MapList"),
    ({1: "a"}, "StringMap", "the key 1 is not a string"),
    (b"x", "String", "a bytes value cannot be a String"),
    ("x", "Float", "unknown output type 'Float'"),
    ("x", "string", "unknown output type 'string'"),
]


@pytest.mark.parametrize(("value", "type_name", "expected"), CONVERTS)
def test_conversions(value: Any, type_name: str, expected: Any) -> None:
    result = convert(value, type_name)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("value", "type_name", "reason"), FAILS)
def test_conversions_that_fail_the_output(value: Any, type_name: str, reason: str) -> None:
    with pytest.raises(OutputTypeError) as caught:
        convert(value, type_name)
    assert reason in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_type_absent_means_string() -> None:
    assert convert(42) == "42"
    with pytest.raises(OutputTypeError):
        convert([1, 2])


def test_lists_and_maps_are_copies() -> None:
    names, tags, maps = ["a"], {"k": "v"}, [{"k": "v"}]
    assert convert(names, "StringList") is not names
    assert convert(tags, "StringMap") is not tags
    assert convert(maps, "MapList") is not maps


I1: dict[str, Any] = {"InstanceId": "i-1", "Tags": [{"Key": "a", "Value": "1"}]}
TRAIL: dict[str, Any] = {"Name": "main", "IsMultiRegionTrail": True, "Count": 3}
RESPONSE: dict[str, Any] = {
    "Reservations": [
        {"Instances": [I1, {"InstanceId": "i-2"}]},
        {"Instances": [{"InstanceId": "i-3"}]},
    ],
    "Trail": TRAIL,
}


@pytest.mark.parametrize(
    ("selector", "type_name", "expected"),
    [
        ("$.Reservations[*].Instances[*].InstanceId", "StringList", ["i-1", "i-2", "i-3"]),  # every match
        ("$..InstanceId", "StringList", ["i-1", "i-2", "i-3"]),
        ("$.Reservations[1].Instances[*].InstanceId", "String", "i-3"),  # the only match
        ("$.Reservations[*].Instances[?(@.InstanceId == 'i-2')].InstanceId", "String", "i-2"),
        ("$..Tags[*]", "MapList", [{"Key": "a", "Value": "1"}]),
        ("$.Reservations[*].Instances[0]", "MapList", [I1, {"InstanceId": "i-3"}]),
        ("$.Trail", "StringMap", TRAIL),
        ("$.Trail.IsMultiRegionTrail", "Boolean", True),
        ("$.Trail.IsMultiRegionTrail", "String", "true"),
        ("$.Trail.Count", "Integer", 3),
        ("$.Trail.Count", "String", "3"),
        ("$.Trail[?(@.Count > 2)].Name", "String", "main"),  # a filter on a map: a list of one
    ],
)  # fmt: skip
def test_selector_results_convert(selector: str, type_name: str, expected: Any) -> None:
    found, value = compile_selector(selector).select(RESPONSE)
    assert found
    assert convert(value, type_name) == expected


@pytest.mark.parametrize(
    ("selector", "type_name", "reason"),
    [
        ("$.Reservations[*].Instances[*].InstanceId", "String", "exactly one element"),  # several matches
        ("$.Reservations[*].Instances[?(@.InstanceId == 'i-9')].InstanceId", "String", "exactly one element"),
        ("$.Reservations[*].Instances", "StringList", "element 0 is a list"),  # a list of lists
        ("$.Trail", "String", "cannot be a String"),
    ],
)
def test_selector_results_that_fail(selector: str, type_name: str, reason: str) -> None:
    _, value = compile_selector(selector).select(RESPONSE)
    with pytest.raises(OutputTypeError) as caught:
        convert(value, type_name)
    assert reason in str(caught.value)


@given(st.text(), st.sampled_from(OUTPUT_TYPES))
def test_a_string_either_converts_or_fails_with_output_type_error(text: str, type_name: str) -> None:
    try:
        result = convert(text, type_name)
    except OutputTypeError:
        assert type_name in ("Integer", "Boolean", "StringMap", "MapList")
        return
    assert convert(result, type_name) == result  # a converted value stays what it is


@given(st.integers() | st.booleans())
def test_scalars_round_trip_through_string(value: int) -> None:
    target = "Boolean" if isinstance(value, bool) else "Integer"
    assert convert(convert(value, "String"), target) == value
    assert convert(convert(value, "StringList"), target) == value
