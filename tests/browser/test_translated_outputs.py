"""Translated outputs pass the same checks as the English: axe, the Nu checker, PDF/UA-1, and the right-to-left page is mirrored."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from browser import describe_violations, describe_vnu, open_page, page_visits, run_axe, screenshot, shared_browser, vnu_errors
from conftest import PSEUDO_LANGS
from pdf_inspect import structure_problems, untagged_marked_content

pytestmark = pytest.mark.browser
LANGS = PSEUDO_LANGS
VNU_CSS_GAPS = (r"“container-type”: Property “container-type” doesn.t exist", r"Unrecognized at-rule “@container”")


@pytest.fixture(scope="module")
def translated_site(translated_output: Path) -> Path:
    """The minimal fixture's outputs in English and its two pseudo-translations (conftest.translated_output)."""
    return translated_output / "minimal"


def pages(site: Path) -> list[Path]:
    return sorted(p for lang in LANGS for p in (site / lang).glob("*.html") if not p.name.endswith("-embed.html"))


def test_axe_finds_no_violations_in_the_translated_pages(translated_site: Path) -> None:
    failures = {}
    with page_visits(shared_browser()) as visit:
        for path in pages(translated_site):
            loaded = visit(path.as_uri())
            violations = run_axe(loaded.page)
            if violations:
                failures[f"{path.parent.name}/{path.name}"] = describe_violations(violations)
            assert loaded.page.evaluate("document.documentElement.lang") == path.parent.name
            expected = "rtl" if path.parent.name == "ar-XB" else "ltr"
            assert loaded.page.evaluate("getComputedStyle(document.body).direction") == expected
    assert not failures, "\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_the_nu_checker_finds_no_errors_in_the_translated_pages(translated_site: Path) -> None:
    index = translated_site.parent / "index.html"  # it names every language, each in itself
    errors = vnu_errors([*pages(translated_site), index], css=True, ignore=VNU_CSS_GAPS)
    assert not errors, describe_vnu(errors)


def test_the_index_naming_every_language_passes_axe(translated_site: Path) -> None:
    loaded = open_page(shared_browser(), (translated_site.parent / "index.html").as_uri())
    try:
        assert loaded.page.locator("[hreflang='ar-XB']").count() > 0
        violations = run_axe(loaded.page)
        assert not violations, describe_violations(violations)
    finally:
        loaded.close()


def test_the_translated_pdfs_are_pdf_ua_1(translated_site: Path) -> None:
    import page

    failures = {}
    for path in sorted(p for lang in LANGS for p in (translated_site / lang).glob("*.pdf")):
        report = page.validate_pdf_bytes(path.read_bytes(), profile=page.ValidationProfile.PDF_UA_1)
        if not report.is_compliant:
            failures[f"{path.parent.name}/{path.name}"] = [f"{f.rule_id}: {f.message}" for f in report.failures]
        with pikepdf.open(path) as pdf:
            assert not untagged_marked_content(pdf), path
            assert not structure_problems(pdf), path
    assert not failures, failures


def test_the_right_to_left_page_is_mirrored(translated_site: Path, tmp_path: Path) -> None:
    """The heading, the lists' bullets and the quote's bar sit on the right; the English original inside stays left to right."""
    loaded = open_page(shared_browser(), (translated_site / "ar-XB" / "journalists.html").as_uri(), width=1000)
    try:
        screenshot(loaded.page, tmp_path / "ar-XB-journalists.png")  # to look at when this fails
        box = loaded.page.evaluate("""() => {
            const main = document.querySelector('main').getBoundingClientRect();
            const h1 = document.querySelector('h1');
            const range = document.createRange(); range.selectNodeContents(h1);
            const text = range.getBoundingClientRect();
            const quote = document.querySelector('figure.quote');
            const original = document.querySelector('figure.quote blockquote p');
            const r = document.createRange(); r.selectNodeContents(original);
            return {mainLeft: main.left, mainRight: main.right, textLeft: text.left, textRight: text.right,
                    bar: getComputedStyle(quote).borderRightWidth, barLeft: getComputedStyle(quote).borderLeftWidth,
                    originalDir: getComputedStyle(original).direction, originalLeft: r.getBoundingClientRect().left,
                    quoteLeft: quote.getBoundingClientRect().left};
        }""")
        assert box["mainRight"] - box["textRight"] < 2 < box["textLeft"] - box["mainLeft"], box  # the title starts on the right
        assert box["bar"] == "6px" and box["barLeft"] == "0px", box  # the quote's bar is at its start: the right
        assert box["originalDir"] == "ltr" and box["originalLeft"] - box["quoteLeft"] < 40, box  # the English original reads from the left
    finally:
        loaded.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_quick_exit_says_it_is_leaving_in_the_pages_language(translated_site: Path, lang: str) -> None:
    """The announcement the quick exit makes as it leaves (role=status) is one of the page's own words, translated."""
    from briefings.translate.pseudo import pseudo

    loaded = open_page(shared_browser(), (translated_site / lang / "survivors.html").as_uri())
    page = loaded.page
    try:
        href = page.get_attribute("#quick-exit-link", "href")
        page.context.unroute("**/*")
        page.context.route(href.split("?")[0].rstrip("/") + "/**", lambda route: route.fulfill(status=204))
        page.context.route(href, lambda route: route.fulfill(status=204))  # stays in place, so that it can be read
        page.click("#quick-exit-link")
        page.wait_for_function("document.getElementById('quick-exit-status').textContent.length > 0")
        assert page.text_content("#quick-exit-status") == pseudo("Leaving this page.", lang)
    finally:
        loaded.close()


# Every box that clips what overflows it: its own overflow set to visible shows whatever ink it cut.
# (`:not(#…)` gives the rule an id's weight, so that it wins over any of the page's own.)
UNCLIP = "*:not(#-unclip) { overflow: visible !important; overflow-x: visible !important; overflow-y: visible !important; }"


def _clipped_ink(page: object, before: str = "") -> tuple[int, int, int, int] | None:
    """Where the page's pixels change when nothing clips its content any more (None: nowhere, so no ink was cut)."""
    import io

    from PIL import Image, ImageChops

    if before:
        page.add_style_tag(content=before)
    page.evaluate("document.fonts.ready")
    clipped = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    page.add_style_tag(content=UNCLIP)
    page.evaluate("document.fonts.ready")
    free = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    if clipped.size != free.size:
        return (0, 0, *free.size)
    return ImageChops.difference(clipped, free).getbbox()


@pytest.mark.parametrize("width", [1000, 320])
def test_no_right_to_left_ink_is_clipped(translated_site: Path, width: int) -> None:
    """Arabic-script ink that reaches above or below its line (Nastaliq's is tall; Scheherazade New's marks reach far) is
    never cut by a box that clips: each page is drawn as it is and with nothing clipped, and the two are the same.
    First, on a heading squeezed into a clipping box, the comparison is shown to see cut ink."""
    whole = [p for p in sorted((translated_site / "ar-XB").glob("*.html")) if not p.name.endswith("-embed.html")]
    with page_visits(shared_browser(), width=width, height=800) as visit:
        squeezed = "h1 { overflow: hidden !important; line-height: 0.6 !important; max-height: 0.6em !important; }"
        assert _clipped_ink(visit(whole[0].as_uri()).page, squeezed) is not None, "the comparison sees ink that a box cuts"
        for path in whole:  # each a new document: the squeezed heading's style went with the last
            assert _clipped_ink(visit(path.as_uri()).page) is None, f"ar-XB/{path.name} at {width}px: ink is cut somewhere"
