"""Find names in text in one pass: a word lookup instead of a regex alternation of every name.

One case-insensitive regex of every withheld name (`(?:name1|name2|…)`) makes
Python's `re` try each name at each position of the text: with 2,000 names and
3 MB of HTML that was most of a build. Here each run of word characters in the
text is looked up in a dict of the names' first words; only the names that
start with a word found there are then tried, with one small regex per first
word, at that one position. Long texts are split into words in chunks.

The findings are exactly those of the alternation, which stays the reference:
the same matches, leftmost first, the longest name first where several start
at one position, no overlaps, the same word boundaries, and any whitespace
(a line break, say) between the parts of a name. A name in the Danish
genitive ("Johannesens") is found too; `match.group("name")` is the name.

`NameSearch` runs a `NameFinder` over the texts' skeletons, so that a name is
found however it is spelt (invisible characters, ligatures, look-alike letters
of another script); `replace_names` replaces it in the text as written.

Which forms of a person's name are looked for (the whole name, each
distinctive part, and each spelt without Danish letters) is `name_forms`,
used by the leak scan of the outputs and the changes appendix alike.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from compendium.consent.skeleton import Skeleton, skeleton

WORD = re.compile(r"\w+")
SPLIT = re.compile(r"(\w+)")
NON_WORD = re.compile(r"\W")

# How a name must end. "word": not followed by a word character, as (?<!\w)…(?!\w);
# "boundary": at a word boundary, as \b…\b (the same unless a name ends in punctuation).
Edge = Literal["word", "boundary"]
_ENDS = {"word": r"(?!\w)", "boundary": r"\b"}
# Danish puts a name in the genitive with an -s ("Johannesens metode"); "Lars'" already ends the word.
# The name itself is the group "name" of every match; the -s is not part of it.
GENITIVE = "s?"


def name_regex(name: str) -> str:
    """Return the regex of one name: its parts, with any whitespace between them."""
    return r"\s+".join(map(re.escape, name.split()))


def alternation(names: Iterable[str], edge: Edge) -> re.Pattern[str]:
    """Return the reference pattern: every name as a whole word, longest first, ignoring case."""
    ordered = sorted(names, key=len, reverse=True)
    if edge == "word":
        body = "|".join(name_regex(n) for n in ordered)
        return re.compile(rf"(?<!\w)(?P<name>{body}){GENITIVE}(?!\w)", re.IGNORECASE)
    body = "|".join(rf"\b{name_regex(n)}" for n in ordered)
    return re.compile(rf"(?P<name>{body}){GENITIVE}\b", re.IGNORECASE)


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Return the key under which `re.IGNORECASE` treats two words as equal.

    `re` compares characters by their simple lower case (so 'İ' is 'i'), and
    also takes 'ſ' for 's', 'ı' for 'i', 'ϑ' for 'θ' and the like: casefolding
    each lower-cased character covers those, and 'ı' is the one it leaves.
    """
    if word.isascii():
        return word.lower()
    return "".join(_fold_char(ch) for ch in word)


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Fold one character as `fold` describes, keeping it one character."""
    lower = ch.lower()[0]  # 'İ'.lower() is 'i' and a combining dot; re uses the simple mapping, 'i'
    folded = lower.casefold()
    single = folded if len(folded) == 1 else lower
    return "i" if single == "ı" else single


CHUNK = 100_000  # characters: a whole HTML document split into words at once would take 20 times its size


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """Split a text into pieces of about CHUNK characters, each ending before a non-word character."""
    start = 0
    while start < len(text):
        cut = NON_WORD.search(text, start + CHUNK) if start + CHUNK < len(text) else None
        end = cut.start() if cut else len(text)
        yield start, end
        start = end


class NameFinder:
    """Find names in texts as `alternation(names, edge).finditer` would, in time linear in the text."""

    def __init__(self, names: Iterable[str], edge: Edge) -> None:
        ordered = sorted(dict.fromkeys(names), key=len, reverse=True)
        self.edge = edge
        self._fallback: re.Pattern[str] | None = None
        self._by_head: dict[str, list[str]] = {}
        self._seen: set[str] = set()  # every word looked up so far, as written
        self._heads: set[str] = set()  # those of them that start some name
        self._patterns: dict[tuple[str, ...], re.Pattern[str]] = {}
        if any(not WORD.match(n) for n in ordered):
            # A name that starts with punctuation has no first word to look up: use the alternation.
            self._fallback = alternation(ordered, edge)
            return
        self._rank = {name: i for i, name in enumerate(ordered)}
        for name in ordered:  # longest first, as the alternation tries them
            head = WORD.match(name)
            assert head is not None  # checked above
            self._by_head.setdefault(fold(head.group(0)), []).append(name)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Yield each name found, leftmost first, without overlaps."""
        if self._fallback is not None:
            yield from self._fallback.finditer(text)
            return
        resume = 0
        for start, end in _chunks(text):
            for at, word in self._candidates(text[start:end]):
                # A word run starts where the previous character is not a word character: (?<!\w) and \b hold.
                if start + at < resume:
                    continue
                hit = self._pattern(self._heads_of(word)).match(text, start + at)
                if hit:
                    yield hit
                    resume = hit.end()

    def _candidates(self, text: str) -> list[tuple[int, str]]:
        """Return each word of a text that starts some name, and where it begins, in order."""
        # Text and words alternate: [between, word, between, word, …, between].
        pieces = SPLIT.split(text)
        words = set(pieces[1::2])
        self._learn(words - self._seen)
        present = words & self._heads
        if not present:
            return []  # the usual case: no word of the text starts any name
        starts = list(itertools.accumulate(map(len, pieces), initial=0))
        return [(starts[i], pieces[i]) for i in range(1, len(pieces), 2) if pieces[i] in present]

    def _learn(self, words: set[str]) -> None:
        """Remember which of some new words start a name."""
        self._seen |= words
        self._heads |= {word for word in words if self._heads_of(word)}

    def _heads_of(self, word: str) -> tuple[str, ...]:
        """Return the names' first words a word of the text may be: itself, or itself less a genitive -s."""
        key = fold(word)
        return tuple(h for h in (key, key[:-1] if key.endswith("s") else "") if h in self._by_head)

    def _pattern(self, heads: tuple[str, ...]) -> re.Pattern[str]:
        """Return the regex of the names that start with some words, longest first, compiled once.

        At one position an alternation tries its names in order, as the whole one would.
        """
        pattern = self._patterns.get(heads)
        if pattern is None:
            candidates = sorted({n for h in heads for n in self._by_head[h]}, key=lambda n: self._rank[n])
            names = "|".join(name_regex(n) for n in candidates)
            pattern = self._patterns[heads] = re.compile(
                f"(?P<name>{names}){GENITIVE}{_ENDS[self.edge]}", re.IGNORECASE
            )
        return pattern


