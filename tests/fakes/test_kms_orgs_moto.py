"""KMS and Organizations against moto's server: the same call sequences, through the same botocore clients, give
the same error codes and the same fields that matter from the fake and from moto (127.0.0.1, started by the tests).

Ids moto draws at random (key ids, grant ids, new policy ids) are named by the sequence and compared by name. Where
moto 5.2.x is not faithful, each difference is asserted on both sides below, citing the AWS API reference: moto's
answer, and the fake's, which is AWS's. A moto release that fixes one fails its test here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.fakes.boto import fake_session
from tests.fakes.worlds import ACCOUNT
from toolkit.fakes.default import default_data
from toolkit.fakes.world import World

SCP = "SERVICE_CONTROL_POLICY"
DENY_STOP = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"}]}
)


class Recorder:
    """Makes calls and records chosen members of each answer, or its error code (and message, when asked);
    random ids are replaced by the names the sequence gives them."""

    def __init__(self) -> None:
        self.seen: list[Any] = []
        self.names: dict[str, str] = {}

    def name(self, value: str, placeholder: str) -> str:
        self.names[value] = placeholder
        return value

    def __call__(
        self, label: str, call: Callable[[], Any], keys: tuple[str, ...] | None = None, message: bool = False
    ) -> Any:
        try:
            response = call()
        except ClientError as err:
            error = err.response["Error"]
            self.seen.append((label, error["Code"], error.get("Message") if message else None))
            return None
        if isinstance(response, dict):
            response = {key: value for key, value in response.items() if key != "ResponseMetadata"}
            shown = {key: response.get(key) for key in keys} if keys is not None else response
        else:
            shown = response
        self.seen.append((label, shown))
        return response

    def result(self) -> Any:
        text = json.dumps(self.seen, default=str, sort_keys=True)
        for value, placeholder in sorted(self.names.items(), key=lambda item: -len(item[0])):
            text = text.replace(value, placeholder)
        return json.loads(text)


@pytest.fixture
def moto(aws: str) -> Callable[[str], Any]:
    """Clients of moto's server (reset after the test)."""
    import boto3

    session = boto3.session.Session(region_name="us-east-1")
    return session.client


def fake_clients(world: World) -> Callable[[str], Any]:
    return fake_session(world.backend()).client  # type: ignore[no-any-return]


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as err:
        return str(err.response["Error"]["Code"])
    return "ok"


# -- KMS -------------------------------------------------------------------------------------------------------------

KEY_FIELDS = ("KeyState", "Enabled", "KeySpec", "Description", "Origin", "KeyManager")
"""KeyMetadata's members both answer; moto's CreateKey leaves out KeyUsage and MultiRegion when the request does (AWS
answers ENCRYPT_DECRYPT and false: API_CreateKey's example), see test_moto_leaves_out_members_aws_answers."""


