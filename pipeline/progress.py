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
``draft.language``); without one, the notes' most common language, as the drafts will be,
which is known once the notes are prepared: until then a log's lines wait (each keeps the
clock time it happened at) and a terminal's bars are said again in it, so that no run's
progress starts in English and ends in German.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
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


Said = Callable[[Words], str]
"""A line in the words it is said in, once they are known."""


class LineProgress(_Speaking):
    """One plain line per step as it starts and as it ends, flushed at once (a log file);
    without a language asked, the lines until the notes are prepared wait for theirs."""

    def __init__(self, stream: IO[str], lang: str | None = None) -> None:
        super().__init__(lang)
        self.stream = stream
        self.started = time.perf_counter()
        self.current: str | None = None
        self.waiting: list[tuple[datetime, Said]] | None = [] if lang is None else None
        self._line(lambda w: w.gettext(STARTING) + " …")

    def _line(self, said: Said) -> None:
        if self.waiting is not None:
            self.waiting.append((datetime.now(), said))
            return
        self._write(datetime.now(), said(self.w))

    def _write(self, when: datetime, text: str) -> None:
        self.stream.write(f"{when:%H:%M:%S} {text}\n")
        self.stream.flush()

    def close(self) -> None:
        """Write the lines still waiting for the run's language, in the words known now (the
        run ended or failed before its notes were prepared)."""
        waiting, self.waiting = self.waiting or [], None
        for when, said in waiting:
            self._write(when, said(self.w))

    def step(self, name: str) -> None:
        if self.current is None:
            seconds = f"{time.perf_counter() - self.started:.1f}"
            self._line(lambda w: w.gettext("started in %(seconds)s s", seconds=seconds))
        self.current = name
        self._line(lambda w: f"{label(name, w)} …")

    def advance(self, done: int, total: int) -> None:
        """Plain lines only mark a step's start and end; a log has no use for a counter."""

    def end(self, name: str, seconds: float, result: Any) -> None:
        self.heard(name, result)

        def said(w: Words) -> str:
            counts = step_counts(name, result, w)
            done = w.gettext(
                "%(step)s: done in %(seconds)s s", step=label(name, w), seconds=f"{seconds:.1f}"
            )
            return done + (f" ({counts})" if counts else "")

        self._line(said)
        if name == "prepare":  # the notes' language is known: what waited is said in it
            self.close()


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
        self.said: dict[TaskID, Said] = {}
        """Each bar's description, to say it again once the notes' language is known."""

    def __enter__(self) -> BarProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.task is not None and not self.bar.tasks[self.task].finished:
            self.bar.update(self.task, total=1, completed=0)  # a failed step stays unfinished
        self.bar.__exit__(None, None, None)

    def _describe(self, task: TaskID, said: Said) -> None:
        self.said[task] = said
        self.bar.update(task, description=said(self.w))

    def step(self, name: str) -> None:
        if self.starting and self.task is not None:
            self.bar.update(self.task, total=1, completed=1)
            self._describe(self.task, lambda w: w.gettext("started"))
            self.starting = False
        self.task = self.bar.add_task("", total=None, counted="")
        self._describe(self.task, lambda w: label(name, w))

    def advance(self, done: int, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=done, total=total, counted=f"{done}/{total}")

    def end(self, name: str, seconds: float, result: Any) -> None:
        if self.task is None:
            return
        before = self.w
        self.heard(name, result)

        def said(w: Words) -> str:
            counts = step_counts(name, result, w)
            return f"{label(name, w)}: {counts}" if counts else label(name, w)

        total = self.bar.tasks[self.task].total or 1
        self.bar.update(self.task, total=total, completed=total)
        self._describe(self.task, said)
        if self.w is not before:  # the notes' language is known: every bar says it
            for task, description in self.said.items():
                self.bar.update(task, description=description(self.w))


class SilentProgress:
    """``--quiet``: nothing while the run goes on."""

    def step(self, name: str) -> None:
        pass

    def advance(self, done: int, total: int) -> None:
        pass

    def end(self, name: str, seconds: float, result: Any) -> None:
        pass
