"""One owner per service for a whole simulation: the faithful fakes for the services they own, moto in-process for
every other, whoever calls (an action step, a script's boto3 client, a world file's seeding ``Calls``); and worlds
that never share moto's state, in sequence or in threads."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from toolkit.fakes.backend import SERVICES
from toolkit.fakes.world import World, WorldError
from toolkit.simulate import simulate

REPO = Path(__file__).resolve().parents[2]

STEP_THEN_SCRIPT = {
    "schemaVersion": "0.3",
    "parameters": {"Queue": {"type": "String"}},
    "mainSteps": [
        {
            "name": "Make",
            "action": "aws:executeAwsApi",
            "inputs": {"Service": "sqs", "Api": "CreateQueue", "QueueName": "{{ Queue }}"},
            "outputs": [{"Name": "Url", "Selector": "$.QueueUrl", "Type": "String"}],
        },
        {
            "name": "Read",
            "action": "aws:executeScript",
            "inputs": {
                "Runtime": "python3.11",
                "Handler": "handler",
                "Script": "import boto3\n\ndef handler(events, context):\n"
                "    return {'urls': boto3.client('sqs').list_queues().get('QueueUrls', [])}\n",
            },
            "outputs": [{"Name": "Urls", "Selector": "$.Payload.urls", "Type": "StringList"}],
        },
    ],
}


def queue_urls(world: World) -> list[str]:
    urls = world.backend().call("sqs", "ListQueues", {}).get("QueueUrls", [])
    return sorted(str(url) for url in urls)


def test_the_fakes_own_the_pattern_s_services_and_moto_every_other() -> None:
    assert {"cloudtrail", "s3", "kms", "sns", "logs", "iam", "sts", "organizations"} <= set(SERVICES)
    assert "sqs" not in SERVICES and "ec2" not in SERVICES


def test_a_script_sees_what_a_step_created_in_a_moto_service() -> None:
    result = simulate(STEP_THEN_SCRIPT, {"Queue": "work"}, World.default())
    assert result.status == "Success", result.steps
    assert result.step_outputs["Read.Urls"] == [result.step_outputs["Make.Url"]]
    assert result.step_outputs["Make.Url"].endswith("/123456789012/work")


def test_a_script_sees_what_a_step_created_in_an_owned_service() -> None:
    doc = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Make",
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "cloudtrail",
                    "Api": "CreateTrail",
                    "Name": "made-here",
                    "S3BucketName": "trail-logs-123456789012",
                },
            },
            {
                "name": "Read",
                "action": "aws:executeScript",
                "inputs": {
                    "Runtime": "python3.11",
                    "Handler": "handler",
                    "Script": "import boto3\n\ndef handler(events, context):\n"
                    "    trails = boto3.client('cloudtrail').describe_trails()['trailList']\n"
                    "    return {'names': sorted(trail['Name'] for trail in trails)}\n",
                },
                "outputs": [{"Name": "Names", "Selector": "$.Payload.names", "Type": "StringList"}],
            },
        ],
    }
    result = simulate(doc, {}, World.default())
    assert result.status == "Success", result.steps
    assert "made-here" in result.step_outputs["Read.Names"]


def test_the_world_passed_in_keeps_its_moto_state_and_the_result_holds_the_new_one() -> None:
    world = World.default()
    first = simulate(STEP_THEN_SCRIPT, {"Queue": "one"}, world)
    assert first.world is not None
    second = simulate(STEP_THEN_SCRIPT, {"Queue": "two"}, first.world)
    assert queue_urls(world) == []
    assert [url.rsplit("/", 1)[1] for url in queue_urls(first.world)] == ["one"]
    assert second.world is not None
    assert [url.rsplit("/", 1)[1] for url in queue_urls(second.world)] == ["one", "two"]
    assert [url.rsplit("/", 1)[1] for url in second.step_outputs["Read.Urls"]] == ["one", "two"]


def test_copies_of_a_world_never_see_each_other_s_moto_state() -> None:
    base = World.default()
    base.backend().call("sqs", "CreateQueue", {"QueueName": "common"})
    left, right = base.copy(), base.copy()
    left.backend().call("sqs", "CreateQueue", {"QueueName": "left"})
    right.backend().call("sqs", "CreateQueue", {"QueueName": "right"})
    names = {name: [url.rsplit("/", 1)[1] for url in queue_urls(world)] for name, world in
             (("base", base), ("left", left), ("right", right))}  # fmt: skip
    assert names == {"base": ["common"], "left": ["common", "left"], "right": ["common", "right"]}


def test_moto_s_ids_are_the_same_when_a_world_s_state_is_rebuilt() -> None:
    world = World.default()
    made = world.backend().call("ec2", "RunInstances", {"ImageId": "ami-12345678", "MinCount": 1, "MaxCount": 1})
    other = World.default()
    other.backend().call("ec2", "RunInstances", {"ImageId": "ami-12345678", "MinCount": 1, "MaxCount": 1})
    # moto now holds the other world's state: reading this world's rebuilds it by replaying its log
    found = world.backend().call("ec2", "DescribeInstances", {})
    ids = [instance["InstanceId"] for reservation in found["Reservations"] for instance in reservation["Instances"]]
    assert ids == [made["Instances"][0]["InstanceId"]]


def test_simulations_in_threads_give_what_they_give_one_after_the_other() -> None:
    names = [f"queue-{index}" for index in range(6)]

    def run(name: str) -> Any:
        result = simulate(STEP_THEN_SCRIPT, {"Queue": name}, World.default())
        return result.status, result.step_outputs

    alone = [run(name) for name in names]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(run, names))
    assert together == alone
    assert all(status == "Success" and len(outputs["Read.Urls"]) == 1 for status, outputs in together)


# -- seeding a world with calls -----------------------------------------------------------------------------


def test_a_world_seeded_by_calls_reads_back_to_the_same_world(tmp_path: Path) -> None:
    data = World.default().to_dict()  # its bucket lets CloudTrail write
    data["Calls"] = [
        {"Service": "sqs", "Api": "CreateQueue", "Params": {"QueueName": "seeded"}},
        {
            "Service": "cloudtrail",
            "Api": "CreateTrail",
            "Params": {"Name": "seeded", "S3BucketName": data["Buckets"][0]["Name"]},
        },
    ]
    world = World.from_dict(data)
    assert "seeded" in [trail.name for trail in world.trails.values()]  # an owned service: the fakes' state
    assert [url.rsplit("/", 1)[1] for url in queue_urls(world)] == ["seeded"]
    data = world.to_dict()
    assert data["Calls"] == [
        {"Service": "sqs", "Api": "CreateQueue", "Params": {"QueueName": "seeded"}, "Region": "us-east-1",
         "Account": "123456789012"},
    ]  # fmt: skip
    target = tmp_path / "world.json"
    world.dump(target)
    again = World.load(target)
    assert again.to_dict() == data
    assert queue_urls(again) == queue_urls(world)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"Service": "nosuch", "Api": "Do"}, "Calls[1]: unknown service 'nosuch'"),
        ({"Service": "sqs", "Api": "Fly"}, "Calls[1]: sqs has no operation 'Fly'"),
        ({"Service": "sqs", "Api": "CreateQueue", "Params": {"Name": "q"}}, "Calls[1]: sqs CreateQueue: Name is not"),
        ({"Service": "sqs", "Api": "CreateQueue"}, "Calls[1]: sqs CreateQueue: missing required parameter QueueName"),
        (
            {"Service": "sqs", "Api": "DeleteQueue", "Params": {"QueueUrl": "nope"}},
            "Calls[1]: sqs DeleteQueue failed: AWS.SimpleQueueService.NonExistentQueue",
        ),
        (
            {"Service": "cloudtrail", "Api": "StartLogging", "Params": {"Name": "absent"}},
            "Calls[1]: cloudtrail StartLogging failed: TrailNotFoundException",
        ),
        (
            {"Service": "sqs", "Api": "ListQueues", "Account": "111122223333"},
            "Account 111122223333 is not an account of this world",
        ),
    ],
)
def test_a_seeding_call_that_cannot_run_is_an_error_naming_it(call: dict[str, Any], message: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict({"Calls": [{"Service": "sqs", "Api": "CreateQueue", "Params": {"QueueName": "ok"}}, call]})
    assert message in str(caught.value)
    assert caught.value.path[:2] == ("Calls", 1)


def test_the_cli_reports_a_bad_seeding_call_on_one_line_with_exit_2(tmp_path: Path) -> None:
    world = tmp_path / "world.yaml"
    world.write_text("Calls:\n  - {Service: sqs, Api: DeleteQueue, Params: {QueueUrl: nope}}\n", encoding="utf-8")
    doc = tmp_path / "doc.yaml"
    doc.write_text(json.dumps({"schemaVersion": "0.3", "mainSteps": [{"name": "S", "action": "aws:sleep",
                                                                        "inputs": {"Duration": "PT1S"}}]}))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", str(doc), "--world", str(world)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "world.yaml:2:5: Calls[0]: sqs DeleteQueue failed: AWS.SimpleQueueService.NonExistentQueue" in done.stderr


def test_the_moto_option_is_a_no_op_that_says_so(tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(STEP_THEN_SCRIPT), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "simulate", str(doc), "--param", "Queue=q", "--moto"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "runbook: --moto is deprecated and has no effect: moto answers what the fakes do not own"
    ]


def test_simulating_the_cloudtrail_runbook_never_imports_moto() -> None:
    code = textwrap.dedent(
        """
        import sys
        from toolkit.simulate import simulate
        params = {"CloudTrailName": "main", "CloudTrailS3BucketName": "trail-logs-123456789012",
                  "CloudTrailKmsKeyId": "alias/cloudtrail"}
        result = simulate("cloudtrail-remediation-action", params)
        assert result.status == "Success", result.status
        print(sorted(name for name in sys.modules if name == "moto" or name.startswith("moto.")))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- more accounts ------------------------------------------------------------------------------------------


