"""Do a review's decisions survive a re-run with 30 more notes? Prints what happened.

    python benchmarks/review_rerun.py [--sample data/sample] [--out /tmp/review_rerun]

1. Runs the sample workshop.
2. Reviews it through the app's own checks: renames the largest theme, merges the two
   smallest, splits three notes off the second largest, approves three drafts, marks an
   unassigned note as noise, comments; then, for the challenges, approves the largest one's
   draft, adopts another question for the next one that offers one, edits the title of the
   smallest and renames the middle one.
3. Copies the workshop, adds 30 new notes (20 on its existing topics in four languages, 10
   on a topic it did not have) and runs it again into the same output folder.
4. Prints the theme matching (Jaccard, cosine), the ids kept at both levels (themes and
   challenges, each challenge with its themes), the decisions re-applied (those about
   challenges counted apart) and those that no longer apply, with why.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.config import config_for_input
from pipeline.review.app import Review
from pipeline.review.rundir import CARRIED_JSON
from pipeline.run import run_workshop
from pipeline.schema import ActionKind, ReviewAction

EXTRA_NOTES = [
    # On the workshop's existing topics.
    ("fr", "Former les agents à animer des réunions publiques difficiles"),
    ("fr", "Dire aux habitants ce qui a été retenu de leurs propositions"),
    ("fr", "Aller à la rencontre des jeunes dans les clubs de sport"),
    ("fr", "Vérifier par un humain chaque résumé produit par l'IA"),
    ("fr", "Un droit de réponse écrit pour chaque avis citoyen"),
    ("nl", "Ambtenaren trainen in het begeleiden van bewonersavonden"),
    ("nl", "Terugkoppelen wat er met elk voorstel gebeurd is"),
    ("nl", "Jongeren opzoeken op school en in de jeugdhuizen"),
    ("nl", "Geen AI-samenvattingen zonder menselijke controle"),
    ("nl", "Inspraakrecht wettelijk vastleggen"),
    ("de", "Schulungen für Mitarbeitende zur Moderation von Bürgerdialogen"),
    ("de", "Den Teilnehmenden zurückmelden, was aus ihren Ideen wurde"),
    ("de", "Ältere Menschen zu Hause besuchen und einbeziehen"),
    ("de", "KI-Zusammenfassungen immer von Menschen prüfen lassen"),
    ("de", "Beteiligungsrechte gesetzlich verankern"),
    ("en", "Train staff to facilitate heated public meetings"),
    ("en", "Report back to people on what happened to their ideas"),
    ("en", "Meet young people where they already are"),
    ("en", "Never publish an AI summary without human review"),
    ("en", "Give residents a legal right to be consulted"),
    # A topic the first run did not have: participatory budgeting.
    ("fr", "Un budget participatif pour chaque quartier"),
    ("fr", "Les habitants votent sur une part du budget communal"),
    ("fr", "Réserver cinq pour cent du budget aux projets citoyens"),
    ("nl", "Een burgerbegroting per wijk"),
    ("nl", "Bewoners stemmen over een deel van het gemeentebudget"),
    ("de", "Ein Bürgerhaushalt für jedes Viertel"),
    ("de", "Bürgerinnen entscheiden über einen Teil des Haushalts"),
    ("en", "A participatory budget for every neighbourhood"),
    ("en", "Residents vote on how part of the city budget is spent"),
    ("en", "Set aside a share of the budget for citizen projects"),
]


TEXT_FILES = (".csv", ".txt", ".md")


def noise_candidate(r: Review, unassigned: list[str]) -> str | None:
    """An unassigned note from a text file, so the re-run can correct its typo."""
    for nid in unassigned:
        note = r.notes[nid]
        if note.source.endswith(TEXT_FILES) and note.parent_id is None:
            return nid
    return None


def review(run_dir: Path) -> str | None:
    """A plausible first review, through the app's own validation."""
    r = Review(run_dir)
    _, state = r.state()
    themes = sorted(state.themes.values(), key=lambda t: -t.size)

    def submit(action: ReviewAction) -> None:
        r.submit(action, "bench", r.log.version())

    submit(ReviewAction(kind=ActionKind.RENAME, theme_id=themes[0].id, label="Renamed by bench"))
    small = themes[-2:]
    submit(ReviewAction(kind=ActionKind.MERGE, theme_ids=[small[0].id, small[1].id]))
    submit(
        ReviewAction(kind=ActionKind.SPLIT, theme_id=themes[1].id, note_ids=themes[1].note_ids[:3])
    )
    _, state = r.state()
    for theme in themes[:3]:
        draft = state.drafts[theme.id].draft
        assert draft is not None
        submit(ReviewAction.approval(theme.id, draft))
    noise = noise_candidate(r, state.unassigned)
    if noise:
        submit(ReviewAction(kind=ActionKind.NOISE, note_ids=[noise]))
    submit(ReviewAction(kind=ActionKind.COMMENT, theme_id=themes[2].id, text="Ask the city"))
    review_challenges(r, submit)
    return noise


