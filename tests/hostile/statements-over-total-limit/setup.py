"""Statements spread over many events are counted together: more than 2,000 are refused at the event that passes the limit."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Add five events of 450 statements each."""
    event = (project / "inputs/events/2023-midtvest.yaml").read_text(encoding="utf-8").split("statements:")[0]
    for n in range(5):
        many = "".join(
            f"  - id: e{n}-s{i}\n    speaker: lene-buhl\n    themes: [tillid]\n    text: Udsagn {i}.\n"
            for i in range(450)
        )
        text = event.replace("id: 2023-midtvest", f"id: 2024-mode-{n}") + "statements:\n" + many
        (project / f"inputs/events/2024-mode-{n}.yaml").write_text(text, encoding="utf-8")
