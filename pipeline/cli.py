"""The ``ideasynth`` command line: ``run`` a workshop's notes into challenges, ``review``
them in the browser, ``export`` the Day 2 handout, read the Day 2 action cards into an action
plan (``day2``), ``batch`` many workshops, ``evaluate`` on a labelled file.

Errors people can fix (a bad file, a bad config, an unknown model) are printed as one line and
exit with status 2; no traceback.

Exit codes: 0 every input read; 3 finished, but some input files were skipped or rows holding
text were rejected (warnings above the summary); 2 nothing written (a user error, no notes,
or --strict with input problems); 1 an unexpected error (a bug; --verbose shows the traceback).
"""

from __future__ import annotations

import contextlib
import errno
import inspect
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape as markup_escape
from rich.table import Table

from pipeline.cli_errors import (
    said_error,
    said_input_error,
    said_settings_error,
)
from pipeline.config import SUPPORTED_LANGUAGES, ConfigError, config_for_input, load_config
from pipeline.safe_text import one_line

if TYPE_CHECKING:
    from pipeline.schema import BatchSummary


def plain_help(doc: str | None) -> str:
    """A docstring as ``--help`` shows it: each paragraph one line (the terminal wraps it),
    and reStructuredText's literals (````run````) as plain words."""
    paragraphs = inspect.cleandoc(doc or "").split("\n\n")
    return "\n\n".join(" ".join(p.split()).replace("``", "") for p in paragraphs)


app = typer.Typer(add_completion=False, no_args_is_help=True, help=plain_help(__doc__))
console = Console()
errors = Console(stderr=True)


def escape(text: str) -> str:
    """Untrusted text for one console line: controls, line breaks and bidi controls as
    visible escapes (``pipeline.safe_text``), then Rich markup escaped."""
    return markup_escape(one_line(text))


def _strict_error() -> type[Exception]:
    from pipeline.ingest.problems import StrictInputError

    return StrictInputError


def _user_errors() -> tuple[type[Exception], ...]:
    from pipeline.embed import EmbedderError
    from pipeline.embed.for_run import CacheFolderError
    from pipeline.evaluate import EvaluationError
    from pipeline.ingest import IngestError
    from pipeline.output import OutputFolderError
    from pipeline.registry import UnknownBackendError

    return (
        ConfigError,
        IngestError,
        EvaluationError,
        EmbedderError,
        UnknownBackendError,
        CacheFolderError,
        OutputFolderError,
    )


EXIT_USER_ERROR = 2
"""Nothing was written: a bad path, option or config, no notes at all, or --strict."""
EXIT_BUG = 1
EXIT_INPUT_SKIPPED = 3
"""The run finished, but some input was not read (files skipped, rows with text rejected)."""
MAX_WARNINGS = 20
"""Rejected rows listed on the terminal; all of them are in rejected.json and the ledger."""


