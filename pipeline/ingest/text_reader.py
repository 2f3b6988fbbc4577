"""Plain text and Markdown: one note per line, as people type notes during a workshop.

Bullets and numbering are list markup, not content, so they are stripped. Headings
(``# Day 1`` or an underlined title) organise the notes below them and become their
``section``. An indented line under a bullet continues that bullet (a wrapped sentence),
so it is joined to it rather than becoming a note of its own.

Every non-blank line is accounted for: it is a note, a rejected row, or a structure row
(heading, rule, continuation) with the reason. Lines are streamed, one note held back at a
time, so a file of a million lines is never held in memory as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.config import IngestConfig
from pipeline.ingest.collect import ReadResult
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.source import Source

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+(?P<title>.*?))?(?:\s+#+)?\s*$")
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-{2,})\s*$")
_RULE = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•–]|\d{1,3}[.)])(?:\s+|$)(?:\[[ xX]\]\s+)?")
_CONTINUATION = re.compile(r"^(?: {2,}|\t)\S")

HEADING = "heading (the section of the notes below)"
UNDERLINE = "heading underline"
RULE = "horizontal rule"


class TextError(ReaderError):
    """A text file with nothing in it."""


@dataclass
class _Line:
    text: str
    number: int
    section: str | None
    bullet: bool = False
    structure: str | None = None
    """Why this line is not a note (heading, rule, continuation); ``None`` for a note."""


def strip_bullet(line: str) -> str:
    """The line without a leading list marker ("- ", "* ", "• ", "1. ", "1) ", "- [ ] ")."""
    match = _BULLET.match(line)
    return line[match.end() :] if match else line


def read_text(source: Source, config: IngestConfig) -> ReadResult:
    collector = source.collector(config)
    for line in parse_lines(source.lines(config.encoding)):
        where = f"line {line.number}"
        if line.structure is not None:
            collector.structure(where, line.structure, line.text)
        else:
            metadata = {"section": line.section} if line.section else {}
            collector.add(line.text, where, metadata)
    if collector.row_count == 0:
        raise TextError("file is empty", "write one note per line or remove the file")
    result = collector.result()
    result.encoding = source.encoding.label if source.encoding else None
    return result


def parse_lines(lines: Iterable[str]) -> Iterator[_Line]:
    """Every non-blank line, in order: notes (continuations joined) and structure lines.

    A note is held back until the next line shows whether it continues or underlines it.
    """
    section: str | None = None
    pending: list[_Line] = []  # the note on the line just above and its continuation lines
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        note = pending[0] if pending else None
        if not line.strip():
            yield from _flush(pending)
        elif heading := _HEADING.match(line):
            yield from _flush(pending)
            section = (heading.group("title") or "").strip() or None
            yield _Line(line.strip(), number, section, structure=HEADING)
        elif _UNDERLINE.match(line) and note is not None and not note.bullet:
            section = note.text.strip()  # "Title\n=====" heading
            pending.clear()
            yield _Line(note.text, note.number, section, structure=HEADING)
            yield _Line(line.strip(), number, section, structure=UNDERLINE)
        elif _RULE.match(line):
            yield from _flush(pending)
            yield _Line(line.strip(), number, section, structure=RULE)
        elif note is not None and _continues(note, line):
            note.text = f"{note.text.rstrip()} {line.strip()}"
            reason = f"continues the note on line {note.number}"
            pending.append(_Line(line.strip(), number, section, structure=reason))
        else:
            yield from _flush(pending)
            bullet = _BULLET.match(line) is not None
            pending.append(_Line(strip_bullet(line), number, section, bullet))
    yield from _flush(pending)


def _flush(pending: list[_Line]) -> Iterator[_Line]:
    yield from pending
    pending.clear()


def _continues(previous: _Line, line: str) -> bool:
    """An indented non-bullet line right under a bullet wraps that bullet's text."""
    return previous.bullet and bool(_CONTINUATION.match(line)) and not _BULLET.match(line)
