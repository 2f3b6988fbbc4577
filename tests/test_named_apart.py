"""No two themes (nor two challenges) of a run under one name.

An audit on a French consultation found two themes both named "Vote obligatoire" (85 and
13 notes) in one report, and two named "Long proposal number": readers could not tell them
apart. ``named_apart`` names themes by their drafts' titles, as before, and gives the smaller
of two colliding units another name: its draft's next best title, else its name and a
keyphrase, else its id."""

from __future__ import annotations

from pathlib import Path

from pipeline.draft.compose.drafter import ASKED_ELSEWHERE, ASKED_NEXT, STRAND
from pipeline.i18n import words
from pipeline.report import write_run
from pipeline.run import asked_apart, named_apart
from pipeline.schema import Draft, RunResult, Sentence, Theme
from tests.factories import build_run_result

VOTE = "Vote obligatoire"
WEAK_TITLE = words("fr").gettext(  # the grounding step's flag on a French draft's title
    "%(part)s is weakly supported by its cited notes (best similarity "
    "%(score)s < %(threshold)s): check it says what the notes say",
    part=words("fr").pgettext("part of a draft", "the title"),
    score="0,1",
    threshold="0,3",
)


def same_title(run: RunResult, first: str, second: str, alternatives: bool) -> RunResult:
    """Two of the fixture's themes drafted under one title, the second the smaller."""
    drafts = []
    for draft in run.drafts:
        if draft.theme_id in (first, second):
            others = [
                Sentence(text=f"Sanctions du vote ({draft.theme_id})", cites=draft.title.cites)
            ]
            draft = draft.model_copy(
                update={
                    "title": Sentence(text=VOTE, cites=draft.title.cites),
                    "title_alternatives": others if alternatives else [],
                    "flags": [*draft.flags, WEAK_TITLE],
                    "grounded": True,
                }
            )
        drafts.append(draft)
    return run.model_copy(update={"drafts": drafts})


def test_the_smaller_of_two_themes_titled_alike_takes_its_next_best_title(tmp_path: Path):
    run = same_title(build_run_result(), "t1", "t2", alternatives=True)
    sizes = {t.id: t.size for t in run.themes}
    large, small = sorted(("t1", "t2"), key=lambda t: -sizes[t])
    assert sizes[large] > sizes[small]
    themes, drafts = named_apart(run.themes, run.drafts)
    names = {t.id: t.label for t in themes}
    assert names[large] == VOTE
    assert names[small] == f"Sanctions du vote ({small})"
    assert len(set(names.values())) == len(names)
    draft = {d.theme_id: d for d in drafts}
    # One name everywhere: the draft reads the new title, the old one is an alternative.
    assert draft[small].title.text == names[small]
    assert [a.text for a in draft[small].title_alternatives] == [VOTE]
    assert WEAK_TITLE not in draft[small].flags
    assert draft[large] == {d.theme_id: d for d in run.drafts}[large]  # untouched

    # The reports list them apart.
    named = run.model_copy(update={"themes": themes, "drafts": drafts})
    write_run(named, tmp_path)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert report.count(f"Sanctions du vote ({small})") >= 1


def test_without_another_title_a_keyphrase_then_the_id_tells_them_apart():
    run = same_title(build_run_result(), "t1", "t2", alternatives=False)
    sizes = {t.id: t.size for t in run.themes}
    small = min(("t1", "t2"), key=lambda t: sizes[t])
    themes, drafts = named_apart(run.themes, run.drafts)
    names = {t.id: t.label for t in themes}
    keyphrase = next(t for t in run.themes if t.id == small).keyphrases[0]
    assert names[small] == f"{VOTE} – {keyphrase}"
    assert {d.theme_id: d for d in drafts}[small].title.text == names[small]

    # Themes named by their keyphrases collide too ("Long proposal number"): the id decides
    # when the keyphrases are the name already.
    same = [
        Theme(
            id=tid,
            label="Long proposal number",
            note_ids=[f"n{tid}{i}" for i in range(size)],
            size=size,
            languages={"en": size},
            keyphrases=["long proposal number"],
            representative_ids=[f"n{tid}0"],
        )
        for tid, size in (("T01", 9), ("T02", 5), ("T03", 5))
    ]
    themes, _ = named_apart(same, [])
    assert [t.label for t in themes] == [
        "Long proposal number",
        "Long proposal number (T02)",
        "Long proposal number (T03)",
    ]


