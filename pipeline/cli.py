"""The ``ideasynth`` command line: ``run`` a workshop, ``evaluate`` on a labelled file.

Errors people can fix (a bad file, a bad config, an unknown model) are printed as one line and
exit with status 2; no traceback.

Exit codes: 0 every input read; 3 finished, but some input files were skipped or rows holding
text were rejected (warnings above the summary); 2 nothing written (a user error, no notes,
or --strict with input problems); 1 an unexpected error (a bug; --verbose shows the traceback).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.config import SUPPORTED_LANGUAGES, ConfigError, config_for_input, load_config

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
errors = Console(stderr=True)


def _strict_error() -> type[Exception]:
    from pipeline.ingest.problems import StrictInputError

    return StrictInputError


def _user_errors() -> tuple[type[Exception], ...]:
    from pipeline.embed import EmbedderError
    from pipeline.evaluate import EvaluationError
    from pipeline.ingest import IngestError
    from pipeline.registry import UnknownBackendError

    return (ConfigError, IngestError, EvaluationError, EmbedderError, UnknownBackendError)


EXIT_USER_ERROR = 2
"""Nothing was written: a bad path, option or config, no notes at all, or --strict."""
EXIT_BUG = 1
EXIT_INPUT_SKIPPED = 3
"""The run finished, but some input was not read (files skipped, rows with text rejected)."""
MAX_WARNINGS = 20
"""Rejected rows listed on the terminal; all of them are in rejected.json and the ledger."""


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=EXIT_USER_ERROR)


def _crash(exc: Exception) -> typer.Exit:
    """A bug, not a user error: still one line, with what to do."""
    detail = escape(" ".join(f"{type(exc).__name__}: {exc}".split())[:300])
    errors.print(
        f"[bold red]error:[/] unexpected failure: {detail} (this is a bug: please report it; "
        "--verbose shows the traceback)",
        highlight=False,
        soft_wrap=True,
    )
    return typer.Exit(code=EXIT_BUG)


def _quiet_prefect() -> None:
    """Silence Prefect's run logs for the rest of the process: the CLI reports errors itself,
    in one line, and a failed task's traceback in the log is noise to a facilitator.
    ``--verbose`` keeps them."""
    names = ["prefect", *(n for n in logging.root.manager.loggerDict if n.startswith("prefect."))]
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)


@app.command()
def run(
    path: Annotated[Path, typer.Argument(help="A notes file or a workshop folder.")],
    config_file: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config file.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Root folder for run outputs.")] = Path(
        "runs"
    ),
    lang: Annotated[
        str | None, typer.Option("--lang", help="Output language of drafts: fr, nl, de or en.")
    ] = None,
    embedder: Annotated[
        str | None,
        typer.Option(help="Embedder, e.g. use-m3 or sentence-transformers:<name or path>."),
    ] = None,
    drafter: Annotated[str | None, typer.Option(help="Drafter backend, e.g. extractive.")] = None,
    themes: Annotated[
        int | None,
        typer.Option(
            "--themes", min=1, help="Number of broad themes grouping the fine ones (default: auto)."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail (exit 2, nothing written) if any file is skipped or any row holding "
            "text is rejected; one line per problem.",
        ),
    ] = False,
) -> None:
    """Turn a workshop's notes into themes and drafted challenge statements.

    Exit codes: 0 every input read; 3 finished, but some input files were skipped or rows
    holding text rejected (see the warnings); 2 nothing written (user error, no notes, or
    --strict with input problems); 1 unexpected error (a bug).
    """
    if not path.exists():
        raise _fail(f"{path}: no such file or folder")
    if lang is not None and lang not in SUPPORTED_LANGUAGES:
        raise _fail(f"--lang {lang}: choose one of {', '.join(SUPPORTED_LANGUAGES)}")
    try:
        config = config_for_input(path, config_file)
        if strict:
            config.ingest.strict = True
        if embedder:
            config.embed.model = embedder
        if drafter:
            config.draft.drafter = drafter
        if themes is not None:
            config.cluster.broad_themes = themes
        from flows.synthesize import synthesize_workshop

        if not verbose:
            _quiet_prefect()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            result, run_dir = synthesize_workshop(path, config, out, lang, _BarProgress(bar))
    except _strict_error() as exc:
        problems: list[str] = getattr(exc, "problems", [])
        for problem in problems:
            errors.print(f"[bold red]error:[/] {escape(problem)}", highlight=False, soft_wrap=True)
        raise _fail(f"--strict: {len(problems)} input problems above; nothing written") from None
    except _user_errors() as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:
        if verbose:
            raise
        raise _crash(exc) from None
    _print_summary(result, run_dir)
    if not result.manifest.input_complete:
        raise typer.Exit(code=EXIT_INPUT_SKIPPED)


STEP_LABELS = {
    "ingest": "reading notes",
    "prepare": "cleaning, detecting languages, splitting",
    "embed": "embedding notes",
    "cluster": "finding themes",
    "describe": "describing themes",
    "hierarchy": "grouping themes into broad themes",
    "draft": "drafting challenge statements",
    "write": "writing the report",
}


class _BarProgress:
    """Shows the current step, and a bar while notes are embedded."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = bar.add_task("starting", total=None)

    def step(self, name: str) -> None:
        self.bar.update(self.task, description=STEP_LABELS.get(name, name), completed=0, total=None)

    def advance(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)


