"""Publishing translations: a language listed in briefing.yaml is built into <slug>/<lang>/ only when its PO file is complete."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import write_po
from conftest import FIXTURES, edit, run_cli

from briefings.build.builder import Options, build
from briefings.render.formats import html_formats
from briefings.translate.catalog import read_po


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    edit(folder / "briefing.yaml", "base_url: none", "base_url: none\ntranslations: [pl]")
    return folder


def extract(folder: Path, lang: str = "pl") -> Path:
    result = run_cli("translate", "extract", "--lang", lang, "--content", str(folder))
    assert result.returncode == 0, result.stderr
    return folder / "translations" / f"{lang}.po"


def translate(po: Path, change=lambda english: f"PL {english}", only: str = "") -> None:
    """Fill the catalog as a translator would (every entry, or the one whose context is `only`), clearing fuzzy flags."""
    catalog = read_po(po.read_bytes())
    for message in catalog:
        if message.id and (not only or message.context == only):
            message.string = change(message.id)
            message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, include_previous=True)


def html_build(content: Path, out: Path, strict: bool = False):
    return build(Options(content, out, jobs=1, strict=strict, formats=html_formats()))


def warnings(result) -> list[str]:
    return [str(p) for p in result.problems.warnings]


def po_line(po: Path, context: str) -> int:
    """The line of the msgid of the entry with this context (where the build reports it)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'msgctxt "{context}"')
    return at + 2


def test_a_language_with_entries_to_translate_is_not_published_and_each_is_reported_at_its_po_line(minimal: Path, tmp_path: Path) -> None:
    po = extract(minimal)
    translate(po, only="audiences/survivors.yaml:title")
    result = html_build(minimal, tmp_path / "site")
    assert result.ok
    assert not (tmp_path / "site" / "minimal" / "pl").exists()
    found = warnings(result)
    shown = re.sub(r"^.*?/minimal/", "", str(po))
    assert any(w.endswith(f"{shown}:1:1: warning: translation: 'pl' is not published: 128 of 129 entries are not ready "
                          "(each is listed at its line; `--strict` makes this an error)") for w in found), found
    line = po_line(po, "audiences/survivors.yaml:content_note")
    english = next(n for n, text in enumerate((minimal / "audiences" / "survivors.yaml").read_text().splitlines(), 1) if text.startswith("content_note"))
    assert any(w.endswith(f"pl.po:{line}:1: warning: translation: audiences/survivors.yaml:content_note: not translated "
                          f"(the English is at {minimal}/audiences/survivors.yaml:{english})") or
               f"pl.po:{line}:1: warning: translation: audiences/survivors.yaml:content_note: not translated" in w for w in found), found
    assert not any("audiences/survivors.yaml:title:" in w for w in found)
    assert len([w for w in found if "translation:" in w]) == 129  # 52 texts of the briefing's, 77 of the page's own words
    manifest = json.loads((tmp_path / "site" / "manifest.json").read_text())
    assert manifest["briefings"][0]["languages"] == ["en-GB"]


def test_strict_makes_an_unpublished_language_an_error(minimal: Path, tmp_path: Path) -> None:
    extract(minimal)
    result = run_cli("check", "--strict", "--content", str(minimal))
    assert result.returncode == 1 and "'pl' is not published: 129 of 129 entries are not ready" in result.stderr
    assert run_cli("check", "--content", str(minimal)).returncode == 0


def test_a_complete_language_is_published_in_its_folder_with_the_same_file_names(minimal: Path, tmp_path: Path) -> None:
    translate(extract(minimal))
    out = tmp_path / "site"
    result = html_build(minimal, out)
    assert result.ok and not [w for w in warnings(result) if "translation" in w]
    english = sorted(p.name for p in (out / "minimal").iterdir() if p.is_file())
    assert sorted(p.name for p in (out / "minimal" / "pl").iterdir()) == english
    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["briefings"][0]
    assert entry["languages"] == ["en-GB", "pl"]
    translated = [o for o in entry["outputs"] if o["language"] == "pl"]
    assert sorted(o["path"] for o in translated) == [f"minimal/pl/{name}" for name in english]
    assert all(o["language"] == "en-GB" for o in entry["outputs"] if o not in translated)
    page = (out / "minimal" / "pl" / "journalists.html").read_text(encoding="utf-8")
    assert '<html lang="pl" dir="ltr">' in page
    assert "<h1>PL The review for reporters</h1>" in page
    assert '<blockquote lang="en-GB" dir="ltr"><p>the council did not act on what it knew</p></blockquote>' in page  # the quote, word for word
    assert '<p class="quote-translation"><span class="label">PL Translation:</span> PL the council did not act on what it knew</p>' in page
    assert "PL See the [review](https://example.org/review)" not in page and '<a href="https://example.org/review">review</a>' in page
    assert 'href="#fact-cases"' in page  # citations link as in English
    # The index lists each language's row apart.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "minimal/pl/survivors.html" in index and '(<span lang="pl" dir="ltr">polski</span>)' in index  # named in Polish, not by its tag


