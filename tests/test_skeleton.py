"""Names compared as a reader sees them: the skeleton, the name search over it, and invisible characters in inputs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compendium.consent.names import NameSearch, name_forms, replace_names
from compendium.consent.skeleton import Skeleton, char_skeleton, skeleton
from compendium.content import model as m
from compendium.content.invisible import find_invisible
from compendium.content.validate import parse_input
from tests.base import PARTICIPANTS, STORY
from tests.conftest import run

JOHANNESEN = "johannesen"


@pytest.mark.parametrize(
    "spelt",
    [
        "Johannesen",
        "JOHANNESEN",
        "Johan\u00adnesen",  # soft hyphen
        "Johannes\u200ben",  # zero-width space
        "Jo\u200dhan\u200cnesen",  # joiner, non-joiner
        "Johan\u2060nesen",  # word joiner
        "Johannes\ufeffen",  # byte order mark
        "Johan\u200enesen\u200f",  # left-to-right and right-to-left marks
        "\u202eJohannesen\u202c",  # right-to-left override and its pop
        "\u2066Johannesen\u2069",  # isolate
        "Johan\u034fnesen",  # combining grapheme joiner
        "Johannese\ufe0fn",  # variation selector
        "Johan\x00nesen",  # a NUL (as a YAML escape writes it)
        "\uff2a\uff4f\uff48\uff41\uff4e\uff4e\uff45\uff53\uff45\uff4e",  # fullwidth
        "\U0001d409\U0001d428\U0001d421\U0001d41a\U0001d427\U0001d427\U0001d41e\U0001d42c\U0001d41e\U0001d427",  # bold
        "J\u043ehann\u0435sen",  # Cyrillic о and е
        "J\u041e\u041d\u0410NN\u0415SEN",  # Cyrillic capitals О, Н, А, Е
        "J\u03bfhannesen",  # Greek ο
        "Joha\u0578nesen",  # Armenian ո for n
        "Jóhannesen",  # an accent
        "Jo\u0301hannesen",  # the same accent, decomposed
    ],
)
def test_every_spelling_of_a_name_has_one_skeleton(spelt: str) -> None:
    assert skeleton(spelt) == JOHANNESEN


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Åby", "A\u030aby"),  # NFC and NFD
        ("Steffen", "Ste\ufb00en"),  # the ligature ﬀ
        ("Sofie", "So\ufb01e"),  # the ligature ﬁ
        ("Anne-Marie", "Anne\u2011Marie"),  # the no-break hyphen
        ("Anne Marie", "Anne\u00a0Marie"),  # the no-break space
        ("Strauss", "Strauß"),  # case folding
        ("Sørensen", "Sorensen"),  # ø reads as an o with a stroke: one letter less to get wrong
    ],
)
def test_compatibility_and_canonical_forms_read_alike(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_different_names_stay_different() -> None:
    # ASCII letters are taken as they are, case aside: 'I' is not 'l' (TS #39 folds them, but then case matters).
    for a, b in [("Ella", "Elia"), ("Lise", "Lone"), ("Hans0n", "Hanson"), ("Kim", "Klm"), ("Mia", "Ria")]:
        assert skeleton(a) != skeleton(b)


def test_a_skeleton_is_its_own_skeleton() -> None:
    # A prototype, folded, may have a prototype of its own (Ϛ → σ → o); the skeleton follows it to the end.
    failures = [chr(c) for c in range(0x3400) if skeleton(char_skeleton(chr(c))) != char_skeleton(chr(c))]
    assert failures == []


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=40), st.text(max_size=40))
def test_the_skeleton_of_a_text_is_its_characters_skeletons_joined(a: str, b: str) -> None:
    # What makes it linear, and every place in it map back to the text.
    assert skeleton(a + b) == skeleton(a) + skeleton(b)


def test_a_place_in_the_skeleton_maps_back_to_the_text() -> None:
    text = "Med Jo\u00adhan\ufb00\u200bsen i går"
    read = Skeleton(text)
    start = read.text.index("johanffsen")
    assert read.span(start, start + len("johanffsen")) == (4, text.index(" i går"))
    assert text[slice(*read.span(start + 5, start + 6))] == "\ufb00"  # half a ligature is the whole ligature


def test_the_search_finds_a_name_however_spelt_and_names_it_as_given() -> None:
    search = NameSearch(["Lisbet Feldborg Johannesen", "Johannesen"], "word")
    text = "Lisbet Feld\u00adborg J\u043ehannesen kom. Johan\u200bnesens metode og JOHANNESEN."
    found = [(hit.name, text[hit.start : hit.end]) for hit in search.finditer(text)]
    assert found == [
        ("Lisbet Feldborg Johannesen", "Lisbet Feld\u00adborg J\u043ehannesen"),
        ("Johannesen", "Johan\u200bnesens"),
        ("Johannesen", "JOHANNESEN"),
    ]


def test_danish_spellings_without_æøå_are_still_found() -> None:
    search = NameSearch(name_forms("Søren Kjær Ærø", set()), "word")
    text = "Soeren, Sorensen, Soren Kjaer, Kjaer, Aeroe, SØREN KJÆR ÆRØ"
    found = [text[hit.start : hit.end] for hit in search.finditer(text)]
    assert found == ["Soeren", "Soren", "Kjaer", "Kjaer", "Aeroe", "SØREN KJÆR ÆRØ"]  # "Sorensen" is another name


def test_replacing_a_respelt_name_replaces_all_it_was_written_with() -> None:
    search = NameSearch(["Johannesen", "Lisbet"], "word")
    text = "Med Jo\u00adha\u0578nesens metode, L\u0456sbet og \U0001d409ohannesen."
    assert replace_names(search, text, "[navn]") == "Med [navn] metode, [navn] og [navn]."


# --- invisible characters in input text --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "👩\u200d💻 på kontoret",  # an emoji sequence
        "❤\ufe0f og ☺\ufe0e",  # emoji and text presentation
        "1\ufe0f\u20e3",  # a keycap
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: the non-joiner between letters
        "\u0915\u094d\u200d\u0937",  # Devanagari: the joiner makes a half form
        "\u8fba\U000e0100",  # an ideographic variation
        "Hello \u200fשלום\u200f world",  # right-to-left marks between words
    ],
)
def test_invisible_characters_with_a_visible_use_are_allowed(text: str) -> None:
    assert list(find_invisible(text)) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Johan\u00adnesen", "U+00AD SOFT HYPHEN"),
        ("Johan\u200bnesen", "U+200B ZERO WIDTH SPACE"),
        ("Jo\u200dhannesen", "U+200D ZERO WIDTH JOINER"),  # between Latin letters
        ("Johannesen\u200d💻", "U+200D ZERO WIDTH JOINER"),  # a letter before it is no emoji
        ("Johan\u200enesen", "U+200E LEFT-TO-RIGHT MARK"),  # inside a word
        ("\u202eJohannesen", "U+202E RIGHT-TO-LEFT OVERRIDE"),  # anywhere
        ("Johan\u2066nesen", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("Johannes\ufeffen", "U+FEFF ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)"),
        ("Johanne\ufe0fsen", "U+FE0F VARIATION SELECTOR-16"),  # after a letter
        ("Joh\u034fannesen", "U+034F COMBINING GRAPHEME JOINER"),
        ("Joh\u3164annesen", "U+3164 HANGUL FILLER"),
    ],
)
def test_invisible_characters_are_named(text: str, name: str) -> None:
    assert [one.name for one in find_invisible(text)] == [name]


STORY_TEXT = """\
id: gaaturen
title: "Gå\\u00adturen"
workplace: "Job\\\\u00adcenter"
teller:
  name: Maria Holm
  consent: named
