"""The site index lists every output with its real size and each audience's reading level, accessibly."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import open_page, serve, shared_browser

from briefings.render.index import file_size

LABELS = {"html": "web page", "pdf": "PDF", "large-print": "large print PDF", "handout": "handout to print (PDF)",
          "embed": "HTML to paste into your site", "iframe": "page for an iframe", "source": "full text of the source (web page)"}


class _Index(HTMLParser):
    """Collect the links (href, text), headings in order, and table header cells with their scope."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.headings: list[int] = []
        self.th_scopes: list[str | None] = []
        self.captions = 0
        self.html_lang = ""
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang") or ""
        elif tag == "a":
            self._href, self._text = a.get("href"), []
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "th":
            self.th_scopes.append(a.get("scope"))
        elif tag == "caption":
            self.captions += 1

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


@pytest.fixture(scope="module")
def index(built_site: Path) -> _Index:
    parser = _Index()
    parser.feed((built_site / "index.html").read_text(encoding="utf-8"))
    return parser


def test_index_lists_every_output_with_its_size(index: _Index, manifest: dict, built_site: Path) -> None:
    listed = {href: text for href, text in index.links if not href.startswith("#") and href != "report.html"}
    expected = [o for b in manifest["briefings"] for o in b["outputs"]]
    assert len(expected) == 25 and set(listed) == {o["path"] for o in expected}
    # Each audience by its own short name, as the content says it ("Easy Read", not "Easy read").
    names = {a["id"]: a["name"] for b in manifest["briefings"] for a in b["audiences"]}
    assert names == {"survivors": "Survivors", "journalists": "Journalists", "councillors": "Councillors", "easy-read": "Easy Read"}
    for o in expected:
        size = file_size((built_site / o["path"]).stat().st_size)
        if o["audience"] is None:  # the full text of a source: a row of its own
            assert o["format"] == "source" and listed[o["path"]] == f"Full text of the source (web page), {size}"
        else:
            assert listed[o["path"]] == f"{names[o['audience']]} — {LABELS[o['format']]}, {size}"


def test_index_shows_each_audiences_reading_level(manifest: dict, built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    for o in manifest["briefings"][0]["outputs"]:
        if o["audience"] is None:  # a source's own words are not scored
            assert o["readability"] == {} and "Not measured: the source’s own words" in html
            continue
        grade = o["readability"]["flesch_kincaid_grade"]
        ease = o["readability"]["flesch_reading_ease"]
        assert f"Flesch-Kincaid grade {grade:.1f}; reading ease {ease:.0f}" in html


def test_index_structure(index: _Index, built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and index.html_lang == "en-GB"
    assert re.search(r"<title>[^<]+</title>", html)
    assert index.links[0] == ("#main", "Skip to main content") and '<main id="main">' in html
    assert index.headings[0] == 1 and index.headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(index.headings, index.headings[1:], strict=False)), index.headings
    assert index.captions >= 1 and index.th_scopes and all(scope in ("col", "row") for scope in index.th_scopes)
    assert "<script" not in html and "Content-Security-Policy" in html


@pytest.mark.parametrize(("size", "text"), [(0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (219_000, "214 KB"),
                                            (1024 * 1024 - 1, "1024 KB"), (1_363_149, "1.3 MB")])
def test_file_size(size: int, text: str) -> None:
    assert file_size(size) == text


@pytest.mark.browser
def test_index_offers_embed_fragments_as_downloads_not_pages(built_site: Path, manifest: dict) -> None:
    """A fragment is code to paste, not a page (no title, no lang): the index downloads it, and says so."""
    fragments = [o["path"] for b in manifest["briefings"] for o in b["outputs"] if o["format"] == "embed"]
    assert len(fragments) == 4
    with serve(built_site) as base:  # over http, as published: a file:// page is no origin to download from
        index_url = base + "index.html"
        loaded = open_page(shared_browser(), index_url)
        try:
            _download_each(loaded.page, index_url, fragments)
        finally:
            loaded.close()
    assert (built_site / fragments[0]).read_text(encoding="utf-8").startswith("<section"), "the file stays a bare fragment"


def _download_each(page: object, index_url: str, fragments: list[str]) -> None:
    for path in fragments:
        link = page.locator(f"a[href='{path}']")
        assert link.get_attribute("download") is not None, f"{path} would open as a page"
        assert "downloads the file" in link.locator("xpath=..").inner_text(), "the link says it downloads"
        with page.expect_download(timeout=5000) as download:
            link.click()
        assert download.value.suggested_filename == Path(path).name
        assert page.url == index_url
