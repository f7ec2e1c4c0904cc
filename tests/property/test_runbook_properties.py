"""Properties of the built cloudtrail-remediation-action runbook, simulated in generated worlds (toolkit.testing).

1. It ends Success exactly when the world allows it (``causes`` below: the prerequisites of spec cloudtrail.md
   §3-4, as CloudTrail checks them), and then the trail meets every best practice.
2. When it fails, the failed step's message names a cause, and nothing got worse.
3. It never drops an existing data-event selector, basic or advanced.
4. Running it twice (the second time a day later) leaves the same world as running it once, and the second run
   of a successful one writes nothing.

``causes`` is an oracle written from the spec, not from the fakes' code: it restates which requests CloudTrail
makes of the bucket, key and topic policies and evaluates them with the policy evaluator. Counterexamples the
properties found are kept as explicit examples, run first every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from hypothesis import example, given, settings

from toolkit.documents import read_runbook
from toolkit.fakes.cloudtrail.trail import Trail
from toolkit.fakes.default import default_data
from toolkit.fakes.kms import Key
from toolkit.fakes.world import World
from toolkit.iam.policy import Context, Policy, Principal, allowed_by_any, request_context
from toolkit.model.document import Document
from toolkit.simulate import simulate
from toolkit.simulate.clock import EPOCH
from toolkit.simulate.execution import Options
from toolkit.simulate.result import SimulationResult
from toolkit.testing import worlds_and_params

EXAMPLES = 1000
CLOUDTRAIL: Principal = ("Service", "cloudtrail.amazonaws.com")
ALL_MANAGEMENT = [{"Field": "eventCategory", "Equals": ["Management"]}]
INSIGHT_TYPES = {"ApiCallRateInsight", "ApiErrorRateInsight"}
HOMED_ELSEWHERE = "is homed in {region}"
OTHER_OWNER = "belongs to account {account}"
TOO_MANY_SELECTORS = "exceed CloudTrail's 5"
WRITES = {"CreateTrail", "UpdateTrail", "PutEventSelectors"}
A_DAY_LATER = Options(start=EPOCH + timedelta(days=1))


@cache
def runbook() -> Document:
    return read_runbook("cloudtrail-remediation-action").model()


def run(world: World, params: dict[str, Any], options: Options | None = None) -> SimulationResult:
    result = simulate(runbook(), params, world, options=options)
    assert result.status is not None and result.world is not None
    return result


@dataclass(frozen=True)
class Ask:
    """What the parameters ask for (defaults filled in as the runbook declares them)."""

    name: str
    bucket: str
    key: str
    multi: bool
    organization: bool
    global_events: bool
    validation: bool
    prefix: str | None
    topic: str | None
    group: str | None
    role: str | None

    @classmethod
    def of(cls, params: dict[str, Any]) -> Ask:
        return cls(
            name=params["CloudTrailName"],
            bucket=params["CloudTrailS3BucketName"],
            key=params["CloudTrailKmsKeyId"],
            multi=params.get("IsMultiRegionTrail", True),
            organization=params.get("IsOrganizationTrail", True),
            global_events=params.get("IncludeGlobalServiceEvents", True),
            validation=params.get("EnableLogFileValidation", True),
            prefix=params.get("CloudTrailS3KeyPrefix") or None,
            topic=params.get("CloudTrailSnsTopicName") or None,
            group=params.get("CloudWatchLogsLogGroupArn") or None,
            role=params.get("CloudWatchLogsRoleArn") or None,
        )


# -- the oracle: why the runbook cannot succeed in a world (empty: it must succeed) ----------------------------


def causes(world: World, ask: Ask) -> set[str]:
    """Every reason the world refuses what ``ask`` asks, as the AWS error code CloudTrail (or KMS) answers, or the
    runbook's own words when it refuses first (a trail homed elsewhere or another account's, too many basic
    selectors)."""
    region, account = world.region, world.account
    organization = world.organization
    homed = world.trails.get((region, ask.name))
    shadow = next((t for t in world.trails.values() if t.name == ask.name and t.is_multi_region_trail), None)
    found: set[str] = set()
    seen = homed or shadow
    if seen is not None and seen.is_organization_trail and organization and organization.management_account != account:
        # Another account's organization trail: CloudTrail refuses every change, or the runbook refuses first.
        found |= {"NotOrganizationMasterAccountException", OTHER_OWNER.format(account=organization.management_account)}
    if homed is None and shadow is not None:
        return found | {HOMED_ELSEWHERE.format(region=shadow.home_region)}
    key = kms_key(world, ask.key)
    if key is None:
        return found | {"NotFoundException"}  # DescribeKey: KMS finds no such key in this region
    key_arn = f"arn:{world.partition}:kms:{key.region}:{account}:key/{key.key_id}"
    owner = account
    if ask.organization and organization is not None:
        owner = organization.management_account
    trail_arn = f"arn:{world.partition}:cloudtrail:{region}:{owner}:trail/{ask.name}"
    if homed is None or differences(homed, ask, key_arn):
        found |= write_causes(world, ask, homed, trail_arn, owner)
    prefix = ask.prefix or (homed.s3_key_prefix if homed is not None else None)
    organization_id = organization.id if ask.organization and organization is not None else None
    # Insights are always turned on: the bucket must take Insights files as well as logs (and digests).
    found |= bucket_causes(world, ask, trail_arn, owner, prefix, organization_id)
    found |= key_causes(world, ask, key, trail_arn, owner)
    if homed is not None and not records_all_management(homed.event_selectors, homed.advanced_event_selectors):
        data = [selector for selector in homed.event_selectors if selector.get("DataResources")]
        if not homed.advanced_event_selectors and len(data) + 1 > 5:
            found.add(TOO_MANY_SELECTORS)
    return found


def kms_key(world: World, key_id: str) -> Key | None:
    """The key DescribeKey finds from the world's region, by key id, key ARN, alias name or alias ARN."""
    name = key_id
    if key_id.startswith("arn:"):
        _, partition, _, region, account, resource = key_id.split(":", 5)
        if (partition, region, account) != (world.partition, world.region, world.account):
            return None
        name = resource.removeprefix("key/")
    if name.startswith("alias/"):
        return next((k for k in world.keys.values() if k.region == world.region and name in k.aliases), None)
    key = world.keys.get(name)
    return key if key is not None and key.region == world.region else None


