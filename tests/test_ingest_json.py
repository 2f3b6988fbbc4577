"""JSON and JSON Lines: lists of objects or strings, wrapped lists, broken lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
from pipeline.schema import IngestResult


def ingest_json(tmp_path: Path, name: str, text: str) -> IngestResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest(path, IngestConfig())


def test_list_of_objects(tmp_path: Path) -> None:
    records = [
        {
            "id": 7,
            "content": "Un jardin partagé",
            "author": "Ann",
            "votes": 3,
            "tags": ["vert", "quartier"],
        },
        {"id": 8, "content": "  ", "author": "Bob"},
        {"id": 9, "content": "Zone 30", "author": None, "done": True, "extra": {"a": 1}},
    ]

    result = ingest_json(tmp_path, "board.json", json.dumps(records))

    assert [(n.text, n.location) for n in result.notes] == [
        ("Un jardin partagé", "record 1"),
        ("Zone 30", "record 3"),
    ]
    assert result.notes[0].metadata == {
        "id": "7",
        "author": "Ann",
        "votes": "3",
        "tags": "vert, quartier",
    }
    assert result.notes[1].metadata == {"id": "9", "done": "true", "extra": '{"a": 1}'}
    assert [(r.location, r.reason) for r in result.rejected] == [("record 2", "empty text")]
    assert (result.files[0].format, result.files[0].text_column) == ("json", "content")


@pytest.mark.parametrize("key", ["notes", "Items", "cards"])
def test_object_with_a_list_under_a_known_key(tmp_path: Path, key: str) -> None:
    document = {"board": "Atelier", "meta": [1, 2], key: [{"text": "a"}, {"text": "b"}]}

    result = ingest_json(tmp_path, "board.json", json.dumps(document))

    assert [n.text for n in result.notes] == ["a", "b"]


def test_list_of_strings_and_odd_values(tmp_path: Path) -> None:
    result = ingest_json(tmp_path, "list.json", '["Plus de bancs", 42, "Moins de bruit"]')

    assert [(n.text, n.location) for n in result.notes] == [
        ("Plus de bancs", "record 1"),
        ("Moins de bruit", "record 3"),
    ]
    assert [(r.location, r.reason) for r in result.rejected] == [
        ("record 2", "not a note: expected an object or a string, got int: remove it")
    ]
    assert result.files[0].text_column is None


def test_object_without_a_list(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as error:
        ingest_json(tmp_path, "config.json", '{"a": 1, "b": "x"}')

    assert str(error.value) == (
        "config.json: no list of notes found (expected a list, or an object with a list "
        "under 'notes', 'items' or 'cards')"
    )


def test_jsonl_broken_line_is_rejected_alone(tmp_path: Path) -> None:
    lines = [
        '{"notiz": "Mehr Bäume", "autor": "Jo"}',
        "",
        '{"notiz": "Kaputt", ',
        '{"notiz": "Leise Straßen"}',
    ]

    result = ingest_json(tmp_path, "stream.jsonl", "\n".join(lines))

    assert [(n.text, n.location, n.metadata) for n in result.notes] == [
        ("Mehr Bäume", "record 1", {"author": "Jo"}),
        ("Leise Straßen", "record 4", {}),
    ]
    assert [(r.location, r.reason, r.text) for r in result.rejected] == [
        (
            "record 3",
            "invalid JSON: Expecting property name enclosed in double quotes at column 21: "
            "fix this line",
            '{"notiz": "Kaputt",',
        )
    ]
    file = result.files[0]
    assert (file.format, file.notes, file.rejected, file.text_column) == ("jsonl", 2, 1, "notiz")