date: 2026-09-14
themes: [tillid]
body: |
  Første gang talte vi ved skrive\u00adbordet.
  Med 👩\u200d💻 gik vi en \u200btur.
"""


def test_an_invisible_character_is_reported_where_it_is_written() -> None:
    problems = parse_input(STORY, STORY_TEXT.encode(), m.Story).problems
    assert [str(p) for p in problems] == [
        # Written as an escape in a quoted string: at the escape. "\\u00ad" is a backslash and text, not one.
        "inputs/stories/gaaturen.yaml:2:11 title: the text holds U+00AD SOFT HYPHEN, an invisible character, in "
        "'Gå<U+00AD>turen'; delete it; where the word may break, the layout hyphenates it by itself",
        "inputs/stories/gaaturen.yaml:10:34 body: the text holds U+00AD SOFT HYPHEN, an invisible character, in "
        "'skrive<U+00AD>bordet.'; delete it; where the word may break, the layout hyphenates it by itself",
        # The emoji's joiner before it is no problem, and does not move this one's column.
        "inputs/stories/gaaturen.yaml:11:21 body: the text holds U+200B ZERO WIDTH SPACE, an invisible character, "
        "in '<U+200B>tur.'; delete it, or put a space where the words should part",
    ]


def test_check_reports_invisible_characters_in_every_file(make_project: Callable[..., Path]) -> None:
    participants = 'participants:\n  - id: lene-buhl\n    name: Lene\u00a0Buhl\n    role: "men\\u200btor"\n'
    project = make_project({PARTICIPANTS: participants + "    consent: named\n"})
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "inputs/participants.yaml:4:15 participants[0].role: the text holds U+200B ZERO WIDTH SPACE, an invisible "
        "character, in 'men<U+200B>tor'; delete it, or put a space where the words should part\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_the_names_of_invisible_characters_are_unicodes() -> None:
    for char in "\u00ad\u200b\u200c\u200d\u2060":
        assert unicodedata.name(char) in next(find_invisible(f"a{char}b")).name
