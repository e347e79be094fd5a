"""Source passages: a republished source's full text is a page of the site, every passage facts.yaml cites is an
anchor in it that holds exactly that passage, and every citation of one in every output leads there (a link, or in a
PDF without a web address, the passage's place printed).

The default content (as the session builds it, published at the test address) and a copy of the minimal fixture that
republishes its source, with passages that nest, cross each other and run over two paragraphs, and one source that may
not be republished but has an address of its own.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pikepdf
import pytest
from conftest import TEST_BASE_URL, edit, outputs, run_cli
from passages import parse, passage_links, words

from briefings.build.builder import Options, build
from briefings.check.publication import check
from briefings.model import PublishedText, paragraphs
from briefings.problems import Problems
from briefings.render.formats import FORMATS, html_formats
from briefings.render.source import place
from briefings.resolve import normalise_quote

PAPER_URL = "https://local-paper.plain-language.org.uk/the-review"
SOURCE_TEXT = (
    "The review looked at 12 cases between 2001 and 2005.\n"
    'It found that "the council did not act on what it knew".\n'
    "\n"
    "The council has since changed how it keeps its\n"
    "\n"
    "records.\n"
    "\n"
    "What happened next\n"
    "\n"
    "The council will report again in 2026.\n"
)
# Facts whose passages cross `cases` ("…2005." / "2005. It found…"), run over two paragraphs, follow a heading,
# and cross a page break ("its / records", one paragraph); the dispute's "looked at 12 cases" nests inside `cases`.
NEW_FACTS = """
  - id: crossing
    statement: The review ends in 2005.
    sources:
      - source: report
        quote: between 2001 and 2005. It found that
        locator: first paragraph
  - id: over-paragraphs
    statement: The council changed how it works.
    sources:
      - source: report
        quote: what it knew". The council has since changed
        locator: first and second paragraphs
  - id: records
    statement: The council changed how it keeps its records.
    sources:
      - source: report
        quote: changed how it keeps its records.
        locator: second paragraph
      - source: paper
        quote: eleven cases
        locator: the report
  - id: next-report
    statement: The council will report again in 2026.
    sources:
      - source: report
        quote: The council will report again in 2026.
        locator: What happened next
"""
QUOTES_OF_FACTS = {
    "cases": "The review looked at 12 cases between 2001 and 2005.",
    "no-action": "the council did not act on what it knew",
    "crossing": "between 2001 and 2005. It found that",
    "over-paragraphs": 'what it knew". The council has since changed',
    "records": "changed how it keeps its records.",
    "next-report": "The council will report again in 2026.",
}


def sourced(folder: Path, base_url: str = "none") -> Path:
    """Make a copy of the minimal fixture republish its source (text above), cite every passage, and give `paper` an address."""
    (folder / "sources" / "report.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    edit(folder / "sources.yaml", "    text: sources/report.txt\n",
         "    text: sources/report.txt\n    republish: true\n    headings: [What happened next]\n")
    edit(folder / "sources.yaml", "    date: June 2024\n", f"    date: June 2024\n    url: {PAPER_URL}\n")
    edit(folder / "facts.yaml", "disputes:", NEW_FACTS.lstrip("\n") + "disputes:")
    edit(folder / "briefing.yaml", "base_url: none", f"base_url: {base_url}")
    journalists = folder / "audiences" / "journalists.yaml"
    journalists.write_text(journalists.read_text(encoding="utf-8")
                           + "      - paragraph: What else the review says.\n        facts: [crossing, over-paragraphs, records, next-report]\n",
                           encoding="utf-8")
    return folder


def build_html(content: Path, out: Path) -> None:
    result = build(Options(content, out, jobs=1, formats=html_formats()))
    assert result.ok, [str(p) for p in result.problems.sorted()] + result.failures


def by_id(document: ET.Element) -> dict[str, ET.Element]:
    return {e.get("id"): e for e in document.iter() if e.get("id")}


@functools.lru_cache(maxsize=8)
def _ids_of(page: Path, mtime_ns: int) -> dict[str, ET.Element]:
    """A source page's elements by id, parsed once for every page that links to it (while the file is unchanged)."""
    return by_id(parse(page))


