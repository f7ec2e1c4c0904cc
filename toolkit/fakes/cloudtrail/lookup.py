"""Naming trails: CloudTrail's name rules, trail ARNs, and which trail a Name parameter means from a region.

Reads and writes resolve differently. A name means the trail homed in the caller's region; a shadow (the copy of a
multi-region trail homed elsewhere) is reached by its ARN, except that GetTrail also finds it by name
[UNVERIFIED: GetTrailStatus documents the ARN rule; GetTrail's documentation is silent]. A write (UpdateTrail,
DeleteTrail, Start/StopLogging, Put*Selectors) on a shadow raises InvalidHomeRegionException; a write naming by ARN
a trail of another region that has no shadow here raises CloudTrailARNInvalidException ("Region in ARN is wrong",
as observed from ListTags).

**An unknown trail** is TrailNotFoundException, "Unknown trail: WHAT for the user: ACCOUNT". WHAT is the ARN when
an ARN was given. When a name was given, WHAT is the ARN that name would have here (the caller's partition, region
and account), as AWS answers today: GetTrailStatus [moto's own test_get_trail_status_unknown_trail; observed:
elastic/cloudbeat#1750, and "Unknown trail: arn:aws:cloudtrail:us-east-2:999999999:trail/symdemo for the user:
999999999" from `aws cloudtrail get-trail-status --name symdemo`], GetEventSelectors [elastic/cloudbeat#1750, called
with the trail's name], UpdateTrail [AWS CloudTrail User Guide, "CloudTrail log file examples", the error code and
message example of 2023: name `myTrail2`, "Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail2
for the user: 111122223333"; an AWS example of 2016, copied in public code, quoted the bare name: it changed since],
DeleteTrail [an aws-nuke run deleting by name: "Unknown trail: arn:aws:cloudtrail:us-east-1:934477065729:trail/
trail-yow for the user: 934477065729"], and StartLogging, StopLogging, PutEventSelectors, PutInsightSelectors and
GetInsightSelectors [UNVERIFIED: no recorded message; as every operation recorded since 2021 but GetTrail]. GetTrail
alone quotes the name as given ("Unknown trail: unknowntrail for the user: 123456789012" [moto's own
test_get_trail_unknown; observed from `aws cloudtrail get-trail --name residentcare-hipaa-audit-trail` in
CloudShell]).

**An ARN of another account** that names no trail visible here (an organization trail seen from a member account
is visible by its ARN, which carries the management account: GetTrailStatus's documentation) is
CloudTrailARNInvalidException, "AccountID in ARN is wrong, you can only access resources with AccountID ACCOUNT."
[observed: turbot/steampipe-plugin-aws#577]; the region is checked first [UNVERIFIED: which comes first]. The tag
operations name trails by ARN and answer so for every ARN of another account, an organization trail's included
[observed from ListTags in a member account: cloudquery/cq-provider-aws#405].

**Name rules** are checked in moto's order (length, first character, last character, characters, adjacent
separators, IP address form): "trail!" is "Trail name must ends with a letter or number." [moto's own
test_create_trail_invalid_name; the messages' grammar is AWS's own]. The last two messages are the toolkit's own
[UNVERIFIED].
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.fakes.errors import AwsError

if TYPE_CHECKING:
    from toolkit.fakes.backend import FakeBackend
    from toolkit.fakes.cloudtrail.trail import Trail

_NAME = re.compile(r"(?![-_.])(?!.*[-_.]{2})(?!.*[-_.]$)(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)[-A-Za-z0-9_.]{3,128}")
_ARN = re.compile(r"arn:(aws[a-zA-Z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail/(.+)")
_NAME_CHARS = re.compile(r"[-A-Za-z0-9_.]+")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _valid(name: str) -> bool:
    if 3 <= len(name) <= 128 and name.isascii() and name.isalnum():
        return True  # the usual name, letters and digits only: every rule of _NAME holds (no separator, no dot)
    return _NAME.fullmatch(name) is not None


def check_name(name: str) -> None:
    """Raise InvalidTrailNameException, worded as CloudTrail words it, unless ``name`` follows the name rules."""
    if _valid(name):
        return
    if len(name) < 3:
        message = (
            "Trail name too short. Minimum allowed length: 3 characters. "
            f"Specified name length: {len(name)} characters."
        )
    elif len(name) > 128:
        message = (
            "Trail name too long. Maximum allowed length: 128 characters. "
            f"Specified name length: {len(name)} characters."
        )
    elif name[0] not in _ALNUM:
        message = "Trail name must starts with a letter or number."
    elif name[-1] not in _ALNUM:
        message = "Trail name must ends with a letter or number."
    elif not _NAME_CHARS.fullmatch(name):
        message = (
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), "
            "hyphens (-), and underscores (_)."
        )
    elif re.search(r"[-_.]{2}", name):
        message = "Trail name cannot have adjacent periods, underscores or dashes."
    else:
        message = "Trail name cannot be in IP address format."
    raise AwsError("InvalidTrailNameException", message)


def parse_arn(value: str) -> tuple[str, str, str, str]:
    """(partition, region, account, name) of a trail ARN; CloudTrailARNInvalidException when malformed."""
    match = _ARN.fullmatch(value)
    if match is None or not _NAME.fullmatch(match.group(4)):
        raise AwsError(
            "CloudTrailARNInvalidException",
            f"{value} is not a valid trail ARN. The format is arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail",
        )
    partition, region, account, name = match.groups()
    return partition, region, account, name


def arn_here(backend: FakeBackend, name: str) -> str:
    """The ARN a trail of that name would have if it were homed in the backend's region, of the caller's account."""
    return f"arn:{backend.partition}:cloudtrail:{backend.region}:{backend.account}:trail/{name}"


def not_found(backend: FakeBackend, name_or_arn: str, *, quote_name: bool = False) -> AwsError:
    """TrailNotFoundException as CloudTrail words it: an ARN as given; a name as the ARN it would have here, or as
    given with ``quote_name`` (GetTrail's wording; see the module's docstring)."""
    named = name_or_arn if quote_name or name_or_arn.startswith("arn:") else arn_here(backend, name_or_arn)
    return AwsError("TrailNotFoundException", f"Unknown trail: {named} for the user: {backend.account}")


def wrong_account(backend: FakeBackend) -> AwsError:
    return AwsError(
        "CloudTrailARNInvalidException",
        f"AccountID in ARN is wrong, you can only access resources with AccountID {backend.account}.",
    )


def wrong_region(backend: FakeBackend) -> AwsError:
    return AwsError(
        "CloudTrailARNInvalidException",
        f"Region in ARN is wrong, you can only access resources in region {backend.region}.",
    )


def home_region_only(trail: Trail, backend: FakeBackend) -> AwsError:
    return AwsError(
        "InvalidHomeRegionException",
        f"The trail {trail.arn(backend)} can only be changed from its home region, {trail.home_region}; "
        f"this request was made in {backend.region}.",
    )


def visible(backend: FakeBackend, name: str) -> Trail | None:
    """The trail of that name homed in the backend's region, else a shadow of that name, else None."""
    world = backend.world
    trail = world.trails.get((backend.region, name))
    if trail is not None:
        return trail
    for where in sorted(world.trails):  # by region: the same answer however the world was made
        candidate = world.trails[where]
        if candidate.name == name and candidate.is_multi_region_trail:
            return candidate
    return None


