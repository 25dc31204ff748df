"""The open-data package: a Frictionless data package of what the public edition publishes.

Made from the template context, which is assembled from the public view only, so each row holds
what the edition prints and nothing consent withholds: a speaker or teller is credited as the
documents credit them (a description, or "a participant", where no name may be shown). Every
resource is written as CSV (in datapackage.json) and as JSON beside it, rows sorted, with one
schema that also writes the Danish README.md, so the description of a field cannot drift from it.
The same context gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from compendium.assemble.context import Context, Person
from compendium.content import model as m

Row = dict[str, Any]
# Table Schema's types, and what the README calls them.
TYPES = {"string": "tekst", "integer": "heltal", "boolean": "sand/falsk", "array": "liste (JSON)"}
MARKDOWN = "tekst i Markdown"


@dataclass(frozen=True)
class Column:
    """One field of a resource: its name, Table Schema type and Danish description."""

    name: str
    type: str
    description: str
    markdown: bool = False


@dataclass(frozen=True)
class Table:
    """One resource: its name, Danish title, columns, and how its rows are read from the context."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Context], list[Row]]


def _text(value: str | None) -> str | None:
    """Write a missing or empty text as null (an empty CSV cell)."""
    return value or None


def _credit(who: Person, context: Context) -> str:
    """Credit a person as the documents do: as much of name, role and workplace as consent shows."""
    return who.credit(context.labels)


def _date(value: Any) -> str | None:
    """Write a partial date as the inputs give it (ISO 8601, '~' after an approximate one)."""
    return value.isoformat() if value is not None else None


def _event_id(event: m.Event | None) -> str | None:
    """Name an event by its id, or null for none."""
    return event.id if event is not None else None


def _themes(context: Context) -> list[Row]:
    """Return the themes, in chapter order."""
    return [
        {"id": t.theme.id, "title": t.theme.title, "introduction": t.theme.introduction, "questions": t.theme.questions}
        for t in context.themes
    ]


def _events(context: Context) -> list[Row]:
    """Return the events, with the people the edition lists credited as printed."""
    rows = []
    for view in context.events:
        event = view.event
        count = event.participants_count
        rows.append(
            {
                "id": event.id, "kind": event.kind, "title": event.title, "date": _date(event.date),
                "date_note": _text(event.date_note), "place": _text(event.place), "duration": _text(event.duration),
                "organiser": event.organiser,
                "facilitator": _credit(view.facilitator, context) if view.facilitator else None,
                "participants": [_credit(who, context) for who, n in view.people for _ in range(n)],
                "unnamed_participants": view.anonymous_count,
                "participants_count": count.value if count is not None else None,
                "background": event.background, "method": _text(event.method),
            }
        )  # fmt: skip
    return sorted(rows, key=lambda row: row["id"])


def _proposals(context: Context) -> list[Row]:
    """Return every proposal, with who it is credited to."""
    rows = [
        {
            "id": v.proposal.id, "title": v.proposal.title, "themes": list(v.proposal.themes),
            "event": _event_id(v.event), "summary": v.proposal.summary, "rationale": _text(v.proposal.rationale),
            "status": v.proposal.status, "credited": [_credit(who, context) for who in v.people],
            "debate_paper": v.proposal.debate_paper,
        }
        for v in context.proposals
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (row["event"] or "", row["id"]))


def _statements(context: Context) -> list[Row]:
    """Return every statement once, with its speaker and provenance as printed."""
    seen = {}
    for theme in context.themes:
        for v in theme.statements:
            st, where = v.statement, v.provenance
            seen[(_event_id(v.event), st.id)] = {
                "id": st.id, "event": _event_id(v.event), "text": st.text, "speaker": _credit(v.speaker, context),
                "date": _date(where.date), "where": _text(where.where),
                "source": where.source.id if where.source else None, "themes": list(st.themes),
                "highlight": st.highlight,
            }  # fmt: skip
    return [seen[key] for key in sorted(seen, key=lambda key: (key[0] or "", key[1]))]


def _wishes(context: Context) -> list[Row]:
    """Return every wish once: what the participants want to keep and to be rid of."""
    seen = {}
    for theme in context.themes:
        for kind, views in (("keep", theme.keep), ("discard", theme.discard)):
            for v in views:
                row = {"event": v.event.id, "kind": kind, "text": v.wish.text, "themes": list(v.wish.themes)}
                seen[(v.event.id, kind, v.wish.text)] = row
    return [seen[key] for key in sorted(seen)]


def _examples(context: Context) -> list[Row]:
    """Return every practice example once."""
    seen = {}
    for theme in context.themes:
        for v in theme.examples:
            ex = v.example
            seen[(v.event.id, ex.id)] = {
                "id": ex.id, "event": v.event.id, "title": ex.title, "organisation": ex.organisation,
                "introduction": _text(ex.introduction), "points": list(ex.points), "themes": list(ex.themes),
            }  # fmt: skip
    return [seen[key] for key in sorted(seen)]


