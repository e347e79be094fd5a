"""Handouts fit one A4 sheet, print in greys and carry a QR code that decodes to their address; large
print is 16pt and up with no italics; every output says what it was built from and when."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import CONTENT, TEST_BASE_URL, outputs, run_cli
from pdf_inspect import printed_chars, structure_elements
from PIL import Image, ImageChops

from briefings.problems import Problems
from briefings.render.provenance import build_date

AUDIENCES = ["survivors", "journalists", "councillors", "easy-read"]
BRIEFING = CONTENT / "operation-amazon"


def briefing_config() -> dict:
    return yaml.safe_load((BRIEFING / "briefing.yaml").read_text(encoding="utf-8"))


def expected_url(audience: str) -> str:
    return TEST_BASE_URL.rstrip("/") + f"/operation-amazon/{audience}.html"


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def render_pages(path: Path, dpi: int, *, gray: bool = False) -> list[Image.Image]:
    """Render every page of a PDF with poppler's pdftoppm and return the images, in page order."""
    with tempfile.TemporaryDirectory() as tmp:
        colour = ["-gray"] if gray else []
        subprocess.run(["pdftoppm", "-r", str(dpi), *colour, "-png", str(path), f"{tmp}/page"], capture_output=True, check=True)
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        images = []
        for png in pages:
            with Image.open(png) as image:
                images.append(image.copy())
    return images


SUFFIX = {"html": ".html", "pdf": ".pdf", "large-print": "-large-print.pdf", "handout": "-handout.pdf"}


def output_file(manifest: dict, built_site: Path, fmt: str, audience: str) -> Path:
    (out,) = [o for o in outputs(manifest, fmt) if o["audience"] == audience]
    assert out["path"] == f"operation-amazon/{audience}{SUFFIX[fmt]}"
    return built_site / out["path"]


# --- handouts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_handout_is_one_sheet_of_tagged_a4(manifest: dict, built_site: Path, audience: str) -> None:
    path = output_file(manifest, built_site, "handout", audience)
    with pikepdf.open(path) as pdf:
        assert 1 <= len(pdf.pages) <= 2, f"{path.name} has {len(pdf.pages)} pages: one sheet, two sides at most"
        box = [float(x) for x in pdf.pages[0].MediaBox]
        assert round(box[2] / 72 * 25.4) == 210 and round(box[3] / 72 * 25.4) == 297, "A4"
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
        figures = [n for n in structure_elements(pdf) if n.type == "Figure"]
        # The Easy Read's content note keeps its pictures: each with an alt is a figure too, before the QR code.
        pictures = [f.alt for f in figures[:-1]]
        assert [f.alt for f in figures[-1:]] == [f"QR code linking to {expected_url(audience)}"]
        assert pictures == (["a warning sign"] if audience == "easy-read" else [])


@pytest.mark.parametrize("audience", AUDIENCES)
def test_handout_qr_code_decodes_to_the_printed_address(manifest: dict, built_site: Path, audience: str) -> None:
    import zxingcpp

    path = output_file(manifest, built_site, "handout", audience)
    url = expected_url(audience)
    # One code on the sheet: on its only side, or (the Easy Read, whose content note fills the front) on either side.
    found = [barcode.text for side in render_pages(path, 150, gray=True) for barcode in zxingcpp.read_barcodes(side)]
    assert found == [url]
    assert url in pdf_text(path).replace(" ", ""), "the address is printed as text beside the code"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_handout_content(manifest: dict, built_site: Path, audience: str) -> None:
    text = pdf_text(output_file(manifest, built_site, "handout", audience))
    if audience == "easy-read":  # no key points: its content note, and its first support contacts with their numbers
        assert "In short" not in text and "Key findings" not in text
        assert "Before you read" in text and "You can stop reading at any time" in text
        for number in ("0808 801 0331", "116 123", "999"):
            assert number in text, f"the Easy Read handout lacks support number {number}"
    else:
        assert ("In short" if audience == "survivors" else "Key findings") in text
    assert "Read the full briefing" in text and "Scan the code" in text
    if audience == "survivors":
        assert "Before you read" in text and "not your fault" in text
        for number in ("0808 801 0331", "116 123", "0808 500 2222"):
            assert number in text, f"survivors' handout lacks support number {number}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_handout_prints_in_greys_only(manifest: dict, built_site: Path, audience: str) -> None:
    """No colour anywhere, so nothing can depend on it, and greys keep their contrast on any printer."""
    for number, page in enumerate(render_pages(output_file(manifest, built_site, "handout", audience), 40), start=1):
        red, green, blue = page.convert("RGB").split()
        spread = max(ImageChops.difference(a, b).getextrema()[1] for a, b in ((red, green), (green, blue), (red, blue)))
        assert spread <= 12, f"page {number} has colour (channel spread {spread})"


# --- large print -------------------------------------------------------------------------------


# The default content's large print (published at an address), and the care home's (no address, so each passage a
# briefing cites is printed with where it is in the full text), each with the least 18pt text its body has. The care
# home's are short: most of their 18pt paragraphs are one line, so the commonest gap between lines is the gap between
# paragraphs, and their line spacing (the same stylesheet's) is measured on the default content's only.
LARGE_PRINTS = [*((audience, 1000) for audience in AUDIENCES), ("care-home/families", 400), ("care-home/scrutiny", 400)]


