"""Why a reader could not turn a source row into a note, as a facilitator reads it.

The readers record their reasons in English, with the row's own values in them, and
rejected.json and the ledger keep them so; the reports say them in the run's language
(``pipeline.report.view.shown_reason``), what is the file's own (a column name, a formula,
a JSON parser's message) as it was written. Every reason here comes from the real reader on
a small file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook

from pipeline.config import Config, IngestConfig
from pipeline.i18n import LANGUAGES, run_language
from pipeline.ingest import ingest
from pipeline.ingest.docx_reader import MAX_TABLE_DEPTH
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.view import shown_reason
from pipeline.review.rundir import load_run
from pipeline.run import run_workshop
from tests.hostile_files import write_nested_tables
from tests.test_reject_reasons_shown import IDEAS, _text

NB = "\u00a0"  # French puts a no-break space before ":" and ";" and inside « »
TOO_DEEP = MAX_TABLE_DEPTH + 3


def _csv(folder: Path) -> tuple[Path, IngestConfig]:
    path = folder / "notes.csv"
    path.write_text(
        "Idée,Table\n"
        "Plus de bancs,1\n"
        ",2\n"  # row 3: a table number, no text
        "Des bancs partout dans le parc central,3\n",  # row 4: 38 characters
        encoding="utf-8",
    )
    return path, IngestConfig(max_note_chars=20)


def _jsonl(folder: Path) -> tuple[Path, IngestConfig]:
    lines = [
        '{"idée": "Plus de bancs dans le parc", "table": 1}',
        '{"idée": "Des arbres le long du canal", "table": 2',  # record 2: broken
        "[" * 100_000,  # record 3: nested too deeply
        "1" * 5000,  # record 4: more digits than Python converts
        '{"idée": true, "table": 3}',  # record 5
        '{"idée": 42, "table": 3}',  # record 6
        '["une", "liste"]',  # record 7
        "7",  # record 8
        "2.5",  # record 9
        "false",  # record 10
        "null",  # record 11
        "NaN",  # record 12
        "-Infinity",  # record 13
    ]
    path = folder / "notes.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, IngestConfig()


def _xlsx(folder: Path) -> tuple[Path, IngestConfig]:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Idées"
    sheet.append(["Idée", "Table"])
    sheet.append(["Plus de bancs", "1"])
    sheet.append([True, "2"])  # row 3: a checkbox
    sheet.append(['=A2&" et plus"', "3"])  # row 4: a formula never computed
    instructions = workbook.create_sheet("Consignes")
    instructions.append(["Nr", None, "Votes"])  # a blank header: "column 2"
    instructions.append([1, None, 3])
    scores = workbook.create_sheet("Scores")
    scores.append([f"Q{n}" for n in range(1, 26)])  # 25 columns: 20 listed, "… 5 more"
    scores.append(list(range(1, 26)))
    path = folder / "notes.xlsx"
    workbook.save(path)
    return path, IngestConfig()


def _xlsx_override(folder: Path) -> tuple[Path, IngestConfig]:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Idées"
    sheet.append(["Proposition", "Table"])
    sheet.append(["Plus de bancs", "1"])
    votes = workbook.create_sheet("Votes")
    votes.append(["Nr", "Votes"])
    votes.append([1, 3])
    path = folder / "override.xlsx"
    workbook.save(path)
    return path, IngestConfig(text_column="Proposition")


def _docx_nested(folder: Path) -> tuple[Path, IngestConfig]:
    path = folder / "nested.docx"
    write_nested_tables(path, TOO_DEEP)
    return path, IngestConfig()


def _docx_damaged(folder: Path) -> tuple[Path, IngestConfig]:
    document = Document()
    document.add_paragraph("Une première idée pour le quartier")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Une cellule"
    span = parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="deux"/>')  # not a number
    table.cell(0, 0)._tc.get_or_add_tcPr().append(span)
    path = folder / "damaged.docx"
    document.save(str(path))
    return path, IngestConfig()


FILES = {
    "csv": _csv,
    "jsonl": _jsonl,
    "xlsx": _xlsx,
    "xlsx_override": _xlsx_override,
    "docx_nested": _docx_nested,
    "docx_damaged": _docx_damaged,
}

DEEP = "table 1" + " row 1 cell 1 table 1" * (MAX_TABLE_DEPTH + 1)  # the 66th table
GOT = {
    "fr": f"pas une note{NB}: un objet ou un texte était attendu, pas",
    "nl": "geen notitie: een object of tekst verwacht, maar",
    "de": "keine Notiz: ein Objekt oder Text erwartet, aber",
    "en": "not a note: expected an object or a string, got",
}
REMOVE = {
    "fr": f"{NB}: retirez cet élément",
    "nl": " gevonden: verwijder dit element",
    "de": " gefunden: dieses Element entfernen",
    "en": ": remove it",
}


def _got(what: dict[str, str]) -> dict[str, str]:
    return {lang: f"{GOT[lang]} {what[lang]}{REMOVE[lang]}" for lang in LANGUAGES}


# (file, row) → the reason the reader records, as each language shows it.
SHOWN: dict[tuple[str, str], dict[str, str]] = {
    ("csv", "row 3"): {
        "fr": "texte vide",
        "nl": "lege tekst",
        "de": "leerer Text",
        "en": "empty text",
    },
    ("csv", "row 4"): {
        "fr": f"texte trop long (38 caractères{NB}; ingest.max_note_chars vaut 20){NB}: "
        "coupez-le en plusieurs notes ou relevez la limite",
        "nl": "tekst te lang (38 tekens; ingest.max_note_chars is 20): splits hem in meerdere "
        "notities of verhoog de limiet",
        "de": "Text zu lang (38 Zeichen; ingest.max_note_chars ist 20): auf mehrere Notizen "
        "aufteilen oder die Grenze erhöhen",
        "en": "text too long (38 characters; ingest.max_note_chars is 20): split it into notes "
        "or raise the limit",
    },
    ("jsonl", "record 2"): {
        "fr": f"JSON invalide{NB}: Expecting ',' delimiter au caractère 51{NB}: corrigez cette "
        "ligne",
        "nl": "ongeldige JSON: Expecting ',' delimiter bij teken 51: verbeter deze regel",
        "de": "ungültiges JSON: Expecting ',' delimiter bei Zeichen 51: diese Zeile korrigieren",
        "en": "invalid JSON: Expecting ',' delimiter at column 51: fix this line",
    },
    ("jsonl", "record 3"): {
        "fr": f"JSON invalide{NB}: imbrication trop profonde{NB}: corrigez cette ligne",
        "nl": "ongeldige JSON: te diep genest: verbeter deze regel",
        "de": "ungültiges JSON: zu tief verschachtelt: diese Zeile korrigieren",
        "en": "invalid JSON: nested too deeply: fix this line",
    },
    ("jsonl", "record 4"): {
        lang: f"{start}Exceeds the limit (4300 digits) for integer string conversion: value has "
        f"5000 digits; use sys.set_int_max_str_digits() to increase the limit{end}"
        for lang, start, end in [
            ("fr", f"JSON invalide{NB}: ", f"{NB}: corrigez cette ligne et relancez"),
            ("nl", "ongeldige JSON: ", ": verbeter deze regel en start opnieuw"),
            ("de", "ungültiges JSON: ", ": diese Zeile korrigieren und erneut starten"),
            ("en", "invalid JSON: ", ": fix this line and run again"),
        ]
    },
    ("jsonl", "record 5"): {
        "fr": f"pas une note{NB}: son texte est vrai/faux (true), pas des mots",
        "nl": "geen notitie: de tekst is waar/onwaar (true), geen woorden",
        "de": "keine Notiz: der Text ist wahr/falsch (true), keine Wörter",
        "en": "not a note: its text is true/false (true), not words",
    },
    ("jsonl", "record 6"): {
        "fr": f"pas une note{NB}: son texte est un nombre (42), pas des mots",
        "nl": "geen notitie: de tekst is een getal (42), geen woorden",
        "de": "keine Notiz: der Text ist eine Zahl (42), keine Wörter",
        "en": "not a note: its text is a number (42), not words",
    },
    ("jsonl", "record 7"): _got(
        {"fr": "une liste", "nl": "een lijst", "de": "eine Liste", "en": "a list"}
    ),
    ("jsonl", "record 8"): _got(
        {"fr": "un nombre", "nl": "een getal", "de": "eine Zahl", "en": "a number"}
    ),
    ("jsonl", "record 9"): _got(
        {"fr": "un nombre", "nl": "een getal", "de": "eine Zahl", "en": "a number"}
    ),
    ("jsonl", "record 10"): _got(
        {"fr": "vrai/faux", "nl": "waar/onwaar", "de": "wahr/falsch", "en": "true/false"}
    ),
    ("jsonl", "record 11"): _got(
        {
            "fr": "une valeur vide (null)",
            "nl": "een lege waarde (null)",
            "de": "ein leerer Wert (null)",
            "en": "an empty value (null)",
        }
    ),
    ("jsonl", "record 12"): {
        "fr": f"{GOT['fr']} NaN",
        "nl": f"{GOT['nl']} NaN gevonden",
        "de": f"{GOT['de']} NaN gefunden",
        "en": f"{GOT['en']} NaN",
    },
    ("jsonl", "record 13"): {
        "fr": f"{GOT['fr']} -Infinity",
        "nl": f"{GOT['nl']} -Infinity gevonden",
        "de": f"{GOT['de']} -Infinity gefunden",
        "en": f"{GOT['en']} -Infinity",
    },
    ("xlsx", "sheet Idées row 3"): {
        "fr": f"pas une note{NB}: une cellule VRAI/FAUX (une case à cocher ou le test "
        "d’une formule)",
        "nl": "geen notitie: een WAAR/ONWAAR-cel (een selectievakje of de test van een formule)",
        "de": "keine Notiz: eine WAHR/FALSCH-Zelle (ein Kontrollkästchen oder der Test "
        "einer Formel)",
        "en": "not a note: a TRUE/FALSE cell (a checkbox or a formula’s test)",
    },
    ("xlsx", "sheet Idées row 4"): {
        "fr": f'la formule =A2&" et plus" ne donne aucun texte{NB}: son résultat est une '
        "erreur ou n’a jamais été enregistré (ouvrez le fichier dans Excel ou LibreOffice "
        "et enregistrez-le à nouveau)",
        "nl": 'de formule =A2&" et plus" geeft geen tekst: het resultaat is een fout of werd '
        "nooit opgeslagen (open het bestand in Excel of LibreOffice en sla het opnieuw op)",
        "de": 'die Formel =A2&" et plus" ergibt keinen Text: ihr Ergebnis ist ein Fehler oder '
        "wurde nie gespeichert (die Datei in Excel oder LibreOffice öffnen und erneut "
        "speichern)",
        "en": 'formula =A2&" et plus" gives no text: its result is an error or was never '
        "saved (open the file in Excel or LibreOffice and save it again)",
    },
    ("xlsx", "sheet Consignes"): {
        "fr": f"aucune colonne de texte trouvée (colonnes{NB}: Nr, colonne 2, Votes){NB}; "
        "indiquez-la dans ingest.text_column",
        "nl": "geen tekstkolom gevonden (kolommen: Nr, kolom 2, Votes); geef hem op in "
        "ingest.text_column",
        "de": "keine Textspalte gefunden (Spalten: Nr, Spalte 2, Votes); sie in "
        "ingest.text_column angeben",
        "en": "no text column found (columns: Nr, column 2, Votes); set ingest.text_column",
    },
    ("xlsx", "sheet Scores"): {
        lang: f"{start}{', '.join(f'Q{n}' for n in range(1, 21))}, {more}{end}"
        for lang, start, more, end in [
            (
                "fr",
                f"aucune colonne de texte trouvée (colonnes{NB}: ",
                "… 5 autres",
                f"){NB}; indiquez-la dans ingest.text_column",
            ),
            (
                "nl",
                "geen tekstkolom gevonden (kolommen: ",
                "… nog 5",
                "); geef hem op in ingest.text_column",
            ),
            (
                "de",
                "keine Textspalte gefunden (Spalten: ",
                "… 5 weitere",
                "); sie in ingest.text_column angeben",
            ),
            ("en", "no text column found (columns: ", "… 5 more", "); set ingest.text_column"),
        ]
    },
    ("xlsx_override", "sheet Votes"): {
        "fr": f"colonne «{NB}Proposition{NB}» introuvable (colonnes{NB}: Nr, Votes)",
        "nl": "kolom “Proposition” niet gevonden (kolommen: Nr, Votes)",
        "de": "Spalte „Proposition“ nicht gefunden (Spalten: Nr, Votes)",
        "en": "column “Proposition” not found (columns: Nr, Votes)",
    },
    ("docx_nested", DEEP): {
        "fr": f"un tableau imbriqué sur plus de 64 niveaux dans d’autres tableaux{NB}; non lu",
        "nl": "een tabel meer dan 64 niveaus diep in andere tabellen genest; niet gelezen",
        "de": "eine Tabelle, mehr als 64 Ebenen tief in anderen Tabellen verschachtelt; "
        "nicht gelesen",
        "en": "a table nested more than 64 levels deep in tables; not read",
    },
    ("docx_damaged", "table 1"): {
        "fr": f"impossible de lire ce tableau (ValueError){NB}; ouvrez le document dans Word "
        "et enregistrez-le à nouveau",
        "nl": "deze tabel is onleesbaar (ValueError); open het document in Word en sla het "
        "opnieuw op",
        "de": "diese Tabelle ist nicht lesbar (ValueError); das Dokument in Word öffnen und "
        "erneut speichern",
        "en": "cannot read this table (ValueError); open the document in Word and save it again",
    },
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """Every reason the readers recorded on the files above, by (file, row)."""
    folder = tmp_path_factory.mktemp("inputs")
    reasons: dict[tuple[str, str], str] = {}
    for name, write in FILES.items():
        path, config = write(folder)
        for row in ingest(path, config).rejected:
            reasons[(name, row.location)] = row.reason
    return reasons


def test_the_files_give_every_reason_the_readers_record(
    recorded: dict[tuple[str, str], str],
) -> None:
    assert set(recorded) == set(SHOWN)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("row", list(SHOWN), ids=lambda row: f"{row[0]}:{row[1][:20]}")
def test_each_readers_reason_reads_in_each_language(
    recorded: dict[tuple[str, str], str], row: tuple[str, str], lang: str
) -> None:
    assert shown_reason(recorded[row], lang) == SHOWN[row][lang]


def test_every_readers_reason_is_translated(recorded: dict[tuple[str, str], str]) -> None:
    for row, reason in recorded.items():
        for lang in ("fr", "nl", "de"):
            assert shown_reason(reason, lang) != reason, (row, lang)


@pytest.mark.parametrize(
    ("num", "fr", "nl", "de"),
    [
        (1, "1 caractère", "1 teken", "1 Zeichen"),
        (2, "2 caractères", "2 tekens", "2 Zeichen"),
        (5001, "5001 caractères", "5001 tekens", "5001 Zeichen"),
    ],
)
def test_a_long_text_counts_its_characters_in_the_plural_of_the_language(
    num: int, fr: str, nl: str, de: str
) -> None:
    reason = (
        f"text too long ({num} characters; ingest.max_note_chars is 5000): split it into "
        "notes or raise the limit"
    )
    assert shown_reason(reason, "fr").startswith(f"texte trop long ({fr}{NB};")
    assert shown_reason(reason, "nl").startswith(f"tekst te lang ({nl};")
    assert shown_reason(reason, "de").startswith(f"Text zu lang ({de};")


def test_a_reason_no_reader_gives_is_shown_as_written() -> None:
    for reason in ("too short (2 characters, minimum 3)", "invalid JSON", "not a note: maybe"):
        for lang in LANGUAGES:
            assert shown_reason(reason, lang) == reason


# --- a French run, as its facilitator reads it ----------------------------------------------


def test_a_french_runs_reports_say_why_each_input_row_was_rejected_in_french(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "atelier"
    folder.mkdir()
    lines = ["Idée,Table"] + [f'"{text}",{i % 3 + 1}' for i, text in enumerate(IDEAS)]
    (folder / "notes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "tableau.jsonl").write_text(
        '"Un composteur dans la cour de chaque école du quartier"\n'
        '{"idée": "Des bancs"\n'  # record 2: broken
        "42\n",  # record 3: a number, not a note
        encoding="utf-8",
    )

    result, run_dir = run_workshop(folder, Config(), tmp_path / "runs")
    assert run_language(result) == "fr"
    recorded = {row.location: row.reason for row in result.rejected_inputs}
    assert recorded == {
        "record 2": "invalid JSON: Expecting ',' delimiter at column 21: fix this line",
        "record 3": "not a note: expected an object or a string, got int: remove it",
    }
    said = {
        f"JSON invalide{NB}: Expecting ',' delimiter au caractère 21{NB}: corrigez cette ligne",
        f"pas une note{NB}: un objet ou un texte était attendu, pas un nombre{NB}: "
        "retirez cet élément",
    }

    pages = [
        _text((run_dir / "report.html").read_text(encoding="utf-8")),
        _text((run_dir / "report.md").read_text(encoding="utf-8")),
        # The review app writes report.html again from the run folder as it reads it.
        _text(render_html(load_run(run_dir))),
        _text(render_markdown(load_run(run_dir))),
    ]
    for shown in pages:
        for french in said:
            assert _text(french) in shown
        for english in recorded.values():
            assert _text(english) not in shown

    # What the run keeps for programs and later runs is the English the readers recorded.
    rows = json.loads((run_dir / "rejected.json").read_text(encoding="utf-8"))
    assert {r["reason"] for r in rows if r["kind"] == "input"} == set(recorded.values())
