"""The build, as a list of stages: load, validate, assemble, render HTML, check, render PDF, write.

Each stage is a function of its inputs that returns a value nothing changes
afterwards. The cache is wrapped around the stages here (memo, cached): no
stage knows of it, and every entry is named by one key scheme (entry_key).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import os
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
import PIL
from markupsafe import Markup

from compendium.assemble.changes import Comparison, appendix_changes
from compendium.assemble.context import Context, assemble
from compendium.cache.check_record import make_record, project_key
from compendium.cache.pieces import PieceCache
from compendium.cache.store import Cache, Manifest, build_key, cache_folder, entry_key, file_digest, tree_files
from compendium.consent import (
    CONTENT_CHECKS,
    CleanTexts,
    Edition,
    find_leaks,
    leak_key,
    output_folder,
    withdrawn_notes,
    write_report,
)
from compendium.content.brand import FontFace, font_face, font_file_face
from compendium.content.brevity import key_figure_warnings, summary_warnings
from compendium.content.faithfulness import faithfulness_warnings
from compendium.content.images import image_problem
from compendium.content.labels import Labels
from compendium.content.load import Located, decode, load_bytes
from compendium.content.model import FOLDER_FILES
from compendium.content.placeholders import placeholder_warnings
from compendium.content.sources import Sources, read_sources
from compendium.content.unsupported import markup_warnings
from compendium.content.validate import (
    Content,
    FileCheck,
    InputFiles,
    LocatedFile,
    Parsed,
    PreparedCheck,
    font_files,
    list_inputs,
    parse_input,
    photo_files,
    photos,
    read_input,
    validate_content,
)
from compendium.errors import CompendiumError, Fault, InputError, Problem
from compendium.messages import _
from compendium.output import Staging, commit_together
from compendium.project import PROJECT_FILE, Project, relative_name
from compendium.render.fonts import covered_characters, file_glyphs, fonts
from compendium.render.html import for_print, render_document, render_index
from compendium.render.keep_whole import Remember
from compendium.render.markdown import render_markdown
from compendium.render.photos import PRINT_BOX, PhotoError, print_version
from compendium.render.search import FOLDER as SEARCH_FOLDER
from compendium.render.search import SearchError, build_index, offline_files, readable
from compendium.render.templates import (
    BABEL_LOCALES,
    PACKAGE_TEMPLATES,
    check_templates,
    load_labels,
    make_environment,
    search_path,
    template_problems,
)
from compendium.report import Counts

if TYPE_CHECKING:
    from compendium.render.pdf.protocol import DocumentJob, MadePdf

DOCUMENTS = ("compendium", "debate-paper")
FORMATS = ("html", "pdf", "search")  # what a build makes when neither --format nor publication.yaml's `formats` says
ALL_FORMATS = ("html", "pdf", "docx", "data", "search")
DOCUMENT_FORMATS = ("html", "pdf", "docx")  # made once per document; the data package is one for the publication
DATA = "data/"
ASSET_PREFIX = "assets/"
SEARCH_PREFIX = f"{SEARCH_FOLDER}/"
INDEX = "index.html"

# Called with a message; transient ones (page counts) may be overwritten in place.
Progress = Callable[[str, bool], None]
T = TypeVar("T")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Plan:
    """What a build is asked to make, and where."""

    project: Project
    base_dir: Path  # the output folder given
    out_dir: Path  # where this edition's documents go
    edition: Edition
    only: str | None
    formats: tuple[str, ...]  # what to make; () until settle_formats reads publication.yaml's `formats`
    strict: bool
    changes_since: str | None
    workers: int | None
    options: dict[str, Any]  # everything besides the files that changes what a build writes
    scanned: list[Path]  # the files a build may read: the project file, inputs, templates, labels, fonts
    store: Cache | None
    manifest: Manifest | None  # the last successful build's


@dataclass(frozen=True)
class Checked:
    """Validated inputs and everything needed to render them."""

    content: Content
    folders: list[Path]
    env: jinja2.Environment
    labels: Labels
    warnings: list[Problem]
    # The warnings by kind, in the order --strict refuses them: inputs, labels, glyphs, placeholders.
    groups: list[list[Problem]]
    sources: Sources  # every file read, the photos included


@dataclass(frozen=True)
class Photos:
    """Each photo (and the logo) the documents show, and the brand's fonts: its file, and its name beside the HTML."""

    names: dict[str, str]  # as the inputs name it -> assets/photos/<digest><suffix>
    files: dict[str, Path]  # the same, fonts too -> its file
    fonts: dict[str, str] = field(default_factory=dict)  # a brand font as named -> assets/fonts/brand-<digest><suffix>


@dataclass(frozen=True)
class Rendered:
    """The HTML of each document asked for, with the warnings rendering gave, and the HTML its PDF is laid out from."""

    html: dict[str, str]
    warnings: list[str]
    # For print: names, addresses and numbers marked so a line never hyphenates them (render/keep_whole.py).
    # Only print sets those marks, so the published HTML is left without them.
    printed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pdfs:
    """The PDFs made or taken from the cache, staged beside the HTML."""

    pages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    laid_out: list[str] = field(default_factory=list)
    laid_out_pieces: dict[str, int] = field(default_factory=dict)
    pieces: PieceCache | None = None  # to be saved when the build succeeds


@dataclass(frozen=True)
class Written:
    """What the write stage replaced, and the digest of every output, by its path from the base output folder."""

    replaced: list[str]
    shown: list[str]  # below the edition's folder, as the summary lists them
    digests: dict[str, str]


