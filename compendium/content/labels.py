"""Labels for the documents, from a language file chosen by the publication."""

from __future__ import annotations

from typing import Any

from compendium.errors import CompendiumError


class Labels(dict[str, str]):
    """Printed labels for one language; a missing key names the file to fix."""

    language: str = "da"

    def __missing__(self, key: str) -> str:
        raise CompendiumError(f"label '{key}' is missing from labels/{self.language}.yaml")

    @classmethod
    def from_data(cls, language: str, data: Any, source: str) -> Labels:
        """Check a language file's data and wrap it."""
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise CompendiumError(f"{source} must be a mapping of label names to text")
        labels = cls(data)
        labels.language = language
        return labels
