"""Progress that fits where it goes: bars in a terminal, plain lines in a log, or nothing.

``pipeline.run.run_workshop`` tells a progress object when each step starts (``step``), how
far a long step is (``advance``: notes embedded so far) and when it ends (``end``, with the
step's result). The three front ends here turn that into:

- ``BarProgress``: in a terminal, one bar per step that counts that step's own work, left on
  screen with the step's time and counts once it is done;
- ``LineProgress``: anywhere else (a file, a pipe, an overnight job's log), one plain line
  when a step starts and one when it ends, with the clock time, its duration and its counts;
- ``SilentProgress``: ``--quiet``.

The counts use the report's words, so that what the console says matches what the report
says.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

STEP_LABELS = {
    "ingest": "reading notes",
    "prepare": "cleaning, detecting languages, splitting",
    "embed": "embedding notes",
    "cluster": "finding themes",
    "describe": "describing themes",
    "hierarchy": "grouping themes into challenges",
    "categorize": "sorting notes into the workshop's categories",
    "draft": "drafting challenge statements",
    "ground": "checking drafts against their notes",
    "write": "writing the report",
}
STARTING = "starting (loading Prefect and the models)"


def label(name: str) -> str:
    return STEP_LABELS.get(name, name)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def step_counts(name: str, result: Any) -> str:
    """What a step did, in a few words ("412 notes from 9 files"); "" when it says nothing.

    Duck-typed on the step's result, so that it never fails a run: a result it does not know
    gives ""."""
    try:
        return _counts(name, result)
    except Exception:  # a front end must never break a run
        return ""


def _counts(name: str, result: Any) -> str:
    if name == "ingest":
        notes, files = len(result.notes), len(result.files)
        text = f"{_plural(notes, 'note')} from {_plural(files, 'file')}"
        if result.errors:
            text += f", {len(result.errors)} files skipped"
        if result.rejected:  # the report's "Rejected" counts these and the rejected notes
            text += f", {_plural(len(result.rejected), 'row')} rejected"
        return text
    if name == "prepare":
        statuses = [str(getattr(n.status, "value", n.status)) for n in result]
        ideas, rejected = statuses.count("active"), statuses.count("rejected")
        split = statuses.count("split")
        text = f"{_plural(ideas, 'idea')}, {_plural(rejected, 'note')} rejected"
        return text + (f", {_plural(split, 'note')} split" if split else "")
    if name == "embed":
        return f"{_plural(len(result), 'idea')} embedded"
    if name == "cluster":
        labels = set(result.labels)
        themes = len(labels - {-1})
        unassigned = sum(1 for x in result.labels if x == -1)
        return f"{_plural(themes, 'theme')}, {unassigned} unassigned"
    if name == "describe":
        return f"{_plural(len(result), 'theme')} described"
    if name == "hierarchy":
        return f"{_plural(len(result[1]), 'challenge')}"
    if name == "categorize":
        return f"{_plural(len(result[1]), 'theme')} sorted"
    if name == "draft":
        return f"{_plural(len(result[0]), 'draft')}"
    if name == "ground":
        grounded = sum(1 for d in result if getattr(d, "grounded", False))
        return f"{grounded} of {len(result)} drafts grounded"
    return ""


class LineProgress:
    """One plain line per step as it starts and as it ends, flushed at once (a log file)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.started = time.perf_counter()
        self.current: str | None = None
        self._line(f"{STARTING} …")

    def _line(self, text: str) -> None:
        self.stream.write(f"{datetime.now():%H:%M:%S} {text}\n")
        self.stream.flush()

    def step(self, name: str) -> None:
        if self.current is None:
            self._line(f"started in {time.perf_counter() - self.started:.1f} s")
        self.current = name
        self._line(f"{label(name)} …")

    def advance(self, done: int, total: int) -> None:
        """Plain lines only mark a step's start and end; a log has no use for a counter."""

    def end(self, name: str, seconds: float, result: Any) -> None:
        counts = step_counts(name, result)
        self._line(f"{label(name)}: done in {seconds:.1f} s" + (f" ({counts})" if counts else ""))


class BarProgress:
    """One bar per step in a terminal, counting the step's own work where it has a count
    (notes embedded), pulsing where it has none; each stays with its time and counts."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[counted]}"),  # "120/391" where the step counts its work
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = self.bar.add_task(STARTING, total=None, counted="")
        self.starting = True

    def __enter__(self) -> BarProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.task is not None and not self.bar.tasks[self.task].finished:
            self.bar.update(self.task, total=1, completed=0)  # a failed step stays unfinished
        self.bar.__exit__(None, None, None)

    def step(self, name: str) -> None:
        if self.starting and self.task is not None:
            self.bar.update(self.task, description="started", total=1, completed=1)
            self.starting = False
        self.task = self.bar.add_task(label(name), total=None, counted="")

    def advance(self, done: int, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=done, total=total, counted=f"{done}/{total}")

    def end(self, name: str, seconds: float, result: Any) -> None:
        if self.task is None:
            return
        counts = step_counts(name, result)
        total = self.bar.tasks[self.task].total or 1
        description = f"{label(name)}: {counts}" if counts else label(name)
        self.bar.update(self.task, description=description, total=total, completed=total)


class SilentProgress:
    """``--quiet``: nothing while the run goes on."""

    def step(self, name: str) -> None:
        pass

    def advance(self, done: int, total: int) -> None:
        pass

    def end(self, name: str, seconds: float, result: Any) -> None:
        pass
