"""Invisible characters in input text: format characters, bidi controls and other default-ignorables.

Text pasted from Word or a web page carries soft hyphens, zero-width spaces,
joiners, byte order marks and direction marks that no reader sees. Inside a
word they split it for every program that compares text (a name among
them), and bidi overrides can make a line read otherwise than it is stored.
So each one in a text value is an input error at its line and column, named
and with the fix; `compendium.consent.skeleton` removes them anyway when it
compares names, as a second line of defence.

Some have a use a reader does see, and are left alone:

- the zero-width joiner inside an emoji sequence (👩‍💻), and a variation
  selector or tag character right after an emoji or symbol (❤️, 🏴 flags);
- the zero-width joiner and non-joiner between two letters of a script that
  shapes its letters by them (Arabic, Persian, the Indic scripts and others);
- a variation selector after a CJK ideograph or a Mongolian letter;
- a left-to-right or right-to-left mark between words (not inside one), which
  sets where a run of right-to-left text ends.

Control characters (NUL, ESC, …) are `content.load`'s business, not this module's.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from compendium.content.load import Located
from compendium.content.walk import texts_in
from compendium.errors import Problem, format_key_path
from compendium.messages import N_, _

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties), with the bidi controls and the other
# format characters (Cf) that draw nothing; not the Arabic number signs and other Cf characters that are seen.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# How the ones an editor meets are called, and what to do about them.
NAMES = {
    "\u00ad": "SOFT HYPHEN",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)",
}
FIXES = {
    "\u00ad": N_("delete it; where the word may break, the layout hyphenates it by itself"),
    "\u200b": N_("delete it, or put a space where the words should part"),
}
FIX = N_("delete it; it is invisible, and splits the word for every program that reads the text")
BIDI_FIX = N_("delete it; it changes the order in which the text is shown, not what it says")
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
DIRECTION_MARKS = set("\u061c\u200e\u200f")
JOINERS = set("\u200c\u200d")
VARIATION_SELECTORS = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Scripts whose letters join or shape by the zero-width (non-)joiner, by the first word of their characters' names.
JOINING_SCRIPTS = {
    "ARABIC",
    "SYRIAC",
    "NKO",
    "MANDAIC",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "MYANMAR",
    "KHMER",
    "MONGOLIAN",
    "TIBETAN",
    "HEBREW",
}
KEYCAP = "\u20e3"
EMOJI_TAG_BASE = "\U0001f3f4"  # the black flag that tag characters turn into a subdivision's flag


@dataclass(frozen=True)
class Invisible:
    """One invisible character found in a text: where, which, and the fix."""

    offset: int
    char: str

    @property
    def name(self) -> str:
        """Return the character's code point and name, as 'U+00AD SOFT HYPHEN'."""
        name = NAMES.get(self.char) or unicodedata.name(self.char, _("an invisible character"))
        return f"U+{ord(self.char):04X} {name}"

    @property
    def fix(self) -> str:
        """Say what to do about it."""
        return _(BIDI_FIX if self.char in BIDI_CONTROLS else FIXES.get(self.char, FIX))


def find_invisible(text: str) -> Iterator[Invisible]:
    """Yield each invisible character in a text that has no use a reader sees."""
    for hit in INVISIBLE.finditer(text):
        at = hit.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        if not _seen_use(hit.group(0), before, after):
            yield Invisible(at, hit.group(0))


def _seen_use(char: str, before: str, after: str) -> bool:
    """Tell whether an invisible character between two others does something a reader sees."""
    if char == "\u200d" and _emoji_side(before) and _emoji(after):
        return True
    if char in JOINERS:
        return _script(before) in JOINING_SCRIPTS and _script(after) in JOINING_SCRIPTS
    if VARIATION_SELECTORS.fullmatch(char):
        return _emoji(before) or after == KEYCAP or _script(before) in ("CJK", "MONGOLIAN")
    if "\U000e0020" <= char <= "\U000e007f":  # tag characters, after the flag or another tag
        return before == EMOJI_TAG_BASE or "\U000e0020" <= before <= "\U000e007f"
    if char in DIRECTION_MARKS:
        return not (_word(before) and _word(after))
    return False


