"""Stage 6, PDF: the only module that imports WeasyPrint.

WeasyPrint gets a fetcher that serves regular files from the staged output
folder and nothing else: no network, no file outside, no redirects.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from compendium.errors import CompendiumError
from compendium.messages import _
from compendium.render.pdf import tagging
from compendium.render.pdf.feather import SEAM, feathered
from compendium.render.pdf.protocol import MadePdf
from compendium.render.pdf.structure import repair_file

PDF_VARIANT = "pdf/ua-1"
# The standards a build can make its PDFs to (--pdf-standard), as WeasyPrint's variants. WeasyPrint
# writes one identifier: PDF/A's; structure.repair adds PDF/UA's to the metadata.
STANDARDS = {"ua-1": PDF_VARIANT, "a-3a+ua-1": "pdf/a-3a"}
# WeasyPrint names images after their URL, so the PDF's bytes would depend on
# the (temporary) folder it was built in. Documents are laid out against this
# fixed virtual root instead, which the fetcher maps onto the real folder.
VIRTUAL_ROOT = "file:///compendium/"
SEAM_BODY = re.compile(r"<body\b[^>]*\s" + SEAM + r"[\s>=]")
# A template marks the end of what must be on page 1 with an element of this id (the debate paper:
# after the overview of the proposals, which a politician's office reads on the first page).
PAGE_ONE_END = "page-one-end"


class _Collect(logging.Handler):
    """Keep WeasyPrint's warnings so the build can report them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# The only folder below the staged output that documents may load from:
# fonts and photos, copied there under names the build chose.
ASSET_FOLDER = "assets"


def refusal(url: str, root: Path) -> str | Path:
    """Return the file a URL may load, or the reason it is refused (no network, nothing outside the assets)."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return _("refused to fetch {url}: the network and '{relative}' addresses are not allowed").format(
            url=url, relative=parts.scheme or "relative"
        )
    if not url.startswith(VIRTUAL_ROOT) or parts.query or parts.fragment or parts.netloc:
        return _("refused to fetch {url}: only the build's own fonts and photos may be loaded").format(url=url)
    relative = unquote(parts.path).removeprefix(urlsplit(VIRTUAL_ROOT).path)
    segments = relative.split("/")
    if ".." in segments or "\\" in relative or "\0" in relative or relative.startswith("/"):
        return _("refused to fetch {url}: the path leaves the assets folder").format(url=url)
    assets = (root / ASSET_FOLDER).resolve()
    path = (root / relative).resolve()  # follows links, so a link out of the folder is caught too
    if not path.is_relative_to(assets):
        return _("refused to fetch {url}: only files in the build's {asset_folder}/ folder may be loaded").format(
            url=url, asset_folder=ASSET_FOLDER
        )
    if not path.is_file():  # a folder, FIFO or device, or nothing at all
        return _("refused to fetch {url}: not a regular file").format(url=url)
    return path


def make_fetcher(root: Path) -> Any:
    """Build a URL fetcher limited to regular files in root's assets folder."""
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    root = root.resolve()

    class SandboxFetcher(weasyprint.URLFetcher):
        """Serve the staged fonts and photos; refuse everything else."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = refusal(url, root)
            if isinstance(found, str):
                raise ValueError(found)
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": _mime(found)})

    return SandboxFetcher(fail_on_errors=True, allow_redirects=False)


def refuse_attachments(document: Any, name: str) -> None:
    """Refuse <link rel=attachment> and <a rel=attachment>: they would embed a file in the PDF."""
    attached = [a for a in document.metadata.attachments]
    linked = [link for page in document.pages for link in page.links if link[0] == "attachment"]
    if attached or linked:
        raise CompendiumError(
            _(
                '{name}: the templates ask to attach a file to the PDF (rel="attachment"), which is not allowed; remove rel="attachment" from the template'
            ).format(name=name)
        )


def _mime(path: Path) -> str:
    """Guess a content type from a suffix, for fonts and images."""
    return {
        ".ttf": "font/ttf",
        ".otf": "font/otf",
        ".woff2": "font/woff2",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
        ".webp": "image/webp",
        ".gif": "image/gif",
        ".svg": "image/svg+xml",
        ".css": "text/css",
    }.get(path.suffix.lower(), "application/octet-stream")


class _Pages(logging.Handler):
    """Report each page WeasyPrint lays out, from its progress logger."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "Step 5 - Creating layout - Page %d" and record.args:
            self.on_page(int(record.args[0]))  # type: ignore[index,call-overload]


