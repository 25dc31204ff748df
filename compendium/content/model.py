"""The content model: one pydantic class per kind of input file and entry.

Every model forbids unknown fields, so a misspelt key is reported instead of
silently ignored. Text fields are strict strings: YAML 1.1 turns `NO` into
False and `12:30` into 750, and such a value must be quoted, not guessed at.
"""

from __future__ import annotations

import re
import typing
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.config import JsonDict

from compendium.content.dates import PartialDate, kind_of, split_approximate
from compendium.content.markup import check_markdown
from compendium.errors import Fault, Refused

# A stable, human-readable id: lower case letters, digits and dashes.
# Counts far above any real compendium (a dozen themes, a few hundred statements), low enough that
# the PDF is laid out in minutes and within memory: WeasyPrint holds every page of a document at
# once, and an item is printed once under each of its themes.
MAX_THEMES = 100
MAX_THEMES_PER_ITEM = 5
MAX_STATEMENTS_PER_EVENT = 500
MAX_STATEMENTS = 2_000  # over all events (content/validate.py)
ID_PATTERN = re.compile(r"[a-z0-9æøå]+(-[a-z0-9æøå]+)*")
Id = Annotated[str, StringConstraints(strict=True, pattern=f"^{ID_PATTERN.pattern}$")]
# Text must hold something visible: a title of only spaces would print as nothing.
Text = Annotated[str, StringConstraints(strict=True, min_length=1, pattern=r"\S")]
Flag = Annotated[bool, Field(strict=True)]
# Markdown is also checked for size, nesting and render time (see content/markup.py).
Markdown = Annotated[str, StringConstraints(strict=True), AfterValidator(check_markdown)]
# What may be printed about a person. `withdrawn` means they took their consent back:
# everything they said or told is left out of every edition.
Consent = Literal["named", "role-only", "anonymous", "withdrawn"]
# The one list of consent values: consent/ and the importer take theirs from here.
CONSENTS: tuple[Consent, ...] = typing.get_args(Consent)
CONSENT_HELP = (
    "named: name, role and workplace are printed; role-only: role and workplace, never the name; "
    "anonymous: nothing that identifies the person; withdrawn: the person took their consent back, "
    "so their statements and stories are left out of every edition. The internal edition prints "
    "every name except those of people who withdrew."
)
Language = Literal["da", "en"]
DocumentName = Literal["compendium", "debate-paper"]
# What a build can make of the documents: HTML, PDF, a Word edition, and the open-data package.
OutputFormat = Literal["html", "pdf", "docx", "data"]
# Kinds of event the label files name (labels/<language>.yaml: kind_<key>), by every spelling an
# editor may write; any other kind is open text and printed as written.
KNOWN_EVENT_KINDS: dict[str, str] = {
    "workshop": "workshop",
    "meeting": "meeting",
    "møde": "meeting",
    "conference": "conference",
    "konference": "conference",
    "borgermøde": "borgermøde",
    "dialogmøde": "dialogmøde",
    "borgerpanel": "borgerpanel",
    "høring": "høring",
    "hearing": "høring",
    "survey": "survey",
    "spørgeskema": "survey",
    "spørgeskemaundersøgelse": "survey",
    "interview": "interview",
}
ProposalStatus = Literal["idea", "proposed", "adopted", "rejected"]
DATE_HELP = "2020, 2020-03 or 2020-03-08, as precisely as it is known; 'ca. 2020-03' when approximate."
# A date as precise as it is known (see content/dates.py): never a day that was made up.
Date = Annotated[PartialDate, Field(description=DATE_HELP)]


def _exact(value: PartialDate) -> PartialDate:
    """Refuse 'ca.' on a date that is the publisher's own, which is known."""
    if value.approximate:
        bare = str(value).removeprefix("ca. ")
        fix = f"write {bare}"
        raise Refused(Fault.then(f"'{value}' cannot be approximate: it is the publication's own date", fix))
    return value


