"""Challenges that recur across workshops: themes of different runs grouped by their centroids.

Each completed run's themes are placed in one space: the mean of their notes' embeddings
(read back from the embedding cache, so nothing is embedded twice), after the same
per-language centring the clustering uses, so that a French and a Dutch theme on one topic
meet. Average-linkage agglomeration on cosine distance then joins themes whose centroids are
closer than ``1 - similarity``; a group that spans two or more workshops is a recurring
challenge. Deterministic: same runs in, same groups out.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.i18n import N_, RecordedMessages, Words, words
from pipeline.report.atomic import atomic_write_text
from pipeline.report.writer import MANIFEST_JSON, REPORT_HTML, to_json
from pipeline.schema import (
    ApprovalState,
    BatchSummary,
    RecurringChallenge,
    RecurringTheme,
    RunResult,
    Theme,
    WorkshopOutcome,
)

DEFAULT_SIMILARITY = 0.6
"""Cosine between language-centred theme centroids above which two themes are one challenge."""
RECURRING_JSON = "recurring.json"
RECURRING_MD = "recurring.md"
RECURRING_HTML = "recurring.html"


@dataclass(frozen=True)
class ThemePoint:
    """One workshop theme with its centroid, ready to be grouped."""

    member: RecurringTheme
    centroid: np.ndarray


def _read_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def load_theme_points(runs: Sequence[tuple[str, Path]]) -> list[ThemePoint]:
    """Theme centroids of each ``(workshop, run folder)``, in one language-centred space."""

    from pipeline.cluster import centre_by_language
    from pipeline.config import EmbedConfig
    from pipeline.embed.cache import cached_name
    from pipeline.embed.for_run import run_embedder

    members: list[RecurringTheme] = []
    member_rows: list[list[int]] = []
    texts: list[str] = []
    langs: list[str] = []
    notes_by_model: Counter[str] = Counter()
    config_of: dict[str, EmbedConfig] = {}
    for workshop, run_dir in runs:
        manifest = _read_json(run_dir / MANIFEST_JSON)
        assert isinstance(manifest, dict)
        embed_config = EmbedConfig.model_validate(manifest["config"]["embed"])
        model = cached_name(embed_config.model, embed_config.one_text_per_call)
        config_of.setdefault(model, embed_config)
        reviewed = reviewed_run(run_dir)
        statements = {d.theme_id: d.challenge.text for d in reviewed.drafts}
        row_of: dict[str, int] = {}
        for note in reviewed.notes:
            row_of[note.id] = len(texts)
            texts.append(note.text)
            langs.append(note.lang)
        notes_by_model[model] += len(reviewed.notes)
        for theme in kept_themes(reviewed):
            rows = [row_of[i] for i in theme.note_ids if i in row_of]
            if not rows:
                continue
            members.append(
                RecurringTheme(
                    workshop=workshop,
                    theme_id=theme.id,
                    label=theme.label,
                    size=theme.note_count,
                    keyphrases=theme.keyphrases,
                    keyphrase_translations=theme.keyphrase_translations,
                    statement=statements.get(theme.id),
                    run_dir=str(run_dir),
                )
            )
            member_rows.append(rows)
    if not members:
        return []
    # Runs may differ in embedder (a large workshop switched to use-m3, a workshop first run
    # before the default changed): every note is then embedded again with the embedder of
    # most notes, so that all themes are compared in one space. Else all are cache hits.
    model = min(notes_by_model, key=lambda m: (-notes_by_model[m], m))
    embeddings = run_embedder(config_of[model]).embed(texts)
    space = centre_by_language(embeddings, langs) if len(set(langs)) > 1 else embeddings
    points = []
    for member, rows in zip(members, member_rows, strict=True):
        centroid = space[rows].mean(axis=0)
        norm = float(np.linalg.norm(centroid))
        points.append(ThemePoint(member, centroid / norm if norm else centroid))
    return points


def reviewed_run(run_dir: Path, run: RunResult | None = None) -> RunResult:
    """The run as its review left it, as ``export`` and the reports show it
    (``pipeline.review.reviewed``): reviewed names, notes and wording. A run nobody has
    reviewed (no decision log) is read as it is, without replaying an empty review."""
    from pipeline.review.export import reviewed_state
    from pipeline.review.reviewed import reviewed_result
    from pipeline.review.rundir import DECISIONS_DB, load_run

    run = run or load_run(run_dir)
    if not (Path(run_dir) / DECISIONS_DB).is_file():
        return run
    return reviewed_result(*reviewed_state(run_dir, run))


def kept_themes(reviewed: RunResult) -> list[Theme]:
    """The reviewed run's themes less those the review rejected, and those of a rejected
    challenge: rejected challenges are left out, as the handout leaves them out."""
    rejected = {k for k, v in reviewed.approvals.items() if v == ApprovalState.REJECTED.value}
    return [t for t in reviewed.themes if t.id not in rejected and t.parent_id not in rejected]


def group_points(points: Sequence[ThemePoint], similarity: float) -> list[list[int]]:
    """Indices of ``points`` grouped by average linkage on cosine distance, cut at
    ``1 - similarity``; groups and their members in a stable order."""
    if not points:
        return []
    if len(points) == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage

    matrix = np.stack([p.centroid for p in points]).astype(np.float64)
    tree = linkage(matrix, method="average", metric="cosine")
    labels = fcluster(tree, t=1.0 - similarity, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda g: g[0])


def shared_keyphrases(members: Sequence[RecurringTheme], top: int = 8) -> list[str]:
    """The ``top`` keyphrases of a group of themes: each member's keyphrases weighed by its
    size and rank. A keyphrase and the translations its run folded into it are one concept,
    whichever workshop wrote which word ("mois" in Liège, "maanden" in Gent), named by its
    best-weighed word."""
    concept: dict[str, str] = {}

    def root(word: str) -> str:
        while concept.get(word, word) != word:
            word = concept[word]
        return word

    for member in members:
        for head, translations in member.keyphrase_translations.items():
            for word in translations:
                a, b = root(head), root(word)
                if a != b:
                    concept[b] = a
    weights: dict[str, float] = {}
    for member in members:
        for rank, phrase in enumerate(member.keyphrases):
            weights[phrase] = weights.get(phrase, 0.0) + member.size / (rank + 1)
    by_concept: dict[str, list[str]] = {}
    for phrase in weights:
        by_concept.setdefault(root(phrase), []).append(phrase)
    named = [
        (sum(weights[p] for p in words), min(words, key=lambda p: (-weights[p], p)))
        for words in by_concept.values()
    ]
    return [word for _, word in sorted(named, key=lambda kv: (-kv[0], kv[1]))][:top]


def recurring_challenges(
    points: Sequence[ThemePoint], similarity: float = DEFAULT_SIMILARITY
) -> tuple[list[RecurringChallenge], int]:
    """Groups spanning at least two workshops, most widespread first; and the count of
    themes left on their own."""
    challenges: list[RecurringChallenge] = []
    single = 0
    for group in group_points(points, similarity):
        workshops = sorted({points[i].member.workshop for i in group})
        if len(workshops) < 2:
            single += len(group)
            continue
        centre = np.mean([points[i].centroid for i in group], axis=0)
        centre /= float(np.linalg.norm(centre)) or 1.0
        members = [
            points[i].member.model_copy(
                update={"similarity": round(float(points[i].centroid @ centre), 4)}
            )
            for i in group
        ]
        members.sort(key=lambda m: (-m.similarity, m.workshop, m.theme_id))
        central = members[0]
        challenges.append(
            RecurringChallenge(
                id="",
                label=central.label,
                keyphrases=shared_keyphrases(members),
                statement=central.statement,
                n_workshops=len(workshops),
                n_notes=sum(m.size for m in members),
                workshops=workshops,
                themes=members,
            )
        )
    challenges.sort(key=lambda c: (-c.n_workshops, -c.n_notes, c.label))
    numbered = [c.model_copy(update={"id": f"R{i}"}) for i, c in enumerate(challenges, 1)]
    return numbered, single


_BATCH_LINES = RecordedMessages(
    [
        (
            r"(?P<file>.+): not in a workshop folder, not read \(put it in a folder of its own\)",
            N_("%(file)s: not in a workshop folder, not read (put it in a folder of its own)"),
        ),
    ]
)


def _said_warning(line: str, w: Words) -> str:
    """A batch's own warning (a file beside the workshop folders), recorded in English."""
    return _BATCH_LINES.said(line, w.lang)


