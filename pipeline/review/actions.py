"""From a run and its decision log to the reviewed state, as pure functions.

The log is never edited: the reviewed state is recomputed by replaying it over the pipeline's
themes, so an undo is simply an action that cancels the latest one still standing, and a
re-run replays the same log over new themes (``pipeline.review.matching``). An action that
cannot apply raises ``NotApplicable`` with the reason, which the app shows and a re-run lists.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.draft.base import Drafter, DraftsFromFacets
from pipeline.draft.compose.drafter import PROPOSAL_FLAGS, QUESTION_FLAGS, TITLE_FLAGS
from pipeline.i18n import words
from pipeline.schema import (
    UNASSIGNED,
    ActionKind,
    ApprovalState,
    Decision,
    Draft,
    DraftLevel,
    Note,
    NoteStatus,
    ReviewAction,
    RunResult,
    Sentence,
    Theme,
    count_notes,
    languages_of,
)

_log = logging.getLogger(__name__)

MAX_LABEL = 200
MAX_TEXT = 5000


class NotApplicable(ValueError):
    """The action cannot apply to the current state; the message says why, in one line."""


@dataclass
class ThemeState:
    id: str
    label: str
    note_ids: list[str]
    keyphrases: list[str] = field(default_factory=list)
    keyphrase_translations: dict[str, list[str]] = field(default_factory=dict)
    representative_ids: list[str] = field(default_factory=list)
    parent_id: str | None = None
    renamed: bool = False
    origin: str = ""
    """Empty for a pipeline theme; "split from T03" for one an analyst made."""

    @property
    def size(self) -> int:
        return len(self.note_ids)


@dataclass
class DraftState:
    draft: Draft | None
    """What the unit's draft reads now: the analyst's words where there are any, else the
    pipeline's."""
    status: ApprovalState = ApprovalState.PENDING
    edited: bool = False
    machine: Draft | None = None
    """The pipeline's draft for the unit's notes as they are now (drafted again when the
    review changed them): what ``draft`` would be without the analysts."""
    basis: frozenset[str] | None = None
    """The notes ``machine`` was drafted from."""
    joined: set[str] = field(default_factory=set)
    """Notes a merge brought into the unit after its draft was approved: the approval stands,
    flagged, until an analyst approves, rejects or edits the draft again."""

    @property
    def by_analyst(self) -> bool:
        """An analyst wrote, approved or rejected this draft: the pipeline no longer words it."""
        return self.edited or self.status is not ApprovalState.PENDING


@dataclass
class Comment:
    target: str
    """A theme id or a note id."""
    text: str
    who: str
    at: str


@dataclass
class Skipped:
    decision: Decision
    reason: str


def _plain_composer() -> Drafter:
    from pipeline.draft.compose.drafter import ComposingDrafter

    return ComposingDrafter()


@dataclass
class ReviewState:
    themes: dict[str, ThemeState]
    """In display order: the pipeline's order, new themes after the theme they came from."""
    unassigned: list[str]
    noise: list[str]
    drafts: dict[str, DraftState]
    active: set[str]
    """Every active note id of the run."""
    comments: list[Comment] = field(default_factory=list)
    applied: list[Decision] = field(default_factory=list)
    """Decisions standing (not undone), as applied (narrowed to what still exists)."""
    skipped: list[Skipped] = field(default_factory=list)
    undone: list[Decision] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    """The run's notes by id, for drafting a unit whose notes the review changed."""
    language: str = "en"
    """The language the run's drafts are written in."""
    run_id: str = ""
    drafter: Callable[[], Drafter] = _plain_composer
    """The composing drafter for units whose notes the review changed, made when first
    needed (``pipeline.review.redraft``: with the run's embeddings)."""
    challenges: dict[str, ThemeState] = field(default_factory=dict)
    """The run's challenges (its broad themes, "B…"), in the pipeline's order. Their notes are
    their facets' (the themes whose ``parent_id`` they are), kept in step by every action; a
    challenge left without facets disappears with its draft. Analysts rename them and edit,
    approve or reject their drafts, as for themes."""
    titled: set[str] = field(default_factory=set)
    """The units the pipeline named by their draft's title (``pipeline.review.reviewed``)."""
    challenge_ids: set[str] = field(default_factory=set)
    """Every id that named a challenge: this run's, and for a re-run the previous run's
    (``replay(..., earlier_challenges=...)``). A decision about a unit that is gone then
    says it was a challenge, where the ids alone would only suggest it."""

    def theme_of(self, note_id: str) -> str | None:
        for theme in self.themes.values():
            if note_id in theme.note_ids:
                return theme.id
        if note_id in self.noise:
            return "noise"
        return UNASSIGNED if note_id in self.active else None

    def approvals(self) -> dict[str, str]:
        return {tid: d.status.value for tid, d in self.drafts.items() if d.draft is not None}

    def used_ids(self) -> set[str]:
        return set(self.themes)

    def unit(self, unit_id: str) -> ThemeState | None:
        """A theme or a challenge by id (what a rename, a draft or a comment is about)."""
        return self.themes.get(unit_id) or self.challenges.get(unit_id)

    def facets(self, challenge_id: str) -> list[ThemeState]:
        return [t for t in self.themes.values() if t.parent_id == challenge_id]

    def sync_challenges(self) -> None:
        """Each challenge's notes from its facets, after the facets changed."""
        for challenge in list(self.challenges.values()):
            challenge.note_ids = [n for t in self.facets(challenge.id) for n in t.note_ids]
            if not challenge.note_ids:
                del self.challenges[challenge.id]
                self.drafts.pop(challenge.id, None)


def _state_of(theme: Theme) -> ThemeState:
    return ThemeState(
        id=theme.id,
        label=theme.label,
        note_ids=list(theme.note_ids),
        keyphrases=list(theme.keyphrases),
        keyphrase_translations={k: list(v) for k, v in theme.keyphrase_translations.items()},
        representative_ids=list(theme.representative_ids),
        parent_id=theme.parent_id,
    )


