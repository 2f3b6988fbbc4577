"""Review of the action plan: analysts rename, edit, merge, move, approve and reject actions.

Every decision is appended to ``day2/decisions.sqlite`` (who, when, what), as the theme
review's log is, and replayed over the plan the cards give (``apply_decisions``). A decision
names actions by one of their cards (``card_id``): card ids come from each card's file and
text, so they stay the same when Day 2 is read again with late cards added, and the
decisions carry over. A decision whose card is no longer read, or whose challenge is gone,
no longer applies and is listed with the reason.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from pipeline.day2.plan import rank
from pipeline.day2.shapes import Action, ActionCard, ActionPlan, AttachedBy, Said
from pipeline.day2.words import english

DECISIONS_DB = "decisions.sqlite"
UNATTACHED = "unattached"


class Day2DecisionKind(StrEnum):
    RENAME = "rename"
    """The action of ``card_id`` is worded ``text``."""
    EDIT = "edit"
    """The action of ``card_id`` gets ``owner``, ``when`` and ``cost`` (those given)."""
    MERGE = "merge"
    """The actions of ``card_ids`` join the action of ``card_id``: one action, votes summed."""
    MOVE = "move"
    """The action of ``card_id`` moves to challenge ``target`` (or ``unattached``)."""
    APPROVE = "approve"
    REJECT = "reject"
    """The action of ``card_id`` is left out of the plan (its cards stay in the ledger)."""
    UNDO = "undo"
    """Reverts the latest decision not yet undone."""


class Day2Decision(BaseModel):
    kind: Day2DecisionKind
    card_id: str = ""
    card_ids: list[str] = Field(default_factory=list)
    target: str | None = None
    text: str | None = None
    owner: str | None = None
    when: str | None = None
    cost: str | None = None


class LoggedDecision(BaseModel):
    seq: int
    who: str
    at: str
    decision: Day2Decision


class Day2LogError(ValueError):
    """The log cannot be read or written; one line naming the file."""


_SCHEMA = """CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY, who TEXT NOT NULL, at TEXT NOT NULL, decision TEXT NOT NULL)"""


class Day2Log:
    """The append-only log of one plan's review."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        except sqlite3.Error as exc:
            raise Day2LogError(f"{self.path}: cannot open ({exc})") from None
        try:
            connection.execute(_SCHEMA)
            yield connection
        except sqlite3.DatabaseError as exc:
            raise Day2LogError(f"{self.path}: not a readable decision log ({exc})") from None
        finally:
            connection.close()

    def read(self) -> list[LoggedDecision]:
        if not self.path.exists():
            return []
        with self._connect() as connection:
            rows = connection.execute("SELECT seq, who, at, decision FROM decisions ORDER BY seq")
            out = []
            for seq, who, at, text in rows.fetchall():
                try:
                    decision = Day2Decision.model_validate_json(text)
                except ValidationError:
                    raise Day2LogError(f"{self.path}: decision {seq} is damaged") from None
                out.append(LoggedDecision(seq=seq, who=who, at=at, decision=decision))
            return out

    def append(self, decision: Day2Decision, who: str) -> LoggedDecision:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                (current,) = connection.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM decisions"
                ).fetchone()
                logged = LoggedDecision(
                    seq=current + 1,
                    who=who,
                    at=datetime.now(UTC).isoformat(timespec="seconds"),
                    decision=decision,
                )
                connection.execute(
                    "INSERT INTO decisions VALUES (?, ?, ?, ?)",
                    (logged.seq, who, logged.at, decision.model_dump_json()),
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return logged


def effective(decisions: Sequence[LoggedDecision]) -> list[LoggedDecision]:
    """The decisions that stand: each UNDO removes the latest one not yet undone."""
    kept: list[LoggedDecision] = []
    for logged in decisions:
        if logged.decision.kind is Day2DecisionKind.UNDO:
            if kept:
                kept.pop()
        else:
            kept.append(logged)
    return kept


def apply_decisions(
    plan: ActionPlan, decisions: Sequence[LoggedDecision]
) -> tuple[ActionPlan, list[Said]]:
    """The plan as the review leaves it, and why each decision that no longer applies does
    not (one sentence each, said in the reader's language where shown)."""
    actions = [a.model_copy(deep=True) for a in plan.actions]
    attachments = {a.card_id: a.model_copy() for a in plan.attachments}
    cards = {c.id: c for c in plan.cards}
    challenges = {c.id for c in plan.challenges}
    stale: list[Said] = []

    def gone(kind: str, who: str, card_id: str) -> Said:
        return Said(code="card_gone", values={"decision": kind, "who": who, "card": card_id})

    def review(attachment_card: str, said: Said) -> None:
        attachments[attachment_card].by = AttachedBy.REVIEW
        attachments[attachment_card].why = [said]
        attachments[attachment_card].reason = english([said])

    def holding(card_id: str) -> Action | None:
        return next((a for a in actions if card_id in a.card_ids), None)

    for logged in effective(decisions):
        d = logged.decision
        action = holding(d.card_id)
        if action is None:
            stale.append(gone(d.kind.value, logged.who, d.card_id))
            continue
        if d.kind is Day2DecisionKind.RENAME and d.text:
            action.text, action.renamed = d.text, True
        elif d.kind is Day2DecisionKind.EDIT:
            for name in ("owner", "when", "cost"):
                value = getattr(d, name)
                if value is not None:
                    setattr(action, name, value or None)
        elif d.kind is Day2DecisionKind.MERGE:
            for other_card in d.card_ids:
                other = holding(other_card)
                if other is None:
                    stale.append(gone(d.kind.value, logged.who, other_card))
                    continue
                if other is action:
                    continue
                _absorb(action, other, cards)
                for card_id in other.card_ids:
                    attachments[card_id].challenge_id = action.challenge_id
                    review(card_id, Said(code="merged_in_review", values={"who": logged.who}))
                actions.remove(other)
        elif d.kind is Day2DecisionKind.MOVE:
            target = None if d.target in (None, "", UNATTACHED) else d.target
            if target is not None and target not in challenges:
                values: dict[str, str | float] = {
                    "decision": d.kind.value,
                    "who": logged.who,
                    "challenge": target,
                }
                stale.append(Said(code="challenge_gone", values=values))
                continue
            action.challenge_id = target
            moved = (
                Said(code="unattached_in_review")
                if target is None
                else Said(code="moved_in_review", values={"challenge": target})
            )
            for card_id in action.card_ids:
                attachments[card_id].challenge_id = target
                review(card_id, moved)
        elif d.kind is Day2DecisionKind.APPROVE:
            action.status = "approved"
        elif d.kind is Day2DecisionKind.REJECT:
            action.status = "rejected"
    order = [c.id for c in plan.challenges]
    ranked: list[Action] = []
    for challenge_id in [*order, None]:
        ranked += rank([a for a in actions if a.challenge_id == challenge_id])
    numbered = [a.model_copy(update={"id": f"A{i:02d}"}) for i, a in enumerate(ranked, 1)]
    return plan.model_copy(
        update={
            "actions": numbered,
            "attachments": [attachments[a.card_id] for a in plan.attachments],
        }
    ), stale


def _absorb(action: Action, other: Action, cards: dict[str, ActionCard]) -> None:
    action.card_ids += other.card_ids
    action.variants += [other.text, *other.variants]
    given = [v for v in (cards[i].votes for i in action.card_ids) if v is not None]
    action.votes = sum(given) if given else None
    for name in ("impact", "feasibility"):
        values = [getattr(cards[i], name) for i in action.card_ids]
        present = [v for v in values if v is not None]
        setattr(action, name, round(sum(present) / len(present), 2) if present else None)
    action.owner = action.owner or other.owner
    action.when = action.when or other.when
    action.cost = action.cost or other.cost