def said_batch_warning(line: str, lang: str) -> str:
    """A batch's own warning as its console prints it: "warning: …" in ``lang``."""
    w = words(lang)
    warning = w.gettext("warning:")
    return f"{warning} {_said_warning(line, w)}"


def _heading(summary: BatchSummary, w: Words) -> str:
    return w.ngettext(
        "Recurring challenges across %(num)d workshop",
        "Recurring challenges across %(num)d workshops",
        len(summary.outcomes),
    )


def _numbered_heading(id_: str, label: str, n_workshops: int, counted: str, w: Words) -> str:
    """ "R1. Label — 3 workshops, 42 notes": ``counted`` says the second count."""
    return w.gettext(
        "%(id)s. %(label)s — %(workshops)s, %(notes)s",
        id=id_,
        label=label,
        workshops=w.ngettext("%(num)d workshop", "%(num)d workshops", n_workshops),
        notes=counted,
    )


def _challenge_heading(id_: str, label: str, n_workshops: int, n_notes: int, w: Words) -> str:
    notes = w.ngettext("%(num)d note", "%(num)d notes", n_notes)
    return _numbered_heading(id_, label, n_workshops, notes, w)


def _action_heading(id_: str, text: str, n_workshops: int, votes: int, w: Words) -> str:
    counted = w.ngettext("%(num)d vote", "%(num)d votes", votes)
    return _numbered_heading(id_, text, n_workshops, counted, w)


