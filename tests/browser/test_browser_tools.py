"""browser.py really runs axe-core, vnu and pdftoppm, and each of them can fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import (
    UNUSED_CHROMIUM_FEATURES,
    VNU_PAGED_MEDIA_CSS,
    axe_violations,
    browser_command_line,
    describe_violations,
    describe_vnu,
    drop_messages,
    missing_tools,
    open_page,
    page_visits,
    pdf_blank_pages,
    press_walk,
    run_axe,
    screenshot,
    serve,
    shared_browser,
    vnu_errors,
)
from PIL import Image
from weasyprint import HTML

pytestmark = pytest.mark.browser

GOOD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Good page</title></head>
<body><main><h1>Good page</h1><p><img src="dot.png" alt="A red dot"></p>
<ul><li>One</li></ul></main></body></html>
"""
# Same page with two known faults: an img without alt, and an li outside any list.
PRINT_CSS = "<style>@page { @top-left { content: string(title) } } h1 { string-set: title content() }</style>"
BAD = GOOD.replace(' alt="A red dot"', "").replace("<ul><li>One</li></ul>", "<div><li>One</li></div>")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    Image.new("RGB", (20, 20), (200, 0, 0)).save(folder / "dot.png")
    (folder / "good.html").write_text(GOOD, encoding="utf-8")
    (folder / "bad.html").write_text(BAD, encoding="utf-8")
    (folder / "print.html").write_text(GOOD.replace("</head>", PRINT_CSS + "</head>"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def browser() -> object:
    return shared_browser()


def test_all_tools_are_installed() -> None:
    assert missing_tools() == []


def test_axe_passes_good_page(browser: object, site: Path) -> None:
    loaded = open_page(browser, (site / "good.html").as_uri())
    violations = run_axe(loaded.page)
    assert violations == [], describe_violations(violations)
    assert loaded.console_errors == [] and loaded.failed_requests == []
    assert loaded.requests == [(site / "good.html").as_uri(), (site / "dot.png").as_uri()]  # from the page's own request on


def test_axe_fails_bad_page(browser: object, site: Path) -> None:
    violations = run_axe(open_page(browser, (site / "bad.html").as_uri()).page)
    assert {v["id"] for v in violations} == {"image-alt", "listitem"}, describe_violations(violations)
    assert "image-alt (critical)" in describe_violations(violations)


def test_axe_one_shot_over_localhost(browser: object, site: Path) -> None:
    with serve(site) as base:
        assert [v["id"] for v in axe_violations(base + "bad.html") if v["id"] == "image-alt"] == ["image-alt"]
        assert axe_violations(base + "good.html") == []


def test_requests_off_the_machine_are_refused_and_recorded(browser: object, site: Path) -> None:
    page = site / "remote.html"
    page.write_text(GOOD.replace("dot.png", "https://example.com/dot.png"), encoding="utf-8")
    loaded = open_page(browser, page.as_uri())
    assert loaded.blocked_requests == ["https://example.com/dot.png"]


def test_screenshot_shows_the_page(browser: object, site: Path, tmp_path: Path) -> None:
    loaded = open_page(browser, (site / "good.html").as_uri(), width=400, height=300)
    shot = screenshot(loaded.page, tmp_path / "shots" / "good.png")
    with Image.open(shot) as image:
        assert image.width == 400
        low, high = image.convert("L").getextrema()
    assert high - low > 100  # text and the red dot on white, not an empty render


@pytest.fixture(scope="module")
def vnu_found(site: Path) -> list[dict]:
    # One JVM start for both pages: vnu takes seconds to boot.
    return vnu_errors([site / "good.html", site / "bad.html", site / "print.html"])


def test_vnu_passes_good_page(vnu_found: list[dict]) -> None:
    errors = [e for e in vnu_found if e["url"].endswith("good.html")]
    assert errors == [], describe_vnu(errors)


def test_vnu_fails_bad_page(vnu_found: list[dict]) -> None:
    errors = [e for e in vnu_found if e["url"].endswith("bad.html")]
    assert len(errors) == 2, describe_vnu(vnu_found)
    text = describe_vnu(errors)
    assert "“alt” attribute" in text and "“li” not allowed" in text


def test_blank_pdf_page_is_found(tmp_path: Path) -> None:
    pdf = tmp_path / "two.pdf"
    HTML(string="<p style='break-after: page'>Some text on page one.</p><p></p>").write_pdf(pdf)
    assert pdf_blank_pages(pdf) == [2]


def test_vnu_paged_media_noise_can_be_filtered(vnu_found: list[dict]) -> None:
    errors = [e for e in vnu_found if e["url"].endswith("print.html")]
    assert len(errors) == 2, describe_vnu(vnu_found)
    assert drop_messages(errors, VNU_PAGED_MEDIA_CSS) == []
    assert len(drop_messages(vnu_found, VNU_PAGED_MEDIA_CSS)) == 2  # bad.html's errors stay


# A sticky bar over the top of the window, and a page script that stops every key event it can.
COVERED = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Covered</title>
<style>body { margin: 0 } .bar { position: fixed; top: 0; left: 0; right: 0; height: 60px; background: #036; z-index: 2 }
#under { position: absolute; top: 20px; left: 10px } #clear { position: absolute; top: 200px; left: 10px }</style></head>
<body><div class="bar"></div><main><h1 style="margin-top: 100px">Covered</h1>
<a id="clear" href="#one">In view</a> <a id="under" href="#two">Under the bar</a> <a href="#three" style="margin-left: 200px">Also in view</a></main>
<script>for (const type of ['keydown', 'keyup']) document.addEventListener(type, (event) => event.stopPropagation(), true);</script>
</body></html>"""


def test_a_tab_walk_sees_every_press_and_finds_focus_hidden_under_a_bar(browser: object, site: Path) -> None:
    from test_accessibility import FOCUS_HIDDEN

    page = site / "covered.html"
    page.write_text(COVERED, encoding="utf-8")
    loaded = open_page(browser, page.as_uri(), width=400, height=300)
    try:
        stops = press_walk(loaded.page, FOCUS_HIDDEN, 3)
        assert [stop["what"] for stop in stops] == ["#one", "#two", "#three"]
        assert [bool(stop["problems"]) for stop in stops] == [False, True, False], stops
        assert "shows div.bar" in stops[1]["problems"][0]
        back = press_walk(loaded.page, FOCUS_HIDDEN, 2, key="Shift+Tab")  # a second walk on the same page starts afresh
        assert [stop["what"] for stop in back] == ["#two", "#one"]
    finally:
        loaded.close()


def test_each_visit_in_one_window_is_a_new_document_with_its_own_records(browser: object, site: Path) -> None:
    """page_visits reuses one page: nothing of one visit may reach the next (scripts, focus, records, an earlier walk)."""
    from test_accessibility import FOCUS_HIDDEN

    covered, remote, noisy = site / "covered.html", site / "remote-visit.html", site / "noisy.html"
    covered.write_text(COVERED, encoding="utf-8")
    remote.write_text(GOOD.replace("dot.png", "https://example.com/dot.png"), encoding="utf-8")
    noisy.write_text(GOOD.replace("</body>", "<script>console.error('noisy page')</script></body>"), encoding="utf-8")
    with page_visits(browser, width=400, height=300) as visit:
        first = visit(noisy.as_uri())
        first.page.evaluate("window.leftBehind = 1")
        assert first.console_errors == ["noisy page"] and first.blocked_requests == []
        second = visit(remote.as_uri())
        assert second.page.evaluate("typeof window.leftBehind") == "undefined", "the last document's script state"
        assert second.blocked_requests == ["https://example.com/dot.png"]
        assert "noisy page" not in second.console_errors, second.console_errors  # its own refusal is all it reports
        assert second.requests[0] == remote.as_uri() and not any("noisy" in url for url in second.requests), second.requests
        assert first.blocked_requests == [] and first.console_errors == ["noisy page"], "each visit keeps its own records"
        # A walk that ran off the end of one page, then a walk on the next visit: it starts at the first link and sees every press.
        press_walk(visit(covered.as_uri()).page, FOCUS_HIDDEN, 6, every_press=False)
        page = visit(covered.as_uri()).page
        again = press_walk(page, FOCUS_HIDDEN, 3)
        assert [stop["what"] for stop in again] == ["#one", "#two", "#three"]
        # The same address with a fragment is loaded afresh, as a reader following a link arrives (not scrolled within
        # the last document, as going to a fragment of the page shown would): the fragment is the target of a new document.
        page.evaluate("window.leftBehind = 1")
        page = visit(covered.as_uri() + "#under").page
        assert page.evaluate("[typeof window.leftBehind, document.querySelector(':target')?.id]") == ["undefined", "under"]


def test_an_enter_walk_follows_each_focused_link_before_its_probe_runs(browser: object, site: Path) -> None:
    page = site / "covered.html"
    page.write_text(COVERED, encoding="utf-8")
    loaded = open_page(browser, page.as_uri(), width=400, height=300)
    # The probe records where the last Enter went, then focuses the next link for the next Enter.
    follow = """() => { const seen = location.hash; const next = document.activeElement.nextElementSibling;
                        if (next) next.focus(); return seen; }"""
    try:
        loaded.page.evaluate("document.querySelector('#clear').focus()")
        assert press_walk(loaded.page, follow, 3, key="Enter") == ["#one", "#two", "#three"]
        with pytest.raises(ValueError, match="not 'Escape'"):
            press_walk(loaded.page, follow, 1, key="Escape")
    finally:
        loaded.close()


def test_chromium_disables_playwrights_features_and_ours_in_one_switch(browser: object, site: Path) -> None:
    """Chromium keeps only its last --disable-features: one switch must name Playwright's list and ours."""
    switches = [a for a in browser_command_line() if a.startswith("--disable-features=")]
    assert len(switches) == 1, switches
    disabled = switches[0].removeprefix("--disable-features=").split(",")
    assert set(UNUSED_CHROMIUM_FEATURES) <= set(disabled)
    assert len(disabled) > len(UNUSED_CHROMIUM_FEATURES) + 5, f"Playwright's own list is gone: {disabled}"
    page = site / "good.html"
    loaded = open_page(browser, page.as_uri())
    try:  # the page opened alone, with no address-bar pop-up beside it
        targets = browser.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
        assert [t["url"] for t in targets if t["type"] != "page"] == [], targets
    finally:
        loaded.close()
