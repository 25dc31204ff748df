"""The stories chapter's groups: one per municipality, so a reader finds their own job centre.

Stories are grouped by the municipality the public view shows (a story
whose municipality would identify an anonymous teller, or that has none,
goes in a last group under the label `stories_other`). Groups are in
Danish alphabetical order (æ, ø, å after z, and "aa" read as å, as in
Aabenraa and Aalborg); stories within a group keep their order (date, then
id). Each group's heading is in the contents.

The PDF is laid out in pieces (render/pdf/pieces.py), which start where
the template marks `data-chunk`. A piece starts at a group's heading once
the stories since the last start reach PIECE_STORIES; a group longer than
twice that is cut between stories, every PIECE_STORIES. Where pieces start
depends only on each group's size, so an edited story changes no start.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

PIECE_STORIES = 25  # stories per piece of the PDF, about; smaller pieces spread better over the workers
# Danish letters after z; other marked letters sort as their base letter (é as e).
DANISH_LETTERS = {"æ": "z{", "ä": "z{", "ø": "z|", "ö": "z|", "å": "z}"}


class Grouped(Protocol):
    """What grouping needs of a story: the municipality consent lets the edition print."""

    @property
    def municipality(self) -> str | None: ...


S = TypeVar("S", bound=Grouped)


@dataclass(frozen=True)
class StoryGroup(Generic[S]):
    """The stories of one municipality (or of none), and where the PDF's pieces start among them."""

    id: str  # the anchor of the group's heading, e.g. 'stories-koebenhavn'
    title: str
    stories: list[S]
    starts_piece: bool = False  # a piece of the PDF starts at the group's heading
    piece_starts: frozenset[int] = field(default_factory=frozenset)  # stories (by index) a piece starts at


def danish_key(text: str) -> tuple[str, str]:
    """Sort key for Danish alphabetical order: æ ø å after z, 'aa' as å, case and accents second."""
    folded = text.casefold().replace("aa", "å")
    letters = []
    for char in folded:
        if char in DANISH_LETTERS:
            letters.append(DANISH_LETTERS[char])
        else:
            letters.append(unicodedata.normalize("NFKD", char)[0])
    return "".join(letters), text


def slug(text: str) -> str:
    """Make an ASCII anchor from a municipality's name: 'Københavns Kommune' gives 'koebenhavns-kommune'."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def group_stories(stories: Sequence[S], other: str) -> list[StoryGroup[S]]:
    """Group stories by municipality in Danish order, the unplaced last under `other`; mark where pieces start."""
    by_place: dict[str, list[S]] = {}
    unplaced: list[S] = []
    for story in stories:
        place = (story.municipality or "").strip()
        (by_place.setdefault(place, []) if place else unplaced).append(story)
    named = [(place, by_place[place]) for place in sorted(by_place, key=danish_key)]
    if unplaced:
        named.append((other, unplaced))
    groups: list[StoryGroup[S]] = []
    used: set[str] = set()
    since = 0  # stories since the last piece started
    for place, members in named:
        anchor = _unique(f"stories-{slug(place)}", used)
        starts = bool(groups) and since >= PIECE_STORIES
        long = len(members) >= 2 * PIECE_STORIES
        inside = frozenset(range(PIECE_STORIES, len(members), PIECE_STORIES)) if long else frozenset()
        since = len(members) - max(inside) if inside else (0 if starts else since) + len(members)
        groups.append(StoryGroup(anchor, place, list(members), starts, inside))
    return groups


def _unique(anchor: str, used: set[str]) -> str:
    """Make an anchor unique among the groups' (two names may give one slug)."""
    candidate, n = anchor, 1
    while candidate in used:
        n += 1
        candidate = f"{anchor}-{n}"
    used.add(candidate)
    return candidate
