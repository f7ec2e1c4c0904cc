"""boto3 inside a simulated aws:executeScript: every client talks to the fake world, never to the network.

``fake_aws(call, region, check=...)`` is a context manager. While it is entered:

- ``botocore.client.BaseClient._make_api_call`` is replaced: the client's own ``provide-client-params`` and
  ``before-parameter-build`` handlers run, then botocore's real parameter validation (``ParamValidationError`` as
  on AWS), then ``call(service, operation, params)`` with the boto3 client name, the PascalCase operation name and
  the parameters as JSON-like data. An ``AwsError`` from ``call`` is raised as the client's own modeled exception
  class (``client.exceptions.TrailNotFoundException``, a ``ClientError``) with the same ``response`` shape botocore
  builds; a response gets its timestamp members turned into ``datetime`` and base64 blob members into ``bytes``,
  as botocore's parsers would, plus a ``ResponseMetadata``. This covers every client, however it was created
  (``boto3.client``, ``boto3.Session().client``, ``botocore.session.get_session().create_client``, resources,
  paginators and waiters). Client-side retries, signing and ``before-call``/``after-call`` handlers do not run:
  there is no request to sign or retry.
- The environment holds what a script sees on AWS: ``AWS_REGION``/``AWS_DEFAULT_REGION`` and fake credentials;
  every other ``AWS_*`` variable is hidden (no profile, no endpoint override, no shared config or credentials
  file, no instance metadata). The environment is restored on exit.
- ``boto3.DEFAULT_SESSION`` is a session of the simulator's own for that region (kept between runs), so the
  host's default session, region and credentials never reach a script; restored on exit.
- Clients created with nothing but a service name and region are kept between runs: botocore takes about 2 ms to
  build a client, longer than the rest of a simulated execution. (A script that registers event handlers on such
  a client keeps them for later runs.)
- As a safety net, ``botocore.httpsession.URLLib3Session.send`` (every HTTP request botocore makes: API calls,
  instance metadata, container credentials) raises ``NetworkRefused``.

A ``NotModeled`` error from ``call`` ends the script (``refuse``; by default it raises ``Unmodeled``, a
``BaseException`` that a script's ``except Exception`` or ``except ClientError`` does not swallow): the simulation
cannot say what AWS would have answered. So does a call from a client bound to another region than the
execution's (``call`` has no region argument, and answering from the execution's region would be silently
wrong), except for the services whose API is global (IAM, Organizations, ...). ``check`` runs before every call,
so a stopped script is stopped again there.

The patches are process-wide while a script runs; only one script runs at a time (``fake_aws`` refuses to nest).
boto3 and botocore are imported on first use only.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final, NoReturn, TypeAlias

from toolkit.fakes.errors import AwsError, NotModeled

Call = Callable[[str, str, dict[str, Any]], dict[str, Any]]

FAKE_CREDENTIALS: Final = {
    "AWS_ACCESS_KEY_ID": "ASIASIMULATEDSCRIPT0",
    "AWS_SECRET_ACCESS_KEY": "simulated-secret-access-key",
    "AWS_SESSION_TOKEN": "simulated-session-token",
}

GLOBAL_SERVICES: Final = frozenset(
    {"iam", "organizations", "route53", "route53domains", "cloudfront", "sts", "s3", "account", "shield", "waf"}
)
"""Services a client of any region may call from a script: their API is global (or, for S3 and STS, answers for
any region)."""


class NetworkRefused(RuntimeError):
    """botocore tried to send a real HTTP request while a simulated script ran."""


class Unmodeled(BaseException):
    """The fake world does not model an operation the script called; the script is stopped."""

    def __init__(self, error: AwsError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class _Bridge:
    call: Call
    region: str
    create_client: Callable[..., Any]
    """botocore's own ``Session.create_client``."""
    check: Callable[[], None]
    """Called before every API call: raises when the script must stop (its budget is spent)."""
    refuse: Callable[[AwsError], NoReturn]
    """Called with the error of a call that cannot be simulated; raises."""
    requests: int = 0


_active: _Bridge | None = None
_lock = threading.Lock()
_sessions: dict[str, Any] = {}
_clients: dict[tuple[str, str], Any] = {}


