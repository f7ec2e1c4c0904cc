"""cfn-lint over every region it knows: a template must be clean wherever AWS offers its resource types."""

from __future__ import annotations

from cfnlint.api import lint
from cfnlint.helpers import REGIONS as ALL_REGIONS

NOT_OFFERED = "E3006"  # the resource type does not exist in that region


CHUNK = 8
"""Regions linted per cfn-lint call: one call over every region takes several times as long as the same regions
in a few calls."""


def findings_where_offered(text: str) -> tuple[list[str], set[str]]:
    """(findings in regions that offer every resource type the template uses, regions that lack one)."""
    regions = list(ALL_REGIONS)
    matches = [
        match for start in range(0, len(regions), CHUNK) for match in lint(text, regions=regions[start : start + CHUNK])
    ]
    lacking = {str(match.message).rsplit("'", 2)[-2] for match in matches if match.rule.id == NOT_OFFERED}
    others = [str(match) for match in matches if match.rule.id != NOT_OFFERED]
    return others, lacking
