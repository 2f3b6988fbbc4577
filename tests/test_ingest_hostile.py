"""Hostile input at the reader level: every row accounted for, every problem one clear line."""

from __future__ import annotations

import codecs
import importlib.util
import itertools
import os
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from pipeline.config import IngestConfig, config_for_input
from pipeline.ingest import IngestError, ingest
from pipeline.ingest.collect import NoteCollector, RowBudget, RowLimitError
from pipeline.ingest.columns import MAX_METADATA
from pipeline.ingest.csv_reader import csv_records
from pipeline.ingest.docx_reader import MAX_TABLE_DEPTH
from pipeline.ingest.encoding import cp1252_reading
from pipeline.ingest.ooxml import MAX_ROWS, MAX_SHARED_STRINGS
from pipeline.ingest.problems import StrictInputError, input_problems
from pipeline.ingest.source import Source
from pipeline.ingest.source_file import read_input
from pipeline.ingest.table import HEADER_REPEATED, emit_table
from pipeline.ingest.text_reader import parse_lines
from pipeline.ingest.xlsx_reader import NOT_A_NOTE_BOOLEAN
from pipeline.schema import RowStatus
from tests.hostile_files import (
    NESTED_DEPTH,
    TEXT_BOX_NOTES,
    TRACKED_DELETED,
    TRACKED_INSERTED,
    Hostile,
    write_hostile_folder,
    write_inline_workbook,
    write_nested_tables,
    write_shared_strings_bomb,
)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Hostile]]:
    root = tmp_path_factory.mktemp("hostile") / "atelier"
    return root, write_hostile_folder(root)


@pytest.fixture(scope="module")
def hostile(hostile_files: tuple[Path, list[Hostile]]) -> Path:
    return hostile_files[0]


def test_hostile_folder_every_row_of_every_file_is_accounted_for(
    hostile_files: tuple[Path, list[Hostile]],
) -> None:
    hostile, expected = hostile_files
    assert len(expected) >= 30

    result = ingest(hostile, config_for_input(hostile).ingest)

    rows = Counter(row.source for row in result.rows)
    assert rows == {file.name: file.expected_rows for file in expected}
    skipped = {row.source for row in result.rows if row.status is RowStatus.SKIPPED_FILE}
    assert skipped == {file.name for file in expected if file.skipped}
    warned = {file.name for file in expected if file.skipped and not file.ignored}
    assert sorted(line.split(":")[0] for line in result.errors) == sorted(warned)
    for row in result.rows:
        assert (row.status is RowStatus.NOTE) == (row.note_id is not None)
        assert (row.status is RowStatus.NOTE) or row.reason, row
    assert [row.note_id for row in result.rows if row.note_id] == [n.id for n in result.notes]
    assert sum(row.status is RowStatus.REJECTED_ROW for row in result.rows) == len(result.rejected)


def test_every_problem_is_one_line_naming_the_file_and_place(hostile: Path) -> None:
    result = ingest(hostile, config_for_input(hostile).ingest)

    problems = input_problems(result)

    assert all("\n" not in line and line.count(": ") >= 1 for line in problems)
    assert (
        "long_note.txt: line 2: text too long (450 characters; ingest.max_note_chars is 400): "
        "split it into notes or raise the limit" in problems
    )
    assert any(
        line.startswith("merged_formulas.xlsx: sheet Idées row 6: formula =A2") for line in problems
    )
    assert (
        "notes.jsonl: record 4: not a note: expected an object or a string, got int: remove it"
        in problems
    )
    assert not any("unexpected error" in line for line in problems)
    assert [line for line in problems if line.startswith("cp1252_")] == [
        "cp1252_mixed.txt: line 1: read as cp1252, because as UTF-8 it gives characters no one "
        "types there; check its accents, or save the file as UTF-8 and run again",
        "cp1252_valid_utf8.txt: line 2: kept as UTF-8, though it gives characters that cp1252 "
        "text read as UTF-8 gives; check its accents, or save the file as UTF-8 and run again",
    ]
    assert not any("empty text" in line for line in problems)  # nothing was lost there