# A date the editor decides (the publication's own), so it may be partial but never approximate.
OwnDate = Annotated[PartialDate, AfterValidator(_exact), Field(description="2026, 2026-11 or 2026-11-20.")]


class Count(BaseModel):
    """A number of people, perhaps approximate: 30, or 'ca. 30'."""

    model_config = ConfigDict(frozen=True)

    value: int
    approximate: bool = False

    @classmethod
    def parse(cls, raw: object) -> Count:
        """Read 30 or 'ca. 30' (or '~30'); refuse anything else with the forms."""
        if isinstance(raw, Count):
            return raw
        fix = "write a whole number, e.g. 30, or 'ca. 30' when it is approximate"
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            bare, approximate = str(raw), False  # -5 and 3.5 fail isdigit below
        elif isinstance(raw, str):
            bare, approximate = split_approximate(raw)
        else:
            raise Refused(Fault.then(f"expected a number of people, found {kind_of(raw)}", fix))
        if not bare.isdigit() or not bare.isascii():
            raise Refused(Fault.then(f"'{raw}' is not a number of people", fix))
        return cls(value=int(bare), approximate=approximate)

    def __str__(self) -> str:
        """Write the count as an editor writes it: '30' or 'ca. 30'."""
        return ("ca. " if self.approximate else "") + str(self.value)


Headcount = Annotated[
    Count,
    BeforeValidator(Count.parse),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["integer", "string"],
            "minimum": 0,
            "pattern": r"^(?:(?:[Cc][Aa]?\.\s*|~)\d+|\d+~)$",
            "description": "A number of people: 30, or 'ca. 30' when approximate.",
        }
    ),
]


