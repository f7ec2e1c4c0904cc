"""Name rules: documents, document versions, tags, steps, parameters and variables.

Each pattern is written once; ``*_SHOWN`` is how messages spell it for people.
"""

from __future__ import annotations

import re
from typing import Final

# Document names: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html (Name:
# [a-zA-Z0-9_\-.]{3,128}); names starting with aws-, amazon or amzn are reserved (in any case, per the same page).
DOCUMENT_NAME: Final = re.compile(r"\A[a-zA-Z0-9_\-.]{3,128}\Z")
DOCUMENT_NAME_SHOWN: Final = "[a-zA-Z0-9_.-]{3,128}"
DOCUMENT_NAME_LENGTHS: Final = (3, 128)
NOT_DOCUMENT_NAME_CHARACTERS: Final = re.compile(r"[^a-zA-Z0-9_.-]+")
RESERVED_DOCUMENT_PREFIXES: Final = ("aws-", "amazon", "amzn")

# Version names: botocore's ssm model, shape DocumentVersionName
# (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html, VersionName).
VERSION_NAME: Final = re.compile(r"\A[a-zA-Z0-9_\-.]{1,128}\Z")
VERSION_NAME_SHOWN: Final = "[a-zA-Z0-9_.-]{1,128}"

# Tag keys: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Tag.html (Key: 1 to 128 letters,
# digits, spaces and _.:/=+-@; keys starting with aws: are reserved).
TAG_KEY: Final = re.compile(r"\A[\w.:/=+\-@ ]{1,128}\Z")

# Step names: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html ("name": letters,
# digits and underscores, unique in the document).
STEP_NAME: Final = re.compile(r"\A[a-zA-Z0-9_]+\Z")

# Parameter and runtime-variable names:
# https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html
PARAMETER_NAME: Final = re.compile(r"\A[A-Za-z0-9_]+\Z")
MAX_TAG_VALUE_LENGTH: Final = 256
RESERVED_TAG_PREFIX: Final = "aws:"

# Parameter Store names: letters, digits, _ . - and / between hierarchy levels, no spaces; a hierarchical name
# starts with /; no name starts with aws or ssm (any case), with or without the leading /
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
PARAMETER_STORE_NAME: Final = re.compile(r"\A/?[a-zA-Z0-9_.\-]+(?:/[a-zA-Z0-9_.\-]+)*\Z")
RESERVED_PARAMETER_PREFIXES: Final = ("aws", "ssm")

# Parameter labels: letters, digits, . - _; not starting with a digit, aws or ssm (any case); at most 100
# characters; an invalid label is returned in InvalidLabels, not attached
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html).
PARAMETER_LABEL: Final = re.compile(r"\A[a-zA-Z_.\-][a-zA-Z0-9_.\-]*\Z")
