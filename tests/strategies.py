"""Hypothesis strategies: valid and broken input trees, hostile Markdown, consent assignments.

An input tree is drawn as edits to the example project, because a tree
made from nothing is almost always rejected at the first key; edits to a
good tree reach every later stage: validation, references, consent, rendering.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.conftest import REPO

INPUTS = REPO / "inputs"
# Every input file of the example, relative to the project folder, with its parsed data.
EXAMPLE_FILES = sorted(p.relative_to(REPO).as_posix() for p in INPUTS.rglob("*.yaml"))
CONSENTS = ("named", "role-only", "anonymous", "withdrawn")

# Pieces of YAML syntax that break or bend a file when dropped into it.
YAML_SNIPPETS = [
    ":",
    ": ",
    "- ",
    "-",
    "? ",
    "&a ",
    "*a",
    "*undefined",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!custom",
    "\t",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "|",
    ">-",
    "#",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\x00",
    "\ufeff",
    "\r",
    "\u2028",
    "<<: *a\n",
    "~",
    "null",
    "yes",
    "NO",
    "0x1F",
    "1e400",
    "2023-02-30",
    "12:30",
    "\\",
    "\n  ",
    "\n",
    "é",
    "😀",
    "\x1b[31m",
]
# Pieces of Markdown and HTML that try to get past the sanitiser or break the layout.
MARKDOWN_SNIPPETS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](file:///etc/passwd)",
    "![x](http://example.org/x.png)",
    "<iframe src=//x>",
    "<style>*{}</style>",
    '<a href="#" onclick="x()">a</a>',
    "<svg onload=x>",
    "<!--",
    "-->",
    "<![CDATA[",
    "{{ 7*7 }}",
    "{% raw %}",
    "{# x #}",
    "&lt;",
    "&#0;",
    "&#x110000;",
    "# ",
    "###### ",
    "> ",
    "```",
    "    code",
    "* ",
    "1. ",
    "---",
    "|a|b|\n|-|-|",
    "**",
    "_",
    "`",
    "\\",
    "\n\n",
    "<",
    ">",
    "&",
    '"',
    "'",
    "\u202e",
    "\u00ad",
    "\x00",
    "<math><mi xlink:href=javascript:x>",
    "<base href=//x>",
    "<meta http-equiv=refresh content=0;url=//x>",
]


def _yaml_values() -> st.SearchStrategy[Any]:
    """Values YAML can hold, nested a little: what a careless or hostile editor might put anywhere."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(min_value=dt.date(1, 1, 1)),
        st.text(max_size=40),
        st.sampled_from(["", " ", "named", "anonymous", "withdrawn", "x" * 300, "karina-sorensen", "tillid"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
        max_leaves=8,
    )


@dataclass(frozen=True)
class TreeEdit:
    """One change to the example project: a file's new bytes (None deletes it)."""

    path: str
    data: bytes | None

    def apply(self, project: Path) -> None:
        """Make the change in a project folder."""
        target = project / self.path
        if self.data is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.data)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every value in parsed YAML."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i))
    return found