def kms_sequence(client: Callable[[str], Any]) -> Any:
    kms = client("kms")
    see = Recorder()
    created = see("create", lambda: kms.create_key(Description="diff")["KeyMetadata"], (*KEY_FIELDS, "KeyId", "Arn"))
    key_id = see.name(created["KeyId"], "<key>")
    see("alias", lambda: kms.create_alias(AliasName="alias/diff", TargetKeyId=key_id))
    see("alias again", lambda: kms.create_alias(AliasName="alias/diff", TargetKeyId=key_id), message=True)
    see("reserved alias", lambda: kms.create_alias(AliasName="alias/aws/ebs", TargetKeyId=key_id))
    see("alias without prefix", lambda: kms.create_alias(AliasName="diff", TargetKeyId=key_id))
    see("by alias", lambda: kms.describe_key(KeyId="alias/diff")["KeyMetadata"], ("KeyId", "Arn"))
    alias_arn = f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/diff"
    see("by alias arn", lambda: kms.describe_key(KeyId=alias_arn)["KeyMetadata"], ("KeyId",))
    see("missing alias", lambda: kms.describe_key(KeyId="alias/absent"), message=True)
    see("missing key", lambda: kms.describe_key(KeyId="0000abcd-12ab-34cd-56ef-1234567890ab"), message=True)
    aliases = kms.list_aliases(KeyId=key_id)["Aliases"]
    see.seen.append([(alias["AliasName"], alias["AliasArn"], alias["TargetKeyId"]) for alias in aliases])
    see("disable", lambda: kms.disable_key(KeyId=key_id))
    see("disabled", lambda: kms.describe_key(KeyId=key_id)["KeyMetadata"], ("KeyState", "Enabled"))
    see("enable", lambda: kms.enable_key(KeyId=key_id))
    see("enabled", lambda: kms.describe_key(KeyId=key_id)["KeyMetadata"], ("KeyState", "Enabled"))
    see("rotation", lambda: kms.get_key_rotation_status(KeyId=key_id), ("KeyRotationEnabled",))
    see("enable rotation", lambda: kms.enable_key_rotation(KeyId=key_id))
    see("rotation", lambda: kms.get_key_rotation_status(KeyId=key_id), ("KeyRotationEnabled",))
    see("disable rotation", lambda: kms.disable_key_rotation(KeyId=key_id))
    see("rotation", lambda: kms.get_key_rotation_status(KeyId=key_id), ("KeyRotationEnabled",))
    see(
        "tag",
        lambda: kms.tag_resource(
            KeyId=key_id, Tags=[{"TagKey": "b", "TagValue": "2"}, {"TagKey": "a", "TagValue": "1"}]
        ),
    )
    see("untag", lambda: kms.untag_resource(KeyId=key_id, TagKeys=["b"]))
    see("tags", lambda: kms.list_resource_tags(KeyId=key_id), ("Tags", "Truncated"))
    policy = see("policy", lambda: kms.get_key_policy(KeyId=key_id, PolicyName="default"), ())
    see.seen.append(json.loads(policy["Policy"]))
    replaced = json.dumps({**json.loads(policy["Policy"]), "Id": "replaced"})
    see("put policy", lambda: kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=replaced))
    see("policy", lambda: json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])["Id"])
    grantee = f"arn:aws:iam::{ACCOUNT}:role/Reader"
    see("grant", lambda: kms.create_grant(KeyId=key_id, GranteePrincipal=grantee, Operations=["Decrypt"], Name="g"), ())
    grant_id = see.name(kms.list_grants(KeyId=key_id)["Grants"][0]["GrantId"], "<grant>")
    grants = kms.list_grants(KeyId=key_id)["Grants"]
    see.seen.append([(g["GrantId"], g["Name"], g["GranteePrincipal"], g["Operations"]) for g in grants])
    see("revoke", lambda: kms.revoke_grant(KeyId=key_id, GrantId=grant_id))
    see("grants", lambda: kms.list_grants(KeyId=key_id), ("Grants",))
    context = {"purpose": "diff"}
    sealed = see(
        "encrypt", lambda: kms.encrypt(KeyId="alias/diff", Plaintext=b"secret", EncryptionContext=context), ("KeyId",)
    )
    blob = sealed["CiphertextBlob"]
    see("decrypt", lambda: kms.decrypt(CiphertextBlob=blob, EncryptionContext=context), ("KeyId", "Plaintext"))
    see("wrong context", lambda: kms.decrypt(CiphertextBlob=blob, EncryptionContext={"purpose": "other"}))
    see("no context", lambda: kms.decrypt(CiphertextBlob=blob))
    data_key = see("data key", lambda: kms.generate_data_key(KeyId=key_id, KeySpec="AES_256"), ("KeyId",))
    see.seen.append(len(data_key["Plaintext"]))
    opened = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"]
    see.seen.append(opened == data_key["Plaintext"])
    see(
        "bare data key",
        lambda: kms.generate_data_key_without_plaintext(KeyId=key_id, NumberOfBytes=16),
        ("KeyId", "Plaintext"),
    )
    see("no key spec", lambda: kms.generate_data_key(KeyId=key_id), message=True)
    see(
        "schedule",
        lambda: kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7),
        (),
    )
    see("pending", lambda: kms.describe_key(KeyId=key_id)["KeyMetadata"], ("KeyState", "Enabled"))
    see("cancel", lambda: kms.cancel_key_deletion(KeyId=key_id), ())
    see("cancelled", lambda: kms.describe_key(KeyId=key_id)["KeyMetadata"], ("KeyState", "Enabled"))
    see("delete alias", lambda: kms.delete_alias(AliasName="alias/diff"))
    see("deleted alias", lambda: kms.describe_key(KeyId="alias/diff"))
    return see.result()


