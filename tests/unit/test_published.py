"""Names and harmful terms are checked in every field an output shows, as it shows it (briefings.check.published).

Two proofs that no published field is left out, neither of them a hand list of fields:
- every string field of every schema says how it is published (or has a fixed form: an id, a date, an address);
- a publication with a marker (a name not in the register, and a harmful term) in every free-text field is rendered
  in every format, and every marker a reader can see on any output was reported, at the line of the field it is in;
  a field said never to be shown is on no output.
"""

from __future__ import annotations

import html.parser
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES

from briefings.check.published import CHECKED, schema_kind, walk
from briefings.schema import INTERNAL, MARKDOWN, PROSE, PUBLISHED, REGISTER, SCHEMAS, VERBATIM


def string_fields(schema: dict[str, Any], field: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every string field a schema allows, with its place ("sources[].notes")."""
    for option in schema.get("anyOf", []):
        yield from string_fields({**option, **{k: v for k, v in schema.items() if k != "anyOf"}}, field)
    if schema.get("type") == "string":
        yield field, schema
    for key, sub in schema.get("properties", {}).items():
        yield from string_fields(sub, f"{field}.{key}" if field else key)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from string_fields(schema["additionalProperties"], f"{field}.*")
    if isinstance(schema.get("items"), dict):
        yield from string_fields(schema["items"], f"{field}[]")


def free_text_fields() -> set[tuple[str, str]]:
    """(file's schema, field) of every string field that is text rather than a value in a fixed form."""
    return {(name, field) for name, schema in SCHEMAS.items() for field, node in string_fields(schema) if schema_kind(node)}


def test_every_string_field_of_every_schema_says_how_it_is_published() -> None:
    unsaid, fixed = [], 0
    for name, schema in SCHEMAS.items():
        for field, node in string_fields(schema):
            kind = node.get("x-published")
            if kind is None and {"pattern", "enum", "const"} & set(node):
                fixed += 1  # an id, a date, an address, a choice: not text a reader reads as prose
            elif kind not in PUBLISHED:
                unsaid.append(f"{name}: {field}")
    assert not unsaid, f"say how each is published (x-published, briefings.schema): {unsaid}"
    assert fixed > 10 and len(free_text_fields()) > 40


def test_the_schema_walk_finds_a_field_that_does_not_say() -> None:
    """The walk treats a free-text field that does not say how it is published as prose (checked), never as skipped."""
    schema = {"type": "object", "properties": {"new": {"type": "string"}, "id": {"type": "string", "pattern": "^x$"}}}
    assert [(f, k) for _, f, k, _ in walk(schema, {"new": "text", "id": "x"})] == [("new", PROSE), ("id", None)]


# --- every field of a publication, with a marker in each: rendered in every format ---------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def code(n: int) -> str:
    """A word no content uses, different for each n: Zqaaa, Zqaab, …"""
    return "Zq" + LETTERS[n // 676 % 26] + LETTERS[n // 26 % 26] + LETTERS[n % 26]


def everything(minimal: Path) -> Path:
    """The minimal fixture with every optional field and every kind of block, so that each schema field occurs."""
    def edit(name: str, change) -> None:
        path = minimal / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def briefing(d: dict) -> None:
        d["audiences"] = ["survivors", {"id": "journalists", "like": "journalists", "label": "For reporters", "name": "Reporters",
                                        "key_points_heading": "Key findings", "support_heading": "Where to get support"}]
        d["allow"] = {"names": ["Victoria Park"], "capitals": ["UK"]}

    def sources(d: dict) -> None:
        for source in d["sources"]:
            source.update({"notes": "Read with care.", "author": "Pat Lee", "url": "https://example.org/source"})
            source.setdefault("licence", "All rights reserved")
            source.setdefault("attribution", "© Paper 2024")

    def people(d: dict) -> None:
        d["people"].append({"id": "pat-lee", "name": "Dr Pat Lee", "other_names": ["Dr Patricia Lee"], "kind": "person",
                            "role": "Author of the review", "basis": "Named as its author.", "sources": ["report"]})

    def support(d: dict) -> None:
        d["contacts"][0].update({"email": "help@example.org", "url": "https://example.org/help"})

    def journalists(d: dict) -> None:
        d["content_note"] = "This page talks about a review."
        d["sections"].append({"heading": "More", "blocks": [
            {"quote": {"text": "looked at 12 cases", "speaker": "pat-lee", "source": "report", "date": "May 2024",
                       "locator": "first paragraph"}},
            {"steps": ["Read the review.", {"text": "Call the helpline.", "facts": ["cases"]}]},
            {"facts": ["cases", "no-action"]},
            {"support_summary": "all"},
            {"support": ["helpline"]},
        ]})

    for name, change in (("briefing.yaml", briefing), ("sources.yaml", sources), ("people.yaml", people),
                         ("support.yaml", support), ("audiences/journalists.yaml", journalists)):
        edit(name, change)
    return minimal


def with_markers(folder: Path) -> dict[str, tuple[str, str, str, tuple[Any, ...]]]:
    """Write a marker into every free-text string of every file: a name not in the register and a harmful term, then a
    real link whose target holds a second name (hidden where the field is Markdown, printed where it is shown as written).

    Returns each marker's code -> (file, schema name, field, path in the file)."""
    markers: dict[str, tuple[str, str, str, tuple[Any, ...]]] = {}
    files = [(p, p.name) for p in sorted(folder.glob("*.yaml"))] + [(p, "audience") for p in sorted(folder.glob("audiences/*.yaml"))]
    for path, schema in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        shown = str(path.relative_to(folder))
        for place, field, kind, text in list(walk(SCHEMAS[schema], data)):
            if kind is None:
                continue
            name, target = code(len(markers)), code(len(markers) + 1)
            markers[name] = markers[target] = (shown, schema, field, place)
            value = f"{text} Dr {name} said paedo [see](<https://example.org/Dr {target}>)"
            holder = data
            for step in place[:-1]:
                holder = holder[step]
            holder[place[-1]] = value
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return markers


class Visible(html.parser.HTMLParser):
    """What a reader of a page can read: its text (not its scripts or styles), its title, and the attributes read out
    or shown (title, alt, aria-label, a meta element's content)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts.extend(value or "" for key, value in attrs if key in ("title", "alt", "aria-label", "content"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    reader = Visible()
    reader.feed(page)
    return " ".join(reader.parts)


def rendered_outputs(folder: Path, tmp_path: Path) -> tuple[dict[str, str], list[Any]]:
    """Every output of every audience as the HTML it is (or is printed from), the site's index and report page; and the
    problems the checks found."""
    from briefings.check import publication as pipeline
    from briefings.check.report import briefing_data, report_json
    from briefings.problems import Problems
    from briefings.render.environment import make_environment
    from briefings.render.formats import FORMATS, output_path
    from briefings.render.handout import render_handout_html
    from briefings.render.html import render_page
    from briefings.render.index import render_index
    from briefings.render.large_print import render_large_print_html
    from briefings.render.report_page import render_report

    problems = Problems()
    loaded, pub = pipeline.load_and_resolve(folder, problems)
    assert pub is not None and [b.audience for b in pub.briefings] == ["survivors", "journalists"], problems.sorted()
    checked = pipeline.check_resolved(loaded, pub, problems)
    printed_from = {"pdf": render_page, "large-print": render_large_print_html, "handout": render_handout_html}
    assert {name for name, fmt in FORMATS.items() if fmt.is_pdf} == set(printed_from), "say what HTML each PDF is printed from"
    env, site, pages = make_environment(), tmp_path / "site", {}
    outputs = []
    for briefing in pub.briefings:
        for name, fmt in FORMATS.items():
            made = printed_from[name](env, pub, briefing, "v1") if fmt.is_pdf else fmt.make(env, pub, briefing, "v1").decode("utf-8")
            path = output_path(pub.slug, briefing.audience, name)
            pages[path] = made
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(made, encoding="utf-8")
            outputs.append({"audience": briefing.audience, "format": name, "path": path, "sha256": "0" * 64, "readability": {}})
    manifest = {"briefings": [{"slug": pub.slug, "title": pub.title, "outputs": outputs,
                               "audiences": [{"id": b.audience, "label": b.label} for b in pub.briefings]}]}
    pages["index.html"] = render_index(manifest, site).decode("utf-8")
    pages["report.html"] = render_report(report_json([briefing_data(checked)]), manifest).decode("utf-8")
    return pages, problems.sorted()


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("marked") / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    everything(folder)
    markers = with_markers(folder)
    pages, problems = rendered_outputs(folder, tmp_path_factory.mktemp("site"))
    return folder, markers, pages, problems


def test_the_marked_publication_has_every_free_text_field(marked) -> None:
    _, markers, _, _ = marked
    covered = {(schema, field) for _, schema, field, _ in markers.values()}
    assert free_text_fields() <= covered, sorted(free_text_fields() - covered)


def field_kind(schema: str, field: str) -> str | None:
    return schema_kind(next(node for f, node in string_fields(SCHEMAS[schema]) if f == field))


def reported_at(marked, name: str) -> list[Any]:
    """The problems reported at the line of the field that holds marker `name`."""
    from briefings.load.yaml_source import load_yaml
    from briefings.problems import Problems

    folder, markers, _, problems = marked
    shown, _, _, place = markers[name]
    line = load_yaml(folder / shown, shown, Problems(), folder).at(place)[0]
    return [p for p in problems if p.path == str(folder / shown) and p.line == line]


def test_every_name_and_term_a_reader_can_see_was_reported_where_it_is_written(marked) -> None:
    _, markers, pages, _ = marked
    seen = {found for page in pages.values() for found in re.findall(r"Zq[a-z]{3}", visible(page))}
    assert len(seen) > 60, "the outputs show most markers"
    missed, unchecked_language, shown_internal = [], [], []
    for name in sorted(seen):
        shown, schema, field, _ = markers[name]
        kind = field_kind(schema, field)
        if kind == INTERNAL:
            shown_internal.append(f"{shown}: {field}")
            continue
        if kind == REGISTER:
            continue  # the register's own names: what the check compares against
        assert kind in CHECKED
        here = reported_at(marked, name)
        if not any(p.rule == "name" and name in p.message for p in here):
            missed.append(f"{shown}: {field} ({kind}): {name}")
        if kind in (PROSE, MARKDOWN) and not any(p.rule == "language" and "paedo" in p.message for p in here):
            unchecked_language.append(f"{shown}: {field} ({kind})")
    assert not shown_internal, f"fields said never to be shown are on an output: {shown_internal}"
    assert not missed, f"names a reader can see, not reported at their field's line: {missed}"
    assert not unchecked_language, f"harmful terms a reader can see, not reported at their field's line: {unchecked_language}"


def test_verbatim_words_are_checked_for_names_and_left_as_they_are_for_terms(marked) -> None:
    _, markers, _, _ = marked
    quotes = [n for n, (_, schema, field, _) in sorted(markers.items()) if field_kind(schema, field) == VERBATIM]
    assert len(quotes) >= 8  # a fact's passage, a dispute's account, a quote block, a document's title (two markers each)
    for name in quotes:
        here = reported_at(marked, name)
        assert any(p.rule == "name" and name in p.message for p in here), name
        assert not any(p.rule == "language" for p in here), name


# --- the fields the review found unchecked, one by one, with the line a writer is sent to --------------------------------

# (file, text to replace, the new text with {x} where the words go); each field the security review found the checks
# skipped, and the fields beside them: a page shows every one.
FIELDS = [
    ("audience title", "audiences/survivors.yaml", "title: What the review found", "title: What the review found {x}"),
    ("section heading", "audiences/survivors.yaml", "  - heading: Where to get help", "  - heading: Where to get help {x}"),
    ("key point", "audiences/survivors.yaml", "  - The review looked at {cases} cases.", "  - The review looked at {cases} cases {x}"),
    ("content note", "audiences/survivors.yaml", "content_note: This page talks about a review.",
     "content_note: This page talks about a review {x}."),
    ("malformed link", "audiences/journalists.yaml", "paragraph: See the [review](https://example.org/review).",
     "paragraph: See the [review](https://example.org/review {x})."),
    ("source notes", "sources.yaml", "    date: June 2024", "    date: June 2024\n    notes: It says {x}"),
    ("timeline when", "timeline.yaml", "  - when: 2001 to 2005", "  - when: 2001 to 2005 {x}"),
    ("glossary definition", "glossary.yaml", "definition: The body that wrote the review.", "definition: The body that wrote it {x}"),
    ("glossary expansion", "glossary.yaml", "expansion: Test Review Office", "expansion: Test Review Office {x}"),
    ("support card offers", "support.yaml", "offers: A listening ear.", "offers: A listening ear {x}"),
    ("support card hours", "support.yaml", "hours: Every day, 9am to 5pm.", "hours: Every day {x}"),
    ("publication title", "briefing.yaml", "title: A small test publication", "title: A small test publication {x}"),
    ("dispute topic", "facts.yaml", "topic: How many cases the review looked at", "topic: How many cases {x}"),
]


def _line_of(folder: Path, file: str, words: str) -> int:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if words in line)


@pytest.mark.parametrize(("file", "old", "new"), [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_a_name_in_a_published_field_is_refused_at_its_line(file: str, old: str, new: str, minimal: Path) -> None:
    from test_schema_errors import check, edit

    edit(minimal / file, old, new.replace("{x}", "said Dr.\u00a0Marsh"))
    code, lines = check(minimal)
    line = _line_of(minimal, file, "Marsh")
    assert code == 1
    assert any(entry.startswith(f"{file}:{line}:") and "name: 'Dr Marsh' looks like a person's name" in entry for entry in lines), lines


@pytest.mark.parametrize(("file", "old", "new"), [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_a_harmful_term_in_a_published_field_is_refused_at_its_line(file: str, old: str, new: str, minimal: Path) -> None:
    from test_schema_errors import check, edit

    edit(minimal / file, old, new.replace("{x}", "about a child pros\u00adtitute"))
    code, lines = check(minimal)
    line = _line_of(minimal, file, "pros\u00adtitute")
    assert code == 1
    assert any(entry.startswith(f"{file}:{line}:") and "language: 'child prostitute' is harmful or victim-blaming language" in entry
               for entry in lines), lines


def test_a_real_links_target_is_not_read_as_prose(minimal: Path) -> None:
    """Only a link markdown-it makes is hidden: its target is not shown, so its words are not the page's."""
    from test_schema_errors import check, edit

    edit(minimal / "audiences/journalists.yaml", "paragraph: See the [review](https://example.org/review).",
         "paragraph: See the [review](https://example.org/child-prostitute-Dr-Marsh).")
    assert check(minimal) == (0, [])
