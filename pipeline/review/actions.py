"""From a run and its decision log to the reviewed state, as pure functions.

The log is never edited: the reviewed state is recomputed by replaying it over the pipeline's
themes, so an undo is simply an action that cancels the latest one still standing, and a
re-run replays the same log over new themes (``pipeline.review.matching``). An action that
cannot apply raises ``NotApplicable`` with the reason, which the app shows and a re-run lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.schema import (
    UNASSIGNED,
    ActionKind,
    ApprovalState,
    Decision,
    Draft,
    NoteStatus,
    ReviewAction,
    RunResult,
    Sentence,
    Theme,
)

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
    status: ApprovalState = ApprovalState.PENDING
    edited: bool = False


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


def initial_state(run: RunResult) -> ReviewState:
    """The pipeline's proposal, before any decision."""
    active = [n.id for n in run.notes if n.status is NoteStatus.ACTIVE]
    themes = {
        t.id: ThemeState(
            id=t.id,
            label=t.label,
            note_ids=list(t.note_ids),
            keyphrases=list(t.keyphrases),
            keyphrase_translations={k: list(v) for k, v in t.keyphrase_translations.items()},
            representative_ids=list(t.representative_ids),
            parent_id=t.parent_id,
        )
        for t in run.themes
    }
    placed = {nid for t in run.themes for nid in t.note_ids}
    drafts = {tid: DraftState(draft=None) for tid in themes}
    for d in run.drafts:
        if d.theme_id in drafts:
            drafts[d.theme_id] = DraftState(draft=d)
    return ReviewState(
        themes=themes,
        unassigned=[nid for nid in active if nid not in placed],
        noise=[],
        drafts=drafts,
        active=set(active),
    )


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


def replay(run: RunResult, decisions: Sequence[Decision]) -> ReviewState:
    """The reviewed state: the log replayed over the run; what no longer applies is skipped."""
    state = initial_state(run)
    keep, state.undone = standing(decisions)
    for decision in keep:
        try:
            narrowed = apply_action(state, decision.action, who=decision.who, at=decision.at)
        except NotApplicable as exc:
            state.skipped.append(Skipped(decision=decision, reason=str(exc)))
            continue
        state.applied.append(decision.model_copy(update={"action": narrowed}))
    return state


