"""Stage 3: the typed context each document's template gets, with chart and changes data."""