def _fail(message: str, lang: str | None = None) -> typer.Exit:
    """One line, "error: …", its label in ``lang`` (English when ``None``)."""
    label = "error:"
    if lang is not None:
        from pipeline.i18n import words

        # The label before a one-line error ("Fehler:" in a German run).
        label = words(lang).gettext("error:")
    errors.print(f"[bold red]{escape(label)}[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=EXIT_USER_ERROR)


def _said(exc: Exception, lang: str | None) -> typer.Exit:
    """A user error (``_user_errors``) as one line in ``lang``: a settings file's error in
    the language it names itself when ``lang`` is ``None``; a whole file's error with the
    rejected row it names as the reports say it (``pipeline.cli_errors``)."""
    if isinstance(exc, ConfigError):
        lang = lang or (exc.problem.language if exc.problem else None)
        return _fail(said_settings_error(exc, lang), lang)
    from pipeline.report.view import shown_location, shown_reason

    said = said_error(str(exc), lang, location=shown_location, reason=shown_reason)
    return _fail(said, lang)


def _crash(exc: Exception, lang: str | None = None) -> typer.Exit:
    """A bug, not a user error: still one line, with what to do, in ``lang`` (the run's, as
    far as it is known when it fails): the facilitator who meets it must understand that it
    is not their input's fault and whom to tell. The exception's own text stays as written,
    for the maintainers who read the report."""
    from pipeline.i18n import words

    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    said = words(lang or "en").gettext(
        "unexpected failure: %(detail)s (this is a bug: please report it; --verbose shows the "
        "traceback)",
        detail=detail,
    )
    label = words(lang or "en").gettext("error:")
    errors.print(f"[bold red]{escape(label)}[/] {escape(said)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=EXIT_BUG)


def _settings_language(path: Path, config_file: Path | None) -> str | None:
    """The language the workshop's settings name (``draft.language``), read only to say an
    option's error in it; ``None`` when they name none or cannot be read (their own error is
    not the one to report here)."""
    try:
        return config_for_input(path, config_file).draft.language
    except Exception:  # a broken settings file: the option's error is said in English
        return None


def _bad_lang(lang: str, path: Path, config_file: Path | None) -> typer.Exit:
    """``--lang`` names no language ideasynth speaks, so it cannot say its own error: it is
    said in the language the workshop's settings name (``draft.language`` in the folder's
    ideasynth.toml or in ``--config``), which the facilitator chose for this workshop, and in
    English when they name none or cannot be read."""
    said_lang = _settings_language(path, config_file)
    from pipeline.i18n import words

    said = words(said_lang or "en").gettext(
        "--lang %(lang)s: choose one of %(choices)s",
        lang=lang,
        choices=", ".join(SUPPORTED_LANGUAGES),
    )
    return _fail(said, said_lang)


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
        typer.Option(
            help="Embedder, e.g. use-m3+e5-small:300 (the default: both models, e5 reading "
            "up to 300 characters of each note), use-m3 (fast) or sentence-transformers:<name "
            "or path>. Unnamed, a re-run keeps its previous run's embedder, and a run of more "
            "than embed.large_run_notes notes uses use-m3."
        ),
    ] = None,
    drafter: Annotated[
        str | None, typer.Option(help="Drafter backend, compose (default), llama-cpp or openai.")
    ] = None,
    themes: Annotated[
        int | None,
        typer.Option(
            "--themes", min=1, help="Number of challenges grouping the themes (default: auto)."
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Also show quality scores, step timings and Prefect's logs."
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only warnings and the result.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail (exit 2, nothing written) if any file is skipped or any row holding "
            "text is rejected; one line per problem.",
        ),
    ] = False,
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster",
            help="Cluster all notes afresh, even when a previous run's themes could be kept "
            "(a re-run that adds or removes few notes keeps them by default).",
        ),
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="The workshop's name: report and handout title, review header, "
            "runs/<name>/ (default: workshop in the config, else the folder's name).",
        ),
    ] = None,
) -> None:
    """Turn a workshop's notes into themes and drafted challenge statements.

    Exit codes: 0 every input read; 3 finished, but some input files were skipped or rows
    holding text rejected (see the warnings); 2 nothing written (user error, no notes, or
    --strict with input problems); 1 unexpected error (a bug).
    """
    if lang is not None and lang not in SUPPORTED_LANGUAGES:
        raise _bad_lang(lang, path, config_file)
    if not path.exists():
        raise _fail(said_error(f"{path}: no such file or folder", lang), lang)
    from flows.server import adopt, launch

    early = launch()  # Prefect's temporary server boots while the pipeline imports
    said_lang = lang  # the language of a one-line error: --lang, else the settings'
    try:
        config = config_for_input(path, config_file)
        said_lang = lang or config.draft.language
        if strict:
            config.ingest.strict = True
        if embedder:
            config.embed.model = embedder
        if drafter:
            config.draft.drafter = drafter
        if themes is not None:
            config.cluster.broad_themes = themes
        if recluster:
            config.cluster.incremental = False
        if name:
            config.workshop = name
        from pipeline.output import (
            check_output_folder,
            clean_leftovers,
            leftovers_line,
            workshop_folder,
        )

        check_output_folder(out / workshop_folder(path, config))  # before any work is done
        if removed := clean_leftovers(out / workshop_folder(path, config)):
            line = leftovers_line(out / workshop_folder(path, config), removed)
            errors.print(f"[yellow]note:[/] {escape(line)}", highlight=False, soft_wrap=True)
        from flows.synthesize import synthesize_workshop

        if not verbose:
            _quiet_prefect()
        with _progress(quiet, lang or config.draft.language) as progress:
            adopt(early)
            finished = synthesize_workshop(path, config, out, lang, progress)
        result, run_dir = finished.result, finished.run_dir
    except _strict_error() as exc:
        raise _refused_strict(exc, said_lang) from None
    except _user_errors() as exc:
        raise _said(exc, said_lang) from None
    except Exception as exc:
        if verbose:
            raise
        raise _crash(exc, said_lang) from None
    _print_summary(
        as_reviewed(result, run_dir), run_dir, verbose=verbose, quiet=quiet, drafted=result
    )
    if not quiet:
        from pipeline.i18n import run_language

        _print_review_carry(run_dir, run_language(result))
    if not result.manifest.input_complete:
        raise typer.Exit(code=EXIT_INPUT_SKIPPED)


def _refused_strict(exc: Exception, lang: str | None) -> typer.Exit:
    """``--strict`` refused the run: one line per input problem, then the refusal, all in
    ``lang``, as the summary of a run that went on would say the same problems."""
    from pipeline.i18n import words
    from pipeline.ingest.problems import StrictInputError
    from pipeline.report.view import shown_location, shown_reason

    assert isinstance(exc, StrictInputError)
    w = words(lang or "en")
    label = escape(w.gettext("error:"))
    problems = exc.said(lang, location=shown_location, reason=shown_reason)
    for problem in problems:
        errors.print(f"[bold red]{label}[/] {escape(problem)}", highlight=False, soft_wrap=True)
    said = w.ngettext(
        "--strict: %(num)d input problem above; nothing written",
        "--strict: %(num)d input problems above; nothing written",
        len(problems),
    )
    return _fail(said, lang)


@contextlib.contextmanager
def _progress(quiet: bool, lang: str | None = None) -> Iterator[object]:
    """Bars in a terminal, one plain line per step start and end elsewhere (a log file),
    nothing with --quiet (``pipeline.progress``), in ``lang`` (default: the notes')."""
    from pipeline.progress import BarProgress, LineProgress, SilentProgress

    if quiet:
        yield SilentProgress()
    elif console.is_terminal:
        with BarProgress(console, lang) as bars:
            yield bars
    else:
        lines = LineProgress(console.file, lang)
        try:
            yield lines
        finally:
            lines.close()  # what waited for the notes' language, if they never got that far


