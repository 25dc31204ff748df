"""The public view: the content as an edition may print it. Every output is made from it.

`public_view(content, edition)` returns the same models, with what consent
withholds taken out:

- the statements and stories of people who withdrew consent are left out (and
  listed in `left_out`), at an event or from no event (inputs/statements/), and
  so are those people, from the participants, the events' lists and
  facilitators, and the proposals' credits; a group, an organisation, an
  unnamed speaker and the publisher have no consent to withdraw, so their
  statements stay;
- each person, participant or teller, keeps only what their consent shows in
  the edition: name, role and workplace (None for each withheld), and a
  municipality only beside their name; a group is shown by its description;
  the role and workplace a speaker held then (given on a statement or an
  event's participant entry) are kept only where the consent shows them;
- a story's workplace and municipality are None where printing them would
  identify an anonymous teller;
- given a redactor, every printed text of every model passes through it (the
  changes appendix gives one that takes out the names of people no longer in
  the project, whom validation cannot know of).

The documents' template context is assembled from this view only, and the
changes appendix and `diff` compare two of them; any further output (a Word
edition, a data package, a search index) must be made from it too. The leak
check (leaks.py) then searches what was rendered for every withheld name, as
the last line of defence.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from compendium.consent.policy import (
    WITHDRAWN,
    Edition,
    Person,
    consent_of,
    held_then,
    shown_fields,
    statement_left_out,
    story_left_out,
    story_workplace,
    teller_of,
    withdrawn,
)
from compendium.content import model as m
from compendium.content.validate import Content

# What makes a field a reference to another item (an id), not text anyone reads.
REFERENCE = typing.get_args(m.Id)[1]
# Fields that hold text no output prints: a photo's file path, a person's consent.
UNPRINTED = frozenset({"file", "consent"})
T = typing.TypeVar("T")


@dataclass(frozen=True)
class LeftOut:
    """An item consent left out of every edition: a withdrawn person's statement or story."""

    kind: str
    ident: str
    event: str | None = None  # the event a statement was made at


@dataclass(frozen=True)
class PublicView:
    """The content as an edition may print it, and what consent left out of it."""

    content: Content
    edition: Edition
    left_out: tuple[LeftOut, ...] = ()


def public_view(content: Content, edition: Edition, redact: Callable[[str], str] | None = None) -> PublicView:
    """Return the content as the edition may print it (see the module's docstring)."""
    people = content.participants
    left_out = [
        LeftOut("statement", st.id, event.id)
        for event in content.events
        for st in event.statements
        if statement_left_out(st, people)
    ]
    left_out += [
        LeftOut("statement", st.id)
        for collection in content.collections
        for st in collection.statements
        if statement_left_out(st, people)
    ]
    left_out += [LeftOut("story", s.id) for s in content.stories if story_left_out(s, people)]
    shown = replace(
        content,
        participants={pid: _person(p, edition) for pid, p in people.items() if not withdrawn(p)},
        events=[_event(event, people, edition) for event in content.events],
        collections=[_collection(c, people, edition) for c in content.collections],
        stories=[_story(s, content, edition) for s in content.stories if not story_left_out(s, people)],
    )
    if redact is not None:
        shown = replace(
            shown,
            publication=redacted(shown.publication, redact),
            themes=redacted(shown.themes, redact),
            participants=redacted(shown.participants, redact),
            key_figures=redacted(shown.key_figures, redact),
            events=redacted(shown.events, redact),
            collections=redacted(shown.collections, redact),
            stories=redacted(shown.stories, redact),
        )
    return PublicView(shown, edition, tuple(left_out))


def _person(who: Any, edition: Edition) -> Any:
    """Keep only what a person's consent shows in the edition."""
    name, role, workplace = shown_fields(who, edition)
    update: dict[str, Any] = {"name": name, "role": role, "workplace": workplace}
    if "municipality" in type(who).model_fields:
        update["municipality"] = who.municipality if name else None
    return _updated(who, update)


def _updated(model: T, update: dict[str, Any]) -> T:
    """Return a model with some fields changed; the model itself when none differs (copies cost time at scale)."""
    if all(getattr(model, name) is value or getattr(model, name) == value for name, value in update.items()):
        return model
    return typing.cast(T, typing.cast(BaseModel, model).model_copy(update=update))


def _event(event: m.Event, people: dict[str, m.Participant], edition: Edition) -> m.Event:
    """Leave out of an event the statements, listings and credits of people who withdrew consent."""
    present = [
        _held(entry, people[entry.id], edition, held_then(event, None, entry.id))
        if isinstance(entry, m.EventParticipant)
        else entry
        for entry in event.participants
        if not withdrawn(people[entry if isinstance(entry, str) else entry.id])
    ]
    facilitator = event.facilitator if event.facilitator and not withdrawn(people[event.facilitator]) else None
    update = {
        "participants": present,
        "facilitator": facilitator,
        "proposals": _proposals(event.proposals, people),
        "statements": _statements(event, event.statements, people, edition),
    }
    return _updated(event, update)


