"""Day 2 as one plain function: a folder of action cards and a reviewed Day 1 run in, the
action plan out, written into ``RUN_DIR/day2/``.

Everything read is accounted for in ``day2/ledger.csv`` (one row per row read and per file
not read, as Day 1's ledger) and ``day2/manifest.json`` (counts that reconcile, the files
read with their sha256, the settings used).
"""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from pipeline.config import EmbedConfig, config_for_input
from pipeline.day2.attach import ChallengeSpace, attach_cards
from pipeline.day2.plan import merge_cards
from pipeline.day2.read import read_cards
from pipeline.day2.review import DECISIONS_DB, Day2Log, apply_decisions
from pipeline.day2.shapes import (
    ActionPlan,
    AttachedBy,
    CardsRead,
    Challenge,
    Day2Counts,
    Said,
)
from pipeline.day2.words import PLAN_LANGUAGES, english
from pipeline.day2.write import (
    ACTION_PLAN_DOCX,
    ACTION_PLAN_HTML,
    ACTION_PLAN_MD,
    ACTIONS_CSV,
    actions_csv,
    plan_docx,
    plan_html,
    plan_markdown,
)
from pipeline.report.atomic import atomic_write_bytes, atomic_write_text
from pipeline.review.export import handout_language, reviewed_state
from pipeline.review.reviewed import reviewed_result
from pipeline.schema import ApprovalState, DraftLevel, NoteStatus, RowStatus, RunResult

DAY2_DIR = "day2"
LEDGER_CSV = "ledger.csv"
MANIFEST_JSON = "manifest.json"
PLAN_JSON = "plan.json"
UNATTACHED = "unattached"
KEYPHRASES = 4
"""Keyphrases per challenge and theme that a name on a card is compared with."""


class Day2Error(ValueError):
    """A Day 2 problem people can fix; the message is one line."""


@dataclass
class Day2Result:
    plan: ActionPlan
    out_dir: Path
    written: dict[str, Path]
    seconds: float
    stale: list[str]
    """Review decisions that no longer apply, with why, in English (as in ``manifest.json``)."""


def reviewed_challenges(run: RunResult, reviewed: RunResult) -> tuple[list[Challenge], list[str]]:
    """The run's challenges as the review left them (names, questions, notes), and the ids of
    those rejected in review."""
    units = {t.id: t for t in reviewed.broad_themes}
    drafts = [d for d in reviewed.drafts if d.level is DraftLevel.CHALLENGE]
    challenges, rejected = [], []
    for draft in drafts:
        unit = units.get(draft.theme_id)
        if unit is None:
            continue
        themes = [t for t in reviewed.themes if t.parent_id == unit.id]
        if reviewed.approvals.get(draft.theme_id) == ApprovalState.REJECTED.value:
            rejected.append(draft.theme_id)
            continue
        challenges.append(
            Challenge(
                id=draft.theme_id,
                title=draft.title.text or unit.label,
                question=draft.challenge.text,
                facets=[t.label for t in themes],
                keyphrases=[
                    " ".join(u.keyphrases[:KEYPHRASES]) for u in [unit, *themes] if u.keyphrases
                ],
                note_ids=list(unit.note_ids),
            )
        )
    return challenges, rejected


def build_plan(
    folder: Path, run_dir: Path, language: str | None = None
) -> tuple[ActionPlan, CardsRead]:
    """Read, attach, merge and rank. Raises Day2Error, IngestError, RunFolderError."""
    run, state = reviewed_state(Path(run_dir))
    language = language or handout_language(run)
    if language not in PLAN_LANGUAGES:
        raise Day2Error(f"--lang must be one of {', '.join(PLAN_LANGUAGES)}, not {language!r}")
    reviewed = reviewed_result(run, state)
    challenges, rejected = reviewed_challenges(run, reviewed)
    config = config_for_input(Path(folder))
    read = read_cards(Path(folder), config.ingest)
    settings = run.manifest.config.get("embed") if run.manifest.config else None
    from pipeline.embed.for_run import run_embedder

    embedder = run_embedder(EmbedConfig.model_validate(settings or {}))
    notes = {n.id: n.text for n in reviewed.notes if n.status is NoteStatus.ACTIVE}
    space = ChallengeSpace(challenges, notes, embedder.embed, rejected)
    attachments = attach_cards(read.cards, space)
    actions = merge_cards(read.cards, attachments, embedder.embed)
    plan = ActionPlan(
        workshop=run.manifest.workshop,
        language=language,
        run_dir=str(run_dir),
        challenges=challenges,
        cards=read.cards,
        attachments=attachments,
        actions=actions,
        files=read.files,
        rejected=read.rejected,
        errors=read.errors,
    )
    plan.counts = count(plan, read)
    return plan, read


