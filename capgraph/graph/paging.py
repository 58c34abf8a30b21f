"""Pages of a list answer: every list an interface returns is cut to at most `MAX_PAGE` items.

A page says how many items there are in all (`total`) and where the next page starts (`next_offset`,
None on the last page), so a client walks a list of any size without ever asking for all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

MAX_PAGE = 1000
"""Most items one answer holds (capabilities, class members, benchmarks, classes...)."""
DEFAULT_PAGE = 100
"""Items one answer holds when the caller does not say."""
LISTED_MEMBERS = 20
"""Members each class shows in a list of classes (`GET /classes/{id}` pages through all of them)."""


def next_offset(offset: int, limit: int, total: int) -> int | None:
    """Where the page after `[offset, offset + limit)` starts: offset + limit while that is < total, else None."""
    end = offset + limit
    return end if end < total else None


def page(items: Sequence[T], offset: int, limit: int) -> list[T]:
    """`items[offset : offset + limit]`, with `limit` capped at `MAX_PAGE`.

    >>> page([1, 2, 3, 4], 1, 2)
    [2, 3]
    """
    return list(items[offset : offset + min(limit, MAX_PAGE)])
