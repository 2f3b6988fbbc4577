"""A workshop folder's own config, hostile or broken: the run goes on, and stays in --out.

Real runs of ``ideasynth run`` on a small workshop, real files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import PrepareConfig
from pipeline.output import LEFTOVER_AGE_S, folder_name
from pipeline.prepare import prepare
from pipeline.run import scored
from pipeline.schema import RawNote
from tests.test_cli import TOPICS

runner = CliRunner()


def workshop(root: Path, config: str = "") -> Path:
    folder = root / "atelier"
    folder.mkdir(parents=True)
    notes = [text for _, text in TOPICS["feedback"] + TOPICS["ai"]]
    (folder / "notes.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    if config:
        (folder / "ideasynth.toml").write_text(config, encoding="utf-8")
    return folder


BROKEN_LABELS = (
    "source,text,theme\nnotes.txt,Un retour écrit après chaque consultation citoyenne,feedback\n"
    "notes.txt,Les algorithmes opaques menacent la confiance,ai,x,y\n"
)
"""A row with more cells than the header: pandas raised ``ParserError``, the run exited 1."""


def test_a_malformed_labels_file_is_a_warning_and_the_run_is_written(tmp_path: Path) -> None:
    folder = workshop(tmp_path, 'labels = "_intended_themes.csv"\n')
    (folder / "_intended_themes.csv").write_text(BROKEN_LABELS, encoding="utf-8")
    out = tmp_path / "runs"

    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--quiet"])

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "this is a bug" not in result.output
    warning = [line for line in result.output.splitlines() if "_intended_themes.csv" in line]
    assert len(warning) == 1, result.output
    # The notes are mostly French: so is the console.
    assert warning[0].startswith("attention\u00a0: ") and "n’est pas évalué" in warning[0]
    assert len(list(out.glob("atelier/*/report.html"))) == 1


def _notes() -> list:
    raw = [
        RawNote(id=f"n{i}", text=text, source="notes.txt", location=f"line {i + 1}")
        for i, (_, text) in enumerate(TOPICS["feedback"])
    ]
    return prepare(raw, PrepareConfig())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BROKEN_LABELS.encode(), "cannot read as CSV"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "_labels"),
        (b"", "cannot read as CSV"),
        (b"uid,label\n1,a\n", "missing column(s) source, text, theme"),
        (None, "file not found"),
        ("dir", "not a file"),
    ],
    ids=["malformed", "binary", "empty", "wrong-columns", "missing", "folder"],
)
def test_any_bad_labels_file_is_one_line(tmp_path: Path, content: object, expected: str) -> None:
    path = tmp_path / "_labels.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "dir":
        path.mkdir()
    evaluation = scored(_notes(), path, [])
    assert evaluation["labels_file"] == str(path)
    error = str(evaluation["error"])
    assert error.startswith(str(path)) and expected in error and "\n" not in error


def test_a_system_file_as_labels_is_refused_without_its_content(tmp_path: Path) -> None:
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd here")
    evaluation = scored(_notes(), passwd, [])
    assert "error" in evaluation and "root:" not in str(evaluation["error"])


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize(
    "name",
    ["../../x", "/etc", "x/../../y", "..\\..\\x", "a\x1b[31mb", ".hidden", "C:\\temp", "😀" * 300],
)
def test_a_workshop_name_is_one_folder_inside_out(tmp_path: Path, name: str) -> None:
    out = tmp_path / "runs"
    folder = folder_name(name)
    assert folder and "/" not in folder and "\\" not in folder
    assert not folder.startswith(".") and len(folder.encode()) <= 200
    assert (out / folder).resolve().parent == out.resolve()


def test_a_workshop_name_from_config_never_leads_out_of_out(tmp_path: Path) -> None:
    escaped = tmp_path / "escaped"
    folder = workshop(tmp_path / "in", 'workshop = "../../escaped"\n')
    out = tmp_path / "out" / "runs"
    out.mkdir(parents=True)
    before = files_under(tmp_path) - files_under(out)

    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--quiet"])

    assert result.exit_code == 0, result.output
    assert not escaped.exists()
    assert files_under(tmp_path) - files_under(out) == before  # nothing written outside
    reports = list(out.glob("escaped/*/report.html"))
    assert len(reports) == 1
    # The reports still show the name the config gives.
    assert "../../escaped" in reports[0].read_text(encoding="utf-8")

    absolute = tmp_path / "absolute"
    (folder / "ideasynth.toml").write_text(f'workshop = "{absolute}"\n', encoding="utf-8")
    again = runner.invoke(app, ["run", str(folder), "--out", str(out), "--quiet"])
    assert again.exit_code == 0, again.output
    assert not absolute.exists()
    assert len(list(out.glob("*/*/report.html"))) == 2


def test_a_workshop_name_that_is_no_folder_name_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = workshop(tmp_path, 'workshop = ".."\n')
    out = tmp_path / "runs"

    result = runner.invoke(app, ["run", str(folder), "--out", str(out)])

    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "workshop = '..'" in lines[0], result.output
    assert not out.exists()


def test_leftovers_of_a_killed_run_are_cleaned_at_the_next_start(tmp_path: Path) -> None:
    """A run killed (SIGKILL) in its write step leaves its staging folder and the empty run
    folder it had reserved; the next run of the workshop removes them and says so in one
    line. What may be another run's, still writing, is left alone."""
    folder = workshop(tmp_path)
    out = tmp_path / "runs"
    runs = out / "atelier"
    staging = runs / ".staging-0123456789ab"
    (staging / "exports").mkdir(parents=True)
    (staging / "notes.json").write_text('[{"id": "n1"', encoding="utf-8")  # cut off
    reserved = runs / "20261205T211403Z"
    reserved.mkdir()
    kept = [runs / ".staging-fresh0000000", runs / "20261205T211500Z-2", runs / "notes"]
    for path in kept:
        path.mkdir()
    (runs / "notes" / "mine.txt").write_text("a folder of the user's\n", encoding="utf-8")
    old = time.time() - LEFTOVER_AGE_S - 60
    for path in (staging / "exports", staging, reserved, runs / "notes"):
        os.utime(path, (old, old))

    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--quiet"])

    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert lines == [
        f"note: {runs}: removed 2 leftovers of an interrupted run (.staging-0123456789ab, "
        "20261205T211403Z)"
    ], result.output
    assert not staging.exists() and not reserved.exists()
    assert all(path.exists() for path in kept)  # too recent to be a dead run's, or not empty
    assert len(list(runs.glob("*/report.html"))) == 1