def empty_world() -> World:
    return World.from_dict({**default_data(), "Keys": [], "Trails": [], "Buckets": []})


def test_kms_answers_as_moto_does(moto: Callable[[str], Any]) -> None:
    assert kms_sequence(fake_clients(empty_world())) == kms_sequence(moto)


def kms_key(client: Callable[[str], Any]) -> tuple[Any, str]:
    kms = client("kms")
    return kms, kms.create_key(Description="diff")["KeyMetadata"]["KeyId"]


def test_moto_ignores_the_key_state_table(moto: Callable[[str], Any]) -> None:
    """https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html: Encrypt on a disabled key fails with
    DisabledException, DisableKey on a key pending deletion with KMSInvalidStateException; moto allows both."""

    def sequence(client: Callable[[str], Any]) -> list[str]:
        kms, key_id = kms_key(client)
        kms.disable_key(KeyId=key_id)
        disabled = outcome(lambda: kms.encrypt(KeyId=key_id, Plaintext=b"x"))
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        return [disabled, outcome(lambda: kms.disable_key(KeyId=key_id))]

    assert sequence(moto) == ["ok", "ok"]
    assert sequence(fake_clients(empty_world())) == ["DisabledException", "KMSInvalidStateException"]


def test_moto_echoes_the_key_id_where_aws_answers_the_key_arn(moto: Callable[[str], Any]) -> None:
    """API_ScheduleKeyDeletion and API_CancelKeyDeletion: KeyId in the response is the key ARN; ListGrants' entries
    carry the key ARN too (API_ListGrants' example). moto answers the id it was given."""

    def sequence(client: Callable[[str], Any]) -> list[bool]:
        kms, key_id = kms_key(client)
        scheduled = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)["KeyId"]
        cancelled = kms.cancel_key_deletion(KeyId=key_id)["KeyId"]
        kms.enable_key(KeyId=key_id)
        kms.create_grant(KeyId=key_id, GranteePrincipal=f"arn:aws:iam::{ACCOUNT}:root", Operations=["Encrypt"])
        listed = kms.list_grants(KeyId=key_id)["Grants"][0]["KeyId"]
        return [value.startswith("arn:aws:kms:") for value in (scheduled, cancelled, listed)]

    assert sequence(moto) == [False, False, False]
    assert sequence(fake_clients(empty_world())) == [True, True, True]


