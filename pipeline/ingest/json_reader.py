"""JSON and JSON Lines exports (whiteboard tools, forms, scripts).

A JSON file holds a list of notes, either directly or under a key such as ``"notes"``;
each note is an object (read like a table row) or a plain string. In JSON Lines every line
is a record, so one broken line is rejected on its own instead of losing the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, ReadResult
from pipeline.ingest.columns import TableLayout, detect_layout, normalize_name
from pipeline.ingest.encoding import decode_text
from pipeline.ingest.errors import ReaderError

LIST_KEYS = ("notes", "items", "cards", "ideas", "stickies", "records", "entries", "rows", "data")
_EMPTY_HINT = "export the notes again or remove the file"
_FIX_HINT = "fix the file or export it again"

Record = tuple[str, Any]
"""(location, decoded JSON value)."""


class JsonError(ReaderError):
    """A JSON file that is not a readable list of notes."""


def read_json(data: bytes, source: str, config: IngestConfig) -> ReadResult:
    text = _decode(data, config)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", _FIX_HINT
        ) from None
    items = note_list(value)
    records = [(f"record {number}", item) for number, item in enumerate(items, start=1)]
    return emit_records(NoteCollector(source, config.max_note_chars), records, config.text_column)


def read_jsonl(data: bytes, source: str, config: IngestConfig) -> ReadResult:
    text = _decode(data, config)
    collector = NoteCollector(source, config.max_note_chars)
    records: list[Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"record {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg} at column {exc.colno}"
            collector.reject(f"record {number}", reason, line.strip())
    return emit_records(collector, records, config.text_column)


def _decode(data: bytes, config: IngestConfig) -> str:
    text, _ = decode_text(data, config.encoding)
    if not text.strip():
        raise JsonError("file is empty", _EMPTY_HINT)
    return text


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
    for location, value in records:
        if isinstance(value, str):
            collector.add(value, location)
        elif isinstance(value, dict) and layout is not None:
            text, metadata = layout.split([value_text(value.get(key)) for key in layout.headers])
            collector.add(text, location, metadata)
        else:
            kind = type(value).__name__
            collector.reject(location, f"not a note: expected an object or a string, got {kind}")
    return collector.result(layout.text_column if layout is not None else None)


def _object_layout(values: Sequence[Any], override: str | None) -> TableLayout | None:
    """Text key for the objects among ``values`` (keys in order of first appearance)."""
    objects = [value for value in values if isinstance(value, dict)]
    if not objects:
        return None
    keys = list(dict.fromkeys(str(key) for obj in objects for key in obj))
    rows = [[value_text(obj.get(key)) for key in keys] for obj in objects]
    return detect_layout(keys, rows, override)


def value_text(value: Any) -> str:
    """A JSON value as text: scalars as written, lists of scalars comma-joined."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, list) and all(not isinstance(item, list | dict) for item in value):
        return ", ".join(value_text(item) for item in value)
    return json.dumps(value, ensure_ascii=False)
