"""Editions: what the public and the internal edition may print, and what each withholds.

The public edition (the default) prints each person as their consent allows.
The internal edition prints every name and is marked as not for distribution
on every page. A person whose consent is withdrawn disappears from both: their
statements and stories are left out, and they are listed nowhere.

This module owns the policy; assemble applies it, and the build checks the
rendered text against it and writes build/redactions.txt and .json.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from compendium.consent.names import GENITIVE, NameFinder, Spellings, alternation
from compendium.content import model as m
from compendium.content.validate import Content
from compendium.errors import Problem
from compendium.project import input_files

Edition = Literal["public", "internal"]
EDITIONS: tuple[Edition, ...] = ("public", "internal")
INTERNAL_FOLDER = "internal"  # the internal edition's outputs go to build/internal/
REPORT_NAME = "redactions"  # build/redactions.txt and build/redactions.json
MIN_NAME_PART = 3  # shorter name parts ("Bo", "Li") match too many ordinary words to check alone

Person = m.Participant | m.Teller


def output_folder(base: Path, edition: Edition) -> Path:
    """Return where an edition's outputs go: public in the output folder, internal below it."""
    return base if edition == "public" else base / INTERNAL_FOLDER


def withdrawn(who: Person) -> bool:
    """Tell whether a person took their consent back."""
    return who.consent == "withdrawn"


def consent_of(who: Person) -> m.Consent:
    """Return a person's consent; a teller who gave none is treated as anonymous."""
    return who.consent or "anonymous"


def shows_name(who: Person, edition: Edition) -> bool:
    """Tell whether an edition may print this person's name."""
    return not withdrawn(who) and (edition == "internal" or consent_of(who) == "named")


def listed(who: Person, edition: Edition) -> bool:
    """Tell whether a person appears in participant lists (anonymous people are only counted)."""
    return not withdrawn(who) and (edition == "internal" or consent_of(who) != "anonymous")


def story_workplace(story: m.Story, content: Content, edition: Edition) -> str | None:
    """Return the workplace printed with a story, or None when it would identify an anonymous teller.

    A workplace only one known person has points straight at them, so it is
    printed next to an anonymous teller only when at least two people share it.
    """
    teller = _teller(story, content)
    if edition == "internal" or consent_of(teller) != "anonymous":
        return story.workplace
    return story.workplace if len(_people_at(story.workplace, content)) >= 2 else None


def _teller(story: m.Story, content: Content) -> Person:
    """Return a story's teller: the registered participant, or the story's own teller entry."""
    return content.participants[story.teller.participant] if story.teller.participant else story.teller


def _people_at(workplace: str, content: Content) -> set[str]:
    """Return a key for every known person who works at this workplace."""
    return _workplaces(content).get(workplace, set())


def _workplaces(content: Content) -> dict[str | None, set[str]]:
    """Map each workplace to a key for every known person there; made once per content.

    Looking through every story for each story's workplace took time
    quadratic in the number of stories.
    """
    made: dict[str | None, set[str]] | None = vars(content).get("_workplaces")
    if made is not None:
        return made
    found: dict[str | None, set[str]] = {}
    for p in content.participants.values():
        found.setdefault(p.workplace, set()).add(f"participant {p.id}")
    for story in content.stories:
        who = (
            f"participant {story.teller.participant}"
            if story.teller.participant
            else f"teller {story.teller.name or story.id}"
        )
        for workplace in {_teller(story, content).workplace, story.workplace}:
            found.setdefault(workplace, set()).add(who)
    vars(content)["_workplaces"] = found
    return found


@dataclass(frozen=True)
class Redaction:
    """One thing an edition withholds, and why; participants are named by id, never by name."""

    item: str
    withheld: str
    reason: str


def redactions(content: Content, edition: Edition) -> list[Redaction]:
    """List what an edition withholds, in input order."""
    found: list[Redaction] = []
    if edition == "public":
        for p in content.participants.values():
            found += _consent_redaction(f"participant {p.id}", p)
    for story in content.stories:
        if not story.teller.participant and edition == "public":
            found += _consent_redaction(f"story {story.id}, its teller", story.teller)
    for p in content.participants.values():
        if withdrawn(p):
            found += _withdrawn_items(content, p.id)
    for story in content.stories:
        teller = _teller(story, content)
        if withdrawn(teller):
            found.append(Redaction(f"story {story.id}", "the whole story", _withdrawn_reason(story)))
        elif story_workplace(story, content, edition) is None:
            found.append(
                Redaction(f"story {story.id}", "its workplace", "the teller is anonymous and no one else works there")
            )
    return found


