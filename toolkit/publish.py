"""Publish Automation documents to Systems Manager: idempotent by SSM's Sha256, every region in parallel.

A region's document is compared with the local content by SSM's own hash (DescribeDocument's ``Hash``, the
SHA-256 of the content as sent): identical to the default version means no write call; identical to another
version makes that version the default (a roll-back, or a promotion of a newer one); different content becomes a
new version (UpdateDocument on $LATEST), made the default unless told otherwise. Tags given are added or updated;
sharing, when given, is made exactly the accounts named. ``dry_run`` reads only.

The boto3 clients are passed in (``clients``: region -> client), so tests and callers choose endpoints, retries and
credentials; :func:`session_clients` builds them from the standard credential chain with the standard retry mode.
Library code never prints: progress goes through the ``progress`` callback.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from toolkit.documents import read_document
from toolkit.errors import PublishError
from toolkit.ssm.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_SHOWN
from toolkit.ssm.names import (
    DOCUMENT_NAME,
    DOCUMENT_NAME_SHOWN,
    MAX_TAG_VALUE_LENGTH,
    RESERVED_DOCUMENT_PREFIXES,
    RESERVED_TAG_PREFIX,
    TAG_KEY,
    VERSION_NAME,
    VERSION_NAME_SHOWN,
)

ACCOUNT: Final = re.compile(r"\A([0-9]{12}|all)\Z")
ROLE_ARN: Final = re.compile(r"\Aarn:aws[a-z-]*:iam::([0-9]{12}):role/[\w+=,.@/-]{1,512}\Z")

CREATED, UPDATED, UNCHANGED, ROLLED_BACK, FAILED = "created", "updated", "unchanged", "rolled-back", "failed"

Client = Any  # a boto3 SSM client (botocore builds its methods at run time; no stubs are installed)
Progress = Callable[[str], None]


class RoleError(PublishError):
    """STS refused (or could not be reached for) the role to publish as: that account's regions all fail."""


