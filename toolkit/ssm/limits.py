"""SSM's numeric limits: document size, loop bounds, sleeps, scripts, approvals, and each action's default timeout.

Sources (each table cites its page):
- https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html (common step properties)
- https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-*.html (one page per action)
- https://docs.aws.amazon.com/general/latest/gr/ssm.html (Systems Manager service quotas)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from toolkit.ssm.durations import DAY, HOUR

# Document content: at most 64 KB; CreateDocument and UpdateDocument answer MaxDocumentSizeExceeded beyond it
# (https://docs.aws.amazon.com/general/latest/gr/ssm.html, "Document size"), with the message the API reference
# gives the error (botocore's ssm model, MaxDocumentSizeExceeded). A document over it can never be run.
MAX_DOCUMENT_BYTES: Final = 64 * 1024
MAX_DOCUMENT_SIZE_SHOWN: Final = "64 KB"
MAX_DOCUMENT_SIZE_CODE: Final = "MaxDocumentSizeExceeded"
MAX_DOCUMENT_SIZE_MESSAGE: Final = f"The size limit of a document is {MAX_DOCUMENT_SIZE_SHOWN}."

# How many steps a document may hold, or an execution may run: AWS documents no limit for either (the Automation
# quotas on https://docs.aws.amazon.com/general/latest/gr/ssm.html list concurrency, queues, nesting depth (5
# levels), durations and action run times; an older version of the page had 25,000 step executions per account and
# month, since removed). A document's steps are bounded by its size above; an execution's by its own flow, which
# the simulator stops when it loops without end (``toolkit.simulate.engine``: its own guards, not SSM's limits).

# aws:loop: MaxIterations from 1 to 100 (default 100), and at most 100 Iterators
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-loop.html).
MIN_LOOP_ITERATIONS: Final = 1
MAX_LOOP_ITERATIONS: Final = 100

# aws:sleep sleeps at most 7 days
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-sleep.html).
MAX_SLEEP_SECONDS: Final = 7 * DAY
MAX_SLEEP_SHOWN: Final = "7 days"

# aws:executeScript runs at most 600 seconds whatever its timeoutSeconds says, and its Payload output is at most
# 100 KB (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html).
SCRIPT_TIMEOUT_SECONDS: Final = 600
MAX_SCRIPT_PAYLOAD_BYTES: Final = 100 * 1024

# aws:approve: 1 to 10 Approvers, a Message of at most 4096 characters, and a NotificationArn topic whose name
# starts with Automation (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-approve.html).
MAX_APPROVERS: Final = 10
MAX_APPROVAL_MESSAGE: Final = 4096
APPROVAL_TOPIC_PREFIX: Final = "Automation"

# The longest a step may run when it sets no timeoutSeconds (each action's page; an action not listed has no limit
# of its own). aws:approve waits up to 7 days, as long as aws:sleep may sleep; the property actions and
# changeInstanceState wait up to an hour.
DEFAULT_STEP_TIMEOUTS: Final[Mapping[str, float]] = {
    "aws:executeScript": float(SCRIPT_TIMEOUT_SECONDS),
    "aws:waitForAwsResourceProperty": float(HOUR),
    "aws:assertAwsResourceProperty": float(HOUR),
    "aws:changeInstanceState": float(HOUR),
    "aws:approve": float(7 * DAY),
    "aws:sleep": float(MAX_SLEEP_SECONDS),
}

# The longest timeoutSeconds that still applies: beyond it the action stops on its own.
MAX_STEP_TIMEOUTS: Final[Mapping[str, int]] = {"aws:executeScript": SCRIPT_TIMEOUT_SECONDS}

# -- Parameter Store -----------------------------------------------------------------------------------------------
# Value sizes by tier: a standard parameter's value is at most 4 KB, an advanced one's 8 KB
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html, "Maximum
# size of a parameter value"). PutParameter refuses a longer value with ValidationException, whose message counts
# characters ("Standard tier parameters support a maximum parameter value of 4096 characters").
MAX_STANDARD_PARAMETER_VALUE: Final = 4096
MAX_ADVANCED_PARAMETER_VALUE: Final = 8192

# A name's full ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME) is at most 1011 characters, and a hierarchy at most
# 15 levels deep: deeper names fail with HierarchyLevelLimitExceededException
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
MAX_PARAMETER_ARN_LENGTH: Final = 1011
MAX_PARAMETER_HIERARCHY_LEVELS: Final = 15

# 100 versions of a parameter are kept; a new one removes the oldest, unless the oldest has a label
# (ParameterMaxVersionLimitExceeded) (https://docs.aws.amazon.com/systems-manager/latest/userguide/
# sysman-paramstore-versions.html). A version has at most 10 labels of at most 100 characters
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html).
MAX_PARAMETER_VERSIONS: Final = 100
MAX_LABELS_PER_PARAMETER_VERSION: Final = 10
MAX_PARAMETER_LABEL_LENGTH: Final = 100

# Page and batch sizes of the Parameter Store API (botocore's ssm model: GetParametersByPathMaxResults 1-10,
# MaxResults 1-50, ParameterNameList 1-10;
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html).
MAX_PARAMETERS_BY_PATH_PAGE: Final = 10
MAX_PARAMETERS_PAGE: Final = 50
MAX_PARAMETER_NAMES_PER_CALL: Final = 10

# -- documents -----------------------------------------------------------------------------------------------------
# A document keeps at most 1,000 versions; UpdateDocument then answers DocumentVersionLimitExceeded
# (https://docs.aws.amazon.com/general/latest/gr/ssm.html, "Document versions").
MAX_DOCUMENT_VERSIONS: Final = 1000
# ListDocuments and ListDocumentVersions page at most 50 (botocore's ssm model, MaxResults).
MAX_DOCUMENTS_PAGE: Final = 50
