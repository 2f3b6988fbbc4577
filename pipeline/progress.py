"""Progress that fits where it goes: bars in a terminal, plain lines in a log, or nothing.

``pipeline.run.run_workshop`` tells a progress object when each step starts (``step``), how
far a long step is (``advance``: notes embedded so far) and when it ends (``end``, with the
step's result). The three front ends here turn that into:

- ``BarProgress``: in a terminal, one bar per step that counts that step's own work, left on
  screen with the step's time and counts once it is done;
- ``LineProgress``: anywhere else (a file, a pipe, an overnight job's log), one plain line
  when a step starts and one when it ends, with the clock time, its duration and its counts;
- ``SilentProgress``: ``--quiet``.

The counts use the report's words, in the run's language (``pipeline.i18n``), so that what
the console says matches what the report says. The language is the one asked for (``--lang``,
``draft.language``); without one, English until the notes are prepared, then the notes' most
common language, as the drafts will be.
"""

from __future__ import annotations

import time
from collections import Counter
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

from pipeline.i18n import LANGUAGES, N_, Words, words

STEP_LABELS = {
    "ingest": N_("reading notes"),
    "prepare": N_("cleaning, detecting languages, splitting"),
    "embed": N_("embedding notes"),
    "cluster": N_("finding themes"),
    "describe": N_("describing themes"),
    "hierarchy": N_("grouping themes into challenges"),
    "categorize": N_("sorting notes into the workshop's categories"),
    "draft": N_("drafting challenge statements"),
    "ground": N_("checking drafts against their notes"),
    "write": N_("writing the report"),
}
STARTING = N_("starting (loading Prefect and the models)")


def label(name: str, w: Words | None = None) -> str:
    w = w or words("en")
    return w.gettext(STEP_LABELS[name]) if name in STEP_LABELS else name


def step_counts(name: str, result: Any, w: Words | None = None) -> str:
    """What a step did, in a few words ("412 notes from 9 files"); "" when it says nothing.

    Duck-typed on the step's result, so that it never fails a run: a result it does not know
    gives ""."""
    try:
        return _counts(name, result, w or words("en"))
    except Exception:  # a front end must never break a run
        return ""


def _counts(name: str, result: Any, w: Words) -> str:
    if name == "ingest":
        notes, files = len(result.notes), len(result.files)
        text = w.gettext(
            "%(notes)s from %(files)s",
            notes=w.ngettext("%(num)d note", "%(num)d notes", notes),
            files=w.ngettext("%(num)d file", "%(num)d files", files),
        )
        if result.errors:
            text += ", " + w.ngettext(
                "%(num)d file skipped", "%(num)d files skipped", len(result.errors)
            )
        if result.rejected:  # the report's "Rejected" counts these and the rejected notes
            text += ", " + w.ngettext(
                "%(num)d row rejected", "%(num)d rows rejected", len(result.rejected)
            )
        return text
    if name == "prepare":
        statuses = [str(getattr(note.status, "value", note.status)) for note in result]
        ideas, rejected = statuses.count("active"), statuses.count("rejected")
        split = statuses.count("split")
        text = w.ngettext("%(num)d idea", "%(num)d ideas", ideas)
        text += ", " + w.ngettext("%(num)d note rejected", "%(num)d notes rejected", rejected)
        return text + (
            ", " + w.ngettext("%(num)d note split", "%(num)d notes split", split) if split else ""
        )
    if name == "embed":
        return w.ngettext("%(num)d idea embedded", "%(num)d ideas embedded", len(result))
    if name == "cluster":
        labels = set(result.labels)
        themes = len(labels - {-1})
        unassigned = sum(1 for x in result.labels if x == -1)
        return w.gettext(
            "%(themes)s, %(unassigned)s unassigned",
            themes=w.ngettext("%(num)d theme", "%(num)d themes", themes),
            unassigned=unassigned,
        )
    if name == "describe":
        return w.ngettext("%(num)d theme described", "%(num)d themes described", len(result))
    if name == "hierarchy":
        return w.ngettext("%(num)d challenge", "%(num)d challenges", len(result[1]))
    if name == "categorize":
        return w.ngettext("%(num)d theme sorted", "%(num)d themes sorted", len(result[1]))
    if name == "draft":
        return w.ngettext("%(num)d draft", "%(num)d drafts", len(result[0]))
    if name == "ground":
        grounded = sum(1 for d in result if getattr(d, "grounded", False))
        return w.gettext("%(grounded)s of %(n)s drafts grounded", grounded=grounded, n=len(result))
    return ""


