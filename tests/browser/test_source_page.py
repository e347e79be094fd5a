"""The source page in Chromium: every citation of the journalists' page reaches an anchor holding exactly its passage,
which is then outlined (not only coloured), in forced colours too, with its note, and in view at 1280 and 320 px.

axe, HTML_CodeSniffer, the Nu checker and reflow at 320 px run on the source page with every other page
(test_accessibility.py: its `html_files` are every page the build writes, the source page included).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browser import open_page, page_visits, shared_browser
from passages import passage_links

from briefings.resolve import normalise_quote

pytestmark = pytest.mark.browser
SOURCE = "operation-amazon/sources/iopc-operation-amazon-2025.html"

# What the browser shows of the element reached and of its note; whether each is in the window.
REACHED = """() => {
  const target = document.querySelector(':target');
  if (!target) return null;
  const note = document.getElementById('note-' + target.id);
  const look = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), background: s.backgroundColor, line: s.textDecorationLine,
            top: r.top, bottom: r.bottom}; };
  return {id: target.id, tag: target.tagName.toLowerCase(), text: target.textContent, target: look(target), note: look(note),
          page: getComputedStyle(document.body).backgroundColor, height: innerHeight,
          shares: [...document.querySelectorAll('.shares-' + target.id)].map(e => getComputedStyle(e).backgroundColor)};
}"""


def citations(page: Path) -> list[tuple[str, str]]:
    """Each passage link of a page with the words of the quotation it cites: (href, the quote's words)."""
    return [(href, quote) for href, _, quote in passage_links(page)]


@pytest.fixture(scope="module")
def journalists(built_site: Path) -> list[tuple[str, str]]:
    found = citations(built_site / "operation-amazon" / "journalists.html")
    assert len(found) > 60
    return found


def reach(page: object, fragment: str) -> dict:
    page.evaluate("(hash) => { location.hash = hash; }", fragment)
    return page.evaluate(REACHED)


def test_every_citation_reaches_its_passage_outlined_with_its_note(built_site: Path, journalists: list[tuple[str, str]]) -> None:
    start = (built_site / "operation-amazon" / "journalists.html").as_uri()
    loaded = open_page(shared_browser(), (built_site / SOURCE).as_uri())
    try:
        for href, quote in journalists:
            assert urljoin(start, href.split("#")[0]) == (built_site / SOURCE).as_uri(), href
            shown = reach(loaded.page, href.split("#")[1])
            assert shown is not None and shown["id"] == href.split("#")[1], f"{href}: nothing is the target"
            assert normalise_quote(shown["text"]) == quote, f"{href} reaches {shown['text']!r}"
            assert shown["target"]["outline"] == "solid" and shown["target"]["width"] >= 3, f"{href}: outlined, not only coloured"
            assert "underline" in shown["target"]["line"]
            assert shown["target"]["background"] != shown["page"]
            assert shown["note"]["outline"] == "solid" and shown["note"]["width"] >= 2, f"{href}: its note is outlined with it"
            if shown["tag"] == "q":  # shown in full in its note, as it overlaps another passage: its words in the text too
                assert shown["shares"] and all(colour == shown["target"]["background"] for colour in shown["shares"])
        assert not loaded.console_errors
    finally:
        loaded.close()


def test_a_passage_shown_in_its_note_is_outlined_in_the_text_only_when_reached(built_site: Path) -> None:
    html = (built_site / SOURCE).read_text(encoding="utf-8")
    apart = re.findall(r'<q class="passage-apart" id="(p-[0-9a-f]+)"', html)
    assert apart, "the default content has passages that cross others"
    loaded = open_page(shared_browser(), (built_site / SOURCE).as_uri())
    try:
        other = re.search(r'<span class="passage" id="(p-[0-9a-f]+)"', html).group(1)
        for ident in apart:
            reach(loaded.page, other)
            still = loaded.page.evaluate("(id) => [...document.querySelectorAll('.shares-' + id)].map(e => getComputedStyle(e).backgroundColor)", ident)
            assert still and all(colour == "rgba(0, 0, 0, 0)" for colour in still), "not marked until it is reached"
            shown = reach(loaded.page, ident)
            assert shown["shares"] and all(colour != "rgba(0, 0, 0, 0)" for colour in shown["shares"])
    finally:
        loaded.close()


@pytest.mark.parametrize(("width", "options"), [(1280, {}), (320, {}), (1280, {"forced_colors": "active"}), (320, {"forced_colors": "active"})],
                         ids=["1280px", "320px", "forced-colours-1280px", "forced-colours-320px"])
def test_a_linked_passage_is_in_view_and_outlined(built_site: Path, journalists: list[tuple[str, str]], width: int, options: dict) -> None:
    """Opened at a passage's address, as a reader following a citation does, the page shows it, outlined, in any mode."""
    with page_visits(shared_browser(), width=width, height=800, **options) as visit:
        for href, _ in journalists[:: max(1, len(journalists) // 6)]:
            page = visit((built_site / SOURCE).as_uri() + "#" + href.split("#")[1]).page
            shown = page.evaluate(REACHED)
            assert shown is not None, href
            assert 0 <= shown["target"]["top"] < shown["height"], f"{href}: the passage is out of view at {width}px"
            assert shown["target"]["outline"] == "solid" and shown["target"]["width"] >= 3
            assert shown["note"]["outline"] == "solid" and shown["note"]["width"] >= 3, f"{href}: its note is outlined"
            if options:  # forced colours: the system's highlight on the passage; the note, whose text the system colours, only outlined
                assert shown["target"]["background"] != "rgb(255, 241, 168)"
                assert shown["note"]["background"].replace(" ", "").endswith(",0)"), f"{href}: a shaded note under forced text colours"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"scrolls sideways by {overflow}px at {width}px"