@dataclass(frozen=True, slots=True)
class LocalDocument:
    """The exact content to send, its format (YAML or JSON), the document name, and where it came from."""

    name: str
    content: str
    format: str
    source: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PublishOptions:
    version_name: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    share_with: tuple[str, ...] | None = None  # None: leave sharing alone; () : share with nobody
    set_default: bool = True
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one document in one region (the JSON object of ``--format json``, plus text details)."""

    region: str
    name: str
    action: str
    version: str | None = None
    default_version: str | None = None
    error: str | None = None
    diff: str = ""
    notes: tuple[str, ...] = ()
    account: str | None = None  # set when publishing through an assumed role

    def to_dict(self) -> dict[str, str | None]:
        account = {"account": self.account} if self.account is not None else {}
        return account | {
            "region": self.region,
            "name": self.name,
            "action": self.action,
            "version": self.version,
            "default_version": self.default_version,
            "error": self.error,
        }


# ---------------------------------------------------------------------------------------------------- input


def load_document(spec: str, name: str | None = None) -> LocalDocument:
    """A document file (YAML or JSON, sent byte for byte), or a runbook (by name or module) built in memory and
    sent as YAML; read by ``toolkit.documents`` (``LoadError`` naming the file when it cannot be)."""
    document = read_document(spec)
    if document.is_runbook:
        local = LocalDocument(name or document.name or Path(spec).stem, document.text, "YAML", spec)
    else:
        source = document.source  # parsed now: a file that is not a document is refused before any call
        document_format = source.format.upper() if source is not None else "YAML"
        local = LocalDocument(name or document.name or Path(spec).stem, document.text, document_format, document.label)
    check_document(local)
    return local


def check_document(document: LocalDocument) -> None:
    """Refuse, before any call, what CreateDocument or UpdateDocument would refuse: the name and the size."""
    check_name(document.name, document.source)
    size = len(document.content.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise PublishError(
            f"{document.source}: the document is {size} bytes; "
            f"AWS accepts at most {MAX_DOCUMENT_BYTES} ({MAX_DOCUMENT_SIZE_SHOWN})"
        )


def check_name(name: str, source: str) -> None:
    if not DOCUMENT_NAME.match(name):
        raise PublishError(f"{source}: document name {name!r} must match {DOCUMENT_NAME_SHOWN}")
    if name.lower().startswith(RESERVED_DOCUMENT_PREFIXES):
        raise PublishError(f"{source}: document name {name!r} starts with a prefix AWS reserves (aws-, amazon, amzn)")


def check_options(options: PublishOptions) -> None:
    if options.version_name is not None and not VERSION_NAME.match(options.version_name):
        raise PublishError(f"version name {options.version_name!r} must match {VERSION_NAME_SHOWN}")
    for key, value in options.tags.items():
        if not TAG_KEY.match(key) or key.lower().startswith(RESERVED_TAG_PREFIX):
            raise PublishError(f"tag key {key!r} is not a valid tag key (1-128 characters, not starting with aws:)")
        if len(value) > MAX_TAG_VALUE_LENGTH:
            raise PublishError(f"tag {key!r}: the value is longer than {MAX_TAG_VALUE_LENGTH} characters")
    for account in options.share_with or ():
        if not ACCOUNT.match(account):
            raise PublishError(f"cannot share with {account!r}: expected a 12-digit account id or 'all'")
    if options.share_with and "all" in options.share_with and len(options.share_with) > 1:
        raise PublishError("share with 'all' or with accounts, not both")


def parse_tags(values: Sequence[str]) -> dict[str, str]:
    tags = {}
    for value in values:
        key, sep, tag_value = value.partition("=")
        if not sep or not key:
            raise PublishError(f"tag {value!r} must be KEY=VALUE")
        tags[key] = tag_value
    return tags


# ---------------------------------------------------------------------------------------------------- clients

ENDPOINT_HOST: Final = re.compile(r"\A((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)*(?!-)[A-Za-z0-9-]{1,63}(?<!-)\.?\Z")
"""A host name botocore accepts in an endpoint URL (its ``is_valid_endpoint_url``); IPv6 hosts are in brackets."""


def parse_endpoints(values: Sequence[str]) -> dict[str | None, str]:
    """``--endpoint-url`` values: ``URL`` for every region, or ``REGION=URL`` for one; each URL checked
    (``check_endpoint``). The later of two for the same region wins."""
    endpoints: dict[str | None, str] = {}
    for value in values:
        region, sep, url = value.partition("=")
        if sep and "://" not in region:
            if not region:
                raise PublishError(f"--endpoint-url {value!r}: the region before = is empty (REGION=URL)")
            endpoints[region] = check_endpoint(url)
        else:
            endpoints[None] = check_endpoint(value)
    return endpoints


def check_endpoint(url: str) -> str:
    """``url`` when it is an endpoint URL botocore can use (http or https, a host); else PublishError naming it,
    before any client is made (botocore raises a bare ValueError)."""
    from urllib.parse import urlsplit  # lazy: only publishing with --endpoint-url checks a URL

    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        scheme, host = "", None
    usable = host is not None and (":" in host or ENDPOINT_HOST.match(host) is not None)  # ":": an IPv6 address
    if scheme not in ("http", "https") or not usable:
        raise PublishError(f"--endpoint-url {url!r} is not an endpoint URL (such as http://127.0.0.1:5000)")
    return url


def role_account(role_arn: str) -> str:
    """The account of an IAM role ARN; PublishError if it is not one."""
    match = ROLE_ARN.match(role_arn)
    if match is None:
        raise PublishError(f"{role_arn!r} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
    return match.group(1)


def session_clients(
    regions: Sequence[str],
    *,
    profile: str | None = None,
    endpoints: Mapping[str | None, str] | None = None,
    role_arn: str | None = None,
) -> dict[str, Client]:
    """An SSM client per region: the standard credential chain (or ``profile``), the standard retry mode
    (throttling retried with back-off). ``endpoints`` maps a region, or None for every region, to an endpoint URL.
    With ``role_arn``, the clients use that role's credentials (STS AssumeRole, itself an AWS call).
    """
    # lazy: boto3 and its client machinery (~250 ms) only to build real clients; callers may pass their own
    import boto3
    from botocore.config import Config

    endpoints = {region: check_endpoint(url) for region, url in (endpoints or {}).items()}
    try:
        session = boto3.session.Session(profile_name=profile)
    except BotoCoreError as err:
        raise PublishError(str(err)) from err
    config = Config(retries={"mode": "standard"})
    if role_arn is not None:
        sts = session.client("sts", region_name=regions[0], endpoint_url=endpoints.get(None), config=config)
        try:
            credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName="runbook-publish")["Credentials"]
        except (BotoCoreError, ClientError) as err:
            raise RoleError(f"{_code(err) or type(err).__name__}: {err}") from err
        session = boto3.session.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
    return {
        region: session.client(
            "ssm", region_name=region, endpoint_url=endpoints.get(region, endpoints.get(None)), config=config
        )
        for region in regions
    }


def default_region(profile: str | None = None) -> str | None:
    import boto3  # lazy: as in session_clients, boto3 only when the profile's region is asked for

    region: str | None = boto3.session.Session(profile_name=profile).region_name
    return region


# ---------------------------------------------------------------------------------------------------- publishing


def publish(
    documents: Sequence[LocalDocument],
    clients: Mapping[str, Client],
    options: PublishOptions | None = None,
    *,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Publish every document to every region of ``clients`` in parallel; one outcome per (document, region), in
    order. A region's failure is its outcome (action failed), never an exception that stops the others."""
    options = options or PublishOptions()
    check_options(options)
    for document in documents:
        check_document(document)
    jobs = [(document, region) for document in documents for region in clients]
    if not jobs:
        return []

    def run(job: tuple[LocalDocument, str]) -> Outcome:
        document, region = job
        outcome = publish_region(clients[region], region, document, options)
        if progress is not None:
            progress(describe(outcome))
        return outcome

    with ThreadPoolExecutor(max_workers=min(len(jobs), 16), thread_name_prefix="publish") as pool:
        return list(pool.map(run, jobs))


