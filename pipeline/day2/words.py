"""The action plan's words in French, Dutch, German and English."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.day2.charts import MatrixWords


@dataclass(frozen=True)
class PlanWords:
    title: str
    locale: str
    challenge: str
    question: str
    actions: str
    votes: str
    impact: str
    feasibility: str
    owner: str
    when: str
    cost: str
    cards: str
    also_written: str
    by_owner: str
    not_said: str
    unattached: str
    unattached_hint: str
    no_actions: str
    matrix_title: str
    quick_wins: str
    low: str
    high: str
    votes_title: str
    no_scores: str
    no_votes: str
    matrix_key: str
    accounting: str
    """{cards} cards, {attached} attached, {unattached} unattached, {actions} actions,
    {rejected} rows rejected, {skipped} files not read."""
    not_read: str
    rejected_rows: str
    unreadable: str
    """A cell that could not be understood."""
    rejected_in_review: str = "Rejected in review"
    approved: str = "approved"

    def matrix_words(self) -> MatrixWords:
        return MatrixWords(
            self.matrix_title, self.impact, self.feasibility, self.quick_wins, self.low, self.high
        )


WORDS: dict[str, PlanWords] = {
    "fr": PlanWords(
        title="Plan d'action",
        locale="fr-FR",
        challenge="Défi",
        question="Question :",
        actions="Actions",
        votes="votes",
        impact="Impact",
        feasibility="Faisabilité",
        owner="Porté par",
        when="Quand",
        cost="Coût",
        cards="Cartes",
        also_written="Aussi écrit",
        by_owner="Par porteur",
        not_said="Porteur non précisé",
        unattached="Actions sans défi",
        unattached_hint="Ces cartes ne nomment aucun défi clairement, et leur action n'est "
        "clairement proche d'aucun : elles ne sont rattachées à aucun, plutôt qu'au hasard. "
        "ledger.csv dit pourquoi, carte par carte.",
        no_actions="Aucune action.",
        matrix_title="Impact et faisabilité",
        quick_wins="Gains rapides",
        low="faible",
        high="forte",
        votes_title="Votes par défi",
        no_scores="Aucune carte ne donne à la fois un impact et une faisabilité : pas de "
        "matrice à dessiner.",
        no_votes="Aucune carte ne porte de votes : pas de graphique des votes.",
        matrix_key="Les numéros de la matrice sont ceux des actions ci-dessous.",
        accounting="{cards} cartes lues : {attached} rattachées à un défi, {unattached} sans "
        "défi ; {actions} actions après regroupement des doublons. {rejected} lignes "
        "écartées, {skipped} fichiers non lus.",
        not_read="Fichiers non lus",
        rejected_rows="Lignes écartées",
        unreadable="Non compris",
        rejected_in_review="Écartées en revue",
        approved="validée",
    ),
    "nl": PlanWords(
        title="Actieplan",
        locale="nl-NL",
        challenge="Uitdaging",
        question="Vraag:",
        actions="Acties",
        votes="stemmen",
        impact="Impact",
        feasibility="Haalbaarheid",
        owner="Trekker",
        when="Wanneer",
        cost="Kosten",
        cards="Kaarten",
        also_written="Ook geschreven",
        by_owner="Per trekker",
        not_said="Trekker niet vermeld",
        unattached="Acties zonder uitdaging",
        unattached_hint="Deze kaarten noemen geen uitdaging duidelijk en hun actie ligt bij geen "
        "enkele duidelijk het dichtst: ze zijn nergens aan gekoppeld, eerder dan willekeurig. "
        "ledger.csv zegt per kaart waarom.",
        no_actions="Geen acties.",
        matrix_title="Impact en haalbaarheid",
        quick_wins="Snelle winst",
        low="laag",
        high="hoog",
        votes_title="Stemmen per uitdaging",
        no_scores="Geen enkele kaart geeft zowel impact als haalbaarheid: geen matrix.",
        no_votes="Geen enkele kaart heeft stemmen: geen grafiek van de stemmen.",
        matrix_key="De nummers in de matrix zijn die van de acties hieronder.",
        accounting="{cards} kaarten gelezen: {attached} gekoppeld aan een uitdaging, "
        "{unattached} zonder; {actions} acties na het samenvoegen van dubbels. {rejected} "
        "rijen afgewezen, {skipped} bestanden niet gelezen.",
        not_read="Niet gelezen bestanden",
        rejected_rows="Afgewezen rijen",
        unreadable="Niet begrepen",
        rejected_in_review="Afgewezen bij de review",
        approved="goedgekeurd",
    ),
    "de": PlanWords(
        title="Aktionsplan",
        locale="de-DE",
        challenge="Herausforderung",
        question="Frage:",
        actions="Maßnahmen",
        votes="Stimmen",
        impact="Wirkung",
        feasibility="Machbarkeit",
        owner="Verantwortlich",
        when="Wann",
        cost="Kosten",
        cards="Karten",
        also_written="Auch geschrieben",
        by_owner="Nach Verantwortlichen",
        not_said="Verantwortlich nicht angegeben",
        unattached="Maßnahmen ohne Herausforderung",
        unattached_hint="Diese Karten nennen keine Herausforderung eindeutig, und ihre Maßnahme "
        "liegt keiner deutlich am nächsten: sie sind keiner zugeordnet, statt einer "
        "beliebigen. ledger.csv sagt für jede Karte, warum.",
        no_actions="Keine Maßnahmen.",
        matrix_title="Wirkung und Machbarkeit",
        quick_wins="Schnelle Erfolge",
        low="niedrig",
        high="hoch",
        votes_title="Stimmen je Herausforderung",
        no_scores="Keine Karte nennt zugleich Wirkung und Machbarkeit: keine Matrix.",
        no_votes="Keine Karte trägt Stimmen: kein Diagramm der Stimmen.",
        matrix_key="Die Nummern in der Matrix sind die der Maßnahmen unten.",
        accounting="{cards} Karten gelesen: {attached} einer Herausforderung zugeordnet, "
        "{unattached} ohne; {actions} Maßnahmen nach dem Zusammenführen von Dubletten. "
        "{rejected} Zeilen verworfen, {skipped} Dateien nicht gelesen.",
        not_read="Nicht gelesene Dateien",
        rejected_rows="Verworfene Zeilen",
        unreadable="Nicht verstanden",
        rejected_in_review="In der Durchsicht verworfen",
        approved="freigegeben",
    ),
    "en": PlanWords(
        title="Action plan",
        locale="en-GB",
        challenge="Challenge",
        question="Question:",
        actions="Actions",
        votes="votes",
        impact="Impact",
        feasibility="Feasibility",
        owner="Carried by",
        when="When",
        cost="Cost",
        cards="Cards",
        also_written="Also written",
        by_owner="By who carries them",
        not_said="Not said",
        unattached="Actions with no challenge",
        unattached_hint="These cards name no challenge clearly, and their action is clearly "
        "nearest none: they are attached to none rather than to any. ledger.csv says why, "
        "card by card.",
        no_actions="No actions.",
        matrix_title="Impact and feasibility",
        quick_wins="Quick wins",
        low="low",
        high="high",
        votes_title="Votes per challenge",
        no_scores="No card gives both impact and feasibility: there is no matrix to draw.",
        no_votes="No card carries votes: there is no chart of the votes.",
        matrix_key="The numbers in the matrix are those of the actions below.",
        accounting="{cards} cards read: {attached} attached to a challenge, {unattached} "
        "with none; {actions} actions once duplicates are merged. {rejected} rows rejected, "
        "{skipped} files not read.",
        not_read="Files not read",
        rejected_rows="Rows rejected",
        unreadable="Not understood",
        rejected_in_review="Rejected in review",
        approved="approved",
    ),
}

PLAN_LANGUAGES = tuple(WORDS)

OWNER_NAMES: dict[str, dict[str, str]] = {
    "government": {"fr": "Gouvernement", "nl": "Regering", "de": "Regierung", "en": "Government"},
    "municipality": {"fr": "Commune", "nl": "Gemeente", "de": "Gemeinde", "en": "Municipality"},
}
"""How the plan names an owner group written in several languages (``plan.OWNER_SYNONYMS``)."""


@dataclass(frozen=True)
class ReviewWords:
    """The Day 2 page of the review app."""

    rename: str
    edit: str
    move: str
    merge: str
    approve: str
    reject: str
    undo: str
    save: str
    no_challenge: str
    missing: str
    history: str
    no_longer_apply: str


REVIEW_WORDS: dict[str, ReviewWords] = {
    "fr": ReviewWords(
        "Renommer", "Modifier", "Déplacer vers", "Fusionner avec", "Valider", "Écarter",
        "Annuler la dernière décision", "Enregistrer", "— aucun défi —",
        "Pas encore de plan d'action : lancez d'abord « ideasynth day2 DOSSIER --from » ce "
        "dossier de run.", "Décisions", "Ne s'appliquent plus",
    ),
    "nl": ReviewWords(
        "Hernoemen", "Bewerken", "Verplaatsen naar", "Samenvoegen met", "Goedkeuren",
        "Afwijzen", "Laatste beslissing ongedaan maken", "Opslaan", "— geen uitdaging —",
        "Nog geen actieplan: voer eerst « ideasynth day2 MAP --from » deze runmap uit.",
        "Beslissingen", "Niet meer van toepassing",
    ),
    "de": ReviewWords(
        "Umbenennen", "Bearbeiten", "Verschieben nach", "Zusammenführen mit", "Freigeben",
        "Verwerfen", "Letzte Entscheidung rückgängig machen", "Speichern",
        "— keine Herausforderung —",
        "Noch kein Aktionsplan: zuerst „ideasynth day2 ORDNER --from“ diesen Lauf ausführen.",
        "Entscheidungen", "Gelten nicht mehr",
    ),
    "en": ReviewWords(
        "Rename", "Edit", "Move to", "Merge with", "Approve", "Reject", "Undo the last decision",
        "Save", "— no challenge —",
        "No action plan yet: run “ideasynth day2 FOLDER --from” this run folder first.",
        "Decisions", "No longer apply",
    ),
}  # fmt: skip
