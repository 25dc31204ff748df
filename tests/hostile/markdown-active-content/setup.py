"""Scripts, handlers, style, javascript:/data: links (also entity-obfuscated), iframes, objects and attachments in Markdown are removed."""

from __future__ import annotations

from pathlib import Path

TEXT = '<script>alert(1)</script><p style="color:red" onclick="x()">Z</p> [j](javascript:alert(1)) <a href="jav&#x61;script:alert(2)">e</a> [d](data:text/html;base64,PHNjcmlwdD4=) <iframe src="x"></iframe><object data="x"></object><embed src="x"><link rel="attachment" href="inputs/participants.yaml"><a href="#x" rel="attachment">a</a>'


def setup(project: Path) -> None:
    """Put the hostile text into a Markdown field."""
    path = project / "inputs/themes.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    introduction: |\n", "    introduction: |\n      " + TEXT + "\n\n", 1)
    pass
    path.write_text(text, encoding="utf-8")