def test_hostile_texts_are_read_right(hostile: Path) -> None:
    notes = {
        (n.source, n.location): n for n in ingest(hostile, config_for_input(hostile).ingest).notes
    }

    assert notes["mixed_encodings.txt", "line 1"].text == "Crème brûlée pour tous"
    assert notes["mixed_encodings.txt", "line 2"].text == "Straße für Übung – 5 €"
    assert (
        notes["excel_cp1252_semicolons.csv", "row 2"].text == "Des bancs à l'ombre, près de l'école"
    )
    assert notes["excel_cp1252_semicolons.csv", "row 2"].metadata == {"author": "Zoë", "table": "3"}
    assert notes["utf16_bom.txt", "line 2"].text == "Mehr Sitzbänke"
    assert notes["nul_bytes.csv", "row 2"].text == "More shade in the park"
    assert notes["stray_quote.csv", "row 4"].text == "More benches"
    assert notes["stray_quote.csv", "row 5"].text == "Safe crossings, near schools"
    assert notes["miro_export.csv", "row 2"].text == "Plus de pistes cyclables\nsur les grands axes"
    assert notes["miro_export.csv", "row 2"].metadata["tags"] == "mobilité, vélo"
    assert notes["mural_export.tsv", "row 3"].metadata == {
        "color": "pink", "area": "Doen", "votes": "0", "created by": "Els"
    }  # fmt: skip
    assert notes["line_endings.txt", "line 6"].text == "fifth"
    # Never silent mojibake: cp1252 bytes that happen to be valid UTF-8 ("É”" is "ɔ") are
    # read as cp1252 in a file that holds cp1252 elsewhere; in a file that is UTF-8
    # throughout they are kept as written. Either way a warning names the line.
    assert notes["cp1252_valid_utf8.txt", "line 2"].text == "Le projet est ACCEPTɔ selon la mairie"
    assert notes["cp1252_valid_utf8.txt", "line 3"].text == "Une idée normale"
    assert notes["cp1252_mixed.txt", "line 1"].text == "“SÍ” pour tous"
    assert notes["cp1252_mixed.txt", "line 2"].text == "“Café” ouvert"
    assert notes["link_inside.txt", "line 1"].text == "Une note rangée à part"


def test_junk_is_structure_or_rejected_never_a_note(hostile: Path) -> None:
    result = ingest(hostile, config_for_input(hostile).ingest)
    notes = {(n.source, n.location): n for n in result.notes}
    rows = {(r.source, r.location): (r.status, r.reason) for r in result.rows}

    # The second export's header row (after a BOM) is structure, not the note "Note".
    assert rows["pasted_exports.csv", "row 3"] == (RowStatus.STRUCTURE, HEADER_REPEATED)
    assert [n.text for n in result.notes if n.source == "pasted_exports.csv"] == [
        "Plus de bancs au parc",
        "Des arbres rue Haute",
    ]
    # TRUE in the text column is a rejected row with its reason; TRUE beside a note is
    # that note's metadata.
    assert rows["booleans.xlsx", "sheet Sheet row 3"] == (
        RowStatus.REJECTED_ROW,
        NOT_A_NOTE_BOOLEAN,
    )
    assert notes["booleans.xlsx", "sheet Sheet row 2"].metadata == {"urgent": "TRUE"}
    assert [n.text for n in result.notes if n.source == "booleans.xlsx"] == [
        "Une fontaine",
        "Un banc",
    ]
    # Infinity, a number, true are not notes; the word "TRUE" is.
    assert [n.text for n in result.notes if n.source == "not_words.json"] == [
        "Un marché couvert",
        "TRUE",
    ]
    assert notes["not_words.json", "record 1"].metadata == {"votes": "Infinity"}
    for record, kind in ((2, "a number (Infinity)"), (3, "a number (12)"), (4, "true/false")):
        status, reason = rows["not_words.json", f"record {record}"]
        assert status is RowStatus.REJECTED_ROW and f"its text is {kind}" in str(reason)
    assert not any(n.text.lower() in ("inf", "note", "infinity") for n in result.notes)


