"""`compendium check`: validate every input, label file and template, and write nothing.

On a project whose files are exactly as the last successful build of the
whole public edition checked them, that build's result is printed
(cache/check_record.py); otherwise pipeline.check_project runs every check
the build runs (validation, rendering the HTML, the search for withheld
names), reusing the last build's memo read only.
"""

from __future__ import annotations

from pathlib import Path

from compendium.cache.check_record import CheckResult, cached_check, find_root


def check(explicit: Path | None, strict: bool) -> CheckResult:
    """Check a project; when the last build checked these very files, return what it found."""
    root = find_root(explicit)
    found = cached_check(root, strict) if root else None
    return found if found is not None else check_afresh(explicit, strict)


def check_afresh(explicit: Path | None, strict: bool) -> CheckResult:
    """Check a project, taking each unchanged file's parse from the last build's cache."""
    # Imported only on a miss: pydantic, Jinja and Markdown take 0.3 s.
    from compendium import pipeline
    from compendium.project import find_project
    from compendium.report import Counts

    project = find_project(explicit=explicit)
    # The cache is read only: `check` never writes to the project, and unchanged files need no YAML again.
    checked = pipeline.check_project(project, strict=strict)
    content = checked.content
    counts = Counts(len(content.files), len(content.themes), len(content.events), len(content.stories))
    return CheckResult(checked.warnings, counts)