def build(
    project: Project,
    *,
    only: str | None = None,
    formats: tuple[str, ...] | None = None,
    output: Path | None = None,
    strict: bool = False,
    edition: Edition = "public",
    progress: Progress = lambda message, transient: None,
    changes_since: str | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    pdf_standard: str = "ua-1",
) -> BuildResult:
    """Build the documents; on any error nothing in the output folder changes.

    formats None makes what publication.yaml's `formats` asks for (HTML and PDF when it does not say).
    """
    started = time.perf_counter()
    gc.unfreeze()  # what an earlier build in this process (serve's) set aside may be collected again
    plan = make_plan(project, output, only, formats, strict, edition, changes_since, use_cache, workers, pdf_standard)
    sources = load(plan)
    plan = settle_formats(plan, sources)
    key = build_key(sources, plan.scanned, plan.options, project.root)
    if up_to_date(plan, sources, key):
        return _unchanged(plan, time.perf_counter() - started)
    progress(_("Checking inputs"), False)
    checked = validate(project, sources, plan.store, strict=strict)
    gc.freeze()  # the content and the cache live to the end: each collection need not walk their million objects
    shown = photo_assets(project, checked.content, checked.sources)
    changes = compare(plan, checked, progress)
    context = assemble_context(plan, checked, shown, changes)
    rendered = render_html(plan, checked, context, progress)
    index = render_index_page(plan, checked, context, rendered)
    check_for_leaks(plan, checked.content, rendered, index)
    search = index_search(plan, checked, rendered, progress)
    check_search_for_leaks(plan, checked.content, search)
    with Staging(plan.out_dir) as staging, Staging(reports_folder(plan.base_dir)) as reports:
        assets = stage_assets(staging, checked, shown, plan.store)
        stage_html(staging, plan, rendered)
        stage_search(staging, search)
        pdfs = render_pdfs(staging, plan, rendered, assets, progress)
        check_pdfs_for_leaks(staging, plan, checked.content, rendered)
        stage_word_editions(staging, plan, checked, rendered, progress)
        stage_data_package(staging, plan, checked, context)
        staging.write_text(INDEX, index)
        stage_reports(reports, checked.content)
        written = write_outputs(staging, reports, plan)
    result = _result(plan, checked, rendered, pdfs, written, time.perf_counter() - started)
    save(plan, key, checked, shown, result, written, pdfs)
    return result


# --- planning and loading ------------------------------------------------------


def make_plan(
    project: Project,
    output: Path | None,
    only: str | None,
    formats: tuple[str, ...] | None,
    strict: bool,
    edition: Edition,
    changes_since: str | None,
    use_cache: bool,
    workers: int | None,
    pdf_standard: str = "ua-1",
) -> Plan:
    """Settle where the build writes, what it may read, and the last build it may reuse."""
    base_dir = output or project.output
    _check_output_folder(project, base_dir)
    out_dir = output_folder(base_dir, edition)
    store = Cache(cache_folder(base_dir, edition)) if use_cache else None
    options = _options(project, out_dir, only, formats or (), strict, edition) | {"pdf_standard": pdf_standard}
    scanned = _scanned_files(project, base_dir)
    manifest = store.manifest() if store else None
    return Plan(
        project, base_dir, out_dir, edition, only, formats or (), strict, changes_since, workers,
        options, scanned, store, manifest,
    )  # fmt: skip


def settle_formats(plan: Plan, sources: Sources) -> Plan:
    """Make what --format asked for, or else what publication.yaml's `formats` says (HTML and PDF if nothing).

    Read from the file as written, before validation (which checks the setting), so that the build key
    names what is made: a build of the formats publication.yaml asks for is the build of those formats.
    """
    formats = plan.formats or _asked_formats(plan, sources)
    if "search" in formats and "html" not in formats:
        formats = ("html", *formats)  # the index is of the compendium's HTML page, and only that page reads it
    if formats == plan.formats:
        return plan
    options = plan.options | _format_options(plan.out_dir, plan.only, formats)
    return dataclasses.replace(plan, formats=formats, options=options)


def _asked_formats(plan: Plan, sources: Sources) -> tuple[str, ...]:
    """Return the formats publication.yaml's `formats` names, as written; the default when it names none."""
    data = sources.data(plan.project.inputs / "publication.yaml")
    try:
        loaded = load_bytes(data, "publication.yaml").data if data is not None else None
    except InputError:
        loaded = None
    asked = loaded.get("formats") if isinstance(loaded, dict) else None
    return tuple(f for f in ALL_FORMATS if isinstance(asked, list) and f in asked) or FORMATS


def load(plan: Plan) -> Sources:
    """Read every file the build may read, and the photos outside those folders the last build showed, once."""
    extra = [plan.project.root / name for name in plan.manifest.extra_files] if plan.manifest else []
    return read_sources([*plan.scanned, *extra])


def up_to_date(plan: Plan, sources: Sources, key: str) -> bool:
    """Tell whether the last build was made from these very files and options, and its outputs are untouched."""
    manifest = plan.manifest
    # The changes appendix depends on git history, which the key does not cover: always rebuild then.
    if plan.store is None or manifest is None or plan.changes_since is not None or manifest.key != key:
        return False
    extra = {name: sources.digest(plan.project.root / name).decode() for name in manifest.extra_files}
    return extra == manifest.extra_digests and plan.store.unchanged(manifest, plan.base_dir, key)


def _unchanged(plan: Plan, seconds: float) -> BuildResult:
    """Report the last build's outputs, as nothing changed since."""
    assert plan.manifest is not None
    manifest = plan.manifest
    return BuildResult(
        outputs=[plan.out_dir / n for n in manifest.shown],
        pages=manifest.pages,
        seconds=seconds,
        warnings=manifest.warnings,
        notes=manifest.notes,
        up_to_date=True,
    )


def read_inputs(project: Project) -> Sources:
    """Read every file a check may read, once (for `check`, which builds nothing)."""
    return read_sources(_scanned_files(project, project.output))


# --- the cache, wrapped around the stages ----------------------------------------


