"""One gettext catalogue per language, and every word a person reads comes from it.

The catalogues (``pipeline/locale``) are checked whole: every entry translated in fr, nl, de
and en (no empty or fuzzy one, the same placeholders), the compiled ``.mo`` files those of
the ``.po`` files, the template holding every message the code and the templates mark, and
each language's strings identified as that language by the project's own language
identifier.

Then the sample workshop is run once and shown in each language, as a facilitator gets it:
report.html and report.md, the review app's pages over HTTP, the handout and the console's
summary. On each, no string of the catalogue appears in another language than the one
asked for (the notes and drafts, the participants' own words in four languages, aside), and
the catalogue's strings that were rendered are identified as that language.
"""

from __future__ import annotations

import gettext
import html
import io
import re
import shutil
import tomllib
from pathlib import Path

import docx
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from fastapi.testclient import TestClient

from pipeline.day2.shapes import ActionPlan
from pipeline.day2.step import run_day2
from pipeline.day2.words import plan_words, review_words
from pipeline.day2.write import plan_docx, plan_html, plan_markdown
from pipeline.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, Words, run_language, words
from pipeline.prepare.language import detect_languages, letter_words
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.review.actions import replay
from pipeline.review.app import create_app
from pipeline.review.export import handout_docx, handout_markdown
from pipeline.review.rundir import load_run
from pipeline.schema import RunResult
from tests.catalogues import catalogue, fragments, ids, messages, placeholders, strings

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "sample"
LOCAL = "http://127.0.0.1:8765"
PAGES = ["/", "/unassigned", "/noise", "/history"]

# Words that are the same in every language or are names, not words of a language.
NAMES = re.compile(
    r"\b(ideasynth|Prefect|rejected\.json|ledger\.parquet|prepare\.languages|embed\.model|"
    r"use-m3\+e5-small|e5|SHA-256|--recluster|UTC|DOCX|CSV|Markdown)\b"
)


def _key(message: object) -> str:
    context = getattr(message, "context", None)
    first = ids(message)[0]  # type: ignore[arg-type]
    return f"{context}\x04{first}" if context else first


# --- the catalogues --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_of_the_catalogue_is_translated(lang: str):
    found = messages(lang)
    assert len(found) > 300
    for message in found:
        said = strings(message)
        assert all(s.strip() for s in said), message.id
        assert "fuzzy" not in message.flags, message.id
        expected = {frozenset(placeholders(i)) for i in ids(message)}
        for s in said:
            assert frozenset(placeholders(s)) in expected, (message.id, s)
    assert not catalogue(lang).fuzzy
    assert not catalogue(lang).obsolete


def test_the_four_catalogues_hold_the_same_messages_as_the_template():
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as pot:
        from babel.messages.pofile import read_po

        template = {_key(m) for m in read_po(pot) if m.id}
    for lang in LANGUAGES:
        assert {_key(m) for m in messages(lang)} == template, lang


def test_the_template_holds_every_message_the_code_and_templates_mark():
    """What ``pybabel extract -F babel.cfg`` finds now is what ideasynth.pot holds: a new
    message needs ``pybabel extract`` and ``pybabel update`` (docs/translation.md)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _, _, message, _, context in extract_from_dir(
        str(ROOT), method_map, options_map, strip_comment_tags=True
    ):
        first = message[0] if isinstance(message, tuple) else message
        found.add(f"{context}\x04{first}" if context else first)
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as pot:
        from babel.messages.pofile import read_po

        template = {_key(m) for m in read_po(pot) if m.id}
    assert found == template, (sorted(found - template), sorted(template - found))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_that_of_the_po_file(lang: str):
    """The committed ``.mo`` is up to date: ``pybabel compile`` after every ``.po`` edit."""
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)
    expected: dict[object, str] = {}
    for message in messages(lang):
        prefix = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, tuple):
            for i, form in enumerate(strings(message)):
                expected[(prefix + message.id[0], i)] = form
        else:
            expected[prefix + message.id] = message.string
    assert compiled == expected


def test_the_compiled_catalogues_ship_with_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["pipeline"]
    assert "locale/*/LC_MESSAGES/*.mo" in shipped
    for lang in LANGUAGES:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    assert not (ROOT / "pipeline" / "review" / "ui_text.py").exists()


def _own(text: str) -> str:
    """A message's own words: no placeholders, names or figures."""
    text = re.sub(r"%\(\w+\)(?:\.\d)?[sdrf]", " ", text).replace("%%", " ")
    return " ".join(NAMES.sub(" ", text).split())


