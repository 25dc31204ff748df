"""Stage 3, assemble: resolve references, apply consent, group by theme.

The result is a typed context per document, assembled from the public view
(consent/public.py) and nothing else: a statement or story left out for
withdrawn consent, or a name, role or workplace consent withholds, is not in
the models the templates receive, so no template override can print it (the
rendered-output check in consent.find_leaks is the last line of defence).
Every consent decision is consent/'s: this module never compares consent values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from compendium.assemble.changes import Comparison
from compendium.assemble.chart import Chart, theme_chart
from compendium.assemble.groups import StoryGroup, group_stories
from compendium.consent import (
    Edition,
    consent_of,
    counted,
    held_then,
    kind_of,
    listed,
    public_view,
    shown_fields,
    teller_of,
)
from compendium.content import model as m
from compendium.content.brand import soft_tint
from compendium.content.dates import PartialDate
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
    kind: m.ParticipantKind = "person"
    size: int | None = None  # how many people a group is, when known

    def credit(self, labels: Labels) -> str:
        """Return 'Name, role, workplace', or as much of it as consent allows."""
        text = ", ".join(p for p in (self.name, self.role, self.workplace) if p)
        return text[:1].upper() + text[1:] if text else labels[self.unnamed]


@dataclass(frozen=True)
class Provenance:
    """Where and when a statement was said, as far as the inputs say; templates print these and nothing else.

    A statement with its own date, or a source other than the event's own (a report of the meeting),
    was not necessarily said at the event it is filed under, so then the event is not cited and its
    date is not used.
    """

    context: str | None  # how or where it was said, as written: 'til Fyens.dk'
    source: m.Source | None  # the statement's own source
    event: m.Event | None  # the event it was said at, when that is what the inputs say
    date: PartialDate | None  # its own date, or the event's when the event is cited and its date is not in doubt

    @classmethod
    def of(cls, statement: m.Statement, event: m.Event | None, sources: Mapping[str, m.Source]) -> Provenance:
        """Work out what is known of where and when a statement was said."""
        source = sources.get(statement.source or "")
        elsewhere = statement.date is not None or (event is not None and source and source.id not in event.source_ids)
        cited = None if elsewhere else event
        date = statement.date or (cited.date if cited is not None and not cited.date_note else None)
        return cls(statement.context, source, cited, date)

    @property
    def where(self) -> str | None:
        """Return where it was said, as printed: the context as written, or else the source's publisher.

        A source that reported the event cited is not repeated: the event says where.
        """
        return self.context or (self.source.publisher if self.source and not self.event else None)


@dataclass(frozen=True)
class StatementView:
    """A statement with its speaker, event and provenance resolved."""

    statement: m.Statement
    speaker: Person
    event: m.Event | None  # None for a statement from no event (inputs/statements/)
    provenance: Provenance


@dataclass(frozen=True)
class ProposalView:
    """A proposal with its origin resolved."""

    proposal: m.Proposal
    event: m.Event | None  # None for a proposal from no event, such as the publisher's own
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
    date: PartialDate
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
    source: m.Source | None = None  # the press report a story is taken from, when it is
    municipality: str | None = None  # None, like workplace, when printing it would identify an anonymous teller


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


@dataclass(frozen=True)
class NumberedProposal:
    """A proposal in the debate paper, numbered once: the overview and its theme section print the same number."""

    number: int
    view: ProposalView
    theme: m.Theme  # the theme it is printed in full under (its first)


@dataclass(frozen=True)
class DebateTheme:
    """One theme's section of the debate paper."""

    theme: m.Theme
    proposals: list[NumberedProposal]  # printed in full here, in number order
    see_also: list[NumberedProposal]  # printed in full under another theme, referred to here
    statements: list[StatementView]  # at most DEBATE_STATEMENTS_PER_THEME

    @property
    def empty(self) -> bool:
        """Tell whether the section would have nothing to show but its heading."""
        return not (self.proposals or self.see_also or self.statements or self.theme.questions)


