"""A batch over many workshop folders: broken ones are listed and the others finish; a re-run
skips what has not changed and redoes what failed or changed; content, not mtimes, decides."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.batch import synthesize_many
from pipeline.batch import (
    BatchError,
    discover_workshops,
    fingerprint_files,
    plan_batch,
    workshop_fingerprint,
)
from pipeline.cli import app
from pipeline.config import Config
from tests.test_cli import TOPICS


def write_workshop(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True)
    rows = ["Note", *(f'"{text}"' for text in texts)]
    (folder / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def texts(start: int = 0, stop: int = 12) -> list[str]:
    """Notes on two topics (feedback, AI) in four languages; subsets make distinct workshops
    whose texts the embedding cache already holds after the first."""
    return [t for topic in ("feedback", "ai") for _, t in TOPICS[topic][start:stop]]


def batch_root(root: Path) -> Path:
    """Three good workshops on the same two topics and two broken ones."""
    write_workshop(root / "atelier-a", texts())
    write_workshop(root / "atelier-b", texts(0, 10))
    write_workshop(root / "atelier-c", texts(2, 12))
    (root / "broken-binary").mkdir()
    (root / "broken-binary" / "notes.csv").write_bytes(bytes(range(256)) * 8)
    write_workshop(root / "broken-config", texts(0, 8))
    (root / "broken-config" / "ideasynth.toml").write_text("[cluster]\nseeds = 3\n")
    (root / "_archive").mkdir()  # not a workshop: folders starting with _ are skipped
    return root


def run_dirs(out: Path, workshop: str) -> list[Path]:
    return sorted(p for p in (out / workshop).iterdir() if p.is_dir())


def test_fingerprint_follows_content_not_modification_time(tmp_path: Path):
    folder = write_workshop(tmp_path / "w", texts(0, 3))
    first = fingerprint_files(folder)
    os.utime(folder / "notes.csv", (1, 1))
    (folder / ".DS_Store").write_bytes(b"junk")
    assert fingerprint_files(folder) == first  # touched, and a hidden file: same input
    (folder / "notes.csv").write_text("Note\nautre chose\n", encoding="utf-8")
    assert fingerprint_files(folder) != first
    (folder / "notes.csv").write_text("Note\n" + "\n".join(texts(0, 3)) + "\n")
    changed = Config()
    changed.cluster.seed = 7
    assert workshop_fingerprint(folder, Config()) != workshop_fingerprint(folder, changed)
    assert workshop_fingerprint(folder, Config(), "nl") != workshop_fingerprint(folder, Config())


def test_discovery_and_planning_errors_are_one_line(tmp_path: Path):
    with pytest.raises(BatchError, match="not a folder"):
        discover_workshops(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match="no workshop folders"):
        discover_workshops(tmp_path / "empty")
    root = batch_root(tmp_path / "root")
    assert [p.name for p in discover_workshops(root)] == [
        "atelier-a",
        "atelier-b",
        "atelier-c",
        "broken-binary",
        "broken-config",
    ]
    plans = {p.workshop: p for p in plan_batch(root, tmp_path / "out")}
    assert plans["broken-config"].error is not None
    assert "ideasynth.toml" in plans["broken-config"].error
    assert "seeds" in plans["broken-config"].error
    assert all(p.error is None for name, p in plans.items() if name != "broken-config")


def test_batch_isolates_failures_and_resumes_only_what_changed(tmp_path: Path):
    root = batch_root(tmp_path / "root")
    out = tmp_path / "out"
    summary = synthesize_many(root, out, concurrency=2)
    status = {o.workshop: o for o in summary.outcomes}
    reasons = {w: o.reason for w, o in status.items()}
    assert {w: o.status for w, o in status.items()} == {
        "atelier-a": "completed",
        "atelier-b": "completed",
        "atelier-c": "completed",
        "broken-binary": "failed",
        "broken-config": "failed",
    }, reasons
    assert "notes.csv" in (status["broken-binary"].reason or "")
    assert "ideasynth.toml" in (status["broken-config"].reason or "")
    for name in ("atelier-a", "atelier-b", "atelier-c"):
        (run,) = run_dirs(out, name)
        manifest = json.loads((run / "manifest.json").read_text())
        assert manifest["input_fingerprint"] == status[name].fingerprint
        assert (run / "report.html").is_file()
    assert not (out / ".staging").exists()
    assert not (out / "broken-binary").exists()

    # The cross-workshop summary: both topics recur, counted per workshop and note.
    saved = json.loads((out / "recurring.json").read_text())
    assert saved["recurring"], "two topics shared by three workshops must recur"
    for challenge in saved["recurring"]:
        members = challenge["themes"]
        assert challenge["n_notes"] == sum(m["size"] for m in members)
        assert challenge["n_workshops"] == len({m["workshop"] for m in members}) >= 2
    assert "broken-binary" in (out / "recurring.md").read_text()
    assert (
        "<h1>Recurring challenges across 5 workshops</h1>" in (out / "recurring.html").read_text()
    )

    # Unchanged: skipped, same run folders; failures are tried again.
    again = {o.workshop: o for o in synthesize_many(root, out, concurrency=2).outcomes}
    assert [again[n].status for n in ("atelier-a", "atelier-b", "atelier-c")] == ["skipped"] * 3
    assert again["atelier-a"].run_dir == status["atelier-a"].run_dir
    assert again["broken-binary"].status == "failed"
    resumed = json.loads((out / "recurring.json").read_text())
    assert resumed["recurring"] == saved["recurring"]

    # One workshop changes and one is repaired: only those two run.
    with (root / "atelier-c" / "notes.csv").open("a", encoding="utf-8") as handle:
        handle.write('"Publier les résultats de chaque atelier en ligne"\n')
    (root / "broken-config" / "ideasynth.toml").write_text("[cluster]\nseed = 3\n")
    third = {o.workshop: o.status for o in synthesize_many(root, out).outcomes}
    assert third == {
        "atelier-a": "skipped",
        "atelier-b": "skipped",
        "atelier-c": "completed",
        "broken-binary": "failed",
        "broken-config": "completed",
    }
    assert len(run_dirs(out, "atelier-c")) == 2
    assert len(run_dirs(out, "atelier-a")) == 1


def test_cli_batch_exit_codes(tmp_path: Path):
    runner = CliRunner()
    missing = runner.invoke(app, ["batch", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "not a folder" in missing.output

    root = tmp_path / "root"
    write_workshop(root / "good", texts(0, 9))
    (root / "bad").mkdir()
    (root / "bad" / "notes.txt").write_bytes(b"")
    # A folder deep enough that its page's path is longer than a line: still one line.
    out = tmp_path / "batch-outputs-of-the-spring-hackathons-kept-for-the-whole-year" / "out"
    result = runner.invoke(app, ["batch", str(root), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "failed: bad" in result.output
    assert str(out / "recurring.html") in result.output
    (root / "bad" / "notes.txt").write_text("Un retour écrit après chaque atelier\n")
    result = runner.invoke(app, ["batch", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output  # "good" was unchanged


def test_copies_of_one_workshop_folder_are_as_many_workshops_named_by_their_folders(
    tmp_path: Path,
):
    """Copied folders keep their ideasynth.toml and its workshop name: each is a workshop of
    its own, its runs under its folder's name, the configured name only shown."""
    import shutil

    root = tmp_path / "copies"
    original = write_workshop(root / "valmont", texts(0, 8))
    (original / "ideasynth.toml").write_text('workshop = "valmont-participation"\n')
    for copy in ("valmont-2", "valmont-3"):
        shutil.copytree(original, root / copy)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "failed" not in result.output
    assert not (out / "valmont-participation").exists()
    lines = result.output.splitlines()
    for folder in ("valmont", "valmont-2", "valmont-3"):
        (run,) = run_dirs(out, folder)
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["workshop"] == "valmont-participation"  # the reports' name
        assert "valmont-participation" in (run / "report.md").read_text(encoding="utf-8")
        (row,) = [line for line in lines if f" {folder} " in line]  # one summary line each
        assert "completed" in row and "valmont-participation" in row

    # Unchanged copies are skipped by folder on the next batch.
    again = CliRunner().invoke(app, ["batch", str(root), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert [line for line in again.output.splitlines() if "skipped" in line] != []
    assert all(len(run_dirs(out, f)) == 1 for f in ("valmont", "valmont-2", "valmont-3"))


def test_a_run_folder_without_its_completion_marker_is_never_taken_as_done(tmp_path):
    from pipeline.batch import completed_run
    from pipeline.report.writer import MANIFEST_JSON, mark_complete

    run_dir = tmp_path / "runs" / "ws" / "20261203T000000Z"
    run_dir.mkdir(parents=True)
    (run_dir / MANIFEST_JSON).write_text(json.dumps({"input_fingerprint": "abc"}), "utf-8")
    assert completed_run(tmp_path / "runs", "ws", "abc") is None  # half-written
    mark_complete(run_dir, run_dir.name)
    assert completed_run(tmp_path / "runs", "ws", "abc") == run_dir


def _manifest(run: Path) -> dict:
    return json.loads((run / "manifest.json").read_text(encoding="utf-8"))


def test_run_and_batch_file_a_named_workshop_in_one_folder_and_find_each_others_runs(
    tmp_path: Path,
):
    """A workshop named in its ideasynth.toml is filed under that name by both commands, so
    the nightly batch carries on from the facilitator's reviewed run and back; a run filed
    under the folder's name (where batches filed them before) is found by either."""
    import shutil

    root = tmp_path / "root"
    folder = write_workshop(root / "valmont", texts(0, 9))
    (folder / "ideasynth.toml").write_text('workshop = "Valmont participation"\n')
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(app, ["run", str(folder), "--out", str(out), "-q"])
    assert done.exit_code == 0, done.output
    (reviewed,) = run_dirs(out, "Valmont participation")

    batched = runner.invoke(app, ["batch", str(root), "--out", str(out)])
    assert batched.exit_code == 0, batched.output
    assert not (out / "valmont").exists()
    first, second = run_dirs(out, "Valmont participation")
    assert first == reviewed
    assert _manifest(second)["clustering"]["incremental"]["previous_run"] == str(reviewed)

    # Runs filed under the folder's name by an earlier batch are found by `run` and `batch`.
    legacy = out / "valmont"
    shutil.move(str(out / "Valmont participation"), str(legacy))
    (folder / "notes.csv").write_text(
        (folder / "notes.csv").read_text(encoding="utf-8") + '"Des bancs au parc"\n',
        encoding="utf-8",
    )
    again = runner.invoke(app, ["run", str(folder), "--out", str(out), "-q"])
    assert again.exit_code == 0, again.output
    (new,) = run_dirs(out, "Valmont participation")
    previous = _manifest(new)["clustering"]["incremental"]["previous_run"]
    assert Path(previous).parent == legacy
    shutil.rmtree(out / "Valmont participation")
    resumed = runner.invoke(app, ["batch", str(root), "--out", str(out)])
    assert resumed.exit_code == 0, resumed.output
    (latest,) = run_dirs(out, "Valmont participation")
    assert Path(_manifest(latest)["clustering"]["incremental"]["previous_run"]).parent == legacy


def test_a_second_batch_on_the_same_output_is_refused_at_once(tmp_path: Path):
    """The lock is the first thing a batch takes: a second ``ideasynth batch`` (a real
    process) on an output folder a batch holds is refused in one line, in the run's
    language, before Prefect boots or any workshop is read (its broken --config is never
    looked at), not after every workshop was fingerprinted."""
    import subprocess
    import sys
    import time

    from pipeline.batch import batch_lock

    root = tmp_path / "root"
    write_workshop(root / "atelier", texts(0, 6))
    broken = tmp_path / "broken.toml"
    broken.write_text("[cluster\n", encoding="utf-8")
    out = tmp_path / "out"
    # This checkout's command line, whichever one the environment installed.
    command = [sys.executable, "-m", "pipeline.cli", "batch", str(root), "--out", str(out)]
    command += ["--config", str(broken)]
    repo = Path(__file__).parents[1]
    with batch_lock(out):
        t0 = time.perf_counter()
        done = subprocess.run(
            [*command, "--lang", "fr"], capture_output=True, text=True, timeout=120, cwd=repo
        )
        seconds = time.perf_counter() - t0
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("erreur") and str(out.resolve()) in lines[0]
    assert "un autre traitement par lots" in lines[0], lines[0]
    assert "TOML" not in lines[0]  # refused before the config is read
    assert seconds < 15, seconds
    assert list(out.iterdir()) == [out / ".batch.lock"]  # nothing else written

    # Once the lock is released, the same command goes on (to the broken config).
    after = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=repo)
    assert after.returncode == 2 and "TOML" in after.stderr, after.stderr


def test_a_batch_speaks_its_language_in_its_lines_and_its_summary(tmp_path: Path):
    """``--lang fr``: the progress lines, the console's summary, a failure's reason, the
    loose file's warning, recurring.md and recurring.html (``lang='fr'``) are French."""
    from pipeline.i18n import words

    fr = words("fr")
    root = tmp_path / "root"
    write_workshop(root / "atelier", texts(0, 8))
    (root / "vide").mkdir()
    (root / "notes.csv").write_text("Note\nUne note posée à côté\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(root), "--out", str(out), "--lang", "fr"])
    assert result.exit_code == 3, result.output
    said = result.output
    assert fr.gettext("workshop %(index)s of %(total)s", index=1, total=2) + ": atelier: " in said
    assert "le dossier est vide" in said and "folder is empty" not in said
    assert "hors d’un dossier d’atelier, non lu" in said
    assert fr.ngettext("%(num)d workshop", "%(num)d workshops", 2) in said  # the table's title
    for english in ("workshops", "Recurring challenges", "warning:", "failed:", "started"):
        assert english not in said, english
    markdown = (out / "recurring.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Défis récurrents dans 2 ateliers\n")
    assert "\n## Ateliers\n" in markdown and "le dossier est vide" in markdown
    page = (out / "recurring.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html><html lang='fr'>")
    assert "<h2 id='workshops'>Ateliers</h2>" in page
    for english in ("Recurring challenges", " workshops", ">report<", "similarity", "warning:"):
        assert english not in markdown and english not in page, english


def test_a_batch_without_lang_speaks_the_language_its_workshops_settings_name(tmp_path: Path):
    from pipeline.batch import batch_language

    root = tmp_path / "root"
    for name in ("a", "b"):
        write_workshop(root / name, texts(0, 3))
        (root / name / "ideasynth.toml").write_text('[draft]\nlanguage = "de"\n')
    plans = plan_batch(root, tmp_path / "out")
    assert batch_language(plans, None) == "de"
    assert batch_language(plans, "nl") == "nl"
    (root / "b" / "ideasynth.toml").write_text('[draft]\nlanguage = "fr"\n')
    assert batch_language(plan_batch(root, tmp_path / "out"), None) == "en"  # they differ
