"""The one-pass name finder finds exactly what the regex alternation of every name found."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compendium.consent import names as module
from compendium.consent.names import NameFinder, Spellings, alternation, fold

FUZZ = os.environ.get("COMPENDIUM_FUZZ") == "1"
NAMES = [
    "Anna Hansen",
    "Anna",
    "Hansen",
    "Hansen Berg",
    "Søren Kjær",
    "Soren Kjaer",
    "Soeren Kjaer",
    "Kjær",
    "Anne-Marie Ølgaard",
    "Anne",
    "O'Brien",
    "Jensen Jr.",
    "Svend",
    "Linda",
    "Strauß",
    "Ærø Åse",
]


def found(finder: NameFinder, text: str) -> list[tuple[int, int, str]]:
    """List each hit as start, end and text."""
    return [(hit.start(), hit.end(), hit.group(0)) for hit in finder.finditer(text)]


def reference(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """List what the alternation finds, the same way."""
    return [(hit.start(), hit.end(), hit.group(0)) for hit in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("Anna Hansen kom", ["Anna Hansen"]),  # the longest name first, not "Anna" and "Hansen"
        ("Anna\n  Hansen kom", ["Anna\n  Hansen"]),  # a name broken over lines
        ("Anna\xa0Hansen", ["Anna\xa0Hansen"]),  # a no-break space is whitespace too
        ("ANNA HANSEN og anna", ["ANNA HANSEN", "anna"]),
        ("Anna Hansen Berg", ["Anna Hansen"]),  # no overlaps: "Hansen Berg" is inside the first hit
        ("Hansen Berg og Anna", ["Hansen Berg", "Anna"]),
        ("Annabel Hansens annas", ["Hansens", "annas"]),  # the genitive is the name; a longer word is not
        ("Annabella Hansenske", []),  # a name inside a longer word is not the name
        ("_Anna Anna_ Anna1 Anna", ["Anna"]),  # '_' and digits are word characters
        ("(Anna), »Anna«", ["Anna", "Anna"]),
        ("<p>Anna</p><a href='x'>Hansen</a>", ["Anna", "Hansen"]),
        ("søren kjær, SØREN KJÆR og Soeren  Kjaer", ["søren kjær", "SØREN KJÆR", "Soeren  Kjaer"]),
        ("Anne-Marie Ølgaard og Anne-Mette", ["Anne-Marie Ølgaard", "Anne"]),  # '-' ends a word
        ("O'Brien og Jensen Jr. kom", ["O'Brien", "Jensen Jr."]),
        ("Jensen Jr.x", []),  # (?!\w) after the full stop
        ("ſvend og SVEND", ["ſvend", "SVEND"]),  # re takes the long s for s
        ("Lında", ["Lında"]),  # and the dotless i for i
        ("STRAUSS og strauß", ["strauß"]),  # but not ss for ß
        ("ærø åse og ÆRØ ÅSE", ["ærø åse", "ÆRØ ÅSE"]),
        ("", []),
    ],
)
def test_the_finder_finds_what_the_alternation_finds(text: str, hits: list[str]) -> None:
    finder = NameFinder(NAMES, "word")
    assert [h for _, _, h in found(finder, text)] == hits
    assert found(finder, text) == reference(alternation(NAMES, "word"), text)


def test_boundary_edges_differ_only_after_punctuation() -> None:
    # \b after "Jr." needs a word character next, where (?!\w) needs none.
    text = "Jensen Jr. kom, Jensen Jr.x kom"
    boundary = NameFinder(NAMES, "boundary")
    assert [h for _, _, h in found(boundary, text)] == ["Jensen Jr."]
    assert found(boundary, text)[0][0] == text.index("Jensen Jr.x")
    assert found(boundary, text) == reference(alternation(NAMES, "boundary"), text)


def test_a_name_starting_with_punctuation_uses_the_alternation() -> None:
    names = ["'t Hooft", "Anna"]
    text = "Gerard 't Hooft og Anna"
    for edge in ("word", "boundary"):
        finder = NameFinder(names, edge)  # type: ignore[arg-type]
        assert found(finder, text) == reference(alternation(names, edge), text)  # type: ignore[arg-type]
    assert [h for _, _, h in found(NameFinder(names, "word"), text)] == ["'t Hooft", "Anna"]


@pytest.mark.parametrize("pair", [("İsa", "isa"), ("K", "k"), ("ſ", "s"), ("ı", "i"), ("Ϲ", "ϲ"), ("ς", "σ")])
def test_fold_keeps_together_what_re_ignorecase_matches(pair: tuple[str, str]) -> None:
    a, b = pair
    assert re.fullmatch(re.escape(a), b, re.IGNORECASE)
    assert fold(a) == fold(b)


def test_fold_agrees_with_re_on_every_case_pair() -> None:
    # Every word character against its lower, upper and title case: where re matches them, fold is equal.
    failures = []
    for code in range(0x30000):
        ch = chr(code)
        if not (ch.isalnum() or ch == "_"):
            continue
        for other in {ch.lower(), ch.upper(), ch.title(), ch.casefold(), ch.lower()[0], ch.upper()[0]}:
            if len(other) == 1 and re.fullmatch(re.escape(ch), other, re.IGNORECASE) and fold(ch) != fold(other):
                failures.append((ch, other))
    assert failures == []


def test_spellings_name_the_first_equal_name() -> None:
    spelt = Spellings(["Anna  Hansen", "Linda", "linda"], str.lower)
    assert spelt("LINDA") == "Linda"
    assert spelt("Anna\nHansen") == "Anna  Hansen"  # two spaces in the name: no key is equal, the regex is
    assert spelt("Lında") == "Linda"


# Texts made of the names' pieces, so that hits, near misses and overlaps are common.
PIECES = ["Anna", "Hansen", "Berg", "Søren", "Soeren", "Kjær", "Kjaer", "Anne", "Marie", "Jr.", "O'Brien", "Ølgaard"]
SEPARATORS = [" ", "\n", "  ", "-", "_", ".", ", ", "»", "<p>", "x", "1", "\xa0"]
texts = st.lists(st.sampled_from(PIECES + SEPARATORS), max_size=30).map("".join)
cases = st.sampled_from([str, str.upper, str.lower])


@settings(max_examples=3000 if FUZZ else 300, derandomize=not FUZZ, deadline=None)
@given(
    texts,
    st.lists(st.sampled_from([*NAMES, "Anne Marie", "Berg Anna", "Marie"]), min_size=1, max_size=8, unique=True),
    cases,
    st.sampled_from([1, 5, 12, module.CHUNK]),
)
def test_generated_texts_give_the_same_hits(text: str, names: list[str], case: object, chunk: int) -> None:
    # Long texts are looked at in chunks; small ones make a name cross a chunk's end.
    text = case(text)  # type: ignore[operator]
    default, module.CHUNK = module.CHUNK, chunk
    try:
        for edge in ("word", "boundary"):
            finder = NameFinder(names, edge)  # type: ignore[arg-type]
            assert found(finder, text) == reference(alternation(names, edge), text)  # type: ignore[arg-type]
    finally:
        module.CHUNK = default


def test_a_name_across_the_end_of_a_chunk_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "CHUNK", 4)
    text = "xx Anna\n Hansen og Anna og Hansen Berg"
    assert [h for _, _, h in found(NameFinder(NAMES, "word"), text)] == ["Anna\n Hansen", "Anna", "Hansen Berg"]


def test_a_genitive_is_found_where_the_word_also_starts_another_name() -> None:
    # "Anders" is both a name's first word and the genitive of "Ander": both names are tried there.
    names = ["Anders Berg", "Ander"]
    for edge in ("word", "boundary"):
        finder = NameFinder(names, edge)  # type: ignore[arg-type]
        text = "Anders kom, Anders Berg kom, Anders Bergs bil, Ander kom"
        assert found(finder, text) == reference(alternation(names, edge), text)  # type: ignore[arg-type]
        assert [hit.group("name") for hit in finder.finditer(text)] == ["Ander", "Anders Berg", "Anders Berg", "Ander"]


def test_comments_in_a_style_sheet_are_not_searched_but_what_it_prints_is() -> None:
    from compendium.consent.leaks import without_css_comments

    page = "<style>/* one h1 per document */ p::after { content: 'Per Hansen'; }</style><p>/* Per Hansen */</p>"
    assert without_css_comments(page) == ("<style>  p::after { content: 'Per Hansen'; }</style><p>/* Per Hansen */</p>")
