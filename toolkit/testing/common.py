"""Shared pieces of the strategies: the names and values worlds are made of, the faults, small draws."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
Data = dict[str, Any]

ACCOUNTS = ("123456789012", "111122223333")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
OTHER_ACCOUNT = "999988887777"
"""An account outside the worlds: another organization's management account, or a wrong account in a policy."""
ORGANIZATION_IDS = ("o-a1b2c3d4e5", "o-exampleorg12")
TRAIL_NAMES = ("main", "management-events", "security.audit", "Org_Trail-1", "ct2")
NEW_TRAIL_NAMES = ("remediated", "cloudtrail-main", "new.trail_01")
"""Names no generated world uses: parameters naming a trail to create."""
BUCKET_STEMS = ("trail-logs", "audit.logs", "cloudtrail-archive")
PREFIXES = ("logs", "cloudtrail/prod", "org-a")
KEY_IDS = ("1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab")
SECOND_KEY_ID = "0987fedc-98fe-76dc-54ba-0987654321fe"
MISSING_KEY_IDS = ("00000000-1111-2222-3333-444444444444", "alias/no-such-key")
ALIASES = ("alias/cloudtrail", "alias/trail-logs", "alias/security/ct")
TOPIC_NAMES = ("trail-notices", "cloudtrail_alerts")
LOG_GROUP_NAMES = ("/aws/cloudtrail/main", "CloudTrail/audit")
ROLE_NAMES = ("CloudTrailToLogs", "ct-logs-writer")
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}
ALL_MANAGEMENT = {"Field": "eventCategory", "Equals": ["Management"]}
READ_ONLY = {"Field": "readOnly", "Equals": ["true"]}

BUCKET_FAULTS = (
    "no-policy",
    "no-acl-check",
    "no-write",
    "other-account",
    "other-principal",
    "read-only",
    "deny-writes",
    "logs-only",
)
KEY_FAULTS = ("no-policy", "no-encrypt", "no-describe", "other-account", "deny")
TOPIC_FAULTS = ("no-policy", "other-action", "other-topic", "deny")
ROLE_FAULTS = ("untrusted", "no-put-events", "other-group")
COMPONENT_FAULTS: dict[str, tuple[str, ...]] = {
    "bucket": (*BUCKET_FAULTS, "absent", "elsewhere"),
    "key": (*KEY_FAULTS, "disabled", "elsewhere"),
    "organization": ("member", "consolidated-billing", "untrusted"),
    "topic": TOPIC_FAULTS,
    "role": ROLE_FAULTS,
}
FAULTS = tuple((component, fault) for component, faults in COMPONENT_FAULTS.items() for fault in faults)
"""What can be wrong in a world: (component, fault)."""


MAX_COMBINATIONS: Final = 256
"""The most combinations ``picks`` draws at once: up to this many, hypothesis draws an index uniformly."""
INDEXES: Final = tuple(st.integers(0, last) for last in range(MAX_COMBINATIONS))
"""``INDEXES[n]`` draws an index of ``n + 1`` options: built once, as a table (about 10 ms when the module is
imported, by tests only), since asking hypothesis for ``st.integers(0, n)`` on every draw (its strategy cache)
costs more than the draw itself."""
BOOLEANS: Final = st.booleans()


ENTROPY_BYTES: Final = 32
"""The bytes of one block of ``Entropy``: 256 bits, about what a world and its parameters choose."""
BLOCK: Final = st.binary(min_size=ENTROPY_BYTES, max_size=ENTROPY_BYTES)
SPARE_BITS: Final = 64
"""``Entropy`` draws another block before a choice that would leave it fewer than this many spare bits, so no
index is ever likelier than another by more than 2**-64."""
FIRST_ODDS: Final = 7
"""One index in ``FIRST_ODDS`` (a run of ``picks`` shares one) is its first option outright, as hypothesis's own
integers lean towards their simplest value (its notable values, its mutations): without it, a uniform world
succeeds less often (14% of the runs of the properties' worlds instead of 24%), and the properties would check
fewer successful runs."""


