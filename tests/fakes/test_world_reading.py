"""Reading a world file in one pass (issue 19): the reader copies every value it keeps while it checks it, so the
world shares nothing with the data it was read from; policies are checked and copied in one walk with every message
still ``policy_problem``'s; empty sections (as ``to_dict`` writes them) cost nothing, ``Calls: []`` included."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given

from toolkit.fakes.cloudtrail import selectors
from toolkit.fakes.default import default_data
from toolkit.fakes.requests import copy_json
from toolkit.fakes.world import World, WorldError
from toolkit.fakes.worldfile import checked_policy_copy, policy_problem
from toolkit.testing import world_files

POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Id": "p",
    "Statement": [
        {
            "Sid": "One",
            "Effect": "Allow",
            "Principal": {"Service": ["cloudtrail.amazonaws.com"]},
            "Action": ["s3:PutObject", "s3:GetBucketAcl"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ["123456789012"]}},
        },
        {"Effect": "Deny", "NotAction": "s3:*", "NotResource": ["arn:aws:s3:::x"], "Condition": None},
    ],
}


def containers(value: object) -> list[object]:
    """Every dict and list inside ``value`` (itself included)."""
    found: list[object] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += containers(item)
    elif isinstance(value, list):
        found.append(value)
        for item in value:
            found += containers(item)
    return found


def shares_nothing(copied: object, original: object) -> bool:
    ids = {id(item) for item in containers(original)}
    return not any(id(item) in ids for item in containers(copied))


def mutate_every_container(value: object) -> None:
    """Change each mapping and list inside ``value`` in place (a reader that kept any of them would show it)."""
    for item in containers(value):
        if isinstance(item, dict):
            item["Mutated"] = True
        else:
            item.append("mutated")


# -- copy_json ------------------------------------------------------------------------------------------------------


def test_copy_json_is_a_deep_copy_with_tuples_as_lists_and_plain_dicts() -> None:
    original = {"x": {"b": 1, "a": (2, [3])}, "y": ("s", {"z": [1, {"w": None}]}), "s": "text", "n": 1.5, "t": True}
    copied = copy_json(original)
    expected = {"x": {"b": 1, "a": [2, [3]]}, "y": ["s", {"z": [1, {"w": None}]}], "s": "text", "n": 1.5, "t": True}
    assert copied == expected
    assert list(copied["x"]) == ["b", "a"]
    assert shares_nothing(copied, original)
    ordered = copy_json(OrderedDict([("b", 1), ("a", [2])]))  # a mapping of another type, given itself
    assert type(ordered) is dict and ordered == {"b": 1, "a": [2]}
    assert copy_json(POLICY) == POLICY and shares_nothing(copy_json(POLICY), POLICY)
    assert list(copy_json(POLICY)["Statement"][0]) == list(POLICY["Statement"][0])  # the keys' order is kept


# -- policies: checked and copied in one walk --------------------------------------------------------------------


def test_a_valid_policy_is_copied_by_the_walk_that_checks_it() -> None:
    copied = checked_policy_copy(POLICY)
    assert copied == copy_json(POLICY)
    assert copied is not None and shares_nothing(copied, POLICY)
    single = {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}
    assert checked_policy_copy(single) == single
    assert checked_policy_copy({"Version": "2012-10-17"}) == {"Version": "2012-10-17"}
    assert checked_policy_copy({"Statement": None}) == {"Statement": None}


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Maybe"},
        {"Action": "s3:*"},
        {"Effect": "Allow", "Action": ["s3:*", 1]},
        {"Effect": "Allow", "Resource": {"a": "b"}},
        {"Effect": "Allow", "NotAction": 5},
        {"Effect": "Allow", "Condition": "StringEquals"},
        {"Effect": "Allow", "Condition": {"StringEquals": "x"}},
        {"Effect": "Allow", "Condition": ["x"]},
    ],
)
def test_a_malformed_statement_is_left_to_policy_problem(statement: dict[str, Any]) -> None:
    for document in ({"Statement": [statement]}, {"Statement": statement}):
        assert checked_policy_copy(document) is None
        assert policy_problem(document) is not None


@pytest.mark.parametrize(
    "document",
    [
        {"Statement": "x"},
        {"Statement": [5]},
        {"Statement": ({"Effect": "Allow"},)},  # a tuple: policy_problem refuses it, as the walk does
        OrderedDict(Statement=[{"Effect": "Allow"}]),  # types the walk does not take on trust: policy_problem decides
        {"Statement": [OrderedDict(Effect="Allow")]},
        {"Statement": [{"Effect": "Allow", "Action": ("s3:*",)}]},
    ],
)
def test_what_the_walk_does_not_take_on_trust_falls_back(document: dict[str, Any]) -> None:
    assert checked_policy_copy(document) is None


def test_a_policy_the_walk_does_not_trust_but_policy_problem_accepts_is_still_read() -> None:
    data = default_data()
    data["Buckets"][0]["Policy"] = {"Statement": [OrderedDict(Effect="Allow", Action="s3:*", Resource="*")]}
    world = World.from_dict(data)
    assert world.buckets[data["Buckets"][0]["Name"]].policy.document == {  # type: ignore[union-attr]
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
    }


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ({"Effect": "Allow", "Condition": "x"}, "Condition must be a mapping of condition operators to mappings"),
        ({"Effect": "Allow", "Action": ["s3:*", 1]}, "Action must be a string or a list of strings"),
        ({"Effect": "Perhaps"}, "Effect must be Allow or Deny, not 'Perhaps'"),
    ],
)
def test_a_bad_policy_in_a_world_file_keeps_its_message(statement: dict[str, Any], message: str) -> None:
    data = default_data()
    data["Keys"][0]["Policy"] = {"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}, statement]}
    with pytest.raises(WorldError) as raised:
        World.from_dict(data)
    assert str(raised.value) == f"Keys[0].Policy.Statement[1].{message}"
    assert raised.value.path == ("Keys", 0, "Policy", "Statement", 1, *message.split(" ")[0].split("."))


# -- the world shares nothing with its data ------------------------------------------------------------------------


def test_the_world_keeps_nothing_of_the_data_it_was_read_from() -> None:
    data = default_data()
    data["Trails"][0]["EventSelectors"] = [
        {
            "ReadWriteType": "WriteOnly",
            "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket/"]}],
            "ExcludeManagementEventSources": ["kms.amazonaws.com"],
        }
    ]
    data["Trails"][0]["InsightSelectors"] = [{"InsightType": "ApiCallRateInsight"}]
    world = World.from_dict(data)
    written = world.to_dict()
    mutate_every_container(data)
    assert world.to_dict() == written


def test_advanced_selectors_of_a_world_file_are_not_kept_either() -> None:
    data = default_data()
    data["Trails"][0]["EventSelectors"] = []
    data["Trails"][0]["AdvancedEventSelectors"] = [
        {"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}
    ]
    world = World.from_dict(data)
    written = world.to_dict()
    mutate_every_container(data)
    assert world.to_dict() == written


def test_the_selector_checks_copy_unless_told_their_input_is_fresh() -> None:
    basic = [
        {
            "ReadWriteType": "All",
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket/"]}],
            "ExcludeManagementEventSources": ["kms.amazonaws.com"],
        }
    ]
    assert shares_nothing(selectors.basic_selectors(basic), basic)
    kept = selectors.basic_selectors(basic, fresh=True)
    assert kept[0]["DataResources"] is basic[0]["DataResources"]
    advanced = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
    assert shares_nothing(selectors.advanced_selectors(advanced), advanced)
    assert selectors.advanced_selectors(advanced, fresh=True) is advanced
    insights = [{"InsightType": "ApiCallRateInsight"}]
    assert shares_nothing(selectors.insight_selectors(insights), insights)
    assert selectors.insight_selectors(insights, fresh=True) is insights


@given(world_files())
def test_generated_world_files_read_alike_and_keep_nothing_of_their_data(data: dict[str, Any]) -> None:
    data = copy.deepcopy(data)  # the strategy's draws may share its constants: this test changes what it reads
    before = copy.deepcopy(data)
    world = World.from_dict(data)
    assert data == before  # reading never changes the data
    written = world.to_dict()
    assert World.from_dict(written).to_dict() == written
    mutate_every_container(data)
    assert world.to_dict() == written


# -- empty sections ------------------------------------------------------------------------------------------------


def test_empty_lists_of_calls_are_read_without_the_seeding_module() -> None:
    code = (
        "import sys\n"
        "from toolkit.fakes.world import World\n"
        "from toolkit.fakes.default import default_data\n"
        "data = default_data()\n"
        "data['Calls'] = []\n"
        "data['Accounts'] = {'210987654321': {'Calls': []}}\n"
        "world = World.from_dict(data)\n"
        "assert sorted(world.accounts) == ['210987654321'] and not world.moto_calls\n"
        "print('toolkit.fakes.seeding' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_calls_section_that_is_not_a_list_is_still_refused() -> None:
    data = default_data()
    data["Calls"] = {"Service": "s3"}
    with pytest.raises(WorldError, match=r"^Calls must be a list$"):
        World.from_dict(data)