def differences(trail: Trail, ask: Ask, key_arn: str) -> list[str]:
    """The settings the runbook must change on the trail homed here (it writes nothing when there are none)."""
    pairs: list[tuple[str, object, object]] = [
        ("S3BucketName", trail.s3_bucket_name, ask.bucket),
        ("IsMultiRegionTrail", trail.is_multi_region_trail, ask.multi),
        ("IncludeGlobalServiceEvents", trail.include_global_service_events, ask.global_events),
        ("LogFileValidationEnabled", trail.log_file_validation_enabled, ask.validation),
        ("IsOrganizationTrail", trail.is_organization_trail, ask.organization),
        ("KmsKeyId", trail.kms_key_id, key_arn),
        *optional_settings(trail, ask),
    ]
    return [name for name, have, want in pairs if have != want]


def optional_settings(trail: Trail, ask: Ask) -> list[tuple[str, object, object]]:
    """(setting, the trail's value, the value asked) for the optional settings: an empty parameter keeps it."""
    group, role = trail.cloud_watch_logs_log_group_arn, trail.cloud_watch_logs_role_arn
    return [
        ("S3KeyPrefix", trail.s3_key_prefix, ask.prefix or trail.s3_key_prefix),
        ("SnsTopicName", topic_name(trail.sns_topic_name), topic_name(ask.topic or trail.sns_topic_name)),
        ("CloudWatchLogsLogGroupArn", group, ask.group or group),
        ("CloudWatchLogsRoleArn", role, ask.role or role),
    ]


def topic_name(topic: str | None) -> str | None:
    return None if topic is None else topic.rsplit(":", 1)[-1]


def write_causes(world: World, ask: Ask, homed: Trail | None, trail_arn: str, owner: str) -> set[str]:
    """What CreateTrail or UpdateTrail refuses (spec §4.3, §4.4, §4.6)."""
    found: set[str] = set()
    if ask.multi and not ask.global_events:
        found.add("InvalidParameterCombinationException")
    converting = ask.multi and (homed is None or not homed.is_multi_region_trail)
    if converting and any(t.name == ask.name and t.home_region != world.region for t in world.trails.values()):
        found.add("TrailAlreadyExistsException")  # its shadows would clash with a same-named trail elsewhere
    if ask.organization:
        found |= organization_causes(world)
    if homed is None and quota_full(world, ask.multi):
        found.add("MaximumNumberOfTrailsExceededException")
    if ask.topic:
        found |= topic_causes(world, ask, trail_arn, owner)
    if ask.group or ask.role:
        found |= logs_causes(world, ask)
    return found


