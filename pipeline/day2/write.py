"""The action plan, written four ways from one view: ``action_plan.html`` (the report's look,
one self-contained page, no network), ``action_plan.md``, ``action_plan.docx`` (the charts
as images) and ``actions.csv`` (one row per action, its cards cited).

Per challenge, under its reviewed name and question: its actions, ranked (votes, then
impact × feasibility), each with its votes, scores, who carries it, when, cost, the other
wordings merged into it and the cards it comes from. Then the actions grouped by who carries
them, and the unattached ones (the ledger says why, card by card).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.shared import Cm
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from pipeline.day2 import charts
from pipeline.day2.plan import owner_key
from pipeline.day2.shapes import Action, ActionCard, ActionPlan, AttachedBy, Challenge
from pipeline.day2.words import (
    PlanWords,
    accounting_sentence,
    one_after_the_other,
    owner_name,
    plan_words,
    problems_shown,
    reason_shown,
    section_counts,
)
from pipeline.i18n import words
from pipeline.report.html import stylesheet
from pipeline.report.view import shown_location
from pipeline.safe_text import document_text
from pipeline.schema import RejectedInput

ACTION_PLAN_HTML = "action_plan.html"
ACTION_PLAN_MD = "action_plan.md"
ACTION_PLAN_DOCX = "action_plan.docx"
ACTIONS_CSV = "actions.csv"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Section:
    number: str
    challenge: Challenge | None
    actions: list[Action]

    @property
    def votes(self) -> int:
        return sum(a.votes or 0 for a in self.actions)


@dataclass
class PlanView:
    plan: ActionPlan
    words: PlanWords
    sections: list[Section]
    unattached: list[Action]
    owners: list[tuple[str, list[Action]]]
    cards: dict[str, ActionCard]
    reasons: dict[str, str]
    matrix: charts.Chart | None
    votes: charts.Chart | None
    accounting: str
    numbers: dict[str, str] = field(default_factory=dict)
    rejected: list[Action] = field(default_factory=list)
    """Actions rejected in review: out of the plan, listed at its end."""

    @property
    def lang(self) -> str:
        return self.plan.language

    @property
    def colon(self) -> str:
        """A colon as the plan's language writes it (French puts a space before)."""
        return " :" if self.plan.language == "fr" else ":"

    @property
    def semicolon(self) -> str:
        """Between two items of a list, as the plan's language writes it ("a; b", French
        "a ; b")."""
        return _between(self.lang)

    def number(self, action: Action) -> str:
        return self.numbers[action.id]

    def cites(self, action: Action) -> list[str]:
        """Where each of the action's cards was read, in the plan's language."""
        return [cite(self.cards[i], self.lang) for i in action.card_ids if i in self.cards]

    def why(self, action: Action) -> list[str]:
        """Why the action's cards are attached to no challenge, one line per card."""
        return [self.reasons[i] for i in action.card_ids if i in self.reasons]

    def counts(self, section: Section) -> str:
        return section_counts(self.lang, len(section.actions), section.votes)

    def problems(self) -> list[tuple[str, str]]:
        """Each cell not understood: the card's place, and what is wrong, in the plan's
        language."""
        return [
            (cite(card, self.lang), said)
            for card in self.plan.cards
            for said in problems_shown(card, self.lang)
        ]

    def rejected_row(self, row: RejectedInput) -> str:
        return f"{row.source}, {shown_location(row.location, self.lang)}"

    def question(self, challenge: Challenge) -> str:
        """The challenge's question as the plan shows it: tagged with its language where it
        is asked in another one than the plan's ("How might we …? (en)" in a French plan),
        as the drafts tag a proposal in another language."""
        asked_in = challenge.question_language
        if asked_in and asked_in != self.lang:
            return f"{challenge.question} ({asked_in})"
        return challenge.question

    def challenge_name(self, action: Action) -> str:
        for section in self.sections:
            if section.challenge is not None and section.challenge.id == action.challenge_id:
                return f"{self.words.challenge} {section.number}"
        return "—"

    def facts(self, action: Action) -> list[tuple[str, str]]:
        w = self.words
        out = []
        if action.votes is not None:
            out.append((w.votes.capitalize(), str(action.votes)))
        if action.impact is not None:
            out.append((w.impact, score(action.impact, self.lang)))
        if action.feasibility is not None:
            out.append((w.feasibility, score(action.feasibility, self.lang)))
        if action.owner:
            out.append((w.owner, action.owner))
        if action.when:
            out.append((w.when, action.when))
        if action.cost:
            out.append((w.cost, action.cost))
        return out