def _counts_line(manifest: object, lang: str = "en") -> str:
    """The counts in the report's own words and sums (its header), so that both agree."""
    from pipeline.i18n import words
    from pipeline.schema import RunManifest

    assert isinstance(manifest, RunManifest)
    w = words(lang)
    c = manifest.counts
    figures = [
        (w.gettext("Rows read"), c.input_rows),
        (w.gettext("Notes"), c.input_notes),
        (w.gettext("Ideas clustered"), c.ideas),
        (w.gettext("Themes"), c.themes),
        (w.gettext("In a theme"), c.assigned),
        (w.gettext("Unassigned"), c.unassigned),
        (w.gettext("Rejected"), c.rejected + c.rejected_rows),
        (w.gettext("Duplicates"), c.duplicates),
    ]
    line = " · ".join(f"{name} {value}" for name, value in figures)
    reconcile = w.gettext("yes") if manifest.reconciles else w.gettext("NO")
    return f"{line}. " + w.gettext("Counts reconcile:") + f" {reconcile}."


def _print_summary(
    result: object,
    run_dir: Path,
    *,
    verbose: bool = False,
    quiet: bool = False,
    drafted: object | None = None,
) -> None:
    from pipeline.cluster.incremental import themes_origin
    from pipeline.i18n import run_language, words
    from pipeline.report.view import languages_found_sentence, languages_not_covered_sentence
    from pipeline.schema import RunResult, Theme

    assert isinstance(result, RunResult)
    manifest = result.manifest
    lang = run_language(result)
    w = words(lang)
    warning = "[yellow]" + escape(w.gettext("warning:")) + "[/]"
    levels = w.ngettext("%(num)d theme", "%(num)d themes", len(result.themes))
    if result.broad_themes:
        challenges = w.ngettext("%(num)d challenge", "%(num)d challenges", len(result.broad_themes))
        levels = f"{challenges}, {levels}"
    table = Table(title=f"{manifest.workshop}: {levels}")
    for column in (
        w.pgettext("column", "theme"),
        w.pgettext("column", "notes"),
        w.pgettext("column", "languages"),
        w.pgettext("column", "name"),
    ):
        table.add_column(column)
    # Fine themes listed under their broad theme (one group when there is no broad level).
    groups: list[tuple[str | None, list[Theme]]] = [(b.id, [b]) for b in result.broad_themes]
    for parent, heading in groups or [(None, [])]:
        facets = [t for t in result.themes if t.parent_id == parent]
        same = len(facets) == 1 and (facets[0].size, facets[0].label) == (
            (heading[0].size, heading[0].label) if heading else None
        )
        if same:
            # A challenge that is one theme is one row ("B1 = T01"), not the same line twice.
            only = facets[0]
            languages = " ".join(f"{k}:{v}" for k, v in only.languages.items())
            table.add_row(
                f"{heading[0].id} = {only.id}", str(only.note_count), languages, escape(only.label),
                style="bold",
            )  # fmt: skip
            continue
        rows = [(t, "bold") for t in heading]
        rows += [(t, "") for t in facets]
        for theme, style in rows:
            languages = " ".join(f"{k}:{v}" for k, v in theme.languages.items())
            label = escape(theme.label)
            table.add_row(theme.id, str(theme.note_count), languages, label, style=style or None)
    if not quiet:
        console.print(table)
    console.print(_counts_line(manifest, lang), highlight=False, soft_wrap=True)
    if not quiet and (
        origin := themes_origin(
            manifest.clustering,
            lang,
            manifest.drafts_kept_from_previous_run,
            manifest.headings_kept_from_previous_run,
        )
    ):
        console.print(escape(origin), highlight=False, soft_wrap=True)
    if not quiet and (found := languages_found_sentence(manifest.languages_found, lang)):
        console.print(escape(found) + ".", highlight=False, soft_wrap=True)
    if uncovered := languages_not_covered_sentence(
        manifest.languages_not_covered, manifest.embedder, lang
    ):
        errors.print(f"{warning} {escape(uncovered)}.", highlight=False, soft_wrap=True)
    from pipeline.ingest.problems import said_input_warnings
    from pipeline.report.view import shown_location, shown_reason

    for problem in manifest.input_errors:  # recorded in English, said in the run's language
        said = said_input_error(problem, lang, location=shown_location, reason=shown_reason)
        errors.print(f"{warning} {escape(said)}", highlight=False, soft_wrap=True)
    input_warnings = said_input_warnings(
        manifest.inputs, result.rejected_inputs, lang, location=shown_location, reason=shown_reason
    )
    if len(input_warnings) != len(manifest.input_warnings):  # a run of an older release
        input_warnings = manifest.input_warnings
    if manifest.evaluation and "error" in manifest.evaluation:
        unused = w.gettext(
            "%(error)s: the run is not scored against these labels",
            error=manifest.evaluation["error"],
        )
        errors.print(f"{warning} {escape(unused)}", highlight=False, soft_wrap=True)
    for problem in input_warnings[:MAX_WARNINGS]:
        errors.print(f"{warning} {escape(problem)}", highlight=False, soft_wrap=True)
    if len(input_warnings) > MAX_WARNINGS:
        more = len(input_warnings) - MAX_WARNINGS
        said = w.gettext(
            "… %(more)s more rejected rows (see rejected.json, ledger.parquet)", more=more
        )
        errors.print(f"{warning} {escape(said)}", highlight=False, soft_wrap=True)
    # Quality scores are for analysts (--verbose, ``ideasynth evaluate``), not facilitators.
    if verbose and manifest.evaluation and "nmi_all" in manifest.evaluation:
        e = manifest.evaluation
        console.print(
            f"Against the intended themes: NMI_all {e['nmi_all']:.3f}, "
            f"coverage {e['coverage']:.3f}, "
            f"lang_NMI {_figure(e.get('lang_nmi'))}, ARI {e['ari']:.3f}"
        )
    if not quiet and manifest.drafting is not None:
        d = manifest.drafting
        said = w.gettext(
            "Drafting (%(drafter)s, %(model)s): %(calls)s calls, %(tokens_in)s tokens in, "
            "%(tokens_out)s out, %(retries)s retries; %(fallbacks)s of %(drafts)s drafts fell "
            "back to the composing drafter (flagged in the report).",
            drafter=d.drafter,
            model=d.model,
            calls=d.calls,
            tokens_in=d.tokens_in,
            tokens_out=d.tokens_out,
            retries=d.retries,
            fallbacks=d.fallbacks,
            drafts=d.drafts,
        )
        console.print(escape(said), highlight=False)
    # The drafts the grounding step checked (its progress line counts the same ones): a
    # re-run's review replaces some with the analysts' words, which no step checks.
    checked = drafted if isinstance(drafted, RunResult) else result
    grounded = sum(1 for draft in checked.drafts if draft.grounded)
    if not quiet:
        said = w.gettext(
            "Drafts grounded in their notes: %(grounded)s of %(drafts)s.",
            grounded=grounded,
            drafts=len(checked.drafts),
        )
        console.print(escape(said))
    if verbose:
        timings = ", ".join(f"{k} {v:.1f}s" for k, v in manifest.timings.items())
        console.print(escape(w.gettext("Steps:")) + f" {timings}")
    report = escape(str(run_dir / "report.html"))
    console.print((escape(w.gettext("Report:")) + f" {report}"), highlight=False, soft_wrap=True)
    if not manifest.input_complete:
        from pipeline.ingest.problems import has_guessed_text

        guessed = sum(1 for file in manifest.inputs if has_guessed_text(file))
        columns = sum(1 for file in manifest.inputs if file.guessed_columns)
        rejected_rows = len(manifest.input_warnings) - guessed - columns
        also = (
            w.ngettext(
                ", %(num)d file read in a guessed encoding",
                ", %(num)d files read in a guessed encoding",
                guessed,
            )
            if guessed
            else ""
        )
        if columns:
            also += w.ngettext(
                ", %(num)d file read from a column chosen by its text",
                ", %(num)d files read from a column chosen by its text",
                columns,
            )
        said = w.gettext(
            "%(skipped)s, %(rejected)s%(also)s (warnings above; every row read is in "
            "%(ledger)s); exit code %(code)s.",
            skipped=w.ngettext(
                "%(num)d file skipped", "%(num)d files skipped", len(manifest.input_errors)
            ),
            rejected=w.ngettext(
                "%(num)d row holding text rejected",
                "%(num)d rows holding text rejected",
                rejected_rows,
            ),
            also=also,
            ledger=run_dir / "ledger.parquet",
            code=EXIT_INPUT_SKIPPED,
        )
        errors.print(
            ("[yellow]" + escape(w.gettext("Some input was not read:")) + f"[/] {escape(said)}"),
            highlight=False,
            soft_wrap=True,
        )