def run_languages(run: RunResult) -> list[str]:
    """The languages a run's drafts are in, most telling first: the configured output
    language, then its drafts' (the review drafts in the first; the handout and the app take
    the first they have words for)."""
    configured = run.manifest.config.get("output_language")
    found = [configured] if isinstance(configured, str) and configured else []
    return [*found, *(d.language for d in run.drafts if d.language)]


def initial_state(run: RunResult) -> ReviewState:
    """The pipeline's proposal, before any decision."""
    from pipeline.review.redraft import review_drafter

    active = [n.id for n in run.notes if n.status is NoteStatus.ACTIVE]
    themes = {t.id: _state_of(t) for t in run.themes}
    challenges = {b.id: _state_of(b) for b in run.broad_themes}
    placed = {nid for t in run.themes for nid in t.note_ids}
    drafts = {tid: DraftState(draft=None) for tid in [*themes, *challenges]}
    basis = {t.id: frozenset(t.note_ids) for t in [*run.themes, *run.broad_themes]}
    for d in run.drafts:
        if d.theme_id in drafts:
            drafts[d.theme_id] = DraftState(draft=d, machine=d, basis=basis.get(d.theme_id))
    language = next(iter(run_languages(run)), "en")
    labels = {t.id: t.label for t in [*run.themes, *run.broad_themes]}

    def state_label(unit_id: str) -> str:
        return labels.get(unit_id, "")

    state = ReviewState(
        themes=themes,
        unassigned=[nid for nid in active if nid not in placed],
        noise=[],
        drafts=drafts,
        active=set(active),
        notes={n.id: n for n in run.notes},
        language=language,
        run_id=run.manifest.run_id,
        drafter=lambda: review_drafter(run),
        challenges=challenges,
        challenge_ids=set(challenges),
        titled={
            d.theme_id
            for d in run.drafts
            if d.theme_id in drafts and _flat(d.title.text) == _flat(state_label(d.theme_id))
        },
    )
    state.sync_challenges()
    return state


def standing(decisions: Sequence[Decision]) -> tuple[list[Decision], list[Decision]]:
    """(decisions not undone, in order; decisions undone): each undo cancels the latest one
    still standing."""
    stack: list[Decision] = []
    undone: list[Decision] = []
    for decision in decisions:
        if decision.action.kind is ActionKind.UNDO:
            if stack:
                undone.append(stack.pop())
        else:
            stack.append(decision)
    return stack, undone


def replay(
    run: RunResult, decisions: Sequence[Decision], earlier_challenges: Collection[str] = ()
) -> ReviewState:
    """The reviewed state: the log replayed over the run; what no longer applies is skipped.

    ``earlier_challenges``: the challenge ids of the run a re-run's log was written in, so
    that a decision about one of them that is gone is listed as about a challenge."""
    state = initial_state(run)
    state.challenge_ids.update(earlier_challenges)
    keep, state.undone = standing(decisions)
    for decision in keep:
        try:
            narrowed = apply_action(state, decision.action, who=decision.who, at=decision.at)
        except NotApplicable as exc:
            state.skipped.append(Skipped(decision=decision, reason=str(exc)))
            continue
        state.applied.append(decision.model_copy(update={"action": narrowed}))
    for unit_id in [*state.challenges, *state.themes]:
        redraft(state, unit_id)
    names_apart(state)
    return state


def names_apart(state: ReviewState) -> None:
    """No two themes, nor two challenges, of the reviewed state under one name
    (``_names_apart``)."""
    _names_apart(state, list(state.themes.values()))
    _names_apart(state, list(state.challenges.values()))


def _names_apart(state: ReviewState, units: Sequence[ThemeState]) -> None:
    """No two ``units`` (the themes, or the challenges) shown under one name after the
    review, as after the run (``pipeline.run.named_apart``): a theme split off, or a unit
    drafted again after a merge or a move, can be drafted under the title another unit is
    named by ("Stop à la concertation de façade" split in two).

    Names an analyst gave, wrote, adopted or approved are never changed, and are taken
    first. Of two units the pipeline names, the larger keeps the name; the other's draft
    takes its next best title not taken (the one it had becomes an alternative), else its
    name and a keyphrase that tells it apart, else its id."""
    from pipeline.draft.compose.wording import WORDING

    def key(text: str) -> str:
        return _flat(text).casefold()

    def pipelines(unit: ThemeState) -> bool:
        current = state.drafts.get(unit.id)
        return not unit.renamed and (current is None or not current.by_analyst)

    taken = {key(shown_name(state, u)) for u in units if not pipelines(u)}
    for unit in sorted((u for u in units if pipelines(u)), key=lambda u: -u.size):
        name = shown_name(state, unit)
        if key(name) not in taken:
            taken.add(key(name))
            continue
        current = state.drafts.get(unit.id)
        draft = current.draft if current is not None else None
        titled = draft is not None and unit.id in state.titled
        if draft is None or not titled:
            extra = next((k for k in unit.keyphrases if key(k) not in key(name)), None)
            other = f"{name} – {extra}" if extra else f"{name} ({unit.id})"
            unit.label = other if key(other) not in taken else f"{name} ({unit.id})"
            taken.add(key(unit.label))
            continue
        assert current is not None and draft is not None
        untitled = {key(w.untitled) for w in WORDING.values()}
        alternative = next(
            (
                a
                for a in draft.title_alternatives
                if a.text.strip() and key(a.text) not in taken | untitled
            ),
            None,
        )
        if alternative is None:
            extra = next((k for k in unit.keyphrases if key(k) not in key(name)), None)
            text = f"{name} – {extra}" if extra else ""
            if not text or key(text) in taken:
                text = f"{name} ({unit.id})"
            alternative = Sentence(text=text, cites=draft.title.cites)
        others = [a for a in draft.title_alternatives if a is not alternative]
        gone = set(title_flags(draft))
        apart = draft.model_copy(
            update={
                "title": alternative,
                "title_alternatives": [draft.title, *others][:2],
                "flags": [f for f in draft.flags if f not in gone],
            }
        )
        current.draft = apart
        if current.machine is draft:
            current.machine = apart
        taken.add(key(alternative.text))


REDRAFTED = "drafted again after the review"


