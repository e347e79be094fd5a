"""Build the one Jinja2 environment every renderer uses: autoescape on, undefined is an error."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from briefings.model import ACRONYM, Picture
from briefings.package_data import TEMPLATES
from briefings.phones import phone
from briefings.pictures import in_greys
from briefings.render.fonts import BASE, font_faces
from briefings.render.markdown import inline_markdown, scoped_name

_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def mark_abbreviations(html: str, terms: dict[str, str]) -> str:
    """Wrap glossary abbreviations in <abbr title>, touching text only, never tags or attributes."""
    parts = _TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):  # even items are text between tags
        parts[i] = ACRONYM.sub(
            lambda m: f'<abbr title="{escape(terms[m.group(0)])}">{m.group(0)}</abbr>' if m.group(0) in terms else m.group(0),
            parts[i],
        )
    return "".join(parts)


# A run of left-to-right text inside right-to-left text: Latin words, numbers and what joins them
# ("South Yorkshire Police", "IOPC", "1999 to 2011", "0808 801 0331").
_LTR_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f .,:;'\u2019&/+-]*[A-Za-z0-9\u00c0-\u024f])?")


_ENTITY = re.compile(r"(&#?[A-Za-z0-9]+;)")


def isolate_ltr(html: str) -> str:
    """Mark each left-to-right run in the text of `html` (never in tags or attributes) as `<span dir="ltr">`, for a
    right-to-left page: the run keeps its own order and its punctuation stays with it."""
    parts = _TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):
        pieces = _ENTITY.split(parts[i])  # never inside "&amp;"
        parts[i] = "".join(p if k % 2 else _LTR_RUN.sub(lambda m: f'<span dir="ltr">{m.group(0)}</span>', p) for k, p in enumerate(pieces))
    return "".join(parts)


@pass_context
def markdown_filter(ctx: Context, text: str) -> Markup:
    """The `md` filter: inline Markdown, with the page's glossary abbreviations marked up and its links scoped
    (and, on a right-to-left page, each left-to-right run marked as such)."""
    html = str(inline_markdown(text, ctx.get("id_prefix", ""), ctx.get("link_target", "")))
    if ctx.get("text_dir") == "rtl":
        html = isolate_ltr(html)
    terms = ctx.get("abbreviations")
    return Markup(mark_abbreviations(html, terms) if terms else html)


@pass_context
def bidi_filter(ctx: Context, text: object) -> object:
    """The `bidi` filter: a plain text (a name, a title) with its left-to-right runs marked, on a right-to-left page."""
    if ctx.get("text_dir") != "rtl":
        return text
    return Markup(isolate_ltr(str(escape(text))))


# An output that sits inside another page (the embed) scopes every id and heading to itself:
# templates write each id, aria-labelledby, aria-describedby and in-page href through id(), and
# each heading's tag through h(), from the page-level names and levels.


@pass_context
def scoped_id(ctx: Context, name: str) -> str:
    """The template global `id(name)`: the id `name` as this output writes it (prefixed with `id_prefix`)."""
    return scoped_name(ctx.get("id_prefix", ""), name)


@pass_context
def heading(ctx: Context, level: int) -> str:
    """The template global `h(level)`: the tag of a page-level heading, moved down by `heading_offset` ("h2" for h(1) in an embed)."""
    return f"h{level + ctx.get('heading_offset', 0)}"


@pass_context
def long_date(ctx: Context, iso: str) -> str:
    """Write a YYYY-MM-DD date the way people read it: 23 November 2026 (in another language, as CLDR writes it there)."""
    from datetime import date

    day = date.fromisoformat(iso)
    pub = ctx.get("pub")
    lang = getattr(pub, "language", "") if getattr(pub, "original_language", "") else ""
    if lang:
        from babel import Locale, UnknownLocaleError
        from babel.dates import format_date

        try:
            return format_date(day, format="long", locale=Locale.parse(lang, sep="-"))
        except (UnknownLocaleError, ValueError):
            pass  # a pseudo-locale: the English date
    return f"{day.day} {day:%B} {day.year}"


class PageWords:
    """The template global `_`: the page's own words in the page's language (English: as they are written).

    `_("Details checked with the service %(date)s.", date=…)` fills the named values in after
    translating, each escaped, so a translation never changes what is escaped.
    """

    def __init__(self, words: dict[str, str] | None = None) -> None:
        self.words = words or {}

    def __call__(self, message: str, **values: object) -> Markup:
        text = Markup(escape(self.words.get(str(message)) or str(message)))
        return text % values if values else text


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


@pass_context
def picture_src(ctx: Context, picture: Picture) -> str:
    """The `src` of an Easy Read picture: a data: address, in greys where the output says so (the handout)."""
    return (in_greys(picture) if ctx.get("grey_pictures") else picture).data_uri


# A word kept on one line (briefing.css, embed.css: white-space: nowrap): by `address` and `unbroken_hyphens`.
_UNBROKEN = Markup('<span class="unbroken">%s</span>')
# Where an address may break: after @ or a / (not in or just after the "://" of a scheme), and before a dot (not after "www").
_ADDRESS_BREAKS = re.compile(r"(?<=[@/])(?<!://)(?=[^/])|(?<=.)(?<!^www)(?<!//www)(?=\.)")


def address(text: str, *, scheme: bool = False) -> Markup:
    """An email or web address as shown, with places a narrow line may break it: after @ and /, before each dot
    ("enquiries@<wbr>policeconduct<wbr>.gov<wbr>.uk"; "www.policeconduct<wbr>.gov<wbr>.uk"), never in the middle of a
    word, and never at a hyphen: a part with one is kept on one line (`unbroken`, white-space: nowrap), since
    "plain-" at the end of a printed line reads as a hyphen added by the break. The scheme ("https://") is left
    out unless `scheme` (a canonical address, printed in full). The whole is one `address` span (pdf.css: in print
    it breaks only at those places)."""
    shown = str(text) if scheme else str(text).removeprefix("https://").removeprefix("http://")
    parts = (escape(part) for part in _ADDRESS_BREAKS.split(shown))
    shown_parts = Markup("<wbr>").join(_UNBROKEN % part if "-" in part else part for part in parts)
    return Markup('<span class="address">%s</span>') % shown_parts


_HYPHENATED = re.compile(r"\S*\w-\w\S*")


def unbroken_hyphens(text: str) -> Markup:
    """`text` with each word that holds a hyphen kept on one line (`unbroken`): a licence's name ("CC BY-SA 4.0")
    broken as "CC BY-" / "SA 4.0" reads as two words."""
    return Markup(_HYPHENATED.sub(lambda m: _UNBROKEN % Markup(m.group()), escape(text)))


def stylesheet(templates: Path = TEMPLATES, families: tuple[str, ...] = (BASE,)) -> Markup:
    """Return the page CSS with the fonts of `families` inlined, so each page stands alone (read afresh: see Assets)."""
    css = (templates / "briefing.css").read_text(encoding="utf-8")
    return Markup(font_faces(families, templates) + "\n" + css)


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


class Assets:
    """The stylesheets and scripts that outputs inline, each read from the templates folder once.

    One belongs to each environment that make_environment() builds (see `assets`), so they live
    exactly as long as the environment's own template cache: a new environment reads every
    template, stylesheet, script and font again.
    """

    def __init__(self, templates: Path) -> None:
        self.templates = templates
        self._files: dict[str, str] = {}
        self._sheets: dict[str, Markup] = {}

    def text(self, name: str) -> str:
        """One file of the templates folder, as text."""
        if name not in self._files:
            self._files[name] = (self.templates / name).read_text(encoding="utf-8")
        return self._files[name]

    @cached_property
    def stylesheet(self) -> Markup:
        """The page CSS with the fonts inlined."""
        return stylesheet(self.templates)

    def page_css(self, *extras: str) -> Markup:
        """The page CSS, followed by more stylesheets of our own (e.g. "handout.css"), in order, when named."""
        names = tuple(name for name in extras if name)
        if not names:
            return self.stylesheet
        key = "+".join(names)
        if key not in self._sheets:
            self._sheets[key] = Markup("\n".join([str(self.stylesheet), *(self.text(name) for name in names)]))
        return self._sheets[key]

    def script(self, name: str) -> Markup:
        """One of our own scripts, to inline in a page."""
        return Markup(self.text(name))

    @cached_property
    def _embed_css(self) -> str:
        css = _CSS_COMMENT.sub("", self.text("embed.css"))  # keep what people paste short
        return "\n".join(line for line in css.splitlines() if line.strip())

    def embed_css(self, root: str) -> Markup:
        """The fragment's stylesheet (templates/embed.css) with every rule scoped to `#root`."""
        return Markup(self._embed_css.replace("ROOT", f"#{root}"))