def _between(lang: str) -> str:
    """What the language puts between two clauses or items: "; ", French " ; "."""
    return one_after_the_other(["\x00", "\x01"], lang).split("\x00", 1)[1].split("\x01", 1)[0]


def score(value: float, lang: str = "en") -> str:
    """A 1–5 score as the language writes it: "4.5/5", "4,5/5" (a whole one "5/5")."""
    text = words(lang).decimal(value, 1)
    return text.removesuffix("0").rstrip(".,") + "/5"


def cite(card: ActionCard, lang: str | None = None) -> str:
    """Where a card was read: in ``lang`` ("ligne 14") for a person, as recorded ("row 14")
    without one, for the files that are data (``actions.csv``)."""
    location = card.location if lang is None else shown_location(card.location, lang)
    return f"{card.source}, {location}"


def challenge_number(challenge: Challenge) -> str:
    """The number the handout printed for the challenge, the one its cards use."""
    from pipeline.review.export import challenge_number as handout_number

    return handout_number(challenge.id)


def build_view(plan: ActionPlan) -> PlanView:
    words = plan_words(plan.language)
    numbers = {a.id: str(int(a.id[1:])) for a in plan.actions}
    shown = [a for a in plan.actions if a.status != "rejected"]
    sections = []
    for challenge in plan.challenges:
        actions = [a for a in shown if a.challenge_id == challenge.id]
        if actions:
            sections.append(Section(challenge_number(challenge), challenge, actions))
    unattached = [a for a in shown if a.challenge_id is None]
    groups: dict[str, list[Action]] = {}
    names: dict[str, str] = {}
    for action in shown:
        key = owner_key(action.owner)
        name = owner_name(key, plan.language) or action.owner or words.not_said
        names.setdefault(key, name)
        groups.setdefault(key, []).append(action)
    owners = sorted(
        ((names[k], v) for k, v in groups.items()),
        key=lambda item: (item[0] == words.not_said, -len(item[1]), item[0].casefold()),
    )
    matrix = charts.matrix(
        [(numbers[a.id], a.impact, a.feasibility, a.text) for a in shown],
        words.matrix_words(),
    )
    bars = [(f"{s.number}. {s.challenge.title}" if s.challenge else "", s.votes) for s in sections]
    stand_ins = [f"{s.number}. {words.no_font}" for s in sections]
    if unattached:
        bars.append((words.unattached, sum(a.votes or 0 for a in unattached)))
    counts = plan.counts
    accounting = accounting_sentence(
        plan.language,
        cards=len(plan.cards),
        attached=counts.attached if counts else 0,
        unattached=counts.unattached if counts else 0,
        actions=len(shown),
        rejected=counts.rejected_rows if counts else 0,
        skipped=len(plan.errors),
    )
    return PlanView(
        plan=plan,
        words=words,
        sections=sections,
        unattached=unattached,
        owners=owners,
        cards={c.id: c for c in plan.cards},
        reasons={
            a.card_id: reason_shown(a, plan.language)
            for a in plan.attachments
            if a.by is AttachedBy.NONE
        },
        matrix=matrix,
        votes=charts.votes(bars, words.votes_title, stand_ins),
        accounting=accounting,
        numbers=numbers,
        rejected=[a for a in plan.actions if a.status == "rejected"],
    )


# --- Markdown -----------------------------------------------------------------------------


