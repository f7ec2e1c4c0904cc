"""moto, in-process, as the owner of every service the faithful fakes do not model.

A service the fakes own (``toolkit.fakes.backend.SERVICES``) is answered by them alone; every other service goes to
moto's backends, for action steps, a script's boto3 clients, child automations and a world's seeding ``Calls``
alike, so each service has one state for the whole simulation.

How a world holds moto's state: as the log of the calls that changed it (``MotoCall``, kept by the world,
shared by its copies: a tuple, never changed). moto keeps its backends in process-wide state, so one guard
(``MotoProcess``) serializes every call into moto and remembers whose log moto holds now; a call for another
world first clears the backends it touched and replays that world's log. Worlds therefore never see each other's
state, in sequence or in threads, and copying a world costs nothing. Replays are faithful because each logged
call runs with moto's random generator seeded by its position in the log (moto's ids come from it); moto's
timestamps are the wall clock's (moto reads it directly; patching it would patch the process).

Calls reach moto through a botocore session of the guard's own, with moto's request dispatcher registered on that
session's events only: no process-wide patching (``moto.mock_aws`` is never started), and no request leaves the
process. moto (about half a second to import) loads only when such a call is first made.

Operations moto's models implement but its responses leave unanswered (an empty body) are answered by the door from
moto's own models (``ANSWERED_BY_MODELS``): EventBridge's TestEventPattern, with moto's event-pattern matcher (the
one its rules use to route events). They read no state, so they are not logged.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from toolkit.fakes.errors import AwsError, NotModeled

READ_PREFIXES = ("Describe", "Get", "List", "Head", "BatchGet", "Search", "Lookup", "Select", "Query", "Scan")
"""Operations that read: they change no state, so they are not logged (a replay need not repeat them)."""


class MotoCall(NamedTuple):
    """One call that changed moto's state: replayed, in order, to rebuild it."""

    service: str
    operation: str
    params: str
    """The request's parameters as JSON text (immutable, so logs can be shared)."""
    region: str
    account: str

    def to_json(self) -> dict[str, Any]:
        """As a world file's ``Calls`` entry."""
        return {
            "Service": self.service,
            "Api": self.operation,
            "Params": json.loads(self.params),
            "Region": self.region,
            "Account": self.account,
        }


MotoLog = tuple[MotoCall, ...]


def _create_backend(service: str, account: str, region: str, generator: Any) -> None:
    """Create moto's backend of the call's service, account and region now, if it does not exist yet, from a seed
    of its own: a backend draws random ids as it is made (EC2's default VPC...), and whether a call made it (or a
    read made it earlier, which the log does not keep) must not change the ids the call itself draws, or a replay
    of the log would give other ids than the run it records."""
    # lazy: moto loads only once a call goes to it
    from moto.backends import get_backend

    try:
        backends = get_backend(service)  # type: ignore[call-overload]
    except (ModuleNotFoundError, KeyError, ValueError, AttributeError):
        return  # a service moto names otherwise: the call makes its backend itself
    generator.seed(f"{service}/{account}/{region}")
    # a global service's backend lives under its partition (KeyError): the call makes it
    with contextlib.suppress(KeyError):
        backends[account][region]


def _backend_ids() -> tuple[int, ...]:
    """The identity of moto's backends now (cleared when anyone resets moto)."""
    # lazy: moto loads only once a call goes to it
    from moto.core.base_backend import BackendDict

    instances: list[Any] = BackendDict._instances  # type: ignore[misc]
    return tuple(id(backends) for backends in instances)


