"""`compendium diff`: what changed between two versions of the inputs, as lines of text.

The comparison itself is assemble/changes.py's changes_between, which the changes
appendix uses too: both compare what the public edition prints, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from compendium.assemble.changes import ACTIONS, KIND_NAMES, Change, Changes, Comparison, Op, Piece, changes_between
from compendium.consent import CONTENT_CHECKS
from compendium.content.revision import Revision, RevisionInputError, content_at, repository_root, resolve_range
from compendium.content.validate import load_content
from compendium.errors import InputError
from compendium.messages import _
from compendium.project import Project

# --- plain text -------------------------------------------------------------

Style = Callable[[str, Op], str]
# What stands in old text for a name the public edition may no longer print.
NAME_WITHHELD = "[name withheld]"


def plain(text: str, op: Op) -> str:
    """Mark removed and added words the way `git diff --word-diff` does."""
    return {"-": f"[-{text}-]", "+": f"{{+{text}+}}"}.get(op, text)


def coloured(text: str, op: Op) -> str:
    """Colour removed words red and added words green, for a terminal."""
    return {"-": f"\033[31;9m{text}\033[0m", "+": f"\033[32m{text}\033[0m", "…": f"\033[2m{text}\033[0m"}.get(op, text)


def format_pieces(pieces: Iterable[Piece], style: Style = plain) -> str:
    """Join a word diff into one line; a replacement reads "[-old-]{+new+}", with no space between."""
    # Colours alone do not separate the words of a replacement; brackets do.
    tight = style is plain
    out = ""
    previous: Op | None = None
    for piece in pieces:
        if previous is not None and not (tight and previous == "-" and piece.op == "+"):
            out += " "
        out += style(piece.text, piece.op)
        previous = piece.op
    return out


def format_changes(changes: Changes, style: Style = plain) -> list[str]:
    """Render the changes as lines of text, grouped by kind, in print order."""
    lines: list[str] = []
    marks = {"added": "+", "removed": "-", "reworded": "~"}
    for kind in changes.kinds():
        found = changes.of(kind)
        one, many = kind_names(kind)
        counts = ", ".join(f"{n} {a}" for a in ACTIONS if (n := sum(c.action == a for c in found)))
        if lines:
            lines.append("")
        lines.append(f"{many[0].upper()}{many[1:]}: {counts}")
        for c in found:
            label = WITHDRAWN if c.consent and c.action == "removed" else _shorten_label(c.label)
            lines.append(f"  {marks[c.action]} {c.action} {_what(c, one)}: {label}")
            lines += [f"      {fc.name}: {_field(fc.pieces, c.consent, style)}" for fc in c.fields]
    return lines


# What diff says of an item or a text that consent no longer lets the public edition print.
WITHDRAWN = "(left out: its person withdrew consent or left the project)"
WITHHELD = "(withheld by consent)"


def kind_names(kind: str) -> tuple[str, str]:
    """Name a kind of item, one and many; a kind without a name of its own is named after its key."""
    spoken = kind.replace("_", " ")
    return KIND_NAMES.get(kind, (spoken, f"{spoken}s"))


def _what(change: Change, one: str) -> str:
    """Say which item changed: by its id and event, or, for an item without an id, by its event."""
    if not change.own_id:
        return f"in {change.event}" if change.event else one
    if not change.ident:
        return one
    return f"{one} '{change.ident}'" + (f" ({change.event})" if change.event else "")


def _field(pieces: Iterable[Piece], consent: bool, style: Style) -> str:
    """Format one field's word diff; a text consent took out shows as withheld."""
    shown = format_pieces(pieces, style)
    return shown if shown or not consent else WITHHELD


def _shorten_label(text: str, limit: int = 60) -> str:
    """Shorten a label to one line of a terminal."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def summary(changes: Changes) -> str:
    """Say how many items changed, in one line."""
    if not changes:
        return _("No changes to any printed text.")
    return _("{added} added, {removed} removed, {reworded} reworded.").format(
        added=changes.count("added"), removed=changes.count("removed"), reworded=changes.count("reworded")
    )


def compare_project(project: Project, old_name: str, new_name: str | None = None) -> Comparison:
    """Compare the inputs at a revision with another revision or, by default, the working tree."""
    root = repository_root(project.root)
    old, new = resolve_range(root, old_name, new_name)
    before = content_at(project.root, old, checks=CONTENT_CHECKS)
    if new is not None:
        after = content_at(project.root, new, checks=CONTENT_CHECKS)
    else:
        try:
            after = load_content(project, checks=CONTENT_CHECKS)
        except InputError as exc:
            raise RevisionInputError(None, exc.problems) from None
    return Comparison(old, new, changes_between(before, after, "public", NAME_WITHHELD))


def describe(revision: Revision | None) -> str:
    """Name a version for messages: 'HEAD~1 (3f2a1b9, 2026-11-20)' or 'the working tree'."""
    if revision is None:
        return _("the working tree")
    return f"{revision.name} ({revision.short}, {revision.date.isoformat()})"
