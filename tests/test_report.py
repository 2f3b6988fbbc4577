"""The run folder writers: files, round-trips, citations, escaping and atomic writes."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from pydantic import TypeAdapter

import pipeline.report.parquet as parquet_module
import pipeline.report.writer as writer_module
from pipeline.report import (
    RUN_FILES,
    RejectedItem,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    render_html,
    render_markdown,
    write_run,
)
from pipeline.report.atomic import TEMP_PREFIX
from pipeline.report.markdown import md_text
from pipeline.report.view import note_anchor
from pipeline.report.writer import COMPLETE_JSON
from pipeline.schema import (
    Draft,
    Note,
    NoteStatus,
    RunManifest,
    RunResult,
    Sentence,
    Theme,
)
from tests.factories import HOSTILE_TEXT, MARKDOWN_HOSTILE_TEXT, build_run_result, ids


class Page(HTMLParser):
    """What the tests need to know about an HTML page, from the stdlib parser."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.append(str(d["id"]))
        if tag == "script":
            self._in_script = True
            self.scripts.append((d, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def classes(self, tag: str, cls: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


@pytest.fixture(scope="module")
def result() -> RunResult:
    """The factory's run with English as its output language: the report's own words are in
    English here (its drafts stay French); tests/test_i18n.py renders every language."""
    run = build_run_result()
    run.manifest.config["output_language"] = "en"
    return run


@pytest.fixture(scope="module")
def html(result: RunResult) -> str:
    return render_html(result)


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    return Page(html)


@pytest.fixture(scope="module")
def markdown(result: RunResult) -> str:
    return render_markdown(result)


@pytest.fixture()
def run_dir(tmp_path: Path, result: RunResult) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path / "run"
    return folder, write_run(result, folder)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


# --- the run folder ---------------------------------------------------------------------------


def test_write_run_writes_every_file(run_dir: tuple[Path, dict[str, Path]]) -> None:
    folder, written = run_dir
    assert list(written) == list(RUN_FILES)
    for name, path in written.items():
        assert path == folder / name
        assert path.stat().st_size > 0
    # The completion marker comes last, once every other file is written.
    assert sorted(p.name for p in folder.iterdir()) == sorted([*RUN_FILES, COMPLETE_JSON])
    marker = json.loads((folder / COMPLETE_JSON).read_text(encoding="utf-8"))
    run_id = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    assert marker == {"run_id": run_id, "files": list(RUN_FILES)}


def test_notes_parquet_round_trips(
    run_dir: tuple[Path, dict[str, Path]], result: RunResult
) -> None:
    df = pd.read_parquet(run_dir[1]["notes.parquet"])
    assert len(df) == len(result.notes) == 25
    assert list(df.columns) == list(Note.model_fields)
    rows = df.set_index("id")
    for note in result.notes:
        row = rows.loc[note.id]
        assert row["text"] == note.text
        assert row["status"] == note.status.value
        assert json.loads(row["metadata"]) == note.metadata
        if note.status is NoteStatus.ACTIVE:
            assert row["theme_id"] == note.theme_id
        else:
            assert pd.isna(row["theme_id"])
    assert set(df["theme_id"].dropna()) == {"t1", "t2", "t3", "unassigned"}
    assert df["map_x"].notna().sum() == sum(1 for n in result.notes if n.map_x is not None)


def test_json_files_parse_back_into_models(
    run_dir: tuple[Path, dict[str, Path]], result: RunResult
) -> None:
    written = run_dir[1]
    themes = TypeAdapter(list[Theme]).validate_json(written["themes.json"].read_bytes())
    drafts = TypeAdapter(list[Draft]).validate_json(written["drafts.json"].read_bytes())
    manifest = RunManifest.model_validate_json(written["manifest.json"].read_bytes())
    assert themes == result.themes
    assert drafts == result.drafts
    assert manifest == result.manifest
    text = written["themes.json"].read_text(encoding="utf-8")
    assert "parkings vélo" in text and "Gemeinschaftsgärten" in text  # UTF-8, not \\u escapes
    assert text.startswith("[\n  {")


def test_rejected_json_lists_notes_and_input_rows_with_reasons(
    run_dir: tuple[Path, dict[str, Path]], result: RunResult
) -> None:
    items = TypeAdapter(list[RejectedItem]).validate_json(run_dir[1]["rejected.json"].read_bytes())
    k = ids()
    assert [(i.kind, i.id) for i in items] == [
        ("note", k["rejected_marks"]),
        ("note", k["rejected_short"]),
        ("input", None),
        ("input", None),
    ]
    assert {i.reason for i in items} == {
        "no letters",
        "too short (2 characters, minimum 3)",
        "empty cell",
        "no text in column 'idea'",
    }
    assert all(i.source and i.location for i in items)


# --- report.html ------------------------------------------------------------------------------


def test_every_citation_links_to_an_existing_note_anchor(page: Page, result: RunResult) -> None:
    cites = page.classes("a", "cite")
    expected = sum(len(s.cites) for d in result.drafts for s in [d.title, d.challenge, *d.proposal])
    assert len(cites) == expected
    anchors = set(page.ids)
    for a in cites:
        href = a["href"] or ""
        assert href.startswith("#note-")
        assert href[1:] in anchors
    assert not page.classes("span", "missing")


def test_every_note_has_exactly_one_anchor_and_ids_are_unique(
    page: Page, result: RunResult
) -> None:
    assert len(page.ids) == len(set(page.ids))
    for note in result.notes:
        assert page.ids.count(note_anchor(note.id)) == 1
    for theme in result.themes:
        assert f"theme-{theme.id}" in page.ids
    for note_id in result.themes[0].note_ids:
        assert page.find("li", id=f"note-{note_id}")


def test_hostile_note_is_inert_text(html: str, page: Page) -> None:
    assert not page.find("img")
    assert len(page.scripts) == 1  # ours, inline
    attrs, body = page.scripts[0]
    assert attrs == {} and "alert" not in body
    for tag, attrs_ in page.tags:
        assert not any(name.startswith("on") for name in attrs_), tag
    assert not page.find("b")  # the hostile author metadata
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE_TEXT in "".join(page.text)  # shown to the reader, as text


def test_html_is_self_contained(html: str, page: Page) -> None:
    for _tag, attrs in page.tags:
        assert "src" not in attrs
        href = attrs.get("href")
        assert href is None or href.startswith(("#", "data:")), href
    assert [a.get("rel") for a in page.find("link")] == ["icon"]
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)


def test_content_security_policy_pins_our_script(page: Page) -> None:
    (meta,) = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
    policy = meta["content"] or ""
    assert "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(page.scripts[0][1].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy


def test_map_has_one_circle_per_active_note(page: Page, result: RunResult) -> None:
    (svg,) = page.find("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"]
    circles = page.find("circle")
    active = [n for n in result.notes if n.status is NoteStatus.ACTIVE]
    assert len(circles) == len(active) == 22
    assert {c["data-target"] for c in circles} == {note_anchor(n.id) for n in active}
    grey = [c for c in circles if c["fill"] == "#8a8a8a"]
    assert len(grey) == result.manifest.counts.unassigned


def test_structure_and_accessibility(page: Page, html: str, result: RunResult) -> None:
    assert page.find("html", lang="en")
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    for draft in result.drafts:
        for flag in draft.flags:
            assert flag in html
    assert len(page.classes("p", "flag")) == 2
    assert len(page.classes("li", "rep")) == sum(len(t.representative_ids) for t in result.themes)
    for section in ("unassigned", "rejected", "split", "map"):
        assert section in page.ids
    text = "".join(page.text)
    for reason in ("no letters", "empty cell", "no text in column 'idea'"):
        assert reason in text
    assert "Atelier citoyen — Mobilité & espaces publics <Bruxelles>" in text


def test_unknown_citation_is_shown_but_not_linked(result: RunResult) -> None:
    broken = result.model_copy(deep=True)
    broken.drafts[0].title = Sentence(text="Titre", cites=["n-missing"])
    page = Page(render_html(broken))
    assert [a.get("title") for a in page.classes("span", "missing")] == [
        "note not found in this run"
    ]
    assert not page.find("a", href="#note-n-missing")


def test_a_sentence_shows_five_notes_and_the_rest_on_a_click(result: RunResult) -> None:
    """A proposal backed by many notes takes one line: its first five notes, then "7 more"
    that opens on the others, every one still linked."""
    many = result.model_copy(deep=True)
    ids = [n.id for n in many.notes][:12]
    many.drafts[0].proposal[0] = Sentence(text="Une piste", cites=ids)
    page = Page(render_html(many))
    linked = {a["href"] for a in page.classes("a", "cite")}
    assert {f"#note-{i}" for i in ids} <= linked
    html = render_html(many)
    _, _, folded = html.partition('<details class="more-cites">')
    assert f"{len(ids) - 5} more" in folded.partition("</details>")[0]
    assert all(f"#note-{i}" in folded.partition("</details>")[0] for i in ids[5:])
    assert not any(f"#note-{i}" in folded.partition("</details>")[0] for i in ids[:5])


def test_scores_are_written_as_the_language_writes_numbers(result: RunResult) -> None:
    weak = result.model_copy(deep=True)
    weak.drafts[0].title = Sentence(text="Titre", cites=weak.drafts[0].title.cites)
    weak.drafts[0].title.supported = False
    weak.drafts[0].title.support = 0.128
    assert "(0.128)" in render_html(weak)
    weak.manifest.config["output_language"] = "fr"
    french = render_html(weak)
    assert "(0,128)" in french and "(0.128)" not in french
    assert "(0,128)" in render_markdown(weak)


def test_each_draft_says_who_wrote_it_as_a_facilitator_reads_it(result: RunResult) -> None:
    """Not "compose": the drafter described in the report's language, in both reports."""
    french = result.model_copy(deep=True)
    french.manifest.config["output_language"] = "fr"
    for text in (render_html(french), render_markdown(french)):
        assert "· compose" not in text and "drafter: compose" not in text
        assert "règles" in text


def test_counts_that_do_not_reconcile_are_flagged(result: RunResult) -> None:
    bad = result.model_copy(deep=True)
    bad.manifest.counts.assigned += 1
    assert "do not reconcile" in render_html(bad)
    assert "do not reconcile" in render_markdown(bad)


def test_empty_run_renders(result: RunResult) -> None:
    empty = RunResult(notes=[], themes=[], drafts=[], manifest=result.manifest)
    page = Page(render_html(empty))
    assert not page.find("circle")
    assert "## Unassigned notes (0)" in render_markdown(empty)


# --- report.md --------------------------------------------------------------------------------


def test_markdown_has_challenges_reasons_and_citations(markdown: str, result: RunResult) -> None:
    for draft in result.drafts:
        assert draft.challenge.text in markdown
        assert f"[{', '.join(draft.challenge.cites)}]" in markdown
    for theme in result.themes:
        assert f"({theme.size} notes)" in markdown
    for reason in (
        "no letters",
        "too short (2 characters, minimum 3)",
        "empty cell",
        "no text in column 'idea'",
    ):
        assert reason in markdown
    assert "## Unassigned notes (3)" in markdown and "## Rejected (4)" in markdown
    assert "Hondenweide in het park" in markdown


def test_markdown_notes_cannot_break_structure(markdown: str) -> None:
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert not any("transparence" in h for h in headings)
    assert not re.search(r"(?<!\\)<(script|img|b|/script)", markdown)
    (line,) = [line for line in markdown.splitlines() if "transparence" in line]
    assert "\\# Plus de transparence" in line and "\\| vote" in line
    assert MARKDOWN_HOSTILE_TEXT.splitlines()[1] not in markdown.splitlines()


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("# titre", "\\# titre"),
        ("1. un", "1\\. un"),
        ("12) deux", "12\\) deux"),
        ("> cite", "\\> cite"),
        ("- a\n# b", "\\- a # b"),
        ("  * étoile  ", "\\* étoile"),
        ("<b>x</b>", "\\<b>x\\</b>"),
        ("a | b", "a \\| b"),
        ("[lien](javascript:x)", "\\[lien\\](javascript:x)"),
        ("`code`", "\\`code\\`"),
        ("Plain text, 3 words.", "Plain text, 3 words."),
    ],
)
def test_md_text_escapes_minimally(raw: str, escaped: str) -> None:
    assert md_text(raw) == escaped


