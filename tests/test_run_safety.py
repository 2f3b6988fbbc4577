"""``ideasynth run`` when things go wrong on the way out, or the input is hostile: a read-only
or full disk is one line naming the path (exit 2) and leaves no run folder; a run folder
without its completion marker is never the previous run; file names cannot forge or colour
console lines; mixed and guessed encodings are read exactly or flagged.

The full and read-only disks are real: a small tmpfs (or a read-only one) mounted in a user
namespace (``unshare``), where the real CLI runs. The test is skipped where user namespaces
are not allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report import write_run
from pipeline.report.writer import COMPLETE_JSON
from pipeline.review.matching import previous_run, prior_assignment
from tests.factories import build_run_result
from tests.test_cli import TOPICS

runner = CliRunner()
NOTES = [text for rows in TOPICS.values() for _, text in rows]


def _workshop(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("\n".join(NOTES) + "\n", encoding="utf-8")
    return folder


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def test_an_unwritable_output_folder_stops_the_run_before_it_starts(tmp_path: Path) -> None:
    workshop = _workshop(tmp_path / "atelier")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    out = blocker / "runs"
    result = runner.invoke(app, ["run", str(workshop), "--out", str(out)])
    assert result.exit_code == 2, result.output
    [line] = _error_lines(result.output)
    assert f"{out / 'atelier'}: cannot write the run there" in line
    assert "Traceback" not in result.output and "bug" not in result.output
    # Checked before the pipeline: an input with no notes at all still reports the output.
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "empty"), "--out", str(out)])
    assert result.exit_code == 2 and "cannot write the run there" in result.output


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d"
    done = subprocess.run(["unshare", "-r", "-m", "sh", "-c", probe], capture_output=True)
    return done.returncode == 0


_RUN_ONE = """
import sys
from pathlib import Path
from pipeline.config import config_for_input
from pipeline.output import OutputFolderError
from pipeline.run import run_workshop
path, out = Path(sys.argv[1]), Path(sys.argv[2])
try:
    run_workshop(path, config_for_input(path, None), out, language="en")
except OutputFolderError as exc:
    print(f"error: {exc}")
    sys.exit(2)
