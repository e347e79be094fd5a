"""The survivors' quick exit, in Debian's Chromium: it leaves when it is meant to, and only then.

Shift pressed and released on its own three times leaves; Shift used as a modifier (Shift+Tab to
go back through the links, Shift+Arrow to select text) never counts, on the page and on the
iframe page inside a host on another origin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import QUICK_EXIT_URL, open_page, route_quick_exit, serve, shared_browser
from conftest import readme_iframe_snippet

pytestmark = pytest.mark.browser

# Whether the quick exit has started to leave: it says so (role=status) before it navigates, and a
# page without the status element is the neutral page it went to.
LEAVING = "(() => { const status = document.getElementById('quick-exit-status'); return !status || !!status.textContent; })()"


@pytest.fixture()
def survivors(built_site: Path) -> Path:
    return built_site / "operation-amazon" / "survivors.html"


def shift_with(keyboard: object, key: str, times: int = 3) -> None:
    """Hold Shift, press `key`, release Shift; `times` times over."""
    for _ in range(times):
        keyboard.down("Shift")
        keyboard.press(key)
        keyboard.up("Shift")


def shift_alone(keyboard: object, times: int = 3) -> None:
    for _ in range(times):
        keyboard.down("Shift")
        keyboard.up("Shift")


@pytest.fixture()
def tabbed(survivors: Path):  # noqa: ANN201 - a generator fixture
    """The survivors' page, its quick exit watched, after ten Tabs: (page, quick-exit requests seen, page address)."""
    loaded = open_page(shared_browser(), survivors.as_uri())
    page, seen = loaded.page, []
    try:
        route_quick_exit(page.context, seen)
        for _ in range(10):
            page.keyboard.press("Tab")
        yield page, seen, survivors.as_uri()
    finally:
        loaded.close()


@pytest.mark.parametrize("key", ["Tab", "ArrowDown", "ArrowUp", "ArrowRight"])
def test_shift_as_a_modifier_never_leaves_the_page(tabbed: tuple, key: str) -> None:
    page, seen, address = tabbed
    shift_with(page.keyboard, key, 3)
    assert not page.evaluate(LEAVING), f"Shift+{key} three times started the quick exit"
    # Another Shift+key and a plain key in between: still not three presses of Shift alone.
    shift_alone(page.keyboard, 2)
    page.keyboard.press("Tab")
    shift_alone(page.keyboard, 1)
    assert not page.evaluate(LEAVING), "a key between the presses should start the count again"
    assert page.url == address and seen == []


def test_shift_alone_three_times_leaves_the_page(tabbed: tuple) -> None:
    page, seen, _ = tabbed
    shift_with(page.keyboard, "Tab", 3)  # going back first does not stop the shortcut working after
    with page.expect_navigation():
        shift_alone(page.keyboard, 3)
    assert page.url.startswith(QUICK_EXIT_URL) and seen


@pytest.fixture()
def framed(built_site: Path, tmp_path: Path):  # noqa: ANN201 - a generator fixture
    """A host page on another origin with the survivors' iframe page in a plain iframe: (page, frame, seen)."""
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    with serve(built_site) as site_base, serve(host_dir) as host_base:
        (host_dir / "index.html").write_text(
            '<!DOCTYPE html><html lang="en"><title>Host</title><h1>Host</h1><iframe title="Briefing" '
            f'src="{site_base}operation-amazon/survivors-iframe.html" width="800" height="600"></iframe></html>',
            encoding="utf-8")
        loaded = open_page(shared_browser(), host_base + "index.html")
        seen: list[str] = []
        try:
            route_quick_exit(loaded.page.context, seen)
            frame = loaded.page.frame_locator("iframe")
            frame.locator("h1").click()
            yield loaded.page, loaded.page.frames[1], seen, host_base
        finally:
            loaded.close()


@pytest.mark.parametrize("key", ["Tab", "ArrowDown"])
def test_shift_as_a_modifier_never_leaves_the_iframe_page(framed: tuple, key: str) -> None:
    page, frame, seen, host_base = framed
    for _ in range(10):
        page.keyboard.press("Tab")
    shift_with(page.keyboard, key, 3)
    assert not frame.evaluate(LEAVING), f"Shift+{key} three times started the quick exit in the iframe"
    assert page.url == host_base + "index.html" and seen == []


def test_shift_alone_three_times_leaves_the_iframe_page(framed: tuple) -> None:
    page, _, seen, _ = framed
    for _ in range(10):
        page.keyboard.press("Tab")
    with page.expect_navigation():
        shift_alone(page.keyboard, 3)
    assert page.url.startswith(QUICK_EXIT_URL) and seen


