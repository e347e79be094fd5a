"""Every PDF holds its HTML whole: one list, table and link for each that the HTML prints, with the
same sizes and names; and its text is the HTML's words, none broken at the end of a line.

The HTML of each PDF (the page's, with its links to the source pages at their web address; the
large print's; the handout's) is rendered again as the build does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import html5lib
import pikepdf
import pytest
from pdf_inspect import link_contents, list_numbering, list_sizes, stranded_words, structure_elements, table_sizes, text_lines

AUDIENCES = ["survivors", "journalists", "councillors", "easy-read"]
FORMATS = {"pdf": ".pdf", "large-print": "-large-print.pdf", "handout": "-handout.pdf"}
# Not printed: briefing.css hides these with display: none in @media print.
HIDDEN_IN_PRINT = frozenset({"skip-link", "contents", "quick-exit"})
WORD = re.compile(r"[^\W_]+")


@dataclass
class Outline:
    """What the HTML prints, in document order: its lists, tables, links and words."""

    lists: list[tuple[str, int]] = field(default_factory=list)  # (ul/ol/dl, items; a dl's item is a term with its definitions)
    tables: list[int] = field(default_factory=list)  # rows
    links: list[str] = field(default_factory=list)  # accessible names
    mains: int = 0  # WeasyPrint tags <main> as Part
    words: set[str] = field(default_factory=set)  # case-folded


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _dl_items(dl: ET.Element) -> int:
    """Count the terms of a <dl> with their definitions: each run of dt (in <div> groups or not) starts one."""
    tags = [kid.tag for group in dl for kid in ([group] if group.tag in ("dt", "dd") else list(group)) if kid.tag in ("dt", "dd")]
    return sum(1 for i, tag in enumerate(tags) if tag == "dt" and (i == 0 or tags[i - 1] != "dt")) + (
        1 if tags and tags[0] == "dd" else 0
    )


def _visit(element: ET.Element, outline: Outline) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in ("head", "script", "style", "template") or "hidden" in element.attrib:
        return
    if HIDDEN_IN_PRINT & set(element.get("class", "").split()):
        return
    if tag in ("ul", "ol"):
        outline.lists.append((tag, len([kid for kid in element if kid.tag == "li"])))
    elif tag == "dl":
        outline.lists.append((tag, _dl_items(element)))
    elif tag == "table":
        outline.tables.append(len([row for row in element.iter("tr")]))
    elif tag == "main":
        outline.mains += 1
    elif tag == "a" and element.get("href"):
        images = " ".join(img.get("alt", "") for img in element.iter("img"))
        outline.links.append(" ".join((element.get("aria-label") or "").split()) or _text(element) or images)
    outline.words.update(word.casefold() for word in WORD.findall(element.text or ""))
    for kid in element:
        _visit(kid, outline)
        outline.words.update(word.casefold() for word in WORD.findall(kid.tail or ""))


def html_outline(html: str) -> Outline:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    outline = Outline()
    _visit(document.find("body"), outline)
    return outline


@pytest.fixture(scope="module")
def sources(built_site: Path, built_content: Path) -> dict[Path, str]:
    """Each PDF of the default build with the HTML it was rendered from."""
    from briefings.check.publication import check
    from briefings.problems import Problems
    from briefings.render.environment import make_environment
    from briefings.render.handout import render_handout_html
    from briefings.render.html import render_pdf_page
    from briefings.render.large_print import render_large_print_html

    (item,) = check(built_content, Problems())  # the content the site was built from
    env = make_environment()
    found: dict[Path, str] = {}
    for briefing in item.pub.briefings:
        folder = built_site / item.pub.slug
        page = (folder / f"{briefing.audience}.html").read_text(encoding="utf-8")
        (version,) = re.findall(r'<meta name="keywords" content="[^"]*content version ([^"]+)">', page)
        found[folder / f"{briefing.audience}.pdf"] = render_pdf_page(env, item.pub, briefing, version)
        found[folder / f"{briefing.audience}-large-print.pdf"] = render_large_print_html(env, item.pub, briefing, version)
        found[folder / f"{briefing.audience}-handout.pdf"] = render_handout_html(env, item.pub, briefing, version)
    assert sorted(found) == sorted(built_site.rglob("*.pdf"))
    return found


def test_each_html_list_is_one_pdf_list_of_as_many_items(sources: dict[Path, str]) -> None:
    for path, html in sources.items():
        outline = html_outline(html)
        with pikepdf.open(path) as pdf:
            assert list_sizes(pdf) == [items for _, items in outline.lists], path.name
            numbering = list_numbering(pdf)
        for (kind, _), value in zip(outline.lists, numbering, strict=True):
            expected = {"ol": {"/Decimal"}, "ul": {"/Disc", "/Circle", "/Square", "/None"}, "dl": {None}}[kind]
            assert value in expected, f"{path.name}: a <{kind}> has /ListNumbering {value}"


def test_main_is_one_part_not_one_per_page(sources: dict[Path, str]) -> None:
    for path, html in sources.items():
        with pikepdf.open(path) as pdf:
            parts = [node for node in structure_elements(pdf) if node.type == "Part"]
        assert len(parts) == html_outline(html).mains == 1, f"{path.name}: {len(parts)} Part elements"


def test_each_html_table_is_one_pdf_table_of_as_many_rows(sources: dict[Path, str]) -> None:
    for path, html in sources.items():
        with pikepdf.open(path) as pdf:
            assert table_sizes(pdf) == html_outline(html).tables, path.name


def test_each_link_is_one_pdf_link_named_as_in_the_html(sources: dict[Path, str]) -> None:
    for path, html in sources.items():
        names = html_outline(html).links
        with pikepdf.open(path) as pdf:
            contents = link_contents(pdf)
        assert len(contents) == len(names), f"{path.name}: {len(contents)} Link elements for {len(names)} links"
        for name, found in zip(names, contents, strict=True):
            assert found and all(c == name for c in found), f"{path.name}: {found} for link {name!r}"


def _pdf_pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_every_word_in_each_pdf_is_a_word_of_its_html(sources: dict[Path, str]) -> None:
    """A word broken at the end of a line ("I" / "OPC", or hyphenated) prints as pieces the HTML lacks.

    Words are read line by line (pdftotext's own reading would join "unpub-" and "lished" again).
    """
    for path, html in sources.items():
        outline = html_outline(html)
        pages = text_lines(path)
        # Besides the HTML's words: page numbers ("Page 3 of 9") and the numbers of numbered lists.
        numbers = range(1, max(len(pages), *(n for _, n in outline.lists), 1) + 1)
        known = outline.words | {"page", "of"} | {str(n) for n in numbers}
        words = {word for lines in pages for line in lines for text in line.words for word in WORD.findall(text)}
        unknown = sorted(word for word in words if word.casefold() not in known)
        assert not unknown, f"{path.name}: words not in the HTML: {unknown}"


TEL_LINK = re.compile(r'<a href="tel:[^"]*"[^>]*>([^<]+)</a>')


def test_no_phone_number_is_split_over_two_lines(sources: dict[Path, str]) -> None:
    """A number is dialled as one: "0800" at the end of a line and "1111" on the next reads as two numbers."""
    split = {}
    for path, html in sources.items():
        numbers = set(TEL_LINK.findall(html))
        lines = [" ".join(line.words) for page in text_lines(path) for line in page]
        whole = " ".join(lines)
        found = [n for n in sorted(numbers) if whole.count(n) != sum(line.count(n) for line in lines) or n not in whole]
        if found:
            split[path.name] = found
    assert not split, f"phone numbers over two lines: {split}"
    assert sum(bool(TEL_LINK.search(html)) for html in sources.values()) >= 8  # each audience's support, in each format


ADDRESS_LINK = re.compile(r'<a href="(?:https?://|mailto:)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
PICTURE_CREDIT = re.compile(r'<p class="picture-credit">(.*?)</p>', re.DOTALL)


def test_no_address_or_licence_is_broken_at_a_hyphen(sources: dict[Path, str]) -> None:
    """ "https://briefings-" at the end of a printed line and "tests.plain-language.org.uk/…" on the next: whoever types
    it in cannot tell the hyphen is the address's own, not one the line break added (briefings.render.environment.address).
    Nor can a reader of "CC BY-" / "SA 4.0" in the Easy Read's picture credit (unbroken_hyphens)."""
    broken, hyphenated = {}, 0
    for path, html in sources.items():
        kept = [unescape(re.sub(r"<[^>]+>", "", shown)) for shown in ADDRESS_LINK.findall(html) + PICTURE_CREDIT.findall(html)]
        hyphenated += sum("-" in shown for shown in kept)
        lines = [line.words for page in text_lines(path) for line in page]
        found = [f"{words[-1]} / {after[0]}" for words, after in zip(lines, lines[1:], strict=False)
                 if words and after and words[-1].endswith("-") and any(words[-1] + after[0] in shown for shown in kept)]
        if found:
            broken[path.name] = found
    assert not broken, f"broken after a hyphen: {broken}"
    assert hyphenated >= 12, "every PDF prints its canonical address, TEST_BASE_URL has hyphens"
    assert any("BY-SA" in credit for html in sources.values() for credit in PICTURE_CREDIT.findall(html))


def test_no_short_word_is_left_alone_on_a_line(sources: dict[Path, str]) -> None:
    """WeasyPrint 70 could leave "A" alone on a line, its sentence below (briefings.render.weasyprint_fixes)."""
    problems = {path.name: found for path in sources if (found := stranded_words(path))}
    assert not problems, problems