def organization_causes(world: World) -> set[str]:
    organization = world.organization
    if organization is None:
        return {"OrganizationsNotInUseException"}
    found = set()
    if organization.management_account != world.account:
        found.add("NotOrganizationMasterAccountException")
    if organization.feature_set != "ALL":
        found.add("OrganizationNotInAllFeaturesModeException")
    if "cloudtrail.amazonaws.com" not in organization.trusted_services:
        found.add("CloudTrailAccessNotEnabledException")
    return found


def quota_full(world: World, multi: bool) -> bool:
    """Five trails in a region the new trail would appear in (a multi-region trail counts in every region)."""
    trails = list(world.trails.values())
    regions = {world.region} | ({trail.home_region for trail in trails} if multi else set())
    return any(sum(t.home_region == r or t.is_multi_region_trail for t in trails) >= 5 for r in regions)


def allows(policy: Policy | None, action: str, resource: str, context: Context) -> bool:
    """A resource policy lets CloudTrail do it (no policy: the service default, which does not)."""
    return policy is not None and policy.allows(CLOUDTRAIL, action, resource, context)


def bucket_causes(
    world: World, ask: Ask, trail_arn: str, owner: str, prefix: str | None, organization_id: str | None
) -> set[str]:
    """The bucket exists; CloudTrail may read its ACL and write logs, digests and Insights files (§4.6)."""
    bucket = world.buckets.get(ask.bucket)
    if bucket is None:
        return {"S3BucketDoesNotExistException"}
    context = request_context({"aws:SourceArn": trail_arn, "aws:SourceAccount": owner, "aws:SecureTransport": "true"})
    write = (*context, ("s3:x-amz-acl", "bucket-owner-full-control"))
    arn = f"arn:{world.partition}:s3:::{bucket.name}"
    ok = allows(bucket.policy, "s3:GetBucketAcl", arn, context)
    folders = [f"AWSLogs/{owner}/"] + ([f"AWSLogs/{organization_id}/{owner}/"] if organization_id else [])
    kinds = ["CloudTrail", "CloudTrail-Insight"] + (["CloudTrail-Digest"] if ask.validation else [])
    for folder in folders:
        for kind in kinds:
            file = f"{kind}/{world.region}/2026/01/01/{owner}_{kind}_{world.region}_20260101T0000Z_a1.json.gz"
            where = f"{arn}/" + (f"{prefix}/" if prefix else "") + folder + file
            ok = ok and allows(bucket.policy, "s3:PutObject", where, write)
    return set() if ok else {"InsufficientS3BucketPolicyException"}


def key_causes(world: World, ask: Ask, key: Key, trail_arn: str, owner: str) -> set[str]:
    """The key is in the bucket's region, enabled, and lets CloudTrail GenerateDataKey and DescribeKey (§4.6)."""
    found = set()
    bucket = world.buckets.get(ask.bucket)
    if bucket is not None and bucket.region != key.region:
        found.add("KmsKeyNotFoundException")
    if not key.enabled:
        found.add("KmsException")
    context = request_context(
        {"kms:EncryptionContext:aws:cloudtrail:arn": trail_arn, "aws:SourceArn": trail_arn, "aws:SourceAccount": owner}
    )
    arn = key.arn(world.partition, world.account)
    if not all(allows(key.policy, action, arn, context) for action in ("kms:GenerateDataKey", "kms:DescribeKey")):
        found.add("InsufficientEncryptionPolicyException")
    return found


def topic_causes(world: World, ask: Ask, trail_arn: str, owner: str) -> set[str]:
    """The topic (in the trail's region when named by name) exists and lets CloudTrail publish."""
    assert ask.topic is not None
    arn = ask.topic if ask.topic.startswith("arn:") else f"arn:aws:sns:{world.region}:{world.account}:{ask.topic}"
    _, _, _, region, account, name = arn.split(":")
    topic = world.topics.get((region, name)) if account == world.account else None
    context = request_context({"aws:SourceArn": trail_arn, "aws:SourceAccount": owner})
    if topic is None or not allows(topic.policy, "SNS:Publish", arn, context):
        return {"InsufficientSnsTopicPolicyException"}
    return set()