def test_the_english_outputs_do_not_change_when_only_a_translation_does(minimal: Path, tmp_path: Path) -> None:
    po = extract(minimal)
    translate(po)
    out = tmp_path / "site"
    assert html_build(minimal, out).ok
    translate(po, change=lambda english: f"PL2 {english}", only="audiences/survivors.yaml:title")
    result = html_build(minimal, out)
    rebuilt = result.stats()["built_paths"]
    assert len(rebuilt) == 6 and all(path.startswith("minimal/pl/") for path in rebuilt), rebuilt  # its pages, no English one


def test_changing_the_english_unpublishes_the_language_until_the_entry_is_translated_again(minimal: Path, tmp_path: Path) -> None:
    po = extract(minimal)
    translate(po)
    out = tmp_path / "site"
    assert html_build(minimal, out).ok and (out / "minimal" / "pl" / "survivors.html").exists()
    edit(minimal / "audiences" / "survivors.yaml", "Help is listed below.", "Help is listed further down.")
    stale = html_build(minimal, out)  # before extract: the PO file no longer has this English
    assert stale.ok and not (out / "minimal" / "pl").exists()
    assert any("audiences/survivors.yaml:content_note: the English changed and this file was not updated" in w for w in warnings(stale))
    extract(minimal)  # now it is fuzzy
    fuzzy = html_build(minimal, out)
    notes = [w for w in warnings(fuzzy) if "translation:" in w]
    line = po_line(po, "audiences/survivors.yaml:content_note")
    assert len(notes) == 2 and "1 of 129 entries are not ready" in notes[0]
    assert f"pl.po:{line}:1: warning: translation: audiences/survivors.yaml:content_note: fuzzy" in notes[1]
    assert not (out / "minimal" / "pl").exists()
    translate(po, only="audiences/survivors.yaml:content_note")
    assert html_build(minimal, out).ok
    assert "PL This page talks about a review. Help is listed further down." in (out / "minimal" / "pl" / "survivors.html").read_text()


def test_placeholders_and_link_targets_must_be_the_englishs(minimal: Path, tmp_path: Path) -> None:
    po = extract(minimal)
    translate(po, change=lambda english: "PL " + english.replace("{cases}", "{case}").replace("https://example.org/review", "https://example.org/other"))
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 0
    assert "audiences/survivors.yaml:key_points[1]: its placeholders are not the English's (missing {cases}; not in the English: {case})" in result.stderr
    assert ("audiences/journalists.yaml:sections[1].blocks[2].paragraph: its link targets are not the English's "
            "(missing https://example.org/review; not in the English: https://example.org/other)") in result.stderr


def test_a_language_without_a_po_file_or_the_briefings_own_language(minimal: Path) -> None:
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 0
    assert "briefing.yaml:9:16: warning: translation: 'pl' is not published: there is no " in result.stderr
    edit(minimal / "briefing.yaml", "translations: [pl]", "translations: [en-GB]")
    own = run_cli("check", "--content", str(minimal))
    assert own.returncode == 1 and "briefing.yaml:9:16: translations lists 'en-GB', the briefing's own language" in own.stderr


def test_a_po_file_that_cannot_be_read_withholds_its_language(minimal: Path) -> None:
    po = extract(minimal)
    po.write_text(po.read_text(encoding="utf-8") + 'msgid "unfinished\n', encoding="utf-8")
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 0
    assert re.search(r"pl\.po:\d+:1: warning: translation: 'pl' is not published: not a PO file Babel can read", result.stderr), result.stderr


