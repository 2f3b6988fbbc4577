"""Re-runs keep the work: one-to-one theme matching, stable ids, decisions carried forward."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.report import write_run
from pipeline.review.actions import replay
from pipeline.review.matching import (
    Carry,
    carry_decisions,
    jaccard,
    match_themes,
    previous_run,
    renumber,
    theme_centroids,
    write_carry,
)
from pipeline.review.rundir import CARRIED_JSON, CENTROIDS_JSON, DECISIONS_DB, load_run
from pipeline.review.store import DecisionLog
from pipeline.schema import (
    UNASSIGNED,
    ActionKind,
    Note,
    NoteStatus,
    ReviewAction,
    RunResult,
    Theme,
)
from tests.factories import build_run_result, ids


def theme(tid: str, notes: list[str]) -> Theme:
    return Theme(
        id=tid,
        label=tid,
        note_ids=notes,
        size=len(notes),
        languages={},
        keyphrases=[],
        representative_ids=[],
    )


def test_jaccard() -> None:
    assert jaccard(["a", "b"], ["b", "c"]) == pytest.approx(1 / 3)
    assert jaccard([], []) == 0.0


def test_matching_is_one_to_one_and_ignores_order_and_names() -> None:
    previous = [theme("T01", list("abcdef")), theme("T02", list("ghij")), theme("T03", list("kl"))]
    # The pipeline names themes in size order: T02 grew and now comes first.
    current = [
        theme("T01", list("ghijmnop")),
        theme("T02", list("abcdef")),
        theme("T03", list("z")),
    ]
    matches = match_themes(previous, current)
    assert [(m.new_id, m.final_id, m.previous_id) for m in matches] == [
        ("T01", "T02", "T02"),
        ("T02", "T01", "T01"),
        ("T03", "T04", None),  # new: a fresh id, never T03, which vanished
    ]
    assert matches[0].jaccard == 0.5


def test_one_previous_theme_is_claimed_once() -> None:
    previous = [theme("T01", list("abcdefgh"))]
    current = [theme("T01", list("abcd")), theme("T02", list("efgh"))]
    finals = [m.final_id for m in match_themes(previous, current, threshold=0.3)]
    assert sorted(finals) == ["T01", "T02"] and len(set(finals)) == 2


def test_centroids_weigh_in_and_a_weak_match_is_no_match() -> None:
    previous = [theme("T01", list("abcdef"))]
    current = [theme("T01", list("abcxyzuv"))]  # Jaccard 3/11
    near = {"T01": [1.0, 0.0]}
    far = {"T01": [0.0, 1.0]}
    assert match_themes(previous, current, near, near)[0].previous_id == "T01"
    assert match_themes(previous, current, near, far)[0].previous_id is None
    assert match_themes(previous, current)[0].previous_id is None  # membership alone: too weak
    assert match_themes(previous, current, reserved={"T07"})[0].final_id == "T08"


def test_previous_run_is_the_latest_complete_sibling(tmp_path: Path) -> None:
    assert previous_run(tmp_path / "missing") is None
    for name, complete in (("20250101T000000Z", True), ("20250102T000000Z", True)):
        (tmp_path / name).mkdir()
        if complete:
            (tmp_path / name / "manifest.json").write_text("{}", encoding="utf-8")
            (tmp_path / name / "complete.json").write_text("{}", encoding="utf-8")
    (tmp_path / "20250103T000000Z").mkdir()  # a run still being written: no manifest yet
    (tmp_path / "20250104T000000Z").mkdir()  # cut off by a full disk: no completion marker
    (tmp_path / "20250104T000000Z" / "manifest.json").write_text("{}", encoding="utf-8")
    assert previous_run(tmp_path) == tmp_path / "20250102T000000Z"


def _embeddings(notes: list[Note], themes: list[Theme]) -> np.ndarray:
    """Vectors near their theme's own direction (stable per note id, as a cache gives)."""
    direction = {}
    for t in themes:
        seed = sum(map(ord, t.label))
        direction.update({n: np.random.default_rng(seed).normal(size=16) for n in t.note_ids})
    rows = []
    for n in notes:
        noise = np.random.default_rng(sum(map(ord, n.id))).normal(scale=0.3, size=16)
        rows.append(direction.get(n.id, np.zeros(16)) + noise)
    return np.array(rows)


