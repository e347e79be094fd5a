"""Accessibility proved with the tools auditors use, on every output the default build makes.

axe-core (WCAG 2.0/2.1/2.2 A and AA) and HTML_CodeSniffer (WCAG2AA) in Debian's Chromium, the
Nu HTML checker, keyboard order and focus (never hidden under the sticky quick exit), headings
and table captions, reflow at 320 CSS px and 200% zoom (tables too), motion; page-validation
(PDF/UA-1) and our own structure checks on every PDF; reading order; the survivors' quick exit.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from browser import (
    QUICK_EXIT_URL,
    LoadedPage,
    describe_htmlcs,
    describe_violations,
    describe_vnu,
    open_page,
    page_visits,
    pdf_blank_pages,
    press_walk,
    route_quick_exit,
    run_axe,
    run_htmlcs,
    screenshot,
    serve,
    shared_browser,
    vnu_errors,
)
from pdf_inspect import structure_outline, structure_problems, untagged_marked_content

pytestmark = pytest.mark.browser
# vnu 26.9's CSS checker predates container queries (CSS Containment 3, in every browser since
# 2023); the embed narrows with the host's column through one. Only these two messages are ignored.
VNU_CSS_GAPS = (r"“container-type”: Property “container-type” doesn.t exist", r"Unrecognized at-rule “@container”")


def site_files(built_site: Path, suffix: str) -> list[Path]:
    return sorted(p for p in built_site.rglob(f"*{suffix}") if not p.name.startswith("."))


@pytest.fixture(scope="module")
def html_files(built_site: Path, care_home_site: Path) -> list[Path]:
    """Every whole HTML page the build writes, for the default content and for a publication with audiences of its own
    (embed fragments are checked inside a host page)."""
    files = [p for site in (built_site, care_home_site) for p in site_files(site, ".html") if not p.name.endswith("-embed.html")]
    # Each site's index and build report are pages like the others (axe, HTML_CodeSniffer and the Nu checker check them here).
    assert {p.relative_to(p.parents[1]) for p in files if p.parent in (built_site, care_home_site)} == {
        Path(site.name, page) for site in (built_site, care_home_site) for page in ("index.html", "report.html")}
    # The full text of each source a briefing republishes is a page like the others (the IOPC summary; the care home's report).
    assert {p.relative_to(p.parents[2]).as_posix() for p in files if p.parent.name == "sources"} == {
        "operation-amazon/sources/iopc-operation-amazon-2025.html", "care-home/sources/inspection.html"}
    return files


@pytest.fixture(scope="module")
def embed_hosts(built_site: Path, care_home_site: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Each embed fragment pasted into a minimal, valid host page, as a site would use it."""
    folder = tmp_path_factory.mktemp("hosts")
    hosts = []
    for fragment in [f for site in (built_site, care_home_site) for f in site_files(site, "-embed.html")]:
        host = folder / fragment.name.replace("-embed", "-host")
        host.write_text(
            '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Host page</title></head>'
            f"<body><main><h1>Host page</h1>{fragment.read_text(encoding='utf-8')}</main></body></html>",
            encoding="utf-8",
        )
        hosts.append(host)
    assert len(hosts) >= 3
    return hosts


@pytest.fixture(scope="module")
def pdf_files(built_site: Path, care_home_site: Path) -> list[Path]:
    files = site_files(built_site, ".pdf") + site_files(care_home_site, ".pdf")
    assert len(files) >= 3
    return files


@pytest.fixture(scope="module")
def opened():  # noqa: ANN201 - yields the opening function
    """Open a page once per module and window, for the tests that only look at it (the walks and clicks open their own).

    The tests that share a page are in one xdist group (LOOK), so that they run on one worker.
    """
    pages: dict[tuple, object] = {}

    def open_once(path: Path, width: int = 1280, height: int = 800) -> object:
        if (path, width, height) not in pages:
            pages[path, width, height] = open_page(shared_browser(), path.as_uri(), width=width, height=height)
        return pages[path, width, height]

    yield open_once
    for loaded in pages.values():
        loaded.close()


