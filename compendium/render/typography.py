"""Line breaks in titles: the `tie` filter keeps a short word with the word after it.

A title set large breaks where the line is full, which can leave a short word at a
line's end ("Debatoplæg: Et" / "beskæftigelsessystem …"). A reader breaks before
such a word, so the filter groups a short word (three letters or fewer), a number
and a short abbreviation ("mia.", "kr.") with the word that follows. Each group is a
span of class `tie`, which the print style sheet keeps on one line; on screens the
groups may still break, so a long group never pushes a phone's page wider.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SHORT_WORD = 3  # letters: 'Et', 'på', 'og', 'til', 'the', 'of'
ABBREVIATION = re.compile(r"\w{1,3}\.", re.UNICODE)  # 'mia.', 'kr.', 'ca.'


def _short(word: str) -> bool:
    """Tell whether a word belongs with the next one: a short word, a number or a short abbreviation."""
    return len(word) <= SHORT_WORD or word[:1].isdigit() or bool(ABBREVIATION.fullmatch(word))


def tie_groups(text: str) -> list[list[str]]:
    """Split a text at its spaces into groups of words that should stay on one line."""
    groups: list[list[str]] = []
    joined = False  # the last word of the last group asks for the next word
    for word in text.split():
        if joined:
            groups[-1].append(word)
        else:
            groups.append([word])
        joined = _short(word)
    return groups


def tie(text: object) -> Markup:
    """Return the text as HTML in which each short word is kept with the word after it (the `tie` filter)."""
    groups = tie_groups(str(text))
    return Markup(" ").join(
        Markup('<span class="tie">{}</span>').format(" ".join(g)) if len(g) > 1 else escape(g[0]) for g in groups
    )
