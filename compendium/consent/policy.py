"""Consent policy: what each edition may print about a person, and what a withdrawal removes.

The public edition (the default) prints each person as their consent allows.
The internal edition prints every name and is marked as not for distribution
on every page. A person whose consent is withdrawn disappears from both: their
statements and stories are left out, their credit leaves proposals, and they
are listed nowhere.

Not every speaker is one consenting person. A group ("tillidsrepræsentanterne
på workshoppen", a panel) is printed as the description the editor chose, which
names no one; an organisation is always printed by its name; an unnamed speaker
("en borger") is printed as written; the publisher's own words and proposals are
credited to the publisher. None of these has a consent to give or withdraw, so
a group or organisation given a consent value is an error (kind_consent_problem).
Free text about any of them still goes through the same checks for withheld names.

Every other module asks this one; none of them compares consent values itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal, TypeGuard

from compendium.content import model as m
from compendium.content.validate import Content
from compendium.messages import N_, _

Edition = Literal["public", "internal"]
EDITIONS: tuple[Edition, ...] = ("public", "internal")
INTERNAL_FOLDER = "internal"  # the internal edition's outputs go to build/internal/

# The consent values are the model's; these names say what each one means here.
CONSENTS: tuple[m.Consent, ...] = m.CONSENTS
NAMED, ROLE_ONLY, ANONYMOUS, WITHDRAWN = CONSENTS
# A teller who gave no consent (and an imported story without a consent question) is anonymous.
DEFAULT_CONSENT: m.Consent = ANONYMOUS

Person = m.Participant | m.Teller
People = Mapping[str, m.Participant]
PERSON, GROUP, ORGANISATION = m.PARTICIPANT_KINDS
# Why a group or an organisation has no consent of its own, as an editor reads it.
NO_CONSENT = {
    GROUP: N_("a group has no consent: it is printed as its description, which names no one"),
    ORGANISATION: N_("an organisation has no consent: it is always printed by its name"),
}


def output_folder(base: Path, edition: Edition) -> Path:
    """Return where an edition's outputs go: public in the output folder, internal below it."""
    return base if edition == "public" else base / INTERNAL_FOLDER


def kind_of(who: Person) -> m.ParticipantKind:
    """Return whether a participant is a person, a group or an organisation (a teller is a person)."""
    return who.kind if isinstance(who, m.Participant) else PERSON


def is_person(who: Person) -> bool:
    """Tell whether this is one person, whose name consent may withhold."""
    return kind_of(who) == PERSON


def consent_of(who: Person) -> m.Consent:
    """Return a person's consent; a teller who gave none is anonymous; a group or organisation is printed as written."""
    if not is_person(who) or (isinstance(who, m.Teller) and who.source and who.consent is None):
        return NAMED  # a story from a press report with no person given is credited to the source
    return who.consent or DEFAULT_CONSENT


def kind_consent_problem(kind: object, consent: object) -> tuple[str, str] | None:
    """Say what is wrong with a participant's consent for its kind, as written, and the fix; None when right."""
    if kind in NO_CONSENT and consent is not None:
        return _("{no_consent}; remove 'consent'").format(no_consent=_(NO_CONSENT[kind])), _("remove 'consent'")
    if kind in (None, PERSON) and consent is None:
        fix = _(
            "add 'consent' ({consents} or '{last}'), or give 'kind: group' or 'kind: organisation' for a speaker who is not one person"
        ).format(consents=", ".join(repr(c) for c in CONSENTS[:-1]), last=CONSENTS[-1])
        return _("a person needs a consent; {fix}").format(fix=fix), fix
    return None


def withdrawn(who: Person) -> bool:
    """Tell whether a person took their consent back."""
    return consent_of(who) == WITHDRAWN


def shows_name(who: Person, edition: Edition) -> bool:
    """Tell whether an edition may print this person's name."""
    return not withdrawn(who) and (edition == "internal" or consent_of(who) == NAMED)


def listed(who: Person, edition: Edition) -> bool:
    """Tell whether a person appears in participant lists (anonymous people are only counted)."""
    return not withdrawn(who) and (edition == "internal" or consent_of(who) != ANONYMOUS)


def counted(who: Person, edition: Edition) -> bool:
    """Tell whether a person is counted among the anonymous participants instead of listed."""
    return not (listed(who, edition) or withdrawn(who))


def shown_fields(
    who: Person, edition: Edition, held: Mapping[str, str | None] | None = None
) -> tuple[str | None, str | None, str | None]:
    """Return the name, role and workplace an edition may print of a person (None for each withheld).

    held gives the role and workplace the person held at the time, where they differ from the current ones.
    A group is shown by its description, in the place of a name.
    """
    then = {"role": who.role, "workplace": who.workplace} | dict(held or {})
    name = who.description if isinstance(who, m.Participant) and who.kind == GROUP else who.name
    if shows_name(who, edition):
        return name, then["role"], then["workplace"]
    if consent_of(who) == ROLE_ONLY:
        return None, then["role"], then["workplace"]
    return None, None, None


def held_then(event: m.Event | None, statement: m.Statement | None, pid: str) -> dict[str, str | None]:
    """Return the role and workplace a participant held when they spoke, as far as the inputs say.

    A field given on the statement wins over the event's participant list; one given nowhere is the
    participant's current one. A field written as null means unknown at the time, and is not printed.
    """
    found: dict[str, str | None] = {}
    entry = event.held_then(pid) if event else None
    for given in (entry, statement):
        if given is not None:
            found |= {k: getattr(given, k) for k in ("role", "workplace") if k in given.model_fields_set}
    return found


def withholds_name(consent: object) -> TypeGuard[m.Consent]:
    """Tell whether a consent, as written in an input file, keeps the person's name out of free text."""
    return consent in CONSENTS and consent != NAMED


# --- tellers and workplaces ----------------------------------------------------


def teller_of(story: m.Story, people: People) -> Person:
    """Return a story's teller: the registered participant, or the story's own teller entry."""
    return people[story.teller.participant] if story.teller.participant else story.teller


def teller_key(story: m.Story) -> str:
    """Name a story's teller for the editors' reports: by participant id, never by name."""
    if story.teller.participant:
        return f"participant {story.teller.participant}"
    return f"teller {story.teller.name or story.id}"


def story_workplace(story: m.Story, content: Content, edition: Edition) -> str | None:
    """Return the workplace printed with a story, or None when it would identify an anonymous teller.

    A workplace only one known person has points straight at them, so it is
    printed next to an anonymous teller only when at least two people share it.
    """
    teller = teller_of(story, content.participants)
    if story.workplace is None:
        return None
    if edition == "internal" or consent_of(teller) != ANONYMOUS:
        return story.workplace
    return story.workplace if len(_people_at(story.workplace, content)) >= 2 else None


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
        who = teller_key(story)
        for workplace in {teller_of(story, content.participants).workplace, story.workplace}:
            found.setdefault(workplace, set()).add(who)
    vars(content)["_workplaces"] = found
    return found


# --- what a withdrawal removes ---------------------------------------------------


def statement_left_out(statement: m.Statement, people: People) -> bool:
    """Tell whether a statement is left out of every edition: its speaker withdrew consent."""
    return statement.speaker is not None and withdrawn(people[statement.speaker])


def story_left_out(story: m.Story, people: People) -> bool:
    """Tell whether a story is left out of every edition: its teller withdrew consent."""
    return withdrawn(teller_of(story, people))


def still_present(ids: Iterable[str], people: People) -> list[str]:
    """Return the participants who may still be listed or credited: those who did not withdraw."""
    return [pid for pid in ids if not withdrawn(people[pid])]
