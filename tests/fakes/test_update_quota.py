"""UpdateTrail turning a trail multi-region puts its shadow in every other region: where a region already has
five trails, CloudTrail refuses with MaximumNumberOfTrailsExceededException, and nothing changes."""

from __future__ import annotations

from tests.fakes.refusals import check_refusal
from tests.fakes.worlds import trail, world
from toolkit.fakes.world import World


def full_elsewhere() -> World:
    """main single-region in us-east-1; eu-west-1 already holds five trails."""
    return world(add={"Trails": [trail(f"eu-{n}", HomeRegion="eu-west-1") for n in range(5)]})


def room_elsewhere() -> World:
    return world(add={"Trails": [trail(f"eu-{n}", HomeRegion="eu-west-1") for n in range(4)]})


def test_converting_into_a_full_region_is_refused_and_changes_nothing() -> None:
    check_refusal(
        full_elsewhere,
        "UpdateTrail",
        {"Name": "main", "IsMultiRegionTrail": True},
        "MaximumNumberOfTrailsExceededException",
    )


def test_converting_when_every_region_has_room_succeeds() -> None:
    check_refusal(room_elsewhere, "UpdateTrail", {"Name": "main", "IsMultiRegionTrail": True}, None)
