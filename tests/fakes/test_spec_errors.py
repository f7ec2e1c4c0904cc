"""Every error the CloudTrail operation table lists (spec cloudtrail.md §4.4), accounted for.

An error with a cause in the world's state (name rules, existence, home region, organization prerequisites, quota,
the bucket, key, topic and log-group checks, selectors, Insights, tags) is raised by the fake: by a case here, or by
the existing case named in ``ELSEWHERE`` (checked to exist with that code). An error with no such cause in a
one-account fake (throttling, conflicts, service-linked roles, ...) is injected with ``world.register`` and must
reach the runbook's execution as that code: the failed step names it, the execution is Failed, and a script's
boto3 client raises botocore's modeled exception class for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes import test_cloudtrail_create_errors, test_cloudtrail_errors
from tests.fakes.refusals import SOLO_ARN, Case, check_refusal, elsewhere, full
from tests.fakes.worlds import ACCOUNT, TRAIL_ARN, trail, world
from toolkit.fakes.default import DEFAULT_BUCKET, default_data
from toolkit.fakes.errors import AwsError
from toolkit.fakes.world import World
from toolkit.model import Document
from toolkit.simulate.boto_models import ServiceModels

SERVICE_MODELS = ServiceModels()

SPEC_ERRORS = (
    # CreateTrail
    "InvalidTrailNameException",
    "TrailAlreadyExistsException",
    "MaximumNumberOfTrailsExceededException",
    "S3BucketDoesNotExistException",
    "InvalidS3BucketNameException",
    "InsufficientS3BucketPolicyException",
    "InsufficientEncryptionPolicyException",
    "KmsKeyNotFoundException",
    "InvalidKmsKeyIdException",
    "KmsException",
    "KmsKeyDisabledException",
    "InvalidParameterCombinationException",
    "InvalidS3PrefixException",
    "InvalidSnsTopicNameException",
    "InsufficientSnsTopicPolicyException",
    "InvalidCloudWatchLogsLogGroupArnException",
    "InvalidCloudWatchLogsRoleArnException",
    "CloudWatchLogsDeliveryUnavailableException",
    "InvalidTagParameterException",
    "TagsLimitExceededException",
    "OrganizationsNotInUseException",
    "NotOrganizationMasterAccountException",
    "OrganizationNotInAllFeaturesModeException",
    "CloudTrailAccessNotEnabledException",
    "NoManagementAccountSLRExistsException",
    "InsufficientDependencyServiceAccessPermissionException",
    "InvalidParameterException",
    "ConflictException",
    "ThrottlingException",
    "OperationNotPermittedException",
    "UnsupportedOperationException",
    "CloudTrailInvalidClientTokenIdException",
    "TrailNotProvidedException",
    # UpdateTrail, DeleteTrail, logging, reads
    "TrailNotFoundException",
    "InvalidHomeRegionException",
    "CloudTrailARNInvalidException",
    "InvalidEventSelectorsException",
    # Insights
    "InvalidInsightSelectorsException",
    "InsightNotEnabledException",
    # Tags
    "ResourceNotFoundException",
    "ResourceTypeNotSupportedException",
)
"""The error codes of §4.4's table, each once, in the table's order."""

CREATE = "test_cloudtrail_create_errors.py"
OTHERS = "test_cloudtrail_errors.py"
EXISTING: dict[str, list[Case]] = {
    CREATE: test_cloudtrail_create_errors.CASES,
    OTHERS: test_cloudtrail_errors.CASES,
}

ELSEWHERE: dict[str, tuple[str, str]] = {
    # code: (module, case id) of the existing refusal that raises it from state. Observed messages of
    # TrailAlreadyExists, S3BucketDoesNotExist, InsufficientS3BucketPolicy, InsufficientEncryptionPolicy,
    # InvalidParameterCombination, TrailNotFound (by name) and InsightNotEnabled are asserted by
    # test_cloudtrail_errors.py::test_error_messages_as_observed_from_aws; the others' below.
    "InvalidTrailNameException": (CREATE, "adjacent separators"),
    "TrailAlreadyExistsException": (CREATE, "existing name"),
    "MaximumNumberOfTrailsExceededException": (CREATE, "quota counts shadows"),
    "S3BucketDoesNotExistException": (CREATE, "unknown bucket"),
    "InvalidS3BucketNameException": (CREATE, "invalid bucket name"),
    "InsufficientS3BucketPolicyException": (CREATE, "no write grant"),
    "InsufficientEncryptionPolicyException": (CREATE, "key policy without describe"),
    "KmsKeyNotFoundException": (CREATE, "key and bucket in different regions"),
    "InvalidKmsKeyIdException": (CREATE, "malformed key id"),
    "KmsException": (CREATE, "disabled key"),
    "InvalidParameterCombinationException": (CREATE, "multi-region without global events"),
    "InvalidS3PrefixException": (CREATE, "long prefix"),
    "InvalidSnsTopicNameException": (CREATE, "bad topic name"),
    "InvalidCloudWatchLogsLogGroupArnException": (CREATE, "unknown log group"),
    "InvalidCloudWatchLogsRoleArnException": (CREATE, "log group without role"),
    "InvalidTagParameterException": (CREATE, "duplicate tag keys"),
    "TagsLimitExceededException": (CREATE, "too many tags"),
    "OrganizationsNotInUseException": (CREATE, "no organization"),
    "NotOrganizationMasterAccountException": (CREATE, "member account"),
    "OrganizationNotInAllFeaturesModeException": (CREATE, "consolidated billing"),
    "CloudTrailAccessNotEnabledException": (CREATE, "no trusted access"),
    "TrailNotFoundException": (OTHERS, "update unknown"),
    "InvalidHomeRegionException": (OTHERS, "delete shadow"),
    "CloudTrailARNInvalidException": (OTHERS, "update by ARN of another region"),
    "InvalidEventSelectorsException": (OTHERS, "wildcard bucket data resource"),
    "InvalidInsightSelectorsException": (OTHERS, "call rate needs write events"),
    "InsightNotEnabledException": (OTHERS, "insights not enabled"),
    "ResourceNotFoundException": (OTHERS, "tag unknown trail"),
}


def member_account() -> World:
    """The default world as a member account: the organization's management account is another one."""
    return world(
        Organization={**default_data()["Organization"], "ManagementAccount": "111122223333"},
        Trails=[trail("main", IsOrganizationTrail=True)],
    )


