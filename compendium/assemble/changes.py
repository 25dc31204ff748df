"""Stage 3, changes data: what changed between two versions of the inputs, for the changes appendix and `diff`.

One comparison, `changes_between`, serves both, so they agree on every change.
It compares public views (consent/public.py), never the raw inputs: what it
reports is what an edition printed then and prints now, judged by today's
consent, so no withheld name, workplace or withdrawn text can come back
through it. Items removed or changed only because consent changed are
reported too, without their old text.

The comparison walks the models: every printed field of every item is
compared (ids, file paths and consents are not printed; see
consent.is_printed), so a field added to the model is covered without a line
here. Items with ids are matched by id; items without (wishes, photos,
editors) by their place in their list. A changed text is shown as a word diff:
runs of kept, removed and added words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel

from compendium.consent import (
    CONTENT_CHECKS,
    Edition,
    is_printed,
    judged_by_today,
    old_text_redactor,
    public_view,
)
from compendium.content import model as m
from compendium.content.revision import Revision, content_at, repository_root, resolve
from compendium.content.validate import Content
from compendium.project import Project

Action = Literal["added", "removed", "reworded"]
ACTIONS: tuple[Action, ...] = ("added", "removed", "reworded")
Op = Literal["=", "-", "+", "…"]
# The kinds of item in print order; a kind the model gains later comes after them.
KINDS = (
    "publication",
    "editors",
    "source",
    "theme",
    "key_figure",
    "event",
    "photos",
    "practice_example",
    "proposal",
    "statement",
    "keep",
    "discard",
    "story",
)
KIND_NAMES = {
    "publication": ("publication", "publication"),
    "editors": ("editor", "editors"),
    "source": ("source", "sources"),
    "theme": ("theme", "themes"),
    "key_figure": ("key figure", "key figures"),
    "event": ("event", "events"),
    "photos": ("photo", "photos"),
    "practice_example": ("practice example", "practice examples"),
    "proposal": ("proposal", "proposals"),
    "statement": ("statement", "statements"),
    "story": ("story", "stories"),
    "keep": ("wish to keep", "wishes to keep"),
    "discard": ("wish to get rid of", "wishes to get rid of"),
}
# The field that names an item in a list of changes, the first one it has.
LABEL_FIELDS = ("title", "label", "text", "caption", "name")
# Words of unchanged text kept on each side of a change; longer runs are cut to "…".
CONTEXT_WORDS = 6


@dataclass(frozen=True)
class Piece:
    """A run of words that was kept ('='), removed ('-'), added ('+'), or left out ('…')."""

    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One reworded field of an item, as a word diff."""

    name: str
    pieces: tuple[Piece, ...]
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Change:
    """One item added, removed or reworded."""

    kind: str
    action: Action
    ident: str
    label: str
    event: str | None = None
    fields: tuple[FieldChange, ...] = ()
    event_title: str | None = None
    consent: bool = False  # removed or changed because consent changed: no old text is shown
    own_id: bool = True  # False for items matched by their place in a list (ident is then their event's)


@dataclass
class Changes:
    """Every change between two versions, in a stable order."""

    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        """Return the changes to one kind of item."""
        return [c for c in self.changes if c.kind == kind]

    def kinds(self) -> list[str]:
        """Return the kinds of item that changed, in print order."""
        found = {c.kind for c in self.changes}
        return [k for k in KINDS if k in found] + sorted(found - set(KINDS))

    def count(self, action: Action) -> int:
        """Count the changes of one action."""
        return sum(1 for c in self.changes if c.action == action)

    def __bool__(self) -> bool:
        return bool(self.changes)


def words(text: str) -> list[str]:
    """Split a text into words; line breaks and runs of spaces count as one space."""
    return text.split()


