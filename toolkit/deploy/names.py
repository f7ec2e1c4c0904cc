"""The names the pattern's templates fix, so that policies can name what they protect (never by forgeable tags).

Each ``*_SUB`` is an ``Fn::Sub`` string: ``${Account}`` is filled by the template (its own account, or the
log-archive account's id for central logging)."""

from __future__ import annotations

from typing import Final

LOG_BUCKET_PREFIX: Final = "cloudtrail-logs-"
"""Every bucket of the pattern starts so (the log bucket and its access-log bucket): the SCP protects them all."""
LOG_BUCKET_SUB: Final = "cloudtrail-logs-${Account}-${AWS::Region}"
ACCESS_LOG_BUCKET_SUB: Final = "cloudtrail-logs-access-${Account}-${AWS::Region}"
ACCESS_LOG_PREFIX: Final = "cloudtrail-logs/"
"""Where S3 server access logging writes the log bucket's access records in the access-log bucket."""
CONFIG_PREFIX: Final = "config"
"""The S3 key prefix of AWS Config's delivery channel in the log bucket."""

KEY_ALIAS: Final = "alias/cloudtrail-logs"
"""The trail key's alias: the SCP protects the key by it (``kms:ResourceAliases``) and the alias itself."""
ALARM_KEY_ALIAS: Final = "alias/cloudtrail-alarm"
"""The alarm topic's key (EventBridge cannot publish to a topic under an AWS managed key)."""
PROTECTED_ALIASES: Final = (KEY_ALIAS, ALARM_KEY_ALIAS)

DOCUMENT_NAME: Final = "cloudtrail-remediation-action"
DELIVERY_CHECK_NAME: Final = "cloudtrail-delivery-check"
"""The SSM Automation runbook that checks CloudTrail's delivery (GetTrailStatus) and alarms."""
DOCUMENT_NAMES: Final = (DOCUMENT_NAME, DELIVERY_CHECK_NAME)

REMEDIATION_ROLE_NAME: Final = "CloudTrailRemediationAutomation"
DELIVERY_CHECK_ROLE_NAME: Final = "CloudTrailDeliveryCheck"
SCHEDULER_ROLE_NAME: Final = "CloudTrailDeliveryCheckScheduler"
PATTERN_ROLE_NAMES: Final = (REMEDIATION_ROLE_NAME, DELIVERY_CHECK_ROLE_NAME, SCHEDULER_ROLE_NAME)
"""The member accounts' roles of the pattern, named so that the SCP can protect them."""
STACKSETS_EXECUTION_ROLE: Final = "stacksets-exec-*"
"""The role service-managed StackSets create in each target account (through a service-linked role)."""

ALARM_TOPIC_NAME: Final = "cloudtrail-remediation-alarm"
RULE_PREFIX: Final = "cloudtrail-remediation-"
"""Every EventBridge rule of the pattern starts so."""
FAILED_RULE_NAME: Final = "cloudtrail-remediation-failed"
NONCOMPLIANT_RULE_NAME: Final = "cloudtrail-remediation-noncompliant"
SCHEDULE_RULE_NAME: Final = "cloudtrail-remediation-delivery-check"

STACK_SET_NAME: Final = "cloudtrail-remediation"
LOG_ARCHIVE_STACK_SET_NAME: Final = "cloudtrail-remediation-log-archive"
STACK_INSTANCE_PREFIX: Final = "StackSet-cloudtrail-remediation-"
"""Stack instances of both StackSets are named ``StackSet-<stack set name>-<uuid>``."""
ALARM_STACK_SET_NAME: Final = "cloudtrail-remediation-alarm"
