"""The editors' report of what each edition withholds, and why: build-reports/redactions.txt and .json.

It names participants by their id, never by name, and is not for publication.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from compendium.consent.policy import (
    ANONYMOUS,
    EDITIONS,
    ROLE_ONLY,
    Edition,
    Person,
    consent_of,
    story_left_out,
    story_workplace,
    teller_key,
    withdrawn,
)
from compendium.content import model as m
from compendium.content.validate import Content

REPORT_NAME = "redactions"  # build-reports/redactions.txt and .json


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
        if story_left_out(story, content.participants):
            found.append(Redaction(f"story {story.id}", "the whole story", _withdrawn_reason(story)))
        elif story_workplace(story, content, edition) is None:
            found.append(
                Redaction(f"story {story.id}", "its workplace", "the teller is anonymous and no one else works there")
            )
    return found


def _consent_redaction(item: str, who: Person) -> list[Redaction]:
    """Say what a person's consent keeps out of the public edition."""
    consent = consent_of(who)
    if consent == ROLE_ONLY and who.name:
        return [Redaction(item, "name", f"consent '{consent}'")]
    known = [field for field in ("name", "role", "workplace") if getattr(who, field)]
    if consent == ANONYMOUS and known:
        return [
            Redaction(
                item,
                " and ".join([", ".join(known[:-1]), known[-1]] if len(known) > 1 else known),
                f"consent '{consent}'",
            )
        ]
    return []


def _withdrawn_reason(story: m.Story) -> str:
    """Say whose withdrawn consent removed a story."""
    who = teller_key(story) if story.teller.participant else "the teller"
    return f"{who} withdrew consent"


def _withdrawn_items(content: Content, pid: str) -> list[Redaction]:
    """List the statements, credits and listings a withdrawn participant's consent removes."""
    reason = f"participant {pid} withdrew consent"
    found = []
    for event in content.events:
        found += _said_and_credited(event, pid, reason)
        if event.facilitator == pid:
            found.append(Redaction(f"event {event.id}", "the facilitator", reason))
        elif pid in event.participant_ids:
            found.append(Redaction(f"event {event.id}", "the participant from the list", reason))
    for collection in content.collections:
        found += _said_and_credited(collection, pid, reason)
    found.append(Redaction(f"participant {pid}", "everything about them", reason))
    return found


def _said_and_credited(holder: m.Event | m.Collection, pid: str, reason: str) -> list[Redaction]:
    """List an event's or statements file's statements by a participant, and the proposals crediting them."""
    said = [
        Redaction(f"statement {holder.id}/{s.id}", "the whole statement", reason)
        for s in holder.statements
        if s.speaker == pid
    ]
    return said + [
        Redaction(f"proposal {holder.id}/{p.id}", "the participant's credit", reason)
        for p in holder.proposals
        if pid in p.origin.participants
    ]


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