def check_links_resolve(page: Path, site: Path) -> int:
    """Each passage link of `page` leads to an element of its source page whose words are exactly the quote it follows."""
    links = passage_links(page)
    for href, text, quote in links:
        address, _, anchor = href.partition("#")
        if address.startswith(TEST_BASE_URL):
            target = site / address[len(TEST_BASE_URL):]
        else:
            assert "://" not in address, href
            target = site / posixpath.normpath(posixpath.join(page.relative_to(site).parent.as_posix(), address))
        assert target.is_file(), f"{page.name}: {href} leads to no page"
        ids = _ids_of(target, target.stat().st_mtime_ns)
        assert anchor in ids, f"{page.name}: {href}: no such anchor"
        assert words(ids[anchor]) == quote, f"{page.name}: {href} holds {words(ids[anchor])!r}, not the quote {quote!r}"
        number = re.search(r"Passage (\d+)", text)
        assert number and f"Passage {number.group(1)}" in words(ids[f"note-{anchor}"]), f"{href}: the link's number is its note's"
    return len(links)


def cited_from_republished(content: Path) -> dict[str, int]:
    """How many citations of a republished source's passage each audience's fact table, dispute tables and quote blocks show."""
    (item,) = check(content, Problems())
    pub = item.pub
    counts = {}
    for b in pub.briefings:
        kinds = {block.kind for s in b.sections for block in s.blocks}
        facts = sum(1 for f in b.cited for ev in pub.facts[f]["sources"] if ev["source"] in pub.published) if "fact_table" in kinds else 0
        disputes = sum(1 for d in pub.disputes for a in d["accounts"] if a["source"] in pub.published) if "disputes" in kinds else 0
        quotes = sum(1 for s in b.sections for block in s.blocks if block.kind == "quote" and block.value["source"] in pub.published)
        counts[b.audience] = facts + disputes + quotes
    return counts


