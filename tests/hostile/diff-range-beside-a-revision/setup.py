"""A range and a second revision together are refused, not silently read as one commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


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


def setup(project: Path) -> None:
    """Give the project a history."""
    history(project)
