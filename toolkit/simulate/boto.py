"""boto3 inside one simulated aws:executeScript: the execution's own clients and sessions, answered by the fake world.

A ``ScriptAws`` belongs to one script run. Nothing of boto3 or botocore is patched: the script's ``boto3`` and
``botocore`` (see ``toolkit.simulate.script_modules``) reach AWS only through it.

- ``client(service, region)`` is a copy of a template client kept by the caller's ``ServiceModels``: real
  botocore client classes (methods, ``exceptions``, paginators, waiters, ``meta``), with events of the copy's own
  (a copy of the template's, made on the first ``register``), so a handler a script registers dies with the
  execution. Options besides the region (``endpoint_url``, credentials, ``config`` other than its region) do not
  change where the calls go.
- A call (``answer``) runs the client's own ``provide-client-params`` and ``before-parameter-build`` handlers,
  then botocore's real parameter validation (``ParamValidationError`` as on AWS), then
  ``call(service, operation, params)`` with the boto3 client name, the PascalCase operation name and the
  parameters as JSON-like data. An ``AwsError`` from ``call`` is raised as the client's own modeled exception
  class (``client.exceptions.TrailNotFoundException``, a real botocore ``ClientError``) with the ``response``
  shape botocore builds; a response gets its timestamp members turned into ``datetime`` and base64 blob members
  into ``bytes`` (a streaming body into a ``StreamingBody``), as botocore's parsers would, plus a
  ``ResponseMetadata``; for S3, the client's ``after-call`` handlers then run on it, as botocore runs them (its
  listings decode the keys botocore asked to be URL-encoded). Client-side retries,
  signing and ``before-call`` handlers do not run: there is no request to sign or retry. Waiters sleep with
  ``sleep`` (the simulated clock).
- ``session(region)`` is the script's ``boto3.Session()``: its region, the fake credentials, ``client`` and
  ``resource``; anything else it has is asked of a real boto3 session built for the execution on first need
  (about 10 ms) on a botocore session whose configuration is read from ``environment(region)``, never from
  ``os.environ``, and whose clients are this execution's.
- A ``NotModeled`` error from ``call`` ends the script (``refuse``; by default it raises ``Unmodeled``, a
  ``BaseException`` that a script's ``except Exception`` or ``except ClientError`` does not swallow): the
  simulation cannot say what AWS would have answered. A client bound to another region than the execution's
  calls with ``region=`` that region (the same world seen from there), except for the services whose API is
  global (IAM, Organizations, ...), which answer alike from every region. ``check`` runs before every call,
  so a stopped script is stopped again there. ``outside_budget`` wraps the simulator's own work (building
  clients, answering calls), which the caller does not count against the script's computing budget.
- After ``close`` (the script ended), a client the script kept (in another module, say) refuses to call:
  ``NetworkRefused``; so does a real HTTP send (``refusing_http_session``).

boto3 and botocore are imported on first use only.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final, NoReturn, Protocol

from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.simulate.boto_models import ServiceModels
from toolkit.simulate.boto_shapes import metadata, parsed, to_json_like

AFTER_CALL: frozenset[str] = frozenset({"s3"})
"""Services whose fakes answer in the wire's form, which the client's ``after-call`` handlers then turn into
what botocore gives a script (S3 lists keys URL-encoded when botocore asked for it)."""


class Call(Protocol):
    """Answers one call of the script's: in the execution's region, or (``region``) in another of its account's."""

    def __call__(
        self, service: str, operation: str, params: dict[str, Any], /, *, region: str | None = None
    ) -> dict[str, Any]: ...


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
    """botocore tried to send a real HTTP request from a simulated script, or a client outlived its script."""


def _closed(*args: object, **kwargs: object) -> dict[str, Any]:
    """``ScriptAws.call`` once its script ended (``close``): nothing reaches the execution any more."""
    raise NetworkRefused("a boto3 client was used after its simulated script ended")


class Unmodeled(BaseException):
    """The fake world does not model an operation the script called; the script is stopped."""

    def __init__(self, error: AwsError) -> None:
        super().__init__(error.message)
        self.error = error