class Strict(BaseModel):
    """Base for every input model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Photo(Strict):
    """A photo file inside the project, with the texts that go with it."""

    file: Text = Field(description="Path relative to the project folder, e.g. inputs/photos/x.jpg.")
    caption: Text
    alt: Text = Field(description="Alternative text for readers who cannot see the photo.")
    credit: Text | None = None


class Editor(Strict):
    """A person responsible for the publication."""

    name: Text
    role: Text | None = None


class Contact(Strict):
    """Who readers can contact about the publication."""

    name: Text
    email: Text | None = None
    phone: Text | None = None
    address: Text | None = None


class DebatePaper(Strict):
    """The texts that only the debate paper uses."""

    title: Text
    main_message: Markdown = Field(description="The paper's main message (Markdown).")
    call_to_action: Markdown = Field(description="The closing call to action (Markdown).")


class Source(Strict):
    """A source the content is taken from, listed in the appendix."""

    id: Id
    title: Text
    publisher: Text
    date: Date
    url: Annotated[str, StringConstraints(strict=True, pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="A web address starting with http:// or https://."
    )
    note: Text | None = None


class Publication(Strict):
    """inputs/publication.yaml: the publication as a whole."""

    title: Text
    subtitle: Text | None = None
    organisation: Text
    language: Language = "da"
    date: OwnDate = Field(
        description="The publication date, printed on the cover and colophon: 2026, 2026-11 or 2026-11-20."
    )
    version: Text
    editors: list[Editor] = Field(min_length=1)
    contact: Contact
    foreword: Markdown
    background: Markdown = Field(description="The background chapter's text (Markdown).")
    documents: list[DocumentName] = Field(default=["compendium", "debate-paper"], min_length=1)
    formats: list[OutputFormat] = Field(
        default=["html", "pdf"],
        min_length=1,
        description="What `compendium build` makes when no --format is given: html, pdf, docx (Word), data.",
    )
    debate_paper: DebatePaper
    sources: list[Source] = []
    cover_photo: Photo | None = None
    stories_intro: Markdown = Field(default="", description="Introduces the stories chapter (Markdown).")


class Theme(Strict):
    """A theme: one chapter in the compendium and one section in the debate paper."""

    id: Id
    title: Text
    introduction: Markdown
    questions: list[Text] = Field(default=[], description="Questions for debate.")


class ThemesFile(Strict):
    """inputs/themes.yaml: the registry of themes, in chapter order."""

    themes: list[Theme] = Field(min_length=1, max_length=MAX_THEMES)


# Who a participant is: one person with a consent of their own, a group of people printed by a
# description (no one's name to withhold), or an organisation, which is always named.
ParticipantKind = Literal["person", "group", "organisation"]
PARTICIPANT_KINDS: tuple[ParticipantKind, ...] = typing.get_args(ParticipantKind)
KIND_HELP = (
    "person (the default): one person, printed as their consent allows; group: several people, printed "
    "as the description, e.g. 'tillidsrepræsentanterne på workshoppen' or a panel; organisation: always "
    "printed by its name. A group or organisation has no consent."
)


def _is_kind(kind: str) -> JsonDict:
    """Return the JSON Schema condition 'this participant is of this kind' (no kind is a person)."""
    if kind == "person":
        return {"anyOf": [{"not": {"required": ["kind"]}}, {"properties": {"kind": {"const": kind}}}]}
    return {"required": ["kind"], "properties": {"kind": {"const": kind}}}


# What each kind needs and refuses, for an editor's schema; check says the same in its own words.
PARTICIPANT_SCHEMA: JsonDict = {
    "allOf": [
        {"if": _is_kind("person"), "then": {"required": ["consent"]}},
        {"if": _is_kind("group"), "then": {"required": ["description"], "not": {"required": ["consent"]}}},
        {"if": _is_kind("organisation"), "then": {"required": ["name"], "not": {"required": ["consent"]}}},
    ]
}


class Participant(Strict):
    """Who took part: a person (consent decides what is printed), a group or an organisation."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=PARTICIPANT_SCHEMA)

    id: Id
    kind: ParticipantKind = Field(default="person", description=KIND_HELP)
    name: Text | None = Field(
        default=None, description="A person's name (required when consent is 'named'), or an organisation's."
    )
    description: Text | None = Field(
        default=None, description="A group's description, printed as written, e.g. 'et borgerpanel'."
    )
    size: Annotated[int, Field(strict=True, ge=1, le=100_000)] | None = Field(
        default=None, description="How many people a group is, e.g. 9 for a panel of nine."
    )
    role: Text | None = None
    workplace: Text | None = None
    municipality: Text | None = None
    consent: Consent | None = Field(default=None, description="Required for a person. " + CONSENT_HELP)


class ParticipantsFile(Strict):
    """inputs/participants.yaml: the registry of participants."""

    participants: list[Participant]


class KeyFigure(Strict):
    """A number that makes the case, with its source."""

    id: Id
    label: Text
    value: Text = Field(description="The figure as printed, e.g. '1,3 mia. kr.' (quote it).")
    source: Id | None = Field(
        default=None, description="The id of a source in publication.yaml; a key figure without one is warned about."
    )
    note: Text | None = None
    debate_paper: Flag = Field(default=True, description="Show it in the debate paper too.")


class KeyFiguresFile(Strict):
    """inputs/key-figures.yaml: the key figures, in print order."""

    key_figures: list[KeyFigure]


SPEAKER_HELP = (
    "Who said it: 'speaker' (a participant id: a person, a group or an organisation), 'unnamed_speaker' "
    "(a description such as 'en borger', printed as written) or 'publisher: true' (the publisher's own words)."
)


