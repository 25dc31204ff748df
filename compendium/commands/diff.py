"""`compendium diff`: what changed between two versions of the inputs, as lines of text.

The comparison itself is assemble/changes.py, which the changes appendix uses too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from compendium.assemble.changes import ACTIONS, KIND_NAMES, KINDS, Changes, Comparison, Op, Piece, compare
from compendium.consent import CONTENT_CHECKS
from compendium.content.revision import Revision, RevisionInputError, content_at, repository_root, resolve_range
from compendium.content.validate import load_content
from compendium.errors import InputError
from compendium.project import Project

# --- plain text -------------------------------------------------------------

Style = Callable[[str, Op], str]


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
    """Render the changes as lines of text, grouped by kind."""
    lines: list[str] = []
    marks = {"added": "+", "removed": "-", "reworded": "~"}
    for kind in KINDS:
        found = changes.of(kind)
        if not found:
            continue
        one, many = KIND_NAMES[kind]
        counts = ", ".join(f"{n} {a}" for a in ACTIONS if (n := sum(c.action == a for c in found)))
        if lines:
            lines.append("")
        lines.append(f"{many[0].upper()}{many[1:]}: {counts}")
        for c in found:
            if kind in ("keep", "discard"):
                what = f"in {c.event}"
            else:
                what = f"{one} '{c.ident}'" + (f" ({c.event})" if c.event else "")
            lines.append(f"  {marks[c.action]} {c.action} {what}: {_shorten_label(c.label)}")
            lines += [f"      {fc.name}: {format_pieces(fc.pieces, style)}" for fc in c.fields]
    return lines


def _shorten_label(text: str, limit: int = 60) -> str:
    """Shorten a label to one line of a terminal."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def summary(changes: Changes) -> str:
    """Say how many items changed, in one line."""
    if not changes:
        return "No changes to proposals, statements, stories or wishes."
    return f"{changes.count('added')} added, {changes.count('removed')} removed, {changes.count('reworded')} reworded."


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
    return Comparison(old, new, compare(before, after))


def describe(revision: Revision | None) -> str:
    """Name a version for messages: 'HEAD~1 (3f2a1b9, 2026-11-20)' or 'the working tree'."""
    if revision is None:
        return "the working tree"
    return f"{revision.name} ({revision.short}, {revision.date.isoformat()})"