def review_url(host: str, port: int, token: str | None) -> str:
    """The review app's address as printed and opened: the token URL-encoded, so that one
    holding "+", "&", "#", a space or an accent still opens the review."""
    from urllib.parse import quote

    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")


@app.command()
def evaluate(
    labelled: Annotated[
        list[Path],
        typer.Argument(help="Labelled TSV/CSV files with label and text (and lang) columns."),
    ],
    config_file: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config file.")
    ] = None,
    themes: Annotated[
        int | None,
        typer.Option("--themes", min=1, help="Number of challenges (broad themes; default: auto)."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help='One JSON object per file: {"fine": {…}, "challenges": {…}}.'),
    ] = False,
) -> None:
    """Cluster labelled texts as a run would and print NMI_all, coverage, lang_NMI, ARI, AMI,
    for the fine themes and for the challenges that group them."""
    try:
        import json

        from pipeline.embed.for_run import default_cache_dir
        from pipeline.evaluate import evaluate_file

        config = load_config(config_file)
        if themes is not None:
            config.cluster.broad_themes = themes
        for path in labelled:
            metrics = evaluate_file(path, config, config.embed.cache_dir or default_cache_dir())
            if as_json:
                typer.echo(json.dumps(metrics.summary()))
                continue
            console.print(f"[bold]{path.name}[/] ({metrics.embedder}, {config.cluster.method})")
            console.print(metrics.table(), highlight=False)
    except _user_errors() as exc:
        raise _said(exc, None) from None


