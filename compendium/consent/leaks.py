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
    people += [(f"the teller of story {s.id}", s.teller) for s in content.stories if not s.teller.participant]
    printable = printable_parts(content, edition)
    forms: dict[str, str] = {}
    for who, person in people:
        if not person.name or shows_name(person, edition):
            continue
        why = f"{who}, consent '{consent_of(person)}'"
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

    Given the same outputs as an earlier build made them, with no withheld
    name then, only what changed since is looked at: no form holds a '<', so
    no name can reach across one, and the pieces between two '<' that are as
    they were held no name before either.
    """
    forms = withheld_names(content, edition)
    if not forms:
        return []
    search = NameSearch(forms, "word")
    usable = (
        clean is not None and clean.key == leak_key(content, edition) and not any("<" in skeleton(f) for f in forms)
    )
    earlier = clean.texts if clean is not None and usable else {}
    problems = []
    for output, text in texts.items():
        seen = set()
        text = html.unescape(text)
        start, end = changed_region(html.unescape(earlier[output]), text) if output in earlier else (0, len(text))
        region = text[start:end]
        # Also with inline markup taken out: "Anne *Nielsen*" is printed as "Anne <em>Nielsen</em>".
        hits = itertools.chain(search.finditer(region), search.finditer(without_tags(region)))
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
                    message=f"the {edition} edition would print '{form}' ({forms[form]}) in {output}; "
                    "remove it from the text",
                    hint="remove it from the text",
                )
            )
    return sorted(set(problems))


# Tags inside a line of text (a name may be split by them) go; tags between blocks become a space.
INLINE_TAG = re.compile(r"</?(?:a|abbr|b|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")


def without_tags(html_text: str) -> str:
    """Return the text of some HTML as a reader sees it, for finding names that markup splits."""
    return ANY_TAG.sub(" ", INLINE_TAG.sub("", html_text))


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
    """Yield file, line and column of each input line that holds the form (not comments, not names)."""
    find = find or _as_read(form)
    for path in input_files(content.project.inputs, recursive=True):
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
