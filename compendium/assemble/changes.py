"""Stage 3, changes data: what changed between two versions of the inputs, for the changes appendix and `diff`.

Items with ids are matched by id; wishes, which have none, are matched by
their place in each event's keep and discard lists. A changed text is shown
as a word diff: runs of kept, removed and added words.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from compendium.consent import CONTENT_CHECKS, Edition, old_text_redactor, without_withdrawn
from compendium.content import model as m
from compendium.content.revision import Revision, content_at, repository_root, resolve
from compendium.content.validate import Content
from compendium.project import Project

Action = Literal["added", "removed", "reworded"]
ACTIONS: tuple[Action, ...] = ("added", "removed", "reworded")
Op = Literal["=", "-", "+", "…"]
KINDS = ("proposal", "statement", "story", "keep", "discard")
KIND_NAMES = {
    "proposal": ("proposal", "proposals"),
    "statement": ("statement", "statements"),
    "story": ("story", "stories"),
    "keep": ("wish to keep", "wishes to keep"),
    "discard": ("wish to get rid of", "wishes to get rid of"),
}
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


@dataclass
class Changes:
    """Every change between two versions, in a stable order."""

    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        """Return the changes to one kind of item."""
        return [c for c in self.changes if c.kind == kind]

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


# --- matching items ---------------------------------------------------------

# The text fields compared for each kind of item, and the field that labels it.
FIELDS = {
    "proposal": ("title", "summary", "rationale", "status"),
    "statement": ("text",),
    "story": ("title", "workplace", "body"),
}
LABELS = {"proposal": "title", "statement": "text", "story": "title"}


def _text(item: m.BaseModel, name: str) -> str:
    """Read a text field of an item."""
    return str(getattr(item, name))


def _field_changes(old: m.BaseModel, new: m.BaseModel, fields: Iterable[str]) -> tuple[FieldChange, ...]:
    """Return a word diff for every field whose words differ."""
    return tuple(
        FieldChange(name, word_diff(_text(old, name), _text(new, name)), _text(old, name), _text(new, name))
        for name in fields
        if words(_text(old, name)) != words(_text(new, name))
    )


Located = tuple[m.Event | None, m.BaseModel]  # an item and the event it is listed under


def _by_id(kind: str, old: dict[str, Located], new: dict[str, Located]) -> list[Change]:
    """Compare proposals, statements or stories matched by id."""
    fields, label = FIELDS[kind], LABELS[kind]
    changes = []
    for ident in sorted(old.keys() | new.keys()):
        event, item = new.get(ident) or old[ident]
        event_id, title = (event.id, event.title) if event else (None, None)
        if ident not in old:
            changes.append(Change(kind, "added", ident, _text(item, label), event_id, (), title))
        elif ident not in new:
            changes.append(Change(kind, "removed", ident, _text(item, label), event_id, (), title))
        elif diffs := _field_changes(old[ident][1], item, fields):
            changes.append(Change(kind, "reworded", ident, _text(item, label), event_id, diffs, title))
    return changes


def _wishes(kind: Literal["keep", "discard"], old: Content, new: Content) -> list[Change]:
    """Compare each event's wishes by their place in the list, as wishes have no ids."""
    before = {e.id: (e, [w.text for w in getattr(e.wishes, kind)]) for e in old.events}
    after = {e.id: (e, [w.text for w in getattr(e.wishes, kind)]) for e in new.events}
    changes = []
    for ident in sorted(before.keys() | after.keys()):
        event = (after.get(ident) or before[ident])[0]
        a, b = before.get(ident, (None, []))[1], after.get(ident, (None, []))[1]

        def change(action: Action, text: str, fields: tuple[FieldChange, ...] = (), event: m.Event = event) -> Change:
            return Change(kind, action, event.id, text, event.id, fields, event.title)

        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            # A wish replaced in place is the same wish reworded.
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for x, y in zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True):
                changes.append(change("reworded", y, (FieldChange("text", word_diff(x, y), x, y),)))
            changes += [change("removed", text) for text in a[i1 + pairs : i2]]
            changes += [change("added", text) for text in b[j1 + pairs : j2]]
    return changes


def _items(content: Content, kind: str) -> dict[str, Located]:
    """Index proposals, statements or stories by id, with the event they belong to."""
    if kind == "story":
        return {s.id: (None, s) for s in content.stories}
    found: dict[str, Located] = {}
    for event in content.events:
        items: Iterable[m.BaseModel] = event.proposals if kind == "proposal" else event.statements
        found.update({item.id: (event, item) for item in items})  # type: ignore[attr-defined]
    for collection in content.collections:
        loose: Iterable[m.BaseModel] = collection.proposals if kind == "proposal" else collection.statements
        found.update({item.id: (None, item) for item in loose})  # type: ignore[attr-defined]
    return found


def compare(old: Content, new: Content) -> Changes:
    """List what was added, removed and reworded from one version of the inputs to another."""
    changes: list[Change] = []
    for kind in ("proposal", "statement", "story"):
        changes += _by_id(kind, _items(old, kind), _items(new, kind))
    changes += _wishes("keep", old, new)
    changes += _wishes("discard", old, new)
    return Changes(changes)


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
    # Statements and stories left out for withdrawn consent are judged as the documents judge them.
    changes = compare(without_withdrawn(old), without_withdrawn(content))
    # A story left out for withdrawn consent is listed as removed, but not by its title.
    still_there = {s.id for s in content.stories}
    changes = Changes(
        [
            replace(c, label="") if c.kind == "story" and c.action == "removed" and c.ident in still_there else c
            for c in changes.changes
        ]
    )
    return Comparison(revision, None, redact(changes, old_text_redactor(old, content, edition, withheld)))


def redact(changes: Changes, clean: Callable[[str], str]) -> Changes:
    """Pass every label and word diff through a redactor of withheld names."""
    return Changes(
        [
            replace(
                c,
                label=clean(c.label),
                fields=tuple(
                    replace(
                        f,
                        pieces=tuple(Piece(p.op, clean(p.text)) for p in f.pieces),
                        old=clean(f.old),
                        new=clean(f.new),
                    )
                    for f in c.fields
                ),
            )
            for c in changes.changes
        ]
    )