def environment(region: str) -> dict[str, str]:
    """The ``AWS_*`` variables a script sees on AWS: its region and credentials, no profile or shared files."""
    return {
        **FAKE_CREDENTIALS,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@contextmanager
def _no_pause() -> Iterator[None]:
    yield


def _never() -> None:
    return None


def _unmodeled(error: AwsError) -> NoReturn:
    raise Unmodeled(error)


def _real_sleep_refused(seconds: float) -> None:
    raise NetworkRefused("a waiter slept outside a simulated script")


class ScriptAws:
    """One script run's AWS: its clients, sessions and request count (see the module doc)."""

    def __init__(
        self,
        models: ServiceModels,
        call: Call,
        region: str,
        *,
        check: Callable[[], None] = _never,
        refuse: Callable[[AwsError], NoReturn] = _unmodeled,
        sleep: Callable[[float], None] = _real_sleep_refused,
        outside_budget: Callable[[], AbstractContextManager[None]] = _no_pause,
    ) -> None:
        self.models = models
        self.call = call
        self.region = region
        self.check = check
        self.refuse = refuse
        self.sleep = sleep
        self.outside_budget = outside_budget
        self.requests = 0
        self.closed = False
        self._boto3_sessions: dict[str, Any] = {}
        self._botocore_session: Any = None

    def close(self) -> None:
        """The script ended: its clients refuse to call from now on, and this object lets go of the execution (its
        ``call``) and of its sessions, so that what the script leaves behind (its functions and modules refer to
        each other, garbage only the collector frees) does not keep the execution and its world alive."""
        self.closed = True
        self.call = _closed
        self._boto3_sessions.clear()
        self._botocore_session = None

    def _ensure_open(self, what: str) -> None:
        if self.closed:
            raise NetworkRefused(f"a boto3 {what} was used after its simulated script ended")

    # -- clients and sessions -------------------------------------------------------------------------------

    def client(self, service_name: str, region_name: str | None = None, **options: Any) -> Any:
        """A client of this execution (a copy of the shared template, with events of its own)."""
        self._ensure_open("client")
        config = options.get("config")
        region = str(region_name or getattr(config, "region_name", None) or self.region)
        with self.outside_budget():
            template = self.models.template(service_name, region)
            client = object.__new__(type(template))
            client.__dict__.update(template.__dict__)
            meta = template.meta
            client.meta = object.__new__(type(meta))
            client.meta.__dict__.update(meta.__dict__)
            client.meta.events = OwnEvents(meta.events)
            client._cache = {}
            client._simulated = self
        return client

    def session(self, region_name: str | None = None, **ignored: Any) -> ScriptSession:
        """The script's ``boto3.Session(...)``: credentials and profiles given are ignored (the fake world's)."""
        return ScriptSession(self, region_name or self.region)

    def boto3_session(self, region: str) -> Any:
        """A real boto3 session of this execution (for resources and the rarer session methods)."""
        self._ensure_open("session")
        found = self._boto3_sessions.get(region)
        if found is None:
            with self.outside_budget():
                # lazy: boto3 loads only when a script uses AWS
                import boto3.session

                found = self._boto3_sessions[region] = boto3.session.Session(
                    botocore_session=self._new_botocore_session(region), region_name=region
                )
        return found

    def botocore_session(self) -> Any:
        """The script's ``botocore.session.get_session()``: one per execution, its clients the execution's."""
        self._ensure_open("session")
        if self._botocore_session is None:
            with self.outside_budget():
                self._botocore_session = self._new_botocore_session(self.region)
        return self._botocore_session

    def _new_botocore_session(self, region: str) -> Any:
        session = self.models.botocore_session(environment(region), owner=self)
        session.set_credentials(
            FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
        )
        return session

    def refusing_http_session(self) -> type:
        """botocore's ``URLLib3Session`` as the script sees it: ``send`` raises ``NetworkRefused``."""

        def refuse(request: Any) -> NoReturn:
            raise NetworkRefused(f"a simulated script tried to send a real HTTP request to {request.url}")

        return self.models.refusing_http_session_class(refuse)

    def waiter(self, waiter: Any) -> Any:
        """botocore's waiter, polling on this execution's clock."""
        return SimulatedWaiter(waiter, self.sleep)

    # -- a call ---------------------------------------------------------------------------------------------

    def answer(self, client: Any, operation_name: str, api_params: dict[str, Any]) -> dict[str, Any]:
        """A client's API call, answered by ``call`` (see the module doc)."""
        self._ensure_open("client")
        self.check()
        with self.outside_budget():
            request_id, service, operation_model, params, context = self._request(client, operation_name, api_params)
            try:
                elsewhere = context["simulated_region"]
                if elsewhere is None:
                    response = self.call(service, operation_name, params)
                else:  # a client of another region: the same world, seen from that region
                    response = self.call(service, operation_name, params, region=elsewhere)
            except NotModeled as err:
                self.refuse(err)
            except AwsError as err:
                error_response = {
                    "Error": {"Code": err.code, "Message": err.message},
                    "ResponseMetadata": metadata(request_id, err.status),
                }
                raise client.exceptions.from_code(err.code)(error_response, operation_name) from None
            answer = parsed(response, service, operation_model, self.models)
            answer["ResponseMetadata"] = metadata(request_id, 200)
            if service in AFTER_CALL:
                self._after_call(client, operation_model, answer, context)
            return answer

    @staticmethod
    def _after_call(client: Any, operation_model: Any, answer: dict[str, Any], context: dict[str, Any]) -> None:
        """The client's ``after-call`` handlers, as botocore runs them on a parsed answer: the fakes answer as the
        wire does (S3 lists keys URL-encoded when botocore asked for it), botocore's handlers turn that into what a
        script sees. (Only for S3: the other fakes answer as botocore's handlers leave it, IAM's policy documents as
        maps, say, and moto's answers went through botocore's own client already.)"""
        # lazy: botocore loads only when a script uses AWS
        from botocore.awsrequest import AWSResponse

        service_id = client.meta.service_model.service_id.hyphenize()
        client.meta.events.emit(
            f"after-call.{service_id}.{operation_model.name}",
            http_response=AWSResponse("", 200, {}, None),
            parsed=answer,
            model=operation_model,
            context=context,
        )

    def _request(
        self, client: Any, operation_name: str, api_params: dict[str, Any]
    ) -> tuple[str, str, Any, dict[str, Any], dict[str, Any]]:
        # lazy: botocore loads only when a script uses AWS (``import a.b as c``: a third of ``from a.b import c``)
        import botocore.validate as validate

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
            validate.validate_parameters(api_params, operation_model.input_shape)
        region = client.meta.region_name
        context["simulated_region"] = region if region != self.region and service not in GLOBAL_SERVICES else None
        self.requests += 1
        request_id = f"00000000-0000-4000-8000-{self.requests:012d}"
        return request_id, service, operation_model, to_json_like(api_params, operation_model.input_shape), context


class ScriptSession:
    """``boto3.Session()`` inside a script: the execution's region and fake credentials; clients of the execution.

    What it does not define itself is asked of a real boto3 session of the execution (built on first need)."""

    profile_name = "default"
    available_profiles: list[str] = []  # read-only by convention, as boto3's

    def __init__(self, aws: ScriptAws, region_name: str) -> None:
        self._aws = aws
        self.region_name = region_name

    def client(self, service_name: str, region_name: str | None = None, **options: Any) -> Any:
        return self._aws.client(service_name, region_name or self.region_name, **options)

    def resource(self, service_name: str, region_name: str | None = None, **options: Any) -> Any:
        session = self._aws.boto3_session(region_name or self.region_name)
        with self._aws.outside_budget():
            return session.resource(service_name, **options)

    def get_credentials(self) -> Any:
        # lazy: botocore loads only when a script uses AWS
        from botocore.credentials import Credentials

        return Credentials(
            FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
            method="env",
        )

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._aws.boto3_session(self.region_name), name)

    def __repr__(self) -> str:
        return f"Session(region_name={self.region_name!r})"