# --- The iframe page on a host that uses the README's snippet ----------------------------------

HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Host news site</title></head>
<body><main><h1>What the watchdog found</h1>
<p>Our report, with the briefing below. See also <a href="#more">more from us</a>, <a href="#top">our other reports</a>
and <a href="#contact">how to reach us</a>.</p>
<div class="briefing-slot">
{snippet}
</div>
<h2 id="more">More from us</h2><p>A host paragraph.</p><p><a href="#top">A host link</a></p></main></body></html>
"""
HOST_EXIT = f"a[href='{QUICK_EXIT_URL}']"  # the host's own copy of the exit link (the frame's is in another document)


@pytest.fixture()
def readme_host(built_site: Path, tmp_path: Path):  # noqa: ANN201 - a generator fixture
    """Serve the site and, on another origin, a host page that pastes the README's iframe snippet; yield a page opener."""
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    opened = []
    with serve(built_site) as site_base, serve(host_dir) as host_base:
        (host_dir / "index.html").write_text(HOST_PAGE.format(snippet=readme_iframe_snippet(site_base)), encoding="utf-8")

        def open_host(width: int = 1280, height: int = 900) -> tuple[object, list[str]]:
            loaded = open_page(shared_browser(), host_base + "index.html", width=width, height=height)
            opened.append(loaded)
            seen: list[str] = []
            route_quick_exit(loaded.page.context, seen)
            page = loaded.page
            page.wait_for_function("parseInt(document.querySelector('iframe').style.height) > 2000")
            page.locator(HOST_EXIT).wait_for(timeout=5000)
            return page, seen

        try:
            yield open_host
        finally:
            for loaded in opened:
                loaded.close()


def test_readme_host_keeps_a_quick_exit_in_view_that_leaves(readme_host) -> None:  # noqa: ANN001
    page, seen = readme_host()
    # Halfway down the briefing: the frame is as tall as its page, so its own bar has scrolled away...
    page.evaluate("(() => { const f = document.querySelector('iframe').getBoundingClientRect();"
                  " window.scrollTo(0, window.scrollY + f.top + f.height / 2); })()")
    own_bar_bottom = page.frames[1].evaluate("document.getElementById('quick-exit').getBoundingClientRect().bottom")
    frame_top = page.evaluate("document.querySelector('iframe').getBoundingClientRect().top")
    assert frame_top + own_bar_bottom < 0, "the frame's own bar should be out of view here"
    # ...and the host's copy is in view at the top of the window, with the frame's words.
    exit_link = page.locator(HOST_EXIT)
    shown = page.evaluate(
        """(selector) => { const a = document.querySelector(selector); const r = a.getBoundingClientRect();
           const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
           return {top: r.top, bottom: r.bottom, onTop: hit === a || a.contains(hit)}; }""",
        HOST_EXIT,
    )
    assert 0 <= shown["top"] and shown["bottom"] <= 900 and shown["onTop"], shown
    assert exit_link.inner_text() == "Leave this page quickly"
    with page.expect_navigation():
        exit_link.click()
    assert page.url.startswith(QUICK_EXIT_URL) and seen


# Whether the host's quick exit has started to leave, seen as it starts, not after a wait: the README's script calls
# location.replace(), which fires the Navigation API's navigate event during the call.
WATCH_LEAVING = """window.__leaving = []; navigation.addEventListener('navigate', (event) => {
  window.__leaving.push(event.destination.url); console.info('leaving for ' + event.destination.url); })"""
FOCUSED = "document.hasFocus() ? document.activeElement.textContent : null"


def test_readme_host_leaves_on_shift_alone_three_times_not_on_shift_tab(readme_host) -> None:  # noqa: ANN001
    page, seen = readme_host()
    host_url = page.url
    page.evaluate(WATCH_LEAVING)
    # From the host's copy of the exit back through the host's three links before the frame, then Shift+ArrowDown there:
    # focus never enters the frame, so every key goes to the host's own script (the README's), not the frame's.
    page.locator(HOST_EXIT).focus()
    shift_with(page.keyboard, "Tab", 3)
    assert page.evaluate(FOCUSED) == "more from us", "the keys did not stay on the host page"
    shift_with(page.keyboard, "ArrowDown", 3)
    assert page.evaluate(FOCUSED) == "more from us", "the keys did not stay on the host page"
    # No waiting: each key returns once the page has handled it, and the script starts to leave inside its handler.
    assert page.evaluate("window.__leaving") == [], "Shift as a modifier started to leave the host page"
    assert page.url == host_url and seen == [], "Shift as a modifier left the host page"
    page.locator("h1").click()
    # The watch sees a real leave, so its silence above means something (it says so on the console, which outlives the page).
    with page.expect_navigation(), page.expect_console_message(lambda m: m.text == f"leaving for {QUICK_EXIT_URL}"):
        shift_alone(page.keyboard, 3)
    assert page.url.startswith(QUICK_EXIT_URL) and seen


