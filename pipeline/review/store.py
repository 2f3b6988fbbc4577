"""The decision log: an append-only table of actions in ``decisions.sqlite`` next to the run.

SQLite in WAL mode, one short ``BEGIN IMMEDIATE`` transaction per write, so two analysts (two
browser tabs, two app processes) can write at once without losing anything. Optimistic
concurrency: the log's version is its last ``seq``; a write names the version it was based on,
and a stale one raises ``StaleVersion`` instead of silently landing on a state its author never
saw. Triggers refuse UPDATE and DELETE: history is only ever added to.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from pipeline.schema import Decision, ReviewAction

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    seq     INTEGER PRIMARY KEY,
    who     TEXT NOT NULL,
    at      TEXT NOT NULL,
    run_id  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    action  TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
"""

BUSY_TIMEOUT_MS = 10_000


class DecisionLogError(ValueError):
    """The log cannot be read or written; one line naming the file."""


class StaleVersion(DecisionLogError):
    """Someone else wrote to the log since the writer read it."""

    def __init__(self, path: Path, expected: int, current: int, newer: list[Decision]) -> None:
        self.expected = expected
        self.current = current
        self.newer = newer
        who = ", ".join(sorted({d.who for d in newer})) or "someone"
        super().__init__(
            f"{path}: your change was based on version {expected}, but {who} saved "
            f"{current - expected} change(s) since (now version {current}); nothing was "
            "overwritten: reload, check, and submit again"
        )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DecisionLog:
    """The log of one run. Cheap to create: each call opens its own short connection, so one
    instance may be shared by the app's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, create: bool) -> Iterator[sqlite3.Connection]:
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        try:
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as exc:
            raise DecisionLogError(f"{self.path}: cannot open ({exc})") from None
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if create:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.executescript(SCHEMA)
            yield connection
        except sqlite3.DatabaseError as exc:
            raise DecisionLogError(f"{self.path}: not a readable decision log ({exc})") from None
        finally:
            connection.close()

    def _rows(self, connection: sqlite3.Connection, after: int = 0) -> list[Decision]:
        rows = connection.execute(
            "SELECT seq, who, at, run_id, action FROM decisions WHERE seq > ? ORDER BY seq",
            (after,),
        ).fetchall()
        out = []
        for seq, who, at, run_id, action in rows:
            try:
                parsed = ReviewAction.model_validate_json(action)
            except ValidationError as exc:
                msg = exc.errors()[0]["msg"]
                raise DecisionLogError(f"{self.path}: decision {seq} is damaged ({msg})") from None
            out.append(Decision(seq=seq, who=who, at=at, run_id=run_id, action=parsed))
        return out

    def read(self) -> list[Decision]:
        """Every decision, oldest first; an empty list when nobody has reviewed the run."""
        try:
            with self._connect(create=False) as connection:
                return self._rows(connection)
        except FileNotFoundError:
            return []

    def version(self) -> int:
        decisions = self.read()
        return decisions[-1].seq if decisions else 0

    def append(
        self, action: ReviewAction, who: str, expected_version: int, run_id: str = ""
    ) -> Decision:
        """Add one decision, if the log is still at ``expected_version``; else ``StaleVersion``."""
        with self._connect(create=True) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                (current,) = connection.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM decisions"
                ).fetchone()
                if current != expected_version:
                    newer = self._rows(connection, after=expected_version)
                    raise StaleVersion(self.path, expected_version, current, newer)
                decision = Decision(
                    seq=current + 1, who=who, at=now_iso(), action=action, run_id=run_id
                )
                self._insert(connection, decision)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return decision

    def extend(self, decisions: Sequence[Decision]) -> None:
        """Start a new run's log with decisions carried forward (renumbered from 1), all or
        none; refused when the log already holds anything."""
        with self._connect(create=True) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                (count,) = connection.execute("SELECT COUNT(*) FROM decisions").fetchone()
                if count:
                    raise DecisionLogError(f"{self.path}: already holds {count} decisions")
                for seq, decision in enumerate(decisions, start=1):
                    self._insert(connection, decision.model_copy(update={"seq": seq}))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    @staticmethod
    def _insert(connection: sqlite3.Connection, decision: Decision) -> None:
        connection.execute(
            "INSERT INTO decisions (seq, who, at, run_id, kind, action) VALUES (?, ?, ?, ?, ?, ?)",
            (
                decision.seq,
                decision.who,
                decision.at,
                decision.run_id,
                decision.action.kind.value,
                json.dumps(
                    decision.action.model_dump(mode="json", exclude_defaults=True),
                    ensure_ascii=False,
                ),
            ),
        )
