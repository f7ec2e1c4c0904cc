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

# Every expectation below is Jayway JsonPath 2.0.0's (Debian's libjsonpath-java):
# tests/simulate/test_jsonpath_jayway.py reads each of these selectors with it too.
DEFINITE = [
    ("$", (True, DOC)),
    ("$.Trail.Name", (True, "main")),
    ("Trail.Name", (True, "main")),  # no $: read from the root
    ("  $.Trail.Name  ", (True, "main")),
    ("@.Trail.Name", (True, "main")),
    ("$['Trail']['Name']", (True, "main")),
    ("$[ 'Trail' ].Name", (True, "main")),
    ("$['Trail']Name", (True, "main")),  # a name straight after a bracket
    ("$.trailList[0].Name", (True, "a")),
    ("$.trailList[ 1 ].Name", (True, "b")),
    ("$.trailList[1x].Name", (True, "b")),  # what follows the digits is ignored
    ("$.Trail.KmsKeyId", (True, None)),  # a JSON null is found
    ("$.Trail.Missing", NOT_FOUND),  # Jayway: PathNotFoundException
    ("$.Missing.Name", NOT_FOUND),
    ("$.trailList[3]", NOT_FOUND),
    ("$.trailList[-1].Name", NOT_FOUND),  # no negative index in 2.0.0
    ("$.Numbers.Name", NOT_FOUND),  # a member of a list
    ("$.Trail.Name.x", NOT_FOUND),  # a member of a string
    ("$.Numbers[(@.length-1)]", (True, 50)),  # 2.0.0's one function: the size, in an index
    ("$.Numbers[(@.size()-2)]", (True, 40)),
    ("$.Numbers[(@.length-9)]", NOT_FOUND),
    ("$.Numbers.length()", NOT_FOUND),  # no functions: a member named "length()"
    ("$.Numbers.length", NOT_FOUND),
    ("$['weird key']['a.b']", (True, 1)),
    ("$['weird key']['say \"hi\"']", (True, 4)),
    ("$['weird key']['back\\slash']", (True, 5)),  # no escapes: the backslash is the name's
    ("$['weird key']['é']", (True, 7)),
    ("$['weird key']['it\\'s']", NOT_FOUND),  # reads the name it\ (the quote ends it)
    ("$['weird key'][\"it's\"]", (True, {})),  # reads no name at all: the merge of none
    ("$['weird key']['[x]']", (True, {})),  # ] ends the bracket before the name closes
    ("$['Trail']['Name','IsLogging']", (True, {"Name": "main", "IsLogging": True})),  # merged into one map
    ("$.Trail['Name', 'Nope']", (True, {"Name": "main"})),
    ("$.Numbers['a','b']", NOT_FOUND),
    ("$.Trail.IsLogging$", NOT_FOUND),  # a name runs to '.', '[' or a space: "IsLogging$"
    ("$['Trail']$.Name", (True, "main")),  # a later $ passes its node on
]

