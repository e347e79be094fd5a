"""The survivors' quick exit, in Debian's Chromium: it leaves when it is meant to, and only then.

Shift pressed and released on its own three times leaves; Shift used as a modifier (Shift+Tab to
go back through the links, Shift+Arrow to select text) never counts, on the page and on the
iframe page inside a host on another origin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import QUICK_EXIT_URL, open_page, route_quick_exit, serve, shared_browser

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


@pytest.mark.parametrize("key", ["Tab", "ArrowDown", "ArrowUp", "ArrowRight"])
def test_shift_as_a_modifier_never_leaves_the_page(survivors: Path, key: str) -> None:
    loaded = open_page(shared_browser(), survivors.as_uri())
    page, seen = loaded.page, []
    try:
        route_quick_exit(page.context, seen)
        for _ in range(10):
            page.keyboard.press("Tab")
        shift_with(page.keyboard, key, 3)
        assert not page.evaluate(LEAVING), f"Shift+{key} three times started the quick exit"
        # Another Shift+key and a plain key in between: still not three presses of Shift alone.
        shift_alone(page.keyboard, 2)
        page.keyboard.press("Tab")
        shift_alone(page.keyboard, 1)
        assert not page.evaluate(LEAVING), "a key between the presses should start the count again"
        assert page.url == survivors.as_uri() and seen == []
    finally:
        loaded.close()


def test_shift_alone_three_times_leaves_the_page(survivors: Path) -> None:
    loaded = open_page(shared_browser(), survivors.as_uri())
    page, seen = loaded.page, []
    try:
        route_quick_exit(page.context, seen)
        for _ in range(10):
            page.keyboard.press("Tab")
        shift_with(page.keyboard, "Tab", 3)  # going back first does not stop the shortcut working after
        with page.expect_navigation():
            shift_alone(page.keyboard, 3)
        assert page.url.startswith(QUICK_EXIT_URL) and seen
    finally:
        loaded.close()


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