@dataclass(frozen=True)
class Found:
    """A name found in a text: which name, and where it stands in the text as written (its genitive -s included)."""

    name: str
    start: int
    end: int


class NameSearch:
    """Find names in texts as a reader sees them: compare skeletons (see consent/skeleton.py), not code points.

    The skeletons of the names are hashed once, into one `NameFinder`; each text is
    turned into its skeleton in one pass and searched with it, so the search stays
    linear in the text. Each hit is mapped back to the characters it came from.
    """

    def __init__(self, names: Iterable[str], edge: Edge) -> None:
        self._exact: dict[str, str] = {}  # the name as written (folded) -> the name
        self._by_skeleton: dict[str, str] = {}  # the name as a reader sees it -> the first name that reads so
        for name in dict.fromkeys(names):
            self._exact.setdefault(" ".join(name.casefold().split()), name)
            key = " ".join(skeleton(name).split())
            if key:
                self._by_skeleton.setdefault(key, name)
        self._finder = NameFinder(self._by_skeleton, edge)
        self._spelt = Spellings(self._by_skeleton, str.casefold)

    def finditer(self, text: str) -> Iterator[Found]:
        """Yield each name found in a text, leftmost first, without overlaps."""
        read = Skeleton(text)
        for hit in self._finder.finditer(read.text):
            start, end = read.span(*hit.span())
            name_start, name_end = read.span(*hit.span("name"))
            written = " ".join(text[name_start:name_end].casefold().split())
            yield Found(self._exact.get(written) or self._by_skeleton[self._spelt(hit.group("name"))], start, end)


class Spellings:
    """Tell which name a found text is: the first equal to it under a key (lower case, say)."""

    def __init__(self, names: Iterable[str], key: Callable[[str], str]) -> None:
        self.names = list(names)
        self.key = key
        self.by_key: dict[str, str] = {}
        for name in self.names:
            self.by_key.setdefault(key(name), name)

    def __call__(self, found: str) -> str:
        """Return the name a found text spells, its parts split by any whitespace."""
        name = self.by_key.get(self.key(" ".join(found.split())))
        if name is not None:
            return name
        # re's IGNORECASE also takes 'ı' for 'i', and a name may hold two spaces: no key is equal then.
        return next(n for n in self.names if re.fullmatch(name_regex(n), found, re.IGNORECASE))


# --- the forms of a name to look for ----------------------------------------

MIN_NAME_PART = 3  # shorter name parts ("Bo", "Li") match too many ordinary words to look for alone
# How Danish letters are written without them, as in file names and ids ("Sørensen" → "sorensen").
ASCII_SPELLINGS = ({"æ": "ae", "ø": "o", "å": "a"}, {"æ": "ae", "ø": "oe", "å": "aa"})


def name_forms(name: str, printable: set[str]) -> list[str]:
    """Return the forms of a withheld name to look for: whole, each part no one printed has, and without æøå.

    Every part counts, middle names too: "Feldborg" alone names Lisbet
    Feldborg Johannesen as well. A part that a printed name also has (a
    shared first name) is no leak, and is left out.
    """
    parts = name.split()
    wanted = [" ".join(parts)] + [p for p in sorted(set(parts) - printable) if _long_enough(p)]
    return [variant for form in wanted for variant in (form, *_ascii_forms(form))]


def _long_enough(part: str) -> bool:
    """Tell whether a name part is distinctive enough to look for on its own."""
    return sum(ch.isalpha() for ch in part) >= MIN_NAME_PART


def _ascii_forms(form: str) -> set[str]:
    """Return the ways a name is spelt without Danish or accented letters, if they differ."""
    found = set()
    for table in ASCII_SPELLINGS:
        text = "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in form)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        if text.casefold() != form.casefold():
            found.add(text)
    return found


def replace_names(search: NameSearch, text: str, replacement: str) -> str:
    """Replace every name found in a text, however it is spelt, with its genitive -s, by replacement."""
    out, at = [], 0
    for hit in search.finditer(text):
        out += [text[at : hit.start], replacement]
        at = hit.end
    return "".join(out) + text[at:]
