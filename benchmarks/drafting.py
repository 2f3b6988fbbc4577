"""How well drafts read: the share a facilitator could hand out, grounded, flagged, and speed.

    python benchmarks/drafting.py                     # compose, the sample in fr, nl, de, en,
                                                      # and the Polis workshop file in en
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
- seconds per draft: the draft step's time over the number of drafts.

It prints a table and ``--examples N`` challenges per set, verbatim.
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
from pipeline.draft.compose.checks import form_problems
from pipeline.draft.compose.questions import RULES
from pipeline.run import run_embedder, run_workshop
from pipeline.schema import Draft, DraftLevel

POLIS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "polis_dev_workshop300.tsv"
DEFAULT_SETS = ["sample:fr", "sample:nl", "sample:de", "sample:en", f"{POLIS}:en"]


def measure(spec: str, drafter: str, base_url: str | None, examples: int) -> dict[str, object]:
    path_text, _, language = spec.rpartition(":")
    path = Path("data/sample" if path_text == "sample" else path_text)
    config = config_for_input(path)
    config.draft.drafter = drafter
    config.draft.language = language
    config.labels = None
    if base_url:
        config.draft.base_url = base_url
    with tempfile.TemporaryDirectory() as out:
        result, _ = run_workshop(path, config, Path(out), language=language)
    units = {t.id: set(t.note_ids) for t in [*result.themes, *result.broad_themes]}
    drafts = result.drafts
    problems = {d.theme_id: form_problems(d, language) for d in drafts}
    well_formed = [d for d in drafts if not problems[d.theme_id]]
    grounded = [
        d for d in drafts if d.challenge.supported and d.cited_ids() <= units.get(d.theme_id, set())
    ]
    seconds = result.manifest.timings.get("draft", 0.0)
    agreement = title_question_agreement(drafts, language, run_embedder(config.embed).embed)
    challenges = [d for d in drafts if d.level is DraftLevel.CHALLENGE]
    shown = sorted(challenges, key=lambda d: -len(units.get(d.theme_id, ())))[:examples]
    return {
        "set": f"{path.name}:{language}",
        "drafts": len(drafts),
        "challenges": len(challenges),
        "well_formed": round(len(well_formed) / max(len(drafts), 1), 3),
        "grounded": round(len(grounded) / max(len(drafts), 1), 3),
        "flagged": round(sum(1 for d in drafts if d.flags) / max(len(drafts), 1), 3),
        "seconds_per_draft": round(seconds / max(len(drafts), 1), 3),
        "title_question": agreement,
        "problems": sorted({p for ps in problems.values() for p in ps}),
        "examples": [
            {
                "title": d.title.text,
                "challenge": d.challenge.text,
                "proposals": [f"{s.text} ({len(s.cites)})" for s in d.proposal],
            }
            for d in shown
        ],
    }


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
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    started = time.perf_counter()
    rows = []
    for spec in args.sets:
        if spec.rpartition(":")[0] not in {"sample"} and not Path(spec.rpartition(":")[0]).exists():
            print(f"skipped {spec}: file not found", file=sys.stderr)
            continue
        rows.append(measure(spec, args.drafter, args.base_url, args.examples))
    print(
        f"# drafting benchmark, {time.strftime('%Y-%m-%d')}, drafter {args.drafter}, "
        f"{platform.machine()} {platform.system()}, Python {platform.python_version()}"
    )
    print()
    print("| set | drafts | well formed | grounded | flagged | title ~ question | s/draft |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['set']} | {row['drafts']} | {row['well_formed']:.0%} | "
            f"{row['grounded']:.0%} | {row['flagged']:.0%} | {row['title_question']} | "
            f"{row['seconds_per_draft']} |"
        )
    for row in rows:
        print(f"\n## {row['set']}")
        if row["problems"]:
            print("problems seen: " + "; ".join(row["problems"]))  # type: ignore[arg-type]
        for example in row["examples"]:  # type: ignore[attr-defined]
            print(f"\n- **{example['title']}**: {example['challenge']}")
            for proposal in example["proposals"]:
                print(f"  - {proposal}")
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
