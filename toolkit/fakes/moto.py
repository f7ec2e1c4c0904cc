"""An optional second answerer: moto, in-process, for the services the fake world does not model.

The fake world answers what it models, faithfully; for anything else it raises NotModeled. With
``Options(moto=True)`` (``runbook simulate --moto``) such a call from an action step goes to moto's in-process
mock of AWS instead (moto must be installed; nothing leaves the process). moto's answers are only as faithful as
moto. The mock lives for one execution: it starts at the first such call and stops when the execution ends, so
its state never leaks into another simulation. Calls made by an aws:executeScript's boto3 clients are not
forwarded (the script's clients are already routed to the fake world).
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.errors import AwsError, NotModeled
from toolkit.fakes.protocol import Backend


class MotoFallback:
    """A backend that asks ``primary`` first and moto for what ``primary`` does not model."""

    def __init__(self, primary: Backend) -> None:
        self.primary = primary
        self.account = primary.account
        self.region = primary.region
        self.partition = primary.partition
        self._clients: dict[str, Any] = {}
        self._mock: Any = None

    def call(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.primary.call(service, operation, params)
        except NotModeled:
            return self._moto(service, operation, params)

    def _moto(self, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        client = self._clients.get(service)
        if client is None:
            client = self._clients[service] = self._client(service)
        # lazy: botocore loads only once a call goes to moto (this module is imported for every --moto run)
        from botocore import xform_name
        from botocore.exceptions import ClientError, ParamValidationError

        try:
            response = getattr(client, xform_name(operation))(**params)
        except ClientError as err:
            error = err.response.get("Error", {})
            raise AwsError(str(error.get("Code", "ClientError")), str(error.get("Message", err))) from err
        except ParamValidationError as err:
            raise AwsError("ValidationException", str(err).replace("\n", " ")) from err
        response.pop("ResponseMetadata", None)
        return dict(response)

    def _client(self, service: str) -> Any:
        """A boto3 client under moto's in-process mock, with fake credentials."""
        try:
            # lazy: boto3 and moto (~0.5 s) load only for a call the fake world does not model; moto is optional
            import boto3
            from moto import mock_aws
        except ImportError as err:
            raise AwsError("NotModeledByFakeWorld", f"moto is not installed, so {service} cannot be simulated") from err
        if self._mock is None:
            self._mock = mock_aws()
            self._mock.start()
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=self.region
        )
        return session.client(service)

    def close(self) -> None:
        """Stop the mock this execution started (its state goes with it)."""
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        self._clients.clear()