@pytest.mark.parametrize(("audience", "body_chars"), LARGE_PRINTS, ids=[audience for audience, _ in LARGE_PRINTS])
def test_large_print_is_16pt_and_up_without_italics(manifest: dict, built_site: Path, request: pytest.FixtureRequest,
                                                     audience: str, body_chars: int) -> None:
    if audience.startswith("care-home/"):
        path = request.getfixturevalue("care_home_site") / f"{audience}-large-print.pdf"
    else:
        path = output_file(manifest, built_site, "large-print", audience)
    sizes: Counter[float] = Counter()
    fonts: set[str] = set()
    line_gaps: Counter[float] = Counter()
    lines: dict[int, list[float]] = {}  # per page, the baseline of each line of 18pt text
    for char in printed_chars(path):
        if not char.text.strip():
            continue
        sizes[round(char.size, 1)] += 1
        fonts.add(char.fontname)
        tops = lines.setdefault(char.page, [])
        if round(char.size) == 18 and (not tops or abs(char.baseline - tops[-1]) > 1):
            tops.append(char.baseline)
    for tops in lines.values():
        line_gaps.update(round(b - a, 1) for a, b in zip(tops, tops[1:], strict=False) if 0 < b - a < 40)
    assert min(sizes) >= 16, f"text below 16pt: {sorted(sizes.items())[:5]}"
    assert sizes[18.0] > body_chars, "body text is 18pt (tables, captions and page numbers 16pt)"
    assert not [f for f in fonts if "italic" in f.lower() or "oblique" in f.lower()], fonts
    if not audience.startswith("care-home/"):
        spacing = line_gaps.most_common(1)[0][0] / 18
        assert 1.4 <= spacing <= 1.7, f"body line spacing {spacing:.2f}, want about 1.5"
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and len(pdf.pages) > 1
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
            assert "large print" in meta["dc:title"]


# --- provenance ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "large-print", "handout"])
def test_every_pdf_says_what_it_was_built_from(manifest: dict, built_site: Path, fmt: str) -> None:
    config = briefing_config()
    built, _ = build_date(os.environ, config["updated"])
    for audience in AUDIENCES:
        path = output_file(manifest, built_site, fmt, audience)
        text = pdf_text(path)
        assert "Content version" in text and "Built" in text, path.name
        assert "Operation Amazon (IOPC published summary)" in text and "Open Government Licence v3.0" in text
        assert re.search(r"Also drawn on \d+ other", text), "counts the other sources"
        with pikepdf.open(path) as pdf:
            assert "content version" in str(pdf.docinfo["/Keywords"])
            assert str(pdf.docinfo["/CreationDate"]) == "D:" + built.replace("-", "")
            assert str(pdf.docinfo["/ModDate"]) == "D:" + config["updated"].replace("-", "")


def test_build_date_is_source_date_epoch_or_the_content_date() -> None:
    assert build_date({"SOURCE_DATE_EPOCH": "1767225600"}, "2026-11-23") == ("2026-01-01", "SOURCE_DATE_EPOCH")
    assert build_date({}, "2026-11-23") == ("2026-11-23", "content")
    assert build_date({"SOURCE_DATE_EPOCH": "soon"}, "2026-11-23") == ("2026-11-23", "content")


def _render(minimal: Path, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Build `formats` into a fresh folder with the real build, and return every output's bytes by path."""
    import tempfile

    from briefings.build.builder import Options, build

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        result = build(Options(minimal, out, jobs=1, formats=formats))
        assert result.ok, [str(p) for p in result.problems.sorted()]
        return {p.record.path: (out / p.record.path).read_bytes() for e in result.entries for p in e.outputs if p.status == "built"}


def test_outputs_are_reproducible_and_honour_source_date_epoch(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = _render(minimal, ("html", "handout"))
    assert first == _render(minimal, ("html", "handout")), "the same content builds to the same bytes"
    assert "Built 23 November 2026" in first["minimal/survivors.html"].decode("utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    later = _render(minimal, ("html",))["minimal/survivors.html"].decode("utf-8")
    assert "Built 1 January 2026" in later and '<meta name="dcterms.created" content="2026-01-01">' in later


def test_without_base_url_the_handout_names_the_files(minimal: Path) -> None:
    from briefings.check.publication import check
    from briefings.render.environment import make_environment
    from briefings.render.handout import render_handout_html

    (item,) = check(minimal, Problems())
    survivors = item.pub.briefings[0]
    html = render_handout_html(make_environment(), item.pub, survivors, "test-version")
    assert "<img" not in html and 'minimal/<wbr><span class="unbroken">survivors-large-print</span><wbr>.pdf' in html  # where a line may break it, as a card's address


def test_base_url_must_be_https(minimal: Path) -> None:
    config = minimal / "briefing.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("base_url: none", "base_url: http://example.org/briefings/"), encoding="utf-8")
    result = run_cli("check", "--content", str(minimal))
    assert result.returncode == 1
    assert "briefing.yaml:8:11: base_url: 'http://example.org/briefings/' is not in the expected form" in result.stderr
