"""Seconds per draft and tokens per run of a language-model drafter on a workshop.

    python benchmarks/drafting.py                        # llama-cpp, bundled Gemma 3 270M, sample
    python benchmarks/drafting.py --drafter llama-cpp:/models/other.gguf --retries 0
    python benchmarks/drafting.py --drafter openai:llama3.2 --base-url http://127.0.0.1:11434/v1

The steps before drafting (read, prepare, embed, cluster, describe) run once, untimed; then
the drafter drafts every theme as ``ideasynth run`` would (retries, fallback, grounding).
Prints the model's load time, seconds per draft, calls, tokens in and out per run, retries,
fallbacks and why, and how many drafts are grounded and cite only their theme's notes.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import config_for_input
from pipeline.describe import describe_themes
from pipeline.draft import create_drafter
from pipeline.draft.llm import LLMDrafter
from pipeline.ingest import ingest
from pipeline.prepare import prepare
from pipeline.run import (
    apply_assignment,
    cluster_notes,
    embed_notes,
    ground_step,
    keyphrase_vectors,
    output_language,
)
from pipeline.schema import NoteStatus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", nargs="?", default="data/sample", type=Path)
    parser.add_argument("--drafter", default="llama-cpp")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--retries", type=int, default=None)
    parser.add_argument("--themes", type=int, default=None, help="draft only the first N")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    config = config_for_input(args.input)
    config.draft.drafter = args.drafter
    if args.base_url:
        config.draft.base_url = args.base_url
    if args.retries is not None:
        config.draft.retries = args.retries

    t0 = time.perf_counter()
    ingested = ingest(args.input, config.ingest)
    notes = prepare(ingested.notes, config.prepare)
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    embeddings = embed_notes(active, config.embed)
    ids = [n.id for n in active]
    assignment = cluster_notes(embeddings, [n.lang for n in active], config)
    notes = apply_assignment(notes, ids, assignment)
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    language = output_language(active, config.draft.language)
    themes = describe_themes(
        active,
        assignment.labels,
        embeddings,
        config.describe,
        term_vectors=keyphrase_vectors(config),
        language=language,
    )
    themes = themes[: args.themes] if args.themes else themes
    print(f"{len(themes)} themes in {time.perf_counter() - t0:.1f} s; drafting in {language!r}")

    drafter = create_drafter(config.draft)
    if not isinstance(drafter, LLMDrafter):
        sys.exit(f"{args.drafter}: not a language-model drafter")
    load = 0.0
    loader = getattr(drafter.client, "_load", None)
    if loader is not None:  # the in-process model: time its loading apart from drafting
        t1 = time.perf_counter()
        loader()
        load = time.perf_counter() - t1
    by_id = {n.id: n for n in notes}
    drafts = drafter.draft_all(themes, by_id, language)
    stats = drafter.stats
    t2 = time.perf_counter()
    grounded = ground_step(drafts, themes, notes, ids, embeddings, config)
    ground_seconds = time.perf_counter() - t2

    members = {t.id: set(t.note_ids) for t in themes}
    cited = [c for d in grounded for c in d.cited_ids()]
    valid = sum(1 for d in grounded for c in d.cited_ids() if c in members[d.theme_id])
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "drafter": args.drafter,
        "model": stats.model,
        "themes": len(themes),
        "model_load_seconds": round(load, 2),
        "drafting_seconds": stats.seconds,
        "seconds_per_draft": round(stats.seconds / max(1, len(themes)), 2),
        "calls": stats.calls,
        "seconds_per_call": round(stats.seconds / max(1, stats.calls), 2),
        "tokens_in": stats.tokens_in,
        "tokens_out": stats.tokens_out,
        "retries": stats.retries,
        "fallbacks": stats.fallbacks,
        "failures": stats.failures,
        "drafts_in_language": sum(1 for d in grounded if d.language == language),
        "grounded_drafts": sum(1 for d in grounded if d.grounded),
        "valid_cited_ids": f"{valid}/{len(cited)}",
        "grounding_seconds": round(ground_seconds, 2),
    }
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