def merged_after_approval(count: int) -> str:
    """The flag on an approved draft whose unit a merge brought ``count`` notes into."""
    return f"approved before a merge brought in more notes ({count}): check it again"


def redraft(state: ReviewState, unit_id: str) -> DraftState:
    """The unit's draft made current: a unit whose notes the review changed (a merge, a
    split, a move, a theme moved to another challenge) is drafted again by the composing
    drafter, flagged. Where an analyst wrote, approved or rejected its wording, that stays,
    and the new draft waits beside it (``machine``)."""
    unit = state.unit(unit_id)
    current = state.drafts.setdefault(unit_id, DraftState(draft=None))
    if unit is None:
        return current
    notes = frozenset(unit.note_ids)
    if current.machine is not None and current.basis == notes:
        return current
    before = current.machine or current.draft
    fresh = _composed(state, unit, before)
    current.machine = _kept_wording(state, unit, before, current.basis, fresh)
    current.basis = notes
    if not current.by_analyst:
        current.draft = current.machine
    return current


def _kept_wording(
    state: ReviewState,
    unit: ThemeState,
    before: Draft | None,
    basis: frozenset[str] | None,
    fresh: Draft,
) -> Draft:
    """``fresh`` (the unit drafted again) with the title and question it had before, where
    the notes they were drafted from are still there: a review action re-drafts only what it
    must. One note moved out of a challenge's facet does not send its heading and question
    to another note ("Limites de l'IA" became "Confiance à l'outil" when one uncited note
    left one of B4's facets); its proposals, counted over the notes as they are now, are
    drafted again, and the fresh title and question become the first alternatives, one click
    away.

    The wording stays when a few notes came or went (at most a quarter of those it was
    drafted from: a move, a split, notes marked as noise) and most of the notes its question
    cites are still in the unit, in one theme (a challenge's leading facet: the question was
    its). A merge, or a theme moved to another challenge, makes another unit, drafted anew;
    so does a change that takes the question's notes away."""
    if before is None or basis is None or before.drafter == "none" or fresh.drafter == "none":
        return fresh
    holders = state.facets(unit.id) if unit.id in state.challenges else [unit]
    if not heading_stays(basis, unit.note_ids, before, [t.note_ids for t in holders]):
        return fresh
    members = set(unit.note_ids)

    def kept(sentence: Sentence) -> Sentence:
        return cited_within(sentence, unit.note_ids)

    title, challenge = kept(before.title), kept(before.challenge)

    def others(fresh_one: Sentence, old: Sequence[Sentence], text: str) -> list[Sentence]:
        out: list[Sentence] = []
        for s in [fresh_one, *old]:
            said = {_flat(o.text) for o in out} | {_flat(text)}
            if _flat(s.text) not in said and any(c in members for c in s.cites):
                out.append(kept(s))
        return out[:2]

    return fresh.model_copy(
        update={
            "title": title,
            "challenge": challenge,
            "title_alternatives": others(fresh.title, before.title_alternatives, title.text),
            "challenge_alternatives": others(
                fresh.challenge, before.challenge_alternatives, challenge.text
            ),
            "flags": flags_with_heading(fresh, before),
        }
    )


def heading_stays(
    basis: Collection[str],
    now: Collection[str],
    before: Draft,
    holders: Sequence[Collection[str]],
) -> bool:
    """Whether a unit keeps the title and the question of ``before``, its draft over the
    notes ``basis``, now that it holds the notes ``now``: at most a quarter of ``basis``
    came or went (added or removed, counted against ``basis``), and most of the notes the
    question cites are still in one of ``holders`` (the unit itself, or a challenge's
    facets: the question was its leading facet's).

    The one rule for the review (``_kept_wording``: a move, a split, notes marked as noise)
    and for a re-run (``pipeline.review.matching.kept_headings``: late notes)."""
    earlier = frozenset(basis)
    if len(earlier ^ frozenset(now)) * 4 > len(earlier):
        return False
    cited = list(dict.fromkeys(before.challenge.cites))
    held = max((len(set(cited) & set(h)) for h in holders), default=0)
    return bool(cited) and held * 2 >= len(cited)


def cited_within(sentence: Sentence, members: Sequence[str]) -> Sentence:
    """``sentence`` kept for a unit whose notes are ``members``: citing those of its notes
    still there, else the unit's first note."""
    cites = [c for c in sentence.cites if c in set(members)]
    return Sentence(text=sentence.text, cites=cites or list(members[:1]))


def heading_flags(draft: Draft) -> list[str]:
    """The flags of ``draft`` about its title or its question (the drafter's and the
    grounding check's); the others are about its proposals, its size or its notes."""
    return _sentence_flags(draft, "title", "challenge")


def flags_with_heading(fresh: Draft, before: Draft) -> list[str]:
    """The flags of ``fresh`` about its proposals, its size and its notes, then those of
    ``before`` about its title and its question: the flags of a draft that keeps the
    heading of ``before`` and takes its proposals from ``fresh``."""
    fresh_flags = [f for f in fresh.flags if f not in heading_flags(fresh)]
    return [*fresh_flags, *(f for f in heading_flags(before) if f not in fresh_flags)]


def _sentence_flags(draft: Draft, *parts: str) -> list[str]:
    """The flags of ``draft`` about its title (``"title"``) or its question
    (``"challenge"``): the drafter's ("no note in 'en' names the theme: give it a title …")
    and the grounding check's ("the title is weakly supported …"), in the draft's language.
    They go with the sentence: when a reviewer names the unit or adopts another question,
    they no longer apply."""
    said = words(draft.language or "en")
    patterns: list[re.Pattern[str]] = []
    for part in parts:
        name = said.pgettext("part of a draft", f"the {part}")
        # "the title is weakly supported …", "der Titel: von den zitierten Notizen …"
        patterns.append(re.compile(re.escape(name) + r"\b", re.IGNORECASE))
        for message in TITLE_FLAGS if part == "title" else QUESTION_FLAGS:
            template = re.escape(said.gettext(message))
            patterns.append(re.compile(re.sub(r"%\\\(\w+\\\)s", ".*", template)))
    return [f for f in draft.flags if any(p.match(f) for p in patterns)]