def _identified(texts: set[str], lang: str) -> list[tuple[str, str]]:
    """The texts of four words or more that the language identifier does not give ``lang``."""
    long = sorted(t for t in {_own(t) for t in texts} if letter_words(t) >= 4)
    found = detect_languages(long, list(LANGUAGES))
    return [(t, d.lang) for t, d in zip(long, found, strict=True) if d.lang != lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalogue_reads_as_its_language(lang: str):
    said = {s for m in messages(lang) for s in strings(m)}
    assert _identified(said, lang) == []


def test_french_counts_zero_and_one_as_one_and_unknown_languages_get_english():
    fr = words("fr")
    assert fr.ngettext("%(num)d note", "%(num)d notes", 0) == "0 note"
    assert words("de").ngettext("%(num)d note", "%(num)d notes", 0) == "0 Notizen"
    assert words("es").lang == "en" and Words("es").gettext("Notes") == "Notes"


# --- the sample, in each language ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_dir(sample_run_copy: Path) -> Path:
    """A real run of the bundled sample (a French workshop)."""
    return sample_run_copy


def _in(run: RunResult, lang: str) -> RunResult:
    """The run as if its output language were ``lang`` (its notes and drafts unchanged)."""
    copy = run.model_copy(deep=True)
    copy.manifest.config["output_language"] = lang
    return copy


def _visible(page: str) -> str:
    # Scripts, styles and the run's configuration (JSON) are no one's words.
    page = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).replace("\\", "").split())


def _data(run: RunResult) -> str:
    """The run's own words, which no page translates: notes, drafts, names, file names and
    the input's own columns (where a note was read and why one was rejected are said in the
    page's language, and checked)."""
    texts = [n.text for n in run.notes] + [n.original_text or "" for n in run.notes]
    texts += [str(v) for n in run.notes for v in [n.source, *n.metadata]]
    texts += [f"{k}: {v}" for n in run.notes for k, v in n.metadata.items()]
    for d in run.drafts:
        sentences = [d.title, d.challenge, *d.proposal, *d.title_alternatives]
        sentences += list(d.challenge_alternatives)
        texts += [s.text for s in sentences]
        texts += d.flags
    for t in [*run.themes, *run.broad_themes]:
        texts += [t.label, *t.keyphrases]
    texts += [r.text for r in run.rejected_inputs]
    return " ".join(" ".join(texts).split())


def _foreign(lang: str, data: str) -> set[str]:
    """Pieces of the catalogue's other languages (and of its English ids) that ``lang``
    never says, longer than a word, and not among the run's own words."""
    own: set[str] = set()
    others: set[str] = set()
    table: dict[str, dict[str, list[str]]] = {}
    for other in LANGUAGES:
        for message in messages(other):
            table.setdefault(_key(message), {})[other] = strings(message)
    for message in messages(lang):
        table[_key(message)]["ids"] = ids(message)
    for texts in table.values():
        mine = texts[lang]
        own |= set(mine)
        for other, said in texts.items():
            if other == lang:
                continue
            others |= {f for s in said if s not in mine for f in fragments(s)}
    return {
        f for f in others if len(f) > 6 and _flat(f) not in data and not any(f in s for s in own)
    }


def _flat(text: str) -> str:
    """Spaces folded, the no-break ones too (as the pages' text is compared)."""
    return " ".join(text.split())


def _check(lang: str, shown: str, foreign: set[str], where: str) -> None:
    leaked = sorted(f for f in foreign if _flat(f) in shown)
    assert leaked == [], (lang, where, leaked[:10])
    rendered = {
        s
        for m in messages(lang)
        for s in strings(m)
        if fragments(s) and all(_flat(f) in shown for f in fragments(s))
    }
    assert _identified(rendered, lang) == [], (lang, where)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sample_speaks_one_language_everywhere(
    sample_dir: Path, lang: str, capsys: pytest.CaptureFixture[str]
):
    run = _in(load_run(sample_dir), lang)
    assert run_language(run) == lang
    data = _data(run)
    foreign = _foreign(lang, data)

    page = render_html(run)
    assert f'<html lang="{lang}">' in page
    _check(lang, _visible(page), foreign, "report.html")
    _check(lang, " ".join(render_markdown(run).replace("\\", "").split()), foreign, "report.md")

    state = replay(run, [])
    _check(lang, " ".join(handout_markdown(run, state).replace("\\", "").split()), foreign, "md")
    document = docx.Document(io.BytesIO(handout_docx(run, state)))
    _check(lang, " ".join(" ".join(p.text for p in document.paragraphs).split()), foreign, "docx")

    # The app speaks the run's language, or the one --ui-lang asks for.
    client = TestClient(create_app(sample_dir, ui_lang=lang), base_url=LOCAL)
    theme = f"/themes/{run.themes[0].id}"
    challenge = f"/themes/{run.broad_themes[0].id}" if run.broad_themes else theme
    for path in [*PAGES, theme, challenge]:
        reply = client.get(path)
        assert reply.status_code == 200 and f'<html lang="{lang}">' in reply.text, path
        _check(lang, _visible(reply.text), foreign, path)

    from pipeline.cli import _print_summary

    capsys.readouterr()
    _print_summary(run, sample_dir)
    out = capsys.readouterr()
    console = " ".join((out.out + out.err).split())
    assert _flat(words(lang).gettext("Report:")) in console
    _check(lang, console, foreign, "console")


