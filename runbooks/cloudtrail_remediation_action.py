"""cloudtrail-remediation-action: re-enable CloudTrail to best practice (AWS Config automatic remediation).

Creates the trail when it is absent, or repairs the trail homed in this region: multi-region, global service
events, log file validation, SSE-KMS, read and write management events (data-event selectors kept), both
Insights types; then starts logging and verifies the end state. A trail of that name homed in another region
makes the execution fail naming that region, with nothing changed. Running it again changes nothing.

The log destination stays in this account or in the accounts ``AllowedLogAccountIds`` names (default: none, only
this account; the organization variant names its log-archive account): a bucket or key of any other account makes
the execution fail, naming it, before anything is written (``UpsertTrail``). The parameter is a static parameter
of the remediation configuration, which the pattern's SCP protects, so nobody in the account can widen it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.model import Document, Global, Output, Parameter, ParameterType, runbook
from toolkit.model.values import Kind
from toolkit.steps import AssertAwsResourceProperty, ExecuteAwsApi, ExecuteScript

if TYPE_CHECKING:
    from toolkit.fakes.world import World

NAME = "cloudtrail-remediation-action"
SCRIPTS = Path(__file__).with_name("cloudtrail_remediation_action_scripts")

# CloudTrail's trail-name rules (AWS's own pattern, ASCII only): 3-128 letters, digits, '.', '_', '-';
# starts and ends with a letter or digit; no two adjacent separators; not an IPv4 address.
TRAIL_NAME = r"^(?![-_.])(?!.*[-_.]{2})(?!.*[-_.]$)(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)[-A-Za-z0-9_.]{3,128}$"
BUCKET_NAME = r"^(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
# The four key-id forms CloudTrail accepts: alias name, alias ARN, key ARN, key id (multi-Region keys included).
KEY_ID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-f]{32}"
ALIAS = r"alias/[a-zA-Z0-9/_-]{1,250}"
KMS_KEY = rf"^(?:{ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{{12}}:(?:{ALIAS}|key/(?:{KEY_ID}))|{KEY_ID})$"
ACCOUNT_ID = r"^\d{12}$"
ROLE_ARN = r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}"
LOG_GROUP_ARN = r"arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]{1,512}(?::\*)?"
SNS_TOPIC = r"[A-Za-z0-9_-]{1,256}|arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}"

TRAIL_PARAMETERS = (
    "CloudTrailName",
    "CloudTrailS3BucketName",
    "CloudTrailKmsKeyId",
    "IsMultiRegionTrail",
    "IsOrganizationTrail",
    "IncludeGlobalServiceEvents",
    "EnableLogFileValidation",
    "CloudTrailS3KeyPrefix",
    "CloudTrailSnsTopicName",
    "CloudWatchLogsLogGroupArn",
    "CloudWatchLogsRoleArn",
)


def parameters() -> list[Parameter]:
    def flag(name: str, description: str) -> Parameter:
        return Parameter(name=name, type=ParameterType.BOOLEAN, description=description, default=True)

    def optional(name: str, description: str, pattern: str) -> Parameter:
        return Parameter(
            name=name,
            type=ParameterType.STRING,
            description=f"(Optional) {description} Empty leaves the trail's current value.",
            default="",
            allowed_pattern=f"^$|^(?:{pattern})$",
        )

    return [
        Parameter(
            name="CloudTrailName",
            type=ParameterType.STRING,
            description="(Required) The name of the trail to create or repair.",
            allowed_pattern=TRAIL_NAME,
        ),
        Parameter(
            name="CloudTrailS3BucketName",
            type=ParameterType.STRING,
            description="(Required) The S3 bucket for the log files; its policy must let CloudTrail write.",
            allowed_pattern=BUCKET_NAME,
        ),
        Parameter(
            name="CloudTrailKmsKeyId",
            type=ParameterType.STRING,
            description=(
                "(Required) The KMS key that encrypts the log files (SSE-KMS): alias name, alias ARN, key ARN or "
                "key id. Its policy must let CloudTrail encrypt."
            ),
            allowed_pattern=KMS_KEY,
        ),
        Parameter(
            name="AllowedLogAccountIds",
            type=ParameterType.STRING_LIST,
            description=(
                "(Optional) Accounts besides this one that may own the log bucket and the KMS key (a central log "
                "archive). Empty: only this account. A bucket or key of any other account is refused."
            ),
            default=[],
            allowed_pattern=ACCOUNT_ID,
        ),
        Parameter(
            name="AutomationAssumeRole",
            type=ParameterType.STRING,
            description=(
                "(Optional) The ARN of the role Automation assumes. AWS Config automatic remediation passes it "
                "under this name. Empty: the caller's permissions."
            ),
            default="",
            allowed_pattern=f"^$|^{ROLE_ARN}$",
        ),
        flag("IsMultiRegionTrail", "Log events in every region (a multi-region trail)."),
        flag(
            "IsOrganizationTrail",
            "Log events for every account in the organization (management account only).",
        ),
        flag("IncludeGlobalServiceEvents", "Include events of global services such as IAM."),
        flag("EnableLogFileValidation", "Deliver digest files so log files can be validated."),
        optional("CloudTrailS3KeyPrefix", "The S3 key prefix for log files.", r"[^\s]{1,200}"),
        optional("CloudTrailSnsTopicName", "The SNS topic (name or ARN) notified of log deliveries.", SNS_TOPIC),
        optional(
            "CloudWatchLogsLogGroupArn",
            "The CloudWatch Logs log group ARN to deliver events to (with CloudWatchLogsRoleArn).",
            LOG_GROUP_ARN,
        ),
        optional(
            "CloudWatchLogsRoleArn",
            "The role CloudTrail assumes to write to the log group (with CloudWatchLogsLogGroupArn).",
            ROLE_ARN,
        ),
    ]


def build() -> Document:
    params = {parameter.name: parameter for parameter in parameters()}
    trail_name = params["CloudTrailName"].ref
    trail_payload = {
        "TrailName": trail_name,
        "Region": Global.REGION,
        "Account": Global.ACCOUNT_ID,
        "S3BucketName": params["CloudTrailS3BucketName"].ref,
        "KmsKeyId": params["CloudTrailKmsKeyId"].ref,
        "IsMultiRegionTrail": params["IsMultiRegionTrail"].ref,
        "IsOrganizationTrail": params["IsOrganizationTrail"].ref,
        "IncludeGlobalServiceEvents": params["IncludeGlobalServiceEvents"].ref,
        "EnableLogFileValidation": params["EnableLogFileValidation"].ref,
        "S3KeyPrefix": params["CloudTrailS3KeyPrefix"].ref,
        "SnsTopicName": params["CloudTrailSnsTopicName"].ref,
        "CloudWatchLogsLogGroupArn": params["CloudWatchLogsLogGroupArn"].ref,
        "CloudWatchLogsRoleArn": params["CloudWatchLogsRoleArn"].ref,
    }
    upsert = ExecuteScript.from_file(
        SCRIPTS / "upsert_trail.py",
        name="UpsertTrail",
        description=(
            "Refuse a log bucket or key outside this account and AllowedLogAccountIds; create the trail, or update "
            "the trail homed in this region to the requested settings."
        ),
        handler="handler",
        input_payload={**trail_payload, "AllowedLogAccountIds": params["AllowedLogAccountIds"].ref},
        timeout_seconds=300,
        outputs=[
            Output(name="TrailArn", selector="$.Payload.TrailArn", type=Kind.STRING),
            Output(name="Action", selector="$.Payload.Action", type=Kind.STRING),
            Output(name="Changes", selector="$.Payload.Changes", type=Kind.STRING_LIST),
            Output(name="KmsKeyArn", selector="$.Payload.KmsKeyArn", type=Kind.STRING),
        ],
    )
    selectors = ExecuteScript.from_file(
        SCRIPTS / "event_selectors.py",
        name="ApplyEventSelectors",
        description="Record read and write management events with no excluded sources; keep data-event selectors.",
        handler="handler",
        input_payload={"TrailName": trail_name},
        timeout_seconds=120,
        outputs=[Output(name="Changed", selector="$.Payload.Changed", type=Kind.BOOLEAN)],
    )
    insights = ExecuteAwsApi(
        name="EnableInsights",
        description="Enable both Insights types (API call rate and API error rate).",
        service="cloudtrail",
        api="PutInsightSelectors",
        params={
            "TrailName": trail_name,
            "InsightSelectors": [
                {"InsightType": "ApiCallRateInsight"},
                {"InsightType": "ApiErrorRateInsight"},
            ],
        },
    )
    start = ExecuteAwsApi(
        name="StartLogging",
        description="Start logging (a no-op when the trail already logs).",
        service="cloudtrail",
        api="StartLogging",
        params={"Name": trail_name},
    )
    verify_logging = AssertAwsResourceProperty(
        name="VerifyLogging",
        description="The trail is logging.",
        service="cloudtrail",
        api="GetTrailStatus",
        params={"Name": trail_name},
        property_selector="$.IsLogging",
        desired_values=["True"],
    )
    verify_key = AssertAwsResourceProperty(
        name="VerifyEncryption",
        description="Log files are encrypted with the requested KMS key.",
        service="cloudtrail",
        api="GetTrail",
        params={"Name": trail_name},
        property_selector="$.Trail.KmsKeyId",
        desired_values=[upsert.output("KmsKeyArn")],
    )
    verify_settings = ExecuteScript.from_file(
        SCRIPTS / "verify_trail.py",
        name="VerifyTrailSettings",
        description="Every requested setting holds: flags, bucket, key, optional settings, selectors, Insights.",
        handler="handler",
        input_payload={
            **{key: value for key, value in trail_payload.items() if key not in ("Region", "Account", "KmsKeyId")},
            "KmsKeyArn": upsert.output("KmsKeyArn"),
        },
        timeout_seconds=120,
        is_end=True,
    )
    return runbook(
        NAME,
        description=(
            "### cloudtrail-remediation-action\n"
            "Re-enables AWS CloudTrail to best practice, for AWS Config automatic remediation of the "
            "`cloudtrail-enabled` rule: creates the trail or repairs the one homed in this region (multi-region, "
            "global service events, log file validation, SSE-KMS, read and write management events with "
            "data-event selectors kept, Insights), starts logging, and verifies the result. Idempotent. Refuses a "
            "log bucket or KMS key owned by an account other than this one and `AllowedLogAccountIds`.\n"
        ),
        assume_role=params["AutomationAssumeRole"].ref,
        parameters=list(params.values()),
        steps=[upsert, selectors, insights, start, verify_logging, verify_key, verify_settings],
        outputs=[upsert.output("TrailArn"), upsert.output("Action")],
    )


# -- hooks (toolkit.documents) -----------------------------------------------------------------------------------

REPRESENTATIVE_PARAMS: dict[str, Any] = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}
"""The parameters of every representative run: the default world's trail, bucket and key."""
DATA_SELECTORS = [
    {
        "ReadWriteType": "All",
        "IncludeManagementEvents": False,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::trail-logs-123456789012/"]}],
    }
]


def representative_runs() -> list[tuple[World, dict[str, Any]]]:
    """Fixed worlds that between them reach every call of this runbook: the default world (trail stopped), no
    trail at all (created), and a trail with a data-event selector (selectors rewritten). ``runbook docs``,
    ``runbook iam-policy`` and the deploy template's role grant what it calls in them."""
    # imported here: building the runbook needs no fake world
    from toolkit.fakes.default import default_data
    from toolkit.fakes.world import World

    no_trail = default_data()
    no_trail["Trails"] = []
    with_data = default_data()
    with_data["Trails"][0]["EventSelectors"] = DATA_SELECTORS
    worlds = [World.default(), World.from_dict(no_trail), World.from_dict(with_data)]
    return [(world, dict(REPRESENTATIVE_PARAMS)) for world in worlds]
