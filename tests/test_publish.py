"""runbook publish against moto's server on 127.0.0.1: real HTTP, write calls counted with botocore event hooks."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from toolkit import cli
from toolkit.publish import (
    FAILED,
    LocalDocument,
    Outcome,
    PublishError,
    PublishOptions,
    load_document,
    publish,
    session_clients,
)

WRITES = {
    "CreateDocument",
    "UpdateDocument",
    "UpdateDocumentDefaultVersion",
    "AddTagsToResource",
    "RemoveTagsFromResource",
    "ModifyDocumentPermission",
    "DeleteDocument",
}
NAME = "Team-Runbook"


def content(description: str) -> str:
    return (
        f"description: {description}\n"
        "schemaVersion: '0.3'\n"
        "mainSteps:\n"
        "  - name: Wait\n"
        "    action: aws:sleep\n"
        "    inputs:\n"
        "      Duration: PT1S\n"
    )


def doc(description: str) -> LocalDocument:
    return LocalDocument(NAME, content(description), "YAML", "test")


class Recorder:
    """SSM clients for the moto endpoint whose calls are recorded (operation names, in order)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def client(self, region: str = "us-east-1", endpoint: str | None = None) -> Any:
        made = boto3.session.Session().client(
            "ssm",
            region_name=region,
            endpoint_url=endpoint or self.endpoint,
            config=Config(retries={"mode": "standard"}),
        )
        made.meta.events.register("before-call.ssm", self._record)
        return made

    def _record(self, model: Any, **_: Any) -> None:
        with self.lock:
            self.calls.append(model.name)

    def writes(self) -> list[str]:
        return [call for call in self.calls if call in WRITES]

    def run(self, document: LocalDocument, options: PublishOptions | None = None) -> Outcome:
        self.calls.clear()
        (outcome,) = publish([document], {"us-east-1": self.client()}, options)
        return outcome


@pytest.fixture
def rec(aws: str) -> Recorder:
    return Recorder(aws)


def versions(endpoint: str) -> tuple[str, str]:
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=endpoint)
    described = ssm.describe_document(Name=NAME)["Document"]
    return str(described["LatestVersion"]), str(described["DefaultVersion"])


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_create_unchanged_update_rollback(rec: Recorder) -> None:
    first = rec.run(doc("one"), PublishOptions(version_name="v1", tags={"team": "ops"}))
    assert (first.action, first.version, first.default_version, first.error) == ("created", "1", "1", None)
    assert rec.writes() == ["CreateDocument"]

    same = rec.run(doc("one"), PublishOptions(tags={"team": "ops"}))
    assert (same.action, same.version, same.default_version) == ("unchanged", "1", "1")
    assert rec.writes() == []

    changed = rec.run(doc("two"))
    assert (changed.action, changed.version, changed.default_version) == ("updated", "2", "2")
    assert rec.writes() == ["UpdateDocument", "UpdateDocumentDefaultVersion"]
    assert versions(rec.endpoint) == ("2", "2")

    back = rec.run(doc("one"))
    assert (back.action, back.version, back.default_version) == ("rolled-back", "1", "1")
    assert rec.writes() == ["UpdateDocumentDefaultVersion"]
    assert versions(rec.endpoint) == ("2", "1")

    forward = rec.run(doc("two"))
    assert (forward.action, forward.version, forward.default_version) == ("updated", "2", "2")
    assert rec.writes() == ["UpdateDocumentDefaultVersion"]