def word_diff(old: str, new: str, context: int | None = CONTEXT_WORDS) -> tuple[Piece, ...]:
    """Diff two texts word by word; with a context, long unchanged runs are shortened to '…'."""
    a, b = words(old), words(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("-", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("+", " ".join(b[j1:j2])))
    return tuple(_shorten(pieces, context)) if context is not None else tuple(pieces)


def _shorten(pieces: list[Piece], context: int) -> list[Piece]:
    """Cut unchanged runs down to a few words of context around each change."""
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        run = piece.text.split(" ")
        if piece.op != "=" or len(run) <= 2 * context:
            out.append(piece)
            continue
        first, last = i == 0, i == len(pieces) - 1
        head = [] if first else run[:context]
        tail = [] if last else run[-context:]
        if head:
            out.append(Piece("=", " ".join(head)))
        out.append(Piece("…", "…"))
        if tail:
            out.append(Piece("=", " ".join(tail)))
    return out


# --- the items of a version, found by walking its models ---------------------


@dataclass(frozen=True)
class Item:
    """One thing printed: its kind, its id (or its event's), its printed texts, and the event it is listed under."""

    kind: str
    ident: str
    texts: dict[str, str]
    event: m.Event | None
    own_id: bool = True


def _snake(name: str) -> str:
    """Turn a model's class name into a kind: KeyFigure → key_figure."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@functools.cache
def _list_of(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """Return the model a field holds a list of, or None when it holds no list of models."""
    annotation = model.model_fields[name].annotation
    if typing.get_origin(annotation) is list:
        (inner,) = typing.get_args(annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return None


def _text(value: Any) -> str:
    """Return a printed value as text: a list line by line, a date in ISO form, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _walk(obj: BaseModel, prefix: str, texts: dict[str, str], lists: list[tuple[str, list[BaseModel]]]) -> None:
    """Collect an item's printed texts, its single parts' as 'part.field'; and its lists of items."""
    model = type(obj)
    for name in model.model_fields:
        if not is_printed(model, name):
            continue
        value = getattr(obj, name)
        if _list_of(model, name) is not None:
            lists.append((name, value))
        elif isinstance(value, BaseModel):
            _walk(value, f"{prefix}{name}.", texts, lists)
        elif not isinstance(value, bool):  # flags choose where an item goes; they are not text
            texts[prefix + name] = _text(value)


def _items(obj: BaseModel, kind: str, ident: str, event: m.Event | None, own_id: bool = True) -> Iterator[Item]:
    """Yield an item and every item listed in it."""
    texts: dict[str, str] = {}
    lists: list[tuple[str, list[BaseModel]]] = []
    _walk(obj, "", texts, lists)
    if not isinstance(obj, CONTAINERS):
        yield Item(kind, ident, texts, event, own_id)
    event = obj if isinstance(obj, m.Event) else event  # what an event lists is listed under it
    for name, values in lists:
        for value in values:
            has_id = "id" in type(value).model_fields
            sub = _snake(type(value).__name__) if has_id else name
            yield from _items(value, sub, str(getattr(value, "id", ident)), event, has_id)


def items(content: Content) -> list[Item]:
    """List every printed item of a version: the publication, and each item of each list the content holds."""
    found: list[Item] = []
    for part in dataclasses.fields(content):
        value = getattr(content, part.name)
        if isinstance(value, BaseModel):
            found += _items(value, _snake(type(value).__name__), "", None)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    found += _items(item, _snake(type(item).__name__), getattr(item, "id", ""), None)
    # The participants registry is not walked: people are printed only as consent shows them, in credits.
    return found


# Models that only hold items: a statements file's statements and proposals, from no event, are compared;
# the file itself (its title is for the editors) is not printed.
CONTAINERS: tuple[type[BaseModel], ...] = (m.Collection,)
# The models a Content holds, each a kind of item of its own (the participants' register is not compared).
ROOT_MODELS: tuple[type[BaseModel], ...] = (m.Publication, m.Theme, m.KeyFigure, m.Event, m.Story)


def printed_fields() -> dict[str, set[str]]:
    """Map each kind of item the comparison can report to the names of the fields it can report, from the models."""
    found: dict[str, set[str]] = {}
    for model in ROOT_MODELS:
        _fields_of(model, _snake(model.__name__), "", found)
    return found


def _fields_of(model: type[BaseModel], kind: str, prefix: str, found: dict[str, set[str]]) -> None:
    """Collect the printed fields of a model, as _walk finds them in its items."""
    for name, info in model.model_fields.items():
        if not is_printed(model, name):
            continue
        listed = _list_of(model, name)
        parts = [a for a in (info.annotation, *typing.get_args(info.annotation)) if _is_model(a)]
        if listed is not None:
            _fields_of(listed, _snake(listed.__name__) if "id" in listed.model_fields else name, "", found)
        elif parts:
            _fields_of(parts[0], kind, f"{prefix}{name}.", found)
        elif info.annotation is not bool:
            found.setdefault(kind, set()).add(prefix + name)


def _is_model(annotation: Any) -> bool:
    """Tell whether a type annotation is a model class."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _label(item: Item) -> str:
    """Name an item by its first label field."""
    return next((item.texts[f] for f in LABEL_FIELDS if item.texts.get(f)), "")


def _change(action: Action, item: Item, fields: tuple[FieldChange, ...] = ()) -> Change:
    """Describe one change to an item."""
    event_id, title = (item.event.id, item.event.title) if item.event else (None, None)
    return Change(item.kind, action, item.ident, _label(item), event_id, fields, title, own_id=item.own_id)


def _field_changes(old: Item, new: Item) -> tuple[FieldChange, ...]:
    """Return a word diff for every printed field whose words differ."""
    return tuple(
        FieldChange(name, word_diff(old.texts.get(name, ""), text), old.texts.get(name, ""), text)
        for name, text in {**dict.fromkeys(old.texts, ""), **new.texts}.items()
        if words(old.texts.get(name, "")) != words(text)
    )


def compare(old: Content, new: Content) -> Changes:
    """List what was added, removed and reworded from one version of the content to another, field by field."""
    before, after = items(old), items(new)
    changes = _by_id(
        {(i.kind, i.ident): i for i in before if i.own_id}, {(i.kind, i.ident): i for i in after if i.own_id}
    )
    changes += _by_place(before, after)
    return Changes(sorted(changes, key=_print_order))


def _by_id(before: dict[tuple[str, str], Item], after: dict[tuple[str, str], Item]) -> list[Change]:
    """Compare the items with ids, matched by kind and id."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            changes.append(_change("added", after[key]))
        elif key not in after:
            changes.append(_change("removed", before[key]))
        elif diffs := _field_changes(before[key], after[key]):
            changes.append(_change("reworded", after[key], diffs))
    return changes


def _by_place(before: list[Item], after: list[Item]) -> list[Change]:
    """Compare the items without ids (wishes, photos, editors) by their place in their list."""
    groups: dict[tuple[str, str], tuple[list[Item], list[Item]]] = {}
    for side, found in enumerate((before, after)):
        for item in found:
            if not item.own_id:
                groups.setdefault((item.kind, item.ident), ([], []))[side].append(item)
    changes = []
    for key in sorted(groups):
        a, b = groups[key]
        old_texts = [tuple(i.texts.items()) for i in a]
        new_texts = [tuple(i.texts.items()) for i in b]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            # An item replaced in place is the same item reworded.
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            changes += [
                _change("reworded", y, _field_changes(x, y))
                for x, y in zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True)
            ]
            changes += [_change("removed", x) for x in a[i1 + pairs : i2]]
            changes += [_change("added", y) for y in b[j1 + pairs : j2]]
    return changes


