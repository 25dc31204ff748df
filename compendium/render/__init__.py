"""Stage 4: templates, Markdown, HTML and the assets beside it."""
