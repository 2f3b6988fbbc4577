"""A workshop folder of hostile exports, written by the tests, with what each must give.

Every file is what real exports look like on a bad night: Excel's cp1252 with semicolons,
Miro and Mural CSVs with extra columns, a Word report with tracked changes and comments,
merged cells and dead formulas, notes that are only emoji, a renamed PDF, a zip bomb, NUL
bytes, stray quotes, links out of the folder, a pipe. ``expected_rows`` is the number of
ledger rows each file must give, counted here from the content, independently of the
readers (a skipped file gives one).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook

MAX_FILE_MB = 0.25
"""The folder's own limit (its ``ideasynth.toml``): the oversize file and the zip bomb stay
small on disk and in memory while still being over it."""
MAX_NOTE_CHARS = 400


@dataclass(frozen=True)
class Hostile:
    name: str
    expected_rows: int
    skipped: bool = False
    """The whole file is refused (one ledger row, status ``skipped_file``)."""
    ignored: bool = False
    """Not read by design (hidden, the config): a ledger row too, but no warning."""


def non_blank_lines(text: str) -> int:
    """Lines as a text editor shows them (``\\r\\n``, ``\\r`` or ``\\n`` end a line)."""
    return sum(1 for line in re.split(r"\r\n|\r|\n", text) if line.strip())


def non_blank_records(text: str, delimiter: str) -> int:
    """Records as a spreadsheet shows them (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return sum(1 for record in reader if any(cell.strip() for cell in record))


def write_hostile_folder(root: Path) -> list[Hostile]:
    """Write the folder; returns what each input path (relative, ``/``) must give."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ideasynth.toml").write_text(
        f"[ingest]\nmax_file_mb = {MAX_FILE_MB}\nmax_note_chars = {MAX_NOTE_CHARS}\n",
        encoding="utf-8",
    )
    files: list[Hostile] = []

    def text_file(name: str, text: str, encoding: str = "utf-8", prefix: bytes = b"") -> None:
        (root / name).write_bytes(prefix + text.encode(encoding))
        files.append(Hostile(name, non_blank_lines(text)))

    def csv_file(name: str, text: str, delimiter: str, encoding: str = "utf-8") -> None:
        (root / name).write_bytes(text.encode(encoding))
        files.append(Hostile(name, non_blank_records(text, delimiter)))

    def skipped(name: str, data: bytes) -> None:
        (root / name).write_bytes(data)
        files.append(Hostile(name, 1, skipped=True))

    # --- text exports --------------------------------------------------------------------
    csv_file(
        "excel_cp1252_semicolons.csv",
        "Idée;Auteur;Table\r\nDes bancs à l'ombre, près de l'école;Zoë;3\r\n"
        "Fête de quartier en été;Jürgen;1\r\n;Bob;2\r\nCafé-réparation le samedi;;4\r\n",
        ";",
        "cp1252",
    )
    (root / "utf8_bom.csv").write_bytes(
        codecs.BOM_UTF8 + "Note,Author\nMoins de voitures, plus de vélos,Ann\n".encode()
    )
    files.append(Hostile("utf8_bom.csv", 2))
    text_file(
        "utf16_bom.txt",
        "Een buurtmoestuin\r\nMehr Sitzbänke\r\n",
        "utf-16-le",
        codecs.BOM_UTF16_LE,
    )
    mixed = "Crème brûlée pour tous\n".encode() + "Straße für Übung – 5 €\n".encode("cp1252")
    (root / "mixed_encodings.txt").write_bytes(mixed)
    files.append(Hostile("mixed_encodings.txt", 2))
    # cp1252 bytes that are also valid UTF-8: "É”" is C9 94, "ɔ" in UTF-8; "Í”" is CD 94, a
    # combining mark. One file is valid UTF-8 throughout, the other mixed.
    (root / "cp1252_valid_utf8.txt").write_bytes(
        b"text\nLe projet est ACCEPT\xc9\x94 selon la mairie\nUne id\xc3\xa9e normale\n"
    )
    files.append(Hostile("cp1252_valid_utf8.txt", 3))
    (root / "cp1252_mixed.txt").write_bytes(b"\x93S\xcd\x94 pour tous\n\x93Caf\xe9\x94 ouvert\n")
    files.append(Hostile("cp1252_mixed.txt", 2))
    (root / "nul_bytes.csv").write_bytes(
        b"idea,who\nMore shade\x00 in the park,Ann\nA library \x00bus,Bob\n"
    )
    files.append(Hostile("nul_bytes.csv", 3))
    (root / "stray_quote.csv").write_text(
        'idea,table\nFree public transport,1\n"Bike lanes everywhere,2\nMore benches,3\n'
        '"Safe crossings, near schools",4\n',
        encoding="utf-8",
    )
    files.append(Hostile("stray_quote.csv", 5))  # a header and four rows, one per line
    csv_file(
        "ragged_rows.csv",
        "idea,author,table\nshort row\nlong row,Ann,2,extra,cells\n,Cy,3\n\n\nlast row,Dee\n",
        ",",
    )
    csv_file(
        "miro_export.csv",
        "Content,Author,Tags,Color,Created,Link\n"
        '"Plus de pistes cyclables\nsur les grands axes",Ann,"mobilité, vélo",yellow,'
        "2025-03-14,https://miro.com/x\n"
        '"Des jardins partagés ; un composteur dans chaque rue",Bob,,green,2025-03-14,\n'
        ",Cy,,red,2025-03-14,\n",
        ",",
    )
    csv_file(
        "mural_export.tsv",
        "Sticky text\tColor\tArea\tVotes\tCreated by\n"
        "Meer groen in de straat\tyellow\tDromen\t3\tJan\n"
        "Een buurtfeest\tpink\tDoen\t0\tEls\n",
        "\t",
    )
    text_file("emoji_only.txt", "🎉🎉🎉\n👍\n\n😀 🙌\nUne vraie idée : des bancs\n")
    text_file("line_endings.txt", "first\r\nsecond\rthird\nfourth\r\n\r\nfifth")
    text_file(
        "report.md",
        "# Jour 1\n- Plus de bancs\n  le long du canal\n\nTable 2\n=======\n"
        "1. Des arbres\n---\n* [ ] Une fontaine\n",
    )
    text_file("long_note.txt", "court\n" + "x" * (MAX_NOTE_CHARS + 50) + "\nencore une\n")
    (root / "notes.jsonl").write_text(
        '{"text": "Un marché bio"}\n{"text": "broken",\n\n42\n"Une ludothèque"\n{"text": ""}\n',
        encoding="utf-8",
    )
    files.append(Hostile("notes.jsonl", 5))
    # Two exports pasted into one file: the second one's header row, BOM and all, mid-file.
    (root / "pasted_exports.csv").write_bytes(
        b"Note,Auteur\nPlus de bancs au parc,Ann\n\xef\xbb\xbfNote,Auteur\n"
        b"Des arbres rue Haute,Bob\n"
    )
    files.append(Hostile("pasted_exports.csv", 4))
    # Values that are not words: Infinity, numbers, true/false where the text should be.
    (root / "not_words.json").write_text(
        '[{"text": "Un marché couvert", "votes": Infinity}, {"text": Infinity}, '
        '{"text": 12}, {"text": true}, {"text": "TRUE"}]',
        encoding="utf-8",
    )
    files.append(Hostile("not_words.json", 5))

    # --- whole files that must be refused, one line each ----------------------------------
    skipped("renamed_pdf.csv", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    skipped("renamed_pdf.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    skipped("binary.txt", random.Random(7).randbytes(4096))
    skipped("empty.csv", b"")
    skipped("blank.txt", b"  \n\t\n")
    skipped("broken.json", b'[{"text": "a",}]')
    skipped("deep.json", b"[" * 100_000 + b"]" * 100_000)
    skipped("votes.csv", b"Nr;Votes\n1;3\n2;5\n")
    skipped("slides.pptx", b"PK\x03\x04")
    skipped("oversize.csv", b"text\n" + b"x" * 80 + b"\n" * int(MAX_FILE_MB * 1024 * 1024))
    (root / "zip_bomb.xlsx").write_bytes(_zip_bomb())
    files.append(Hostile("zip_bomb.xlsx", 1, skipped=True))
    workbook_as_docx = root / "workbook.docx"
    Workbook().save(workbook_as_docx)
    files.append(Hostile("workbook.docx", 1, skipped=True))
    empty_sheets = Workbook()
    empty_sheets.create_sheet("Vide")
    empty_sheets.save(root / "empty_sheets.xlsx")
    files.append(Hostile("empty_sheets.xlsx", 1, skipped=True))

    # --- Office files -----------------------------------------------------------------------
    _merged_and_formulas(root / "merged_formulas.xlsx")
    booleans = Workbook()
    sheet = booleans.active
    assert sheet is not None
    for row in (["Idée", "Urgent"], ["Une fontaine", True], [True, "oui"], ["Un banc", False]):
        sheet.append(row)
    booleans.save(root / "booleans.xlsx")
    files.append(Hostile("booleans.xlsx", 4))  # a header and three rows, one a TRUE
    # Sheet "Idées": header, 6 rows; sheet "Consignes": one row for the whole sheet.
    files.append(Hostile("merged_formulas.xlsx", 7 + 1))
    _tracked_changes(root / "tracked_changes.docx")
    _text_boxes(root / "text_boxes.docx")
    files.append(Hostile("text_boxes.docx", 5))  # 2 paragraphs, 3 text box paragraphs
    write_nested_tables(root / "nested_tables.docx", NESTED_DEPTH)
    files.append(Hostile("nested_tables.docx", NESTED_DEPTH))
    # 2 headings + 3 paragraphs + table header + 2 table rows.
    files.append(Hostile("tracked_changes.docx", 8))

    # --- links and special files ------------------------------------------------------------
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text("a note outside the workshop folder\n", encoding="utf-8")
    (root / "link_outside.txt").symlink_to(outside)
    files.append(Hostile("link_outside.txt", 1, skipped=True))
    (root / "link_loop").symlink_to(root, target_is_directory=True)
    files.append(Hostile("link_loop", 1, skipped=True))
    (root / "broken_link.txt").symlink_to(root / "does-not-exist.txt")
    files.append(Hostile("broken_link.txt", 1, skipped=True))
    hidden = root / ".archive"
    hidden.mkdir()
    (hidden / "kept.txt").write_text("Une note rangée à part\n", encoding="utf-8")
    files.append(Hostile(".archive", 1, skipped=True, ignored=True))  # one row, the folder
    files.append(Hostile("ideasynth.toml", 1, skipped=True, ignored=True))
    (root / "link_inside.txt").symlink_to(hidden / "kept.txt")
    files.append(Hostile("link_inside.txt", 1))
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        files.append(Hostile("pipe.txt", 1, skipped=True))
    return files


def _zip_bomb() -> bytes:
    """A workbook whose one part inflates to 40× the folder's size limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * int(40 * MAX_FILE_MB * 1024 * 1024))
    return buffer.getvalue()


def _merged_and_formulas(path: Path) -> None:
    """Merged "Table" cells over their rows, a merged note, formulas with and without a value,
    an error value, an empty sheet and an instructions sheet without a text column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Idées"
    sheet.append(["Idée", "Table"])  # row 1
    sheet.append(["Plus de bancs", "Table 1"])  # row 2, Table 1 merged over rows 2–3
    sheet.append(["Des arbres", None])  # row 3
    sheet.append(["Une note sur deux lignes fusionnées", "Table 2"])  # row 4, merged A4:A5
    sheet.append([None, "Table 2"])  # row 5: part of the merged note
    sheet.append(['=A2&" et plus"', "Table 3"])  # row 6: formula never computed
    sheet.append(["=1/0", "Table 3"])  # row 7: an error value once computed
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("A4:A5")
    workbook.create_sheet("Vide")
    instructions = workbook.create_sheet("Consignes")
    instructions.append(["Nr", "Votes"])
    instructions.append([1, 3])
    workbook.save(path)
    _patch(path, "xl/worksheets/sheet1.xml", r'<c r="A7"><f>1/0</f><v\s*/?>(?:</v>)?</c>',
           '<c r="A7" t="e"><f>1/0</f><v>#DIV/0!</v></c>')  # fmt: skip


def _patch(path: Path, part: str, pattern: str, replacement: str) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml, count = re.subn(pattern, replacement, parts[part].decode())
    assert count == 1, f"{pattern} not found in {part}"
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


TRACKED_INSERTED = "Des toilettes publiques dans le parc"
TRACKED_DELETED = "TEXTE SUPPRIMÉ"


def _tracked_changes(path: Path) -> None:
    """Headings, a paragraph with a tracked insertion and a tracked deletion, a paragraph
    inside a content control, a commented paragraph, a table with a header."""
    document = Document()
    document.add_heading("Compte rendu", level=1)
    body = document.element.body
    tracked = parse_xml(
        f"<w:p {nsdecls('w')}>"
        '<w:r><w:t xml:space="preserve">Des toilettes </w:t></w:r>'
        '<w:del w:id="1" w:author="Ann" w:date="2025-03-14T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{TRACKED_DELETED} </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="Ann" w:date="2025-03-14T10:00:00Z">'
        '<w:r><w:t xml:space="preserve">publiques </w:t></w:r></w:ins>'
        "<w:r><w:t>dans le parc</w:t></w:r></w:p>"
    )
    control = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent>"
        "<w:p><w:r><w:t>Une idée dans un champ de formulaire</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, tracked)
    body.insert(len(body) - 1, control)
    commented = document.add_paragraph("Un abri pour les vélos")
    document.add_comment(commented.runs, text="Déjà proposé l'an dernier", author="Bob")
    document.add_heading("Tableau", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(
        table.rows,
        [["Idée", "Auteur"], ["Un marché de nuit", "Cy"], ["Un kiosque", "Dee"]],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(path))


TEXT_BOX_NOTES = ("Des toilettes au parc", "Un point d'eau près des jeux", "Une fontaine")
NESTED_DEPTH = 50


def _text_boxes(path: Path) -> None:
    """A paragraph, a DrawingML text box of two notes (stored twice, as Word does), a VML
    text box of one (as older Word writes it), a last paragraph."""
    document = Document()
    first_paragraph = document.add_paragraph("Les post-it de la table 2 :")
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    first, second, third = (xml_escape(text) for text in TEXT_BOX_NOTES)
    body = f"<w:p><w:r><w:t>{first}</w:t></w:r></w:p><w:p><w:r><w:t>{second}</w:t></w:r></w:p>"
    drawn = parse_xml(
        f"<w:p {nsdecls('w')} {mc}><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><w:txbxContent>{body}</w:txbxContent>'
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{body}</w:txbxContent>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    old = parse_xml(
        f"<w:p {nsdecls('w')} {vml}><w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"<w:p><w:r><w:t>{third}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
        "</w:pict></w:r></w:p>"
    )
    first_paragraph._p.addnext(old)
    first_paragraph._p.addnext(drawn)
    document.add_paragraph("Fin des notes")
    document.save(str(path))


def write_nested_tables(path: Path, depth: int) -> None:
    """Tables nested ``depth`` deep, each in the first cell of the one above, each cell
    holding one short note ("Idée du niveau N")."""
    document = Document()
    table = document.add_table(rows=1, cols=1)
    for level in range(depth):
        cell = table.cell(0, 0)
        cell.paragraphs[0].text = f"Idée du niveau {level}"
        if level + 1 < depth:
            table = cell.add_table(rows=1, cols=1)
    document.save(str(path))


def write_shared_strings_bomb(path: Path, count: int) -> None:
    """A valid .xlsx of a few hundred KB whose ``sharedStrings.xml`` declares ``count`` empty
    shared strings (``<si/>``): openpyxl would hold every one (39 million took 3.7 GB)."""
    write_inline_workbook(path, ["Note", "Une idée"])
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part,
    ):
        part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}">'.encode())
        block = b"<si/>" * 100_000
        for _ in range(count // 100_000):
            part.write(block)
        part.write(b"<si/>" * (count % 100_000) + b"</sst>")


def write_inline_workbook(path: Path, cells: list[str | int], empty_rows: int = 0) -> None:
    """A minimal valid .xlsx whose one sheet holds a column of inline strings: a ``str`` as
    is, an ``int`` as that many ``x`` written in blocks, so a workbook can declare a
    billion-character cell (Excel and openpyxl stop at 32,767) without anyone holding it;
    then ``empty_rows`` rows of one empty cell each."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicat'
            'ion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Cont'
            'entType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="ap'
            'plication/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Ove'
            'rride PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlf'
            'ormats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
            '<sheets><sheet name="Notes" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>'
            sheet.write(head.encode())
            block = b"x" * (16 << 20)
            for number, cell in enumerate(cells, start=1):
                sheet.write(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>'.encode())
                if isinstance(cell, str):
                    sheet.write(xml_escape(cell).encode())
                else:
                    for start in range(0, cell, len(block)):
                        sheet.write(block[: min(len(block), cell - start)])
                sheet.write(b"</t></is></c></row>")
            for start in range(len(cells) + 1, len(cells) + 1 + empty_rows, 100_000):
                stop = min(start + 100_000, len(cells) + 1 + empty_rows)
                sheet.write(
                    "".join(
                        f'<row r="{n}"><c r="B{n}"/></row>' for n in range(start, stop)
                    ).encode()
                )
            sheet.write(b"</sheetData></worksheet>")