MEMBER = "444455556666"


def test_a_world_may_hold_more_accounts_each_with_its_own_resources_and_calls(tmp_path: Path) -> None:
    world = World.from_dict(
        {
            "Buckets": [{"Name": "own-bucket"}],
            "Accounts": {
                MEMBER: {
                    "Buckets": [{"Name": "member-bucket"}],
                    "Calls": [{"Service": "sqs", "Api": "CreateQueue", "Params": {"QueueName": "member-queue"}}],
                }
            },
            "Calls": [{"Service": "sqs", "Api": "CreateQueue", "Params": {"QueueName": "own-queue"}}],
        }
    )
    member = world.accounts[MEMBER]
    assert sorted(world.buckets) == ["own-bucket"] and sorted(member.buckets) == ["member-bucket"]
    assert [url.rsplit("/", 2)[1:] for url in queue_urls(world)] == [["123456789012", "own-queue"]]
    elsewhere = world.backend().elsewhere(MEMBER, "us-east-1")
    assert elsewhere is not None
    urls = elsewhere.call("sqs", "ListQueues", {})["QueueUrls"]
    assert [url.rsplit("/", 2)[1:] for url in urls] == [[MEMBER, "member-queue"]]
    assert world.backend().elsewhere("999999999999", "us-east-1") is None
    data = world.to_dict()
    assert list(data["Accounts"]) == [MEMBER] and data["Accounts"][MEMBER]["Buckets"][0]["Name"] == "member-bucket"
    assert [(call["Account"], call["Params"]["QueueName"]) for call in data["Calls"]] == [
        ("123456789012", "own-queue"),
        (MEMBER, "member-queue"),
    ]
    target = tmp_path / "world.yaml"
    world.dump(target)
    assert World.load(target).to_dict() == data


