"""The review app speaks the workshop's language: fr, nl, de or en, from the run or --ui-lang.

The catalogues' completeness is checked in test_i18n.py; here the templates are checked for
words outside them, and the app over HTTP for a French run (the factory's drafts are French,
like the bundled sample's), a Dutch one and ``ui_lang``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.report import write_run
from pipeline.report.html import REVIEW_TEMPLATES
from pipeline.review.app import create_app
from pipeline.review.interface import UiText, choose_language
from pipeline.review.rundir import DECISIONS_DB
from pipeline.review.store import DecisionLog
from pipeline.schema import ActionKind, ReviewAction
from tests.catalogues import fragments, translations
from tests.factories import build_run_result

LOCAL = "http://127.0.0.1:8765"
PAGES = ["/", "/themes/t1", "/unassigned", "/noise", "/history"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("atelier") / "20250314T093205Z"
    write_run(build_run_result(), folder)
    DecisionLog(folder / DECISIONS_DB).append(
        ReviewAction(kind=ActionKind.RENAME, theme_id="t2", label="Verdure"), "Ana", 0, run_id="r"
    )
    return folder


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/").text)
    assert found
    return found.group(1)


def _post(client: TestClient, **form: str | list[str]) -> str:
    data = {"version": "1", "back": "/", "csrf": _csrf(client), **form}
    return client.post("/act", data=data, follow_redirects=False).text


def _visible(page: str) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces folded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_templates_use_only_messages_of_the_catalogue():
    used: set[str] = set()
    for template in REVIEW_TEMPLATES.glob("*.j2"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"\bui\(", source), template.name  # the old dictionary's keys
        used |= set(re.findall(r"\b_\(\s*\"([^\"]+)\"", source))
        used |= set(re.findall(r"\bngettext\(\s*\"([^\"]+)\"", source))
    known = set(translations())
    assert used and used <= known, sorted(used - known)


def test_french_counts_zero_and_one_as_one():
    fr, de = UiText("fr"), UiText("de")
    themes = ("%(num)d theme", "%(num)d themes")
    assert [fr.ngettext(*themes, n) for n in (0, 1, 3)] == ["0 thème", "1 thème", "3 thèmes"]
    assert [de.ngettext(*themes, n) for n in (0, 1, 3)] == ["0 Themen", "1 Thema", "3 Themen"]


def test_the_reviews_own_flags_and_reasons_are_translated_the_drafters_flags_are_shown_as_written():
    fr = UiText("fr")
    assert fr.flag("drafted again after the review") == (
        "rédigé à nouveau après la relecture",
        "fr",
    )
    assert fr.flag(
        "approved as it read in an earlier run; the pipeline now proposes: “Quoi ?”"
    ) == (
        "approuvé tel qu’il se lisait dans un traitement précédent\u00a0; ideasynth propose "
        "maintenant\u00a0: «\u00a0Quoi ?\u00a0»",
        "fr",
    )
    # A drafter's flag is written in its draft's language when the draft is made.
    assert fr.flag("phrase peu étayée", "fr") == ("phrase peu étayée", "fr")
    assert fr.reason("theme t2 is not in this run any more") == (
        "le thème t2 ne figure plus dans ce traitement"
    )
    assert fr.reason("the new name is empty") == "Nouveau nom\u00a0: le champ est vide"
    assert fr.reason("something new") == "something new"  # unknown: as the rules wrote it


def test_the_language_comes_from_the_run_unless_asked():
    run = build_run_result()  # drafts in French, no configured output language
    assert choose_language(run) == "fr"
    assert choose_language(run, "de") == "de"
    run.manifest.config["output_language"] = "nl"
    assert choose_language(run) == "nl"
    with pytest.raises(ValueError, match="--ui-lang"):
        choose_language(run, "es")


def test_the_bundled_sample_is_reviewed_in_french():
    """The sample's configuration asks for French drafts; a run of it records that language,
    and the app takes it, even where a draft came out in another language."""
    from pipeline.config import load_config
    from pipeline.run import output_language

    config = load_config(Path(__file__).parents[1] / "data" / "sample" / "ideasynth.toml")
    run = build_run_result()
    lang = output_language(run.notes, config.draft.language)
    run.manifest.config["output_language"] = lang
    run.drafts = [d.model_copy(update={"language": "en"}) for d in run.drafts]
    assert lang == "fr" and choose_language(run) == "fr"


def test_a_french_workshop_gets_french_pages(run_dir: Path):
    client = TestClient(create_app(run_dir), base_url=LOCAL)
    for path in PAGES:
        page = client.get(path).text
        assert '<html lang="fr">' in page, path
        assert "Aller au contenu" in page and "relecture ideasynth" in page, path
    home = _visible(client.get("/").text)
    assert "Fusionner les thèmes cochés dans" in home
    assert "3 thèmes ; 3 notes non classées, 0 mise de côté." in home
    assert "Annuler : renommage de t2 en « Verdure »" in home  # the undo button
    theme = _visible(client.get("/themes/t1").text)
    for words in ("Nouveau nom", "Défi proposé", "Approuver le défi", "Avec les notes cochées"):
        assert words in theme
    history = _visible(client.get("/history").text)
    assert "Le journal des décisions (1 entrée)" in history and "Ana" in history
    assert "Thème introuvable" in client.get("/themes/T99").text
    # A refusal, a stale form and a forged form are French too.
    assert "Cochez au moins deux thèmes à fusionner" in _post(client, op="merge", theme=["t1"])
    stale = _visible(_post(client, op="rename", theme_id="t1", label="Vélo", version="0"))
    assert "Quelqu’un d’autre a modifié ce traitement" in stale
    assert "renommage de t2 en « Verdure » (Ana)" in stale
    forged = client.post("/act", data={"op": "undo", "version": "1", "csrf": "x"})
    assert forged.status_code == 403 and "Formulaire refusé" in forged.text
    assert "<html lang='fr'>" in forged.text


@pytest.mark.parametrize("lang", ["de", "nl", "en"])
def test_ui_lang_leaves_no_word_of_another_language(run_dir: Path, lang: str):
    """Every message of the catalogue that differs between languages is only ever seen in
    the language asked for (but for words the run's own notes and drafts use)."""
    client = TestClient(create_app(run_dir, ui_lang=lang), base_url=LOCAL)
    table = translations()
    others = {
        fragments(text)[0]
        for texts in table.values()
        for other, forms in texts.items()
        for text in forms
        if other != lang and text not in texts[lang] and fragments(text)
    }
    own = {t for texts in table.values() for t in texts[lang]}
    run = build_run_result()
    data = " ".join(
        [n.text for n in run.notes]
        + [s.text for d in run.drafts for s in [d.title, d.challenge, *d.proposal]]
        + [run.manifest.workshop, *(n.source for n in run.notes)]
        + [f for d in run.drafts for f in d.flags]  # as the factory wrote them
    )
    others = {o for o in others if len(o) > 4 and o not in data and not any(o in t for t in own)}
    for path in PAGES:
        page = client.get(path).text
        assert f'<html lang="{lang}">' in page, path
        shown = _visible(page)
        assert [o for o in others if o in shown] == [], path
