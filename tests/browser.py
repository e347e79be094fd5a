"""Test helpers that drive real tools: Chromium with axe-core and HTML_CodeSniffer, the Nu HTML checker, poppler.

Nothing here downloads anything: Chromium is Debian's (`apt-get install chromium`),
axe-core, HTML_CodeSniffer and vnu.jar come from `npm ci --ignore-scripts` in the repository root,
and Java and poppler-utils come from apt.  A missing tool raises `ToolMissing`
with the command that installs it, so a CI run without the tools fails loudly
instead of passing vacuously.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTMLCS_JS = ROOT / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# Keep Chromium from phoning home or updating itself: the sandboxed CI has no internet.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)
# Headless Chromium gives every new window (each page a test opens) the address bar's WebUI pop-up,
# in a renderer of its own that costs about four times the CPU of the page under test (0.9 s to
# 0.2 s). No test looks at the address bar.
UNUSED_CHROMIUM_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")
_DISABLE_FEATURES = "--disable-features="
# vnu's CSS checker knows CSS for screens, not CSS Paged Media / GCPM that only WeasyPrint reads.
VNU_PAGED_MEDIA_CSS = (
    r"“string-set”: Property “string-set” doesn't exist",
    r"“content”: “string\(",
    r"“content”: “element\(",
    r"“position”: “running\(",
    r"target-counter\(|target-text\(|leader\(",
)
LOCAL_SCHEMES = ("file", "data", "blob", "about")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


class ToolMissing(RuntimeError):
    """A checker this module drives is not installed."""


def _require_file(path: Path, install: str) -> Path:
    if not path.is_file():
        raise ToolMissing(f"{path} is missing; run `{install}` in {ROOT}")
    return path


def _require_command(name: str, install: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(f"`{name}` is not on PATH; install it with `{install}`")
    return found


def missing_tools() -> list[str]:
    """Return a message for each tool this module needs that is not installed."""
    checks = [
        lambda: _require_command("chromium", "apt-get install chromium"),
        lambda: _require_command("java", "apt-get install default-jre-headless"),
        lambda: _require_command("pdftoppm", "apt-get install poppler-utils"),
        lambda: _require_file(AXE_JS, "npm ci --ignore-scripts"),
        lambda: _require_file(HTMLCS_JS, "npm ci --ignore-scripts"),
        lambda: _require_file(VNU_JAR, "npm ci --ignore-scripts"),
    ]
    problems = []
    for check in checks:
        try:
            check()
        except ToolMissing as error:
            problems.append(str(error))
    return problems


# --- Chromium and axe-core ---------------------------------------------------


def _command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text(encoding="utf-8", errors="replace").split("\0")[:-1]


def _child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def browser_command_line() -> list[str]:
    """The command line of a Chromium this process launched, found through Playwright's driver in /proc ([] if none)."""
    for driver in _child_pids(os.getpid()):
        for child in _child_pids(driver):
            arguments = _command_line(child)
            if arguments and Path(arguments[0]).name.startswith("chromium") and not any(a.startswith("--type=") for a in arguments):
                return arguments
    return []


_playwright_disabled: list[str] = []  # Playwright's own --disable-features switch, read once per process


def _launch(playwright: object) -> object:
    """Launch Chromium with CHROMIUM_ARGS and, added to the features Playwright disables, UNUSED_CHROMIUM_FEATURES.

    Chromium keeps only the last --disable-features it is given, and Playwright passes its own, so
    a second one of ours would silently undo Playwright's. The first launch in a process reads
    Playwright's switch off the browser's command line; from then on it is replaced by one switch
    naming both lists. Where the command line cannot be read (no /proc), Chromium runs with
    Playwright's list alone: slower, no less correct.
    """
    executable = _require_command("chromium", "apt-get install chromium")
    if not _playwright_disabled:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)
        theirs = [a for a in browser_command_line() if a.startswith(_DISABLE_FEATURES)]
        if len(theirs) != 1:
            return browser
        browser.close()
        _playwright_disabled.extend(theirs)
    merged = _playwright_disabled[0] + "," + ",".join(UNUSED_CHROMIUM_FEATURES)
    return playwright.chromium.launch(
        executable_path=executable, args=[*CHROMIUM_ARGS, merged], ignore_default_args=_playwright_disabled, headless=True
    )


