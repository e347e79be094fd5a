"""A briefing's PO files (`<briefing>/translations/LANG.po`), written, updated and read with Babel.

`update_catalog` merges the English as it is now into a language's catalog, keyed by context
(file and key path): an entry whose English is unchanged keeps its translation; one whose
English changed keeps its old translation, marked fuzzy with the English it was made from
(`#| msgid`), so a translator sees what changed; a text that moved keeps its translation where
the English is word for word the same; anything else is new and empty. Translations of texts that
are gone stay at the end of the file as obsolete entries (`#~`). Babel's own `Catalog.update`
matches by similarity across the whole file, which can give one text another's translation,
so the merge here matches by context only.

`read_translation` reads one back and says, with the PO file's line, each entry that is not
ready: empty, fuzzy, missing (the English changed and the file was not updated), or with
placeholders or link targets that are not the English's.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, unescape, write_po

from briefings.load.files import Refused, read_inside
from briefings.translate.entries import Entry, link_targets, named_values, placeholders

FOLDER = "translations"
MAX_PO_BYTES = 20 * 1024 * 1024  # a PO file is a few times its briefing's YAML; this only stops runaway input
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$(?!\n)")  # language, script, region: pl, pa-Arab, ro-RO
_CONTEXT_FILE = re.compile(r"^[^:]*")

HEADER = """\
# The briefing '{slug}' in {lang}, for translators.
# Made by `briefings translate extract --lang {lang}`: run it again
# whenever the English changes. Each entry's notes (#.) say who reads it
# and what to keep as it is. An entry marked fuzzy changed in English
# since it was translated (#| shows the English it was translated from):
# check the translation, then remove the fuzzy flag. The language is
# published only when no entry is empty or fuzzy.
#"""


def po_path(folder: Path, lang: str) -> Path:
    """Where one language's catalog of a briefing is."""
    return folder / FOLDER / f"{lang}.po"


def _babel_locale(lang: str) -> str:
    return lang.replace("-", "_")


@dataclass
class Merged:
    """What an update did to a catalog."""

    catalog: Catalog
    counts: Counter[str] = field(default_factory=Counter)  # kept, moved, fuzzy, new, obsolete

    def summary(self) -> str:
        c = self.counts
        return (f"{len(self.catalog)} entries: {c['translated']} translated, {c['fuzzy']} fuzzy, {c['empty']} to translate "
                f"({c['new']} new, {c['changed']} changed since translated), {c['obsolete']} obsolete")


def _template(entries: list[Entry], slug: str, lang: str, updated: str) -> Catalog:
    created = datetime.fromisoformat(updated).replace(tzinfo=UTC)  # the content's date, never the clock: same input, same file
    catalog = Catalog(locale=_babel_locale(lang), project=slug, version=updated, header_comment=HEADER.format(slug=slug, lang=lang),
                      creation_date=created, revision_date=created, fuzzy=False, copyright_holder="")
    for entry in entries:
        catalog.add(entry.text, "", locations=[(entry.file, entry.line)], auto_comments=list(entry.notes), context=entry.context)
    return catalog


SUGGESTED = "suggested by briefings (briefings/locale/{lang}.po): needs review by a native speaker"


def suggested_words(lang: str) -> dict[str, str]:
    """The page's own words in `lang` as the tool suggests them (written without a native speaker's review), by English."""
    from briefings.package_data import LOCALE

    path = LOCALE / f"{lang}.po"
    if not path.is_file():
        return {}
    return {str(m.id): str(m.string) for m in read_po(path.read_bytes()) if m.id and m.string}


def _take(message: Message, old: Message, fuzzy: bool) -> None:
    message.string = old.string
    message.user_comments = list(old.user_comments)
    if fuzzy or "fuzzy" in old.flags:
        message.flags.add("fuzzy")
        message.previous_id = (old.previous_id or [old.id]) if "fuzzy" in old.flags else [old.id]


