"""Answers worth trusting: hybrid search, typed constraints, kinds, alternatives and leaderboards.

Pure modules over the domain types; `records.read_catalog` is the one place that reads a store.
"""
