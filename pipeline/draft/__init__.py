"""Draft a title, challenge statement and proposal summary per theme, for people to review.

Every sentence of a draft carries the ids of the notes it is built from. Backends are chosen
by name: ``compose`` (deterministic, offline, the default; ``extractive`` is its former name),
``llama-cpp`` (a local GGUF model) and ``openai`` (any OpenAI-compatible endpoint, local
unless allowed otherwise).
"""

from __future__ import annotations

# Importing the backends registers them; the language-model ones import their heavy
# dependencies (llama_cpp) only when a model is loaded.
from pipeline.draft import compose as _compose  # noqa: F401
from pipeline.draft import llama_cpp as _llama_cpp  # noqa: F401
from pipeline.draft import openai_compat as _openai_compat  # noqa: F401
from pipeline.draft.base import Drafter, create_drafter, draft_all, draft_themes, drafters

__all__ = ["Drafter", "create_drafter", "draft_all", "draft_themes", "drafters"]
