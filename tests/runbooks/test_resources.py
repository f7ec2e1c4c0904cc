"""Both runbooks can be granted least privilege on named resources: in their representative runs, every call
whose IAM action has a resource type names that resource (a trail, bucket, key or topic ARN built from the
parameters), so a policy needs ``*`` only for actions AWS authorizes on ``*`` (cloudtrail:DescribeTrails)."""

from __future__ import annotations

import pytest

from toolkit.aws.authorization import default_reference
from toolkit.documents import read_runbook
from toolkit.simulate import simulate

ON_ANY_RESOURCE = {"cloudtrail:DescribeTrails"}
"""Actions the Service Authorization Reference gives no resource type (AWS checks them on ``*``)."""


@pytest.mark.parametrize("name", ["cloudtrail-remediation-action", "cloudtrail-delivery-check"])
def test_every_call_names_its_resource(name: str) -> None:
    document = read_runbook(name)
    reference = default_reference()
    resources: dict[str, set[str]] = {}
    for world, params in document.representative_runs():
        for call in simulate(document.model(), params, world).calls:
            needs = reference.needs(
                call.service, call.operation, call.params, partition=world.partition, region=world.region,
                account=world.account,
            )  # fmt: skip
            for need in needs:
                assert not need.unresolved, f"{call.operation}: {need.action} on a resource the call does not name"
                resources.setdefault(need.action, set()).add(need.resource)
    on_any = {action for action, arns in resources.items() if "*" in arns}
    assert on_any <= ON_ANY_RESOURCE, on_any
    assert all(arn.startswith("arn:aws:") for action, arns in resources.items() if action not in on_any for arn in arns)
