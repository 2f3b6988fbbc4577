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
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.day2.charts import MatrixWords
from pipeline.day2.shapes import ActionCard, CardAttachment, Day2Counts, Said
from pipeline.i18n import LANGUAGES, N_, Words, words

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
    why: str
    """Before the reasons a card is attached to no challenge."""
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
    no_font: str
    """In a chart's image, for a challenge's name that no installed font draws."""

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
            "These cards are attached to no challenge rather than forced into one: they name "
            "none clearly, or one this run does not have, and their action does not decide "
            "for them. Each card says why."
        ),
        why=w.gettext("Why"),
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
        no_font=w.gettext("(no font here draws this name: see the plan)"),
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
    """Where every card went, so that none is lost without the reader knowing: each count
    in its plural form, in a sentence whose punctuation the language sets."""
    w = words(lang)
    # The sentence's frame; each part below is a count with its words.
    return w.gettext(
        "%(cards)s: %(attached)s, %(unattached)s; %(actions)s. %(rejected)s, %(skipped)s.",
        cards=w.ngettext("%(num)d card read", "%(num)d cards read", cards),
        attached=w.ngettext(
            "%(num)d attached to a challenge", "%(num)d attached to a challenge", attached
        ),
        unattached=w.ngettext("%(num)d with none", "%(num)d with none", unattached),
        actions=w.ngettext(
            "%(num)d action once duplicates are merged",
            "%(num)d actions once duplicates are merged",
            actions,
        ),
        rejected=w.ngettext("%(num)d row rejected", "%(num)d rows rejected", rejected),
        skipped=w.ngettext("%(num)d file not read", "%(num)d files not read", skipped),
    )


def section_counts(lang: str, actions: int, votes: int) -> str:
    """A challenge's actions and votes, above its name: "3 actions · 14 votes"."""
    w = words(lang)
    return " · ".join(
        [
            w.ngettext("%(num)d action", "%(num)d actions", actions),
            w.ngettext("%(num)d vote", "%(num)d votes", votes),
        ]
    )


def summary_line(counts: Day2Counts, lang: str) -> str:
    """The counts of ``ideasynth day2`` in the console, in the plan's language."""
    w = words(lang)
    figures = [
        (w.gettext("Cards"), counts.cards),
        (w.pgettext("Day 2 cards", "Attached"), counts.attached),
        (w.pgettext("Day 2 cards", "Unattached"), counts.unattached),
        (w.gettext("Actions"), counts.actions),
        (w.gettext("Rows rejected"), counts.rejected_rows),
    ]
    line = " · ".join(f"{name} {value}" for name, value in figures)
    reconcile = w.gettext("yes") if counts.reconciles else w.gettext("NO")
    return f"{line}. " + w.gettext("Counts reconcile:") + f" {reconcile}."


# --- sentences recorded as codes ------------------------------------------------------------

