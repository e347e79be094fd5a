"""Build the one Jinja2 environment every renderer uses: autoescape on, undefined is an error."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from briefings.model import ACRONYM
from briefings.package_data import TEMPLATES
from briefings.phones import phone

ALLOWED_LINKS = ("http://", "https://", "mailto:", "tel:", "#")
FONTS = {
    (400, "normal"): "atkinson-hyperlegible-latin-400-normal.woff2",
    (700, "normal"): "atkinson-hyperlegible-latin-700-normal.woff2",
    (400, "italic"): "atkinson-hyperlegible-latin-400-italic.woff2",
    (700, "italic"): "atkinson-hyperlegible-latin-700-italic.woff2",
}


def _markdown() -> MarkdownIt:
    """Inline Markdown: emphasis and links only; raw HTML is escaped, not passed through."""
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(["emphasis", "link", "escape"])
    md.validateLink = lambda url: url.strip().lower().startswith(ALLOWED_LINKS)  # type: ignore[method-assign]
    return md


_MD = _markdown()


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def inline_markdown(text: str) -> Markup:
    """Render one text field's inline Markdown to safe HTML."""
    return Markup(_MD.renderInline(text).strip())


def mark_abbreviations(html: str, terms: dict[str, str]) -> str:
    """Wrap glossary abbreviations in <abbr title>, touching text only, never tags or attributes."""
    parts = _TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):  # even items are text between tags
        parts[i] = ACRONYM.sub(
            lambda m: f'<abbr title="{escape(terms[m.group(0)])}">{m.group(0)}</abbr>' if m.group(0) in terms else m.group(0),
            parts[i],
        )
    return "".join(parts)


@pass_context
def markdown_filter(ctx: Context, text: str) -> Markup:
    """The `md` filter: inline Markdown, with the page's glossary abbreviations marked up."""
    html = inline_markdown(text)
    terms = ctx.get("abbreviations")
    return Markup(mark_abbreviations(html, terms)) if terms else html


def long_date(iso: str) -> str:
    """Write a YYYY-MM-DD date the way people read it: 23 November 2026."""
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B} {day.year}"


@pass_context
def tel(ctx: Context, number: str) -> str:
    """The tel: link target of a phone number, read in the publication's region (checked valid before rendering)."""
    found = phone(number, ctx["pub"].phone_region)
    return found.tel if found else "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


@pass_context
def phone_shown(ctx: Context, number: str) -> str:
    """A phone number as a reader in the publication's region writes it (national format; international if foreign)."""
    found = phone(number, ctx["pub"].phone_region)
    return found.shown if found else number


@lru_cache(maxsize=4)
def stylesheet(templates: Path = TEMPLATES) -> Markup:
    """Return the page CSS with the fonts inlined, so each page stands alone."""
    faces = []
    for (weight, style), name in FONTS.items():
        data = base64.b64encode((templates / "fonts" / name).read_bytes()).decode("ascii")
        faces.append(
            "@font-face{font-family:'Atkinson Hyperlegible';"
            f"font-weight:{weight};font-style:{style};font-display:swap;"
            f"src:url(data:font/woff2;base64,{data}) format('woff2')}}"
        )
    css = (templates / "briefing.css").read_text(encoding="utf-8")
    return Markup("\n".join(faces) + "\n" + css)


@lru_cache(maxsize=8)
def script(name: str, templates: Path = TEMPLATES) -> Markup:
    """Return one of our own scripts, to inline in a page."""
    return Markup((templates / name).read_text(encoding="utf-8"))


def make_environment(templates: Path = TEMPLATES) -> Environment:
    """Create the Jinja2 environment for the templates folder."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "j2", "xml"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_filter
    env.filters["tel"] = tel
    env.filters["phone"] = phone_shown
    env.filters["long_date"] = long_date
    return env
