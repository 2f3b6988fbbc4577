"""Build the Day 2 sample (``data/sample/day2/``): the action cards of the sample workshop.

On Day 2 the five tables of the Valmont workshop (``data/sample``, Day 1) turned the
challenges of the Day 1 handout into actions: one card per action, with the challenge it
answers (by its number, by a paraphrase, in the table's language, or not at all), dot
votes, impact and feasibility (1–5 or words), who would carry it, when and at what cost.
Some tables scored their cards, one did not. ``_intended_challenges.csv`` says which Day 1
challenge each card was meant for ("" for none); the challenges are those of ``ideasynth run
data/sample`` (``B1`` … ``B8``, in the handout's order).

Run ``python data/build_sample_day2.py`` to rewrite the files; they are byte-identical on
every run. All names and cards are invented.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
from build_sample import FIXED_TIME, WORKSHOP_TITLE, _stabilise_zip

HERE = Path(__file__).resolve().parent
OUT = HERE / "sample" / "day2"
LABELS = "_intended_challenges.csv"

Card = tuple[str, str, str, str, str, str, str, str, str]
"""(challenge cell, action, votes, impact, feasibility, who, when, cost, intended challenge)."""

TABLE1: list[Card] = [
    # fr, comma CSV, scores 1–5
    ("3", "Créer une communauté de pratique participation entre directions", "7", "4", "4",
     "SPW", "2025", "faible", "B3"),
    ("Défi 3", "Organiser une intervision trimestrielle entre facilitateurs des services", "3",
     "3", "5", "SPW", "dès septembre", "aucun", "B3"),
    ("La formation à la facilitation", "Former 200 agents à l'animation de réunions publiques", "6",
     "5", "3", "SPW", "2025-2026", "120 000 €", "B5"),
    ("Former les agents", "Coaching des premiers ateliers par un facilitateur expérimenté",
     "2", "4", "4", "SPW", "2025", "moyen", "B5"),
    ("1", "Proposer un décret sur la participation citoyenne", "5", "5", "2",
     "Gouvernement", "prochaine législature", "", "B1"),
    ("Défi 2", "Publier un registre public des algorithmes utilisés par la Région", "4", "4",
     "3", "Gouvernement", "2026", "faible", "B2"),
    ("Le tableau de suivi", "Tableau de suivi public de chaque proposition "
     "(retenue, rejetée, pourquoi)", "8", "5", "4", "SPW", "2025", "moyen", "B6"),
    ("Retours d'expérience", "Envoyer un courrier de remerciement avec le résultat", "1", "3",
     "5", "commune", "après chaque atelier", "faible", "B6"),
    ("5", "Traduire les invitations dans les langues des quartiers", "5", "4", "4",
     "commune", "2025", "faible", "B5"),
    ("", "Rédiger les courriers et invitations en FALC", "4", "4", "5", "SPW", "2025",
     "faible", "B5"),
    ("", "Contrôle humain obligatoire avant toute décision prise par une IA", "6", "5", "3",
     "Gouvernement", "2026", "", "B2"),
    ("", "Acheter une nouvelle machine à café pour la salle du personnel", "0", "1", "5",
     "", "", "", ""),
    ("Défi 1", "Charte d'engagement contre la participation alibi", "9", "5", "4",
     "Gouvernement", "2025", "aucun", "B1"),
]  # fmt: skip

TABLE2: list[Card] = [
    # nl, semicolon CSV, words for the scores
    ("Uitdaging 3", "Lerend netwerk participatie over de diensten heen", "5", "hoog", "hoog",
     "SPW", "2025", "laag", "B3"),
    ("Praktijkgemeenschap", "Gedeelde databank van methodes en ervaringen", "2", "gemiddeld",
     "hoog", "SPW", "2025", "laag", "B3"),
    ("Vorming van ambtenaren", "Opleiding gespreksleiding voor projectleiders", "4", "hoog",
     "gemiddeld", "SPW", "2026", "gemiddeld", "B5"),
    ("3", "Intervisie na elk participatietraject", "2", "gemiddeld", "hoog", "gemeente",
     "doorlopend", "geen", "B3"),
    ("Wettelijk kader", "Recht op inspraak wettelijk verankeren in een decreet", "6", "hoog",
     "laag", "Regering", "volgende regeerperiode", "", "B1"),
    ("Terugkoppeling aan deelnemers", "Deelnemers laten weten wat er met hun idee gebeurd is",
     "7", "hoog", "hoog", "gemeente", "na elke avond", "laag", "B7"),
    ("Terugkomvergadering", "Een terugkommoment zes maanden later", "3", "gemiddeld", "gemiddeld",
     "gemeente", "2025", "laag", "B6"),
    ("Taal", "Uitnodigingen vertalen in de talen van de wijk", "4", "hoog", "hoog", "gemeente",
     "2025", "laag", "B5"),
    ("Taal", "Nieuwkomers bereiken via taalcursussen en inburgering", "3", "gemiddeld",
     "gemiddeld", "gemeente", "2026", "gemiddeld", "B5"),
    ("", "Geen AI-beslissingen zonder menselijke controle", "5", "hoog", "gemiddeld",
     "Regering", "2026", "", "B2"),
    ("Van idee tot beslissing", "Participatiecharter tegen schijninspraak", "6", "hoog", "hoog",
     "Regering", "2025", "geen", "B1"),
    ("", "Een teambuilding met karaoke plannen", "1", "laag", "hoog", "", "", "", ""),
]  # fmt: skip

TABLE3: list[Card] = [
    # de, a workbook, words for the scores
    ("Herausforderung 3", "Ämterübergreifende Praxisgemeinschaft Beteiligung gründen", "4",
     "hoch", "hoch", "SPW", "2025", "gering", "B3"),
    ("Fortbildung", "Moderationstraining für Projektleitungen", "5", "hoch", "mittel", "SPW",
     "2025", "mittel", "B5"),
    ("Fortbildung", "Praxisbegleitung statt nur Theorie im Seminarraum", "2", "mittel", "mittel",
     "SPW", "2026", "mittel", "B5"),
    ("Rechtsrahmen", "Gesetzlicher Rahmen für Bürgerbeteiligung", "5", "hoch", "niedrig",
     "Regierung", "nächste Legislatur", "", "B1"),
    ("Rechtsrahmen", "Rechtsstatus und Aufwandsentschädigung der Teilnehmenden regeln", "3",
     "mittel", "hoch", "SPW", "2025", "gering", "B1"),
    ("Algorithmen und KI", "Keine KI-Entscheidung ohne menschliche Kontrolle", "4", "hoch",
     "mittel", "Regierung", "2026", "", "B2"),
    ("6", "Öffentliche Übersicht: was wurde aus jedem Vorschlag", "6",
     "hoch", "hoch", "SPW", "2025", "mittel", "B6"),
    ("Begründungspflicht", "Erklären, warum ein Vorschlag nicht übernommen wurde", "3", "hoch",
     "hoch", "Gemeinde", "laufend", "gering", "B1"),
    ("Sprache", "Leichte Sprache für alle Einladungen", "4", "hoch", "hoch", "SPW", "2025",
     "gering", "B5"),
    ("Sprache", "Gebärdensprache und barrierefreie Veranstaltungsorte", "2", "mittel",
     "mittel", "Gemeinde", "2026", "mittel", "B5"),
    ("1", "Beteiligungscharta gegen Alibi-Beteiligung", "5", "hoch", "hoch", "Regierung",
     "2025", "keine", "B1"),
    ("", "Parkplätze für Besucher vor dem Gebäude", "1", "niedrig", "mittel", "", "", "", ""),
]  # fmt: skip

TABLE4: list[Card] = [
    # en, a Word table, scores 1–5 with gaps
    ("B3", "Cross-service community of practice on participation", "4", "4", "4", "SPW",
     "2025", "low", "B3"),
    ("Staff training", "Active listening workshop for frontline staff", "3", "4", "5", "SPW",
     "2025", "low", "B5"),
    ("Staff training", "Train 200 public agents to facilitate public meetings", "4", "5", "",
     "SPW", "2025-2026", "", "B5"),
    ("The legal framework", "Citizens' initiative threshold in regional law", "3", "4", "2",
     "Government", "next term", "", "B1"),
    ("Algorithms", "Public register of the algorithms the region uses", "3", "", "", "",
     "2026", "", "B2"),
    ("B7", "Tell people what happened to their input", "5", "5", "4", "municipality",
     "after each meeting", "low", "B7"),
    ("Feedback", "Public tracker of every proposal and its outcome", "4", "5", "4", "SPW",
     "2025", "medium", "B6"),
    ("B6", "Follow-up meeting six months later", "2", "3", "4", "municipality", "2025", "low",
     "B6"),
    ("Languages", "Translate invitations into the neighbourhood languages", "3", "4", "4",
     "municipality", "2025", "low", "B5"),
    ("From idea to decision", "Participation charter against civic washing", "7", "5", "4",
     "Government", "2025", "none", "B1"),
    ("", "Human in the loop for every automated decision", "2", "5", "3", "Government", "2026",
     "", "B2"),
    ("", "Book a bigger room for the next plenary", "0", "", "", "", "", "", ""),
]  # fmt: skip

TABLE5: list[tuple[str, list[tuple[str, str]]]] = [
    # fr and en, a Markdown flip chart: no scores, a few dots; headings paraphrase the challenge
    ("Un réseau entre services", [
        ("Communauté de pratique entre directions, avec un animateur (3 gommettes)", "B3"),
        ("Journée d'échange annuelle entre services (1 gommette)", "B3"),
    ]),
    ("Former les chefs de projet", [
        ("Formation à la facilitation pour les chefs de projet (2 gommettes)", "B5"),
        ("Train-the-trainer programme for facilitators", "B5"),
    ]),
    ("Dire aux gens ce qu'on a fait de leurs idées", [
        ("Publier un compte rendu de ce qui a été retenu (2 gommettes)", "B7"),
        ("Expliquer pourquoi une idée n'a pas été retenue", "B7"),
    ]),
    ("Parler la langue des habitants", [
        ("Invitations traduites dans les langues parlées dans les quartiers (4 gommettes)",
         "B5"),
        ("Courriers en FALC pour les personnes peu lettrées", "B5"),
    ]),
    ("Divers", [
        ("Prévoir plus de café le matin", ""),
        ("Un parking pour les vélos du personnel", ""),
    ]),
]  # fmt: skip


def _csv(path: Path, header: list[str], cards: list[Card], delimiter: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(card[:8] for card in cards)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, cards: list[Card]) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Maßnahmen"
    sheet.append(
        ["Herausforderung", "Maßnahme", "Punkte", "Wirkung", "Machbarkeit", "Verantwortlich",
         "Zeitraum", "Kosten"]
    )  # fmt: skip
    for card in cards:
        votes = int(card[2]) if card[2] else None
        sheet.append([card[0] or None, card[1], votes, *(c or None for c in card[3:8])])
    wb.properties.creator = "ideasynth sample builder"
    wb.properties.title = WORKSHOP_TITLE
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    _stabilise_zip(path)


def write_docx(path: Path, cards: list[Card]) -> None:
    document = docx.Document()
    document.add_heading("Day 2 — Table 4: action cards", level=1)
    header = ["Challenge", "Action", "Votes", "Impact", "Feasibility", "Owner", "When"]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for card in cards:
        for cell, value in zip(table.add_row().cells, card[:7], strict=True):
            cell.text = value
    props = document.core_properties
    props.author = "ideasynth sample builder"
    props.last_modified_by = "ideasynth sample builder"
    props.title = WORKSHOP_TITLE
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    document.save(path)
    _stabilise_zip(path)


def write_markdown(path: Path) -> list[tuple[str, str]]:
    lines = ["# Table 5 — paperboard du jour 2", ""]
    written = []
    for heading, cards in TABLE5:
        lines += [f"## {heading}", ""]
        for text, intended in cards:
            lines.append(f"- {text}")
            written.append((text, intended))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return written


def main() -> None:
    OUT.mkdir(exist_ok=True)
    labels: list[tuple[str, str, str]] = []
    files = [
        ("table1_actions.csv", TABLE1, ",",
         ["Défi", "Action", "Votes", "Impact", "Faisabilité", "Porteur", "Échéance", "Coût"]),
        ("tafel2_acties.csv", TABLE2, ";",
         ["Uitdaging", "Actie", "Stippen", "Impact", "Haalbaarheid", "Trekker", "Wanneer",
          "Kosten"]),
    ]  # fmt: skip
    for name, cards, delimiter, header in files:
        _csv(OUT / name, header, cards, delimiter)
        labels += [(name, card[1], card[8]) for card in cards]
    write_xlsx(OUT / "tisch3_massnahmen.xlsx", TABLE3)
    labels += [("tisch3_massnahmen.xlsx", card[1], card[8]) for card in TABLE3]
    write_docx(OUT / "table4_actions.docx", TABLE4)
    labels += [("table4_actions.docx", card[1], card[8]) for card in TABLE4]
    labels += [
        ("table5_paperboard.md", t, i) for t, i in write_markdown(OUT / "table5_paperboard.md")
    ]
    # The sample runs clean: a file the plan cannot read (a phone photo saved as a workbook)
    # is the tests' to make (``tests/test_day2.py``), not every facilitator's first warning.
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["source", "text", "challenge"])
    writer.writerows(labels)
    (OUT / LABELS).write_text(buf.getvalue(), encoding="utf-8")
    print(f"{len(labels)} cards written to {OUT}")


if __name__ == "__main__":
    main()