def _singles_line(summary: BatchSummary, w: Words) -> str:
    single = w.ngettext(
        "%(num)d theme appears in one workshop only.",
        "%(num)d themes appear in one workshop only.",
        summary.single_themes,
    )
    grouped = w.gettext(
        "Themes are grouped when their centroids’ cosine similarity is above %(threshold)s.",
        threshold=w.decimal(summary.similarity_threshold),
    )
    return f"{single} {grouped}"


def render_markdown(summary: BatchSummary) -> str:
    """``recurring.md``, in the summary's language (``BatchSummary.language``)."""
    w = words(summary.language)
    workshops, recurring = w.gettext("Workshops"), w.gettext("Recurring challenges")
    actions = w.gettext("Recurring actions (Day 2)")
    lines = [f"# {_heading(summary, w)}", ""]
    lines += _status_lines(summary, markdown=True)
    lines += ["", f"## {workshops}", "", *_index_markdown(summary)]
    lines += ["", f"## {recurring}", ""]
    if not summary.recurring:
        lines.append(w.gettext("No theme recurs in two or more workshops."))
    for challenge in summary.recurring:
        heading = _challenge_heading(
            challenge.id, challenge.label, challenge.n_workshops, challenge.n_notes, w
        )
        lines += [f"### {heading}", ""]
        if challenge.statement:
            lines += [f"> {challenge.statement}", ""]
        keyphrases = ", ".join(challenge.keyphrases)
        lines += [w.gettext("Keyphrases: %(keyphrases)s", keyphrases=keyphrases), ""]
        for member in challenge.themes:
            about = w.gettext(
                "%(notes)s, similarity %(similarity)s",
                notes=w.ngettext("%(num)d note", "%(num)d notes", member.size),
                similarity=w.decimal(member.similarity),
            )
            lines.append(f"- **{member.workshop}** {member.theme_id} “{member.label}” ({about})")
        lines.append("")
    lines.append(_singles_line(summary, w))
    if summary.recurring_actions:
        lines += ["", f"## {actions}", ""]
        for action in summary.recurring_actions:
            heading = _action_heading(action.id, action.text, action.n_workshops, action.votes, w)
            lines += [f"### {heading}", ""]
            lines += [
                f"- **{m.workshop}** “{m.text}” ("
                + w.ngettext("%(num)d vote", "%(num)d votes", m.votes)
                + (f"; {m.challenge}" if m.challenge else "")
                + ")"
                for m in action.members
            ] + [""]
    return "\n".join(lines) + "\n"