class _Speaking:
    """The words of a progress front end: the language asked for, else English until the
    notes are prepared, then their most common language."""

    def __init__(self, lang: str | None) -> None:
        self.asked = lang
        self.w = words(lang)

    def heard(self, name: str, result: Any) -> None:
        if self.asked is not None or name != "prepare":
            return
        try:
            found = Counter(
                n.lang
                for n in result
                if str(getattr(n.status, "value", n.status)) == "active" and n.lang in LANGUAGES
            )
        except Exception:  # a front end must never break a run
            return
        if found:
            self.w = words(found.most_common(1)[0][0])


class LineProgress(_Speaking):
    """One plain line per step as it starts and as it ends, flushed at once (a log file)."""

    def __init__(self, stream: IO[str], lang: str | None = None) -> None:
        super().__init__(lang)
        self.stream = stream
        self.started = time.perf_counter()
        self.current: str | None = None
        self._line(self.w.gettext(STARTING) + " …")

    def _line(self, text: str) -> None:
        self.stream.write(f"{datetime.now():%H:%M:%S} {text}\n")
        self.stream.flush()

    def step(self, name: str) -> None:
        if self.current is None:
            seconds = f"{time.perf_counter() - self.started:.1f}"
            self._line(self.w.gettext("started in %(seconds)s s", seconds=seconds))
        self.current = name
        self._line(f"{label(name, self.w)} …")

    def advance(self, done: int, total: int) -> None:
        """Plain lines only mark a step's start and end; a log has no use for a counter."""

    def end(self, name: str, seconds: float, result: Any) -> None:
        self.heard(name, result)
        said = label(name, self.w)
        counts = step_counts(name, result, self.w)
        done = self.w.gettext(
            "%(step)s: done in %(seconds)s s", step=said, seconds=f"{seconds:.1f}"
        )
        self._line(done + (f" ({counts})" if counts else ""))


class BarProgress(_Speaking):
    """One bar per step in a terminal, counting the step's own work where it has a count
    (notes embedded), pulsing where it has none; each stays with its time and counts."""

    def __init__(self, console: Console, lang: str | None = None) -> None:
        super().__init__(lang)
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[counted]}"),  # "120/391" where the step counts its work
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = self.bar.add_task(
            self.w.gettext(STARTING), total=None, counted=""
        )
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
            started = self.w.gettext("started")
            self.bar.update(self.task, description=started, total=1, completed=1)
            self.starting = False
        self.task = self.bar.add_task(label(name, self.w), total=None, counted="")

    def advance(self, done: int, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=done, total=total, counted=f"{done}/{total}")

    def end(self, name: str, seconds: float, result: Any) -> None:
        if self.task is None:
            return
        self.heard(name, result)
        said = label(name, self.w)
        counts = step_counts(name, result, self.w)
        total = self.bar.tasks[self.task].total or 1
        description = f"{said}: {counts}" if counts else said
        self.bar.update(self.task, description=description, total=total, completed=total)


class SilentProgress:
    """``--quiet``: nothing while the run goes on."""

    def step(self, name: str) -> None:
        pass

    def advance(self, done: int, total: int) -> None:
        pass

    def end(self, name: str, seconds: float, result: Any) -> None:
        pass
