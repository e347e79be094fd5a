"""The page's own words that the code writes, rather than the templates: marked here so that they are translated too.

The templates write theirs as `{{ _("Contents") }}` (Babel finds them there); these are the others. A page's
words in a translation come from its briefing's PO file, with the briefing's texts (briefings.translate).
"""

from __future__ import annotations

EDITION_LARGE_PRINT = "large print"
LANGUAGES_LABEL = "This page in other languages"
QR_ALT = "QR code linking to %(address)s"
PAGE_NUMBER = "Page %(page)s of %(pages)s"  # a PDF's page number, at the foot of every page

# Everything above, and the words of each format's link back in an embed (briefings.render.formats: a test keeps them equal).
WORDS: tuple[str, ...] = (EDITION_LARGE_PRINT, LANGUAGES_LABEL, QR_ALT, PAGE_NUMBER, "web page", "PDF", "large print PDF", "summary to print (PDF)")
