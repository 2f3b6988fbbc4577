"""Progress that fits where it goes: plain lines in a log, a bar per step in a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from pipeline.config import Config
from pipeline.progress import BarProgress, LineProgress, label
from pipeline.run import run_workshop
from tests.test_run import STEPS, _workshop


def test_a_log_gets_one_line_as_each_step_starts_and_one_as_it_ends(tmp_path: Path):
    log = io.StringIO()
    result, _ = run_workshop(
        _workshop(tmp_path), Config(), tmp_path / "runs", progress=LineProgress(log, "en")
    )
    lines = log.getvalue().splitlines()
    clock = r"\d\d:\d\d:\d\d "
    assert re.fullmatch(clock + r"starting .* …", lines[0])
    assert re.fullmatch(clock + r"started in \d+\.\d s", lines[1])
    expected = []
    for name in STEPS:
        expected += [f"{label(name)} …", f"{label(name)}: done in"]
    assert [
        re.sub("^" + clock, "", line)[: len(e)] for line, e in zip(lines[2:], expected, strict=True)
    ] == expected
    assert all(re.match(clock, line) for line in lines)
    ends = {name: lines[3 + 2 * i] for i, name in enumerate(STEPS)}
    c = result.manifest.counts
    assert f"({c.input_notes} notes from 1 file)" in ends["ingest"]
    assert f"({c.ideas} ideas, {c.rejected} notes rejected" in ends["prepare"]
    assert f"({c.ideas} ideas embedded)" in ends["embed"]
    assert f"({c.themes} themes, {c.unassigned} unassigned)" in ends["cluster"]
    assert f"({len(result.drafts)} drafts)" in ends["draft"]


def test_a_terminal_gets_a_bar_per_step_that_counts_its_own_work(tmp_path: Path):
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with BarProgress(console, "en") as bars:
        result, _ = run_workshop(_workshop(tmp_path), Config(), tmp_path / "runs", progress=bars)
    tasks = bars.bar.tasks
    assert tasks[0].description == "started"
    assert [t.description.split(":")[0] for t in tasks[1:]] == [label(n) for n in STEPS]
    assert all(t.finished for t in tasks)  # each bar is full when its step ends …
    embed = tasks[1 + STEPS.index("embed")]
    ideas = result.manifest.counts.ideas
    assert embed.total == ideas  # … and counts that step's own work
    assert embed.fields["counted"] == f"{ideas}/{ideas}"
    describe = tasks[1 + STEPS.index("describe")]
    assert describe.total == 1  # not the embedder's total left over from the step before
    assert describe.fields["counted"] == ""  # no count of its own to show
    assert describe.description == f"{label('describe')}: {len(result.themes)} themes described"
    assert "embedding notes" in screen.getvalue()


def _german_workshop(tmp_path: Path) -> Path:
    from tests.test_cli import TOPICS

    folder = tmp_path / "werkstatt"
    folder.mkdir()
    texts = [text for notes in TOPICS.values() for lang, text in notes if lang == "de"]
    rows = ["Notiz", *(f'"{text}"' for text in texts * 2)]
    (folder / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_run_in_the_notes_language_speaks_it_from_its_first_line(tmp_path: Path):
    """No language asked: the notes' (German) is the run's, known once they are prepared.
    The log's first lines wait for it, keeping their clock times; the terminal's first bars
    are said again in it. No line starts in English and ends in German."""
    from pipeline.i18n import words

    german = words("de")
    folder = _german_workshop(tmp_path)
    log = io.StringIO()
    run_workshop(folder, Config(), tmp_path / "runs", progress=LineProgress(log, None))
    lines = log.getvalue().splitlines()
    for name in STEPS:
        assert any(label(name, german) + " …" in line for line in lines), name
        assert not any(label(name) in line for line in lines), (name, lines)
    assert german.gettext("starting (loading Prefect and the models)") in lines[0]
    clocks = [line[:8] for line in lines]
    assert clocks == sorted(clocks)  # each line keeps the time it happened at

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with BarProgress(console, None) as bars:
        run_workshop(folder, Config(), tmp_path / "again", progress=bars)
    tasks = bars.bar.tasks
    assert tasks[0].description == german.gettext("started")
    assert [t.description.split(":")[0] for t in tasks[1:]] == [label(n, german) for n in STEPS]


def test_a_log_whose_run_stops_early_still_gets_its_lines(tmp_path: Path):
    log = io.StringIO()
    progress = LineProgress(log, None)
    progress.step("ingest")
    assert log.getvalue() == ""  # waiting for the notes' language
    progress.close()  # the run failed before its notes were prepared
    said = [line[9:] for line in log.getvalue().splitlines()]
    assert len(said) == 3 and re.fullmatch(r"started in \d+\.\d s", said[1])
    assert said[2] == f"{label('ingest')} …"