def memo(store: Cache | None, stage: str, inputs: Sequence[str | bytes], make: Callable[[], T], **keep: Any) -> T:
    """Run one step of a stage, or take its result from the cache when it ran on the same inputs before."""
    if store is None:
        return make()
    return store.memo(entry_key(stage, *inputs), make, **keep)


def _parse(project: Project, path: Path, model: Any, sources: Sources, store: Cache | None) -> Parsed:
    """Parse and shape-check one input file from its bytes as read; a valid one is remembered by its bytes."""
    data = sources.data(path)
    if data is None or not path.resolve().is_relative_to(project.root):
        return read_input(project, path, model, data)  # which says why it cannot be read
    rel = project.rel(path)
    if store is None:
        return parse_input(rel, data, model)
    inputs = (rel, model.__name__, sources.digest(path))
    # Only valid files are remembered: problems are always found afresh. The file's text is
    # kept out of the cache (it is most of an entry's bytes) and put back from the bytes read now.
    parsed = memo(store, "parse", inputs, lambda: _with_text(parse_input(rel, data, model), ""), keep=_valid)
    return _with_text(parsed, decode(data, rel))


def _with_text(parsed: Parsed, text: str) -> Parsed:
    """Return a parsed file holding this text as the file's text (what problems inside a value are placed by)."""
    if parsed.loaded is None:
        return parsed
    located = dataclasses.replace(parsed.loaded.located, text=text)
    return dataclasses.replace(parsed, loaded=dataclasses.replace(parsed.loaded, located=located))


def _valid(parsed: Parsed) -> bool:
    """Tell whether a file parsed into a valid model."""
    return parsed.loaded is not None and parsed.loaded.obj is not None and not parsed.problems


def _font(name: str, path: Path, sources: Sources, store: Cache | None) -> FontFace | Fault:
    """Check that a font file is a whole font a PDF may embed, from its bytes as read; return its weight and style."""
    data = sources.data(path)
    if data is None:
        return font_file_face(path, name)  # which says why: too large, or not a regular file
    return memo(store, "font", (name, sources.digest(path)), lambda: font_face(data, name))


def _image(name: str, path: Path, sources: Sources, store: Cache | None) -> Fault | None:
    """Check that a photo file is a usable image, from its bytes as read."""
    data = sources.data(path)
    if data is None:
        return image_problem(path, name)
    return memo(store, "image", (name, sources.digest(path)), lambda: image_problem(data, name))


def _markdown(store: Cache | None) -> Callable[[str, str, int], Markup]:
    """Return the Markdown filter, each text's HTML remembered: Python-Markdown is most of an HTML build's time."""
    if store is None:
        return render_markdown

    def remembered(text: str, language: str, top: int) -> Markup:
        made = memo(store, "markdown", (language, str(top), text), lambda: str(render_markdown(text, language, top)))
        return Markup(made)

    return remembered


def _marks(store: Cache | None) -> Remember | None:
    """Return how the rendered HTML's marks are remembered, part by part: most of an edited build's HTML is as before."""
    if store is None:
        return None

    def remembered(inputs: tuple[str, ...], make: Callable[[], str]) -> str:
        return memo(store, "keep-whole", inputs, make)

    return remembered


def _glyphs(content: Content, folders: list[Path], sources: Sources, store: Cache | None) -> list[Problem]:
    """Warn about characters no bundled font has, file by file; a file's fonts are read only when it is not remembered."""
    root = content.project.root
    # The brand's fonts come before the packaged ones in the CSS, which set what they lack: together they cover.
    font_files = fonts(folders) | {f"brand:{name}": root / name for name in content.fonts}
    fonts_digest = entry_key("fonts", *(f"{n}\0".encode() + sources.digest(p) for n, p in sorted(font_files.items())))
    covered = functools.cache(lambda: covered_characters(font_files, sources.data))
    problems: list[Problem] = []
    for located in content.located:
        inputs = (located.file, sources.digest(root / located.file), fonts_digest)
        problems += memo(store, "glyphs", inputs, lambda: file_glyphs(located, covered()))  # noqa: B023
    return problems


# --- validate --------------------------------------------------------------------


def validate(project: Project, sources: Sources, store: Cache | None, *, strict: bool = False) -> Checked:
    """Validate every input, label file and template; write nothing.

    Input, label and template errors are collected and reported together. With strict, every warning of
    every kind is collected first and reported together as errors.
    """
    unsafe = template_problems(project.templates, project.root)
    content, sources, problems = _content_problems(project, sources, store)
    language = content.publication.language if content else _raw_language(project, sources)
    folders = search_path(project.templates)
    # A template or label file that is a link out of the project is not read at all.
    labels, label_warnings, label_problems = _labels(folders, language, project.root) if not unsafe else (None, [], [])
    env = make_environment(folders, language, store.template_code() if store else None, _markdown(store), project.root)
    template_errors = [] if unsafe else check_templates(env, folders, project.root)
    problems = unsafe + problems + label_problems + template_errors
    if problems or content is None or labels is None:
        raise InputError(sorted(set(problems)))
    groups = [content.warnings, label_warnings, *_content_warnings(content, folders, sources, store)]
    warnings = sorted({p for group in groups for p in group})
    if strict and warnings:
        raise InputError(warnings)
    return Checked(content, folders, env, labels, warnings, groups, sources)


def _content_warnings(
    content: Content, folders: list[Path], sources: Sources, store: Cache | None
) -> list[list[Problem]]:
    """Warn about glyphs no font has, placeholders, Markdown printed as written, numbers without a key figure,
    debate-paper summaries longer than the paper's 1–3 sentences and more key figures than its first page holds."""
    return [
        _glyphs(content, folders, sources, store),
        placeholder_warnings(content.located),
        summary_warnings(content.located),
        key_figure_warnings(content.located),
        _markup(content, sources, store),
        _faithfulness(content),
    ]