def _emoji(ch: str) -> bool:
    """Tell whether a character is a symbol that can be drawn as an emoji (So, Sk, or a keycap's base)."""
    return bool(ch) and (unicodedata.category(ch) in ("So", "Sk") or ch in "#*0123456789")


def _emoji_side(ch: str) -> bool:
    """Tell whether a character may end an emoji before a joiner: the emoji, its variation selector, a skin tone."""
    return _emoji(ch) or ch == "\ufe0f"


def _script(ch: str) -> str:
    """Return the first word of a character's name, which for a letter is mostly its script."""
    return unicodedata.name(ch, " ").split(" ")[0] if ch else ""


def _word(ch: str) -> bool:
    """Tell whether a character is part of a word."""
    return bool(ch) and (ch.isalnum() or unicodedata.category(ch).startswith("M"))


# In a double-quoted YAML string an invisible character may be written as an escape ("\u00ad").
ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
SOURCE_TOKEN = re.compile(f"{INVISIBLE.pattern}|{ESCAPE.pattern}")


def invisible_problems(located: Located, text: str) -> list[Problem]:
    """Report each invisible character in the text values of a parsed YAML file, at its line and column."""
    problems: list[Problem] = []
    lines: list[int] = []
    for path, value in texts_in(located.data):
        found = list(find_invisible(value))
        if not found:
            continue
        lines = lines or [0, *(m.end() for m in re.finditer("\n", text))]
        every = [m.start() for m in INVISIBLE.finditer(value)]  # the seen ones too, to count along the source
        places = _places(text, lines, located.positions.get(path), len(every))
        for one in found:
            line, column = places[every.index(one.offset)] if len(places) == len(every) else located.where(path)
            message = _("the text holds {name}, an invisible character, in '{value}'; {fix}").format(
                name=one.name, value=_shown(value, one), fix=one.fix
            )
            problems.append(Problem(located.file, line, column, format_key_path(path), message, hint=one.fix))
    return problems


def _places(text: str, lines: list[int], start: tuple[int, int] | None, count: int) -> list[tuple[int, int]]:
    """Return the line and column of the first invisible characters written from where a value starts."""
    if start is None:
        return []
    at = lines[start[0] - 1] + start[1] - 1
    quoted = text.startswith('"', at)
    places: list[tuple[int, int]] = []
    for token in SOURCE_TOKEN.finditer(text, at):
        if len(places) == count:
            break
        if token.group(0).startswith("\\") and not (quoted and _escaped_invisible(text, token)):
            continue
        line = bisect.bisect_right(lines, token.start())
        places.append((line, token.start() - lines[line - 1] + 1))
    return places


def _escaped_invisible(text: str, token: re.Match[str]) -> bool:
    """Tell whether an escape in a quoted string writes an invisible character (and is not itself escaped)."""
    before = text[max(token.start() - 64, 0) : token.start()]
    if (len(before) - len(before.rstrip("\\"))) % 2:
        return False  # "\\u200b" is a backslash and the letters u200b
    code = int(next(group for group in token.groups() if group), 16)
    return code < 0x110000 and bool(INVISIBLE.fullmatch(chr(code)))


def _shown(value: str, one: Invisible) -> str:
    """Return the word around an invisible character, the character shown by its code point."""
    at = one.offset
    start = max(value.rfind(" ", 0, at), value.rfind("\n", 0, at), at - 31) + 1
    end = min(i for i in (value.find(" ", at), value.find("\n", at), at + 31, len(value)) if i != -1)
    return f"{INVISIBLE.sub('', value[start:at])}<U+{ord(one.char):04X}>{INVISIBLE.sub('', value[at + 1 : end])}"