class MotoProcess:
    """The one door into moto's process-wide backends: a lock, the log they hold now, and the clients."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.loaded: MotoLog = ()
        self.dirty = False
        """moto's state may differ from ``loaded`` (a write failed part way)."""
        self.account = ""
        self.backends: tuple[int, ...] = ()
        """The ids of moto's backends when this door last used them: another user of moto in the process
        (``mock_aws``, which resets every backend as it starts and stops) leaves other ones, and the state is then
        rebuilt from the log."""
        self._session: Any = None
        self._clients: dict[tuple[str, str], Any] = {}

    def call(self, log: MotoLog, call: MotoCall, params: Mapping[str, Any]) -> tuple[dict[str, Any], MotoLog]:
        """Run ``call`` on top of the state ``log`` describes; the response and the log after it."""
        with self.lock:
            self._load(log)
            writes = not call.operation.startswith(READ_PREFIXES)
            try:
                response = self._run(call, params, seed=len(log))
            except AwsError:
                if writes:
                    self.dirty = True  # a failed write may have changed part of moto's state: rebuild next time
                raise
            if writes:
                log = (*log, call)
                self.loaded = log
            self.backends = _backend_ids()
            return response, log

    def _load(self, log: MotoLog) -> None:
        if self.backends != _backend_ids():
            self.dirty = True  # someone else used moto (and reset it) since: nothing it holds can be trusted
        if self.loaded is log and not self.dirty:
            return
        known = len(self.loaded)
        if not self.dirty and known and len(log) >= known and log[known - 1] is self.loaded[-1]:
            missing = log[known:]  # moto holds an earlier state of this very log: replay only what follows
        else:
            self._clear()
            missing = log
        for index, call in enumerate(missing, start=len(log) - len(missing)):
            self._run(call, json.loads(call.params), seed=index)
        self.loaded = log
        self.backends = _backend_ids()

    def _clear(self) -> None:
        # lazy: moto loads only once a call goes to it
        from moto.core.base_backend import BackendDict
        from moto.core.model_instances import reset_model_data

        in_use: list[Any] = BackendDict._instances  # type: ignore[misc]  # the backends moto has created
        for backends in in_use:
            backends.clear()
        in_use.clear()
        reset_model_data()
        self.loaded = ()
        self.dirty = False

    def _run(self, call: MotoCall, params: Mapping[str, Any], *, seed: int) -> dict[str, Any]:
        # lazy: botocore and moto load only once a call goes to moto
        from botocore import xform_name
        from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError, UnknownServiceError
        from moto.moto_api._internal import mock_random

        try:
            client = self._client(call.service, call.region)
        except UnknownServiceError as err:
            raise AwsError("UnknownService", f"AWS has no service {call.service!r}") from err
        method = getattr(client, xform_name(call.operation), None)
        if method is None or call.operation not in client.meta.service_model.operation_names:
            raise AwsError("UnknownOperation", f"{call.service} has no operation {call.operation}")
        self.account = call.account
        _create_backend(call.service, call.account, call.region, mock_random)
        mock_random.seed(seed)
        shape = client.meta.service_model.operation_model(call.operation).input_shape
        try:
            response = method(**_wire(params, shape))
        except ClientError as err:
            error = err.response.get("Error", {})
            code = str(error.get("Code", "ClientError"))
            message = str(error.get("Message", err))
            if code == "404" and "not yet implemented" in message.lower():
                raise NotModeled(call.service, call.operation, by="the fakes nor moto") from err
            status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
            raise AwsError(code, message, status=status) from err
        except ParamValidationError as err:
            raise AwsError("ValidationException", str(err).replace("\n", " ")) from err
        except NotImplementedError as err:
            raise NotModeled(call.service, call.operation, by="the fakes nor moto") from err
        except BotoCoreError as err:  # moto answered something botocore cannot read (a moto bug)
            raise AwsError("InternalFailure", f"moto's answer could not be read: {_one_line(err)}", status=500) from err
        except Exception as err:  # moto itself failed (a moto bug): the call fails, the simulation goes on
            message = f"moto failed: {type(err).__name__}: {_one_line(err)}"
            raise AwsError("InternalFailure", message, status=500) from err
        response.pop("ResponseMetadata", None)
        return dict(response)

    def _client(self, service: str, region: str) -> Any:
        client = self._clients.get((service, region))
        if client is None:
            client = self._clients[(service, region)] = self._new_session().create_client(
                service, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
            )
        return client

    def _new_session(self) -> Any:
        if self._session is None:
            # lazy: botocore and moto's dispatcher load only once a call goes to moto
            import botocore.session
            from moto.core.botocore_stubber import BotocoreStubber

            session = botocore.session.Session()
            dispatcher = BotocoreStubber()
            dispatcher.enabled = True
            session.register("before-send", dispatcher)
            session.register("before-sign", self._sign_account)
            self._session = session
        return self._session

    def _sign_account(self, request: Any, **kwargs: Any) -> None:
        """Every request names the account it runs in, as moto reads it (its x-moto-account-id header)."""
        request.headers["x-moto-account-id"] = self.account


