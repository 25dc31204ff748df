"""Mark what a reader copies from paper, so print never breaks it with a hyphen.

A web address, an e-mail address, a number, an id or a person's name, broken at the end of a
line with a hyphen, is copied wrongly from paper (`sekreta-` / `riat@…`). After a document is
rendered, the text between its tags is searched for them, and each is wrapped in a span that
the print style sheet sets without hyphenation:

- `no-break` (never broken: e-mail addresses, ranges of numbers, ids, and each part of a web address,
  which may still break after a `/`, where a reader expects it);
- `keep-whole` (names: no hyphenation inside, though a line may break between first name and surname).

Names come from the content (the people the context prints), never from a list in code.
Text in the head, in SVG drawings, in scripts and in styles is left as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from compendium.assemble.context import Context

TAG = re.compile(r"(<[^>]*>)")
# Inside these elements text is not running text: their content is passed through untouched.
OPAQUE = ("svg", "style", "script", "title", "textarea")
OPEN = re.compile(r"<(svg|style|script|title|textarea)\b", re.IGNORECASE)
URL = r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]»«']"
# Begun only where a run of such characters begins: tried from inside a word, each word would be
# scanned again from every letter in it (a quadratic pass over a 3 MB compendium).
EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A range or fraction of numbers (2021–2023, 12-14, 1.500–2.000, 1/2), which a line could break after
# its dash or slash, or an id mixing letters and digits with a dash or underscore (KL-2023-04,
# case_17): broken, either reads as something else. (A plain number, 1.500, is never hyphenated.)
# Each begins only where its run begins, and no part can also match the separator after it: otherwise a
# long number or word is tried again from each character in it, and again at each way of splitting it.
NUMBER = r"(?<![\d.,])\d+(?:[.,]\d+)*\s?[–-]\s?\d+(?:[.,]\d+)*|(?<!\d)\d+/\d+"
IDENT = r"\b(?=[\w-]*\d)[A-Za-z][^\W_]*(?:[-_][^\W_]+)+\b|\b[^\W_]+(?:_[^\W_]+)+\b"
URL_PART = re.compile(r"[^/]*/+|[^/]+$")


# Remembers a part's marked text by what it is made from (the pipeline gives one backed by the build cache).
Remember = Callable[[tuple[str, ...], Callable[[], str]], str]
# The body is marked part by part, each story, proposal or statement (an <article>) a part of its own, so
# an edited build marks again only what changed. No template puts an <article> inside an SVG, a style,
# a script, a title or a textarea, whose text is left as it is: a part begins outside them.
PART = re.compile(r"(?=<article\b)")


def keep_whole(html: str, names: Iterable[str] = (), remember: Remember | None = None) -> str:
    """Wrap the addresses, numbers, ids and names in a rendered document's body text in marking spans."""
    patterns = _Patterns(_trie({n.strip() for n in names if n and len(n.strip()) > 2}))
    start = html.find("<body")
    head, body = (html[:start], html[start:]) if start >= 0 else ("", html)
    if remember is None:
        return head + _marked(body, patterns)
    parts = PART.split(body)
    return head + "".join(
        remember((patterns.names, part), functools.partial(_marked, part, patterns)) for part in parts
    )


def _marked(body: str, patterns: _Patterns) -> str:
    """Mark the text between the tags of some body HTML, leaving opaque elements' text as it is."""
    out: list[str] = []
    opaque: str | None = None
    for token in TAG.split(body):
        if token.startswith("<"):
            opaque = _opaque_after(token, opaque)
            out.append(token)
        elif opaque is None and token:
            out.append(patterns.for_text(token).sub(_wrap, token))
        else:
            out.append(token)
    return "".join(out)


DIGIT = re.compile(r"\d")
# Each kind, and a quick test of whether a text may hold one at all: a text is searched only for the
# kinds it may hold (most hold no address or number), as trying every kind at every place costs a second
# on a compendium of a thousand stories.
KINDS: tuple[tuple[str, str, Callable[[str], object]], ...] = (
    ("url", URL, lambda text: "://" in text or "www." in text),
    ("email", EMAIL, lambda text: "@" in text),
    ("number", NUMBER, DIGIT.search),
    ("id", IDENT, lambda text: "_" in text or DIGIT.search(text)),
)


class _Patterns:
    """The patterns for the kinds a text may hold, made once for each set of kinds met."""

    def __init__(self, names: str) -> None:
        self.names = names
        self.made: dict[tuple[bool, ...], re.Pattern[str]] = {}

    def for_text(self, text: str) -> re.Pattern[str]:
        """Return the pattern for the kinds this text may hold, and the names."""
        key = tuple(bool(may_hold(text)) for _, _, may_hold in KINDS)
        pattern = self.made.get(key)
        if pattern is None:
            parts = [f"(?P<{kind}>{rule})" for (kind, rule, _), wanted in zip(KINDS, key, strict=True) if wanted]
            if self.names:
                parts.append(rf"(?P<name>\b(?:{self.names})\b)")
            pattern = self.made[key] = re.compile(f"(?P<lead> ?)(?:{'|'.join(parts) or '(?!)'})")
        return pattern


def _opaque_after(tag: str, opaque: str | None) -> str | None:
    """The opaque element we are inside after this tag, if any."""
    if opaque is not None:
        return None if re.match(rf"</{opaque}\s*>", tag, re.IGNORECASE) else opaque
    opened = OPEN.match(tag)
    return opened.group(1).lower() if opened and not tag.endswith("/>") else None


def _trie(names: Iterable[str]) -> str:
    """Return a pattern matching any of the names, longest first, as a trie (a space matches any whitespace).

    A plain alternation of a thousand names is tried name by name at every place in the text; a trie
    fails at the first letter no name begins with.
    """
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for token in re.findall(r"\s+|.", name, re.DOTALL):
            node = node.setdefault(" " if token.isspace() else token, {})
        node[""] = {}
    return _branches(trie)


def _branches(node: dict[str, dict]) -> str:
    """Return the pattern of one trie node: each next character and what follows it; optional where a name ends."""
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _branches(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    ends = "" in node
    if len(branches) == 1 and not ends:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if ends else "")


def _wrap(match: re.Match[str]) -> str:
    """Wrap one match in the spans its kind needs.

    The space before it goes inside the outer span: WeasyPrint 70 otherwise, when a line must break
    just before an inline box, sometimes breaks the line at its first space instead ("Gode" alone).
    """
    lead, text = match.group("lead"), match.group(0)[len(match.group("lead")) :]
    if match.lastgroup == "name":
        return f'<span class="keep-whole">{lead}{text}</span>'
    parts = URL_PART.findall(text) if match.lastgroup == "url" else [text]
    kept = "".join(f'<span class="no-break">{part}</span>' for part in parts if part)
    return f'<span class="keep-whole">{lead}{kept}</span>' if lead else kept


def printed_names(context: Context) -> list[str]:
    """The names the documents print: participants, editors, the contact, the organisation, the publishers."""
    names = [row.person.name for row in context.participants if row.person.name]
    names += [editor.name for editor in context.publication.editors]
    names += [context.publication.contact.name, context.publication.organisation]
    names += [source.publisher for source in context.sources.values()]
    return names
