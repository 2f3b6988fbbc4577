"""How well drafts read: the share a facilitator could hand out, grounded, flagged, and speed.

    python benchmarks/drafting.py                     # compose, the sample in fr, nl, de, en,
                                                      # the Polis workshop file in en, and
                                                      # 300 German proposals (random_state=1)
    python benchmarks/drafting.py --sets ../shared/benchmarks/polis_dev_klimarat_de.tsv@300:de
    python benchmarks/drafting.py --drafter llama-cpp --sets sample:fr
    python benchmarks/drafting.py --drafter openai:llama3.2 --base-url http://127.0.0.1:11434/v1

Each set runs the whole pipeline as ``ideasynth run`` would (into a temporary folder), then
checks every drafted unit, challenges and facets:

- well formed: ``pipeline.draft.compose.checks.form_problems`` finds nothing (the question's
  stem, "?", 6 to 30 words, no quote, in the output language by the language identifier; a
  title of at most 8 words that is no keyword list);
- grounded: the challenge is supported by its cited notes (``draft.grounding_threshold``)
  and every cited id belongs to its unit;
- flagged: the draft carries a flag for the reviewer;
- title ~ question: the median cosine between a draft's title and its question (without the
  stem), in the run's embedding space; the heading and its question must speak of the same
  thing;
- grammar errors per draft: French by Grammalecte (agreement, conjugation, case; typography
  not counted; "n/a" where it is not installed), German by the rules' own agreement check
  of the article and adjectives they add;
- title support: the share of a unit's notes to which the title is closer than half of the
  note's fellow notes are, in the run's embedding space (a title that names what most notes
  are about scores high; one note's detail scores low);
- question centrality: how central the question is among its unit's notes, the share of the
  notes less close to the unit's centroid than the question (1.0: more central than all);
- seconds per draft: the draft step's time over the number of drafts.

A set is ``PATH:LANG``, ``sample:LANG``, or ``PATH@N:LANG`` for N rows sampled with
``random_state=1`` (a workshop-sized sample of a larger file). It prints a table, then every
challenge of each set with its title, question and first three proposals, verbatim.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collections.abc import Callable

import numpy as np

from pipeline.config import config_for_input
from pipeline.draft.compose.checks import form_problems, grammar_errors
from pipeline.draft.compose.rules import RULES
from pipeline.embed.for_run import run_embedder
from pipeline.run import run_workshop
from pipeline.schema import Draft, DraftLevel

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
POLIS = SHARED / "polis_dev_workshop300.tsv"
KLIMARAT = SHARED / "polis_dev_klimarat_de.tsv"
DEFAULT_SETS = [
    "sample:fr",
    "sample:nl",
    "sample:de",
    "sample:en",
    f"{POLIS}:en",
    f"{KLIMARAT}@300:de",
]


def _sampled(path: Path, rows: int, folder: Path) -> Path:
    """``rows`` rows of a labelled TSV, drawn as the project's figures draw them, as a notes
    file of a workshop folder (text and id only: the labels stay out of the run)."""
    import pandas as pd

    table = pd.read_csv(path, sep="\t", keep_default_na=False, dtype={"text": str})
    sample = table.sample(min(rows, len(table)), random_state=1)
    target = folder / f"{path.stem}-{rows}" / "notes.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    sample[["uid", "text"]].to_csv(target, index=False)
    return target.parent


def measure(spec: str, drafter: str, base_url: str | None, examples: int) -> dict[str, object]:
    path_text, _, language = spec.rpartition(":")
    path_text, _, rows = path_text.partition("@")
    with tempfile.TemporaryDirectory() as out:
        path = Path("data/sample" if path_text == "sample" else path_text)
        if rows:
            path = _sampled(path, int(rows), Path(out))
        config = config_for_input(path)
        config.draft.drafter = drafter
        config.draft.language = language
        config.labels = None
        if base_url:
            config.draft.base_url = base_url
        result, _ = run_workshop(path, config, Path(out) / "runs", language=language)
    units = {t.id: set(t.note_ids) for t in [*result.themes, *result.broad_themes]}
    drafts = result.drafts
    problems = {d.theme_id: form_problems(d, language) for d in drafts}
    well_formed = [d for d in drafts if not problems[d.theme_id]]
    grounded = [
        d for d in drafts if d.challenge.supported and d.cited_ids() <= units.get(d.theme_id, set())
    ]
    seconds = result.manifest.timings.get("draft", 0.0)
    embed = run_embedder(config.embed).embed
    agreement = title_question_agreement(drafts, language, embed)
    errors = [grammar_errors(d, language) for d in drafts]
    counted = [e for e in errors if e is not None]
    vectors = dict(
        zip([n.id for n in result.notes], embed([n.text for n in result.notes]), strict=True)
    )
    support, centrality = title_support_and_centrality(drafts, units, vectors, language, embed)
    challenges = [d for d in drafts if d.level is DraftLevel.CHALLENGE]
    shown = sorted(challenges, key=lambda d: -len(units.get(d.theme_id, ())))[:examples]
    return {
        "set": f"{Path(path_text).name}{'@' + rows if rows else ''}:{language}",
        "drafts": len(drafts),
        "challenges": len(challenges),
        "well_formed": round(len(well_formed) / max(len(drafts), 1), 3),
        "grounded": round(len(grounded) / max(len(drafts), 1), 3),
        "flagged": round(sum(1 for d in drafts if d.flags) / max(len(drafts), 1), 3),
        "grammar_errors": (
            round(sum(len(e) for e in counted) / len(counted), 3) if counted else None
        ),
        "title_support": support,
        "question_centrality": centrality,
        "seconds_per_draft": round(seconds / max(len(drafts), 1), 3),
        "title_question": agreement,
        "problems": sorted({p for ps in problems.values() for p in ps}),
        "examples": [
            {
                "id": d.theme_id,
                "notes": len(units.get(d.theme_id, ())),
                "title": d.title.text,
                "challenge": d.challenge.text,
                "proposals": [f"{s.text} ({len(s.cites)})" for s in d.proposal[:3]],
                "problems": problems[d.theme_id] + (grammar_errors(d, language) or []),
            }
            for d in shown
        ],
    }


def _unit_vectors(matrix: np.ndarray) -> np.ndarray:
    return np.asarray(matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(min=1e-12))


def title_support_and_centrality(
    drafts: list[Draft],
    units: dict[str, set[str]],
    vectors: dict[str, np.ndarray],
    language: str,
    embed: Callable[[list[str]], object],
) -> tuple[float, float]:
    """Median title support and median question centrality over the drafts (see the module's
    docstring), in the run's embedding space."""
    stem = RULES[language].stem if language in RULES else ""
    supports, centralities = [], []
    titles = _unit_vectors(np.asarray(embed([d.title.text for d in drafts]), dtype=np.float64))
    asked = [d.challenge.text.removeprefix(stem).strip(" ?") or d.challenge.text for d in drafts]
    questions = _unit_vectors(np.asarray(embed(asked), dtype=np.float64))
    for draft, title, question in zip(drafts, titles, questions, strict=True):
        ids = [i for i in sorted(units.get(draft.theme_id, ())) if i in vectors]
        if len(ids) < 3:
            continue
        notes = _unit_vectors(np.vstack([vectors[i] for i in ids]).astype(np.float64))
        pairs = notes @ notes.T
        np.fill_diagonal(pairs, np.nan)
        fellow = np.nanmedian(pairs, axis=1)
        supports.append(float(np.mean(notes @ title >= fellow)))
        centroid = notes.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        centralities.append(float(np.mean(notes @ centroid < float(question @ centroid))))
    median = lambda values: round(float(np.median(values)), 3) if values else 0.0  # noqa: E731
    return median(supports), median(centralities)