def _consent_redaction(item: str, who: Person) -> list[Redaction]:
    """Say what a person's consent keeps out of the public edition."""
    consent = consent_of(who)
    if consent == "role-only" and who.name:
        return [Redaction(item, "name", "consent 'role-only'")]
    known = [field for field in ("name", "role", "workplace") if getattr(who, field)]
    if consent == "anonymous" and known:
        return [
            Redaction(
                item,
                " and ".join([", ".join(known[:-1]), known[-1]] if len(known) > 1 else known),
                "consent 'anonymous'",
            )
        ]
    return []


def _withdrawn_reason(story: m.Story) -> str:
    """Say whose withdrawn consent removed a story."""
    who = f"participant {story.teller.participant}" if story.teller.participant else "the teller"
    return f"{who} withdrew consent"


def _withdrawn_items(content: Content, pid: str) -> list[Redaction]:
    """List the statements, credits and listings a withdrawn participant's consent removes."""
    reason = f"participant {pid} withdrew consent"
    found = []
    for event in content.events:
        found += [
            Redaction(f"statement {event.id}/{s.id}", "the whole statement", reason)
            for s in event.statements
            if s.speaker == pid
        ]
        found += [
            Redaction(f"proposal {event.id}/{p.id}", "the participant's credit", reason)
            for p in event.proposals
            if pid in p.origin.participants
        ]
        if event.facilitator == pid:
            found.append(Redaction(f"event {event.id}", "the facilitator", reason))
        elif pid in event.participants:
            found.append(Redaction(f"event {event.id}", "the participant from the list", reason))
    found.append(Redaction(f"participant {pid}", "everything about them", reason))
    return found


def withdrawn_notes(content: Content, report: Path) -> list[str]:
    """Say, for the build's output, what withdrawn consent left out of every edition."""
    notes = []
    for item in redactions(content, "internal"):
        if item.withheld in ("the whole statement", "the whole story"):
            notes.append(f"Note: left out {item.item}: {item.reason} (see {report})")
    return notes


def write_report(content: Content) -> dict[str, str]:
    """Return the text and JSON report of what each edition withholds, keyed by file name."""
    by_edition = {edition: redactions(content, edition) for edition in EDITIONS}
    lines = [
        f"What each edition of “{content.publication.title}” withholds, and why.",
        "For editors only: it names participants by their id. Do not publish it.",
    ]
    for edition, items in by_edition.items():
        lines += ["", f"{edition} edition ({len(items)} withheld)"]
        lines += [f"  {r.item}: {r.withheld} ({r.reason})" for r in items] or ["  nothing"]
    data = {
        "publication": content.publication.title,
        "editions": {edition: [asdict(r) for r in items] for edition, items in by_edition.items()},
    }
    return {
        f"{REPORT_NAME}.txt": "\n".join(lines) + "\n",
        f"{REPORT_NAME}.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
    }


# --- the last line of defence: no withheld name in the rendered text ---------------------------


def withheld_names(content: Content, edition: Edition) -> dict[str, str]:
    """Map every name an edition must not print to whose it is ('participant x', consent)."""
    made: dict[Edition, dict[str, str]] = vars(content).setdefault("_withheld_names", {})
    if edition not in made:
        made[edition] = _withheld_names(content, edition)
    return dict(made[edition])


def _withheld_names(content: Content, edition: Edition) -> dict[str, str]:
    """Work out withheld_names, once per content and edition."""
    people: list[tuple[str, Person]] = [(f"participant {p.id}", p) for p in content.participants.values()]
    people += [(f"the teller of story {s.id}", s.teller) for s in content.stories if not s.teller.participant]
    printable = _printable_parts(content, people, edition)
    forms: dict[str, str] = {}
    for who, person in people:
        if not person.name or shows_name(person, edition):
            continue
        why = f"{who}, consent '{consent_of(person)}'"
        parts = person.name.split()
        # Every part, middle names too: "Feldborg" alone names Lisbet Feldborg Johannesen as well.
        wanted = [" ".join(parts)] + [p for p in sorted(set(parts) - printable) if _long_enough(p)]
        for form in wanted:
            for variant in (form, *_ascii_forms(form)):
                forms.setdefault(variant, why)
    return forms


