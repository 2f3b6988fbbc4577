"""Is a draft something a facilitator can hand out? The form rules, as a checklist.

Used by ``benchmarks/drafting.py`` to measure every drafter alike (composed or from a
language model), and by tests. A draft is well formed when:

- its challenge starts with the language's stem ("Comment pourrions-nous"), ends with "?",
  has 6 to 30 words, quotes no note and is in the output language (by the language
  identifier the pipeline uses for notes);
- its title is a phrase of at most 8 words, not a "·" list of keywords, and no placeholder.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.draft.compose.nouns import german_slip
from pipeline.draft.compose.rules import RULES
from pipeline.draft.compose.spelling import misspells
from pipeline.draft.compose.tagging import Word, tag
from pipeline.draft.compose.wording import WORDING
from pipeline.prepare.abbreviations import cut_adjective
from pipeline.schema import Draft

QUOTES = '«»“”„"'
MIN_QUESTION_WORDS = 6
MAX_QUESTION_WORDS = 30
MAX_TITLE_WORDS = 8


def form_problems(draft: Draft, language: str) -> list[str]:
    """What keeps ``draft`` from being handed out as it is; empty when it is well formed."""
    from pipeline.config import SUPPORTED_LANGUAGES
    from pipeline.prepare.language import detect_language

    problems = []
    question = draft.challenge.text.strip()
    words = question.split()
    if language in RULES and not question.startswith(RULES[language].stem):
        problems.append("the challenge does not start with the language's stem")
    if not question.endswith("?"):
        problems.append("the challenge is not a question")
    if not MIN_QUESTION_WORDS <= len(words) <= MAX_QUESTION_WORDS:
        problems.append(f"the challenge has {len(words)} words")
    if any(q in question for q in QUOTES):
        problems.append("the challenge quotes a note")
    if language in WORDING and question == WORDING[language].no_question:
        problems.append("no challenge could be composed")
    elif detect_language(question, SUPPORTED_LANGUAGES).lang != language:
        problems.append("the challenge is not in the output language")
    title = draft.title.text.strip()
    if "·" in title:
        problems.append("the title is a keyword list")
    if not title or len(title.split()) > MAX_TITLE_WORDS:
        problems.append(f"the title has {len(title.split())} words")
    if language in WORDING and title == WORDING[language].untitled:
        problems.append("no title could be composed")
    return problems


GERMAN_ARTICLE_ENDINGS = {"einen": ("m", "en"), "eine": ("f", "e"), "ein": ("n", "es")}
"""The indefinite article the rules add, the gender it says, and the ending an adjective
between it and the noun takes in the accusative."""


def german_agreement_errors(question: str) -> list[str]:
    """Where the article the rules added to a German question disagrees with its noun's
    gender (by the rules' own table of endings) or with its adjectives' endings."""
    from pipeline.draft.compose.nouns import german_gender

    body = question.removeprefix(RULES["de"].stem).split()
    if not body or body[0] not in GERMAN_ARTICLE_ENDINGS:
        return []
    gender, ending = GERMAN_ARTICLE_ENDINGS[body[0]]
    errors = []
    for word in body[1:]:
        bare = word.strip("?,.;:")
        if bare[:1].isupper():
            known = german_gender(bare)
            if known and known != gender:
                errors.append(f"'{body[0]} … {bare}': the noun is not '{gender}'")
            break
        if bare.isalpha() and not bare.endswith(ending):
            errors.append(f"'{body[0]} {bare}': the adjective should end in '-{ending}'")
    return errors


def copies_slip(text: str, language: str, words: Sequence[Word] | None = None) -> bool:
    """Whether a proposal copies a slip of its note that a reader notices, as far as the
    rules can tell: a misspelt word in any language ("müssste", "Transparance",
    ``spelling``); in German an adjective left without its ending ("für den eigen
    Wirkungsbereich", ``german_slip``) or a word cut short as notes abbreviate it
    ("Verbesserungen und mögl. Förderungen"). A proposal is the note's words, so the slip
    is not repaired; the drafter lists a clean proposal before it. ``words``: the note's
    words, tagged already (a slip anywhere in the note counts), else ``text`` is tagged."""
    if misspells(text, language):
        return True
    if language != "de":
        return False
    if any(cut_adjective(w.rstrip("."), language) for w in text.split() if w.endswith(".")):
        return True
    return german_slip(tag(text, language) if words is None else words)


DEMONSTRATIVES = {
    "en": frozenset({"this", "these", "those"}),
    "fr": frozenset({"ce", "cet", "cette", "ces"}),
    "de": frozenset({"diese", "dieser", "dieses", "diesem", "diesen", "jene", "jener", "jenen"}),
    "nl": frozenset({"deze", "dit", "die"}),
}
"""Determiners that point at something said before: "these workers", "ces mesures"."""


THEREFORE = {
    "en": frozenset({"therefore", "thus", "hence"}),
    "fr": frozenset({"donc"}),
    "de": frozenset({"daher", "deshalb", "deswegen", "darum", "folglich"}),
    "nl": frozenset({"daarom", "dus", "derhalve"}),
}
"""Adverbs that draw a conclusion from what was said before: "Bei der Energieproduktion
sollte daher … auf einen gesunden Mix geachtet werden", after "Energetische Monokulturen
sind anfällig"."""


POINTING_PRONOUNS = {
    "en": frozenset({"this", "that", "these", "those"}),
    "fr": frozenset({"cela", "ça", "ceci"}),
    "de": frozenset({"das", "dies", "dieses"}),
    "nl": frozenset({"dit", "dat", "deze", "die"}),
}
"""Pronouns that open a sentence about what the one before said: "Cela permettrait …",
"Das ist wichtig", "Dit helpt" (English taggers read "This does not mean …" as a
determiner, which ``DEMONSTRATIVES`` holds)."""


def points_back(words: Sequence[Word], language: str) -> bool:
    """Whether ``words`` (a note's, tagged) point back with a demonstrative determiner
    ("New ways of supporting these workers …") or pronoun opening them ("Cela permettrait
    …"), or conclude from what came before
    (``THEREFORE``): read alone, as the second idea split out of a comment whose first said
    who "these workers" are, or why, the proposal leaves the room guessing. ("That" is no
    determiner here: it is more often a conjunction the tagger may misread; as the pronoun
    opening the sentence it counts.)"""
    pointing = DEMONSTRATIVES.get(language, frozenset())
    concluding = THEREFORE.get(language, frozenset())
    opening = next((w for w in words if w.pos != "PUNCT"), None)
    if (
        opening is not None
        and opening.pos == "PRON"
        and opening.text.casefold() in POINTING_PRONOUNS.get(language, frozenset())
    ):
        return True
    return any(
        (w.pos == "DET" and w.text.casefold() in pointing) or w.text.casefold() in concluding
        for w in words
    )


def grammar_errors(draft: Draft, language: str) -> list[str] | None:
    """Grammar errors in the draft's title and question: Grammalecte's for French (``None``
    where it is not installed), the rules' own agreement check for German, none measured
    for the other languages (``None``)."""
    if language == "fr":
        from pipeline.draft.compose.grammar import french_grammar_errors

        found = [french_grammar_errors(s.text) for s in (draft.title, draft.challenge)]
        if any(f is None for f in found):
            return None
        return [e for f in found for e in (f or [])]
    if language == "de":
        return german_agreement_errors(draft.challenge.text)
    return None