def test_json_lines_that_look_like_cp1252_are_named_too(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_bytes(b'[\n"Un avis ACCEPT\xc9\x94 par tous",\n"ok"\n]\n')
    result = ingest(tmp_path, IngestConfig())
    assert result.files[0].cp1252_lines == [2]
    assert input_problems(result)[0].startswith("notes.json: line 2: kept as UTF-8")


@pytest.mark.parametrize(
    "text",
    [
        unicodedata.normalize("NFD", "École, élève, où, ça, Ü"),  # decomposed accents
        "Strada Ștefan și Țara",
        "Zażółć gęślą jaźń, Œuvre",
        "Ελληνικά κείμενα, Москва в центре, עברית, العربية",
        "πr² est l'aire, COVID α",
        "Wi-Fi免费 partout, 東京",
        "司機的收入比uber好，uber司機收入是計程車車資六成。",  # Chinese with a Latin word
        "tiếng Việt ơ ư, pinyin mǎ",
        "Hawaiʻi, ʼokina, “quotes” ‘single’ – … € ™",
        "😀 emoji 👍🏽",
    ],
)
def test_text_people_type_is_never_taken_for_cp1252(text: str) -> None:
    assert cp1252_reading(text) is None


@pytest.mark.parametrize(
    ("utf8", "cp1252"),
    [
        ("Le projet est ACCEPTɔ selon la mairie", "Le projet est ACCEPTÉ” selon la mairie"),
        ("“S͔", "“SÍ”"),
        ("CAFÉ et THÉÆ€", "CAFÉ et THÉÆ€"),  # "Æ€" is cp1252 and UTF-8 alike
        ("LE MUSÉE DU QUAIД", "LE MUSÉE DU QUAIÐ”"),
    ],
)
def test_cp1252_bytes_read_as_utf8_are_found(utf8: str, cp1252: str) -> None:
    assert (cp1252_reading(utf8) or utf8) == cp1252


def test_word_tracked_changes_keep_insertions_and_drop_deletions(hostile: Path) -> None:
    texts = [n.text for n in ingest(hostile / "tracked_changes.docx", IngestConfig()).notes]

    assert texts == [
        TRACKED_INSERTED,
        "Une idée dans un champ de formulaire",  # inside a content control
        "Un abri pour les vélos",  # commented: the comment is not a note
        "Un marché de nuit",
        "Un kiosque",
    ]
    assert not any(TRACKED_DELETED in text or "Déjà proposé" in text for text in texts)


def test_word_text_boxes_are_read_once(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    namespaces = (
        f'{nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    box = parse_xml(
        f"<w:p {namespaces}><w:r><w:t>Avant </w:t></w:r><w:r>"
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        "<w:p><w:r><w:t>boîte</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>boîte</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:t>après</w:t></w:r></w:p>"
    )
    document.element.body.insert(0, box)
    document.save(str(tmp_path / "box.docx"))

    notes = ingest(tmp_path / "box.docx", IngestConfig()).notes
    assert [(n.location, n.text) for n in notes] == [
        ("paragraph 1", "Avant après"),
        ("text box 1 paragraph 1", "boîte"),  # stored twice, read once
    ]


def test_word_text_boxes_are_notes(hostile: Path) -> None:
    """Two notes in a text box were lost with exit 0, no warning and no ledger row."""
    result = ingest(hostile / "text_boxes.docx", IngestConfig())
    assert [(n.location, n.text) for n in result.notes] == [
        ("paragraph 1", "Les post-it de la table 2 :"),
        ("text box 1 paragraph 1", TEXT_BOX_NOTES[0]),
        ("text box 1 paragraph 2", TEXT_BOX_NOTES[1]),
        ("text box 2 paragraph 1", TEXT_BOX_NOTES[2]),  # an old Word's VML box
        ("paragraph 2", "Fin des notes"),
    ]


def test_word_nested_tables_are_split_into_their_cells_notes(hostile: Path) -> None:
    """50 tables nested in each other's cells folded into one 2,617-character note."""
    result = ingest(hostile / "nested_tables.docx", IngestConfig())
    texts = [n.text for n in result.notes]
    assert texts == [f"Idée du niveau {depth}" for depth in range(NESTED_DEPTH)]
    assert result.notes[1].location == "table 1 row 1 cell 1 table 1 row 1 cell 1"
    assert all(len(text) < 30 for text in texts)


def test_tables_nested_past_the_limit_are_rejected_with_the_reason(tmp_path: Path) -> None:
    write_nested_tables(tmp_path / "deep.docx", MAX_TABLE_DEPTH + 3)
    result = ingest(tmp_path / "deep.docx", IngestConfig())
    assert len(result.notes) == MAX_TABLE_DEPTH + 1
    (rejected,) = result.rejected
    assert "nested more than 64 deep" in rejected.reason
    assert f"Idée du niveau {MAX_TABLE_DEPTH + 1}" in (rejected.text or "")


def test_excel_merged_cells_and_dead_formulas(hostile: Path) -> None:
    result = ingest(hostile / "merged_formulas.xlsx", IngestConfig())

    assert [(n.location, n.text, n.metadata) for n in result.notes] == [
        ("sheet Idées row 2", "Plus de bancs", {"table": "Table 1"}),
        ("sheet Idées row 3", "Des arbres", {"table": "Table 1"}),  # the merged cell above
        ("sheet Idées row 4", "Une note sur deux lignes fusionnées", {"table": "Table 2"}),
    ]
    rows = {row.location: (row.status, row.reason) for row in result.rows}
    assert rows["sheet Idées row 5"] == (
        RowStatus.STRUCTURE,
        "part of the merged cell that starts on row 4",
    )
    assert rows["sheet Idées row 6"][0] is RowStatus.REJECTED_ROW
    assert str(rows["sheet Idées row 7"][1]).startswith("formula =1/0 gives no text")


# --- encodings ------------------------------------------------------------------------------


def test_utf16_without_bom_and_stray_nuls(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes("première\nzweite\n".encode("utf-16-le"))
    (tmp_path / "nul.txt").write_bytes(b"une\x00 note\n")

    result = ingest(tmp_path, IngestConfig())

    assert [n.text for n in result.notes] == ["une note", "première", "zweite"]
    assert [f.encoding for f in result.files] == ["utf-8", "utf-16-le"]


def test_many_nuls_mean_binary(tmp_path: Path) -> None:
    (tmp_path / "n.csv").write_bytes(b"text\n" + b"a\x00\x00b\n" * 50)

    with pytest.raises(IngestError, match=r"binary data, not text \(it holds NUL bytes\)"):
        ingest(tmp_path / "n.csv", IngestConfig())


def test_mixed_file_reports_its_encoding(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + "idée\n".encode()
    (tmp_path / "bom.txt").write_bytes(data)
    (tmp_path / "mixed.txt").write_bytes("é\n".encode() + "è\n".encode("cp1252"))

    files = {f.path: f.encoding for f in ingest(tmp_path, IngestConfig()).files}

    assert files == {"bom.txt": "utf-8-sig", "mixed.txt": "utf-8 + cp1252"}


# --- links, special and unreadable files ----------------------------------------------------


def test_links_are_followed_only_inside_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("note a\n")
    (tmp_path / "secret.txt").write_text("not a workshop note\n")
    (root / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "alias").symlink_to(root / "sub", target_is_directory=True)
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)

    result = ingest(root, IngestConfig())

    assert [(n.source, n.text) for n in result.notes] == [("alias/a.txt", "note a")]
    assert result.errors == [
        "alias/back: link loop: this folder is already being read (remove it)",
        f"out.txt: link to {tmp_path / 'secret.txt'}, outside the input folder: not followed "
        "(copy the file into the folder if it holds notes)",
        "sub/a.txt: same file as alias/a.txt: read once (remove the link)",
        "sub/back: link loop: this folder is already being read (remove it)",
        f"up: link to {tmp_path}, outside the input folder: not followed "
        "(copy the file into the folder if it holds notes)",
    ]


def test_link_to_itself_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "ok.txt").write_text("ok note\n")

    result = ingest(tmp_path, IngestConfig())

    assert len(result.errors) == 1
    assert result.errors[0].startswith("self.txt: link loop")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_pipe_never_blocks_the_run(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "notes.txt")

    with pytest.raises(IngestError) as error:
        ingest(tmp_path / "notes.txt", IngestConfig())

    assert str(error.value) == (
        f"{tmp_path / 'notes.txt'}: not a file or a folder (give a notes file or a folder)"
    )


def test_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, where chmod 000 changes nothing: opening is made to fail instead."""
    (tmp_path / "locked.csv").write_text("text\nune note\n")
    (tmp_path / "ok.txt").write_text("autre note\n")
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)

    result = ingest(tmp_path, IngestConfig())

    assert [n.text for n in result.notes] == ["autre note"]
    assert result.errors == [
        "locked.csv: cannot open file: Permission denied (check its permissions)"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("note\n")
    path.chmod(0)
    (tmp_path / "ok.txt").write_text("autre\n")
    try:
        result = ingest(tmp_path, IngestConfig())
    finally:
        path.chmod(0o644)

    assert result.errors == [
        "locked.txt: cannot open file: Permission denied (check its permissions)"
    ]


# --- limits and streaming -------------------------------------------------------------------


def test_a_file_over_the_row_limit_is_skipped_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("".join(f"note {i}\n" for i in range(8)))
    (tmp_path / "b.txt").write_text("".join(f"autre {i}\n" for i in range(5)))

    result = ingest(tmp_path, IngestConfig(max_rows=10))

    assert [n.source for n in result.notes] == ["a.txt"] * 8
    assert result.errors == [
        "b.txt: too many rows: line 3 would take the run past 10 rows (ingest.max_rows); the "
        "file was not read (split the file or the workshop, or raise ingest.max_rows)"
    ]


def _endless_lines() -> Iterator[str]:
    for number in itertools.count(1):
        yield f"note {number};table {number % 7}\n"


def test_text_lines_are_streamed() -> None:
    """An endless source gives its first notes at once: nothing waits for the end of input."""
    first = list(itertools.islice(parse_lines(_endless_lines()), 3))

    assert [(line.number, line.text) for line in first] == [
        (1, "note 1;table 1"),
        (2, "note 2;table 2"),
        (3, "note 3;table 3"),
    ]


def test_csv_records_are_streamed_and_bounded_by_the_row_budget() -> None:
    header = iter(["idée;table\n"])
    records = csv_records(itertools.chain(header, _endless_lines()), ";")
    assert [cells for _, cells in itertools.islice(records, 2)] == [
        ["idée", "table"],
        ["note 1", "table 1"],
    ]

    collector = NoteCollector("endless.csv", 100, RowBudget(5000))
    endless = csv_records(itertools.chain(iter(["idée;table\n"]), _endless_lines()), ";")
    with pytest.raises(RowLimitError, match="row 5001 would take the run past 5,000 rows"):
        emit_table(collector, endless, None)


def test_endless_text_file_stops_at_the_row_budget(tmp_path: Path) -> None:
    """The reader on an endless source: stopped by the budget, not by memory."""
    source = Source(tmp_path / "endless.txt", "endless.txt", RowBudget(2000))
    source.lines = lambda forced_encoding=None: _endless_lines()  # type: ignore[method-assign]
    from pipeline.ingest.text_reader import read_text

    with pytest.raises(RowLimitError):
        read_text(source, IngestConfig())


# --- strict ---------------------------------------------------------------------------------


def test_strict_lists_every_problem(hostile_files: tuple[Path, list[Hostile]]) -> None:
    hostile, expected = hostile_files
    config = config_for_input(hostile).ingest.model_copy(update={"strict": True})

    with pytest.raises(StrictInputError) as error:
        ingest(hostile, config)

    warned = sum(file.skipped and not file.ignored for file in expected)
    problems = warned + 6 + 2 + 4  # rows holding text rejected, lines like cp1252, junk
    assert len(error.value.problems) == problems
    assert str(error.value).startswith(f"--strict: {problems} input problems, nothing written")
    assert "\n" not in str(error.value)


def test_strict_passes_a_clean_folder(tmp_path: Path) -> None:
    (tmp_path / "n.csv").write_text(
        "idée;auteur\nune note;Ann\n;Bob\n"
    )  # an empty row loses nothing

    result = ingest(tmp_path, IngestConfig(strict=True))

    assert [n.text for n in result.notes] == ["une note"]


def test_read_input_alone_gets_its_own_budget(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Idée"])
    sheet.append(["une"])
    workbook.save(path)

    read = read_input(path, "n.xlsx", IngestConfig())

    assert [(r.location, r.status) for r in read.rows] == [
        ("sheet Sheet row 1", RowStatus.STRUCTURE),
        ("sheet Sheet row 2", RowStatus.NOTE),
    ]
    assert read.file.structure == 1


# --- counts, not only sizes -------------------------------------------------------------------


def test_a_shared_strings_count_bomb_is_refused_in_one_line(tmp_path: Path) -> None:
    write_shared_strings_bomb(tmp_path / "count.xlsx", MAX_SHARED_STRINGS + 1)
    write_shared_strings_bomb(tmp_path / "fine.xlsx", 1000)

    result = ingest(tmp_path, IngestConfig())

    assert result.errors == [
        "count.xlsx: xl/sharedStrings.xml: more than 1,000,000 shared strings, far more than "
        "any table of notes; refused before reading it (split the workbook, or save the notes "
        "as CSV)"
    ]
    assert [n.text for n in result.notes] == ["Une idée"]


def test_a_workbook_of_too_many_rows_is_refused(tmp_path: Path) -> None:
    """Empty rows cost reading time too: a million of them is refused before openpyxl reads
    them, whatever the run's budget of rows with text."""
    write_inline_workbook(tmp_path / "rows.xlsx", ["Note", "Une idée"], empty_rows=MAX_ROWS)
    with pytest.raises(IngestError, match=r"rows\.xlsx: xl/worksheets/sheet1\.xml: more than "):
        ingest(tmp_path / "rows.xlsx", IngestConfig())
    write_inline_workbook(tmp_path / "fine.xlsx", ["Note", "Une idée"], empty_rows=1000)
    assert [n.text for n in ingest(tmp_path / "fine.xlsx", IngestConfig()).notes] == ["Une idée"]


def test_the_probe_s_count_bomb_reads_in_bounded_memory_and_time(tmp_path: Path) -> None:
    """39 million ``<si/>`` in 279 KB took 3.7 GB and 255 s; measured in a fresh process."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "hostile_memory.py"
    spec = importlib.util.spec_from_file_location("hostile_memory", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    peak, seconds, line = bench.count_case(tmp_path, 39_000_000)

    assert "refused before reading it" in line
    assert peak < bench.COUNT_BOUND_MB and seconds < bench.COUNT_BOUND_S, line


def test_ten_thousand_columns_keep_only_what_matters(tmp_path: Path) -> None:
    """A CSV of 10,000 columns kept every column in every note's metadata (report.html
    weighed 44 MB): a note keeps its text and the first cells that hold something."""
    columns = 10_000
    header = ["Idée", "Auteur", *(f"c{i}" for i in range(columns - 2))]
    rows = [
        [f"Une idée numéro {n} pour le quartier", f"P{n}", *("" for _ in range(columns - 3)), "z"]
        for n in range(50)
    ]
    text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    (tmp_path / "wide.csv").write_text(text, encoding="utf-8")

    result = ingest(tmp_path / "wide.csv", IngestConfig())

    assert [n.text for n in result.notes] == [
        f"Une idée numéro {n} pour le quartier" for n in range(50)
    ]
    assert all(n.metadata == {"author": f"P{i}"} for i, n in enumerate(result.notes))
    full = ["Une idée de plus", *(f"v0-{i}" for i in range(columns - 1))]
    (tmp_path / "full.csv").write_text(",".join(header) + "\n" + ",".join(full) + "\n")
    (note,) = ingest(tmp_path / "full.csv", IngestConfig()).notes
    assert len(note.metadata) == MAX_METADATA and note.metadata["author"] == "v0-0"
