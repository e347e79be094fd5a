"""The Easy Read as a reader sees it: every picture drawn (not blank) and on the left of its words,
in the HTML (Chromium's boxes and pixels, at 1280 and 320 CSS px) and in the PDF (pdfplumber's
positions and a pdftoppm render); the PDF's body text 16pt or more, nothing under 14pt; pictures
tagged as figures with their alt text, decorative ones as artifacts.

axe, the Nu checker, HTML_CodeSniffer and the PDF/UA checks run on the Easy Read outputs with
every other output (tests/browser/test_accessibility.py, tests/unit/test_pdf_structure.py).
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from browser import open_page, shared_browser
from conftest import FIXTURES, run_cli, shared_once
from pdf_inspect import structure_elements

pytestmark = pytest.mark.browser

EPOCH = {"SOURCE_DATE_EPOCH": "1795000000"}
# Each line's picture box and words box, the share of the picture's pixels that are not the page's white,
# and whether the picture is decorative (alt="").
LINES_JS = """() => [...document.querySelectorAll('.easy-line, .easy-contact')].map(line => {
  const img = line.querySelector(':scope > img.easy-picture');
  const words = line.querySelector(':scope > p, :scope > div');
  const box = e => { const r = e.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY]; };
  return {text: (words ? words.textContent : '').trim().replace(/\\s+/g, ' ').slice(0, 80),
          picture: img ? box(img) : null, words: words ? box(words) : null,
          loaded: img ? img.complete && img.naturalWidth > 0 : false, alt: img ? img.getAttribute('alt') : null};
})"""


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Easy Read fixture built (it has a picture from a file of its own folder), once per test run: tests only read it."""
    with shared_once(tmp_path_factory, "easy-site") as (out, made):
        if not made:
            result = run_cli("build", "--content", str(FIXTURES / "easy-read"), "--out", str(out), env=EPOCH)
            assert result.returncode == 0, result.stderr
        return out


def easy_pages(built_site: Path, fixture_site: Path) -> list[Path]:
    return [built_site / "operation-amazon" / "easy-read.html", fixture_site / "easy-review" / "easy-read.html"]


def ink(image: object, box: tuple[float, float, float, float]) -> float:
    """The share of pixels in `box` of a PIL image that are not near white."""
    region = image.convert("L").crop(tuple(round(v) for v in box))
    histogram = region.histogram()
    return 1 - sum(histogram[240:]) / max(1, sum(histogram))


@pytest.mark.parametrize("width", [1280, 320])
def test_every_html_line_has_its_picture_drawn_on_the_left(built_site: Path, fixture_site: Path, width: int) -> None:
    from PIL import Image

    for path in easy_pages(built_site, fixture_site):
        loaded = open_page(shared_browser(), path.as_uri(), width=width, height=900)
        try:
            lines = loaded.page.evaluate(LINES_JS)
            shot = Image.open(io.BytesIO(loaded.page.screenshot(full_page=True)))
            scroll = loaded.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        finally:
            loaded.close()
        assert scroll <= 0, f"{path.name} scrolls sideways at {width}px"
        assert len(lines) >= 6, path
        for line in lines:
            assert line["picture"] and line["loaded"], f"{path.name}: no picture for {line['text']!r}"
            left, top, right, bottom = line["picture"]
            w_left, w_top, _, w_bottom = line["words"]
            assert right <= w_left, f"{path.name} at {width}px: the picture is not left of {line['text']!r}"
            assert top < w_bottom and w_top < bottom, f"{path.name} at {width}px: the picture is not beside {line['text']!r}"
            assert right - left >= 48, f"{path.name} at {width}px: the picture for {line['text']!r} is {right - left:.0f}px wide"
            assert ink(shot, line["picture"]) > 0.03, f"{path.name} at {width}px: the picture for {line['text']!r} is blank"


