"""Override the style sheet with one that prints a name the HTML never spells out."""

from pathlib import Path

import compendium


def setup(project: Path) -> None:
    """Copy the packaged style sheet into templates/ and add generated content after every h1."""
    packaged = Path(compendium.__file__).parent / "templates" / "style.css"
    target = project / "templates" / "style.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        packaged.read_text(encoding="utf-8") + '\nh1::after { content: " Johan" "nesen"; }\n', encoding="utf-8"
    )
