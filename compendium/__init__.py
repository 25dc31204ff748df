"""compendium: YAML workshop inputs to a compendium and a debate paper, as HTML and PDF."""

__version__ = "0.1.0"
