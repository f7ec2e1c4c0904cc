"""boto3 clients that talk to a fake world: botocore builds and validates each request as usual, then the fake
answers instead of HTTP, and botocore raises its own ClientError subclass for an error, as it would for AWS."""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend
from toolkit.fakes.errors import AwsError


class _Http:
    """Just enough of an HTTP response for botocore to raise ClientError from a parsed error."""

    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.raw = None  # no body: botocore's after-call parsers keep what the fake returned


def route_boto3(session: Any, backend: FakeBackend) -> None:
    """Answer every call of clients made from ``session`` with ``backend`` (at botocore's ``before-call``)."""

    def capture(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["fake_params"] = dict(params)

    def answer(model: Any, context: dict[str, Any], **_: Any) -> tuple[_Http, dict[str, Any]]:
        service = model.service_model.service_name
        try:
            response = backend.call(service, model.name, context["fake_params"])
        except AwsError as err:
            error = {"Error": {"Code": err.code, "Message": err.message}, "ResponseMetadata": {}}
            return _Http(err.status), error
        return _Http(200), {**response, "ResponseMetadata": {"HTTPStatusCode": 200}}

    session.events.register("before-parameter-build", capture)
    session.events.register("before-call", answer)


def fake_session(backend: FakeBackend) -> Any:
    """A boto3 session (fake credentials, the backend's region) whose clients talk to ``backend``."""
    import boto3

    session = boto3.session.Session(aws_access_key_id="fake", aws_secret_access_key="fake", region_name=backend.region)
    route_boto3(session, backend)
    return session
