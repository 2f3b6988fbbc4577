"""The handout and the Day 2 plan agree, as a French facilitator's audit found they did not:
the handout prints each challenge with the number a card should use, Day 2 reads it back
and the plan numbers its challenges the same way; a card filed under a name the handout
printed before the review renamed the challenge still reaches it; the ledger says why in
the run's language; the handout quotes no text cut to nothing or with two ellipses, and its
Word file is A4 with its proposals numbered as in the Markdown.

One real French run of the bundled sample (module-scoped), exported and read back as the
room reads it, and real card files run through ``run_day2``."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from pipeline.day2.attach import ChallengeSpace, attach_cards
from pipeline.day2.shapes import ActionCard, AttachedBy, Challenge
from pipeline.day2.step import run_day2
from pipeline.review.export import MAX_QUOTE_WORDS, _excerpt, export_all, handout_markdown
from pipeline.review.rundir import load_run
from pipeline.review.store import DecisionLog
from pipeline.schema import ActionKind, ReviewAction
from tests.conftest import SAMPLE
from tests.factories import build_run_result

HEADING = re.compile(r"^## Défi (\d+) — (.+)$", re.M)


@pytest.fixture(scope="module")
def french_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run of the bundled sample, drafted in French."""
    from pipeline.config import config_for_input
    from pipeline.run import run_workshop

    workshop = tmp_path_factory.mktemp("sample") / "atelier"
    shutil.copytree(SAMPLE, workshop)
    shutil.rmtree(workshop / "day2")
    config = config_for_input(workshop)
    config.draft.language = "fr"
    _, run_dir = run_workshop(workshop, config, workshop.parent / "runs")
    return Path(run_dir)