def test_no_set_default_and_settings_kept_in_step(rec: Recorder) -> None:
    rec.run(doc("one"))
    kept = rec.run(doc("two"), PublishOptions(set_default=False))
    assert (kept.action, kept.version, kept.default_version) == ("updated", "2", "1")
    assert versions(rec.endpoint) == ("2", "1")

    tagged = rec.run(doc("one"), PublishOptions(tags={"team": "ops"}, share_with=("123456789012",)))
    assert tagged.action == "unchanged"
    assert rec.writes() == ["AddTagsToResource", "ModifyDocumentPermission"]
    ssm = rec.client()
    assert ssm.list_tags_for_resource(ResourceType="Document", ResourceId=NAME)["TagList"] == [
        {"Key": "team", "Value": "ops"}
    ]
    assert ssm.describe_document_permission(Name=NAME, PermissionType="Share")["AccountIds"] == ["123456789012"]

    rec.run(doc("one"), PublishOptions(tags={"team": "ops"}, share_with=("123456789012",)))
    assert rec.writes() == []
    rec.run(doc("one"), PublishOptions(share_with=()))
    assert rec.writes() == ["ModifyDocumentPermission"]


def test_an_aws_error_is_a_failed_outcome_naming_its_code(rec: Recorder) -> None:
    rec.run(doc("one"), PublishOptions(version_name="v1"))
    outcome = rec.run(doc("two"), PublishOptions(version_name="v1"))
    assert outcome.action == FAILED and outcome.version is None
    assert outcome.error is not None and outcome.error.startswith("DuplicateDocumentVersionName: ")
    assert versions(rec.endpoint) == ("1", "1")


def test_dry_run_writes_nothing_and_prints_the_diff(rec: Recorder) -> None:
    created = rec.run(doc("one"), PublishOptions(dry_run=True))
    assert created.action == "created" and rec.writes() == []
    rec.run(doc("one"))
    outcome = rec.run(doc("two"), PublishOptions(dry_run=True, tags={"team": "ops"}))
    assert (outcome.action, outcome.version) == ("updated", None)
    assert rec.writes() == []
    assert "-description: one\n+description: two\n" in outcome.diff
    assert versions(rec.endpoint) == ("1", "1")


