"""Property-based tests: random text in any field never crashes the loader or renderer, nor makes invalid HTML."""

from __future__ import annotations

import shutil
from functools import lru_cache

import html5lib
import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.load.content import load_folder
from briefings.load.yaml_source import load_yaml
from briefings.problems import Problems
from briefings.render.environment import make_environment
from briefings.render.html import render_page
from briefings.resolve import resolve

# Any Unicode text except what XML and HTML forbid outright (surrogates, most control characters).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip())
FIELDS = [
    ("audiences/survivors.yaml", ("content_note",)),
    ("audiences/survivors.yaml", ("title",)),
    ("audiences/survivors.yaml", ("key_points", 0)),
    ("audiences/survivors.yaml", ("sections", 1, "blocks", 0, "paragraph")),
    ("audiences/journalists.yaml", ("sections", 0, "heading")),
    ("audiences/journalists.yaml", ("description",)),
    ("facts.yaml", ("facts", 0, "statement")),
    ("glossary.yaml", ("terms", 0, "definition")),
    ("support.yaml", ("contacts", 0, "offers")),
    ("sources.yaml", ("sources", 1, "title")),
    ("timeline.yaml", ("events", 0, "what")),
]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@lru_cache(maxsize=1)
def _environment():
    """One Jinja2 environment for every example, as a PDF worker keeps one for all its documents: its templates compile once."""
    return make_environment()


def _set(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


@SETTINGS
@given(field=st.sampled_from(FIELDS), text=TEXT)
def test_random_text_renders_valid_html(tmp_path_factory, field, text) -> None:
    folder = tmp_path_factory.mktemp("pub") / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    file, path = field
    data = yaml.safe_load((folder / file).read_text(encoding="utf-8"))
    _set(data, path, text)
    (folder / file).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = Problems()
    pub = resolve(load_folder(folder, problems), problems)
    if problems.errors:  # random text may legitimately be refused (e.g. an unknown {placeholder}): it must say where
        assert all(p.line >= 1 and p.path for p in problems.errors)
        return
    env = _environment()
    for briefing in pub.briefings:
        html = render_page(env, pub, briefing, "test")
        html5lib.HTMLParser(strict=True).parse(html)


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_any_bytes_never_crash_the_loader(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "facts.yaml"
    path.write_bytes(raw)
    problems = Problems()
    doc = load_yaml(path, "facts.yaml", problems)
    assert (doc is None) == bool(problems.errors)
    for p in problems.errors:
        assert p.line >= 1 and p.col >= 1


@SETTINGS
@given(data=st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20))
def test_any_yaml_shape_is_validated_not_crashed(tmp_path_factory, data) -> None:
    folder = tmp_path_factory.mktemp("pub") / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    (folder / "facts.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = Problems()
    resolve(load_folder(folder, problems), problems)
    assert problems.errors
