"""Read a folder of Day 2 action cards with Day 1's readers: same formats, encodings,
limits, one-line errors and row records (``pipeline.ingest``).

Day 1 looks for a notes column ("Idée", "Tekst", …); an action card's text is in an
"Action", "Actie" or "Maßnahme" column, which Day 1 does not know. A table file whose action
column Day 1 did not take (or a Word table it read cell by cell) is therefore read again
with that column named, so that every row is one card. The other columns become the card's
fields (``pipeline.day2.columns``); in a Markdown or text file, the heading above a card
names its challenge and "(3 gommettes)" at its end gives its votes.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.day2.columns import (
    action_header,
    field_of,
    parse_score,
    parse_votes,
    split_inline_votes,
)
from pipeline.day2.shapes import ActionCard, CardsRead, Said
from pipeline.day2.words import english
from pipeline.ingest import IngestError, ReaderError, ingest
from pipeline.ingest.source_file import read_input
from pipeline.ingest.table import HEADER_ROW
from pipeline.schema import IngestResult, InputFile, RawNote

TABLE_FORMATS = frozenset({"csv", "tsv", "xlsx", "docx", "json", "jsonl"})
_FIRST_ROW_CELL = re.compile(r"row 1 cell \d+$")
SECTION = "section"


def read_cards(folder: Path, config: IngestConfig) -> CardsRead:
    """Every action card under ``folder``. Raises IngestError (one line) when there are none."""
    folder = Path(folder)
    result = ingest(folder, config)
    if folder.is_dir():
        result = _reread_action_columns(folder, result, config)
    by_file: dict[str, InputFile] = {f.path: f for f in result.files}
    fields_in_file = _fields_per_file(result)
    cards = [
        _card(note, by_file.get(note.source), fields_in_file.get(note.source, set()))
        for note in result.notes
    ]
    return CardsRead(
        cards=cards,
        rows=result.rows,
        rejected=result.rejected,
        files=result.files,
        errors=result.errors,
    )


def _headers(result: IngestResult, file: InputFile) -> list[str]:
    """The column names one file showed: its header rows, or the first row of a Word table
    read cell by cell."""
    headers: list[str] = []
    for row in result.rows:
        if row.source == file.path and row.reason == HEADER_ROW:
            headers += row.text.split(" | ")
    headers += [
        n.text for n in result.notes if n.source == file.path and _FIRST_ROW_CELL.search(n.location)
    ]
    return headers


def _reread_action_columns(root: Path, result: IngestResult, config: IngestConfig) -> IngestResult:
    """Read again, naming the action column, each table file whose action column Day 1's
    reader did not take as its text."""
    replaced: dict[str, tuple[IngestResult, InputFile]] = {}
    for file in result.files:
        if file.format not in TABLE_FORMATS:
            continue
        action = action_header(_headers(result, file))
        if action is None or field_of(file.text_column or "") == "action":
            continue
        try:
            read = read_input(
                root / file.path, file.path, config.model_copy(update={"text_column": action})
            )
        except ReaderError:
            continue  # keep what the first reading gave
        again = IngestResult(notes=read.notes, rejected=read.rejected, rows=read.rows)
        replaced[file.path] = (again, read.file)
    if not replaced:
        return result
    out = IngestResult(notes=[], errors=result.errors, skipped=result.skipped)
    for file in result.files:
        if file.path in replaced:
            again, new_file = replaced[file.path]
            out.files.append(new_file)
        else:
            out.files.append(file)
    seen: set[str] = set()
    for row in result.rows:
        if row.source in replaced:
            if row.source not in seen:
                seen.add(row.source)
                out.rows.extend(replaced[row.source][0].rows)
            continue
        out.rows.append(row)
    for note in result.notes:
        if note.source in replaced:
            continue
        out.notes.append(note)
    for again, _ in replaced.values():
        out.notes.extend(again.notes)
        out.rejected.extend(again.rejected)
    out.rejected.extend(r for r in result.rejected if r.source not in replaced)
    order = {row.note_id: i for i, row in enumerate(out.rows) if row.note_id}
    out.notes.sort(key=lambda n: order.get(n.id, len(order)))
    if not out.notes:
        raise IngestError(f"{root}: no action cards found")
    return out


def _fields_per_file(result: IngestResult) -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    for note in result.notes:
        found = fields.setdefault(note.source, set())
        found.update(f for f in map(field_of, note.metadata) if f is not None)
    return fields


def _card(note: RawNote, file: InputFile | None, file_fields: set[str]) -> ActionCard:
    values: dict[str, str] = {}
    for key, value in note.metadata.items():
        field = field_of(key)
        if field is not None and field != "action" and field not in values:
            values[field] = value
    text, inline_votes = split_inline_votes(note.text)
    unread: list[Said] = []

    def not_understood(name: str, problem: str | None) -> None:
        if problem:
            cell = values[name].strip()
            unread.append(Said(code=problem, values={"field": name, "text": cell}))

    votes, problem = parse_votes(values.get("votes", ""))
    not_understood("votes", problem)
    if votes is None:
        votes = inline_votes
    impact, problem = parse_score(values.get("impact", ""))
    not_understood("impact", problem)
    feasibility, problem = parse_score(values.get("feasibility", ""))
    not_understood("feasibility", problem)
    challenge = values.get("challenge")
    if challenge is None and "challenge" not in file_fields:
        challenge = note.metadata.get(SECTION)  # a heading above the cards names it
    return ActionCard(
        id=note.id,
        source=note.source,
        location=note.location,
        text=text,
        challenge_ref=challenge or None,
        votes=votes,
        impact=impact,
        feasibility=feasibility,
        owner=values.get("owner") or None,
        when=values.get("when") or None,
        cost=values.get("cost") or None,
        problems=[english([said]) for said in unread],
        unread=unread,
    )
