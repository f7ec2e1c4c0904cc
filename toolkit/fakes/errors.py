"""Errors the fake AWS world raises, shaped like botocore's ClientError: an AWS error code and a message."""

from __future__ import annotations


class AwsError(Exception):
    """An AWS API error: ``code`` as AWS names it (TrailNotFoundException), ``message`` as AWS words it.

    The simulator turns it into a failed step (aws:executeAwsApi) or into botocore's own ClientError subclass
    inside an aws:executeScript (so ``except client.exceptions.TrailNotFoundException`` works).
    """

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class NotModeled(AwsError):
    """An operation the fake world does not model: it fails loudly, never returns an empty success."""

    def __init__(self, service: str, operation: str, *, by: str | None = None) -> None:
        """``by``: who else was asked ("the fakes nor moto"), for an operation no owner implements."""
        what = f"the fake AWS world does not model {service} {operation}"
        if by is not None:
            what = f"neither {by} implement {service} {operation}"
        super().__init__("NotModeledByFakeWorld", f"{what}; the step cannot be simulated", status=501)
        self.service = service
        self.operation = operation
