"""Capability classes through the ingest pipeline (real model, embedded store): assigned at ingest,
joined by new sources without renaming the others, pruned with removed sources, kept by rebuild."""

from __future__ import annotations

from capgraph.app import Services

NEW_PAGE = """# Nova 1 vs GPT-4o

## Nova 1 capabilities

1. Maintains conversation state across many turns.
Unique: Keeps the whole dialogue history in memory for multi-turn chats.
vs alternatives: GPT-4o keeps a shorter history.
"""


def test_seed_capabilities_each_have_one_class_of_distinct_models(seeded_services: Services) -> None:
    store = seeded_services.store
    classes = store.list_classes()
    members = [m for c in classes for m in c.members]
    assert sorted(members) == sorted(store.all_capability_ids())  # every capability, once
    for cls in classes:
        owners = [c.model_id for c in store.get_capabilities(cls.members)]
        assert len(owners) == len(set(owners)) and cls.name
    shared = {c.name for c in classes if c.size > 1}
    assert "Conversation state" in shared  # GPT-4o's and o4-mini's multi-turn state


def test_a_new_source_joins_a_class_and_removal_takes_back_only_its_part(seeded_services: Services) -> None:
    store = seeded_services.store
    before = {c.id: c for c in store.list_classes()}
    report = seeded_services.ingest.text(NEW_PAGE)
    (nova,) = [c.id for c in store.capabilities("nova-1")]
    (joined,) = store.get_classes([store.class_memberships([nova])[nova]])
    assert joined.id in before and before[joined.id].name == "Conversation state"
    assert joined.members == sorted([*before[joined.id].members, nova])
    after = {c.id: c for c in store.list_classes()}
    assert {k: v for k, v in after.items() if k != joined.id} == {k: v for k, v in before.items() if k != joined.id}
    seeded_services.ingest.remove(report.result.source_id)
    assert store.get_classes([joined.id])[0].members == before[joined.id].members


def test_rebuild_keeps_class_ids_and_members(seeded_services: Services) -> None:
    store = seeded_services.store
    before = [(c.id, c.members) for c in store.list_classes()]
    seeded_services.ingest.rebuild()
    assert [(c.id, c.members) for c in store.list_classes()] == before
