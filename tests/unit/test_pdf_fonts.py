"""The PDFs' fonts: each bundled WOFF2 face is decompressed once per process (those of every page in the workers' fork server) and handed to WeasyPrint, with the same PDF as a result."""

from __future__ import annotations

import hashlib
import signal
import sys
from io import BytesIO

import pikepdf
import pytest
from fontTools.ttLib import woff2

from briefings.package_data import TEMPLATES
from briefings.render import fonts, pdf
from briefings.render.environment import stylesheet

PAGE = "<!DOCTYPE html><html lang='en'><title>Fonts</title><style>{css}</style><p>Plain, <b>bold</b> and <em>stressed</em> words.</p></html>"


def _font_names(document: bytes) -> set[str]:
    with pikepdf.open(BytesIO(document)) as opened:
        return {str(font.get("/BaseFont")) for page in opened.pages for font in page.Resources.Font.values()}


def test_each_bundled_face_decompresses_as_weasyprint_would() -> None:
    for face in fonts.FACES:
        data = (TEMPLATES / "fonts" / face.file).read_bytes()
        out = BytesIO()
        woff2.decompress(BytesIO(data), out)
        assert fonts.sfnt(data) == out.getvalue(), face.file
        assert fonts.sfnt(data) is fonts.sfnt(data), "kept, not decompressed again"


def test_a_pdf_uses_the_decompressed_fonts_and_is_the_pdf_weasyprint_makes_of_the_woff2(monkeypatch: pytest.MonkeyPatch) -> None:
    html = PAGE.format(css=stylesheet())
    fonts.decompress_base()  # as in a worker: its CSS names the base family's faces only
    pdf.release_fonts()  # no font configuration of an earlier document: every face is fetched again

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("decompressed again")

    with monkeypatch.context() as patched:  # WeasyPrint's own decompression would fail: the faces must come decompressed
        patched.setattr(woff2, "decompress", refuse)
        ours = pdf.render_pdf(html)
    names = _font_names(ours)
    assert names and all("Atkinson-Hyperlegible" in name for name in names), names

    pdf.release_fonts()
    with monkeypatch.context() as patched:  # the fetcher no longer knows the fonts: WeasyPrint decompresses the WOFF2 itself
        patched.setattr(pdf, "WOFF2_DATA", "data:font/none;")
        theirs = pdf.render_pdf(html)
    pdf.release_fonts()
    assert ours == theirs, "the same PDF, byte for byte"


def test_the_fork_server_decompresses_the_fonts_of_every_page_and_compiles_the_templates_before_it_forks_a_worker() -> None:
    from briefings.build.workers import preload
    from briefings.render.environment import COMPILED_TEMPLATES

    assert preload()[0] == "briefings.render.fork_server", "first, so that Ctrl+C cannot interrupt the imports after it"
    fonts._SFNT.clear()
    COMPILED_TEMPLATES.clear()
    sys.modules.pop("briefings.render.fork_server", None)
    handler = signal.getsignal(signal.SIGINT)
    try:
        __import__("briefings.render.fork_server")
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, handler)
    base = [(TEMPLATES / "fonts" / face.file).read_bytes() for face in fonts.FACES if face.family == fonts.BASE]
    assert len(base) == 4 and set(fonts._SFNT) == {hashlib.sha256(data).digest() for data in base}, (
        "the four faces of the family every page carries, and no face that most documents never need")
    assert len(COMPILED_TEMPLATES) == len(list(TEMPLATES.rglob("*.j2")))
