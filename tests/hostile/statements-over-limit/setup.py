"""10,000 statements in one event would take the PDF past five minutes; more than 500 per event are refused."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Give the event 10,000 statements."""
    event = project / "inputs/events/2023-midtvest.yaml"
    many = "".join(
        f"  - id: s{i}\n    speaker: lene-buhl\n    themes: [tillid]\n    text: Udsagn {i}.\n" for i in range(10_000)
    )
    event.write_text(event.read_text(encoding="utf-8").split("statements:")[0] + "statements:\n" + many)