LOOK = pytest.mark.xdist_group("look-at-each-page")


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# --- HTML ---------------------------------------------------------------------------------


@LOOK
def test_axe_finds_no_wcag_violations(html_files: list[Path], opened) -> None:  # noqa: ANN001
    failures = {}
    for path in html_files:
        loaded = opened(path)
        violations = run_axe(loaded.page)
        if violations:
            failures[path.name] = describe_violations(violations)
        assert not loaded.blocked_requests, f"{path.name} asked for {loaded.blocked_requests}"
        assert not loaded.console_errors, f"{path.name}: {loaded.console_errors}"
    assert not failures, "\n".join(f"{k}:\n{v}" for k, v in failures.items())


# HTML_CodeSniffer warnings that are not faults here, by code, each with the reason. (None so far:
# every warning it gave on these pages was fixed, not listed.)
HTMLCS_FALSE_POSITIVES: dict[str, str] = {
    # Text hidden from sight for screen readers (report.html's "Sentence starts:" around a marked
    # sentence) is clipped to 1 px: HTML_CodeSniffer cannot find the background of absolutely
    # positioned text, so it asks for a contrast check of text nobody sees.
    "G18.Abs": "visually hidden text, clipped to 1 px",
}


def _visually_hidden(message: dict) -> bool:
    """Whether a message is about an element hidden from sight for screen readers."""
    return 'class="visually-hidden"' in message["html"]


def _decorative_picture(message: dict) -> bool:
    """Whether a message is about an Easy Read picture its writer marked decorative (alt: "" in the content)."""
    return message["html"].startswith('<img class="easy-picture" alt=""')  # alt comes first: the message cuts the long src short


# HTML_CodeSniffer warnings that ask a person to confirm something the content already decided, by code: when the
# message is about what the predicate names, it is not a fault.
HTMLCS_CONFIRMED = {
    # "Img element is marked so that it is ignored by Assistive Technology": an Easy Read picture is decorative
    # only where the writer said so (alt: ""), because the words beside it say it all (docs/editorial-guide.md, "Easy Read").
    "H67.2": _decorative_picture,
}


@LOOK
def test_html_codesniffer_finds_no_errors_or_warnings(html_files: list[Path], embed_hosts: list[Path], opened) -> None:  # noqa: ANN001
    """HTML_CodeSniffer (WCAG2AA) in the same Chromium as axe: no errors, and no warnings except those listed above."""
    failures = {}
    for path in [*html_files, *embed_hosts]:
        found = [m for m in run_htmlcs(opened(path).page, "WCAG2AA")
                 if m["type"] == "error" or not (any(m["code"].endswith(code) and _visually_hidden(m) for code in HTMLCS_FALSE_POSITIVES)
                                                 or any(m["code"].endswith(code) and confirmed(m) for code, confirmed in HTMLCS_CONFIRMED.items()))]
        if found:
            failures[path.name] = describe_htmlcs(found)
    assert not failures, "\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_nu_html_checker_reports_no_errors(html_files: list[Path], embed_hosts: list[Path]) -> None:
    errors = vnu_errors([*html_files, *embed_hosts], css=True, ignore=VNU_CSS_GAPS)
    assert not errors, describe_vnu(errors)


def _links_in_order(path: Path) -> list[str]:
    """Every link's href in document order, as the HTML says (hidden elements excluded by the browser test)."""

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a" and dict(attrs).get("href"):
                self.found.append(dict(attrs)["href"] or "")

    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


