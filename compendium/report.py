"""`compendium check --format`: the whole report as GitHub annotations or as JSON.

Each problem is formatted by errors.py (github_annotation, json_item); this adds the summary.

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
warnings alone make it fail). hint is the fix on its own ("expected one of: themes",
"did you mean 'tillid'?"), or null.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from compendium.errors import Problem, json_item, plural
from compendium.messages import _

JSON_VERSION = 1


@dataclass(frozen=True)
class Counts:
    """How much a successful check read."""

    files: int
    themes: int
    events: int
    stories: int


def to_json(problems: Sequence[Problem], counts: Counts | None) -> str:
    """Return the whole check result as JSON text."""
    errors = sum(not p.warning for p in problems)
    summary: dict[str, Any] = {"errors": errors, "warnings": len(problems) - errors}
    for key in ("files", "themes", "events", "stories"):
        summary[key] = getattr(counts, key) if counts else None
    report = {
        "version": JSON_VERSION,
        "ok": counts is not None,
        "problems": [json_item(p) for p in problems],
        "summary": summary,
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def github_summary(problems: Sequence[Problem], counts: Counts | None) -> str:
    """Return the closing line a log reader sees after the annotations."""
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    if errors or counts is None:
        return _("Error: {problems} found ({warnings})").format(
            problems=plural(len(problems), "{n} problem", "{n} problems"),
            warnings=plural(warnings, "{n} warning", "{n} warnings"),
        )
    return _("OK: {files}, {themes}, {events}, {stories}; {warnings}").format(
        files=plural(counts.files, "{n} file", "{n} files"),
        themes=plural(counts.themes, "{n} theme", "{n} themes"),
        events=plural(counts.events, "{n} event", "{n} events"),
        stories=plural(counts.stories, "{n} story", "{n} stories"),
        warnings=plural(warnings, "{n} warning", "{n} warnings"),
    )
