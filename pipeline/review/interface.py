"""The review app's words: the catalogue of its language (``pipeline.i18n``) and the few
things it says about the run's own data (a decision, a refusal, a draft's state).

The app speaks the language the run's drafts are written in (the run's configured output
language, else its drafts' language: the same choice the Day 2 handout makes), unless
``ideasynth review --ui-lang`` says otherwise. Notes, labels and drafts are the run's own and
are never translated; only the interface around them is.

Reasons a change cannot be made come from the review's rules in English, one line each; they
are shown translated where the catalogue knows their form (``UiText.reason``), and as they
are otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    RecordedMessages,
    Words,
    is_review_flag,
    shown_flag,
)
from pipeline.report.view import LANGUAGE_NAMES
from pipeline.review.actions import placeholder_question, placeholder_title, unfinished
from pipeline.review.export import handout_language
from pipeline.schema import UNASSIGNED, ActionKind, Draft, ReviewAction, RunResult

UI_LANGUAGES = LANGUAGES

# The review's reasons, in the English its rules write them, and the message each one is.
REASONS = RecordedMessages(
    [
        N_("no theme given"),
        (
            r"theme (?P<id>\S+) is not in this run any more",
            N_("theme %(id)s is not in this run any more"),
        ),
        (
            r"challenge (?P<id>\S+) is not in this run any more",
            N_("challenge %(id)s is not in this run any more"),
        ),
        (r"(?P<what>.+) is empty", N_("%(what)s is empty")),
        (
            r"(?P<what>.+) is longer than (?P<limit>\d+) characters",
            N_("%(what)s is longer than %(limit)s characters"),
        ),
        N_("no notes selected"),
        (
            r"the selected notes are not in this run any more\b.*",
            N_("the selected notes are not in this run any more"),
        ),
        N_("none of the selected notes is where it was any more"),
        N_("choose at least two themes to merge"),
        N_("choose which of the ticked themes to merge them into"),
        (
            r"merge the ticked themes into one of them: (?P<id>\S+) is not ticked",
            N_("merge the ticked themes into one of them: %(id)s is not ticked"),
        ),
        (
            r"none of (?P<ids>.+) is in this run any more",
            N_("none of %(ids)s is in this run any more"),
        ),
        (r"theme id (?P<id>\S+) is already taken", N_("theme id %(id)s is already taken")),
        (
            r"that would leave (?P<id>\S+) empty: select only some of its notes",
            N_("that would leave %(id)s empty: select only some of its notes"),
        ),
        (
            r"the selected notes are already in (?P<target>\S+)",
            N_("the selected notes are already in %(target)s"),
        ),
        (
            r"theme (?P<id>\S+) has no draft: write one first",
            N_("theme %(id)s has no draft: write one first"),
        ),
        (
            r"the draft of (?P<id>\S+) was rejected as it read then; it now reads “(?P<reads>.*)” "
            r"and needs a new look",
            N_(
                "the draft of %(id)s was rejected as it read then; it now reads “%(reads)s” "
                "and needs a new look"
            ),
        ),
        N_("the note commented on is not in this run any more"),
        N_("choose one title or one question to adopt"),
        (r"unknown action (?P<op>.*)", N_("unknown action %(op)s")),
        N_("there is nothing to undo"),
        (
            r"the question of (?P<id>\S+) is still to be written: write it in “Edit the draft”, "
            r"then approve",
            N_(
                "the question of %(id)s is still to be written: write it in “Edit the draft”, "
                "then approve"
            ),
        ),
        (
            r"the title of (?P<id>\S+) is still to be written: write it in “Edit the draft”, "
            r"then approve",
            N_(
                "the title of %(id)s is still to be written: write it in “Edit the draft”, "
                "then approve"
            ),
        ),
    ]
)

# The fields a reason names ("the title is empty"), in the English the rules write them.
FIELDS: dict[str, str] = {
    "the title": N_("the title"),
    "the challenge statement": N_("the challenge statement"),
    "a proposal sentence": N_("a proposal sentence"),
    "the new name": N_("the new name"),
    "the new theme's name": N_("the new theme's name"),
    "the comment": N_("the comment"),
}

STATES: dict[str, str] = {
    "pending": N_("pending"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
    "none": N_("no draft"),
}

# What a decision did, by its kind: the history, the undo button, a stale form's list.
DID: dict[str, str] = {
    "rename": N_("renamed %(id)s to “%(label)s”"),
    "merge": N_("merged %(ids)s into %(into)s"),
    "split": N_("split %(notes)s from %(id)s into %(new)s “%(label)s”"),
    "move": N_("moved %(notes)s to %(target)s"),
    "noise": N_("marked %(notes)s as noise"),
    "restore": N_("restored %(notes)s to %(target)s"),
    "edit_draft": N_("edited the draft of %(id)s"),
    "approve": N_("approved the draft of %(id)s"),
    "reject": N_("rejected the draft of %(id)s"),
    "comment": N_("commented on %(id)s"),
    "undo": N_("undid the last action"),
    "regroup": N_("moved theme %(id)s to challenge %(target)s"),
    "adopt_title": N_("adopted another title for %(id)s: “%(text)s”"),
    "adopt_challenge": N_("adopted another question for %(id)s: “%(text)s”"),
}


def choose_language(run: RunResult, requested: str | None = None) -> str:
    """The interface language: ``requested`` (``--ui-lang``) if given, else the run's."""
    if requested is not None:
        if requested not in UI_LANGUAGES:
            raise ValueError(
                f"--ui-lang must be one of {', '.join(UI_LANGUAGES)}, not {requested!r}"
            )
        return requested
    lang = handout_language(run)
    return lang if lang in UI_LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class UiText(Words):
    """The app's words in one language; templates call ``_("…")`` and ``ngettext``, which
    are this object's ``gettext`` and ``ngettext``, and the methods below."""

    def notes(self, n: int) -> str:
        """ "3 notes", "3 notities", "3 Notizen": the handout's words."""
        return self.ngettext("%(num)d note", "%(num)d notes", n)

    def state(self, value: str | None) -> str:
        """A draft's approval state ("approved", …) in words; ``None``: no draft."""
        message = STATES.get(value or "none")
        return self.gettext(message) if message else str(value)

    def language_name(self, code: str) -> str:
        if code in ("und", ""):
            return self.gettext("undetermined")
        return LANGUAGE_NAMES.get(code, code)

    def target(self, target: str | None) -> str:
        return self.gettext("unassigned") if target == UNASSIGNED else str(target or "")

    def origin(self, origin: str) -> str:
        """ "split from T03" (what the review records) in words."""
        found = re.fullmatch(r"split from (\S+)", origin)
        return self.gettext("split from %(id)s", id=found.group(1)) if found else origin

    def unfinished(self, draft: Draft | None) -> str | None:
        """What of ``draft`` is still the drafter's stand-in ("question", "title"), or
        ``None``: the page then asks for it before an approval (``actions.unfinished``)."""
        return unfinished(draft) if draft is not None else None

    def stand_in(self, text: str | None) -> bool:
        """``text`` is the drafter's stand-in for a question or a title: the edit box starts
        empty, with it as the hint."""
        return placeholder_question(text) or placeholder_title(text)

    def reason(self, message: str) -> str:
        """Why a change cannot be made, in this language where the catalogue knows the form
        of the message, and as it is otherwise (lower case: it follows a colon)."""
        for pattern, said in REASONS.pairs:
            found = pattern.fullmatch(message)
            if found is None:
                continue
            values: dict[str, object] = dict(found.groupdict())
            what = values.get("what")
            if what is not None:
                if what not in FIELDS:
                    continue
                values["what"] = self.gettext(FIELDS[str(what)])
            return self.gettext(said, **values)
        return message

    def flag(self, flag: str, draft_lang: str | None = None) -> tuple[str, str]:
        """A draft's flag and the language it is shown in: the review's own flags in this
        language, a drafter's flag as the drafter wrote it, in its draft's language."""
        if is_review_flag(flag):
            return shown_flag(self.lang, flag), self.lang
        return flag, draft_lang or self.lang

    def describe(self, action: ReviewAction) -> str:
        """One line a person reads in the history, on the undo button and in messages."""
        ids = action.theme_ids
        values: dict[str, object] = {
            "id": action.theme_id or (action.note_ids or ["?"])[0],
            "label": action.label,
            "notes": self.notes(len(action.note_ids)),
            "target": self.target(action.target),
            "ids": ", ".join(ids[1:]),
            "into": ids[0] if ids else "?",
            "new": action.new_theme_id,
        }
        key = action.kind.value
        if action.kind is ActionKind.ADOPT:
            key += "_title" if action.title is not None else "_challenge"
            values["text"] = action.title if action.title is not None else action.challenge
        return self.gettext(DID[key], **values) if key in DID else action.kind.value