def logs_causes(world: World, ask: Ask) -> set[str]:
    """The log group exists in the trail's region; the role trusts CloudTrail and may write the group's streams."""
    group_arn, role_arn = ask.group or "", ask.role or ""
    parts = group_arn.removesuffix(":*").split(":", 6)
    found = set()
    group = world.log_groups.get((parts[3], parts[6])) if len(parts) == 7 else None
    if group is None or parts[3] != world.region or parts[4] != world.account:
        found.add("InvalidCloudWatchLogsLogGroupArnException")
    role = world.roles.get(role_arn.rsplit("/", 1)[-1])
    if role is None or not allows(role.trust_policy, "sts:AssumeRole", role_arn, ()):
        return found | {"InvalidCloudWatchLogsRoleArnException"}
    stream = f"{group_arn.removesuffix(':*')}:log-stream:{world.account}_CloudTrail_{world.region}"
    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
        if not allowed_by_any(role.policies, ("AWS", role_arn), action, stream):
            found.add("InvalidCloudWatchLogsLogGroupArnException")
    return found


# -- what the trail records ------------------------------------------------------------------------------------


def records_all_management(basic: list[dict[str, Any]], advanced: list[dict[str, Any]]) -> bool:
    """Read and write management events recorded, no source excluded, as AWS Config's multi-region and security
    trail rules read it (spec §2: NON_COMPLIANT if ExcludeManagementEventSources is non-empty): some basic
    selector records all management events and none excludes a source; or, advanced, every management selector
    is the plain one (another, such as eventSource NotEquals, reads as an exclusion; README: "no excluded
    sources remain")."""
    if advanced:
        management = [s for s in advanced if ALL_MANAGEMENT[0] in s.get("FieldSelectors", [])]
        return bool(management) and all(s.get("FieldSelectors") == ALL_MANAGEMENT for s in management)
    records = any(s.get("IncludeManagementEvents", True) and s.get("ReadWriteType", "All") == "All" for s in basic)
    return records and not any(s.get("ExcludeManagementEventSources") for s in basic)


def data_selectors(trail: dict[str, Any]) -> list[object]:
    """A trail's data-event selectors (world-file form): basic ones as (ReadWriteType, DataResources), advanced
    ones whole (those not selecting management events)."""
    basic = [
        ("basic", selector["ReadWriteType"], selector["DataResources"])
        for selector in trail["EventSelectors"]
        if selector["DataResources"]
    ]
    advanced = [
        selector
        for selector in trail["AdvancedEventSelectors"]
        if not any(field == ALL_MANAGEMENT[0] for field in selector["FieldSelectors"])
    ]
    return [*basic, *advanced]


def lost_data_selectors(before: dict[str, Any], after: dict[str, Any]) -> list[object]:
    kept = data_selectors(after)
    return [selector for selector in data_selectors(before) if selector not in kept]


def best_practice_problems(trail: Trail, ask: Ask, key_arn: str) -> list[str]:
    """How the trail falls short of best practice and of what was asked (empty: it meets both)."""
    problems = []
    for setting, value in (
        ("IsLogging", trail.is_logging),
        ("IsMultiRegionTrail", trail.is_multi_region_trail),
        ("IncludeGlobalServiceEvents", trail.include_global_service_events),
        ("LogFileValidationEnabled", trail.log_file_validation_enabled),
    ):
        if not value:
            problems.append(f"{setting} is false")
    if trail.kms_key_id != key_arn:
        problems.append(f"KmsKeyId is {trail.kms_key_id}, not the key ARN {key_arn}")
    if not records_all_management(trail.event_selectors, trail.advanced_event_selectors):
        problems.append(f"selectors {trail.event_selectors or trail.advanced_event_selectors} miss management events")
    if {selector["InsightType"] for selector in trail.insight_selectors} != INSIGHT_TYPES:
        problems.append(f"Insights are {trail.insight_selectors}")
    asked: list[tuple[str, object, object]] = [
        ("S3BucketName", trail.s3_bucket_name, ask.bucket),
        ("IsOrganizationTrail", trail.is_organization_trail, ask.organization),
        *optional_settings(trail, ask),
    ]
    problems += [f"{name} is {have}, asked {want}" for name, have, want in asked if have != want]
    return problems