@contextmanager
def chromium() -> Iterator[object]:
    """Launch Debian's Chromium headless through Playwright and yield the Browser.

    Playwright's sync API allows one instance per thread: inside a test run use
    `shared_browser()` instead, so that fixtures in different modules never nest.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


_shared: list[object] = []


def shared_browser() -> object:
    """Return one Chromium for the whole process, launched on first use and closed at exit."""
    if not _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            _shared.extend([playwright, _launch(playwright)])
        except Exception:
            playwright.stop()
            raise
        atexit.register(close_shared_browser)
    return _shared[1]


def close_shared_browser() -> None:
    """Close the shared Chromium (safe to call twice; a session fixture may call it early)."""
    if _shared:
        playwright, browser = _shared
        _shared.clear()
        browser.close()
        playwright.stop()


@dataclass
class LoadedPage:
    """A page opened by `open_page`, with the requests it was refused and its console errors."""

    page: object
    context: object = field(repr=False)
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for, from the first

    def close(self) -> None:
        """Close the page's browser context."""
        self.context.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def _new_page(browser: object, width: int, height: int, context_options: dict) -> tuple[object, object]:
    """A page in a context of its own, with the window size and options asked for, that ignores CSP (so axe-core can be injected)."""
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True, **context_options)
    return context.new_page(), context


def _watch(page: object, current: list[LoadedPage]) -> None:
    """Refuse every request off the machine, and record what the page asks for, is refused and reports into current[0]."""

    def only_local(route: object) -> None:
        if _is_local(route.request.url):
            route.continue_()
        else:
            current[0].blocked_requests.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_local)
    page.on("console", lambda msg: msg.type == "error" and current[0].console_errors.append(msg.text))
    page.on("pageerror", lambda error: current[0].console_errors.append(str(error)))
    page.on("requestfailed", lambda request: _is_local(request.url) and current[0].failed_requests.append(request.url))
    page.on("request", lambda request: current[0].requests.append(request.url))


def open_page(browser: object, url: str, *, width: int = 1280, height: int = 800, **context_options: object) -> LoadedPage:
    """Open a file:// or localhost URL in a fresh context; refuse and record any other request.

    Extra keyword arguments go to `Browser.new_context` (e.g. `color_scheme="dark"`,
    `reduced_motion="reduce"`, `device_scale_factor=2`).  The context bypasses CSP so
    that axe-core can be injected into pages with a strict Content-Security-Policy.
    """
    loaded = LoadedPage(*_new_page(browser, width, height, context_options))
    _watch(loaded.page, [loaded])
    loaded.page.goto(url, wait_until="load")
    return loaded


@contextmanager
def page_visits(browser: object, *, width: int = 1280, height: int = 800, **context_options: object) -> Iterator[Callable[[str], LoadedPage]]:
    """Yield `visit(url)`, which loads each URL afresh in one page and returns it as `open_page` would.

    For a test that looks at many pages in the same window, one after another: a new page costs
    Chromium about 0.2 s of CPU (a renderer process and Playwright's set-up of the page), a new
    document in the same page a fraction of that. Each visit first goes to about:blank, so the URL
    (a fragment too) is loaded as a new document, with none of the last one's scripts, focus or
    scroll; its LoadedPage records only its own requests, refusals and console errors. The page is
    the caller's until the next visit: a test that routes, emulates or resizes it opens its own.
    """
    page, context = _new_page(browser, width, height, context_options)
    current = [LoadedPage(page, context)]  # the visit now loaded, whose lists the listeners fill
    _watch(page, current)

    def visit(url: str) -> LoadedPage:
        if page.url != "about:blank":
            page.goto("about:blank")  # what the last document does as it goes is still its own
        current[0] = LoadedPage(page, context)
        page.goto(url, wait_until="load")
        return current[0]

    try:
        yield visit
    finally:
        context.close()


