"""Warn about placeholder texts that `compendium new` wrote and the editor has not yet replaced."""

from __future__ import annotations

from compendium.content.load import Located
from compendium.content.validate import strings
from compendium.errors import Problem
from compendium.messages import _

# `compendium new` writes "UDFYLD: <what>" ("fill in") where only the editor knows the text.
MARKER = "UDFYLD:"


def placeholder_warnings(located: list[Located]) -> list[Problem]:
    """Return a warning for each text that still holds a placeholder."""
    found = []
    for loaded in located:
        for path, text in strings(loaded.data):
            if MARKER in text:
                shown = text[text.index(MARKER) :].splitlines()[0].strip()
                fix = _("replace it with the real text")
                message = _("still holds the placeholder '{shown}'; {fix}").format(shown=shown, fix=fix)
                found.append(loaded.problem(path, message, hint=fix, warning=True))
    return found
