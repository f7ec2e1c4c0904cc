"""The fake SSM documents (versions, version names, default version, formats, listing, deleting) and automation
executions (recorded as Pending with deterministic ids), with AWS's error codes and the world file's form."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import yaml

from tests.fakes.services import Service
from tests.fakes.worlds import ACCOUNT
from toolkit.fakes.ssm.executions import finish_execution
from toolkit.fakes.world import World, WorldError
from toolkit.ssm import limits

AUTOMATION = {
    "schemaVersion": "0.3",
    "description": "Restarts the thing",
    "parameters": {
        "Target": {"type": "String", "description": "what to restart"},
        "Times": {"type": "Integer", "default": 1},
        "Names": {"type": "StringList", "default": ["a"]},
    },
    "mainSteps": [{"name": "Wait", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}],
}
CONTENT = json.dumps(AUTOMATION)
COMMAND = json.dumps(
    {"schemaVersion": "2.2", "mainSteps": [{"action": "aws:runShellScript", "name": "r", "inputs": {}}]}
)


def ssm(w: World | None = None, region: str | None = None) -> Service:
    return Service("ssm", w, region)


def created(**params: Any) -> Service:
    service = ssm()
    service.call("CreateDocument", Name="restart-thing", Content=CONTENT, DocumentType="Automation", **params)
    return service


def revised(text: str) -> str:
    return json.dumps({**AUTOMATION, "description": text})


# -- creating and reading ----------------------------------------------------------------------------------------


def test_create_describes_the_first_version() -> None:
    service = ssm()
    tags = [{"Key": "team", "Value": "ops"}]
    answer = service.call(
        "CreateDocument", Name="restart-thing", Content=CONTENT, DocumentType="Automation", VersionName="v1", Tags=tags
    )["DocumentDescription"]
    assert answer["Hash"] == hashlib.sha256(CONTENT.encode()).hexdigest() and answer["HashType"] == "Sha256"
    assert (answer["DocumentVersion"], answer["LatestVersion"], answer["DefaultVersion"]) == ("1", "1", "1")
    assert (answer["VersionName"], answer["Owner"], answer["Status"]) == ("v1", ACCOUNT, "Active")
    assert (answer["DocumentType"], answer["SchemaVersion"], answer["DocumentFormat"]) == ("Automation", "0.3", "JSON")
    assert answer["Description"] == "Restarts the thing" and answer["Tags"] == tags
    assert answer["Parameters"] == [
        {"Name": "Target", "Type": "String", "Description": "what to restart"},
        {"Name": "Times", "Type": "Integer", "DefaultValue": "1"},
        {"Name": "Names", "Type": "StringList", "DefaultValue": '["a"]'},
    ]
    assert service.call("DescribeDocument", Name="restart-thing")["Document"] == {**answer}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Name": "ab"}, "ValidationException"),
        ({"Name": "aws-mine"}, "ValidationException"),
        ({"Name": "AMAZON-thing"}, "ValidationException"),
        ({"Name": "has space"}, "ValidationException"),
        ({"Content": "{not json"}, "InvalidDocumentContent"),
        ({"Content": "schemaVersion: '0.3'\nmainSteps: []\n"}, "InvalidDocumentContent"),  # YAML given as JSON
        ({"Content": json.dumps({"mainSteps": []})}, "InvalidDocumentContent"),
        ({"Content": json.dumps({**AUTOMATION, "schemaVersion": "2.2"})}, "InvalidDocumentSchemaVersion"),
        (
            {"Content": json.dumps({**AUTOMATION, "description": "x" * limits.MAX_DOCUMENT_BYTES})},
            "MaxDocumentSizeExceeded",
        ),
        ({"VersionName": "has space"}, "ValidationException"),
        ({"DocumentFormat": "XML"}, "ValidationException"),
        ({"Attachments": [{"Key": "SourceUrl", "Values": ["s3://b/k"]}]}, "NotModeledByFakeWorld"),
    ],
)
def test_create_refusals(params: dict[str, Any], code: str) -> None:
    request = {"Name": "restart-thing", "Content": CONTENT, "DocumentType": "Automation", **params}
    assert ssm().error("CreateDocument", **request).code == code


def test_a_name_is_taken_once_per_region() -> None:
    w = World.default()
    created_in = ssm(w)
    created_in.call("CreateDocument", Name="restart-thing", Content=CONTENT, DocumentType="Automation")
    assert created_in.error("CreateDocument", Name="restart-thing", Content=COMMAND).code == "DocumentAlreadyExists"
    ssm(w, "eu-west-1").call("CreateDocument", Name="restart-thing", Content=COMMAND)  # another region
    assert ssm(w, "eu-west-1").call("DescribeDocument", Name="restart-thing")["Document"]["DocumentType"] == "Command"


def test_yaml_documents_and_format_conversion() -> None:
    service = ssm()
    text = yaml.safe_dump(AUTOMATION, sort_keys=False)
    service.call("CreateDocument", Name="yaml-doc", Content=text, DocumentType="Automation", DocumentFormat="YAML")
    as_yaml = service.call("GetDocument", Name="yaml-doc", DocumentFormat="YAML")
    assert (as_yaml["Content"], as_yaml["DocumentFormat"]) == (text, "YAML")  # the content as it was given
    as_json = service.call("GetDocument", Name="yaml-doc")  # JSON is GetDocument's default format
    assert json.loads(as_json["Content"]) == AUTOMATION and as_json["DocumentFormat"] == "JSON"
    back = service.call("GetDocument", Name="yaml-doc", DocumentFormat="YAML")["Content"]
    assert yaml.safe_load(back) == AUTOMATION


# -- versions ----------------------------------------------------------------------------------------------------


def test_updates_make_versions_and_the_default_moves_only_when_asked() -> None:
    service = created(VersionName="first")
    service.now = 3600
    second = service.call(
        "UpdateDocument", Name="restart-thing", Content=revised("two"), DocumentVersion="$LATEST", VersionName="second"
    )["DocumentDescription"]
    assert (second["DocumentVersion"], second["LatestVersion"], second["DefaultVersion"]) == ("2", "2", "1")
    assert second["CreatedDate"].isoformat() == "2026-01-01T01:00:00+00:00"
    third = service.call("UpdateDocument", Name="restart-thing", Content=revised("three"), DocumentVersion="2")
    assert third["DocumentDescription"]["DocumentVersion"] == "3"
    assert service.call("GetDocument", Name="restart-thing")["DocumentVersion"] == "1"  # still the default
    assert service.call("GetDocument", Name="restart-thing", DocumentVersion="$LATEST")["DocumentVersion"] == "3"
    assert service.call("GetDocument", Name="restart-thing", VersionName="second")["DocumentVersion"] == "2"
    assert service.call("GetDocument", Name="restart-thing", DocumentVersion="2", VersionName="second")[
        "VersionName"
    ] == ("second")
    assert service.error("GetDocument", Name="restart-thing", DocumentVersion="1", VersionName="second").code == (
        "InvalidDocumentVersion"
    )
    moved = service.call("UpdateDocumentDefaultVersion", Name="restart-thing", DocumentVersion="2")
    assert moved == {"Description": {"Name": "restart-thing", "DefaultVersion": "2", "DefaultVersionName": "second"}}
    assert service.call("DescribeDocument", Name="restart-thing")["Document"]["Description"] == "two"
    versions = service.call("ListDocumentVersions", Name="restart-thing")["DocumentVersions"]
    assert [(v["DocumentVersion"], v["IsDefaultVersion"], v.get("VersionName")) for v in versions] == [
        ("3", False, None),
        ("2", True, "second"),
        ("1", False, "first"),
    ]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Content": CONTENT}, "DuplicateDocumentContent"),
        ({"Content": revised("x"), "VersionName": "first"}, "DuplicateDocumentVersionName"),
        ({"Content": revised("x"), "DocumentVersion": "1"}, "InvalidDocumentVersion"),  # only the latest is updated
        ({"Content": revised("x"), "Name": "absent-doc"}, "InvalidDocument"),
        ({"Content": json.dumps({**AUTOMATION, "schemaVersion": "1.2"})}, "InvalidDocumentSchemaVersion"),
    ],
)
def test_update_refusals(params: dict[str, Any], code: str) -> None:
    service = created(VersionName="first")
    service.call("UpdateDocument", Name="restart-thing", Content=revised("two"), DocumentVersion="$LATEST")
    request = {"Name": "restart-thing", "DocumentVersion": "$LATEST", **params}
    assert service.error("UpdateDocument", **request).code == code


def test_reading_versions_that_do_not_exist() -> None:
    service = created()
    assert service.error("DescribeDocument", Name="absent-doc").code == "InvalidDocument"
    assert service.error("DescribeDocument", Name="restart-thing", DocumentVersion="9").code == "InvalidDocumentVersion"
    assert service.error("GetDocument", Name="restart-thing", VersionName="nope").code == "InvalidDocumentVersion"
    assert service.error("UpdateDocumentDefaultVersion", Name="restart-thing", DocumentVersion="9").code == (
        "InvalidDocumentVersion"
    )
    assert service.error("ListDocumentVersions", Name="absent-doc").code == "InvalidDocument"
    arn = f"arn:aws:ssm:us-east-1:{ACCOUNT}:document/restart-thing"
    assert service.call("DescribeDocument", Name=arn)["Document"]["Name"] == "restart-thing"


def test_deleting_a_version_or_the_document() -> None:
    service = created()
    service.call("UpdateDocument", Name="restart-thing", Content=revised("two"), DocumentVersion="$LATEST")
    assert service.error("DeleteDocument", Name="restart-thing", DocumentVersion="1").code == "InvalidDocumentOperation"
    service.call("DeleteDocument", Name="restart-thing", DocumentVersion="2")
    assert service.call("DescribeDocument", Name="restart-thing")["Document"]["LatestVersion"] == "1"
    assert service.error("DeleteDocument", Name="restart-thing", DocumentVersion="7").code == "InvalidDocument"
    service.call("DeleteDocument", Name="restart-thing")
    assert service.error("DeleteDocument", Name="restart-thing").code == "InvalidDocument"


def test_list_documents_filters_and_pages() -> None:
    service = ssm()
    for number in range(5):
        service.call("CreateDocument", Name=f"auto-{number}", Content=CONTENT, DocumentType="Automation")
    service.call("CreateDocument", Name="command-doc", Content=COMMAND, Tags=[{"Key": "kind", "Value": "cmd"}])

    def names(**params: Any) -> list[str]:
        return [d["Name"] for d in service.call("ListDocuments", **params)["DocumentIdentifiers"]]

    assert names(Filters=[{"Key": "DocumentType", "Values": ["Automation"]}]) == [f"auto-{n}" for n in range(5)]
    assert names(Filters=[{"Key": "Owner", "Values": ["Self"]}, {"Key": "tag:kind", "Values": ["cmd"]}]) == [
        "command-doc"
    ]
    assert names(Filters=[{"Key": "Owner", "Values": ["Amazon"]}]) == []  # AWS-owned documents are not held
    assert names(DocumentFilterList=[{"key": "Name", "value": "auto-3"}]) == ["auto-3"]
    first = service.call("ListDocuments", MaxResults=4)
    rest = service.call("ListDocuments", MaxResults=4, NextToken=first["NextToken"])
    assert len(first["DocumentIdentifiers"]) == 4 and "NextToken" not in rest
    assert service.error("ListDocuments", NextToken="made-up").code == "InvalidNextToken"
    assert service.error("ListDocuments", Filters=[{"Key": "Colour", "Values": ["red"]}]).code == "InvalidFilterKey"


def test_the_world_file_holds_documents() -> None:
    text = yaml.safe_dump(AUTOMATION, sort_keys=False)
    data = {
        "Documents": [
            {"Name": "inline-doc", "DocumentType": "Automation", "Content": AUTOMATION},
            {
                "Name": "versioned-doc",
                "DocumentType": "Automation",
                "DefaultVersion": "2",
                "Versions": [
                    {"DocumentVersion": "1", "Content": CONTENT, "VersionName": "one"},
                    {
                        "DocumentVersion": "2",
                        "Content": text,
                        "DocumentFormat": "YAML",
                        "CreatedDate": "2025-02-01T00:00:00Z",
                    },
                ],
            },
        ]
    }
    w = World.from_dict(data)
    assert World.from_dict(w.to_dict()) == w
    service = ssm(w)
    default = service.call("DescribeDocument", Name="versioned-doc")["Document"]
    assert (default["DocumentVersion"], default["DocumentFormat"]) == ("2", "YAML")
    assert default["CreatedDate"].isoformat() == "2025-02-01T00:00:00+00:00"
    assert json.loads(service.call("GetDocument", Name="inline-doc")["Content"]) == AUTOMATION


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"Name": "aws-doc", "Content": CONTENT}, "Documents[0].Name"),
        ({"Name": "the-doc", "Content": "{nope", "DocumentType": "Automation"}, "not a Automation document"),
        ({"Name": "the-doc", "Content": COMMAND, "DefaultVersion": "3"}, "DefaultVersion"),
        ({"Name": "the-doc", "Content": CONTENT, "DocumentType": "Recipe"}, "DocumentType"),
        ({"Name": "the-doc", "Versions": []}, "Versions"),
    ],
)
def test_the_world_file_refuses_documents_ssm_would_not_hold(entry: dict[str, Any], words: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict({"Documents": [entry]})
    assert words in str(caught.value)


# -- automation executions ---------------------------------------------------------------------------------------


def test_an_execution_started_through_the_api_is_recorded_pending() -> None:
    service = created()
    started = service.call("StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["db"]})
    execution_id = started["AutomationExecutionId"]
    again = created().call("StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["db"]})
    assert again["AutomationExecutionId"] == execution_id  # the same world, the same id
    got = service.call("GetAutomationExecution", AutomationExecutionId=execution_id)["AutomationExecution"]
    assert (got["DocumentName"], got["DocumentVersion"], got["AutomationExecutionStatus"]) == (
        "restart-thing",
        "1",
        "Pending",
    )
    assert got["Parameters"] == {"Target": ["db"]} and got["Mode"] == "Auto"
    assert got["ExecutionStartTime"].isoformat() == "2026-01-01T00:00:00+00:00"
    second = service.call("StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["web"]})
    assert second["AutomationExecutionId"] != execution_id
    listed = service.call("DescribeAutomationExecutions")["AutomationExecutionMetadataList"]
    assert {e["AutomationExecutionId"] for e in listed} == {execution_id, second["AutomationExecutionId"]}
    only = service.call("DescribeAutomationExecutions", Filters=[{"Key": "ExecutionId", "Values": [execution_id]}])
    assert [e["AutomationExecutionId"] for e in only["AutomationExecutionMetadataList"]] == [execution_id]
    assert World.from_dict(service.world.to_dict()) == service.world


def test_a_client_token_makes_a_start_idempotent() -> None:
    service = created()
    first = service.call(
        "StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["db"]}, ClientToken="t-1"
    )
    assert first == service.call(
        "StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["db"]}, ClientToken="t-1"
    )
    mismatch = service.error(
        "StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["web"]}, ClientToken="t-1"
    )
    assert mismatch.code == "IdempotentParameterMismatch"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"DocumentName": "absent-doc"}, "AutomationDefinitionNotFoundException"),
        ({"DocumentName": "command-doc"}, "AutomationDefinitionNotFoundException"),
        ({"DocumentVersion": "5"}, "AutomationDefinitionVersionNotFoundException"),
        ({"Parameters": {}}, "InvalidAutomationExecutionParametersException"),
        ({"Parameters": {"Target": ["x"], "Other": ["y"]}}, "InvalidAutomationExecutionParametersException"),
        ({"Targets": [{"Key": "tag:Env", "Values": ["prod"]}]}, "NotModeledByFakeWorld"),
        ({"TargetLocations": [{"Accounts": ["111122223333"]}]}, "NotModeledByFakeWorld"),
    ],
)
def test_start_refusals(params: dict[str, Any], code: str) -> None:
    service = created()
    service.call("CreateDocument", Name="command-doc", Content=COMMAND)
    request = {"DocumentName": "restart-thing", "Parameters": {"Target": ["x"]}, **params}
    assert service.error("StartAutomationExecution", **request).code == code


def test_what_the_simulator_records_is_what_the_api_reads() -> None:
    service = created()
    execution_id = service.call(
        "StartAutomationExecution", DocumentName="restart-thing", Parameters={"Target": ["db"]}
    )["AutomationExecutionId"]
    finish_execution(
        service.world.ssm.executions, execution_id, "Failed", service.clock(), failure_message="step Wait failed"
    )
    got = service.call("GetAutomationExecution", AutomationExecutionId=execution_id)["AutomationExecution"]
    assert (got["AutomationExecutionStatus"], got["FailureMessage"]) == ("Failed", "step Wait failed")
    failed = service.call("DescribeAutomationExecutions", Filters=[{"Key": "ExecutionStatus", "Values": ["Failed"]}])
    assert len(failed["AutomationExecutionMetadataList"]) == 1
    assert service.error("GetAutomationExecution", AutomationExecutionId="absent").code == (
        "AutomationExecutionNotFoundException"
    )
    assert ssm(service.world, "eu-west-1").error("GetAutomationExecution", AutomationExecutionId=execution_id).code == (
        "AutomationExecutionNotFoundException"
    )
    assert service.error("DescribeAutomationExecutions", Filters=[{"Key": "TagKey", "Values": ["x"]}]).code == (
        "NotModeledByFakeWorld"
    )