def title_flags(draft: Draft) -> list[str]:
    """The flags of ``draft`` about its title, which a reviewer's name for the unit ends."""
    return _sentence_flags(draft, "title")


def question_flags(draft: Draft) -> list[str]:
    """The flags of ``draft`` about its question, which another question for it ends."""
    return _sentence_flags(draft, "challenge")


def _as_theme(unit: ThemeState) -> Theme:
    return Theme(
        id=unit.id,
        label=unit.label,
        note_ids=list(unit.note_ids),
        size=unit.size,
        languages={},
        keyphrases=list(unit.keyphrases),
        representative_ids=[i for i in unit.representative_ids if i in unit.note_ids],
        parent_id=unit.parent_id,
    )


def _composed(state: ReviewState, unit: ThemeState, before: Draft | None) -> Draft:
    """The drafter's draft of ``unit`` as the review left it; a challenge is drafted from
    its facets as they now are, as the run drafts it."""
    theme = _as_theme(unit)
    facets = [_as_theme(f) for f in state.facets(unit.id)] if unit.id in state.challenges else []
    parts = tuple(frozenset(f.note_ids) for f in facets)
    key = (state.run_id, unit.id, frozenset(unit.note_ids), parts, state.language)
    draft = _COMPOSED.get(key)
    if draft is None:
        try:
            drafter = state.drafter()
            if facets and isinstance(drafter, DraftsFromFacets):
                draft = drafter.draft_challenge(theme, facets, state.notes, state.language)
            else:
                draft = drafter.draft(theme, state.notes, state.language)
        except Exception as exc:  # one unit's drafting must never take down the review
            draft = _undrafted(unit, state.language, exc)
        if len(_COMPOSED) > 512:
            _COMPOSED.clear()
        _COMPOSED[key] = draft
    level = before.level if before is not None else _level(state, unit.id)
    return draft.model_copy(update={"level": level, "flags": [REDRAFTED, *draft.flags]})


def _undrafted(unit: ThemeState, language: str, exc: Exception) -> Draft:
    """The draft of a unit the drafter failed on: its name as the title, the challenge to be
    written, flagged with the reason, so that the review, the reports and the exports go on
    (the drafter's error is logged in one line, never raised)."""
    from pipeline.draft.compose.wording import WORDING
    from pipeline.safe_text import one_line

    reason = one_line(f"{type(exc).__name__}: {exc}")[:300]
    _log.warning("re-drafting %s failed, flagged for the reviewer: %s", unit.id, reason)
    cites = list(unit.note_ids[:1]) or [unit.id]
    wording = WORDING.get(language, WORDING["en"])
    return Draft(
        theme_id=unit.id,
        language=language,
        drafter="none",
        title=Sentence(text=unit.label or wording.untitled, cites=cites),
        challenge=Sentence(text=wording.no_question, cites=cites),
        proposal=[],
        flags=[
            words(language).gettext(
                "drafting failed (%(reason)s): write the title and the challenge when reviewing",
                reason=reason,
            )
        ],
    )


_COMPOSED: dict[tuple[str, str, frozenset[str], tuple[frozenset[str], ...], str], Draft] = {}
"""Drafts of changed units: the app replays the log on every request."""


def _level(state: ReviewState, unit_id: str) -> DraftLevel:
    """The level of a new unit's draft (a theme split off): a facet under challenges; else
    the level the run's theme drafts have (challenges in a run without a broad level, facets
    in a run drafted before drafts had levels)."""
    if unit_id in state.challenges:
        return DraftLevel.CHALLENGE
    if state.challenges:
        return DraftLevel.FACET
    levels = {d.machine.level for d in state.drafts.values() if d.machine is not None}
    return levels.pop() if len(levels) == 1 else DraftLevel.CHALLENGE


def _theme(state: ReviewState, theme_id: str | None) -> ThemeState:
    if not theme_id:
        raise NotApplicable("no theme given")
    theme = state.themes.get(theme_id)
    if theme is None:
        raise NotApplicable(f"theme {theme_id} is not in this run any more")
    return theme


def _unit(state: ReviewState, unit_id: str | None) -> ThemeState:
    """The theme or challenge a rename, a draft decision or a comment is about."""
    if not unit_id:
        raise NotApplicable("no theme given")
    unit = state.unit(unit_id)
    if unit is None:
        what = "challenge" if unit_id in state.challenge_ids else "theme"
        raise NotApplicable(f"{what} {unit_id} is not in this run any more")
    return unit