def _status_lines(summary: BatchSummary, *, markdown: bool) -> list[str]:
    w = words(summary.language)
    counts = Counter(o.status for o in summary.outcomes)
    unread = sum(len(o.warnings) for o in summary.outcomes) + len(summary.warnings)
    line = w.gettext(
        "%(completed)s completed, %(skipped)s unchanged since their last run, %(failed)s failed",
        completed=counts["completed"],
        skipped=counts["skipped"],
        failed=counts["failed"],
    )
    if unread:
        line += w.ngettext(
            "; %(num)d input file or row not read (warnings below)",
            "; %(num)d input files or rows not read (warnings below)",
            unread,
        )
    return [line + "."]


def report_link(summary: BatchSummary, outcome: WorkshopOutcome) -> str | None:
    """Its run's ``report.html``, relative to the output root where the summary is."""
    if not outcome.run_dir:
        return None
    report = Path(outcome.run_dir) / REPORT_HTML
    try:
        return report.relative_to(Path(summary.out)).as_posix()
    except ValueError:
        return report.as_posix()


def said_reason(reason: str, lang: str) -> str:
    """Why a workshop failed, recorded in English (``recurring.json``), in ``lang`` where
    it is a reader's or a setting's error the command line knows (``pipeline.cli_errors``)."""
    from pipeline.cli_errors import said_error
    from pipeline.report.view import shown_location, shown_reason

    return said_error(reason, lang, location=shown_location, reason=shown_reason)


def outcome_line(outcome: WorkshopOutcome, lang: str = "en") -> str:
    """One workshop in the batch's index: its status and counts, or why it failed, in
    ``lang`` (the workshop's own reason as it was written)."""
    w = words(lang)
    if outcome.status == "failed":
        return w.gettext("failed: %(reason)s", reason=said_reason(outcome.reason or "", lang))
    if outcome.status == "skipped":
        status = w.gettext("unchanged since its last run")
    else:
        status = w.gettext("completed")
    counts = ", ".join(
        [
            w.ngettext("%(num)d idea", "%(num)d ideas", outcome.ideas or 0),
            w.ngettext("%(num)d theme", "%(num)d themes", outcome.themes or 0),
        ]
    )
    if outcome.day2_dir:
        counts += ", " + w.ngettext(
            "Day 2 plan of %(num)d action", "Day 2 plan of %(num)d actions", outcome.actions or 0
        )
    return f"{status}: {counts}"


def outcome_notes(outcome: WorkshopOutcome, lang: str = "en") -> list[tuple[str, str]]:
    """The lines under a workshop in the index, each with its kind: a warning per input
    not read, the Day 2 plan's problem, what a re-run carried over."""
    notes = [("warning", line) for line in outcome.warnings]
    if outcome.day2_reason:
        said = words(lang).gettext("day 2: %(reason)s", reason=outcome.day2_reason)
        notes.append(("warning", said))
    return notes + [("carried", line) for line in outcome.carried]


def _index_markdown(summary: BatchSummary) -> list[str]:
    w = words(summary.language)
    warning, report = w.gettext("warning:"), w.gettext("report")
    lines = [f"- {warning} {_said_warning(line, w)}" for line in summary.warnings]
    for o in summary.outcomes:
        name = f" ({o.display_name})" if o.display_name and o.display_name != o.workshop else ""
        link = report_link(summary, o)
        shown = f" — [{report}]({link})" if link else ""
        lines.append(f"- **{o.workshop}**{name}: {outcome_line(o, w.lang)}{shown}")
        lines += [
            f"  - {warning + ' ' if kind == 'warning' else ''}{text}"
            for kind, text in outcome_notes(o, w.lang)
        ]
    return lines


def _header_cells(*names: str) -> str:
    """A table's header cells, the columns' names (said in the summary's language) escaped."""
    return "".join(f"<th>{html.escape(name)}</th>" for name in names)


