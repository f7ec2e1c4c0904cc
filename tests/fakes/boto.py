"""boto3 clients that talk to a fake world: botocore builds and validates each request as usual, then the fake
answers instead of HTTP, and botocore raises its own ClientError subclass for an error, as it would for AWS."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

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
            error = {
                "Error": {"Code": err.code, "Message": err.message},
                "ResponseMetadata": {"HTTPStatusCode": err.status},
            }
            return _Http(err.status), error
        wire = on_the_wire(response, model.output_shape) if model.output_shape is not None else response
        return _Http(200), {**wire, "ResponseMetadata": {"HTTPStatusCode": 200}}

    session.events.register("before-parameter-build", capture)
    session.events.register("before-call", answer)


def on_the_wire(value: Any, shape: Any) -> Any:
    """IAM's policy documents as IAM sends them, URL-encoded JSON text (botocore's ``json_decode_policies`` decodes
    them back into the mappings the fake answered): the fake answers as boto3 code sees IAM, the wire says it as
    IAM does."""
    if shape.type_name == "structure" and isinstance(value, dict):
        result = {}
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                result[name] = item
            elif member.name == "policyDocumentType" and isinstance(item, dict):
                result[name] = quote(json.dumps(item))
            else:
                result[name] = on_the_wire(item, member)
        return result
    if shape.type_name == "list" and isinstance(value, list):
        return [on_the_wire(item, shape.member) for item in value]
    return value


def fake_session(backend: FakeBackend) -> Any:
    """A boto3 session (fake credentials, the backend's region) whose clients talk to ``backend``."""
    import boto3

    session = boto3.session.Session(aws_access_key_id="fake", aws_secret_access_key="fake", region_name=backend.region)
    route_boto3(session, backend)
    return session
