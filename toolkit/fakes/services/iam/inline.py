"""Inline policies of roles, users and groups: Put/Get/Delete<Role|User|Group>Policy and List<Role|User|Group>Policies.

Put replaces a policy of the same name. The document comes back as a mapping, as boto3 gives it (see the package's
docstring). A role's inline policies may hold 10,240 characters together, a user's 2,048 and a group's 5,120
(white space not counted); past that IAM answers ``LimitExceeded`` "Maximum policy size of N bytes exceeded for
<kind> <name>".
"""

from __future__ import annotations

from typing import Any

from toolkit.fakes.backend import FakeBackend, Operation
from toolkit.fakes.iam import InlinePolicy
from toolkit.fakes.services.iam import documents
from toolkit.fakes.services.iam.common import (
    GROUP,
    ROLE,
    USER,
    Kind,
    limit_exceeded,
    name,
    no_such_entity,
    page,
    replace_identity,
)


def _put(kind: Kind) -> Operation:
    def put(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        policy_name = name(params, "PolicyName", 128)
        document = documents.document(params, "PolicyDocument", documents.IDENTITY)
        kept = tuple(policy for policy in owner.inline if policy.name != policy_name)
        inline = (*kept, InlinePolicy(policy_name, document))
        if sum(documents.size(policy.document) for policy in inline) > kind.inline_quota:
            raise limit_exceeded(
                f"Maximum policy size of {kind.inline_quota} bytes exceeded for {kind.label} {owner.name}"
            )
        changed = owner.clone()
        changed.inline = inline
        replace_identity(backend, changed)
        return {}

    return put


def _get(kind: Kind) -> Operation:
    def get(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        policy_name = name(params, "PolicyName", 128)
        document = owner.inline_policy(policy_name)
        if document is None:
            raise no_such_entity(f"The {kind.label} policy with name {policy_name} cannot be found.")
        return {kind.member: owner.name, "PolicyName": policy_name, "PolicyDocument": document.to_json()}

    return get


def _delete(kind: Kind) -> Operation:
    def delete(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        policy_name = name(params, "PolicyName", 128)
        if owner.inline_policy(policy_name) is None:
            raise no_such_entity(f"The {kind.label} policy with name {policy_name} cannot be found.")
        changed = owner.clone()
        changed.inline = tuple(policy for policy in owner.inline if policy.name != policy_name)
        replace_identity(backend, changed)
        return {}

    return delete


def _list(kind: Kind) -> Operation:
    def listed(backend: FakeBackend, params: dict[str, Any]) -> dict[str, Any]:
        owner = kind.find(backend, name(params, kind.member, kind.longest))
        chosen, more = page(sorted(policy.name for policy in owner.inline), params)
        return {"PolicyNames": chosen, **more}

    return listed


OPERATIONS: dict[str, Operation] = {
    f"{verb}{kind.label.title()}{noun}": make(kind)
    for kind in (ROLE, USER, GROUP)
    for verb, noun, make in (
        ("Put", "Policy", _put),
        ("Get", "Policy", _get),
        ("Delete", "Policy", _delete),
        ("List", "Policies", _list),
    )
}
