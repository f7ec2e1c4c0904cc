"""Fake AWS Config, the parts the pattern needs (spec cloudtrail.md §2 and §3): five managed rules evaluated
against a world, the remediation configuration as PutRemediationConfigurations takes it, and the bookkeeping of
automatic remediation (attempts, retries, RemediationException). Running the remediation's runbook is not done
here (fakes never import the simulator): ``toolkit.scenario`` runs it and reports each attempt back.

Rules. Three evaluate the account (``AWS::::Account``, resource id = the account id) in the world's Region, over
the trails visible there (homed there, or multi-region trails homed elsewhere, whose shadows it holds; an
organization trail of the management account counts in a member account like any other). A trail satisfies:

- ``cloudtrail-enabled`` when it is logging and matches the given s3BucketName, snsTopicArn and
  cloudWatchLogsLogGroupArn (exact values; a log group ARN's trailing ``:*`` is ignored);
- ``multi-region-cloudtrail-enabled`` when it is multi-region, logging, matches those three parameters, excludes no
  management event sources, and one of its management selectors records what includeManagementEvents and
  readWriteType ask (ALL: read and write; a selector recording both satisfies ReadOnly or WriteOnly);
- ``cloudtrail-security-trail-enabled`` when it is multi-region, logging, includes global service events, has log
  file validation and a KMS key, excludes no management event sources, and one selector records read and write
  management events.

Two rules evaluate each trail (``AWS::CloudTrail::Trail``, resource id = the trail's name, as Config records a trail
in its home region: one result per trail homed in the rule's Region; none when there is none) and take no
parameters (AWS Config developer guide; both Periodic):

- ``cloud-trail-encryption-enabled`` (CLOUD_TRAIL_ENCRYPTION_ENABLED): COMPLIANT if the trail's KmsKeyId is
  defined;
- ``cloud-trail-log-file-validation-enabled`` (CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED): NON_COMPLIANT if log file
  validation is not enabled.

Whether the trail is logging does not count for these two (the pages name only the setting). ``evaluate_resources``
gives every result of a rule; ``evaluate`` sums a per-trail rule up as one (its first NON_COMPLIANT trail, else
its first trail, else NOT_APPLICABLE for the account), for callers that follow one resource.

A rule may carry another name than its managed rule's (``ConfigRule.managed``: PutConfigRule names the managed rule
by its SourceIdentifier). ``state`` holds AWS Config's state in the world (rules, evaluations, remediation
configurations, exceptions and execution statuses, the recorder and delivery channel), which the config API
(``toolkit.fakes.services.config``) and ``toolkit.scenario`` both read and write.

Decisions where AWS is silent [UNVERIFIED]: the per-trail rules evaluate the trails the account holds homed in
the Region (a shadow is evaluated in its home Region only); multi-region-cloudtrail-enabled and
cloudtrail-security-trail-enabled require the trail to be logging (spec §8 leaves it open; a
stopped trail records nothing); read and write must come from one selector, basic or advanced (a
read-only and a write-only selector do not add up, as one reading of the advanced-selector docs has it); an
advanced management selector with any eventSource condition does not record all sources.

Remediation: ``RemediationConfiguration.read`` checks a configuration as PutRemediationConfigurations would
(limits from the API model), raising ``ConfigError`` with code InvalidParameterValueException and the member at
fault. ``RemediationHistory`` keeps one resource's attempts: automatic attempts are retried every
RetryAttemptSeconds / MaximumAutomaticAttempts seconds, so that all of them fall in the window; when
MaximumAutomaticAttempts failures (since the last success) fall within RetryAttemptSeconds, Config records a
RemediationException and stops remediating the resource automatically until the exception is deleted [doc: §3.2;
the spacing of retries is UNVERIFIED]. An automatic remediation without a value for AutomationAssumeRole fails
without running: Config passes a role to automatic remediation only through that parameter (§3.3), and its own
service-linked role may only start automations [UNVERIFIED: how AWS reports it].
"""

from __future__ import annotations

from toolkit.fakes.config.common import (
    ACCOUNT,
    ASSUME_ROLE,
    COMPLIANT,
    DEFAULT_FREQUENCY,
    FAILED,
    FREQUENCIES,
    INVALID,
    MANAGED_RULES,
    MATCHED_PARAMETERS,
    NON_COMPLIANT,
    NOT_APPLICABLE,
    READ_WRITE_TYPES,
    REMEDIATION_KEYS,
    RULE_KEYS,
    RULES,
    SUCCEEDED,
    TRAIL,
    TRAIL_RULES,
    ConfigError,
)
from toolkit.fakes.config.remediation import Attempt, RemediationConfiguration, RemediationException, RemediationHistory
from toolkit.fakes.config.rules import ConfigRule, Evaluation, evaluate, evaluate_resources, management_selectors

__all__ = [
    "ACCOUNT",
    "ASSUME_ROLE",
    "COMPLIANT",
    "DEFAULT_FREQUENCY",
    "FAILED",
    "FREQUENCIES",
    "INVALID",
    "MANAGED_RULES",
    "MATCHED_PARAMETERS",
    "NON_COMPLIANT",
    "NOT_APPLICABLE",
    "READ_WRITE_TYPES",
    "REMEDIATION_KEYS",
    "RULES",
    "RULE_KEYS",
    "SUCCEEDED",
    "TRAIL",
    "TRAIL_RULES",
    "Attempt",
    "ConfigError",
    "ConfigRule",
    "Evaluation",
    "RemediationConfiguration",
    "RemediationException",
    "RemediationHistory",
    "evaluate",
    "evaluate_resources",
    "management_selectors",
]