def unpublished_topic() -> World:
    """A topic that exists with SNS's default policy (its owner only), which does not let CloudTrail publish."""
    return world(Topics=[{"Name": "trail-notices"}])


CASES: list[Case] = [
    # State causes no existing case covers.
    ("list tags of no trail", World.default, "ListTags", {"ResourceIdList": []}, "InvalidParameterException"),
    (
        "topic without a publish grant",
        unpublished_topic,
        "CreateTrail",
        full(SnsTopicName="trail-notices"),
        "InsufficientSnsTopicPolicyException",
    ),
    (
        "stop an organization trail from a member",
        member_account,
        "StopLogging",
        {"Name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"},
        "NotOrganizationMasterAccountException",
    ),
    ("delete by malformed ARN", World.default, "DeleteTrail", {"Name": "arn:aws:x"}, "CloudTrailARNInvalidException"),
    ("status of invalid name", World.default, "GetTrailStatus", {"Name": "abc_"}, "InvalidTrailNameException"),
]


@pytest.mark.parametrize(
    ("make", "operation", "params", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_the_fake_raises_the_listed_error_from_state_and_changes_nothing(
    make: Any, operation: str, params: dict[str, Any], code: str | None
) -> None:
    check_refusal(make, operation, params, code)


MessageCase = tuple[str, Callable[[], World], str, dict[str, Any], str, str]
"""(id, world factory, operation, params, code, the message the spec records as observed)"""

MESSAGES: list[MessageCase] = [
    (
        "name too short",
        World.default,
        "CreateTrail",
        full(Name="ab"),
        "InvalidTrailNameException",
        "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.",
    ),
    (
        "name too long",
        World.default,
        "CreateTrail",
        full(Name="a" * 129),
        "InvalidTrailNameException",
        "Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters.",
    ),
    (
        "name starts badly",
        World.default,
        "CreateTrail",
        full(Name="-abc"),
        "InvalidTrailNameException",
        "Trail name must starts with a letter or number.",
    ),
    (
        "name ends badly",
        World.default,
        "StartLogging",
        {"Name": "abc-"},
        "InvalidTrailNameException",
        "Trail name must ends with a letter or number.",
    ),
    (
        "name with a space",
        World.default,
        "CreateTrail",
        full(Name="my trail"),
        "InvalidTrailNameException",
        "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), "
        "and underscores (_).",
    ),
    (
        "unknown trail by ARN",
        World.default,
        "UpdateTrail",
        {"Name": TRAIL_ARN.replace("main", "absent")},
        "TrailNotFoundException",
        f"Unknown trail: {TRAIL_ARN.replace('main', 'absent')} for the user: {ACCOUNT}",
    ),
    (
        "ARN of another region",
        elsewhere,
        "UpdateTrail",
        {"Name": SOLO_ARN},
        "CloudTrailARNInvalidException",
        "Region in ARN is wrong, you can only access resources in region us-east-1.",
    ),
    (
        "wildcard bucket data resource",
        World.default,
        "PutEventSelectors",
        {
            "TrailName": "main",
            "EventSelectors": [{"DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::*"]}]}],
        },
        "InvalidEventSelectorsException",
        "Value arn:aws:s3:::* for DataResources.Values is invalid.",
    ),
]