def run_axe(page: object, tags: Iterable[str] = AXE_TAGS, *, include_incomplete: bool = False) -> list[dict]:
    """Run axe-core on the loaded page with only the given WCAG tags and return its violations.

    With include_incomplete, results axe could not decide (e.g. contrast over images) are
    appended too, each with "outcome": "incomplete", so a test can require a human look.
    """
    page.add_script_tag(path=str(_require_file(AXE_JS, "npm ci --ignore-scripts")))
    # axe-core makes a selector for every node of each result type listed here, and for one node of the others: the
    # others are not read, and their selectors would cost more than the rules themselves on a long page.
    kept = ["violations", "incomplete"] if include_incomplete else ["violations"]
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": kept}
    results = page.evaluate("(options) => axe.run(document, options)", options)
    found = [dict(v, outcome="violation") for v in results["violations"]]
    if include_incomplete:
        found += [dict(v, outcome="incomplete") for v in results["incomplete"]]
    return found


def axe_violations(
    url: str, tags: Iterable[str] = AXE_TAGS, *, browser: object | None = None, **page_options: object
) -> list[dict]:
    """Open one URL (in the shared Chromium unless one is given), run axe-core, return the violations."""
    loaded = open_page(browser or shared_browser(), url, **page_options)
    try:
        return run_axe(loaded.page, tags)
    finally:
        loaded.close()


HTMLCS_TYPES = {1: "error", 2: "warning", 3: "notice"}


def run_htmlcs(page: object, standard: str = "WCAG2AA") -> list[dict]:
    """Run HTML_CodeSniffer on the loaded page and return its errors and warnings (notices left out).

    Each is {"type": "error" | "warning", "code", "msg", "html"}, `html` the start of the element's markup.
    """
    page.add_script_tag(path=str(_require_file(HTMLCS_JS, "npm ci --ignore-scripts")))
    messages = page.evaluate(
        """(standard) => new Promise((resolve, reject) => {
          HTMLCS.process(standard, document, () => resolve(HTMLCS.getMessages().filter(m => m.type !== 3).map(m => ({
            type: m.type, code: m.code, msg: m.msg,
            html: m.element && m.element.outerHTML ? m.element.outerHTML.slice(0, 160) : String(m.element)}))), reject);
        })""",
        standard,
    )
    return [dict(m, type=HTMLCS_TYPES[m["type"]]) for m in messages]


def describe_htmlcs(messages: list[dict]) -> str:
    """Format HTML_CodeSniffer messages for an assertion message: type, code, message and element."""
    return "\n".join(f"{m['type']} {m['code']}: {m['msg']}\n    {m['html']}" for m in messages)


def describe_violations(violations: list[dict]) -> str:
    """Format axe results for an assertion message: rule, impact, help and each failing selector."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']} {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def screenshot(page: object, path: Path, *, full_page: bool = True) -> Path:
    """Save a PNG of the page (whole scroll height by default) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a directory on 127.0.0.1 at a free port and yield its base URL ("http://127.0.0.1:N/")."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- Nu HTML checker -----------------------------------------------------------