def _md(text: str) -> str:
    flat = " ".join(document_text(text).split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def _md_action(view: PlanView, action: Action) -> list[str]:
    facts = " · ".join(f"{k} {_md(v)}" for k, v in view.facts(action))
    approved = f" ✓ {view.words.approved}" if action.status == "approved" else ""
    lines = [
        f"{view.number(action)}. **{_md(action.text)}**{approved}"
        + (f" — {facts}" if facts else "")
    ]
    colon = view.colon
    if action.variants:
        variants = " / ".join(_md(v) for v in action.variants)
        lines.append(f"   - {view.words.also_written}{colon} {variants}")
    cites = view.semicolon.join(_md(c) for c in view.cites(action))
    lines.append(f"   - {view.words.cards}{colon} {cites}")
    lines += [f"   - {view.words.why}{colon} {_md(why)}" for why in view.why(action)]
    return lines


def plan_markdown(plan: ActionPlan) -> str:
    view = build_view(plan)
    w = view.words
    lines = [f"# {_md(plan.workshop)} — {w.title}", "", view.accounting, ""]
    if not view.sections and not view.unattached:
        lines += [w.no_actions, ""]
    for section in view.sections:
        assert section.challenge is not None
        lines += [f"## {w.challenge} {section.number} — {_md(section.challenge.title)}", ""]
        if section.challenge.question:
            lines += [f"**{w.question}** {_md(view.question(section.challenge))}", ""]
        for action in section.actions:
            lines += _md_action(view, action)
        lines.append("")
    if view.unattached:
        lines += [f"## {w.unattached}", "", w.unattached_hint, ""]
        for action in view.unattached:
            lines += _md_action(view, action)
        lines.append("")
    lines += [f"## {w.by_owner}", ""]
    for owner, actions in view.owners:
        lines += [f"### {_md(owner)}", ""]
        lines += [
            f"- {view.number(a)}. {_md(a.text)} ({_md(view.challenge_name(a))})" for a in actions
        ]
        lines.append("")
    if view.rejected:
        lines += [f"## {w.rejected_in_review}", ""]
        lines += [f"- {_md(a.text)}" for a in view.rejected] + [""]
    if not view.matrix:
        lines += [w.no_scores, ""]
    _md_problems(view, lines)
    return "\n".join(lines)


def _md_problems(view: PlanView, lines: list[str]) -> None:
    w = view.words
    if view.plan.errors:
        lines += [f"## {w.not_read}", ""] + [f"- {_md(e)}" for e in view.plan.errors] + [""]
    if view.plan.rejected:
        lines += [f"## {w.rejected_rows}", ""]
        lines += [
            f"- {_md(view.rejected_row(r))}{view.colon} {_md(r.reason)}" for r in view.plan.rejected
        ]
        lines.append("")
    problems = view.problems()
    if problems:
        lines += [f"## {w.unreadable}", ""]
        lines += [f"- {_md(c)}{view.colon} {_md(p)}" for c, p in problems] + [""]


# --- CSV ----------------------------------------------------------------------------------


def actions_csv(plan: ActionPlan) -> str:
    """One row per action, in plan order; cells that start like a formula get a ``'``."""
    view = build_view(plan)
    titles = {c.id: c.title for c in plan.challenges}
    cards = {c.id: c for c in plan.cards}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["number", "action", "challenge_id", "challenge", "votes", "impact", "feasibility",
         "impact_x_feasibility", "owner", "when", "cost", "cards", "card_ids", "also_written",
         "review"]
    )  # fmt: skip

    def cell(value: object) -> str:
        text = document_text("" if value is None else str(value))
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    for action in plan.actions:
        writer.writerow(
            [
                view.number(action),
                cell(action.text),
                action.challenge_id or "",
                cell(titles.get(action.challenge_id or "", "")),
                "" if action.votes is None else action.votes,
                "" if action.impact is None else action.impact,
                "" if action.feasibility is None else action.feasibility,
                "" if action.priority is None else round(action.priority, 2),
                cell(action.owner),
                cell(action.when),
                cell(action.cost),
                cell("; ".join(cite(cards[i]) for i in action.card_ids if i in cards)),
                " ".join(action.card_ids),
                cell(" / ".join(action.variants)),
                action.status,
            ]
        )
    return buffer.getvalue()