def test_a_quote_keeps_its_original_words_and_carries_its_translation(minimal: Path) -> None:
    """Quotes, the passages of the fact table and the sources' own words in disputes stay verbatim; the translation goes beside."""
    from briefings.check.publication import load_and_resolve
    from briefings.problems import Problems
    from briefings.translate.apply import translations

    translate(extract(minimal))
    problems = Problems()
    loaded, english = load_and_resolve(minimal, problems)
    polish = translations(loaded, english, problems).published["pl"]
    assert polish.language == "pl" and polish.original_language == "en-GB" and polish.output_language == "pl"
    quote = next(blk for s in polish.briefing("journalists").sections for blk in s.blocks if blk.kind == "quote").value
    assert quote["text"] == "the council did not act on what it knew"
    assert quote["translation"] == "PL the council did not act on what it knew"
    evidence = polish.facts["cases"]["sources"][0]
    assert evidence["quote"] == "The review looked at 12 cases between 2001 and 2005."
    assert evidence["translation"] == "PL The review looked at 12 cases between 2001 and 2005."
    assert evidence["locator"] == "PL first paragraph"
    account = polish.disputes[0]["accounts"][1]
    assert (account["quote"], account["translation"], account["says"]) == ("eleven cases", "PL eleven cases", "PL 11")
    assert polish.facts["cases"]["statement"] == "PL The review looked at 12 cases."
    # The English is untouched, and the translation's sections keep the English anchors.
    assert english.facts["cases"]["statement"] == "The review looked at 12 cases." and "translation" not in english.facts["cases"]["sources"][0]
    assert [s.id for s in polish.briefing("survivors").sections] == [s.id for s in english.briefing("survivors").sections]
    assert [t["term"] for t in polish.briefing("journalists").terms] == [t["term"] for t in english.briefing("journalists").terms]



def translated_fixture(tmp_path: Path, name: str) -> Path:
    """A copy of a fixture with 'pl' listed and completely translated ("PL …")."""
    folder = tmp_path / name
    shutil.copytree(FIXTURES / name, folder)
    edit(folder / "briefing.yaml", "base_url: none", "base_url: none\ntranslations: [pl]")
    translate(extract(folder))
    return folder


def test_an_easy_read_is_translated_line_by_line_with_what_its_pictures_show(tmp_path: Path) -> None:
    folder = translated_fixture(tmp_path, "easy-read")
    catalog = {m.context: m.id for m in read_po((folder / "translations" / "pl.po").read_bytes()) if m.id}
    at = "audiences/easy-read.yaml:"
    assert catalog[f"{at}content_note[1].text"] == "This booklet is about how the council let people down."
    assert catalog[f"{at}content_note[1].alt"] == "a warning sign"  # the bundled picture's own description
    assert f"{at}content_note[2].alt" not in catalog  # alt "": decorative, nothing to translate
    assert catalog[f"{at}sections[1].blocks[1].easy[3].alt"] == "A drawing of the council building"
    assert "page:Hard words" in catalog and "page:Other people may still see that you visited this page." in catalog
    out = tmp_path / "site"
    result = html_build(folder, out)
    assert result.ok, [str(p) for p in result.problems.sorted()]
    page = (out / "easy-review" / "pl" / "easy-read.html").read_text(encoding="utf-8")
    assert '<html lang="pl" dir="ltr"' in page
    assert "PL This booklet is about how the council let people down." in page and 'alt="PL a warning sign"' in page
    assert 'alt="PL A drawing of the council building"' in page and 'alt="PL a red cross"' in page
    assert "PL A group looked at how the council did its job." in page
    assert "council let people down.</p>" not in page.replace("PL This booklet is about how the council let people down.</p>", "")


def test_a_source_page_is_published_once_and_a_translation_links_to_it_from_its_folder(tmp_path: Path) -> None:
    folder = translated_fixture(tmp_path, "care-home")
    out = tmp_path / "site"
    result = html_build(folder, out)
    assert result.ok, [str(p) for p in result.problems.sorted()]
    assert (out / "care-home" / "sources" / "inspection.html").exists() and not (out / "care-home" / "pl" / "sources").exists()
    english = (out / "care-home" / "scrutiny.html").read_text(encoding="utf-8")
    translated = (out / "care-home" / "pl" / "scrutiny.html").read_text(encoding="utf-8")
    assert 'href="sources/inspection.html' in english and 'href="../sources/inspection.html' not in english
    assert 'href="../sources/inspection.html' in translated and 'href="sources/inspection.html' not in translated
    entry = json.loads((out / "manifest.json").read_text())["briefings"][0]
    assert entry["languages"] == ["en-GB", "pl"]
    assert [o["path"] for o in entry["outputs"] if o["format"] == "source"] == ["care-home/sources/inspection.html"]
    assert all("language" not in o for o in entry["outputs"] if o["format"] == "source")