def _print_summary(result: object, run_dir: Path) -> None:
    from pipeline.schema import RunResult, Theme

    assert isinstance(result, RunResult)
    manifest = result.manifest
    table = Table(title=f"{manifest.workshop}: {len(result.themes)} themes")
    for column in ("theme", "notes", "languages", "keyphrases"):
        table.add_column(column)
    # Fine themes listed under their broad theme (one group when there is no broad level).
    groups: list[tuple[str | None, list[Theme]]] = [(b.id, [b]) for b in result.broad_themes]
    for parent, heading in groups or [(None, [])]:
        rows = [(t, "bold") for t in heading]
        rows += [(t, "") for t in result.themes if t.parent_id == parent]
        for theme, style in rows:
            languages = " ".join(f"{k}:{v}" for k, v in theme.languages.items())
            table.add_row(theme.id, str(theme.size), languages, theme.label, style=style or None)
    console.print(table)
    c = manifest.counts
    console.print(
        f"{c.input_notes} notes read ({c.rejected_rows} rows without a note), "
        f"{c.rejected} rejected, "
        f"{c.split} split into {c.split_children} ideas; {c.ideas} ideas: {c.assigned} in themes, "
        f"{c.unassigned} unassigned. Counts reconcile: {'yes' if manifest.reconciles else 'NO'}."
    )
    for problem in manifest.input_errors:
        errors.print(f"[yellow]warning:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    for problem in manifest.input_warnings[:MAX_WARNINGS]:
        errors.print(f"[yellow]warning:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    if len(manifest.input_warnings) > MAX_WARNINGS:
        more = len(manifest.input_warnings) - MAX_WARNINGS
        errors.print(
            f"[yellow]warning:[/] … {more} more rejected rows (see rejected.json, ledger.parquet)",
            highlight=False,
            soft_wrap=True,
        )
    if manifest.evaluation and "nmi_all" in manifest.evaluation:
        e = manifest.evaluation
        console.print(
            f"Against the intended themes: NMI_all {e['nmi_all']:.3f}, "
            f"coverage {e['coverage']:.3f}, "
            f"lang_NMI {e['lang_nmi']:.3f}, ARI {e['ari']:.3f}"
        )
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in manifest.timings.items())
    console.print(f"Steps: {timings}")
    console.print(f"Report: {run_dir / 'report.html'}", highlight=False, soft_wrap=True)
    if not manifest.input_complete:
        errors.print(
            f"[yellow]Some input was not read:[/] {len(manifest.input_errors)} files skipped, "
            f"{len(manifest.input_warnings)} rows holding text rejected (warnings above; every "
            f"row read is in {escape(str(run_dir / 'ledger.parquet'))}); exit code "
            f"{EXIT_INPUT_SKIPPED}.",
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def evaluate(
    labelled: Annotated[
        list[Path], typer.Argument(help="Labelled TSV/CSV files with lang, label and text columns.")
    ],
    config_file: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config file.")
    ] = None,
) -> None:
    """Cluster labelled texts as a run would and print NMI_all, coverage, lang_NMI, ARI."""
    try:
        from pipeline.evaluate import evaluate_file
        from pipeline.run import default_cache_dir

        config = load_config(config_file)
        for path in labelled:
            metrics = evaluate_file(path, config, config.embed.cache_dir or default_cache_dir())
            console.print(f"[bold]{path.name}[/] ({config.embed.model}, {config.cluster.method})")
            console.print(metrics.table(), highlight=False)
    except _user_errors() as exc:
        raise _fail(str(exc)) from None


if __name__ == "__main__":
    app()
