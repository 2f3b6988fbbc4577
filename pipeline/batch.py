"""Many workshops in one go: find them, fingerprint them, run each, and resume after a crash.

Plain functions, no orchestrator: ``flows/batch.py`` runs :func:`run_planned` once per
workshop as a Prefect task (on threads or on a Dask cluster) and the CLI calls that flow.

A workshop's runs are filed as ``ideasynth run`` files them: under ``<out>/<workshop>/``,
the ``workshop`` of its ``ideasynth.toml``, else its folder's name, so that a facilitator's
reviewed run and the nightly batch carry on from each other. Copies of one workshop folder,
which keep that name, are so many workshops: each is filed under its folder's name. Either
command finds earlier runs filed under the folder's name (where batches filed them before).

Crash safety rests on two rules:

* a run is written into ``<out>/.staging/`` and renamed into ``<out>/<folder>/`` only once
  it is whole, so a workshop's folder never holds a half-written run;
* its ``manifest.json`` carries the fingerprint of what produced it (input bytes, config,
  version), so a re-run skips exactly the workshops whose fingerprint still has a run, and
  redoes the ones that failed, changed or were cut off.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from pipeline import __version__
from pipeline.config import Config, config_for_input, load_config
from pipeline.i18n import N_, SaidError
from pipeline.ingest.walk import DAY2_FOLDER
from pipeline.report.writer import MANIFEST_JSON, is_complete
from pipeline.schema import WorkshopOutcome

STAGING = ".staging"
"""Runs in progress live here until they are complete; leftovers of a crash are removed."""
LOCK = ".batch.lock"
HASH_CHUNK = 1 << 20


NOT_A_FOLDER = N_("%(folder)s: not a folder (give a folder holding one folder per workshop)")
NO_WORKSHOPS = N_("%(folder)s: no workshop folders in it (one folder per workshop)")
BUSY = N_("%(folder)s: another batch is writing there; wait for it to end")
NO_SCHEDULER = N_("--dask %(address)s: no Dask scheduler answers at this address (%(error)s)")


class BatchError(SaidError):
    """A batch that cannot start (no such folder, no workshop in it, another batch writing
    there, no scheduler at ``--dask``'s address); one line for people, said in their
    language (``SaidError``)."""


@dataclass(frozen=True)
class WorkshopPlan:
    """One workshop folder and what the batch will do with it."""

    workshop: str
    """The folder's name: where its runs go, and how the batch's summary names it."""
    path: Path
    config: Config | None
    fingerprint: str | None
    previous_run: Path | None = None
    """A completed run with the same fingerprint: the workshop is skipped."""
    error: str | None = None
    """Why it cannot run at all (a broken ``ideasynth.toml``): it fails without running."""
    display_name: str | None = None
    """The ``workshop`` of its config, shown in its reports, when one is set."""
    filed: str | None = None
    """The folder under the output root its runs go into (``ideasynth run``'s folder for
    it); ``None``: ``workshop``."""

    @property
    def folder(self) -> str:
        """Where the workshop's runs are filed under the output root."""
        return self.filed or self.workshop

    def earlier_runs(self, out_root: Path) -> Path:
        """The folder holding the workshop's newest earlier run: where it is filed, or
        under its folder's name, where batches filed runs before."""
        from pipeline.review.matching import newest_runs

        return newest_runs(Path(out_root), list(dict.fromkeys([self.folder, self.workshop])))


def _hidden(name: str) -> bool:
    return name.startswith((".", "_"))


def discover_workshops(root: Path) -> list[Path]:
    """Each folder directly under ``root`` is one workshop (hidden and ``_`` ones excluded)."""
    root = Path(root)
    if not root.is_dir():
        raise BatchError(NOT_A_FOLDER, {"folder": str(root)})
    found = sorted(p for p in root.iterdir() if p.is_dir() and not _hidden(p.name))
    if not found:
        raise BatchError(NO_WORKSHOPS, {"folder": str(root)})
    return found


NOT_NOTES = ("readme",)
"""Files in a batch root that are not taken for notes left out of place (``README.md``)."""


def loose_files(root: Path) -> list[Path]:
    """Files directly in ``root``, beside the workshop folders, that a workshop would read
    as notes (a ``.csv`` dropped at the top level): the batch does not read them, and says
    so (``loose_line``)."""
    from pipeline.ingest import READERS

    return sorted(
        p
        for p in Path(root).iterdir()
        if p.is_file()
        and not _hidden(p.name)
        and p.suffix.lower() in READERS
        and p.stem.lower() not in NOT_NOTES
    )


def loose_line(path: Path) -> str:
    """The one line that says a file in the batch root was not read, and what to do."""
    return f"{path}: not in a workshop folder, not read (put it in a folder of its own)"


def batch_language(plans: list[WorkshopPlan], asked: str | None) -> str:
    """The language of a batch's own words (its progress lines, its console summary,
    ``recurring.md`` and ``.html``): ``--lang`` when given, else the language every
    workshop's settings name (``draft.language``), else English: workshops in several
    languages, or in their notes' own, share no other (docs/batch.md)."""
    from pipeline.i18n import LANGUAGES

    if asked in LANGUAGES:
        return asked
    named = {p.config.draft.language if p.config else None for p in plans}
    if len(named) == 1 and (only := next(iter(named))) in LANGUAGES:
        return only
    return "en"


def settings_language(root: Path, config_file: Path | None = None) -> str | None:
    """The language a batch's settings name before its workshops are planned, to refuse the
    batch in it (``batch_language`` then takes over): ``--config``'s ``draft.language``,
    else the one every workshop folder's ``ideasynth.toml`` names; ``None`` where they name
    none, name several or cannot be read (their own error is not the one being said)."""
    try:
        if config_file is not None:
            return load_config(config_file).draft.language
        if not Path(root).is_dir():
            return None
        folders = [p for p in Path(root).iterdir() if p.is_dir() and not _hidden(p.name)]
        named = {config_for_input(folder).draft.language for folder in folders}
    except Exception:  # a broken settings file: the batch's refusal is said in English
        return None
    return named.pop() if len(named) == 1 else None


class StartLine(str):
    """A batch's line that a workshop started, told apart by its type in any language."""

    __slots__ = ()


class EndLine(str):
    """A batch's line that a workshop ended (the command line counts them when stopped)."""

    __slots__ = ()


def start_line(index: int, total: int, plan: WorkshopPlan, lang: str = "en") -> StartLine:
    """The plain line a batch prints as a workshop starts."""
    from pipeline.i18n import words

    w = words(lang)
    head = w.gettext("workshop %(index)s of %(total)s", index=index, total=total)
    started = w.gettext("started")
    return StartLine(f"{head}: {plan.workshop}: {started}")


def end_line(index: int, total: int, outcome: WorkshopOutcome, lang: str = "en") -> EndLine:
    """The plain line a batch prints as a workshop ends: its status, time and counts, or
    why it failed."""
    from pipeline.i18n import words

    w = words(lang)
    head = w.gettext("workshop %(index)s of %(total)s", index=index, total=total)
    head += f": {outcome.workshop}: "
    if outcome.status == "failed":
        from pipeline.recurring import said_reason

        reason = said_reason(outcome.reason or "", lang)
        return EndLine(head + w.gettext("failed: %(reason)s", reason=reason))
    counts = ", ".join(
        [
            w.ngettext("%(num)d idea", "%(num)d ideas", outcome.ideas or 0),
            w.ngettext("%(num)d theme", "%(num)d themes", outcome.themes or 0),
        ]
    )
    if outcome.warnings:
        counts += ", " + w.ngettext("%(num)d warning", "%(num)d warnings", len(outcome.warnings))
    if outcome.status == "skipped":
        run = Path(outcome.run_dir or "").name
        said = w.gettext("unchanged since its run %(run)s (%(counts)s)", run=run, counts=counts)
    else:
        seconds = w.decimal(outcome.seconds, 1)
        said = w.gettext("completed in %(seconds)s s (%(counts)s)", seconds=seconds, counts=counts)
    return EndLine(head + said)


def fingerprint_files(path: Path) -> str:
    """sha256 over every file's relative path and bytes (hidden files left out).

    Content, not modification times: copying a workshop folder or touching a file does not
    make it look new, while any edit does.
    """
    path = Path(path)
    digest = hashlib.sha256()
    if path.is_file():
        files = [(path.name, path)]
    else:
        files = []
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if Path(folder) == path:  # Day 2 cards change the plan, not the Day 1 run
                dirs[:] = [d for d in dirs if d.lower() != DAY2_FOLDER]
            for name in names:
                if not name.startswith("."):
                    full = Path(folder) / name
                    files.append((full.relative_to(path).as_posix(), full))
        files.sort()
    for relative, full in files:
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with full.open("rb") as handle:
                while chunk := handle.read(HASH_CHUNK):
                    digest.update(chunk)
        except OSError as exc:  # a pipe, a broken link: its name and the error count
            digest.update(f"unreadable:{type(exc).__name__}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


def workshop_fingerprint(path: Path, config: Config, language: str | None = None) -> str:
    """What a run's outputs depend on: the input bytes, the config, the drafts' language and
    the ideasynth version."""
    digest = hashlib.sha256(f"ideasynth {__version__}\0{language or ''}\0".encode())
    digest.update(config.model_dump_json().encode())
    digest.update(fingerprint_files(path).encode())
    return digest.hexdigest()


def completed_run(out_root: Path, workshop: str, fingerprint: str) -> Path | None:
    """The newest complete run of ``workshop`` under ``out_root`` made from ``fingerprint``."""
    folder = Path(out_root) / workshop
    if not folder.is_dir():
        return None
    for run_dir in sorted(folder.iterdir(), reverse=True):
        if not is_complete(run_dir):
            continue  # a run folder without its completion marker was never finished
        try:
            manifest = json.loads((run_dir / MANIFEST_JSON).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("input_fingerprint") == fingerprint:
            return run_dir
    return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def plan_batch(
    root: Path,
    out_root: Path,
    config_file: Path | None = None,
    language: str | None = None,
    *,
    resume: bool = True,
) -> list[WorkshopPlan]:
    """Decide, for every workshop under ``root``, whether it runs, is skipped or cannot run.

    ``config_file`` applies to every workshop; without it each uses its own
    ``ideasynth.toml`` (or the defaults). A config error fails that workshop only.
    """
    from pipeline.config import ConfigError

    if config_file is not None:
        load_config(config_file)  # a broken shared config stops the batch, before any work
    from pipeline.output import workshop_folder

    plans: list[WorkshopPlan] = []
    for path in discover_workshops(root):
        try:
            config = config_for_input(path, config_file)
            filed = workshop_folder(path, config)
        except ConfigError as exc:
            plans.append(WorkshopPlan(path.name, path, None, None, error=_one_line(exc)))
            continue
        fingerprint = workshop_fingerprint(path, config, language)
        plan = WorkshopPlan(
            path.name, path, config, fingerprint, None, None, config.workshop, filed
        )
        plans.append(plan)
    # Copies of one folder keep its name: each is a workshop of its own, filed by folder.
    shared = Counter(p.folder for p in plans if p.filed is not None)
    plans = [replace(p, filed=None) if shared[p.folder] > 1 else p for p in plans]
    if not resume:
        return plans
    return [
        replace(p, previous_run=_completed(out_root, p)) if p.fingerprint is not None else p
        for p in plans
    ]


def _completed(out_root: Path, plan: WorkshopPlan) -> Path | None:
    """The newest complete run made from the plan's fingerprint, where it is filed or under
    its folder's name (where batches filed runs before they followed ``ideasynth run``)."""
    assert plan.fingerprint is not None
    found = [
        run
        for name in dict.fromkeys([plan.folder, plan.workshop])
        if (run := completed_run(out_root, name, plan.fingerprint)) is not None
    ]
    return max(found, key=lambda run: run.name, default=None)


def clear_staging(out_root: Path) -> None:
    """Remove what runs cut off by a crash left in the staging folder."""
    shutil.rmtree(Path(out_root) / STAGING, ignore_errors=True)


_held: dict[Path, tuple[int, IO[str]]] = {}
"""The output folders whose lock this process holds: how many hold it, and the open lock
file that holds it."""
_held_lock = threading.Lock()


@contextlib.contextmanager
def batch_lock(out_root: Path) -> Iterator[None]:
    """Hold ``<out>/.batch.lock`` while a batch writes there, so two batches never share an
    output folder (one would clear the other's staging). The kernel drops the lock when the
    process dies, so a crashed batch never blocks the next one.

    Within one process it is taken again freely: the command line takes it before Prefect
    boots and before any workshop is fingerprinted, so that a second batch is refused at
    once rather than after half a minute, and the flow it then runs takes it again."""
    out_root = Path(out_root).resolve()
    with _held_lock:
        if out_root in _held:
            count, handle = _held[out_root]
        else:
            out_root.mkdir(parents=True, exist_ok=True)
            count, handle = 0, (out_root / LOCK).open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise BatchError(BUSY, {"folder": str(out_root)}) from None
        _held[out_root] = (count + 1, handle)
    try:
        yield
    finally:
        with _held_lock:
            count, handle = _held.pop(out_root)
            if count > 1:
                _held[out_root] = (count - 1, handle)
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()


def _move_into_place(staged: Path, out_root: Path, workshop: str) -> Path:
    target_parent = Path(out_root) / workshop
    target_parent.mkdir(parents=True, exist_ok=True)
    target, suffix = target_parent / staged.name, 1
    while target.exists():
        suffix += 1
        target = target_parent / f"{staged.name}-{suffix}"
    os.rename(staged, target)  # same file system: the run appears whole or not at all
    return target


def run_planned(plan: WorkshopPlan, out_root: Path, language: str | None = None) -> WorkshopOutcome:
    """Run one planned workshop; never raises, so one workshop cannot stop the others.

    A failure comes back as an outcome whose ``reason`` is one line: the file and the
    problem for bad input, the exception for anything else. A run, new or reused, comes
    back with its counts, one warning per input it could not read, and what a re-run
    carried over from the previous run (its themes, the review's decisions).
    """
    from pipeline.run import run_workshop

    started = time.perf_counter()
    base = WorkshopOutcome(
        workshop=plan.workshop,
        display_name=plan.display_name,
        path=str(plan.path),
        status="failed",
        fingerprint=plan.fingerprint,
    )
    if plan.error is not None or plan.config is None or plan.fingerprint is None:
        return base.model_copy(update={"reason": plan.error or "no config"})
    if plan.previous_run is not None:
        skipped = base.model_copy(update={"status": "skipped", "run_dir": str(plan.previous_run)})
        skipped = skipped.model_copy(update=_run_facts(plan.previous_run))
        return _with_day2(skipped, plan, plan.previous_run, language)
    staging = Path(out_root) / STAGING / f"{plan.folder}-{uuid.uuid4().hex[:12]}"
    try:
        # Reports show the config's name (else the folder's); the run is filed where
        # ``ideasynth run`` files it, and a re-run keeps its themes and review from the
        # newest earlier run, wherever it was filed.
        config = plan.config.model_copy(update={"workshop": plan.display_name or plan.workshop})
        _, staged = run_workshop(
            plan.path,
            config,
            staging,
            language=language,
            previous_runs=plan.earlier_runs(out_root),
            fingerprint=plan.fingerprint,
        )
        run_dir = _move_into_place(staged, out_root, plan.folder)
    except Exception as exc:
        seconds = round(time.perf_counter() - started, 3)
        return base.model_copy(update={"reason": _reason(exc, plan.path), "seconds": seconds})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    completed = base.model_copy(
        update={
            "status": "completed",
            "run_dir": str(run_dir),
            "seconds": round(time.perf_counter() - started, 3),
            **_run_facts(run_dir, carried=True),
        }
    )
    return _with_day2(completed, plan, run_dir, language)


def _run_facts(run_dir: Path, *, carried: bool = False) -> dict[str, object]:
    """What the batch's summary says of a run folder: its counts (as the review left them),
    its language, one warning per input it could not read, and, for a run made now
    (``carried``), what it kept from the previous run. Never fails: a run whose files
    cannot be read is listed without them."""
    from pipeline.i18n import run_language
    from pipeline.recurring import reviewed_run
    from pipeline.review.rundir import RunFolderError, load_run

    try:
        run = load_run(run_dir)
        reviewed = reviewed_run(run_dir, run)
    except (RunFolderError, OSError, ValueError):
        return {}
    manifest = run.manifest
    lang = run_language(run)
    facts: dict[str, object] = {
        "ideas": manifest.counts.ideas,
        "themes": len(reviewed.themes),
        "language": lang,
        "input_complete": manifest.input_complete,
        "warnings": input_lines(manifest.input_errors, manifest.input_warnings, lang),
    }
    if carried:
        facts["carried"] = carried_lines(
            run_dir,
            manifest.clustering,
            lang,
            manifest.drafts_kept_from_previous_run,
            manifest.headings_kept_from_previous_run,
        )
    return facts


def input_lines(errors: list[str], rejected: list[str], lang: str = "en") -> list[str]:
    """One line per input file a run could not read ("file: problem"), and one line for
    the rows holding text it rejected (listed in the run's report and ``rejected.json``)."""
    from pipeline.cli_errors import said_input_error
    from pipeline.i18n import words
    from pipeline.report.view import shown_location, shown_reason

    # Recorded in English (the manifest, the ledger), said in the run's language.
    lines = [
        said_input_error(e, lang, location=shown_location, reason=shown_reason) for e in errors
    ]
    if rejected:
        lines.append(
            words(lang).ngettext(
                "%(num)d row holding text was rejected (see the report and rejected.json)",
                "%(num)d rows holding text were rejected (see the report and rejected.json)",
                len(rejected),
            )
        )
    return lines


def carried_lines(
    run_dir: Path,
    clustering: dict[str, object],
    lang: str = "en",
    drafts_kept: int = 0,
    headings_kept: int = 0,
) -> list[str]:
    """What a re-run kept from the workshop's previous run, in the run's language, as
    ``ideasynth run`` says it: where its themes came from and the drafts and headings it
    kept, then what became of the review's decisions (``review_carry.json``), one line per
    decision that no longer applies."""
    from pipeline.cluster.incremental import themes_origin
    from pipeline.review.interface import UiText
    from pipeline.review.rundir import CARRIED_JSON
    from pipeline.schema import ReviewAction

    lines = []
    if origin := themes_origin(clustering, lang, drafts_kept, headings_kept):
        lines.append(origin)
    path = Path(run_dir) / CARRIED_JSON
    if not path.is_file():
        return lines
    try:
        carried = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return lines
    ui = UiText(lang)
    lines.append(
        ui.gettext(
            "Review: %(kept)s of the %(themes)s themes found keep their id from the previous "
            "run; %(reapplied)s decisions re-applied, %(dropped)s no longer apply. The themes "
            "and counts above are as reviewed.",
            kept=sum(1 for m in carried["matches"] if m["previous_id"]),
            themes=len(carried["matches"]),
            reapplied=len(carried["reapplied"]),
            dropped=len(carried["no_longer_apply"]),
        )
    )
    for item in carried["no_longer_apply"]:
        try:
            what = ui.describe(ReviewAction.model_validate(item["action"]))
        except ValueError:
            what = str(item["action"].get("kind", "?"))
        lines.append(
            ui.gettext(
                "%(what)s (%(who)s) no longer applies: %(reason)s",
                what=what,
                who=item["who"],
                reason=ui.reason(item["reason"]),
            )
        )
    return lines


def _with_day2(
    outcome: WorkshopOutcome, plan: WorkshopPlan, run_dir: Path, language: str | None
) -> WorkshopOutcome:
    """The workshop's Day 2 plan, when its folder has a ``day2/``: written into the run
    (``RUN_DIR/day2/``) on every batch, so late cards and review decisions are taken in.
    A Day 2 problem is one line in the outcome; the Day 1 run stands."""
    cards = plan.path / DAY2_FOLDER if plan.path.is_dir() else None
    if cards is None or not cards.is_dir():
        return outcome
    from pipeline.day2.review import Day2LogError
    from pipeline.day2.step import Day2Error, run_day2
    from pipeline.ingest import IngestError
    from pipeline.review.rundir import RunFolderError

    try:
        done = run_day2(cards, Path(run_dir), language)
    except (IngestError, RunFolderError, Day2Error, Day2LogError) as exc:
        return outcome.model_copy(update={"day2_reason": _one_line(exc)})
    except Exception as exc:
        return outcome.model_copy(update={"day2_reason": _reason(exc, cards)})
    rejected = [r.text for r in done.plan.rejected if r.text.strip()]
    unread = input_lines(done.plan.errors, rejected, done.plan.language)
    return outcome.model_copy(
        update={
            "day2_dir": str(done.out_dir),
            "actions": sum(1 for a in done.plan.actions if a.status != "rejected"),
            "warnings": [*outcome.warnings, *(f"{DAY2_FOLDER}/{line}" for line in unread)],
            "input_complete": outcome.input_complete and not unread,
        }
    )


def _reason(exc: Exception, path: Path) -> str:
    """Errors about the input already name the file; anything else gets the workshop's path."""
    from pipeline.config import ConfigError
    from pipeline.embed import EmbedderError
    from pipeline.evaluate import EvaluationError
    from pipeline.ingest import IngestError
    from pipeline.registry import UnknownBackendError

    known = (ConfigError, IngestError, EvaluationError, EmbedderError, UnknownBackendError)
    if isinstance(exc, known):
        return _one_line(exc)
    return f"{path}: unexpected {type(exc).__name__}: {_one_line(exc)}"
