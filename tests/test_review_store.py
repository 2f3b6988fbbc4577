"""The decision log on disk: append-only, versioned, safe with writers at the same time."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipeline.review.store import DecisionLog, DecisionLogError, StaleVersion
from pipeline.schema import ActionKind, Decision, ReviewAction

RENAME = ReviewAction(kind=ActionKind.RENAME, theme_id="T01", label="Vélo <b>sûr</b>")


def test_an_unreviewed_run_has_an_empty_log_and_no_file(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.sqlite")
    assert log.read() == [] and log.version() == 0
    assert not log.path.exists()


def test_append_records_who_when_what_and_round_trips(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.sqlite")
    first = log.append(RENAME, "Ana", expected_version=0, run_id="20260101T000000Z")
    second = log.append(ReviewAction(kind=ActionKind.UNDO), "Ben", expected_version=1)
    assert (first.seq, second.seq) == (1, 2)
    assert log.version() == 2
    again = DecisionLog(log.path).read()
    assert again == [first, second]
    assert again[0].action.label == "Vélo <b>sûr</b>" and again[0].who == "Ana"
    assert again[0].at.endswith("+00:00") and again[0].run_id == "20260101T000000Z"
    mode = sqlite3.connect(log.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_stale_write_is_refused_with_what_changed(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.sqlite")
    log.append(RENAME, "Ana", expected_version=0)
    with pytest.raises(StaleVersion) as caught:
        log.append(RENAME.model_copy(update={"label": "Mine"}), "Ben", expected_version=0)
    assert caught.value.current == 1 and [d.who for d in caught.value.newer] == ["Ana"]
    assert "based on version 0" in str(caught.value) and "Ana" in str(caught.value)
    assert [d.action.label for d in log.read()] == ["Vélo <b>sûr</b>"]


def test_history_cannot_be_rewritten(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.sqlite")
    log.append(RENAME, "Ana", expected_version=0)
    db = sqlite3.connect(log.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE decisions SET who = 'Eve'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM decisions")
    db.close()
    assert log.read()[0].who == "Ana"


def test_extend_starts_a_new_log_only(tmp_path: Path) -> None:
    carried = [
        Decision(seq=7, who="Ana", at="2026-01-01T00:00:00+00:00", action=RENAME, run_id="old")
    ]
    log = DecisionLog(tmp_path / "decisions.sqlite")
    log.extend(carried)
    assert [(d.seq, d.run_id) for d in log.read()] == [(1, "old")]
    with pytest.raises(DecisionLogError, match="already holds 1"):
        log.extend(carried)


def test_a_damaged_log_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "decisions.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DecisionLogError) as caught:
        DecisionLog(path).read()
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def _writer(path: Path, who: str, count: int) -> None:
    """Append ``count`` decisions, re-reading and retrying on conflict, as the app's user does."""
    log = DecisionLog(path)
    done = 0
    while done < count:
        try:
            log.append(RENAME.model_copy(update={"label": f"{who}{done}"}), who, log.version())
            done += 1
        except StaleVersion:
            continue


def test_writers_at_the_same_time_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "decisions.sqlite"
    DecisionLog(path).append(RENAME, "setup", 0)
    threads = [threading.Thread(target=_writer, args=(path, f"t{i}", 15)) for i in range(3)]
    # A second process too: SQLite's locking, not just the GIL, keeps the log whole.
    code = (
        "import sys; from pathlib import Path; from tests.test_review_store import _writer; "
        "_writer(Path(sys.argv[1]), 'proc', 15)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)])
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert proc.wait(timeout=60) == 0
    decisions = DecisionLog(path).read()
    assert [d.seq for d in decisions] == list(range(1, 62))
    labels = [d.action.label for d in decisions[1:]]
    for who in ("t0", "t1", "t2", "proc"):
        assert [lab for lab in labels if lab and lab.startswith(who)] == [
            f"{who}{i}" for i in range(15)
        ]
