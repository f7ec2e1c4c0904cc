"""aws:executeScript in-process: the handler runs for real, boto3 talks to a fake ``call``, time is simulated."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.simulate import boto as boto_bridge
from toolkit.simulate.boto_models import ServiceModels
from toolkit.simulate.clock import Clock
from toolkit.simulate.script import MODULE_NAME, ScriptFailure, ScriptTimeout, run_script, run_script_with_output

SCRIPTS = Path(__file__).resolve().parents[2] / "runbooks" / "cloudtrail_remediation_action_scripts"
ACCOUNT = "123456789012"
REGION = "us-east-1"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MODELS = ServiceModels()


class FakeAws:
    """A dict-backed stand-in for the fake world: just enough CloudTrail and KMS, errors as AwsError."""

    def __init__(self, trails: list[dict[str, Any]] | None = None) -> None:
        self.trails = {trail["Name"]: trail for trail in trails or []}
        self.selectors: dict[str, dict[str, Any]] = {}
        self.insights: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((service, operation, params))
        handler = getattr(self, f"{service}_{operation}", None)
        if handler is None:
            raise NotModeled(service, operation)
        result: dict[str, Any] = handler(params)
        return result

    def _trail(self, name: str) -> dict[str, Any]:
        trail = self.trails.get(name.rsplit("/", 1)[-1])
        if trail is None:
            raise AwsError("TrailNotFoundException", f"Unknown trail: {name} for the user: {ACCOUNT}")
        return trail

    def cloudtrail_CreateTrail(self, params: dict[str, Any]) -> dict[str, Any]:
        if params["Name"] in self.trails:
            raise AwsError(
                "TrailAlreadyExistsException", f"Trail {params['Name']} already exists for customer: {ACCOUNT}"
            )
        trail = {
            "Name": params["Name"],
            "S3BucketName": params["S3BucketName"],
            "TrailARN": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{params['Name']}",
            "HomeRegion": REGION,
            "IsMultiRegionTrail": params.get("IsMultiRegionTrail", False),
            "IncludeGlobalServiceEvents": params.get("IncludeGlobalServiceEvents", True),
            "LogFileValidationEnabled": params.get("EnableLogFileValidation", False),
            "IsOrganizationTrail": params.get("IsOrganizationTrail", False),
        }
        if "KmsKeyId" in params:
            trail["KmsKeyId"] = params["KmsKeyId"]
        self.trails[params["Name"]] = trail
        return {key: value for key, value in trail.items() if key != "HomeRegion"}

    def cloudtrail_UpdateTrail(self, params: dict[str, Any]) -> dict[str, Any]:
        trail = self._trail(params["Name"])
        renames = {"EnableLogFileValidation": "LogFileValidationEnabled"}
        trail.update({renames.get(key, key): value for key, value in params.items() if key != "Name"})
        return {key: value for key, value in trail.items() if key != "HomeRegion"}

    def cloudtrail_GetTrail(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"Trail": dict(self._trail(params["Name"]))}

    def cloudtrail_DescribeTrails(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"trailList": [dict(trail) for trail in self.trails.values()]}

    def cloudtrail_GetTrailStatus(self, params: dict[str, Any]) -> dict[str, Any]:
        self._trail(params["Name"])
        return {"IsLogging": True, "LatestDeliveryTime": "2026-01-01T00:05:00Z", "StartLoggingTime": 1767225600}

    def cloudtrail_GetEventSelectors(self, params: dict[str, Any]) -> dict[str, Any]:
        trail = self._trail(params["TrailName"])
        stored = self.selectors.get(trail["Name"], {"EventSelectors": [{"ReadWriteType": "All"}]})
        return {"TrailARN": trail["TrailARN"], **stored}

    def cloudtrail_PutEventSelectors(self, params: dict[str, Any]) -> dict[str, Any]:
        trail = self._trail(params["TrailName"])
        self.selectors[trail["Name"]] = {key: value for key, value in params.items() if key != "TrailName"}
        return {"TrailARN": trail["TrailARN"], **self.selectors[trail["Name"]]}

    def cloudtrail_GetInsightSelectors(self, params: dict[str, Any]) -> dict[str, Any]:
        trail = self._trail(params["TrailName"])
        if not self.insights.get(trail["Name"]):
            raise AwsError("InsightNotEnabledException", f"Trail {trail['TrailARN']} does not have Insights enabled.")
        return {"TrailARN": trail["TrailARN"], "InsightSelectors": self.insights[trail["Name"]]}

    def kms_DescribeKey(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"KeyMetadata": {"KeyId": KEY_ARN.rsplit("/", 1)[-1], "Arn": KEY_ARN, "AWSAccountId": ACCOUNT}}

    def s3_GetBucketLocation(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("ExpectedBucketOwner", ACCOUNT) != ACCOUNT:
            raise AwsError("AccessDenied", "Access Denied", status=403)
        return {"LocationConstraint": None}


def run(code: str, payload: dict[str, Any] | None = None, **options: Any) -> Any:
    arguments: dict[str, Any] = {
        "code": textwrap.dedent(code),
        "handler": "handler",
        "payload": payload or {},
        "call": FakeAws().call,
        "clock": Clock(),
        "timeout_seconds": 600,
        "region": REGION,
        "account": ACCOUNT,
        "partition": "aws",
        "execution_id": "0a1b2c3d-1111-2222-3333-444455556666",
        "models": MODELS,
    }
    arguments.update(options)
    return run_script(**arguments)


def failure(code: str, **options: Any) -> ScriptFailure:
    with pytest.raises(ScriptFailure) as caught:
        run(code, **options)
    return caught.value


# -- the handler, its events and context, its Payload ---------------------------------------------------------


def test_happy_path_returns_the_payload_as_json() -> None:
    code = """
        def handler(events, context):
            return {"Greeting": "hello " + events["Name"], "Pair": (1, 2), "Context": context}
    """
    clock = Clock()
    clock.advance(3723)
    payload = run(code, {"Name": "trail"}, clock=clock)
    assert payload == {
        "Greeting": "hello trail",
        "Pair": [1, 2],
        "Context": {
            "automation:EXECUTION_ID": "0a1b2c3d-1111-2222-3333-444455556666",
            "global:ACCOUNT_ID": ACCOUNT,
            "global:REGION": REGION,
            "global:AWS_PARTITION": "aws",
            "global:DATE": "2026-01-01",
            "global:DATE_TIME": "2026-01-01_01.02.03",
        },
    }


def test_the_handler_cannot_change_the_callers_payload() -> None:
    payload = {"Items": [1]}
    run("def handler(events, context):\n    events['Items'].append(2)\n", payload)
    assert payload == {"Items": [1]}


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=10,
    )
)
def test_any_json_value_comes_back_unchanged(value: Any) -> None:
    assert run("def handler(events, context):\n    return events['Value']\n", {"Value": value}) == value


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import datetime\ndef handler(e, c):\n    return datetime.datetime(2026, 1, 1)\n", "is not JSON: TypeError"),
        ("def handler(e, c):\n    return {'x': float('nan')}\n", "is not JSON: ValueError"),
        ("def handler(e, c):\n    return 'x' * 200000\n", "over the 102400-byte limit"),
        ("def handle(e, c):\n    return 1\n", "Handler 'handler' is not defined in the script"),
        ("handler = 3\n", "Handler 'handler' is not a function"),
        ("def handler(e, c)\n    return 1\n", "SyntaxError: expected ':' (line 1)"),
        ("def handler(e):\n    return 1\n", "TypeError: handler() takes 1 positional argument but 2 were given"),
        ("def handler(e, c):\n    return handler(e, c)\n", "RecursionError: maximum recursion depth exceeded"),
        ("import sys\ndef handler(e, c):\n    sys.exit(3)\n", "SystemExit: 3"),
        ("raise ValueError('at import')\n", "ValueError: at import"),
        ("def handler(e, c):\n    raise KeyError('TrailName')\n", "KeyError: 'TrailName'"),
    ],
)
def test_failures_have_one_clear_line(code: str, message: str) -> None:
    err = failure(code)
    assert message in err.message
    assert "\n" not in err.message


def test_attachment_handlers_cannot_be_simulated() -> None:
    err = failure("def handler(e, c):\n    return 1\n", handler="remediate.handler")
    assert "attachment" in err.message and "remediate.handler" in err.message


def test_output_is_captured_and_kept_on_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code = """
        import sys
        def handler(events, context):
            print("checking the trail")
            print("warning: odd", file=sys.stderr)
            raise ValueError("Trail does not meet the requested settings")
    """
    err = failure(code)
    assert err.message == "ValueError: Trail does not meet the requested settings"
    assert err.output == "checking the trail\nwarning: odd\n"
    assert capsys.readouterr() == ("", "")


def test_output_of_a_successful_script() -> None:
    payload, output = run_script_with_output(
        code="def handler(e, c):\n    print('done')\n    return 1\n",
        handler="handler",
        payload={},
        call=FakeAws().call,
        clock=Clock(),
        timeout_seconds=10,
        region=REGION,
        account=ACCOUNT,
        partition="aws",
        execution_id="e",
    )
    assert (payload, output) == (1, "done\n")


# -- boto3 against the fake world -----------------------------------------------------------------------------


def test_boto3_cloudtrail_create_then_get() -> None:
    fake = FakeAws()
    code = """
        import boto3
        def handler(events, context):
            cloudtrail = boto3.client("cloudtrail")
            created = cloudtrail.create_trail(Name=events["Name"], S3BucketName="logs", IsMultiRegionTrail=True)
            trail = cloudtrail.get_trail(Name=events["Name"])["Trail"]
            return {"Arn": created["TrailARN"], "MultiRegion": trail["IsMultiRegionTrail"],
                    "Status": created["ResponseMetadata"]["HTTPStatusCode"]}
    """
    assert run(code, {"Name": "main"}, call=fake.call) == {
        "Arn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/main",
        "MultiRegion": True,
        "Status": 200,
    }
    assert [(service, operation) for service, operation, _ in fake.calls] == [
        ("cloudtrail", "CreateTrail"),
        ("cloudtrail", "GetTrail"),
    ]
    assert fake.calls[0][2] == {"Name": "main", "S3BucketName": "logs", "IsMultiRegionTrail": True}


def test_modeled_exceptions_are_catchable_by_class() -> None:
    code = """
        import boto3
        from botocore.exceptions import ClientError
        def handler(events, context):
            cloudtrail = boto3.client("cloudtrail")
            try:
                cloudtrail.get_trail(Name="missing")
            except cloudtrail.exceptions.TrailNotFoundException as err:
                caught = [type(err).__name__, isinstance(err, ClientError), err.response["Error"]["Code"],
                          err.response["ResponseMetadata"]["HTTPStatusCode"], err.operation_name]
            return caught
    """
    assert run(code) == ["TrailNotFoundException", True, "TrailNotFoundException", 400, "GetTrail"]


def test_an_uncaught_aws_error_fails_with_ssms_line() -> None:
    err = failure("import boto3\ndef handler(e, c):\n    boto3.client('cloudtrail').get_trail(Name='missing')\n")
    assert err.message == (
        "TrailNotFoundException: An error occurred (TrailNotFoundException) when calling the GetTrail operation: "
        f"Unknown trail: missing for the user: {ACCOUNT}"
    )


def test_bad_parameters_raise_botocores_param_validation_error_without_a_call() -> None:
    fake = FakeAws()
    code = """
        import boto3
        from botocore.exceptions import ParamValidationError
        def handler(events, context):
            cloudtrail = boto3.client("cloudtrail")
            try:
                cloudtrail.create_trail(Name="main", S3BucketName=7)
            except ParamValidationError as err:
                return str(err)
    """
    message = run(code, call=fake.call)
    assert message.startswith("Parameter validation failed:")
    assert "Invalid type for parameter S3BucketName" in message
    assert fake.calls == []
    err = failure("import boto3\ndef handler(e, c):\n    boto3.client('cloudtrail').get_trail(Nme='x')\n")
    assert err.message.startswith("ParamValidationError: Parameter validation failed: Missing required parameter")


def test_timestamps_come_back_as_datetimes_as_boto3_gives_them() -> None:
    code = """
        import boto3
        def handler(events, context):
            status = boto3.client("cloudtrail").get_trail_status(Name="main")
            return [type(status["LatestDeliveryTime"]).__name__, status["LatestDeliveryTime"].isoformat(),
                    status["StartLoggingTime"].timestamp(), status["IsLogging"]]
    """
    fake = FakeAws([{"Name": "main"}])
    assert run(code, call=fake.call) == ["datetime", "2026-01-01T00:05:00+00:00", 1767225600.0, True]


def test_requests_reach_call_as_json_and_blobs_come_back_as_bytes_even_in_recursive_shapes() -> None:
    seen: list[dict[str, Any]] = []
    blob = base64.b64encode(b"\x00\x01").decode()

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        seen.append(params)
        return {"Item": {"a": {"B": blob}, "m": {"M": {"l": {"L": [{"B": blob}, {"S": "text"}]}}}}}

    code = """
        import boto3
        from datetime import datetime, timezone
        def handler(events, context):
            item = boto3.client("dynamodb").get_item(TableName="t", Key={"k": {"B": b"key"}})["Item"]
            boto3.client("cloudtrail").lookup_events(StartTime=datetime(2026, 1, 1, tzinfo=timezone.utc))
            return [repr(item["a"]["B"]), repr(item["m"]["M"]["l"]["L"][0]["B"]), item["m"]["M"]["l"]["L"][1]]
    """
    assert run(code, call=call) == ["b'\\x00\\x01'", "b'\\x00\\x01'", {"S": "text"}]
    assert seen == [
        {"TableName": "t", "Key": {"k": {"B": base64.b64encode(b"key").decode()}}},
        {"StartTime": "2026-01-01T00:00:00Z"},
    ]


def test_paginators_page_through_the_fake() -> None:
    pages: dict[str | None, dict[str, Any]] = {
        None: {"Trails": [{"Name": "a"}], "NextToken": "2"},
        "2": {"Trails": [{"Name": "b"}]},
    }

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return pages[params.get("NextToken")]

    code = """
        import boto3
        def handler(events, context):
            paginator = boto3.client("cloudtrail").get_paginator("list_trails")
            return [trail["Name"] for page in paginator.paginate() for trail in page["Trails"]]
    """
    assert run(code, call=call) == ["a", "b"]


def test_every_way_of_making_a_client_reaches_the_fake() -> None:
    fake = FakeAws([{"Name": "main"}])
    code = """
        import boto3, botocore.session
        def handler(events, context):
            clients = [
                boto3.client("cloudtrail"),
                boto3.Session().client("cloudtrail"),
                boto3.Session(region_name="us-east-1").client("cloudtrail", endpoint_url="http://127.0.0.1:9"),
                botocore.session.get_session().create_client("cloudtrail"),
            ]
            return [client.get_trail(Name="main")["Trail"]["Name"] for client in clients]
    """
    assert run(code, call=fake.call) == ["main"] * 4
    assert len(fake.calls) == 4


def test_the_script_sees_the_executions_region_and_fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "someone-elses-profile")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    code = """
        import os, boto3
        def handler(events, context):
            session = boto3.Session()
            return [os.environ["AWS_REGION"], session.region_name, "AWS_PROFILE" in os.environ,
                    session.get_credentials().access_key.startswith("ASIA")]
    """
    assert run(code, region="eu-west-1") == ["eu-west-1", "eu-west-1", False, True]


def test_an_operation_the_world_does_not_model_stops_the_script_even_if_caught() -> None:
    code = """
        import boto3
        def handler(events, context):
            try:
                boto3.client("cloudtrail").list_trails()
            except BaseException:
                return "swallowed"
    """
    err = failure(code)
    assert not isinstance(err, ScriptTimeout)
    assert "does not model cloudtrail ListTrails" in err.message


def test_a_client_for_another_region_sees_the_world_from_there() -> None:
    """A script's client of another region calls the same world from that region (the call is recorded there)."""
    from toolkit.fakes.world import World
    from toolkit.simulate import simulate

    script = (
        "import boto3\n"
        "def handler(events, context):\n"
        "    far = boto3.client('sqs', region_name='eu-west-1')\n"
        "    far.create_queue(QueueName='far')\n"
        "    here = boto3.client('sqs').list_queues().get('QueueUrls', [])\n"
        "    there = far.list_queues().get('QueueUrls', [])\n"
        "    return {'here': len(here), 'there': [url.split('/')[2] for url in there]}\n"
    )
    doc = {
        "schemaVersion": "0.3",
        "mainSteps": [
            {
                "name": "Far",
                "action": "aws:executeScript",
                "inputs": {"Runtime": "python3.11", "Handler": "handler", "Script": script},
                "outputs": [{"Name": "Seen", "Selector": "$.Payload", "Type": "StringMap"}],
            }
        ],
    }
    result = simulate(doc, {}, World.default())
    assert result.status == "Success", result.steps
    assert result.step_outputs["Far.Seen"] == {"here": 0, "there": ["sqs.eu-west-1.amazonaws.com"]}
    assert [(call.operation, call.region) for call in result.calls] == [
        ("CreateQueue", "eu-west-1"),
        ("ListQueues", None),
        ("ListQueues", "eu-west-1"),
    ]