def _markup(content: Content, sources: Sources, store: Cache | None) -> list[Problem]:
    """Warn about Markdown that would print as written or vanish, file by file (remembered by each file's bytes)."""
    root = content.project.root
    problems: list[Problem] = []
    for located in content.located:
        inputs = (located.file, sources.digest(root / located.file))
        problems += memo(store, "markup", inputs, lambda: markup_warnings(located))  # noqa: B023
    return problems


def _faithfulness(content: Content) -> list[Problem]:
    """Warn about numbers in the publisher's own texts that no key figure with a source states."""
    registry = {Path(x.file).name: x for x in content.located if Path(x.file).parent.name not in FOLDER_FILES}
    language = content.publication.language
    return faithfulness_warnings(
        list(registry.values()), content.key_figures, language, registry.get("key-figures.yaml")
    )


def _content_problems(
    project: Project, sources: Sources, store: Cache | None
) -> tuple[Content | None, Sources, list[Problem]]:
    """Validate the inputs; return the content (None when invalid), the sources read and the problems."""
    try:
        content, sources = _content(project, sources, store)
    except InputError as exc:
        return None, sources, list(exc.problems)
    return content, sources, []


def _raw_language(project: Project, sources: Sources) -> str:
    """Read the publication's language as written, when the inputs are invalid, to check the right labels too."""
    data = sources.data(project.inputs / "publication.yaml")
    try:
        language = load_bytes(data, "publication.yaml").data.get("language") if data is not None else None
    except InputError:
        language = None
    return language if language in BABEL_LOCALES else "da"


def _labels(folders: list[Path], language: str, root: Path) -> tuple[Labels | None, list[Problem], list[Problem]]:
    """Load the labels; return them (None when they are broken), their warnings and their errors."""
    try:
        labels, warnings = load_labels(folders, language, root)
    except InputError as exc:
        return None, [], list(exc.problems)
    except CompendiumError as exc:
        return None, [], [exc.as_problem()]
    return labels, warnings, []


def _content(project: Project, sources: Sources, store: Cache | None) -> tuple[Content, Sources]:
    """Parse and cross-check the input files; return the content and the sources with every photo named read."""
    inputs: InputFiles = list_inputs(project)
    parsed = {path: _parse(project, path, model, sources, store) for path, model in inputs.models().items()}
    named = photo_files(project, inputs, parsed)
    typefaces = font_files(project, inputs, parsed)
    sources = sources.adding(path for _, path in [*named, *typefaces])
    images = {name: _image(name, path, sources, store) for name, path in named}
    faces = {name: _font(name, path, sources, store) for name, path in typefaces}
    checks = [_remembered(check, sources, project.root, store) for check in CONTENT_CHECKS]
    return validate_content(project, inputs, parsed, images, checks=checks, fonts=faces), sources


@dataclass(frozen=True)
class _RememberedCheck:
    """A prepared content check whose result for each file is kept in the cache."""

    key: str
    run: Callable[[Located], list[Problem]]

    def __call__(self, located: Located) -> list[Problem]:
        """Return the problems in one file."""
        return self.run(located)


def _remembered(check: FileCheck, sources: Sources, root: Path, store: Cache | None) -> FileCheck:
    """Keep each file's result of a content check while its bytes and the check's key are the same."""
    if store is None:
        return check
    stage = f"check:{getattr(check, '__qualname__', type(check).__qualname__)}"

    def prepare(files: Sequence[LocatedFile]) -> PreparedCheck:
        prepared = check(files)
        key = prepared.key  # once: it hashes every name the check looks for

        def run(located: Located) -> list[Problem]:
            inputs = (key, located.file, sources.digest(root / located.file))
            return memo(store, stage, inputs, lambda: prepared(located))

        return _RememberedCheck(key, run)

    return prepare


# --- assemble ----------------------------------------------------------------------


def photo_assets(project: Project, content: Content, sources: Sources) -> Photos:
    """Name each photo beside the HTML after its content.

    Not after its file name: a file called after a person must not print that person's name in the HTML.
    """
    names, files = {}, {}
    for photo in photos(content):
        source = project.resolve_inside(photo.file)
        if source is None:  # validation already refused it; this keeps the guarantee local
            raise CompendiumError(_("'{file}' is outside the project").format(file=photo.file))
        files[photo.file] = project.root / photo.file
        digest = sources.digest(files[photo.file]).decode()[:16]
        names[photo.file] = f"{ASSET_PREFIX}photos/{digest}{source.suffix.lower()}"
    typefaces = {}
    for name in sorted(content.fonts):  # validation refused any outside the project
        files[name] = project.root / name
        digest = sources.digest(files[name]).decode()[:16]
        typefaces[name] = f"{ASSET_PREFIX}fonts/brand-{digest}{Path(name).suffix.lower()}"
    return Photos(names, files, typefaces)


def compare(plan: Plan, checked: Checked, progress: Progress) -> Comparison | None:
    """Compare the content with an earlier revision, for the changes appendix; None when none is asked for."""
    if plan.changes_since is None:
        return None
    progress(_("Comparing with {changes_since}").format(changes_since=plan.changes_since), False)
    withheld = checked.labels["changes_name_withheld"]
    return appendix_changes(plan.project, plan.changes_since, checked.content, withheld, plan.edition)


def assemble_context(plan: Plan, checked: Checked, shown: Photos, changes: Comparison | None) -> Context:
    """Build the documents' shared context, the changes appendix included."""
    assets = shown.names | shown.fonts
    context = assemble(checked.content, checked.labels, plan.options["commit"], assets, plan.edition)
    return dataclasses.replace(context, changes=changes, search=_searched(plan))


# --- render HTML and check it --------------------------------------------------------


