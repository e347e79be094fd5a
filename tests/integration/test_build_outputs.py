"""The default build makes every audience's HTML and tagged PDF, with the key facts in the PDF's text."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import outputs, run_cli

AUDIENCES = ["survivors", "journalists", "councillors", "easy-read"]

# Facts each audience must be able to read in the PDF itself (extracted with pdftotext).
KEY_TEXT = {
    "survivors": ["not your fault", "0808 801 0331", "116 123", "upheld", "Before you read"],
    "journalists": ["93", "91", "23 July 2017", "upheld", "anonymity", "Sexual Offences (Amendment) Act 1992", "Chief Superintendent"],
    "councillors": ["upheld", "Questions to ask", "senior leadership", "2022", "2025"],
    "easy-read": ["not your fault", "0808 801 0331", "116 123", "999", "Before you read", "Hard words", "watchdog",
                  "OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0"],
}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_manifest_lists_every_audience_and_format(manifest: dict, built_site: Path) -> None:
    (briefing,) = manifest["briefings"]
    assert briefing["slug"] == "operation-amazon"
    assert briefing["title"]
    found = {(o["audience"], o["format"]) for o in briefing["outputs"]}
    assert found == {(a, f) for a in AUDIENCES for f in ("html", "pdf", "large-print", "handout", "embed", "iframe")} | {(None, "source")}
    assert briefing["sources"] == [{"id": "iopc-operation-amazon-2025", "title": "Operation Amazon (IOPC published summary)"}]
    for o in briefing["outputs"]:
        data = (built_site / o["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == o["sha256"]
        if o["audience"] is None:  # the full text of the IOPC summary, the one source the project may republish
            assert o == {**o, "source": "iopc-operation-amazon-2025", "path": "operation-amazon/sources/iopc-operation-amazon-2025.html",
                         "readability": {}}
            continue
        assert set(o["readability"]) >= {"flesch_kincaid_grade", "flesch_reading_ease", "mean_sentence_words", "max_sentence_words"}


def test_build_report_shows_each_audience(built_site: Path) -> None:
    report = (built_site / "build-report.txt").read_text(encoding="utf-8")
    for audience in AUDIENCES:
        assert f"operation-amazon / {audience}" in report
    assert "grade" in report and "ease" in report


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_is_tagged_with_title_and_language(manifest: dict, built_site: Path, audience: str) -> None:
    (out,) = [o for o in outputs(manifest, "pdf") if o["audience"] == audience]
    with pikepdf.open(built_site / out["path"]) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as meta:
            assert "Operation Amazon" in meta["dc:title"]
            assert meta.get("pdfuaid:part") == "1"
        assert "/Outlines" in root, "bookmarks from headings"
        box = [float(x) for x in pdf.pages[0].MediaBox]
        assert round(box[2] / 72 * 25.4) == 210 and round(box[3] / 72 * 25.4) == 297, "A4"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_text_carries_key_facts(manifest: dict, built_site: Path, audience: str) -> None:
    (out,) = [o for o in outputs(manifest, "pdf") if o["audience"] == audience]
    text = " ".join(pdf_text(built_site / out["path"]).split())
    for needle in KEY_TEXT[audience]:
        assert needle in text, f"{audience} PDF lacks {needle!r}"
    assert "Page 1 of" in text, "page numbers"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_page_is_standalone(manifest: dict, built_site: Path, audience: str) -> None:
    (out,) = [o for o in outputs(manifest, "html") if o["audience"] == audience]
    html = (built_site / out["path"]).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert re.search(r'<html lang="en-GB" dir="ltr"( class="with-quick-exit")?>', html), "the page says its language and direction (survivors also carry the quick-exit class)"
    assert 'href="#main"' in html and '<main id="main">' in html
    assert "@media print" in html
    assert "<script src" not in html and "http://fonts" not in html and "https://fonts" not in html
    assert "url(data:font/woff2" in html


def test_check_command_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("check", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Check passed." in result.stdout
    assert not out.exists()


def test_module_and_console_script_entry_points() -> None:
    import shutil
    import sys

    result = subprocess.run([sys.executable, "-m", "briefings", "--help"], capture_output=True, text=True, check=True)
    assert "build" in result.stdout and "--strict" in result.stdout
    script = shutil.which("briefings", path=str(Path(sys.executable).parent))
    assert script, "the briefings console script is installed beside this Python"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert "--content" in result.stdout


def test_code_passes_ruff() -> None:
    """The lint rules in pyproject.toml hold for the whole tree (ruff is in the test extras)."""
    import shutil
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is installed with the test extras"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([ruff, "check", "briefings", "tests", "build.py", "bench"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_easy_read_cards_and_hard_words_come_before_support(built_site: Path) -> None:
    """The Easy Read's 999 card says to phone straight away, not to check a website; other cards say it in two
    short sentences; the hard words come before the last section, so that support ends the page."""
    page = (built_site / "operation-amazon" / "easy-read.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="easy-contact">.*?</li>', page[page.index('id="support-again"'):], re.S)  # the full cards
    emergency = [card for card in cards if 'href="tel:999"' in card]
    assert emergency and all("straight away" in card and "website" not in card for card in emergency)
    others = [card for card in cards if 'href="tel:999"' not in card]
    assert others and all("You can check them on its website." in card for card in others)
    assert "Please check them on its website before you rely on them." not in page
    assert page.index('id="hard-words"') < page.index('id="support-again"')


def test_every_audience_s_999_card_says_to_phone_straight_away(built_site: Path) -> None:
    """A contact marked `emergency: true` never asks the reader to check it on a website first, on any audience's page."""
    for audience in ("survivors", "journalists", "councillors"):
        page = (built_site / "operation-amazon" / f"{audience}.html").read_text(encoding="utf-8")
        cards = re.findall(r'<li class="contact">.*?</li>', page, re.S)
        emergency = [card for card in cards if 'href="tel:999"' in card]
        assert emergency, f"{audience}: no 999 card"
        for card in emergency:
            assert "If you are in danger now, phone 999 straight away." in card and "rely on them" not in card, card
        assert any("rely on them" in card for card in cards if card not in emergency), "the other cards keep their note"


def test_the_bench_floor_times_every_pdf_the_build_prints(built_content: Path, manifest: dict, tmp_path: Path) -> None:
    """bench/bench.py's floor is WeasyPrint's time for the very documents the build prints: it must catch every PDF."""
    import json
    import sys

    from conftest import ROOT

    from briefings.render.formats import FORMATS

    saved = tmp_path / "documents.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--capture", str(built_content), "--sample", "1",
                    "--to", str(saved)], check=True, capture_output=True, text=True, timeout=300)
    documents = json.loads(saved.read_text(encoding="utf-8"))["documents"]
    pdfs = [o for o in manifest["briefings"][0]["outputs"] if FORMATS[o["format"]].is_pdf]
    assert len(pdfs) == 12 and len(documents) == len(pdfs), f"{len(documents)} documents timed for {len(pdfs)} PDFs"
    assert all(html.lstrip().lower().startswith("<!doctype html>") for html, _, _ in documents)