def _long_enough(part: str) -> bool:
    """Tell whether a name part is distinctive enough to look for on its own."""
    return sum(ch.isalpha() for ch in part) >= MIN_NAME_PART


# How Danish letters are written without them, as in file names and ids ("Sørensen" → "sorensen").
ASCII_SPELLINGS = ({"æ": "ae", "ø": "o", "å": "a"}, {"æ": "ae", "ø": "oe", "å": "aa"})


def _ascii_forms(form: str) -> set[str]:
    """Return the ways a name is spelt without Danish or accented letters, if they differ."""
    found = set()
    for table in ASCII_SPELLINGS:
        text = "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in form)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        if text.casefold() != form.casefold():
            found.add(text)
    return found


def _printable_parts(content: Content, people: list[tuple[str, Person]], edition: Edition) -> set[str]:
    """Return every word of every name the edition prints, so a shared first name is no leak."""
    names = [p.name for _, p in people if p.name and shows_name(p, edition)]
    names += [e.name for e in content.publication.editors] + [content.publication.contact.name]
    return {part for name in names for part in name.split()}


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
    finder = NameFinder(forms, "word")
    spelt = Spellings(forms, str.casefold)
    usable = clean is not None and clean.key == leak_key(content, edition) and not any("<" in f for f in forms)
    earlier = clean.texts if clean is not None and usable else {}
    problems = []
    for output, text in texts.items():
        seen = set()
        text = html.unescape(text)
        start, end = changed_region(html.unescape(earlier[output]), text) if output in earlier else (0, len(text))
        region = text[start:end]
        # Also with inline markup taken out: "Anne *Nielsen*" is printed as "Anne <em>Nielsen</em>".
        hits = itertools.chain(finder.finditer(region), finder.finditer(without_tags(region)))
        for hit in hits:
            form = spelt(hit.group("name"))
            if form in seen:
                continue
            seen.add(form)
            # Prefer a line that spells the name as printed; an id like 'joanna-keramida' is only a reference.
            exact = _sources(form, content, re.compile(rf"(?<!\w){re.escape(form)}{GENITIVE}(?!\w)"))
            file, line, column = next(exact, None) or next(_sources(form, content), (f"{edition}: {output}", 0, 0))
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


def _pattern(forms: Mapping[str, str]) -> re.Pattern[str]:
    """Match any form as a whole word, longest first, ignoring case."""
    # A name broken over two lines is still the name: any whitespace between its parts matches.
    return alternation(forms, "word")


NAME_LINE = re.compile(r"^\s*(-\s*)?name\s*:")


def _sources(form: str, content: Content, pattern: re.Pattern[str] | None = None) -> Iterator[tuple[str, int, int]]:
    """Yield file, line and column of each input line that holds the form (not comments, not names)."""
    pattern = pattern or _pattern({form: ""})
    for path in input_files(content.project.inputs, recursive=True):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("#") or NAME_LINE.match(line):
                continue
            hit = pattern.search(line)
            if hit:
                yield path.relative_to(content.project.root).as_posix(), number, hit.start() + 1


# --- old text, for the changes appendix --------------------------------------


def _people(content: Content) -> list[m.Participant | m.Teller]:
    """Return every participant and story teller."""
    return [*content.participants.values(), *(s.teller for s in content.stories)]


def withheld_forms(old: Content, new: Content, edition: Edition) -> set[str]:
    """Return every name, and name form, the edition must not print, judged by today's consent.

    Old text can name someone who has since withdrawn consent, or been removed
    altogether: a printed word diff must not bring their name back.
    """
    printable = {p.name.strip() for p in _people(new) if p.name and shows_name(p, edition)}
    forms = set(withheld_names(new, edition)) | set(withheld_names(old, edition))
    forms |= {p.name.strip() for p in _people(old) if p.name and p.name.strip()}
    # A name, or part of one, that the edition prints today is not withheld, whatever it was before.
    printable |= {part for name in printable for part in name.split()}
    return {f for f in forms if f.strip() and f not in printable}


def old_text_redactor(old: Content, new: Content, edition: Edition, replacement: str) -> Callable[[str], str]:
    """Return a function that replaces every name the edition must not print, in old or new text, by replacement."""
    forms = withheld_forms(old, new, edition)
    if not forms:
        return lambda text: text
    pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in sorted(forms, key=len, reverse=True)), re.I)
    return lambda text: pattern.sub(replacement, text)
