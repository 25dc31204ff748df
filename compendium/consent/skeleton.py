"""A text as a reader sees it: the key under which two spellings of a name are the same name.

Comparing code points lets a withheld name through when it is written with
an invisible character inside (a soft hyphen from Word), in another
normal form (NFD), in a compatibility form (the ligature ﬁ, fullwidth or
mathematical letters, a no-break hyphen) or with look-alike letters of
another script (Cyrillic о for o). The skeleton folds all of those
together, in the spirit of Unicode TS #39's skeleton:

1. compatibility decomposition (NFKD), and the combining marks dropped,
   so é, e + U+0301 and e are one letter (as `name_forms` already spells
   names without accents);
2. default-ignorable code points (soft hyphen, zero-width characters,
   joiners, bidi controls, variation selectors, tags) and control
   characters removed;
3. case folded;
4. each letter outside ASCII mapped to its prototype in Unicode's
   confusables (the data of the `confusable_homoglyphs` package, made from
   confusables.txt), folded again. ASCII letters stay as they are: mapping
   'I' to 'l', as TS #39 does, would make case matter.

Each character's skeleton depends on that character alone, so the skeleton
of a text is its characters' skeletons joined: one `str.translate`, linear
in the text, and every position in it maps back to the character it came
from, so a name found in the skeleton is replaced in the text as written.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from compendium.content.invisible import INVISIBLE

DROPPED_MARKS = ("Mn", "Me")  # nonspacing and enclosing marks: accents, and the overlays TS #39 uses for ø
LRM = "\u200e"  # the confusables data wraps right-to-left characters in these


class _Table(dict[int, str]):
    """Each code point's skeleton, worked out the first time the code point is met."""

    def __missing__(self, code: int) -> str:
        skeleton = self[code] = char_skeleton(chr(code))
        return skeleton


TABLE = _Table()


# Printable ASCII, tab and line ends: their skeleton is their lower case. Everything else goes through TABLE.
OTHER = re.compile("[^\t\n\r\x20-\x7e]+")


def skeleton(text: str) -> str:
    """Return a text's skeleton: what a reader sees, one way of writing it.

    The same as `text.translate(TABLE)`, but only the runs of other characters are
    looked up one by one (each run once): on a Danish HTML document, a tenth of the time.
    """
    return OTHER.sub(_other, text).lower()


@functools.lru_cache(maxsize=65536)
def _run_skeleton(run: str) -> str:
    """Return the skeleton of a run of characters other than printable ASCII."""
    return run.translate(TABLE)


def _other(match: re.Match[str]) -> str:
    """Return the skeleton of one run of other characters."""
    return _run_skeleton(match.group(0))


def char_skeleton(ch: str) -> str:
    """Return one character's skeleton (empty for an invisible one)."""
    text = ch
    for _ in range(ROUNDS):  # a prototype, once folded, may have a prototype of its own (Ϛ → σ → o)
        folded = "".join(_one_round(letter) for letter in text)
        if folded == text:
            break
        text = folded
    return text


ROUNDS = 4


def _one_round(ch: str) -> str:
    """Decompose, drop, fold and map one character once.

    Lower-cased at the end (Cherokee folds to capitals), so that lower-casing a skeleton leaves it as it is.
    """
    out = []
    for letter in _plain(ch).casefold():
        out.append(_plain(_prototype(letter).casefold()) if not letter.isascii() else letter)
    return "".join(out).lower()


def _plain(text: str) -> str:
    """Decompose a text by compatibility, leaving out combining marks, invisible and control characters."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if unicodedata.category(ch) not in DROPPED_MARKS
        and not INVISIBLE.match(ch)
        and not (unicodedata.category(ch) == "Cc" and not ch.isspace())
    )


def _prototype(letter: str) -> str:
    """Return the prototype a non-ASCII letter looks like, by itself or, failing that, as a capital.

    A capital's look-alike is lost when it is folded (Cyrillic Н is H, its small н
    is not h), so a small letter whose own prototype is not ASCII takes its capital's.
    """
    own = prototype(letter) or letter
    if own.isascii():
        return own
    capital = prototype(letter.upper()) if len(letter.upper()) == 1 else ""
    return capital if capital and capital.isascii() else own


def prototype(char: str) -> str:
    """Return the prototype of one character in Unicode's confusables, or "" if it is none's source.

    The package keeps confusables.txt as a graph with edges both ways; in the file each
    source (one character) points to its prototype, and a prototype is no source. So a
    character with one edge to a prototype that has others, to a sequence, or to ASCII is a
    source; where two single characters point only at each other, the lower is taken.
    """
    graph = confusables()
    others = graph.get(char, ())
    if len(others) != 1 or char.isascii():
        return ""
    other = others[0]["c"].strip(LRM)
    if len(other) > 1 or other.isascii() or len(graph.get(other, ())) > 1 or other < char:
        return other
    return ""


@functools.cache
def confusables() -> dict[str, list[dict[str, str]]]:
    """Read the confusables graph of the `confusable_homoglyphs` package, keyed by character.

    Its data file is read as it is: importing the package's module would also import
    urllib (for its update command) and a table of scripts this does not use.
    """
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_bytes()
    # Python's cycle collector is paused while the graph is made: it would walk the whole build's objects,
    # once or twice, for a hundred thousand new ones none of which is garbage.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = json.loads(raw)
    finally:
        if was_enabled:
            gc.enable()
    # Right-to-left characters are kept between two left-to-right marks, as the comments of confusables.txt show them.
    return data | {key.strip(LRM): value for key, value in data.items() if LRM in key}


@dataclass
class Skeleton:
    """A text and its skeleton, and the way back from a place in the skeleton to the text."""

    source: str

    def __post_init__(self) -> None:
        self.text = skeleton(self.source)
        self._ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return where in the source a stretch of the skeleton comes from (start < end)."""
        if self.text == self.source:
            return start, end
        if self._ends is None:
            # Where each character's skeleton ends: worked out only for a text a name was found in.
            self._ends = list(itertools.accumulate(len(TABLE[ord(ch)]) for ch in self.source))
        return bisect.bisect_right(self._ends, start), bisect.bisect_right(self._ends, end - 1) + 1
