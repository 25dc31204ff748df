"""The build, as a list of stages: load, validate, assemble, render, write."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .assemble import assemble, photos
from .diff import appendix_changes
from .editions import Edition, find_leaks, output_folder, withdrawn_notes, write_report
from .errors import CompendiumError, InputError, Problem
from .fonts import fonts, missing_glyphs
from .labels import Labels
from .output import Staging
from .project import Project
from .render_html import render_document, render_index
from .templates import check_templates, load_labels, make_environment, search_path
from .validate import Content, load_content

DOCUMENTS = ("compendium", "debate-paper")
FORMATS = ("html", "pdf")
ASSET_PREFIX = "assets/"

# Called with a message; transient ones (page counts) may be overwritten in place.
Progress = Callable[[str, bool], None]


@dataclass
class BuildResult:
    """What a build made, for the summary line."""

    outputs: list[Path] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Checked:
    """Validated inputs and everything needed to render them."""

    content: Content
    folders: list[Path]
    env: jinja2.Environment
    labels: Labels
    warnings: list[Problem]


def check(project: Project, *, strict: bool = False) -> Checked:
    """Validate every input, label file and template; write nothing."""
    content = load_content(project, strict=strict)
    language = content.publication.language
    folders = search_path(project.templates)
    labels, label_warnings = load_labels(folders, language, project.root)
    if strict and label_warnings:
        raise InputError(label_warnings)
    env = make_environment(folders, language)
    check_templates(env, folders)
    glyph_warnings = missing_glyphs(content, fonts(folders))
    if strict and glyph_warnings:
        raise InputError(glyph_warnings)
    return Checked(content, folders, env, labels, sorted(set(content.warnings + label_warnings + glyph_warnings)))


def build(
    project: Project,
    *,
    only: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    output: Path | None = None,
    strict: bool = False,
    edition: Edition = "public",
    progress: Progress = lambda message, transient: None,
    changes_since: str | None = None,
) -> BuildResult:
    """Build the documents; on any error nothing in the output folder changes."""
    started = time.perf_counter()
    base_dir = output or project.output
    _check_output_folder(project, base_dir)
    out_dir = output_folder(base_dir, edition)
    progress("Checking inputs", False)
    checked = check(project, strict=strict)
    content, folders, env, labels = checked.content, checked.folders, checked.env, checked.labels
    assets = photo_assets(project, content)
    names = {file: name for file, (_, name) in assets.items()}
    context = assemble(content, labels, git_commit(project.root), names, edition)
    if changes_since is not None:
        progress(f"Comparing with {changes_since}", False)
        context.changes = appendix_changes(project, changes_since, content, labels["changes_name_withheld"], edition)
    wanted = [d for d in DOCUMENTS if d in content.publication.documents and (only is None or d == only)]
    if not wanted:
        raise CompendiumError(f"'{only}' is not among the documents publication.yaml asks for")

    result = BuildResult(warnings=[str(w) for w in checked.warnings])
    result.notes = withdrawn_notes(content, base_dir / "redactions.txt")
    with Staging(out_dir) as staging:
        _stage_assets(assets, folders, staging)
        html = {}
        for doc in wanted:
            progress(f"Rendering {doc}.html", False)
            html[doc] = render_document(env, folders, doc, context)
            staging.write_text(f"{doc}.html", html[doc])
        if changes_since is not None and 'id="appendix-changes"' not in html.get("compendium", 'id="appendix-changes"'):
            # A project's own compendium.html from before the appendix existed would drop it silently.
            result.warnings.append(
                "compendium.html: warning: --changes-since made no appendix, as the compendium template does not "
                'include it; add {% if changes %}{% include "_changes.html" %}{% endif %} to templates/compendium.html'
            )
        # The last line of defence for consent: no withheld name may reach an output.
        leaks = find_leaks({f"{doc}.html": text for doc, text in html.items()}, content, edition)
        if leaks:
            raise InputError(leaks)
        if "pdf" in formats:
            from .render_pdf import write_pdf

            for doc in wanted:
                progress(f"Laying out {doc}.pdf", False)
                with staging.writing(f"{doc}.pdf") as target:
                    result.pages[doc], layout_warnings = write_pdf(
                        html[doc],
                        staging.dir,
                        target,
                        lambda n, doc=doc: progress(f"Laying out {doc}.pdf … page {n}", True),  # type: ignore[misc]
                    )
                result.warnings += [f"{doc}.pdf: warning: {message}" for message in layout_warnings]
        if "html" not in formats:
            for doc in wanted:
                staging.files.remove(f"{doc}.html")
        index = _index_entries(out_dir, staging, labels, content.publication.documents)
        staging.write_text("index.html", render_index(env, folders, context, index))
        _write_report(base_dir, content)  # before the documents, so it is never older than they are
        staging.commit()
        result.outputs = [out_dir / n for n in staging.files if not n.startswith(ASSET_PREFIX)]
    result.seconds = time.perf_counter() - started
    return result


def _check_output_folder(project: Project, folder: Path) -> None:
    """Refuse an output folder that is a file, or that holds or lies in the inputs or templates."""
    shown = project.rel(folder)
    if folder.exists() and not folder.is_dir():
        raise CompendiumError(f"cannot write to {shown}: it is a file, not a folder; choose another output folder")
    resolved, root = folder.resolve(), project.root.resolve()
    for what, place in (
        ("project", root),
        ("inputs", project.inputs.resolve()),
        ("templates", project.templates.resolve()),
    ):
        if what != "project" and place == root:
            continue  # inputs kept at the top of the project: the project check covers them
        if (
            resolved == place
            or place.is_relative_to(resolved)
            or (what != "project" and resolved.is_relative_to(place))
        ):
            raise CompendiumError(
                f"the output folder {shown} would mix the outputs with the {what} folder; "
                "set 'output' in compendium.yaml to a folder of its own, such as build"
            )


def _write_report(base_dir: Path, content: Content) -> None:
    """Write build/redactions.txt and .json: what each edition withholds, by participant id."""
    with Staging(base_dir) as staging:
        for name, text in write_report(content).items():
            staging.write_text(name, text)
        staging.commit()


def photo_assets(project: Project, content: Content) -> dict[str, tuple[Path, str]]:
    """Map each photo to its source file and its name beside the HTML.

    Photos are named after their content, not their file name: a file
    called after a person must not print that person's name in the HTML.
    """
    assets = {}
    for photo in photos(content):
        source = project.resolve_inside(photo.file)
        if source is None:  # validation already refused it; this keeps the guarantee local
            raise CompendiumError(f"'{photo.file}' is outside the project")
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        assets[photo.file] = (source, f"{ASSET_PREFIX}photos/{digest}{source.suffix.lower()}")
    return assets


def _stage_assets(assets: dict[str, tuple[Path, str]], folders: list[Path], staging: Staging) -> None:
    """Copy the fonts and every photo the documents show beside the HTML."""
    for name, font in sorted(fonts(folders).items()):
        staging.copy(font, f"{ASSET_PREFIX}fonts/{name}")
    for source, name in sorted(set(assets.values())):
        staging.copy(source, name)


def _index_entries(
    out_dir: Path, staging: Staging, labels: dict[str, str], documents: Sequence[str]
) -> list[dict[str, str]]:
    """List the publication's documents, made now or left from an earlier build of the same inputs."""
    entries = []
    for doc, key in (("compendium", "compendium"), ("debate-paper", "debate_paper")):
        if doc not in documents:
            continue
        entry = {"title": labels[key]}
        for fmt in FORMATS:
            name = f"{doc}.{fmt}"
            if name in staging.files or (out_dir / name).is_file():
                entry[fmt] = name
        if len(entry) > 1:
            entries.append(entry)
    return entries


def git_commit(root: Path) -> str | None:
    """Return the project's git commit, or None outside git.

    COMPENDIUM_COMMIT overrides it (empty for none), so tests and
    reproducible builds can pin what the colophon says.
    """
    if "COMPENDIUM_COMMIT" in os.environ:
        return os.environ["COMPENDIUM_COMMIT"] or None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
