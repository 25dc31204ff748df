"""The build, as a list of stages: load, validate, assemble, render, write."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import PIL

from compendium.assemble.changes import appendix_changes
from compendium.assemble.context import assemble
from compendium.cache.check_record import make_record, project_key
from compendium.cache.pieces import PieceCache
from compendium.cache.store import Cache, Manifest, cache_folder, file_digest, fingerprint, tool_fingerprint, tree_files
from compendium.consent.editions import (
    CleanTexts,
    Edition,
    find_leaks,
    leak_key,
    output_folder,
    withdrawn_notes,
    write_report,
)
from compendium.content.labels import Labels
from compendium.content.placeholders import placeholder_warnings
from compendium.content.validate import Content, load_content, photos
from compendium.errors import CompendiumError, InputError, Problem
from compendium.output import Staging
from compendium.project import PROJECT_FILE, Project
from compendium.render.fonts import fonts, missing_glyphs
from compendium.render.html import render_document, render_index
from compendium.render.markdown import use_fragments
from compendium.render.photos import PRINT_BOX, print_version
from compendium.render.templates import check_templates, load_labels, make_environment, search_path, template_problems
from compendium.report import Counts

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
    up_to_date: bool = False  # nothing changed since the last build, so nothing was done
    laid_out: list[str] = field(default_factory=list)  # documents whose PDF was laid out (not from the cache)
    written: list[str] = field(default_factory=list)  # files replaced in the output folder
    laid_out_pieces: dict[str, int] = field(default_factory=dict)  # of a document laid out in pieces, how many
    notes: list[str] = field(default_factory=list)


@dataclass
class Checked:
    """Validated inputs and everything needed to render them."""

    content: Content
    folders: list[Path]
    env: jinja2.Environment
    labels: Labels
    warnings: list[Problem]
    # The warnings by kind, in the order --strict refuses them: inputs, labels, glyphs, placeholders.
    groups: list[list[Problem]] = field(default_factory=list)


def check(project: Project, *, strict: bool = False, cache: Cache | None = None) -> Checked:
    """Validate every input, label file and template; write nothing.

    With strict, every warning of every kind is collected first and reported together as errors.
    """
    unsafe = template_problems(project.templates, project.root)
    try:
        content = load_content(project, strict=False, cache=cache)
    except InputError as exc:
        raise InputError(unsafe + exc.problems) from None
    if unsafe:  # before anything reads them
        raise InputError(unsafe)
    language = content.publication.language
    folders = search_path(project.templates)
    labels, label_warnings = load_labels(folders, language, project.root)
    env = make_environment(folders, language, cache.templates if cache else None)
    check_templates(env, folders)
    glyph_warnings = missing_glyphs(content, fonts(folders), cache)
    placeholders = placeholder_warnings(content.located)
    groups = [content.warnings, label_warnings, glyph_warnings, placeholders]
    warnings = sorted({p for group in groups for p in group})
    if strict and warnings:
        raise InputError(warnings)
    return Checked(content, folders, env, labels, warnings, groups)


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
    use_cache: bool = True,
    workers: int | None = None,
) -> BuildResult:
    """Build the documents; on any error nothing in the output folder changes."""
    started = time.perf_counter()
    base_dir = output or project.output
    _check_output_folder(project, base_dir)
    out_dir = output_folder(base_dir, edition)
    store = Cache(cache_folder(base_dir, edition)) if use_cache else None
    options = _options(project, out_dir, only, formats, strict, edition)
    manifest = store.manifest() if store else None
    scanned = _scanned_files(project, base_dir)
    extra = [project.root / p for p in manifest.extra_files] if manifest else []
    key = fingerprint(scanned + extra, options, project.root)
    # The changes appendix depends on git history, which the key does not cover: always rebuild then.
    if store and manifest and changes_since is None and store.unchanged(manifest, base_dir, key):
        return BuildResult(
            outputs=[out_dir / n for n in manifest.shown],
            pages=manifest.pages,
            seconds=time.perf_counter() - started,
            warnings=manifest.warnings,
            notes=manifest.notes,
            up_to_date=True,
        )
    if store:
        store.load_parsed()
        store.load_fragments()

    progress("Checking inputs", False)
    # Taken before the check reads anything: a file saved meanwhile can only make `check` miss the record.
    check_key = project_key(project.root, project.inputs, project.templates) if store else None
    checked = check(project, strict=strict, cache=store)
    content, folders, env, labels = checked.content, checked.folders, checked.env, checked.labels
    if store and check_key:
        store.check_record = _check_record(project, checked, check_key)
    assets = photo_assets(project, content)
    known = set(scanned)
    now_extra = sorted({source for source, _ in assets.values() if source not in known})
    if now_extra != extra:
        key = fingerprint(scanned + now_extra, options, project.root)
    names = {file: name for file, (_, name) in assets.items()}
    context = assemble(content, labels, options["commit"], names, edition)
    if changes_since is not None:
        progress(f"Comparing with {changes_since}", False)
        context.changes = appendix_changes(project, changes_since, content, labels["changes_name_withheld"], edition)
    wanted = [d for d in DOCUMENTS if d in content.publication.documents and (only is None or d == only)]
    if not wanted:
        raise CompendiumError(f"'{only}' is not among the documents publication.yaml asks for")

    result = BuildResult(warnings=[str(w) for w in checked.warnings])
    pieces = None
    result.notes = withdrawn_notes(content, base_dir / "redactions.txt")
    with Staging(out_dir) as staging:
        _stage_assets(assets, folders, staging, store)
        html: dict[str, str] = {}
        use_fragments(store.fragments if store else None)
        try:
            for doc in wanted:
                progress(f"Rendering {doc}.html", False)
                html[doc] = render_document(env, folders, doc, context)
                staging.write_text(f"{doc}.html", html[doc])
        finally:
            use_fragments(None)
        if changes_since is not None and 'id="appendix-changes"' not in html.get("compendium", 'id="appendix-changes"'):
            # A project's own compendium.html from before the appendix existed would drop it silently.
            result.warnings.append(
                "compendium.html: warning: --changes-since made no appendix, as the compendium template does not "
                'include it; add {% if changes %}{% include "_changes.html" %}{% endif %} to templates/compendium.html'
            )
        # The last line of defence for consent: no withheld name may reach an output.
        prefix = out_dir.relative_to(base_dir).as_posix() + "/" if out_dir != base_dir else ""
        clean = _clean_html(manifest, out_dir, prefix, wanted) if manifest else None
        leaks = find_leaks({f"{doc}.html": text for doc, text in html.items()}, content, edition, clean)
        if leaks:
            raise InputError(leaks)
        if "pdf" in formats:
            expected = manifest.pages if manifest else {}
            pieces = _make_pdfs(wanted, html, staging, store, result, _PageProgress(progress, expected), workers)
        if "html" not in formats:
            for doc in wanted:
                staging.files.remove(f"{doc}.html")
        index = _index_entries(out_dir, staging, labels, content.publication.documents)
        staging.write_text("index.html", render_index(env, folders, context, index))
        written = {prefix + n: file_digest(staging.dir / n) for n in staging.files}
        reports = _write_report(base_dir, content)  # before the documents, so it is never older than they are
        written |= {n: file_digest(base_dir / n) for n in reports}
        result.written = staging.commit()
        result.outputs = [out_dir / n for n in staging.files if not n.startswith(ASSET_PREFIX)]
    if store:
        shown = [p.relative_to(out_dir).as_posix() for p in result.outputs]
        extra_names = [project.rel(p) for p in now_extra]
        store.save(
            Manifest(
                key,
                written,
                shown,
                result.pages,
                result.warnings,
                extra_names,
                result.notes,
                leak_key(content, edition),
            )
        )
        if pieces:
            pieces.save()
    result.seconds = time.perf_counter() - started
    return result


def _clean_html(manifest: Manifest, out_dir: Path, prefix: str, documents: Sequence[str]) -> CleanTexts:
    """Read the HTML the last build checked for withheld names and wrote, where it is still as written."""
    texts = {}
    for doc in documents:
        name = f"{doc}.html"
        try:
            data = (out_dir / name).read_bytes()
        except OSError:
            continue
        if manifest.outputs.get(prefix + name) == hashlib.sha256(data).hexdigest():
            texts[name] = data.decode("utf-8")
    return CleanTexts(manifest.leak_key, texts)


def _check_record(project: Project, checked: Checked, key: str) -> bytes:
    """Make what `check` prints for these same files, to be stored in the cache (see check_cache.py)."""
    content = checked.content
    counts = Counts(len(content.files), len(content.themes), len(content.events), len(content.stories))
    folders = (project.settings.inputs, project.settings.templates)
    return make_record(key, folders, [p.file for p in photos(content)], project.root, checked.groups, counts)


def _options(
    project: Project, out_dir: Path, only: str | None, formats: tuple[str, ...], strict: bool, edition: str
) -> dict[str, Any]:
    """Everything besides the input files that changes what a build writes."""
    return {
        "edition": edition,
        "only": only,
        "formats": sorted(formats),
        "strict": strict,
        "commit": git_commit(project.root),
        # index.html links documents left from earlier builds, so which of those exist matters.
        "present": sorted(
            f"{d}.{f}"
            for d in DOCUMENTS
            for f in FORMATS
            if (only not in (None, d) or f not in formats) and (out_dir / f"{d}.{f}").is_file()
        ),
    }


def _scanned_files(project: Project, out_dir: Path) -> list[Path]:
    """List the files a build may read: the project file, inputs, templates, labels and fonts."""
    return tree_files([project.root / PROJECT_FILE, project.inputs, *search_path(project.templates)], out_dir)


def _make_pdfs(
    wanted: Sequence[str],
    html: dict[str, str],
    staging: Staging,
    store: Cache | None,
    result: BuildResult,
    on_page: _PageProgress,
    workers: int | None,
) -> PieceCache | None:
    """Lay out every PDF whose HTML or assets changed, in parallel; take the others from the cache.

    Return the cache of the pieces of the documents laid out in pieces, to be saved when the build succeeds.
    """
    from compendium.render.pdf.jobs import make_all
    from compendium.render.pdf.layout import PDF_VARIANT
    from compendium.render.pdf.protocol import DocumentJob

    assets = hashlib.sha256()
    for name in sorted(n for n in staging.files if n.startswith(ASSET_PREFIX)):
        assets.update(f"{name}\0{file_digest(staging.dir / name)}\0".encode())
    jobs = []
    pieces = PieceCache(store.dir, f"{tool_fingerprint()}\0{PDF_VARIANT}\0{assets.hexdigest()}") if store else None
    for doc in wanted:
        made_from = f"{tool_fingerprint()}\0{PDF_VARIANT}\0{assets.hexdigest()}\0{html[doc]}"
        key = hashlib.sha256(made_from.encode()).hexdigest()
        hit = store.pdf(doc, key) if store else None
        if hit:
            with staging.writing(f"{doc}.pdf") as path:
                path.write_bytes(hit[0])  # the verified bytes themselves, not the cache file again
            result.pages[doc], warnings = hit[1], hit[2]
            result.warnings += [f"{doc}.pdf: warning: {message}" for message in warnings]
        else:
            target, final = staging.path(f"{doc}.pdf"), staging.output / f"{doc}.pdf"
            jobs.append((key, DocumentJob(doc=doc, html=html[doc], base_dir=staging.dir, target=target, final=final)))
    if not jobs:
        return None
    on_page.progress("Laying out " + " and ".join(f"{job.doc}.pdf" for _, job in jobs), False)
    # A document whose template marks where pages break is laid out in pieces, in parallel.
    made = make_all([job for _, job in jobs], on_page, workers, pieces)
    for key, job in jobs:
        pdf = made[job.doc]
        result.pages[job.doc] = pdf.pages
        result.laid_out.append(job.doc)
        if pdf.pieces_laid_out is not None:
            result.laid_out_pieces[job.doc] = pdf.pieces_laid_out
        result.warnings += [f"{job.doc}.pdf: warning: {message}" for message in pdf.warnings]
        if store:
            store.put_pdf(job.doc, key, job.target, pdf.pages, list(pdf.warnings))
    return pieces


class _PageProgress:
    """Show each PDF's layout page by page, as a bar when the last build's page count is known."""

    WIDTH = 20

    def __init__(self, progress: Progress, expected: dict[str, int]) -> None:
        self.progress = progress
        self.expected = expected
        self.reached: dict[str, int] = {}

    def __call__(self, doc: str, page: int) -> None:
        # WeasyPrint lays out some pages again once page numbers are known; the bar never goes back.
        self.reached[doc] = max(page, self.reached.get(doc, 0))
        self.progress("  ".join(self._one(d, n) for d, n in sorted(self.reached.items())), True)

    def _one(self, doc: str, page: int) -> str:
        """Describe one document's progress."""
        total = self.expected.get(doc)
        if not total or page > total:
            return f"{doc}.pdf: page {page}"
        done = self.WIDTH * page // total
        return f"{doc}.pdf [{'#' * done}{'.' * (self.WIDTH - done)}] page {page} of ~{total}"


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


def _write_report(base_dir: Path, content: Content) -> list[str]:
    """Write build/redactions.txt and .json: what each edition withholds, by participant id; return their names."""
    with Staging(base_dir) as staging:
        for name, text in write_report(content).items():
            staging.write_text(name, text)
        staging.commit()
        return list(staging.files)


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


def _stage_assets(
    assets: dict[str, tuple[Path, str]], folders: list[Path], staging: Staging, store: Cache | None
) -> None:
    """Copy the fonts beside the HTML, and every photo the documents show, scaled to print size."""
    for name, font in sorted(fonts(folders).items()):
        staging.copy(font, f"{ASSET_PREFIX}fonts/{name}")
    for source, name in sorted(set(assets.values())):
        made_from = f"{tool_fingerprint()}\0{PIL.__version__}\0{PRINT_BOX}\0{file_digest(source)}"
        key = hashlib.sha256(made_from.encode()).hexdigest() + source.suffix.lower()
        scaled = store.photo(key) if store else None
        if scaled is None:
            scaled = print_version(source) or b""  # empty: the photo fits as it is
            if store:
                store.put_photo(key, scaled)
        if not scaled:
            staging.copy(source, name)
        else:
            staging.path(name).write_bytes(scaled)


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