INDEFINITE = [
    ("$.Numbers[*]", [10, 20, 30, 40, 50]),
    ("$.Numbers.*", [10, 20, 30, 40, 50]),
    ("$.Tags.*", ["prod", "x"]),
    ("$.Empty[*]", []),  # found, empty
    ("$.Missing[*]", []),  # a miss before the first indefinite step is no error either
    ("$.Missing..Name", []),
    ("$.Trail.Name[*].x", []),  # a wildcard on a string selects nothing
    ("$.trailList[*].Missing", []),  # a miss inside a wildcard over a list is skipped
    ("$.trailList[*].Name", ["a", "b", "c"]),
    ("$.trailList[*]['Name','Count']", [{"Name": n, "Count": c} for n, c in (("a", 1), ("b", 2), ("c", 3))]),
    ("$.Numbers[0,2]", [10, 30]),
    ("$.Numbers[1:3]", [20, 30]),
    ("$.Numbers[:2]", [10, 20]),
    ("$.Numbers[-2:]", [40, 50]),
    ("$.Numbers[3:99]", [40, 50]),
    ("$.Numbers[:-2]", [10, 20, 30]),
    ("$.Numbers[-99:]", [10, 20, 30, 40, 50]),
    ("$.Numbers[1:-1]", []),  # [a:b] does not count b from the end
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
    ("$.Tags..*", ["prod", "x"]),
    ("$.Numbers[*][*].x", []),
    ("$.Reservations[*].Instances[*].Missing.x", []),
    ("$.trailList[?(@.HomeRegion == 'us-east-1')].Name", ["a", "c"]),
    ("$.trailList[?(@.HomeRegion=='us-east-1')].Name", ["a", "c"]),
    ('$.trailList[?(@.HomeRegion == "us-east-1")].Name', []),  # double quotes are part of the text
    ("$.trailList[?(@['HomeRegion'] == 'eu-west-1')].Name", ["b"]),
    ("$.trailList[?(@.Count > 1)].Name", ["b", "c"]),
    ("$.trailList[?(@.Count >= 2)].Name", ["b", "c"]),
    ("$.trailList[?(@.Count < 2)].Name", ["a"]),
    ("$.trailList[?(@.Count <= 2)].Name", ["a", "b"]),
    ("$.trailList[?(@.Count != 2)].Name", ["a", "c"]),
    ("$.trailList[?(@.Count > -1.5e0)].Name", ["a", "b", "c"]),
    ("$.trailList[?(@.Count == 2 && @.Name == 'b')].Name", ["b"]),
    ("$.trailList[?(@.Count == 1 || @.Name == 'c')].Name", ["a", "c"]),
    ("$.trailList[?(@.Name == 'b' && @.Count == 3 || @.Name == 'a')].Name", ["a"]),
    # read from the right: a && b || c is c || (b && a), and a || b && c is (c && b) || a
    ("$.trailList[?(@.Name == 'a' || @.Name == 'b' && @.Count == 2)].Name", ["a", "b"]),
    ("$.trailList[?(@.Name == 'a' && @.Count == 1 || @.Name == 'c')].Name", ["a", "c"]),
    ("$.trailList[?((@.Name == 'a' || @.Name == 'b') && @.Count == 2)].Name", ["a", "b"]),  # parentheses dropped
    ("$.trailList[?(!(@.Count > 1))].Name", []),
    ("$.trailList[?(@.Name)].Name", ["a", "b", "c"]),  # existence
    ("$.trailList[?(!@.Missing)].Name", ["a", "b", "c"]),
    ("$.trailList[?(@.Missing)]", []),
    ("$.Mixed[?(@.k)]", [{"k": 1}]),
    ("$.trailList[?(@.Missing != 'x')].Name", []),  # a missing member makes any criterion false
    ("$.trailList[?(@.Missing == null)]", []),
    ("$.Trail[?(@.KmsKeyId)].Name", []),  # exists, but null: false
    ("$.Trail[?(!@.KmsKeyId)].Name", ["main"]),
    ("$.Trail[?(@.KmsKeyId == null)].Name", ["main"]),
    ("$.Mixed[?(@ == null)]", [None]),
    ("$.Mixed[?(@ == 1)]", [1, "1"]),  # the text 1 equals the number 1 and the string "1"
    ("$.Mixed[?(@ == '1')]", [1, "1"]),
    ("$.Mixed[?(@ > 2)]", ["x", True, 2.5]),  # "x" > "2" as texts, true > Boolean.valueOf("2")
    ("$.Mixed[?(@ == 2.50)]", [2.5]),
    ("$.Mixed[?(@ =~ /.*/)]", [1, "1", "x", True, 2.5, {"k": 1}]),  # null matches nothing
    ("$.trailList[?(@.HomeRegion =~ /us-.*/)].Name", ["a", "c"]),
    ("$.trailList[?(@.HomeRegion =~ /US-.*/i)].Name", ["a", "c"]),
    ("$.trailList[?(@.HomeRegion =~ /us/)].Name", []),  # the whole text must match
    ("$.Trail[?(@.IsLogging == true)].Name", ["main"]),  # a filter on a map tests the map itself
    ("$.Trail[?(@.IsLogging == false)]", []),
    ("$.Reservations[?(@.Instances[0].InstanceId == 'i-3')]..InstanceId", ["i-3"]),
    ("$..[?(@.InstanceId == 'i-2')].State.Name", ["stopped"]),
    ("$.trailList[?(@.Name == $.trailList[0].Name)].Count", [1]),  # $ in a filter: the document
    ("$.trailList[?(@.Count == 2)][?(@.Name == 'b')].Count", [2]),
]

NOT_FOUND_INDEFINITE = [
    "$.trailList[3][*]",  # an index out of range before the wildcard
    "$.Numbers[0,9]",  # any index of a union out of range
    "$.Numbers[-1:2]",  # [a:b] with a negative a
    "$.Reservations..[0].InstanceId",  # ..[0] reads InstanceId of every element, and R0's lists have none
    "$.Tags.*.x",  # a miss under a wildcard over a map is not skipped
    "$.trailList[?(@.Count > 1)].Missing",  # nor under a filter
]

