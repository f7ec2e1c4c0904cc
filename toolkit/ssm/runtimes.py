"""aws:executeScript's runtimes: those SSM accepts today, and those it has retired.

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html (Runtime).
Python 3.6 to 3.9 reached end of support in Automation on 2025-09-10 (AWS Health notice "Automation end of support
for Python 3.6, 3.7, 3.8 and 3.9"): documents using them can no longer be created, updated or run; PowerShell Core
6.0 (once spelled dotnetcore2.1) went before them.
"""

from __future__ import annotations

import re
from typing import Final

SCRIPT_RUNTIMES: Final = (
    "python3.12",
    "python3.11",
    "python3.10",
    "PowerShell 7.4",
    "PowerShell 7.2",
    "PowerShell 7.0",
)
RETIRED_SCRIPT_RUNTIMES: Final = (
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "PowerShell Core 6.0",
    "dotnetcore2.1",
)
# The runtime the toolkit writes and advises for Python scripts.
DEFAULT_PYTHON_RUNTIME: Final = "python3.11"
# Spellings of runtimes newer than the list above, which AWS may accept by now but the toolkit cannot vouch for.
NEWER_RUNTIME: Final = re.compile(r"\A(?:python3\.(?:1[3-9]|[2-9][0-9])|PowerShell 7\.(?:[5-9]|[1-9][0-9]))\Z")
# The prefixes that mark a PowerShell runtime (which takes no Handler), retired spellings included.
POWERSHELL_PREFIXES: Final = ("PowerShell", "dotnetcore")
