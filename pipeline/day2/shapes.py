"""Every data shape of Day 2, from an action card as read to the action plan.

Steps are plain functions over these: ``read`` gives ``ActionCard``s and the rows read,
``attach`` gives each card a ``CardAttachment``, ``plan`` merges cards into ``Action``s and
ranks them into an ``ActionPlan``, and ``write`` renders the plan.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from pipeline.schema import InputFile, InputRow, RejectedInput


class Said(BaseModel):
    """A sentence recorded by what it says rather than in one language: its code and values.
    It is rendered in the reader's language where it is shown (``pipeline.day2.words.say``,
    ``ledger.csv``'s ``reason`` too, beside its codes), and in English in ``plan.json`` and
    ``manifest.json``."""

    code: str
    """Which sentence (``pipeline.day2.words.SENTENCES``): a stable machine value."""
    values: dict[str, str | float] = Field(default_factory=dict)
    """What goes into it: ids, a card's own words, a similarity."""


class ActionCard(BaseModel):
    """One action card (a row, a line, a bullet) as the room wrote it, its fields recognised."""

    id: str
    source: str
    location: str
    text: str
    """The action."""
    challenge_ref: str | None = None
    """The challenge as written on the card: a number, an id, a name; ``None`` when blank."""
    votes: int | None = None
    impact: float | None = None
    """1–5 (words such as "fort", "hoog", "hoch" are mapped: low 1, medium 3, high 5)."""
    feasibility: float | None = None
    owner: str | None = None
    """Who carries it, as written ("SPW", "Gouvernement", "gemeente", …)."""
    when: str | None = None
    cost: str | None = None
    problems: list[str] = Field(default_factory=list)
    """Cells that could not be understood ("impact: “très” is not a score"), in English; the
    card is kept."""
    unread: list[Said] = Field(default_factory=list)
    """The same, as codes to render in the plan's language (empty in files written before
    they were recorded so: ``problems`` is then shown as written)."""


class CardsRead(BaseModel):
    """What reading a Day 2 folder gave: the cards and every row read, for the ledger."""

    cards: list[ActionCard]
    rows: list[InputRow] = Field(default_factory=list)
    rejected: list[RejectedInput] = Field(default_factory=list)
    files: list[InputFile] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    """One line per file that could not be read (file name + problem)."""


class Challenge(BaseModel):
    """A reviewed Day 1 challenge, as Day 2 refers to it."""

    id: str
    """"B3"; its number is the digits ("3")."""
    title: str
    question: str
    question_language: str | None = None
    """The language its question is asked in: its draft's, or another one where no note in
    the draft's language could be worded as a question. A plan in another language tags the
    question with it ("… (en)"), as the drafts and the handout tag a proposal or a quote in
    another language. ``None`` in a plan written before it was recorded: no tag."""
    facets: list[str] = Field(default_factory=list)
    """The names of the themes it gathers."""
    keyphrases: list[str] = Field(default_factory=list)
    """Its top keyphrases and each theme's, a few per line: words from the notes themselves,
    which no renaming or redrafting changes."""
    note_ids: list[str] = Field(default_factory=list)


class AttachedBy(StrEnum):
    ID = "id"
    """The card names the challenge by its number or id."""
    NAME = "name"
    """The card names the challenge in words, matched by meaning (any language)."""
    MEANING = "meaning"
    """The card names no challenge (or none clearly); its action is clearly nearest this one."""
    NONE = "none"
    """Unattached: no challenge is named and none is clearly nearest. Never forced."""
    REVIEW = "review"
    """An analyst moved its action (or merged it into another) in review."""


class CardAttachment(BaseModel):
    card_id: str
    challenge_id: str | None
    by: AttachedBy
    score: float | None = None
    """Cosine similarity to the chosen challenge, for ``name`` and ``meaning``."""
    margin: float | None = None
    """How far it beats the runner-up."""
    reason: str = ""
    """In English words, as ``plan.json`` keeps it: why attached there, or why not attached
    (``ledger.csv`` says it in the plan's language, from ``why``)."""
    why: list[Said] = Field(default_factory=list)
    """The same, as codes to render in the reader's language (empty in files written before
    they were recorded so: ``reason`` is then translated where it matches a known sentence)."""


class Action(BaseModel):
    """One action of the plan: one card, or near-duplicate cards merged (votes summed)."""

    id: str
    """"A01", in plan order."""
    text: str
    challenge_id: str | None
    card_ids: list[str]
    votes: int | None = None
    """Sum over its cards; ``None`` when no card has votes."""
    impact: float | None = None
    """Mean over its cards that give one."""
    feasibility: float | None = None
    owner: str | None = None
    when: str | None = None
    cost: str | None = None
    variants: list[str] = Field(default_factory=list)
    """The other cards' wordings, when merged."""
    status: str = "pending"
    """"pending", "approved" or "rejected" (in review; a rejected action leaves the plan)."""
    renamed: bool = False
    """Worded by an analyst."""

    @property
    def priority(self) -> float | None:
        """impact × feasibility, 1–25."""
        if self.impact is None or self.feasibility is None:
            return None
        return self.impact * self.feasibility


class Day2Counts(BaseModel):
    """Counts that reconcile: every row read is a card, a rejected row, structure, or a file
    not read; every card is attached or unattached."""

    ledger_rows: int
    skipped_files: int
    structure_rows: int
    rejected_rows: int
    cards: int
    attached: int
    unattached: int
    actions: int
    merged_cards: int
    """Cards merged into another card's action (a near duplicate)."""
    reconciles: bool


class ActionPlan(BaseModel):
    workshop: str
    language: str
    run_dir: str
    challenges: list[Challenge]
    cards: list[ActionCard]
    attachments: list[CardAttachment]
    actions: list[Action]
    files: list[InputFile] = Field(default_factory=list)
    rejected: list[RejectedInput] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    counts: Day2Counts | None = None