def test_a_real_http_send_is_refused() -> None:
    code = """
        import botocore.httpsession
        from botocore.awsrequest import AWSRequest
        def handler(events, context):
            request = AWSRequest(method="GET", url="https://cloudtrail.us-east-1.amazonaws.com/").prepare()
            try:
                botocore.httpsession.URLLib3Session().send(request)
            except Exception as err:
                return [type(err).__name__, str(err)]
    """
    name, message = run(code)
    assert name == boto_bridge.NetworkRefused.__name__
    assert "https://cloudtrail.us-east-1.amazonaws.com/" in message


# -- simulated time, timeouts, runaways ------------------------------------------------------------------------


def test_sleep_advances_the_clock_not_real_time() -> None:
    code = """
        import time
        from time import sleep
        def handler(events, context):
            started, monotonic = time.time(), time.monotonic()
            time.sleep(300)
            sleep(0.5)
            return [time.time() - started, time.monotonic() - monotonic]
    """
    clock = Clock()
    assert run(code, clock=clock) == [300.5, 300.5]
    assert clock.now == 300.5


def test_a_botocore_waiter_polls_on_the_simulated_clock() -> None:
    calls: list[str] = []

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        calls.append(operation)
        if len(calls) < 3:
            raise AwsError("ResourceNotFoundException", "not yet")
        return {"Table": {"TableName": "t", "TableStatus": "ACTIVE"}}

    clock = Clock()
    code = """
        import boto3
        def handler(events, context):
            boto3.client("dynamodb").get_waiter("table_exists").wait(TableName="t")
    """
    assert run(code, call=call, clock=clock) is None
    assert calls == ["DescribeTable"] * 3
    assert clock.now == 40  # the waiter's delay is 20 s


