"""Render one audience's briefing as a standalone, accessible HTML page, and the context every format shares.

`briefing_context` is the one set of template variables that every output of an audience's
briefing starts from (the page, the large print and iframe pages, the handout and the embed);
each format adds or replaces only what is its own.
"""

from __future__ import annotations

import base64
import hashlib

from jinja2 import Environment
from markupsafe import Markup

from briefings.languages import language
from briefings.model import AudienceBriefing, Publication
from briefings.render.environment import PageWords, assets
from briefings.render.fonts import BASE, families_for, font_faces, visible_text
from briefings.render.formats import output_path, publication_path
from briefings.render.provenance import provenance
from briefings.words import LANGUAGES_LABEL


def content_security_policy(styles: list[str], scripts: list[str]) -> str:
    """Allow exactly our own inline style and script (by hash), data: fonts and images, and nothing else."""

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    script_src = " ".join(digest(script) for script in scripts) or "'none'"
    return (
        f"default-src 'none'; style-src {' '.join(digest(style) for style in styles)}; script-src {script_src}; "
        "font-src data:; img-src data:; base-uri 'none'; form-action 'none'"
    )


def other_languages(pub: Publication, audience: str, name: str = "html") -> list[dict[str, str]]:
    """The same page in each other language the briefing is published in: its tag, its name in itself, its direction
    and a link relative to this page (`<slug>/<audience>.html` and `<slug>/<lang>/<audience>.html`)."""
    here = pub.output_language
    out = []
    for tag in pub.languages:
        if tag == pub.language:
            continue
        folder = "" if tag == (pub.original_language or pub.language) else f"{tag}/"
        href = ("../" if here else "") + folder + output_path(pub.slug, audience, name).split("/", 1)[1]
        info = language(tag)
        out.append({"tag": tag, "name": info.name, "dir": info.direction, "href": href})
    return out


def briefing_context(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> dict[str, object]:
    """Return the template variables that every format of one audience's briefing shares."""
    has_table = any(block.kind == "fact_table" for section in briefing.sections for block in section.blocks)
    # Readers who may be at risk need to leave in a hurry; other audiences do not get the button.
    quick_exit = pub.quick_exit_url if briefing.policy.quick_exit else ""
    words = PageWords(pub.words)
    return {
        "pub": pub,
        "briefing": briefing,
        "content_version": content_version,
        "prov": provenance(pub, content_version),
        "canonical_url": pub.public_url(publication_path(pub, briefing.audience, "html")),
        # The inline style and script: the Content-Security-Policy allows exactly these (see `with_csp`).
        "css": assets(env).stylesheet,
        "page_js": assets(env).script("quick-exit.js") if quick_exit else "",
        "quick_exit": quick_exit,
        "key_points_heading": briefing.policy.key_points_heading,
        "cite_numbers": {fact_id: number for number, fact_id in enumerate(briefing.cited, start=1)},
        "show_citations": has_table,
        "abbreviations": {term["term"]: term["expansion"] for term in briefing.terms if "expansion" in term},
        "edition": "",  # e.g. "large print", after the audience's label
        # Where the output sits: its own page (no id prefix, headings from h1, links in place), or
        # inside another page (the embed: ids prefixed, headings one level down; the iframe page:
        # links out open in the top window). See environment.scoped_id and environment.heading.
        "id_prefix": "",
        "heading_offset": 0,
        "link_target": "",
        # The page's direction, and a translation's original language, which its verbatim quotes are in.
        "text_dir": language(pub.language).direction,
        "original_lang": pub.original_language,
        "original_dir": language(pub.original_language).direction if pub.original_language else "",
        "other_languages": other_languages(pub, briefing.audience),
        "languages_label": words(LANGUAGES_LABEL),
        "_": words,
    }


def with_csp(context: dict[str, object]) -> dict[str, object]:
    """Add the Content-Security-Policy for the context's own inline style and script."""
    css, page_js = str(context["css"]), str(context["page_js"])
    return {**context, "csp": content_security_policy([css], [page_js] if page_js else [])}


def render_with_fonts(env: Environment, template: str, context: dict[str, object]) -> str:
    """Render a page whose stylesheet (`css`) carries the base font, adding the other bundled fonts its text needs
    (briefings.render.fonts): a page in Polish gets the Latin Extended faces, one in Urdu Scheherazade New."""
    page = env.get_template(template).render(with_csp(context))
    families = families_for(visible_text(page))
    if families == (BASE,):
        return page
    more = {**context, "css": Markup(font_faces(tuple(f for f in families if f != BASE)) + "\n" + str(context["css"]))}  # noqa: S704 - our fonts
    return env.get_template(template).render(with_csp(more))


def render_briefing_page(env: Environment, context: dict[str, object]) -> str:
    """Render briefing.html.j2 (the page, large print and iframe page) from a context built on `briefing_context`."""
    return render_with_fonts(env, "briefing.html.j2", context)


def render_page(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the full HTML page for one audience."""
    return render_briefing_page(env, briefing_context(env, pub, briefing, content_version))


def page_bytes(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `html` format: the standalone page."""
    return render_page(env, pub, briefing, content_version).encode("utf-8")


def page_pdf(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `pdf` format: the same page, printed by WeasyPrint as tagged PDF/UA-1."""
    from briefings.package_data import TEMPLATES
    from briefings.render.pdf import render_pdf

    return render_pdf(render_page(env, pub, briefing, content_version), allowed=(TEMPLATES, pub.folder))