class Statement(Strict):
    """A quote: who said it, and where and when, as far as that is known."""

    id: Id
    speaker: Id | None = Field(default=None, description="A participant id. " + SPEAKER_HELP)
    unnamed_speaker: Text | None = Field(
        default=None, description="A speaker nobody can name, printed as written, e.g. 'en borger'."
    )
    publisher: Flag = Field(default=False, description="The publisher's own words.")
    role: Text | None = Field(default=None, description="The speaker's role when it was said, if not their current.")
    workplace: Text | None = Field(default=None, description="The speaker's workplace when it was said.")
    source: Id | None = Field(default=None, description="The id of a source in publication.yaml it is taken from.")
    date: Date | None = Field(
        default=None, description="When it was said or printed, if not at the event: 2020, 2020-03 or 2020-03-08."
    )
    context: Text | None = Field(
        default=None, description="Where or how it was said, e.g. 'til Fyens.dk', 'i et skriftligt høringssvar'."
    )
    themes: list[Id] = Field(min_length=1, max_length=MAX_THEMES_PER_ITEM)
    text: Text
    highlight: Flag = Field(default=False, description="Prefer this quote in the debate paper.")


class Origin(Strict):
    """Who a proposal came from, beyond the event it is listed under."""

    participants: list[Id] = Field(default=[], description="Participant ids: people, groups or organisations.")
    publisher: Flag = Field(default=False, description="The publisher's own proposal.")


class Proposal(Strict):
    """A proposal for the new employment system."""

    id: Id
    title: Text
    themes: list[Id] = Field(min_length=1, max_length=MAX_THEMES_PER_ITEM)
    summary: Markdown
    rationale: Markdown = ""
    origin: Origin = Origin()
    status: ProposalStatus = "proposed"
    debate_paper: Flag = Field(default=False, description="Include it in the debate paper.")


class Wish(Strict):
    """One thing to keep or to get rid of."""

    text: Text
    themes: list[Id] = Field(min_length=1, max_length=MAX_THEMES_PER_ITEM)


class Wishes(Strict):
    """What participants want to keep ('bevare') and get rid of ('af med')."""

    keep: list[Wish] = []
    discard: list[Wish] = []


class PracticeExample(Strict):
    """How a workplace already does things, as ordered points."""

    id: Id
    title: Text
    organisation: Text
    introduction: Markdown = ""
    points: list[Text] = Field(min_length=1)
    themes: list[Id] = Field(min_length=1, max_length=MAX_THEMES_PER_ITEM)


class EventParticipant(Strict):
    """A participant at an event with the role and workplace they held then."""

    id: Id = Field(description="A participant id.")
    role: Text | None = Field(default=None, description="Their role at this event, if not their current one.")
    workplace: Text | None = Field(default=None, description="Their workplace at this event.")


class Respondents(Strict):
    """How many a survey asked, and how many answered it."""

    invited: Headcount | None = Field(default=None, description="How many were asked: 1200, or 'ca. 1200'.")
    answered: Headcount = Field(description="How many answered: 431, or 'ca. 430'.")

    @model_validator(mode="after")
    def _no_more_answers_than_asked(self) -> Respondents:
        """Refuse more answers than people asked, when both are exact."""
        asked, answered = self.invited, self.answered
        if asked and not (asked.approximate or answered.approximate) and answered.value > asked.value:
            fix = "check the two numbers"
            raise Refused(Fault.then(f"{answered.value} answered, but only {asked.value} were invited", fix))
        return self


