"""Every audience's policy, as data: what its pages call things and which checks apply to it.

Nothing else in the package names an audience. Renderers and checks read these settings from
the audience briefing they are given (`AudienceBriefing.policy`). The three presets are the
audiences of the default publication; a publication chooses among them in `briefing.yaml`, and
may override their reading limits there (`reading_limits`).
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

    def possessive(self) -> str:
        """ "the survivors' briefing", for messages."""
        return f"the {self.id}' briefing" if self.id.endswith("s") else f"the {self.id}'s briefing"


_REPORTING = ReadingLimits(grade=9.0, ease=50.0, mean_sentence=20.0, max_sentence=30)

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
    "journalists": Audience(
        id="journalists",
        label="For journalists",
        name="Journalists",
        key_points_heading="Key findings",
        support_heading="Support services to point people to",
        reading_limits=_REPORTING,
        key_points=(3, 5),
        rules=("child-sexual-abuse",),
    ),
    "councillors": Audience(
        id="councillors",
        label="For councillors",
        name="Councillors",
        key_points_heading="Key findings",
        support_heading="Support services to point people to",
        reading_limits=_REPORTING,
        key_points=(3, 5),
        rules=("child-sexual-abuse",),
    ),
}


def audience_policy(audience_id: str, reading_limits: dict[str, Any] | None = None) -> Audience:
    """Return a preset's policy, with the publication's own reading limits for it applied."""
    policy = PRESETS[audience_id]
    if reading_limits:
        policy = replace(policy, reading_limits=policy.reading_limits.override(reading_limits))
    return policy
