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
from pipeline.day2.attach import ChallengeSpace, attach_cards, folded_name
from pipeline.day2.plan import merge_cards
from pipeline.day2.read import read_cards
from pipeline.day2.review import DECISIONS_DB, Day2Log, apply_decisions
from pipeline.day2.shapes import (
    ActionPlan,
    AttachedBy,
    CardAttachment,
    CardsRead,
    Challenge,
    Day2Counts,
    Said,
)
from pipeline.day2.words import PLAN_LANGUAGES, english, reason_shown, recorded
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
from pipeline.draft.compose.drafter import question_language
from pipeline.report.atomic import atomic_write_bytes, atomic_write_text
from pipeline.review.actions import placeholder_title
from pipeline.review.export import handout_language, reviewed_state
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import DECISIONS_DB as REVIEW_DB
from pipeline.review.store import DecisionLog
from pipeline.schema import (
    ActionKind,
    ApprovalState,
    Decision,
    DraftLevel,
    NoteStatus,
    RowStatus,
    RunResult,
    Theme,
)

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
                question_language=question_language(draft),
                facets=[t.label for t in themes],
                keyphrases=[
                    " ".join(u.keyphrases[:KEYPHRASES]) for u in [unit, *themes] if u.keyphrases
                ],
                note_ids=list(unit.note_ids),
            )
        )
    return challenges, rejected


def challenge_names(
    run: RunResult, reviewed: RunResult, decisions: list[Decision]
) -> list[dict[str, list[str]]]:
    """The names a card may call a challenge by, in the order they are trusted; each maps a
    name to the challenges (kept or rejected in review) it names:

    1. the names the challenges and their themes go by now (reviewed titles and labels);
    2. the names a challenge had before: as drafted, and each name the review gave it
       (renamed, retitled, adopted; undone too: a handout may have been printed then);
    3. the names its themes had before, as for a challenge.

    A handout printed before the review renamed a challenge, or merged a theme into another,
    still sends cards under the old name: the name stays the challenge's (or, for a theme
    merged away, that of the challenge which now holds most of its notes)."""
    kept = {t.id: t for t in reviewed.broad_themes}
    themes = {t.id: t for t in reviewed.themes}
    where = {n: t.id for t in reviewed.broad_themes for n in t.note_ids}

    def home(unit_id: str, note_ids: list[str]) -> str | None:
        if unit_id in kept:
            return unit_id
        if unit_id in themes:
            return themes[unit_id].parent_id
        homes = [where[n] for n in note_ids if n in where]
        return max(set(homes), key=homes.count) if homes else None

    current: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    themes_before: dict[str, list[str]] = {}

    def add(tier: dict[str, list[str]], name: str | None, challenge_id: str | None) -> None:
        if not name or not challenge_id or placeholder_title(name):
            return
        ids = tier.setdefault(folded_name(name), [])
        if challenge_id not in ids:
            ids.append(challenge_id)

    for draft in reviewed.drafts:
        if draft.theme_id in kept:
            add(current, draft.title.text, draft.theme_id)
        elif draft.theme_id in themes:
            add(current, draft.title.text, themes[draft.theme_id].parent_id)
    for unit in [*reviewed.broad_themes, *reviewed.themes]:
        add(current, unit.label, unit.id if unit.id in kept else unit.parent_id)
    original: dict[str, Theme] = {t.id: t for t in [*run.broad_themes, *run.themes]}
    broad = {t.id for t in run.broad_themes}
    for unit in original.values():
        add(before if unit.id in broad else themes_before, unit.label, home(unit.id, unit.note_ids))
    for draft in run.drafts:
        drafted = original.get(draft.theme_id)
        if drafted is None:
            continue
        tier = before if drafted.id in broad else themes_before
        for version in (draft, draft.pipeline_draft):
            if version is not None:
                add(tier, version.title.text, home(drafted.id, drafted.note_ids))
    for decision in decisions:
        action = decision.action
        # A split names the new theme, not the one its notes left.
        unit_id = action.new_theme_id if action.kind is ActionKind.SPLIT else action.theme_id
        if unit_id is None:
            continue
        named = original.get(unit_id)
        tier = before if unit_id in broad or unit_id in kept else themes_before
        challenge_id = home(unit_id, named.note_ids if named else list(action.note_ids))
        add(tier, action.label, challenge_id)
        add(tier, action.title, challenge_id)
    return [current, before, themes_before]


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
    names = challenge_names(run, reviewed, DecisionLog(Path(run_dir) / REVIEW_DB).read())
    space = ChallengeSpace(challenges, notes, embedder.embed, rejected, names)
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


def reason_codes(attachment: CardAttachment) -> str:
    """Why a card is attached where it is, for a program: the codes of its reasons
    (``pipeline.day2.words.SENTENCES``), space-separated ("names_rejected nearest")."""
    if attachment.why:
        return " ".join(said.code for said in attachment.why)
    found = [recorded(text) for text in attachment.reason.split("; ")]
    return " ".join(said.code for said in found if said is not None)


def ledger_csv(plan: ActionPlan, read: CardsRead) -> str:
    """One row per row read and per file not read, in reading order: a card row names its
    challenge (or ``unattached``), how it was attached, why in the plan's language
    (``reason``, for the people who check the plan) and as codes (``reason_code``, for a
    program), and its action."""
    attachment = {a.card_id: a for a in plan.attachments}
    action_of = {cid: a.id for a in plan.actions for cid in a.card_ids}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["source", "location", "status", "card_id", "challenge_id", "attached_by", "action_id",
         "reason", "text", "reason_code"]
    )  # fmt: skip
    for row in read.rows:
        if row.status is RowStatus.NOTE and row.note_id in attachment:
            a = attachment[row.note_id]
            writer.writerow(
                [row.source, row.location, "card", row.note_id, a.challenge_id or UNATTACHED,
                 a.by.value, action_of.get(row.note_id, ""), reason_shown(a, plan.language),
                 row.text, reason_codes(a)]
            )  # fmt: skip
        else:
            writer.writerow(
                [row.source, row.location, row.status.value, row.note_id or "", "", "", "",
                 row.reason or "", row.text, ""]
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
