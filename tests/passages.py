"""Reading a page's links to source passages, for the source-page tests (unit: the anchors; browser: reaching them)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib

from briefings.resolve import normalise_quote


def parse(path: Path) -> ET.Element:
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def words(element: ET.Element) -> str:
    return normalise_quote("".join(element.itertext()))


def _is_passage_link(element: ET.Element) -> bool:
    return element.tag == "a" and "passage-link" in element.get("class", "").split()


def passage_links(page: Path) -> list[tuple[str, str, str]]:
    """Every link to a source page's passage in one page: (href, the link's text, the words of the quote it cites).

    A link follows its quotation (`<q>…</q> <a class="passage-link">`), or is in a quote block's caption, under the
    quotation (`<figure id="…quote-p-…"><blockquote>…</blockquote><figcaption>… <a>`), and then the block's id is the
    passage's, which the source page's note links back to (prefixed in an embed).
    """
    found = []
    document = parse(page)
    for figure in document.iter("figure"):
        caption, blockquote = figure.find("figcaption"), figure.find("blockquote")
        for kid in caption.iter("a") if caption is not None else ():
            if _is_passage_link(kid):
                assert blockquote is not None, f"{page.name}: a quote block's passage link with no quotation: {kid.get('href')}"
                assert (figure.get("id") or "").endswith("quote-" + kid.get("href").partition("#")[2]), "the block's id is its passage's"
                found.append((kid.get("href"), words(kid), words(blockquote)))
    for parent in document.iter():
        if parent.tag == "figcaption":
            continue
        kids = list(parent)
        for i, kid in enumerate(kids):
            if _is_passage_link(kid):
                quote = kids[i - 1] if i and kids[i - 1].tag == "q" else None
                assert quote is not None, f"{page.name}: a passage link that follows no quotation: {kid.get('href')}"
                found.append((kid.get("href"), words(kid), words(quote)))
    return found