# The focused link's href and how its focus is drawn (null when focus is on no element of the page).
FOCUS_STYLE = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {href: e.getAttribute('href'), outline: s.outlineStyle + ' ' + s.outlineWidth, bg: s.backgroundColor, shadow: s.boxShadow}; }"""
# The forward walk at 1280 x 900 serves two tests (tab order and visible focus; focus never hidden): both run on one worker.
FORWARD_WALK = pytest.mark.xdist_group("forward-walk-1280x900")


@FORWARD_WALK
def test_keyboard_reaches_every_link_in_order_with_visible_focus(built_site: Path, tab_walks) -> None:  # noqa: ANN001
    for path in site_files(built_site / "operation-amazon", ".html"):
        expected = _links_in_order(path)
        reached: list[str] = []
        # Five presses more than there are links: whatever else takes focus must show it too.
        for info in tab_walks(path, 1280, 900, "Tab"):
            if info is None:
                break
            reached.append(info["href"])
            visible = info["outline"].split()[0] != "none" and info["outline"].split()[1] != "0px"
            assert visible or info["shadow"] != "none", f"{path.name}: no visible focus on {info['href']}"
        assert reached[: len(expected)] == expected, f"{path.name}: tab order differs from reading order"


SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


# The phone numbers laid out over more than one line (a number is dialled as one: "0800" / "1111" reads as two).
SPLIT_PHONES = """() => [...document.querySelectorAll('a[href^="tel:"]')]
  .filter(a => new Set([...a.getClientRects()].map(r => Math.round(r.top))).size > 1).map(a => a.textContent)"""


@LOOK
def test_reflows_without_horizontal_scrolling_at_320px(html_files: list[Path], opened) -> None:  # noqa: ANN001
    phones = 0
    for path in html_files:
        page = opened(path, width=320).page
        overflow = page.evaluate(SIDEWAYS)
        assert overflow <= 0, f"{path.name} scrolls sideways by {overflow}px at 320px"
        assert page.evaluate(SPLIT_PHONES) == [], f"{path.name}: phone numbers over two lines at 320px"
        phones += page.evaluate("document.querySelectorAll('a[href^=\"tel:\"]').length")
    assert phones >= 20


def test_reflows_without_horizontal_scrolling_at_200_percent_zoom(html_files: list[Path]) -> None:
    with page_visits(shared_browser(), width=640, height=800, device_scale_factor=2) as visit:
        for path in html_files:
            overflow = visit(path.as_uri()).page.evaluate(SIDEWAYS)
            assert overflow <= 0, f"{path.name} scrolls sideways by {overflow}px at 640px, zoomed to 200%"


# Each caption's words, grouped into the lines they were laid out on; and for each table whether
# its column headers are inside the window, and whether each cell shows its column's header.
TABLE_LAYOUT = """() => [...document.querySelectorAll('table')].map(table => {
  const lines = {};
  const caption = table.querySelector('caption');
  if (caption) {
    const walker = document.createTreeWalker(caption, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const r = range.getClientRects()[0];
        if (r) (lines[Math.round(r.top)] ||= []).push(match[0]);
      }
    }
  }
  const width = document.documentElement.clientWidth;
  const columns = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const offscreen = [...table.querySelectorAll('thead th')].filter(th => {
    const r = th.getBoundingClientRect(); return r.left < 0 || r.right > width + 0.5; }).map(th => th.textContent.trim());
  const unlabelled = [];
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, i) => {
      const label = [...cell.querySelectorAll('.cell-label')].find(l => l.getBoundingClientRect().width > 0);
      const r = label && label.getBoundingClientRect();
      if (!label || label.textContent.trim() !== columns[i] || r.left < 0 || r.right > width + 0.5) unlabelled.push(columns[i]);
    });
  }
  return {caption: caption ? caption.textContent.trim() : '', lines: Object.values(lines), offscreen, unlabelled: [...new Set(unlabelled)]};
})"""


@LOOK
def test_tables_reflow_at_320px(html_files: list[Path], embed_hosts: list[Path], opened) -> None:  # noqa: ANN001
    failures = []
    for path in [*html_files, *embed_hosts]:
        for table in opened(path, width=320).page.evaluate(TABLE_LAYOUT):
            name = f"{path.name}: {table['caption'][:50]!r}"
            if len(table["lines"]) > 1 and any(len(words) == 1 for words in table["lines"]):
                failures.append(f"{name}: a caption line of one word: {[' '.join(w) for w in table['lines']]}")
            if table["offscreen"]:
                failures.append(f"{name}: column headers outside the window: {table['offscreen']}")
            if table["unlabelled"]:
                failures.append(f"{name}: cells that do not show their column's header: {table['unlabelled']}")
    assert not failures, "\n".join(failures)


@LOOK
@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_no_motion(html_files: list[Path], opened, motion: str) -> None:  # noqa: ANN001
    for path in html_files:
        page = opened(path).page
        page.emulate_media(reduced_motion=motion)
        try:
            animations = page.evaluate("document.getAnimations().length")
            smooth = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
        finally:
            page.emulate_media(reduced_motion="null")  # as opened, for the tests after this one
        assert animations == 0 and smooth != "smooth", path.name


@LOOK
def test_pages_are_not_blank_when_looked_at(html_files: list[Path], opened, tmp_path: Path) -> None:  # noqa: ANN001
    from PIL import Image

    for path in html_files:
        shot = screenshot(opened(path).page, tmp_path / f"{path.stem}.png", full_page=False)
        with Image.open(shot) as image:
            colours = image.convert("L").getcolors(maxcolors=256 * 256)
        assert colours and len(colours) > 20, f"{path.name} looks blank"


# --- PDF ----------------------------------------------------------------------------------


def test_page_validation_pdf_ua_1(pdf_files: list[Path]) -> None:
    import page

    failures = {}
    for path in pdf_files:
        report = page.validate_pdf_bytes(path.read_bytes(), profile=page.ValidationProfile.PDF_UA_1)
        if not report.is_compliant:
            failures[path.name] = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert not failures, failures


def test_every_marked_content_item_is_tagged_or_an_artifact(pdf_files: list[Path]) -> None:
    for path in pdf_files:
        with pikepdf.open(path) as pdf:
            assert untagged_marked_content(pdf) == [], path.name
            assert structure_problems(pdf) == [], path.name


def test_headings_nest_without_skips(pdf_files: list[Path]) -> None:
    for path in pdf_files:
        with pikepdf.open(path) as pdf:
            levels = [int(t[-1]) for _, t in structure_outline(pdf) if re.fullmatch(r"/?H[1-6]", t)]
        assert levels and levels[0] == 1, path.name
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{path.name}: H{before} then H{after}"


def test_pdf_first_pages_are_not_blank(pdf_files: list[Path]) -> None:
    for path in pdf_files:
        assert pdf_blank_pages(path) == [], path.name


def _headings(path: Path) -> list[str]:
    html = path.read_text(encoding="utf-8")
    main = html[html.index("<main") :]
    main = re.sub(r"<nav\b.*?</nav>", "", main, flags=re.S)  # the Contents is not printed
    found = re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", main, flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()) for _, text in found]  # as the PDF's text has it


def test_pdf_reading_order_follows_the_html(built_site: Path) -> None:
    for html_path in site_files(built_site / "operation-amazon", ".html"):
        pdf_path = html_path.with_suffix(".pdf")
        if not pdf_path.exists():
            continue
        text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(text.split())
        position = 0
        for heading in _headings(html_path):
            found = text.find(heading, position)
            assert found >= 0, f"{pdf_path.name}: heading {heading!r} missing or out of order"
            position = found + len(heading)


class _Structure(HTMLParser):
    """Headings in document order, and each table's caption and header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables: list[dict] = []
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables.append({"caption": "", "columns": [], "rows": []})
        elif tag in ("caption", "th") and self.tables:
            self._in, self._text = (tag if tag == "caption" else f"th-{dict(attrs).get('scope')}"), []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag in ("caption", "th"):
            text = " ".join("".join(self._text).split())
            table = self.tables[-1]
            if self._in == "caption":
                table["caption"] = text
            else:
                table["columns" if self._in == "th-col" else "rows"].append(text)
            self._in = None


