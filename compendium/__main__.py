"""Allow `python -m compendium`."""

from compendium.cli import run

run()
