"""Draft a title, challenge statement and proposal summary per theme, for people to review.

Every sentence of a draft carries the ids of the notes it is built from. Backends are chosen
by name: ``extractive`` (deterministic, offline, the default); LLM backends plug in here.
"""

from __future__ import annotations

# Importing the backends registers them.
from pipeline.draft import extractive as _extractive  # noqa: F401
from pipeline.draft.base import Drafter, draft_themes, drafters

__all__ = ["Drafter", "draft_themes", "drafters"]