# The focused element inside the frame, as boxes in the frame's coordinates.
FRAME_FOCUS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  return {what: e.getAttribute('href') || e.tagName,
          rects: [...e.getClientRects()].filter(r => r.width > 0 && r.height > 0).map(r => [r.left, r.top, r.right, r.bottom])}; }"""
# Each box's centre and corners, seen from the host: the iframe must be what is there, not the host's exit.
HOST_SEES_FRAME = """(rects) => { const f = document.querySelector('iframe').getBoundingClientRect(); const problems = [];
  for (const [left, top, right, bottom] of rects) {
    const inset = Math.min(2, (right - left) / 2, (bottom - top) / 2);
    for (const [x, y] of [[(left + right) / 2, (top + bottom) / 2], [left + inset, top + inset], [right - inset, top + inset],
                          [left + inset, bottom - inset], [right - inset, bottom - inset]]) {
      const hit = document.elementFromPoint(f.left + x, f.top + y);
      if (!hit || hit.tagName !== 'IFRAME') problems.push(`(${Math.round(f.left + x)}, ${Math.round(f.top + y)}) shows ${hit ? hit.outerHTML.slice(0, 40) : 'nothing'}`);
    }
  }
  return problems; }"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (320, 256)], ids=["1280x900", "320x256"])
@pytest.mark.parametrize("key", ["Tab", "Shift+Tab"], ids=["forward", "reverse"])
def test_focus_in_the_frame_is_never_hidden_under_the_hosts_quick_exit(readme_host, width: int, height: int, key: str) -> None:  # noqa: ANN001
    page, _ = readme_host(width, height)
    frame = page.frames[1]
    page.frame_locator("iframe").locator("h1").click()
    stops = frame.evaluate("document.querySelectorAll('a[href]').length")
    # From the first link forwards, or from the last one back (the host scrolls the frame's links into view).
    frame.evaluate("(last) => { const links = [...document.querySelectorAll('a[href]')]; (last ? links.pop() : links[0]).focus(); }",
                   key == "Shift+Tab")
    failures = []
    for stop in range(stops):
        if stop:
            page.keyboard.press(key)
        focused = frame.evaluate(FRAME_FOCUS)
        assert focused is not None, "focus left the frame early"
        problems = page.evaluate(HOST_SEES_FRAME, focused["rects"])
        if problems:
            failures.append(f"{focused['what']}: {'; '.join(problems[:3])}")
    assert not failures, f"{len(failures)} focus stops in the frame partly or wholly hidden:\n" + "\n".join(failures[:30])


# --- Forced colours (Windows High Contrast) ------------------------------------------------------

BOUNDARY = """(link) => { const s = getComputedStyle(link);
  return {width: parseFloat(s.borderTopWidth), style: s.borderTopStyle, colour: s.borderTopColor, underline: s.textDecorationLine}; }"""


def test_quick_exit_keeps_its_boundary_in_forced_colours(built_site: Path, tmp_path: Path, readme_host) -> None:  # noqa: ANN001
    fragment = (built_site / "operation-amazon" / "survivors-embed.html").read_text(encoding="utf-8")
    embed_host = tmp_path / "embed-host.html"
    embed_host.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>'
                          f"<body><main><h1>Host</h1>{fragment}</main></body></html>", encoding="utf-8")
    pages = {name: built_site / "operation-amazon" / name for name in ("survivors.html", "survivors-iframe.html")}
    failures = []
    for name, url in [*((n, p.as_uri()) for n, p in pages.items()), ("embed", embed_host.as_uri()), ("README host", None)]:
        if url is None:
            page, _ = readme_host()
            selector = HOST_EXIT
        else:
            loaded = open_page(shared_browser(), url)
            page, selector = loaded.page, ".quick-exit-link"
        try:
            page.emulate_media(forced_colors="active")
            assert page.evaluate("matchMedia('(forced-colors: active)').matches")
            found = page.eval_on_selector(selector, BOUNDARY)
            if not (found["width"] > 0 and found["style"] not in ("none", "hidden")):
                failures.append(f"{name}: no border round the quick exit in forced colours: {found}")
            if url is not None and "underline" not in found["underline"]:  # the host's inline style cannot say it
                failures.append(f"{name}: the quick exit is not underlined in forced colours: {found}")
        finally:
            if url is not None:
                loaded.close()
    assert not failures, "\n".join(failures)
