"""Render one audience's briefing as a standalone, accessible HTML page, and the context every format shares.

`briefing_context` is the one set of template variables that every output of an audience's
briefing starts from (the page, the large print and iframe pages, the handout and the embed);
each format adds or replaces only what is its own.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath

from jinja2 import Environment
from markupsafe import Markup

from briefings.languages import language
from briefings.model import AudienceBriefing, Publication
from briefings.pictures import OPENMOJI_CREDIT, symbol
from briefings.problems import PageLimit, Problems
from briefings.render.environment import PageWords, assets
from briefings.render.fonts import BASE, families_for, font_faces, visible_text
from briefings.render.formats import output_path, publication_path, source_path
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


def source_pages(pub: Publication, briefing: AudienceBriefing) -> dict[str, str]:
    """Each republished source's page, relative to the audience's outputs ("sources/<id>.html"; from a translation's
    folder, "../sources/<id>.html"): where a page beside them links to it, and what an output that cannot link prints."""
    here = posixpath.dirname(publication_path(pub, briefing.audience, "html"))  # a translation's: <slug>/<language>/
    return {source: posixpath.relpath(source_path(pub.slug, source), here) for source in pub.republished}


def addressed_source_pages(pub: Publication) -> dict[str, str]:
    """Each republished source's page at its web address, for outputs read away from the site (PDFs, the embed):
    "" without a base_url, where they print the page's place instead of linking to it."""
    return {source: pub.public_url(source_path(pub.slug, source)) for source in pub.republished}


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
    has_table = briefing.shows("fact_table")
    # Readers who may be at risk need to leave in a hurry; other audiences do not get the button.
    quick_exit = pub.quick_exit_url if briefing.policy.quick_exit else ""
    pages = source_pages(pub, briefing)
    easy_read = briefing.policy.easy_read
    shows_support = briefing.shows("support", "support_summary")
    # An Easy Read shows each support contact beside a bundled telephone: OpenMoji's too, credited with the rest.
    credits = briefing.credits() + ([OPENMOJI_CREDIT] if easy_read and shows_support else [])
    words = PageWords(pub.words)
    return {
        "pub": pub,
        "briefing": briefing,
        "content_version": content_version,
        "prov": provenance(pub, content_version),
        "canonical_url": pub.public_url(publication_path(pub, briefing.audience, "html")),
        # The inline style and script: the Content-Security-Policy allows exactly these (see `with_csp`).
        "css": assets(env).page_css(easy_read_css(briefing)),
        "page_js": assets(env).script("quick-exit.js") if quick_exit else "",
        "quick_exit": quick_exit,
        "key_points_heading": briefing.policy.key_points_heading,
        "cite_numbers": {fact_id: number for number, fact_id in enumerate(briefing.cited, start=1)},
        "show_citations": has_table,
        "abbreviations": {term["term"]: term["expansion"] for term in briefing.terms if "expansion" in term},
        # Where citations of a republished source's passages link (a page beside the source pages: relative), and
        # what outputs print instead where that is "" (see addressed_source_pages).
        "source_pages": pages,
        "source_locations": pages,
        "edition": "",  # e.g. "large print", after the audience's label
        # Easy Read: what its pictures ask to be credited on every page, its hard words (listed at the end), the support picture.
        "picture_credits": list(dict.fromkeys(credits)),
        "hard_words": [term for term in briefing.terms if "expansion" not in term] if easy_read else [],
        "hard_words_at": hard_words_at(briefing),
        "telephone": symbol("telephone") if easy_read else None,
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


def hard_words_at(briefing: AudienceBriefing) -> int:
    """The index of the section the hard words list comes before: the last one when it holds the support
    cards (so that support ends the page), else after every section."""
    sections = briefing.sections
    if sections and any(block.kind in ("support", "support_summary") for block in sections[-1].blocks):
        return len(sections) - 1
    return len(sections)


def easy_read_css(briefing: AudienceBriefing) -> str:
    """The stylesheet an Easy Read adds to the page's ("" for other audiences)."""
    return "easy-read.css" if briefing.policy.easy_read else ""


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


def render_pdf_page(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """The HTML of the `pdf` format: the page, its links to the source pages made absolute (or printed, without base_url)."""
    context = briefing_context(env, pub, briefing, content_version)
    context["source_pages"] = addressed_source_pages(pub)
    return render_briefing_page(env, context)


def page_pdf(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `pdf` format: the same page, printed by WeasyPrint as tagged PDF/UA-1.

    An audience with a page limit (an Easy Read: 24) gets a content problem, not a PDF, when it is longer,
    at the line of the section that runs past the limit.
    """
    from briefings.package_data import TEMPLATES
    from briefings.render.pdf import render_pdf_pages

    pdf, pages = render_pdf_pages(render_pdf_page(env, pub, briefing, content_version), allowed=(TEMPLATES, pub.folder),
                                  page_words=pub.words)
    most = briefing.policy.max_pages
    if most is not None and len(pages) > most:
        raise PageLimit(page_limit_problem(briefing, pages, most))
    return pdf


def page_limit_problem(briefing: AudienceBriefing, pages: list[set[str]], most: int) -> Problems:
    """The problem of a PDF longer than `most` pages, at the section that runs past the last page allowed."""
    where: tuple[str, int, int] = (briefing.path, 1, 1)
    for section in briefing.sections:  # the last section that starts on or before the first page too many
        if any(section.id in page for page in pages[: most + 1]):
            where = section.where
    kind = "Easy Read" if briefing.policy.easy_read else briefing.label
    problems = Problems()
    problems.add(*where, f"the {kind} PDF has {len(pages)} pages; {kind} keeps to {most} pages at most",
                 f"page {most + 1} is in this section: make the briefing shorter, or split it into two",
                 rule="easy" if briefing.policy.easy_read else "pages")
    return problems