def assets(env: Environment) -> Assets:
    """The stylesheets and scripts of the environment `env` (made by make_environment)."""
    found: Assets = env.globals["assets"]
    return found


def trim_stop(text: str) -> str:
    """Text to go inside a sentence: spaces folded, no full stop at its end (the sentence brings its own)."""
    return " ".join(str(text).split()).rstrip(". ")


def credit_parts(parts: list[str]) -> list[str]:
    """A source's attribution and licence, each once: empty parts, repeats and a licence the attribution already names go."""
    out: list[str] = []
    for part in (trim_stop(p) for p in parts):
        if part and not any(part.lower() in kept.lower() for kept in out):
            out.append(part)
    return out


class CompiledTemplates(BytecodeCache):
    """The Python code Jinja2 compiles each template to, kept for the next environment make_environment() builds.

    A build makes an environment of its own, so that nothing it read or rendered carries over to
    the next build; but compiling the templates takes about a second, and `serve` and the tests
    build many times in one process. Each template's code is kept under its file and the checksum of
    its text (Jinja2's own bytecode-cache keys): a template whose text changed is compiled afresh.
    The code depends on nothing else but make_environment's options, which are fixed, so a kept
    code is the one a fresh compile would give. Running it still makes each environment its own
    template objects; `clear()` forgets every code.
    """

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], object] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self._code.get((bucket.key, bucket.checksum))  # type: ignore[assignment]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key, bucket.checksum] = bucket.code

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