def review_challenges(r: Review, submit: Callable[[ReviewAction], None]) -> None:
    """The challenge level's review: an approval, an adopted question, an edited title and a
    rename, each on a challenge of its own where the run has enough of them."""
    _, state = r.state()
    challenges = sorted(state.challenges.values(), key=lambda c: -c.size)
    if not challenges:
        return
    first = challenges[0]
    draft = state.drafts[first.id].draft
    assert draft is not None
    submit(ReviewAction.approval(first.id, draft))
    offered = [
        (c.id, d.challenge_alternatives[0])
        for c in challenges[1:]
        if (d := state.drafts[c.id].draft) is not None and d.challenge_alternatives
    ]
    if offered:
        unit_id, alternative = offered[0]
        submit(
            ReviewAction(
                kind=ActionKind.ADOPT,
                theme_id=unit_id,
                challenge=alternative.text,
                note_ids=list(alternative.cites),
            )
        )
    last = challenges[-1]
    _, state = r.state()
    draft = state.drafts[last.id].draft
    assert draft is not None
    submit(
        ReviewAction(
            kind=ActionKind.EDIT_DRAFT,
            theme_id=last.id,
            title="Titre revu par le banc",
            challenge=draft.challenge.text,
            proposal=[s.text for s in draft.proposal],
        )
    )
    middle = challenges[len(challenges) // 2]
    submit(ReviewAction(kind=ActionKind.RENAME, theme_id=middle.id, label="Défi renommé"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=Path, default=Path("data/sample"))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="review-rerun-"))

    t0 = time.perf_counter()
    first, first_dir = run_workshop(args.sample, config_for_input(args.sample, None), out)
    t1 = time.perf_counter()
    noise = review(first_dir)

    work = Path(tempfile.mkdtemp(prefix="review-rerun-input-")) / args.sample.name
    shutil.copytree(args.sample, work)
    if noise:
        # In the morning someone corrects that note in its file: a new note, a new id.
        note = next(n for n in first.notes if n.id == noise)
        source = work / note.source
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(note.original_text, note.original_text + " !", 1), "utf-8")
    with (work / "morning_extra.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Note", "Table"])
        writer.writerows([(text, 9) for _, text in EXTRA_NOTES])
    t2 = time.perf_counter()
    second, second_dir = run_workshop(work, config_for_input(work, None), out)
    t3 = time.perf_counter()

    carried = json.loads((second_dir / CARRIED_JSON).read_text(encoding="utf-8"))
    for name, result, seconds in (("first", first, t1 - t0), ("second", second, t3 - t2)):
        ideas = result.manifest.counts.ideas
        print(f"{name} run: {len(result.themes)} themes, {ideas} ideas ({seconds:.1f} s)")
    kept = [m for m in carried["matches"] if m["previous_id"]]
    print(f"themes keeping their id: {len(kept)} of {len(second.themes)}")
    for m in carried["matches"]:
        print(
            f"  {m['new_id']} -> {m['final_id']:4} previous {m['previous_id'] or '-':4} "
            f"jaccard {m['jaccard']:.2f} cosine {m['cosine'] if m['cosine'] is not None else '-'}"
        )
    previous_ids = {t.id for t in first.themes}
    gone = sorted(previous_ids - {t.id for t in second.themes})
    print(f"previous themes not found again: {', '.join(gone) or 'none'}")
    print(f"decisions re-applied: {len(carried['reapplied'])}")
    for d in carried["reapplied"]:
        action = d["action"]
        print(f"  {action['kind']} {action.get('theme_id') or action.get('theme_ids', '')}")
    print(f"decisions that no longer apply: {len(carried['no_longer_apply'])}")
    for d in carried["no_longer_apply"]:
        print(f"  {d['action']['kind']} {d['action'].get('theme_id', '')}: {d['reason']}")
    challenges_before = {b.id for b in first.broad_themes}
    same = [b.id for b in second.broad_themes if b.id in challenges_before]
    print(f"challenges keeping their id: {len(same)} of {len(second.broad_themes)}")
    for name, result in (("first", first), ("second", second)):
        print(f"  {name} run's challenges:")
        for b in result.broad_themes:
            facets = [t.id for t in result.themes if t.parent_id == b.id]
            print(f"    {b.id:4} {b.size:3} notes: {', '.join(facets)}")

    def about_challenge(d: dict[str, Any]) -> bool:
        return str(d["action"].get("theme_id") or "").startswith("B")

    print(
        f"challenge decisions re-applied: {sum(map(about_challenge, carried['reapplied']))} "
        f"of {sum(map(about_challenge, carried['reapplied'] + carried['no_longer_apply']))}"
    )
    print(f"approvals in report.html: {second.approvals}")
    print(f"runs in {out}")


if __name__ == "__main__":
    main()