# --- atomic writes ----------------------------------------------------------------------------


def test_atomic_write_replaces_content_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_text(target, "un\n")
    atomic_write_text(target, "deux – zwei\n")
    assert target.read_text(encoding="utf-8") == "deux – zwei\n"
    atomic_write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_atomic_write_keeps_existing_permissions(tmp_path: Path) -> None:
    target = tmp_path / "private.json"
    target.write_text("{}")
    os.chmod(target, 0o600)
    atomic_write_text(target, "[]")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failing_writer_leaves_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old report")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half a rep")
        raise RuntimeError("disk full halfway")
    assert target.read_text() == "old report"
    assert leftovers(tmp_path) == []


def test_failing_parquet_writer_keeps_previous_notes(
    run_dir: tuple[Path, dict[str, Path]], result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, written = run_dir

    def broken_write(table: object, where: Path, **_: object) -> None:
        Path(where).write_bytes(b"PAR1 truncated")
        raise OSError("no space left on device")

    monkeypatch.setattr(parquet_module.pq, "write_table", broken_write)
    with pytest.raises(OSError, match="no space"):
        write_run(result, folder)
    assert len(pd.read_parquet(written["notes.parquet"])) == len(result.notes)
    assert leftovers(folder) == []


def test_rendering_error_changes_nothing_in_the_run_folder(
    run_dir: tuple[Path, dict[str, Path]], result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = run_dir
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    changed = result.model_copy(deep=True)
    changed.manifest.workshop = "Another workshop"

    def broken_render(_: RunResult) -> str:
        raise ValueError("template error")

    monkeypatch.setattr(writer_module, "render_html", broken_render)
    with pytest.raises(ValueError, match="template error"):
        write_run(changed, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize(
    "embedder",
    ["use-m3@1.0.2", "use-m3@1.0.2 (one text per call)", "use-m3 (one text per call)"],
)
def test_the_language_warning_names_the_model_alone(embedder: str) -> None:
    from pipeline.report.view import languages_not_covered_sentence

    sentence = languages_not_covered_sentence({"el": 6}, embedder)
    assert sentence.startswith("use-m3 was not trained on el (6 ideas)")
    assert languages_not_covered_sentence({}, embedder) == ""


def test_the_language_warning_proposes_the_embedder_a_user_should_name() -> None:
    """The warning shows for ``use-m3`` alone (named, kept from an earlier run, or chosen for
    a large run): it proposes the default joined embedder by the name a user writes
    (``use-m3+e5-small:300``, with its cap), and that embedder leaves nothing uncovered."""
    from pipeline.config import EmbedConfig
    from pipeline.embed import create_embedder
    from pipeline.embed.base import covered_languages
    from pipeline.embed.choice import choose_embedder
    from pipeline.i18n import LANGUAGES
    from pipeline.report.view import languages_not_covered_sentence

    for lang in LANGUAGES:
        sentence = languages_not_covered_sentence({"el": 6}, "use-m3@1.0.2", lang)
        assert '"use-m3+e5-small:300"' in sentence and "--embedder use-m3+e5-small:300" in sentence
        assert 'use-m3+e5-small"' not in sentence  # the old name, without the cap
    english = languages_not_covered_sentence({"el": 6}, "use-m3@1.0.2")
    found = re.search(r'embed\.model = "([^"]+)"', english)
    assert found is not None
    proposed = found.group(1)
    assert proposed == EmbedConfig().model  # the default, as written in a config
    # Named, it is used even for a large run or a re-run, which left at the default use use-m3.
    named = EmbedConfig(model=proposed)
    assert choose_embedder(named, 50_000, recorded="use-m3").spec == proposed
    joined = create_embedder(proposed)
    assert covered_languages(joined) is None  # e5 covers about 100 languages: no warning
    # An embedder with e5 in it is never told to switch to it.
    with_e5 = languages_not_covered_sentence({"el": 6}, joined.name)
    assert with_e5.startswith("use-m3+e5-small was not trained on el (6 ideas)")
    assert "embed.model" not in with_e5


def test_a_flood_of_rejected_rows_is_counted_not_listed(tmp_path: Path, result: RunResult) -> None:
    """200,000 rejected rows once made a 47 MB report.html: the reports list the first
    ``MAX_INLINE_REJECTED`` and count the rest; rejected.json keeps every one."""
    from pipeline.report.view import MAX_INLINE_REJECTED
    from pipeline.schema import RejectedInput

    flood = result.model_copy(deep=True)
    extra = 3 * MAX_INLINE_REJECTED
    flood.rejected_inputs += [
        RejectedInput(source="flood.csv", location=f"row {i}", reason="too long", text="x" * 200)
        for i in range(extra)
    ]
    total = (
        len(result.rejected_inputs)
        + extra
        + sum(1 for n in result.notes if n.status is NoteStatus.REJECTED)
    )
    folder = tmp_path / "run"
    write_run(flood, folder)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert f'Rejected <span class="count">({total})</span>' in html
    assert html.count('<td class="where">') == MAX_INLINE_REJECTED
    assert f"… and {total - MAX_INLINE_REJECTED} more" in html
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert f"… and {total - MAX_INLINE_REJECTED} more" in md
    assert len(json.loads((folder / "rejected.json").read_text(encoding="utf-8"))) == total
    assert len(html) < 2_000_000


def test_the_rejected_card_says_how_many_are_notes_and_how_many_rows(
    tmp_path: Path, result: RunResult
) -> None:
    """ "Rejetées 8" above "… 7 rejetées …" in the reconciliation: the card counts the rows
    that gave no note too, and says so."""
    counts = result.manifest.counts
    assert counts.rejected > 1 and counts.rejected_rows > 1
    write_run(result, tmp_path / "run")
    html = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    card = (
        f"<dt>Rejected</dt><dd>{counts.rejected + counts.rejected_rows}</dd>"
        f'<dd class="stat-detail">{counts.rejected} notes + {counts.rejected_rows} rows that '
        "gave no note</dd>"
    )
    assert card in html
    assert f"= {counts.rejected} rejected +" in html  # the reconciliation's figure
    # Without rejected rows, the card is the rejected notes alone and says nothing more.
    none = result.model_copy(deep=True)
    none.manifest.counts.input_rows -= counts.rejected_rows
    none.manifest.counts.rejected_rows = 0
    none.rejected_inputs = []
    write_run(none, tmp_path / "again")
    html = (tmp_path / "again" / "report.html").read_text(encoding="utf-8")
    assert f"<dt>Rejected</dt><dd>{counts.rejected}</dd></div>" in html


def test_theme_numbers_on_the_map_never_cover_each_other() -> None:
    """Two themes whose topmost dots sit side by side gave "T0701"."""
    from pipeline.report.view import LABEL_CHAR_WIDTH, LABEL_HEIGHT, MapLabel, spread_labels

    crowded = [MapLabel(300, 200, "T07"), MapLabel(320, 204, "T01"), MapLabel(310, 198, "T12")]
    crowded.append(MapLabel(600, 100, "T03"))  # far from the others: left where it was
    spread = spread_labels(crowded)
    assert [label.x for label in spread] == [label.x for label in crowded]
    assert spread[0].y == 200 and spread[3].y == 100
    boxes = [
        (s.x - len(s.text) * LABEL_CHAR_WIDTH / 2, s.y - LABEL_HEIGHT / 2,
         s.x + len(s.text) * LABEL_CHAR_WIDTH / 2, s.y + LABEL_HEIGHT / 2)
        for s in spread
    ]  # fmt: skip
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_a_themes_number_sits_above_its_core_not_among_its_far_notes() -> None:
    """Nine dots close together and three far up and to the right: the mean and the
    topmost dot put the number among another theme's dots; it goes above the nine."""
    from pipeline.report.view import label_above_core

    core = [(100.0 + dx, 300.0 + dy) for dx in (0, 10, 20) for dy in (0, 10, 20)]
    far = [(600.0, 40.0), (610.0, 50.0), (620.0, 45.0)]
    label = label_above_core([*far, *core], "T05")
    assert label.text == "T05"
    assert 100 <= label.x <= 120  # over the nine, not at their mean with the far three (~240)
    assert label.y == 300 - 20  # just above the topmost of the nine
    assert label_above_core([(50.0, 10.0)], "T01").y == 14  # kept inside the map


def test_an_original_is_shown_only_when_cleaning_changed_words(result: RunResult) -> None:
    notes = list(result.notes)
    punctuation, words = notes[0], notes[1]
    notes[0] = punctuation.model_copy(update={"original_text": f"« {punctuation.text} !!! »"})
    notes[1] = words.model_copy(update={"original_text": f"{words.text} Merci. Signé Paul"})
    html = render_html(result.model_copy(update={"notes": notes}))
    assert f"« {punctuation.text} !!! »" not in html
    assert f"{words.text} Merci. Signé Paul" in html


def test_the_steps_timings_are_named_in_the_reports_language(result: RunResult) -> None:
    german = result.model_copy(deep=True)
    german.manifest.config["output_language"] = "de"
    german.manifest.timings = {"ingest": 0.07, "embed": 2.5}
    assert "Notizen lesen 0,07 s" in render_html(german)
    assert "Notizen lesen 0,07 s" in render_markdown(german)
    assert "ingest 0.07" not in render_html(german)


def test_a_stand_in_sentence_shows_no_grounding_score() -> None:
    """ "(Question to be written: …)" is checked against no note: the report says it is to
    be written, not "weakly supported (0.000)"; a sentence measured below the threshold
    still shows its score."""
    from pipeline.draft.compose.wording import WORDING

    run = build_run_result()
    draft = next(d for d in run.drafts if d.proposal)
    stand_in = draft.challenge.model_copy(
        update={"text": WORDING["en"].no_question, "supported": False, "support": None}
    )
    weak = draft.proposal[0].model_copy(update={"supported": False, "support": 0.123})
    changed = draft.model_copy(
        update={"challenge": stand_in, "proposal": [weak, *draft.proposal[1:]]}
    )
    run = run.model_copy(update={"drafts": [changed if d is draft else d for d in run.drafts]})
    for page in (render_markdown(run), render_html(run)):
        assert "(0.000)" not in page and "(0,000)" not in page
        assert "0.123" in page or "0,123" in page


def test_no_confident_category_is_said_in_the_reports_language() -> None:
    """A theme or note that no facilitator category fits reads "aucune" in a French report,
    not the pipeline's own "none"; a category's own name is shown as written."""
    result = build_run_result()  # a French run
    themes = [
        t.model_copy(update={"category": "none" if t.id == "t1" else "Mobilité"})
        for t in result.themes
    ]
    notes = [
        n.model_copy(update={"category": "none", "category_confidence": 0.1}) for n in result.notes
    ]
    run = result.model_copy(update={"themes": themes, "notes": notes})
    html = render_html(run)
    assert "<strong>aucune</strong>" in html and "<strong>Mobilité</strong>" in html
    assert "catégorie : aucune" in html.replace("\u00a0", " ")
    assert "<strong>none</strong>" not in html and "catégorie : none" not in html
    markdown = render_markdown(run)
    assert "**aucune**" in markdown and "**none**" not in markdown


def test_a_challenge_says_its_representative_notes_not_their_ids() -> None:
    from html import escape

    """ "Representative notes: [n56ae8708393e, …]" under a challenge told a reader nothing:
    the report and its Markdown say the notes, each linked to its place."""
    from tests.test_review_challenges import challenge_run

    run = challenge_run()
    challenge = next(b for b in run.broad_themes if b.id == "B1")
    by_id = {n.id: n for n in run.notes}
    html = render_html(run)
    section = html.split('aria-labelledby="theme-B1-heading"')[1].split("</section>")[0]
    quotes = section.split('class="rep-quotes"')[1].split("</ul>")[0]
    for note_id in challenge.representative_ids:
        text = " ".join(by_id[note_id].text.split())
        assert f'href="#note-{note_id}"' in quotes and escape(text)[:40] in quotes, quotes
    assert "[" not in quotes  # no bare list of ids
    markdown = render_markdown(run)
    first = challenge.representative_ids[0]
    assert f"- [{first}] " in markdown


def test_a_proposal_in_another_language_says_so_to_a_screen_reader() -> None:
    """ "Mail na 1 maand (nl)" under a French challenge was marked French: a screen reader
    read Dutch with French sounds. The tag the drafter adds names its language."""
    from pipeline.report.html import spoken_in
    from tests.test_review_challenges import challenge_run

    assert spoken_in("Mail na 1 maand (nl)", "fr") == "nl"
    assert spoken_in("Protection des données (RGPD)", "fr") == "fr"
    assert spoken_in("Former les agents", "fr") == "fr"
    run = challenge_run()
    draft = run.drafts[0]
    dutch = draft.proposal[0].model_copy(update={"text": "Mail na 1 maand (nl)"})
    run.drafts[0] = draft.model_copy(update={"proposal": [*draft.proposal, dutch]})
    html = render_html(run)
    assert '<li class="sentence" lang="nl">Mail na 1 maand (nl)' in html