def _structure(path: Path) -> _Structure:
    parser = _Structure()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_h1_comes_first(html_files: list[Path]) -> None:
    for path in html_files:
        headings = _structure(path).headings
        assert headings and headings[0] == 1 and headings.count(1) == 1, f"{path.name}: headings start {headings[:3]}"


def test_every_table_has_a_caption_and_headers_of_its_own(html_files: list[Path], built_site: Path) -> None:
    fragments = site_files(built_site, "-embed.html")
    for path in [*html_files, *fragments]:
        tables = _structure(path).tables
        for table in tables:
            assert table["caption"], f"{path.name}: a table without a caption (headers {table['columns']})"
            assert len(set(table["columns"])) == len(table["columns"]), f"{path.name}: {table['caption']}: repeated column headers"
            assert len(set(table["rows"])) == len(table["rows"]), f"{path.name}: {table['caption']}: repeated row headers"
        captions = [table["caption"] for table in tables]
        assert len(set(captions)) == len(captions), f"{path.name}: two tables with one caption: {captions}"


# --- Focus not obscured (WCAG 2.4.11) ------------------------------------------------------

# The focused element's boxes, each sampled at its centre and just inside its corners: every
# point must show the element itself (or something inside it), not the sticky quick-exit bar or
# anything else drawn over it, and lie inside the window.
FOCUS_HIDDEN = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const problems = [];
  for (const r of [...e.getClientRects()].filter(r => r.width > 0 && r.height > 0)) {
    const inset = Math.min(2, r.width / 2, r.height / 2);
    const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + inset, r.top + inset], [r.right - inset, r.top + inset],
                    [r.left + inset, r.bottom - inset], [r.right - inset, r.bottom - inset]];
    for (const [x, y] of points) {
      const hit = document.elementFromPoint(x, y);
      if (!hit || (hit !== e && !e.contains(hit))) {
        problems.push(`(${Math.round(x)}, ${Math.round(y)}) shows ${hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '') : 'nothing'}`);
      }
    }
  }
  return {what: e.getAttribute('href') || e.tagName, problems: [...new Set(problems)]};
}"""
SIZES = [(1280, 900), (320, 256)]


def _briefing_pages(built_site: Path) -> list[Path]:
    """Every whole page of a briefing (the standalone pages and the iframe pages)."""
    return [p for p in site_files(built_site / "operation-amazon", ".html") if not p.name.endswith("-embed.html")]


# The focused element's href, how its focus is drawn, and what of it is hidden (null when focus is on no element).
WALK_PROBE = f"""() => {{ const hidden = ({FOCUS_HIDDEN})(); return hidden && Object.assign(hidden, ({FOCUS_STYLE})()); }}"""


@pytest.fixture(scope="module")
def tab_walks():  # noqa: ANN201 - yields the walk function
    """Walk a page with the real keyboard, once per page, window size and direction, and return what each stop showed.

    Forwards: five presses more than the page has links (what follows them must show focus too; presses after
    focus has left the page may go unseen). Backwards: from the last link, one press per link before it.
    """
    walks: dict[tuple, list] = {}
    with contextlib.ExitStack() as windows:
        visitors: dict[tuple[int, int], Callable[[str], LoadedPage]] = {}

        def walk(path: Path, width: int, height: int, key: str) -> list:
            if (path, width, height, key) not in walks:
                if (width, height) not in visitors:
                    visitors[width, height] = windows.enter_context(page_visits(shared_browser(), width=width, height=height))
                page = visitors[width, height](path.as_uri()).page
                links = len(_links_in_order(path))
                if key == "Shift+Tab":  # start from the last link, at the foot of the page
                    page.evaluate("[...document.querySelectorAll('a[href]')].pop().focus()")
                    walks[path, width, height, key] = press_walk(page, WALK_PROBE, links - 1, key=key)
                else:
                    walks[path, width, height, key] = press_walk(page, WALK_PROBE, links + 5, every_press=False)
            return walks[path, width, height, key]

        yield walk


@pytest.mark.parametrize(("key", "width", "height"), [
    pytest.param(key, width, height, id=f"{way}-{width}x{height}", marks=FORWARD_WALK if (key, width) == ("Tab", 1280) else ())
    for key, way in (("Tab", "forward"), ("Shift+Tab", "reverse")) for width, height in SIZES])
def test_focus_is_never_hidden_under_the_quick_exit(
    built_site: Path, embed_hosts: list[Path], tab_walks, width: int, height: int, key: str  # noqa: ANN001
) -> None:
    failures = []
    # The pages, and the fragment with a quick exit pasted into a host page (its bar sticks in the host's window).
    with_exit = [host for host in embed_hosts if 'class="quick-exit"' in host.read_text(encoding="utf-8")]
    assert with_exit
    for path in [*_briefing_pages(built_site), *with_exit]:
        stops = len(_links_in_order(path)) - (key == "Shift+Tab")  # backwards, the walk starts on the last link
        walked = tab_walks(path, width, height, key)[:stops]
        assert len(walked) == stops and None not in walked, f"{path.name}: focus left the page early"
        for info in walked:
            if info["problems"]:
                failures.append(f"{path.name} {info['what']}: {'; '.join(info['problems'][:3])}")
    assert not failures, f"{len(failures)} focus stops partly or wholly hidden:\n" + "\n".join(failures[:40])


# Run when Enter on a contents link is released: where the link's heading is, and whether the quick-exit bar
# (if any) covers it; then focus the next contents link, for the next Enter.
FOLLOW_CONTENTS_LINK = """() => {
  const links = [...document.querySelectorAll('nav.contents a')];
  const at = window.__contentsAt = (window.__contentsAt ?? -1) + 1;
  const target = links[at].getAttribute('href');
  const heading = document.querySelector(`${target} h2, ${target} h3`);
  const r = heading.getClientRects()[0];
  const hit = document.elementFromPoint(r.left + Math.min(4, r.width / 2), r.top + r.height / 2);
  const bar = document.querySelector('.quick-exit');
  const barBottom = bar ? bar.getBoundingClientRect().bottom : 0;
  if (at + 1 < links.length) links[at + 1].focus();
  return {target, visible: !!hit && (hit === heading || heading.contains(hit)), top: r.top, barBottom};
}"""


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_contents_links_show_their_heading_below_the_quick_exit(built_site: Path, width: int, height: int) -> None:
    failures, followed = [], 0
    with page_visits(shared_browser(), width=width, height=height) as visit:
        for path in _briefing_pages(built_site):
            page = visit(path.as_uri()).page
            links = page.evaluate("() => { const links = document.querySelectorAll('nav.contents a'); links[0]?.focus(); return links.length; }")
            followed += links  # a source page has no contents list
            for shown in press_walk(page, FOLLOW_CONTENTS_LINK, links, key="Enter"):
                if not shown["visible"] or shown["top"] < shown["barBottom"] - 0.5:
                    failures.append(f"{path.name} {shown['target']}: heading at {shown['top']:.0f}px, bar ends at {shown['barBottom']:.0f}px")
    assert followed, "no contents links on any page"
    assert not failures, "\n".join(failures)


def test_the_quick_exit_bar_is_small_on_a_small_screen(survivors: Path) -> None:
    for width, height in ((320, 256), (1280, 900), (640, 400)):
        loaded = open_page(shared_browser(), survivors.as_uri(), width=width, height=height)
        try:
            bar = loaded.page.evaluate("document.querySelector('.quick-exit').getBoundingClientRect().height")
            assert bar <= height / 4, f"the quick-exit bar takes {bar:.0f}px of a {width}x{height} window"
            # The first Tab shows the skip link, in the window and clear of the quick exit it would otherwise cover.
            loaded.page.keyboard.press("Tab")
            skip, leave = loaded.page.evaluate("""() => [document.activeElement, document.querySelector('#quick-exit-link')]
              .map(e => { const r = e.getBoundingClientRect(); return {cls: e.className, top: r.top, bottom: r.bottom, left: r.left, right: r.right}; })""")
            assert skip["cls"] == "skip-link" and 0 <= skip["top"] and skip["bottom"] <= height, (width, height, skip)
            apart = skip["top"] >= leave["bottom"] or skip["bottom"] <= leave["top"] or skip["left"] >= leave["right"] or skip["right"] <= leave["left"]
            assert apart, f"at {width}x{height} the focused skip link covers the quick exit: {skip} over {leave}"
            # It stays at the top when the page scrolls, and the root leaves room for it when it scrolls to a target.
            loaded.page.evaluate("window.scrollTo(0, 2000)")
            top = loaded.page.evaluate("document.querySelector('.quick-exit').getBoundingClientRect().top")
            padding = loaded.page.evaluate("parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop)")
            assert top == 0 and padding >= bar, (width, height, top, padding, bar)
        finally:
            loaded.close()


# --- Quick exit -----------------------------------------------------------------------------


@pytest.fixture()
def survivors(built_site: Path) -> Path:
    return built_site / "operation-amazon" / "survivors.html"


def test_quick_exit_works_without_javascript(survivors: Path) -> None:
    loaded = open_page(shared_browser(), survivors.as_uri(), java_script_enabled=False)
    try:
        link = loaded.page.locator("#quick-exit-link")
        assert link.is_visible()
        assert link.get_attribute("href") == QUICK_EXIT_URL and link.get_attribute("target") == "_top"
        assert "does not clear your browser history" in loaded.page.inner_text("#quick-exit-note")
        box = link.bounding_box()
        assert box and box["y"] < 100, "the exit is at the top of the page"
    finally:
        loaded.close()


def test_shift_three_times_leaves_and_is_announced(survivors: Path) -> None:
    loaded = open_page(shared_browser(), survivors.as_uri())
    page = loaded.page
    try:
        assert page.get_attribute("#quick-exit-status", "role") == "status"
        page.context.unroute("**/*")
        # 204 No Content leaves the page in place, so the announcement can be read.
        page.context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=204))
        for _ in range(3):
            page.keyboard.press("Shift")
        page.wait_for_function("document.getElementById('quick-exit-status').textContent.length > 0")
        assert page.text_content("#quick-exit-status") == "Leaving this page."
    finally:
        loaded.close()
    loaded = open_page(shared_browser(), survivors.as_uri())
    page = loaded.page
    seen: list[str] = []
    try:
        page.context.unroute("**/*")
        route_quick_exit(page.context, seen)
        page.keyboard.press("Shift")
        page.keyboard.press("Shift")
        assert page.url == survivors.as_uri(), "two presses do nothing"
        with page.expect_navigation():
            page.keyboard.press("Shift")
        assert page.url.startswith(QUICK_EXIT_URL)
    finally:
        loaded.close()


def test_quick_exit_in_an_iframe_leaves_the_top_window(built_site: Path, tmp_path: Path) -> None:
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    with serve(built_site) as briefing_base:
        frame_url = briefing_base + "operation-amazon/survivors.html"
        (host_dir / "index.html").write_text(
            f'<!DOCTYPE html><html lang="en"><title>Host</title><h1>Host</h1><iframe title="Briefing" src="{frame_url}" '
            'width="800" height="600"></iframe></html>',
            encoding="utf-8",
        )
        # Different ports are different origins: the frame is cross-origin, as on a real host site.
        with serve(host_dir) as host_base:
            for how in ("keys", "click"):
                loaded = open_page(shared_browser(), host_base + "index.html")
                page = loaded.page
                seen: list[str] = []
                try:
                    page.context.unroute("**/*")
                    route_quick_exit(page.context, seen)
                    frame = page.frame_locator("iframe")
                    frame.locator("h1").click()
                    with page.expect_navigation():
                        if how == "keys":
                            for _ in range(3):
                                page.keyboard.press("Shift")
                        else:
                            frame.locator("#quick-exit-link").click()
                    assert page.url.startswith(QUICK_EXIT_URL), how
                finally:
                    loaded.close()
