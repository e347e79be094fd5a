"""`briefings translate extract --lang LANG`: one PO entry per published text, with context, line and notes; updates mark what changed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import FIXTURES, edit, run_cli

from briefings.translate.catalog import read_po


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    return folder


def extract(folder: Path, lang: str = "pl") -> Catalog:
    result = run_cli("translate", "extract", "--lang", lang, "--content", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"wrote {folder}/translations/{lang}.po" in result.stdout
    return read(folder, lang)


def read(folder: Path, lang: str = "pl") -> Catalog:
    return read_po((folder / "translations" / f"{lang}.po").read_bytes())


def messages(catalog: Catalog) -> dict[str, object]:
    return {m.context: m for m in catalog if m.id}


def translate_all(folder: Path, lang: str = "pl") -> None:
    """What a translator's editor does: fill every entry, clear every fuzzy flag (Babel writes the file)."""
    catalog = read(folder, lang)
    for message in catalog:
        if message.id:
            message.string = f"PL {message.id}"
            message.flags.discard("fuzzy")
    with (folder / "translations" / f"{lang}.po").open("wb") as handle:
        write_po(handle, catalog, include_previous=True)


def notes(message: object) -> str:
    """A message's notes as one text (the PO file wraps them over several #. lines)."""
    return " ".join(message.auto_comments)  # type: ignore[attr-defined]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_every_published_text_is_one_entry_with_its_file_key_and_line(minimal: Path) -> None:
    found = messages(extract(minimal))
    expected = {
        "briefing.yaml:title": "A small test publication",
        "audiences/survivors.yaml:content_note": "This page talks about a review. Help is listed below.",
        "audiences/survivors.yaml:key_points[1]": "The review looked at {cases} cases.",
        "audiences/survivors.yaml:sections[2].heading": "What the review found",
        "audiences/survivors.yaml:sections[2].blocks[1].paragraph": "The council did not act. *It was not your fault.*",
        "audiences/survivors.yaml:sections[2].blocks[2].list[2].text": "The council did not act.",
        "audiences/journalists.yaml:sections[1].blocks[1].quote.text": "the council did not act on what it knew",
        "audiences/journalists.yaml:sections[1].blocks[2].paragraph": "See the [review](https://example.org/review).",
        "facts.yaml:facts[cases].statement": "The review looked at 12 cases.",
        "facts.yaml:facts[cases].sources[1].locator": "first paragraph",
        "facts.yaml:disputes[case-count].guidance": "Use the review's own figure.",
        "glossary.yaml:terms[TRO].definition": "The body that wrote the review.",
        "people.yaml:people[tro].name": "The Test Review Office",
        "support.yaml:contacts[helpline].offers": "A listening ear.",
        "timeline.yaml:events[1].what": "The review period.",
        "sources.yaml:sources[report].date": "May 2024",
    }
    for context, text in expected.items():
        assert found[context].id == text, context
    # Each reference is the file and line the text is written at.
    assert found["facts.yaml:facts[cases].statement"].locations == [("facts.yaml", line_of(minimal / "facts.yaml", "statement: The review looked"))]
    assert found["support.yaml:contacts[helpline].offers"].locations == [("support.yaml", line_of(minimal / "support.yaml", "offers:"))]
    # What no output shows is not there: a contact's source, a person's basis, a numeric fact value, the phone number.
    texts = {m.id for m in found.values()}
    assert "Test page." not in texts and "It published the review." not in texts and "0808 000 0000" not in texts
    assert "facts.yaml:facts[cases].value" not in found  # "12" needs no translation
    assert len(found) == len({(m.id, m.context) for m in found.values()})


