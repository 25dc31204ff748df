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

from compendium.content.brand import MAX_FONT_FILES, accent_fault, normal_hex
from compendium.content.dates import PartialDate, kind_of, split_approximate
from compendium.content.markup import check_markdown
from compendium.errors import Fault, Refused
from compendium.messages import N_, _

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
OutputFormat = Literal["html", "pdf", "docx", "data", "search"]
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
        raise Refused(
            Fault.then(_("'{value}' cannot be approximate: it is the publication's own date").format(value=value), fix)
        )
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
        fix = _("write a whole number, e.g. 30, or 'ca. 30' when it is approximate")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            bare, approximate = str(raw), False  # -5 and 3.5 fail isdigit below
        elif isinstance(raw, str):
            bare, approximate = split_approximate(raw)
        else:
            raise Refused(Fault.then(_("expected a number of people, found {raw}").format(raw=kind_of(raw)), fix))
        if not bare.isdigit() or not bare.isascii():
            raise Refused(Fault.then(_("'{raw}' is not a number of people").format(raw=raw), fix))
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

    file: Text = Field(
        description="A path relative to the project folder, e.g. inputs/photos/x.jpg. It must exist, lie inside the project, end in .jpg, .jpeg, .png, .webp or .gif, be at most 50 MB (checked by its size before it is read), 12,000 pixels a side and 80 megapixels (all frames of an animation together), and decode without error."
    )
    caption: Text = Field(description="The caption, printed under the photo.")
    alt: Text = Field(description="Alternative text for readers who cannot see the photo.")
    credit: Text | None = Field(default=None, description="Printed after the caption as 'Foto: …'.")


class Editor(Strict):
    """A person responsible for the publication."""

    name: Text = Field(description="Printed in the colophon.")
    role: Text | None = Field(default=None, description="Printed after the name, in brackets.")


class Contact(Strict):
    """Who readers can contact about the publication."""

    name: Text = Field(description="Who to contact: in the colophon and the debate paper's signature.")
    email: Text | None = Field(default=None, description="Printed (as a mailto: link in the compendium).")
    phone: Text | None = Field(default=None, description="Printed in the colophon; quote it.")
    address: Text | None = Field(default=None, description="Printed in the colophon.")


class DebatePaper(Strict):
    """The texts that only the debate paper uses."""

    title: Text = Field(description="The debate paper's title.")
    main_message: Markdown = Field(
        description="The main message on the debate paper's first page, before the key figures (Markdown)."
    )
    call_to_action: Markdown = Field(description="The debate paper's closing call to action (Markdown).")