def _figure(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "n/a"


def as_reviewed(result: object, run_dir: Path) -> object:
    """A re-run that carried the review over is summed up as the review left it (the
    analysts' names and merges), as its reports show it."""
    from pipeline.review.actions import replay
    from pipeline.review.reviewed import reviewed_result
    from pipeline.review.rundir import DECISIONS_DB
    from pipeline.review.store import DecisionLog
    from pipeline.schema import RunResult

    assert isinstance(result, RunResult)
    if not (run_dir / DECISIONS_DB).is_file():
        return result
    return reviewed_result(result, replay(result, DecisionLog(run_dir / DECISIONS_DB).read()))


def _print_review_carry(run_dir: Path, lang: str = "en") -> None:
    """Say what became of the previous run's review decisions (``review_carry.json``), in
    ``lang``."""
    import json

    from pipeline.review.interface import UiText
    from pipeline.review.rundir import CARRIED_JSON
    from pipeline.schema import ReviewAction

    path = run_dir / CARRIED_JSON
    if not path.is_file():
        return
    carried = json.loads(path.read_text(encoding="utf-8"))
    kept = sum(1 for m in carried["matches"] if m["previous_id"])
    ui = UiText(lang)
    said = ui.gettext(
        "Review: %(kept)s of the %(themes)s themes found keep their id from the previous "
        "run; %(reapplied)s decisions re-applied, %(dropped)s no longer apply. The themes "
        "and counts above are as reviewed.",
        kept=kept,
        themes=len(carried["matches"]),
        reapplied=len(carried["reapplied"]),
        dropped=len(carried["no_longer_apply"]),
    )
    console.print(escape(said), highlight=False)
    label = escape(ui.gettext("review:"))
    for item in carried["no_longer_apply"]:
        try:
            what = ui.describe(ReviewAction.model_validate(item["action"]))
        except ValueError:
            what = str(item["action"].get("kind", "?"))
        said = ui.gettext(
            "%(what)s (%(who)s) no longer applies: %(reason)s",
            what=what,
            who=item["who"],
            reason=ui.reason(item["reason"]),
        )
        errors.print(f"[yellow]{label}[/] {escape(said)}", highlight=False, soft_wrap=True)


def _review_errors() -> tuple[type[Exception], ...]:
    from pipeline.review.rundir import RunFolderError
    from pipeline.review.store import DecisionLogError

    return (RunFolderError, DecisionLogError)


@app.command()
def review(
    run_dir: Annotated[Path, typer.Argument(help="A run folder: runs/<workshop>/<timestamp>.")],
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (1 to 65535).")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(help="Access token; made up and printed when binding beyond loopback."),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    ui_lang: Annotated[
        str | None,
        typer.Option(
            "--ui-lang",
            help="Language of the app's pages: fr, nl, de or en (default: the run's language).",
        ),
    ] = None,
) -> None:
    """Review a run in the browser: reshape themes, approve drafts, export for Day 2."""
    import secrets
    import webbrowser

    from pipeline.i18n import LANGUAGES as UI_LANGUAGES
    from pipeline.i18n import words
    from pipeline.review.app import ReviewAppError, create_app, is_loopback

    if ui_lang is not None and ui_lang not in UI_LANGUAGES:
        said_lang = _workshop_language(run_dir)  # --ui-lang cannot say its own error
        said = words(said_lang or "en").gettext(
            "--ui-lang %(lang)s: choose one of %(choices)s",
            lang=ui_lang,
            choices=", ".join(UI_LANGUAGES),
        )
        raise _fail(said, said_lang)
    if not 1 <= port <= 65535:  # checked here, not by Click, to say it in the run's language
        said_lang = ui_lang or _workshop_language(run_dir)
        said = words(said_lang or "en").gettext(
            "--port %(port)s: choose a port from 1 to 65535", port=port
        )
        raise _fail(said, said_lang)
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    try:
        application = create_app(run_dir, host, token, ui_lang)
    except _review_errors() as exc:
        raise _said_run_folder(exc, ui_lang or _workshop_language(run_dir)) from None
    except ReviewAppError as exc:
        said_lang = ui_lang or _workshop_language(run_dir)
        raise _fail(exc.said(said_lang), said_lang) from None
    except ValueError as exc:  # another refusal: said in the run's language where known
        said_lang = ui_lang or _workshop_language(run_dir)
        raise _fail(said_error(str(exc), said_lang), said_lang) from None
    from pipeline.review.interface import choose_language

    said = choose_language(application.state.review.run, ui_lang)
    listening = _listen(host, port, said)  # before announcing it: a port in use is one line
    url = review_url(host, port, token)
    line = words(said).gettext(
        "Reviewing %(run)s at %(url)s (Ctrl+C to stop)", run=str(run_dir), url=url
    )
    console.print(escape(line), highlight=False, soft_wrap=True)
    if not no_browser:
        webbrowser.open(url)
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(application, log_level="warning"))
    server.run(sockets=[listening])


def _listen(host: str, port: int, lang: str = "en") -> socket.socket:
    """A socket bound to ``host:port``, handed to uvicorn as it is, so that no other
    program takes the port between the check and the serving; an address it cannot listen
    on, a port in use, or one this user may not open, is one line in ``lang`` and exit 2
    (the system's own words in brackets stay as it gives them)."""
    from pipeline.i18n import words

    w = words(lang)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError, OverflowError) as exc:
        said = w.gettext(
            "--host %(host)s: not an address this machine can listen on (%(error)s)",
            host=host,
            error=str(exc),
        )
        raise _fail(said, lang) from None
    listening = socket.socket(family, kind, proto)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(address)
    except OSError as exc:
        listening.close()
        if exc.errno == errno.EADDRINUSE:
            said = w.gettext("port %(port)s is in use (choose another with --port)", port=port)
        elif exc.errno == errno.EACCES:
            said = w.gettext(
                "port %(port)s: not allowed for this user (choose one above 1023 with --port)",
                port=port,
            )
        else:
            said = w.gettext(
                "cannot listen on %(host)s:%(port)s: %(error)s",
                host=host,
                port=port,
                error=exc.strerror or str(exc),
            )
        raise _fail(said, lang) from None
    listening.listen(2048)  # the browser opened at once waits in the queue, not refused
    return listening