def render_html(plan: Plan, checked: Checked, context: Context, progress: Progress) -> Rendered:
    """Render each document asked for to HTML; every template error of every document is reported together."""
    documents = checked.content.publication.documents
    wanted = [d for d in DOCUMENTS if d in documents and (plan.only is None or d == plan.only)]
    if not wanted:
        raise CompendiumError(_("'{only}' is not among the documents publication.yaml asks for").format(only=plan.only))
    html: dict[str, str] = {}
    problems: list[Problem] = []
    for doc in wanted:
        progress(_("Rendering {doc}.html").format(doc=doc), False)
        try:
            html[doc] = render_document(checked.env, checked.folders, doc, context)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    warnings = []
    if plan.changes_since is not None and 'id="appendix-changes"' not in html.get(
        "compendium", 'id="appendix-changes"'
    ):
        # A project's own compendium.html from before the appendix existed would drop it silently.
        warnings.append(
            _(
                'compendium.html: warning: --changes-since made no appendix, as the compendium template does not include it; add {% if changes %}{% include "_changes.html" %}{% endif %} to templates/compendium.html'
            )
        )
    printed = {doc: for_print(page, context, _marks(plan.store)) for doc, page in html.items()}
    return Rendered(html, warnings, printed if "pdf" in plan.formats else {})


def render_index_page(plan: Plan, checked: Checked, context: Context, rendered: Rendered) -> str:
    """Render index.html, linking each document made now or left from an earlier build of the same inputs."""
    made = {f"{doc}.{fmt}" for doc in rendered.html for fmt in plan.formats if fmt in DOCUMENT_FORMATS}
    index = _index_entries(plan, made, checked.labels, checked.content.publication.documents)
    return render_index(checked.env, checked.folders, context, index)


def render_templates(project: Project, checked: Checked, edition: Edition = "public") -> dict[str, str]:
    """Render every document the publication asks for and index.html, writing nothing; return the HTML by file name.

    What `check` runs to find what only rendering finds: a template's mistakes and sandbox refusals,
    each an InputError with a problem at the template's file and line.
    """
    shown = photo_assets(project, checked.content, checked.sources)
    context = dataclasses.replace(
        assemble(checked.content, checked.labels, None, shown.names | shown.fonts, edition), search=edition == "public"
    )
    documents = [d for d in DOCUMENTS if d in checked.content.publication.documents]
    html = {f"{doc}.html": render_document(checked.env, checked.folders, doc, context) for doc in documents}
    html[INDEX] = render_index(checked.env, checked.folders, context, [])
    return html


def _searched(plan: Plan) -> bool:
    """Tell whether this build makes the search index: asked for (a plain build does), and the public edition."""
    return plan.edition == "public" and "search" in plan.formats


def index_search(plan: Plan, checked: Checked, rendered: Rendered, progress: Progress) -> dict[str, bytes]:
    """Index the public compendium's stories, proposals and statements for search, when its HTML is made."""
    page = rendered.html.get("compendium")
    if not _searched(plan) or page is None:
        return {}
    progress(_("Indexing compendium.html for search"), False)
    try:
        return build_index(page, "compendium.html", checked.content.publication.language)
    except SearchError as exc:
        raise CompendiumError(_("the search index could not be made: {exc}").format(exc=exc)) from None


def check_for_leaks(plan: Plan, content: Content, rendered: Rendered, index: str) -> None:
    """Refuse any text output that names anyone the edition must not: the last line of defence for consent.

    Every text the build writes is searched: the documents' HTML (from which their PDFs are made) and
    index.html, which a template or label override can make name someone too.
    """
    leaks = _leaks(plan, content, _texts(rendered, index))
    if leaks:
        raise InputError(leaks)


def _texts(rendered: Rendered, index: str | None) -> dict[str, str]:
    """Name every text output by its file: the documents' HTML and index.html."""
    texts = {f"{doc}.html": text for doc, text in rendered.html.items()}
    return texts | ({INDEX: index} if index is not None else {})


def _leaks(plan: Plan, content: Content, texts: dict[str, str]) -> list[Problem]:
    """Find every withheld name the text outputs hold; of an output checked before, only around what changed."""
    clean = _clean_html(plan, list(texts)) if plan.manifest else None
    return find_leaks(texts, content, plan.edition, clean)


def check_search_for_leaks(plan: Plan, content: Content, search: Mapping[str, bytes]) -> None:
    """Refuse a search index that names anyone the edition must not: every word it holds, decoded."""
    leaks = find_leaks(readable(dict(search)), content, plan.edition)
    if leaks:
        raise InputError(leaks)


def check_project(project: Project, *, strict: bool = False) -> Checked:
    """Run every check a build runs, and write nothing: validate, render the HTML, and look for withheld names.

    `compendium check` is this, so what it passes, the build of the public edition passes too.
    """
    plan, checked, context = _assembled(project, ("html",), strict, use_cache=True)
    problems: list[Problem] = []
    try:
        rendered = render_html(plan, checked, context, lambda message, transient: None)
    except InputError as exc:
        problems += exc.problems
        rendered = Rendered({}, [])
    index = None
    try:
        index = render_index_page(plan, checked, context, rendered)
    except InputError as exc:
        problems += exc.problems
    problems += _leaks(plan, checked.content, _texts(rendered, index))
    if "data" in checked.content.publication.formats:  # so what passes check, a build of the package passes too
        problems += data_package_checked(checked.content, context, "public")[1]
    if problems:
        raise InputError(sorted(set(problems)))
    return checked


def printed_documents(project: Project) -> dict[str, str]:
    """Return each document's HTML as its PDF is laid out from (marked for print), writing nothing."""
    plan, checked, context = _assembled(project, ("html", "pdf"), False, use_cache=False)
    return render_html(plan, checked, context, lambda message, transient: None).printed


def _assembled(
    project: Project, formats: tuple[str, ...], strict: bool, *, use_cache: bool
) -> tuple[Plan, Checked, Context]:
    """Load, validate and assemble the public edition as a build would, for a run that writes nothing."""
    plan = make_plan(project, None, None, formats, strict, "public", None, use_cache, None)
    checked = validate(project, read_inputs(project), plan.store, strict=strict)
    context = assemble_context(plan, checked, photo_assets(project, checked.content, checked.sources), None)
    return plan, checked, context