def _stories(context: Context) -> list[Row]:
    """Return the stories, each teller credited as printed and the workplace only where the edition shows it."""
    rows = [
        {
            "id": v.story.id, "title": v.story.title, "date": _date(v.story.date), "teller": _credit(v.teller, context),
            "workplace": _text(v.workplace), "event": v.story.event, "themes": list(v.story.themes),
            "body": v.story.body, "source": v.source.id if v.source else None, "example": v.story.example,
        }
        for v in context.stories
    ]  # fmt: skip
    return sorted(rows, key=lambda row: row["id"])


def _key_figures(context: Context) -> list[Row]:
    """Return the key figures."""
    rows = [
        {"id": k.id, "label": k.label, "value": k.value, "source": k.source, "note": _text(k.note)}
        for k in context.key_figures
    ]
    return sorted(rows, key=lambda row: row["id"])


def _sources(context: Context) -> list[Row]:
    """Return the sources the publication cites."""
    rows = [
        {"id": s.id, "title": s.title, "publisher": s.publisher, "date": _date(s.date), "url": _text(s.url),
         "note": _text(s.note)}
        for s in context.sources.values()
    ]  # fmt: skip
    return sorted(rows, key=lambda row: row["id"])


def _c(name: str, kind: str, description: str, markdown: bool = False) -> Column:
    """Describe one column."""
    return Column(name, kind, description, markdown)


ID = _c("id", "string", "Id'et fra inddata.")
EVENT = _c("event", "string", "Id'et på det arrangement, det stammer fra (se events).")
THEMES = _c("themes", "array", "Id'erne på de temaer, det hører under (se themes).")
SOURCE = _c("source", "string", "Id'et på kilden (se sources).")
TABLES = (
    Table("themes", "Temaer", (
        ID, _c("title", "string", "Temaets titel."),
        _c("introduction", "string", "Temaets indledning.", True),
        _c("questions", "array", "Spørgsmål til debat."),
    ), _themes),
    Table("events", "Arrangementer", (
        ID, _c("kind", "string", "Slags arrangement, fx workshop."), _c("title", "string", "Titel."),
        _c("date", "string", "Dato som ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD; '~' efter en omtrentlig dato."),
        _c("date_note", "string", "Bemærkning til datoen."), _c("place", "string", "Sted; tomt, hvis ukendt."),
        _c("duration", "string", "Varighed."), _c("organiser", "string", "Arrangør."),
        _c("facilitator", "string", "Facilitator, som udgivelsen krediterer vedkommende."),
        _c("participants", "array", "Deltagerne, som udgivelsen nævner dem (navn kun med samtykke)."),
        _c("unnamed_participants", "integer", "Deltagere, udgivelsen ikke nævner."),
        _c("participants_count", "integer", "Antal deltagere i alt, hvis kendt."),
        _c("background", "string", "Baggrund.", True), _c("method", "string", "Metode.", True),
    ), _events),
    Table("proposals", "Forslag", (
        ID, _c("title", "string", "Forslagets titel."), THEMES, EVENT,
        _c("summary", "string", "Resumé.", True), _c("rationale", "string", "Begrundelse.", True),
        _c("status", "string", "Status: proposed, adopted, rejected m.fl."),
        _c("credited", "array", "Hvem forslaget krediteres, som udgivelsen skriver det."),
        _c("debate_paper", "boolean", "Om forslaget er med i debatoplægget."),
    ), _proposals),
    Table("statements", "Udsagn", (
        ID, EVENT, _c("text", "string", "Udsagnet, ordret."),
        _c("speaker", "string", "Hvem der sagde det, som udgivelsen skriver det: navn kun med samtykke, "
           "ellers rolle og arbejdsplads, en beskrivelse eller 'en deltager'."),
        _c("date", "string", "Hvornår det blev sagt, hvis kendt (ÅÅÅÅ-MM-DD eller kortere)."),
        _c("where", "string", "Hvor det blev sagt, hvis det ikke var ved arrangementet."), SOURCE, THEMES,
        _c("highlight", "boolean", "Om udsagnet er fremhævet til debatoplægget."),
    ), _statements),
    Table("wishes", "Ønsker", (
        EVENT, _c("kind", "string", "keep: det vil vi bevare; discard: det vil vi af med."),
        _c("text", "string", "Ønsket."), THEMES,
    ), _wishes),
    Table("practice_examples", "Eksempler fra praksis", (
        ID, EVENT, _c("title", "string", "Titel."), _c("organisation", "string", "Hvor eksemplet er fra."),
        _c("introduction", "string", "Indledning.", True), _c("points", "array", "Eksemplets punkter."), THEMES,
    ), _examples),
    Table("stories", "Gode historier", (
        ID, _c("title", "string", "Historiens titel."), _c("date", "string", "Hvornår (ÅÅÅÅ-MM-DD eller kortere)."),
        _c("teller", "string", "Fortælleren, som udgivelsen skriver det: navn kun med samtykke."),
        _c("workplace", "string", "Arbejdspladsen; tomt, hvor den ville afsløre en anonym fortæller."),
        EVENT, THEMES, _c("body", "string", "Historien.", True), SOURCE,
        _c("example", "boolean", "Sand for opdigtet eksempelindhold."),
    ), _stories),
    Table("key_figures", "Nøgletal", (
        ID, _c("label", "string", "Hvad tallet er."), _c("value", "string", "Tallet, som det trykkes."), SOURCE,
        _c("note", "string", "Bemærkning."),
    ), _key_figures),
    Table("sources", "Kilder", (
        ID, _c("title", "string", "Titel."), _c("publisher", "string", "Udgiver."),
        _c("date", "string", "Dato (ÅÅÅÅ-MM-DD eller kortere)."), _c("url", "string", "Adresse, hvis der er en."),
        _c("note", "string", "Bemærkning."),
    ), _sources),
)  # fmt: skip