def refused(make: Callable[[], World], operation: str, params: dict[str, Any]) -> AwsError:
    """The error the call raises in a fresh world from ``make``, after checking the world did not change."""
    subject = make()
    before = subject.to_dict()
    with pytest.raises(AwsError) as caught:
        subject.backend().call("cloudtrail", operation, params)
    assert subject.to_dict() == before
    return caught.value


@pytest.mark.parametrize(
    ("make", "operation", "params", "code", "message"),
    [case[1:] for case in MESSAGES],
    ids=[case[0] for case in MESSAGES],
)
def test_observed_messages_as_the_spec_records_them(
    make: Callable[[], World], operation: str, params: dict[str, Any], code: str, message: str
) -> None:
    error = refused(make, operation, params)
    assert (error.code, error.message) == (code, message)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        pytest.param(
            "UpdateTrail",
            {"Name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "EnableLogFileValidation": True},
            id="update",
        ),
        pytest.param(
            "CreateTrail",
            full(IsOrganizationTrail=True),
            id="create",
        ),
    ],
)
def test_a_member_account_is_told_to_sign_in_with_the_management_account(
    operation: str, params: dict[str, Any]
) -> None:
    """Observed through CloudFormation: '…requires being signed in with the management account.' (§4.4)."""
    error = refused(member_account, operation, params)
    assert error.code == "NotOrganizationMasterAccountException"
    assert error.message.endswith("requires being signed in with the management account."), error.message


@pytest.mark.parametrize("operation", ["GetTrailStatus", "GetTrail", "GetEventSelectors"])
def test_a_read_by_an_arn_of_another_region_is_refused_as_an_invalid_arn(operation: str) -> None:
    """§4.2: any operation whose Name is an ARN pointing to the wrong region raises CloudTrailARNInvalidException.
    ``solo`` is a single-region trail homed in eu-west-1: us-east-1 has no shadow of it, so its ARN points to the
    wrong region here (a multi-region trail's ARN does not: its shadow is read by ARN, §4.3)."""
    member = "Name" if operation != "GetEventSelectors" else "TrailName"
    error = refused(elsewhere, operation, {member: SOLO_ARN})
    assert error.code == "CloudTrailARNInvalidException", error.message
    assert error.message == "Region in ARN is wrong, you can only access resources in region us-east-1."


# -- errors with no state cause: injected, they reach the runbook as their code ----------------------------------

RUNBOOK = "cloudtrail-remediation-action"
PARAMS = {
    "CloudTrailName": "main",
    "CloudTrailS3BucketName": DEFAULT_BUCKET,
    "CloudTrailKmsKeyId": "alias/cloudtrail",
}
SCRIPT_STEPS = frozenset({"UpsertTrail", "ApplyEventSelectors", "VerifyTrailSettings"})
BEFORE_ANY_WRITE = frozenset({"DescribeTrails", "CreateTrail", "UpdateTrail"})
"""The runbook's first write is UpsertTrail's CreateTrail or UpdateTrail: a fault there or before changes nothing."""


def no_trails() -> World:
    """The default world without its trail: the runbook creates ``main``."""
    return world(Trails=[])


Injected = tuple[str, str, Callable[[], World], str]
"""(error code, the operation the runbook calls that raises it, world factory, the step that must fail)"""

INJECTED: list[Injected] = [
    ("ThrottlingException", "PutInsightSelectors", World.default, "EnableInsights"),
    ("ThrottlingException", "GetInsightSelectors", World.default, "VerifyTrailSettings"),
    ("ConflictException", "StartLogging", World.default, "StartLogging"),
    ("OperationNotPermittedException", "DescribeTrails", World.default, "UpsertTrail"),
    ("UnsupportedOperationException", "GetTrailStatus", World.default, "VerifyLogging"),
    ("CloudTrailInvalidClientTokenIdException", "CreateTrail", no_trails, "UpsertTrail"),
    ("TrailNotProvidedException", "UpdateTrail", World.default, "UpsertTrail"),  # the model says unused
    ("KmsKeyDisabledException", "CreateTrail", no_trails, "UpsertTrail"),  # the model says no longer used
    ("NoManagementAccountSLRExistsException", "GetEventSelectors", World.default, "ApplyEventSelectors"),
    ("InsufficientDependencyServiceAccessPermissionException", "CreateTrail", no_trails, "UpsertTrail"),
    # AddTags' error: the runbook tags nothing, so it stands in for any unexpected error of a call it makes.
    ("ResourceTypeNotSupportedException", "GetTrail", World.default, "VerifyEncryption"),
    ("CloudWatchLogsDeliveryUnavailableException", "UpdateTrail", World.default, "UpsertTrail"),
]
INJECTED_IDS = [f"{code} on {operation}" for code, operation, _, _ in INJECTED]


