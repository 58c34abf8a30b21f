"""The conflict rule for sourced claims, once: when do two sources state the same value?"""

from __future__ import annotations

from capgraph.graph.schema import SourcedClaim


def value_key(claim: SourcedClaim) -> tuple[str, ...]:
    """Two claims state the same value when their numbers and units match (unit case ignored) or, without
    a number, when their texts match ignoring case and spacing: "128K" and "128k" agree, "128K" and "200K"
    conflict.

    >>> a = SourcedClaim(model_id="m", attribute="context", value="128K", number=128000, unit=None, source_id="s")
    >>> value_key(a) == value_key(a.model_copy(update={"value": "128k"}))
    True
    """
    if claim.number is not None:
        return ("n", repr(claim.number), (claim.unit or "").casefold())
    return ("t", " ".join(claim.value.casefold().split()))