def _new_note(nid: str, text: str, theme_id: str) -> Note:
    return Note(
        id=nid, text=text, original_text=text, source="extra.csv", location=nid, theme_id=theme_id
    )


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """The factory run written as the workshop's first run, with its review log and centroids."""
    run = build_run_result()
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, folder)
    active = [n for n in run.notes if n.status is NoteStatus.ACTIVE]
    centroids = theme_centroids(run.themes, active, _embeddings(active, run.themes))
    write_carry(folder, Carry(model="fake", centroids=centroids))
    log = DecisionLog(folder / DECISIONS_DB)
    k = ids()
    for action in (
        ReviewAction(kind=ActionKind.RENAME, theme_id="t1", label="Cycling safely"),
        ReviewAction(
            kind=ActionKind.APPROVE, theme_id="t1", challenge=run.drafts[0].challenge.text
        ),
        ReviewAction(kind=ActionKind.RENAME, theme_id="t2", label="Greener streets"),
        ReviewAction(
            kind=ActionKind.SPLIT,
            theme_id="t3",
            note_ids=[k["info_fr"], k["minutes_en"]],
            new_theme_id="T04",
            label="Information",
        ),
        ReviewAction(kind=ActionKind.RENAME, theme_id="T04", label="Keep people informed"),
        ReviewAction(
            kind=ActionKind.APPROVE, theme_id="t3", challenge=run.drafts[2].challenge.text
        ),
        ReviewAction(kind=ActionKind.NOISE, note_ids=[k["coffee_en"]]),
    ):
        log.append(action, "Ana", log.version(), run_id=folder.name)
    return folder


def _second_run(first: RunResult) -> tuple[list[Theme], list[Note]]:
    """What a re-run with extra notes might give, named as the pipeline names themes: the
    bike theme grows, the greenery theme breaks up (its notes unassigned), a new one appears."""
    k = ids()
    t1, t2, t3 = first.themes
    new = [_new_note(f"x{i}", f"Extra note {i}", "T01") for i in range(3)]
    new += [_new_note(f"y{i}", f"Night buses {i}", "T03") for i in range(5)]
    notes = []
    for n in first.notes:
        where = {"t1": "T01", "t3": "T02"}.get(n.theme_id or "", UNASSIGNED)
        notes.append(n.model_copy(update={"theme_id": where}) if n.theme_id else n)
    notes += new
    themes = [
        theme("T01", [*t1.note_ids, "x0", "x1", "x2"]),
        theme("T02", t3.note_ids),
        theme("T03", [f"y{i}" for i in range(5)]),
    ]
    labels = {"T01": t1.label, "T02": t3.label, "T03": "night buses"}
    themes = [t.model_copy(update={"label": labels[t.id]}) for t in themes]
    assert k["trees_fr"] in t2.note_ids
    return themes, notes