def test_copies_of_a_world_copy_its_accounts() -> None:
    world = World.from_dict({"Accounts": {MEMBER: {}}})
    twin = world.copy()
    assert twin.accounts[MEMBER] is not world.accounts[MEMBER] and twin.accounts[MEMBER].root is twin
    in_twin, in_world = twin.backend().elsewhere(MEMBER, "eu-west-1"), world.backend().elsewhere(MEMBER, "eu-west-1")
    assert in_twin is not None and in_world is not None
    in_twin.call("sqs", "CreateQueue", {"QueueName": "twin-only"})
    assert in_world.call("sqs", "ListQueues", {}).get("QueueUrls", []) == []
    assert len(in_twin.call("sqs", "ListQueues", {})["QueueUrls"]) == 1


@pytest.mark.parametrize(
    ("accounts", "message"),
    [
        ({"12": {}}, "12 must be a 12-digit account id"),
        ({"123456789012": {}}, "123456789012 must be a 12-digit account id other than the world's own"),
        ({MEMBER: {"Account": "x"}}, "unknown key Accounts.444455556666.Account"),
        ([MEMBER], "Accounts must be a mapping"),
    ],
)
def test_bad_accounts_are_errors_naming_them(accounts: Any, message: str) -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict({"Accounts": accounts})
    assert message in str(caught.value)


def test_a_member_account_s_failing_seed_call_names_its_place() -> None:
    with pytest.raises(WorldError) as caught:
        World.from_dict(
            {"Accounts": {MEMBER: {"Calls": [{"Service": "sqs", "Api": "DeleteQueue", "Params": {"QueueUrl": "x"}}]}}}
        )
    assert str(caught.value).startswith("Accounts.444455556666.Calls[0]: sqs DeleteQueue failed:")
