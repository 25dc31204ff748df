"""Regenerate the golden HTML files: `make update-golden` (python -m tests.golden).

The golden files hold each HTML output with the contents of its <style> elements
replaced by STYLE_MARKER, so a change to the stylesheet does not rewrite all of
them; tests/test_build.py checks the inlined stylesheet on its own.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = ("compendium.html", "debate-paper.html", "index.html")
STYLE_MARKER = "/* the stylesheet, left out of the golden file */"
_STYLE = re.compile(r"(<style>).*?(</style>)", re.DOTALL)


def without_styles(html: str) -> str:
    """Return the HTML with the contents of each <style> element replaced by the marker."""
    return _STYLE.sub(lambda m: m[1] + STYLE_MARKER + m[2], html)


def styles(html: str) -> list[str]:
    """Return the contents of each <style> element."""
    return [m[0][len("<style>") : -len("</style>")] for m in _STYLE.finditer(html)]


def main() -> int:
    """Build the example and write its HTML, without the stylesheet, over the golden files."""
    from compendium.pipeline import build
    from compendium.project import find_project
    from tests.conftest import copy_example

    os.environ["COMPENDIUM_COMMIT"] = ""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_example(Path(tmp) / "project")
        build(find_project(explicit=root))
        GOLDEN.mkdir(exist_ok=True)
        for name in GOLDEN_FILES:
            html = (root / "build" / name).read_text(encoding="utf-8")
            (GOLDEN / name).write_text(without_styles(html), encoding="utf-8")
            print(f"updated tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