def render_html(summary: BatchSummary) -> str:
    """One self-contained page (no scripts, no external files), in the summary's language,
    which its ``lang`` attribute names (a workshop's own lines name theirs)."""
    e = html.escape
    w = words(summary.language)
    warning, report = e(w.gettext("warning:")), e(w.gettext("report"))
    workshops, recurring = e(w.gettext("Workshops")), e(w.gettext("Recurring challenges"))
    nothing = e(w.gettext("No theme recurs in two or more workshops."))
    parts = [
        f"<!doctype html><html lang='{e(w.lang)}'><head><meta charset='utf-8'>",
        f"<title>{recurring}</title><style>body{{font-family:"
        "system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}blockquote{"
        "border-left:3px solid #889;margin:0;padding-left:1rem}.failed,.warning{color:#a00}"
        "td,th{padding:.2rem .6rem;text-align:left}"
        "</style></head><body>",
        f"<h1>{e(_heading(summary, w))}</h1>",
    ]
    status = _status_lines(summary, markdown=False)
    parts.append(f"<p>{e(status[0])}</p>")
    parts.append(f"<h2 id='workshops'>{workshops}</h2><ul class='index'>")
    parts += [
        f"<li class='warning'>{warning} {e(_said_warning(line, w))}</li>"
        for line in summary.warnings
    ]
    for o in summary.outcomes:
        name = f" ({e(o.display_name)})" if o.display_name and o.display_name != o.workshop else ""
        link = report_link(summary, o)
        shown = f" — <a href='{e(link)}'>{report}</a>" if link else ""
        lang = f" lang='{e(o.language)}'" if o.language else ""
        parts.append(
            f"<li class='{e(o.status)}'><strong>{e(o.workshop)}</strong>{name}: "
            f"{e(outcome_line(o, w.lang))}{shown}"
        )
        notes = outcome_notes(o, w.lang)
        if notes:
            parts.append("<ul>")
            parts += [
                f"<li class='warning'>{warning} <span{lang}>{e(text)}</span></li>"
                if kind == "warning"
                else f"<li{lang}>{e(text)}</li>"
                for kind, text in notes
            ]
            parts.append("</ul>")
        parts.append("</li>")
    parts.append("</ul>")
    parts.append(f"<h2>{recurring}</h2>")
    if not summary.recurring:
        parts.append(f"<p>{nothing}</p>")
    columns = _header_cells(
        w.pgettext("column", "workshop"),
        w.pgettext("column", "theme"),
        w.pgettext("column", "notes"),
        w.pgettext("column", "similarity"),
    )
    for c in summary.recurring:
        heading = _challenge_heading(c.id, c.label, c.n_workshops, c.n_notes, w)
        parts.append(f"<section id='{e(c.id)}'><h3>{e(heading)}</h3>")
        if c.statement:
            parts.append(f"<blockquote>{e(c.statement)}</blockquote>")
        keyphrases = w.gettext("Keyphrases: %(keyphrases)s", keyphrases=", ".join(c.keyphrases))
        parts.append(f"<p>{e(keyphrases)}</p><table>")
        parts.append(f"<tr>{columns}</tr>")
        for m in c.themes:
            parts.append(
                f"<tr><td>{e(m.workshop)}</td><td>{e(m.theme_id)} {e(m.label)}</td>"
                f"<td>{m.size}</td><td>{e(w.decimal(m.similarity))}</td></tr>"
            )
        parts.append("</table></section>")
    parts.append(f"<p>{e(_singles_line(summary, w))}</p>")
    if summary.recurring_actions:
        actions = w.gettext("Recurring actions (Day 2)")
        parts.append(f"<h2 id='actions'>{e(actions)}</h2>")
        action_columns = _header_cells(
            w.pgettext("column", "workshop"),
            w.pgettext("column", "action"),
            w.pgettext("column", "challenge"),
            w.pgettext("column", "votes"),
        )
        for a in summary.recurring_actions:
            heading = _action_heading(a.id, a.text, a.n_workshops, a.votes, w)
            parts.append(
                f"<section id='{e(a.id)}'><h3>{e(heading)}</h3><table><tr>{action_columns}</tr>"
            )
            parts += [
                f"<tr><td>{e(m.workshop)}</td><td>{e(m.text)}</td><td>{e(m.challenge)}</td>"
                f"<td>{m.votes}</td></tr>"
                for m in a.members
            ]
            parts.append("</table></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_batch_report(summary: BatchSummary, out_root: Path) -> dict[str, Path]:
    """``recurring.json`` (the whole summary), ``recurring.md`` and ``recurring.html``,
    each replaced atomically."""
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    return {
        RECURRING_JSON: atomic_write_text(
            out_root / RECURRING_JSON, to_json(summary.model_dump(mode="json"))
        ),
        RECURRING_MD: atomic_write_text(out_root / RECURRING_MD, render_markdown(summary)),
        RECURRING_HTML: atomic_write_text(out_root / RECURRING_HTML, render_html(summary)),
    }
