"""What a batch did not read is said, one line each, and the exit code says so: a broken
file inside a good workshop, a broken Day 2 card file, a notes file dropped beside the
workshop folders. The summary is an index of the batch (one line per workshop, its counts,
warnings and report), and a batch whose output goes to a log prints a line per workshop."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from pipeline.cli import EXIT_INPUT_SKIPPED, app
from pipeline.cli_errors import said_input_error
from pipeline.report.view import shown_location, shown_reason
from tests.test_batch import texts, write_workshop
from tests.test_day2_batch import CARDS_A


def truncated_workbook(path: Path) -> Path:
    """A real workbook cut in half, as a crashed copy leaves it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Note"])
    for text in texts(0, 6):
        sheet.append([text])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_unread_input_is_one_line_each_in_console_and_summary_and_exit_3(tmp_path: Path):
    root, out = tmp_path / "root", tmp_path / "out"
    good = write_workshop(root / "good", texts(0, 10))
    truncated_workbook(good / "extra_table.xlsx")
    cards = write_workshop(root / "with-cards", texts(2, 12))
    (cards / "day2").mkdir()
    (cards / "day2" / "cartes.csv").write_text(CARDS_A, encoding="utf-8")
    truncated_workbook(cards / "day2" / "table2.xlsx")
    (root / "loose_notes.csv").write_text("Note\nUne note posée à côté\n", encoding="utf-8")
    (root / "README.md").write_text("# Our hackathons\n", encoding="utf-8")  # not notes

    result = CliRunner().invoke(app, ["batch", str(root), "--out", str(out)])
    assert result.exit_code == EXIT_INPUT_SKIPPED, result.output
    lines = result.output.splitlines()
    # One plain line per workshop as it starts and as it ends (the output is not a terminal).
    assert "workshop 1 of 2: good: started" in lines
    assert any(line.startswith("workshop 1 of 2: good: completed in ") for line in lines)
    assert any(line.startswith("workshop 2 of 2: with-cards: completed in ") for line in lines)
    # Recorded in English in the run's manifest, said in the run's language.
    (good_run,) = (out / "good").iterdir()
    manifest = json.loads((good_run / "manifest.json").read_text(encoding="utf-8"))
    (recorded,) = manifest["input_errors"]
    assert recorded.startswith("extra_table.xlsx: not an Excel workbook")
    said = said_input_error(
        recorded, manifest["config"]["output_language"], location=shown_location,
        reason=shown_reason,
    )  # fmt: skip
    assert f"warning: good: {said}" in lines, result.output
    assert [line for line in lines if "warning: with-cards: day2/table2.xlsx: " in line]
    loose = f"warning: {(root / 'loose_notes.csv').resolve()}: not in a workshop folder, not read"
    assert any(line.startswith(loose) for line in lines), result.output
    assert "README.md" not in result.output

    # The summary: an index of the workshops, each with its counts, warnings and report.
    index = (out / "recurring.md").read_text(encoding="utf-8")
    assert "- **good**: completed: " in index
    assert f"[report](good/{good_run.name}/report.html)" in index
    assert f"  - warning: {said}" in index
    assert "  - warning: day2/table2.xlsx: " in index
    assert "loose_notes.csv: not in a workshop folder, not read" in index
    page = (out / "recurring.html").read_text(encoding="utf-8")
    assert f"href='good/{good_run.name}/report.html'" in page
    assert said.split(" (")[0] in html.unescape(page)

    # Unchanged: skipped, listed with the counts of the run reused, and still warned about.
    again = CliRunner().invoke(app, ["batch", str(root), "--out", str(out)])
    assert again.exit_code == EXIT_INPUT_SKIPPED, again.output
    assert f"warning: good: {said}" in again.output
    saved = json.loads((out / "recurring.json").read_text(encoding="utf-8"))
    skipped = {o["workshop"]: o for o in saved["outcomes"]}["good"]
    assert skipped["status"] == "skipped" and skipped["ideas"] and skipped["themes"]
    assert any(
        line.startswith("workshop 1 of 2: good: unchanged since its run ")
        for line in again.output.splitlines()
    )

    # Everything read: exit 0.
    (good / "extra_table.xlsx").unlink()
    (cards / "day2" / "table2.xlsx").unlink()
    (root / "loose_notes.csv").unlink()
    clean = CliRunner().invoke(app, ["batch", str(root), "--out", str(out)])
    assert clean.exit_code == 0, clean.output
    assert "warning:" not in clean.output