"""


def _in_a_small_disk(tmp_path: Path, options: str, command: str) -> tuple[int, str, list[Path]]:
    """Mount a tmpfs with ``options`` on ``tmp_path/disk`` in a user namespace and run
    ``command`` there (``{out}`` is the disk); its exit code, output and what is left on it."""
    out = tmp_path / "disk"
    out.mkdir()
    listing = tmp_path / "listing.txt"
    script = (
        f'mount -t tmpfs -o {options} tmpfs "{out}" && {command.replace("{out}", str(out))}; '
        f'rc=$?; find "{out}" > "{listing}"; exit $rc'
    )
    done = subprocess.run(
        ["unshare", "-r", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300
    )
    left = sorted(Path(p) for p in listing.read_text().split())
    return done.returncode, done.stdout + done.stderr, left


needs_unshare = pytest.mark.skipif(
    not _unshare_works(), reason="needs user namespaces (unshare -r -m)"
)


@needs_unshare
def test_a_read_only_disk_is_one_line_before_any_work(tmp_path: Path) -> None:
    workshop = _workshop(tmp_path / "atelier")
    cli = f'"{sys.executable}" -m pipeline.cli run "{workshop}" --out "{{out}}"'
    code, output, left = _in_a_small_disk(tmp_path, "ro", cli)
    assert code == 2, output
    [line] = _error_lines(output)
    out = tmp_path / "disk"
    assert line.startswith(f"error: {out / 'atelier'}: cannot write the run there"), line
    assert "Read-only file system" in line
    assert "Traceback" not in output and "bug" not in output
    assert left == [out]


@needs_unshare
def test_a_disk_that_fills_midway_leaves_no_run(tmp_path: Path) -> None:
    workshop = _workshop(tmp_path / "atelier")
    run = f'"{sys.executable}" -c \'{_RUN_ONE}\' "{workshop}" "{{out}}"'
    code, output, left = _in_a_small_disk(tmp_path, "size=96k", run)
    assert code == 2, output
    out = tmp_path / "disk"
    [line] = _error_lines(output)
    assert line == (
        f"error: {out / 'atelier'}: cannot write the run there (No space left on device); "
        "free some space there or choose another --out"
    )
    # Nothing half-written: no run folder, no staging folder, no reserved name; and so
    # nothing a later run or the review app could pick up.
    assert left == [out, out / "atelier"], left


def test_a_run_without_its_completion_marker_is_never_the_previous_run(tmp_path: Path) -> None:
    workshop_dir = tmp_path / "atelier"
    whole = workshop_dir / "20250314T093205Z"
    write_run(build_run_result(), whole)
    cut_off = workshop_dir / "20250315T080000Z"  # newer, but a full disk cut it off
    write_run(build_run_result(), cut_off)
    (cut_off / COMPLETE_JSON).unlink()
    staged = workshop_dir / ".staging-0123456789ab"  # a run being written right now
    write_run(build_run_result(), staged)
    (workshop_dir / "20250316T000000Z").mkdir()  # a name reserved by a run that died
    assert previous_run(workshop_dir) == whole
    prior = prior_assignment(workshop_dir)
    assert prior is None or prior.run_dir == str(whole)
    (whole / COMPLETE_JSON).unlink()
    assert previous_run(workshop_dir) is None


def test_hostile_names_and_encodings_in_a_real_run(tmp_path: Path) -> None:
    """One real run over the probe's hostile folder: names that try to forge, recolour or
    reorder console lines; mixed cp1252 + UTF-8 files; a guessed encoding; hidden files."""
    workshop = _workshop(tmp_path / "atelier")
    forged = "x\nwarning: forged.csv: all rows read fine\nerror: forged too.pdf"
    (workshop / forged).write_bytes(b"%PDF-1.4 not notes")
    (workshop / "\x1b[2J\x1b[31mred\u202eslx.pdf").write_bytes(b"%PDF-1.4")
    mixed = "Des bancs à l'ombre près de l'école\n".encode("cp1252") + (
        "Mehr Grün für die Straße, „bitte” – Ýmir\n".encode()
    )
    (workshop / "mixed.txt").write_bytes(mixed)
    (workshop / "cyrillic.txt").write_bytes("Ѓорад треба више ђачких паркова\n".encode("cp1251"))
    (workshop / ".hidden.csv").write_text("Note\nhidden note\n", encoding="utf-8")
    out = tmp_path / "runs"
    result = runner.invoke(app, ["run", str(workshop), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 3, result.output
    output = result.output
    for line in output.splitlines():
        assert not line.startswith(("warning: forged", "error:")), line
        assert "\x1b" not in line and "\u202e" not in line
    assert "warning: x\\nwarning: forged.csv: all rows read fine\\nerror: forged too.pdf" in (
        output
    )
    assert "\\x1b[2J\\x1b[31mred\\u202eslx.pdf" in output
    assert "cyrillic.txt: read as " in output and "not certain" in output
    assert "1 file read in a guessed encoding" in output

    [run_dir] = [p for p in (out / "atelier").iterdir()]
    assert (run_dir / COMPLETE_JSON).is_file()
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_complete"] is False and manifest["reconciles"] is True
    encodings = {f["path"]: f["encoding"] for f in manifest["inputs"]}
    assert encodings["mixed.txt"] == "utf-8 + cp1252"
    assert encodings["cyrillic.txt"].endswith(" (guessed)")
    notes = pd.read_parquet(run_dir / "notes.parquet")
    texts = set(notes["original_text"].fillna(notes["text"]))
    assert "Des bancs à l'ombre près de l'école" in texts
    assert "Mehr Grün für die Straße, „bitte” – Ýmir" in texts
    ledger = pd.read_parquet(run_dir / "ledger.parquet")
    skipped = ledger[ledger["status"] == "skipped_file"]
    assert {".hidden.csv", forged} <= set(skipped["source"])
    assert skipped["reason"].str.len().gt(0).all()