def _set(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    """Return data with the value at path replaced (or removed)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = dict(data) if isinstance(data, dict) else list(data)
    if rest:
        copy[head] = _set(copy[head], rest, value, delete)
    elif delete:
        del copy[head]
    else:
        copy[head] = value
    return copy


@st.composite
def value_edit(draw: st.DrawFn) -> TreeEdit:
    """Replace, delete or add one value somewhere in one input file (the YAML stays well formed)."""
    rel = draw(st.sampled_from(EXAMPLE_FILES))
    data = yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))
    path = draw(st.sampled_from(_paths(data)))
    kind = draw(st.sampled_from(["replace", "delete", "add"]))
    if kind == "add":
        key = draw(st.one_of(st.text(max_size=10), st.sampled_from(["id", "consent", "name", "themes", "speaker"])))
        path = (*path, key) if isinstance(_get(data, path), dict) else path
    new = _set(data, path, draw(_yaml_values()), delete=kind == "delete" and bool(path))
    return TreeEdit(rel, yaml.safe_dump(new, allow_unicode=True, sort_keys=False).encode("utf-8"))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    """Return the value at a path."""
    for part in path:
        data = data[part]
    return data


@st.composite
def text_edit(draw: st.DrawFn) -> TreeEdit:
    """Drop YAML syntax, random text or bytes into one input file, cut it short, or delete it."""
    rel = draw(st.sampled_from(EXAMPLE_FILES))
    raw = (REPO / rel).read_bytes()
    kind = draw(st.sampled_from(["insert", "insert", "truncate", "bytes", "delete", "empty"]))
    if kind == "delete":
        return TreeEdit(rel, None)
    if kind == "empty":
        return TreeEdit(rel, b"")
    at = draw(st.integers(min_value=0, max_value=len(raw)))
    if kind == "truncate":
        return TreeEdit(rel, raw[:at])
    if kind == "bytes":
        return TreeEdit(rel, raw[:at] + draw(st.binary(max_size=8)) + raw[at:])
    snippet = draw(st.one_of(st.sampled_from(YAML_SNIPPETS), st.text(max_size=6)))
    return TreeEdit(rel, raw[:at] + snippet.encode("utf-8", "surrogatepass") + raw[at:])


@st.composite
def new_file(draw: st.DrawFn) -> TreeEdit:
    """Add a stray event or story file holding any YAML value."""
    folder = draw(st.sampled_from(["inputs/events", "inputs/stories", "inputs"]))
    name = draw(st.sampled_from(["x.yaml", "ny.yaml", "X.YML", "æøå.yaml", ".skjult.yaml", "x.yaml~"]))
    body = yaml.safe_dump(draw(_yaml_values()), allow_unicode=True).encode("utf-8")
    return TreeEdit(f"{folder}/{name}", body)


def input_trees(max_edits: int = 3) -> st.SearchStrategy[list[TreeEdit]]:
    """Edits turning the example into a valid or broken input tree (zero edits: the example itself)."""
    return st.lists(st.one_of(value_edit(), text_edit(), new_file()), max_size=max_edits)


def markdown_texts() -> st.SearchStrategy[str]:
    """Markdown an editor might write, mixed with attacks on the sanitiser and the templates."""
    pieces = st.one_of(st.sampled_from(MARKDOWN_SNIPPETS), st.text(max_size=12))
    return st.lists(pieces, max_size=12).map("".join)


def consents() -> st.SearchStrategy[dict[str, str]]:
    """A consent for every person among the example's participants (groups and organisations have none)."""
    data = yaml.safe_load((INPUTS / "participants.yaml").read_text(encoding="utf-8"))
    ids = [p["id"] for p in data["participants"] if p.get("kind", "person") == "person"]
    return st.fixed_dictionaries({pid: st.sampled_from(CONSENTS) for pid in ids})


# --- withheld names spelt otherwise: what a reader sees as the name, stored as other code points -------------

# Characters that draw nothing (Word's soft hyphen, zero-width characters, bidi controls, variation selectors).
INVISIBLES = [
    "\u00ad",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u034f",
    "\ufe0f",
    "\ufe00",
    "\U000e0041",
    "\u180e",
]
# Letters of other scripts that look like Latin ones (Cyrillic, Greek, and others from Unicode's confusables).
LOOK_ALIKES = {
    "a": "\u0430\u03b1",
    "c": "\u0441\u03f2",
    "e": "\u0435\u0435",
    "i": "\u0456\u0269",
    "j": "\u0458",
    "o": "\u043e\u03bf\u0585",
    "p": "\u0440\u03c1",
    "s": "\u0455",
    "x": "\u0445",
    "y": "\u0443",
    "h": "\u04bb",
    "n": "\u0578",
    "A": "\u0410\u0391",
    "B": "\u0412\u0392",
    "E": "\u0415\u0395",
    "H": "\u041d\u0397",
    "J": "\u0408",
    "K": "\u041a\u039a",
    "M": "\u041c\u039c",
    "O": "\u041e\u039f",
    "P": "\u0420\u03a1",
    "T": "\u0422\u03a4",
    "L": "\u216c",
}
LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "st": "\ufb06"}
# Mathematical alphanumeric letters: bold, italic, bold italic, script bold, fraktur, double-struck, sans, monospace.
MATH_CAPITAL_A = [0x1D400, 0x1D434, 0x1D468, 0x1D4D0, 0x1D56C, 0x1D5A0, 0x1D5D4, 0x1D670]


def _math(ch: str, style: int) -> str:
    """Return an ASCII letter as a mathematical letter of one style (italic h is a hole in Unicode: ℎ)."""
    base = MATH_CAPITAL_A[style]
    if ch.isupper():
        return chr(base + ord(ch) - ord("A"))
    if ch == "h" and style == 1:
        return "\u210e"
    return chr(base + 26 + ord(ch) - ord("a"))


@st.composite
def respelt(draw: st.DrawFn, name: str) -> str:
    """Spell a name otherwise: invisible characters, NFD, compatibility forms, look-alikes, case, any space."""
    out, at = [], 0
    while at < len(name):
        ligature = next((lig for lig in sorted(LIGATURES, key=len, reverse=True) if name.startswith(lig, at)), None)
        if ligature and draw(st.booleans()):
            out.append(LIGATURES[ligature])
            at += len(ligature)
            continue
        out.append(draw(_one_letter(name[at])))
        at += 1
        if at < len(name) and draw(st.integers(0, 3)) == 0:
            out.append("".join(draw(st.lists(st.sampled_from(INVISIBLES), min_size=1, max_size=3))))
    return "".join(out)


def _one_letter(ch: str) -> st.SearchStrategy[str]:
    """A letter of a name as itself, in the other case, decomposed, fullwidth, mathematical or a look-alike."""
    if ch.isspace():
        return st.sampled_from([" ", "\u00a0", "\u2009", "\u3000", "\n", "\u202f"])
    if ch == "-":
        return st.sampled_from(["-", "\u2010", "\u2011"])
    forms = [ch, ch.swapcase(), unicodedata.normalize("NFD", ch)]
    if ch.isascii() and ch.isalpha():
        forms += [chr(ord(ch) + 0xFEE0), *(_math(ch, style) for style in range(len(MATH_CAPITAL_A)))]
        forms += list(LOOK_ALIKES.get(ch, ""))
    return st.sampled_from(forms)