def test_moto_leaves_out_members_aws_answers(moto: Callable[[str], Any]) -> None:
    """API_CreateKey answers KeyUsage and MultiRegion in KeyMetadata whatever the request held, and
    API_ScheduleKeyDeletion answers KeyState and PendingWindowInDays; moto leaves them out. moto also lets an alias
    begin with alias/aws/ unless it is one of the few AWS managed aliases it knows (API_CreateAlias: "The alias name
    cannot begin with alias/aws/")."""

    def sequence(client: Callable[[str], Any]) -> list[Any]:
        kms = client("kms")
        metadata = kms.create_key()["KeyMetadata"]
        scheduled = kms.schedule_key_deletion(KeyId=metadata["KeyId"], PendingWindowInDays=7)
        reserved = outcome(lambda: kms.create_alias(AliasName="alias/aws/mine", TargetKeyId=metadata["KeyId"]))
        members = (metadata.get("KeyUsage"), metadata.get("MultiRegion"))
        return [members, (scheduled.get("KeyState"), scheduled.get("PendingWindowInDays")), reserved]

    assert sequence(moto) == [(None, None), (None, None), "ok"]
    assert sequence(fake_clients(empty_world())) == [
        ("ENCRYPT_DECRYPT", False),
        ("PendingDeletion", 7),
        "NotAuthorizedException",
    ]


# -- Organizations ---------------------------------------------------------------------------------------------------


def moto_organization(client: Callable[[str], Any]) -> dict[str, Any]:
    """An organization in moto (SCPs enabled, OUs Workloads > Prod, one member in Prod), as world-file data."""
    organizations = client("organizations")
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]
    root = organizations.list_roots()["Roots"][0]["Id"]
    organizations.enable_policy_type(RootId=root, PolicyType=SCP)
    workloads = organizations.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    prod = organizations.create_organizational_unit(ParentId=workloads, Name="Prod")["OrganizationalUnit"]["Id"]
    member = organizations.create_account(AccountName="member", Email="member@example.com")["CreateAccountStatus"]
    organizations.move_account(AccountId=member["AccountId"], SourceParentId=root, DestinationParentId=prod)
    return {
        "Id": organization["Id"],
        "ManagementAccount": ACCOUNT,
        "FeatureSet": "ALL",
        "TrustedServices": [],
        "Root": root,
        "OrganizationalUnits": [
            {"Id": workloads, "Name": "Workloads", "Parent": root},
            {"Id": prod, "Name": "Prod", "Parent": workloads},
        ],
        "Accounts": [
            {"Id": ACCOUNT, "Parent": root, "Name": "master", "Email": "master@example.com"},
            {"Id": member["AccountId"], "Parent": prod, "Name": "member", "Email": "member@example.com"},
        ],
    }


def other_id(known: str) -> str:
    """An id of the same form that is not ``known`` (its last character changed: moto's ids are random)."""
    return known[:-1] + ("1" if known.endswith("0") else "0")


def fake_organization(data: dict[str, Any]) -> Callable[[str], Any]:
    return fake_clients(World.from_dict({**default_data(), "Organization": data}))


ACCOUNT_FIELDS = ("Id", "Arn", "Email", "Name", "Status", "State")
SUMMARY_FIELDS = ("Id", "Name", "Description", "Type", "AwsManaged")