@dataclass(frozen=True)
class DebatePaperView:
    """What the debate paper shows, numbered and grouped: page 1 and one section per theme."""

    key_figures: list[m.KeyFigure]  # those marked debate_paper, in print order
    sources: list[m.Source]  # the sources the key figures cite, each once, in order of first citation
    proposals: list[NumberedProposal]  # the numbered overview: every proposal marked debate_paper
    themes: list[DebateTheme]  # the themes with something to show
    from_events: bool  # every proposal comes from an event, and none is the publisher's own

    def source_number(self, figure: m.KeyFigure) -> int | None:
        """Return the number the page-1 source list gives a key figure's source (1-based), if it has one."""
        ids = [s.id for s in self.sources]
        return ids.index(figure.source) + 1 if figure.source in ids else None

    @property
    def proposals_label(self) -> str:
        """Return the label key of the proposals' heading: it says where they come from only when that is true."""
        return "debate_proposals_from_events" if self.from_events else "debate_proposals"


@dataclass(frozen=True)
class FontFaceView:
    """One font file of the brand's, as an @font-face rule needs it."""

    family: str  # the name the style sheet knows the role by: BODY_FAMILY or HEADINGS_FAMILY
    src: str  # the file beside the HTML
    weight: int
    style: str  # normal or italic


# The families the brand's fonts are given in the style sheet, whatever their files call them.
BODY_FAMILY, HEADINGS_FAMILY = "Brand Body", "Brand Headings"


@dataclass(frozen=True)
class BrandView:
    """The brand settings of publication.yaml as the style sheet and templates use them; empty when none are set."""

    accent: str | None = None  # #rrggbb, with the contrast text needs on white
    accent_soft: str | None = None  # a pale tint of it for backgrounds, on which it keeps that contrast
    logo: m.Logo | None = None
    logo_src: str | None = None  # the logo's file beside the HTML
    faces: tuple[FontFaceView, ...] = ()

    @property
    def body_font(self) -> bool:
        """Tell whether the brand gives a text font."""
        return any(face.family == BODY_FAMILY for face in self.faces)

    @property
    def headings_font(self) -> bool:
        """Tell whether the brand gives a headings font."""
        return any(face.family == HEADINGS_FAMILY for face in self.faces)


def brand_view(content: Content, assets: Mapping[str, str]) -> BrandView:
    """Gather the brand settings: the accent and its tint, the logo's file, and a face per font file.

    assets names each file beside the HTML; a file it does not name (a check renders without assets) is left out.
    """
    brand = content.publication.brand
    faces = tuple(
        FontFaceView(family, assets[file], content.fonts[file].weight, content.fonts[file].style)
        for family, files in ((BODY_FAMILY, brand.fonts.body), (HEADINGS_FAMILY, brand.fonts.headings))
        for file in files
        if file in assets and file in content.fonts
    )
    return BrandView(
        accent=brand.accent,
        accent_soft=soft_tint(brand.accent) if brand.accent else None,
        logo=brand.logo,
        logo_src=assets.get(brand.logo.file) if brand.logo else None,
        faces=faces,
    )


@dataclass
class Context:
    """What both documents' templates receive."""

    publication: m.Publication
    labels: Labels
    commit: str | None
    themes: list[ThemeView]
    events: list[EventView]
    stories: list[StoryView]
    # The stories chapter's groups, one per municipality (assemble/groups.py).
    story_groups: list[StoryGroup[StoryView]]
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
    # The debate paper's numbered proposals, sections and page-1 sources.
    debate: DebatePaperView | None = None
    # Whether the compendium offers search (render/search.py): the public edition's only.
    search: bool = False
    # publication.yaml's brand settings: accent colour, logo, fonts (templates/brand.css uses them).
    brand: BrandView = field(default_factory=BrandView)


def person(
    participant: m.Participant | m.Teller,
    unnamed: str = "a_participant",
    edition: Edition = "public",
    held: Mapping[str, str | None] | None = None,
) -> Person:
    """Show a participant or teller as their consent allows in this edition (with the role held then, if given)."""
    name, role, workplace = shown_fields(participant, edition, held)
    size = participant.size if isinstance(participant, m.Participant) else None
    return Person(name, role, workplace, consent_of(participant), unnamed, kind_of(participant), size)


def described(text: str, kind: m.ParticipantKind = "group") -> Person:
    """Show a speaker who is not a participant by the description or name the editor wrote."""
    return Person(text, None, None, "named", kind=kind)