def publish_region(client: Client, region: str, document: LocalDocument, options: PublishOptions) -> Outcome:
    """One document in one region; AWS and connection errors become a failed outcome naming the error code."""
    try:
        return _Region(client, region, document, options).run()
    except ClientError as err:
        error = err.response.get("Error", {})
        message = f"{error.get('Code', 'Unknown')}: {error.get('Message', '')}".rstrip(": ")
    except BotoCoreError as err:
        message = f"{type(err).__name__}: {err}"
    return Outcome(region, document.name, FAILED, error=message)


def _code(err: Exception) -> str:
    response = getattr(err, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


class _Region:
    """The version flow for one document in one region."""

    def __init__(self, client: Client, region: str, document: LocalDocument, options: PublishOptions) -> None:
        self.client = client
        self.region = region
        self.document = document
        self.options = options
        self.name = document.name
        self.notes: list[str] = []

    def run(self) -> Outcome:
        description = self._describe()
        if description is None:
            return self._create()
        default = str(description["DefaultVersion"])
        latest = str(description["LatestVersion"])
        diff = self._diff(default) if self.options.dry_run else ""
        if self._hash_of(description) == self.document.sha256:
            self._sync_settings()
            return self._outcome(UNCHANGED, default, default, diff)
        match = self._find_version(latest, skip=default)
        if match is None:
            if self.options.dry_run:
                return self._outcome(UPDATED, None, default if not self.options.set_default else None, diff)
            match = self._update(latest)
        elif not self.options.set_default:
            self._sync_settings()
            return self._outcome(UNCHANGED, match, default, diff)
        else:
            action = ROLLED_BACK if int(match) < int(default) else UPDATED
            return self._finish(action, match, default, diff)
        return self._finish(UPDATED, match, default, diff)

    def _finish(self, action: str, version: str, default: str, diff: str) -> Outcome:
        if self.options.set_default and version != default:
            if not self.options.dry_run:
                self.client.update_document_default_version(Name=self.name, DocumentVersion=version)
            default = version
        self._sync_settings()
        return self._outcome(action, version, default, diff)

    def _outcome(self, action: str, version: str | None, default: str | None, diff: str) -> Outcome:
        return Outcome(self.region, self.name, action, version, default, None, diff, tuple(self.notes))

    def _describe(self, version: str | None = None) -> dict[str, Any] | None:
        kwargs = {"Name": self.name} if version is None else {"Name": self.name, "DocumentVersion": version}
        try:
            description: dict[str, Any] = self.client.describe_document(**kwargs)["Document"]
        except ClientError as err:
            if _code(err) in ("InvalidDocument", "InvalidDocumentVersion"):
                return None
            raise
        return description

    @staticmethod
    def _hash_of(description: Mapping[str, Any]) -> str | None:
        if description.get("HashType", "Sha256") != "Sha256":
            return None
        hash_value = description.get("Hash")
        return str(hash_value) if hash_value else None

    def _find_version(self, latest: str, *, skip: str | None) -> str | None:
        """The newest version whose SSM hash equals the local content's (deleted versions skipped), or None."""
        for number in range(int(latest), 0, -1):
            version = str(number)
            if version == skip:
                continue
            description = self._describe(version)
            if description is not None and self._hash_of(description) == self.document.sha256:
                return version
        return None

    def _create(self) -> Outcome:
        diff = self._unified("", "(none)") if self.options.dry_run else ""
        if self.options.dry_run:
            return self._outcome(CREATED, None, None, diff)
        kwargs: dict[str, Any] = {
            "Name": self.name,
            "Content": self.document.content,
            "DocumentType": "Automation",
            "DocumentFormat": self.document.format,
        }
        if self.options.version_name:
            kwargs["VersionName"] = self.options.version_name
        if self.options.tags:
            kwargs["Tags"] = [{"Key": key, "Value": value} for key, value in self.options.tags.items()]
        created = self.client.create_document(**kwargs)["DocumentDescription"]
        self._sync_settings(tags=False)
        version = str(created.get("DocumentVersion") or created.get("LatestVersion") or "1")
        return self._outcome(CREATED, version, str(created.get("DefaultVersion") or version), "")

    def _update(self, latest: str) -> str:
        """UpdateDocument on $LATEST; if another publisher has just created this content, its version."""
        kwargs: dict[str, Any] = {
            "Name": self.name,
            "Content": self.document.content,
            "DocumentVersion": "$LATEST",
            "DocumentFormat": self.document.format,
        }
        if self.options.version_name:
            kwargs["VersionName"] = self.options.version_name
        try:
            updated = self.client.update_document(**kwargs)["DocumentDescription"]
        except ClientError as err:
            if _code(err) != "DuplicateDocumentContent":
                raise
            description = self._describe()
            newest = str(description["LatestVersion"]) if description is not None else latest
            match = self._find_version(newest, skip=None)
            if match is None:
                raise
            self.notes.append(f"version {match} was created meanwhile by another publisher")
            return match
        return str(updated["DocumentVersion"])

    def _diff(self, default: str) -> str:
        published = self.client.get_document(
            Name=self.name, DocumentVersion=default, DocumentFormat=self.document.format
        )
        return self._unified(str(published.get("Content", "")), f"version {default}")

    def _unified(self, published: str, label: str) -> str:
        lines = difflib.unified_diff(
            published.splitlines(keepends=True),
            self.document.content.splitlines(keepends=True),
            fromfile=f"{self.name} {label} ({self.region})",
            tofile=f"{self.name} local ({self.document.source})",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def _sync_settings(self, *, tags: bool = True) -> None:
        """Tags given are added or updated (others left alone); sharing, when given, becomes exactly that list."""
        if tags and self.options.tags:
            listed = self.client.list_tags_for_resource(ResourceType="Document", ResourceId=self.name)
            current = {tag["Key"]: tag["Value"] for tag in listed.get("TagList", [])}
            missing = {key: value for key, value in self.options.tags.items() if current.get(key) != value}
            if missing:
                self.notes.append("tags " + ", ".join(sorted(missing)) + " set")
                if not self.options.dry_run:
                    self.client.add_tags_to_resource(
                        ResourceType="Document",
                        ResourceId=self.name,
                        Tags=[{"Key": key, "Value": value} for key, value in missing.items()],
                    )
        if self.options.share_with is not None:
            permission = self.client.describe_document_permission(Name=self.name, PermissionType="Share")
            current_accounts = set(permission.get("AccountIds", []))
            wanted = set(self.options.share_with)
            add, remove = sorted(wanted - current_accounts), sorted(current_accounts - wanted)
            if add or remove:
                self.notes.append(f"sharing: +{','.join(add) or '-'} -{','.join(remove) or '-'}")
                if not self.options.dry_run:
                    self.client.modify_document_permission(
                        Name=self.name, PermissionType="Share", AccountIdsToAdd=add, AccountIdsToRemove=remove
                    )


def failed_everywhere(documents: Sequence[LocalDocument], regions: Sequence[str], err: RoleError) -> list[Outcome]:
    """The outcomes when no client could be made (an AssumeRole refused): every (document, region) failed."""
    return [Outcome(region, document.name, FAILED, error=str(err)) for document in documents for region in regions]


def describe(outcome: Outcome) -> str:
    """One line per (document, region), naming the AWS error code for a failure."""
    head = f"{outcome.account}: " if outcome.account is not None else ""
    head += f"{outcome.region}: {outcome.name}: "
    if outcome.action == FAILED:
        return head + f"failed: {outcome.error}"
    text = head + outcome.action
    if outcome.version is not None:
        text += f" (version {outcome.version}, default {outcome.default_version})"
    if outcome.notes:
        text += "; " + "; ".join(outcome.notes)
    return text
