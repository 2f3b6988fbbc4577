"""Plain text and Markdown: one note per line, as people type notes during a workshop.

Bullets and numbering are list markup, not content, so they are stripped. Headings
(``# Day 1`` or an underlined title) organise the notes below them and become their
``section``. An indented line under a bullet continues that bullet (a wrapped sentence),
so it is joined to it rather than becoming a note of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, ReadResult
from pipeline.ingest.encoding import decode_text
from pipeline.ingest.errors import ReaderError

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+(?P<title>.*?))?(?:\s+#+)?\s*$")
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-{2,})\s*$")
_RULE = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•–]|\d{1,3}[.)])(?:\s+|$)(?:\[[ xX]\]\s+)?")
_CONTINUATION = re.compile(r"^(?: {2,}|\t)\S")


class TextError(ReaderError):
    """A text file with nothing in it."""


@dataclass
class _Line:
    text: str
    number: int
    section: str | None
    bullet: bool


def strip_bullet(line: str) -> str:
    """The line without a leading list marker ("- ", "* ", "• ", "1. ", "1) ", "- [ ] ")."""
    match = _BULLET.match(line)
    return line[match.end() :] if match else line


def read_text(data: bytes, source: str, config: IngestConfig) -> ReadResult:
    text, _ = decode_text(data, config.encoding)
    if not text.strip():
        raise TextError("file is empty", "write one note per line or remove the file")
    collector = NoteCollector(source, config.max_note_chars)
    for line in parse_lines(text):
        metadata = {"section": line.section} if line.section else {}
        collector.add(line.text, f"line {line.number}", metadata)
    return collector.result()


def parse_lines(text: str) -> list[_Line]:
    """The note lines of a text, with continuations joined and headings turned into sections."""
    notes: list[_Line] = []
    section: str | None = None
    previous: _Line | None = None  # the note on the line just above, if any
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            previous = None
            continue
        heading = _HEADING.match(line)
        if heading:
            section, previous = (heading.group("title") or "").strip() or None, None
        elif _UNDERLINE.match(line) and previous is not None and not previous.bullet:
            section, previous = notes.pop().text.strip(), None  # "Title\n=====" heading
        elif _RULE.match(line):
            previous = None
        elif previous is not None and _continues(previous, line):
            previous.text = f"{previous.text.rstrip()} {line.strip()}"
        else:
            bullet = _BULLET.match(line)
            previous = _Line(strip_bullet(line), number, section, bullet is not None)
            notes.append(previous)
    return notes


def _continues(previous: _Line, line: str) -> bool:
    """An indented non-bullet line right under a bullet wraps that bullet's text."""
    return previous.bullet and bool(_CONTINUATION.match(line)) and not _BULLET.match(line)
