"""The offline ``compose`` drafter (the default): titles, "How might we …?" questions and
ranked proposals from the participants' own words, by rules per language (fr, nl, de, en)."""

from __future__ import annotations

from pipeline.draft.base import drafters
from pipeline.draft.compose.drafter import ComposingDrafter
from pipeline.draft.compose.forms import form_of
from pipeline.draft.compose.questions import question
from pipeline.draft.compose.rules import RULES, stem

CHALLENGE_OPENINGS = {language: rules.stem for language, rules in RULES.items()}


@drafters.register("compose")
def _create(argument: str | None) -> ComposingDrafter:
    return ComposingDrafter()


@drafters.register("extractive")
def _create_by_old_name(argument: str | None) -> ComposingDrafter:
    """The name earlier configs used for the offline drafter."""
    return ComposingDrafter()


__all__ = ["CHALLENGE_OPENINGS", "ComposingDrafter", "form_of", "question", "stem"]