def test_distinct_names_are_left_alone():
    run = build_run_result()
    themes, drafts = named_apart(run.themes, run.drafts)
    assert drafts == run.drafts
    titles = {d.theme_id: d.title.text for d in run.drafts}
    assert [t.label for t in themes] == [titles[t.id] for t in run.themes]
    placeholder = Draft(
        theme_id="t9",
        language="fr",
        drafter="compose",
        title=Sentence(text="x", cites=["a"]),
        challenge=Sentence(text="y", cites=["a"]),
        proposal=[],
    )
    assert named_apart([], [placeholder]) == ([], [placeholder])


ENERGY = "Wie könnten wir beim Thema Energie neue Wege gehen?"


def _asking(theme_id: str, question: str, alternatives: list[str], flags: list[str]) -> Draft:
    return Draft(
        theme_id=theme_id,
        language="de",
        drafter="compose",
        title=Sentence(text=f"Titel {theme_id}", cites=["a"]),
        challenge=Sentence(text=question, cites=["a"]),
        challenge_alternatives=[Sentence(text=a, cites=["b"]) for a in alternatives],
        proposal=[],
        flags=flags,
        grounded=True,
    )


def _challenge(theme_id: str, size: int) -> Theme:
    return Theme(
        id=theme_id,
        label=f"Titel {theme_id}",
        note_ids=[f"n{theme_id}{k}" for k in range(size)],
        size=size,
        languages={"de": size},
        keyphrases=[],
        representative_ids=[],
    )


def test_no_two_challenges_ask_one_question() -> None:
    """Two German challenges both asked "… beim Thema Energie neue Wege gehen?": the larger
    keeps it, the smaller asks its next alternative, its flag about the question gone; a
    third without an alternative keeps it, flagged."""
    strand = words("de").gettext(STRAND)
    drafts = [
        _asking("B1", ENERGY, [], [strand]),
        _asking("B2", ENERGY, [ENERGY, "Wie könnten wir Energiegemeinschaften fördern?"], [strand]),
        _asking("B3", ENERGY, [], []),
        _asking("B4", "Wie könnten wir beim Thema Windräder neue Wege gehen?", [], []),
    ]
    challenges = [
        _challenge("B1", 12),
        _challenge("B2", 30),
        _challenge("B3", 5),
        _challenge("B4", 9),
    ]
    asked = {d.theme_id: d for d in asked_apart(challenges, drafts)}
    assert asked["B2"] == drafts[1]  # the largest keeps it
    assert asked["B1"].challenge.text == ENERGY  # no alternative: kept, flagged
    assert words("de").gettext(ASKED_ELSEWHERE) in asked["B1"].flags
    assert asked["B3"].challenge.text == ENERGY
    assert asked["B4"] == drafts[3]
    # A smaller one with an alternative asks it, the old question its first alternative.
    drafts[0] = _asking("B1", ENERGY, ["Wie könnten wir Energie sparen?"], [strand])
    asked = {d.theme_id: d for d in asked_apart(challenges, drafts)}
    assert asked["B1"].challenge.text == "Wie könnten wir Energie sparen?"
    assert [a.text for a in asked["B1"].challenge_alternatives] == [ENERGY]
    assert strand not in asked["B1"].flags and asked["B1"].grounded is None
    assert words("de").gettext(ASKED_NEXT) in asked["B1"].flags  # for the reviewer to check
    texts = [d.challenge.text for d in asked.values()]
    assert texts.count(ENERGY) == 2  # B2, and B3 which has no other question (flagged)