@pytest.fixture(scope="module")
def sourced_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sourced copy of minimal (no web address), built: HTML formats only."""
    import shutil

    from conftest import FIXTURES

    folder = tmp_path_factory.mktemp("sourced") / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    sourced(folder)
    out = folder.parent / "site"
    build_html(folder, out)
    return folder, out


# --- laying out the text -------------------------------------------------------------------


def test_paragraphs_end_at_blank_lines_but_not_in_the_middle_of_a_sentence() -> None:
    text = "A heading\n\nIt covered the\n\nyears. Then\nmore.\n\n  Last one.  \n"
    assert [text[s:e] for s, e in paragraphs(text)] == ["A heading", "It covered the\n\nyears. Then\nmore.", "Last one."]


def test_of_crossing_passages_the_one_crossing_most_goes_to_its_note() -> None:
    from briefings.model import Passage

    text = "one two three four five six seven"
    a, b, c = Passage("p-a", "s", 1, 0, 13, ("fa",)), Passage("p-b", "s", 2, 8, 23, ("fb",)), Passage("p-c", "s", 3, 18, 33, ("fc",))
    nested = Passage("p-d", "s", 4, 14, 18, ("fd",))  # "four": inside b, beside a and c
    inline, apart = place(PublishedText("s", ((0, len(text), False),), (a, b, nested, c)))
    assert apart == {"p-b": "overlap"}, "b crosses a and c; a and c then stand apart"
    assert inline == [a, nested, c]


# --- the page, the manifest, the index and the report ----------------------------------


def test_the_source_page_is_an_output_of_its_own_in_the_manifest_index_and_report(sourced_site: tuple[Path, Path]) -> None:
    _, out = sourced_site
    assert FORMATS["source"].per == "source"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (briefing,) = manifest["briefings"]
    assert briefing["sources"] == [{"id": "report", "title": "Test review summary"}], "only the source marked republish"
    (page,) = outputs(manifest, "source")
    assert page["path"] == "minimal/sources/report.html" and page["source"] == "report" and page["audience"] is None
    assert (out / page["path"]).read_bytes().startswith(b"<!DOCTYPE html>")
    assert not (out / "minimal" / "sources" / "paper.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="minimal/sources/report.html" data-format="source"' in index and "Source: Test review summary" in index
    assert 'href="minimal/sources/report.html"' in (out / "report.html").read_text(encoding="utf-8")


def test_the_page_is_the_whole_text_with_its_licence_headings_and_paragraphs(sourced_site: tuple[Path, Path]) -> None:
    _, out = sourced_site
    document = parse(out / "minimal" / "sources" / "report.html")
    main = document.find(".//main")
    text = main.find(".//section[@class='full-text']")
    shown = [kid for kid in text if kid.tag in ("p", "h3")]
    assert [(kid.tag, words(kid)) for kid in shown] == [
        ("p", normalise_quote(SOURCE_TEXT.split("\n\n")[0])),
        ("p", "The council has since changed how it keeps its records."),  # the page break is not a paragraph
        ("h3", "What happened next"),
        ("p", "The council will report again in 2026."),
    ]
    details = words(main.find(".//dl"))
    assert "Open Government Licence v3.0" in details and "© Test 2024" in details
    assert "Test review summary, Test Review Office, May 2024 (© Test 2024, Open Government Licence v3.0)" in words(document.find(".//footer"))


def test_every_citation_link_leads_to_an_anchor_holding_exactly_its_passage(sourced_site: tuple[Path, Path]) -> None:
    folder, out = sourced_site
    expected = cited_from_republished(folder)
    assert expected["journalists"] == len(QUOTES_OF_FACTS) + 2  # and the dispute's account, and the quote block
    for page in sorted((out / "minimal").glob("*.html")):
        found = check_links_resolve(page, out)
        audience = re.sub(r"-(iframe|embed)$", "", page.stem)
        if page.name.endswith(("-embed.html",)):
            assert found == 0, "an embed without a web address prints where the passage is"
        else:
            assert found == expected[audience], f"{page.name}: {found} passage links for {expected[audience]} citations"


def test_overlapping_passages_each_have_an_anchor_holding_exactly_them(sourced_site: tuple[Path, Path]) -> None:
    _, out = sourced_site
    document = parse(out / "minimal" / "sources" / "report.html")
    ids = by_id(document)
    anchors = {words(e): e for e in document.iter() if (e.get("id") or "").startswith("p-")}
    for quote in [*QUOTES_OF_FACTS.values(), "looked at 12 cases"]:
        assert normalise_quote(quote) in anchors, f"no anchor holds exactly {quote!r}"
    elements = [e for e in document.iter() if (e.get("id") or "").startswith("p-")]
    assert len(elements) == len({e.get("id") for e in elements}) == len(anchors) == 7, "one anchor per passage, its id its own"
    nested = anchors["looked at 12 cases"]
    assert nested in list(anchors[QUOTES_OF_FACTS["cases"]].iter()), "a passage inside another is an element inside it"
    # The one that crosses another, and the one over two paragraphs, are shown whole in their notes; their words in the
    # text are not repeated there but marked, to be outlined with them.
    for fact in ("crossing", "over-paragraphs"):
        anchor = anchors[normalise_quote(QUOTES_OF_FACTS[fact])]
        assert anchor.tag == "q" and anchor in list(ids[f"note-{anchor.get('id')}"].iter())
        marked = [e for e in document.iter() if f"shares-{anchor.get('id')}" in e.get("class", "").split()]
        assert "".join("".join(words(e) for e in marked).split()) == "".join(QUOTES_OF_FACTS[fact].split())
        assert f"#{anchor.get('id')}:target" in (document.find(".//style").text or "")
    text = " ".join(words(kid) for kid in document.find(".//section[@class='full-text']") if kid.tag in ("p", "h3"))
    assert text.count("between 2001 and 2005") == 1 and text.count("The council has since changed") == 1, "the text says it once"


def test_each_passage_says_which_facts_cite_it_and_links_back_to_where_they_are_used(sourced_site: tuple[Path, Path]) -> None:
    folder, out = sourced_site
    (item,) = check(folder, Problems())
    document = parse(out / "minimal" / "sources" / "report.html")
    journalists = by_id(parse(out / "minimal" / "journalists.html"))
    for passage in item.pub.published["report"].passages:
        note = by_id(document)[f"note-{passage.id}"]
        for fact in passage.facts:
            assert normalise_quote(item.pub.facts[fact]["statement"]) in words(note)
            hrefs = [a.get("href") for a in note.iter("a")]
            assert f"../journalists.html#fact-{fact}" in hrefs, f"passage {passage.number}: no link back to {fact}"
            assert f"fact-{fact}" in journalists
        for dispute in passage.disputes:
            assert f"../journalists.html#dispute-{dispute}" in [a.get("href") for a in note.iter("a")]
            assert f"dispute-{dispute}" in journalists
        for audience in passage.quotes:  # a quote block's passage leads back to the block
            assert audience == "journalists" and "Quoted word for word" in words(note)
            assert f"../journalists.html#quote-{passage.id}" in [a.get("href") for a in note.iter("a")]
            assert journalists[f"quote-{passage.id}"].tag == "figure"
    assert any(p.quotes for p in item.pub.published["report"].passages), "the fixture's quote block has its passage"


def test_a_source_that_may_not_be_republished_links_to_its_own_address_never_a_placeholder(minimal: Path, tmp_path: Path) -> None:
    sourced(minimal)
    build_html(minimal, tmp_path / "site")
    page = (tmp_path / "site" / "minimal" / "journalists.html").read_text(encoding="utf-8")
    assert page.count(f'<a class="source-link" href="{PAPER_URL}">') == 3, "its evidence, its account of a dispute, the list of sources"
    edit(minimal / "sources.yaml", PAPER_URL, "https://www.example.org/the-review")
    build_html(minimal, tmp_path / "again")
    page = (tmp_path / "again" / "minimal" / "journalists.html").read_text(encoding="utf-8")
    assert 'class="source-link" href="https://www.example.org' not in page and "www.example.org/the-review" not in page


def test_republish_needs_a_text_and_a_licence_and_headings_must_be_in_the_text(minimal: Path) -> None:
    edit(minimal / "sources.yaml", "    date: June 2024\n", "    date: June 2024\n    republish: true\n")
    edit(minimal / "sources.yaml", "    text: sources/report.txt\n", "    text: sources/report.txt\n    republish: true\n    headings: [Findings]\n")
    done = run_cli("check", "--content", str(minimal))
    assert done.returncode == 1
    assert re.search(r"sources\.yaml:\d+:\d+: source 'paper' is marked republish but has no text", done.stderr)
    assert re.search(r"sources\.yaml:\d+:\d+: heading 'Findings' is not a paragraph of its own in sources/report\.txt", done.stderr)
    edit(minimal / "sources.yaml", "    licence: Open Government Licence v3.0\n", "")
    assert "source 'report' is marked republish but names no licence" in run_cli("check", "--content", str(minimal)).stderr


def test_words_in_another_language_carry_it_and_notes_of_ours_stand_apart_from_the_text(minimal: Path, tmp_path: Path) -> None:
    """WCAG 3.1.2: a stretch in another language says so, wherever it falls, even across a passage's edge; a note on the
    text is after its paragraph and says it is not part of it; the passages keep exactly their words."""
    sourced(minimal)
    edit(minimal / "sources.yaml", "    headings: [What happened next]\n",
         "    headings: [What happened next]\n    languages:\n      - text: 12 cases between\n        lang: fr\n"
         "    editor_notes:\n      - text: keeps its records.\n        note: A page ends in the middle of this sentence.\n")
    build_html(minimal, tmp_path / "site")
    document = parse(tmp_path / "site" / "minimal" / "sources" / "report.html")
    marked = [e for e in document.iter() if e.get("lang") == "fr"]
    assert len(marked) >= 2, "cut where the passage 'looked at 12 cases' ends (and where a passage shown apart starts)"
    assert normalise_quote("".join("".join(e.itertext()) for e in marked)) == "12 cases between"
    anchors = {words(e) for e in document.iter() if (e.get("id") or "").startswith("p-")}
    assert {normalise_quote(q) for q in [*QUOTES_OF_FACTS.values(), "looked at 12 cases"]} <= anchors
    text = document.find(".//section[@class='full-text']")
    kids = [kid for kid in text if kid.tag == "p"]
    (note,) = [kid for kid in kids if kid.get("class") == "editor-note"]
    assert words(note) == "A note from this site, not part of the text: A page ends in the middle of this sentence."
    assert words(kids[kids.index(note) - 1]) == "The council has since changed how it keeps its records."
    assert "its note comes after the paragraph and says that it is not part of the text" in words(document.find(".//main"))
    edit(minimal / "sources.yaml", "      - text: 12 cases between\n", "      - text: 12 case\n")
    done = run_cli("check", "--content", str(minimal))
    assert done.returncode == 1
    assert re.search(r"sources\.yaml:\d+:\d+: '12 case' is not in sources/report\.txt as whole words", done.stderr), done.stderr


def test_a_passage_quoted_twice_in_one_briefing_is_refused_at_the_second_quote(minimal: Path) -> None:
    """The passage's note links to the quote block; with two blocks of the same words there would be two such ids."""
    sourced(minimal)
    block = ("      - quote:\n          text: the council did not act on what it knew\n"
             "          speaker: tro\n          source: report\n          date: May 2024\n")
    edit(minimal / "audiences" / "journalists.yaml", "      - paragraph: See the", block + "      - paragraph: See the")
    done = run_cli("check", "--content", str(minimal))
    assert done.returncode == 1
    second = (minimal / "audiences" / "journalists.yaml").read_text(encoding="utf-8").split("\n").index(
        "          text: the council did not act on what it knew", 13) + 1
    assert f"journalists.yaml:{second}:" in done.stderr and "this passage is quoted twice in this briefing" in done.stderr