def test_a_rerun_keeps_ids_and_reapplies_what_still_applies(
    previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = build_run_result()
    themes, notes = _second_run(first)
    active = [n for n in notes if n.status is NoteStatus.ACTIVE]
    embeddings = _embeddings(active, themes)
    themes, notes, carry = renumber(previous.parent, themes, notes, active, embeddings, "fake")
    assert [t.id for t in themes] == ["t1", "t3", "T05"]  # T04 is taken by the split
    assert carry.matches[0].cosine is not None and carry.matches[0].cosine > 0.9
    assert {n.theme_id for n in notes if n.id.startswith("y")} == {"T05"}

    drafts = [d for d in first.drafts if d.theme_id != "t2"]
    changed = drafts[1].challenge.model_copy(update={"text": "How might we talk more?"})
    drafts[1] = drafts[1].model_copy(update={"challenge": changed})
    second = first.model_copy(update={"themes": themes, "notes": notes, "drafts": drafts})
    carry = carry_decisions(carry, second)

    kinds = [(d.action.kind.value, d.action.theme_id) for d in carry.reapplied]
    assert kinds == [
        ("rename", "t1"),
        ("approve", "t1"),
        ("split", "t3"),
        ("rename", "T04"),
        ("approve", "t3"),
        ("noise", None),
    ]
    dropped = {
        (c.decision.action.kind.value, c.decision.action.theme_id): c.reason for c in carry.dropped
    }
    assert dropped == {("rename", "t2"): "theme t2 is not in this run any more"}
    # t3 now reads differently (the split, replayed, drafted it again): the approved wording
    # stays, flagged with what the pipeline proposes now.
    state = replay(second, carry.reapplied)
    pinned = state.drafts["t3"].draft
    proposed = state.drafts["t3"].machine
    assert pinned is not None and pinned.challenge.text == first.drafts[2].challenge.text
    assert proposed is not None and proposed.challenge.text != pinned.challenge.text
    assert pinned.flags == [
        "approved as it read in an earlier run; the pipeline now proposes: "
        f"“{proposed.challenge.text}”"
    ]
    # The split-off T04 and the new T05 had no draft in this run: the review drafts them.
    assert carry.approvals == {
        "t1": "approved",
        "t3": "approved",
        "T04": "pending",
        "T05": "pending",
    }

    folder = previous.parent / "20250315T080000Z"
    write_run(second.model_copy(update={"approvals": carry.approvals}), folder)
    write_carry(folder, carry)
    report = json.loads((folder / CARRIED_JSON).read_text(encoding="utf-8"))
    assert len(report["reapplied"]) == 6 and len(report["no_longer_apply"]) == 1
    assert report["previous_run"] == str(previous)
    saved = json.loads((folder / CENTROIDS_JSON).read_text(encoding="utf-8"))
    assert set(saved["centroids"]) == {"t1", "t3", "T05"} and saved["model"] == "fake"
    carried_log = DecisionLog(folder / DECISIONS_DB).read()
    assert [d.seq for d in carried_log] == [1, 2, 3, 4, 5, 6]
    assert {d.run_id for d in carried_log} == {previous.name}  # where each was decided
    assert "approved" in (folder / "report.html").read_text(encoding="utf-8")
    assert load_run(folder).themes[0].id == "t1"
    # `ideasynth run` says it too.
    from pipeline.cli import _print_review_carry

    _print_review_carry(folder)
    captured = capsys.readouterr()
    out = " ".join((captured.out + captured.err).split())
    assert "2 of the 3 themes found keep their id from the previous run" in out
    assert "6 decisions re-applied, 1 no longer apply" in out
    assert "(Ana) no longer applies: theme t2 is not in this run any more" in out
    _print_review_carry(folder, "fr")
    captured = capsys.readouterr()
    out = " ".join((captured.out + captured.err).split())
    assert "2 des 3 thèmes trouvés gardent leur identifiant du traitement précédent" in out
    assert "(Ana) ne s’applique plus : le thème t2 ne figure plus dans ce traitement" in out
    # The app lists what no longer applies, and shows the carried work.
    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app

    app = create_app(folder, ui_lang="en")  # the words read below are the English ones
    home = TestClient(app, base_url="http://127.0.0.1:8765").get("/").text
    assert "6 decisions re-applied; 1 no longer applies." in home
    assert "renamed t2 to “Greener streets” (<strong>Ana</strong>" in home
    assert "theme t2 is not in this run any more" in home
    assert "Keep people informed" in home and "Cycling safely" in home


def test_first_run_writes_centroids_and_no_log(tmp_path: Path) -> None:
    run = build_run_result()
    active = [n for n in run.notes if n.status is NoteStatus.ACTIVE]
    themes, notes, carry = renumber(
        tmp_path / "atelier", run.themes, run.notes, active, _embeddings(active, run.themes), "m"
    )
    assert [t.id for t in themes] == ["T01", "T02", "T03"]  # fresh ids, size order kept
    assert {n.theme_id for n in notes if n.status is NoteStatus.ACTIVE} == {
        "T01",
        "T02",
        "T03",
        UNASSIGNED,
    }
    write_carry(tmp_path, carry_decisions(carry, run))
    assert (tmp_path / CENTROIDS_JSON).is_file()
    assert not (tmp_path / DECISIONS_DB).exists() and not (tmp_path / CARRIED_JSON).exists()


@pytest.mark.slow
def test_a_real_rerun_with_more_notes_keeps_ids_and_the_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pipeline end to end, twice: decisions made on the first run land on the second."""
    from pipeline.config import Config
    from pipeline.run import run_workshop
    from tests.test_cli import TOPICS

    folder = tmp_path / "atelier"
    folder.mkdir()
    rows = [text for _, text in TOPICS["feedback"] + TOPICS["ai"]]
    csv_file = folder / "notes.csv"
    csv_file.write_text("Note\n" + "".join(f'"{r}"\n' for r in rows), encoding="utf-8")
    first, first_dir = run_workshop(folder, Config(), tmp_path / "runs")
    assert len(first.themes) >= 2
    log = DecisionLog(first_dir / DECISIONS_DB)
    kept, other = first.themes[0], first.themes[1]
    draft = next(d for d in first.drafts if d.theme_id == kept.id)
    log.append(ReviewAction(kind=ActionKind.RENAME, theme_id=kept.id, label="Mine"), "Ana", 0)
    log.append(
        ReviewAction(kind=ActionKind.APPROVE, theme_id=kept.id, challenge=draft.challenge.text),
        "Ana",
        1,
    )
    log.append(ReviewAction(kind=ActionKind.RENAME, theme_id="T99", label="Gone"), "Ana", 2)
    challenge = first.broad_themes[0]
    log.append(
        ReviewAction(kind=ActionKind.RENAME, theme_id=challenge.id, label="Notre défi"), "Ana", 3
    )

    extra = [
        "Publier un compte rendu des suites données à chaque atelier",
        "Laat deelnemers weten wat er met hun inbreng gebeurde",
        "Tell every participant what the city did with their ideas",
        "Menschliche Kontrolle über jede automatisierte Entscheidung",
        "Pas d'algorithme opaque pour décider des aides sociales",
        "Audit public algorithms for bias every year",
    ]
    with csv_file.open("a", encoding="utf-8") as f:
        f.write("".join(f'"{r}"\n' for r in extra))
    second, second_dir = run_workshop(folder, Config(), tmp_path / "runs")

    assert {kept.id, other.id} <= {t.id for t in second.themes}
    carried = json.loads((second_dir / CARRIED_JSON).read_text(encoding="utf-8"))
    assert carried["previous_run"] == str(first_dir)
    assert [d["action"]["kind"] for d in carried["reapplied"]] == ["rename", "approve", "rename"]
    assert [(d["action"]["theme_id"], d["reason"]) for d in carried["no_longer_apply"]] == [
        ("T99", "theme T99 is not in this run any more")
    ]
    assert second.approvals[kept.id] == "approved"
    report = (second_dir / "report.html").read_text("utf-8")
    assert "Proposition approuvée à la relecture" in report  # a French workshop
    assert len(DecisionLog(second_dir / DECISIONS_DB).read()) == 3
    # The challenge kept its id (it holds a theme it held before), so its new name landed on it.
    before = {t.id for t in first.themes if t.parent_id == challenge.id}
    assert before & {t.id for t in second.themes if t.parent_id == challenge.id}
    # The re-run's reports show the carried review: the new names, the approved wording.
    for name in ("report.html", "report.md"):
        text = (second_dir / name).read_text("utf-8")
        assert "Mine" in text and draft.challenge.text in text, name
        assert "Notre défi" in text, name
    # The review re-drafts with the run's embeddings, from the embedder's cache.
    from pipeline.review.redraft import review_drafter

    drafter = review_drafter(second)
    assert drafter.vectors is not None and drafter.embed is not None
    assert set(drafter.vectors) == {n.id for n in second.notes if n.status is NoteStatus.ACTIVE}
    assert review_drafter(build_run_result()).vectors is None  # no settings: drafts without
    # And so does the console summary of the re-run.
    from pipeline.cli import _print_summary, as_reviewed

    _print_summary(as_reviewed(second, second_dir), second_dir)
    out = capsys.readouterr().out
    assert "Mine" in out and "Notre défi" in out
