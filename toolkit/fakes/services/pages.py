"""Paging a list operation's answer: a page of at most ``limit`` items from the one ``marker`` names.

The marker is the sort key of the first item of the next page, so it stays valid while items before it come and go,
and the same world gives the same pages. The operation turns the page into its service's members (KMS's
NextMarker/Truncated, Organizations' NextToken).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from toolkit.fakes.errors import AwsError
from toolkit.fakes.requests import invalid, opt_int, opt_str

T = TypeVar("T")


def page(
    items: Sequence[T],
    key: Callable[[T], str],
    params: dict[str, Any],
    *,
    limit: tuple[str, int, int],
    marker: str,
    bad_marker: AwsError,
) -> tuple[list[T], str | None]:
    """The page of ``items`` (in their order, each with its own ``key``) the request asks for, and the marker of the
    next page or None.

    ``limit`` is the request member of the page size, its default and its maximum; ``marker`` the request member
    naming where the page starts; ``bad_marker`` the error for a marker that names no item.
    """
    member, default, maximum = limit
    size = opt_int(params, member)
    if size is None:
        size = default
    elif not 1 <= size <= maximum:
        bound = "greater than or equal to 1" if size < 1 else f"less than or equal to {maximum}"
        raise invalid(member, f"Member must have value {bound}")
    start = 0
    wanted = opt_str(params, marker)
    if wanted is not None:
        keys = [key(item) for item in items]
        if wanted not in keys:
            raise bad_marker
        start = keys.index(wanted)
    chosen = list(items[start : start + size])
    following = items[start + size] if start + size < len(items) else None
    return chosen, None if following is None else key(following)