def _copy(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    return copy


def _review(run_dir: Path, *actions: ReviewAction) -> None:
    log = DecisionLog(run_dir / "decisions.sqlite")
    for version, action in enumerate(actions, len(log.read())):
        log.append(action, "claire", version)


def _headings(run_dir: Path) -> list[tuple[str, str]]:
    markdown = (run_dir / "exports" / "handout.md").read_text(encoding="utf-8")
    return HEADING.findall(markdown)


def _cards(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir()
    with (folder / "cartes_table1.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Défi", "Action", "Gommettes"])
        writer.writerows([[ref, text, "3"] for ref, text in rows])
    return folder


def _ledger(result_dir: Path) -> list[dict[str, str]]:
    with (result_dir / "ledger.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["status"] == "card"]


def test_the_handout_prints_the_number_day2_reads_and_the_plan_uses(
    french_run: Path, tmp_path: Path
) -> None:
    run_dir = _copy(french_run, tmp_path)
    _review(run_dir, ReviewAction(kind=ActionKind.REJECT, theme_id="B2"))
    export_all(run_dir)
    headings = _headings(run_dir)
    assert len(headings) >= 3
    numbers = [number for number, _ in headings]
    assert "2" not in numbers  # rejected: not printed, and no other challenge takes its number
    hint = (run_dir / "exports" / "handout.md").read_text(encoding="utf-8")
    assert f"écrivez le numéro de son défi (par exemple «\u00a0Défi {numbers[0]}\u00a0»)" in hint
    # The Word file says the same numbers.
    document = docx.Document(str(run_dir / "exports" / "handout.docx"))
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert titles == [f"Défi {n} — {t}" for n, t in headings]

    # A table writes the number of the 2nd challenge the room saw (B3 here, not B2).
    second_number, second_title = headings[1]
    folder = _cards(
        tmp_path / "cartes",
        [(f"Défi {second_number}", "Une action de la table"), ("Défi 2", "Une autre action")],
    )
    result = run_day2(folder, run_dir)
    attached, rejected = result.plan.attachments
    assert attached.challenge_id == f"B{second_number}" and attached.by is AttachedBy.ID
    assert rejected.challenge_id is None
    plan = (result.out_dir / "action_plan.md").read_text(encoding="utf-8")
    assert f"## Défi {second_number} — {second_title}" in plan


def test_a_card_under_the_name_the_handout_printed_reaches_the_renamed_challenge(
    french_run: Path, tmp_path: Path
) -> None:
    run_dir = _copy(french_run, tmp_path)
    export_all(run_dir)
    number, printed = _headings(run_dir)[0]
    # After the handout was printed, the review renames the challenge and its themes (the
    # one that led it had the printed name too).
    facets = [t.id for t in load_run(run_dir).themes if t.parent_id == f"B{number}"]
    _review(
        run_dir,
        ReviewAction(kind=ActionKind.RENAME, theme_id=f"B{number}", label="Café"),
        *(
            ReviewAction(kind=ActionKind.RENAME, theme_id=facet, label=f"Café {i}")
            for i, facet in enumerate(facets, 1)
        ),
    )
    export_all(run_dir)
    assert _headings(run_dir)[0] == (number, "Café")
    folder = _cards(tmp_path / "cartes", [(printed, "Une réunion de suivi chaque trimestre")])
    result = run_day2(folder, run_dir)
    (attachment,) = result.plan.attachments
    assert (attachment.challenge_id, attachment.by) == (f"B{number}", AttachedBy.NAME)
    assert [s.code for s in attachment.why] == ["names_former"]
    (row,) = _ledger(result.out_dir)
    assert row["reason"] == f"«\u00a0{printed}\u00a0» est un ancien nom du défi B{number}"
    assert row["reason_code"] == "names_former"


def test_the_ledger_and_the_plan_say_why_in_french_with_french_punctuation(
    french_run: Path, tmp_path: Path
) -> None:
    run_dir = _copy(french_run, tmp_path)
    export_all(run_dir)
    number, _ = _headings(run_dir)[0]
    same = "Un café offert à chaque atelier du soir"
    folder = _cards(
        tmp_path / "cartes",
        [(number, same), (number, same), ("", "Zzz qwerty")],
    )
    result = run_day2(folder, run_dir)
    first, _, nowhere = _ledger(result.out_dir)
    assert first["reason"] == f"désigne le défi B{number} (\u00ab\u00a0{number}\u00a0\u00bb)"
    assert first["reason_code"] == "names_challenge"
    assert nowhere["challenge_id"] == "unattached"
    assert nowhere["reason"].startswith("l’action n’est proche d’aucun défi (au mieux B")
    assert re.search(r"\d,\d\d\)$", nowhere["reason"])  # 0,21: the French decimal comma
    assert nowhere["reason_code"] == "near_none"
    plan = (result.out_dir / "action_plan.md").read_text(encoding="utf-8")
    assert "cartes\\_table1.csv, ligne 2\u00a0; cartes\\_table1.csv, ligne 3" in plan
    html = (result.out_dir / "action_plan.html").read_text(encoding="utf-8")
    assert "ligne 3; " not in html and "ligne 2</span>\u00a0; <span" in html


def test_a_card_naming_a_rejected_challenge_says_which_one_its_action_is_nearest() -> None:
    """Not "as near B8 as B4 (0.53 and 0.34)": the scores are far apart."""
    from pipeline.config import EmbedConfig
    from pipeline.embed.for_run import run_embedder

    challenges = [
        Challenge(id="B1", title="Former les agents à l'animation des réunions", question=""),
        Challenge(id="B2", title="Traduire les invitations dans les langues", question=""),
    ]
    space = ChallengeSpace(challenges, {}, run_embedder(EmbedConfig()).embed, rejected=["B3"])
    card = ActionCard(
        id="c1",
        source="s",
        location="row 2",
        text="Former les agents à l'animation des réunions publiques",
        challenge_ref="Défi 3",
    )
    (attachment,) = attach_cards([card], space)
    assert attachment.challenge_id is None
    assert [s.code for s in attachment.why] == ["names_rejected", "nearest"]
    assert attachment.why[1].values["challenge"] == "B1"


TYPED_ELLIPSIS = (
    "Les collectivités locales (mairies, communautés de communes, département,...) devraient "
    "toutes montrer l'exemple en proposant à leurs salariés des plateformes de covoiturage et "
    "des vélos de fonction pour aller travailler chaque jour sans voiture"
)
ENDS_WITH_ONE = (
    "reconstruire des centrales nucléaires, car c'est pas les fermetures de centrales, ni les "
    "éoliennes qui vont nous compenser... et la batterie, on la recycle comment quand elle "
    "est usée après dix ans de service dans une voiture ?"
)


def test_a_quote_is_never_cut_at_a_typed_ellipsis_nor_given_a_second_one() -> None:
    cut = _excerpt(TYPED_ELLIPSIS, "fr")
    assert cut.startswith("Les collectivités locales (mairies") and "devraient" in cut
    assert len(cut.split()) > 12
    second = _excerpt(ENDS_WITH_ONE, "fr")
    assert not re.search(r"(\.\.\.|…)\W*…", second), second
    assert second.endswith(("...", "…"))
    # A quote a few words too long is shown whole.
    whole = " ".join(["mot"] * (MAX_QUOTE_WORDS + 3))
    assert _excerpt(whole, "fr") == whole


def test_the_word_handout_is_a4_and_numbers_its_proposals_as_the_markdown(
    tmp_path: Path,
) -> None:
    run = build_run_result()
    run.manifest.config["output_language"] = "fr"
    run.drafts = [d.model_copy(update={"language": "fr"}) for d in run.drafts]
    from pipeline.report import write_run
    from pipeline.review.actions import replay

    run_dir = tmp_path / "run"
    write_run(run, run_dir)
    export_all(run_dir)
    document = docx.Document(str(run_dir / "exports" / "handout.docx"))
    for section in document.sections:  # Word keeps sizes in twentieths of a point
        assert abs(section.page_width - Mm(210)) < Mm(0.1), section.page_width
        assert abs(section.page_height - Mm(297)) < Mm(0.1), section.page_height
    markdown = handout_markdown(load_run(run_dir), replay(load_run(run_dir), []))
    numbered = re.findall(r"^(\d+\. .+)$", markdown, re.M)
    assert numbered
    texts = [p.text for p in document.paragraphs]
    for line in numbered:
        assert line.replace("\\", "") in texts
