"""Pages of a listing, as the fake services hand them out: a page of at most ``size`` items and an opaque NextToken
for the rest. Tokens are deterministic (the offset, encoded), so the same calls give the same bytes; a token the
service did not hand out is refused with the service's own error code."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from toolkit.fakes.errors import AwsError

Item = TypeVar("Item")
_PREFIX = "fake-page:"


def page(
    items: Sequence[Item], size: int, token: str | None, *, invalid: str, message: str
) -> tuple[list[Item], str | None]:
    """The page of ``items`` that ``token`` starts (None: the first) and the token of the next page (None: no more).
    A token not made here raises AwsError(``invalid``, ``message``)."""
    start = 0
    if token is not None:
        try:
            text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
        except (binascii.Error, UnicodeError, ValueError):
            text = ""
        if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
            raise AwsError(invalid, message)
        start = int(text[len(_PREFIX) :])
    end = start + size
    following = base64.urlsafe_b64encode(f"{_PREFIX}{end}".encode("ascii")).decode("ascii")
    return list(items[start:end]), following if end < len(items) else None
