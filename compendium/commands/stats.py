"""`compendium stats`: how much content there is per theme, event, municipality and proposal status.

Counts what the inputs hold, before any edition leaves something out. The
model has no job-centre field: a story's workplace and a participant's
workplace are free text, so the honest grouping is by municipality, which
stories and participants both carry; "(none)" counts those without one.
"""

from __future__ import annotations

import json
import typing
from collections import Counter
from dataclasses import asdict, dataclass

from compendium.content import model as m
from compendium.content.validate import Content
from compendium.errors import plural
from compendium.messages import _

NONE = "(none)"
STATUSES: tuple[m.ProposalStatus, ...] = typing.get_args(m.ProposalStatus)


@dataclass(frozen=True)
class ThemeRow:
    """What is filed under one theme (an entry with two themes counts under both)."""

    id: str
    title: str
    proposals: int
    statements: int
    stories: int
    wishes: int
    practice_examples: int


@dataclass(frozen=True)
class EventRow:
    """What came of one event."""

    id: str
    title: str
    date: str
    participants: int
    statements: int
    proposals: int
    wishes: int
    practice_examples: int
    stories: int


@dataclass(frozen=True)
class MunicipalityRow:
    """Stories and participants from one municipality."""

    municipality: str
    stories: int
    participants: int


@dataclass(frozen=True)
class Stats:
    """Every count `stats` shows."""

    themes: list[ThemeRow]
    events: list[EventRow]
    municipalities: list[MunicipalityRow]
    statuses: dict[str, int]
    totals: dict[str, int]


def _per_theme(content: Content) -> list[ThemeRow]:
    """Count entries under each theme, in chapter order."""
    count: dict[str, Counter[str]] = {t.id: Counter() for t in content.themes}
    for event in content.events:
        for kind, entries in (
            ("proposals", event.proposals),
            ("statements", event.statements),
            ("wishes", [*event.wishes.keep, *event.wishes.discard]),
            ("practice_examples", event.practice_examples),
        ):
            for entry in entries:
                for t in entry.themes:
                    count[t][kind] += 1
    for collection in content.collections:
        for kind, entries in (("proposals", collection.proposals), ("statements", collection.statements)):
            for entry in entries:
                for t in entry.themes:
                    count[t][kind] += 1
    for story in content.stories:
        for t in story.themes:
            count[t]["stories"] += 1
    return [
        ThemeRow(
            t.id,
            t.title,
            **{k: count[t.id][k] for k in ("proposals", "statements", "stories", "wishes", "practice_examples")},
        )
        for t in content.themes
    ]


def _per_event(content: Content) -> list[EventRow]:
    """Count what came of each event, in date order."""
    stories = Counter(s.event for s in content.stories if s.event)
    rows = []
    for e in content.events:
        people = {*e.participant_ids, *([e.facilitator] if e.facilitator else [])}
        rows.append(
            EventRow(
                e.id,
                e.title,
                str(e.date),  # as the editor writes it: "ca. 2021-12"
                participants=len(people),
                statements=len(e.statements),
                proposals=len(e.proposals),
                wishes=len(e.wishes.keep) + len(e.wishes.discard),
                practice_examples=len(e.practice_examples),
                stories=stories[e.id],
            )
        )
    return rows


def _per_municipality(content: Content) -> list[MunicipalityRow]:
    """Count stories and participants per municipality, most first."""
    stories = Counter(s.municipality or NONE for s in content.stories)
    people = Counter(p.municipality or NONE for p in content.participants.values())
    names = sorted(set(stories) | set(people), key=lambda n: (n == NONE, -stories[n] - people[n], n))
    return [MunicipalityRow(n, stories[n], people[n]) for n in names]


def compute(content: Content) -> Stats:
    """Count the content."""
    proposals = [p for e in content.events for p in e.proposals]
    proposals += [p for c in content.collections for p in c.proposals]
    status = Counter(p.status for p in proposals)
    return Stats(
        themes=_per_theme(content),
        events=_per_event(content),
        municipalities=_per_municipality(content),
        statuses={s: status[s] for s in STATUSES},
        totals={
            "themes": len(content.themes),
            "events": len(content.events),
            "proposals": len(proposals),
            "statements": sum(len(e.statements) for e in content.events)
            + sum(len(c.statements) for c in content.collections),
            "stories": len(content.stories),
            "participants": len(content.participants),
        },
    )


def to_json(stats: Stats) -> str:
    """Return the counts as JSON text."""
    return json.dumps(asdict(stats), ensure_ascii=False, indent=2)


def table(headers: list[str], rows: list[list[str | int]]) -> list[str]:
    """Lay out rows as a plain text table: text left-aligned, numbers right-aligned."""
    cells = [headers, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int) for row in rows) and rows != [] for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)).rstrip()

    return [line(cells[0]), line(["-" * w for w in widths]), *(line(r) for r in cells[1:])]


def to_text(stats: Stats) -> str:
    """Return the counts as text tables."""
    t = stats.totals
    out = [
        _("{themes}, {events}, {proposals}, {statements}, {stories}, {participants}").format(
            themes=plural(t["themes"], "{n} theme", "{n} themes"),
            events=plural(t["events"], "{n} event", "{n} events"),
            proposals=plural(t["proposals"], "{n} proposal", "{n} proposals"),
            statements=plural(t["statements"], "{n} statement", "{n} statements"),
            stories=plural(t["stories"], "{n} story", "{n} stories"),
            participants=plural(t["participants"], "{n} participant", "{n} participants"),
        ),
        "",
        _("Per theme (an entry with several themes counts under each)"),
        *table(
            [_("theme"), _("proposals"), _("statements"), _("stories"), _("wishes"), _("examples")],
            [[r.id, r.proposals, r.statements, r.stories, r.wishes, r.practice_examples] for r in stats.themes],
        ),
        "",
        _("Per event"),
        *table(
            [
                _("event"),
                _("date"),
                _("participants"),
                _("statements"),
                _("proposals"),
                _("wishes"),
                _("examples"),
                _("stories"),
            ],
            [
                [r.id, r.date, r.participants, r.statements, r.proposals, r.wishes, r.practice_examples, r.stories]
                for r in stats.events
            ],
        ),
        "",
        _("Per municipality"),
        *table(
            [_("municipality"), _("stories"), _("participants")],
            [[r.municipality, r.stories, r.participants] for r in stats.municipalities],
        ),
        "",
        _("Proposals per status"),
        *table([_("status"), _("proposals")], [[s, n] for s, n in stats.statuses.items()]),
    ]
    return "\n".join(out)
