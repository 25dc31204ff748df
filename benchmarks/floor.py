"""The floor: bare WeasyPrint on the tool's own final HTML, with the same PDF variant.

    python -m benchmarks.floor OUTDIR build/compendium.html build/debate-paper.html

Both documents are laid out in one process, as the tool does, so the floor
pays for one interpreter start and one WeasyPrint import, like the tool.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The tool writes PDF/UA-1 (tagged); the floor must do the same work.
PDF_VARIANT = "pdf/ua-1"


def main(argv: list[str] | None = None) -> None:
    """Lay out each HTML file next to its assets and write the PDF into OUTDIR."""
    import weasyprint

    out, *files = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    out.mkdir(parents=True, exist_ok=True)
    for html in files:
        document = weasyprint.HTML(filename=html, base_url=str(html.parent) + "/")
        document.write_pdf(out / f"{html.stem}.pdf", pdf_variant=PDF_VARIANT)


if __name__ == "__main__":
    main()
