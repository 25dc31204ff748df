"""Regenerate the golden HTML files: `make update-golden` (python -m tests.golden)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = ("compendium.html", "debate-paper.html", "index.html")


def main() -> int:
    """Build the example and copy its HTML over the golden files."""
    from compendium.pipeline import build
    from compendium.project import find_project
    from tests.conftest import copy_example

    os.environ["COMPENDIUM_COMMIT"] = ""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_example(Path(tmp) / "project")
        build(find_project(explicit=root))
        GOLDEN.mkdir(exist_ok=True)
        for name in GOLDEN_FILES:
            shutil.copyfile(root / "build" / name, GOLDEN / name)
            print(f"updated tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
