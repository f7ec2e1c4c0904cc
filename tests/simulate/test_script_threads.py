"""Simulations with aws:executeScript steps in several threads at once give what they give one after the other,
and a script run leaves nothing behind in the process or in the next run."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

import pytest

from toolkit.fakes.world import World
from toolkit.simulate import Options, simulate
from toolkit.simulate.boto_models import ServiceModels
from toolkit.simulate.clock import Clock
from toolkit.simulate.script import run_script

AUDIT = """
import os, sys, time
import boto3
from botocore.exceptions import ClientError

def handler(events, context):
    print("auditing", events["Name"])
    started, ticks = time.time(), time.monotonic()
    cloudtrail = boto3.client("cloudtrail")
    trails = cloudtrail.describe_trails()["trailList"]
    time.sleep(30)
    try:
        cloudtrail.get_trail(Name="missing")
    except ClientError as err:
        missing = err.response["Error"]["Code"]
    account = boto3.client("sts").get_caller_identity()["Account"]
    total = sum(index * index for index in range(2000))
    print("found", len(trails), file=sys.stderr)
    return {
        "Slept": [time.time() - started, time.monotonic() - ticks],
        "Trails": sorted(trail["Name"] for trail in trails),
        "Missing": missing,
        "Account": account,
        "Region": [os.environ["AWS_REGION"], boto3.session.Session().region_name],
        "Tag": os.environ.get("SCRIPT_TAG"),
        "Total": total,
        "Output": sys.stdout.getvalue(),
        "Context": [context["automation:EXECUTION_ID"], context["global:DATE_TIME"]],
    }
"""

LOGGING = """
import os, time
import boto3

def handler(events, context):
    os.environ["SCRIPT_TAG"] = "logging"
    cloudtrail = boto3.client("cloudtrail")
    cloudtrail.stop_logging(Name=events["Name"])
    print("stopped")
    for _ in range(3):
        time.sleep(7)
        print("waited", time.time())
    buckets = [bucket["Name"] for bucket in boto3.client("s3").list_buckets()["Buckets"]]
    cloudtrail.start_logging(Name=events["Name"])
    status = cloudtrail.get_trail_status(Name=events["Name"])
    print("buckets", buckets)
    return {"Logging": status["IsLogging"], "Buckets": buckets, "Tag": os.getenv("SCRIPT_TAG"),
            "Output": __import__("sys").stdout.getvalue(), "Now": time.time()}
