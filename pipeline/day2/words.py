"""The action plan's words in French, Dutch, German and English, from the gettext catalogue
(``pipeline.i18n``) like every other word ideasynth shows a person: ``pybabel extract``
finds them here, and a translator finds them in ``pipeline/locale/<lang>/.../ideasynth.po``
beside the report's and the review app's, so that a new language or a better wording is one
catalogue entry, not a Python edit.

The plan's writers (HTML, Markdown, Word) and the review app's Day 2 page take them as one
typed set per language (``plan_words``, ``review_words``), so that the templates name a word
(``w.title``) rather than repeat its English."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline.day2.charts import MatrixWords
from pipeline.i18n import LANGUAGES, words

PLAN_LANGUAGES = LANGUAGES
"""The languages a plan is written in: those with a catalogue."""

LOCALES: dict[str, str] = {"fr": "fr-FR", "nl": "nl-NL", "de": "de-DE", "en": "en-GB"}
"""The Word document's language (spell checking, hyphenation), per plan language."""


@dataclass(frozen=True)
class PlanWords:
    title: str
    locale: str
    challenge: str
    question: str
    actions: str
    votes: str
    impact: str
    feasibility: str
    owner: str
    when: str
    cost: str
    cards: str
    also_written: str
    by_owner: str
    not_said: str
    unattached: str
    unattached_hint: str
    no_actions: str
    matrix_title: str
    quick_wins: str
    low: str
    high: str
    votes_title: str
    no_scores: str
    no_votes: str
    matrix_key: str
    not_read: str
    rejected_rows: str
    unreadable: str
    """A cell that could not be understood."""
    rejected_in_review: str
    approved: str

    def matrix_words(self) -> MatrixWords:
        return MatrixWords(
            self.matrix_title, self.impact, self.feasibility, self.quick_wins, self.low, self.high
        )


@functools.cache
def plan_words(lang: str) -> PlanWords:
    """The plan's words in ``lang`` (English for a language without a catalogue)."""
    w = words(lang)
    return PlanWords(
        title=w.gettext("Action plan"),
        locale=LOCALES.get(w.lang, LOCALES["en"]),
        challenge=w.gettext("Challenge"),
        question=w.gettext("Question:"),
        actions=w.gettext("Actions"),
        # After a count: "3 actions · 14 votes"; capitalised, it names a card's votes.
        votes=w.gettext("votes"),
        impact=w.gettext("Impact"),
        feasibility=w.gettext("Feasibility"),
        owner=w.gettext("Carried by"),
        when=w.gettext("When"),
        cost=w.gettext("Cost"),
        cards=w.gettext("Cards"),
        also_written=w.gettext("Also written"),
        by_owner=w.gettext("By who carries them"),
        not_said=w.gettext("Not said"),
        unattached=w.gettext("Actions with no challenge"),
        unattached_hint=w.gettext(
            "These cards name no challenge clearly, and their action is clearly nearest "
            "none: they are attached to none rather than to any. ledger.csv says why, card "
            "by card."
        ),
        no_actions=w.gettext("No actions."),
        matrix_title=w.gettext("Impact and feasibility"),
        quick_wins=w.gettext("Quick wins"),
        low=w.pgettext("a score on the matrix's axis", "low"),
        high=w.pgettext("a score on the matrix's axis", "high"),
        votes_title=w.gettext("Votes per challenge"),
        no_scores=w.gettext(
            "No card gives both impact and feasibility: there is no matrix to draw."
        ),
        no_votes=w.gettext("No card carries votes: there is no chart of the votes."),
        matrix_key=w.gettext("The numbers in the matrix are those of the actions below."),
        not_read=w.gettext("Files not read"),
        rejected_rows=w.gettext("Rows rejected"),
        unreadable=w.gettext("Not understood"),
        rejected_in_review=w.gettext("Rejected in review"),
        # An action approved in review (French: "validée", an action being feminine).
        approved=w.pgettext("a Day 2 action", "approved"),
    )


def accounting_sentence(
    lang: str,
    *,
    cards: int,
    attached: int,
    unattached: int,
    actions: int,
    rejected: int,
    skipped: int,
) -> str:
    """Where every card went, so that none is lost without the reader knowing."""
    return words(lang).gettext(
        "%(cards)s cards read: %(attached)s attached to a challenge, %(unattached)s with "
        "none; %(actions)s actions once duplicates are merged. %(rejected)s rows rejected, "
        "%(skipped)s files not read.",
        cards=cards,
        attached=attached,
        unattached=unattached,
        actions=actions,
        rejected=rejected,
        skipped=skipped,
    )


def owner_name(key: str, lang: str) -> str | None:
    """How the plan names an owner group written in several languages
    (``plan.OWNER_SYNONYMS``), ``None`` for any other owner (shown as written)."""
    w = words(lang)
    names = {
        "government": w.pgettext("who carries an action", "Government"),
        "municipality": w.pgettext("who carries an action", "Municipality"),
    }
    return names.get(key)


@dataclass(frozen=True)
class ReviewWords:
    """The Day 2 page of the review app."""

    rename: str
    edit: str
    move: str
    merge: str
    approve: str
    reject: str
    undo: str
    save: str
    no_challenge: str
    missing: str
    history: str
    no_longer_apply: str


@functools.cache
def review_words(lang: str) -> ReviewWords:
    """The review app's Day 2 page in ``lang`` (English for a language without a
    catalogue)."""
    w = words(lang)
    return ReviewWords(
        rename=w.gettext("Rename"),
        edit=w.gettext("Edit"),
        move=w.gettext("Move to"),
        merge=w.gettext("Merge with"),
        approve=w.gettext("Approve"),
        reject=w.gettext("Reject"),
        undo=w.gettext("Undo the last decision"),
        save=w.gettext("Save"),
        no_challenge=w.gettext("— no challenge —"),
        missing=w.gettext(
            "No action plan yet: run “ideasynth day2 FOLDER --from” this run folder first."
        ),
        history=w.gettext("Decisions"),
        no_longer_apply=w.gettext("No longer apply"),
    )