def title_question_agreement(
    drafts: list[Draft], language: str, embed: Callable[[list[str]], object]
) -> float:
    """The median cosine, in the run's embedding space, between each draft's title and its
    question without the stem: low when the heading and its question speak of different
    things ("Calendrier" over a question about report-back meetings)."""
    stem = RULES[language].stem if language in RULES else ""
    pairs = [(d.title.text, d.challenge.text.removeprefix(stem).strip(" ?")) for d in drafts]
    if not pairs:
        return 0.0
    titles = np.asarray(embed([t for t, _ in pairs]), dtype=np.float64)
    questions = np.asarray(embed([q for _, q in pairs]), dtype=np.float64)
    titles /= np.linalg.norm(titles, axis=1, keepdims=True).clip(min=1e-12)
    questions /= np.linalg.norm(questions, axis=1, keepdims=True).clip(min=1e-12)
    return round(float(np.median((titles * questions).sum(axis=1))), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", default=DEFAULT_SETS, help="PATH:LANG, or sample:LANG")
    parser.add_argument("--drafter", default="compose")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--examples", type=int, default=100, help="challenges shown per set")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    started = time.perf_counter()
    rows = []
    for spec in args.sets:
        source = spec.rpartition(":")[0].partition("@")[0]
        if source != "sample" and not Path(source).exists():
            print(f"skipped {spec}: file not found", file=sys.stderr)
            continue
        rows.append(measure(spec, args.drafter, args.base_url, args.examples))
    print(
        f"# drafting benchmark, {time.strftime('%Y-%m-%d')}, drafter {args.drafter}, "
        f"{platform.machine()} {platform.system()}, Python {platform.python_version()}"
    )
    print()
    print(
        "| set | drafts | well formed | grammar errors / draft | title support | "
        "question centrality | title ~ question | grounded | flagged | s/draft |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        errors = "n/a" if row["grammar_errors"] is None else row["grammar_errors"]
        print(
            f"| {row['set']} | {row['drafts']} | {row['well_formed']:.0%} | {errors} | "
            f"{row['title_support']} | {row['question_centrality']} | {row['title_question']} | "
            f"{row['grounded']:.0%} | {row['flagged']:.0%} | {row['seconds_per_draft']} |"
        )
    for row in rows:
        print(f"\n## {row['set']}")
        if row["problems"]:
            print("problems seen: " + "; ".join(row["problems"]))  # type: ignore[arg-type]
        for example in row["examples"]:  # type: ignore[attr-defined]
            print(f"\n- {example['id']} ({example['notes']} notes) **{example['title']}**")
            print(f"  {example['challenge']}")
            for proposal in example["proposals"]:
                print(f"  - {proposal}")
            if example["problems"]:
                print(f"  problems: {'; '.join(example['problems'])}")
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
