"""Stage 3, assemble: resolve references, apply consent, group by theme.

The result is a typed context per document. Templates receive only what
consent allows: a teller's name or workplace that must not be printed never
reaches them (statements and events carry raw models, which hold only ids and
text; the rendered-output check in editions.find_leaks is the last line of defence).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from compendium.assemble.changes import Comparison
from compendium.assemble.chart import Chart, theme_chart
from compendium.consent.editions import Edition, listed, shows_name, story_workplace, withdrawn
from compendium.content import model as m
from compendium.content.labels import Labels
from compendium.content.validate import Content

DEBATE_STATEMENTS_PER_THEME = 2


@dataclass(frozen=True)
class Person:
    """A person as consent allows them to be shown."""

    name: str | None
    role: str | None
    workplace: str | None
    consent: m.Consent
    unnamed: str = "a_participant"  # the label shown when nothing may be printed

    def credit(self, labels: Labels) -> str:
        """Return 'Name, role, workplace', or as much of it as consent allows."""
        text = ", ".join(p for p in (self.name, self.role, self.workplace) if p)
        return text[:1].upper() + text[1:] if text else labels[self.unnamed]


@dataclass(frozen=True)
class StatementView:
    """A statement with its speaker and event resolved."""

    statement: m.Statement
    speaker: Person
    event: m.Event


@dataclass(frozen=True)
class ProposalView:
    """A proposal with its origin resolved."""

    proposal: m.Proposal
    event: m.Event
    people: list[Person]
    themes: list[m.Theme]


@dataclass(frozen=True)
class WishView:
    """A keep or discard wish with its event."""

    wish: m.Wish
    event: m.Event


@dataclass(frozen=True)
class ExampleView:
    """A practice example with its event."""

    example: m.PracticeExample
    event: m.Event


@dataclass(frozen=True)
class PrintedStory:
    """What a template may print of a story: no teller, workplace or municipality.

    The raw model stays out of the context, so a template override that prints
    ``story.workplace`` cannot show what consent withholds (``StoryView.workplace`` can).
    """

    id: str
    title: str
    date: dt.date
    event: str | None
    themes: list[str]
    body: str
    photo: m.Photo | None
    example: bool

    @classmethod
    def of(cls, story: m.Story) -> PrintedStory:
        """Copy the printable fields of a story."""
        return cls(story.id, story.title, story.date, story.event, story.themes, story.body, story.photo, story.example)


@dataclass(frozen=True)
class StoryView:
    """A story with its teller resolved and its themes looked up."""

    story: PrintedStory
    teller: Person
    themes: list[m.Theme]
    event: m.Event | None
    workplace: str | None = None  # None when printing it would identify an anonymous teller


@dataclass
class ThemeView:
    """Everything filed under one theme."""

    theme: m.Theme
    proposals: list[ProposalView] = field(default_factory=list)
    statements: list[StatementView] = field(default_factory=list)
    keep: list[WishView] = field(default_factory=list)
    discard: list[WishView] = field(default_factory=list)
    examples: list[ExampleView] = field(default_factory=list)
    stories: list[StoryView] = field(default_factory=list)
    debate_statements: list[StatementView] = field(default_factory=list)

    @property
    def debate_proposals(self) -> list[ProposalView]:
        """Return the proposals selected for the debate paper."""
        return [p for p in self.proposals if p.proposal.debate_paper]

    def is_home(self, view: ProposalView) -> bool:
        """Tell whether this theme prints the proposal in full (its first theme) or refers to it."""
        return view.proposal.themes[0] == self.theme.id

    @property
    def empty(self) -> bool:
        """Tell whether nothing at all is filed under the theme."""
        return not (self.proposals or self.statements or self.keep or self.discard or self.examples or self.stories)


@dataclass(frozen=True)
class EventView:
    """An event with its people resolved as consent allows."""

    event: m.Event
    facilitator: Person | None
    people: list[tuple[Person, int]]  # identical credits are counted, not repeated
    anonymous_count: int


@dataclass(frozen=True)
class ParticipantRow:
    """One row of the participants appendix; identical rows are counted."""

    person: Person
    events: tuple[m.Event, ...]
    count: int = 1


@dataclass
class Context:
    """What both documents' templates receive."""

    publication: m.Publication
    labels: Labels
    commit: str | None
    themes: list[ThemeView]
    events: list[EventView]
    stories: list[StoryView]
    key_figures: list[m.KeyFigure]
    sources: Mapping[str, m.Source]
    participants: list[ParticipantRow]
    anonymous_participants: int
    proposals: list[ProposalView]
    assets: dict[str, str]
    edition: Edition = "public"
    # Set by `build --changes-since REV`: what changed since that revision, for an appendix.
    changes: Comparison | None = None
    # The overview chapter's chart: proposals and stories per theme.
    overview: Chart | None = None