def vnu_messages(paths: Iterable[Path], *, css: bool = False) -> list[dict]:
    """Run vnu.jar over HTML files (or directories) and return every message it emits.

    Each call starts a JVM (about 3 s), so pass all files of a site in one call. The JVM compiles
    with its quick compiler only (`-XX:TieredStopAtLevel=1`): a check runs for seconds, too short
    for the optimising compiler to repay its work, and on the default site the same messages come
    for less than half the CPU time. Code from the quick compiler takes more stack, so the thread
    stack is 4 MB (the checker asks for at least 512 kB; with the quick compiler 1 MB overflowed).
    """
    java = _require_command("java", "apt-get install default-jre-headless")
    jar = _require_file(VNU_JAR, "npm ci --ignore-scripts")
    files = [str(p) for p in paths]
    if not files:
        raise ValueError("vnu_messages needs at least one file")
    command = [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always", "--skip-non-html"]
    if css:
        command.append("--also-check-css")
    result = subprocess.run([*command, *files], capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"vnu.jar failed ({result.returncode}): {result.stderr[-2000:]}")
    return json.loads(result.stdout)["messages"]


def vnu_errors(paths: Iterable[Path], *, css: bool = False, ignore: Iterable[str] = ()) -> list[dict]:
    """Return vnu's errors (including unreadable documents), minus those matching an `ignore` regex."""
    return drop_messages([m for m in vnu_messages(paths, css=css) if m.get("type") in ("error", "non-document-error")], ignore)


def drop_messages(messages: list[dict], ignore: Iterable[str]) -> list[dict]:
    """Return the messages whose text matches none of the regexes."""
    patterns = [re.compile(p) for p in ignore]
    return [m for m in messages if not any(p.search(m.get("message", "")) for p in patterns)]


def describe_vnu(messages: list[dict]) -> str:
    """Format vnu messages as file:line:column: message lines."""
    return "\n".join(
        f"{m.get('url', '?')}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m['message']}" for m in messages
    )


# --- PDF page renders --------------------------------------------------------


def pdf_page_ink(pdf: Path, *, dpi: int = 30) -> list[float]:
    """Render every page with pdftoppm; return per page the share of pixels unlike its commonest shade."""
    from PIL import Image

    pdftoppm = _require_command("pdftoppm", "apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [pdftoppm, "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/page"], check=True, timeout=300, capture_output=True
        )
        # pdftoppm zero-pads page numbers to the width of the page count, so sort by the number.
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        ink = []
        for png in pages:
            with Image.open(png) as image:
                # Drop the outer pixels: a page size that is not a whole number of pixels leaves a grey edge.
                histogram = image.convert("L").crop((2, 2, image.width - 2, image.height - 2)).histogram()
            # Measure against the page's own background, so a tinted page is not "all ink".
            paper = max(range(256), key=histogram.__getitem__)
            near_paper = sum(histogram[max(paper - 8, 0) : paper + 9])
            ink.append(1 - near_paper / sum(histogram))
    return ink


def pdf_blank_pages(pdf: Path, *, min_ink: float = 0.0002) -> list[int]:
    """Return the 1-based numbers of pages whose render is (nearly) one flat shade."""
    return [number for number, ink in enumerate(pdf_page_ink(pdf), start=1) if ink < min_ink]


# --- Quick exit ----------------------------------------------------------------------


QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"  # the default content's neutral page


def route_quick_exit(context: object, seen: list[str]) -> None:
    """Answer the quick exit's neutral page locally (recording each visit in `seen`), never on the network."""

    def neutral(route: object) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>Weather</title><p>Weather</p>")

    context.unroute("**/*")
    context.route(QUICK_EXIT_URL.split("/weather")[0] + "/**", neutral)


# --- Keyboard walks --------------------------------------------------------------------------

# Runs `probe` (the source of a JS function of no arguments) when each press of `key` ("Tab" or
# "Enter") is released, in the capture phase on the window, so no page script can hide the event
# from it. The browser handles a press (moves focus and scrolls it into view for Tab, follows the
# focused link for Enter) while it handles the key's keydown; the keyup comes after.
_RECORD_ON_RELEASE = """([probe, key]) => {
  window.__pressProbe = eval('(' + probe + ')');
  window.__pressKey = key;
  window.__pressSeen = [];
  if (!window.__pressListening) {  // one listener per page, however many walks
    window.__pressListening = true;
    window.addEventListener('keyup', (event) => { if (event.key === window.__pressKey) window.__pressSeen.push(window.__pressProbe()); }, true);
  }
}"""


# The key events Playwright's `keyboard.press` sends for each press (its US layout: Tab has no text, so
# its key-down is a "rawKeyDown", Enter's text is a carriage return; Shift is the left one), as
# Chrome DevTools Protocol parameters.
_TAB = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "location": 0, "isKeypad": False}
_ENTER = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "location": 0, "isKeypad": False}
_SHIFT = {"key": "Shift", "code": "ShiftLeft", "windowsVirtualKeyCode": 16, "location": 1, "isKeypad": False}
_SHIFT_MASK = 8


