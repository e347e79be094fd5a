"""Every audience's policy, as data: what its pages call things and which checks apply to it.

Nothing else in the package names an audience. Renderers and checks read these settings from
the audience briefing they are given (`AudienceBriefing.policy`). A publication declares its
audiences in `briefing.yaml`: a preset by name (`- survivors`), or its own
(`- id: families` with a `label`, optionally `like: survivors` to start from a preset and
override any setting). `declare` turns one declaration into a policy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ReadingLimits:
    """The reading level an audience's own prose must keep (textstat, see briefings.check.readability)."""

    grade: float  # highest Flesch-Kincaid grade
    ease: float  # lowest Flesch reading ease
    mean_sentence: float  # highest mean sentence length, in words
    max_sentence: int  # longest sentence, in words

    def as_dict(self) -> dict[str, float]:
        return {"grade": self.grade, "ease": self.ease, "mean_sentence": self.mean_sentence, "max_sentence": self.max_sentence}

    def override(self, changes: dict[str, Any]) -> ReadingLimits:
        return replace(self, **changes)


@dataclass(frozen=True)
class Audience:
    """Who a briefing is for, and every behaviour that follows from it."""

    id: str  # the audience file's name (audiences/<id>.yaml) and its outputs' (<id>.html, <id>.pdf, …)
    label: str  # shown on pages, in titles, the index and PDF metadata: "For journalists"
    name: str  # short, for lists of files: "Journalists"
    key_points_heading: str
    support_heading: str  # the handout's heading over the support contacts
    reading_limits: ReadingLimits
    content_note_required: bool = False
    key_points: tuple[int, int] | None = None  # how many key points are allowed (least, most); None: no rule
    quick_exit: bool = False  # a "leave this page quickly" link and shortcut, for readers who may be at risk
    rules: tuple[str, ...] = ()  # the language rule packs that apply (briefings.check.language)
    # Easy Read (briefings.check.easy_read): every line is one short sentence beside its picture, in
    # `easy` blocks; no key points; no abbreviations; hard words explained; a hard-words list at the end.
    easy_read: bool = False
    max_pages: int | None = None  # the most pages its PDF may have (None: no limit)

    def possessive(self) -> str:
        """ "the survivors' briefing", for messages."""
        return f"the {self.id}' briefing" if self.id.endswith("s") else f"the {self.id}'s briefing"


_REPORTING = ReadingLimits(grade=9.0, ease=50.0, mean_sentence=20.0, max_sentence=30)

# Reporters and elected members read the same way: key findings first, sourced, at grade 9.
_PROFESSIONAL = Audience(
    id="journalists",
    label="For journalists",
    name="Journalists",
    key_points_heading="Key findings",
    support_heading="Support services to point people to",
    reading_limits=_REPORTING,
    key_points=(3, 5),
    rules=("child-sexual-abuse",),
)

PRESETS: dict[str, Audience] = {
    "survivors": Audience(
        id="survivors",
        label="For survivors and families",
        name="Survivors",
        key_points_heading="In short",
        support_heading="Support, if you want it",
        reading_limits=ReadingLimits(grade=6.0, ease=65.0, mean_sentence=15.0, max_sentence=25),
        content_note_required=True,
        quick_exit=True,
        rules=("child-sexual-abuse", "survivors-own-words"),
    ),
    "journalists": _PROFESSIONAL,
    "councillors": replace(_PROFESSIONAL, id="councillors", label="For councillors", name="Councillors"),
    # For people with learning disabilities, following the UK government's accessible communication
    # formats guidance, Mencap's "Am I making myself clear?" and Inclusion Europe's "Information for all"
    # (docs/editorial-guide.md, "Easy Read"): sentences of 15 words at most, about 24 pages at most.
    # The readers of this publication's Easy Read are survivors and families too: a content note, a quick exit.
    "easy-read": Audience(
        id="easy-read",
        label="Easy Read",
        name="Easy Read",
        key_points_heading="In short",
        support_heading="Support, if you want it",
        reading_limits=ReadingLimits(grade=5.0, ease=70.0, mean_sentence=12.0, max_sentence=15),
        content_note_required=True,
        quick_exit=True,
        rules=("child-sexual-abuse", "survivors-own-words", "plain-language", "metaphors"),
        easy_read=True,
        max_pages=24,
    ),
}


# Where a declared audience that starts from no preset gets what it does not set.
BASE = Audience(
    id="",
    label="",
    name="",
    key_points_heading="Key points",
    support_heading="Support services",
    reading_limits=_REPORTING,
    rules=("plain-language",),
)

# Settings a declaration may give, with the Audience field each sets.
SETTINGS = ("label", "name", "key_points_heading", "support_heading", "quick_exit", "content_note", "key_points",
            "reading_limits", "rules")


class DeclarationError(ValueError):
    """A declaration that cannot make a policy; `key` is the declaration's key at fault ("" for the whole entry)."""

    def __init__(self, message: str, hint: str = "", key: str = "") -> None:
        super().__init__(message)
        self.hint, self.key = hint, key


def declared_id(entry: str | dict[str, Any]) -> str:
    """The id of one entry of briefing.yaml's `audiences` (a preset's name, or a mapping's `id`)."""
    return entry if isinstance(entry, str) else str(entry.get("id", ""))


def declare(entry: str | dict[str, Any], reading_limits: dict[str, Any] | None = None) -> Audience:
    """Make the policy of one declared audience; raise DeclarationError when it cannot be made."""
    presets = ", ".join(PRESETS)
    if isinstance(entry, str):
        if entry not in PRESETS:
            raise DeclarationError(
                f"audience '{entry}' is not a preset (presets: {presets})",
                f"to declare your own, write '- id: {entry}' with a 'label' (and 'like: <preset>' to start from one); "
                "see README, 'Declaring audiences'")
        entry = {"id": entry}
    ident = entry["id"]
    like = entry.get("like", ident if ident in PRESETS else None)
    if like is not None and like not in PRESETS:
        raise DeclarationError(f"'like: {like}' is not a preset", f"presets: {presets}", key="like")
    if like is None and "label" not in entry:
        raise DeclarationError(f"audience '{ident}' needs a label, shown on its pages and in the index",
                               "e.g. label: For families and friends of residents (or start from a preset with like: survivors)",
                               key="id")
    base = PRESETS[like] if like else BASE
    changes: dict[str, Any] = {"id": ident}
    if ident != like:  # an audience of its own, even one that starts from a preset, is named after its id
        changes["name"] = ident.replace("-", " ").capitalize()
    for key in ("label", "name", "key_points_heading", "support_heading", "quick_exit"):
        if key in entry:
            changes[key] = entry[key]
    if "content_note" in entry:
        changes["content_note_required"] = entry["content_note"] == "required"
    if "key_points" in entry:
        least, most = entry["key_points"]
        if least > most:
            raise DeclarationError(f"key_points [{least}, {most}]: the least is more than the most", key="key_points")
        changes["key_points"] = (least, most)
    if "rules" in entry:
        changes["rules"] = tuple(dict.fromkeys(entry["rules"]))
    limits = {**entry.get("reading_limits", {}), **(reading_limits or {})}
    if limits:
        changes["reading_limits"] = base.reading_limits.override(limits)
    return replace(base, **changes)


def audience_policy(audience_id: str, reading_limits: dict[str, Any] | None = None) -> Audience:
    """Return a preset's policy, with the publication's own reading limits for it applied."""
    return declare(audience_id, reading_limits)