class Event(Strict):
    """inputs/events/<id>.yaml: a workshop, meeting, panel, survey … and what came of it."""

    id: Id
    kind: Text = Field(
        description="What kind of event, in your own words; these get a printed label: "
        + ", ".join(dict.fromkeys(KNOWN_EVENT_KINDS.values()))
        + ". Any other kind is printed as written.",
        json_schema_extra={"examples": list(dict.fromkeys(KNOWN_EVENT_KINDS.values()))},
    )
    title: Text
    date: Date
    date_note: Text | None = Field(
        default=None, description="Printed after the date, e.g. 'artiklen er opdateret 8. december 2021'."
    )
    place: Text | None = Field(default=None, description="Where; leave it out when it is not known.")
    duration: Text | None = Field(default=None, description="E.g. '9 timer'.")
    organiser: Text
    facilitator: Id | None = Field(default=None, description="A participant id.")
    participants: list[Id | EventParticipant] = Field(
        default=[], description="Participant ids, or {id, role, workplace} for a role held at this event."
    )
    participants_count: Headcount | None = Field(
        default=None, description="How many took part: 30, or 'ca. 30' when approximate."
    )
    participants_note: Markdown = Field(default="", description="Who else took part, as text.")
    respondents: Respondents | None = Field(default=None, description="A survey's counts: invited and answered.")
    sources: list[Id] = Field(default=[], description="The ids of sources in publication.yaml.")
    source: Id | None = Field(
        default=None,
        description="Deprecated: the old spelling of 'sources' (one id).",
        json_schema_extra={"deprecated": True},
    )
    background: Markdown
    method: Markdown = Field(default="", description="How the event worked (Markdown); leave it out when not known.")
    photos: list[Photo] = []
    statements: list[Statement] = Field(default=[], max_length=MAX_STATEMENTS_PER_EVENT)
    proposals: list[Proposal] = []
    wishes: Wishes = Wishes()
    practice_examples: list[PracticeExample] = []

    @property
    def source_ids(self) -> list[str]:
        """Return the ids of the event's sources, whichever spelling gave them."""
        # Validation refuses both at once (content/validate.py, DEPRECATED), so at most one is given.
        return [self.source] if self.source is not None else list(self.sources)

    @property
    def kind_key(self) -> str | None:
        """Return the label key of a known kind ('borgermøde'), or None for a kind printed as written."""
        return KNOWN_EVENT_KINDS.get(self.kind.strip().casefold())

    @property
    def participant_ids(self) -> list[str]:
        """Return the ids of the participants listed, in order."""
        return [p if isinstance(p, str) else p.id for p in self.participants]

    def held_then(self, pid: str) -> EventParticipant | None:
        """Return the role and workplace a participant held at this event, when the event gives them."""
        return next((p for p in self.participants if not isinstance(p, str) and p.id == pid), None)


class Collection(Strict):
    """inputs/statements/<id>.yaml: statements and proposals from no event (press quotes, the publisher's own)."""

    id: Id
    title: Text | None = Field(default=None, description="What the file holds, for the editors.")
    statements: list[Statement] = Field(default=[], max_length=MAX_STATEMENTS_PER_EVENT)
    proposals: list[Proposal] = []


class Teller(Strict):
    """Who tells a story: a registered participant, a name with its own consent, or a source (a press report)."""

    participant: Id | None = None
    source: Id | None = Field(
        default=None, description="The id of a source in publication.yaml, for a story from a press report."
    )
    name: Text | None = None
    role: Text | None = None
    workplace: Text | None = None
    consent: Consent | None = Field(default=None, description=CONSENT_HELP)


class Story(Strict):
    """inputs/stories/<id>.yaml: a good story from a job centre."""

    id: Id
    title: Text
    workplace: Text | None = Field(default=None, description="Where it happened, when that is known.")
    municipality: Text | None = None
    teller: Teller
    date: Date
    event: Id | None = Field(default=None, description="The event id the story was collected at, if any.")
    themes: list[Id] = Field(min_length=1, max_length=MAX_THEMES_PER_ITEM)
    body: Markdown
    photo: Photo | None = None
    example: Flag = Field(default=False, description="Marks invented example content.")


class Project(Strict):
    """compendium.yaml at the project root: where things are."""

    inputs: Text = "inputs"
    templates: Text = "templates"
    output: Text = "build"


# The file kinds, keyed by their path relative to the inputs folder.
REGISTRY_FILES: dict[str, type[Strict]] = {
    "publication.yaml": Publication,
    "themes.yaml": ThemesFile,
    "participants.yaml": ParticipantsFile,
    "key-figures.yaml": KeyFiguresFile,
}
FOLDER_FILES: dict[str, type[Strict]] = {
    "events": Event,
    "stories": Story,
    "statements": Collection,
}