def test_notes_tell_the_translator_the_reading_target_names_and_placeholders(minimal: Path) -> None:
    found = messages(extract(minimal))
    survivors = notes(found["audiences/survivors.yaml:key_points[1]"])
    assert "Reading target ('For survivors and families'): as plain as English at Flesch-Kincaid grade 6, in sentences of about 15 words" in survivors
    assert "never more than 25." in survivors
    assert "Placeholder {cases}: keep it as it is (it shows \u201c12\u201d)." in survivors
    reporters = notes(found["audiences/journalists.yaml:key_points[1]"])
    assert "Flesch-Kincaid grade 9" in reporters
    assert "A name: keep it as it is: The Test Review Office." in reporters
    assert "An abbreviation the glossary explains, keep it as it is: TRO." in reporters
    assert notes(found["people.yaml:people[tro].name"]) == "A name: keep it as it is."
    assert "A verbatim quote: pages show it in its original words" in notes(found["audiences/journalists.yaml:sections[1].blocks[1].quote.text"])
    assert "keep the address in ( ) as it is" in notes(found["audiences/journalists.yaml:sections[1].blocks[2].paragraph"])


def test_extracting_again_unchanged_writes_the_same_bytes(minimal: Path) -> None:
    extract(minimal)
    translate_all(minimal)
    before = (minimal / "translations" / "pl.po").read_bytes()
    extract(minimal)
    assert (minimal / "translations" / "pl.po").read_bytes() == before


def test_changing_one_english_sentence_makes_exactly_that_entry_fuzzy_with_the_previous_english(minimal: Path) -> None:
    extract(minimal)
    translate_all(minimal)
    edit(minimal / "audiences" / "survivors.yaml", "The council did not act. *It", "The council did nothing. *It")
    result = run_cli("translate", "extract", "--lang", "pl", "--content", str(minimal))
    assert "1 fuzzy" in result.stdout and "1 changed since translated" in result.stdout, result.stdout
    found = messages(read(minimal))
    fuzzy = [c for c, m in found.items() if "fuzzy" in m.flags]
    assert fuzzy == ["audiences/survivors.yaml:sections[2].blocks[1].paragraph"]
    changed = found[fuzzy[0]]
    assert changed.id == "The council did nothing. *It was not your fault.*"
    assert changed.previous_id == ["The council did not act. *It was not your fault.*"]
    assert changed.string == "PL The council did not act. *It was not your fault.*"  # kept, for the translator to correct
    assert all(m.string == f"PL {m.id}" for c, m in found.items() if c not in fuzzy)
    assert '#| msgid "The council did not act. *It was not your fault.*"' in (minimal / "translations" / "pl.po").read_text(encoding="utf-8")


def test_a_text_moved_by_an_insertion_keeps_its_translation_and_a_new_one_is_empty(minimal: Path) -> None:
    extract(minimal)
    translate_all(minimal)
    edit(minimal / "audiences" / "survivors.yaml", "    blocks:\n      - paragraph: The council", "    blocks:\n      - paragraph: A new first paragraph.\n      - paragraph: The council")
    found = messages(extract(minimal))
    assert not [c for c, m in found.items() if "fuzzy" in m.flags]
    assert found["audiences/survivors.yaml:sections[2].blocks[1].paragraph"].string == ""
    assert found["audiences/survivors.yaml:sections[2].blocks[2].paragraph"].string == "PL The council did not act. *It was not your fault.*"


def test_a_text_that_is_gone_stays_as_an_obsolete_entry(minimal: Path) -> None:
    extract(minimal)
    translate_all(minimal)
    edit(minimal / "timeline.yaml", "what: The review period.", "what: The years the review covered.")
    edit(minimal / "audiences" / "journalists.yaml", "      - timeline: true\n", "")
    catalog = extract(minimal)
    assert "timeline.yaml:events[1].what" not in messages(catalog)
    assert [m.id for m in catalog.obsolete.values()] == ["2001 to 2005", "The review period."]


def test_translate_needs_an_action_and_a_language_other_than_the_briefings(minimal: Path) -> None:
    assert run_cli("translate", "--lang", "pl", "--content", str(minimal)).returncode == 2
    assert run_cli("translate", "extract", "--content", str(minimal)).returncode == 2
    bad = run_cli("translate", "extract", "--lang", "pl\n", "--content", str(minimal))
    assert bad.returncode == 2 and "language tag" in bad.stderr
    assert run_cli("build", "--lang", "pl", "--content", str(minimal)).returncode == 2
    same = run_cli("translate", "extract", "--lang", "en-GB", "--content", str(minimal))
    assert same.returncode == 1 and "written in en-GB: there is nothing to translate" in same.stderr
    assert not (minimal / "translations").exists()