def _text(value: str | None, what: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise NotApplicable(f"{what} is empty")
    if len(text) > limit:
        raise NotApplicable(f"{what} is longer than {limit} characters")
    return text


def _existing(state: ReviewState, note_ids: Sequence[str], within: Sequence[str]) -> list[str]:
    """The notes of ``note_ids`` still found in ``within`` (order kept, no repeats)."""
    if not note_ids:
        raise NotApplicable("no notes selected")
    allowed = set(within)
    found = list(dict.fromkeys(n for n in note_ids if n in allowed))
    if not found:
        if not any(n in state.active for n in note_ids):
            raise NotApplicable(
                "the selected notes are not in this run any more (changed or removed in the input)"
            )
        raise NotApplicable("none of the selected notes is where it was any more")
    return found


def _take(state: ReviewState, note_ids: Sequence[str]) -> None:
    """Remove notes from wherever they are; a theme left empty disappears with its draft."""
    gone = set(note_ids)
    for theme in list(state.themes.values()):
        theme.note_ids = [n for n in theme.note_ids if n not in gone]
        theme.representative_ids = [n for n in theme.representative_ids if n not in gone]
        if not theme.note_ids:
            del state.themes[theme.id]
            state.drafts.pop(theme.id, None)
    state.unassigned = [n for n in state.unassigned if n not in gone]
    state.noise = [n for n in state.noise if n not in gone]


def _put(state: ReviewState, note_ids: Sequence[str], target: str) -> None:
    if target == UNASSIGNED:
        state.unassigned.extend(note_ids)
    else:
        state.themes[target].note_ids.extend(note_ids)


def _target(state: ReviewState, target: str | None) -> str:
    if not target or target == UNASSIGNED:
        return UNASSIGNED
    return _theme(state, target).id


def _analyst_draft(state: ReviewState, theme: ThemeState, action: ReviewAction) -> Draft:
    """An analyst's text keeps the citations of the sentence it replaces; new sentences cite
    the theme's representative (else first) notes."""
    old = state.drafts.get(theme.id, DraftState(draft=None)).draft
    fallback = (theme.representative_ids or theme.note_ids)[:3]

    def cited(text: str, before: Sentence | None) -> Sentence:
        cites = [c for c in (before.cites if before else []) if c in theme.note_ids]
        return Sentence(text=text, cites=cites or fallback)

    lines = [_text(line, "a proposal sentence", MAX_TEXT) for line in action.proposal if line]
    before = old.proposal if old else []
    relisted = len(lines) != len(before) or not all(
        _same_proposal(line, sentence, state.notes)
        for line, sentence in zip(lines, before, strict=False)
    )
    level = DraftLevel.CHALLENGE if theme.id in state.challenges else DraftLevel.FACET
    title = cited(_text(action.title, "the title", MAX_LABEL), old.title if old else None)
    challenge = cited(
        _text(action.challenge, "the challenge statement", MAX_TEXT),
        old.challenge if old else None,
    )
    return Draft(
        theme_id=theme.id,
        language=old.language if old else "",
        drafter="analyst",
        level=old.level if old else level,
        title=title,
        challenge=challenge,
        proposal=_proposals(
            lines, old.proposal if old else [], state.notes, set(theme.note_ids), fallback
        ),
        # The pipeline's other wordings stay at hand: one click adopts one instead.
        title_alternatives=_other(old.title_alternatives if old else [], title.text),
        challenge_alternatives=_other(old.challenge_alternatives if old else [], challenge.text),
        flags=_edited_flags(old, title.text, challenge.text, relisted),
    )


CUT = "…"
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def full_sentence(sentence: Sentence, notes: Mapping[str, Note]) -> str:
    """A proposal as its note says it: the drafter shortens long ones for display ("Les
    collectivités locales (mairies, …) …"); the rest of the sentence is found in the first
    cited note that holds the shortened text. A proposal written whole, or found in none
    of its notes, is as it reads."""
    text = _flat(sentence.text)
    stem = text.removesuffix(CUT).rstrip()
    if stem == text or not stem:
        return text
    found_in = re.compile(re.escape(stem), re.IGNORECASE)
    for note_id in sentence.cites:
        note = notes.get(note_id)
        found = found_in.search(_flat(note.text)) if note is not None else None
        if found is None:
            continue
        rest = found.string[found.end() :]
        end = _SENTENCE_END.search(rest)
        whole = stem + (rest[: end.end()] if end else rest)
        return whole[:MAX_TEXT].rstrip()
    return text


def _same_proposal(line: str, sentence: Sentence, notes: Mapping[str, Note]) -> bool:
    """``line`` is ``sentence`` unchanged: as it reads, or as the edit box shows it whole."""
    flat = _flat(line)
    return flat == _flat(sentence.text) or flat == full_sentence(sentence, notes)


def _proposals(
    lines: Sequence[str],
    before: Sequence[Sentence],
    notes: Mapping[str, Note],
    members: Collection[str],
    fallback: list[str],
    same_place: bool = True,
) -> list[Sentence]:
    """An analyst's list of proposals: a line that is one of ``before`` unchanged keeps that
    proposal (its text, its citations, so its count); a line written or changed is the
    analyst's, citing what the proposal it replaces (same place) cited where ``same_place``,
    else ``fallback``."""
    kept: dict[int, int] = {}
    for i, line in enumerate(lines):
        match = next(
            (
                j
                for j, s in enumerate(before)
                if j not in kept.values() and _same_proposal(line, s, notes)
            ),
            None,
        )
        if match is not None:
            kept[i] = match
    out: list[Sentence] = []
    for i, line in enumerate(lines):
        if i in kept:
            old = before[kept[i]]
            cites = [c for c in old.cites if c in members]
            out.append(
                old if cites == old.cites else old.model_copy(update={"cites": cites or fallback})
            )
            continue
        replaced = before[i] if same_place and i < len(before) and i not in kept.values() else None
        cites = [c for c in (replaced.cites if replaced else []) if c in members]
        out.append(Sentence(text=line, cites=cites or fallback))
    return out


def _names(unit: ThemeState, draft: Draft | None) -> bool:
    """Whether a title given to ``unit``'s draft names the unit: it was renamed in the
    review, or it is named by its draft's title, as the pipeline names units (a unit named
    by its keyphrases keeps that name)."""
    return unit.renamed or draft is None or _flat(unit.label) == _flat(draft.title.text)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _other(sentences: Sequence[Sentence], text: str) -> list[Sentence]:
    return [s for s in sentences if _flat(s.text) != _flat(text)]


def _edited_flags(old: Draft | None, title: str, challenge: str, relisted: bool) -> list[str]:
    """An edited draft's flags: the drafter's, less those about a sentence the analyst
    rewrote, and "edited by an analyst"."""
    return [*_kept_flags(old, title, challenge, relisted), "edited by an analyst"]


def _kept_flags(old: Draft | None, title: str, challenge: str, relisted: bool = False) -> list[str]:
    """``old``'s flags that still apply to a draft reading ``title`` and ``challenge``: a
    flag about its title or question goes when that sentence changed, one about its
    proposals ("proposals in 'de' among the first three: translate them …") when the analyst
    changed their list (``relisted``)."""
    if old is None:
        return []
    if relisted:
        said = words(old.language or "en")
        listed = [
            re.compile(re.sub(r"%\\\(\w+\\\)s", ".*", re.escape(said.gettext(m))))
            for m in PROPOSAL_FLAGS
        ]
        old = old.model_copy(
            update={"flags": [f for f in old.flags if not any(p.match(f) for p in listed)]}
        )
    changed = [
        part
        for part, before, now in (
            ("title", old.title.text, title),
            ("challenge", old.challenge.text, challenge),
        )
        if _flat(before) != _flat(now)
    ]
    gone = set(_sentence_flags(old, *changed)) if changed else set()
    return [f for f in old.flags if f not in gone and not f.startswith("edited") and f != REDRAFTED]


def _shown_draft(state: ReviewState, unit_id: str) -> Draft | None:
    """The draft the app shows for a unit: a challenge that is one theme, left alone by the
    analysts, shows that theme's reviewed draft (``pipeline.review.reviewed``)."""
    current = state.drafts.get(unit_id)
    facets = state.facets(unit_id) if unit_id in state.challenges else []
    follow = state.drafts.get(facets[0].id) if len(facets) == 1 else None
    alone = current is None or not current.by_analyst
    if alone and follow is not None and follow.by_analyst and follow.draft is not None:
        level = DraftLevel.CHALLENGE
        return follow.draft.model_copy(update={"theme_id": unit_id, "level": level})
    return current.draft if current else None


def shown_title(state: ReviewState, unit_id: str) -> str | None:
    """The title of the draft the app shows for a unit now (``_shown_draft``): what a
    question adopted now is adopted under (``ReviewAction.under_title``)."""
    shown = _shown_draft(state, unit_id)
    return shown.title.text if shown is not None else None


def _adopted_draft(theme: ThemeState, action: ReviewAction, old: Draft) -> Draft:
    """``old`` with one of its alternatives as its title (``action.title``) or its question
    (``action.challenge``), citing that alternative's notes; the wording it replaces takes
    the alternative's place, so that one click switches back.

    A wording that is no longer among the alternatives (a re-run's drafter words the draft
    differently) is adopted as an edit is: citing the notes it cited (``action.note_ids``)
    that the unit still holds, and the pipeline's wording becomes the first alternative.

    A question adopted under a title (``action.under_title``, recorded by the app) keeps
    that title: a re-run that titles the unit afresh would otherwise set the adopted
    question under a heading that no longer matches it."""
    if (action.title is None) == (action.challenge is None):
        raise NotApplicable("choose one title or one question to adopt")
    is_title = action.title is not None
    text = (
        _text(action.title, "the title", MAX_LABEL)
        if is_title
        else _text(action.challenge, "the challenge statement", MAX_TEXT)
    )
    current = old.title if is_title else old.challenge
    others = list(old.title_alternatives if is_title else old.challenge_alternatives)
    members = set(theme.note_ids)

    def within(cites: Sequence[str]) -> list[str]:
        return [c for c in dict.fromkeys(cites) if c in members]

    fallback = (theme.representative_ids or theme.note_ids)[:3]
    index = next((i for i, s in enumerate(others) if _flat(s.text) == text), None)
    if index is not None:
        picked = others[index]
        cites = within(picked.cites) or within(action.note_ids)
        others[index] = current
    elif _flat(current.text) == text:  # it already reads so: the decision pins it
        picked, cites = current, within(current.cites)
    else:
        picked = Sentence(text=text, cites=fallback)
        cites = within(action.note_ids) or within(current.cites)
        others = [current, *_other(others, text)][:2]
    adopted = picked.model_copy(update={"cites": cites or fallback})
    title = adopted if is_title else old.title
    challenge = old.challenge if is_title else adopted
    title_others = others if is_title else list(old.title_alternatives)
    under = _flat(action.under_title or "")
    if not is_title and under and not theme.renamed and _flat(old.title.text) != under:
        # Adopted under another title (a re-run titled the unit afresh): that title comes
        # back with its question, and the new one waits among the alternatives. A name an
        # analyst gave the unit stands (``theme.renamed``).
        kept = next((s for s in old.title_alternatives if _flat(s.text) == under), None)
        title = Sentence(
            text=under, cites=within(kept.cites if kept else []) or within(cites) or fallback
        )
        title_others = [old.title, *_other(old.title_alternatives, under)][:2]
    return Draft(
        theme_id=theme.id,
        language=old.language,
        drafter="analyst",
        level=old.level,
        title=title,
        challenge=challenge,
        proposal=list(old.proposal),
        title_alternatives=title_others,
        challenge_alternatives=list(old.challenge_alternatives) if is_title else others,
        # Not a free edit: the drafter's own wording, citing its notes. Its flags stay, but
        # those about the sentence it replaced.
        flags=_kept_flags(old, title.text, challenge.text),
    )


def _approved_draft(theme: ThemeState, action: ReviewAction, proposed: Draft) -> Draft:
    """The draft as it read when approved (a re-run's drafter may word it differently)."""
    fallback = (theme.representative_ids or theme.note_ids)[:3]
    cites = [n for n in action.note_ids if n in theme.note_ids] or fallback
    lines = action.proposal or [s.text for s in proposed.proposal]
    return Draft(
        theme_id=theme.id,
        language=proposed.language,
        drafter="analyst",
        level=proposed.level,
        title=Sentence(text=action.title or proposed.title.text, cites=fallback),
        challenge=Sentence(text=action.challenge or "", cites=cites),
        proposal=_proposals(
            lines, proposed.proposal, {}, set(theme.note_ids), fallback, same_place=False
        ),
        flags=[
            "approved as it read in an earlier run; the pipeline now proposes: "
            f"“{proposed.challenge.text}”"
        ],
    )


def _refuse_unfinished(unit: ThemeState, draft: Draft, action: ReviewAction) -> None:
    """A draft whose question or title is still the drafter's stand-in is not approved: the
    handout would print it for the room. Neither is an approval of such wording carried from
    an earlier run."""
    said = draft
    if unit.renamed and placeholder_title(draft.title.text):  # the reports title it by name
        said = draft.model_copy(update={"title": Sentence(text=unit.label, cites=[])})
    if action.challenge is not None:
        title = action.title if action.title is not None else said.title.text
        said = draft.model_copy(
            update={
                "challenge": Sentence(text=action.challenge, cites=draft.challenge.cites),
                "title": Sentence(text=title, cites=draft.title.cites),
            }
        )
    missing = unfinished(said)
    if missing is not None:
        raise NotApplicable(
            f"the {missing} of {unit.id} is still to be written: write it in "
            "“Edit the draft”, then approve"
        )


def apply_action(state: ReviewState, action: ReviewAction, who: str, at: str) -> ReviewAction:
    """Apply one action to ``state`` in place; returns it narrowed to the notes and themes that
    still exist. Raises ``NotApplicable`` (state unchanged) when it cannot apply at all."""
    narrowed = _apply(state, action, who, at)
    state.sync_challenges()
    return narrowed


def _apply(state: ReviewState, action: ReviewAction, who: str, at: str) -> ReviewAction:
    kind = action.kind
    if kind is ActionKind.RENAME:
        theme = _unit(state, action.theme_id)
        theme.label = _text(action.label, "the new name", MAX_LABEL)
        theme.renamed = True
        return action
    if kind is ActionKind.MERGE:
        if len(action.theme_ids) < 2:
            raise NotApplicable("choose at least two themes to merge")
        into = _theme(state, action.theme_ids[0])
        sources = [t for t in dict.fromkeys(action.theme_ids[1:]) if t != into.id]
        present = [t for t in sources if t in state.themes]
        if not present:
            raise NotApplicable(f"none of {', '.join(sources)} is in this run any more")
        # The merged theme keeps the name it is shown by now (an analyst renames it if they
        # want another): its notes, drafted again, must not take the name of a theme merged
        # into it.
        if into.id in state.titled and not into.renamed:
            redraft(state, into.id)  # its title as shown now, after earlier changes
        into.label, into.renamed = shown_name(state, into), True
        merged = [state.themes.pop(tid) for tid in present]
        into.keyphrases, into.keyphrase_translations = merged_keyphrases([into, *merged])
        approved = _approval_of(state, into)
        for source in merged:
            into.note_ids.extend(source.note_ids)
            state.drafts.pop(source.id, None)
        for unit_id in approved:
            state.drafts[unit_id].joined.update(n for s in merged for n in s.note_ids)
        return action.model_copy(update={"theme_ids": [into.id, *present]})
    if kind is ActionKind.SPLIT:
        theme = _theme(state, action.theme_id)
        new_id = (action.new_theme_id or "").strip()
        if not new_id:
            raise NotApplicable("the new theme has no id")
        if new_id in state.themes:
            raise NotApplicable(f"theme id {new_id} is already taken")
        notes = _existing(state, action.note_ids, theme.note_ids)
        if len(notes) == len(theme.note_ids):
            raise NotApplicable(f"that would leave {theme.id} empty: select only some of its notes")
        # Without a name, the new theme is named by its own draft's title, as the pipeline
        # names themes (``shown_name``); this name, in the workshop's language, stands in
        # until there is one.
        fallback = words(state.language).gettext("Split from %(name)s", name=theme.label)
        label = _text(action.label or fallback, "the new theme's name", MAX_LABEL)
        _take(state, notes)
        order = list(state.themes)
        state.themes[new_id] = ThemeState(
            id=new_id,
            label=label,
            note_ids=notes,
            representative_ids=[],
            parent_id=theme.parent_id,
            renamed=bool(action.label),
            origin=f"split from {theme.id}",
        )
        if not action.label:
            state.titled.add(new_id)
        order.insert(order.index(theme.id) + 1, new_id)
        state.themes = {tid: state.themes[tid] for tid in order}
        return action.model_copy(update={"note_ids": notes})
    if kind is ActionKind.MOVE:
        target = _target(state, action.target)
        movable = [n for n in state.active if n not in state.noise]
        notes = _existing(state, action.note_ids, movable)
        there = state.unassigned if target == UNASSIGNED else state.themes[target].note_ids
        notes = [n for n in notes if n not in there]
        if not notes:
            raise NotApplicable(f"the selected notes are already in {target}")
        _take(state, notes)
        _put(state, notes, target)
        return action.model_copy(update={"note_ids": notes, "target": target})
    if kind is ActionKind.NOISE:
        candidates = [n for n in state.active if n not in state.noise]
        notes = _existing(state, action.note_ids, candidates)
        _take(state, notes)
        state.noise.extend(notes)
        return action.model_copy(update={"note_ids": notes})
    if kind is ActionKind.RESTORE:
        target = _target(state, action.target)
        notes = _existing(state, action.note_ids, state.noise)
        _take(state, notes)
        _put(state, notes, target)
        return action.model_copy(update={"note_ids": notes, "target": target})
    if kind is ActionKind.EDIT_DRAFT:
        theme = _unit(state, action.theme_id)
        current = redraft(state, theme.id)
        before = _shown_draft(state, theme.id)
        current.draft = _analyst_draft(state, theme, action)
        if _names(theme, before) and current.draft.title.text != _flat(theme.label):
            # A unit named by its draft's title (or by an analyst) is named by the title the
            # analyst wrote, as by a rename: one name everywhere.
            theme.label = current.draft.title.text
            theme.renamed = True
        current.edited = True
        current.status = ApprovalState.PENDING
        current.joined.clear()
        return action
    if kind in (ActionKind.APPROVE, ActionKind.REJECT):
        theme = _unit(state, action.theme_id)
        current = redraft(state, theme.id)
        if current.draft is None:
            raise NotApplicable(f"theme {theme.id} has no draft: write one first")
        reads = current.draft.challenge.text
        if kind is ActionKind.APPROVE:
            _refuse_unfinished(theme, current.draft, action)
        if action.challenge is not None and _flat(action.challenge) != _flat(reads):
            if kind is ActionKind.REJECT:
                raise NotApplicable(
                    f"the draft of {theme.id} was rejected as it read then; it now reads "
                    f"“{reads}” and needs a new look"
                )
            # What an analyst approved is theirs: keep that text, say what is proposed now.
            current.draft = _approved_draft(theme, action, current.draft)
            current.status = ApprovalState.APPROVED
            current.edited = True
            current.joined.clear()
            return action
        current.status = (
            ApprovalState.APPROVED if kind is ActionKind.APPROVE else ApprovalState.REJECTED
        )
        current.joined.clear()
        return action
    if kind is ActionKind.REGROUP:
        theme = _theme(state, action.theme_id)
        if not action.target or action.target not in state.challenges:
            raise NotApplicable(
                f"challenge {action.target or '(none)'} is not in this run any more"
            )
        if theme.parent_id == action.target:
            raise NotApplicable(f"{theme.id} is already part of {action.target}")
        theme.parent_id = action.target
        return action
    if kind is ActionKind.ADOPT:
        theme = _unit(state, action.theme_id)
        current = redraft(state, theme.id)
        shown = _shown_draft(state, theme.id)
        if shown is None:
            raise NotApplicable(f"theme {theme.id} has no draft: write one first")
        current.draft = _adopted_draft(theme, action, shown)
        restored = _flat(current.draft.title.text) != _flat(shown.title.text)
        if (action.title is not None or restored) and _names(theme, shown):
            # Named by its draft's title, as the pipeline names units, or by an analyst: the
            # name follows.
            theme.label = current.draft.title.text
            theme.renamed = True
        current.edited = True
        current.status = ApprovalState.PENDING
        return action
    if kind is ActionKind.COMMENT:
        text = _text(action.text, "the comment", MAX_TEXT)
        if action.theme_id:
            target = _unit(state, action.theme_id).id
        elif action.note_ids and action.note_ids[0] in state.active:
            target = action.note_ids[0]
        else:
            raise NotApplicable("the note commented on is not in this run any more")
        state.comments.append(Comment(target=target, text=text, who=who, at=at))
        return action
    raise NotApplicable(f"{kind.value} is not an action that applies to themes")


def shown_name(state: ReviewState, unit: ThemeState) -> str:
    """The name ``unit`` is shown by now: an analyst's, else its draft's title where the
    pipeline named it by that title (``pipeline.review.reviewed``), else its label."""
    if unit.renamed or unit.id not in state.titled:
        return unit.label
    current = state.drafts.get(unit.id)
    title = current.draft.title.text if current is not None and current.draft else ""
    return unit.label if not title.strip() or placeholder_title(title) else _flat(title)


def merged_keyphrases(
    themes: Sequence[ThemeState], top: int | None = None
) -> tuple[list[str], dict[str, list[str]]]:
    """The keyphrases of themes merged into one: each theme's, ranked by how high they stand
    in their theme and how many notes that theme has (a keyphrase of both themes adds up),
    one for a word whatever its case, and no more than a theme has (``top``, else the most
    any of them has): the two lists are not pasted end to end."""
    limit = top or max((len(t.keyphrases) for t in themes), default=0)
    score: dict[str, float] = {}
    spelled: dict[str, str] = {}
    translations: dict[str, list[str]] = {}
    for theme in themes:
        count = len(theme.keyphrases)
        for rank, phrase in enumerate(theme.keyphrases):
            key = _flat(phrase).casefold()
            if not key:
                continue
            spelled.setdefault(key, phrase)
            score[key] = score.get(key, 0.0) + theme.size * (count - rank) / count
            for word in theme.keyphrase_translations.get(phrase, []):
                said = translations.setdefault(spelled[key], [])
                if word not in said:
                    said.append(word)
    kept = sorted(score, key=lambda k: -score[k])[:limit]
    phrases = [spelled[k] for k in kept]
    return phrases, {p: translations[p] for p in phrases if translations.get(p)}


def _approval_of(state: ReviewState, theme: ThemeState) -> list[str]:
    """The units whose approved draft ``theme``'s notes are under: the theme's own, and its
    challenge's."""
    out = []
    for unit_id in (theme.id, theme.parent_id):
        current = state.drafts.get(unit_id or "")
        if current is not None and current.status is ApprovalState.APPROVED:
            out.append(unit_id or "")
    return out


def _placeholders() -> tuple[frozenset[str], frozenset[str]]:
    from pipeline.draft.compose.wording import WORDING

    return (
        frozenset(_flat(w.no_question) for w in WORDING.values()),
        frozenset(_flat(w.untitled).casefold() for w in WORDING.values()),
    )


def placeholder_question(text: str | None) -> bool:
    """The drafter's stand-in for a question none of the notes could be worded as ("(Question
    to be written: …)", "(Frage noch zu formulieren: …)"), in any language: nothing to
    approve, nothing to print."""
    return text is not None and _flat(text) in _placeholders()[0]


def placeholder_title(text: str | None) -> bool:
    """The drafter's stand-in for a title ("Untitled theme", "Thème sans titre", …)."""
    return text is not None and _flat(text).casefold() in _placeholders()[1]


def unfinished(draft: Draft) -> str | None:
    """What of ``draft`` is still the drafter's stand-in, "question" before "title"; ``None``
    when it is all written."""
    if placeholder_question(draft.challenge.text):
        return "question"
    if placeholder_title(draft.title.text):
        return "title"
    return None


def fresh_theme_id(taken: set[str], prefix: str = "T") -> str:
    """The next "T<nn>" id (``prefix`` "B": a challenge's "B<n>") above every id taken (a
    vanished theme's id is not reused, so a decision about it cannot land on an unrelated
    theme)."""
    size = len(prefix)
    numbers = [int(t[size:]) for t in taken if t[:size] == prefix and t[size:].isdigit()]
    width = 2 if prefix == "T" else 1
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def reviewed_themes(state: ReviewState, run: RunResult) -> list[Theme]:
    """The reviewed themes as ``Theme`` models (sizes and languages recomputed)."""
    by_id = {n.id: n for n in run.notes}
    parent_of = {n.id: n.parent_id for n in run.notes if n.parent_id}
    out = []
    for t in state.themes.values():
        languages = languages_of(by_id[i] for i in t.note_ids if i in by_id)
        out.append(
            Theme(
                id=t.id,
                label=t.label,
                note_ids=list(t.note_ids),
                size=t.size,
                notes_behind=count_notes(t.note_ids, parent_of),
                languages=dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
                keyphrases=list(t.keyphrases),
                keyphrase_translations={k: list(v) for k, v in t.keyphrase_translations.items()},
                representative_ids=list(t.representative_ids),
                parent_id=t.parent_id,
            )
        )
    return out
