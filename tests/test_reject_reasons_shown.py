"""Why a note was rejected, as a facilitator reads it: in the run's language.

Preparation records its reasons in English (``pipeline.prepare.reject``), and notes.parquet,
rejected.json and the ledger keep them so; the reports say them in the run's language
(``pipeline.report.view.shown_reason``), an older run's English reasons included.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from pipeline.config import Config, PrepareConfig
from pipeline.i18n import LANGUAGES, run_language
from pipeline.prepare.normalize import clean
from pipeline.prepare.reject import LINK_REASON, PROFILE_REASON, REPLY_REASON, reject_reason
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.view import shown_reason
from pipeline.review.rundir import load_run
from pipeline.run import run_workshop

NB = "\u00a0"  # French puts a no-break space before ":"

# One note of each kind preparation rejects, and its reason in each language.
SHOWN = {
    "": {"fr": "vide", "nl": "leeg", "de": "leer", "en": "empty"},
    "???": {
        "fr": f"aucun mot{NB}: seulement des symboles, des émojis ou des nombres",
        "nl": "geen woorden: alleen symbolen, emoji of getallen",
        "de": "keine Wörter: nur Symbole, Emojis oder Zahlen",
        "en": "no words: only symbols, emoji or numbers",
    },
    "x": {
        "fr": f"trop court{NB}: 1 caractère",
        "nl": "te kort: 1 teken",
        "de": "zu kurz: 1 Zeichen",
        "en": "too short: 1 character",
    },
    "ok": {
        "fr": f"trop court{NB}: 2 caractères",
        "nl": "te kort: 2 tekens",
        "de": "zu kurz: 2 Zeichen",
        "en": "too short: 2 characters",
    },
    "À compléter": {
        "fr": f"texte de remplissage{NB}: «{NB}À compléter{NB}»",
        "nl": "opvultekst: “À compléter”",
        "de": "Platzhalter: „À compléter“",
        "en": "placeholder: “À compléter”",
    },
    "Je suis retraitée": {
        "fr": "décrit la personne qui l’a écrite, pas une idée "
        "(âge, revenu, lieu de résidence, profession…)",
        "nl": "beschrijft wie het schreef, geen idee (leeftijd, inkomen, woonplaats, beroep, …)",
        "de": "beschreibt die Person, die sie geschrieben hat, keine Idee "
        "(Alter, Einkommen, Wohnort, Beruf …)",
        "en": "describes its writer, not an idea (age, income, residence, occupation, …)",
    },
    "Tout à fait d'accord": {
        "fr": "répond seulement à une autre note (d’accord, pas d’accord, +1), sans idée propre",
        "nl": "reageert alleen op een andere notitie (eens, oneens, +1), zonder eigen idee",
        "de": "antwortet nur auf eine andere Notiz (Zustimmung, Ablehnung, +1), ohne eigene Idee",
        "en": "only answers another note (agrees, disagrees, +1), no idea of its own",
    },
    "https://www.example.org/forum/thread?id=1234": {
        "fr": "seulement une adresse web, sans texte propre",
        "nl": "alleen een webadres, geen eigen woorden",
        "de": "nur eine Webadresse, keine eigenen Worte",
        "en": "only a web address, no words of its own",
    },
}


def _reason(raw: str) -> str:
    reason = reject_reason(clean(raw), PrepareConfig())
    assert reason is not None, raw
    return reason


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("raw", list(SHOWN))
def test_each_reason_reads_in_each_language(raw: str, lang: str) -> None:
    assert shown_reason(_reason(raw), lang) == SHOWN[raw][lang]


def test_every_reason_preparation_records_is_translated() -> None:
    recorded = {_reason(raw) for raw in SHOWN}
    assert {PROFILE_REASON, REPLY_REASON, LINK_REASON} <= recorded
    for reason in recorded:
        for lang in ("fr", "nl", "de"):
            assert shown_reason(reason, lang) != reason, (reason, lang)


@pytest.mark.parametrize(
    ("length", "fr", "nl", "de"),
    [
        (1, "1 caractère", "1 teken", "1 Zeichen"),
        (2, "2 caractères", "2 tekens", "2 Zeichen"),
        (9, "9 caractères", "9 tekens", "9 Zeichen"),
        (12, "12 caractères", "12 tekens", "12 Zeichen"),
    ],
)
def test_a_short_note_counts_its_characters_in_the_plural_of_the_language(
    length: int, fr: str, nl: str, de: str
) -> None:
    strict = PrepareConfig(min_chars=20, min_letters=1)
    reason = reject_reason("a" + "b" * (length - 1), strict)
    assert reason == f"too short: {length} character{'s' if length > 1 else ''}"
    assert shown_reason(reason, "fr") == f"trop court{NB}: {fr}"
    assert shown_reason(reason, "nl") == f"te kort: {nl}"
    assert shown_reason(reason, "de") == f"zu kurz: {de}"


def test_a_placeholder_keeps_its_quote_as_written() -> None:
    reason = "placeholder: 'it's 'quoted' … and long'"
    assert shown_reason(reason, "de") == "Platzhalter: „it's 'quoted' … and long“"


def test_a_reason_the_catalogue_does_not_know_is_shown_as_written() -> None:
    # Reasons no version records (a reader's are in tests/test_input_reasons_shown.py).
    for reason in ("too short (2 characters, minimum 3)", "no letters", "too short: many"):
        assert shown_reason(reason, "fr") == reason


# --- a French run, as its facilitator reads it ----------------------------------------------

IDEAS = [
    "Plus de pistes cyclables sécurisées entre les quartiers et le centre",
    "Des parkings vélo couverts près de la gare et des écoles",
    "Un bus de nuit le week-end pour rentrer du centre-ville",
    "Des horaires de bus plus fréquents aux heures de pointe",
    "Des trottoirs plus larges et sans obstacles pour les poussettes",
    "Des bancs le long des rues commerçantes pour se reposer",
    "Un jardin partagé dans chaque quartier, ouvert aux écoles",
    "Planter des arbres fruitiers dans les parcs de la ville",
    "Des composteurs collectifs au pied des immeubles",
    "Une maison de quartier ouverte le soir pour les jeunes",
    "Des ateliers de réparation de vélos gratuits le samedi",
    "Un marché de producteurs locaux chaque semaine sur la place",
]


def _text(page: str) -> str:
    """What a person reads: no tags, no Markdown escapes, spaces (no-break ones too) folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\\", "").split())