FAILED = [
    ("$.Trail[0]", "an index can only be applied to arrays"),
    ("$.Trail['Name','IsLogging'].x", "multi properties can only be used as path leafs"),
    ("$.Trail.Name[?(@ == 'main')]", "can not be applied to primitives"),
    ("$.Mixed[?(@ == true)]", "NumberFormatException"),  # the text true against the number 1
    ("$.Mixed[?(@ == 'x')]", "NumberFormatException"),
    ("$.Mixed[?(@ =~ 'x')]", "ClassCastException"),  # =~ needs a /regex/
    ("$.trailList[?]", "NullPointerException"),
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


@pytest.mark.parametrize(("selector", "reason"), FAILED)
def test_a_read_jayway_would_throw_on_fails_naming_the_selector(selector: str, reason: str) -> None:
    compiled = compile_selector(selector)
    with pytest.raises(SelectorError) as caught:
        compiled.select(DOC)
    assert reason in str(caught.value) and repr(selector) in str(caught.value)


def test_a_null_document_cannot_be_read() -> None:
    with pytest.raises(SelectorError, match="the document is null"):
        compile_selector("$").select(None)


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
        ("$.a[(@.length-1)]", True), ("$.a.length()", True), ("$.a[*]", False), ("$.a.*", False), ("$..a", False),
        ("$.a[?(@.b)]", False), ("$.a[0:1]", False), ("$.a[0,1]", False), ("$['a','b'].c", True),
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
    ("", "it is empty"),
    ("   ", "it is empty"),
    ("$x", "'$' must be followed by '.' or '['"),
    ("$$", "'$' must be followed by '.' or '['"),
    ("$.", "it ends before"),
    ("$..", "can not end with a scan"),
    ("$.a..", "can not end with a scan"),
    ("$.a b", "a space outside brackets"),
    ("$[", "is neither a quoted name"),
    ("$[]", "is neither a quoted name"),
    ("$[a]", "is neither a quoted name"),
    ('$["a"]', "names take single quotes"),
    ("$[*x]", "is neither a quoted name"),
    ("$['a'", "it ends before"),
    ("$['a", "it ends before"),
    ("$[1", "it ends before"),
    ("$[--1]", "'--1' is not a whole number"),
    ("$[1-2]", "'1-2' is not a whole number"),
    ("$[:]", "'' is not a whole number"),
    ("$[9999999999]", "out of Java's int range"),
    ("$[(@.count-1)]", "Invalid function: @.count"),
    ("$[(@.length+1)]", "it ends before"),
    ("$[?@.a]", "Filter must start with '[?('"),
    ("$[?(@.a == 1]", "it ends before"),
    ("$[?(@.a == 1)", "it ends before"),
    ("$[?(@.a == ']')]", "it ends before"),  # the quoted ] closes the bracket
    ("$[?(@.a = 1)]", "a space outside brackets"),  # no operator: "@.a = 1" is read as a path
    ("$[?(@.a in ['x'])]", "a space outside brackets"),  # nor is `in` one
    ("$[?(@.a =~ /[/)]", "Filter brackets are not balanced"),
    ("$[?('x')]", "UnsupportedOperationException"),  # a criterion without an operator must be a path
    ("$[?(@.a[*] == 1)]", "is not definite"),
    ("$[?(@.a == !@.b)]", "Invalid negation"),
    ("$[?(@.a && )]", "&& needs a criterion on each side"),
    ("$.a[?(@.b == 'x' || )]", "|| needs a criterion on each side"),
    ("$[?(@.a =~ /*a/)]", "PatternSyntaxException"),
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

keys = st.text(alphabet=st.sampled_from([*"abAZ_09 .'\"\\[](),*?@$:-/", "é", "\n", "\t", "😀"]), max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)
containers = st.lists(json_values, max_size=4) | st.dictionaries(keys, json_values, max_size=4)


def _writable(key: str) -> bool:
    """Jayway 2.0.0 has no escapes: a name in ['...'] holds no quote and no bracket."""
    return not any(char in key for char in "'[]")


def _member(key: str, dotted: bool) -> str:
    """``.key`` where a dot can name it (no '.', '[', quote or white space, which ends the selector; not '*'), else
    ``['key']``."""
    if dotted and key and key != "*" and not any(char in ".'[]" or char <= " " for char in key):
        return f".{key}"
    return f"['{key}']"


@st.composite
def paths_into(draw: st.DrawFn) -> tuple[Any, str, Any]:
    """Random JSON data, a random definite path into it, and the value at that path."""
    data = draw(containers)
    node, path = data, "$"
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 4)):
        if isinstance(node, dict):
            names = sorted(key for key in node if _writable(key))
            if not names:
                break
            key = draw(st.sampled_from(names))
            path += _member(key, draw(st.booleans()))
            node = node[key]
        else:
            index = draw(st.integers(0, len(node) - 1))
            path += f"[{index}]"
            node = node[index]
    return data, path, node


@given(paths_into())
def test_a_definite_path_built_from_the_data_selects_exactly_its_value(case: tuple[Any, str, Any]) -> None:
    data, path, expected = case
    compiled = compile_selector(path)
    assert compiled.definite
    found, value = compiled.select(data)
    assert found
    assert value is expected


@given(paths_into(), keys.filter(_writable))
def test_a_step_past_the_data_finds_nothing(case: tuple[Any, str, Any], key: str) -> None:
    data, path, node = case
    if isinstance(node, list):
        path += f"[{len(node)}]"
    elif isinstance(node, dict) and key in node:
        return
    else:
        path += _member(key, dotted=False)
    assert compile_selector(path).select(data) == NOT_FOUND


def _children_first_reference(node: Any, out: list[Any]) -> list[Any]:
    """What Jayway's $..* gives: each container's children, then each child's, in document order."""
    children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
    out.extend(children)
    for child in children:
        _children_first_reference(child, out)
    return out


@given(containers)
def test_deep_scan_wildcard_visits_every_node_in_document_order(data: Any) -> None:
    found = compile_selector("$..*").find(data)
    expected = _children_first_reference(data, [])
    assert len(found) == len(expected)
    assert all(a is b for a, b in zip(found, expected, strict=True))