def worse(before: dict[str, Any], after: dict[str, Any], ask: Ask) -> list[str]:
    """How the target trail got worse (world-file form): logging stopped, a best-practice setting the parameters
    did not turn off turned off, encryption removed, management events or Insights or data selectors lost."""
    found = []
    asked_off = {
        "IsMultiRegionTrail": not ask.multi,
        "IncludeGlobalServiceEvents": not ask.global_events,
        "LogFileValidationEnabled": not ask.validation,
    }
    for setting in ("IsLogging", "IsMultiRegionTrail", "IncludeGlobalServiceEvents", "LogFileValidationEnabled"):
        if before[setting] and not after[setting] and not asked_off.get(setting, False):
            found.append(f"{setting} turned off")
    if before["KmsKeyId"] and not after["KmsKeyId"]:
        found.append("encryption removed")
    basic, advanced = before["EventSelectors"], before["AdvancedEventSelectors"]
    if records_all_management(basic, advanced) and not records_all_management(
        after["EventSelectors"], after["AdvancedEventSelectors"]
    ):
        found.append("management events lost")
    insights = {selector["InsightType"] for selector in after["InsightSelectors"]}
    if not {selector["InsightType"] for selector in before["InsightSelectors"]} <= insights:
        found.append("Insights lost")
    found += [f"data selector lost: {selector}" for selector in lost_data_selectors(before, after)]
    return found


def by_place(world: World) -> dict[tuple[str, str], dict[str, Any]]:
    """The world's trails in world-file form (``world.to_dict()["Trails"]``'s entries, without writing the rest of
    the world) by (home region, name)."""
    trails = [trail.to_dict() for trail in world.trails.values()]
    return {(trail["HomeRegion"], trail["Name"]): trail for trail in trails}


# -- the properties --------------------------------------------------------------------------------------------

DEFAULT_PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": "trail-logs-123456789012",
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}


def default_world_with(trail: dict[str, Any] | None = None, *others: dict[str, Any]) -> World:
    """The default world, its trail ``main`` changed by ``trail``, with ``others`` added."""
    data = default_data()
    data["Trails"] = [{**data["Trails"][0], **(trail or {})}, *others]
    return World.from_dict(data)


KMS_EVENTS_EXCLUDED_BESIDE_ALL = (
    default_world_with(
        {"EventSelectors": [{"ReadWriteType": "All"}, {"ExcludeManagementEventSources": ["kms.amazonaws.com"]}]}
    ),
    DEFAULT_PARAMS,
)
"""An All selector beside one excluding KMS events: the runbook left the exclusion in place (fixed in 38e6d7d)."""
NAME_TAKEN_IN_ANOTHER_REGION = (
    default_world_with(None, {"Name": "audit", "HomeRegion": "eu-west-1", "S3BucketName": "trail-logs-123456789012"}),
    {**DEFAULT_PARAMS, "CloudTrailName": "audit"},
)
"""A single-region trail of that name homed elsewhere: CreateTrail said TrailAlreadyExistsException, but the
runbook's fallback UpdateTrail failed with TrailNotFoundException, and that is what the step reported."""
FIVE_DATA_SELECTORS_MADE_AN_ORGANIZATION_TRAIL = (
    default_world_with(
        {
            "EventSelectors": [
                {
                    "ReadWriteType": "All",
                    "IncludeManagementEvents": False,
                    "DataResources": [{"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::data-{n}/"]}],
                }
                for n in range(5)
            ]
        }
    ),
    DEFAULT_PARAMS,
)
"""Five basic data selectors on a trail the runbook makes an organization trail: UpdateTrail succeeds (and CloudTrail
creates its service-linked role, as AWS does), then ApplyEventSelectors refuses a sixth selector. The property had
said nothing but the trails may change; the role is CloudTrail's own, created by a write that succeeded (found when
the strategies drew from uniform bytes, 2026-12)."""
SERVICE_LINKED_ROLE = "AWSServiceRoleForCloudTrail"


def without_service_linked_role(after: dict[str, Any], before: dict[str, Any], trail: dict[str, Any] | None) -> Any:
    """``after`` without CloudTrail's service-linked role when saving ``trail`` (the target, after) as an organization
    trail created it: the only change outside the trails a failed run may leave."""
    created = SERVICE_LINKED_ROLE not in {role["Name"] for role in before["Roles"]}
    if not (created and trail is not None and trail["IsOrganizationTrail"]):
        return after
    return {**after, "Roles": [role for role in after["Roles"] if role["Name"] != SERVICE_LINKED_ROLE]}