def _day2_data(plan: ActionPlan) -> str:
    """The room's own words on its action cards (in four languages), which no page
    translates, and the challenges' reviewed names and questions. Where each card was read,
    why it is attached as it is and what on it was not understood are said in the page's
    language, and checked."""
    texts: list[str] = []
    for card in plan.cards:
        texts += [card.source, card.text, card.challenge_ref or ""]
        texts += re.findall(r"sheet (.+?) row", card.location)  # the workbook's own name
        texts += [card.owner or "", card.when or "", card.cost or ""]
    for action in plan.actions:
        texts += [action.text, action.owner or "", *action.variants]
    for challenge in plan.challenges:
        texts += [challenge.title, challenge.question]
    # A reader's reason for a row it rejected is Day 1's, as it was written.
    texts += [*plan.errors, *(r.reason for r in plan.rejected)]
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_day2_plan_speaks_one_language_everywhere(sample_dir: Path, lang: str, tmp_path: Path):
    """The Day 2 action plan of the bundled sample's cards, and the review app's Day 2 page:
    their words come from the catalogue, in the language asked for."""
    run_dir = tmp_path / "run"
    shutil.copytree(sample_dir, run_dir, ignore=shutil.ignore_patterns("day2"))
    client = TestClient(create_app(run_dir, ui_lang=lang), base_url=LOCAL)
    missing = client.get("/day2")  # before any plan: how to make one
    data = _data(load_run(sample_dir))
    foreign = _foreign(lang, data)
    _check(lang, _visible(missing.text), foreign, "/day2 (no plan)")
    assert _flat(review_words(lang).missing) in _visible(missing.text)

    result = run_day2(SAMPLE / "day2", run_dir, lang)
    plan = result.plan
    assert plan.language == lang
    data += " " + _day2_data(plan)
    foreign = _foreign(lang, data)
    said = plan_words(lang)
    page = _visible(plan_html(plan))
    assert said.by_owner in page and said.matrix_title in page
    _check(lang, page, foreign, "action_plan.html")
    _check(lang, " ".join(plan_markdown(plan).replace("\\", "").split()), foreign, "plan md")
    document = docx.Document(io.BytesIO(plan_docx(plan)))
    _check(lang, " ".join(" ".join(p.text for p in document.paragraphs).split()), foreign, "docx")
    reply = client.get("/day2")
    assert reply.status_code == 200 and review_words(lang).approve in _visible(reply.text)
    _check(lang, _visible(reply.text), foreign, "/day2")


def test_the_french_sample_reads_french(sample_dir: Path):
    """What the issue asked for, by the words: the report of a French run is French."""
    run = load_run(sample_dir)
    assert run_language(run) == "fr"
    page = _visible(render_html(run))
    for said in ("Lignes lues", "Idées regroupées", "Carte des notes", "Les comptes concordent"):
        assert said in page
    for english in ("Rows read", "Ideas clustered", "Map of the notes", "Counts reconcile"):
        assert english not in page
    markdown = render_markdown(run)
    assert "### Notes représentatives" in markdown and "## Résumé" in markdown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_progress_lines_speak_the_language_asked_for(lang: str):
    from types import SimpleNamespace

    from pipeline.progress import STEP_LABELS, LineProgress

    log = io.StringIO()
    progress = LineProgress(log, lang)
    ingested = SimpleNamespace(notes=[1] * 12, files=[1, 2], errors=["x"], rejected=[1, 2])
    for name in STEP_LABELS:
        progress.step(name)
        progress.end(name, 0.4, ingested if name == "ingest" else None)
    lines = [line[len("00:00:00 ") :] for line in log.getvalue().splitlines()]
    shown = " ".join(" ".join(lines).split())
    _check(lang, shown, _foreign(lang, ""), "progress")
    assert words(lang).ngettext("%(num)d note", "%(num)d notes", 12) in shown


def test_without_a_language_asked_the_progress_takes_the_notes_once_prepared():
    from types import SimpleNamespace

    from pipeline.progress import LineProgress

    log = io.StringIO()
    progress = LineProgress(log)
    notes = [SimpleNamespace(status="active", lang=lang) for lang in ["fr", "fr", "nl", "en"]]
    progress.step("prepare")
    progress.end("prepare", 1.0, notes)
    progress.step("embed")
    lines = log.getvalue().splitlines()
    # The lines before the notes' language was known waited for it: none is in English.
    assert lines[2].endswith("nettoyage, détection des langues, découpage …")
    assert "nettoyage, détection des langues, découpage : terminé en 1.0 s" in lines[3].replace(
        "\u00a0", " "
    )
    assert lines[4].endswith("représentation des notes …")
