"""What the fake Config's rules and remediation share: names, limits, the error Config answers with,
and reading a request's members."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from toolkit.fakes.errors import AwsError
from toolkit.fakes.worldfile import KeyPath, dotted

COMPLIANT: Final = "COMPLIANT"
NON_COMPLIANT: Final = "NON_COMPLIANT"
NOT_APPLICABLE: Final = "NOT_APPLICABLE"
ACCOUNT: Final = "AWS::::Account"
TRAIL: Final = "AWS::CloudTrail::Trail"
SUCCEEDED: Final = "SUCCEEDED"
FAILED: Final = "FAILED"
INVALID: Final = "InvalidParameterValueException"
ASSUME_ROLE: Final = "AutomationAssumeRole"

FREQUENCIES: Final = {
    "One_Hour": 3600,
    "Three_Hours": 3 * 3600,
    "Six_Hours": 6 * 3600,
    "Twelve_Hours": 12 * 3600,
    "TwentyFour_Hours": 24 * 3600,
}
DEFAULT_FREQUENCY: Final = "TwentyFour_Hours"
MATCHED_PARAMETERS = ("s3BucketName", "snsTopicArn", "cloudWatchLogsLogGroupArn")
RULES: Final = {
    "cloudtrail-enabled": ("CLOUD_TRAIL_ENABLED", MATCHED_PARAMETERS),
    "multi-region-cloudtrail-enabled": (
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        (*MATCHED_PARAMETERS, "includeManagementEvents", "readWriteType"),
    ),
    "cloudtrail-security-trail-enabled": ("CLOUDTRAIL_SECURITY_TRAIL_ENABLED", ()),
}
"""The managed rules that evaluate the account (``AWS::::Account``): name -> (source identifier, the parameters it
takes)."""
TRAIL_RULES: Final = {
    "cloud-trail-encryption-enabled": ("CLOUD_TRAIL_ENCRYPTION_ENABLED", ()),
    "cloud-trail-log-file-validation-enabled": ("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", ()),
}
"""The managed rules that evaluate each trail (``AWS::CloudTrail::Trail``), as ``RULES``; no parameters (AWS Config
developer guide, cloud-trail-encryption-enabled and cloud-trail-log-file-validation-enabled: "Parameters: None")."""
MANAGED_RULES: Final = {**RULES, **TRAIL_RULES}
"""Every managed rule the fake Config runs."""
READ_WRITE_TYPES: Final = ("ReadOnly", "WriteOnly", "ALL")
RULE_KEYS: Final = ("ConfigRuleName", "InputParameters", "MaximumExecutionFrequency")
REMEDIATION_REQUEST_KEYS: Final = (
    "ConfigRuleName",
    "TargetType",
    "TargetId",
    "TargetVersion",
    "Parameters",
    "ResourceType",
    "Automatic",
    "ExecutionControls",
    "MaximumAutomaticAttempts",
    "RetryAttemptSeconds",
)
"""What PutRemediationConfigurations takes of a remediation configuration (CloudFormation's properties too)."""
REMEDIATION_KEYS: Final = (
    *REMEDIATION_REQUEST_KEYS,
    "Arn",
    "CreatedByService",
)


class ConfigError(AwsError):
    """A request AWS Config refuses: the AWS error code, and the member at fault (``path`` from the request)."""

    def __init__(self, message: str, *, path: KeyPath = (), code: str = INVALID) -> None:
        super().__init__(code, f"{dotted(path)}: {message}" if path else message)
        self.path = path
        self.reason = message


def request_mapping(data: object, path: KeyPath, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ConfigError("must be a mapping", path=path)
    for key in data:
        if key not in allowed:
            raise ConfigError(f"unknown member (known: {', '.join(allowed)})", path=(*path, str(key)))
    return dict(data)