COMPILED_TEMPLATES = CompiledTemplates()


def compile_templates(templates: Path = TEMPLATES, compiled: CompiledTemplates = COMPILED_TEMPLATES) -> None:
    """Compile every template of the folder into `compiled` (the workers' fork server does, for all its workers)."""
    env = make_environment(templates, compiled)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        env.get_template(name)


def make_environment(templates: Path = TEMPLATES, compiled: CompiledTemplates = COMPILED_TEMPLATES) -> Environment:
    """Create the Jinja2 environment for the templates folder, with its own Assets; its templates' compiled code is kept in `compiled`."""
    env = Environment(
        loader=FileSystemLoader(templates),
        bytecode_cache=compiled,
        autoescape=select_autoescape(["html", "j2", "xml"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_filter
    env.filters["bidi"] = bidi_filter
    env.filters["tel"] = tel
    env.filters["address"] = address
    env.filters["unbroken_hyphens"] = unbroken_hyphens
    env.filters["phone"] = phone_shown
    env.filters["trim_stop"] = trim_stop
    env.filters["credit_parts"] = credit_parts
    env.filters["long_date"] = long_date
    env.filters["picture_src"] = picture_src
    env.globals["id"] = scoped_id
    env.globals["h"] = heading
    env.globals["assets"] = Assets(templates)
    return env