MOTO = MotoProcess()
"""The guard of moto's process-wide state (one per process, as that state is)."""


def call_moto(
    log: MotoLog, service: str, operation: str, params: Mapping[str, Any], *, region: str, account: str
) -> tuple[dict[str, Any], MotoLog]:
    """Answer a call with moto, on the state ``log`` describes: the response, and the log after the call."""
    answer = ANSWERED_BY_MODELS.get((service, operation))
    if answer is not None:
        return answer(params), log
    text = json.dumps(params, sort_keys=True, default=_unjson)
    return MOTO.call(log, MotoCall(service, operation, text, region, account), json.loads(text))


EVENT_FIELDS = ("id", "account", "source", "time", "region", "resources", "detail-type")
"""The fields TestEventPattern's Event must have (EventBridge API reference, TestEventPattern: "the following
fields are mandatory")."""


def _test_event_pattern(params: Mapping[str, Any]) -> dict[str, Any]:
    """TestEventPattern: whether the event matches the pattern, as moto's matcher routes events. A pattern moto's
    parser refuses is InvalidEventPatternException with its reason; an event that is not a JSON object with the
    mandatory fields is InvalidEventPatternException too [UNVERIFIED: AWS's wording]."""
    # lazy: moto loads only once a call goes to it
    from moto.events.exceptions import InvalidEventPatternException
    from moto.events.models import EventPattern

    pattern, text = params.get("EventPattern"), params.get("Event")
    if not isinstance(pattern, str) or not isinstance(text, str):
        raise AwsError("ValidationException", "TestEventPattern needs EventPattern and Event, each JSON text")
    try:
        matcher = EventPattern.load(pattern)
    except InvalidEventPatternException as err:
        raise AwsError("InvalidEventPatternException", err.message) from err
    try:
        event = json.loads(text)
    except ValueError:
        event = None
    missing = [field for field in EVENT_FIELDS if not isinstance(event, dict) or field not in event]
    if missing:
        raise AwsError("InvalidEventPatternException", f"Event is not valid: it lacks {', '.join(missing)}")
    return {"Result": matcher.matches_event(event)}


ANSWERED_BY_MODELS: dict[tuple[str, str], Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    ("events", "TestEventPattern"): _test_event_pattern,
}
"""Operations answered from moto's models without its state (see the module's docstring)."""


def _wire(value: Any, shape: Any) -> Any:
    """Parameters as JSON-like data (blobs as base64 text, as every caller of a backend gives them) made into what
    botocore takes: blob members as bytes."""
    kind = getattr(shape, "type_name", None)
    if isinstance(value, Mapping):
        members = shape.members if kind == "structure" else {}
        inner = shape.value if kind == "map" else None
        return {key: _wire(item, members.get(key, inner)) for key, item in value.items()}
    if isinstance(value, list):
        return [_wire(item, shape.member if kind == "list" else None) for item in value]
    if kind == "blob" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            return value  # not base64: text, which botocore sends as its UTF-8
    return value


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]


def _unjson(value: object) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
