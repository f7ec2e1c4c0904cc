"""cfn-lint over every region it knows: a template must be clean wherever AWS offers its resource types."""

from __future__ import annotations

from cfnlint.api import lint
from cfnlint.helpers import REGIONS as ALL_REGIONS

NOT_OFFERED = "E3006"  # the resource type does not exist in that region


def findings_where_offered(text: str) -> tuple[list[str], set[str]]:
    """(findings in regions that offer every resource type the template uses, regions that lack one)."""
    matches = lint(text, regions=list(ALL_REGIONS))
    lacking = {str(match.message).rsplit("'", 2)[-2] for match in matches if match.rule.id == NOT_OFFERED}
    others = [str(match) for match in matches if match.rule.id != NOT_OFFERED]
    return others, lacking