def merge(entries: list[Entry], old: Catalog | None, slug: str, lang: str, updated: str) -> Merged:
    """The catalog for `entries` (the English now), with what `old` had translated carried over; see the module's docstring."""
    new = _template(entries, slug, lang, updated)
    merged = Merged(new)
    if old is not None:
        for name in ("header_comment", "last_translator", "language_team", "revision_date"):
            setattr(new, name, getattr(old, name))
    previous = [m for m in (old or []) if m.id and m.string]
    used: set[int] = set()
    by_key = {(m.id, m.context): i for i, m in enumerate(previous)}
    by_context = {m.context: i for i, m in enumerate(previous)}
    by_text: dict[tuple[str, str], int] = {}
    for i, m in enumerate(previous):
        by_text.setdefault((_CONTEXT_FILE.match(m.context or "").group(0), m.id), i)
    messages = [m for m in new if m.id]
    rest = []
    for message in messages:  # 1. the same text in the same place
        i = by_key.get((message.id, message.context))
        if i is None:
            rest.append(message)
        else:
            used.add(i)
            _take(message, previous[i], fuzzy=False)
    later = []
    for message in rest:  # 2. the same text moved within its file (a block inserted above it)
        i = by_text.get((_CONTEXT_FILE.match(message.context or "").group(0), message.id))
        if i is None or i in used:
            later.append(message)
        else:
            used.add(i)
            merged.counts["moved"] += 1
            _take(message, previous[i], fuzzy=False)
    for message in later:  # 3. the same place, the English changed: fuzzy, with the English it was translated from
        i = by_context.get(message.context)
        if i is None or i in used:
            merged.counts["new"] += 1
            continue
        used.add(i)
        merged.counts["changed"] += 1
        _take(message, previous[i], fuzzy=True)
    for i, m in enumerate(previous):
        if i not in used:
            new.obsolete[(m.id, m.context) if m.context else m.id] = m
    merged.counts["obsolete"] = len(new.obsolete)
    suggestions = suggested_words(lang)
    for message in messages:  # the page's own words the tool suggests: fuzzy, for a translator to check
        if not message.string and str(message.context).startswith("page:") and message.id in suggestions:
            message.string = suggestions[str(message.id)]
            message.flags.add("fuzzy")
            message.user_comments = [SUGGESTED.format(lang=lang)]
    for message in messages:
        state = "empty" if not message.string else "fuzzy" if "fuzzy" in message.flags else "translated"
        merged.counts[state] += 1
    return merged


class _Parser(PoFileParser):
    """Babel's PO parser, also reading the English a fuzzy entry was translated from (`#| msgid`).

    Babel writes `#| msgid` (write_po's include_previous) but reads it back as a translator's
    comment, which it then writes as `# | msgid`: after one round the translator no longer sees
    what changed. Only those lines are handled here; everything else is Babel's.
    """

    def _reset_message_state(self) -> None:
        super()._reset_message_state()
        self.previous: list[tuple[str, str]] = []  # (keyword, quoted string) of the #| lines

    def _process_comment(self, line: str) -> None:
        if not line.startswith("#|"):
            super()._process_comment(line)
            return
        self._finish_current_message()
        keyword, _, rest = line[2:].strip().partition(" ")
        if keyword.startswith('"') and self.previous:  # a continuation line
            self.previous.append((self.previous[-1][0], line[2:].strip()))
        elif keyword in ("msgid", "msgctxt", "msgid_plural"):
            self.previous.append((keyword, rest.strip()))

    def _add_message(self) -> None:
        previous = "".join(unescape(text) for keyword, text in self.previous if keyword == "msgid" and text.startswith('"'))
        msgid = self.messages[0].denormalize() if len(self.messages) == 1 else tuple(m.denormalize() for m in self.messages)
        context = self.context.denormalize() if self.context else None
        obsolete = self.obsolete
        super()._add_message()
        if previous:
            key = self.catalog._key_for(msgid, context)
            message = self.catalog.obsolete.get(key) if obsolete else self.catalog.get(msgid, context)
            if message is not None:
                message.previous_id = [previous]


def read_po(data: bytes) -> Catalog:
    """Read a PO file with Babel (as babel.messages.pofile.read_po does, with `_Parser`); raise PoFileError if it is not one."""
    catalog = Catalog(charset="utf-8")
    _Parser(catalog, abort_invalid=True).parse(io.BytesIO(data))
    return catalog