def test_cli_create_update_dry_run_json(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / f"{NAME}.yaml"
    file.write_text(content("one"), encoding="utf-8")
    assert cli.main(["publish", str(file), "--region", "us-east-1", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == [
        {
            "region": "us-east-1",
            "name": NAME,
            "action": "created",
            "version": "1",
            "default_version": "1",
            "error": None,
        }
    ]
    file.write_text(content("two"), encoding="utf-8")
    assert cli.main(["publish", str(file), "--region", "us-east-1", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "-description: one\n+description: two\n" in printed
    assert "us-east-1: Team-Runbook: updated (dry run: nothing written)" in printed
    assert versions(aws) == ("1", "1")
    assert cli.main(["publish", str(file), "--region", "us-east-1", "--name", "Other.Name"]) == 0
    assert capsys.readouterr().out == "us-east-1: Other.Name: created (version 1, default 1)\n"


def test_cli_runbook_name_two_regions_one_refusing(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["publish", "cloudtrail-remediation-action", "--region", "us-east-1", "--region", "eu-west-1"]
    argv += ["--endpoint-url", f"eu-west-1={closed_port()}", "--format", "json"]
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    by_region = {item["region"]: item for item in json.loads(captured.out)}
    assert by_region["us-east-1"]["action"] == "created"
    assert by_region["eu-west-1"]["action"] == FAILED
    assert by_region["eu-west-1"]["error"].startswith("EndpointConnectionError: ")
    errors = captured.err.splitlines()
    assert len(errors) == 1 and errors[0].startswith(
        "runbook: eu-west-1: cloudtrail-remediation-action: failed: EndpointConnectionError: "
    )


def test_cli_assume_role_per_account(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    roles = ["arn:aws:iam::111111111111:role/Publisher", "arn:aws:iam::222222222222:role/Publisher"]
    argv = ["publish", "cloudtrail-remediation-action", "--region", "us-east-1", "--format", "json"]
    assert cli.main([*argv, "--assume-role-arn", roles[0], "--assume-role-arn", roles[1]]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(item["account"], item["action"], item["version"]) for item in out] == [
        ("111111111111", "created", "1"),
        ("222222222222", "created", "1"),
    ]
    assert cli.main([*argv, "--assume-role-arn", "arn:aws:iam::1:role/x"]) == 2
    assert "is not an IAM role ARN" in capsys.readouterr().err


def test_session_clients_endpoints(aws: str) -> None:
    refused = closed_port()
    clients = session_clients(["us-east-1", "us-west-2"], endpoints={None: aws, "us-west-2": refused})
    assert clients["us-east-1"].meta.endpoint_url == aws
    assert clients["us-west-2"].meta.endpoint_url == refused


def test_racing_publishers_make_one_version(rec: Recorder) -> None:
    rec.run(doc("one"))
    barrier = threading.Barrier(2, timeout=30)
    serial = threading.Lock()

    def hold(**_: Any) -> None:
        barrier.wait()  # both have read the document and decided to update it
        serial.acquire()

    def release(**_: Any) -> None:
        serial.release()

    outcomes: list[Outcome] = []

    def publisher() -> None:
        client = rec.client()
        client.meta.events.register("before-call.ssm.UpdateDocument", hold)
        client.meta.events.register("after-call.ssm.UpdateDocument", release)
        outcomes.extend(publish([doc("two")], {"us-east-1": client}))

    threads = [threading.Thread(target=publisher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [(o.action, o.version, o.default_version, o.error) for o in outcomes] == [("updated", "2", "2", None)] * 2
    assert rec.calls.count("UpdateDocument") == 2
    assert versions(rec.endpoint) == ("2", "2")
    assert any("another publisher" in note for o in outcomes for note in o.notes)


def test_throttling_is_retried(rec: Recorder) -> None:
    client = rec.client()
    throttled: list[str] = []

    def throttle_once(request: Any, **_: Any) -> AWSResponse | None:
        if throttled:
            return None
        throttled.append(request.url)
        body = b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'
        return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))

    client.meta.events.register("before-send.ssm.CreateDocument", throttle_once)
    (outcome,) = publish([doc("one")], {"us-east-1": client})
    assert throttled and (outcome.action, outcome.version, outcome.error) == ("created", "1", None)
    assert rec.calls.count("CreateDocument") == 1  # one API call, two HTTP attempts
    assert versions(rec.endpoint) == ("1", "1")


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def _bad_inputs(tmp_path: Path) -> list[tuple[list[str], str]]:
    big = tmp_path / "Big-Doc.yaml"
    big.write_text(content("x" * 70_000), encoding="utf-8")
    fine = tmp_path / "Fine-Doc.yaml"
    fine.write_text(content("one"), encoding="utf-8")
    binary = tmp_path / "Binary-Doc.json"
    binary.write_bytes(b"\xff\xfe\x00")
    return [
        (["no-such-runbook"], "no-such-runbook: no such file, and no runbook of that name"),
        ([str(tmp_path / "missing.yaml")], "missing.yaml: no such file"),
        ([str(binary)], "Binary-Doc.json: not UTF-8 text"),
        ([str(fine), "--name", "aws-mine"], "prefix AWS reserves"),
        ([str(fine), "--name", "no spaces"], "must match"),
        ([str(fine), "--version-name", "v 1"], "version name 'v 1'"),
        ([str(fine), "--tag", "novalue"], "KEY=VALUE"),
        ([str(fine), "--share-with", "12345"], "12-digit"),
        ([str(big)], "AWS accepts at most 65536"),
    ]


def test_bad_input_exits_2_with_one_line_and_no_call(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_client(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an AWS client was created for bad input")

    monkeypatch.setattr("toolkit.publish.session_clients", no_client)
    for argv, expected in _bad_inputs(tmp_path):
        assert cli.main(["publish", *argv, "--region", "us-east-1"]) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("runbook: ") and expected in lines[0], (argv, lines)


def test_python_api_refuses_bad_documents_before_any_call() -> None:
    with pytest.raises(PublishError, match="must match"):
        publish([LocalDocument("x", content("one"), "YAML", "test")], {"us-east-1": object()})
    with pytest.raises(PublishError, match="version name"):
        publish([doc("one")], {"us-east-1": object()}, PublishOptions(version_name="a/b"))
    assert load_document("cloudtrail-remediation-action").name == "cloudtrail-remediation-action"
