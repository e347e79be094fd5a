"""Translated pages: direction, verbatim quotes beside their translation, the fonts each page carries, and the glyph check."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, PSEUDO_LANGS, edit, run_cli

from briefings.render.environment import isolate_ltr
from briefings.render.fonts import BASE, FAMILIES, coverage, visible_text

LANGS = PSEUDO_LANGS


@pytest.fixture(scope="module")
def site(translated_output: Path) -> Path:
    """The minimal fixture with both pseudo-locales published, every output built (conftest.translated_output)."""
    return translated_output / "minimal"


def page(site: Path, lang: str, name: str) -> str:
    return (site / lang / name if lang else site / name).read_text(encoding="utf-8")


def test_each_page_says_its_language_and_direction(site: Path) -> None:
    assert '<html lang="en-GB" dir="ltr" class="with-quick-exit">' in page(site, "", "survivors.html")
    assert '<html lang="en-XA" dir="ltr" class="with-quick-exit">' in page(site, "en-XA", "survivors.html")
    assert '<html lang="ar-XB" dir="rtl" class="with-quick-exit">' in page(site, "ar-XB", "survivors.html")
    assert re.search(r'<section class="briefing-embed" id="[^"]+" lang="ar-XB" dir="rtl"', page(site, "ar-XB", "journalists-embed.html"))


def test_a_quote_is_shown_in_its_original_language_with_its_translation_beside_it(site: Path) -> None:
    rtl = page(site, "ar-XB", "journalists.html")
    assert '<blockquote lang="en-GB" dir="ltr"><p>the council did not act on what it knew</p></blockquote>' in rtl
    assert re.search(r'<p class="quote-translation"><span class="label">[^<]+</span> [\u0600-\u06ff ]+</p>', rtl)
    assert '<q lang="en-GB" dir="ltr">eleven cases</q> <span class="quote-translation">' in rtl  # a source's own words in a dispute
    assert '<q lang="en-GB" dir="ltr">The review looked at 12 cases between 2001 and 2005.</q>' in rtl  # a fact's passage
    english = page(site, "", "journalists.html")
    assert "<blockquote><p>the council did not act on what it knew</p></blockquote>" in english and "quote-translation\"" not in english


def test_what_reads_left_to_right_is_marked_so_in_a_right_to_left_page(site: Path) -> None:
    rtl = page(site, "ar-XB", "survivors.html")
    assert '<span dir="ltr">12</span>' in rtl  # a fact's value in the text
    assert re.search(r'<a href="tel:[^"]+" dir="ltr">0808 000 0000</a>', rtl)  # phone numbers keep their order
    assert '<h3><span dir="ltr">Test Helpline</span></h3>' in rtl  # a name
    assert isolate_ltr("a &amp; b <abbr title=\"x\">IOPC</abbr> (SYP) ق") == (
        '<span dir="ltr">a</span> &amp; <span dir="ltr">b</span> <abbr title="x"><span dir="ltr">IOPC</span></abbr> '
        '(<span dir="ltr">SYP</span>) ق')
    assert '<span dir="ltr">' not in page(site, "", "survivors.html").split("<main", 1)[1].split("tel:")[0]


def inlined_families(html: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(re.findall(r"@font-face\{font-family:'([^']+)'", html)))


def test_each_page_carries_the_fonts_its_text_needs_and_every_character_has_a_glyph_in_them(site: Path) -> None:
    from briefings.render.fonts import families_for

    assert families_for("An English page: “it said” – 2 October 2023, £6m.") == (BASE,)  # the English pages are as before
    assert families_for("Zażółć gęślą jaźń") == (BASE, "Atkinson Hyperlegible Extended")
    assert families_for("یہ صفحہ اردو میں ہے۔") == (BASE, "Scheherazade New")
    # Slovak: ž from the Latin Extended faces, ĺ (which they lack) from Atkinson Hyperlegible Next's.
    assert families_for("Dĺžka kĺbu") == (BASE, "Atkinson Hyperlegible Extended", "Atkinson Hyperlegible Next")
    for lang in ("", *LANGS):  # each page's language links name Éñğļîšh and پسيودو: every page needs those families
        assert set(inlined_families(page(site, lang, "survivors.html"))) == set(FAMILIES) - {"Atkinson Hyperlegible Next"}
    for path in sorted(site.rglob("*.html")):
        if path.name.endswith("-embed.html"):
            continue  # the fragment uses the host page's fonts (README, Embedding)
        html = path.read_text(encoding="utf-8")
        covered = frozenset().union(*(coverage(family) for family in inlined_families(html)))
        lacking = sorted({c for c in visible_text(html) if ord(c) not in covered})
        assert not lacking, (path, lacking)


def test_the_glyph_check_catches_a_character_the_fonts_lack(tmp_path: Path) -> None:
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    edit(folder / "audiences" / "survivors.yaml", "Help is listed below.", "Help is listed below (dĺžka 漢 ĥ).")
    result = run_cli("check", "--content", str(folder))
    assert result.returncode == 1
    line = next(n for n, text in enumerate((folder / "audiences" / "survivors.yaml").read_text().splitlines(), 1) if "dĺžka" in text)
    assert (f"audiences/survivors.yaml:{line}:15: glyphs: no bundled font has '漢' (U+6F22), 'ĥ' (U+0125), in "
            "\u201c…listed below (dĺžka 漢 ĥ).\u201d") in result.stderr, result.stderr  # Slovak's ĺ and ž are drawn


def test_a_translation_with_a_character_the_fonts_lack_is_not_published(tmp_path: Path) -> None:
    from babel.messages.pofile import write_po

    from briefings.translate.catalog import read_po

    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    edit(folder / "briefing.yaml", "base_url: none", "base_url: none\ntranslations: [en-XA]")
    assert run_cli("translate", "pseudo", "--lang", "en-XA", "--content", str(folder)).returncode == 0
    po = folder / "translations" / "en-XA.po"
    catalog = read_po(po.read_bytes())
    message = next(m for m in catalog if m.context == "audiences/survivors.yaml:title")
    message.string = "Ŵĥåţ ţĥé ŕévîéŵ ƒöûñď"
    with po.open("wb") as handle:
        write_po(handle, catalog)
    result = run_cli("check", "--content", str(folder))
    assert result.returncode == 0
    line = po.read_text(encoding="utf-8").splitlines().index('msgctxt "audiences/survivors.yaml:title"') + 2
    assert "warning: glyphs: 'en-XA' is not published: 1 entries have characters no bundled font has" in result.stderr
    assert (f"en-XA.po:{line}:1: warning: glyphs: audiences/survivors.yaml:title: no bundled font has 'ĥ' (U+0125), "
            "in \u201cŴĥåţ ţĥé ŕévîéŵ ƒöûñď\u201d") in result.stderr, result.stderr
    assert run_cli("check", "--strict", "--content", str(folder)).returncode == 1


def test_the_families_are_tried_in_the_stylesheets_order() -> None:
    from briefings.package_data import TEMPLATES

    css = (TEMPLATES / "briefing.css").read_text(encoding="utf-8")
    stack = re.search(r"font-family: ([^;]+);", css).group(1)
    assert [f.strip("' ") for f in stack.split(",")][: len(FAMILIES)] == list(FAMILIES)


def test_each_page_links_to_its_other_languages_each_in_its_own_language(site: Path) -> None:
    english = page(site, "", "survivors.html")
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)" dir="([^"]+)">([^<]+)</a>', english.split('<nav class="languages"')[1].split("</nav>")[0])
    assert links == [("en-XA/survivors.html", "en-XA", "en-XA", "ltr", "Éñğļîšh (pšéûďö)"), ("ar-XB/survivors.html", "ar-XB", "ar-XB", "rtl", "پسيودو (ar-XB)")]
    rtl = page(site, "ar-XB", "journalists-iframe.html").split('<nav class="languages"')[1].split("</nav>")[0]
    assert '<a href="../journalists-iframe.html" hreflang="en-GB" lang="en-GB" dir="ltr">English (United Kingdom)</a>' in rtl
    for path in [site / "survivors.html", *site.glob("*/*.html")]:
        html = path.read_text(encoding="utf-8")
        if '<nav class="languages"' in html:
            for href in re.findall(r'hreflang="[^"]+"', html) and re.findall(r'<a href="([^"#:]+)" hreflang=', html):
                assert (path.parent / href).resolve().is_file(), (path, href)
    assert "Scheherazade New" in inlined_families(english)  # the Urdu-script name of a language needs its font on an English page too


def test_a_translated_page_says_its_own_words_in_its_language(site: Path) -> None:
    from briefings.translate.pseudo import pseudo

    rtl = page(site, "ar-XB", "survivors.html")
    for words in ("Skip to main content", "Leave this page quickly", "Before you read", "For:", "This page in other languages"):
        assert pseudo(words, "ar-XB") in rtl, words
    assert "Skip to main content" not in rtl and "Leave this page quickly" not in rtl
    accented = page(site, "en-XA", "survivors.html")
    assert pseudo("We have not yet checked these details with the service. Please check them on its website before you rely on them.",
                  "en-XA") in accented
    english = page(site, "", "survivors.html")
    assert ">Skip to main content</a>" in english and "Leave this page quickly</a>" in english