class OwnEvents:
    """A client's events: the template's until something registers or unregisters, then a copy of its own."""

    __slots__ = ("_events", "_own", "emit", "emit_until_response")

    def __init__(self, shared: Any) -> None:
        self._events = shared
        self._own = False
        self._bind()

    def _bind(self) -> None:
        """``emit`` and ``emit_until_response`` are the current events' own methods (no frame of ours per event)."""
        self.emit = self._events.emit
        self.emit_until_response = self._events.emit_until_response

    def _mine(self) -> Any:
        if not self._own:
            self._events = copy.copy(self._events)
            self._own = True
            self._bind()
        return self._events

    def register(self, *args: Any, **kwargs: Any) -> Any:
        return self._mine().register(*args, **kwargs)

    def register_first(self, *args: Any, **kwargs: Any) -> Any:
        return self._mine().register_first(*args, **kwargs)

    def register_last(self, *args: Any, **kwargs: Any) -> Any:
        return self._mine().register_last(*args, **kwargs)

    def unregister(self, *args: Any, **kwargs: Any) -> Any:
        return self._mine().unregister(*args, **kwargs)

    def __copy__(self) -> OwnEvents:
        return OwnEvents(self._events)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mine(), name)


class SimulatedWaiter:
    """botocore's ``Waiter`` whose ``wait`` sleeps with the execution's ``sleep`` (its logic, line for line)."""

    def __init__(self, waiter: Any, sleep: Callable[[float], None]) -> None:
        self._waiter = waiter
        self._sleep = sleep

    def __getattr__(self, name: str) -> Any:
        return getattr(self._waiter, name)

    def wait(self, **kwargs: Any) -> None:
        # lazy: botocore's waiters load only when a script waits
        from botocore.exceptions import WaiterError
        from botocore.waiter import is_valid_waiter_error

        waiter = self._waiter
        acceptors = list(waiter.config.acceptors)
        current_state = "waiting"
        config = kwargs.pop("WaiterConfig", {})
        sleep_amount = config.get("Delay", waiter.config.delay)
        max_attempts = config.get("MaxAttempts", waiter.config.max_attempts)
        last_matched: Any = None
        attempts = 0
        while True:
            response = waiter._operation_method(**kwargs)
            attempts += 1
            for acceptor in acceptors:
                if acceptor.matcher_func(response):
                    last_matched = acceptor
                    current_state = acceptor.state
                    break
            else:
                if is_valid_waiter_error(response):
                    error = response["Error"]
                    reason = f"An error occurred ({error.get('Code', 'Unknown')}): {error.get('Message', 'Unknown')}"
                    raise WaiterError(name=waiter.name, reason=reason, last_response=response)
            if current_state == "success":
                return
            if current_state == "failure":
                reason = f"Waiter encountered a terminal failure state: {acceptor.explanation}"
                raise WaiterError(name=waiter.name, reason=reason, last_response=response)
            if attempts >= max_attempts:
                reason = "Max attempts exceeded"
                if last_matched is not None:
                    reason += f". Previously accepted state: {acceptor.explanation}"
                raise WaiterError(name=waiter.name, reason=reason, last_response=response)
            self._sleep(sleep_amount)