def write_pdf(
    html: str, base_dir: Path, target: Path, on_page: Callable[[int], None] | None = None, variant: str = PDF_VARIANT
) -> MadePdf:
    """Lay out HTML whose assets sit in base_dir and write a PDF; return its page count and warnings."""
    import weasyprint

    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    progress_logger = logging.getLogger("weasyprint.progress")
    pages = _Pages(on_page or (lambda n: None))
    old_level = progress_logger.level
    progress_logger.addHandler(pages)
    progress_logger.setLevel(logging.INFO)
    try:
        with feathered(seam_at_end=False):
            document = weasyprint.HTML(string=html, base_url=VIRTUAL_ROOT, url_fetcher=make_fetcher(base_dir)).render(
                pdf_variant=variant
            )
        refuse_attachments(document, target.name)
        _write(document, target, variant)
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise CompendiumError(f"{target.name}: {exc} ({exc.__cause__})") from None
    finally:
        logger.removeHandler(collect)
        progress_logger.removeHandler(pages)
        progress_logger.setLevel(old_level)
    # A missing image would silently leave a hole in the PDF: that is an error.
    problems = [m for m in collect.messages if "Failed to load" in m or "refused" in m]
    if problems:
        raise CompendiumError(f"{target.name}: " + "; ".join(problems))
    repair_file(target)
    warnings = collect.messages + page_one_warnings(document.pages)
    return MadePdf(pages=len(document.pages), warnings=tuple(sorted(set(warnings))))


def page_one_warnings(pages: list[Any]) -> list[str]:
    """Warn when what the template keeps on page 1 (up to its page-one-end mark) runs onto a later page."""
    for number, page in enumerate(pages):
        if PAGE_ONE_END in page.anchors:
            if number == 0:
                return []
            fix = _(
                "shorten the main message, or set 'debate_paper: false' on key figures or proposals the first page can do without"
            )
            return [
                _(
                    "page 1 cannot hold all of the main message, the key figures and the overview of the proposals, which end on page {page}; {fix}"
                ).format(page=number + 1, fix=fix)
            ]
    return []


def can_lay_out_in_pieces() -> bool:
    """Tell whether this WeasyPrint is the one lay_out() and finish() were written for.

    They put off the page margins by replacing two functions inside
    WeasyPrint's layout; another version may work differently, and is laid
    out in one piece.
    """
    import weasyprint

    return str(weasyprint.__version__).split(".")[0] == "70"


@dataclass(frozen=True)
class _Margins:
    """A page whose margin boxes wait: WeasyPrint's layout context, page box and page state, and its number."""

    context: Any
    page: Any
    state: Any
    number: int


class Laid:
    """A piece laid out but not yet given page numbers: its margin boxes wait for the piece's first page."""

    def __init__(self, document: Any, margins: list[_Margins], warnings: list[str], variant: str) -> None:
        self.document = document
        self.variant = variant
        self.margins = margins  # one for each page
        self.warnings = warnings

    @property
    def pages(self) -> int:
        """Count the pages."""
        return len(self.document.pages)

    def anchors(self) -> dict[str, int]:
        """Map each anchor to the (0-based) page it is on, the first when there are several."""
        found: dict[str, int] = {}
        for number, page in enumerate(self.document.pages):
            for name in page.anchors:
                found.setdefault(name, number)
        return found

    def bookmark_levels(self) -> list[int]:
        """List the bookmarks' levels in document order."""
        return [level for page in self.document.pages for level, *_ in page.bookmarks]


