"""Hypothesis strategies for property tests of CloudTrail runbooks: fake worlds and the runbook's parameters.

```python
from hypothesis import given
from toolkit.simulate import simulate
from toolkit.testing import worlds_and_params

@given(worlds_and_params())
def test_never_deletes_a_trail(case):
    world, params = case
    result = simulate("my-runbook", params, world)
    assert set(world.trails) <= set(result.world.trails)
```

Every world is world-file data (docs/world-file.md) read by ``World.from_dict``, so each one is a valid world file
(``world_files()`` gives the data itself). Worlds vary what a CloudTrail remediation meets: an organization or
none; a log bucket whose policy lets CloudTrail deliver (under no prefix, a prefix or anywhere; for this account's
trails, named trails or anyone; maybe for the organization too); a KMS key whose policy lets CloudTrail encrypt,
maybe a second key; maybe an SNS topic, a CloudWatch Logs group and a role for CloudTrail to write to it; and up
to five trails: logging or stopped, single- or multi-region, homed here or elsewhere (a multi-region trail homed
elsewhere is seen here as a shadow), encrypted or not, organization trails, with basic selectors (data resources
for S3 objects and Lambda functions) or advanced ones (field selectors), Insights or none, tags.

A third of the worlds have nothing wrong with their resources; the others have one or two faults (``FAULTS``):
a bucket policy, key policy, topic policy or role broken by removing or changing a statement CloudTrail needs
(or adding a Deny, or having no policy at all), a missing bucket, a bucket in another region than the key, a
disabled key, a member account, an organization without all features or without trusted access for CloudTrail.

``foreign_destinations()`` draws such a world whose log bucket, key or both belong to another account of the world
(``LOG_ARCHIVE``), with parameters naming them and AllowedLogAccountIds allowing that account or not.

``runbook_params(world)`` draws parameters for the CloudTrail remediation runbook that fit its parameter rules: a
trail of the world (any of them: the rest are the trails it must not touch) or a new name; a bucket of the world
or a missing one; a key in any of the four forms KMS accepts (key id, key ARN, alias name, alias ARN), or one
naming no key; and, when the world has them, a prefix, the topic, the log group and role.

How they draw: hypothesis keeps a record of every draw (for shrinking and for its own mutations), which costs
more than the draw itself, so the public strategies draw their choices from ``common.Entropy``: blocks of 32
uniformly random bytes (one ``st.binary`` draw each), read as one number from which each choice of ``count``
options takes its remainder, so every option is as likely as with its own draw (to within 2**-64), but for one
index in seven (a run of ``common.picks`` shares one), which is its first option outright, as hypothesis's own
integers leaned towards their simplest value. A world and its parameters take one or two draws (27 with one
``st.integers`` per run of ``common.picks``, 58 drawn one by one), and generating one costs about half as much
CPU as it did. Checked against the draws of ``st.integers``: 3,000 examples of ``worlds_and_params()`` reach every
case and fault of tests/property/test_testing_strategies.py as before, most of them more often (the faults more
evenly), and about as many runs of the runbook succeed (24-25%). A failing example shrinks towards bytes of zero
(every choice's first option), less directly than choice by choice: a byte feeds several choices.

This module imports hypothesis (a dev dependency): import it from tests only.
"""

from __future__ import annotations

from toolkit.testing.common import ACCOUNTS, FAULTS, NEW_TRAIL_NAMES, OTHER_ACCOUNT, PREFIXES, REGIONS, TRAIL_NAMES
from toolkit.testing.destinations import LOG_ARCHIVE, foreign_destinations
from toolkit.testing.params import kms_key_ids, runbook_params, worlds_and_params
from toolkit.testing.resources import bucket_policies, key_policies, log_roles, organizations, topic_policies
from toolkit.testing.selectors import advanced_event_selectors, basic_event_selectors, insight_selectors
from toolkit.testing.worlds import world_files, worlds

__all__ = [
    "ACCOUNTS",
    "FAULTS",
    "LOG_ARCHIVE",
    "NEW_TRAIL_NAMES",
    "OTHER_ACCOUNT",
    "PREFIXES",
    "REGIONS",
    "TRAIL_NAMES",
    "advanced_event_selectors",
    "basic_event_selectors",
    "bucket_policies",
    "foreign_destinations",
    "insight_selectors",
    "key_policies",
    "kms_key_ids",
    "log_roles",
    "organizations",
    "runbook_params",
    "topic_policies",
    "world_files",
    "worlds",
    "worlds_and_params",
]