def test_the_page_is_rebuilt_when_any_audience_changes(minimal: Path, tmp_path: Path) -> None:
    """It links back to every audience's page: an edit to one audience's file rebuilds it too."""
    sourced(minimal)
    out = tmp_path / "site"
    build_html(minimal, out)
    (minimal / "audiences" / "survivors.yaml").write_text(
        (minimal / "audiences" / "survivors.yaml").read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    result = build(Options(minimal, out, jobs=1, formats=html_formats()))
    assert "minimal/sources/report.html" in result.stats()["built_paths"]
    assert "minimal/journalists.html" not in result.stats()["built_paths"]


# --- PDFs and the embed ------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """The PDF's text in the order it was written (WeasyPrint writes it in the HTML's order), table cells whole."""
    return subprocess.run(["pdftotext", "-raw", "-nopgbrk", str(path), "-"], capture_output=True, text=True, check=True).stdout


def link_uris(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]


def test_without_a_web_address_pdfs_and_embeds_print_where_each_passage_is(minimal: Path, tmp_path: Path) -> None:
    sourced(minimal)  # base_url: none, as the shipped content
    out = tmp_path / "site"
    result = build(Options(minimal, out, jobs=1, formats=("html", "pdf", "large-print", "embed", "source")))
    assert result.ok, [str(p) for p in result.problems.sorted()] + result.failures
    (item,) = check(minimal, Problems())
    passages = {p.id: p for p in item.pub.published["report"].passages}
    printed = [f"Full text, passage {p.number}: sources/report.html#{p.id}" for p in passages.values() if p.facts or p.disputes]
    for name in ("journalists.pdf", "journalists-large-print.pdf"):
        text = "".join(pdf_text(out / "minimal" / name).split())  # the place may wrap at its slashes and hyphens
        for location in printed:
            assert "".join(location.split()) in text, f"{name} does not print {location!r}"
        assert not [uri for uri in link_uris(out / "minimal" / name) if "sources/" in uri], "a PDF cannot link to a site page"
    embed = (out / "minimal" / "journalists-embed.html").read_text(encoding="utf-8")
    assert "passage-link" not in embed and 'sources/<wbr>report.html<wbr><span class="fragment">#p-' in embed


def test_with_a_web_address_pdfs_link_to_each_passage(built_site: Path, built_content: Path, manifest: dict) -> None:
    """The default content, published at the test address: each citation in a PDF is a link to its passage's address."""
    (item,) = check(built_content, Problems())
    source = next(iter(item.pub.published))
    page = f"{TEST_BASE_URL}operation-amazon/sources/{source}.html"
    ids = {p.id for p in item.pub.published[source].passages}
    for fmt in ("pdf", "large-print"):
        (journalists,) = [o for o in outputs(manifest, fmt) if o["audience"] == "journalists"]
        every = set(link_uris(built_site / journalists["path"]))  # a set: a link over two lines is two annotations
        assert page in every, "the list of sources links to the full text"
        uris = {u for u in every if "/sources/" in u and "#" in u}
        cited = {urljoin(f"{TEST_BASE_URL}operation-amazon/journalists.html", href)
                 for href, _, _ in passage_links(built_site / "operation-amazon" / "journalists.html")}
        assert uris == cited and len(cited) > 50, f"{fmt}: a link to each passage the page cites, at its address"
        assert all(u.startswith(page + "#") and u.split("#")[1] in ids for u in uris)
        assert "Full text, passage" not in pdf_text(built_site / journalists["path"])


def test_every_citation_link_of_the_default_content_leads_to_its_passage(built_site: Path, built_content: Path, manifest: dict) -> None:
    (source_page,) = outputs(manifest, "source")
    assert source_page["path"] == "operation-amazon/sources/iopc-operation-amazon-2025.html"
    expected = cited_from_republished(built_content)
    assert expected["journalists"] > 60 and expected["councillors"] > 5 and expected["survivors"] == 1  # the apology's quote block
    for page in sorted((built_site / "operation-amazon").glob("*.html")):
        found = check_links_resolve(page, built_site)
        audience = re.sub(r"-(iframe|embed)$", "", page.stem)
        assert found == expected[audience], f"{page.name}: {found} passage links for {expected[audience]} citations"