SENTENCES: dict[str, str] = {
    # Why a card is attached where it is, or to none (``pipeline.day2.attach``).
    "heading_names_none": N_("“%(reference)s” puts it under no challenge"),
    "names_challenge": N_("names challenge %(challenge)s (“%(reference)s”)"),
    "names_rejected": N_("“%(reference)s” names challenge %(challenge)s, rejected in review"),
    "names_unknown": N_("“%(reference)s” names no challenge of this run"),
    "names_former": N_("“%(reference)s” is an earlier name of challenge %(challenge)s"),
    "names_former_theme": N_(
        "“%(reference)s” is an earlier name of a theme of challenge %(challenge)s"
    ),
    "names_several": N_("“%(reference)s” is a name of several challenges (%(challenges)s)"),
    "name_and_action": N_("“%(reference)s” and the action point to %(challenge)s"),
    "name_unclear": N_("“%(reference)s” matches no challenge clearly"),
    "nearest_not_named": N_("the action is nearest %(challenge)s, which the name does not suggest"),
    "nearest": N_("the action is nearest challenge %(challenge)s"),
    "no_challenges": N_("the run has no challenge to attach to"),
    "near_none": N_("the action is near no challenge (best %(challenge)s, %(score)s)"),
    "as_near": N_(
        "the action is as near %(challenge)s as %(other)s (%(score)s and %(other_score)s)"
    ),
    # What the review did to a card, and a decision that no longer applies
    # (``pipeline.day2.review``).
    "merged_in_review": N_("merged in review by %(who)s"),
    "moved_in_review": N_("moved to %(challenge)s in review"),
    "unattached_in_review": N_("moved to no challenge in review"),
    "card_gone": N_("%(decision)s by %(who)s: card %(card)s is no longer read"),
    "challenge_gone": N_("%(decision)s by %(who)s: challenge %(challenge)s is not in this plan"),
    # A cell of a card that could not be understood (``pipeline.day2.read``).
    "not_a_score": N_("%(field)s: “%(text)s” is not a score"),
    "score_out_of_range": N_("%(field)s: “%(text)s” is not a score from 1 to 5"),
    "not_a_score_word": N_("%(field)s: “%(text)s” is not a score (1–5, or low / medium / high)"),
    "not_votes": N_("%(field)s: “%(text)s” is not a number of votes"),
}
"""Each sentence Day 2 records by its code (``Said``), and its message in the catalogue.
A value named ``decision`` is a review decision's kind, ``field`` a card's field, and a
number a similarity: each is said in the reader's language too."""


def decision_name(kind: str, lang: str) -> str:
    """A review decision's kind (``Day2DecisionKind``) as a person reads it."""
    w = words(lang)
    names = {
        "rename": w.pgettext("a Day 2 decision", "renaming"),
        "edit": w.pgettext("a Day 2 decision", "edit"),
        "merge": w.pgettext("a Day 2 decision", "merge"),
        "move": w.pgettext("a Day 2 decision", "move"),
        "approve": w.pgettext("a Day 2 decision", "approval"),
        "reject": w.pgettext("a Day 2 decision", "rejection"),
        "undo": w.pgettext("a Day 2 decision", "undo"),
    }
    return names.get(kind, kind)


def field_name(name: str, lang: str) -> str:
    """A card's field, as the plan names it."""
    w = plan_words(lang)
    names = {"votes": w.votes.capitalize(), "impact": w.impact, "feasibility": w.feasibility}
    return names.get(name, name)


def _decimal(value: float, w: Words) -> str:
    text = f"{value:.2f}"
    return text if w.lang == "en" else text.replace(".", ",")


def say(said: Said, lang: str) -> str:
    """A recorded sentence in ``lang``; one of a later version (an unknown code) as its
    code and values."""
    message = SENTENCES.get(said.code)
    if message is None:
        return " ".join([said.code, *(str(v) for v in said.values.values())])
    w = words(lang)
    values: dict[str, str] = {}
    for key, value in said.values.items():
        if isinstance(value, float):
            values[key] = _decimal(value, w)
        elif key == "decision":
            values[key] = decision_name(value, lang)
        elif key == "field":
            values[key] = field_name(value, lang)
        else:
            values[key] = value
    return w.gettext(message, **values)


def english(said: Sequence[Said]) -> str:
    """Recorded sentences in English, one after the other: the ledger's words."""
    return "; ".join(say(s, "en") for s in said)


def one_after_the_other(texts: Sequence[str], lang: str) -> str:
    """Sentences joined as the language joins clauses ("a; b", French "a ; b")."""
    w = words(lang)
    out = ""
    for text in texts:
        out = w.gettext("%(first)s; %(then)s", first=out, then=text) if out else text
    return out


