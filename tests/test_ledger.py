"""The ledger and the exit codes: every row of every file accounted for, every outcome clear."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import flows.synthesize
from pipeline.cli import EXIT_INPUT_SKIPPED, app
from pipeline.config import config_for_input
from pipeline.ingest.problems import StrictInputError
from pipeline.ledger import MISSING, build_ledger, count_by_status
from pipeline.report.parquet import LEDGER_SCHEMA, ledger_table
from pipeline.run import run_workshop
from pipeline.schema import (
    InputRow,
    LedgerEntry,
    LedgerStatus,
    Note,
    NoteStatus,
    RowStatus,
    RunResult,
)
from tests.factories import build_run_result
from tests.hostile_files import Hostile, write_hostile_folder

runner = CliRunner()


# --- building the ledger --------------------------------------------------------------------


def _note(note_id: str, **fields: Any) -> Note:
    base = {"text": note_id, "original_text": note_id, "source": "a.csv", "location": note_id}
    return Note(id=note_id, **{**base, **fields})


def test_ledger_follows_each_row_to_its_outcome() -> None:
    rows = [
        InputRow("a.csv", "row 1", RowStatus.STRUCTURE, reason="header row (column names)"),
        InputRow("a.csv", "row 2", RowStatus.NOTE, note_id="n1", text="kept"),
        InputRow("a.csv", "row 3", RowStatus.REJECTED_ROW, reason="empty text"),
        InputRow("a.csv", "row 4", RowStatus.NOTE, note_id="n2", text="a; b"),
        InputRow("a.csv", "row 5", RowStatus.NOTE, note_id="n3", text="ok"),
        InputRow("b.pdf", "file", RowStatus.SKIPPED_FILE, reason="unsupported format '.pdf'"),
    ]
    notes = [
        _note("n1", location="row 2", theme_id="T01"),
        _note("n2", location="row 4", status=NoteStatus.SPLIT),
        _note("n2-1", parent_id="n2", location="row 4 idea 1", theme_id="T01"),
        _note("n2-2", parent_id="n2", location="row 4 idea 2", duplicate_of="n1", theme_id="T01"),
        _note("n3", location="row 5", status=NoteStatus.REJECTED, reject_reason="placeholder"),
    ]

    ledger = build_ledger(rows, notes)

    assert [
        (e.location, e.status, e.note_id, e.parent_id, e.theme_id, e.reason) for e in ledger
    ] == [
        ("row 1", LedgerStatus.STRUCTURE, None, None, None, "header row (column names)"),
        ("row 2", LedgerStatus.NOTE, "n1", None, "T01", None),
        ("row 3", LedgerStatus.REJECTED_ROW, None, None, None, "empty text"),
        ("row 4", LedgerStatus.SPLIT, "n2", None, None, None),
        ("row 4 idea 1", LedgerStatus.IDEA, "n2-1", "n2", "T01", None),
        ("row 4 idea 2", LedgerStatus.IDEA, "n2-2", "n2", "T01", None),
        ("row 5", LedgerStatus.REJECTED, "n3", None, None, "placeholder"),
        ("file", LedgerStatus.SKIPPED_FILE, None, None, None, "unsupported format '.pdf'"),
    ]
    assert ledger[5].duplicate_of == "n1"
    assert count_by_status(ledger)["idea"] == 2


def test_a_note_lost_between_steps_shows_in_the_ledger() -> None:
    rows = [InputRow("a.csv", "row 2", RowStatus.NOTE, note_id="gone", text="x")]

    (entry,) = build_ledger(rows, [])

    assert (entry.status, entry.reason) == (LedgerStatus.REJECTED, MISSING)


def test_ledger_table_has_a_fixed_schema() -> None:
    table = ledger_table([LedgerEntry("a.csv", "row 2", LedgerStatus.NOTE, note_id="n1")])

    assert table.schema.equals(LEDGER_SCHEMA, check_metadata=True)
    assert table.to_pylist()[0]["status"] == "note"
    assert ledger_table([]).num_rows == 0


# --- a whole run on the hostile folder ------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Hostile], RunResult, Path]:
    root = tmp_path_factory.mktemp("hostile-run") / "atelier"
    expected = write_hostile_folder(root)
    result, run_dir = run_workshop(root, config_for_input(root), root.parent / "runs")
    return expected, result, run_dir


def test_hostile_folder_runs_to_completion_and_the_ledger_accounts_for_every_row(
    hostile_run: tuple[list[Hostile], RunResult, Path],
) -> None:
    expected, result, run_dir = hostile_run
    ledger = pd.read_parquet(run_dir / "ledger.parquet")
    notes = pd.read_parquet(run_dir / "notes.parquet")
    counts = result.manifest.counts

    rows_read = ledger[ledger["status"] != "idea"]
    assert Counter(rows_read["source"]) == {file.name: file.expected_rows for file in expected}
    assert (
        len(ledger)
        == counts.ledger_rows
        == sum(f.expected_rows for f in expected) + (counts.split_children)
    )
    assert result.manifest.reconciles, counts.problems()
    by_status = Counter(ledger["status"])
    assert by_status["note"] + by_status["split"] + by_status["rejected"] == counts.input_notes
    assert by_status["rejected_row"] == counts.rejected_rows
    assert by_status["idea"] == counts.split_children > 0
    assert by_status["structure"] == counts.structure_rows
    assert by_status["skipped_file"] == counts.skipped_files == sum(f.skipped for f in expected)
    # Every note of notes.parquet is in the ledger exactly once, with the same outcome.
    assert sorted(ledger["note_id"].dropna()) == sorted(notes["id"])
    merged = ledger.dropna(subset=["note_id"]).merge(notes, left_on="note_id", right_on="id")
    assert (merged["theme_id_x"].fillna("") == merged["theme_id_y"].fillna("")).all()
    assert ledger.loc[ledger["status"].isin(["note", "idea"]), "theme_id"].notna().all()
    without_note = ledger[~ledger["status"].isin(["note", "idea", "split"])]
    assert without_note["reason"].str.len().gt(0).all()
    assert not result.manifest.input_complete
    # Files not read by design (hidden, the config) have their ledger row but no warning.
    ignored = sum(f.ignored for f in expected)
    assert len(result.manifest.input_errors) == counts.skipped_files - ignored > 0
    # Rows holding text rejected (6, and 4 that are not words), lines that look like cp1252.
    assert len(result.manifest.input_warnings) == 6 + 4 + 2


def test_strict_run_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "atelier"
    write_hostile_folder(root)
    config = config_for_input(root)
    config.ingest.strict = True

    with pytest.raises(StrictInputError):
        run_workshop(root, config, tmp_path / "runs")

    assert not (tmp_path / "runs").exists()


# --- exit codes -----------------------------------------------------------------------------


def _fake_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, outcome: Any) -> dict[str, Any]:
    """Replace the flow: return ``outcome`` (a RunResult) or raise it (an exception)."""
    seen: dict[str, Any] = {}

    def fake(path: Path, config: Any, out: Path, lang: Any, progress: Any) -> Any:
        seen["config"] = config
        if isinstance(outcome, Exception):
            raise outcome
        return flows.synthesize.FinishedRun(outcome, tmp_path)

    monkeypatch.setattr(flows.synthesize, "synthesize_workshop", fake)
    (tmp_path / "notes.csv").write_text("Note\nUne idée\n", encoding="utf-8")
    return seen


def test_exit_0_when_every_input_was_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_run(monkeypatch, tmp_path, build_run_result())

    done = runner.invoke(app, ["run", str(tmp_path / "notes.csv")])

    assert done.exit_code == 0, done.output
    assert "warning" not in done.output


def test_exit_3_when_some_input_was_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = build_run_result()
    result.manifest.input_errors = ["slides.pptx: skipped, unsupported format '.pptx'"]
    result.manifest.input_warnings = [f"a.csv: row {n}: text too long" for n in range(2, 26)]
    result.manifest.input_warnings.insert(0, 'b.xlsx: sheet [x] row 2: formula =A1&"[/]" gives')
    result.manifest.input_complete = False
    result.manifest.config["output_language"] = "en"  # the console's words in English
    _fake_run(monkeypatch, tmp_path, result)

    done = runner.invoke(app, ["run", str(tmp_path / "notes.csv")])

    assert done.exit_code == EXIT_INPUT_SKIPPED == 3
    lines = done.output.splitlines()
    assert "warning: slides.pptx: skipped, unsupported format '.pptx'" in lines
    assert 'warning: b.xlsx: sheet [x] row 2: formula =A1&"[/]" gives' in lines  # not markup
    assert "warning: a.csv: row 20: text too long" in lines
    assert "warning: a.csv: row 21: text too long" not in lines  # capped at 20 lines
    assert "warning: … 5 more rejected rows (see rejected.json, ledger.parquet)" in lines
    assert "Some input was not read: 1 file skipped, 25 rows holding text rejected" in done.output


def test_strict_exits_2_with_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = ["a.csv: row 3: text too long", "b.pdf: skipped, unsupported format '.pdf'"]
    seen = _fake_run(monkeypatch, tmp_path, StrictInputError(problems))

    done = runner.invoke(app, ["run", str(tmp_path / "notes.csv"), "--strict"])

    assert done.exit_code == 2
    assert seen["config"].ingest.strict is True
    assert [line for line in done.output.splitlines() if line.startswith("error:")] == [
        "error: a.csv: row 3: text too long",
        "error: b.pdf: skipped, unsupported format '.pdf'",
        "error: --strict: 2 input problems above; nothing written",
    ]


def test_a_bug_is_one_line_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_run(monkeypatch, tmp_path, RuntimeError("boom\nsecond line"))

    done = runner.invoke(app, ["run", str(tmp_path / "notes.csv")])

    assert done.exit_code == 1
    assert "Traceback" not in done.output
    assert done.output.count("error:") == 1
    assert "unexpected failure: RuntimeError: boom second line (this is a bug" in done.output


def test_help_documents_exit_codes_and_strict() -> None:
    done = runner.invoke(app, ["run", "--help"])

    assert done.exit_code == 0
    assert "Exit codes" in done.output
    assert "--strict" in done.output