def data_package(context: Context) -> dict[str, str]:
    """Return the package's files by name: datapackage.json, README.md, and a CSV and a JSON file per resource."""
    files = {"datapackage.json": _json(_descriptor(context)), "README.md": readme(context)}
    for table in TABLES:
        rows = table.rows(context)
        files[f"{table.name}.csv"] = _csv(table, rows)
        files[f"{table.name}.json"] = _json(rows)
    return dict(sorted(files.items()))


def _descriptor(context: Context) -> dict[str, Any]:
    """Describe the package and each resource with its schema (Frictionless Data Package v1)."""
    publication = context.publication
    resources = []
    for table in TABLES:
        schema: dict[str, Any] = {"fields": [_field(c) for c in table.columns]}
        if ID in table.columns and EVENT not in table.columns:  # an id is unique only within its event
            schema["primaryKey"] = ["id"]
        for fmt in ("csv", "json"):
            name = table.name.replace("_", "-") + ("" if fmt == "csv" else "-json")
            resources.append(
                {"name": name, "title": table.title, "path": f"{table.name}.{fmt}", "format": fmt,
                 "mediatype": "text/csv" if fmt == "csv" else "application/json", "encoding": "utf-8",
                 "schema": schema}
            )  # fmt: skip
    return {
        "name": "compendium",
        "title": publication.title,
        "description": publication.subtitle or publication.title,
        "version": publication.version,
        "contributors": [{"title": publication.organisation, "role": "publisher"}],
        "resources": resources,
    }


def _field(column: Column) -> dict[str, Any]:
    """Write one column as a Table Schema field."""
    description = column.description + (" Markdown." if column.markdown else "")
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": description}
    return field | ({"constraints": {"required": True}} if column is ID else {})


def _json(value: Any) -> str:
    """Write JSON the same way every time: two-space indent, UTF-8 as written, a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _csv(table: Table, rows: Iterable[Row]) -> str:
    """Write a resource as CSV (RFC 4180, LF line ends), a list as its JSON text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([_cell(row[c.name]) for c in table.columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    """Write one value as a CSV cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def readme(context: Context) -> str:
    """Write the Danish README.md: what the package is, and every field of every file, from the schemas."""
    publication = context.publication
    lines = [
        f"# Åbne data: {publication.title}",
        "",
        f"Udgivet af {publication.organisation}, version {publication.version}. Dataene er de samme, som den "
        "offentlige udgave af kompendiet og debatoplægget trykker: navne og andet, som en deltagers samtykke ikke "
        "tillader, er udeladt, og trukne udsagn og historier er ikke med.",
        "",
        "Pakken er en Frictionless Data Package (datapackage.json). Hver fil findes som CSV (UTF-8, komma som "
        "skilletegn) og som JSON med de samme felter. I CSV-filerne er en liste skrevet som JSON, fx "
        '`["tillid", "faglighed"]`. Et felt uden værdi er tomt i CSV og `null` i JSON.',
        "",
        "Id'erne er dem, redaktionen har givet i inddata; de er entydige inden for et arrangement (udsagn, forslag "
        "og eksempler) eller i hele filen (de øvrige).",
    ]
    for table in TABLES:
        lines += ["", f"## {table.title}: `{table.name}.csv`, `{table.name}.json`", ""]
        lines += ["| Felt | Type | Beskrivelse |", "|---|---|---|"]
        for column in table.columns:
            kind = MARKDOWN if column.markdown else TYPES[column.type]
            lines.append(f"| `{column.name}` | {kind} | {column.description} |")
    return "\n".join(lines) + "\n"
