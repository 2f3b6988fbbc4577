"""The composing drafter's own words per output language, in one place for translators.

These are the only words a composed draft adds to the participants' own: the question stems
and the few verbs of ``questions.py``, and the labels below (flags and the handout's headings
live with their writers).
"""

from __future__ import annotations

from dataclasses import dataclass


def word_list(text: str) -> list[str]:
    """A word list written as one block of text, for lists that translators edit."""
    return text.split()


@dataclass(frozen=True)
class Wording:
    no_question: str
    """Stands in for the challenge when no note can be worded as a question (flagged)."""
    untitled: str
    """Stands in for the title when no note holds a noun phrase (flagged)."""


WORDING: dict[str, Wording] = {
    "fr": Wording(
        no_question="(Question à rédiger : aucune note ne se prête à une question.)",
        untitled="Thème sans titre",
    ),
    "nl": Wording(
        no_question="(Vraag nog te schrijven: geen enkele notitie leent zich tot een vraag.)",
        untitled="Thema zonder titel",
    ),
    "de": Wording(
        no_question="(Frage noch zu formulieren: keine Notiz eignet sich für eine Frage.)",
        untitled="Thema ohne Titel",
    ),
    "en": Wording(
        no_question="(Question to be written: no note lends itself to a question.)",
        untitled="Untitled theme",
    ),
}