def test_sleeping_past_the_timeout_times_out_at_the_deadline() -> None:
    clock = Clock()
    code = """
        import time
        def handler(events, context):
            while True:
                try:
                    time.sleep(45)
                except BaseException:
                    pass  # a stop cannot be swallowed: the next sleep raises it again
    """
    with pytest.raises(ScriptTimeout, match="past its timeout of 100 seconds"):
        run(code, clock=clock, timeout_seconds=100)
    assert clock.now == 100


def test_a_cpu_bound_runaway_is_stopped() -> None:
    code = """
        def handler(events, context):
            while True:
                try:
                    pass
                except Exception:
                    pass
    """
    with pytest.raises(ScriptTimeout, match="runaway"):
        run(code, cpu_seconds=0.2)


def test_a_runaway_off_the_main_thread_is_stopped_and_the_threads_trace_kept() -> None:
    outcome: list[object] = []

    def tracer(frame: Any, event: str, arg: Any) -> None:
        return None

    def target() -> None:
        sys.settrace(tracer)  # a coverage tool's, say: it is given back afterwards
        try:
            run("def handler(e, c):\n    while True:\n        pass\n", cpu_seconds=0.2)
        except ScriptFailure as err:
            outcome.append(err)
        outcome.append(sys.gettrace())
        sys.settrace(None)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(outcome) == 2 and isinstance(outcome[0], ScriptTimeout)
    assert outcome[1] is tracer


