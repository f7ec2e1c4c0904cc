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

# A Parameter Store reference as a whole value: {{ssm:NAME}}, {{ssm:NAME:VERSION}} or {{ssm:NAME:LABEL}} (spaces
# allowed inside the braces), and {{ssm-secure:NAME}}. In an Automation document's parameters only String and
# StringList parameters may be referenced; SecureString ones may not
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html;
# https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html for the spacing).
PARAMETER_STORE_REFERENCE: Final = re.compile(r"\A\{\{\s*(ssm|ssm-secure):([^{}\s]+)\s*\}\}\Z")
