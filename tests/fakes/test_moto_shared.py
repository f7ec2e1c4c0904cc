"""moto keeps its backends in process-wide state, and others in the process may use moto too (a test's
``mock_aws``, which resets every backend as it starts and as it stops). The simulator's door into moto notices and
rebuilds a world's state from its log, instead of answering from state someone else has reset."""

from __future__ import annotations

from toolkit.fakes.world import World

RUN = {"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1}


def instance_ids(world: World) -> list[str]:
    found = world.call("ec2", "DescribeInstances", {})
    return sorted(item["InstanceId"] for group in found["Reservations"] for item in group["Instances"])


def test_a_reset_by_another_user_of_moto_is_noticed_and_the_world_rebuilt() -> None:
    from moto import mock_aws

    world = World.from_dict({"Calls": [{"Service": "ec2", "Api": "RunInstances", "Params": RUN}]})
    before = instance_ids(world)
    assert len(before) == 1
    with mock_aws():  # resets moto's backends as it starts and as it stops
        pass
    assert instance_ids(world) == before
    other = World.from_dict({"Calls": [{"Service": "ec2", "Api": "RunInstances", "Params": RUN}] * 2})
    assert len(instance_ids(other)) == 2
    assert instance_ids(world) == before  # and each world still sees only its own


def test_a_read_that_made_a_backend_first_does_not_change_the_ids_a_replay_draws() -> None:
    """A read creates moto's backend (EC2's default VPC draws random ids) and is in no log; the first write then
    would draw other ids than its replay from a clean moto, which creates the backend within the write."""
    World.from_dict({}).call("ec2", "DescribeInstances", {})
    seeded = World.from_dict({"Calls": [{"Service": "ec2", "Api": "RunInstances", "Params": RUN}]})
    first = instance_ids(seeded)
    assert (
        len(instance_ids(World.from_dict({"Calls": [{"Service": "ec2", "Api": "RunInstances", "Params": RUN}] * 2})))
        == 2
    )
    assert instance_ids(seeded) == first  # replayed from its own log
