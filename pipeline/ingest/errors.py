"""Errors of the ingest step, all reported to people as one line naming the file.

Readers raise a ``ReaderError`` subclass with the problem and what to do about it; the step
turns it into ``"<file>: <problem> (<what to do>)"``, which goes into ``IngestResult.errors``
for a folder, or is raised as ``IngestError`` when the user gave that single file.
"""

from __future__ import annotations


class IngestError(Exception):
    """Nothing usable could be ingested; the message is one line: file, problem, remedy."""


class ReaderError(Exception):
    """A file that cannot be read at all; the folder carries on without it."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem = _one_line(problem)
        self.hint = _one_line(hint) if hint else None

    def message(self) -> str:
        """Problem and remedy, without the file name."""
        return f"{self.problem} ({self.hint})" if self.hint else self.problem

    def line(self, source: str) -> str:
        """The one-line message for people, naming the file."""
        return f"{source}: {self.message()}"


def _one_line(text: str) -> str:
    """Library messages sometimes span lines; a report line must not."""
    return " ".join(text.split())