def person(
    participant: m.Participant | m.Teller, unnamed: str = "a_participant", edition: Edition = "public"
) -> Person:
    """Show a participant or teller as their consent allows in this edition."""
    consent = participant.consent or "anonymous"
    if shows_name(participant, edition):
        return Person(participant.name, participant.role, participant.workplace, consent, unnamed)
    if consent == "role-only":
        return Person(None, participant.role, participant.workplace, consent, unnamed)
    return Person(None, None, None, consent, unnamed)


def pick_debate_statements(themes: list[ThemeView]) -> None:
    """Give each theme one or two statements for the debate paper, avoiding repeats.

    Highlighted statements come first; a statement already used under an
    earlier theme is only reused when the theme has nothing else.
    """
    used: set[str] = set()
    for view in themes:
        ranked = sorted(view.statements, key=lambda s: (s.statement.id in used, not s.statement.highlight))
        view.debate_statements = ranked[:DEBATE_STATEMENTS_PER_THEME]
        used.update(s.statement.id for s in view.debate_statements)


def assemble(
    content: Content, labels: Labels, commit: str | None, assets: dict[str, str], edition: Edition = "public"
) -> Context:
    """Build the shared document context from validated content, as the edition allows."""
    people = content.participants

    def shown(pid: str, unnamed: str = "a_participant") -> Person:
        return person(people[pid], unnamed, edition)

    themes = {t.id: ThemeView(t) for t in content.themes}
    theme_of = {t.id: t for t in content.themes}
    events: list[EventView] = []
    proposals: list[ProposalView] = []
    took_part: dict[str, list[m.Event]] = {}

    for event in content.events:
        # Someone who withdrew consent is neither listed nor counted.
        present = [pid for pid in event.participants if pid != event.facilitator and not withdrawn(people[pid])]
        facilitator = event.facilitator if event.facilitator and not withdrawn(people[event.facilitator]) else None
        for pid in [facilitator, *present]:
            if pid:
                took_part.setdefault(pid, []).append(event)
        named = Counter(shown(pid) for pid in present if listed(people[pid], edition))
        events.append(
            EventView(
                event,
                shown(facilitator) if facilitator else None,
                list(named.items()),
                anonymous_count=len(present) - named.total(),
            )
        )
        for st in event.statements:
            if withdrawn(people[st.speaker]):
                continue
            view = StatementView(st, shown(st.speaker), event)
            for t in st.themes:
                themes[t].statements.append(view)
        for prop in event.proposals:
            pview = ProposalView(
                prop,
                event,
                [shown(p) for p in prop.origin.participants if not withdrawn(people[p])],
                [theme_of[t] for t in prop.themes],
            )
            proposals.append(pview)
            for t in prop.themes:
                themes[t].proposals.append(pview)
        for wish in event.wishes.keep:
            for t in wish.themes:
                themes[t].keep.append(WishView(wish, event))
        for wish in event.wishes.discard:
            for t in wish.themes:
                themes[t].discard.append(WishView(wish, event))
        for ex in event.practice_examples:
            for t in ex.themes:
                themes[t].examples.append(ExampleView(ex, event))

    stories = []
    event_of = {e.id: e for e in content.events}
    for story in content.stories:
        teller = story.teller
        if withdrawn(people[teller.participant] if teller.participant else teller):
            continue
        told_by = shown(teller.participant) if teller.participant else person(teller, "anonymous_teller", edition)
        sview = StoryView(
            PrintedStory.of(story),
            told_by,
            [theme_of[t] for t in story.themes],
            event_of.get(story.event or ""),
            story_workplace(story, content, edition),
        )
        stories.append(sview)
        for t in story.themes:
            themes[t].stories.append(sview)

    # Events are unhashable models, so rows are counted by event id.
    rows = Counter(
        (shown(p.id), tuple(e.id for e in took_part.get(p.id, []))) for p in people.values() if listed(p, edition)
    )
    pick_debate_statements(list(themes.values()))
    return Context(
        publication=content.publication,
        labels=labels,
        commit=commit,
        themes=list(themes.values()),
        events=events,
        stories=stories,
        key_figures=content.key_figures,
        sources={s.id: s for s in content.publication.sources},
        participants=[ParticipantRow(who, tuple(event_of[e] for e in ids), n) for (who, ids), n in rows.items()],
        anonymous_participants=sum(1 for p in people.values() if not (listed(p, edition) or withdrawn(p))),
        proposals=proposals,
        assets=assets,
        edition=edition,
        overview=theme_chart(list(themes.values())),
    )
