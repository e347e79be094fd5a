"""The embeddable fragment keeps to itself inside any host page, and the iframe page sizes itself.

In Debian's Chromium: a host page's computed styles are the same with and without the fragment;
the fragment's computed styles are the same under a plain host and under hostile host CSS; it
makes no request; axe-core finds nothing in a host page that holds it; the quick exit leaves the
top window. The iframe page posts its height, and the host snippet in the README (read from
README.md itself) sizes the iframe to fit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import AXE_JS, AXE_TAGS, QUICK_EXIT_URL, LoadedPage, describe_violations, open_page, page_visits, route_quick_exit, serve, shared_browser
from conftest import TEST_BASE_URL, outputs, readme_iframe_snippet

AUDIENCES = ["survivors", "journalists", "councillors", "easy-read"]

# Rules that real sites have and that reach into anything pasted into them.
HOSTILE_CSS = """
* { box-sizing: content-box; }
html { font-size: 62.5%; }
body { font-family: Georgia, serif; font-size: 1.6rem; color: #553; line-height: 3; text-align: center;
       letter-spacing: 0.05em; text-transform: none; background: #fafae0; }
p { margin: 3em; color: purple; font-style: italic; }
a { color: red; font-size: 30px; text-decoration: none; font-weight: 900; }
a:focus { outline: none; }
h1, h2, h3, h4 { font-family: Impact, sans-serif; text-transform: uppercase; color: teal; }
h2 { font-size: 40px; margin: 2em 0; }
h3 { letter-spacing: 5px; border: 3px dotted red; }
ul, ol { list-style: square inside; padding: 40px; margin: 0; }
li { border: 1px dashed red; float: left; }
div { padding: 20px; }
section, article { display: flex; background: pink; }
table { border: 5px solid red; width: 50%; }
th, td { padding: 30px; text-align: right; }
blockquote, figure { margin: 0; font-size: 2em; }
dl, dt, dd { display: inline; }
span { color: orange; }
.content p, .entry-content p { margin: 2em; }
"""

HOST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Host news site</title>{style}</head>
<body><header><p class="site">A host news site</p>
<nav><ul><li><a href="#a">News</a></li><li><a href="#b">Sport</a></li></ul></nav></header>
<main class="content"><h1>What the watchdog found</h1><p>Our report, with the briefing below. <a href="#c">A host link</a>.</p>
<div class="slot" style="width: 760px">{fragment}</div>
<h2>More from us</h2><section><p>A host section.</p><blockquote><p>A host quote.</p></blockquote></section>
<table><caption>Host table</caption><tr><th scope="col">A</th><td>1</td></tr></table>
<dl><dt>Term</dt><dd>Definition</dd></dl><ol><li>One</li><li>Two</li></ol></main>
<footer><p>Host footer <span>small print</span></p></footer></body></html>
"""

# Every computed property of every element (and its ::before and ::after), keyed by position and
# tag, with "+" marking the elements that hold the slot the fragment goes in.
COMPUTED = """(selector) => {
  // Styles are interned: a page has thousands of elements but few distinct styles, and sending
  // every property of every element back to Python took most of a minute on a long page.
  const names = [...getComputedStyle(document.documentElement)];
  const index = new Map(), styles = [], keys = {};
  const elements = [...document.querySelectorAll(selector)];
  elements.forEach((element, i) => {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      if (pseudo && style.content === 'none') continue;
      const text = names.map((name) => style.getPropertyValue(name)).join('\\u001f');
      if (!index.has(text)) { index.set(text, styles.length); styles.push(text); }
      const holdsSlot = element.matches('.slot') || !!element.querySelector('.slot');
      keys[i + ':' + element.tagName + (holdsSlot ? '+' : '') + (pseudo || '')] = index.get(text);
    }
  });
  return {names, styles, keys};
}"""
# Host elements: everything but the fragment (the slot that holds it is included).
HOST_ELEMENTS = "html, body, body *:not(.slot *)"
# Used values that grow with the fragment's height on the elements that contain it.
GROWS_WITH_CONTENT = {"height", "block-size", "perspective-origin", "transform-origin"}


def fragment(manifest: dict, built_site: Path, audience: str) -> str:
    (out,) = [o for o in outputs(manifest, "embed") if o["audience"] == audience]
    assert out["path"] == f"operation-amazon/{audience}-embed.html"
    return (built_site / out["path"]).read_text(encoding="utf-8")


def host_page(tmp_path: Path, name: str, fragment_html: str, css: str = "") -> Path:
    path = tmp_path / f"{name}.html"
    style = f"<style>{css}</style>" if css else ""
    path.write_text(HOST.format(style=style, fragment=fragment_html), encoding="utf-8")
    return path


Style = tuple[tuple[str, ...], str]  # (property names, their values joined by U+001F)


_COMPUTED_ONCE: dict[tuple[str, str], tuple[dict[str, Style], tuple[str, ...]]] = {}


@pytest.fixture(scope="module")
def window() -> Iterator[Callable[[str], LoadedPage]]:
    """One browser window 1000 px wide, for the tests that load host pages in turn and read their computed styles."""
    with page_visits(shared_browser(), width=1000) as visit:
        yield visit


def computed(window: Callable[[str], LoadedPage], path: Path, selector: str) -> tuple[dict[str, Style], list[str]]:
    """Load a page in `window`, return the computed styles of `selector` and every URL the page requested.

    Each page text is loaded once per test process for each selector: the host pages without a
    fragment are the same for every audience.
    """
    key = (path.read_text(encoding="utf-8"), selector)
    if key not in _COMPUTED_ONCE:
        loaded = window(path.as_uri())
        found = loaded.page.evaluate(COMPUTED, selector)
        names = tuple(found["names"])
        styles = {k: (names, found["styles"][i]) for k, i in found["keys"].items()}
        _COMPUTED_ONCE[key] = styles, (*loaded.requests, *loaded.blocked_requests)
    styles, requests = _COMPUTED_ONCE[key]
    return styles, list(requests)


def differences(before: dict[str, Style], after: dict[str, Style], skip: set[str] = frozenset()) -> list[str]:
    found = []
    for key in before.keys() | after.keys():
        if key not in before or key not in after:
            found.append(f"{key}: only in one")
            continue
        (names, old), (after_names, new) = before[key], after[key]
        if old == new:
            continue
        assert names == after_names, "the two pages list different CSS properties"
        for prop, value, now in zip(names, old.split("\u001f"), new.split("\u001f"), strict=True):
            if prop not in skip and now != value:
                found.append(f"{key} {prop}: {value!r} -> {now!r}")
    return sorted(found)


# --- the fragment as text -------------------------------------------------------------------


class _Shape(HTMLParser):
    """Count top-level elements and collect tags and attributes."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.roots: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.stray_text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.depth == 0:
            self.roots.append(tag)
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            self.stray_text += data.strip()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_fragment_is_one_self_contained_element(manifest: dict, built_site: Path, audience: str) -> None:
    html = fragment(manifest, built_site, audience)
    shape = _Shape()
    shape.feed(html)
    assert shape.roots == ["section"] and not shape.stray_text and shape.depth == 0
    root = shape.tags[0][1]
    assert root["id"] == f"briefing-operation-amazon-{audience}" and root["lang"] == "en-GB"
    assert "<script" not in html and "<iframe" not in html and "<link" not in html
    # Pictures (the Easy Read's) are inside the fragment, as data: addresses: it asks for nothing.
    assert all(src.startswith("data:image/") for src in re.findall(r'<img [^>]*src="([^"]*)"', html))
    assert ("<img" in html) == (audience == "easy-read")
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "@import" not in css and "@font-face" not in css and "url(" not in css
    # Every rule is scoped to the root's id: strip at-rule wrappers, then check each selector.
    rules = re.findall(r"([^{}@]+)\{[^{}]*\}", re.sub(r"@(media|container)[^{]*\{", "", css))
    for rule in rules:
        for selector in rule.split(","):
            assert selector.strip().startswith(f"#{root['id']}"), f"unscoped selector {selector.strip()!r}"
    ids = [attrs["id"] for _, attrs in shape.tags if "id" in attrs]
    assert len(ids) == len(set(ids)) and all(i.startswith(root["id"]) for i in ids)
    for tag, attrs in shape.tags:
        href = attrs.get("href", "")
        if tag == "a" and href.startswith("#"):
            assert href[1:] in ids, f"link to a missing id {href}"
    headings = [int(tag[1]) for tag, _ in shape.tags if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 2 and 1 not in headings, "headings start at h2, under the host's h1"
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False))
    if audience == "survivors":
        (exit_link,) = [attrs for tag, attrs in shape.tags if "quick-exit-link" in attrs.get("class", "")]
        assert exit_link["href"] == QUICK_EXIT_URL and exit_link["target"] == "_top"
    assert TEST_BASE_URL + "operation-amazon/" in html, "links back to the canonical briefing"


# --- the fragment in Chromium ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_host_styles_are_unchanged_by_the_fragment(manifest: dict, built_site: Path, tmp_path: Path, audience: str,
                                                     window: Callable[[str], LoadedPage]) -> None:
    html = fragment(manifest, built_site, audience)
    for name, css in (("plain", ""), ("styled", HOSTILE_CSS)):
        without, _ = computed(window, host_page(tmp_path, f"{name}-without", "", css), HOST_ELEMENTS)
        with_it, requests = computed(window, host_page(tmp_path, f"{name}-with", html, css), HOST_ELEMENTS)
        contains = {k for k in without if "+" in k}  # the slot and the elements around it
        changed = [d for d in differences(without, with_it) if d.split(" ")[0] not in contains]
        around_before, around_after = ({k: styles[k] for k in contains} for styles in (without, with_it))
        changed += differences(around_before, around_after, GROWS_WITH_CONTENT)
        assert not changed, f"{name} host restyled by the fragment:\n" + "\n".join(changed[:20])
        assert all(url.startswith(("file:", "data:")) for url in requests), requests


@pytest.mark.browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_fragment_looks_the_same_under_hostile_host_css(manifest: dict, built_site: Path, tmp_path: Path, audience: str,
                                                        window: Callable[[str], LoadedPage]) -> None:
    html = fragment(manifest, built_site, audience)
    root = f"#briefing-operation-amazon-{audience}"
    selector = f"{root}, {root} *"
    plain, _ = computed(window, host_page(tmp_path, "plain", html), selector)
    hostile, _ = computed(window, host_page(tmp_path, "hostile", html, HOSTILE_CSS), selector)
    changed = differences(plain, hostile)
    assert not changed, "host CSS reached into the fragment:\n" + "\n".join(changed[:30])


@pytest.mark.browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_fragment_makes_no_request_and_passes_axe(manifest: dict, built_site: Path, tmp_path: Path, audience: str) -> None:
    page_path = host_page(tmp_path, "host", fragment(manifest, built_site, audience))
    loaded = open_page(shared_browser(), page_path.as_uri())
    seen = loaded.requests  # from the first request of the load, and the hover's
    try:
        loaded.page.hover("section.briefing-embed a")
        # axe-core on the fragment only: the host page's own faults are not the fragment's.
        loaded.page.add_script_tag(path=str(AXE_JS))
        options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}  # the others' details unused
        root = f"#briefing-operation-amazon-{audience}"
        results = loaded.page.evaluate("([root, options]) => axe.run(root, options)", [root, options])
        assert not results["violations"], describe_violations(results["violations"])
        assert not loaded.console_errors
    finally:
        loaded.close()
    assert not loaded.blocked_requests, loaded.blocked_requests
    assert [url for url in seen if not url.startswith(("file:", "data:"))] == []


@pytest.mark.browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_fragment_reflows_in_a_narrow_host(manifest: dict, built_site: Path, tmp_path: Path, audience: str) -> None:
    html = HOST.format(style="", fragment=fragment(manifest, built_site, audience)).replace('style="width: 760px"', "")
    page_path = tmp_path / "narrow.html"
    page_path.write_text(html, encoding="utf-8")
    for width, scale in ((320, 1), (640, 2)):
        loaded = open_page(shared_browser(), page_path.as_uri(), width=width, height=800, device_scale_factor=scale)
        try:
            overflow = loaded.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"the host scrolls sideways by {overflow}px at {width}px"
        finally:
            loaded.close()


@pytest.mark.browser
def test_fragment_quick_exit_leaves_the_top_window(manifest: dict, built_site: Path, tmp_path: Path) -> None:
    host_dir, top_dir = tmp_path / "host", tmp_path / "top"
    host_dir.mkdir()
    top_dir.mkdir()
    host_page(host_dir, "index", fragment(manifest, built_site, "survivors"))
    with serve(host_dir) as host_base, serve(top_dir) as top_base:
        (top_dir / "index.html").write_text(
            f'<!DOCTYPE html><html lang="en"><title>Top</title><h1>Top</h1><iframe title="Host" src="{host_base}index.html" '
            'width="900" height="600"></iframe></html>', encoding="utf-8")
        loaded = open_page(shared_browser(), top_base + "index.html", java_script_enabled=False)
        page, seen = loaded.page, []
        try:
            route_quick_exit(page.context, seen)
            with page.expect_navigation():
                page.frame_locator("iframe").locator(".quick-exit-link").click()
            assert page.url.startswith(QUICK_EXIT_URL) and seen
        finally:
            loaded.close()


# --- the iframe page ------------------------------------------------------------------------------


def iframe_page(manifest: dict, audience: str) -> str:
    (out,) = [o for o in outputs(manifest, "iframe") if o["audience"] == audience]
    assert out["path"] == f"operation-amazon/{audience}-iframe.html"
    return out["path"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_iframe_page_is_the_page_with_one_script(manifest: dict, built_site: Path, audience: str) -> None:
    html = (built_site / iframe_page(manifest, audience)).read_text(encoding="utf-8")
    assert html.count("<script") == 1 and 'postMessage({ type: "briefing:height"' in html
    assert ("window.top.location.replace" in html) == (audience in ("survivors", "easy-read")), "the audiences with a quick exit"
    for href, rest in re.findall(r'<a href="(https?://[^"]+)"([^>]*)>', html):
        assert 'target="_top"' in rest, f"{href} would open inside the frame"


@pytest.mark.browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_iframe_page_sizes_its_frame_with_the_documented_listener(
    manifest: dict, built_site: Path, tmp_path: Path, audience: str
) -> None:
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    with serve(built_site) as site_base, serve(host_dir) as host_base:
        snippet = readme_iframe_snippet(site_base, audience)  # the README's iframe and listener, word for word
        assert f"{site_base}{iframe_page(manifest, audience)}" in snippet
        (host_dir / "index.html").write_text(
            f'<!DOCTYPE html><html lang="en"><head><title>Host</title></head><body><main><h1>Host</h1>'
            f"{snippet}</main></body></html>", encoding="utf-8")
        loaded = open_page(shared_browser(), host_base + "index.html", width=900)
        try:
            page = loaded.page
            page.wait_for_function("parseInt(document.querySelector('iframe').style.height) > 1000")
            frame = page.frame_locator("iframe")
            frame.locator("h1").wait_for()
            inner = page.frames[1].evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
            outer = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
            assert abs(inner - outer) <= 2, (inner, outer)
            fits = page.frames[1].evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
            assert fits, "no scrolling inside the frame"
            assert not loaded.console_errors and not loaded.blocked_requests
        finally:
            loaded.close()


@pytest.mark.browser
def test_iframe_page_quick_exit_leaves_the_top_window(manifest: dict, built_site: Path, tmp_path: Path) -> None:
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    with serve(built_site) as site_base, serve(host_dir) as host_base:
        (host_dir / "index.html").write_text(
            f'<!DOCTYPE html><html lang="en"><title>Host</title><h1>Host</h1><iframe title="Briefing" '
            f'src="{site_base}{iframe_page(manifest, "survivors")}" width="800" height="600"></iframe></html>', encoding="utf-8")
        loaded = open_page(shared_browser(), host_base + "index.html")
        page, seen = loaded.page, []
        try:
            route_quick_exit(page.context, seen)
            page.frame_locator("iframe").locator("h1").click()
            with page.expect_navigation():
                for _ in range(3):
                    page.keyboard.press("Shift")
            assert page.url.startswith(QUICK_EXIT_URL)
        finally:
            loaded.close()