class Entropy(st.DrawFn):
    """A draw function whose choices (``index``, and so ``pick``, ``picks``, ``coin``) come from blocks of uniformly
    random bytes, one ``st.binary`` draw of ``ENTROPY_BYTES`` for a dozen choices or more.

    Hypothesis keeps a record of every draw (for shrinking and its mutations), which costs about 35 us, more than
    building what the draw chooses; a block costs one record. Hypothesis fills a fixed-size ``binary`` with
    uniformly random bytes, so the blocks make one number uniform in ``[0, span)``, and each choice of ``count``
    options takes the remainder of dividing it by ``count`` (the quotient, still uniform, is left for the next
    choice): uniformly to within 2**-64. Hypothesis's own integers lean towards their simplest value (its notable
    values, its mutations), which a uniform draw would not: so one index in ``FIRST_ODDS`` is its first option
    outright, and the others are uniform. A failing example shrinks towards bytes of zero: every choice's first
    option, as before. Other strategies drawn through it (``__call__``) are hypothesis's own draws."""

    __slots__ = ("draw", "number", "span")

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.number = 0
        self.span = 1  # ``number`` is uniform in [0, span)

    @classmethod
    def of(cls, draw: st.DrawFn) -> Entropy:
        """``draw`` itself when it is already an ``Entropy`` (a strategy drawn inside another), else a new one."""
        return draw if isinstance(draw, Entropy) else cls(draw)

    def __call__(self, strategy: st.SearchStrategy[T], label: object = None) -> T:
        return self.draw(strategy, label)

    def index(self, count: int) -> int:
        """An index of ``count`` options: the first one time in ``FIRST_ODDS``, else any, uniformly."""
        return 0 if self.uniform(FIRST_ODDS) == 0 else self.uniform(count)

    def uniform(self, count: int) -> int:
        """An index of ``count`` options, uniformly (see the class)."""
        if self.span < count << SPARE_BITS:
            block = int.from_bytes(self.draw(BLOCK), "little")
            self.number += block * self.span
            self.span <<= 8 * ENTROPY_BYTES
        self.number, at = divmod(self.number, count)
        self.span = -(-self.span // count)
        return at


def entropic(fn: Callable[Concatenate[st.DrawFn, P], R]) -> Callable[Concatenate[st.DrawFn, P], R]:
    """``fn`` (a ``draw_*`` function of these strategies) drawing its choices from ``Entropy``: for
    ``st.composite``, ``world_files = st.composite(entropic(draw_world_file))``."""

    @functools.wraps(fn)
    def drawn(draw: st.DrawFn, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(Entropy.of(draw), *args, **kwargs)

    return drawn


def index(draw: st.DrawFn, count: int) -> int:
    """An index of ``count`` options (shrinking towards 0): from ``Entropy`` when ``draw`` is one, else the same
    draw as ``st.integers(0, count - 1)``."""
    if isinstance(draw, Entropy):
        return draw.index(count)
    return draw(INDEXES[count - 1] if count <= len(INDEXES) else st.integers(0, count - 1))


def pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options`` (shrinking towards the first). Cheaper than a new ``sampled_from`` per draw."""
    return options[index(draw, len(options))] if len(options) > 1 else options[0]


def coin(draw: st.DrawFn) -> bool:
    if isinstance(draw, Entropy):
        return draw.index(2) == 1
    return draw(BOOLEANS)


COIN: Final = (False, True)
"""A coin's two sides, for ``picks`` (False first: a coin shrinks towards False)."""


def picks(draw: st.DrawFn, *options: Sequence[Any]) -> list[Any]:
    """One of each of ``options``, as independent ``pick``s would give them, but in fewer draws: one index of
    their combinations (the first varying fastest, each shrinking towards its first) for every run of them with
    at most ``MAX_COMBINATIONS`` combinations, where hypothesis draws the index uniformly, so every combination is
    as likely as with separate picks (but for the few draws, about one in twenty, that hypothesis takes from its
    pool of notable integers, such as the first and last index, for one merged pick as for each single one).
    Hypothesis keeps a record of each draw, which costs more than the draw itself: a world drawn in fewer draws is
    cheaper to generate."""
    chosen: list[Any] = []
    group: list[Sequence[Any]] = []
    count = 1
    for choices in (*options, None):
        if choices is not None and count * len(choices) <= MAX_COMBINATIONS:
            group.append(choices)
            count *= len(choices)
            continue
        number = index(draw, count) if count > 1 else 0
        for members in group:
            number, at = divmod(number, len(members))
            chosen.append(members[at])
        group, count = ([choices], len(choices)) if choices is not None else ([], 1)
    return chosen


def choose_fault(draw: st.DrawFn, fault: str | None, faults: Sequence[str]) -> str:
    """``fault`` as given, or when None: no fault ("none") half the time, else one of ``faults``."""
    if fault is not None:
        return fault
    return pick(draw, faults) if coin(draw) else "none"


def policy_document(*statements: Data) -> Data:
    return {"Version": "2012-10-17", "Statement": list(statements)}