def _theme(state: ReviewState, theme_id: str | None) -> ThemeState:
    if not theme_id:
        raise NotApplicable("no theme given")
    theme = state.themes.get(theme_id)
    if theme is None:
        raise NotApplicable(f"theme {theme_id} is not in this run any more")
    return theme


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
    return Draft(
        theme_id=theme.id,
        language=old.language if old else "",
        drafter="analyst",
        title=cited(_text(action.title, "the title", MAX_LABEL), old.title if old else None),
        challenge=cited(
            _text(action.challenge, "the challenge statement", MAX_TEXT),
            old.challenge if old else None,
        ),
        proposal=[
            cited(line, old.proposal[i] if old and i < len(old.proposal) else None)
            for i, line in enumerate(lines)
        ],
        flags=[f for f in (old.flags if old else []) if not f.startswith("edited")]
        + ["edited by an analyst"],
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _approved_draft(theme: ThemeState, action: ReviewAction, proposed: Draft) -> Draft:
    """The draft as it read when approved (a re-run's drafter may word it differently)."""
    fallback = (theme.representative_ids or theme.note_ids)[:3]
    cites = [n for n in action.note_ids if n in theme.note_ids] or fallback
    lines = action.proposal or [s.text for s in proposed.proposal]
    return Draft(
        theme_id=theme.id,
        language=proposed.language,
        drafter="analyst",
        title=Sentence(text=action.title or proposed.title.text, cites=fallback),
        challenge=Sentence(text=action.challenge or "", cites=cites),
        proposal=[Sentence(text=line, cites=fallback) for line in lines],
        flags=[
            "approved as it read in an earlier run; the pipeline now proposes: "
            f"“{proposed.challenge.text}”"
        ],
    )


def apply_action(state: ReviewState, action: ReviewAction, who: str, at: str) -> ReviewAction:
    """Apply one action to ``state`` in place; returns it narrowed to the notes and themes that
    still exist. Raises ``NotApplicable`` (state unchanged) when it cannot apply at all."""
    kind = action.kind
    if kind is ActionKind.RENAME:
        theme = _theme(state, action.theme_id)
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
        for tid in present:
            source = state.themes.pop(tid)
            into.note_ids.extend(source.note_ids)
            into.keyphrases.extend(k for k in source.keyphrases if k not in into.keyphrases)
            for k, words in source.keyphrase_translations.items():
                into.keyphrase_translations.setdefault(k, list(words))
            state.drafts.pop(tid, None)
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
        label = _text(action.label or f"Split from {theme.label}", "the new theme's name", 200)
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
        order.insert(order.index(theme.id) + 1, new_id)
        state.themes = {tid: state.themes[tid] for tid in order}
        state.drafts[new_id] = DraftState(draft=None)
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
        theme = _theme(state, action.theme_id)
        state.drafts[theme.id] = DraftState(draft=_analyst_draft(state, theme, action), edited=True)
        return action
    if kind in (ActionKind.APPROVE, ActionKind.REJECT):
        theme = _theme(state, action.theme_id)
        current = state.drafts.get(theme.id)
        if current is None or current.draft is None:
            raise NotApplicable(f"theme {theme.id} has no draft: write one first")
        reads = current.draft.challenge.text
        if action.challenge is not None and _flat(action.challenge) != _flat(reads):
            if kind is ActionKind.REJECT:
                raise NotApplicable(
                    f"the draft of {theme.id} was rejected as it read then; it now reads "
                    f"“{reads}” and needs a new look"
                )
            # What an analyst approved is theirs: keep that text, say what is proposed now.
            state.drafts[theme.id] = DraftState(
                draft=_approved_draft(theme, action, current.draft),
                status=ApprovalState.APPROVED,
                edited=True,
            )
            return action
        current.status = (
            ApprovalState.APPROVED if kind is ActionKind.APPROVE else ApprovalState.REJECTED
        )
        return action
    if kind is ActionKind.COMMENT:
        text = _text(action.text, "the comment", MAX_TEXT)
        if action.theme_id:
            target = _theme(state, action.theme_id).id
        elif action.note_ids and action.note_ids[0] in state.active:
            target = action.note_ids[0]
        else:
            raise NotApplicable("the note commented on is not in this run any more")
        state.comments.append(Comment(target=target, text=text, who=who, at=at))
        return action
    raise NotApplicable(f"{kind.value} is not an action that applies to themes")


def fresh_theme_id(taken: set[str]) -> str:
    """The next "T<nn>" id above every id taken (never a gap: a vanished theme's id is not
    reused, so a decision about it cannot land on an unrelated theme)."""
    numbers = [int(t[1:]) for t in taken if t[:1] == "T" and t[1:].isdigit()]
    return f"T{max(numbers, default=0) + 1:02d}"


def reviewed_themes(state: ReviewState, run: RunResult) -> list[Theme]:
    """The reviewed themes as ``Theme`` models (sizes and languages recomputed)."""
    lang = {n.id: n.lang for n in run.notes}
    out = []
    for t in state.themes.values():
        languages: dict[str, int] = {}
        for nid in t.note_ids:
            languages[lang.get(nid, "und")] = languages.get(lang.get(nid, "und"), 0) + 1
        out.append(
            Theme(
                id=t.id,
                label=t.label,
                note_ids=list(t.note_ids),
                size=t.size,
                languages=dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
                keyphrases=list(t.keyphrases),
                keyphrase_translations={k: list(v) for k, v in t.keyphrase_translations.items()},
                representative_ids=list(t.representative_ids),
                parent_id=t.parent_id,
            )
        )
    return out
