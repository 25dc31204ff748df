"""`compendium check --format`: the problems as GitHub annotations or as JSON.

The JSON shape is a stable interface for other tools (version 1):

    {
      "version": 1,
      "ok": false,
      "problems": [
        {"file": "inputs/stories/x.yaml", "line": 3, "column": 9, "key_path": "themes[0]",
         "message": "unknown theme 'tilid' (did you mean 'tillid'?)", "hint": "did you mean 'tillid'?",
         "severity": "error"}
      ],
      "summary": {"errors": 1, "warnings": 0, "files": null, "themes": null, "events": null, "stories": null}
    }

line and column are 1-based and null when the problem has no position;
file is null for a problem with the project as a whole; key_path is "" when
the problem is with the whole file. severity is "error" or "warning". ok is false, the exit code 1
and the summary's counts of inputs null when the check failed (with --strict,
warnings alone make it fail).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from compendium.errors import Problem, plural

JSON_VERSION = 1
# The fix an editor can act on: "(did you mean 'x'?)" or the text after "; ".
_SUGGESTION = re.compile(r"\(did you mean '[^']*'\?\)")


@dataclass(frozen=True)
class Counts:
    """How much a successful check read."""

    files: int
    themes: int
    events: int
    stories: int


def hint(message: str) -> str | None:
    """Return the part of a message that says how to fix it, or None."""
    found = _SUGGESTION.search(message)
    if found:
        return found.group(0)[1:-1]
    _, sep, fix = message.partition("; ")
    return fix if sep else None


def as_dict(problem: Problem) -> dict[str, Any]:
    """Return one problem in the JSON shape."""
    return {
        "file": problem.file or None,
        "line": problem.line or None,
        "column": problem.column or None,
        "key_path": problem.key_path,
        "message": problem.message,
        "hint": hint(problem.message),
        "severity": "warning" if problem.warning else "error",
    }


def to_json(problems: Sequence[Problem], counts: Counts | None) -> str:
    """Return the whole check result as JSON text."""
    errors = sum(not p.warning for p in problems)
    summary: dict[str, Any] = {"errors": errors, "warnings": len(problems) - errors}
    for key in ("files", "themes", "events", "stories"):
        summary[key] = getattr(counts, key) if counts else None
    report = {
        "version": JSON_VERSION,
        "ok": counts is not None,
        "problems": [as_dict(p) for p in problems],
        "summary": summary,
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    """Escape an annotation's message as GitHub's workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Escape an annotation property (file, title), where ':' and ',' also end the value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """Return one problem as a GitHub Actions ::error or ::warning command."""
    command = "warning" if problem.warning else "error"
    props = []
    if problem.file:
        props.append(f"file={_escape_property(problem.file)}")
    if problem.line:
        props.append(f"line={problem.line}")
        props.append(f"col={problem.column}")
    if problem.key_path:
        props.append(f"title={_escape_property(problem.key_path)}")
    message = problem.message
    return (
        f"::{command} {','.join(props)}::{_escape_data(message)}" if props else f"::{command}::{_escape_data(message)}"
    )


def github_summary(problems: Sequence[Problem], counts: Counts | None) -> str:
    """Return the closing line a log reader sees after the annotations."""
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if errors or counts is None:
        return f"Error: {plural(len(problems), 'problem')} found ({plural(warnings, 'warning')})"
    return (
        f"OK: {plural(counts.files, 'file')}, {plural(counts.themes, 'theme')}, "
        f"{plural(counts.events, 'event')}, {plural(counts.stories, 'story', 'stories')}; "
        f"{plural(warnings, 'warning')}"
    )
