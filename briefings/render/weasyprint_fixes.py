"""A change made inside WeasyPrint 70 while it renders; `install` applies it once per process.

pyproject pins weasyprint<71. The change wraps one of WeasyPrint's own functions and leaves the
rest of it alone; `install` refuses any other major version, so an upgrade means reading this
file again.

- Line breaking (`split_first_line` as `weasyprint.layout.inline` calls it). WeasyPrint 70
  measures a run of text with its trailing space; a run that ends with a space before an inline
  element (an <abbr>, <q> or <a>) and fits the line but for that space is judged too long, and
  then keeps only its first word: "A" alone on a line, the rest below. A collapsible space at
  the end of a line is removed (CSS Text 3, white space phase II), and older WeasyPrint versions
  checked for this case (WeasyPrint issue #1051). The wrapper lays such a run out whole when it
  fits without its trailing spaces.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from math import inf
from typing import Any

_installed = False


def install() -> None:
    """Apply the change to the imported WeasyPrint, once per process."""
    global _installed
    if _installed:
        return
    import weasyprint
    from weasyprint.layout import inline

    if not weasyprint.__version__.startswith("70."):
        raise RuntimeError(f"briefings.render.weasyprint_fixes is written for WeasyPrint 70, not {weasyprint.__version__}")
    inline.split_first_line = _collapse_trailing_spaces(inline.split_first_line)
    _installed = True


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
