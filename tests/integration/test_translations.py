"""The translation workflow end to end, with the pseudo-locales: extract, pseudo-translate, build, change the English, fix."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, edit, run_cli

from briefings.build.builder import Options, build
from briefings.languages import language
from briefings.render.formats import FORMATS, html_formats
from briefings.translate.catalog import read_po
from briefings.translate.pseudo import pseudo

LANGS = ("en-XA", "ar-XB")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    edit(folder / "briefing.yaml", "base_url: none", "base_url: none\ntranslations: [en-XA, ar-XB]")
    for lang in LANGS:
        assert run_cli("translate", "extract", "--lang", lang, "--content", str(folder)).returncode == 0
        result = run_cli("translate", "pseudo", "--lang", lang, "--content", str(folder))
        assert result.returncode == 0 and "129 translated, 0 fuzzy, 0 to translate" in result.stdout, result.stdout
    return folder


def test_every_output_of_every_pseudo_locale_is_built_in_its_folder(translated_output: Path) -> None:
    out = translated_output
    assert "translation" not in (out.parent / "build.stderr").read_text(encoding="utf-8")
    english = sorted(p.name for p in (out / "minimal").iterdir() if p.is_file())
    assert len(english) == 2 * sum(1 for f in FORMATS.values() if f.per == "audience")  # minimal republishes no source
    manifest = json.loads((out / "manifest.json").read_text())["briefings"][0]
    assert manifest["languages"] == ["en-GB", *LANGS]
    for lang in LANGS:
        folder = out / "minimal" / lang
        assert sorted(p.name for p in folder.iterdir()) == english
        for name in english:
            data = (folder / name).read_bytes()
            assert data.startswith(b"%PDF-") if name.endswith(".pdf") else f'lang="{lang}"'.encode() in data, (lang, name)
        listed = {o["path"] for o in manifest["outputs"] if o["language"] == lang}
        assert listed == {f"minimal/{lang}/{name}" for name in english}
    check_pdfs(out / "minimal")
    # The index names each language in itself, marked with its tag and direction, and each translation's links say theirs.
    index = (out / "index.html").read_text(encoding="utf-8")
    for lang in LANGS:
        own = f'<span lang="{lang}" dir="{"rtl" if lang == "ar-XB" else "ltr"}">{language(lang).name}</span>'
        assert f"For survivors and families, in {own}</th>" in index and f"Survivors ({own}) — web page" in index, lang
        assert index.count(f'hreflang="{lang}"') == len(english), lang  # each of its files, as many as the English
    assert '<span lang="en-GB" dir="ltr">English (United Kingdom)</span>' in index and "In 3 languages: " in index
    assert "font-family:'Scheherazade New'" in index, "the Arabic-script name is drawn in the bundled font"
    page = (out / "minimal" / "ar-XB" / "survivors.html").read_text(encoding="utf-8")
    assert "تهع سوونسيل ديد نوت است. <em>يت واص نوت يوور فاولت.</em>" in page
    accented = (out / "minimal" / "en-XA" / "journalists.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/review">ŕévîéw</a>' in accented and "<abbr" in accented  # link target and abbreviation kept


OUR_FONTS = re.compile(r"^[A-Z]{6}\+(Atkinson-Hyperlegible(-Extended)?|Scheherazade-New)(-Bold)?(-Italic|-BoldItalic)?$")


def check_pdfs(folder: Path) -> None:
    """Every PDF embeds only the bundled fonts (no fallback to a font of this machine's), and the right-to-left ones are mirrored."""
    import subprocess

    import pdfplumber

    for pdf in sorted(folder.rglob("*.pdf")):
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        names = {line.split()[0] for line in listing}
        assert names and all(OUR_FONTS.match(name) for name in names), (pdf, names)
        with pdfplumber.open(pdf) as doc:
            first = doc.pages[0]
            words = first.extract_words()
            title = max(words, key=lambda w: w["bottom"] - w["top"])  # the h1's first word: the largest type on the page
            left, right = title["x0"], first.width - title["x1"]
            rtl = "/ar-XB/" in str(pdf)
            assert (right < left) if rtl else (left < right), (pdf, title["text"], left, right)
        lang = "en-GB" if pdf.parent.name == "minimal" else pdf.parent.name
        numbered = pseudo("Page %(page)s of %(pages)s", lang) if lang in LANGS else "Page %(page)s of %(pages)s"
        foot = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1])
        wanted = numbered % {"page": 1, "pages": pages}
        said = " ".join(foot.split())
        assert wanted in said or (rtl and all(w in said for w in wanted.split())), f"{pdf}: its page number is not {wanted!r}"
        document, langs = structure_languages(pdf)
        assert document == lang
        assert document not in {lang for _, lang in langs}  # /Lang only where it differs from the document's
        if pdf.parent.name != "minimal" and pdf.name == "journalists.pdf":  # its quote, a fact's passage, a source's words
            assert ("/BlockQuote", "en-GB") in langs and len([1 for _, lang in langs if lang == "en-GB"]) >= 3, langs


