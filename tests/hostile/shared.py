"""Helpers the hostile cases' setup.py files share: a workbook written part by part, and a project with a history."""

from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl


def xlsx(path: Path, rows: list[list[str]], change: Callable[[str, bytes], bytes] = lambda name, data: data) -> None:
    """Save a workbook of these rows, with each part passed through change(name, data)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            target.writestr(name, change(name, data))


HEADER = ["Titel", "Sted", "Tekst", "Tema", "Dato"]
SHEET = "xl/worksheets/sheet1.xml"


def answers(n: int) -> list[list[str]]:
    """Return n good answers."""
    return [[f"Historie {i}", "Jobcenter Fjordby", f"Det skete {i}.", "tillid", "2026-10-12"] for i in range(1, n + 1)]


def git(project: Path, *args: str) -> None:
    """Run git in the project with a fixed identity and date, and no user settings."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Redaktionen",
        "GIT_AUTHOR_EMAIL": "redaktion@example.org",
        "GIT_COMMITTER_NAME": "Redaktionen",
        "GIT_COMMITTER_EMAIL": "redaktion@example.org",
        "GIT_AUTHOR_DATE": "2026-11-02T10:00:00+01:00",
        "GIT_COMMITTER_DATE": "2026-11-02T10:00:00+01:00",
    }
    subprocess.run(["git", "-C", str(project), *args], env=env, check=True, capture_output=True)


def history(project: Path) -> None:
    """Make the project a repository with two commits."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Første udgave")
    story = project / "inputs/stories/gaaturen.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace("Historien.", "Historien, rettet."), encoding="utf-8")
    git(project, "commit", "-q", "-am", "Anden udgave")