@app.command()
def export(
    run_dir: Annotated[Path, typer.Argument(help="A run folder: runs/<workshop>/<timestamp>.")],
    with_authors: Annotated[
        bool,
        typer.Option("--with-authors", help="Name the participants under their quotes."),
    ] = False,
) -> None:
    """Write the Day 2 handout (DOCX, Markdown) and CSVs of the reviewed themes and notes."""
    from pipeline.review.export import export_all

    notices: list[str] = []
    try:
        written = export_all(run_dir, with_authors=with_authors, notices=notices)
    except _review_errors() as exc:
        raise _said_run_folder(exc, _workshop_language(run_dir)) from None
    for path in written.values():
        console.print(escape(str(path)), highlight=False, soft_wrap=True)
    for line in notices:  # what to settle before printing the handout
        console.print(escape(line), highlight=False, soft_wrap=True)


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="A run folder: runs/<workshop>/<timestamp>.")],
) -> None:
    """Rebuild report.html and report.md from the run and its review's decision log."""
    from pipeline.review.export import refresh_report, reviewed_state

    try:
        run, state = reviewed_state(run_dir)
        path = refresh_report(run_dir, run, state)
    except _review_errors() as exc:
        raise _said_run_folder(exc, _workshop_language(run_dir)) from None
    console.print(escape(str(path)), highlight=False, soft_wrap=True)
    console.print(escape(str(path.with_suffix(".md"))), highlight=False, soft_wrap=True)


def _workshop_language(run_dir: Path) -> str | None:
    """The language of the workshop's run folder, as its handout and plan take it; where
    the folder cannot be read whole, the language its manifest records, if it can be read;
    ``None`` when neither can (then its error is said in English)."""
    import json

    from pipeline.i18n import LANGUAGES
    from pipeline.report.writer import MANIFEST_JSON
    from pipeline.review.export import handout_language
    from pipeline.review.rundir import load_run

    try:
        return handout_language(load_run(run_dir))
    except Exception:  # the run folder's own error is the one to report
        pass
    try:
        config = json.loads((Path(run_dir) / MANIFEST_JSON).read_text(encoding="utf-8"))["config"]
        found = config.get("output_language") or config["draft"].get("language")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return found if found in LANGUAGES else None


def _said_run_folder(exc: Exception, lang: str | None) -> typer.Exit:
    """A run folder's error (``_review_errors``) as one line in ``lang``."""
    from pipeline.cli_errors import said_other_error

    return _fail(said_other_error(str(exc), lang), lang)


@app.command()
def day2(
    folder: Annotated[Path, typer.Argument(help="The folder of Day 2 action cards.")],
    from_run: Annotated[
        Path, typer.Option("--from", help="The reviewed Day 1 run folder the cards answer.")
    ],
    lang: Annotated[
        str | None,
        typer.Option(help="Language of the plan: fr, nl, de or en (default: the workshop's)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the plan (default: RUN_DIR/day2).")
    ] = None,
) -> None:
    """Read the Day 2 action cards, attach them to the reviewed challenges, write the plan.

    Exit codes as for run: 0 every card file read; 3 the plan is written but some files or
    rows were not read (listed); 2 nothing written."""
    from pipeline.day2.step import Day2Error, run_day2
    from pipeline.i18n import words

    known: tuple[type[Exception], ...] = (*_review_errors(), *_user_errors(), Day2Error)
    if lang is not None and lang not in SUPPORTED_LANGUAGES:
        # Said as ``run`` says it, in the workshop's language: "--lang it" cannot say it.
        said_lang = _workshop_language(from_run)
        said = words(said_lang).gettext(
            "--lang %(lang)s: choose one of %(choices)s",
            lang=lang,
            choices=", ".join(SUPPORTED_LANGUAGES),
        )
        raise _fail(said, said_lang)
    try:
        result = run_day2(folder, from_run, lang, out)
    except known as exc:
        raise _said(exc, lang or _workshop_language(from_run)) from None
    from pipeline.day2.words import summary_line
    from pipeline.report.view import shown_location, shown_reason

    counts, lang = result.plan.counts, result.plan.language
    warning = "[yellow]" + escape(words(lang).gettext("warning:")) + "[/]"
    for line in result.plan.errors:  # recorded in English, said in the plan's language
        said = said_input_error(line, lang, location=shown_location, reason=shown_reason)
        errors.print(f"{warning} {escape(said)}", highlight=False, soft_wrap=True)
    for rejected in result.plan.rejected[:MAX_WARNINGS]:
        where = f"{rejected.source}, {shown_location(rejected.location, lang)}"
        errors.print(
            f"{warning} {escape(where)}: {escape(rejected.reason)}",
            highlight=False,
            soft_wrap=True,
        )
    if counts is not None:
        console.print(escape(summary_line(counts, lang)), highlight=False, soft_wrap=True)
    for path in result.written.values():
        console.print(escape(str(path)), highlight=False, soft_wrap=True)
    if result.plan.errors or any(r.text.strip() for r in result.plan.rejected):
        raise typer.Exit(code=EXIT_INPUT_SKIPPED)