@settings(max_examples=EXAMPLES)
@given(worlds_and_params())
@example(KMS_EVENTS_EXCLUDED_BESIDE_ALL)
def test_succeeds_exactly_when_the_world_allows_and_then_meets_best_practice(
    case: tuple[World, dict[str, Any]],
) -> None:
    world, params = case
    ask = Ask.of(params)
    expected = causes(world, ask)
    result = run(world, params)
    failed = [step for step in result.steps if step.status == "Failed"]
    if expected:
        assert result.status == "Failed", f"succeeded although {sorted(expected)}"
        return
    assert result.status == "Success", f"failed: {failed[-1].name}: {failed[-1].failure_message}"
    assert result.world is not None
    trail = result.world.trails[(world.region, ask.name)]
    key = kms_key(world, ask.key)
    assert key is not None
    problems = best_practice_problems(trail, ask, key.arn(world.partition, world.account))
    assert not problems, problems


@settings(max_examples=EXAMPLES)
@given(worlds_and_params(vary_flags=True))
@example(NAME_TAKEN_IN_ANOTHER_REGION)
@example(FIVE_DATA_SELECTORS_MADE_AN_ORGANIZATION_TRAIL)
def test_a_failure_names_its_cause_and_makes_nothing_worse(case: tuple[World, dict[str, Any]]) -> None:
    world, params = case
    result = run(world, params)
    if result.status == "Success":
        return
    ask = Ask.of(params)
    expected = causes(world, ask)
    failed = [step for step in result.steps if step.status == "Failed"]
    assert failed, "the execution failed with no failed step"
    message = failed[-1].failure_message or ""
    named = [cause for cause in expected if cause in message]
    assert named, f"{failed[-1].name} failed with {message!r}; the causes are {sorted(expected)}"
    if named[0].endswith("Exception"):
        assert any(call.error == named[0] for call in result.calls), f"no AWS call answered {named[0]}"
    assert result.world is not None
    before, after = world.to_dict(), result.world.to_dict()
    if failed[-1].name == "UpsertTrail":
        assert after == before, "UpsertTrail failed but changed the world"
    trails_before, trails_after = by_place(world), by_place(result.world)
    target = (world.region, ask.name)
    after = without_service_linked_role(after, before, trails_after.get(target))
    assert {k: v for k, v in after.items() if k != "Trails"} == {k: v for k, v in before.items() if k != "Trails"}
    assert set(trails_before) <= set(trails_after), "a trail was deleted"
    assert set(trails_after) - set(trails_before) <= {target}, "a trail other than the one named appeared"
    for place, trail in trails_before.items():
        if place != target:
            assert trails_after[place] == trail, f"trail {place} was touched"
        else:
            assert not worse(trail, trails_after[place], ask), worse(trail, trails_after[place], ask)


@settings(max_examples=EXAMPLES)
@given(worlds_and_params(vary_flags=True))
def test_never_drops_a_data_event_selector(case: tuple[World, dict[str, Any]]) -> None:
    world, params = case
    result = run(world, params)
    assert result.world is not None
    after = by_place(result.world)
    for place, trail in by_place(world).items():
        assert place in after, f"trail {place} was deleted"
        assert not lost_data_selectors(trail, after[place]), lost_data_selectors(trail, after[place])


@settings(max_examples=EXAMPLES)
@given(worlds_and_params(vary_flags=True))
def test_running_twice_leaves_the_world_as_running_once(case: tuple[World, dict[str, Any]]) -> None:
    world, params = case
    first = run(world, params)
    assert first.world is not None
    second = run(first.world, params, A_DAY_LATER)
    assert second.world is not None
    # Nothing is ignored, times included: the second run starts a day later, so a logging time it rewrote (a
    # StartLogging that restarts a logging trail, say) would show. StartLogging on a logging trail changes nothing.
    assert second.world.to_dict() == first.world.to_dict()
    assert second.status == first.status
    if first.status == "Success":
        writes = [call.operation for call in second.calls if call.operation in WRITES]
        assert not writes, f"the second run wrote {writes}"


@settings(max_examples=50)
@given(worlds_and_params())
def test_by_place_reads_the_trails_as_the_world_file_writes_them(case: tuple[World, dict[str, Any]]) -> None:
    world = case[0]
    for one in (world, KMS_EVENTS_EXCLUDED_BESIDE_ALL[0], NAME_TAKEN_IN_ANOTHER_REGION[0]):
        written = {(trail["HomeRegion"], trail["Name"]): trail for trail in one.to_dict()["Trails"]}
        assert by_place(one) == written
