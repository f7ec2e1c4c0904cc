"""The ``{{ ... }}`` reference syntax of Automation documents and the system variables.

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html
"""

from __future__ import annotations

import re
from typing import Final

REFERENCE: Final = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
WHOLE_REFERENCE: Final = re.compile(r"\A\{\{\s*([^{}]*?)\s*\}\}\Z")

SYSTEM_VARIABLES: Final = frozenset(
    {
        "global:ACCOUNT_ID",
        "global:REGION",
        "global:AWS_PARTITION",
        "global:DATE",
        "global:DATE_TIME",
        "automation:EXECUTION_ID",
    }
)
