"""Translations: what a briefing gives translators (gettext PO files, through Babel), and what it takes back.

entries.py lists every text a briefing publishes, each with a stable context, its place in the
YAML and notes for the translator; catalog.py writes and updates `<briefing>/translations/LANG.po`
from them and reads a translation back, saying which entries are not yet ready; apply.py makes
the content of one language from a complete catalog; pseudo.py makes pseudo-translations for tests.
"""