def organizations_sequence(client: Callable[[str], Any], data: dict[str, Any]) -> Any:
    organizations = client("organizations")
    see = Recorder()
    root = data["Root"]
    workloads, prod = (unit["Id"] for unit in data["OrganizationalUnits"])
    member = data["Accounts"][1]["Id"]
    see("organization", lambda: organizations.describe_organization())
    see("roots", lambda: organizations.list_roots())
    accounts = sorted(organizations.list_accounts()["Accounts"], key=lambda account: str(account["Id"]))
    see.seen.append([{k: a[k] for k in ACCOUNT_FIELDS} for a in accounts])
    see("member", lambda: organizations.describe_account(AccountId=member)["Account"], ACCOUNT_FIELDS)
    see("no account", lambda: organizations.describe_account(AccountId="000000000000"), message=True)
    see("units", lambda: organizations.list_organizational_units_for_parent(ParentId=root))
    see("unit", lambda: organizations.describe_organizational_unit(OrganizationalUnitId=prod))
    see(
        "no unit",
        lambda: organizations.describe_organizational_unit(OrganizationalUnitId=other_id(prod)),
        message=True,
    )
    see("parents", lambda: organizations.list_parents(ChildId=member))
    see("unit parents", lambda: organizations.list_parents(ChildId=prod))
    see("child units", lambda: organizations.list_children(ParentId=root, ChildType="ORGANIZATIONAL_UNIT"))
    see("child accounts", lambda: organizations.list_children(ParentId=workloads, ChildType="ACCOUNT"))
    see("in prod", lambda: [a["Id"] for a in organizations.list_accounts_for_parent(ParentId=prod)["Accounts"]])
    see("no parent", lambda: organizations.list_accounts_for_parent(ParentId=other_id(prod)), message=True)
    listed = organizations.list_policies(Filter=SCP)["Policies"]
    see.seen.append([{k: p[k] for k in SUMMARY_FIELDS} for p in listed])
    targets = organizations.list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"]
    see.seen.append(sorted((t["TargetId"], t["Type"], t["Name"], t["Arn"]) for t in targets))
    created = see(
        "create",
        lambda: organizations.create_policy(Content=DENY_STOP, Description="deny", Name="NoStop", Type=SCP)["Policy"],
        ("Content",),
    )
    policy_id = see.name(created["PolicySummary"]["Id"], "<policy>")
    see.seen.append({k: created["PolicySummary"][k] for k in SUMMARY_FIELDS})
    see(
        "duplicate",
        lambda: organizations.create_policy(Content=DENY_STOP, Description="", Name="NoStop", Type=SCP),
        message=True,
    )
    see("attach", lambda: organizations.attach_policy(PolicyId=policy_id, TargetId=workloads))
    see("targets", lambda: organizations.list_targets_for_policy(PolicyId=policy_id))
    on_unit = organizations.list_policies_for_target(TargetId=workloads, Filter=SCP)["Policies"]
    see.seen.append(sorted(policy["Name"] for policy in on_unit))
    see(
        "rename",
        lambda: organizations.update_policy(PolicyId=policy_id, Name="Renamed")["Policy"]["PolicySummary"],
        ("Id", "Name"),
    )
    see("in use", lambda: organizations.delete_policy(PolicyId=policy_id), message=True)
    see("detach", lambda: organizations.detach_policy(PolicyId=policy_id, TargetId=workloads))
    see("delete", lambda: organizations.delete_policy(PolicyId=policy_id))
    see("deleted", lambda: organizations.describe_policy(PolicyId=policy_id), message=True)
    see("no policy", lambda: organizations.list_targets_for_policy(PolicyId="p-12345678"), message=True)
    see("trust", lambda: organizations.enable_aws_service_access(ServicePrincipal="ssm.amazonaws.com"))
    trusted = organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    see.seen.append([entry["ServicePrincipal"] for entry in trusted])
    see(
        "delegate",
        lambda: organizations.register_delegated_administrator(AccountId=member, ServicePrincipal="ssm.amazonaws.com"),
    )

    def again():
        return organizations.register_delegated_administrator(AccountId=member, ServicePrincipal="ssm.amazonaws.com")

    see("delegate again", again, message=True)

    def management():
        return organizations.register_delegated_administrator(AccountId=ACCOUNT, ServicePrincipal="ssm.amazonaws.com")

    see("delegate management", management, message=True)
    admins = organizations.list_delegated_administrators()["DelegatedAdministrators"]
    see.seen.append([(admin["Id"], admin["Name"], admin["Email"]) for admin in admins])
    services = organizations.list_delegated_services_for_account(AccountId=member)["DelegatedServices"]
    see.seen.append([service["ServicePrincipal"] for service in services])
    see(
        "undelegate",
        lambda: organizations.deregister_delegated_administrator(
            AccountId=member, ServicePrincipal="ssm.amazonaws.com"
        ),
    )

    def undelegate():
        return organizations.deregister_delegated_administrator(AccountId=member, ServicePrincipal="ssm.amazonaws.com")

    see("undelegate again", undelegate, message=True)
    see("distrust", lambda: organizations.disable_aws_service_access(ServicePrincipal="ssm.amazonaws.com"))
    for resource in (member, workloads, root):
        see(
            "tag",
            lambda r=resource: organizations.tag_resource(
                ResourceId=r, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
            ),
        )
        see("untag", lambda r=resource: organizations.untag_resource(ResourceId=r, TagKeys=["a"]))
        see("tags", lambda r=resource: organizations.list_tags_for_resource(ResourceId=r))
    see("tag nothing", lambda: organizations.tag_resource(ResourceId="000000000000", Tags=[{"Key": "a", "Value": "1"}]))
    return see.result()