_QUOTED = r"['“](?P<{}>.*)['”]"
_RECORDED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern.format(ref=_QUOTED.format("reference"))), code)
    for pattern, code in [
        (r"{ref} puts it under no challenge", "heading_names_none"),
        (r"names challenge (?P<challenge>\S+) \({ref}\)", "names_challenge"),
        (r"{ref} names challenge (?P<challenge>\S+), rejected in review", "names_rejected"),
        (r"{ref} names no challenge of this run", "names_unknown"),
        (r"{ref} and the action point to (?P<challenge>\S+)", "name_and_action"),
        (r"{ref} matches no challenge clearly", "name_unclear"),
        (
            r"the action is nearest (?P<challenge>\S+), which the name does not suggest",
            "nearest_not_named",
        ),
        (r"the action is nearest challenge (?P<challenge>\S+)", "nearest"),
        (r"the run has no challenge to attach to", "no_challenges"),
        (
            r"the action is near no challenge \(best (?P<challenge>\S+), (?P<score>[\d.]+)\)",
            "near_none",
        ),
        (
            r"the action is as near (?P<challenge>\S+) as (?P<other>\S+) "
            r"\((?P<score>[\d.]+) and (?P<other_score>[\d.]+)\)",
            "as_near",
        ),
        (r"merged in review by (?P<who>.*)", "merged_in_review"),
        (r"moved to (?:unattached|no challenge) in review", "unattached_in_review"),
        (r"moved to (?P<challenge>\S+) in review", "moved_in_review"),
    ]
]
_PROBLEMS = re.compile(
    r"(?i:(?P<field>votes|impact|feasibility)):? ['“](?P<text>.*)['”] is not "
    r"(?P<what>a score from 1 to 5|a score \(1–5, or low / medium / high\)|a score|"
    r"a number of votes)"
)
_PROBLEM_CODES = {
    "a score from 1 to 5": "score_out_of_range",
    "a score (1–5, or low / medium / high)": "not_a_score_word",
    "a score": "not_a_score",
    "a number of votes": "not_votes",
}


def recorded(text: str) -> Said | None:
    """An English sentence of a file written before sentences were recorded as codes (a
    card's reason or problem), as the code it is; ``None`` when it is no known sentence."""
    for pattern, code in _RECORDED:
        found = pattern.fullmatch(text)
        if found is not None:
            values: dict[str, str | float] = {
                k: float(v) if k.endswith("score") else v for k, v in found.groupdict().items()
            }
            return Said(code=code, values=values)
    problem = _PROBLEMS.fullmatch(text)
    if problem is not None:
        return Said(
            code=_PROBLEM_CODES[problem.group("what")],
            values={"field": problem.group("field").lower(), "text": problem.group("text")},
        )
    return None


def _shown(text: str, lang: str) -> str:
    found = recorded(text)
    return text if found is None else say(found, lang)


def reason_shown(attachment: CardAttachment, lang: str) -> str:
    """Why a card is attached where it is (or to none), in ``lang``."""
    if attachment.why:
        return one_after_the_other([say(s, lang) for s in attachment.why], lang)
    return one_after_the_other([_shown(t, lang) for t in attachment.reason.split("; ")], lang)


def problems_shown(card: ActionCard, lang: str) -> list[str]:
    """The cells of ``card`` that could not be understood, each in ``lang``."""
    if card.unread:
        return [say(s, lang) for s in card.unread]
    return [_shown(text, lang) for text in card.problems]


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
    """Before the command that writes the plan (``day2_command``)."""
    folder: str
    """The command's folder of cards, for the reader to fill in."""
    history: str
    no_longer_apply: str
    decisions: dict[str, str] = field(default_factory=dict)
    """Each kind of decision (``Day2DecisionKind``'s values), as the history names it."""


def day2_command(run_dir: Path, lang: str) -> str:
    """The command that writes a run's plan, as one copies it: this run's folder filled in
    (quoted for the shell where it must be), the folder of cards named in ``lang``."""
    folder = review_words(lang).folder
    return f"ideasynth day2 {folder} --from {shlex.quote(str(Path(run_dir).resolve()))}"


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
            "No action plan yet: write it with this command, FOLDER being the folder of the "
            "Day 2 action cards:"
        ),
        folder=w.pgettext("a folder to name in a command line", "FOLDER"),
        history=w.gettext("Decisions"),
        no_longer_apply=w.gettext("No longer apply"),
        decisions={
            kind: decision_name(kind, lang)
            for kind in ("rename", "edit", "merge", "move", "approve", "reject", "undo")
        },
    )
