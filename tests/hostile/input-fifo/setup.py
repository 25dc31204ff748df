"""A FIFO named like an input is never opened (reading it would hang)."""

from __future__ import annotations

import os
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    os.mkfifo(project / "inputs/events/pipe.yaml")
