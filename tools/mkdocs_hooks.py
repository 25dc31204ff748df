"""MkDocs hooks (mkdocs.yml `hooks:`): the generated pages and the pages taken from the repository's top.

- The field, label-key and command references are made from the code (tools/docs_reference.py)
  at every build, so they cannot drift from it; they are never written into docs/.
- ARCHITECTURE.md, BENCHMARKS.md and DESIGN.md stay where developers look for them, at the top of
  the repository, and become pages of the site, their links to each other and to the README
  pointed at the pages.
- A page that another branch is still writing (OPTIONAL below) may be missing: its place in the
  nav is then dropped with a note, so the nav can name it before it lands. Any other missing page
  is a broken nav entry, which `mkdocs build --strict` refuses.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the hook is loaded from its file; the generator is a module beside it
    sys.path.insert(0, str(ROOT))

from tools import docs_reference  # noqa: E402

log = logging.getLogger("mkdocs.hooks.compendium")

# Pages made from a file at the repository's top: the page, and the file.
TOP_FILES = {"architecture.md": "ARCHITECTURE.md", "benchmarks.md": "BENCHMARKS.md", "design.md": "DESIGN.md"}
# Links in those files, and where they point on the site (relative to the docs folder's top).
TOP_LINKS = {
    "](README.md)": "](index.md)",
    "](ARCHITECTURE.md)": "](architecture.md)",
    "](BENCHMARKS.md)": "](benchmarks.md)",
    "](DESIGN.md)": "](design.md)",
    "](docs/": "](",  # a link into docs/ from the top is a link between pages on the site
}
# The old README's sections (1,600 lines, until December 2026), by anchor, and the pages they moved to:
# a link into one from a top-level file (`README.md#consent`) leads to its page. Where the heading kept
# its words, the anchor is kept too.
README_SECTIONS = {
    **dict.fromkeys(["quick-start"], "development.md"),
    **{
        a: f"guide/cli.md#{a}"
        for a in [
            "using-the-cli",
            "finding-the-project",
            "compendium-build",
            "compendium-check",
            "live-preview-compendium-serve",
            "compendium-init-dir",
            "compendium-new-storyeventproposalstatementparticipant",
            "compendium-schema",
            "compendium-stats",
            "compendium-version",
            "exit-codes",
        ]
    },
    "compendium-diff-rev-rev2": "guide/diff.md",
    "compendium-import-stories-file": "guide/import.md",
    "continuous-integration": "guide/ci.md",
    **{
        a: f"guide/inputs.md#{a}"
        for a in [
            "writing-inputs",
            "file-layout",
            "yaml-rules",
            "ids",
            "dates-known-only-in-part",
            "panels-surveys-and-other-events",
            "errors-and-warnings",
        ]
    },
    "consent": "consent.md#consent",
    "markdown": "guide/markdown.md#markdown",
    "faithfulness": "guide/markdown.md#faithfulness",
    "entering-real-material-who-said-it-and-where": "guide/material.md",
    **{a: f"guide/templates.md#{a}" for a in ["overriding-templates", "plural-labels", "template-context"]},
    **{a: f"guide/outputs.md#{a}" for a in ["outputs", "what-the-pdfs-meet", "accessibility", "fonts"]},
    "rebuilds": "guide/rebuilds.md#rebuilds",
    "performance": "guide/rebuilds.md#performance",
    "security-and-privacy": "security.md#security-and-privacy",
    "field-reference": "reference/fields.md",
}
# Pages other engineers' branches add; until they land, their nav entries are left out.
OPTIONAL = frozenset(
    {
        "design.md",
        "guide/debate-paper.md",
        "guide/stories.md",
        "guide/brand.md",
        "guide/word.md",
        "guide/data.md",
        "guide/search.md",
    }
)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Drop the nav entries of optional pages that are not there yet."""
    docs = Path(config.docs_dir)
    present = {page for page in OPTIONAL if (docs / page).is_file() or _top_file(page) is not None}
    config.nav = _without_missing(config.nav, OPTIONAL - present)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated references and the pages made from the top-level files."""
    for page, make in docs_reference.PAGES.items():
        files.append(File.generated(config, page, content=make()))
    for page in TOP_FILES:
        if (source := _top_file(page)) is not None and files.get_file_from_path(page) is None:
            files.append(File.generated(config, page, content=_top_page(source)))
    return files


def _top_file(page: str) -> Path | None:
    """Return the top-level file a page is made from, when it exists."""
    name = TOP_FILES.get(page)
    return ROOT / name if name is not None and (ROOT / name).is_file() else None


def _top_page(source: Path) -> str:
    """Return a top-level file's text with its links pointed at the site's pages."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"\]\(README\.md#([\w-]+)\)", lambda m: f"]({README_SECTIONS.get(m[1], 'index.md#' + m[1])})", text)
    for link, page in TOP_LINKS.items():
        text = text.replace(link, page)
    return text


def _without_missing(nav: Any, missing: frozenset[str]) -> Any:
    """Return the nav without entries that point at a missing page (a section left empty goes too)."""
    if isinstance(nav, list):
        kept = [entry for item in nav if (entry := _without_missing(item, missing)) is not None]
        return kept if kept else None
    if isinstance(nav, dict):
        ((title, value),) = nav.items()
        kept = _without_missing(value, missing)
        return None if kept is None else {title: kept}
    if isinstance(nav, str) and nav in missing:
        log.info("The nav's page %s is not written yet; left out", nav)
        return None
    return nav