@contextmanager
def fake_aws(
    call: Call,
    region: str,
    *,
    check: Callable[[], None] | None = None,
    refuse: Callable[[AwsError], NoReturn] | None = None,
) -> Iterator[None]:
    """While entered, boto3 and botocore answer from ``call``; everything is restored on exit.

    ``check`` runs before every call (it raises to stop the script); ``refuse`` is given the error of a call that
    cannot be simulated and must raise (by default, ``Unmodeled``).
    """
    global _active
    mods = _botocore()
    if not _lock.acquire(blocking=False):
        raise RuntimeError("a simulated script is already running in this process; scripts do not nest")
    saved_env = _patch_env(region)
    try:
        session = _session(region)
        patches = (
            (mods.client.BaseClient, "_make_api_call", _make_api_call),
            (mods.session.Session, "create_client", _create_client),
            (mods.httpsession.URLLib3Session, "send", _refuse_send),
            (mods.boto3, "DEFAULT_SESSION", session),
        )
        originals = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
        _active = _Bridge(call, region, originals[1][2], check or _never, refuse or _unmodeled)
        for owner, name, value in patches:
            setattr(owner, name, value)
        try:
            yield
        finally:
            for owner, name, value in originals:
                setattr(owner, name, value)
            _active = None
    finally:
        _restore_env(saved_env)
        _lock.release()


def _never() -> None:
    return None


def _unmodeled(error: AwsError) -> NoReturn:
    raise Unmodeled(error)


# -- the patched botocore methods ----------------------------------------------------------------------------


def _make_api_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> dict[str, Any]:
    bridge = _active
    if bridge is None:  # a thread the script started, racing the script's end
        raise NetworkRefused("a boto3 client was used after its simulated script ended")
    bridge.check()
    mods = _botocore()
    service_model = client.meta.service_model
    service = service_model.service_name
    operation_model = service_model.operation_model(operation_name)
    context = {
        "client_region": client.meta.region_name,
        "client_config": client.meta.config,
        "has_streaming_input": operation_model.has_streaming_input,
    }
    api_params = client._emit_api_params(api_params=api_params, operation_model=operation_model, context=context)
    if client.meta.config.parameter_validation and operation_model.input_shape is not None:
        mods.validate.validate_parameters(api_params, operation_model.input_shape)
    region = client.meta.region_name
    if region != bridge.region and service not in GLOBAL_SERVICES:
        bridge.refuse(
            AwsError(
                "NotModeledByFakeWorld",
                f"the simulated script runs in {bridge.region}; a {service} client for {region} cannot be simulated",
            )
        )
    bridge.requests += 1
    request_id = f"00000000-0000-4000-8000-{bridge.requests:012d}"
    try:
        response = bridge.call(service, operation_name, _to_json_like(api_params))
    except NotModeled as err:
        bridge.refuse(err)
    except AwsError as err:
        error_response = {
            "Error": {"Code": err.code, "Message": err.message},
            "ResponseMetadata": _metadata(request_id, err.status),
        }
        raise client.exceptions.from_code(err.code)(error_response, operation_name) from None
    parsed = _parsed(response, service, operation_model)
    parsed["ResponseMetadata"] = _metadata(request_id, 200)
    return parsed


def _create_client(session: Any, service_name: str, region_name: str | None = None, **options: Any) -> Any:
    """botocore's ``Session.create_client``, keeping clients that only name a service and a region."""
    bridge = _active
    if bridge is None:
        raise NetworkRefused("a boto3 client was created after its simulated script ended")
    plain = options.get("use_ssl", True) and all(value is None for key, value in options.items() if key != "use_ssl")
    if not plain:
        return bridge.create_client(session, service_name, region_name, **options)
    key = (service_name, str(region_name or session.get_config_variable("region")))
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = bridge.create_client(session, service_name, region_name, **options)
    return client


def _refuse_send(http_session: Any, request: Any) -> Any:
    raise NetworkRefused(f"a simulated script tried to send a real HTTP request to {request.url}")


# -- responses and requests ----------------------------------------------------------------------------------


def _metadata(request_id: str, status: int) -> dict[str, Any]:
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": {"x-amzn-requestid": request_id},
        "RetryAttempts": 0,
    }


@dataclass
class _Struct:
    members: dict[str, Plan] = field(default_factory=dict)


Plan: TypeAlias = "str | _Struct | tuple[str, Plan] | None"
"""Where in a response sit the members botocore would not leave as JSON: "timestamp", "blob", a structure's
members that lead to some, or ("list" | "map", the plan of the items). None: nothing to convert below."""


_plans: dict[tuple[str, str], Plan] = {}


