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
# (https://docs.aws.amazon.com/general/latest/gr/ssm.html, "Maximum size of a document").
MAX_DOCUMENT_BYTES: Final = 64 * 1024
MAX_DOCUMENT_SIZE_SHOWN: Final = "64 KB"

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