def structure_languages(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The document's /Lang, and (structure type, /Lang) of each structure element that has one."""
    import pikepdf

    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/Lang" in node:
                found.append((str(node.get("/S")), str(node.Lang)))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot)
        return str(pdf.Root.get("/Lang")), found


def test_one_changed_english_sentence_makes_one_entry_fuzzy_and_withholds_the_language_until_fixed(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    assert (out / "minimal" / "en-XA" / "survivors.html").exists()
    edit(minimal / "audiences" / "survivors.yaml", "Help is listed below.", "Help is listed at the end.")
    assert run_cli("translate", "extract", "--lang", "en-XA", "--content", str(minimal)).returncode == 0
    catalog = read_po((minimal / "translations" / "en-XA.po").read_bytes())
    fuzzy = [m.context for m in catalog if m.id and "fuzzy" in m.flags]
    assert fuzzy == ["audiences/survivors.yaml:content_note"]
    assert all(m.string for m in catalog if m.id)
    withheld = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert withheld.ok
    assert not (out / "minimal" / "en-XA").exists() and not (out / "minimal" / "ar-XB").exists()
    said = [str(p) for p in withheld.problems.warnings]
    assert any("en-XA.po:1:1: warning: translation: 'en-XA' is not published: 1 of 129 entries are not ready" in w for w in said), said
    assert any("audiences/survivors.yaml:content_note: fuzzy" in w for w in said)
    assert any("ar-XB.po" in w and "audiences/survivors.yaml:content_note: the English changed and this file was not updated" in w for w in said)
    assert run_cli("translate", "pseudo", "--lang", "en-XA", "--content", str(minimal)).returncode == 0  # the fix
    fixed = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert fixed.ok and (out / "minimal" / "en-XA" / "survivors.html").exists() and not (out / "minimal" / "ar-XB").exists()
    note = pseudo("This page talks about a review. Help is listed at the end.", "en-XA")
    assert note in (out / "minimal" / "en-XA" / "survivors.html").read_text(encoding="utf-8")


def test_a_pseudo_translation_keeps_what_a_translator_must_keep() -> None:
    text = "The IOPC looked at {cases} cases in 2001. See [the review](https://example.org/r) or write to a@b.org. *Not your fault.*"
    accented = pseudo(text, "en-XA")
    for kept in ("IOPC", "{cases}", "2001", "](https://example.org/r)", "a@b.org", "*"):
        assert kept in accented
    assert len(accented) >= 1.4 * len(text) and not re.search(r"\b(looked|cases|review|fault)\b", accented.replace("{cases}", ""))
    rtl = pseudo(text, "ar-XB")
    leftover = re.sub(r"IOPC|\{cases\}|\]\(https://example\.org/r\)|a@b\.org", "", rtl)
    assert not re.search(r"[A-Za-z]", leftover), leftover
    assert re.search(r"[\u0600-\u06ff]", rtl)
    with pytest.raises(ValueError):
        pseudo(text, "pl")


def test_pseudo_never_writes_a_real_languages_file(minimal: Path) -> None:
    result = run_cli("translate", "pseudo", "--lang", "pl", "--content", str(minimal))
    assert result.returncode == 2 and "never a real language's file" in result.stderr
    assert not (minimal / "translations" / "pl.po").exists()