def check_pdfs_for_leaks(staging: Staging, plan: Plan, content: Content, rendered: Rendered) -> None:
    """Refuse PDFs whose text layer, bookmarks or metadata name anyone the edition must not."""
    if "pdf" not in plan.formats:
        return
    from compendium.render.pdf.text import pdf_texts

    texts: dict[str, str] = {}
    for doc in rendered.html:
        texts |= pdf_texts(staging.dir / f"{doc}.pdf", f"{doc}.pdf")
    leaks = find_leaks(texts, content, plan.edition)
    if leaks:
        raise InputError(leaks)


def _clean_html(plan: Plan, names: Sequence[str]) -> CleanTexts:
    """Read the HTML the last build checked for withheld names and wrote, where it is still as written."""
    assert plan.manifest is not None
    texts = {}
    for name in names:
        try:
            data = (plan.out_dir / name).read_bytes()
        except OSError:
            continue
        if plan.manifest.outputs.get(_prefix(plan) + name) == hashlib.sha256(data).hexdigest():
            texts[name] = data.decode("utf-8")
    return CleanTexts(plan.manifest.leak_key, texts)


def _prefix(plan: Plan) -> str:
    """Return how the edition's folder is named below the base output folder ("" when it is that folder)."""
    return plan.out_dir.relative_to(plan.base_dir).as_posix() + "/" if plan.out_dir != plan.base_dir else ""


# --- stage the outputs -------------------------------------------------------------


def stage_assets(staging: Staging, checked: Checked, shown: Photos, store: Cache | None) -> str:
    """Stage the fonts, and every photo scaled to print size and without metadata; return the assets' digest."""
    sources, staged = checked.sources, dict[str, str]()
    for name, font in sorted(fonts(checked.folders).items()):
        staged[f"{ASSET_PREFIX}fonts/{name}"] = _stage_file(staging, f"{ASSET_PREFIX}fonts/{name}", font, sources)
    for file, name in sorted(shown.fonts.items()):
        staged[name] = _stage_file(staging, name, shown.files[file], sources)
    for file, name in sorted(shown.names.items(), key=lambda item: item[1]):
        if name in staged:
            continue  # the same photo shown twice
        source = shown.files[file]
        data = sources.data(source)
        data = source.read_bytes() if data is None else data
        suffix = Path(name).suffix
        key = entry_key("photo", PIL.__version__, str(PRINT_BOX), sources.digest(source), suffix) + suffix
        # Never the file as it is: only the pixels and colour profile of a photo are published.
        staged[name] = _stage_bytes(staging, name, _printed(store, key, data, file))
    return entry_key("assets", *(f"{name}\0{file_hash}" for name, file_hash in sorted(staged.items())))


def _printed(store: Cache | None, key: str, data: bytes, file: str) -> bytes:
    """Rebuild a photo from its pixels at print size, or take it from the cache; file names it in an error."""
    printed = store.photo(key) if store else None
    if not printed:
        try:
            printed = print_version(data)
        except PhotoError as exc:  # validation decoded it, so this is rare; never publish the file as it is
            raise CompendiumError(
                _("{file}: the photo cannot be printed ({exc}); export it again as JPEG or PNG").format(
                    file=file, exc=exc
                )
            ) from None
        if store:
            store.put_photo(key, printed)
    return printed


def _stage_file(staging: Staging, name: str, path: Path, sources: Sources) -> str:
    """Stage a copy of a file, from its bytes as read; return their digest."""
    data = sources.data(path)
    return _stage_bytes(staging, name, path.read_bytes() if data is None else data)


def _stage_bytes(staging: Staging, name: str, data: bytes) -> str:
    """Stage some bytes as an output; return their digest."""
    with staging.writing(name) as path:
        path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def stage_html(staging: Staging, plan: Plan, rendered: Rendered) -> None:
    """Stage the HTML of each document, when HTML is asked for."""
    if "html" in plan.formats:
        for doc, text in rendered.html.items():
            staging.write_text(f"{doc}.html", text)


def stage_search(staging: Staging, search: Mapping[str, bytes]) -> None:
    """Stage the search index, each file wrapped as a script the page can load from file://, and its loader."""
    for name, data in offline_files(dict(search)).items() if search else ():
        _stage_bytes(staging, name, data)


def reports_folder(base_dir: Path) -> Path:
    """Return where the redaction reports go: beside the output folder, never in it, as it is published as it is."""
    return base_dir.parent / f"{base_dir.name}-reports"


def stage_reports(staging: Staging, content: Content) -> None:
    """Stage redactions.txt and .json, what each edition withholds (every build writes both editions' lists)."""
    for name, text in write_report(content).items():
        staging.write_text(name, text)


def write_outputs(staging: Staging, reports: Staging, plan: Plan) -> Written:
    """Switch the staged outputs and reports in as one set; return what changed and what is there."""
    prefix, beside = _prefix(plan), f"../{reports.output.name}/"
    digests = {prefix + n: file_digest(staging.dir / n) for n in staging.files}
    digests |= {beside + n: file_digest(reports.dir / n) for n in reports.files}
    # The data package is shown by its descriptor, not file by file.
    shown = [
        n
        for n in staging.files
        if not n.startswith((ASSET_PREFIX, SEARCH_PREFIX, DATA)) or n == DATA + "datapackage.json"
    ]
    replaced, _ = commit_together([staging, reports])
    _remove_old_reports(plan.base_dir)
    _remove_old_search(plan.out_dir, staging.files)
    return Written(replaced, shown, digests)


# Where redaction reports were written before they moved beside the output folder.
OLD_REPORTS = ("redactions.txt", "redactions.json")


