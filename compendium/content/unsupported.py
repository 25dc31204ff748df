"""Markdown the documents do not print as Markdown: a warning at the place in the file, with what to write instead.

Each construct below would otherwise reach the reader as raw syntax, or vanish
without a word. What happens to each in the output is said in its message and
in the README ("Markdown"):
- a footnote call [^x] with no note '[^x]: …': the call is left out;
- a note '[^x]: …' that the text never calls: the note is left out;
- a reference link [text][ref] whose '[ref]: address' is missing: printed as written;
- raw HTML other than <sup>, <sub>, <br>, <em>, <strong>, <a>, <code>: its tags are ignored, its text printed
  (a script or style element is left out with its content);
- ~~strikethrough~~ and task-list boxes '- [ ]': printed as written;
- '**' that opens bold and is never closed: printed as written;
- Markdown in a field that takes plain text (a quote, a title): printed as written.
An image in Markdown is an error of its own (content/markup.py), as a photo must never vanish.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from compendium.content import model as m
from compendium.content.load import Located
from compendium.content.markup import check_markdown, convert
from compendium.content.walk import Pattern, texts_in, values_at
from compendium.errors import KeyPath, Problem
from compendium.messages import N_, _

# Code is printed as written, on purpose: blank it out before looking for syntax.
CODE = re.compile(r"(`+)(?s:.+?)\1|^(?: {4}|\t).*$", re.MULTILINE)
NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
REFERENCE_LINK = re.compile(r"(?<![\]\\!])\[([^\]\n]+)\]\[([^\]\n]*)\](?!:)")
LINK_DEFINITION = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:\s*\S", re.MULTILINE)
HTML_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>\n]*>")  # opening tags: one warning per element
KEPT_TAGS = {"sup", "sub", "br", "em", "strong", "a", "code"}
DROPPED_WITH_CONTENT = {"script", "style"}  # nh3 removes these with what they hold
STRIKE = re.compile(r"~~(?=\S)[^~\n]*~~")
TASK_BOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(\[[ xX]\])\s", re.MULTILINE)
BOLD = re.compile(r"\*\*")
# Markdown in a plain-text field: bold, a link, a footnote, a heading.
PLAIN_MARKDOWN = (
    (re.compile(r"\*\*\S[^*\n]*\*\*"), N_("bold ('**')"), N_("leave out the asterisks")),
    (
        re.compile(r"\[[^\]\n]+\]\(\S+\)"),
        N_("a Markdown link"),
        N_("write the address out, or put it in a Markdown field"),
    ),
    (re.compile(r"\[\^[^\]\s]+\]"), N_("a footnote call"), N_("put the note in the text itself")),
    (re.compile(r"^#{1,6} \S", re.MULTILINE), N_("a heading ('#')"), N_("leave out the '#'")),
)


def markdown_patterns(model: type[BaseModel], prefix: Pattern = ()) -> list[Pattern]:
    """List the key paths (with '*' for every list item) of every Markdown field of a model."""
    found = []
    for name, info in model.model_fields.items():
        if any(getattr(meta, "func", None) is check_markdown for meta in info.metadata):
            found.append((*prefix, name))
            continue
        annotation, path = info.annotation, (*prefix, name)
        while typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if typing.get_origin(annotation) is list:
                path = (*path, "*")
            annotation = args[0] if len(args) == 1 else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += markdown_patterns(annotation, path)
    return found


def model_of(located: Located) -> type[BaseModel] | None:
    """Return the model a file is shaped by, from where it lies: events/ and stories/, or a registry's name."""
    path = Path(located.file)
    return m.FOLDER_FILES.get(path.parent.name) or m.REGISTRY_FILES.get(path.name)


def markup_warnings(located: Located) -> list[Problem]:
    """Warn about every construct in a file's texts that the documents would not print as meant."""
    model = model_of(located)
    if model is None:
        return []
    patterns = markdown_patterns(model)
    marked = {path for pattern in patterns for path, _ in values_at(located.data, pattern)}
    problems = []
    for path, text in texts_in(located.data):
        if path in marked:
            problems += _in_markdown(located, path, text)
        else:
            problems += _in_plain_text(located, path, text)
    return problems