def _plain(text: str) -> str:
    """Reduce a text to its words, for telling whether a quote repeats a proposal word for word."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _debate_rank(view: StatementView, used: set[str], said: set[str]) -> tuple[bool, bool, bool]:
    """Order statements for the debate paper: not yet used, not a repeat of a proposal, highlighted."""
    return (view.statement.id in used, _plain(view.statement.text) in said, not view.statement.highlight)


def pick_debate_statements(themes: list[ThemeView]) -> None:
    """Give each theme one or two statements for the debate paper, avoiding repeats.

    Highlighted statements come first; a statement already used under an
    earlier theme is only reused when the theme has nothing else, and one that
    says word for word what a proposal printed in the theme says comes last.
    """
    used: set[str] = set()
    for view in themes:
        said = {_plain(p.proposal.summary) for p in view.debate_proposals}
        ranked = sorted(view.statements, key=lambda s: _debate_rank(s, used, said))
        view.debate_statements = ranked[:DEBATE_STATEMENTS_PER_THEME]
        used.update(s.statement.id for s in view.debate_statements)


def debate_paper(themes: list[ThemeView], key_figures: list[m.KeyFigure], content: Content) -> DebatePaperView:
    """Number the debate paper's proposals in theme order and group what each theme section shows."""
    numbered: dict[str, NumberedProposal] = {}
    for view in themes:
        for pv in view.debate_proposals:
            if view.is_home(pv):
                numbered[pv.proposal.id] = NumberedProposal(len(numbered) + 1, pv, view.theme)
    sections = [
        DebateTheme(
            view.theme,
            [numbered[p.proposal.id] for p in view.debate_proposals if view.is_home(p)],
            [numbered[p.proposal.id] for p in view.debate_proposals if not view.is_home(p)],
            view.debate_statements,
        )
        for view in themes
    ]
    figures = [f for f in key_figures if f.debate_paper]
    by_id = {s.id: s for s in content.publication.sources}
    cited = dict.fromkeys(f.source for f in figures if f.source in by_id)
    proposals = list(numbered.values())
    from_events = all(n.view.event is not None and not n.view.proposal.origin.publisher for n in proposals)
    shown = [section for section in sections if not section.empty]
    return DebatePaperView(figures, [by_id[s] for s in cited if s], proposals, shown, from_events)


def assemble(
    content: Content, labels: Labels, commit: str | None, assets: dict[str, str], edition: Edition = "public"
) -> Context:
    """Build the shared document context from validated content, as the edition allows: from its public view only."""
    content = public_view(content, edition).content
    built = _Assembly(content, edition, {t.id: ThemeView(t) for t in content.themes})
    events = [built.event(event) for event in content.events]
    proposals = [view for event in content.events for view in built.proposals(event, event.proposals)]
    proposals += [view for c in content.collections for view in built.proposals(None, c.proposals)]
    for event in content.events:
        built.file_statements(event, event.statements)
        built.file_wishes_and_examples(event)
    for collection in content.collections:
        built.file_statements(None, collection.statements)
    stories = built.stories()
    themes = list(built.themes.values())
    pick_debate_statements(themes)
    return Context(
        publication=content.publication,
        labels=labels,
        commit=commit,
        themes=themes,
        events=events,
        stories=stories,
        story_groups=group_stories(stories, labels["stories_other"]),
        key_figures=content.key_figures,
        sources={s.id: s for s in content.publication.sources},
        participants=built.participant_rows(),
        anonymous_participants=sum(1 for p in content.participants.values() if counted(p, edition)),
        proposals=proposals,
        assets=assets,
        edition=edition,
        overview=theme_chart(themes),
        debate=debate_paper(themes, content.key_figures, content),
        brand=brand_view(content, assets),
    )


