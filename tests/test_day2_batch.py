"""``ideasynth batch`` with Day 2: a workshop folder's ``day2/`` is its action cards, left
aside by Day 1, made into the plan of the workshop's run, and its actions compared across
workshops in ``recurring.html``. Real small workshops through the real batch flow."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq

from flows.batch import synthesize_many
from pipeline.ingest.walk import DAY2_REASON
from tests.test_batch import texts, write_workshop

CARDS_A = """Action;Votes;Impact;Faisabilité;Porteur
Un retour écrit aux participants après chaque atelier;6;5;4;commune
Aucune décision automatisée sans contrôle humain;4;5;3;Gouvernement
Plus de café le matin;1;1;5;
"""
CARDS_B = """Actie;Stippen;Impact;Haalbaarheid;Trekker
Een schriftelijke terugkoppeling aan deelnemers na elke workshop;5;hoog;hoog;gemeente
Geen automatische beslissingen zonder menselijke controle;3;hoog;gemiddeld;Regering
"""


def test_batch_makes_each_workshops_day2_plan_and_lists_recurring_actions(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    for name, notes, cards in (
        ("atelier-a", texts(), CARDS_A),
        ("atelier-b", texts(0, 10), CARDS_B),
    ):
        folder = write_workshop(root / name, notes)
        (folder / "day2").mkdir()
        (folder / "day2" / "cartes.csv").write_text(cards, encoding="utf-8")
    empty = write_workshop(root / "atelier-c", texts(2, 12))
    (empty / "day2").mkdir()
    (empty / "day2" / "photo.xlsx").write_bytes(b"\xff\xd8\xff\xe0 not a workbook")
    out = tmp_path / "out"

    summary = synthesize_many(root, out, concurrency=1)
    outcome = {o.workshop: o for o in summary.outcomes}
    assert {o.status for o in summary.outcomes} == {"completed"}
    for name, cards in (("atelier-a", 3), ("atelier-b", 2)):
        run_dir = Path(outcome[name].run_dir or "")
        plan_dir = Path(outcome[name].day2_dir or "")
        assert plan_dir == run_dir / "day2"
        assert (plan_dir / "action_plan.html").is_file()
        manifest = json.loads((plan_dir / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["counts"]["cards"] == cards and manifest["counts"]["reconciles"]
        # Day 1 left the cards aside: one ledger row for the folder, no card became a note.
        ledger = pq.read_table(run_dir / "ledger.parquet").to_pylist()
        assert [r["reason"] for r in ledger if r["source"] == "day2"] == [DAY2_REASON]
        assert not any("après chaque atelier" in (r["text"] or "") for r in ledger)
    # A Day 2 folder without cards costs one line; the Day 1 run stands.
    assert outcome["atelier-c"].status == "completed" and outcome["atelier-c"].day2_dir is None
    assert "no notes found" in (outcome["atelier-c"].day2_reason or "")
    assert "\n" not in (outcome["atelier-c"].day2_reason or "")

    # The same two actions, written in French and in Dutch, recur in both workshops.
    recurring = summary.recurring_actions
    assert len(recurring) >= 1
    assert all(r.n_workshops == 2 and r.workshops == ["atelier-a", "atelier-b"] for r in recurring)
    assert not any("café" in m.text for r in recurring for m in r.members)
    feedback = next(r for r in recurring if any("retour écrit" in m.text for m in r.members))
    assert feedback.votes == 6 + 5
    page = (out / "recurring.html").read_text(encoding="utf-8")
    assert "Recurring actions (Day 2)" in page and "retour écrit" in page
    saved = json.loads((out / "recurring.json").read_text(encoding="utf-8"))
    assert saved["recurring_actions"][0]["n_workshops"] == 2

    # A late card: Day 1 is unchanged (its run is kept), the plan takes the card in.
    with (root / "atelier-b" / "day2" / "cartes.csv").open("a", encoding="utf-8") as handle:
        handle.write("Een jaarverslag over wat de inspraak veranderd heeft;2;hoog;hoog;gemeente\n")
    again = {o.workshop: o for o in synthesize_many(root, out, concurrency=1).outcomes}
    assert again["atelier-b"].status == "skipped"
    assert again["atelier-b"].run_dir == outcome["atelier-b"].run_dir
    plan_dir = Path(again["atelier-b"].day2_dir or "")
    with (plan_dir / "ledger.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["status"] == "card"]
    assert len(rows) == 3 and any("jaarverslag" in r["text"] for r in rows)
