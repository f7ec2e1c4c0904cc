"""Fake AWS STS: GetCallerIdentity. The caller is the account's root user (the world names no other identity)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend, Operation


def get_caller_identity(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "UserId": backend.account,
        "Account": backend.account,
        "Arn": f"arn:{backend.partition}:iam::{backend.account}:root",
    }


OPERATIONS: dict[str, Operation] = {"GetCallerIdentity": get_caller_identity}