@dataclass
class _Assembly:
    """The steps of assemble: each resolves one kind of item, as consent allows, and files it under its themes."""

    content: Content
    edition: Edition
    themes: dict[str, ThemeView]
    took_part: dict[str, list[m.Event]] = field(default_factory=dict)  # participant id -> events, in order

    def shown(self, pid: str, held: Mapping[str, str | None] | None = None) -> Person:
        """Show a participant as consent allows in this edition, with the role held then if given."""
        return person(self.content.participants[pid], "a_participant", self.edition, held)

    def publisher(self) -> Person:
        """Show the publisher, credited with its own words and proposals."""
        return described(self.content.publication.organisation, "organisation")

    def event(self, event: m.Event) -> EventView:
        """Resolve an event's facilitator and participants; remember who took part."""
        people = self.content.participants
        # Someone who withdrew consent is not in the public view: neither listed nor counted.
        present = [pid for pid in event.participant_ids if pid != event.facilitator]
        facilitator = event.facilitator
        for pid in [facilitator, *present]:
            if pid:
                self.took_part.setdefault(pid, []).append(event)
        named = Counter(
            self.shown(pid, held_then(event, None, pid)) for pid in present if listed(people[pid], self.edition)
        )
        shown_facilitator = self.shown(facilitator) if facilitator else None
        return EventView(event, shown_facilitator, list(named.items()), anonymous_count=len(present) - named.total())

    def proposals(self, event: m.Event | None, proposals: list[m.Proposal]) -> list[ProposalView]:
        """Resolve proposals, crediting who may still be credited, and file them under their themes."""
        views = []
        for prop in proposals:
            # The public view credits no one who withdrew consent.
            credited = [self.shown(pid) for pid in prop.origin.participants]
            credited = [self.publisher()] * prop.origin.publisher + credited
            view = ProposalView(prop, event, credited, [self.themes[t].theme for t in prop.themes])
            views.append(view)
            for t in prop.themes:
                self.themes[t].proposals.append(view)
        return views

    def file_statements(self, event: m.Event | None, statements: list[m.Statement]) -> None:
        """File statements (an event's, or from no event) under their themes; the public view has none consent withdrew."""
        sources = self.sources
        for st in statements:
            view = StatementView(st, self.speaker(st, event), event, Provenance.of(st, event, sources))
            for t in st.themes:
                self.themes[t].statements.append(view)

    def speaker(self, statement: m.Statement, event: m.Event | None) -> Person:
        """Show who said a statement: a participant with the role held then, a description, or the publisher."""
        if statement.speaker:
            return self.shown(statement.speaker, held_then(event, statement, statement.speaker))
        if statement.unnamed_speaker:
            return described(statement.unnamed_speaker)
        return self.publisher()

    def file_wishes_and_examples(self, event: m.Event) -> None:
        """File an event's wishes and practice examples under their themes."""
        for wish in event.wishes.keep:
            for t in wish.themes:
                self.themes[t].keep.append(WishView(wish, event))
        for wish in event.wishes.discard:
            for t in wish.themes:
                self.themes[t].discard.append(WishView(wish, event))
        for ex in event.practice_examples:
            for t in ex.themes:
                self.themes[t].examples.append(ExampleView(ex, event))

    def stories(self) -> list[StoryView]:
        """Resolve each story's teller and workplace as consent allows, and file it under its themes."""
        event_of = {e.id: e for e in self.content.events}
        views = []
        for story in self.content.stories:
            view = StoryView(
                PrintedStory.of(story),
                self.teller(story),
                [self.themes[t].theme for t in story.themes],
                event_of.get(story.event or ""),
                story.workplace,  # None in the public view where it would identify an anonymous teller
                self.sources.get(story.teller.source or ""),
                story.municipality,  # the same
            )
            views.append(view)
            for t in story.themes:
                self.themes[t].stories.append(view)
        return views

    @property
    def sources(self) -> dict[str, m.Source]:
        """Map each source id to its source."""
        return {s.id: s for s in self.content.publication.sources}

    def teller(self, story: m.Story) -> Person:
        """Show who tells a story as consent allows; a press report with no person given is credited to its source."""
        teller = story.teller
        if teller.source and not (teller.participant or teller.consent):
            return described(self.sources[teller.source].publisher, "organisation")
        unnamed = "a_participant" if teller.participant else "anonymous_teller"
        return person(teller_of(story, self.content.participants), unnamed, self.edition)

    def participant_rows(self) -> list[ParticipantRow]:
        """List the participants the edition lists, with the events each took part in; count identical rows."""
        event_of = {e.id: e for e in self.content.events}
        # Events are unhashable models, so rows are counted by event id.
        rows = Counter(
            (self.shown(p.id), tuple(e.id for e in self.took_part.get(p.id, [])))
            for p in self.content.participants.values()
            if listed(p, self.edition)
        )
        return [ParticipantRow(who, tuple(event_of[e] for e in ids), n) for (who, ids), n in rows.items()]
