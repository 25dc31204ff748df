"""The accessibility gate's checkers: vnu and axe-core (npm, see package.json) and pdfua (PyPI).

Each returns its findings as lines naming the page and the element (an HTML selector or line, a PDF page), so a
failing test says where to look. `python -m tests.a11y BUILD_DIR` runs all three on a built folder and prints counts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_RUNNER = REPO / "tools" / "a11y" / "axe.cjs"
WIDTHS = (1280, 390)
INSTALL = "run `make test`, which installs it (make node-deps, make system-deps)"

# CSS for paged media (WeasyPrint) that vnu's CSS validator does not know: these rules only act in print,
# so the messages about them are not errors of the HTML. Any other CSS message still counts.
PRINT_ONLY_CSS = re.compile(
    r"CSS: “(bookmark-level|bookmark-label|bookmark-state|string-set)”"
    r"|CSS: “(content|position)”: “(string|element|running|target-counter|counter)\("
    r"|CSS: “text-overflow”: Property “text-overflow” doesn't exist in “CSS Level 3 \+ SVG” but exists in"
    r"|CSS: “footnote”: Parse Error\.|CSS: “float”: “footnote” is not a “float” value"
    r"|CSS: Unknown pseudo-element or pseudo-class “::footnote-(call|marker)”"
)


def shown(page: Path) -> str:
    """Name a built page as it lies in the build folder (internal/ for the internal edition)."""
    return f"internal/{page.name}" if page.parent.name == "internal" else page.name


def missing_tools() -> list[str]:
    """Name each tool of the gate that is not installed here."""
    missing = []
    if shutil.which("java") is None:
        missing.append("java (Debian: openjdk-17-jre-headless)")
    if shutil.which("node") is None:
        missing.append("node (Debian: nodejs)")
    for package in ("vnu-jar", "axe-core", "playwright-core"):
        if not (NODE_MODULES / package).is_dir():
            missing.append(f"{package} (npm)")
    if shutil.which("chromium") is None:
        missing.append("chromium (Debian)")
    return missing


def vnu_findings(pages: list[Path]) -> list[str]:
    """Check the pages with the Nu HTML Checker, one JVM for all; print-only CSS messages are left out."""
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", *map(str, pages)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"vnu failed: {done.stderr[-2000:]}"
    findings = []
    for message in json.loads(done.stdout)["messages"]:
        if message["type"] == "info" or PRINT_ONLY_CSS.search(message["message"]):
            continue
        page = shown(Path(message.get("url", "?").removeprefix("file:")))
        findings.append(f"{page}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}")
    return findings


def axe_findings(pages: list[Path], widths: tuple[int, ...] = WIDTHS) -> list[str]:
    """Run axe-core's WCAG 2.1 A and AA rules on the pages in Chromium at each width."""
    done = subprocess.run(
        ["node", str(AXE_RUNNER), ",".join(map(str, widths)), *map(str, pages)],
        capture_output=True, text=True, timeout=900, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, f"axe failed: {done.stderr[-2000:]}"
    return [
        f"{shown(Path(v['page']))} at {v['width']} px: {v['target']}: {v['rule']} ({v['help']}): {v['html']}"
        for v in json.loads(done.stdout)
    ]


def pdfua_findings(pdfs: list[Path]) -> list[str]:
    """Check the PDFs with pdfua (the machine-checkable part of PDF/UA-1); errors only."""
    from pdfua import Severity, validate

    findings = []
    for pdf in pdfs:
        for finding in validate(pdf).findings:
            if finding.severity >= Severity.ERROR:
                where = finding.location.describe() or "document"
                findings.append(f"{shown(pdf)}: {where}: {finding.rule_id}: {finding.message}")
    return findings


def structure_findings(pdfs: list[Path]) -> list[str]:
    """The project's own checks of the PDFs' structure tree (compendium/render/pdf/structure.py)."""
    import pikepdf

    from compendium.render.pdf.structure import check_structure

    findings = []
    for pdf in pdfs:
        with pikepdf.open(pdf) as document:
            findings += [f"{shown(pdf)}: {finding}" for finding in check_structure(document)]
    return findings


def html_pages(build: Path) -> list[Path]:
    """The HTML pages of a build folder, both editions' where built."""
    return sorted(p for p in [*build.glob("*.html"), *build.glob("internal/*.html")])


def main(build: Path) -> int:
    """Print the gate's counts (and findings) for one build folder; exit 1 if any."""
    pages, pdfs = html_pages(build), sorted(build.glob("*.pdf"))
    results = {
        "vnu": vnu_findings(pages),
        "axe": axe_findings(pages),
        "pdfua": pdfua_findings(pdfs),
        "structure": structure_findings(pdfs),
    }
    for name, findings in results.items():
        print(f"{name}: {len(findings)}")
        for line in findings:
            print(f"  {line}")
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