# --- HTML ---------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda v: (
            document_text(v) if isinstance(v, str) and not isinstance(v, Markup) else v
        ),
    )


CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "script-src 'none'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)


def plan_html(plan: ActionPlan) -> str:
    view = build_view(plan)
    w = view.words
    matrix = charts.to_svg(view.matrix, w.matrix_title) if view.matrix else None
    votes = charts.to_svg(view.votes, w.votes_title) if view.votes else None
    return (
        _environment()
        .get_template("action_plan.html.j2")
        .render(
            v=view,
            w=w,
            lang=plan.language,
            css=Markup(stylesheet()),
            csp=CSP,
            # Markup: SVG built by pipeline.day2.charts, every text in it escaped there.
            matrix=Markup(matrix) if matrix else None,
            votes=Markup(votes) if votes else None,
        )
    )


# --- DOCX ---------------------------------------------------------------------------------


def plan_docx(plan: ActionPlan) -> bytes:
    from pipeline.review.export import _set_language

    view = build_view(plan)
    w = view.words
    document = docx.Document()
    title = document_text(f"{plan.workshop} — {w.title}")
    document.core_properties.title = title
    _set_language(document, w.locale)
    document.add_heading(title, level=0)
    document.add_paragraph(view.accounting)
    if view.matrix is not None:
        document.add_heading(w.matrix_title, level=1)
        document.add_picture(io.BytesIO(charts.to_png(view.matrix)), width=Cm(16))
        document.add_paragraph(w.matrix_key)
    else:
        document.add_paragraph(w.no_scores)
    if view.votes is not None:
        document.add_heading(w.votes_title, level=1)
        document.add_picture(io.BytesIO(charts.to_png(view.votes)), width=Cm(16))
    else:
        document.add_paragraph(w.no_votes)
    if not view.sections and not view.unattached:
        document.add_paragraph(w.no_actions)
    for section in view.sections:
        assert section.challenge is not None
        document.add_heading(
            document_text(f"{w.challenge} {section.number} — {section.challenge.title}"), level=1
        )
        if section.challenge.question:
            question = view.question(section.challenge)
            document.add_paragraph(document_text(question), style="Intense Quote")
        for action in section.actions:
            _docx_action(document, view, action)
    if view.unattached:
        document.add_heading(w.unattached, level=1)
        document.add_paragraph(w.unattached_hint)
        for action in view.unattached:
            _docx_action(document, view, action)
    document.add_heading(w.by_owner, level=1)
    for owner, actions in view.owners:
        document.add_heading(document_text(owner), level=2)
        for action in actions:
            document.add_paragraph(
                document_text(
                    f"{view.number(action)}. {action.text} ({view.challenge_name(action)})"
                ),
                style="List Bullet",
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_action(document: docx.document.Document, view: PlanView, action: Action) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(document_text(f"{view.number(action)}. {action.text}")).bold = True
    if action.status == "approved":
        paragraph.add_run(f" ✓ {view.words.approved}")
    facts = " · ".join(f"{k} {v}" for k, v in view.facts(action))
    if facts:
        paragraph.add_run(document_text(f" — {facts}"))
    if action.variants:
        document.add_paragraph(
            document_text(f"{view.words.also_written}{view.colon} " + " / ".join(action.variants)),
            style="List Bullet 2",
        )
    document.add_paragraph(
        document_text(f"{view.words.cards}{view.colon} " + view.semicolon.join(view.cites(action))),
        style="List Bullet 2",
    )
    for why in view.why(action):
        document.add_paragraph(
            document_text(f"{view.words.why}{view.colon} {why}"), style="List Bullet 2"
        )