def _remove_old_search(out_dir: Path, staged: Sequence[str]) -> None:
    """Delete the files of an earlier search index that this build's index does not have.

    They hold the text of entries as an earlier build printed them: a story since withdrawn, a name
    since withheld. The folder is the build's own, so it is made whole each time an index is made.
    """
    made = {name for name in staged if name.startswith(SEARCH_PREFIX)}
    folder = out_dir / SEARCH_FOLDER
    if not folder.is_dir():
        return  # with no index made now (--format html), an earlier one goes too: its page no longer reads it
    for path in sorted(folder.rglob("*"), reverse=True):
        name = path.relative_to(out_dir).as_posix()
        if (path.is_file() or path.is_symlink()) and name not in made:
            path.unlink(missing_ok=True)
        elif path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()
    if not made and not any(folder.iterdir()):
        folder.rmdir()


def _remove_old_reports(base_dir: Path) -> None:
    """Delete redaction reports an older version left in the published folder: they list withheld names."""
    for name in OLD_REPORTS:
        (base_dir / name).unlink(missing_ok=True)


# --- the Word edition and the data package, from the public view ----------------------


def stage_word_editions(staging: Staging, plan: Plan, checked: Checked, rendered: Rendered, progress: Progress) -> None:
    """Convert each document's HTML into a Word edition, check its words for withheld names, and stage it."""
    if "docx" not in plan.formats:
        return
    from compendium.render.docx import WordEdition, docx_texts, word_document

    publication = checked.content.publication
    edition = WordEdition(publication.language, publication.date.first_day(), checked.labels["contents"])
    made: dict[str, bytes] = {}
    texts: dict[str, str] = {}
    for doc, page in rendered.html.items():
        progress(f"Converting {doc}.docx", False)
        # Not cached: a conversion takes seconds, and a cache entry would have to cover pandoc and its templates.
        made[doc] = word_document(page, staging.dir, edition)
        texts |= docx_texts(made[doc], f"{doc}.docx")
    leaks = find_leaks(texts, checked.content, plan.edition)
    if leaks:
        raise InputError(leaks)
    for doc, data in made.items():
        _stage_bytes(staging, f"{doc}.docx", data)


def stage_data_package(staging: Staging, plan: Plan, checked: Checked, context: Context) -> None:
    """Write the open-data package from the public view's context, check its text for withheld names, and stage it."""
    if "data" not in plan.formats:
        return
    files, leaks = data_package_checked(checked.content, context, plan.edition)
    if leaks:
        raise InputError(leaks)
    for name, text in files.items():
        staging.write_text(DATA + name, text)


def data_package_checked(content: Content, context: Context, edition: Edition) -> tuple[dict[str, str], list[Problem]]:
    """Make the data package's files, and find every withheld name in them (its ids are printed nowhere else)."""
    from compendium.render.data import data_package

    files = data_package(context)
    return files, find_leaks({DATA + name: text for name, text in files.items()}, content, edition)


# --- render PDF ----------------------------------------------------------------------


def render_pdfs(staging: Staging, plan: Plan, rendered: Rendered, assets: str, progress: Progress) -> Pdfs:
    """Lay out every PDF whose HTML or assets changed, in parallel; take the others from the cache."""
    if "pdf" not in plan.formats:
        return Pdfs()
    from compendium.render.pdf.layout import STANDARDS
    from compendium.render.pdf.protocol import DocumentJob

    standard = plan.options["pdf_standard"]
    variant = STANDARDS[standard]
    store, pages, warnings, jobs = plan.store, {}, [], []
    for doc, html in rendered.printed.items():
        key = entry_key("pdf", standard, assets, html)
        hit = store.pdf(doc, key) if store else None
        if hit:
            with staging.writing(f"{doc}.pdf") as path:
                path.write_bytes(hit.data)  # the verified bytes themselves, not the cache file again
            pages[doc] = hit.pages
            warnings += [
                _("{doc}.pdf: warning: {message}").format(doc=doc, message=message) for message in hit.warnings
            ]
        else:
            target, final = staging.path(f"{doc}.pdf"), staging.output / f"{doc}.pdf"
            job = DocumentJob(doc=doc, html=html, base_dir=staging.dir, target=target, final=final, variant=variant)
            jobs.append((key, job))
    if not jobs:
        return Pdfs(pages, warnings)
    on_page = _PageProgress(progress, plan.manifest.pages if plan.manifest else {})
    pieces = PieceCache(store.dir, entry_key("pieces", standard, assets)) if store else None
    made = _lay_out([job for _, job in jobs], pieces, on_page, plan.workers)
    laid_out_pieces = {doc: pdf.pieces_laid_out for doc, pdf in made.items() if pdf.pieces_laid_out is not None}
    for key, job in jobs:
        pdf = made[job.doc]
        pages[job.doc] = pdf.pages
        warnings += [
            _("{doc}.pdf: warning: {message}").format(doc=job.doc, message=message) for message in pdf.warnings
        ]
        if store:
            store.put_pdf(job.doc, key, job.target.read_bytes(), pdf.pages, list(pdf.warnings))
    return Pdfs(pages, warnings, [job.doc for _, job in jobs], laid_out_pieces, pieces)


def _lay_out(
    jobs: list[DocumentJob], pieces: PieceCache | None, on_page: _PageProgress, workers: int | None
) -> dict[str, MadePdf]:
    """Lay out some PDFs in one pool of workers; those whose template marks where pages break go in pieces."""
    from compendium.render.pdf.jobs import make_all

    on_page.progress(_("Laying out {files}").format(files=_(" and ").join(f"{job.doc}.pdf" for job in jobs)), False)
    return make_all(jobs, on_page, workers, pieces)


# --- the result, and the cache for the next build ---------------------------------------