def test_someone_elses_alarm_is_given_back() -> None:
    def alarm(signum: int, frame: Any) -> None:
        raise AssertionError("the test's own alarm rang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        run("def handler(e, c):\n    return 1\n")
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert signal.getsignal(signal.SIGALRM) is alarm
        assert 0 < remaining <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- nothing leaks --------------------------------------------------------------------------------------------


def _process_state() -> dict[str, Any]:
    import boto3
    import botocore.client
    import botocore.httpsession
    import botocore.session

    return {
        "env": dict(os.environ),
        "time": (time.sleep, time.time, time.monotonic),
        "make_api_call": botocore.client.BaseClient.__dict__["_make_api_call"],
        "create_client": botocore.session.Session.__dict__["create_client"],
        "send": botocore.httpsession.URLLib3Session.__dict__["send"],
        "default_session": boto3.DEFAULT_SESSION,
        "alarm": signal.getsignal(signal.SIGALRM),
        "timer": signal.getitimer(signal.ITIMER_REAL),
        "stdout": (sys.stdout, sys.stderr),
        "module": MODULE_NAME in sys.modules,
    }


@pytest.mark.parametrize(
    ("code", "options"),
    [
        (
            "import boto3\ndef handler(e, c):\n    return boto3.client('kms').describe_key(KeyId='k')['KeyMetadata']\n",
            {},
        ),
        ("import boto3\ndef handler(e, c):\n    boto3.client('cloudtrail').get_trail(Name='missing')\n", {}),
        ("import boto3, time\ndef handler(e, c):\n    time.sleep(10)\n", {"timeout_seconds": 5}),
        ("import boto3\ndef handler(e, c):\n    while True:\n        pass\n", {"cpu_seconds": 0.1}),
    ],
)
def test_the_process_is_restored_after_a_script(
    code: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    hosts = boto3.Session(region_name="ap-southeast-2", aws_access_key_id="a", aws_secret_access_key="b")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", hosts)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    before = _process_state()
    with contextlib.suppress(ScriptFailure):
        run(code, **options)
    assert _process_state() == before
    assert boto3.DEFAULT_SESSION is hosts


def test_boto3_outside_a_script_is_untouched() -> None:
    import boto3
    from botocore.stub import Stubber

    run("import boto3\ndef handler(e, c):\n    return boto3.client('kms').describe_key(KeyId='k')['KeyMetadata']\n")
    client = boto3.client("cloudtrail", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stub:  # the stub answers from botocore's own before-call hook: the real call path
        stub.add_response("get_trail", {"Trail": {"Name": "outside"}}, {"Name": "outside"})
        assert client.get_trail(Name="outside")["Trail"]["Name"] == "outside"
    assert client.meta.region_name == "eu-west-1"


def test_scripts_nest() -> None:
    """A script may run inside another's AWS call (a child execution's, say): each has its own clock and AWS."""
    inner: list[Any] = []

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        inner.append(run("import boto3, time\ndef handler(e, c):\n    time.sleep(5)\n    return time.time()\n"))
        return {"trailList": []}

    code = "import boto3\ndef handler(e, c):\n    return boto3.client('cloudtrail').describe_trails()['trailList']\n"
    assert run(code, call=call) == []
    assert inner == [Clock().instant().timestamp() + 5]


# -- the runbook's own scripts --------------------------------------------------------------------------------


def events(**overrides: Any) -> dict[str, Any]:
    base = {
        "TrailName": "main",
        "Region": REGION,
        "Account": ACCOUNT,
        "S3BucketName": "trail-logs",
        "KmsKeyId": "alias/cloudtrail",
        "KmsKeyArn": KEY_ARN,
        "IsMultiRegionTrail": True,
        "IsOrganizationTrail": False,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": "true",
        "S3KeyPrefix": "",
        "SnsTopicName": "",
        "CloudWatchLogsLogGroupArn": "",
        "CloudWatchLogsRoleArn": "",
    }
    return {**base, **overrides}


def runbook_script(name: str, fake: FakeAws, payload: dict[str, Any]) -> Any:
    return run((SCRIPTS / name).read_text(encoding="utf-8"), payload, call=fake.call)


def test_upsert_trail_creates_a_missing_trail() -> None:
    fake = FakeAws()
    result = runbook_script("upsert_trail.py", fake, events())
    assert result["Action"] == "created" and result["KmsKeyArn"] == KEY_ARN
    assert [operation for _, operation, _ in fake.calls] == [
        "DescribeTrails",
        "DescribeKey",
        "GetBucketLocation",
        "CreateTrail",
    ]
    assert fake.trails["main"]["LogFileValidationEnabled"] is True


def test_upsert_trail_updates_what_differs() -> None:
    fake = FakeAws()
    runbook_script("upsert_trail.py", fake, events(IsMultiRegionTrail=False))
    result = runbook_script("upsert_trail.py", fake, events())
    assert (result["Action"], result["Changes"]) == ("updated", ["IsMultiRegionTrail"])
    assert fake.trails["main"]["IsMultiRegionTrail"] is True


def test_upsert_trail_refuses_a_trail_homed_elsewhere() -> None:
    fake = FakeAws(
        [{"Name": "main", "HomeRegion": "eu-west-1", "TrailARN": f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/main"}]
    )
    with pytest.raises(ScriptFailure, match="ValueError: Trail main is homed in eu-west-1"):
        runbook_script("upsert_trail.py", fake, events())
    assert [operation for _, operation, _ in fake.calls] == ["DescribeTrails"]


def test_event_selectors_then_verify_trail() -> None:
    fake = FakeAws()
    runbook_script("upsert_trail.py", fake, events())
    fake.selectors["main"] = {"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]}
    assert runbook_script("event_selectors.py", fake, {"TrailName": "main"}) == {"Changed": True}
    assert runbook_script("event_selectors.py", fake, {"TrailName": "main"}) == {"Changed": False}
    with pytest.raises(ScriptFailure, match="Insights missing: ApiCallRateInsight, ApiErrorRateInsight"):
        runbook_script("verify_trail.py", fake, events())
    fake.insights["main"] = [{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]
    assert runbook_script("verify_trail.py", fake, events()) == {"Verified": True}


def test_the_simulated_payload_is_what_json_would_carry() -> None:
    fake = FakeAws()
    result = runbook_script("upsert_trail.py", fake, events())
    assert json.loads(json.dumps(result)) == result
    assert isinstance(datetime.now(), datetime)  # datetime is not patched


# -- what the runaway guard counts -------------------------------------------------------------------------------


def test_importing_a_library_is_not_counted_and_runs_untraced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a module is the simulator's work: its CPU time is not the script's, and nothing traces it."""
    (tmp_path / "traced_at_import.py").write_text(
        "import sys, time\nTRACE = sys.gettrace()\nstarted = time.thread_time()\n"
        "while time.thread_time() - started < 0.3:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "traced_at_import", raising=False)
    code = "def handler(e, c):\n    import traced_at_import\n    return traced_at_import.TRACE is None\n"
    assert run(code, cpu_seconds=0.2) is True


def test_what_a_script_leaves_behind_does_not_keep_the_execution_alive() -> None:
    """A script's functions, globals and fake modules refer to one another: garbage that only the collector frees.
    Once the script ended none of it refers to the execution (its ``call``) or to the guard's trace functions, so
    an execution and its world are freed as soon as the caller lets go of them, not at the next collection (a
    property test makes thousands: issue 14's per-simulation time)."""
    import gc
    import weakref

    class Execution:
        def call(self, service: str, operation: str, params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            return FakeAws().call(service, operation, params, **kwargs)

    code = """
        import boto3, time
        def handler(events, context):
            boto3.client("cloudtrail").describe_trails()
            for _ in range(3):
                time.sleep(1)
            return "done"
    """
    execution = Execution()
    alive = weakref.ref(execution)
    enabled = gc.isenabled()
    gc.disable()
    try:
        assert run(code, call=execution.call) == "done"
        del execution
        assert alive() is None  # freed by its reference count alone
    finally:
        if enabled:
            gc.enable()
