"""Selectors: every syntax form, Jayway's semantics (quirks included), invalid selectors, and properties."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.simulate.jsonpath import SelectorError, compile_selector

R0 = {
    "Instances": [
        {"InstanceId": "i-1", "State": {"Name": "running"}},
        {"InstanceId": "i-2", "State": {"Name": "stopped"}},
    ]
}
R1 = {"Instances": [{"InstanceId": "i-3", "State": {"Name": "running"}}]}
DOC: dict[str, Any] = {
    "Trail": {"Name": "main", "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "IsLogging": True,
              "KmsKeyId": None},
    "trailList": [
        {"Name": "a", "HomeRegion": "us-east-1", "Count": 1},
        {"Name": "b", "HomeRegion": "eu-west-1", "Count": 2},
        {"Name": "c", "HomeRegion": "us-east-1", "Count": 3},
    ],
    "Reservations": [R0, R1],
    "Numbers": [10, 20, 30, 40, 50],
    "Empty": [],
    "Tags": {"env": "prod", "team": "x"},
    "Mixed": [1, "1", "x", True, None, 2.5, {"k": 1}],
    "weird key": {"a.b": 1, "it's": 2, "[x]": 3, 'say "hi"': 4, "back\\slash": 5, "line\nbreak": 6, "é": 7},
    "Payload": {"nested": {"Name": "deep"}},
}  # fmt: skip
NOT_FOUND = (False, None)

DEFINITE = [
    ("$", (True, DOC)),
    ("$.Trail.Name", (True, "main")),
    ("Trail.Name", (True, "main")),  # no $: read from the root
    ("  $.Trail.Name  ", (True, "main")),
    ("@.Trail.Name", (True, "main")),
    ("$['Trail']['Name']", (True, "main")),
    ('$["Trail"]["Name"]', (True, "main")),
    ("$[ 'Trail' ].Name", (True, "main")),
    ("$['Trail']Name", (True, "main")),  # Jayway reads a name straight after a bracket
    ("$.trailList[0].Name", (True, "a")),
    ("$.trailList[-1].Name", (True, "c")),
    ("$.trailList[-3].Name", (True, "a")),
    ("$.Trail.KmsKeyId", (True, None)),  # a JSON null is found
    ("$.Trail.Missing", NOT_FOUND),  # Jayway: PathNotFoundException
    ("$.Missing.Name", NOT_FOUND),
    ("$.trailList[3]", NOT_FOUND),
    ("$.trailList[-4]", NOT_FOUND),
    ("$.Trail[0]", NOT_FOUND),  # an index of a map
    ("$.Numbers.Name", NOT_FOUND),  # a member of a list
    ("$.Trail.Name.x", NOT_FOUND),  # a member of a string
    ("$.Numbers.length()", (True, 5)),
    ("$.Numbers.size()", (True, 5)),
    ("$.Tags.length()", (True, 2)),
    ("$.Empty.length()", (True, 0)),
    ("$.Trail.Name.length()", (True, None)),  # length() of a string is null in Jayway
    ("$.length()", (True, len(DOC))),
    ("$.Numbers.length", NOT_FOUND),  # without () a member lookup, not the size
    ("$.Missing.length()", NOT_FOUND),
    ("$['weird key']['a.b']", (True, 1)),
    ("$['weird key']['it\\'s']", (True, 2)),
    ("$['weird key'][\"it's\"]", (True, 2)),
    ("$['weird key']['[x]']", (True, 3)),
    ("$['weird key']['say \"hi\"']", (True, 4)),
    ("$['weird key']['back\\\\slash']", (True, 5)),
    ("$['weird key']['line\\nbreak']", (True, 6)),  # Java escapes, as Jayway's unescape
    ("$['weird key']['\\u00e9']", (True, 7)),
    ("$['weird key']['\\é']", (True, 7)),  # any other escaped character is itself
    ("$['Trail']['Name','IsLogging']", (True, {"Name": "main", "IsLogging": True})),  # merged into one map
    ("$.Trail['Name', 'Nope']", (True, {"Name": "main"})),
    ("$.Numbers['a','b']", NOT_FOUND),
    ("$..Instances.length()", (True, 3)),  # Jayway: length($..Instances[*]), the children of every match
]

INDEFINITE = [
    ("$.Numbers[*]", [10, 20, 30, 40, 50]),
    ("$.Numbers.*", [10, 20, 30, 40, 50]),
    ("$.Tags.*", ["prod", "x"]),
    ("$.Tags[*]", ["prod", "x"]),
    ("$.Empty[*]", []),  # found, empty
    ("$.trailList[*].Missing", []),
    ("$.trailList[*].Name", ["a", "b", "c"]),
    ("$.trailList[*]['Name','Count']", [{"Name": n, "Count": c} for n, c in (("a", 1), ("b", 2), ("c", 3))]),
    ("$.trailList[3][*]", []),  # Jayway: an index out of range is no result, not an error
    ("$.Numbers[0,2]", [10, 30]),
    ("$.Numbers[0, 9, -1]", [10, 50]),
    ("$.Numbers[1:3]", [20, 30]),
    ("$.Numbers[:2]", [10, 20]),
    ("$.Numbers[-2:]", [40, 50]),
    ("$.Numbers[3:99]", [40, 50]),
    ("$.Numbers[:-2]", [10, 20, 30]),
    ("$.Numbers[-99:]", [10, 20, 30, 40, 50]),
    ("$.Numbers[1:-1]", []),  # Jayway, unlike Python: a negative end does not count from the end here
    ("$.Numbers[-1:2]", [50, 10, 20]),  # and a negative start wraps round
    ("$.Numbers[1:2:9]", [20]),  # a third part is ignored
    ("$.Empty[:2]", []),
    ("$..Name", ["main", "a", "b", "c", "running", "stopped", "running", "deep"]),  # document order
    (".Name", ["main", "a", "b", "c", "running", "stopped", "running", "deep"]),  # read as $..Name
    ("$..InstanceId", ["i-1", "i-2", "i-3"]),
    ("$.Reservations..Instances..InstanceId", ["i-1", "i-2", "i-3"]),
    ("$.Reservations[*].Instances[*].InstanceId", ["i-1", "i-2", "i-3"]),
    ("$..State.Name", ["running", "stopped", "running"]),
    ("$..['InstanceId']", ["i-1", "i-2", "i-3"]),
    ("$.Reservations..[0]", [R0, R0["Instances"][0], R1["Instances"][0]]),
    ("$.Reservations..[0].InstanceId", ["i-1", "i-2", "i-3"]),  # Jayway's walk: every element, not just [0]
    ("$.Tags..*", ["prod", "x"]),
    ("$.trailList[?(@.HomeRegion == 'us-east-1')].Name", ["a", "c"]),
    ('$.trailList[?(@.HomeRegion == "us-east-1")].Name', ["a", "c"]),
    ("$.trailList[?(@.HomeRegion=='us-east-1')].Name", ["a", "c"]),
    ("$.trailList[?(@['HomeRegion'] == 'eu-west-1')].Name", ["b"]),
    ("$.trailList[?(@.Count > 1)].Name", ["b", "c"]),
    ("$.trailList[?(@.Count >= 2)].Name", ["b", "c"]),
    ("$.trailList[?(@.Count < 2)].Name", ["a"]),
    ("$.trailList[?(@.Count <= 2)].Name", ["a", "b"]),
    ("$.trailList[?(@.Count != 2)].Name", ["a", "c"]),
    ("$.trailList[?(@.Count > -1.5e0)].Name", ["a", "b", "c"]),
    ("$.trailList[?(@.Count == 2 && @.Name == 'b')].Name", ["b"]),
    ("$.trailList[?(@.Count == 1 || @.Name == 'c')].Name", ["a", "c"]),
    ("$.trailList[?(@.Name == 'b' && @.Count == 3 || @.Name == 'a')].Name", ["a"]),  # && binds tighter than ||
    ("$.trailList[?((@.Name == 'a' || @.Name == 'b') && @.Count == 2)].Name", ["b"]),
    ("$.trailList[?(!(@.Count > 1))].Name", ["a"]),
    ("$.trailList[?(@.Name)].Name", ["a", "b", "c"]),  # existence
    ("$.trailList[?(!@.Missing)].Name", ["a", "b", "c"]),
    ("$.trailList[?(@.Missing)]", []),
    ("$.Mixed[?(@.k)]", [{"k": 1}]),
    ("$.trailList[?(@.Missing != 'x')].Name", ["a", "b", "c"]),  # a missing member equals nothing
    ("$.trailList[?(@.Missing == null)]", []),
    ("$.Mixed[?(@ == null)]", [None]),
    ("$.Mixed[?(@ == true)]", [True]),
    ("$.Mixed[?(@ == false)]", []),
    ("$.Mixed[?(@ == 1)]", [1, "1"]),  # Jayway: a string equals a number whose text it is
    ("$.Mixed[?(@ == '1')]", [1, "1"]),  # and a number equals a string that parses to it
    ("$.Mixed[?(@ === 1)]", [1]),  # type-safe
    ("$.Mixed[?(@ !== 1)]", ["1", "x", True, None, 2.5, {"k": 1}]),
    ("$.Mixed[?(@ > 2)]", ["x", 2.5]),  # a string against a number compares texts
    ("$.Mixed[?(@ == 2.50)]", [2.5]),
    ("$.trailList[?(@.HomeRegion =~ /us-.*/)].Name", ["a", "c"]),
    ("$.trailList[?(@.HomeRegion =~ /US-.*/i)].Name", ["a", "c"]),
    ("$.trailList[?(@.HomeRegion =~ /us/)].Name", []),  # the whole text must match
    ("$.Trail[?(@.IsLogging == true)].Name", ["main"]),  # a filter on a map tests the map itself
    ("$.Trail[?(@.IsLogging == false)]", []),
    ("$.Reservations[?(@.Instances.length() > 1)].Instances[0].InstanceId", ["i-1"]),
    ("$.Reservations[?(@.Instances[0].InstanceId == 'i-3')]..InstanceId", ["i-3"]),
    ("$.Reservations[?(@.Instances[?(@.InstanceId == 'i-3')])]", [R0, R1]),  # Jayway: [] still "exists"
    ("$..[?(@.InstanceId == 'i-2')].State.Name", ["stopped"]),
    ("$.Numbers[*][*].x", []),  # a wildcard on a scalar inside a list's wildcard: skipped
    ("$.Reservations[*].Instances[*].Missing.x", []),
    ("$.Numbers[*].length()", [None, None, None, None, None]),
]

NOT_FOUND_INDEFINITE = [
    "$.Missing[*]",  # Jayway throws for a miss in the definite part before the wildcard
    "$.Missing..Name",
    "$.Trail.Name[*].x",
    "$.Trail.Missing[?(@.a)]",
    "$.Trail.Name[?(@ == 'main')]",  # a filter on a string (Jayway: InvalidPathException)
    "$.Tags.*[*].x",  # a wildcard on a scalar, with more path after it, inside a map's wildcard
]


@pytest.mark.parametrize(("selector", "expected"), DEFINITE)
def test_definite_selectors(selector: str, expected: tuple[bool, Any]) -> None:
    compiled = compile_selector(selector)
    assert compiled.definite
    assert compiled.select(DOC) == expected
    assert compiled.find(DOC) == ([expected[1]] if expected[0] else [])


@pytest.mark.parametrize(("selector", "expected"), INDEFINITE)
def test_indefinite_selectors(selector: str, expected: list[Any]) -> None:
    compiled = compile_selector(selector)
    assert not compiled.definite
    found, value = compiled.select(DOC)
    assert found
    assert value == expected
    assert compiled.find(DOC) == expected


@pytest.mark.parametrize("selector", NOT_FOUND_INDEFINITE)
def test_indefinite_selectors_that_find_nothing(selector: str) -> None:
    compiled = compile_selector(selector)
    assert not compiled.definite
    assert compiled.select(DOC) == NOT_FOUND
    assert compiled.find(DOC) == []


def test_deep_scan_visits_a_node_before_its_children() -> None:
    data = {"Name": {"Name": {"Name": 1}}, "list": [{"Name": 2}, [{"Name": 3}]]}
    assert compile_selector("$..Name").find(data) == [{"Name": {"Name": 1}}, {"Name": 1}, 1, 2, 3]


def test_selected_values_are_the_response_objects_not_copies() -> None:
    found, value = compile_selector("$.trailList[0]").select(DOC)
    assert found and value is DOC["trailList"][0]


@pytest.mark.parametrize(
    ("selector", "definite"),
    [
        ("$", True), ("$.a.b", True), ("$.a[0]", True), ("$.a[-1]", True), ("$['a','b']", True),
        ("$.a.length()", True), ("$..a.length()", True), ("$.a[*]", False), ("$.a.*", False), ("$..a", False),
        ("$.a[?(@.b)]", False), ("$.a[0:1]", False), ("$.a[0,1]", False), ("$['a','b'].c", False),
        ("$.a..b.length()", False),
    ],
)  # fmt: skip
def test_definite_paths_are_jayway_s(selector: str, definite: bool) -> None:
    assert compile_selector(selector).definite is definite


def test_a_plan_compiles_its_selectors_once() -> None:
    """Selectors are compiled with the plan (which its Simulator caches), not by a process-wide memo."""
    from toolkit.simulate.simulator import Simulator

    doc = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Read",
                "action": "aws:assertAwsResourceProperty",
                "inputs": {
                    "Service": "cloudtrail",
                    "Api": "DescribeTrails",
                    "PropertySelector": "$.trailList[0].Name",
                    "DesiredValues": ["main"],
                },
                "outputs": [{"Name": "Names", "Selector": "$.trailList..Name", "Type": "StringList"}],
            }
        ],
    }
    step = Simulator().plan_of(doc).steps[0]
    assert step.outputs[0].compiled.text == "$.trailList..Name"
    assert step.extra["selector"].text == "$.trailList[0].Name"


INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("$x", "expected '.' or '['"),
    ("$.", "must not end with '.'"),
    ("$..", "must not end with '.'"),
    ("$...a", "'...' is not valid"),
    ("$.a b", "brackets"),
    ("$[", "after '['"),
    ("$[]", "after '['"),
    ("$[a]", "after '['"),
    ("$['a'", "expected ',' or ']'"),
    ("$['a", "not closed"),
    ("$['a' 'b']", "expected ',' or ']'"),
    ("$['a',]", "expected a name"),
    ("$['a',\"b\"]", "expected a name"),
    ("$[1", "missing ']'"),
    ("$[1 2]", "invalid index"),
    ("$[1,]", "invalid index"),
    ("$[--1]", "invalid index"),
    ("$[1:2:3x]", "invalid index"),
    ("$[1 :2]", "invalid index"),
    ("$[:]", "invalid slice"),
    ("$[9999999999]", "invalid index"),
    ("$[*x]", "expected ']'"),
    ("$[?]", "expected '('"),
    ("$[?@.a]", "expected '('"),
    ("$[?(@.a == 1]", "not closed"),
    ("$[?(@.a == 1)", "expected ']'"),
    ("$[?(@.a ==)]", "expected a value"),
    ("$[?(@.a = 1)]", "unknown operator '='"),
    ("$[?(@.a in ['x'])]", "not supported"),
    ("$[?(@.a NIN ['x'])]", "not supported"),
    ("$[?(@.a == $.b)]", "$ (the document root)"),
    ('$[?(@.a == {"x": 1})]', "JSON literals"),
    ("$[?(@.a =~ /[/)]", "invalid regular expression"),
    ("$[?(@.a == 'x)]", "not closed"),
    ("$[?(@.a == 1 & @.b)]", "expected '&&'"),
    ("$[?(@.a == 1 | @.b)]", "expected '||'"),
    ("$[?('x')]", "expected an operator"),
    ("$[?(@.a == 1 @.b)]", "expected ')'"),
    ("$[?((@.a == 1)]", "not closed"),
    ("$[?(@.a b == 1)]", "unknown operator"),
    ("$[?(@.a == 1x)]", "expected ')'"),
    ("$.min()", "not supported"),
    ("$.nope()", "unknown function"),
    ("$.length(1)", "arguments"),
    ("$.length(", "not closed"),
    ("$.length().a", "must end the selector"),
    ("$['\\u12']", "four hex digits"),
]


@pytest.mark.parametrize(("selector", "reason"), INVALID)
def test_invalid_selectors_raise_a_clear_error(selector: str, reason: str) -> None:
    with pytest.raises(SelectorError) as caught:
        compile_selector(selector)
    assert reason in str(caught.value)
    assert repr(selector) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_an_error_names_how_a_selector_without_dollar_was_read() -> None:
    with pytest.raises(SelectorError, match=re.escape("(read as '$.Trail Name')")):
        compile_selector("Trail Name")


# --- properties -----------------------------------------------------------------------------------------------

SIMPLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
keys = st.text(alphabet=st.sampled_from([*"abAZ_09 .'\"\\[](),*?@$:-/", "é", "\n", "\t", "😀"]), max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@st.composite
def paths_into(draw: st.DrawFn) -> tuple[Any, str, Any]:
    """Random JSON data, a random definite path into it, and the value at that path."""
    data = draw(json_values)
    node, path = data, "$"
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 4)):
        if isinstance(node, dict):
            key = draw(st.sampled_from(sorted(node)))
            path += _member(key, draw(st.sampled_from(["dot", "'", '"'])))
            node = node[key]
        else:
            index = draw(st.integers(0, len(node) - 1))
            path += f"[{index - len(node) if draw(st.booleans()) else index}]"
            node = node[index]
    return data, path, node


def _member(key: str, style: str) -> str:
    if style == "dot" and SIMPLE_NAME.fullmatch(key):
        return f".{key}"
    quote = "'" if style == "dot" else style
    escaped = key.replace("\\", "\\\\").replace(quote, f"\\{quote}")
    return f"[{quote}{escaped}{quote}]"


@given(paths_into())
def test_a_definite_path_built_from_the_data_selects_exactly_its_value(case: tuple[Any, str, Any]) -> None:
    data, path, expected = case
    compiled = compile_selector(path)
    assert compiled.definite
    found, value = compiled.select(data)
    assert found
    assert value is expected


@given(paths_into(), keys)
def test_a_step_past_the_data_finds_nothing(case: tuple[Any, str, Any], key: str) -> None:
    data, path, node = case
    if isinstance(node, list):
        path += f"[{len(node)}]"
    elif isinstance(node, dict) and key in node:
        return
    else:
        path += _member(key, "'")
    assert compile_selector(path).select(data) == NOT_FOUND


def _children_first_reference(node: Any, out: list[Any]) -> list[Any]:
    """What Jayway's $..* gives: each container's children, then each child's, in document order."""
    children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
    out.extend(children)
    for child in children:
        _children_first_reference(child, out)
    return out


@given(json_values)
def test_deep_scan_wildcard_visits_every_node_in_document_order(data: Any) -> None:
    found = compile_selector("$..*").find(data)
    expected = _children_first_reference(data, [])
    assert len(found) == len(expected)
    assert all(a is b for a, b in zip(found, expected, strict=True))
