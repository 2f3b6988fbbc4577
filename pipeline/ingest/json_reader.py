"""JSON and JSON Lines exports (whiteboard tools, forms, scripts).

A JSON file holds a list of notes, either directly or under a key such as ``"notes"``;
each note is an object (read like a table row) or a plain string. In JSON Lines every line
is a record, so one broken line is rejected on its own instead of losing the whole file, and
the file is streamed line by line. A JSON document must be parsed whole: it is held in
memory, within ``ingest.max_file_mb``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, ReadResult
from pipeline.ingest.columns import TableLayout, detect_layout, normalize_name
from pipeline.ingest.encoding import decode_text
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.source import Source
from pipeline.ingest.table import DETECTION_ROWS

LIST_KEYS = ("notes", "items", "cards", "ideas", "stickies", "records", "entries", "rows", "data")
_EMPTY_HINT = "export the notes again or remove the file"
_FIX_HINT = "fix the file or export it again"

Record = tuple[str, Any]
"""(location, decoded JSON value)."""


class JsonError(ReaderError):
    """A JSON file that is not a readable list of notes."""


def read_json(source: Source, config: IngestConfig) -> ReadResult:
    text, encoding = decode_text(source.read_bytes(), config.encoding, source.cp1252_lines)
    if not text.strip():
        raise JsonError("file is empty", _EMPTY_HINT)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", _FIX_HINT
        ) from None
    except (ValueError, RecursionError) as exc:  # digits over Python's limit, deep nesting
        raise JsonError(f"invalid JSON: {_problem(exc)}", _FIX_HINT) from None
    del text
    items = note_list(value)
    records = [(f"record {number}", item) for number, item in enumerate(items, start=1)]
    result = emit_records(source.collector(config), records, config.text_column)
    result.encoding = encoding
    return result


def read_jsonl(source: Source, config: IngestConfig) -> ReadResult:
    collector = source.collector(config)
    records: list[Record] = []
    for number, raw in enumerate(source.lines(config.encoding), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        location = f"record {number}"
        source.budget.check(len(records) + 1, location)
        try:
            records.append((location, json.loads(line)))
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg} at column {exc.colno}: fix this line"
            records.append((location, InvalidLine(reason, line.strip())))
        except (ValueError, RecursionError) as exc:
            reason = f"invalid JSON: {_problem(exc)}: fix this line"
            records.append((location, InvalidLine(reason, line.strip())))
    if not records:
        raise JsonError("file is empty", _EMPTY_HINT)
    result = emit_records(collector, records, config.text_column)
    result.encoding = source.encoding.label if source.encoding else None
    return result


@dataclass(frozen=True)
class InvalidLine:
    """A JSON Lines record that does not parse; rejected in its place, with the reason."""

    reason: str
    text: str


def _problem(exc: Exception) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)


def note_list(value: Any) -> list[Any]:
    """The list of notes in a decoded JSON document."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        lists = {key: item for key, item in value.items() if isinstance(item, list)}
        for wanted in LIST_KEYS:
            for key, item in lists.items():
                if normalize_name(str(key)) == wanted:
                    return item
        if len(lists) == 1:
            return next(iter(lists.values()))
    raise JsonError(
        "no list of notes found",
        "expected a list, or an object with a list under 'notes', 'items' or 'cards'",
    )


def emit_records(
    collector: NoteCollector, records: Sequence[Record], override: str | None
) -> ReadResult:
    """Add objects (via the detected text key) and strings as notes, in file order."""
    layout = _object_layout([value for _, value in records], override)
    if layout is not None and layout.guessed:
        collector.column_guessed(layout.text_column)
    for location, value in records:
        if isinstance(value, InvalidLine):
            collector.reject(location, value.reason, value.text)
        elif isinstance(value, str):
            collector.add(value, location)
        elif isinstance(value, dict) and layout is not None:
            text, metadata = layout.split([value_text(value.get(key)) for key in layout.headers])
            raw = value.get(layout.headers[layout.text_index])
            if isinstance(raw, bool | int | float):
                kind = "true/false" if isinstance(raw, bool) else "a number"
                reason = f"not a note: its text is {kind} ({text}), not words"
                collector.reject(location, reason, text)
            else:
                collector.add(text, location, metadata)
        else:
            kind = type(value).__name__
            reason = f"not a note: expected an object or a string, got {kind}: remove it"
            if isinstance(value, float) and not math.isfinite(value):
                reason = f"not a note: expected an object or a string, got {value_text(value)}"
            collector.reject(location, reason, value_text(value)[: collector.max_note_chars])
    return collector.result(layout.text_column if layout is not None else None)


def _object_layout(values: Sequence[Any], override: str | None) -> TableLayout | None:
    """Text key for the objects among ``values`` (keys in order of first appearance)."""
    objects = [value for value in values if isinstance(value, dict)]
    if not objects:
        return None
    keys = list(dict.fromkeys(str(key) for obj in objects for key in obj))
    rows = [[value_text(obj.get(key)) for key in keys] for obj in objects[:DETECTION_ROWS]]
    return detect_layout(keys, rows, override)


def value_text(value: Any) -> str:
    """A JSON value as text: scalars as written, lists of scalars comma-joined."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)  # Infinity, -Infinity, NaN: as the file wrote them
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, list) and all(not isinstance(item, list | dict) for item in value):
        return ", ".join(value_text(item) for item in value)
    return json.dumps(value, ensure_ascii=False)
