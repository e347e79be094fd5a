"""Render HTML to tagged PDF/UA-1 with WeasyPrint.

WeasyPrint is imported here and only here, on first use, so that `check` and
`--help` never pay for it.
"""

from __future__ import annotations

import atexit
import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefings.package_data import TEMPLATES
from briefings.render.fonts import WOFF2_DATA, sfnt
from briefings.render.pdf_artifacts import artifact_untagged_content
from briefings.words import PAGE_NUMBER


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """Fetch data: URLs and files inside the allowed folders; refuse the network and everything else."""

        def __init__(self, allowed: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.allowed = tuple(p.resolve() for p in allowed)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.allowed):
                    raise ValueError(f"refused to read {path}: outside the templates and content folders")
            elif url.startswith(WOFF2_DATA):  # a bundled font (fonts.font_faces): handed over decompressed, once per process
                import base64
                import binascii

                from weasyprint.urls import URLFetcherResponse

                try:
                    woff2 = base64.b64decode(url[len(WOFF2_DATA):], validate=True)
                except binascii.Error:
                    return super().fetch(url, headers)
                return URLFetcherResponse(url, body=sfnt(woff2), headers={"Content-Type": "font/sfnt"})
            elif not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url}: briefings never reach the network")
            return super().fetch(url, headers)

    return LocalFetcher


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
# Module-level on purpose: the FontConfigurations belong to the process that renders PDFs (each
# worker keeps its own from one PDF to the next, released at exit), not to a Jinja2 environment,
# and they are keyed by the very @font-face rules a document declares, so an edited font or
# stylesheet gets a configuration of its own and nothing stale is ever reused. (The stylesheets,
# scripts and fonts that pages inline are cached per environment: environment.Assets.)
_font_configs: dict[str, Any] = {}


def _font_config(html: str) -> Any:
    """Return the FontConfiguration shared by every document that declares the same @font-face rules.

    WeasyPrint skips the faces a FontConfiguration already holds, so sharing one saves loading
    the page fonts again for every PDF (about 0.2 s each; the PDF is byte for byte the same).
    Keying by the declared faces means no document ever gets a font that only another declared.
    """
    key = hashlib.sha256("".join(_FONT_FACE.findall(html)).encode("utf-8")).hexdigest()
    config = _font_configs.get(key)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        if len(_font_configs) >= 4:
            release_fonts()
        config = _font_configs[key] = FontConfiguration()
    return config


def release_fonts() -> None:
    """Drop the shared font configurations (WeasyPrint deletes their temporary font files)."""
    _font_configs.clear()


atexit.register(release_fonts)


_PLACES = re.compile(r"%\((page|pages)\)s")


def _css_string(text: str) -> str:
    """A CSS string holding `text` exactly."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def page_number_rule(words: dict[str, str] | None) -> str:
    """The rule for the page number at the foot of every page, in the page's language: `words` (the page's own words of
    a translation, briefings.words.PAGE_NUMBER among them) says how, else English. The Easy Read's picture credit
    (pdf.css's `picture-credit` string, ending in a line break; empty elsewhere) is the line above it."""
    template = (words or {}).get(PAGE_NUMBER) or PAGE_NUMBER
    if sorted(_PLACES.findall(template)) != ["page", "pages"]:
        template = PAGE_NUMBER  # a translation that lost a number (the translation check reports it)
    parts = []
    for piece in _PLACES.split(template):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return "@page { @bottom-center { content: string(picture-credit) " + " ".join(parts) + "; } }"


def render_pdf(html: str, allowed: tuple[Path, ...] = (TEMPLATES,), base_url: Path = TEMPLATES,
               page_words: dict[str, str] | None = None) -> bytes:
    """Render one HTML document to a PDF/UA-1 file and return its bytes."""
    return render_pdf_pages(html, allowed, base_url, page_words)[0]


def render_pdf_pages(html: str, allowed: tuple[Path, ...] = (TEMPLATES,), base_url: Path = TEMPLATES,
                     page_words: dict[str, str] | None = None) -> tuple[bytes, list[set[str]]]:
    """Render one HTML document to a PDF/UA-1 file; return its bytes and, for each page, the ids of the elements that start on it.

    `page_words` are a translation's words for the page's own (briefings.render.environment.PageWords): the page
    number at each page's foot is written in them (`page_number_rule`)."""
    from weasyprint import CSS, DEFAULT_OPTIONS, HTML

    from briefings.render.weasyprint_fixes import install

    install()
    fetcher = _fetcher_class()(allowed)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    fonts = _font_config(html)
    paged = CSS(filename=str(TEMPLATES / "pdf.css"), url_fetcher=fetcher, font_config=fonts)
    numbers = CSS(string=page_number_rule(page_words), font_config=fonts)  # after pdf.css: its page number in the page's words
    # HTML.write_pdf is render() then Document.write_pdf() with the same options; done in two steps, the pages can be counted.
    options = {**DEFAULT_OPTIONS, "stylesheets": [paged, numbers], "pdf_variant": "pdf/ua-1", "pdf_identifier": identifier}
    document = HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).render(font_config=fonts, **options)
    pages = [set(page.anchors) for page in document.pages]
    pdf = document.write_pdf(**{key: options[key] for key in DEFAULT_OPTIONS})
    return artifact_untagged_content(pdf), pages


def warm_up() -> None:
    """Load the page fonts and WeasyPrint's lazily built state before the first real document."""
    from briefings.render.environment import stylesheet

    try:
        render_pdf(f"<!DOCTYPE html><html lang='en'><title>-</title><style>{stylesheet()}</style><p>-</p></html>")
    except Exception:  # noqa: S110 - only a head start: the real documents report any real problem
        pass