def raising(code: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def handler(params: dict[str, Any]) -> dict[str, Any]:
        raise AwsError(code, f"injected {code}")

    return handler


@pytest.fixture(scope="module")
def runbook() -> Document:
    from toolkit.documents import read_runbook

    return read_runbook(RUNBOOK).model()


@pytest.mark.parametrize(("code", "operation", "make", "step"), INJECTED, ids=INJECTED_IDS)
def test_an_injected_error_fails_the_runbook_naming_its_code(
    runbook: Document, code: str, operation: str, make: Callable[[], World], step: str
) -> None:
    from toolkit.simulate import simulate

    subject = make()
    before = subject.to_dict()
    subject.register("cloudtrail", operation, raising(code))
    result = simulate(runbook, PARAMS, subject)
    assert result.status == "Failed"
    assert [(run.name, run.status) for run in result.steps][-1] == (step, "Failed")
    assert [run.name for run in result.steps if run.status != "Success"] == [step]
    failed = result.steps[-1].failure_message
    if step in SCRIPT_STEPS:
        # The script's boto3 client raised botocore's modeled class (named after the code), a ClientError.
        expected = f"{code}: An error occurred ({code}) when calling the {operation} operation: injected {code}"
    else:
        expected = f"{code}: injected {code}"
    assert failed == expected
    last = result.calls[-1]
    assert (last.service, last.operation) == ("cloudtrail", operation)
    assert result.world is not None
    if operation in BEFORE_ANY_WRITE:
        assert result.world.to_dict() == before
    else:
        assert result.world.to_dict() != before


BOTO_PARAMS: dict[str, dict[str, Any]] = {
    "DescribeTrails": {"includeShadowTrails": True},
    "CreateTrail": {"Name": "main", "S3BucketName": DEFAULT_BUCKET},
    "UpdateTrail": {"Name": "main", "KmsKeyId": "alias/cloudtrail"},
    "GetEventSelectors": {"TrailName": "main"},
    "PutInsightSelectors": {"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]},
    "GetInsightSelectors": {"TrailName": "main"},
    "StartLogging": {"Name": "main"},
    "GetTrailStatus": {"Name": "main"},
    "GetTrail": {"Name": "main"},
}


@pytest.mark.parametrize(("code", "operation", "make", "step"), INJECTED, ids=INJECTED_IDS)
def test_an_injected_error_reaches_a_script_as_the_modeled_client_error(
    code: str, operation: str, make: Callable[[], World], step: str
) -> None:
    from botocore import xform_name

    from toolkit.simulate.boto import ScriptAws

    subject = make()
    subject.register("cloudtrail", operation, raising(code))
    client = ScriptAws(SERVICE_MODELS, subject.backend().call, "us-east-1").client("cloudtrail")
    with pytest.raises(ClientError) as caught:
        getattr(client, xform_name(operation))(**BOTO_PARAMS[operation])
    assert type(caught.value) is getattr(client.exceptions, code)
    assert caught.value.response["Error"] == {"Code": code, "Message": f"injected {code}"}
    assert caught.value.operation_name == operation


# -- the accounting -------------------------------------------------------------------------------------------


def test_every_listed_error_is_accounted_for() -> None:
    """Each code of §4.4 is raised from state (a case here or the existing case named) or injected, and each
    reference names an existing case that expects that code."""
    assert len(set(SPEC_ERRORS)) == len(SPEC_ERRORS) == 41
    here = {case[4] for case in CASES} | {case[4] for case in MESSAGES}
    injected = {code for code, _, _, _ in INJECTED}
    assert set(ELSEWHERE) | here | injected == set(SPEC_ERRORS)
    assert (set(ELSEWHERE) | here | injected) - set(SPEC_ERRORS) == set()
    for code, (module, case_id) in ELSEWHERE.items():
        expected = {case[0]: case[4] for case in EXISTING[module]}
        assert expected.get(case_id) == code, f"{module} has no case {case_id!r} raising {code}"


def test_every_listed_error_is_a_modeled_cloudtrail_exception() -> None:
    """botocore's model has a shape for each code, so a ClientError with it is raised as that modeled class."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("cloudtrail")
    modeled = {shape.name for shape in model.error_shapes}
    assert set(SPEC_ERRORS) - modeled == set()