EXIT_SOME_FAILED = 3
"""``batch``: it finished, but some workshops failed (each is listed with its reason), or
some input was not read (``EXIT_INPUT_SKIPPED``: each file named in a warning line)."""
EXIT_INTERRUPTED = 130
"""``batch`` stopped by Ctrl-C: the workshops finished so far are kept."""


@app.command()
def batch(
    root: Annotated[Path, typer.Argument(help="A folder holding one folder per workshop.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Root folder for run outputs.")] = Path(
        "runs"
    ),
    concurrency: Annotated[
        int, typer.Option(min=1, help="Workshops run at the same time (threads or Dask workers).")
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Run workshops on a Dask cluster: a scheduler address (tcp://host:8786), or "
            "'local' for a local cluster of --concurrency worker processes.",
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="TOML config for every workshop (default: each folder's own ideasynth.toml).",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Output language of drafts: fr, nl, de or en.")
    ] = None,
    no_resume: Annotated[
        bool, typer.Option("--no-resume", help="Run every workshop, even unchanged ones.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Run every workshop folder under ROOT and report the challenges that recur across them.

    A re-run skips workshops whose inputs and config are unchanged since their last complete
    run. A workshop that changed is run as ``ideasynth run`` would: it keeps its previous
    run's themes and review decisions. One line is printed as each workshop starts and ends.
    Exit codes: 0 every workshop has a run and every input was read; 3 some failed, or some
    input file was not read (listed, one line each); 2 nothing run (user error); 1
    unexpected error (a bug); 130 interrupted (run the same command again to resume).
    """
    from pipeline.batch import NOT_A_FOLDER, BatchError, batch_lock

    if not root.is_dir():
        said_lang = _batch_said_language(root, config_file, lang)
        said = BatchError(NOT_A_FOLDER, {"folder": str(root)}).said(said_lang)
        raise _fail(said, said_lang)
    if lang is not None and lang not in SUPPORTED_LANGUAGES:
        raise _bad_lang(lang, root, config_file)
    if dask:
        _check_dask(dask, _batch_said_language(root, config_file, lang))
    held = contextlib.ExitStack()
    try:  # first of all: a second batch on the same --out is refused at once
        held.enter_context(batch_lock(out))
    except BatchError as exc:
        raise _fail(exc.said(lang), lang) from None
    except OSError as exc:
        said = said_error(f"{out}: cannot create the folder ({exc.strerror or exc})", lang)
        raise _fail(said, lang) from None
    with held:
        summary = _run_batch(root, out, concurrency, dask, config_file, lang, no_resume, verbose)
    _print_batch(summary)


def _batch_said_language(root: Path, config_file: Path | None, lang: str | None) -> str | None:
    """The language a batch's refusal is said in before its workshops are planned:
    ``--lang`` when it names a language ideasynth speaks, else the one its settings name
    (``--config``, else every workshop folder's ``ideasynth.toml``), else ``None``
    (English)."""
    if lang in SUPPORTED_LANGUAGES:
        return lang
    from pipeline.batch import settings_language

    return settings_language(root, config_file)


DASK_PACKAGES = (("prefect-dask", "prefect_dask"), ("distributed", "distributed"))
"""What ``--dask`` needs: each package as ``pip`` names it, and the module it installs."""


def _missing_dask() -> list[str]:
    """The packages of ``DASK_PACKAGES`` this environment lacks, as ``pip`` names them."""
    import importlib.util

    missing = []
    for package, module in DASK_PACKAGES:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a module that failed to import, or was blocked
            found = False
        if not found:
            missing.append(package)
    return missing


def _check_dask(dask: str, lang: str | None) -> None:
    """``--dask``'s own checks, each refused in one line in ``lang``: an address that is no
    scheduler's (``tcp://host:8786``) nor ``local``, and the packages it needs not installed
    (they come with ideasynth, but a trimmed environment may lack them)."""
    from pipeline.i18n import words

    w = words(lang or "en")
    if dask != "local" and "://" not in dask:
        said = w.gettext(
            "--dask %(address)s: give a scheduler address (tcp://host:8786) or 'local'",
            address=dask,
        )
        raise _fail(said, lang)
    missing = _missing_dask()
    if missing:
        said = w.ngettext(
            "--dask needs the package %(packages)s, which is not installed (pip install "
            "%(install)s)",
            "--dask needs the packages %(packages)s, which are not installed (pip install "
            "%(install)s)",
            len(missing),
            packages=", ".join(missing),
            install=" ".join(missing),
        )
        raise _fail(said, lang)


def _run_batch(
    root: Path,
    out: Path,
    concurrency: int,
    dask: str | None,
    config_file: Path | None,
    lang: str | None,
    no_resume: bool,
    verbose: bool,
) -> BatchSummary:
    """The batch flow, its errors one line each: what ``batch`` runs holding the lock."""
    from flows.server import adopt, launch
    from pipeline.batch import BatchError

    early = launch()  # Prefect's temporary server boots while the pipeline imports
    try:
        if config_file is not None:
            load_config(config_file)
        from flows.batch import synthesize_many

        if not verbose:
            _quiet_prefect()
        from pipeline.batch import EndLine
        from pipeline.i18n import words

        ended: list[str] = []

        def say(line: str) -> None:
            if isinstance(line, EndLine):
                ended.append(line)
            console.print(escape(line), highlight=False, soft_wrap=True)

        with console.status(words(lang or "en").gettext("running workshops…")):
            adopt(early)
            summary = synthesize_many(
                root,
                out,
                config_file,
                concurrency,
                dask,
                lang,
                resume=not no_resume,
                progress=say,
            )
    except KeyboardInterrupt:
        from pipeline.i18n import words

        w = words(lang or "en")
        said = w.ngettext(
            "%(num)d workshop ended before the stop, and its run is kept; run the same "
            "command again to resume (finished workshops are skipped)",
            "%(num)d workshops ended before the stop, and their runs are kept; run the same "
            "command again to resume (finished workshops are skipped)",
            len(ended),
        )
        label = w.gettext("interrupted:")
        errors.print(
            f"[bold red]{escape(label)}[/] {escape(said)}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=EXIT_INTERRUPTED) from None
    except ConfigError as exc:
        raise _said(exc, lang) from None
    except BatchError as exc:
        said_lang = _batch_said_language(root, config_file, lang)
        raise _fail(exc.said(said_lang), said_lang) from None
    except Exception as exc:
        if verbose:
            raise
        raise _crash(exc, lang) from None
    return summary


def _print_batch(summary: BatchSummary) -> None:
    """The batch's table, its recurring challenges, its warnings and failures, in the
    batch's language (``BatchSummary.language``); its exit code (``EXIT_SOME_FAILED``,
    ``EXIT_INPUT_SKIPPED``)."""
    from pipeline.i18n import words
    from pipeline.recurring import said_batch_warning, said_reason

    w = words(summary.language)
    title = w.ngettext("%(num)d workshop", "%(num)d workshops", len(summary.outcomes))
    table = Table(title=title)
    # Each line names the workshop by its folder: copies of one folder share their config's name.
    for column in (
        w.pgettext("column", "folder"),
        w.pgettext("column", "name"),
        w.pgettext("column", "status"),
        w.pgettext("column", "ideas"),
        w.pgettext("column", "themes"),
        w.pgettext("column", "seconds"),
    ):
        table.add_column(column)
    statuses = {
        "completed": w.pgettext("status", "completed"),
        "skipped": w.pgettext("status", "skipped"),
        "failed": w.pgettext("status", "failed"),
    }
    for o in summary.outcomes:
        table.add_row(
            escape(o.workshop),
            escape(o.display_name or ""),
            statuses.get(o.status, o.status),
            "" if o.ideas is None else str(o.ideas),
            "" if o.themes is None else str(o.themes),
            w.decimal(o.seconds, 1),
        )
    console.print(table)
    for challenge in summary.recurring[:10]:
        counts = ", ".join(
            [
                w.ngettext("%(num)d workshop", "%(num)d workshops", challenge.n_workshops),
                w.ngettext("%(num)d note", "%(num)d notes", challenge.n_notes),
            ]
        )
        console.print(
            f"{challenge.id} {escape(challenge.label)}: {counts}", highlight=False, soft_wrap=True
        )
    page = escape(str(Path(summary.out) / "recurring.html"))
    recurring = w.gettext("Recurring challenges:")
    # Whole on its line, however long: a path wrapped at 80 columns in a log cannot be copied.
    console.print(f"{escape(recurring)} {page}", highlight=False, soft_wrap=True)
    for o in summary.outcomes:
        if o.day2_dir:
            said = w.gettext(
                "Day 2 plan of %(workshop)s: %(actions)s, %(folder)s",
                workshop=o.workshop,
                actions=w.ngettext("%(num)d action", "%(num)d actions", o.actions or 0),
                folder=o.day2_dir,
            )
            console.print(escape(said), highlight=False, soft_wrap=True)
        if o.day2_reason:
            label = escape(w.gettext("day 2:"))
            errors.print(
                f"[yellow]{label}[/] {escape(o.workshop)}: {escape(o.day2_reason)}",
                highlight=False,
                soft_wrap=True,
            )
    for o in summary.outcomes:
        for line in o.carried:  # what a re-run kept, as ``ideasynth run`` says it
            console.print(f"{escape(o.workshop)}: {escape(line)}", highlight=False, soft_wrap=True)
    warning = "[yellow]" + escape(w.gettext("warning:")) + "[/]"
    for line in summary.warnings:
        said = said_batch_warning(line, w.lang).removeprefix(w.gettext("warning:") + " ")
        errors.print(f"{warning} {escape(said)}", highlight=False, soft_wrap=True)
    for o in summary.outcomes:
        for line in o.warnings:  # in the workshop's own language, as its run says them
            errors.print(
                f"{warning} {escape(o.workshop)}: {escape(line)}",
                highlight=False,
                soft_wrap=True,
            )
    failed = [o for o in summary.outcomes if o.status == "failed"]
    failed_label = w.gettext("failed:")
    for o in failed:
        reason = said_reason(o.reason or "", w.lang)
        errors.print(
            f"[bold red]{escape(failed_label)}[/] {escape(o.workshop)}: {escape(reason)}",
            highlight=False,
            soft_wrap=True,
        )
    if failed:
        raise typer.Exit(code=EXIT_SOME_FAILED)
    if summary.warnings or not all(o.input_complete for o in summary.outcomes):
        raise typer.Exit(code=EXIT_INPUT_SKIPPED)


for _command in app.registered_commands:
    if _command.callback is not None and _command.help is None:
        _command.help = plain_help(_command.callback.__doc__)


if __name__ == "__main__":
    app()
