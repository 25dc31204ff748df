"""Stage 5, check what would be printed: no name an edition withholds may reach its rendered text.

The build runs find_leaks on every HTML output before it writes anything; a
hit names the input line that holds the name.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from compendium.consent.names import GENITIVE, NameSearch, name_forms
from compendium.consent.policy import Edition, Person, consent_of, is_person, shows_name
from compendium.consent.skeleton import skeleton
from compendium.content.validate import Content
from compendium.errors import Problem
from compendium.messages import _
from compendium.project import input_files


def withheld_names(content: Content, edition: Edition) -> dict[str, str]:
    """Map every name an edition must not print to whose it is ('participant x', consent)."""
    made: dict[Edition, dict[str, str]] = vars(content).setdefault("_withheld_names", {})
    if edition not in made:
        made[edition] = _withheld_names(content, edition)
    return dict(made[edition])


def _withheld_names(content: Content, edition: Edition) -> dict[str, str]:
    """Work out withheld_names, once per content and edition."""
    people: list[tuple[str, Person]] = [(f"participant {p.id}", p) for p in content.participants.values()]
    people = [(who, p) for who, p in people if is_person(p)]
    people += [
        (_("the teller of story {id}").format(id=s.id), s.teller) for s in content.stories if not s.teller.participant
    ]
    printable = printable_parts(content, edition)
    forms: dict[str, str] = {}
    for who, person in people:
        if not person.name or shows_name(person, edition):
            continue
        why = _("{who}, consent '{consent}'").format(who=who, consent=consent_of(person))
        for form in name_forms(person.name, printable):
            forms.setdefault(form, why)
    return forms


def printable_names(content: Content, edition: Edition) -> list[str]:
    """Return every name the edition prints: people whose consent allows it, the editors and the contact."""
    people: list[Person] = [*content.participants.values()]
    people += [s.teller for s in content.stories if not s.teller.participant]
    # An organisation's name is printed too, but it is no person's name: were its words let through,
    # a withheld person's name inside it ('Karina Sørensens Rådgivning') would no longer be found.
    names = [p.name.strip() for p in people if p.name and p.name.strip() and is_person(p) and shows_name(p, edition)]
    return names + [e.name.strip() for e in content.publication.editors] + [content.publication.contact.name.strip()]


def printable_parts(content: Content, edition: Edition) -> set[str]:
    """Return every word of every name the edition prints, so a shared first name is no leak."""
    return {part for name in printable_names(content, edition) for part in name.split()}


@dataclass(frozen=True)
class CleanTexts:
    """Outputs an earlier build found no withheld name in, and the key of the names it looked for."""

    key: str
    texts: dict[str, str]


def leak_key(content: Content, edition: Edition) -> str:
    """Hash the name forms a leak check looks for.

    Sorted: their order comes from a set, so it differs from run to run; whether
    a text holds any of them does not depend on it.
    """
    forms = sorted(withheld_names(content, edition).items())
    return hashlib.sha256("\0".join(f"{form}\0{who}" for form, who in forms).encode()).hexdigest()


def find_leaks(
    texts: Mapping[str, str], content: Content, edition: Edition, clean: CleanTexts | None = None
) -> list[Problem]:
    """Report each withheld name (full, first or last) found in a rendered output, with its input line.

    The text is searched twice: as written (a name in an attribute), and as a
    reader sees it, with the tags taken out (a name that markup splits).
    Given the same outputs as an earlier build made them, with no withheld
    name then, only what changed since is looked at, in each of the two texts
    alike: see _regions.
    """
    forms = withheld_names(content, edition)
    if not forms:
        return []
    search = NameSearch(forms, "word")
    usable = (
        clean is not None and clean.key == leak_key(content, edition) and not any("<" in skeleton(f) for f in forms)
    )
    earlier = clean.texts if clean is not None and usable else {}
    parts = max(len(form.split()) for form in forms)
    problems = []
    for output, text in texts.items():
        seen = set()
        text = html.unescape(without_css_comments(text))
        old = html.unescape(without_css_comments(earlier[output])) if output in earlier else None
        # As written and as read, with inline markup taken out: "Anne *Nielsen*" is printed as "Anne <em>Nielsen</em>".
        hits = itertools.chain.from_iterable(search.finditer(region) for region in _regions(old, text, parts))
        for hit in hits:
            form = hit.name
            if form in seen:
                continue
            seen.add(form)
            # Prefer a line that spells the name as printed, then one that disguises it (Cyrillic о, a soft
            # hyphen); an id like 'joanna-keramida' is only a reference.
            where = (_sources(form, content, find) for find in (_exactly(form), _as_read(form, disguised=True)))
            found = next((hit for lines in where for hit in lines), None) or next(_sources(form, content), None)
            file, line, column = found or (f"{edition}: {output}", 0, 0)
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    message=_(
                        "the {edition} edition would print '{form}' ({what}) in {output}; remove it from the text"
                    ).format(edition=edition, form=form, what=forms[form], output=output),
                    hint=_("remove it from the text"),
                )
            )
    return sorted(set(problems))


STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.IGNORECASE | re.DOTALL)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def without_css_comments(html_text: str) -> str:
    """Take the comments out of a page's style sheets: never shown, they are no leak ("one h1 per document").

    Only inside <style>: in the body "/* ... */" is printed text, and CSS `content` strings are kept.
    """
    return STYLE_BLOCK.sub(lambda m: m[1] + CSS_COMMENT.sub(" ", m[2]) + m[3], html_text)


# Tags inside a line of text (a name may be split by them) go; tags between blocks become a space.
INLINE_TAG = re.compile(r"</?(?:a|abbr|b|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")


def without_tags(html_text: str) -> str:
    """Return the text of some HTML as a reader sees it, for finding names that markup splits."""
    return ANY_TAG.sub(" ", INLINE_TAG.sub("", html_text))


def _regions(old: str | None, new: str, parts: int) -> tuple[str, str]:
    """Return the parts of an output to search: as written, and as read; of an output checked before, what changed.

    As written, only the pieces between two '<' that changed: no form holds a
    '<', so no name reaches across one. As read, tags are gone, so a name can
    reach from an unchanged piece into a changed one ("<em>Anne</em> og
    Nielsen" edited to "<em>Anne</em> Nielsen"): the text read is taken from
    around the change, as many words on each side as a name has parts, and more.
    """
    if old is None:
        return new, without_tags(new)
    if old == new:
        return "", ""
    start, end = changed_region(old, new)
    return new[start:end], _read_around(new, max(start - 1, 0), end, parts + 2)


def _read_around(text: str, start: int, end: int, words: int) -> str:
    """Return the text as read from some whole words before start to some after end (both at a '<' or an end).

    Cut only where a tag begins, the piece reads as the whole document reads
    there; a word cut at either edge is dropped, so no name is found in the
    piece that the whole document does not hold.
    """
    span = 256
    left = 0
    while start > 0:
        left = max(text.rfind("<", 0, max(start - span, 0)), 0)
        if left == 0 or len(without_tags(text[left:start]).split()) > words:
            break
        span *= 4
    span, right = 256, len(text)
    while end < len(text):
        found = text.find("<", min(end + span, len(text)))
        right = len(text) if found == -1 else found
        if right == len(text) or len(without_tags(text[end:right]).split()) > words:
            break
        span *= 4
    read = without_tags(text[left:right])
    first = next((i for i, ch in enumerate(read) if ch.isspace()), len(read)) if left > 0 else 0
    last = (
        next((i for i in range(len(read) - 1, -1, -1) if read[i].isspace()), -1) + 1 if right < len(text) else len(read)
    )
    return read[first:last]


def changed_region(old: str, new: str) -> tuple[int, int]:
    """Return where new differs from old, widened to whole pieces between two '<' (or an end)."""
    prefix = _common_prefix(old, new)
    suffix = min(_common_prefix(old[::-1], new[::-1]), min(len(old), len(new)) - prefix)
    end = new.find("<", len(new) - suffix)
    return new.rfind("<", 0, prefix) + 1, end if end != -1 else len(new)


def _common_prefix(a: str, b: str) -> int:
    """Count the characters two texts start with alike, comparing blocks first."""
    size, block, at = min(len(a), len(b)), 4096, 0
    while at < size and a[at : at + block] == b[at : at + block]:
        at += block
    at = min(at, size)
    while at < size and a[at] == b[at]:
        at += 1
    return at


def _exactly(form: str) -> Callable[[str], int | None]:
    """Return where a line spells the form exactly as written (or in the genitive), or None."""
    pattern = re.compile(rf"(?<!\w){re.escape(form)}{GENITIVE}(?!\w)")
    return lambda line: hit.start() if (hit := pattern.search(line)) else None


def _as_read(form: str, disguised: bool = False) -> Callable[[str], int | None]:
    """Return where a line holds the form as a reader sees it (any case, any spelling), or None.

    disguised: only where it is written otherwise than the form, case aside.
    """
    search = NameSearch([form], "word")
    lower = form.lower()  # not casefold, which reads the ligature ﬀ as ff

    def find(line: str) -> int | None:
        hits = search.finditer(line)
        return next(
            (h.start for h in hits if not disguised or not line[h.start : h.end].lower().startswith(lower)), None
        )

    return find


NAME_LINE = re.compile(r"^\s*(-\s*)?name\s*:")


def _sources(
    form: str, content: Content, find: Callable[[str], int | None] | None = None
) -> Iterator[tuple[str, int, int]]:
    """Yield file, line and column of each input line that holds the form (not comments, not names).

    The project's templates and label files come after the inputs: an override can print a name too.
    """
    find = find or _as_read(form)
    templates = content.project.templates
    overrides = sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else []
    for path in [*input_files(content.project.inputs, recursive=True), *overrides]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("#") or NAME_LINE.match(line):
                continue
            at = find(line)
            if at is not None:
                yield path.relative_to(content.project.root).as_posix(), number, at + 1