class CatalogError(Exception):
    """A PO file that cannot be read: the message says why, with its line."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def load_catalog(path: Path, folder: Path) -> Catalog | None:
    """Read a PO file of the briefing `folder` with Babel (None when there is none); raise CatalogError when it cannot be read."""
    if not os.path.lexists(path):
        return None
    try:
        raw = read_inside(path, folder, MAX_PO_BYTES)
    except Refused as err:
        raise CatalogError(str(err)) from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CatalogError(f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x})", raw[: err.start].count(b"\n") + 1) from None
    try:
        return read_po(raw)
    except PoFileError as err:
        raise CatalogError(f"not a PO file Babel can read: {err.args[0]}", err.lineno + 1) from None
    except (ValueError, KeyError) as err:
        raise CatalogError(f"not a PO file Babel can read: {err}") from None


def catalog_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, include_previous=True, width=76)
    return out.getvalue()


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write a catalog atomically (a reader, or a translator's editor, never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(catalog_bytes(catalog))
    os.replace(temporary, path)


def update_catalog(folder: Path, entries: list[Entry], slug: str, lang: str, updated: str) -> tuple[Path, Merged]:
    """Write or update `folder`'s catalog for `lang` from the English `entries`; return its path and what changed."""
    path = po_path(folder, lang)
    merged = merge(entries, load_catalog(path, folder), slug, lang, updated)
    write_catalog(path, merged.catalog)
    return path, merged


@dataclass(frozen=True)
class NotReady:
    """One entry a language cannot be published without: where it is in the PO file, and why."""

    entry: Entry
    line: int  # in the PO file (1 when the file has no entry for it)
    reason: str


@dataclass
class Translation:
    """One language's translations of a briefing, as far as they are ready to publish."""

    lang: str
    path: Path
    texts: dict[str, str]  # context -> translation, for every entry that is ready
    not_ready: list[NotReady]
    entries: int
    lines: dict[str, int] = field(default_factory=dict)  # context -> the line of its msgid in the PO file

    @property
    def complete(self) -> bool:
        return not self.not_ready


def _differs(what: str, english: list[str], translated: list[str]) -> str:
    if Counter(english) == Counter(translated):
        return ""
    lost = sorted((Counter(english) - Counter(translated)).elements())
    extra = sorted((Counter(translated) - Counter(english)).elements())
    parts = ([f"missing {', '.join(lost)}"] if lost else []) + ([f"not in the English: {', '.join(extra)}"] if extra else [])
    return f"its {what} are not the English's ({'; '.join(parts)})"


def check_entry(entry: Entry, message: Message | None, by_context: Message | None) -> str:
    """Why one entry's translation cannot be published ("" when it can)."""
    if message is None:
        if by_context is not None:
            return "the English changed and this file was not updated (run `briefings translate extract` again)"
        return "no entry for it (run `briefings translate extract` again)"
    if not message.string:
        return "not translated"
    if "fuzzy" in message.flags:
        return "fuzzy: the English changed since it was translated (check it, then remove the fuzzy flag)"
    braces = _differs("placeholders", [f"{{{p}}}" for p in placeholders(entry.text)], [f"{{{p}}}" for p in placeholders(message.string)])
    links = _differs("link targets", link_targets(entry.text), link_targets(message.string))
    values = _differs("named values", [f"%({v})s" for v in named_values(entry.text)], [f"%({v})s" for v in named_values(message.string)])
    return "; ".join(part for part in (braces, links, values) if part)


def read_translation(folder: Path, lang: str, entries: list[Entry]) -> Translation:
    """Read `lang`'s catalog of the briefing `folder` against the English `entries` now; raise CatalogError if it cannot be read."""
    path = po_path(folder, lang)
    catalog = load_catalog(path, folder)
    messages = {(m.id, m.context): m for m in (catalog or []) if m.id}
    contexts = {m.context: m for m in messages.values()}
    texts, not_ready, lines = {}, [], {}
    for entry in entries:
        message = messages.get((entry.text, entry.context))
        reason = check_entry(entry, message, contexts.get(entry.context)) if catalog is not None else "no PO file"
        if reason:
            at = message or contexts.get(entry.context)
            not_ready.append(NotReady(entry, (at.lineno or 1) if at else 1, reason))
        else:
            assert message is not None
            texts[entry.context] = str(message.string)
            lines[entry.context] = message.lineno or 1
    return Translation(lang, path, texts, not_ready, len(entries), lines)