def _press_events(key: str) -> list[dict]:
    if key == "Tab":
        return [{"type": "rawKeyDown", "modifiers": 0, **_TAB}, {"type": "keyUp", "modifiers": 0, **_TAB}]
    if key == "Shift+Tab":
        return [{"type": "rawKeyDown", "modifiers": _SHIFT_MASK, **_SHIFT},
                {"type": "rawKeyDown", "modifiers": _SHIFT_MASK, **_TAB}, {"type": "keyUp", "modifiers": _SHIFT_MASK, **_TAB},
                {"type": "keyUp", "modifiers": 0, **_SHIFT}]
    if key == "Enter":
        return [{"type": "keyDown", "modifiers": 0, "text": "\r", "unmodifiedText": "\r", **_ENTER},
                {"type": "keyUp", "modifiers": 0, **_ENTER}]
    raise ValueError(f"a walk presses Tab, Shift+Tab or Enter, not {key!r}")


def _dispatch_in_order(page: object, events: list[dict]) -> None:
    """Send key events to the page's browser one after another without waiting for each to be handled.

    The browser queues them and handles each in turn, exactly as if each had been awaited: what a
    page sees of a press does not depend on when the next is sent. Awaiting each one (as
    `keyboard.press` does) costs a round trip through Playwright's driver to the browser and back per
    event, most of a walk's time on a busy machine. Playwright's sync API awaits every call it
    makes, so the sends are made with its async API's `CDPSession.send`, on the object behind the
    sync session (`_impl_obj`) and run by the sync session's `_sync`, as each of its own methods
    does. Those two names are Playwright's own and private: a change to them fails here, loudly.
    """
    from playwright.async_api import CDPSession

    session = page.context.new_cdp_session(page)
    try:
        sender = CDPSession(session._impl_obj)  # noqa: SLF001 - see the docstring

        async def send_all() -> None:
            await asyncio.gather(*(sender.send("Input.dispatchKeyEvent", event) for event in events))

        session._sync(send_all())  # noqa: SLF001
    finally:
        session.detach()


def press_walk(page: object, probe: str, presses: int, *, key: str = "Tab", every_press: bool = True) -> list[object]:
    """Press `key` ("Tab", "Shift+Tab" or "Enter") `presses` times with the real keyboard and return what `probe` saw after each.

    `probe` is a JS function's source, run in the page after each press (when the key is released),
    where an `evaluate` after each press would cost a second round trip to the browser per press.
    It may also ready the next press (say, focus the next link to follow with Enter). The presses
    are the key events `keyboard.press` sends, sent without waiting for each to be handled
    (`_dispatch_in_order`). With `every_press` (the default) the page must have seen every press;
    without it, presses after focus has left the page may go unseen.
    """
    page.evaluate(_RECORD_ON_RELEASE, [probe, key.split("+")[-1]])
    _dispatch_in_order(page, _press_events(key) * presses)
    seen = page.evaluate("window.__pressSeen")
    if every_press and len(seen) != presses:
        raise AssertionError(f"{presses} presses of {key}, but the page saw {len(seen)}")
    return seen

