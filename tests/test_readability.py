"""Reading limits hold on the shipped content, and scoring works offline and deterministically."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import CONTENT, ROOT

from briefings.check.readability import number_syllables, score
from briefings.pipeline import check
from briefings.problems import Problems
from briefings.resolve import Text

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
    score([Text("The IOPC said no.", [], ("x.yaml", 1, 1))])
    from briefings.check.readability import _textstat

    assert _textstat().syllable_count("IOPC") == 4
    assert _textstat().syllable_count("in 2013") == 5


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