class Source(Strict):
    """A source the content is taken from, listed in the appendix."""

    id: Id = Field(description="How key figures, events, statements and tellers refer to it.")
    title: Text = Field(description="The source's title.")
    publisher: Text = Field(description="Who published it.")
    date: Date = Field(description="Its date, as precisely as known. " + DATE_HELP)
    url: Annotated[str, StringConstraints(strict=True, pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="A web address starting with http:// or https:// (no spaces)."
    )
    note: Text | None = Field(default=None, description="Printed after the entry in Appendix C.")


class Setting:
    """Marks a field that sets how the documents look (a colour, a font file): no output prints it as text."""


# The one marker: consent/public.py leaves a field that holds it out of the printed texts (diff, redaction).
SETTING = Setting()
QUOTE_COLOUR = N_('YAML reads what follows # as a comment, so put the colour in quotes, e.g. accent: "#a6192e"')


def _no_comment(value: object) -> object:
    """Refuse an empty colour: an unquoted #a6192e is a YAML comment, which leaves nothing."""
    if value is None:
        raise Refused(Fault.then(_("the colour is empty"), _(QUOTE_COLOUR)))
    return value


def _accent(value: str) -> str:
    """Refuse a colour that is not hex, or that text in it could not be read in on white."""
    fault = accent_fault(value)
    if fault is not None:
        raise Refused(fault)
    return normal_hex(value)


Colour = Annotated[
    str,
    StringConstraints(strict=True),
    AfterValidator(_accent),
    SETTING,
    Field(description='A colour in hex, in quotes: "#a6192e". Its contrast on white must be at least 4.5:1.'),
]
FontFile = Annotated[
    str,
    StringConstraints(strict=True, min_length=1),
    SETTING,
    Field(description="A .ttf or .otf file in the project, e.g. templates/fonts/Lato-Regular.ttf."),
]


class Logo(Strict):
    """The organisation's logo: an image file in the project, on the covers and in the running heads."""

    file: Text = Field(description="Path relative to the project folder, e.g. inputs/brand/logo.png (PNG or JPEG).")
    alt: Text = Field(description="What the logo says, for readers who cannot see it: usually the organisation's name.")


FontFiles = Annotated[list[FontFile], Field(max_length=MAX_FONT_FILES)]


class Fonts(Strict):
    """The project's own fonts: one file per weight and style (regular, italic, bold, bold italic)."""

    body: FontFiles = Field(default=[], description="The text font's files; Noto Serif sets what they lack.")
    headings: FontFiles = Field(
        default=[],
        description="The font of headings, captions, tables and running heads; Noto Sans sets what they lack.",
    )


class Brand(Strict):
    """How the documents look, for those who do not write CSS: accent colour, logo and fonts."""

    accent: Annotated[Colour | None, BeforeValidator(_no_comment)] = Field(
        default=None, description="Headings, rules, links and key figures; contrast on white at least 4.5:1."
    )
    logo: Logo | None = Field(
        default=None,
        description="The organisation's logo: on the covers, in index.html and in the PDFs' running heads.",
    )
    fonts: Fonts = Field(default=Fonts(), description="Body and heading fonts from the project's own font files.")


class Publication(Strict):
    """inputs/publication.yaml: the publication as a whole."""

    title: Text = Field(description="The title: compendium cover and colophon, page headers, index.html.")
    subtitle: Text | None = Field(
        default=None, description="Under the title on the compendium's cover and in its colophon."
    )
    organisation: Text = Field(
        description="The publisher: covers, colophon, signatures, the PDFs' author; the publisher's own statements and proposals are credited to it."
    )
    language: Language = Field(
        default="da",
        description="da or en: the labels file (labels/<language>.yaml), the date format and the typographic quotes in Markdown.",
    )
    date: OwnDate = Field(
        description="The publication date, printed on the covers, colophon and signatures; also the PDFs' creation and modification date (as precise as given). 2026, 2026-11 or 2026-11-20; not approximate: it is yours to decide."
    )
    version: Text = Field(
        description='Printed in the colophon, on the debate paper\'s cover and in index.html. Quote it: "0.1".'
    )
    editors: list[Editor] = Field(min_length=1, description="The colophon's editors; at least one.")
    contact: Contact = Field(description="The colophon's contact; the debate paper's signature.")
    foreword: Markdown = Field(description="The foreword chapter (Markdown).")
    background: Markdown = Field(description="The background chapter (Markdown); the key figures follow it.")
    documents: list[DocumentName] = Field(
        default=["compendium", "debate-paper"],
        min_length=1,
        description="Which documents build makes: compendium, debate-paper or both (the default).",
    )
    formats: list[OutputFormat] = Field(
        default=["html", "pdf", "search"],
        min_length=1,
        description="What build makes when no --format is given: html, pdf, docx (the Word edition), data (the open-data package), search (the compendium's search index, with its HTML).",
    )
    debate_paper: DebatePaper = Field(description="The debate paper's own texts.")
    sources: list[Source] = Field(
        default=[], description="Appendix C; key figures, events, statements and tellers refer to them by id."
    )
    cover_photo: Photo | None = Field(default=None, description="The photo on the compendium's cover.")
    brand: Brand = Field(
        default=Brand(), description="Accent colour, logo and fonts, without CSS (see docs/guide/brand.md)."
    )
    stories_intro: Markdown = Field(default="", description="Introduces the stories chapter (Markdown).")


class Theme(Strict):
    """A theme: one chapter in the compendium and one section in the debate paper."""

    id: Id = Field(description="How statements, proposals, wishes, examples and stories refer to it.")
    title: Text = Field(description="The chapter's heading (and the debate paper section's).")
    introduction: Markdown = Field(description="The chapter's introduction, in the compendium only (Markdown).")
    questions: list[Text] = Field(default=[], description="Questions for debate, printed in the debate paper.")


class ThemesFile(Strict):
    """inputs/themes.yaml: the registry of themes, in chapter order."""

    themes: list[Theme] = Field(
        min_length=1,
        max_length=MAX_THEMES,
        description="The themes, at least one, in chapter order. Each theme is a chapter in the compendium and a section in the debate paper.",
    )


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

    id: Id = Field(description="How events, statements, proposals and stories refer to the participant.")
    kind: ParticipantKind = Field(
        default="person", description="Who it is (see Consent for what each prints). " + KIND_HELP
    )
    name: Text | None = Field(
        default=None,
        description="A person's name, printed only with consent 'named' (required then); an organisation's name, always printed (required). Not for a group.",
    )
    description: Text | None = Field(
        default=None,
        description="A group's description, printed as written, e.g. 'tillidsrepræsentanterne på workshoppen', 'borgerpanelet i Tønder'. Required for a group, and only for a group.",
    )
    size: Annotated[int, Field(strict=True, ge=1, le=100_000)] | None = Field(
        default=None,
        description="How many people a group is, e.g. 9 for a panel of nine; printed in the event's list as '(9 personer)'. Only for a group.",
    )
    role: Text | None = Field(
        default=None,
        description="The current role or position, printed with 'named' and 'role-only' (an event or a statement may give the role held then).",
    )
    workplace: Text | None = Field(
        default=None, description="The current workplace, printed with 'named' and 'role-only'."
    )
    municipality: Text | None = Field(
        default=None, description="For the editors' records; never passed to the templates."
    )
    consent: Consent | None = Field(
        default=None,
        description="What may be printed: required for a person, an error for a group or organisation. " + CONSENT_HELP,
    )


class ParticipantsFile(Strict):
    """inputs/participants.yaml: the registry of participants."""

    participants: list[Participant] = Field(
        description="Everyone who took part, with consent (the list may be empty: [])."
    )


class KeyFigure(Strict):
    """A number that makes the case, with its source."""

    id: Id = Field(description="Unique among the key figures.")
    label: Text = Field(description="What the figure shows.")
    value: Text = Field(description="The figure as printed, e.g. '1,3 mia. kr.'; quote it.")
    source: Id | None = Field(
        default=None,
        description="The id of a source in publication.yaml, printed under the figure. A key figure without a source is warned about, and cannot vouch for a number in the texts (see Faithfulness).",
    )
    note: Text | None = Field(default=None, description="Printed after the label.")
    debate_paper: Flag = Field(
        default=True,
        description="Show it on the debate paper's first page too; it has room for five, and more are warned about.",
    )


class KeyFiguresFile(Strict):
    """inputs/key-figures.yaml: the key figures, in print order."""

    key_figures: list[KeyFigure] = Field(
        description="The key figures in print order (the list may be empty). They are printed in the compendium's background chapter and on the debate paper's first page."
    )


SPEAKER_HELP = (
    "Who said it: 'speaker' (a participant id: a person, a group or an organisation), 'unnamed_speaker' "
    "(a description such as 'en borger', printed as written) or 'publisher: true' (the publisher's own words)."
)


class Statement(Strict):
    """A quote: who said it, and where and when, as far as that is known."""

    id: Id = Field(description="Unique among all statements.")
    speaker: Id | None = Field(
        default=None,
        description="A participant id (a person, a group or an organisation); credited as consent allows. A warning if the speaker is neither among the event's participants nor its facilitator. "
        + SPEAKER_HELP,
    )
    unnamed_speaker: Text | None = Field(
        default=None, description="A speaker nobody can name, printed as written, e.g. 'en borger'."
    )
    publisher: Flag = Field(
        default=False, description="The publisher's own words, credited to the publication's organisation."
    )
    role: Text | None = Field(
        default=None,
        description="The role the speaker held when it was said, if not their current one; it wins over the event's entry and the participant's current role. Only with 'speaker'.",
    )
    workplace: Text | None = Field(
        default=None,
        description="The workplace the speaker held when it was said; it wins over the event's entry and the participant's current workplace. Only with 'speaker'.",
    )
    source: Id | None = Field(
        default=None,
        description="The id of a source in publication.yaml: where the quote was printed. When it is one of the event's own sources (a report of the meeting), the quote is credited to the event as usual; any other source means it was not necessarily said at the event, so the event's title and date are not printed with it, and the source's publisher is.",
    )
    date: Date | None = Field(
        default=None,
        description="When it was said or printed, if not at the event: 2020, 2020-03, 2020-03-08 or 'ca. 2020-03'; printed instead of the event's date, and the event is then not cited.",
    )
    context: Text | None = Field(
        default=None,
        description="How or where it was said, printed as written, e.g. 'til Fyens.dk', 'i et skriftligt høringssvar'.",
    )
    themes: list[Id] = Field(
        min_length=1,
        max_length=MAX_THEMES_PER_ITEM,
        description="The themes it is filed under (one to five theme ids).",
    )
    text: Text = Field(description="The quote, plain text without quotation marks (the labels add »…«).")
    highlight: Flag = Field(
        default=False,
        description="Prefer it in the debate paper, which shows at most two statements per theme, highlighted ones first.",
    )


class Origin(Strict):
    """Who a proposal came from, beyond the event it is listed under."""

    participants: list[Id] = Field(
        default=[],
        description="Participant ids (people, groups, organisations); only names consent allows are printed: a group's description and an organisation's name always.",
    )
    publisher: Flag = Field(
        default=False, description="The publisher's own proposal, credited to the publication's organisation."
    )


class Proposal(Strict):
    """A proposal for the new employment system."""

    id: Id = Field(description="Unique among all proposals; the anchor #proposal-<id>.")
    title: Text = Field(description="The proposal's heading.")
    themes: list[Id] = Field(
        min_length=1,
        max_length=MAX_THEMES_PER_ITEM,
        description="The themes it is filed under (one to five theme ids).",
    )
    summary: Markdown = Field(description="Printed in both documents (Markdown).")
    rationale: Markdown = Field(default="", description="Printed in the compendium only (Markdown).")
    origin: Origin = Field(
        default=Origin(),
        description="Who the proposal came from, beyond the event; a proposal from no event needs one.",
    )
    status: ProposalStatus = Field(
        default="proposed",
        description="idea, proposed, adopted or rejected; printed as 'Idé', 'Foreslået', 'Vedtaget', 'Forkastet'.",
    )
    debate_paper: Flag = Field(default=False, description="Include it in the debate paper.")


class Wish(Strict):
    """One thing to keep or to get rid of."""

    text: Text = Field(description="The wish, plain text.")
    themes: list[Id] = Field(
        min_length=1,
        max_length=MAX_THEMES_PER_ITEM,
        description="The themes it is filed under (one to five theme ids).",
    )


class Wishes(Strict):
    """What participants want to keep ('bevare') and get rid of ('af med')."""

    keep: list[Wish] = Field(default=[], description="What participants want to keep ('Det vil vi bevare').")
    discard: list[Wish] = Field(default=[], description="What they want to get rid of ('Det vil vi af med').")


class PracticeExample(Strict):
    """How a workplace already does things, as ordered points."""

    id: Id = Field(description="Unique among all practice examples.")
    title: Text = Field(description="The example's heading.")
    organisation: Text = Field(description="The workplace it comes from.")
    introduction: Markdown = Field(default="", description="Printed before the points (Markdown).")
    points: list[Text] = Field(min_length=1, description="Printed as a numbered list; at least one.")
    themes: list[Id] = Field(
        min_length=1,
        max_length=MAX_THEMES_PER_ITEM,
        description="The themes it is filed under (one to five theme ids).",
    )


class EventParticipant(Strict):
    """A participant at an event with the role and workplace they held then."""

    id: Id = Field(description="A participant id.")
    role: Text | None = Field(
        default=None,
        description="Their role at this event, if not their current one; the event's list and its statements print it, everything else the current one. Left out: the current one.",
    )
    workplace: Text | None = Field(
        default=None,
        description="Their workplace at this event; left out: the current one; null: not known then, and nothing is printed.",
    )


class Respondents(Strict):
    """How many a survey asked, and how many answered it."""

    invited: Headcount | None = Field(default=None, description="How many were asked: 1200, or 'ca. 1200'.")
    answered: Headcount = Field(
        description="How many answered: 431, or 'ca. 430'. More answers than invited is an error when both are exact."
    )

    @model_validator(mode="after")
    def _no_more_answers_than_asked(self) -> Respondents:
        """Refuse more answers than people asked, when both are exact."""
        asked, answered = self.invited, self.answered
        if asked and not (asked.approximate or answered.approximate) and answered.value > asked.value:
            fix = _("check the two numbers")
            raise Refused(
                Fault.then(
                    _("{answered} answered, but only {invited} were invited").format(
                        answered=answered.value, invited=asked.value
                    ),
                    fix,
                )
            )
        return self


class Event(Strict):
    """inputs/events/<id>.yaml: a workshop, meeting, panel, survey … and what came of it."""

    id: Id = Field(description="Equal to the file name.")
    kind: Text = Field(
        description="What kind of event, in your own words; a known kind is printed as its label kind_<kind> ('Workshop', 'Møde', 'Borgerpanel', …): "
        + ", ".join(dict.fromkeys(KNOWN_EVENT_KINDS))
        + ". Any other kind is printed as written.",
        json_schema_extra={"examples": list(dict.fromkeys(KNOWN_EVENT_KINDS.values()))},
    )
    title: Text = Field(description="The event's heading; also cited under statements, proposals and in Appendix A.")
    date: Date = Field(description="When it took place, as precisely as known; events are ordered by it. " + DATE_HELP)
    date_note: Text | None = Field(
        default=None,
        description="Printed after the date, e.g. 'artiklen er opdateret 8. december 2021'; when given, statements' credits leave the date out.",
    )
    place: Text | None = Field(
        default=None, description="Where; leave it out when it is not known, and nothing is printed."
    )
    duration: Text | None = Field(default=None, description="E.g. '9 timer'.")
    organiser: Text = Field(description="Who held it.")
    facilitator: Id | None = Field(
        default=None, description="A participant id; printed as the facilitator, as consent allows."
    )
    participants: list[Id | EventParticipant] = Field(
        default=[],
        description="Participant ids, listed as consent allows, anonymous ones counted; or {id, role, workplace} for the role (and workplace) held at this event.",
    )
    participants_count: Headcount | None = Field(
        default=None, description="How many took part: 30, or 'ca. 30' when approximate; printed as 'Antal deltagere'."
    )
    participants_note: Markdown = Field(
        default="", description="Who else took part, as text, after the list (Markdown)."
    )
    respondents: Respondents | None = Field(
        default=None, description="A survey's counts: invited (optional) and answered."
    )
    sources: list[Id] = Field(
        default=[], description="The ids of sources in publication.yaml; printed in the event's facts."
    )
    source: Id | None = Field(
        default=None,
        description="Deprecated: the old spelling of 'sources' with one id. It still works, with a warning; giving both is an error.",
        json_schema_extra={"deprecated": True},
    )
    background: Markdown = Field(description="Why the event was held (Markdown).")
    method: Markdown = Field(
        default="",
        description="How the event worked (Markdown); leave it out when not known, and the heading is left out.",
    )
    photos: list[Photo] = Field(default=[], description="Printed after the method.")
    statements: list[Statement] = Field(
        default=[],
        max_length=MAX_STATEMENTS_PER_EVENT,
        description="Quotes, filed under their themes (at most 500 per event).",
    )
    proposals: list[Proposal] = Field(
        default=[], description="Proposals, filed under their themes and listed in Appendix B."
    )
    wishes: Wishes = Field(default=Wishes(), description="What to keep and what to get rid of.")
    practice_examples: list[PracticeExample] = Field(default=[], description="How a workplace already does things.")

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

    id: Id = Field(description="Equal to the file name.")
    title: Text | None = Field(default=None, description="What the file holds, for the editors; not printed.")
    statements: list[Statement] = Field(
        default=[],
        max_length=MAX_STATEMENTS_PER_EVENT,
        description="As in an event. Each needs to say where it comes from: a source, a context, or 'publisher: true'.",
    )
    proposals: list[Proposal] = Field(
        default=[], description="As in an event. Each needs an origin: participants or 'publisher: true'."
    )


class Teller(Strict):
    """Who tells a story: a registered participant, a name with its own consent, or a source (a press report)."""

    participant: Id | None = Field(
        default=None,
        description="A participant id; their entry and consent decide what is printed. Combining it with name, role, workplace or consent is an error.",
    )
    source: Id | None = Field(
        default=None,
        description="The id of a source in publication.yaml: the press report the story is taken from. Alone, the story is credited to the source's publisher ('Fortæller: Fyens.dk'); with a person's fields and consent, the person as consent allows, and 'Gengivet i Fyens.dk'.",
    )
    name: Text | None = Field(
        default=None,
        description="The teller's name, when they are not a participant; required when consent is 'named'.",
    )
    role: Text | None = Field(default=None, description="The teller's role.")
    workplace: Text | None = Field(default=None, description="The teller's workplace.")
    consent: Consent | None = Field(
        default=None,
        description="What may be printed: required without participant, unless source is given alone. " + CONSENT_HELP,
    )


class Story(Strict):
    """inputs/stories/<id>.yaml: a good story from a job centre."""

    id: Id = Field(description="Equal to the file name.")
    title: Text = Field(description="The story's heading.")
    workplace: Text | None = Field(
        default=None, description="Where it happened, when that is known; printed with the story."
    )
    municipality: Text | None = Field(default=None, description="Not printed by the default templates.")
    teller: Teller = Field(
        description="Who tells it: a participant alone; a person who is not a participant, with their own consent; or, for a story from a press report, a source."
    )
    date: Date = Field(description="When it was told, as precisely as known; stories are ordered by it. " + DATE_HELP)
    event: Id | None = Field(
        default=None, description="The event id the story was collected at, if any; printed as 'Indsamlet ved …'."
    )
    themes: list[Id] = Field(
        min_length=1,
        max_length=MAX_THEMES_PER_ITEM,
        description="The themes it is filed under, printed under the story (one to five theme ids).",
    )
    body: Markdown = Field(description="The story (Markdown).")
    photo: Photo | None = Field(default=None, description="Printed before the body.")
    example: Flag = Field(
        default=False,
        description="Marks invented example content; prints 'Eksempel: denne historie er opdigtet til at vise formatet.'",
    )


class Project(Strict):
    """compendium.yaml at the project root: where things are."""

    inputs: Text = Field(default="inputs", description="The folder with the input files, relative to compendium.yaml.")
    templates: Text = Field(default="templates", description="The folder with template overrides (it need not exist).")
    output: Text = Field(default="build", description="The default output folder.")


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