@dataclass(frozen=True)
class Comparison:
    """Two versions of a project's inputs and what changed between them."""

    old: Revision
    new: Revision | None  # None: the working tree
    changes: Changes


def appendix_changes(
    project: Project, name: str, content: Content, withheld: str, edition: Edition = "public"
) -> Comparison:
    """Compare a revision with the content being built, as the edition may print it."""
    revision = resolve(repository_root(project.root), name)
    old = content_at(project.root, revision, checks=CONTENT_CHECKS)
    return Comparison(revision, None, changes_between(old, content, edition, withheld))


def changes_between(old: Content, new: Content, edition: Edition, withheld: str) -> Changes:
    """Compare two versions as the edition prints them, judged by today's consent; withheld replaces old names.

    `then` is what the old edition printed; `today` the same old content as
    today's consent lets it be printed; `now` the new content's public view.
    today → now is what the editors changed; then → today is what consent
    changed, which is reported without the old text.
    """
    redact = old_text_redactor(old, new, edition, withheld)
    then = public_view(old, edition, redact).content
    today = public_view(judged_by_today(old, new), edition, redact).content
    now = public_view(new, edition, redact).content
    return _merged(compare(today, now).changes + [_by_consent(c) for c in compare(then, today).changes])


def _by_consent(change: Change) -> Change:
    """Mark a change consent made, and drop the old text: it may no longer be printed."""
    if change.action == "removed":
        return replace(change, label="", fields=(), consent=True)
    fields = tuple(FieldChange(f.name, (Piece("+", f.new),) if f.new else (), "", f.new) for f in change.fields)
    return replace(change, fields=fields, consent=True)


def _merged(changes: list[Change]) -> Changes:
    """Join the rewordings of one item (by the editors and by consent) into one change; sort them in print order."""
    out: list[Change] = []
    reworded: dict[tuple[str, str], int] = {}
    for c in changes:
        key = (c.kind, c.ident)
        if c.action == "reworded" and c.own_id and key in reworded:
            at = reworded[key]
            out[at] = replace(out[at], fields=out[at].fields + c.fields, consent=out[at].consent or c.consent)
            continue
        if c.action == "reworded" and c.own_id:
            reworded[key] = len(out)
        out.append(c)
    return Changes(sorted(out, key=_print_order))


def _print_order(change: Change) -> tuple[int, str, str]:
    """Sort changes by kind, in print order, then by id (a stable sort keeps a list's own order)."""
    return KINDS.index(change.kind) if change.kind in KINDS else len(KINDS), change.kind, change.ident