def count(plan: ActionPlan, read: CardsRead) -> Day2Counts:
    by_status = {status: 0 for status in RowStatus}
    for row in read.rows:
        by_status[row.status] += 1
    attached = sum(1 for a in plan.attachments if a.challenge_id is not None)
    unattached = sum(1 for a in plan.attachments if a.challenge_id is None)
    merged = sum(len(a.card_ids) - 1 for a in plan.actions)
    cards = len(plan.cards)
    ledger_rows = len(read.rows)
    reconciles = (
        ledger_rows
        == by_status[RowStatus.SKIPPED_FILE]
        + by_status[RowStatus.STRUCTURE]
        + by_status[RowStatus.REJECTED_ROW]
        + by_status[RowStatus.NOTE]
        and by_status[RowStatus.NOTE] == cards == attached + unattached
        and sum(len(a.card_ids) for a in plan.actions) == cards
    )
    return Day2Counts(
        ledger_rows=ledger_rows,
        skipped_files=by_status[RowStatus.SKIPPED_FILE],
        structure_rows=by_status[RowStatus.STRUCTURE],
        rejected_rows=by_status[RowStatus.REJECTED_ROW],
        cards=cards,
        attached=attached,
        unattached=unattached,
        actions=len(plan.actions),
        merged_cards=merged,
        reconciles=reconciles,
    )


def ledger_csv(plan: ActionPlan, read: CardsRead) -> str:
    """One row per row read and per file not read, in reading order: a card row names its
    challenge (or ``unattached``), how it was attached and why, and its action."""
    attachment = {a.card_id: a for a in plan.attachments}
    action_of = {cid: a.id for a in plan.actions for cid in a.card_ids}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["source", "location", "status", "card_id", "challenge_id", "attached_by", "action_id",
         "reason", "text"]
    )  # fmt: skip
    for row in read.rows:
        if row.status is RowStatus.NOTE and row.note_id in attachment:
            a = attachment[row.note_id]
            writer.writerow(
                [row.source, row.location, "card", row.note_id, a.challenge_id or UNATTACHED,
                 a.by.value, action_of.get(row.note_id, ""), a.reason, row.text]
            )  # fmt: skip
        else:
            writer.writerow(
                [row.source, row.location, row.status.value, row.note_id or "", "", "", "",
                 row.reason or "", row.text]
            )  # fmt: skip
    return buffer.getvalue()


class Day2Snapshot(BaseModel):
    """The plan as the cards gave it, before review, and the rows read: what the review
    replays its decisions over (``day2/plan.json``)."""

    plan: ActionPlan
    read: CardsRead


def reviewed_plan(out: Path, snapshot: Day2Snapshot) -> tuple[ActionPlan, list[Said]]:
    """The snapshot's plan with the review's decisions applied, its counts redone."""
    plan, stale = apply_decisions(snapshot.plan, Day2Log(out / DECISIONS_DB).read())
    plan.counts = count(plan, snapshot.read)
    return plan, stale


def run_day2(
    folder: Path, run_dir: Path, language: str | None = None, out_dir: Path | None = None
) -> Day2Result:
    """Build the plan, apply the review's decisions, and write it (``RUN_DIR/day2/`` unless
    ``out_dir``)."""
    start = time.perf_counter()
    machine, read = build_plan(folder, run_dir, language)
    out = Path(out_dir) if out_dir is not None else Path(run_dir) / DAY2_DIR
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Day2Error(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    snapshot = Day2Snapshot(plan=machine, read=read)
    atomic_write_text(out / PLAN_JSON, snapshot.model_dump_json())
    plan, unapplied = reviewed_plan(out, snapshot)
    stale = [english([said]) for said in unapplied]
    written = write_plan(out, plan, read)
    seconds = time.perf_counter() - start
    manifest = {
        "workshop": plan.workshop,
        "run_dir": str(run_dir),
        "cards_folder": str(folder),
        "language": plan.language,
        "counts": plan.counts.model_dump() if plan.counts else None,
        "attached_by": {
            by.value: sum(1 for a in plan.attachments if a.by is by) for by in AttachedBy
        },
        "review": {
            "decisions": len(Day2Log(out / DECISIONS_DB).read()),
            "no_longer_apply": stale,
        },
        "files": [f.model_dump(mode="json") for f in plan.files],
        "errors": plan.errors,
        "seconds": round(seconds, 2),
    }
    written[MANIFEST_JSON] = atomic_write_text(
        out / MANIFEST_JSON, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    )
    return Day2Result(plan, out, written, seconds, stale)


def write_plan(out: Path, plan: ActionPlan, read: CardsRead) -> dict[str, Path]:
    """The plan's four files and the ledger, each written atomically."""
    return {
        ACTION_PLAN_HTML: atomic_write_text(out / ACTION_PLAN_HTML, plan_html(plan)),
        ACTION_PLAN_MD: atomic_write_text(out / ACTION_PLAN_MD, plan_markdown(plan)),
        ACTION_PLAN_DOCX: atomic_write_bytes(out / ACTION_PLAN_DOCX, plan_docx(plan)),
        ACTIONS_CSV: atomic_write_text(out / ACTIONS_CSV, actions_csv(plan)),
        LEDGER_CSV: atomic_write_text(out / LEDGER_CSV, ledger_csv(plan, read)),
    }