"""


def document(name: str, code: str, sleep_before: int) -> dict[str, Any]:
    return {
        "schemaVersion": "0.3",
        "description": name,
        "parameters": {"TrailName": {"type": "String", "default": "main"}},
        "outputs": ["Run.Result"],
        "mainSteps": [
            {"name": "Wait", "action": "aws:sleep", "inputs": {"Duration": f"PT{sleep_before}S"}},
            {
                "name": "Run",
                "action": "aws:executeScript",
                "inputs": {
                    "Runtime": "python3.11",
                    "Handler": "handler",
                    "Script": code,
                    "InputPayload": {"Name": "{{ TrailName }}"},
                },
                "outputs": [{"Name": "Result", "Selector": "$.Payload", "Type": "StringMap"}],
            },
        ],
    }


DOCUMENTS = {"audit": document("audit", AUDIT, 5), "logging": document("logging", LOGGING, 11)}


def outcome(name: str) -> str:
    """Everything a simulation gives, as bytes: status, steps, outputs, calls and the world after it."""
    result = simulate(DOCUMENTS[name], {}, World.default(), options=Options(cpu_seconds=30.0))
    assert result.world is not None
    return result.to_json() + json.dumps(result.world.to_dict(), sort_keys=True, default=str)


def test_each_document_succeeds_on_its_own() -> None:
    audit = json.loads(outcome("audit").split("\n}\n")[0] + "\n}")
    assert audit["status"] == "Success", audit
    result = audit["outputs"]["Run.Result"]
    assert result["Slept"] == [30.0, 30.0]
    assert result["Missing"] == "TrailNotFoundException"
    assert result["Region"] == ["us-east-1", "us-east-1"]
    assert result["Tag"] is None
    assert result["Output"] == "auditing main\nfound 1\n"
    logging = json.loads(outcome("logging").split("\n}\n")[0] + "\n}")
    assert logging["status"] == "Success", logging
    assert logging["outputs"]["Run.Result"]["Tag"] == "logging"
    assert logging["outputs"]["Run.Result"]["Logging"] is True


def test_simulations_in_threads_give_what_they_give_one_after_the_other() -> None:
    sequential = {name: outcome(name) for name in DOCUMENTS}
    rounds = 12
    names = list(DOCUMENTS) * 2
    barrier = threading.Barrier(len(names))
    found: dict[int, list[str]] = {index: [] for index in range(len(names))}
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            for _ in range(rounds):
                barrier.wait(timeout=60)
                found[index].append(outcome(names[index]))
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(names))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    for index, name in enumerate(names):
        assert len(found[index]) == rounds
        for text in found[index]:
            assert text == sequential[name]


def test_a_runaway_in_one_thread_does_not_stop_a_script_in_another() -> None:
    results: dict[str, Any] = {}
    barrier = threading.Barrier(2)

    def runaway() -> None:
        barrier.wait(timeout=30)
        try:
            run_script(**_arguments("def handler(e, c):\n    while True:\n        pass\n", cpu_seconds=0.3))
        except Exception as err:
            results["runaway"] = type(err).__name__

    def busy_but_within_budget() -> None:
        barrier.wait(timeout=30)
        code = "def handler(e, c):\n    return sum(i for i in range(300000))\n"
        results["busy"] = run_script(**_arguments(code, cpu_seconds=20.0))

    threads = [threading.Thread(target=runaway), threading.Thread(target=busy_but_within_budget)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == {"runaway": "ScriptTimeout", "busy": sum(range(300000))}


MODELS = ServiceModels()


def _arguments(code: str, **options: Any) -> dict[str, Any]:
    world = World.default().copy()
    arguments: dict[str, Any] = {
        "code": code,
        "handler": "handler",
        "payload": {},
        "call": world.backend().call,
        "clock": Clock(),
        "timeout_seconds": 600,
        "region": "us-east-1",
        "account": "123456789012",
        "partition": "aws",
        "execution_id": "e",
        "models": MODELS,
    }
    arguments.update(options)
    return arguments


def _process_state() -> dict[str, Any]:
    import boto3
    import botocore.client

    return {
        "env": dict(os.environ),
        "time": (time.sleep, time.time, time.monotonic),
        "make_api_call": botocore.client.BaseClient.__dict__["_make_api_call"],
        "default_session": boto3.DEFAULT_SESSION,
        "stdout": (sys.stdout, sys.stderr),
        "trace": sys.gettrace(),
        "modules": set(sys.modules) - {name for name in sys.modules if name.startswith(("boto", "s3transfer"))},
    }


def test_nothing_global_changes_while_or_after_a_script_runs() -> None:
    import boto3

    outcome("audit")  # imports done
    before = _process_state()
    seen: list[dict[str, Any]] = []

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        seen.append(_process_state())  # inside the script, as it calls AWS
        return {"trailList": []}

    code = """
import os, time, boto3
def handler(e, c):
    os.environ["AWS_REGION"] = "eu-west-1"
    print("hidden")
    boto3.setup_default_session(region_name="us-east-1")
    time.sleep(100)
    return boto3.client("cloudtrail").describe_trails()["trailList"]
"""
    assert run_script(**_arguments(code, call=call)) == []
    assert seen == [before]
    assert _process_state() == before
    assert boto3.DEFAULT_SESSION is before["default_session"]


def test_a_handler_a_script_registers_on_its_client_does_not_reach_the_next_run() -> None:
    code = """
import boto3, builtins
def handler(e, c):
    client = boto3.client("cloudtrail")
    if e.get("Register"):
        def poison(params, **kwargs):
            params["Name"] = "poisoned"
        client.meta.events.register("provide-client-params.cloudtrail.GetTrail", poison)
    try:
        return client.get_trail(Name="main")["Trail"]["Name"]
    except client.exceptions.TrailNotFoundException as err:
        return err.response["Error"]["Message"]
"""
    first = run_script(**_arguments(code, payload={"Register": True}))
    assert "poisoned" in first
    assert run_script(**_arguments(code)) == "main"


def test_a_client_kept_beyond_its_run_refuses_to_call() -> None:
    code = "import boto3, sys\ndef handler(e, c):\n    sys.modules['kept_client'] = boto3.client('cloudtrail')\n"
    try:
        run_script(**_arguments(code))
        kept: Any = sys.modules["kept_client"]
        with pytest.raises(Exception, match="after its simulated script ended"):
            kept.describe_trails()
    finally:
        sys.modules.pop("kept_client", None)