def _parsed(response: Mapping[str, Any], service: str, operation_model: Any) -> dict[str, Any]:
    """The response as botocore's parser would give it: timestamps as datetimes, blobs as bytes."""
    key = (service, operation_model.name)
    if key not in _plans:
        shape = operation_model.output_shape
        _plans[key] = None if shape is None else _plan(shape, {}, set())
    plan = _plans[key]
    if plan is None:
        return dict(response)
    return dict(_convert(response, plan))


def _plan(shape: Any, memo: dict[str, _Struct], done: set[str]) -> Plan:
    kind: str = shape.type_name
    if kind == "timestamp" or (kind == "blob" and not shape.serialization.get("eventstream")):
        return kind
    if kind == "list":
        inner = _plan(shape.member, memo, done)
        return None if inner is None else ("list", inner)
    if kind == "map":
        inner = _plan(shape.value, memo, done)
        return None if inner is None else ("map", inner)
    if kind != "structure":
        return None
    node = memo.get(shape.name)
    if node is not None:  # planned already, or being planned (a recursive shape): share the node
        return None if shape.name in done and not node.members else node
    node = memo[shape.name] = _Struct()
    for name, member in shape.members.items():
        inner = _plan(member, memo, done)
        if inner is not None:
            node.members[name] = inner
    done.add(shape.name)
    return node if node.members else None


def _convert(value: Any, plan: Plan) -> Any:
    if value is None:
        return None
    if plan == "timestamp":
        if isinstance(value, dt.datetime):
            return value
        return _botocore().utils.parse_timestamp(value)
    if plan == "blob":
        return base64.b64decode(value) if isinstance(value, str) else value
    if isinstance(plan, _Struct):
        if not isinstance(value, Mapping):
            return value
        converted = dict(value)
        for name, inner in plan.members.items():
            if name in converted:
                converted[name] = _convert(converted[name], inner)
        return converted
    if not isinstance(plan, tuple):
        return value
    kind, inner = plan
    if kind == "list" and isinstance(value, list):
        return [_convert(item, inner) for item in value]
    if kind == "map" and isinstance(value, Mapping):
        return {name: _convert(item, inner) for name, item in value.items()}
    return value


def _to_json_like(value: Any) -> Any:
    """The parameters as JSON-like data, copied: datetimes as ISO 8601 text (UTC), bytes and files as base64."""
    if isinstance(value, dict):
        return {key: _to_json_like(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json_like(item) for item in value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if hasattr(value, "read"):
        value = value.read()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# -- environment, sessions, lazy imports ---------------------------------------------------------------------


def _patch_env(region: str) -> dict[str, str]:
    saved = {key: os.environ[key] for key in _aws_variables()}
    for key in saved:
        del os.environ[key]
    os.environ.update(FAKE_CREDENTIALS)
    os.environ.update(
        {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return saved


def _restore_env(saved: dict[str, str]) -> None:
    for key in _aws_variables():
        del os.environ[key]
    os.environ.update(saved)


def _aws_variables() -> list[str]:
    """The names of the ``AWS_*`` environment variables.

    Read from ``os.environ``'s encoded mapping where there is one: iterating ``os.environ`` itself decodes every
    name, which costs more than the rest of a trivial script's run.
    """
    data = getattr(os.environ, "_data", None)
    if isinstance(data, dict):
        return [os.fsdecode(key) for key in data if key[:4] in (b"AWS_", "AWS_")]
    return [key for key in os.environ if key.startswith("AWS_")]


def _session(region: str) -> Any:
    """The simulator's own boto3 default session for a region (built once, with the patched environment)."""
    session = _sessions.get(region)
    if session is None:
        session = _sessions[region] = _botocore().boto3.Session(region_name=region)
    return session


class _Modules:
    """boto3 and botocore, imported on first use."""

    def __init__(self) -> None:
        import boto3
        import botocore.client
        import botocore.httpsession
        import botocore.session
        import botocore.utils
        import botocore.validate

        self.boto3 = boto3
        self.client = botocore.client
        self.httpsession = botocore.httpsession
        self.session = botocore.session
        self.utils = botocore.utils
        self.validate = botocore.validate


_modules: _Modules | None = None


def _botocore() -> _Modules:
    global _modules
    if _modules is None:
        _modules = _Modules()
    return _modules


def preload() -> None:
    """Import boto3 and botocore now (about 0.15 s once per process) rather than inside the first script."""
    _botocore()
