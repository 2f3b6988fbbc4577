"""What a participant wrote is what people read: a leading sign is meaning, not a bullet.

"-20 % de voitures" read as "20 % de voitures" inverts the note. Only a spreadsheet reads a
leading "=", "+", "-" or "@" as a formula, so only the CSV cells are neutralised; the reports
and the handout show the text as written.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
import pytest

from pipeline.config import PrepareConfig
from pipeline.prepare import prepare
from pipeline.prepare.normalize import clean, strip_noise
from pipeline.report import write_run
from pipeline.review.export import HANDOUT_DOCX, HANDOUT_MD, THEMES_CSV, export_all
from pipeline.schema import NoteStatus, RawNote
from tests.factories import build_run_result

AS_WRITTEN = [
    "-20 % de voitures en centre-ville",
    "-5 °C la nuit dans le gymnase",
    "#1 priorité : des bancs à l'ombre",
    "=gratuit pour les moins de 12 ans",
    "+ de bancs le long du canal",
    "@mairie : répondre aux courriers en un mois",
    "~30 personnes par atelier au plus",
    "–10 % sur l'abonnement de bus",
]


@pytest.mark.parametrize("text", AS_WRITTEN)
def test_a_leading_sign_is_kept(text: str) -> None:
    assert strip_noise(text) == text
    assert clean(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- -20 % de voitures", "-20 % de voitures"),  # a bullet, then the sign
        ("• #1 priorité", "#1 priorité"),
        ("# Titre de la table", "Titre de la table"),  # a Markdown heading marker
        ("=> plus de vélos", "plus de vélos"),  # an arrow
        ("-Plus de bancs", "Plus de bancs"),  # a dash against a word is a bullet
        ("= plus de vélos", "plus de vélos"),
    ],
)
def test_bullets_before_or_without_a_sign_still_go(text: str, expected: str) -> None:
    assert strip_noise(text) == expected


def test_prepared_notes_keep_their_sign() -> None:
    raw = [
        RawNote(id=f"n{i}", text=text, source="t.csv", location=f"row {i + 2}")
        for i, text in enumerate(AS_WRITTEN)
    ]
    notes = prepare(raw, PrepareConfig())
    active = {n.id: n.text for n in notes if n.status is NoteStatus.ACTIVE}
    assert [active[f"n{i}"] for i in range(len(AS_WRITTEN))] == AS_WRITTEN


def test_reports_and_handout_show_it_csv_neutralises_it(tmp_path: Path) -> None:
    run = build_run_result()
    first = run.drafts[0]
    title = first.title.model_copy(update={"text": "-20 % de voitures en centre-ville"})
    challenge = first.challenge.model_copy(
        update={"text": "=Comment pourrions-nous baisser le trafic de 20 % ?"}
    )
    run.drafts[0] = first.model_copy(update={"title": title, "challenge": challenge})
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, folder)
    exports = export_all(folder)

    report_md = (folder / "report.md").read_text(encoding="utf-8")
    assert re.search(r"\\?-20 % de voitures en centre-ville", report_md)
    assert "-20 % de voitures en centre-ville" in (folder / "report.html").read_text("utf-8")
    handout_md = exports[HANDOUT_MD].read_text(encoding="utf-8")
    assert "=Comment pourrions-nous baisser le trafic de 20 % ?" in handout_md
    document = docx.Document(str(exports[HANDOUT_DOCX]))
    paragraphs = [p.text for p in document.paragraphs]
    assert "=Comment pourrions-nous baisser le trafic de 20 % ?" in paragraphs

    rows = list(csv.reader(io.StringIO(exports[THEMES_CSV].read_text(encoding="utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert "'=Comment pourrions-nous baisser le trafic de 20 % ?" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)