def _in_markdown(located: Located, path: KeyPath, text: str) -> list[Problem]:
    """Warn about the constructs of one Markdown text that would print as written or vanish."""
    prose = CODE.sub(lambda hit: " " * len(hit.group()), text)
    found = list(_notes(prose)) + list(_links(prose)) + list(_html(prose))
    found += [
        (hit.start(), _("strikethrough ('~~') is not supported"), _(WRITTEN), _("leave out the tildes"))
        for hit in STRIKE.finditer(prose)
    ]
    box = _("write the item without the box")
    found += [
        (hit.start(1), _("a task-list box '{value}' is not supported").format(value=hit.group(1)), _(WRITTEN), box)
        for hit in TASK_BOX.finditer(prose)
    ]
    found += _unclosed_bold(prose, text)
    return [
        located.problem(
            path,
            _("{what}, so it is {happens}; {fix}").format(what=what, happens=happens, fix=fix),
            hint=fix,
            warning=True,
            at=located.where_in(path, text, at),
        )
        for at, what, happens, fix in sorted(found)
    ]


WRITTEN = N_("printed as written")


Found = tuple[int, str, str, str]  # offset, what, what happens to it, the fix


def _notes(prose: str) -> Iterator[Found]:
    """Find footnote calls without a note, and notes no call refers to."""
    defined = {hit.group(1): hit for hit in NOTE_DEFINITION.finditer(prose)}
    called = set()
    for hit in NOTE_CALL.finditer(prose):
        label = hit.group(1)
        called.add(label)
        if label not in defined:
            fix = _("add the note on a line of its own after the paragraph: [^{label}]: …").format(label=label)
            yield hit.start(), _("the footnote call [^{label}] has no note").format(label=label), _("left out"), fix
    for label, hit in defined.items():
        if label not in called:
            fix = _("write [^{label}] where the note belongs, or remove the note").format(label=label)
            yield hit.start(), _("the footnote [^{label}] is never called").format(label=label), _("left out"), fix


def _links(prose: str) -> Iterator[Found]:
    """Find reference-style links whose reference is not defined."""
    defined = {hit.group(1).strip().casefold() for hit in LINK_DEFINITION.finditer(prose)}
    for hit in REFERENCE_LINK.finditer(prose):
        label = hit.group(2) or hit.group(1)
        if label.strip().casefold() not in defined:
            fix = _("add '[{label}]: https://…' on a line of its own, or write [{value}](https://…)").format(
                label=label, value=hit.group(1)
            )
            yield (
                hit.start(),
                _("the link [{text}][{label}] has no address").format(text=hit.group(1), label=hit.group(2)),
                _(WRITTEN),
                fix,
            )


def _html(prose: str) -> Iterator[Found]:
    """Find raw HTML tags the sanitiser removes, named without their brackets (a warning never echoes markup)."""
    for hit in HTML_TAG.finditer(prose):
        tag = hit.group(1).lower()
        if tag not in KEPT_TAGS and not hit.group().startswith(("<http", "<mailto")):
            fix = _("write Markdown instead (**bold**, *italic*, [text](https://…))")
            happens = (
                _("left out with its content") if tag in DROPPED_WITH_CONTENT else _("ignored (its text is printed)")
            )
            yield hit.start(), _("raw HTML (the tag '{tag}') is not supported").format(tag=tag), happens, fix


def _unclosed_bold(prose: str, text: str) -> list[Found]:
    """Find '**' that Markdown left as written, when the converted text still holds it."""
    if "**" not in prose or "**" not in re.sub(r"<code>.*?</code>", "", convert(text, "da"), flags=re.DOTALL):
        return []
    first = BOLD.search(prose)
    fix = _("close the bold with '**' in the same paragraph")
    return [(first.start(), _("'**' has no closing '**'"), _(WRITTEN), fix)] if first else []


def _in_plain_text(located: Located, path: KeyPath, text: str) -> list[Problem]:
    """Warn about Markdown in a field that is printed as written."""
    problems = []
    for pattern, what, fix in PLAIN_MARKDOWN:
        hit = pattern.search(text)
        if hit:
            message = _("{what} has no effect in a field of plain text, so it is printed as written; {fix}").format(
                what=_(what), fix=_(fix)
            )
            at = located.where_in(path, text, hit.start())
            problems.append(located.problem(path, message, hint=_(fix), warning=True, at=at))
    return problems
