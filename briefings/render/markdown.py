"""Inline Markdown as every output renders it: emphasis and links only, and links only to safe places.

Kept apart from the Jinja2 environment (briefings.render.environment, which uses it for the `md`
filter) so that the checks can read a text exactly as a page prints it (briefings.check.published)
without loading the templates' machinery.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_LINKS = ("http://", "https://", "mailto:", "tel:", "#")


def _markdown() -> MarkdownIt:
    """Inline Markdown: emphasis and links only; raw HTML is escaped, not passed through."""
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(["emphasis", "link", "escape"])
    md.validateLink = lambda url: url.strip().lower().startswith(ALLOWED_LINKS)  # type: ignore[method-assign]
    return md


_MD = _markdown()


def inline_markdown(text: str, id_prefix: str = "", link_target: str = "") -> Markup:
    """Render one text field's inline Markdown to safe HTML.

    `id_prefix` and `link_target` are the output's own (see `scoped_id`): in-page links ("#id")
    point at the prefixed id, and links out (http:// and https://) open in `link_target`.
    """
    tokens = _MD.parseInline(text)
    if id_prefix or link_target:
        for token in tokens:
            for child in token.children or []:
                if child.type == "link_open":
                    _adjust_link(child, id_prefix, link_target)
    return Markup(_MD.renderer.render(tokens, _MD.options, {}).strip())


def _adjust_link(link: Token, id_prefix: str, link_target: str) -> None:
    href = str(link.attrGet("href") or "")
    if id_prefix and href.startswith("#") and len(href) > 1:
        link.attrSet("href", "#" + scoped_name(id_prefix, href[1:]))
    elif link_target and href.startswith(("http://", "https://")) and link.attrGet("target") is None:
        # target goes right after href, where the page's own templates write it
        attrs = list(link.attrs.items())
        link.attrs = dict([attrs[0], ("target", link_target), *attrs[1:]])


def scoped_name(prefix: str, name: str) -> str:
    """`name` inside an output whose ids start with `prefix` ("" for a page of its own)."""
    return f"{prefix}-{name}" if prefix else name
