"""The class browser: classes with their members' capabilities and models, and finding one by name.

Reads only (`GraphReader`); `QueryService.classes` and `.capability_class` call these.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, Field

from capgraph.errors import NotFound
from capgraph.graph.paging import DEFAULT_PAGE, next_offset, page
from capgraph.graph.schema import CapabilityClass
from capgraph.graph.store import GraphReader


class ClassMember(BaseModel):
    capability_id: str
    capability: str = Field(description="the capability's own name")
    model_id: str
    model: str = Field(description="the model's display name")


class ClassView(BaseModel):
    """A class as a person reads it: its name, and which model has it under which words."""

    id: str = Field(description="stable across re-ingest and rebuild")
    name: str = Field(description="made from the members' own words (class-based TF-IDF)")
    description: str
    size: int = Field(description="members, one capability per model (all of them, before `offset`)")
    members: list[ClassMember] = Field(description="one page of the members, ordered by model name")
    offset: int = Field(0, description="where this page of members starts")
    next_offset: int | None = Field(None, description="`offset` of the next page of members; None: no more")

    @property
    def models(self) -> list[str]:
        return [m.model for m in self.members]


def class_views(
    store: GraphReader, classes: list[CapabilityClass], offset: int = 0, limit: int = DEFAULT_PAGE
) -> list[ClassView]:
    """`classes` with their members resolved to capability and model names, in two reads; each view keeps
    the page `[offset, offset + limit)` of its members (ordered by model name) and counts them all."""
    capabilities = {c.id: c for c in store.get_capabilities(sorted({m for k in classes for m in k.members}))}
    models = {m.id: m.name for m in store.get_models(sorted({c.model_id for c in capabilities.values()}))}
    views = []
    for cls in classes:
        members = [
            ClassMember(
                capability_id=cid,
                capability=capabilities[cid].name,
                model_id=capabilities[cid].model_id,
                model=models.get(capabilities[cid].model_id, capabilities[cid].model_id),
            )
            for cid in cls.members
            if cid in capabilities
        ]
        members.sort(key=lambda m: (m.model.lower(), m.capability_id))
        views.append(
            ClassView(
                id=cls.id,
                name=cls.name,
                description=cls.description,
                size=len(members),
                members=page(members, offset, limit),
                offset=offset,
                next_offset=next_offset(offset, limit, len(members)),
            )
        )
    return views


def find_class(store: GraphReader, name_or_id: str) -> CapabilityClass:
    """A class by id, by name (case-insensitive), or by the one name containing the text; else NotFound
    naming the closest class names."""
    exact = store.get_classes([name_or_id])
    if exact:
        return exact[0]
    classes = store.list_classes()
    wanted = name_or_id.strip().lower()
    for match in (lambda n: n == wanted, lambda n: wanted in n):
        found = [c for c in classes if match(c.name.lower())]
        if found:
            return found[0]  # largest first
    close = difflib.get_close_matches(name_or_id, [c.name for c in classes], n=5, cutoff=0.4)
    hint = f" Closest: {', '.join(close)}." if close else ""
    raise NotFound(f"No capability class {name_or_id!r}.{hint}")
