"""Two changes made inside WeasyPrint 70 while it renders; `install` applies them once per process.

pyproject pins weasyprint<71. Each change wraps one of WeasyPrint's own functions and leaves the
rest of it alone; `install` refuses any other major version, so an upgrade means reading this
file again.

- Tagging (`weasyprint.pdf.tags._build_box_tree`). WeasyPrint builds the structure tree page by
  page from the laid-out boxes, so an element broken across pages or lines becomes one structure
  element per fragment: a list across a page break is two lists, a table on ten pages ten tables,
  a wrapped link two links (WeasyPrint issues #2902 and #2903). The wrapper writes into every
  structure element which HTML element it came from: a number shared by the fragments of one
  element (`FRAGMENT`) and, for lists, <dl> items and links, the HTML tag, the list's numbering
  and the link's accessible name (`SOURCE`). `briefings.render.pdf_artifacts` joins the
  fragments after rendering and removes both keys.
- Line breaking (`split_first_line` as `weasyprint.layout.inline` calls it). WeasyPrint 70
  measures a run of text with its trailing space; a run that ends with a space before an inline
  element (an <abbr>, <q> or <a>) and fits the line but for that space is judged too long, and
  then keeps only its first word: "A" alone on a line, the rest below. A collapsible space at
  the end of a line is removed (CSS Text 3, white space phase II), and older WeasyPrint versions
  checked for this case (WeasyPrint issue #1051). The wrapper lays such a run out whole when it fits without its
  trailing spaces.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from math import inf
from typing import Any

# The keys written into structure elements (pdf_artifacts reads and removes them): in every element
# made for an HTML element, a number its fragments share; in lists, <dl> items and links, what else
# the repair needs (the tag, the list's numbering, the link's accessible name).
FRAGMENT = "BriefingsFragment"
SOURCE = "BriefingsSource"

# CSS list-style-type -> the PDF List attribute /ListNumbering (ISO 32000-1, 14.8.5.5).
_NUMBERING = {
    "disc": "Disc",
    "circle": "Circle",
    "square": "Square",
    "decimal": "Decimal",
    "decimal-leading-zero": "Decimal",
    "lower-roman": "LowerRoman",
    "upper-roman": "UpperRoman",
    "lower-alpha": "LowerAlpha",
    "lower-latin": "LowerAlpha",
    "upper-alpha": "UpperAlpha",
    "upper-latin": "UpperAlpha",
}
_ORDERED = frozenset({"Decimal", "LowerRoman", "UpperRoman", "LowerAlpha", "UpperAlpha"})

_installed = False


def install() -> None:
    """Apply both changes to the imported WeasyPrint, once per process."""
    global _installed
    if _installed:
        return
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.pdf import tags

    if not weasyprint.__version__.startswith("70."):
        raise RuntimeError(f"briefings.render.weasyprint_fixes is written for WeasyPrint 70, not {weasyprint.__version__}")
    tags._build_box_tree = _record_sources(tags._build_box_tree)
    inline.split_first_line = _collapse_trailing_spaces(inline.split_first_line)
    _installed = True


def list_numbering(tag: str, list_style_type: object) -> str:
    """Return the /ListNumbering name (without the slash) for a <ul> or <ol> with this list-style-type.

    An <ol> is numbered whatever its markers look like (Decimal unless its style names another
    numbering); a <ul> takes its marker's shape, or None.
    """
    numbering = _NUMBERING.get(list_style_type) if isinstance(list_style_type, str) else None
    if tag == "ol":
        return numbering if numbering in _ORDERED else "Decimal"
    return numbering if numbering is not None and numbering not in _ORDERED else "None"


def accessible_name(element: Any) -> tuple[str, bool]:
    """Return a link's accessible name, and whether it comes from aria-label (not its text)."""
    label = " ".join((element.get("aria-label") or "").split())
    if label:
        return label, True
    text = " ".join("".join(element.itertext()).split())
    if text:
        return text, False
    alts = [" ".join((img.get("alt") or "").split()) for img in element.iter() if img.tag == "img"]
    return " ".join(a for a in alts if a) or " ".join((element.get("title") or "").split()), False


def language_of(element: Any, document: str) -> str:
    """The language an HTML element declares when it is not the document's (`document`, from <html lang>): else ""."""
    lang = element.get("lang") if hasattr(element, "get") else None
    return str(lang) if lang and lang != document else ""


def _describe(pdf: Any, box: Any, element: Any) -> None:
    import pydyf

    numbers: dict[tuple[int, str, str], int] = pdf.__dict__.setdefault("_briefings_fragments", {})
    element[FRAGMENT] = numbers.setdefault((id(box.element), box.element_tag, str(element["S"])), len(numbers) + 1)
    lang = language_of(box.element, str(getattr(pdf.catalog.get("Lang"), "string", "")))
    if lang:  # PDF/UA: an element in another language than the document's says which (ISO 32000-1, 14.9.2)
        element["Lang"] = pydyf.String(lang)
    tag, kind = box.element_tag, element["S"]
    if not ((kind == "/L" and tag in ("ul", "ol", "dl")) or (kind == "/LI" and tag in ("dt", "dd")) or kind == "/Link"):
        return
    source = element[SOURCE] = pydyf.Dictionary({"Tag": pydyf.String(tag)})
    if tag in ("ul", "ol"):
        source["ListNumbering"] = "/" + list_numbering(tag, box.style["list_style_type"])
    if kind == "/Link":
        name, labelled = accessible_name(box.element)
        source["Name"] = pydyf.String(name)
        if labelled:
            source["Labelled"] = "true"


def _record_sources(build_box_tree: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(build_box_tree)
    def wrapper(box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, tags: Any) -> Iterator[Any]:
        source_box = getattr(box, "_box", box)  # an AbsolutePlaceholder stands for its box
        seen: set[int] = pdf.__dict__.setdefault("_briefings_seen", set())
        for element in build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
            # The innermost call that yields an element made it; <html>, <body> and page boxes pass theirs up.
            if id(element) not in seen:
                seen.add(id(element))
                if source_box.element is not None and source_box.element_tag:
                    _describe(pdf, source_box, element)
            yield element

    return wrapper


def _collapse_trailing_spaces(split_first_line: Callable[..., tuple]) -> Callable[..., tuple]:
    @functools.wraps(split_first_line)
    def wrapper(text: str, style: Any, context: Any, max_width: float | None, justification_spacing: float,
                is_line_start: bool = True, minimum: bool = False) -> tuple:
        result = split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if result[2] is None or max_width is None or not text.endswith(" ") or style["white_space"] not in ("normal", "pre-line"):
            return result
        stripped = text.rstrip(" ")
        if not stripped:
            return result
        fitted = split_first_line(stripped, style, context, max_width, justification_spacing, is_line_start, minimum)
        if fitted[2] is not None or fitted[3] > max_width:
            return result
        # It fits but for its trailing spaces: keep it all (the caller discounts trailing spaces).
        whole = split_first_line(text, style, context, inf, justification_spacing, is_line_start, minimum)
        whole[0].max_width = max_width
        return whole

    return wrapper