def _collection(collection: m.Collection, people: dict[str, m.Participant], edition: Edition) -> m.Collection:
    """Leave out of statements and proposals from no event those of people who withdrew consent."""
    update = {
        "proposals": _proposals(collection.proposals, people),
        "statements": _statements(None, collection.statements, people, edition),
    }
    return _updated(collection, update)


def _proposals(proposals: list[m.Proposal], people: dict[str, m.Participant]) -> list[m.Proposal]:
    """Take the credit of people who withdrew consent off proposals."""
    return [
        _updated(
            p,
            {
                "origin": _updated(
                    p.origin, {"participants": [pid for pid in p.origin.participants if not withdrawn(people[pid])]}
                )
            },
        )
        for p in proposals
    ]


def _statements(
    event: m.Event | None, statements: list[m.Statement], people: dict[str, m.Participant], edition: Edition
) -> list[m.Statement]:
    """Leave out withdrawn speakers' statements; keep a speaker's role and workplace then only where shown."""
    return [
        _held(st, people[st.speaker], edition, held_then(event, st, st.speaker)) if st.speaker else st
        for st in statements
        if not statement_left_out(st, people)
    ]


def _held(entry: T, who: m.Participant, edition: Edition, held: dict[str, str | None]) -> T:
    """Keep the role and workplace an entry says a person held then only where their consent shows them."""
    _, role, workplace = shown_fields(who, edition, held)
    given = typing.cast(BaseModel, entry).model_fields_set
    # Only the fields the entry gives: one left out means 'the current one', which _person already judged.
    update = {k: v for k, v in {"role": role, "workplace": workplace}.items() if k in given}
    return _updated(entry, update)


def _story(story: m.Story, content: Content, edition: Edition) -> m.Story:
    """Show a story's teller as consent allows, and its workplace only where it identifies no one."""
    workplace = story_workplace(story, content, edition)
    teller = story.teller if story.teller.participant else _person(story.teller, edition)
    # The municipality narrows a workplace down the same way, so it goes with it.
    municipality = story.municipality if workplace is not None else None
    return _updated(story, {"teller": teller, "workplace": workplace, "municipality": municipality})


def judged_by_today(old: Content, new: Content) -> Content:
    """Return an earlier version of the content with each person's consent as it is today.

    A participant no longer in the project counts as withdrawn: nothing of
    theirs may come back through a comparison. A story's own teller keeps
    their earlier consent only when the story is gone.
    """
    participants = {
        pid: p.model_copy(
            update={"consent": consent_of(new.participants[pid]) if pid in new.participants else WITHDRAWN}
        )
        for pid, p in old.participants.items()
    }
    tellers = {s.id: teller_of(s, new.participants) for s in new.stories if not s.teller.participant}
    stories = [_told_today(s, tellers.get(s.id)) for s in old.stories]
    return replace(old, participants=participants, stories=stories)


def _told_today(story: m.Story, today: Person | None) -> m.Story:
    """Give an earlier story's own teller today's consent, if the story still has an own teller."""
    if story.teller.participant or today is None:
        return story
    return story.model_copy(update={"teller": story.teller.model_copy(update={"consent": consent_of(today)})})


# --- printed texts, found by walking the models ---------------------------------------


@functools.cache
def is_printed(model: type[BaseModel], name: str) -> bool:
    """Tell whether a field of a model holds text that is printed: not an id, a file path or a consent."""
    info: FieldInfo = model.model_fields[name]
    if name in UNPRINTED or REFERENCE in info.metadata or _mentions(info.annotation, REFERENCE):
        return False
    # A setting (the accent colour, a font file) chooses how the documents look: it is no text anyone reads.
    return m.SETTING not in info.metadata and not _mentions(info.annotation, m.SETTING)


def _mentions(annotation: Any, wanted: object) -> bool:
    """Tell whether a type annotation holds a given piece of metadata (in a list or an optional, say)."""
    return any(arg == wanted or _mentions(arg, wanted) for arg in typing.get_args(annotation))


def redacted(value: T, redact: Callable[[str], str]) -> T:
    """Return a value with every printed text in it passed through redact; ids, paths and consents stay."""
    if isinstance(value, str):
        return typing.cast(T, redact(value))
    if isinstance(value, BaseModel):
        model = type(value)
        update = {
            name: redacted(getattr(value, name), redact) for name in model.model_fields if is_printed(model, name)
        }
        return typing.cast(T, value.model_copy(update=update))
    if isinstance(value, list):
        return typing.cast(T, [redacted(item, redact) for item in value])
    if isinstance(value, dict):
        return typing.cast(T, {key: redacted(item, redact) for key, item in value.items()})
    return value
