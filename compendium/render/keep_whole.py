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

import re
from collections.abc import Iterable

from compendium.assemble.context import Context

TAG = re.compile(r"(<[^>]*>)")
# Inside these elements text is not running text: their content is passed through untouched.
OPAQUE = ("svg", "style", "script", "title", "textarea")
OPEN = re.compile(r"<(svg|style|script|title|textarea)\b", re.IGNORECASE)
URL = r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]»«']"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A range or fraction of numbers (2021–2023, 12-14, 1.500–2.000, 1/2), which a line could break after
# its dash or slash, or an id mixing letters and digits with a dash or underscore (KL-2023-04,
# case_17): broken, either reads as something else. (A plain number, 1.500, is never hyphenated.)
NUMBER = r"\d+(?:[.,]\d+)*\s?[–-]\s?\d+(?:[.,]\d+)*|\d+/\d+"
IDENT = r"\b(?=[\w-]*\d)[A-Za-z][\w]*(?:[-_][\w]+)+\b|\b\w+_\w+\b"
URL_PART = re.compile(r"[^/]*/+|[^/]+$")


def keep_whole(html: str, names: Iterable[str] = ()) -> str:
    """Wrap the addresses, numbers, ids and names in a rendered document's body text in marking spans."""
    pattern = _pattern(names)
    start = html.find("<body")
    head, body = (html[:start], html[start:]) if start >= 0 else ("", html)
    out: list[str] = []
    opaque: str | None = None
    for token in TAG.split(body):
        if token.startswith("<"):
            opaque = _opaque_after(token, opaque)
            out.append(token)
        elif opaque is None and token:
            out.append(pattern.sub(_wrap, token))
        else:
            out.append(token)
    return head + "".join(out)


def _opaque_after(tag: str, opaque: str | None) -> str | None:
    """The opaque element we are inside after this tag, if any."""
    if opaque is not None:
        return None if re.match(rf"</{opaque}\s*>", tag, re.IGNORECASE) else opaque
    opened = OPEN.match(tag)
    return opened.group(1).lower() if opened and not tag.endswith("/>") else None


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One pattern for every kind of text kept whole; longer names first, so a full name wins."""
    printed = sorted({n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True)
    name_part = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in printed)
    parts = [f"(?P<url>{URL})", f"(?P<email>{EMAIL})", f"(?P<number>{NUMBER})", f"(?P<id>{IDENT})"]
    if name_part:
        parts.append(rf"(?P<name>\b(?:{name_part})\b)")
    return re.compile(f"(?P<lead> ?)(?:{'|'.join(parts)})")


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