def lay_out(
    html: str, base_dir: Path, name: str, on_page: Callable[[int], None] | None = None, variant: str = PDF_VARIANT
) -> Laid:
    """Lay out a piece of a document, leaving out the page margins (running heads, page numbers)."""
    import weasyprint
    import weasyprint.layout

    margins: dict[int, _Margins] = {}  # by page: a page laid out again (feather.py) replaces its entry

    def later(context: Any, page: Any, state: Any) -> list[Any]:
        margins[context.current_page] = _Margins(context, page, state, context.current_page)
        return []

    make_margin_boxes, layout_backgrounds = weasyprint.layout.make_margin_boxes, weasyprint.layout.layout_backgrounds
    weasyprint.layout.make_margin_boxes = later
    weasyprint.layout.layout_backgrounds = lambda page, get_image: None  # after the margins, in finish()
    try:
        with _Logged(on_page, name) as logged, feathered(seam_at_end=SEAM_BODY.search(html) is not None):
            document = _html(html, base_dir, name).render(pdf_variant=variant)
    finally:
        weasyprint.layout.make_margin_boxes, weasyprint.layout.layout_backgrounds = (
            make_margin_boxes,
            layout_backgrounds,
        )
    refuse_attachments(document, name)
    return Laid(document, [margins[n] for n in sorted(margins)][: len(document.pages)], logged.messages, variant)


def finish(laid: Laid, first_page: int, elsewhere: AbstractSet[str], target: Path, name: str) -> list[str]:
    """Number a laid-out piece's pages from first_page, make its margins and write it; return its warnings.

    Links to anchors in other pieces point at a stand-in of the same name
    on the piece's first page, so that WeasyPrint keeps them; the merge
    points them at the real anchor.
    """
    import weasyprint
    import weasyprint.layout

    for margins in laid.margins:
        context, page, state = margins.context, margins.page, margins.state
        context.current_page = margins.number
        counters = dict(state[1])
        counters["page"] = [value + first_page - 1 for value in counters.get("page", [margins.number])]
        boxes = list(weasyprint.layout.make_margin_boxes(context, page, (state[0], counters, *state[2:])))
        page.children = (*page.children, *boxes)
        weasyprint.layout.layout_backgrounds(page, context.get_image_from_uri)
    laid.margins = []
    own = laid.anchors()
    if laid.document.pages:
        stand_ins = laid.document.pages[0].anchors
        for page in laid.document.pages:
            for kind, anchor, _, _ in page.links:
                if kind == "internal" and anchor not in own and anchor in elsewhere:
                    stand_ins.setdefault(anchor, (0, 0, 0, 0))
    with _Logged(None, name) as logged:
        _write(laid.document, target, laid.variant)
    page_one = page_one_warnings(laid.document.pages) if first_page == 1 else []
    return sorted(set(laid.warnings + logged.messages + page_one))


def _write(document: Any, target: Path, variant: str) -> None:
    """Write a laid-out document as a tagged PDF, with this project's tags (tagging.py) instead of WeasyPrint's."""
    tagging.flag_artifacts(document)
    with tagging.tagged():
        document.write_pdf(target, pdf_variant=variant, attachments=[])


def _html(html: str, base_dir: Path, name: str) -> Any:
    """Parse HTML against the virtual root, with the sandboxed fetcher."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=VIRTUAL_ROOT, url_fetcher=make_fetcher(base_dir))


class _Logged:
    """Collect WeasyPrint's warnings and report pages while a block runs; fail on a missing file."""

    def __init__(self, on_page: Callable[[int], None] | None, name: str) -> None:
        self.name = name
        self.collect = _Collect()
        self.pages = _Pages(on_page or (lambda n: None))
        self.messages: list[str] = []

    def __enter__(self) -> _Logged:
        self.progress_logger = logging.getLogger("weasyprint.progress")
        self.old_level = self.progress_logger.level
        logging.getLogger("weasyprint").addHandler(self.collect)
        self.progress_logger.addHandler(self.pages)
        self.progress_logger.setLevel(logging.INFO)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        import weasyprint

        logging.getLogger("weasyprint").removeHandler(self.collect)
        self.progress_logger.removeHandler(self.pages)
        self.progress_logger.setLevel(self.old_level)
        if isinstance(exc, weasyprint.urls.FatalURLFetchingError):
            raise CompendiumError(f"{self.name}: {exc} ({exc.__cause__})") from None
        self.messages = self.collect.messages
        problems = [m for m in self.messages if "Failed to load" in m or "refused" in m]
        if kind is None and problems:
            raise CompendiumError(f"{self.name}: " + "; ".join(problems))
