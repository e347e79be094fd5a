"""Readability per language: textstat's formula for the language where it has one, "not scored" where it has none, never English's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import write_po
from conftest import FIXTURES, edit, run_cli

from briefings.check.readability import MEASURES, Scorer, score, score_translation, scorer, sentences
from briefings.model import Text
from briefings.translate.catalog import read_po

POLISH = ("Rada nie zrobiła nic. Żaden urzędnik nie odpowiedział na list. "
          "Niebezpieczeństwo było znane od dawna. Ofiary czekały na pomoc przez wiele lat.")


def texts(*items: str) -> list[Text]:
    return [Text(item, [], ("x.yaml", n, 1)) for n, item in enumerate(items, 1)]


def test_a_polish_text_is_scored_with_the_polish_formula_only() -> None:
    from textstat.textstat import textstatistics

    polish = scorer().for_language("pl")
    found = sentences(texts(POLISH), polish)
    assert [s.text for s in found] == ["Rada nie zrobiła nic.", "Żaden urzędnik nie odpowiedział na list.",
                                       "Niebezpieczeństwo było znane od dawna.", "Ofiary czekały na pomoc przez wiele lat."]
    reference = textstatistics()
    reference.set_lang("pl")
    from briefings.model import AudienceBriefing, Section

    briefing = AudienceBriefing("readers", None, "t", "d", None, texts(POLISH), [Section("s", "h", [], ("x", 1, 1))], [], [], "x")  # type: ignore[arg-type]
    result = score_translation(briefing, {}, polish)
    assert result.scored and set(result.measures) == {"gunning_fog"}
    assert result.measures["gunning_fog"] == round(reference.gunning_fog(" ".join(s.text for s in found)), 2)
    assert result.sentences == 4 and result.max_sentence == 7
    shown = result.as_dict()
    assert "flesch_kincaid_grade" not in shown and "flesch_reading_ease" not in shown


def test_the_english_splitter_would_have_missed_a_polish_sentence_start() -> None:
    assert len(sentences(texts("Rada nie zrobiła nic. Żaden urzędnik nie odpowiedział."), scorer())) == 1
    assert len(sentences(texts("Rada nie zrobiła nic. Żaden urzędnik nie odpowiedział."), scorer().for_language("pl"))) == 2


def test_syllables_of_another_language_come_from_its_hyphenation_dictionary_not_cmudict() -> None:
    import pyphen

    polish = scorer().for_language("pl")
    assert polish._dictionary("pl") is None and scorer()._dictionary("en_GB") is scorer().words
    word = "niebezpieczeństwo"
    assert polish.syllables(word) == len(pyphen.Pyphen(lang="pl").positions(word)) + 1
    assert polish.mark("IOPC", frozenset({"iopc"})) == "IOPC"  # no English letter-by-letter reading


@pytest.mark.parametrize("language", ["ur", "ar", "ro", "sk", "cs", "pa", "en-XA"])
def test_a_language_textstat_has_no_formula_for_is_not_scored(language: str) -> None:
    from briefings.model import AudienceBriefing, Section

    briefing = AudienceBriefing("readers", None, "t", "d", None, texts("یہ ایک جملہ ہے۔ Some words."),  # type: ignore[arg-type]
                                [Section("s", "h", [], ("x", 1, 1))], [], [], "x")
    result = score_translation(briefing, {}, scorer().for_language(language))
    assert not result.scored and result.as_dict() == {"language": language, "scored": False}


def test_every_language_with_a_formula_uses_one_textstat_has() -> None:
    from textstat.textstat import textstatistics

    assert set(MEASURES) >= {"en", "pl", "de", "es", "fr", "it", "nl", "ru"}
    for measures in MEASURES.values():
        for measure in measures:
            assert callable(getattr(textstatistics(), measure.key)), measure.key


def test_another_languages_scorer_leaves_the_english_scores_as_they_were() -> None:
    english = texts("The council did not act on what it knew. The IOPC said so in 2025.")
    before = score(english).as_dict()
    Scorer("pl", scorer().words)
    assert score(english).as_dict() == before
    assert scorer().for_language("en-GB") is scorer()


def test_the_build_reports_each_translation_in_its_language_and_the_manifest_carries_it(tmp_path: Path) -> None:
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    edit(folder / "briefing.yaml", "base_url: none", "base_url: none\ntranslations: [pl, ur]")
    for lang, words in (("pl", "Rada nie zrobiła nic. Żaden urzędnik nie odpowiedział."), ("ur", "کونسل نے کچھ نہیں کیا۔")):
        assert run_cli("translate", "extract", "--lang", lang, "--content", str(folder)).returncode == 0
        po = folder / "translations" / f"{lang}.po"
        catalog = read_po(po.read_bytes())
        for message in catalog:
            if message.id:
                keep = " ".join(part for part in message.id.split() if part.startswith("{") or "](" in part or "%(" in part)
                message.string = f"{words} {keep}".strip()
                message.flags.discard("fuzzy")  # the tool's suggested page words, reviewed
        with po.open("wb") as handle:
            write_po(handle, catalog)
    result = run_cli("check", "--content", str(folder))
    assert result.returncode == 0, result.stderr
    assert "minimal / pl / survivors: Gunning fog, Pisarek's FOG-PL " in result.stdout
    assert "minimal / ur / survivors: not scored (textstat has no readability formula for 'ur'" in result.stdout
    from briefings.build.builder import Options, build
    from briefings.render.formats import html_formats

    out = tmp_path / "site"
    assert build(Options(folder, out, jobs=1, formats=html_formats())).ok
    outputs = json.loads((out / "manifest.json").read_text())["briefings"][0]["outputs"]
    polish = next(o for o in outputs if o["path"] == "minimal/pl/survivors.html")["readability"]
    urdu = next(o for o in outputs if o["path"] == "minimal/ur/survivors.html")["readability"]
    assert polish["scored"] and "gunning_fog" in polish and "flesch_kincaid_grade" not in polish
    assert urdu == {"language": "ur", "scored": False}
    report = json.loads((out / "build-report.json").read_text())["briefings"][0]["translations"]
    assert [t["language"] for t in report] == ["pl", "ur"]