def find(
    backend: FakeBackend, name_or_arn: str, *, write: bool, shadows_by_name: bool = False, quote_name: bool = False
) -> Trail:
    """The trail a Name/TrailName parameter means from the backend's region, or the error CloudTrail raises
    (``quote_name``: an unknown name is quoted as given, as GetTrail does)."""
    world = backend.world
    if name_or_arn.startswith("arn:"):
        partition, region, account, name = parse_arn(name_or_arn)
        trail = world.trails.get((region, name))
        if trail is not None and (partition != backend.partition or account != trail.owner(backend)):
            trail = None
        if region == backend.region:
            if trail is not None:
                return trail
            if partition == backend.partition and account != backend.account:
                raise wrong_account(backend)
            raise not_found(backend, name_or_arn)
        if trail is not None and trail.is_multi_region_trail:
            if write:
                raise home_region_only(trail, backend)
            return trail
        raise wrong_region(backend)  # an ARN naming another region: "Region in ARN is wrong" (spec §4.2)
    check_name(name_or_arn)
    trail = world.trails.get((backend.region, name_or_arn))
    if trail is not None:
        return trail
    shadow = visible(backend, name_or_arn)
    if shadow is not None:
        if write:
            raise home_region_only(shadow, backend)
        if shadows_by_name:
            return shadow
    raise not_found(backend, name_or_arn, quote_name=quote_name)


def writable(backend: FakeBackend, trail: Trail) -> None:
    """An organization trail can be changed only from the organization's management account."""
    if trail.is_organization_trail and trail.owner(backend) != backend.account:
        raise AwsError(
            "NotOrganizationMasterAccountException",
            f"The request to change organization trail {trail.arn(backend)} requires being signed in with "
            "the management account.",
        )