def test_a_french_runs_reports_say_why_each_note_was_rejected_in_french(tmp_path: Path) -> None:
    folder = tmp_path / "atelier"
    folder.mkdir()
    texts = IDEAS + [raw for raw in SHOWN if raw]
    lines = ["Idée,Table"] + [f'"{text}",{i % 3 + 1}' for i, text in enumerate(texts)]
    (folder / "notes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result, run_dir = run_workshop(folder, Config(), tmp_path / "runs")
    assert run_language(result) == "fr"
    recorded = {n.reject_reason for n in result.notes if n.reject_reason}
    assert recorded == {_reason(raw) for raw in SHOWN if raw}

    pages = [
        _text((run_dir / "report.html").read_text(encoding="utf-8")),
        _text((run_dir / "report.md").read_text(encoding="utf-8")),
        # The review app writes report.html again from the run folder as it reads it.
        _text(render_html(load_run(run_dir))),
        _text(render_markdown(load_run(run_dir))),
    ]
    for raw, said in SHOWN.items():
        if not raw:
            continue
        for shown in pages:
            assert _text(said["fr"]) in shown, raw
            assert _text(said["en"]) not in shown, raw

    # What the run keeps for programs and later runs is the English it recorded.
    rows = json.loads((run_dir / "rejected.json").read_text(encoding="utf-8"))
    assert {r["reason"] for r in rows if r["kind"] == "note"} == recorded