def pdf_lines(pdf: Path, texts: list[str]) -> list[tuple[int, str, tuple[float, float, float, float], list[float]]]:
    """Find each text's first line in the PDF: (page index, text, box of its first line's words, sizes of all its characters)."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as document:
        words = [(i, w) for i, page in enumerate(document.pages) for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=False)]
        flat = [w["text"] for _, w in words]
        start = 0
        for text in texts:
            wanted = text.split()
            at = next((k for k in range(start, len(flat) - len(wanted) + 1) if flat[k:k + len(wanted)] == wanted), None)
            assert at is not None, f"{pdf.name}: {text!r} is not in the PDF's text, in order"
            start = at + len(wanted)
            page, first = words[at]
            same_line = [w for p, w in words[at:at + len(wanted)] if p == page and abs(w["top"] - first["top"]) < 2]
            box = (first["x0"], min(w["top"] for w in same_line), max(w["x1"] for w in same_line), max(w["bottom"] for w in same_line))
            found.append((page, text, box, [w["size"] for _, w in words[at:at + len(wanted)]]))
    return found


def html_line_texts(path: Path) -> list[str]:
    """The words of each Easy Read line, in order, as the HTML has them (tags and entities resolved)."""
    from html import unescape

    html = path.read_text(encoding="utf-8")
    out = []
    for paragraph in re.findall(r'<div class="easy-line"><img[^>]*>(<p>.*?</p>)</div>', html):
        out.append(" ".join(unescape(re.sub(r"<[^>]+>", "", paragraph)).split()))
    return out


def rendered_pages(pdf: Path, dpi: int) -> list[object]:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/page"], check=True, capture_output=True)
        files = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [Image.open(f).copy() for f in files]


def test_every_pdf_line_has_its_picture_drawn_on_the_left_and_is_16pt(built_site: Path, fixture_site: Path) -> None:
    import pdfplumber

    dpi = 72  # one pixel a point: pdfplumber's positions are the render's pixels
    for html in easy_pages(built_site, fixture_site):
        pdf = html.with_suffix(".pdf")
        texts = html_line_texts(html)
        assert len(texts) >= 6
        pages = rendered_pages(pdf, dpi)
        with pdfplumber.open(pdf) as document:
            # Drawings no taller than a picture (26 mm, 74 pt): a box's border (the content note's runs down many lines) is not one.
            curves = [[(c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.curves + page.rects if c["bottom"] - c["top"] <= 80]
                      for page in document.pages]
        for page, text, (x0, top, _, bottom), sizes in pdf_lines(pdf, texts):
            assert min(sizes) >= 16 - 0.01, f"{pdf.name}: {text!r} is set in {min(sizes):.1f}pt"
            middle = (top + bottom) / 2
            # The picture: drawings ending left of the words, in the band of the words' first line (its box is 26 mm, 74 pt; the drawing may be narrower).
            beside = [c for c in curves[page] if c[2] <= x0 and c[1] - 20 <= middle <= c[3] + 20]
            assert beside, f"{pdf.name} page {page + 1}: no picture left of {text!r}"
            picture = (min(c[0] for c in beside), min(c[1] for c in beside), max(c[2] for c in beside), max(c[3] for c in beside))
            assert max(picture[2] - picture[0], picture[3] - picture[1]) >= 20, f"{pdf.name} page {page + 1}: the picture left of {text!r} is too small"
            assert ink(pages[page], picture) > 0.03, f"{pdf.name} page {page + 1}: the picture left of {text!r} is blank"


def test_pdf_has_no_text_under_14pt_in_its_body(built_site: Path, fixture_site: Path) -> None:
    """Body text 16pt or more (above); notes and the footer 14pt at least; only the page furniture in the margins is smaller."""
    import pdfplumber

    for html in easy_pages(built_site, fixture_site):
        with pdfplumber.open(html.with_suffix(".pdf")) as document:
            for number, page in enumerate(document.pages, start=1):
                margin_top, margin_bottom = 20 / 25.4 * 72, page.height - 22 / 25.4 * 72  # pdf.css: 20 mm and 22 mm
                small = {c["text"] for c in page.chars if margin_top <= c["top"] and c["bottom"] <= margin_bottom and c["size"] < 14 - 0.01}
                assert not small, f"{html.stem} PDF page {number}: text under 14pt: {''.join(sorted(small))[:40]!r}"


def test_pdf_pictures_are_figures_with_their_alt_or_artifacts(built_site: Path, fixture_site: Path) -> None:
    for html in easy_pages(built_site, fixture_site):
        source = html.read_text(encoding="utf-8")
        alts = [alt for alt in re.findall(r'<img class="easy-picture" [^>]*alt="([^"]*)"', source)]
        described = [re.sub(r"\s+", " ", a) for a in alts if a]
        assert described and len(described) < len(alts), "the content has both kinds"
        with pikepdf.open(html.with_suffix(".pdf")) as pdf:
            figures = [node.alt for node in structure_elements(pdf) if node.type == "Figure"]
        assert figures == described, f"{html.stem}: each picture with an alt is one Figure with it, in order; decorative ones none"


def test_every_page_of_the_pdf_credits_openmoji(built_site: Path, fixture_site: Path) -> None:
    credit = "OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0"
    for html in easy_pages(built_site, fixture_site):
        for suffix in (".pdf", "-large-print.pdf", "-handout.pdf"):
            pdf = html.with_name(html.stem + suffix)
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            pages = [" ".join(page.split()) for page in text.split("\f") if page.strip()]
            assert pages and all(credit in page for page in pages), f"{pdf.name}: a page without the pictures' credit"
            for number, page in enumerate(text.split("\f")[:len(pages)], start=1):  # the foot: the credit, the number below it
                lines = [line.strip() for line in page.splitlines() if line.strip()]
                assert lines[-1] == f"Page {number} of {len(pages)}", f"{pdf.name}, page {number}: {lines[-3:]}"
                assert " ".join(lines[:-1]).endswith(f"Pictures: {credit}"), f"{pdf.name}, page {number}: {lines[-3:]}"
        assert credit in re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))  # its hyphenated words kept whole by a <span>
