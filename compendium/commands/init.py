"""`compendium init`: copy the packaged starter project into a new folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from compendium.commands.schema import SCHEMA_FOLDER, VSCODE_EXTENSIONS, vscode_settings, write_schemas
from compendium.errors import CompendiumError
from compendium.messages import _

SKELETON = Path(__file__).parents[1] / "skeleton"


def create_project(directory: Path) -> None:
    """Create a project in an empty or new folder; never overwrite anything."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CompendiumError(
            _("{directory} already exists and is not empty; choose a new folder").format(directory=directory)
        )
    try:
        shutil.copytree(SKELETON, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        # A dotfile would be skipped by some packaging tools, so it ships without the dot.
        (directory / "gitignore").rename(directory / ".gitignore")
        (directory / "github").rename(directory / ".github")
        # The editor's YAML extension completes and checks keys from these schemas.
        write_schemas(directory / SCHEMA_FOLDER)
        (directory / ".vscode").mkdir()
        (directory / ".vscode" / "settings.json").write_text(vscode_settings(), encoding="utf-8")
        (directory / ".vscode" / "extensions.json").write_text(VSCODE_EXTENSIONS, encoding="utf-8")
    except OSError as exc:
        raise CompendiumError(
            _("cannot create {directory}: {strerror}").format(directory=directory, strerror=exc.strerror)
        ) from None