def test_content_with_errors_writes_no_catalog(minimal: Path) -> None:
    edit(minimal / "audiences" / "survivors.yaml", "{cases} cases.", "{casez} cases.")
    result = run_cli("translate", "extract", "--lang", "pl", "--content", str(minimal))
    assert result.returncode == 1 and "unknown fact '{casez}'" in result.stderr
    assert not (minimal / "translations").exists()


def test_a_broken_po_file_is_reported_with_its_line(minimal: Path) -> None:
    extract(minimal)
    po = minimal / "translations" / "pl.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("msgctxt"))
    lines.insert(at, 'msgid "unfinished')
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("translate", "extract", "--lang", "pl", "--content", str(minimal))
    assert result.returncode == 1
    assert f"translations/pl.po:{at + 1}:1: not a PO file Babel can read" in result.stderr, result.stderr


def test_a_fuzzy_entry_keeps_its_previous_english_through_another_extract(minimal: Path) -> None:
    """Babel alone reads `#| msgid` as a comment and writes it back as `# | msgid`: the translator would lose what changed."""
    extract(minimal)
    translate_all(minimal)
    edit(minimal / "audiences" / "survivors.yaml", "The council did not act. *It", "The council did nothing. *It")
    extract(minimal)
    edit(minimal / "audiences" / "survivors.yaml", "title: What the review found", "title: What the review found out")
    found = messages(extract(minimal))
    changed = found["audiences/survivors.yaml:sections[2].blocks[1].paragraph"]
    assert changed.previous_id == ["The council did not act. *It was not your fault.*"] and not changed.user_comments
    assert "# |" not in (minimal / "translations" / "pl.po").read_text(encoding="utf-8")


def test_the_babel_writer_and_reader_agree_on_our_files(minimal: Path) -> None:
    """What extract writes, fuzzy entries and all, Babel reads and writes back as the same bytes (no PO format of our own)."""
    extract(minimal)
    translate_all(minimal)
    edit(minimal / "audiences" / "survivors.yaml", "The council did not act. *It", "The council did nothing. *It")
    extract(minimal)
    data = (minimal / "translations" / "pl.po").read_bytes()
    out = io.BytesIO()
    write_po(out, read_po(data), include_previous=True)
    assert out.getvalue() == data


def test_the_pages_own_words_are_entries_and_the_tools_suggestions_come_fuzzy_for_review(minimal: Path) -> None:
    found = messages(extract(minimal, "pl"))
    contents = found["page:Contents"]
    assert contents.locations[0][0] == "templates/briefing.html.j2"
    assert contents.string == "Spis treści" and "fuzzy" in contents.flags  # suggested, not yet reviewed: the language waits
    assert " ".join(contents.user_comments) == "suggested by briefings (briefings/locale/pl.po): needs review by a native speaker"
    for context in ("page:Leave this page quickly", "page:Details checked with the service %(date)s.", "page:large print",
                    "page:For survivors and families", "page:Key findings"):
        assert context in found, context
    assert "%(date)s: keep it as it is; it is filled in on the page." in notes(found["page:Details checked with the service %(date)s."])
    assert all(m.string == "" for c, m in found.items() if not c.startswith("page:"))  # no briefing text is ever suggested
    romanian = messages(extract(minimal, "ro"))
    assert romanian["page:Contents"].string == ""  # no suggestions for a language the tool has none for


def test_the_suggested_words_are_marked_for_review_and_keep_their_named_values() -> None:
    from briefings.package_data import LOCALE
    from briefings.translate.entries import named_values

    for lang in ("pl", "ur"):
        text = (LOCALE / f"{lang}.po").read_text(encoding="utf-8")
        assert "NEEDS REVIEW BY A NATIVE SPEAKER" in text.split("msgid", 1)[0]
        for message in read_po(text.encode("utf-8")):
            if message.id:
                assert sorted(named_values(message.id)) == sorted(named_values(message.string)), (lang, message.id)


def test_every_format_link_back_is_one_of_the_words_of_the_code() -> None:
    from briefings.render.formats import FORMATS
    from briefings.words import WORDS

    assert {f.link_back for f in FORMATS.values() if f.link_back} <= set(WORDS)
