"""The one place that decides what may be printed: consent per person and edition, names, leaks, redactions."""