def test_organizations_answers_as_moto_does(moto: Callable[[str], Any]) -> None:
    data = moto_organization(moto)
    assert organizations_sequence(fake_organization(data), data) == organizations_sequence(moto, data)


def test_without_an_organization_both_say_not_in_use(moto: Callable[[str], Any]) -> None:
    def sequence(client: Callable[[str], Any]) -> list[str]:
        organizations = client("organizations")
        return [outcome(organizations.describe_organization), outcome(organizations.list_roots)]

    alone = fake_clients(World.from_dict({**default_data(), "Organization": None}))
    assert sequence(alone) == sequence(moto) == ["AWSOrganizationsNotInUseException"] * 2


def test_moto_is_lenient_where_aws_refuses(moto: Callable[[str], Any]) -> None:
    """Where moto allows what AWS refuses: attaching a policy twice (API_AttachPolicy,
    DuplicatePolicyAttachmentException), detaching the last SCP of a target (API_DetachPolicy,
    ConstraintViolationException MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED) and registering a delegated
    administrator before trusted access (API_RegisterDelegatedAdministrator, ConstraintViolationException
    SERVICE_ACCESS_NOT_ENABLED); and ListPoliciesForTarget of an unknown OU, which AWS answers with
    TargetNotFoundException (the only not-found error API_ListPoliciesForTarget lists), moto with
    OrganizationalUnitNotFoundException."""
    data = moto_organization(moto)

    def sequence(client: Callable[[str], Any]) -> list[str]:
        organizations = client("organizations")
        root, member = data["Root"], data["Accounts"][1]["Id"]
        unknown = other_id(data["OrganizationalUnits"][0]["Id"])
        return [
            outcome(lambda: organizations.attach_policy(PolicyId="p-FullAWSAccess", TargetId=root)),
            outcome(lambda: organizations.detach_policy(PolicyId="p-FullAWSAccess", TargetId=root)),
            outcome(
                lambda: organizations.register_delegated_administrator(
                    AccountId=member, ServicePrincipal="ssm.amazonaws.com"
                )
            ),
            outcome(lambda: organizations.list_policies_for_target(TargetId=unknown, Filter=SCP)),
        ]

    fake = fake_organization(data)
    assert sequence(moto) == ["ok", "ok", "ok", "OrganizationalUnitNotFoundException"]
    assert sequence(fake) == [
        "DuplicatePolicyAttachmentException",
        "ConstraintViolationException",
        "ConstraintViolationException",
        "TargetNotFoundException",
    ]


def test_moto_scopes_full_aws_access_to_the_organization(moto: Callable[[str], Any]) -> None:
    """FullAWSAccess is AWS managed: its ARN is arn:aws:organizations::aws:policy/service_control_policy/
    p-FullAWSAccess in every organization (the SCP user guide's examples); moto puts it under the organization."""
    data = moto_organization(moto)

    def arn(client: Callable[[str], Any]) -> str:
        return str(
            client("organizations").describe_policy(PolicyId="p-FullAWSAccess")["Policy"]["PolicySummary"]["Arn"]
        )

    assert arn(moto).startswith(f"arn:aws:organizations::{ACCOUNT}:policy/{data['Id']}/")
    assert arn(fake_organization(data)) == "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
