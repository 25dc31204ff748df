"""Allow `python -m compendium`."""

from .cli import run

run()
