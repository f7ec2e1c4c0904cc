"""The fake Parameter Store: versions and labels, selectors, paths and filters, tiers and sizes, SecureString through
the fake KMS, AWS's error codes, the world file's Parameters, and resolving {{ssm:...}} parameter defaults."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.services import Service
from tests.fakes.worlds import ACCOUNT, KEY_ARN, world
from toolkit.fakes.default import DEFAULT_KEY_ID, default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.ssm import resolve_default
from toolkit.fakes.world import World, WorldError
from toolkit.ssm import limits


def ssm(w: World | None = None, region: str | None = None) -> Service:
    return Service("ssm", w, region)


def put(service: Service, name: str, value: str, kind: str | None = "String", **params: Any) -> dict[str, Any]:
    if kind is not None:
        params["Type"] = kind
    return service.call("PutParameter", Name=name, Value=value, **params)


# -- versions, overwrite, labels ---------------------------------------------------------------------------------


def test_versions_increase_with_overwrite_and_a_second_put_needs_it() -> None:
    service = ssm()
    assert put(service, "/app/db/host", "db-1") == {"Version": 1, "Tier": "Standard"}
    refused = service.error("PutParameter", Name="/app/db/host", Value="db-2", Type="String")
    assert refused.code == "ParameterAlreadyExists" and "overwrite option" in refused.message
    service.now = 60
    assert put(service, "/app/db/host", "db-2", None, Overwrite=True)["Version"] == 2
    got = service.call("GetParameter", Name="/app/db/host")["Parameter"]
    assert (got["Value"], got["Version"], got["Type"], got["DataType"]) == ("db-2", 2, "String", "text")
    assert got["ARN"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/db/host"
    assert got["LastModifiedDate"].isoformat() == "2026-01-01T00:01:00+00:00"
    history = service.call("GetParameterHistory", Name="/app/db/host")["Parameters"]
    assert [(h["Version"], h["Value"]) for h in history] == [(1, "db-1"), (2, "db-2")]
    assert history[0]["LastModifiedUser"] == f"arn:aws:iam::{ACCOUNT}:root"


def test_an_overwrite_keeps_what_it_does_not_give_and_a_type_cannot_change() -> None:
    service = ssm()
    put(service, "/p", "1", Description="the port", AllowedPattern=r"\d+")
    put(service, "/p", "2", None, Overwrite=True)
    (meta,) = service.call("DescribeParameters")["Parameters"]
    assert (meta["Description"], meta["AllowedPattern"], meta["Version"]) == ("the port", r"\d+", 2)
    assert service.error("PutParameter", Name="/p", Value="x", Overwrite=True).code == (
        "ParameterPatternMismatchException"
    )
    changed = service.error("PutParameter", Name="/p", Value="3", Type="SecureString", Overwrite=True)
    assert changed.code == "HierarchyTypeMismatchException"


def test_a_type_is_required_to_create_and_tags_cannot_come_with_overwrite() -> None:
    service = ssm()
    assert service.error("PutParameter", Name="/new", Value="v").code == "ValidationException"
    tags = [{"Key": "team", "Value": "ops"}]
    assert service.error("PutParameter", Name="/new", Value="v", Type="String", Overwrite=True, Tags=tags).code == (
        "ValidationException"
    )
    put(service, "/new", "v", Tags=tags)
    assert service.world.to_dict()["Parameters"][0]["Tags"] == {"team": "ops"}
    filtered = service.call("DescribeParameters", ParameterFilters=[{"Key": "tag:team", "Values": ["ops"]}])
    assert [p["Name"] for p in filtered["Parameters"]] == ["/new"]


def test_selectors_name_a_version_or_a_label() -> None:
    service = ssm()
    put(service, "/app/flag", "off")
    put(service, "/app/flag", "on", None, Overwrite=True)
    labelled = service.call(
        "LabelParameterVersion", Name="/app/flag", ParameterVersion=1, Labels=["prod", "1st", "aws-x"]
    )
    assert labelled == {"InvalidLabels": ["1st", "aws-x"], "ParameterVersion": 1}
    by_label = service.call("GetParameter", Name="/app/flag:prod")["Parameter"]
    assert (by_label["Value"], by_label["Version"], by_label["Selector"], by_label["Name"]) == (
        "off",
        1,
        ":prod",
        "/app/flag",
    )
    assert service.call("GetParameter", Name="/app/flag:2")["Parameter"]["Value"] == "on"
    missing = service.error("GetParameter", Name="/app/flag:7")
    assert (missing.code, missing.message) == (
        "ParameterVersionNotFound",
        "Systems Manager could not find version 7 of /app/flag. Verify the version and try again.",
    )
    assert service.error("GetParameter", Name="/app/flag:staging").code == "ParameterNotFound"
    # a label moves: attaching it to version 2 takes it off version 1
    assert service.call("LabelParameterVersion", Name="/app/flag", Labels=["prod"])["ParameterVersion"] == 2
    history = service.call("GetParameterHistory", Name="/app/flag")["Parameters"]
    assert [h["Labels"] for h in history] == [[], ["prod"]]


def test_label_limits_and_the_version_limit() -> None:
    service = ssm()
    put(service, "/l", "v")
    ten = [f"l{n}" for n in range(limits.MAX_LABELS_PER_PARAMETER_VERSION)]
    service.call("LabelParameterVersion", Name="/l", Labels=ten)
    assert service.error("LabelParameterVersion", Name="/l", Labels=["one-more"]).code == (
        "ParameterVersionLabelLimitExceeded"
    )
    assert service.error("LabelParameterVersion", Name="/l", ParameterVersion=3, Labels=["x"]).code == (
        "ParameterVersionNotFound"
    )
    assert service.error("LabelParameterVersion", Name="/absent", Labels=["x"]).code == "ParameterNotFound"
    for number in range(2, limits.MAX_PARAMETER_VERSIONS + 1):
        put(service, "/l", f"v{number}", None, Overwrite=True)
    refused = service.error("PutParameter", Name="/l", Value="more", Overwrite=True)
    assert refused.code == "ParameterMaxVersionLimitExceeded"  # the oldest version has labels
    service.call("LabelParameterVersion", Name="/l", ParameterVersion=2, Labels=ten)  # move them off version 1
    assert put(service, "/l", "more", None, Overwrite=True)["Version"] == limits.MAX_PARAMETER_VERSIONS + 1
    history = service.call("GetParameterHistory", Name="/l", MaxResults=50)
    assert history["Parameters"][0]["Version"] == 2 and "NextToken" in history


# -- names, sizes, tiers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("awsTestParameter", "ValidationException"),
        ("SSM-testparameter", "ValidationException"),
        ("/aws/testparam1", "AccessDeniedException"),
        ("/ssm/testparam1", "ValidationException"),
        ("/aws/service/x", "AccessDeniedException"),
        ("MyParameter3/L1", "ValidationException"),
        ("/has space", "ValidationException"),
        ("/bad*char", "ValidationException"),
        ("/" + "/".join(f"L{n}" for n in range(16)), "HierarchyLevelLimitExceededException"),
        ("/" + "a" * 1000, "ValidationException"),
    ],
)
def test_names_parameter_store_refuses(name: str, code: str) -> None:
    assert ssm().error("PutParameter", Name=name, Value="v", Type="String").code == code


def test_names_parameter_store_takes() -> None:
    service = ssm()
    deepest = "/Level-1/L2/L3/L4/L5/L6/L7/L8/L9/L10/L11/L12/L13/L14/parameter-name"
    for name in (deepest, "parameter-name", "/a.b_c-d"):
        put(service, name, "v")
    # a name without a hierarchy is one parameter with or without its leading slash
    assert service.error("PutParameter", Name="/parameter-name", Value="w", Type="String").code == (
        "ParameterAlreadyExists"
    )
    assert service.call("GetParameter", Name="/parameter-name")["Parameter"]["Name"] == "parameter-name"


def test_values_are_at_most_4_kb_standard_and_8_kb_advanced() -> None:
    service = ssm()
    standard, advanced = limits.MAX_STANDARD_PARAMETER_VALUE, limits.MAX_ADVANCED_PARAMETER_VALUE
    put(service, "/fits", "x" * standard)
    too_long = service.error("PutParameter", Name="/big", Value="x" * (standard + 1), Type="String")
    assert too_long.code == "ValidationException" and f"{standard} characters" in too_long.message
    assert put(service, "/big", "x" * advanced, Tier="Advanced")["Tier"] == "Advanced"
    assert service.error(
        "PutParameter", Name="/huge", Value="x" * (advanced + 1), Type="String", Tier="Advanced"
    ).code == ("ValidationException")
    assert put(service, "/smart", "x" * (standard + 1), Tier="Intelligent-Tiering")["Tier"] == "Advanced"
    assert put(service, "/small", "x", Tier="Intelligent-Tiering")["Tier"] == "Standard"
    downgrade = service.error("PutParameter", Name="/big", Value="y", Overwrite=True, Tier="Standard")
    assert downgrade.code == "ValidationException" and "downgrade" in downgrade.message
    assert put(service, "/big", "y", None, Overwrite=True)["Tier"] == "Advanced"  # an advanced parameter stays so
    assert service.error("PutParameter", Name="/empty", Value="", Type="String").code == "ValidationException"


def test_data_types_and_policies() -> None:
    service = ssm()
    put(service, "/ami", "ami-0123456789abcdef0", DataType="aws:ec2:image")
    assert service.error(
        "PutParameter", Name="/ami2", Value="not-an-ami", Type="String", DataType="aws:ec2:image"
    ).code == ("ValidationException")
    assert service.error("PutParameter", Name="/x", Value="v", Type="String", DataType="Text").code == (
        "ValidationException"
    )
    policies = '[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-01-01T00:00:00Z"}}]'
    refused = service.error("PutParameter", Name="/x", Value="v", Type="String", Tier="Advanced", Policies=policies)
    assert refused.code == "NotModeledByFakeWorld" and refused.status == 501


# -- SecureString and the fake KMS -------------------------------------------------------------------------------


def test_secure_strings_are_decrypted_only_with_decryption() -> None:
    service = ssm()
    put(service, "/db/password", "hunter2", "SecureString")
    put(service, "/db/other", "s3cret", "SecureString", KeyId="alias/cloudtrail")
    hidden = service.call("GetParameter", Name="/db/password")["Parameter"]["Value"]
    assert hidden != "hunter2" and hidden == service.call("GetParameter", Name="/db/password")["Parameter"]["Value"]
    assert service.call("GetParameter", Name="/db/password", WithDecryption=True)["Parameter"]["Value"] == "hunter2"
    both = service.call("GetParameters", Names=["/db/password", "/db/other"], WithDecryption=True)["Parameters"]
    assert [p["Value"] for p in both] == ["hunter2", "s3cret"]
    keys = {p["Name"]: p["KeyId"] for p in service.call("DescribeParameters")["Parameters"]}
    assert keys == {"/db/password": "alias/aws/ssm", "/db/other": "alias/cloudtrail"}
    by_key = service.call("DescribeParameters", Filters=[{"Key": "KeyId", "Values": ["alias/cloudtrail"]}])
    assert [p["Name"] for p in by_key["Parameters"]] == ["/db/other"]


@pytest.mark.parametrize("key_id", [DEFAULT_KEY_ID, KEY_ARN, "alias/cloudtrail", "alias/aws/ssm"])
def test_a_secure_string_takes_any_name_of_a_key(key_id: str) -> None:
    put(ssm(), "/s", "v", "SecureString", KeyId=key_id)


def test_absent_or_disabled_keys_are_invalid_key_ids() -> None:
    service = ssm()
    absent = service.error("PutParameter", Name="/s", Value="v", Type="SecureString", KeyId="alias/absent")
    assert absent.code == "InvalidKeyId" and "NotFoundException" in absent.message
    assert service.error("PutParameter", Name="/s", Value="v", Type="String", KeyId="alias/cloudtrail").code == (
        "ValidationException"
    )
    put(service, "/s", "v", "SecureString", KeyId="alias/cloudtrail")
    disabled = World.from_dict({**service.world.to_dict(), "Keys": [{**default_data()["Keys"][0], "Enabled": False}]})
    reader = ssm(disabled)
    assert reader.call("GetParameter", Name="/s")["Parameter"]["Value"] != "v"  # no decryption, no KMS call
    refused = reader.error("GetParameter", Name="/s", WithDecryption=True)
    assert refused.code == "InvalidKeyId" and "DisabledException" in refused.message


# -- GetParameters, paths, filters, deleting ---------------------------------------------------------------------


def test_get_parameters_lists_what_it_cannot_find() -> None:
    service = ssm()
    put(service, "/a", "1")
    answer = service.call("GetParameters", Names=["/a", "/absent", "/a:9", "/a", "/a:1"])
    assert [(p["Name"], p.get("Selector")) for p in answer["Parameters"]] == [("/a", None), ("/a", ":1")]
    assert answer["InvalidParameters"] == ["/absent", "/a:9"]
    too_many = [f"/p{n}" for n in range(limits.MAX_PARAMETER_NAMES_PER_CALL + 1)]
    assert service.error("GetParameters", Names=too_many).code == "ValidationException"


def tree() -> Service:
    service = ssm()
    for name in ("/app/a", "/app/b", "/app/sub/c", "/app/sub/deep/d", "/other/e", "top"):
        put(service, name, name)
    put(service, "/app/list", "x,y", "StringList")
    return service


def test_parameters_by_path_one_level_or_recursive_in_pages() -> None:
    service = tree()
    one = service.call("GetParametersByPath", Path="/app")["Parameters"]
    assert [p["Name"] for p in one] == ["/app/a", "/app/b", "/app/list"]
    names, token, pages = [], None, 0
    while True:
        request: dict[str, Any] = {"Path": "/app/", "Recursive": True, "MaxResults": 2}
        if token:
            request["NextToken"] = token
        answer = service.call("GetParametersByPath", **request)
        names += [p["Name"] for p in answer["Parameters"]]
        pages += 1
        token = answer.get("NextToken")
        if token is None:
            break
    assert names == ["/app/a", "/app/b", "/app/list", "/app/sub/c", "/app/sub/deep/d"] and pages == 3
    root = service.call("GetParametersByPath", Path="/")["Parameters"]
    assert [p["Name"] for p in root] == ["top"]
    assert service.error("GetParametersByPath", Path="/app", NextToken="garbage").code == "InvalidNextToken"
    assert service.error("GetParametersByPath", Path="app").code == "ValidationException"
    assert service.error("GetParametersByPath", Path="/app", MaxResults=11).code == "ValidationException"
    lists = service.call(
        "GetParametersByPath", Path="/app", ParameterFilters=[{"Key": "Type", "Values": ["StringList"]}]
    )
    assert [p["Name"] for p in lists["Parameters"]] == ["/app/list"]
    assert service.error(
        "GetParametersByPath", Path="/app", ParameterFilters=[{"Key": "Name", "Values": ["x"]}]
    ).code == ("InvalidFilterKey")
    public = service.error("GetParametersByPath", Path="/aws/service/ami-amazon-linux-latest")
    assert public.code == "NotModeledByFakeWorld"


def test_a_label_filter_selects_the_labelled_versions() -> None:
    service = tree()
    put(service, "/app/a", "newer", None, Overwrite=True)
    service.call("LabelParameterVersion", Name="/app/a", ParameterVersion=1, Labels=["stable"])
    answer = service.call("GetParametersByPath", Path="/app", ParameterFilters=[{"Key": "Label", "Values": ["stable"]}])
    assert [(p["Name"], p["Value"], p["Version"]) for p in answer["Parameters"]] == [("/app/a", "/app/a", 1)]


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ([{"Key": "Path", "Values": ["/app"]}], ["/app/a", "/app/b", "/app/list"]),
        ([{"Key": "Path", "Option": "Recursive", "Values": ["/app/sub"]}], ["/app/sub/c", "/app/sub/deep/d"]),
        ([{"Key": "Name", "Option": "BeginsWith", "Values": ["/app/s"]}], ["/app/sub/c", "/app/sub/deep/d"]),
        ([{"Key": "Name", "Values": ["/other/e"]}], ["/other/e"]),
        ([{"Key": "Name", "Option": "Contains", "Values": ["deep"]}], ["/app/sub/deep/d"]),
        ([{"Key": "Type", "Values": ["StringList"]}], ["/app/list"]),
        ([{"Key": "Tier", "Values": ["Advanced"]}], []),
    ],
)
def test_describe_parameters_filters(filters: list[dict[str, Any]], names: list[str]) -> None:
    answer = tree().call("DescribeParameters", ParameterFilters=filters)
    assert [p["Name"] for p in answer["Parameters"]] == names


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        ({"ParameterFilters": [{"Key": "Label", "Values": ["x"]}]}, "InvalidFilterKey"),
        ({"ParameterFilters": [{"Key": "Type", "Values": ["Nope"]}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Type", "Option": "Contains", "Values": ["String"]}]}, "InvalidFilterOption"),
        ({"ParameterFilters": [{"Key": "Type"}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Type", "Values": ["String"]}] * 2}, "InvalidFilterKey"),
        (
            {
                "Filters": [{"Key": "Name", "Values": ["/a"]}],
                "ParameterFilters": [{"Key": "Type", "Values": ["String"]}],
            },
            "ValidationException",
        ),
        ({"MaxResults": 51}, "ValidationException"),
    ],
)
def test_describe_parameters_refusals(request_: dict[str, Any], code: str) -> None:
    assert tree().error("DescribeParameters", **request_).code == code


def test_deleting_parameters() -> None:
    service = tree()
    assert service.call("DeleteParameter", Name="/app/a") == {}
    assert service.error("DeleteParameter", Name="/app/a").code == "ParameterNotFound"
    answer = service.call("DeleteParameters", Names=["/app/b", "/absent", "top"])
    assert answer == {"DeletedParameters": ["/app/b", "top"], "InvalidParameters": ["/absent"]}
    assert service.error("GetParameter", Name="/app/b").code == "ParameterNotFound"


def test_parameters_are_regional_and_named_by_arn() -> None:
    w = World.default()
    put(ssm(w), "/app/a", "east")
    put(ssm(w, "eu-west-1"), "/app/a", "west")
    assert ssm(w).call("GetParameter", Name="/app/a")["Parameter"]["Value"] == "east"
    west_arn = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/app/a"
    assert ssm(w, "eu-west-1").call("GetParameter", Name=west_arn)["Parameter"]["Value"] == "west"
    assert ssm(w, "eu-west-1").call("GetParameter", Name=f"{west_arn}:1")["Parameter"]["Version"] == 1
    assert ssm(w).error("GetParameter", Name=west_arn).code == "ParameterNotFound"
    assert ssm(w, "ap-south-1").call("DescribeParameters") == {"Parameters": []}


# -- the world file ----------------------------------------------------------------------------------------------


def test_the_world_file_holds_parameters_with_their_history() -> None:
    data = {
        **default_data(),
        "Parameters": [
            {"Name": "/app/port", "Value": "8080"},
            {"Name": "/app/secret", "Type": "SecureString", "Value": "pw", "Region": "eu-west-1"},
            {
                "Name": "/app/flag",
                "History": [
                    {"Version": 3, "Value": "off", "Labels": ["prod"]},
                    {"Version": 4, "Value": "on", "LastModifiedDate": "2025-06-01T00:00:00Z"},
                ],
            },
        ],
    }
    w = World.from_dict(data)
    assert World.from_dict(w.to_dict()) == w
    service = ssm(w)
    assert service.call("GetParameter", Name="/app/port")["Parameter"]["Version"] == 1
    assert service.call("GetParameter", Name="/app/flag:prod")["Parameter"]["Value"] == "off"
    assert put(service, "/app/flag", "maybe", None, Overwrite=True)["Version"] == 5
    secret = ssm(w, "eu-west-1").call("GetParameter", Name="/app/secret", WithDecryption=True)["Parameter"]
    assert secret["Value"] == "pw"
    written = w.to_dict()["Parameters"]
    assert [(p["Region"], p["Name"]) for p in written] == [
        ("eu-west-1", "/app/secret"),
        ("us-east-1", "/app/flag"),
        ("us-east-1", "/app/port"),
    ]
    entry = written[1]
    assert [h["Version"] for h in entry["History"]] == [3, 4, 5]
    assert entry["History"][1]["LastModifiedDate"] == "2025-06-01T00:00:00Z"


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"Name": "/a", "Value": "v", "History": []}, "cannot be given with History"),
        ({"Name": "/a", "Type": "Secret", "Value": "v"}, "Parameters[0].Type"),
        ({"Name": "awsx", "Value": "v"}, "is not a parameter name"),
        ({"Name": "/a", "Value": "v", "KeyId": "alias/x"}, "only for a SecureString"),
        ({"Name": "/a", "History": [{"Version": 2, "Value": "b"}, {"Version": 1, "Value": "a"}]}, "oldest first"),
        ({"Name": "/a", "History": [{"Value": "a"}]}, "Parameters[0].History[0].Version"),
        (
            {
                "Name": "/a",
                "History": [
                    {"Version": 1, "Value": "a", "Labels": ["x"]},
                    {"Version": 2, "Value": "b", "Labels": ["x"]},
                ],
            },
            "a label to two versions",
        ),
        ({"Name": "/a", "Value": "x" * 4097}, "longer than"),
        ({"Name": "/a", "Value": "v", "Colour": "red"}, "unknown key"),
    ],
)
def test_the_world_file_refuses_parameters_aws_would_not_hold(entry: dict[str, Any], words: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict({"Parameters": [entry]})
    assert words in str(caught.value)


def test_two_entries_of_one_parameter_are_refused() -> None:
    with pytest.raises(WorldError, match="repeats parameter"):
        World.from_dict({"Parameters": [{"Name": "p", "Value": "1"}, {"Name": "/p", "Value": "2"}]})


# -- {{ssm:...}} parameter defaults ------------------------------------------------------------------------------


def test_a_default_reads_a_string_or_the_text_of_a_string_list() -> None:
    service = ssm()
    put(service, "/app/bucket", "my-bucket")
    put(service, "/app/bucket", "new-bucket", None, Overwrite=True)
    service.call("LabelParameterVersion", Name="/app/bucket", ParameterVersion=1, Labels=["old"])
    put(service, "/app/regions", "us-east-1,eu-west-1", "StringList")
    state = service.world.ssm
    assert resolve_default(state, "us-east-1", "{{ssm:/app/bucket}}") == "new-bucket"
    assert resolve_default(state, "us-east-1", "{{ ssm:/app/bucket:1 }}") == "my-bucket"
    assert resolve_default(state, "us-east-1", "{{ssm:/app/bucket:old}}") == "my-bucket"
    assert resolve_default(state, "us-east-1", "{{ssm:/app/regions}}") == "us-east-1,eu-west-1"
    assert resolve_default(state, "us-east-1", "plain text") == "plain text"
    assert resolve_default(state, "us-east-1", "{{ Param }}") == "{{ Param }}"


@pytest.mark.parametrize(
    ("default", "words"),
    [
        ("{{ssm:/absent}}", "not found"),
        ("{{ssm:/app/bucket:9}}", "no version 9"),
        ("{{ssm:/app/bucket:nolabel}}", "no label nolabel"),
        ("{{ssm:/app/secret}}", "SecureString"),
        ("{{ssm-secure:/app/secret}}", "SecureString"),
    ],
)
def test_a_default_the_execution_cannot_resolve_refuses_it(default: str, words: str) -> None:
    service = ssm()
    put(service, "/app/bucket", "b")
    put(service, "/app/secret", "pw", "SecureString")
    with pytest.raises(AwsError) as caught:
        resolve_default(service.world.ssm, "us-east-1", default)
    assert caught.value.code == "InvalidAutomationExecutionParametersException" and words in caught.value.message
    with pytest.raises(AwsError):
        resolve_default(service.world.ssm, "eu-west-1", "{{ssm:/app/bucket}}")  # parameters are regional


def test_the_default_world_holds_no_parameters() -> None:
    assert world().to_dict()["Parameters"] == []


def test_allowed_pattern_is_javas_and_the_whole_value_must_match() -> None:
    """AllowedPattern is read as java.util.regex reads it (toolkit.javaregex): \\w is ASCII, the whole value (each
    item of a StringList) must match, and a pattern Java refuses is InvalidAllowedPatternException."""
    service = ssm()
    word = r"^[\w-]+$"
    unicode_word = service.error("PutParameter", Name="/t", Value="tr\u00e1il", Type="String", AllowedPattern=word)
    assert unicode_word.code == "ParameterPatternMismatchException"
    put(service, "/t", "trail-1", AllowedPattern=word)
    whole = service.error("PutParameter", Name="/u", Value="ABCDEF", Type="String", AllowedPattern="[a-z]*")
    assert whole.code == "ParameterPatternMismatchException"  # a search would accept it (the empty match)
    put(service, "/l", "a,b,c", "StringList", AllowedPattern="[a-z]{1}")
    items = service.error("PutParameter", Name="/m", Value="aaa,b", Type="StringList", AllowedPattern="[a-z]{1}")
    assert items.code == "ParameterPatternMismatchException"
    java_refuses = service.error("PutParameter", Name="/v", Value="a", Type="String", AllowedPattern="[_-/]")
    assert java_refuses.code == "InvalidAllowedPatternException" and "Illegal character range" in java_refuses.message
    put(service, "/w", "a.b", AllowedPattern=r"\Qa.b\E")  # Java's syntax, which Python's re does not read
    undecided = service.error("PutParameter", Name="/x", Value="a", Type="String", AllowedPattern=r"\X")
    assert undecided.code == "NotModeledByFakeWorld" and "\\X" in undecided.message
