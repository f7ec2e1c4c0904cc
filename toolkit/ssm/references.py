"""The ``{{ ... }}`` reference syntax of Automation documents and the system variables.

Source: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
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

# The time-valued system variables, with their formats as ``strftime`` spells AWS's yyyy-MM-dd and
# yyyy-MM-dd_HH.mm.ss. Their value is taken when the step using them runs, not when the execution starts: "The
# value of a time variable injected at step 1 will be different to the value injected at step 3" (the page's
# "System variable referenced within step definition" scenario).
TIME_VARIABLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "global:DATE": "%Y-%m-%d",
        "global:DATE_TIME": "%Y-%m-%d_%H.%M.%S",
    }
)

# A Parameter Store reference as a whole value: {{ssm:NAME}}, {{ssm:NAME:VERSION}} or {{ssm:NAME:LABEL}} (spaces
# allowed inside the braces), and {{ssm-secure:NAME}}. In an Automation document's parameters only String and
# StringList parameters may be referenced; SecureString ones may not
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html;
# https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html for the spacing).
PARAMETER_STORE_REFERENCE: Final = re.compile(r"\A\{\{\s*(ssm|ssm-secure):([^{}\s]+)\s*\}\}\Z")