def _result(
    plan: Plan, checked: Checked, rendered: Rendered, pdfs: Pdfs, written: Written, seconds: float
) -> BuildResult:
    """Describe what the build made, for the summary line."""
    return BuildResult(
        outputs=[plan.out_dir / name for name in written.shown],
        pages=pdfs.pages,
        seconds=seconds,
        warnings=[str(w) for w in checked.warnings] + rendered.warnings + pdfs.warnings,
        laid_out=pdfs.laid_out,
        written=written.replaced,
        laid_out_pieces=pdfs.laid_out_pieces,
        notes=withdrawn_notes(checked.content, reports_folder(plan.base_dir) / "redactions.txt"),
    )


def save(
    plan: Plan, key: str, checked: Checked, shown: Photos, result: BuildResult, written: Written, pdfs: Pdfs
) -> None:
    """Keep what this build made for the next one, and what `check` may print for the same files."""
    if plan.store is None:
        return
    # What `check` may print again must be what it would find: a check of the whole public edition.
    record = _check_record(plan.project, checked) if plan.edition == "public" and plan.only is None else None
    scanned = set(plan.scanned)
    extra = sorted({plan.project.rel(path) for path in shown.files.values() if path not in scanned})
    root = plan.project.root
    manifest = Manifest(
        key,
        written.digests,
        written.shown,
        result.pages,
        result.warnings,
        extra,
        result.notes,
        leak_key(checked.content, plan.edition),
        {name: checked.sources.digest(root / name).decode() for name in extra},
    )
    plan.store.save(manifest, record)
    if pdfs.pieces:
        pdfs.pieces.save()


class _NotRead(Exception):
    """A file the check record would describe, which the build did not read."""


def _check_record(project: Project, checked: Checked) -> bytes | None:
    """Make what `check` prints for these same files, to be stored in the cache (see check_record.py).

    The record's key must describe exactly the files this build read: a file that appeared or went away
    during the build (which the walk below sees, and the build did not) means no record, so `check` looks afresh.
    """
    walked: set[Path] = set()

    def as_read(path: Path) -> bytes:
        walked.add(path)
        source = checked.sources.files.get(path)
        if source is None and not _hidden(path, project.root):
            raise _NotRead(path)
        return source.digest if source else checked.sources.digest(path)

    try:
        key = project_key(project.root, project.inputs, project.templates, as_read)
    except _NotRead:
        return None
    described = [project.root / PROJECT_FILE, project.inputs, project.templates, PACKAGE_TEMPLATES]
    inside = tuple(str(f).rstrip(os.sep) + os.sep for f in described)  # by text: thousands of files are read
    read = {path for path in checked.sources.files if path in described or str(path).startswith(inside)}
    if key is None or not read <= walked:
        return None
    content = checked.content
    counts = Counts(len(content.files), len(content.themes), len(content.events), len(content.stories))
    folders = (project.settings.inputs, project.settings.templates)
    shown = [p.file for p in photos(content)] + sorted(content.fonts)
    return make_record(key, folders, shown, project.root, checked.groups, counts, checked.sources.digest)


def _hidden(path: Path, root: Path) -> bool:
    """Tell whether a path lies in a hidden folder, which the build does not read (and so need not have read)."""
    parts = relative_name(root, path).split("/")
    return any(part.startswith(".") for part in parts[:-1])


def _options(
    project: Project, out_dir: Path, only: str | None, formats: tuple[str, ...], strict: bool, edition: str
) -> dict[str, Any]:
    """Everything besides the input files that changes what a build writes."""
    return {
        "edition": edition,
        "only": only,
        "strict": strict,
        "commit": git_commit(project.root),
    } | _format_options(out_dir, only, formats)


def _format_options(out_dir: Path, only: str | None, formats: tuple[str, ...]) -> dict[str, Any]:
    """The formats made, and the documents left from earlier builds, which index.html links too."""
    present = sorted(
        f"{d}.{f}"
        for d in DOCUMENTS
        for f in DOCUMENT_FORMATS
        if (only not in (None, d) or f not in formats) and (out_dir / f"{d}.{f}").is_file()
    )
    return {"formats": sorted(formats), "present": present}


def _scanned_files(project: Project, out_dir: Path) -> list[Path]:
    """List the files a build may read: the project file, inputs, templates, labels and fonts."""
    return tree_files([project.root / PROJECT_FILE, project.inputs, *search_path(project.templates)], out_dir)


def _index_entries(
    plan: Plan, made: set[str], labels: Mapping[str, str], documents: Sequence[str]
) -> list[dict[str, str]]:
    """List the publication's documents, made now or left from an earlier build of the same inputs."""
    entries = []
    for doc, key in (("compendium", "compendium"), ("debate-paper", "debate_paper")):
        if doc not in documents:
            continue
        entry = {"title": labels[key]}
        for fmt in DOCUMENT_FORMATS:
            name = f"{doc}.{fmt}"
            if name in made or (plan.out_dir / name).is_file():
                entry[fmt] = name
        if len(entry) > 1:
            entries.append(entry)
    return entries


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
            return _("{doc}.pdf: page {page}").format(doc=doc, page=page)
        done = self.WIDTH * page // total
        return _("{doc}.pdf [{bar}] page {page} of ~{total}").format(
            doc=doc, bar="#" * done + "." * (self.WIDTH - done), page=page, total=total
        )


def _check_output_folder(project: Project, folder: Path) -> None:
    """Refuse an output folder that is a file, or that holds or lies in the inputs or templates."""
    shown = project.rel(folder)
    if folder.exists() and not folder.is_dir():
        raise CompendiumError(
            _("cannot write to {shown}: it is a file, not a folder; choose another output folder").format(shown=shown)
        )
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
                _(
                    "the output folder {shown} would mix the outputs with the {what} folder; set 'output' in compendium.yaml to a folder of its own, such as build"
                ).format(shown=shown, what=what)
            )


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
